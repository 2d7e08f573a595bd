//! The numbers every report starts with, built one record at a time so a streaming run can
//! summarise a million answers without keeping them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::verdict::Verdict;
use crate::batch::{Record, Status};

/// How many answers needing attention the summary remembers for the text report.
pub const ATTENTION_LIMIT: usize = 20;

/// Counts, mean, score distribution, and pass/fail against the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Records in the report (graded + errors).
    pub total: u64,
    /// Answers graded.
    pub graded: u64,
    /// Rows not graded (unknown question, unreadable file, bad row).
    pub errors: u64,
    /// Graded locally, but the LLM judge (`--llm`) failed on them.
    #[serde(default)]
    pub llm_ungraded: u64,
    /// Graded answers at or above the threshold (all graded when there is none).
    pub passed: u64,
    /// Graded answers below the threshold.
    pub failed: u64,
    /// The threshold (`--min-score`), if any.
    pub min_score: Option<f64>,
    /// Mean score of the graded answers.
    pub mean_score: Option<f64>,
    /// Lowest score.
    pub lowest_score: Option<f64>,
    /// Highest score.
    pub highest_score: Option<f64>,
    /// Whether the run passed: the verdict is `passed` and the exit code 0.
    pub overall_passed: bool,
    /// Whether `--strict` was in force (ungraded answers then fail the run).
    #[serde(default)]
    pub strict: bool,
    /// The run's verdict ([`Verdict::of`]), the same in every report and in the exit code.
    #[serde(default)]
    pub verdict: Verdict,
    /// The process exit code that goes with the verdict.
    #[serde(default)]
    pub exit_code: u8,
    /// Answers per score bucket: `[0,10)`, `[10,20)`, … `[90,100]`.
    pub histogram: [u64; 10],
    /// Answers per band (`weak`, `good`, …).
    pub bands: BTreeMap<String, u64>,
    /// Up to [`ATTENTION_LIMIT`] failing or ungraded answers, lowest first.
    pub attention: Vec<Attention>,
    /// Which LLM judge graded (model and endpoint) and how it did in `hone judge check`, when
    /// the run used one; every report shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge: Option<String>,
}

/// An answer the text report points out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attention {
    /// `file:line`.
    pub location: String,
    /// Question and candidate.
    pub title: String,
    /// Score, when graded.
    pub score: Option<f64>,
    /// The error, or the missing key points.
    pub detail: String,
    /// The input file.
    pub file: String,
    /// The 1-based line in it (0 for a whole file).
    pub line: u64,
}

/// Builds a [`Summary`] from records one at a time.
#[derive(Debug, Clone)]
pub struct SummaryBuilder {
    summary: Summary,
    score_sum: f64,
}

impl SummaryBuilder {
    /// An empty summary judged against `min_score`.
    pub fn new(min_score: Option<f64>) -> Self {
        Self {
            summary: Summary {
                total: 0,
                graded: 0,
                errors: 0,
                llm_ungraded: 0,
                passed: 0,
                failed: 0,
                min_score,
                mean_score: None,
                lowest_score: None,
                highest_score: None,
                overall_passed: true,
                strict: false,
                verdict: Verdict::Passed,
                exit_code: 0,
                histogram: [0; 10],
                bands: BTreeMap::new(),
                attention: Vec::new(),
                judge: None,
            },
            score_sum: 0.0,
        }
    }

    /// Judges the run under `--strict` (ungraded answers fail it).
    pub fn strict(mut self, strict: bool) -> Self {
        self.summary.strict = strict;
        self
    }

    /// Counts one record.
    pub fn add(&mut self, record: &Record) {
        let s = &mut self.summary;
        s.total += 1;
        let (Status::Graded, Some(grade)) = (record.status, &record.grade) else {
            s.errors += 1;
            let detail = record.error.clone().unwrap_or_default();
            self.note(record, None, detail);
            return;
        };
        s.graded += 1;
        if grade.llm.as_ref().is_some_and(|o| !o.is_graded()) {
            s.llm_ungraded += 1;
        }
        if let (None, Some(llm)) = (&s.judge, &grade.llm) {
            let check = llm.judge_check.as_ref().map_or_else(
                || "not checked".to_string(),
                |c| format!("judge check: {} ({})", c.verdict.as_str(), c.summary),
            );
            s.judge = Some(format!("{} at {}; {check}", llm.model, llm.base_url));
        }
        let score = grade.score;
        self.score_sum += score;
        s.lowest_score = Some(s.lowest_score.map_or(score, |m| m.min(score)));
        s.highest_score = Some(s.highest_score.map_or(score, |m| m.max(score)));
        s.histogram[bucket(score)] += 1;
        *s.bands.entry(grade.band.as_str().to_string()).or_default() += 1;
        if record.passed(s.min_score) == Some(false) {
            s.failed += 1;
            let missing = record.missing_points();
            let detail = if missing.is_empty() {
                "below the threshold".to_string()
            } else {
                format!("missing: {}", missing.join("; "))
            };
            self.note(record, Some(score), detail);
        } else {
            s.passed += 1;
        }
    }

    fn note(&mut self, record: &Record, score: Option<f64>, detail: String) {
        let attention = &mut self.summary.attention;
        let entry = Attention {
            location: record.source.to_string(),
            title: record.title(),
            score,
            detail,
            file: record.source.file.clone(),
            line: record.source.line,
        };
        attention.push(entry);
        // Errors first, then lowest scores, then by place; keep the first ATTENTION_LIMIT.
        attention.sort_by(|a, b| {
            let rank = |x: &Attention| x.score.unwrap_or(f64::NEG_INFINITY);
            rank(a)
                .total_cmp(&rank(b))
                .then_with(|| (&a.file, a.line).cmp(&(&b.file, b.line)))
        });
        attention.truncate(ATTENTION_LIMIT);
    }

    /// The finished summary.
    pub fn finish(mut self) -> Summary {
        let s = &mut self.summary;
        if s.graded > 0 {
            s.mean_score = Some(self.score_sum / s.graded as f64);
        }
        s.verdict = Verdict::of(s, s.strict);
        s.exit_code = s.verdict.exit_code();
        s.overall_passed = s.verdict.passed();
        self.summary
    }
}

fn bucket(score: f64) -> usize {
    ((score / 10.0).floor().max(0.0) as usize).min(9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn counts_pass_fail_errors_and_distribution() {
        let mut b = SummaryBuilder::new(Some(60.0));
        for r in [
            graded("a.md", 1, 80.0),
            graded("a.md", 5, 40.0),
            graded("b.md", 1, 100.0),
            error("c.jsonl", 2),
        ] {
            b.add(&r);
        }
        let s = b.finish();
        assert_eq!(
            (s.total, s.graded, s.errors, s.passed, s.failed),
            (4, 3, 1, 2, 1)
        );
        assert!((s.mean_score.unwrap() - 220.0 / 3.0).abs() < 1e-9);
        assert!(
            !s.overall_passed,
            "one answer below and one error row fail the run"
        );
        assert_eq!(s.histogram[4], 1);
        assert_eq!(s.histogram[8], 1);
        assert_eq!(s.histogram[9], 1, "100 goes in the last bucket");
        assert_eq!(s.attention.len(), 2);
        assert_eq!(s.attention[0].location, "c.jsonl:2", "errors first");
        assert!(s.attention[1].detail.contains("doubly linked list"));
    }

    #[test]
    fn no_threshold_means_everything_passes() {
        let mut b = SummaryBuilder::new(None);
        b.add(&graded("a.md", 1, 3.0));
        let s = b.finish();
        assert_eq!((s.passed, s.failed), (1, 0));
        assert!(s.overall_passed);
    }
}
