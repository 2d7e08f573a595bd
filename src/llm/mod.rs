//! LLM judge over any OpenAI-compatible endpoint: client, prompts, verdicts, cache, retry policy.
//!
//! Requests are plain data (`request`) sent by `client`; `retry` paces and retries them;
//! `judge` orchestrates one run (cache, token budget, samples) and `verdict` reads and
//! validates replies; `check` decides whether a judge can be trusted; `combine` merges a verdict with the local grade; `cli` holds the flags
//! that `hone grade` and `hone batch` share. Nothing on the local grading path uses this module.

pub mod cache;
pub mod check;
pub mod cli;
pub mod client;
pub mod combine;
pub mod embeddings;
pub mod examples;
pub mod judge;
/// The judge's contribution to a grade: plain data owned by the core (`grade::judge_outcome`).
pub use crate::grade::judge_outcome as outcome;
pub mod prompt;
pub mod refine;
pub mod request;
pub mod retry;
pub mod tokens;
pub mod verdict;

pub use judge::{Judge, JudgeSettings, Judgement};
pub use outcome::{CheckNote, CheckVerdict, LlmOutcome, LlmStatus, PointJudgement, Usage};
