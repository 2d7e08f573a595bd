//! Local grading: a pure function of (rubric, answer) to a [`Grade`], with evidence.
//!
//! Submodules (owned by the grader): coverage matching, claims, STAR, guards, feedback.

pub mod calibration;

use serde::{Deserialize, Serialize};

use crate::rubric::{PointKind, Rubric, StarPart};

/// Version of the grading algorithm; recorded in reports and history.
pub const GRADER_VERSION: &str = "0.1.0";

/// Overall verdict bucket for a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Nothing was written.
    NoAnswer,
    /// Does not address the question.
    OffTopic,
    /// Misses most key points.
    Weak,
    /// Covers some key points.
    Partial,
    /// Covers most key points.
    Good,
    /// Covers the key points with substance.
    Strong,
}

impl Band {
    /// Human-readable name, e.g. `off-topic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::NoAnswer => "no answer",
            Band::OffTopic => "off-topic",
            Band::Weak => "weak",
            Band::Partial => "partial",
            Band::Good => "good",
            Band::Strong => "strong",
        }
    }
}

/// How well one key point (or STAR element) is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Clearly covered.
    Covered,
    /// Touched on, not fully.
    Partial,
    /// Not found.
    Missing,
}

/// The grade of one key point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointGrade {
    /// The key point's label.
    pub label: String,
    /// The key point's kind.
    pub kind: PointKind,
    /// The key point's weight in the rubric.
    pub weight: f64,
    /// Covered, partial or missing.
    pub coverage: Coverage,
    /// Match strength in 0..=1.
    pub strength: f64,
    /// The sentence of the answer that covers it, quoted.
    pub evidence: Option<String>,
}

/// An answer's claim that contradicts the rubric (e.g. says O(n) where the rubric says O(1)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimError {
    /// The operation the claim is about.
    pub operation: String,
    /// What the rubric says.
    pub expected: String,
    /// What the answer says.
    pub found: String,
    /// The sentence of the answer making the claim.
    pub evidence: String,
}

/// Presence of one STAR element in a behavioural answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementStatus {
    /// There with substance.
    Present,
    /// There but thin.
    Thin,
    /// Not there.
    Missing,
}

/// One STAR element as found in the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarCheck {
    /// Which element.
    pub part: StarPart,
    /// Present, thin or missing.
    pub status: ElementStatus,
    /// Byte span of the element in the answer, when found.
    pub span: Option<(usize, usize)>,
    /// A quote of the element's text.
    pub evidence: Option<String>,
}

/// STAR analysis of a behavioural answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarReport {
    /// The four elements in order.
    pub elements: Vec<StarCheck>,
    /// Share of actions told in the first person singular ("I") rather than "we", 0..=1.
    pub first_person_share: f64,
    /// Whether the result is measurable (numbers, before/after).
    pub measurable_result: bool,
    /// Rubric competencies and whether the answer shows them.
    pub competencies: Vec<CompetencyCheck>,
}

/// Whether one competency shows in the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyCheck {
    /// Competency name.
    pub name: String,
    /// Shown or not.
    pub shown: bool,
    /// Quote that shows it.
    pub evidence: Option<String>,
}

/// Something about the answer that the grader flags (gaming, injection, truncation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Machine-readable code, e.g. `keyword_stuffing`, `question_pasted`, `injection`.
    pub code: String,
    /// One sentence for a person, saying why.
    pub message: String,
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// The rubric's question id.
    pub question_id: String,
    /// Score 0..=100.
    pub score: f64,
    /// Band for the score.
    pub band: Band,
    /// Per key point coverage with evidence (technical questions).
    pub points: Vec<PointGrade>,
    /// STAR analysis (behavioural questions).
    pub star: Option<StarReport>,
    /// Claims contradicting the rubric.
    pub claim_errors: Vec<ClaimError>,
    /// Gaming, injection, truncation and other flags.
    pub flags: Vec<Flag>,
    /// The 2–3 changes that would raise the score most, most valuable first.
    pub improvements: Vec<String>,
}

/// Grades `answer` against `rubric` with local checks only.
///
/// Placeholder until the local grader lands: plain term overlap per key point.
pub fn grade(rubric: &Rubric, answer: &str) -> Grade {
    let lower = answer.to_lowercase();
    let points: Vec<PointGrade> = rubric
        .key_points
        .iter()
        .map(|kp| {
            let hits = kp
                .terms
                .iter()
                .filter(|t| lower.contains(&t.to_lowercase()))
                .count();
            let strength = if kp.terms.is_empty() {
                0.0
            } else {
                hits as f64 / kp.terms.len() as f64
            };
            PointGrade {
                label: kp.label.clone(),
                kind: kp.kind,
                weight: kp.weight,
                coverage: if strength >= 0.5 {
                    Coverage::Covered
                } else if strength > 0.0 {
                    Coverage::Partial
                } else {
                    Coverage::Missing
                },
                strength,
                evidence: None,
            }
        })
        .collect();
    let total: f64 = points.iter().map(|p| p.weight).sum();
    let got: f64 = points.iter().map(|p| p.weight * p.strength).sum();
    let score = if total > 0.0 {
        100.0 * got / total
    } else {
        0.0
    };
    Grade {
        question_id: rubric.id.clone(),
        score,
        band: Band::Partial,
        points,
        star: None,
        claim_errors: Vec::new(),
        flags: Vec::new(),
        improvements: Vec::new(),
    }
}
