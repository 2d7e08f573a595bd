//! Fitting a [`Calibration`] to human grades, and measuring it honestly.
//!
//! The model: ridge regression of the human grade (scaled to 0..=1; labels as 0/1) on the
//! grader's signals, standardised, with the penalty chosen by grouped cross-validation inside
//! the training data from [`LAMBDAS`]; then an isotonic (monotone) mapping of the linear value
//! onto the grade, stored as knots. Cross-validation holds out whole questions
//! ([`folds::grouped_folds`]), so its figures speak for questions the fit never saw.

use super::dataset::{BadLine, Dataset, HumanGrade};
use super::folds::grouped_folds;
use super::ridge::{self, Linear};
use super::scale::HumanScale;
use super::scoring::{Scorer, Scoring};
use super::summary::{Scored, Summary};
use super::{isotonic, parallel, rubrics};
use crate::grade::calibration::{Calibration, Signals};
use crate::rubric::Rubric;
use crate::InputError;

/// Ridge penalties tried (per sample, on standardised features); the inner CV picks one.
pub const LAMBDAS: [f64; 7] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
/// Folds of the inner cross-validation that picks the penalty.
const INNER_FOLDS: usize = 5;
/// Each step of the monotone mapping spans at least this share of the training answers
/// (and at least 5), so a handful of answers cannot bend it.
const MIN_BLOCK_SHARE: f64 = 0.025;

/// Signals and targets of a human-graded data set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSet {
    /// Feature (signal) names, one per column.
    pub names: Vec<String>,
    /// One row of feature values per answer.
    pub rows: Vec<Vec<f64>>,
    /// The human grade scaled to 0..=1 (labels: 1 correct, 0 not).
    pub targets: Vec<f64>,
    /// Question group of each answer.
    pub groups: Vec<String>,
    /// The human grade as given.
    pub humans: Vec<HumanGrade>,
    /// hone's shipped score (0..=100) of each answer, for comparison.
    pub shipped: Vec<f64>,
}

/// A data set prepared for fitting, with the lines that could not be used.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Signals and targets.
    pub set: TrainingSet,
    /// Unusable lines, in line order.
    pub bad_lines: Vec<BadLine>,
    /// Human scale of numeric grades (`None` for labels).
    pub scale: Option<HumanScale>,
}

/// Computes the signals and shipped score of every answer (on all cores) and its target.
pub fn prepare(
    dataset: Dataset,
    bank_rubric: impl Fn(&str) -> Result<Rubric, InputError>,
) -> Prepared {
    let labelled = dataset.all_labelled();
    let resolved = rubrics::resolve(dataset.items, bank_rubric);
    let scorer = Scorer::new(&resolved.rubrics, Scoring::Shipped);
    let measured: Vec<(Signals, f64)> = parallel::map(&resolved.items, |(item, rubric)| {
        (
            scorer.signals(*rubric, &item.answer),
            scorer.score(*rubric, &item.answer),
        )
    });
    let humans: Vec<HumanGrade> = resolved.items.iter().map(|(i, _)| i.human).collect();
    let values: Vec<f64> = humans.iter().map(|h| h.value()).collect();
    let scale = if labelled {
        None
    } else {
        HumanScale::infer(&values)
    };
    let targets = values
        .iter()
        .map(|&v| scale.map_or(v, |s| s.to_unit(v)))
        .collect();
    let names = union_of_names(measured.iter().map(|(s, _)| s));
    let rows = measured.iter().map(|(s, _)| row_of(s, &names)).collect();
    let mut bad_lines = dataset.bad_lines;
    bad_lines.extend(resolved.bad_lines);
    bad_lines.sort_by_key(|b| b.line);
    Prepared {
        set: TrainingSet {
            names,
            rows,
            targets,
            groups: resolved
                .items
                .iter()
                .map(|(i, _)| i.group.clone())
                .collect(),
            humans,
            shipped: measured.iter().map(|(_, score)| *score).collect(),
        },
        bad_lines,
        scale,
    }
}

/// Every signal name seen, in first-seen order.
fn union_of_names<'a>(signals: impl Iterator<Item = &'a Signals>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in signals {
        for name in &s.names {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// The values of `signals` in `names` order (0 when a signal is absent).
fn row_of(signals: &Signals, names: &[String]) -> Vec<f64> {
    names
        .iter()
        .map(|n| {
            signals
                .names
                .iter()
                .position(|m| m == n)
                .map_or(0.0, |i| signals.values[i])
        })
        .collect()
}

impl TrainingSet {
    /// Number of answers.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no answers.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Keeps only the named features; an unknown name is an error listing the known ones.
    pub fn select(&self, wanted: &[String]) -> Result<TrainingSet, String> {
        let columns: Vec<usize> = wanted
            .iter()
            .map(|w| {
                self.names.iter().position(|n| n == w).ok_or_else(|| {
                    format!("unknown signal `{w}`; known: {}", self.names.join(", "))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(TrainingSet {
            names: wanted.to_vec(),
            rows: self
                .rows
                .iter()
                .map(|r| columns.iter().map(|&c| r[c]).collect())
                .collect(),
            ..self.clone()
        })
    }

    /// The answers at `indices`.
    fn subset(&self, indices: &[usize]) -> TrainingSet {
        TrainingSet {
            names: self.names.clone(),
            rows: indices.iter().map(|&i| self.rows[i].clone()).collect(),
            targets: indices.iter().map(|&i| self.targets[i]).collect(),
            groups: indices.iter().map(|&i| self.groups[i].clone()).collect(),
            humans: indices.iter().map(|&i| self.humans[i]).collect(),
            shipped: indices.iter().map(|&i| self.shipped[i]).collect(),
        }
    }

    fn group_refs(&self) -> Vec<&str> {
        self.groups.iter().map(String::as_str).collect()
    }
}

/// A fitted model: the linear part, the penalty chosen, and the monotone mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Ridge weights on the raw signals.
    pub linear: Linear,
    /// Penalty chosen by inner cross-validation.
    pub lambda: f64,
    /// Monotone mapping knots from the linear value to 0..=1.
    pub mapping: Vec<(f64, f64)>,
}

impl Fitted {
    /// The calibration file content for this fit.
    pub fn to_calibration(&self, names: &[String], fitted_on: String) -> Calibration {
        Calibration {
            version: 1,
            fitted_on,
            features: names.to_vec(),
            weights: self.linear.weights.clone(),
            intercept: self.linear.intercept,
            mapping: self.mapping.clone(),
        }
    }

    /// Predicted 0..=1 grade for one row: the linear value clamped (`mapped` false) or passed
    /// through the monotone mapping exactly as [`Calibration::apply`] does.
    fn predict(&self, names: &[String], row: &[f64], mapped: bool) -> f64 {
        let calibration = Calibration {
            mapping: if mapped { self.mapping.clone() } else { vec![] },
            ..self.to_calibration(names, String::new())
        };
        calibration.apply(&Signals {
            names: names.to_vec(),
            values: row.to_vec(),
        })
    }
}

/// Fits the model on the whole set, choosing the penalty by grouped inner cross-validation.
pub fn fit(set: &TrainingSet) -> Fitted {
    let lambda = choose_lambda(set);
    let linear = ridge::fit(&set.rows, &set.targets, lambda);
    let predictions: Vec<f64> = set.rows.iter().map(|r| linear.predict(r)).collect();
    let min_block = ((set.len() as f64 * MIN_BLOCK_SHARE) as usize).max(5);
    Fitted {
        mapping: isotonic::monotone_knots(&predictions, &set.targets, min_block),
        linear,
        lambda,
    }
}

/// The penalty from [`LAMBDAS`] with the least held-out squared error, folds by question.
fn choose_lambda(set: &TrainingSet) -> f64 {
    let groups = set.group_refs();
    let (folds, k) = grouped_folds(&groups, INNER_FOLDS);
    if k < 2 {
        return 0.01;
    }
    let error = |lambda: f64| -> f64 {
        (0..k)
            .map(|fold| {
                let (train, test) = split(&folds, fold);
                let part = set.subset(&train);
                let model = ridge::fit(&part.rows, &part.targets, lambda);
                test.iter()
                    .map(|&i| (model.predict(&set.rows[i]) - set.targets[i]).powi(2))
                    .sum::<f64>()
            })
            .sum()
    };
    LAMBDAS
        .iter()
        .map(|&l| (l, error(l)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.01, |(l, _)| l)
}

/// Indices outside and inside `fold`.
fn split(folds: &[usize], fold: usize) -> (Vec<usize>, Vec<usize>) {
    (0..folds.len()).partition(|&i| folds[i] != fold)
}

/// Held-out figures of a grouped cross-validation.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    /// Folds used (at most the number of questions).
    pub folds: usize,
    /// hone's shipped scores on the same answers (no fitting involved).
    pub shipped: Summary,
    /// The ridge model alone, each answer predicted by a fit that never saw its question.
    pub linear: Summary,
    /// Ridge + monotone mapping, likewise held out: what `hone calibrate` writes.
    pub calibrated: Summary,
}

/// Cross-validates the whole fitting procedure with `k` folds that hold out whole questions.
/// `None` when there are fewer than two questions.
pub fn cross_validate(set: &TrainingSet, k: usize) -> Option<CrossValidation> {
    let groups = set.group_refs();
    let (folds, k) = grouped_folds(&groups, k);
    if k < 2 {
        return None;
    }
    let mut linear = vec![0.0; set.len()];
    let mut mapped = vec![0.0; set.len()];
    for fold in 0..k {
        let (train, test) = split(&folds, fold);
        let fitted = fit(&set.subset(&train));
        for i in test {
            linear[i] = fitted.predict(&set.names, &set.rows[i], false);
            mapped[i] = fitted.predict(&set.names, &set.rows[i], true);
        }
    }
    let summary = |scores: &[f64], factor: f64| {
        let scored: Vec<Scored> = (0..set.len())
            .map(|i| Scored {
                group: set.groups[i].clone(),
                human: set.humans[i],
                score: scores[i] * factor,
            })
            .collect();
        Summary::compute(&scored)
    };
    Some(CrossValidation {
        folds: k,
        shipped: summary(&set.shipped, 1.0),
        linear: summary(&linear, 100.0),
        calibrated: summary(&mapped, 100.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 40 questions × 25 answers; the human grade is 0.1 + 0.6·a + 0.3·b² plus noise, c is noise.
    fn synthetic() -> TrainingSet {
        let mut set = TrainingSet {
            names: vec!["a".into(), "b".into(), "c".into()],
            ..TrainingSet::default()
        };
        let mut seed = 12345u64;
        let mut uniform = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for q in 0..40 {
            for _ in 0..25 {
                let (a, b, c) = (uniform(), uniform(), uniform());
                let noise = 0.1 * (uniform() - 0.5);
                let target = (0.1 + 0.6 * a + 0.3 * b * b + noise).clamp(0.0, 1.0);
                set.rows.push(vec![a, b, c]);
                set.targets.push(target);
                set.groups.push(format!("q{q}"));
                set.humans.push(HumanGrade::Score(5.0 * target));
                set.shipped.push(100.0 * c);
            }
        }
        set
    }

    #[test]
    fn fit_recovers_a_known_relationship() {
        let set = synthetic();
        let fitted = fit(&set);
        let w = &fitted.linear.weights;
        // b² over 0..1 is fitted best by the line 0.3·(b − 1/6): slope 0.3.
        assert!((w[0] - 0.6).abs() < 0.05, "{fitted:?}");
        assert!((w[1] - 0.3).abs() < 0.05, "{fitted:?}");
        assert!(w[2].abs() < 0.03, "noise feature gets ~0: {fitted:?}");
        assert!(
            fitted.lambda <= 0.03,
            "little noise → little penalty: {fitted:?}"
        );
        for pair in fitted.mapping.windows(2) {
            assert!(pair[0].0 < pair[1].0 && pair[0].1 <= pair[1].1);
        }
    }

    #[test]
    fn cross_validation_beats_a_useless_baseline_and_reports_every_answer() {
        let set = synthetic();
        let cv = cross_validate(&set, 5).unwrap();
        assert_eq!(cv.folds, 5);
        assert_eq!(cv.calibrated.n, 1000);
        assert!(cv.linear.pearson.unwrap() > 0.95, "{:?}", cv.linear.pearson);
        assert!(
            cv.calibrated.pearson.unwrap() > 0.95,
            "{:?}",
            cv.calibrated.pearson
        );
        assert!(
            cv.shipped.pearson.unwrap().abs() < 0.15,
            "the baseline is noise"
        );
    }

    #[test]
    fn cross_validation_needs_two_questions() {
        let mut set = synthetic();
        set.groups.iter_mut().for_each(|g| *g = "one".into());
        assert_eq!(cross_validate(&set, 5), None);
    }

    #[test]
    fn the_written_calibration_reproduces_the_fit() {
        let set = synthetic();
        let fitted = fit(&set);
        let calibration = fitted.to_calibration(&set.names, "synthetic".into());
        let row = &set.rows[7];
        let signals = Signals {
            names: vec!["c".into(), "b".into(), "a".into()],
            values: vec![row[2], row[1], row[0]],
        };
        let direct = fitted.predict(&set.names, row, true);
        assert!((calibration.apply(&signals) - direct).abs() < 1e-12);
    }

    #[test]
    fn select_keeps_named_columns_and_rejects_unknown_ones() {
        let set = synthetic();
        let only_b = set.select(&["b".into()]).unwrap();
        assert_eq!(only_b.rows[3], vec![set.rows[3][1]]);
        let err = set.select(&["zzz".into()]).unwrap_err();
        assert!(
            err.contains("unknown signal `zzz`") && err.contains("a, b, c"),
            "{err}"
        );
    }
}
