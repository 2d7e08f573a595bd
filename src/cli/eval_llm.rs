//! `hone eval FILE --llm`: the LLM judge's own agreement with the human grades, and the
//! combined score's, next to local grading's, over the answers the judge graded.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::eval::dataset::Dataset;
use crate::eval::summary::{Scored, Summary};
use crate::eval::GradedItem;
use crate::llm::cli::LlmRun;
use crate::llm::CheckNote;

/// Agreement of local, judge-alone and combined scores over the answers the judge graded.
#[derive(Debug, Serialize)]
pub struct LlmAgreement {
    /// Model that judged.
    pub model: String,
    /// Endpoint (redacted).
    pub base_url: String,
    /// What `hone judge check` found, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge_check: Option<CheckNote>,
    /// Non-empty answers sent to the judge.
    pub sent: usize,
    /// Of those, answers the judge graded (the figures below cover only these).
    pub judged: usize,
    /// Local scores.
    pub local: Summary,
    /// The judge's own overall scores.
    pub judge: Summary,
    /// Local and judge combined, as `hone grade --llm` scores.
    pub combined: Summary,
    /// Wall-clock seconds per answer sent (cached replies make this small).
    pub seconds_per_answer: f64,
    /// Answers whose replies all came from the cache.
    pub cached: usize,
}

/// Judges every non-empty answer of `file` and computes the three agreements.
pub fn measure(
    file: &Path,
    limit: Option<usize>,
    bank_rubric: impl Fn(&str) -> Result<crate::rubric::Rubric, crate::InputError>,
    grader: &crate::grade::Grader,
    run: &LlmRun,
) -> anyhow::Result<LlmAgreement> {
    let judge_check = run.check_judge.then(|| {
        let note = run.check().note();
        run.judge.set_check(note.clone());
        note
    });
    let items: Vec<GradedItem> =
        crate::eval::graded_items(Dataset::load(file, limit)?, bank_rubric, grader)
            .into_iter()
            .filter(|i| !i.answer.trim().is_empty())
            .collect();
    let sent = items.len();
    let started = Instant::now();
    let combined = run.judge_grades(
        items
            .iter()
            .map(|i| (i.rubric.clone(), i.answer.clone(), i.grade.clone()))
            .collect(),
    );
    let elapsed = started.elapsed().as_secs_f64();
    let (mut local, mut judge, mut both) = (Vec::new(), Vec::new(), Vec::new());
    let mut cached = 0;
    for (item, grade) in items.iter().zip(&combined) {
        let Some(outcome) = grade.llm.as_ref().filter(|o| o.is_graded()) else {
            continue;
        };
        let Some(judge_score) = outcome.score else {
            continue;
        };
        cached += usize::from(outcome.cached);
        let scored = |score| Scored {
            group: item.group.clone(),
            human: item.human,
            score,
        };
        local.push(scored(item.grade.score));
        judge.push(scored(judge_score));
        both.push(scored(grade.score));
    }
    let settings = run.judge.settings();
    Ok(LlmAgreement {
        model: settings.endpoint.model.clone(),
        base_url: settings.endpoint.redacted_base_url(),
        judge_check,
        sent,
        judged: local.len(),
        local: Summary::compute(&local),
        judge: Summary::compute(&judge),
        combined: Summary::compute(&both),
        seconds_per_answer: if sent == 0 {
            0.0
        } else {
            elapsed / sent as f64
        },
        cached,
    })
}

impl LlmAgreement {
    /// The text section appended to `hone eval`'s report.
    pub fn render_text(&self) -> String {
        use super::eval::fig;
        let mut out = format!(
            "\nLLM judge {} at {}: {} of {} answers graded ({:.1} s per answer{})\n",
            self.model,
            self.base_url,
            self.judged,
            self.sent,
            self.seconds_per_answer,
            if self.cached > 0 {
                format!(", {} from the cache", self.cached)
            } else {
                String::new()
            }
        );
        if let Some(check) = &self.judge_check {
            out.push_str(&format!(
                "judge check: {} ({})\n",
                check.verdict.as_str(),
                check.summary
            ));
        }
        out.push_str(&format!(
            "{:<28}{:>8}{:>8}{:>10}\n",
            "over the answers judged", "local", "judge", "combined"
        ));
        let mut row = |label: &str, f: fn(&Summary) -> Option<f64>| {
            out.push_str(&format!(
                "{label:<28}{:>8}{:>8}{:>10}\n",
                fig(f(&self.local)),
                fig(f(&self.judge)),
                fig(f(&self.combined))
            ));
        };
        row("Spearman ρ (pooled)", |s| s.spearman);
        row("Pearson r (pooled)", |s| s.pearson);
        row("mean per-question Pearson", |s| {
            s.mean_question_pearson.mean
        });
        row("QWK", |s| s.qwk);
        row("RMSE (human scale)", |s| s.rmse);
        row("ROC AUC (correct vs rest)", |s| s.auc);
        crate::report::terminal::safe(&out).into_owned()
    }
}
