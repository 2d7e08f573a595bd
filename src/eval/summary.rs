//! The agreement figures of one evaluation run: pooled and per-question metrics between hone's
//! 0–100 scores and the human grades.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dataset::HumanGrade;
use super::metrics::{self, GroupedPearson};
use super::scale::HumanScale;

/// One graded answer: its question group, the human grade and hone's score (0..=100).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Question group (qid or question).
    pub group: String,
    /// What the human gave.
    pub human: HumanGrade,
    /// What hone gave, 0..=100.
    pub score: f64,
}

/// Agreement figures over a set of scored answers. Undefined figures are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Answers scored.
    pub n: usize,
    /// Distinct questions.
    pub questions: usize,
    /// Human scale inferred from the scores (absent for labels).
    pub scale: Option<HumanScale>,
    /// Pooled Pearson r between hone's score and the human grade.
    pub pearson: Option<f64>,
    /// Pooled Spearman ρ (ties share average ranks).
    pub spearman: Option<f64>,
    /// Mean of per-question Pearson r, with how many questions were used and skipped.
    pub mean_question_pearson: GroupedPearson,
    /// Quadratic weighted kappa after mapping hone's score linearly onto the human scale and
    /// rounding to its nearest level (scores only).
    pub qwk: Option<f64>,
    /// RMSE on the human scale of hone's linearly mapped (unrounded) score (scores only).
    pub rmse: Option<f64>,
    /// ROC AUC of hone's score for `correct` vs the rest (labels only).
    pub auc: Option<f64>,
    /// Per-question figures, in question order.
    pub by_question: Vec<QuestionRow>,
}

/// Figures for one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionRow {
    /// Question group.
    pub question: String,
    /// Answers to it.
    pub n: usize,
    /// Mean human grade.
    pub human_mean: f64,
    /// Mean hone score (0..=100).
    pub hone_mean: f64,
    /// Pearson r within the question.
    pub pearson: Option<f64>,
    /// Spearman ρ within the question.
    pub spearman: Option<f64>,
}

impl Summary {
    /// Computes every figure for the scored answers.
    pub fn compute(scored: &[Scored]) -> Summary {
        let humans: Vec<f64> = scored.iter().map(|s| s.human.value()).collect();
        let scores: Vec<f64> = scored.iter().map(|s| s.score).collect();
        let groups: Vec<&str> = scored.iter().map(|s| s.group.as_str()).collect();
        let labels: Option<Vec<bool>> = scored
            .iter()
            .map(|s| match s.human {
                HumanGrade::Label(correct) => Some(correct),
                HumanGrade::Score(_) => None,
            })
            .collect();
        let scale = match labels {
            Some(_) => None,
            None => HumanScale::infer(&humans),
        };
        let by_question = by_question(scored);
        Summary {
            n: scored.len(),
            questions: by_question.len(),
            scale,
            pearson: metrics::pearson(&scores, &humans),
            spearman: metrics::spearman(&scores, &humans),
            mean_question_pearson: metrics::mean_grouped_pearson(&groups, &scores, &humans),
            qwk: scale.and_then(|s| qwk_on_scale(&s, &scores, &humans)),
            rmse: scale.and_then(|s| {
                let mapped: Vec<f64> = scores.iter().map(|x| s.from_unit(x / 100.0)).collect();
                metrics::rmse(&mapped, &humans)
            }),
            auc: labels.and_then(|l| metrics::roc_auc(&scores, &l)),
            by_question,
        }
    }
}

/// QWK between the human levels and hone's score mapped onto the scale and rounded.
fn qwk_on_scale(scale: &HumanScale, scores: &[f64], humans: &[f64]) -> Option<f64> {
    let hone: Vec<usize> = scores
        .iter()
        .map(|x| scale.level_of(scale.from_unit(x / 100.0)))
        .collect();
    let human: Vec<usize> = humans.iter().map(|h| scale.level_of(*h)).collect();
    metrics::quadratic_weighted_kappa(&human, &hone, scale.levels())
}

/// Per-question rows, sorted by question key.
fn by_question(scored: &[Scored]) -> Vec<QuestionRow> {
    let mut groups: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for s in scored {
        let entry = groups.entry(&s.group).or_default();
        entry.0.push(s.score);
        entry.1.push(s.human.value());
    }
    groups
        .into_iter()
        .map(|(question, (scores, humans))| QuestionRow {
            question: question.to_string(),
            n: scores.len(),
            human_mean: metrics::mean(&humans),
            hone_mean: metrics::mean(&scores),
            pearson: metrics::pearson(&scores, &humans),
            spearman: metrics::spearman(&scores, &humans),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(group: &str, human: HumanGrade, score: f64) -> Scored {
        Scored {
            group: group.into(),
            human,
            score,
        }
    }

    #[test]
    fn scores_on_a_half_point_scale_get_kappa_and_rmse_but_no_auc() {
        let data = vec![
            scored("a", HumanGrade::Score(0.0), 0.0),
            scored("a", HumanGrade::Score(2.5), 50.0),
            scored("b", HumanGrade::Score(5.0), 100.0),
            scored("b", HumanGrade::Score(4.5), 90.0),
        ];
        let s = Summary::compute(&data);
        assert_eq!((s.n, s.questions), (4, 2));
        assert!((s.pearson.unwrap() - 1.0).abs() < 1e-9);
        assert!((s.qwk.unwrap() - 1.0).abs() < 1e-9);
        assert!(s.rmse.unwrap() < 1e-9);
        assert_eq!(s.auc, None);
        assert_eq!(s.scale.unwrap().levels(), 11);
        assert_eq!(s.by_question[1].question, "b");
        assert!((s.by_question[1].hone_mean - 95.0).abs() < 1e-9);
    }

    #[test]
    fn labels_get_auc_and_no_scale() {
        let data = vec![
            scored("a", HumanGrade::Label(true), 80.0),
            scored("a", HumanGrade::Label(false), 20.0),
            scored("a", HumanGrade::Label(false), 90.0),
        ];
        let s = Summary::compute(&data);
        assert!((s.auc.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!((s.scale, s.qwk, s.rmse), (None, None, None));
    }
}
