//! One batch result: where the answer came from, what was asked, and its grade or error.
//!
//! The same record is a line of the results file (JSONL, appended as grades finish) and an
//! element of `records` in the JSON report. Its shape is versioned ([`SCHEMA_VERSION`]) and
//! documented in `docs/batch-schema.json`; `grade` is [`Grade`]'s own serde shape.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::item::{AnswerItem, InputFailure, Source};
use super::key::AnswerKey;
use crate::bank::Kind;
use crate::grade::{Coverage, ElementStatus, Grade};

/// Version of the record and report shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Whether the answer was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Graded; `grade` is set.
    Graded,
    /// Not graded; `error` says why.
    Error,
}

/// What the grader knew about the question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionInfo {
    /// Resolved id: a bank id, or `adhoc:<hash>` for a reference-built rubric.
    pub id: String,
    /// The question text.
    pub text: String,
    /// Section title in the bank, e.g. `System Design` (`Ad hoc` for reference-built rubrics).
    pub section: String,
    /// Question kind.
    pub kind: Kind,
}

/// One answer's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Shape version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Hex hash of question, answer and candidate: the resume and shard key.
    pub key: String,
    /// Where the answer came from.
    pub source: Source,
    /// Who wrote it, when known.
    pub candidate: Option<String>,
    /// The question as written in the input.
    pub question: String,
    /// Resolved question id (bank id or `adhoc:<hash>`), when the question was found.
    pub question_id: Option<String>,
    /// The question text, when the question was found.
    pub question_text: Option<String>,
    /// Bank section title, when the question was found.
    pub section: Option<String>,
    /// Question kind, when the question was found.
    pub kind: Option<Kind>,
    /// The answer text as graded.
    pub answer: String,
    /// Extra JSONL fields, passed through untouched.
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// Graded or error.
    pub status: Status,
    /// Why the answer was not graded (error rows only).
    pub error: Option<String>,
    /// Version of the grading algorithm that produced `grade`.
    pub grader_version: Option<String>,
    /// Fingerprint of how `grade` was made: grader version, calibration, rubric and term
    /// weights, and the LLM judge's model, endpoint, prompt and samples (or local only).
    /// `--resume` reuses a row only when it matches the fingerprint of the run resuming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graded_with: Option<String>,
    /// The grade (graded rows only).
    pub grade: Option<Grade>,
}

impl Record {
    /// A graded record.
    pub fn graded(item: &AnswerItem, question: &QuestionInfo, grade: Grade) -> Record {
        Record {
            grader_version: Some(crate::grade::GRADER_VERSION.to_string()),
            grade: Some(grade),
            status: Status::Graded,
            ..Self::base(item, Some(question))
        }
    }

    /// An error record for an answer that could not be graded.
    pub fn answer_error(
        item: &AnswerItem,
        question: Option<&QuestionInfo>,
        error: String,
    ) -> Record {
        Record {
            error: Some(error),
            ..Self::base(item, question)
        }
    }

    /// An error record for a row or file that never became an answer.
    pub fn input_error(failure: &InputFailure) -> Record {
        Record {
            schema_version: SCHEMA_VERSION,
            key: AnswerKey::of_failure(failure).to_hex(),
            source: failure.source.clone(),
            candidate: failure.candidate.clone(),
            question: failure.question.clone().unwrap_or_default(),
            question_id: None,
            question_text: None,
            section: None,
            kind: None,
            answer: String::new(),
            fields: Map::new(),
            status: Status::Error,
            error: Some(failure.message.clone()),
            grader_version: None,
            graded_with: None,
            grade: None,
        }
    }

    fn base(item: &AnswerItem, question: Option<&QuestionInfo>) -> Record {
        Record {
            schema_version: SCHEMA_VERSION,
            key: AnswerKey::of_answer(item).to_hex(),
            source: item.source.clone(),
            candidate: item.candidate.clone(),
            question: item.question.clone(),
            question_id: question.map(|q| q.id.clone()),
            question_text: question.map(|q| q.text.clone()),
            section: question.map(|q| q.section.clone()),
            kind: question.map(|q| q.kind),
            answer: item.answer.clone(),
            fields: item.fields.clone(),
            status: Status::Error,
            error: None,
            grader_version: None,
            graded_with: None,
            grade: None,
        }
    }

    /// The score, for graded rows.
    pub fn score(&self) -> Option<f64> {
        self.grade.as_ref().map(|g| g.score)
    }

    /// Whether the answer passes `min_score`: `None` for error rows, `Some(true)` when no threshold.
    pub fn passed(&self, min_score: Option<f64>) -> Option<bool> {
        let score = self.score()?;
        Some(min_score.is_none_or(|min| score >= min))
    }

    /// A short name for the answer: the bank id (or the start of the question) and the candidate.
    pub fn title(&self) -> String {
        let question = self.question_label();
        let question = if question.is_empty() {
            "(no question)".to_string()
        } else {
            question
        };
        match &self.candidate {
            Some(c) => format!("{question} ({c})"),
            None => question.to_string(),
        }
    }

    /// What the answer missed: key-point labels in rubric order, then missing STAR elements
    /// (`STAR: Action`) of a behavioural answer.
    pub fn missing_points(&self) -> Vec<String> {
        let Some(grade) = &self.grade else {
            return Vec::new();
        };
        let points = grade
            .points
            .iter()
            .filter(|p| p.coverage == Coverage::Missing)
            .map(|p| p.label.clone());
        let star = grade
            .star
            .iter()
            .flat_map(|s| &s.elements)
            .filter(|e| e.status == ElementStatus::Missing)
            .map(|e| format!("STAR: {}", e.part.title()));
        points.chain(star).collect()
    }

    /// The question as people read it: the bank id, or the start of the question text for a
    /// rubric built from a reference answer.
    pub fn question_label(&self) -> String {
        match self.question_id.as_deref() {
            Some(id) if !id.starts_with("adhoc:") => id.to_string(),
            _ => shorten(&self.question, 60),
        }
    }
}

/// The first `max` characters of `text` (on one line), with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{StarCheck, StarReport};
    use crate::report::fixtures::graded;
    use crate::rubric::StarPart;

    #[test]
    fn missing_lists_key_points_then_star_elements() {
        let mut record = graded("a.md", 1, 30.0);
        let grade = record.grade.as_mut().unwrap();
        grade.star = Some(StarReport {
            elements: StarPart::ALL
                .iter()
                .map(|&part| StarCheck {
                    part,
                    status: if part == StarPart::Result {
                        ElementStatus::Missing
                    } else {
                        ElementStatus::Present
                    },
                    span: None,
                    evidence: None,
                })
                .collect(),
            first_person_share: 1.0,
            measurable_result: false,
            competencies: vec![],
        });
        assert_eq!(
            record.missing_points(),
            ["doubly linked list <order>", "STAR: Result"]
        );
    }

    #[test]
    fn adhoc_questions_are_labelled_by_their_text() {
        let mut record = graded("a.md", 1, 30.0);
        assert_eq!(record.question_label(), "pse/dsa/1");
        record.question_id = Some("adhoc:12345678".into());
        record.question = "Explain, in a few words, why caches need an eviction policy at all and which one you would pick".into();
        let label = record.question_label();
        assert!(
            label.starts_with("Explain, in a few words") && label.ends_with('…'),
            "{label}"
        );
        assert!(label.chars().count() <= 60);
    }
}
