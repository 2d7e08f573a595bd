//! STAR elements of a behavioural model story: the Situation, Task, Action and Result text
//! (from `Situation:`-style labels, or by sentence cues when the story has none), what each
//! element should contain phrased for a candidate, and the terms that show it.

use std::collections::HashSet;

use crate::rubric::{doc, terms, StarElement, StarPart};
use crate::text;

/// Whether `text` is written as a STAR story (at least three of the four labels).
pub fn looks_like_star(text: &str) -> bool {
    let found: HashSet<StarPart> = text::sentences(text)
        .iter()
        .filter_map(|&(s, e)| leading_label(&text[s..e]).map(|(p, _)| p))
        .collect();
    found.len() >= 3
}

/// The four STAR elements of `story`, in order.
pub(crate) fn elements(story: &str, question: &HashSet<String>) -> Vec<StarElement> {
    let parts = split_parts(story);
    StarPart::ALL
        .iter()
        .zip(parts)
        .map(|(&part, raw)| element(part, &raw, question))
        .collect()
}

/// The label a sentence starts with (`Situation:`, `**Task** -`, `## Action`), and the byte
/// length of the label.
pub fn leading_label(sentence: &str) -> Option<(StarPart, usize)> {
    let trimmed = sentence.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '#' | '-' | '_' | '•' | '>')
    });
    let offset = sentence.len() - trimmed.len();
    let word_end = trimmed
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(trimmed.len());
    let word = trimmed[..word_end].to_lowercase();
    let part = match word.as_str() {
        "situation" | "context" | "background" | "s" => StarPart::Situation,
        "task" | "goal" | "challenge" | "t" => StarPart::Task,
        "action" | "actions" | "a" => StarPart::Action,
        "result" | "results" | "outcome" | "impact" | "r" => StarPart::Result,
        _ => return None,
    };
    let rest = trimmed[word_end..].trim_start_matches(['*', '_', ' ']);
    let sep = rest.chars().next();
    let is_label =
        matches!(sep, Some(':' | '-' | '–' | '—' | ')')) || (sep.is_none() && word.len() > 1);
    if !is_label || (word.len() == 1 && sep != Some(':')) {
        return None;
    }
    let after_sep = rest.get(sep.map_or(0, char::len_utf8)..).unwrap_or("");
    let label_len = sentence.len() - after_sep.len();
    let _ = offset;
    Some((part, label_len))
}

/// Cue phrases for each part, checked on the lowercased sentence.
const RESULT_CUES: &[&str] = &[
    "as a result",
    "in the end",
    "ultimately",
    "the outcome",
    "the result",
    "resulted in",
    "led to",
    "which meant",
    "reduced",
    "increased",
    "improved",
    "cut ",
    "saved",
    "went from",
    "dropped",
    "since then",
    "afterwards",
    "became the",
    "we shipped",
    "we launched",
    "delivered",
    "on time",
    "lesson",
    "learned",
    "%",
];
const TASK_CUES: &[&str] = &[
    "i needed to",
    "i had to",
    "my task",
    "my goal",
    "my job",
    "i was asked",
    "i was tasked",
    "my responsibility",
    "i was responsible",
    "the goal was",
    "we needed to",
    "the challenge was",
    "i was brought in",
    "it was on me",
    "my role",
    "i was in charge",
    "responsible for",
    "the aim",
    "my aim",
    "needed to",
    "i had been asked",
    "it was my",
];
const SITUATION_CUES: &[&str] = &[
    "at my previous",
    "at my last",
    "at my current",
    "in my previous",
    "in my last",
    "when i was",
    "years ago",
    "last year",
    "while at",
    "working at",
    "i was working",
    "our team was",
    "there was a",
    "we had a",
    "the company",
    "our company",
    "a client",
    "during",
    "once,",
];
const IRREGULAR_PAST: &[&str] = &[
    "built", "led", "wrote", "ran", "made", "took", "set", "met", "spoke", "brought", "put", "sat",
    "got", "chose", "drove", "began", "kept", "sent", "found", "gave", "held", "paired", "broke",
    "split", "rewrote", "sought", "taught", "told", "went", "dug", "shipped",
];

/// Whether a sentence is told in the past tense (a story rather than a general claim).
fn is_past(lower: &str) -> bool {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| {
            matches!(w, "was" | "were" | "had" | "did")
                || (w.len() > 4 && w.ends_with("ed"))
                || IRREGULAR_PAST.contains(&w)
        })
}

/// Whether a sentence tells something the speaker (or their team) did.
fn is_action(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        (*w == "i" || *w == "we")
            && words[i + 1..]
                .iter()
                .take(3)
                .any(|v| (v.len() > 4 && v.ends_with("ed")) || IRREGULAR_PAST.contains(v))
    }) || words
        .first()
        .is_some_and(|w| w.len() > 4 && w.ends_with("ed"))
}

/// The part a sentence's cues point to, if any.
fn cue_part(lower: &str) -> Option<StarPart> {
    let has = |cues: &[&str]| cues.iter().any(|c| lower.contains(c));
    if has(RESULT_CUES) {
        Some(StarPart::Result)
    } else if has(TASK_CUES) {
        Some(StarPart::Task)
    } else if has(SITUATION_CUES) {
        Some(StarPart::Situation)
    } else if is_action(lower) {
        Some(StarPart::Action)
    } else {
        None
    }
}

/// Every sentence of a story assigned to a STAR part: by the labels the writer gave
/// (`Situation:`, `**Task** -`, `## Action`) when there are two or more, otherwise by cues
/// ("at my previous company", "I needed to", "I built", "as a result"). Rubric extraction and
/// grading both read stories through this one segmenter.
#[derive(Debug, Clone)]
pub struct StorySegments {
    /// Part of each sentence (by sentence index).
    pub parts: Vec<StarPart>,
    /// Per sentence, the label it starts with and the label's byte length (when labelled).
    pub labels: Vec<Option<(StarPart, usize)>>,
    /// Whether the writer used explicit labels.
    pub labelled: bool,
    /// Whether any sentence is told in the past tense (a story rather than general claims).
    pub told_as_story: bool,
}

/// Segments a story given its sentence spans.
pub fn segment_sentences(text: &str, sentences: &[(usize, usize)]) -> StorySegments {
    let labels: Vec<Option<(StarPart, usize)>> = sentences
        .iter()
        .map(|&(s, e)| leading_label(&text[s..e]))
        .collect();
    let distinct: std::collections::BTreeSet<StarPart> =
        labels.iter().flatten().map(|(p, _)| *p).collect();
    let labelled = distinct.len() >= 2;
    let mut parts = Vec::with_capacity(labels.len());
    let mut current = StarPart::Situation;
    for (i, &(s, e)) in sentences.iter().enumerate() {
        let lower = text[s..e].to_lowercase();
        let part = if labelled {
            labels[i].map(|(p, _)| p)
        } else if i == 0 {
            // A story opens with its situation unless it clearly starts elsewhere.
            let opens = SITUATION_CUES.iter().any(|c| lower.contains(c));
            Some(if opens {
                StarPart::Situation
            } else {
                cue_part(&lower).unwrap_or(StarPart::Situation)
            })
        } else {
            // Cues may move the story on; a stray cue never moves it back to the situation.
            cue_part(&lower).filter(|p| *p != StarPart::Situation || current == StarPart::Situation)
        };
        if let Some(p) = part {
            current = p;
        }
        parts.push(current);
    }
    let told_as_story = sentences
        .iter()
        .any(|&(s, e)| is_past(&text[s..e].to_lowercase()));
    StorySegments {
        parts,
        labels: if labelled {
            labels
        } else {
            vec![None; sentences.len()]
        },
        labelled,
        told_as_story,
    }
}

/// The raw text of each part, Situation to Result (empty when the story lacks it), as the
/// shared segmenter reads it; labels (and an "I:" after them) are left out.
fn split_parts(story: &str) -> [String; 4] {
    let sentences = text::sentences(story);
    let seg = segment_sentences(story, &sentences);
    let mut parts: [String; 4] = Default::default();
    for (i, &(s, e)) in sentences.iter().enumerate() {
        let label = seg.labels[i].map_or(0, |(_, len)| len);
        let body = story[s + label..e].trim();
        let body = body.strip_prefix("I:").unwrap_or(body).trim();
        if body.is_empty() {
            continue;
        }
        let slot = &mut parts[seg.parts[i] as usize];
        if !slot.is_empty() {
            slot.push(if seg.labelled { '\n' } else { ' ' });
        }
        slot.push_str(body);
    }
    parts
}

/// One STAR element from its raw text.
fn element(part: StarPart, raw: &str, question: &HashSet<String>) -> StarElement {
    let reference = reference_text(raw);
    let mut terms = terms::key_terms(
        raw,
        None,
        question,
        if part == StarPart::Action { 8 } else { 6 },
    );
    if terms.is_empty() {
        terms = default_terms(part).iter().map(|t| t.to_string()).collect();
    }
    StarElement {
        part,
        expects: expects(part, raw),
        reference,
        terms,
    }
}

/// The element's text for people: bullets kept one per line, markup removed.
fn reference_text(raw: &str) -> String {
    doc::blocks(raw)
        .iter()
        .map(|b| match &b.lead {
            Some(lead) => doc::plain(&format!("{lead}: {}", b.text)),
            None => doc::plain(&b.text),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn default_terms(part: StarPart) -> &'static [&'static str] {
    match part {
        StarPart::Situation => &["context", "problem"],
        StarPart::Task => &["responsible", "goal"],
        StarPart::Action => &["I decided", "I built", "I led"],
        StarPart::Result => &["result", "improved", "reduced"],
    }
}

/// What the element should contain, phrased for a candidate, with the model story's gist.
fn expects(part: StarPart, raw: &str) -> String {
    let pieces: Vec<String> = doc::blocks(raw)
        .iter()
        .flat_map(|b| {
            let plain = doc::plain(&b.text);
            text::sentences(&plain)
                .into_iter()
                .map(|(s, e)| plain[s..e].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let first = pieces.first().map(|s| gist(s, 18)).unwrap_or_default();
    match part {
        StarPart::Situation => with_gist(
            "Set the scene: where you were and what problem or risk was at stake",
            &first,
        ),
        StarPart::Task => with_gist(
            "State the goal you personally owned and what made it hard",
            &first,
        ),
        StarPart::Action => {
            let steps: Vec<String> = pieces.iter().take(3).map(|s| gist(s, 8)).collect();
            with_gist(
                "Walk through the concrete steps you took yourself (say \"I\", not \"we\")",
                &steps.join("; "),
            )
        }
        StarPart::Result => {
            let measured: Vec<String> = pieces
                .iter()
                .flat_map(|s| s.split([',', ';']).map(str::trim).collect::<Vec<_>>())
                .filter(|c| c.chars().any(|ch| ch.is_ascii_digit()))
                .take(3)
                .map(|c| gist(c, 10))
                .collect();
            let shown = if measured.is_empty() {
                first
            } else {
                measured.join("; ")
            };
            with_gist(
                "Close with a measurable outcome (numbers, before and after) and what changed afterwards",
                &shown,
            )
        }
    }
}

fn with_gist(lead: &str, gist: &str) -> String {
    if gist.is_empty() {
        format!("{lead}.")
    } else if gist.ends_with('…') {
        format!("{lead} — in the model story: {gist}")
    } else {
        format!("{lead} — in the model story: {gist}.")
    }
}

/// The first `max` words of a sentence, lowercased at the start, without a final stop.
pub(crate) fn gist(sentence: &str, max: usize) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut out = words[..words.len().min(max)].join(" ");
    if words.len() > max {
        out.push('…');
    }
    let out = out.trim_end_matches(['.', ':', ';', ',']).to_string();
    let mut chars = out.chars();
    match chars.next() {
        Some(c)
            if !out.starts_with("I ") && !out.chars().nth(1).is_some_and(char::is_uppercase) =>
        {
            c.to_lowercase().collect::<String>() + chars.as_str()
        }
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Situation: A database migration script I reviewed and approved caused a 3-hour outage affecting 100K+ users.\n\nTask: I needed to resolve the immediate crisis, restore service, and prevent similar incidents.\n\nAction: I:\n\n- Immediately assembled the incident response team and led the war room\n- Conducted a blameless post-mortem within 48 hours\n- Implemented automated migration testing and staged rollout procedures\n\nResult: Service was restored within 3 hours with 99.8% data integrity. The new processes prevented similar incidents.";

    #[test]
    fn splits_labelled_story() {
        assert!(looks_like_star(STORY));
        let got = elements(STORY, &HashSet::new());
        assert_eq!(got.len(), 4);
        assert!(got[0].reference.starts_with("A database migration script"));
        assert!(got[1].reference.starts_with("I needed to resolve"));
        assert_eq!(got[2].reference.lines().count(), 3, "{}", got[2].reference);
        assert!(
            got[3].expects.contains("99.8% data integrity"),
            "{}",
            got[3].expects
        );
        assert!(
            got[2].terms.iter().any(|t| t.contains("post-mortem")),
            "{:?}",
            got[2].terms
        );
        assert!(got.iter().all(|e| !e.terms.is_empty()));
    }

    #[test]
    fn unlabelled_story_is_split_by_cues() {
        let story =
            "Our checkout kept timing out during sales. I needed to fix it before Black Friday. \
                     I profiled the service and added a cache. Latency dropped by 60%.";
        assert!(!looks_like_star(story));
        let got = elements(story, &HashSet::new());
        assert!(got[0].reference.contains("checkout"));
        assert!(got[1].reference.contains("needed to"));
        assert!(got[2].reference.contains("profiled"));
        assert!(got[3].reference.contains("60%"));
    }
}
