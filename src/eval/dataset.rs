//! Human-graded answers from a JSONL file: one answer per line, with its question and the human
//! grade. Bad lines are collected (with their line number) instead of stopping the run.
//!
//! A line names its question in one of two ways:
//! - `question` alone: a bank id (`pse/dsa/1`) or the exact text of a bank question;
//! - `question` + `reference` (or `references`, first one used): any question with a reference
//!   answer, graded against a rubric built from the reference.
//!
//! The grade is a number `score` (any scale), or a `label` where `correct` is the positive
//! class (`label_2way` wins over `label` when both are present). `qid` optionally names the
//! question for per-question figures; otherwise the question text (or bank id) does.
//!
//! A line may instead say what it deserves: `expected_min` and `expected_max` (0–100), with a
//! `variant` (`tier3`, `negated`, `off_topic`…) and a `tier` (0–4 for tier answers), and the bank
//! question's `id`. Its human grade is then the middle of the range, and `hone eval` also reports
//! the figures of [`super::expected`] (ranges, tier order, low variants).

use std::path::Path;

use serde::Deserialize;

use crate::InputError;

/// How a line names its question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QuestionRef {
    /// A bank id or the exact text of a bank question.
    Bank(String),
    /// Any question with a reference answer.
    Reference {
        /// The question text.
        question: String,
        /// The reference (model) answer.
        reference: String,
    },
}

/// The human grade of one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HumanGrade {
    /// A number on the file's own scale.
    Score(f64),
    /// A two-way label: `true` when correct.
    Label(bool),
}

impl HumanGrade {
    /// The grade as a number: the score, or 1/0 for correct/not.
    pub fn value(self) -> f64 {
        match self {
            HumanGrade::Score(s) => s,
            HumanGrade::Label(correct) => f64::from(u8::from(correct)),
        }
    }
}

/// One human-graded answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based line number in the file.
    pub line: usize,
    /// Key grouping answers to the same question (`qid`, else the question).
    pub group: String,
    /// The question.
    pub question: QuestionRef,
    /// The candidate's answer.
    pub answer: String,
    /// What the human gave it.
    pub human: HumanGrade,
    /// The range the answer deserves and what sort of answer it is, when the file says.
    pub expected: Option<Expected>,
}

/// What an answer deserves, from a file of answers written at known quality levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// What sort of answer it is: `tier0`..`tier4`, `off_topic`, `negated`, `keyword_list`…
    pub variant: String,
    /// Quality tier 0–4 for tier answers.
    pub tier: Option<u8>,
    /// Lowest fair score, 0–100.
    pub min: u8,
    /// Highest fair score, 0–100.
    pub max: u8,
}

/// A line that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// The usable answers of a file and its bad lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Answers that parsed.
    pub items: Vec<Item>,
    /// Lines that did not.
    pub bad_lines: Vec<BadLine>,
}

impl Dataset {
    /// Reads a JSONL file; a missing file is an [`InputError`] naming it. A line that is not
    /// UTF-8 is a bad line like any other; the rest still parse.
    ///
    /// `limit` keeps only the first N non-blank lines.
    pub fn load(path: &Path, limit: Option<usize>) -> Result<Dataset, InputError> {
        let bytes = std::fs::read(path).map_err(|e| {
            InputError::new(format!("cannot read {}: {e}", path.display()))
                .with_hint("pass a JSONL file of human-graded answers")
        })?;
        Ok(Dataset::parse_bytes(&bytes, limit))
    }

    /// Parses JSONL text, one answer per non-blank line.
    pub fn parse(text: &str, limit: Option<usize>) -> Dataset {
        Dataset::parse_bytes(text.as_bytes(), limit)
    }

    /// Parses JSONL bytes line by line, so one line in another encoding spoils only itself.
    pub fn parse_bytes(bytes: &[u8], limit: Option<usize>) -> Dataset {
        let mut dataset = Dataset::default();
        let lines = bytes
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .enumerate()
            .filter(|(_, l)| !l.trim_ascii().is_empty())
            .take(limit.unwrap_or(usize::MAX));
        for (index, raw) in lines {
            let line = index + 1;
            let parsed = std::str::from_utf8(raw)
                .map_err(|_| "not UTF-8 text (save the file as UTF-8)".to_string())
                .and_then(parse_line);
            match parsed {
                Ok((group, question, answer, human, expected)) => dataset.items.push(Item {
                    line,
                    group,
                    question,
                    answer,
                    human,
                    expected,
                }),
                Err(message) => dataset.bad_lines.push(BadLine { line, message }),
            }
        }
        dataset
    }

    /// Whether every item has a two-way label (so ROC AUC applies).
    pub fn all_labelled(&self) -> bool {
        !self.items.is_empty()
            && self
                .items
                .iter()
                .all(|i| matches!(i.human, HumanGrade::Label(_)))
    }
}

/// The fields hone reads from a line; others are ignored.
#[derive(Debug, Deserialize)]
struct RawLine {
    qid: Option<serde_json::Value>,
    id: Option<String>,
    variant: Option<String>,
    tier: Option<serde_json::Value>,
    expected_min: Option<serde_json::Value>,
    expected_max: Option<serde_json::Value>,
    question: Option<String>,
    reference: Option<String>,
    references: Option<Vec<String>>,
    answer: Option<String>,
    score: Option<serde_json::Value>,
    label: Option<String>,
    label_2way: Option<String>,
}

type Parsed = (String, QuestionRef, String, HumanGrade, Option<Expected>);

/// Parses one line, or says what is wrong with it.
fn parse_line(raw: &str) -> Result<Parsed, String> {
    let line: RawLine = serde_json::from_str(raw).map_err(|e| format!("malformed JSON ({e})"))?;
    let expected = expected(&line)?;
    let question = line
        .question
        .filter(|q| !q.trim().is_empty())
        .ok_or("missing field `question` (a bank id or the question text)")?;
    let answer = line
        .answer
        .ok_or("missing field `answer` (the candidate's answer)")?;
    let reference = line
        .reference
        .or_else(|| line.references.and_then(|r| r.into_iter().next()))
        .filter(|r| !r.trim().is_empty());
    let human = match (
        &expected,
        line.score.as_ref(),
        line.label_2way.as_ref().or(line.label.as_ref()),
    ) {
        (Some(e), None, None) => HumanGrade::Score((f64::from(e.min) + f64::from(e.max)) / 2.0),
        _ => human_grade(line.score, line.label_2way.or(line.label))?,
    };
    let id = line.id.filter(|id| !id.trim().is_empty());
    let group = match line.qid {
        Some(serde_json::Value::String(s)) => s,
        Some(v) if !v.is_null() => v.to_string(),
        _ => id.clone().unwrap_or_else(|| question.clone()),
    };
    let question = match reference {
        Some(reference) => QuestionRef::Reference {
            question,
            reference,
        },
        None => QuestionRef::Bank(id.unwrap_or(question)),
    };
    Ok((group, question, answer, human, expected))
}

/// The expected range and variant, when the line gives `expected_min` and `expected_max`.
fn expected(line: &RawLine) -> Result<Option<Expected>, String> {
    let bound = |name: &str, value: &Option<serde_json::Value>| -> Result<Option<u8>, String> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|x| (0.0..=100.0).contains(x))
                .map(|x| Some(x.round() as u8))
                .ok_or_else(|| format!("field `{name}` must be a number from 0 to 100, found {v}")),
        }
    };
    let (min, max) = match (
        bound("expected_min", &line.expected_min)?,
        bound("expected_max", &line.expected_max)?,
    ) {
        (Some(min), Some(max)) if min <= max => (min, max),
        (Some(min), Some(max)) => {
            return Err(format!(
                "`expected_min` ({min}) is above `expected_max` ({max})"
            ))
        }
        (None, None) => return Ok(None),
        _ => return Err("give both `expected_min` and `expected_max`, or neither".into()),
    };
    let tier = match &line.tier {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|t| *t <= 4)
                .map(|t| t as u8)
                .ok_or_else(|| format!("field `tier` must be 0 to 4, found {v}"))?,
        ),
    };
    let variant = line
        .variant
        .clone()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| tier.map(|t| format!("tier{t}")))
        .unwrap_or_else(|| "unlabelled".to_string());
    Ok(Some(Expected {
        variant,
        tier,
        min,
        max,
    }))
}

/// The human grade from `score` (a number) or a label (`correct` is positive).
fn human_grade(
    score: Option<serde_json::Value>,
    label: Option<String>,
) -> Result<HumanGrade, String> {
    match (score, label) {
        (Some(value), _) if !value.is_null() => value
            .as_f64()
            .filter(|s| s.is_finite())
            .map(HumanGrade::Score)
            .ok_or_else(|| format!("field `score` must be a number, found {value}")),
        (_, Some(label)) => Ok(HumanGrade::Label(
            label.trim().eq_ignore_ascii_case("correct"),
        )),
        _ => Err(
            "missing human grade: give `score` (a number) or `label` (correct/incorrect)".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reference_lines_with_scores_and_groups_by_qid() {
        let text =
            r#"{"qid": "1.1", "question": "Q?", "reference": "R.", "answer": "A.", "score": 3.5}"#;
        let data = Dataset::parse(text, None);
        assert_eq!(data.bad_lines, vec![]);
        let item = &data.items[0];
        assert_eq!(item.group, "1.1");
        assert_eq!(
            item.question,
            QuestionRef::Reference {
                question: "Q?".into(),
                reference: "R.".into()
            }
        );
        assert_eq!(item.human, HumanGrade::Score(3.5));
    }

    #[test]
    fn two_way_label_wins_and_only_correct_is_positive() {
        let text = "{\"question\": \"pse/dsa/1\", \"answer\": \"x\", \"label\": \"contradictory\", \"label_2way\": \"incorrect\"}\n\
                    {\"question\": \"pse/dsa/1\", \"answer\": \"y\", \"label\": \"Correct\"}";
        let data = Dataset::parse(text, None);
        assert_eq!(data.items[0].human, HumanGrade::Label(false));
        assert_eq!(data.items[1].human, HumanGrade::Label(true));
        assert_eq!(
            data.items[0].question,
            QuestionRef::Bank("pse/dsa/1".into())
        );
        assert_eq!(data.items[0].group, "pse/dsa/1");
        assert!(data.all_labelled());
    }

    #[test]
    fn bad_lines_are_collected_with_line_numbers_and_the_rest_parse() {
        let text = [
            r#"{"question": "q", "answer": "a", "score": 1}"#,
            "not json",
            "",
            r#"{"answer": "a", "score": 1}"#,
            r#"{"question": "q", "score": 1}"#,
            r#"{"question": "q", "answer": "a"}"#,
            r#"{"question": "q", "answer": "a", "score": "high"}"#,
            r#"{"question": "q", "answer": "a", "score": 0}"#,
        ]
        .join("\n");
        let data = Dataset::parse(&text, None);
        assert_eq!(data.items.len(), 2);
        let bad: Vec<usize> = data.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(bad, vec![2, 4, 5, 6, 7]);
        assert!(data.bad_lines[0].message.starts_with("malformed JSON"));
        assert!(data.bad_lines[1].message.contains("`question`"));
        assert!(data.bad_lines[2].message.contains("`answer`"));
        assert!(data.bad_lines[3].message.contains("human grade"));
        assert!(data.bad_lines[4].message.contains("number"));
    }

    #[test]
    fn limit_counts_non_blank_lines() {
        let text = "\n{\"question\":\"q\",\"answer\":\"a\",\"score\":1}\n\nnope\n{\"question\":\"q\",\"answer\":\"b\",\"score\":2}";
        let data = Dataset::parse(text, Some(2));
        assert_eq!(data.items.len(), 1);
        assert_eq!(data.bad_lines.len(), 1);
        assert_eq!(data.bad_lines[0].line, 4);
    }

    #[test]
    fn a_line_in_another_encoding_is_one_bad_line() {
        let mut bytes = b"{\"question\":\"q\",\"answer\":\"a\",\"score\":1}\r\n".to_vec();
        bytes.extend_from_slice(b"{\"question\":\"q\",\"answer\":\"caf\xe9\",\"score\":1}\n");
        bytes.extend_from_slice(b"{\"question\":\"q\",\"answer\":\"b\",\"score\":2}\n");
        let data = Dataset::parse_bytes(&bytes, None);
        assert_eq!(data.items.len(), 2);
        assert_eq!(data.items[1].line, 3);
        assert_eq!(data.bad_lines.len(), 1);
        assert_eq!(data.bad_lines[0].line, 2);
        assert!(data.bad_lines[0].message.starts_with("not UTF-8 text"));
    }

    #[test]
    fn an_expected_range_is_the_grade_and_the_id_names_the_question() {
        let text = [
            r#"{"id": "pse/dsa/1", "question": "Explain LRU", "variant": "tier3", "tier": 3, "expected_min": 65, "expected_max": 85, "answer": "a"}"#,
            r#"{"id": "pse/dsa/1", "question": "Explain LRU", "variant": "negated", "tier": null, "expected_min": 0, "expected_max": 20, "answer": "b"}"#,
            r#"{"question": "q", "answer": "a", "expected_min": 50}"#,
            r#"{"question": "q", "answer": "a", "expected_min": 60, "expected_max": 40}"#,
            r#"{"question": "q", "answer": "a", "expected_min": 0, "expected_max": 20, "tier": 7}"#,
        ]
        .join("\n");
        let data = Dataset::parse(&text, None);
        assert_eq!(data.items.len(), 2);
        let first = &data.items[0];
        assert_eq!(first.question, QuestionRef::Bank("pse/dsa/1".into()));
        assert_eq!(first.group, "pse/dsa/1");
        assert_eq!(first.human, HumanGrade::Score(75.0));
        assert_eq!(
            first.expected,
            Some(Expected {
                variant: "tier3".into(),
                tier: Some(3),
                min: 65,
                max: 85
            })
        );
        let second = data.items[1].expected.as_ref().unwrap();
        assert_eq!((second.variant.as_str(), second.tier), ("negated", None));
        let messages: Vec<&str> = data.bad_lines.iter().map(|b| b.message.as_str()).collect();
        assert!(messages[0].contains("both"), "{messages:?}");
        assert!(messages[1].contains("above"), "{messages:?}");
        assert!(messages[2].contains("`tier`"), "{messages:?}");
    }
}
