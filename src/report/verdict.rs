//! The run's verdict: one function decides it from the summary, and both the process exit code
//! and every report format take it from here, so a report can never say "passed" on a run that
//! exits non-zero (or the other way round).

use serde::{Deserialize, Serialize};

use super::Summary;

/// How a `hone batch` or `hone merge` run ended, in order of precedence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every answer graded, none below `--min-score`, and the mean reaches it (exit 0).
    #[default]
    Passed,
    /// Some answer, or the mean, is below `--min-score` (exit 1).
    BelowThreshold,
    /// Some rows could not be graded at all: unknown question, bad row (exit 2).
    Errors,
    /// With `--strict`: some answers were not graded, by the local grader or the judge (exit 3).
    Ungraded,
}

impl Verdict {
    /// The verdict for a summary; `strict` is `--strict`.
    pub fn of(summary: &Summary, strict: bool) -> Verdict {
        if strict && (summary.errors > 0 || summary.llm_ungraded > 0) {
            Verdict::Ungraded
        } else if summary.errors > 0 {
            Verdict::Errors
        } else if summary.failed > 0 || !mean_reaches_threshold(summary) {
            Verdict::BelowThreshold
        } else {
            Verdict::Passed
        }
    }

    /// The process exit code for this verdict (see `hone batch --help`).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Passed => 0,
            Verdict::BelowThreshold => 1,
            Verdict::Errors => 2,
            Verdict::Ungraded => 3,
        }
    }

    /// Whether the run passed (exit 0).
    pub fn passed(self) -> bool {
        self == Verdict::Passed
    }

    /// The verdict as people read it: `passed`, `below threshold`, ….
    pub fn headline(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::BelowThreshold => "below threshold",
            Verdict::Errors => "failed: some rows not graded",
            Verdict::Ungraded => "failed: some answers not graded (--strict)",
        }
    }
}

/// Whether the mean score reaches `--min-score` (true without one, or with nothing graded).
pub fn mean_reaches_threshold(summary: &Summary) -> bool {
    match (summary.min_score, summary.mean_score) {
        (Some(min), Some(mean)) => mean >= min,
        _ => true,
    }
}

/// The counts behind the verdict, worded the same in every format:
/// `passed (exit 0): 0 below threshold, 0 ungraded by the judge, 0 errors`.
pub fn verdict_line(summary: &Summary) -> String {
    let mean_note = if mean_reaches_threshold(summary) {
        ""
    } else {
        ", mean below threshold"
    };
    format!(
        "{} (exit {}): {} below threshold{mean_note}, {} ungraded by the judge, {} errors",
        summary.verdict.headline(),
        summary.verdict.exit_code(),
        summary.failed,
        summary.llm_ungraded,
        summary.errors
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};
    use crate::report::SummaryBuilder;

    fn summary(records: &[crate::batch::Record], min: Option<f64>, strict: bool) -> Summary {
        let mut b = SummaryBuilder::new(min).strict(strict);
        for r in records {
            b.add(r);
        }
        b.finish()
    }

    #[test]
    fn precedence_is_strict_then_errors_then_threshold() {
        let good = graded("a.md", 1, 80.0);
        let low = graded("a.md", 2, 20.0);
        let bad = error("b.jsonl", 1);
        let cases = [
            (vec![good.clone()], false, Verdict::Passed),
            (
                vec![good.clone(), low.clone()],
                false,
                Verdict::BelowThreshold,
            ),
            (
                vec![good.clone(), low.clone(), bad.clone()],
                false,
                Verdict::Errors,
            ),
            (vec![good.clone(), bad.clone()], true, Verdict::Ungraded),
            (vec![good, low], true, Verdict::BelowThreshold),
        ];
        for (records, strict, want) in cases {
            let s = summary(&records, Some(50.0), strict);
            assert_eq!(s.verdict, want, "{records:?}");
            assert_eq!(s.overall_passed, want.passed());
            assert_eq!(s.exit_code, want.exit_code());
        }
    }

    #[test]
    fn a_mean_below_the_threshold_fails_even_when_no_answer_does() {
        // One answer at 60 passes --min-score 60; a summary whose per-answer counts show no
        // failure but whose mean is under the threshold (as a merge of shards judged
        // differently can be) is still below the threshold.
        let mut s = summary(&[graded("a.md", 1, 60.0)], Some(60.0), false);
        assert_eq!(s.verdict, Verdict::Passed);
        assert_eq!(s.failed, 0);
        s.min_score = Some(70.0);
        assert!(!mean_reaches_threshold(&s));
        assert_eq!(Verdict::of(&s, false), Verdict::BelowThreshold);
    }

    #[test]
    fn the_line_names_the_exit_code_and_every_count() {
        let s = summary(
            &[graded("a.md", 1, 20.0), error("b.jsonl", 1)],
            Some(50.0),
            false,
        );
        assert_eq!(
            verdict_line(&s),
            "failed: some rows not graded (exit 2): 1 below threshold, mean below threshold, 0 ungraded by the judge, 1 errors"
        );
    }
}
