//! STAR elements of a behavioural model story: the Situation, Task, Action and Result text
//! (from `Situation:`-style labels, or by sentence cues when the story has none), what each
//! element should contain phrased for a candidate, and the terms that show it.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::rubric::{doc, terms, StarElement, StarPart};
use crate::text;

/// Whether `text` is written as a STAR story (at least three of the four labels).
pub fn looks_like_star(text: &str) -> bool {
    let found: HashSet<StarPart> = labels(text).into_iter().map(|(p, _, _)| p).collect();
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

/// `(part, label start, text start)` of each STAR label in `text`.
fn labels(text: &str) -> Vec<(StarPart, usize, usize)> {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let re = LABEL.get_or_init(|| {
        Regex::new(
            r"(?mi)^[ \t]*(?:[-*•][ \t]*)?\**[ \t]*(situation|task|actions?|results?|outcome)[ \t]*\**[ \t]*:[ \t]*\**",
        )
        .unwrap()
    });
    re.captures_iter(text)
        .map(|c| {
            let word = c[1].to_lowercase();
            let part = match word.as_str() {
                "situation" => StarPart::Situation,
                "task" => StarPart::Task,
                "action" | "actions" => StarPart::Action,
                _ => StarPart::Result,
            };
            let whole = c.get(0).expect("group 0");
            (part, whole.start(), whole.end())
        })
        .collect()
}

/// The raw text of each part, Situation to Result (empty when the story lacks it).
fn split_parts(story: &str) -> [String; 4] {
    let found = labels(story);
    let mut parts: [String; 4] = Default::default();
    if found.len() >= 2 {
        for (i, &(part, _, text_start)) in found.iter().enumerate() {
            let end = found.get(i + 1).map_or(story.len(), |n| n.1);
            let body = story[text_start..end].trim();
            // "Action: I:" followed by bullets.
            let body = body.strip_prefix("I:").unwrap_or(body).trim();
            let slot = &mut parts[part as usize];
            if !slot.is_empty() {
                slot.push('\n');
            }
            slot.push_str(body);
        }
        return parts;
    }
    by_cues(story)
}

/// Splits an unlabelled story by sentence cues: the opening is the situation, "needed to" /
/// "responsible for" sentences the task, closing outcome sentences the result, the rest action.
fn by_cues(story: &str) -> [String; 4] {
    let sentences: Vec<&str> = text::sentences(story)
        .into_iter()
        .map(|(s, e)| &story[s..e])
        .collect();
    let mut parts: [Vec<&str>; 4] = Default::default();
    let n = sentences.len();
    let mut result_from = n;
    while result_from > 1 && is_result(sentences[result_from - 1]) {
        result_from -= 1;
    }
    if result_from == n && n >= 3 {
        result_from = n - 1;
    }
    for (i, s) in sentences.iter().enumerate() {
        let part = if i == 0 {
            StarPart::Situation
        } else if i >= result_from {
            StarPart::Result
        } else if is_task(s) && parts[StarPart::Action as usize].is_empty() {
            StarPart::Task
        } else {
            StarPart::Action
        };
        parts[part as usize].push(s);
    }
    parts.map(|p| p.join(" "))
}

fn is_task(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "needed to",
        "had to",
        "responsible for",
        "my goal",
        "the goal",
        "asked to",
        "my job",
        "my task",
    ]
    .iter()
    .any(|cue| lower.contains(cue))
}

fn is_result(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    sentence.chars().any(|c| c.is_ascii_digit())
        || [
            "result",
            "outcome",
            "reduced",
            "increased",
            "improved",
            "saved",
            "delivered",
            "achieved",
            "succeeded",
            "became",
        ]
        .iter()
        .any(|cue| lower.contains(cue))
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
