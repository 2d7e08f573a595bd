//! Behavioural answers as STAR stories: segments the answer into Situation / Task / Action /
//! Result (by labels when the candidate wrote them, otherwise by cues such as "at my previous
//! company", "I needed to", "I built", "as a result"), rates each element present / thin /
//! missing, and measures first-person actions and a measurable result.

use crate::rubric::star::{self, leading_label};
use crate::rubric::StarPart;

use super::analysis::Analysed;
use super::{ElementStatus, StarCheck};

/// Specific content words an element needs to count as present (fewer: thin).
const PRESENT_WORDS: usize = 6;
/// Specific content words below which an element counts as missing.
const THIN_WORDS: usize = 2;

/// Words too generic to give an element substance ("there was a problem, I fixed it").
const GENERIC: &[&str] = &[
    "problem", "issu", "thing", "fix", "work", "good", "great", "team", "project", "situat",
    "task", "action", "result", "stuff", "happen", "help", "well", "time", "lot", "differ", "done",
    "made", "make", "got", "get", "went", "go", "tri", "need", "handl", "solv", "deal", "took",
    "ok", "fine", "success", "better",
];

/// The STAR segmentation of an answer.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// Part of each sentence (by sentence index).
    pub parts: Vec<StarPart>,
    /// Whether the candidate wrote explicit labels.
    pub labelled: bool,
    /// Labels written with (almost) nothing after them.
    pub empty_labels: Vec<StarPart>,
    /// Whether any sentence is told in the past tense; without it the answer is a general
    /// claim, not a story, and no element counts as fully present.
    pub told_as_story: bool,
}

/// Assigns every sentence of the answer to a STAR part (the segmenter rubric extraction uses
/// too), and finds labels with (almost) nothing after them.
pub fn segment(text: &str, answer: &Analysed) -> Segmentation {
    let story = star::segment_sentences(text, &answer.sentences);
    let mut empty_labels = Vec::new();
    if story.labelled {
        for part in StarPart::ALL {
            let has_label = story.labels.iter().flatten().any(|(p, _)| *p == part);
            if has_label
                && specific_words(text, answer, &story.parts, part, &story.labels) < THIN_WORDS
            {
                empty_labels.push(part);
            }
        }
    }
    Segmentation {
        parts: story.parts,
        labelled: story.labelled,
        empty_labels,
        told_as_story: story.told_as_story,
    }
}

/// Specific (non-generic) content words in a part, label words left out.
fn specific_words(
    text: &str,
    answer: &Analysed,
    parts: &[StarPart],
    part: StarPart,
    labels: &[Option<(StarPart, usize)>],
) -> usize {
    answer
        .content()
        .filter(|w| parts.get(w.sentence) == Some(&part))
        .filter(|w| {
            let (s, _) = answer.sentences[w.sentence];
            let label_end = labels[w.sentence].map_or(0, |(_, len)| s + len);
            w.span.0 >= label_end
        })
        .filter(|w| !GENERIC.contains(&w.key.trim_start_matches('~')))
        .filter(|w| !text[w.span.0..w.span.1].is_empty())
        .count()
}

/// Rates each STAR element of a segmented answer.
pub fn check(text: &str, answer: &Analysed, seg: &Segmentation) -> Vec<StarCheck> {
    let labels: Vec<Option<(StarPart, usize)>> = answer
        .sentences
        .iter()
        .map(|&(s, e)| {
            if seg.labelled {
                leading_label(&text[s..e])
            } else {
                None
            }
        })
        .collect();
    StarPart::ALL
        .iter()
        .map(|&part| {
            let idx: Vec<usize> = (0..seg.parts.len())
                .filter(|&i| seg.parts[i] == part)
                .collect();
            let words = specific_words(text, answer, &seg.parts, part, &labels);
            let status = if words >= PRESENT_WORDS && seg.told_as_story {
                ElementStatus::Present
            } else if words >= THIN_WORDS {
                ElementStatus::Thin
            } else {
                ElementStatus::Missing
            };
            let span = match (idx.first(), idx.last()) {
                (Some(&a), Some(&b)) if status != ElementStatus::Missing => {
                    Some((answer.sentences[a].0, answer.sentences[b].1))
                }
                _ => None,
            };
            StarCheck {
                part,
                status,
                span,
                evidence: span.map(|(s, e)| super::evidence::snippet(&text[s..e])),
            }
        })
        .collect()
}

/// Share of first-person singular among the pronouns of the action sentences (0.5 if none).
pub fn first_person_share(text: &str, answer: &Analysed, seg: &Segmentation) -> f64 {
    let (mut me, mut we) = (0usize, 0usize);
    for (i, &(s, e)) in answer.sentences.iter().enumerate() {
        if seg.parts[i] != StarPart::Action {
            continue;
        }
        for word in text[s..e].split(|c: char| !c.is_alphanumeric() && c != '\'') {
            match word.to_lowercase().as_str() {
                "i" | "my" | "me" | "i'd" | "i've" | "i'm" | "myself" => me += 1,
                "we" | "our" | "us" | "we'd" | "we've" | "we're" | "ourselves" => we += 1,
                _ => {}
            }
        }
    }
    if me + we == 0 {
        0.5
    } else {
        me as f64 / (me + we) as f64
    }
}

/// Words that make a result measurable even without digits.
const MEASURE_WORDS: &[&str] = &[
    "percent", "half", "halved", "doubled", "tripled", "twice", "zero", "from", "hours", "days",
    "weeks", "months", "minutes", "seconds", "times",
];

/// Number words that count like digits in a result ("within three months").
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "fifty", "hundred", "thousand", "million", "billion",
    "dozen",
];

/// Whether the result part states a measurable outcome (a number, a before/after).
pub fn measurable_result(text: &str, answer: &Analysed, seg: &Segmentation) -> bool {
    answer.sentences.iter().enumerate().any(|(i, &(s, e))| {
        if seg.parts[i] != StarPart::Result {
            return false;
        }
        let lower = text[s..e].to_lowercase();
        let label_free = leading_label(&lower).map_or(lower.as_str(), |(_, len)| &lower[len..]);
        let words = || label_free.split(|c: char| !c.is_alphanumeric());
        label_free.bytes().any(|b| b.is_ascii_digit())
            || words().any(|w| NUMBER_WORDS.contains(&w))
            || label_free
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| MEASURE_WORDS.contains(w))
                .count()
                >= 2
    })
}

#[cfg(test)]
mod tests {
    use super::super::analysis::analyse;
    use super::*;

    fn statuses(text: &str) -> Vec<ElementStatus> {
        let a = analyse(text);
        let seg = segment(text, &a);
        check(text, &a, &seg).iter().map(|c| c.status).collect()
    }

    #[test]
    fn labelled_story_is_segmented_by_labels() {
        let text = "Situation: our payments service kept timing out during the holiday sales peak.\n\nTask: I needed to find the cause and stabilise checkout before Black Friday traffic arrived.\n\nAction: I profiled the service, found an unindexed query on the orders table, added the index and a read replica, and set up latency alerts.\n\nResult: p99 latency fell from 4 seconds to 300 milliseconds and checkout errors dropped by 90%.";
        assert_eq!(statuses(text), [ElementStatus::Present; 4]);
        let a = analyse(text);
        let seg = segment(text, &a);
        assert!(seg.labelled);
        assert!(measurable_result(text, &a, &seg));
        assert_eq!(first_person_share(text, &a, &seg), 1.0);
    }

    #[test]
    fn labels_without_content_are_found() {
        let text = "Situation: there was a problem.\nTask: fix it.\nAction: I fixed it.\nResult: it was fixed.";
        let a = analyse(text);
        let seg = segment(text, &a);
        assert_eq!(seg.empty_labels.len(), 4, "{:?}", seg.empty_labels);
        assert!(statuses(text).iter().all(|s| *s == ElementStatus::Missing));
    }

    #[test]
    fn unlabelled_story_is_segmented_by_cues() {
        let text = "At my previous company the nightly billing batch kept failing and finance could not close the month. I needed to make the batch reliable within two weeks without stopping invoicing. I rewrote the job to process accounts in idempotent chunks, added retries with backoff and built a dashboard for the finance team. As a result the batch has not failed since, and month-end close went from five days to two.";
        let a = analyse(text);
        let seg = segment(text, &a);
        assert_eq!(
            seg.parts,
            [
                StarPart::Situation,
                StarPart::Task,
                StarPart::Action,
                StarPart::Result
            ]
        );
        assert!(measurable_result(text, &a, &seg));
    }

    #[test]
    fn a_story_without_outcome_misses_its_result() {
        let text = "At my last job our deploys took hours and often broke. I needed to make them safer. I built a canary pipeline with automatic rollback and wrote the runbook for the on-call engineers.";
        assert_eq!(statuses(text)[3], ElementStatus::Missing);
    }
}
