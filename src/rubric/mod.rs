//! Rubrics: the key points (or STAR elements) a good answer covers, pulled from a model answer.
//!
//! One human-readable TOML file per question under `rubrics/<bank>/`. Extraction lives in
//! `extract`, the TOML store (embedded defaults, on-disk overrides, drift check) in `store`.

pub mod claims;
pub mod competencies;
mod doc;
pub mod extract;
mod label;
pub mod star;
pub mod store;
mod terms;

use serde::{Deserialize, Serialize};

use crate::bank::Kind;

/// The rubric for one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// The question id this rubric grades (`pse/dsa/1`), or `adhoc` for on-the-fly rubrics.
    pub id: String,
    /// The question text (used for "question demoting": words copied from it earn nothing).
    pub question: String,
    /// Question kind; behavioural rubrics are graded as STAR stories.
    pub kind: Kind,
    /// Set by a human who edited this file: `hone rubric check` then skips the drift check.
    #[serde(default)]
    pub hand_edited: bool,
    /// Key points a good answer covers (technical questions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<KeyPoint>,
    /// Complexity claims stated by the model answer, so a wrong bound can be caught.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ComplexityClaim>,
    /// Situation / Task / Action / Result (behavioural questions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub star: Vec<StarElement>,
    /// Competencies the model story demonstrates (behavioural questions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<Competency>,
    /// Built on the fly from someone's reference answer (`extract::from_reference`), not a bank
    /// question's rubric: graded with uniform term weights and the reference calibration,
    /// whatever its id. Never stored in rubric files.
    #[serde(skip)]
    pub built_from_reference: bool,
}

/// What sort of idea a key point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// An idea or principle.
    Concept,
    /// A complexity claim such as "O(1) get".
    Complexity,
    /// A named technology (Redis, Kafka, Raft).
    Technology,
    /// An idea expressed in the model answer's code.
    Code,
    /// A number that matters (99.9%, 12 months).
    Number,
}

/// One key point of a technical rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPoint {
    /// Short label a person reads ("hash map for O(1) lookup").
    pub label: String,
    /// The model-answer sentence(s) the point comes from.
    pub reference: String,
    /// Terms whose presence shows the point is covered (matched stemmed, with synonyms).
    pub terms: Vec<String>,
    /// Relative weight; emphasis in the model answer raises it.
    pub weight: f64,
    /// What sort of idea this is.
    pub kind: PointKind,
}

/// A structured complexity fact: `operation` runs in `bound`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplexityClaim {
    /// The operation, e.g. `get`, `insert`, `search` (empty when the claim is for the whole thing).
    pub operation: String,
    /// Normalised bound, e.g. `O(1)`, `O(log n)`, `O(n log n)`.
    pub bound: String,
}

/// One of Situation, Task, Action, Result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StarPart {
    /// The context.
    Situation,
    /// What the speaker had to achieve.
    Task,
    /// What the speaker did.
    Action,
    /// The outcome, ideally measured.
    Result,
}

impl StarPart {
    /// The four parts in story order.
    pub const ALL: [StarPart; 4] = [
        StarPart::Situation,
        StarPart::Task,
        StarPart::Action,
        StarPart::Result,
    ];

    /// Capitalised name, e.g. `Situation`.
    pub fn title(self) -> &'static str {
        match self {
            StarPart::Situation => "Situation",
            StarPart::Task => "Task",
            StarPart::Action => "Action",
            StarPart::Result => "Result",
        }
    }
}

/// What one STAR element of a behavioural answer should contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarElement {
    /// Which element.
    pub part: StarPart,
    /// What this element should contain, in words a candidate can act on.
    pub expects: String,
    /// The model story's text for this element.
    pub reference: String,
    /// Terms that show the element is there.
    pub terms: Vec<String>,
}

/// A competency a behavioural story demonstrates ("blameless post-mortem").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    /// Name a person reads.
    pub name: String,
    /// Terms that show it in an answer.
    pub terms: Vec<String>,
}
