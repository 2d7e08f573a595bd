//! What the LLM judge contributed to one grade, as plain data recorded in every report.
//!
//! The data lives here, in the core, because a [`super::Grade`] carries it; the `llm` layer
//! fills it in (and re-exports it as `llm::outcome`), `report` renders it for people.
//!
//! An answer the judge could not grade carries `status: ungraded` and the reason; its score is
//! then the local grade, never a silent guess.

use serde::{Deserialize, Serialize};

use super::Coverage;

/// Whether the judge graded the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmStatus {
    /// A valid verdict was combined into the grade.
    Graded,
    /// No usable verdict; the local grade stands.
    Ungraded,
}

/// Tokens used, as the server reported them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
}

impl Usage {
    /// Adds another usage to this one.
    pub fn add(&mut self, other: Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
    }
}

/// The judge's view of one key point (or STAR element), next to the local one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointJudgement {
    /// The point's label.
    pub label: String,
    /// The judge's coverage after quote checking.
    pub coverage: Coverage,
    /// The quote the judge gave as evidence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// Whether the quote really occurs in the answer.
    pub quote_verified: bool,
    /// The judge credited the point with a quote that is not in the answer: it abstains on
    /// this point, which counts neither for nor against the answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abstained: bool,
    /// The judge's comment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    /// The judge found the answer wrong on this point (a misconception, quoted verbatim).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wrong: bool,
    /// Local checks and judge disagree strongly: a person should look.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub needs_review: bool,
    /// Cosine similarity from embeddings, when enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The similarity reached the threshold: the point is paraphrased in the answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub semantic_match: bool,
}

/// What `hone judge check` concluded about a judge before it graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckVerdict {
    /// Orders answers of known quality, verifies its quotes, resists injection: full weight.
    Trusted,
    /// Usable but unreliable (flat, misordered or fooled by keyword lists): less weight.
    Weak,
    /// Obeys injections, invents its quotes or ranks quality backwards: refused unless forced.
    Unusable,
    /// The check could not grade anything (endpoint down or every reply invalid).
    Unchecked,
}

impl CheckVerdict {
    /// The word shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckVerdict::Trusted => "trusted",
            CheckVerdict::Weak => "weak",
            CheckVerdict::Unusable => "unusable",
            CheckVerdict::Unchecked => "unchecked",
        }
    }

    /// The judge's share of each point's combined value (the local checks hold the rest).
    pub fn judge_share(self) -> f64 {
        match self {
            CheckVerdict::Weak => 0.25,
            _ => 0.5,
        }
    }
}

/// The judge check's result as recorded with every grade the judge gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckNote {
    /// The verdict.
    pub verdict: CheckVerdict,
    /// One line: ordering, spread, quotes verified, injection.
    pub summary: String,
}

/// The LLM judge's part of a grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmOutcome {
    /// Graded or ungraded.
    pub status: LlmStatus,
    /// Why the answer is ungraded (one line), or notes on a graded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Model asked.
    pub model: String,
    /// Endpoint base URL.
    pub base_url: String,
    /// SHA-256 (hex, 16 chars) of the prompt template.
    pub prompt_hash: String,
    /// SHA-256 (hex, 16 chars) of the rubric as sent.
    pub rubric_hash: String,
    /// The judge's overall score 0..=100 (mean over samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Max − min of the judge's score over samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<f64>,
    /// Valid samples out of those asked.
    pub samples: u32,
    /// Per point, in rubric order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointJudgement>,
    /// The judge's overall feedback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// Notices (answer truncated, quotes not found, samples dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// Tokens used by this answer's requests (cached replies count what they cost then).
    pub usage: Usage,
    /// Estimated cost in USD, when the model is in the price table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// Every reply came from the cache.
    pub cached: bool,
    /// Requests sent again after a failure (timeouts, server errors, a refused reply format);
    /// `usage` adds up every reply that reported usage.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u32,
    /// How the judge did in `hone judge check` before this run, when it was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_check: Option<CheckNote>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl LlmOutcome {
    /// Whether the judge graded this answer.
    pub fn is_graded(&self) -> bool {
        self.status == LlmStatus::Graded
    }

    /// Whether the judge gave quotes and none of them is in the answer: its own score rests on
    /// nothing and is not shown as a grade.
    pub fn quotes_all_invented(&self) -> bool {
        self.points.iter().any(|p| !p.quote.trim().is_empty())
            && !self.points.iter().any(|p| p.quote_verified)
    }

    /// The line a person sees, e.g. `LLM: graded 72 (gpt-4o-mini)` or `LLM: ungraded — why`.
    pub fn summary(&self) -> String {
        match (self.status, self.score) {
            (LlmStatus::Graded, Some(score)) if self.quotes_all_invented() => format!(
                "LLM: graded ({}); its own score ({score:.0}) is not shown: none of its quotes are in the answer",
                self.model
            ),
            (LlmStatus::Graded, Some(score)) => {
                let spread = self
                    .spread
                    .filter(|_| self.samples > 1)
                    .map(|s| format!(" ±{:.0} over {} samples", s / 2.0, self.samples))
                    .unwrap_or_default();
                format!("LLM: graded {score:.0}{spread} ({})", self.model)
            }
            _ => format!(
                "LLM: ungraded — {}",
                self.reason.as_deref().unwrap_or("no verdict")
            ),
        }
    }
}
