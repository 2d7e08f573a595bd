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
    /// Rubric format: 1 for the original shape, 2 when points carry statements, phrasings and
    /// importance and the rubric lists misconceptions and a focus.
    #[serde(default = "format_one", skip_serializing_if = "is_format_one")]
    pub format: u32,
    /// What the question asks, and the words any on-topic answer uses (topicality check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
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
    /// Wrong claims candidates make on this question, with what detects them and the correction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<Misconception>,
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
    /// One sentence stating what a correct answer says about the point (format 2).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub statement: String,
    /// Other ways candidates make the whole point (paraphrases, code idioms, library names);
    /// one counts when all its words occur in one sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrasings: Vec<String>,
    /// How much the point matters: a missing core point keeps an answer below "good".
    #[serde(default)]
    pub importance: Importance,
}

/// How much a key point matters to a good answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// Without it the answer cannot be good.
    Core,
    /// Expected of a good answer.
    #[default]
    Supporting,
    /// Depth that marks an excellent answer.
    Bonus,
}

/// A wrong claim candidates make on a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misconception {
    /// The wrong statement, as a candidate would say it.
    pub claim: String,
    /// Cue groups: a sentence states the claim when it contains one alternative of every group
    /// (matched stemmed, with synonyms) and its negation agrees with the claim's.
    pub detect: Vec<Vec<String>>,
    /// What is actually true, shown as feedback.
    pub correction: String,
}

/// What a question asks: shown when an answer is off topic, and the words that show topicality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    /// One line: what the question asks.
    pub about: String,
    /// Words or short phrases any on-topic answer uses.
    pub terms: Vec<String>,
    /// Behavioural questions: what concrete evidence of the competency looks like.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
}

fn format_one() -> u32 {
    1
}

fn is_format_one(format: &u32) -> bool {
    *format == 1
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
