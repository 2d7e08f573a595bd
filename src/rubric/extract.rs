//! Deterministic, local rubric extraction from a model answer.

use crate::bank::{Kind, Question};
use crate::rubric::Rubric;

/// Extracts the rubric of a bank question from its model answer.
///
/// Placeholder until the extractor lands.
pub fn extract(question: &Question) -> Rubric {
    from_reference(
        &question.id,
        &question.text,
        &question.model_answer,
        Some(question.kind),
    )
}

/// Builds a rubric on the fly from any question and reference answer (`hone grade --question`).
///
/// Placeholder until the extractor lands.
pub fn from_reference(id: &str, question: &str, reference: &str, kind: Option<Kind>) -> Rubric {
    let _ = reference;
    Rubric {
        id: id.to_string(),
        question: question.to_string(),
        kind: kind.unwrap_or(Kind::Concept),
        hand_edited: false,
        key_points: Vec::new(),
        claims: Vec::new(),
        star: Vec::new(),
        competencies: Vec::new(),
    }
}
