//! Local grading: a pure function of (rubric, answer) to a [`Grade`], with evidence.
//!
//! Submodules: `analysis` (text → matching keys), `prepared` (a rubric ready for many answers),
//! `matching` (coverage and similarity), `claims` (complexity bounds), `star` (behavioural
//! stories), `guards` (gaming), `signals` (named features), `evidence` (quotes and example terms),
//! `feedback` (coaching content),
//! `calibration` (signals → score), `grader` (calibration + term weights: the one way every
//! command prepares rubrics and grades).

pub mod analysis;
pub mod calibration;
pub mod caps;
pub mod claims;
pub mod correctness;
pub mod evidence;
pub mod feedback;
pub mod grader;
pub mod guards;
pub mod injection;
pub mod judge_outcome;
pub mod lexicon;
pub mod matching;
pub mod prepared;
pub mod red_flags;
pub mod signals;
pub mod star;
pub mod term_weights;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::rubric::{PointKind, Rubric, StarPart};

pub use calibration::{Calibration, Signals};
pub use grader::Grader;
pub use prepared::{Origin, PreparedRubric};
pub use term_weights::TermWeights;

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
    /// For a point not covered whose label is too short to say what to write (a heading such
    /// as "Cache Architecture"): up to three of the rubric's terms that would show it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
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

/// A sentence of the answer that states something wrong: a misconception the rubric lists, or
/// the opposite of a key point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrongClaim {
    /// `misconception` or `contradicts_point`.
    pub kind: WrongKind,
    /// What is wrong: the misconception as the rubric words it, or the key point contradicted.
    pub claim: String,
    /// What is true instead.
    pub correction: String,
    /// The answer's sentence, quoted whole.
    pub evidence: String,
}

/// The sort of a [`WrongClaim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WrongKind {
    /// A wrong claim the rubric lists.
    Misconception,
    /// A sentence that says the opposite of a key point.
    ContradictsPoint,
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
    /// Sentences stating a misconception or the opposite of a key point, with the correction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrong_claims: Vec<WrongClaim>,
    /// Gaming, injection, truncation and other flags.
    pub flags: Vec<Flag>,
    /// The 2–3 changes that would raise the score most, most valuable first.
    pub improvements: Vec<String>,
    /// What the LLM judge contributed (absent when it was not asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<judge_outcome::LlmOutcome>,
}

/// The calibration hone ships for rubrics of an origin: bank questions are scored with weights
/// fitted on the project's graded interview answers, rubrics built from a reference answer with
/// weights fitted on human-graded short answers. Each file says what it was fitted on.
pub fn shipped_calibration(origin: Origin) -> &'static Calibration {
    static BANK: OnceLock<Calibration> = OnceLock::new();
    static REFERENCE: OnceLock<Calibration> = OnceLock::new();
    let parse = |text: &str| toml::from_str(text).expect("an embedded calibration parses");
    match origin {
        Origin::Bank => BANK.get_or_init(|| parse(include_str!("bank_calibration.toml"))),
        Origin::Reference => {
            REFERENCE.get_or_init(|| parse(include_str!("reference_calibration.toml")))
        }
    }
}

/// Grades `answer` against `rubric` on its own (no catalog term weights) with local checks
/// only and the shipped calibration of the rubric's origin.
pub fn grade(rubric: &Rubric, answer: &str) -> Grade {
    let prepared = PreparedRubric::new(rubric);
    prepared.grade(answer, shipped_calibration(prepared.origin))
}

/// Grades `answer` against `rubric` with a given calibration.
pub fn grade_with(rubric: &Rubric, answer: &str, calibration: &Calibration) -> Grade {
    PreparedRubric::new(rubric).grade(answer, calibration)
}

/// The named signals of `answer` against `rubric` (what `hone calibrate` fits weights over).
pub fn signals(rubric: &Rubric, answer: &str) -> Signals {
    PreparedRubric::new(rubric).signals(answer)
}

/// Score at or above which each band starts.
const BAND_FLOORS: [(f64, Band); 4] = [
    (80.0, Band::Strong),
    (60.0, Band::Good),
    (40.0, Band::Partial),
    (15.0, Band::Weak),
];

/// The band of a score (for an answer that is not empty and not off-topic).
pub fn band_for(score: f64) -> Band {
    BAND_FLOORS
        .iter()
        .find(|(floor, _)| score >= *floor)
        .map_or(Band::Weak, |(_, band)| *band)
}

impl PreparedRubric {
    /// The named signals of one answer.
    pub fn signals(&self, answer: &str) -> Signals {
        let (text, _) = guards::truncate(answer);
        signals::measure(self, text).signals()
    }

    /// Grades one answer against this prepared rubric.
    pub fn grade(&self, answer: &str, calibration: &Calibration) -> Grade {
        if answer.trim().is_empty() {
            return self.no_answer();
        }
        let (text, truncated) = guards::truncate(answer);
        let mut m = signals::measure(self, text);
        if let Some(flag) = truncated {
            m.flags.insert(0, flag);
        }
        m.flags.extend(injection::detect(text));
        let mut score = 100.0 * calibration.apply_named(signals::name_refs(), &m.values);
        if m.flags.iter().any(|f| signals::is_gaming(&f.code)) {
            // Gamed content is already out of the credit; what is left earns only what it adds
            // over an answer with no content at all, capped.
            let zeros = vec![0.0; m.values.len()];
            let floor = 100.0 * calibration.apply_named(signals::name_refs(), &zeros);
            score = (score - floor).clamp(0.0, GAMED_CAP);
        }
        let ceilings = caps::ceilings(self, &m);
        let mut off_topic = m.off_topic;
        for (cap, flag) in ceilings {
            if score > cap {
                score = cap;
                off_topic |= flag.code == "off_topic";
                m.flags.push(flag);
            }
        }
        let score = (score * 10.0).round() / 10.0;
        let band = if off_topic && score < 15.0 {
            Band::OffTopic
        } else {
            band_for(score)
        };
        let improvements = feedback::improvements(self, &m, calibration);
        Grade {
            question_id: self.rubric.id.clone(),
            score,
            band,
            points: m.points,
            star: m.star,
            claim_errors: m.claim_errors,
            wrong_claims: m.wrong_claims,
            flags: m.flags,
            improvements,
            llm: None,
        }
    }

    /// The grade of an empty answer: 0, `no_answer`, and a note saying so.
    fn no_answer(&self) -> Grade {
        let points = self
            .rubric
            .key_points
            .iter()
            .enumerate()
            .map(|(index, kp)| PointGrade {
                label: kp.label.clone(),
                kind: kp.kind,
                weight: kp.weight,
                coverage: Coverage::Missing,
                strength: 0.0,
                evidence: None,
                examples: evidence::examples_for(self, index, &Default::default()),
            })
            .collect();
        Grade {
            question_id: self.rubric.id.clone(),
            score: 0.0,
            band: Band::NoAnswer,
            points,
            star: None,
            claim_errors: Vec::new(),
            wrong_claims: Vec::new(),
            flags: vec![Flag {
                code: "no_answer".into(),
                message: "no answer given".into(),
            }],
            improvements: vec![
                "Write an answer: even a few sentences on the main idea earn credit.".into(),
            ],
            llm: None,
        }
    }
}

/// Highest score an answer flagged for gaming can get.
const GAMED_CAP: f64 = 20.0;

#[cfg(test)]
mod tests;
