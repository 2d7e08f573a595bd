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
                Ok((group, question, answer, human)) => dataset.items.push(Item {
                    line,
                    group,
                    question,
                    answer,
                    human,
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
    question: Option<String>,
    reference: Option<String>,
    references: Option<Vec<String>>,
    answer: Option<String>,
    score: Option<serde_json::Value>,
    label: Option<String>,
    label_2way: Option<String>,
}

type Parsed = (String, QuestionRef, String, HumanGrade);

/// Parses one line, or says what is wrong with it.
fn parse_line(raw: &str) -> Result<Parsed, String> {
    let line: RawLine = serde_json::from_str(raw).map_err(|e| format!("malformed JSON ({e})"))?;
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
    let human = human_grade(line.score, line.label_2way.or(line.label))?;
    let group = match line.qid {
        Some(serde_json::Value::String(s)) => s,
        Some(v) if !v.is_null() => v.to_string(),
        _ => question.clone(),
    };
    let question = match reference {
        Some(reference) => QuestionRef::Reference {
            question,
            reference,
        },
        None => QuestionRef::Bank(question),
    };
    Ok((group, question, answer, human))
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
}
