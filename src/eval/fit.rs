//! Fits a [`Calibration`] to a [`TrainingSet`], starting from a base calibration (the shipped one).
//!
//! - Signals that do not vary in the data cannot be fitted: they keep their base weight
//!   (e.g. the STAR signals when the data has only technical answers).
//! - Penalty signals (`grade::signals::Signal::is_penalty`) may only lower a score: one that the data
//!   would turn into a reward keeps its base weight instead, and the rest is refitted. Every
//!   other signal may only raise it: one the data would weigh negatively (usually a side effect
//!   of correlated signals) gets weight 0. So more coverage never costs points.
//! - Free fit: ridge regression (standardised, with intercept) of the 0..=1 grade on the
//!   varying signals, then an isotonic mapping of the linear value onto the grade.
//! - Anchored fit, when a kept signal carries weight (so some answers are scored by signals the
//!   data never showed): the base intercept and mapping stay, so those answers score exactly as
//!   before. The weights keep the direction of the free ridge fit to the grade seen through the
//!   inverse of the base mapping, without its intercept, scaled to the base's total weight on
//!   the same signals (see `through_origin`).
//!
//! The ridge penalty is chosen from [`LAMBDAS`] by grouped cross-validation inside the data.

use super::calibrate::TrainingSet;
use super::folds::grouped_folds;
use super::isotonic;
use super::ridge::{self, Linear};
use crate::grade::calibration::{interpolate, Calibration};
use crate::grade::signals::{names_in, Group};

/// Ridge penalties tried (per sample); the inner cross-validation picks one.
pub const LAMBDAS: [f64; 7] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
/// Folds of the inner cross-validation that picks the penalty.
const INNER_FOLDS: usize = 5;
/// Each step of the monotone mapping spans at least this share of the training answers
/// (and at least 5), so a handful of answers cannot bend it.
const MIN_BLOCK_SHARE: f64 = 0.025;

/// Whether the fit may move the intercept and mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    /// Keep the base intercept and mapping when a kept signal carries weight.
    #[default]
    Auto,
    /// Always fit intercept and mapping (for calibrations used on one kind of question only).
    Free,
}

/// A fitted calibration and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// The calibration (its `fitted_on` left empty for the caller to fill).
    pub calibration: Calibration,
    /// Ridge penalty chosen by inner cross-validation.
    pub lambda: f64,
    /// Signals constant in the data: their base weight was kept.
    pub kept: Vec<String>,
    /// Penalties the data would have turned into rewards: their base weight was kept.
    pub reverted: Vec<String>,
    /// Signals the data would have given a negative weight (more of a good thing lowering the
    /// score): set to 0.
    pub zeroed: Vec<String>,
    /// Whether the base intercept and mapping were kept (anchored fit).
    pub anchored: bool,
}

/// Fits the calibration of `set`, starting from `base`.
pub fn fit(set: &TrainingSet, base: &Calibration, anchor: Anchor) -> Fitted {
    let base_weight = |name: &str| {
        base.features
            .iter()
            .position(|f| f == name)
            .map_or(0.0, |i| base.weights[i])
    };
    let base_weights: Vec<f64> = set.names.iter().map(|n| base_weight(n)).collect();
    // `Some(w)`: the signal's weight is fixed at w; `None`: fitted.
    let mut fixed: Vec<Option<f64>> = (0..set.names.len())
        .map(|j| (!varies(set, j)).then_some(base_weights[j]))
        .collect();
    let unseen_carries_weight = (0..set.names.len())
        .any(|j| fixed[j].is_some() && !is_penalty(&set.names[j]) && base_weights[j] != 0.0)
        || base
            .features
            .iter()
            .zip(&base.weights)
            .any(|(f, w)| !set.names.contains(f) && !is_penalty(f) && *w != 0.0);
    let anchored = anchor == Anchor::Auto && unseen_carries_weight;
    let kept: Vec<String> = (0..set.names.len())
        .filter(|&j| fixed[j].is_some())
        .map(|j| set.names[j].clone())
        .collect();
    let mut zeroed = Vec::new();
    let mut zeroed_mask = vec![false; set.names.len()];
    let mut reverted = Vec::new();
    loop {
        let (weights, intercept, lambda) =
            fit_free_weights(set, &fixed, &zeroed_mask, &base_weights, base, anchored);
        let mut changed = false;
        for j in 0..set.names.len() {
            let name = &set.names[j];
            if fixed[j].is_some() {
                continue;
            }
            if is_penalty(name) && weights[j] > 0.0 {
                fixed[j] = Some(base_weights[j]);
                reverted.push(name.clone());
                changed = true;
            } else if !is_penalty(name) && weights[j] < 0.0 {
                fixed[j] = Some(0.0);
                zeroed_mask[j] = true;
                zeroed.push(name.clone());
                changed = true;
            }
        }
        if changed {
            continue;
        }
        let mut calibration = assemble(set, base, weights, intercept);
        if !anchored {
            calibration.mapping = fit_mapping(set, &calibration);
        }
        return Fitted {
            calibration,
            lambda,
            kept,
            reverted,
            zeroed,
            anchored,
        };
    }
}

/// Whether column `j` takes more than one value.
fn varies(set: &TrainingSet, j: usize) -> bool {
    set.rows
        .first()
        .is_some_and(|first| set.rows.iter().any(|r| (r[j] - first[j]).abs() > 1e-12))
}

/// Whether a signal is a penalty (may only lower a score).
fn is_penalty(name: &str) -> bool {
    crate::grade::signals::is_penalty(name)
}

/// Weights of all columns (fixed ones as given), the intercept and the ridge penalty.
fn fit_free_weights(
    set: &TrainingSet,
    fixed: &[Option<f64>],
    zeroed: &[bool],
    base_weights: &[f64],
    base: &Calibration,
    anchored: bool,
) -> (Vec<f64>, f64, f64) {
    let free: Vec<usize> = (0..set.names.len())
        .filter(|&j| fixed[j].is_none())
        .collect();
    let xs: Vec<Vec<f64>> = set
        .rows
        .iter()
        .map(|r| free.iter().map(|&j| r[j]).collect())
        .collect();
    let inverse: Vec<(f64, f64)> = base.mapping.iter().map(|&(x, y)| (y, x)).collect();
    let ys: Vec<f64> = set
        .rows
        .iter()
        .zip(&set.targets)
        .map(|(row, &y)| {
            let offset: f64 = (0..row.len())
                .filter_map(|j| fixed[j].map(|w| w * row[j]))
                .sum();
            if anchored {
                interpolate(&inverse, y) - base.intercept - offset
            } else {
                y - offset
            }
        })
        .collect();
    let lambda = choose_lambda(&xs, &ys, &set.group_refs());
    let mut linear = ridge::fit(&xs, &ys, lambda);
    if anchored {
        // What the base gave the fitted signals and those the fit set to zero.
        let base_total: f64 = (0..set.names.len())
            .filter(|&j| fixed[j].is_none() || zeroed[j])
            .map(|j| base_weights[j])
            .sum();
        linear = through_origin(linear, base_total, &xs, &ys);
    }
    let mut weights: Vec<f64> = fixed.iter().map(|w| w.unwrap_or(0.0)).collect();
    for (a, &j) in free.iter().enumerate() {
        weights[j] = linear.weights[a];
    }
    let intercept = if anchored {
        base.intercept
    } else {
        linear.intercept
    };
    (weights, intercept, lambda)
}

/// Keeps the ridge model's direction but drops its intercept, so an answer with no signal
/// scores the base intercept. The weights are scaled to sum to `base_total`, what the base gave
/// the same signals — an answer at the top of every signal still scores as under the base, and
/// a lenient data set (most answers graded full marks) cannot push good answers to a ceiling
/// where they no longer rank apart. With no base total, the least-squares scale of
/// `y ≈ s · Σ w·x` is used.
fn through_origin(linear: Linear, base_total: f64, xs: &[Vec<f64>], ys: &[f64]) -> Linear {
    let direction_total: f64 = linear.weights.iter().sum();
    let scale = if base_total > 0.0 && direction_total > 0.0 {
        base_total / direction_total
    } else {
        let z: Vec<f64> = xs
            .iter()
            .map(|r| r.iter().zip(&linear.weights).map(|(x, w)| x * w).sum())
            .collect();
        let zz: f64 = z.iter().map(|v| v * v).sum();
        if zz > 0.0 {
            z.iter().zip(ys).map(|(a, b)| a * b).sum::<f64>() / zz
        } else {
            0.0
        }
    };
    Linear {
        weights: linear.weights.iter().map(|w| w * scale).collect(),
        intercept: 0.0,
    }
}

/// The calibration: the data's signals with their weights, then any base-only signals.
fn assemble(
    set: &TrainingSet,
    base: &Calibration,
    weights: Vec<f64>,
    intercept: f64,
) -> Calibration {
    let mut features = set.names.clone();
    let mut all_weights = weights;
    for (f, w) in base.features.iter().zip(&base.weights) {
        if !features.contains(f) {
            features.push(f.clone());
            all_weights.push(*w);
        }
    }
    Calibration {
        version: 1,
        fitted_on: String::new(),
        features,
        weights: all_weights,
        intercept,
        mapping: base.mapping.clone(),
    }
}

/// The isotonic mapping from the linear value to the grade.
fn fit_mapping(set: &TrainingSet, calibration: &Calibration) -> Vec<(f64, f64)> {
    let linear = Calibration {
        mapping: vec![],
        ..calibration.clone()
    };
    let values: Vec<f64> = set
        .rows
        .iter()
        .map(|r| linear_value(&linear, &set.names, r))
        .collect();
    let min_block = ((set.len() as f64 * MIN_BLOCK_SHARE) as usize).max(5);
    let knots = isotonic::monotone_knots(&values, &set.targets, min_block);
    span_full_range(knots, calibration)
}

/// Extends fitted knots to the ends of what the linear value can reach: nothing shown and
/// every penalty (0), and every signal of one kind of answer at its best with no penalty (1).
/// Technical signals are 0 for behavioural answers and the STAR signals 0 for technical ones,
/// so "best" is per kind; the lower of the two kinds' bests maps to 1, so both can reach 100.
/// Without this the mapping is flat beyond the outermost knots: answers better than the best
/// fitted block would all tie below 100, and coaching ("add X, +N points") would promise
/// nothing for them.
fn span_full_range(mut knots: Vec<(f64, f64)>, calibration: &Calibration) -> Vec<(f64, f64)> {
    let named = || calibration.features.iter().zip(&calibration.weights);
    let lowest = calibration.intercept + named().map(|(_, w)| w.min(0.0)).sum::<f64>();
    // A signal of neither kind (a custom name) counts for both.
    let best_of = |other_kind: &[&str]| {
        calibration.intercept
            + named()
                .filter(|(f, _)| !other_kind.contains(&f.as_str()))
                .map(|(_, w)| w.max(0.0))
                .sum::<f64>()
    };
    // A kind whose best stays below the top fitted block cannot reach it anyway.
    let top = knots.last().map_or(f64::INFINITY, |&(x, _)| x);
    let highest = [
        best_of(&names_in(Group::Behavioural)),
        best_of(&names_in(Group::Technical)),
    ]
    .into_iter()
    .filter(|&best| best > top)
    .fold(f64::INFINITY, f64::min);
    if knots.first().is_some_and(|&(x, y)| lowest < x && y > 0.0) {
        knots.insert(0, (lowest, 0.0));
    }
    if highest.is_finite() && knots.last().is_some_and(|&(_, y)| y < 1.0) {
        knots.push((highest, 1.0));
    }
    knots
}

/// `intercept + Σ weight·signal` for a row (unclamped, before any mapping).
fn linear_value(calibration: &Calibration, names: &[String], row: &[f64]) -> f64 {
    let model = Linear {
        weights: calibration.features.iter().zip(&calibration.weights).fold(
            vec![0.0; names.len()],
            |mut acc, (f, w)| {
                if let Some(j) = names.iter().position(|n| n == f) {
                    acc[j] = *w;
                }
                acc
            },
        ),
        intercept: calibration.intercept,
    };
    model.predict(row)
}

/// The penalty from [`LAMBDAS`] with the least held-out squared error, folds by question.
fn choose_lambda(xs: &[Vec<f64>], ys: &[f64], groups: &[&str]) -> f64 {
    let (folds, k) = grouped_folds(groups, INNER_FOLDS);
    if k < 2 || xs.first().is_none_or(Vec::is_empty) {
        return 0.01;
    }
    let error = |lambda: f64| -> f64 {
        (0..k)
            .map(|fold| {
                let (train, test) = split(&folds, fold);
                let train_x: Vec<Vec<f64>> = train.iter().map(|&i| xs[i].clone()).collect();
                let train_y: Vec<f64> = train.iter().map(|&i| ys[i]).collect();
                let model = ridge::fit(&train_x, &train_y, lambda);
                test.iter()
                    .map(|&i| (model.predict(&xs[i]) - ys[i]).powi(2))
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
pub(crate) fn split(folds: &[usize], fold: usize) -> (Vec<usize>, Vec<usize>) {
    (0..folds.len()).partition(|&i| folds[i] != fold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::calibrate::tests::{empty_base, synthetic};
    use crate::grade::calibration::Signals;

    fn weight(c: &Calibration, name: &str) -> f64 {
        c.weights[c.features.iter().position(|f| f == name).unwrap()]
    }

    #[test]
    fn free_fit_recovers_a_known_relationship() {
        let set = synthetic();
        let fitted = fit(&set, &empty_base(), Anchor::Auto);
        assert!(!fitted.anchored && fitted.kept.is_empty());
        assert!(fitted.zeroed.is_empty() || fitted.zeroed == vec!["c".to_string()]);
        let c = &fitted.calibration;
        // b² over 0..1 is fitted best by the line 0.3·(b − 1/6): slope 0.3.
        assert!((weight(c, "a") - 0.6).abs() < 0.05, "{fitted:?}");
        assert!((weight(c, "b") - 0.3).abs() < 0.05, "{fitted:?}");
        assert!(
            weight(c, "c").abs() < 0.03,
            "noise feature gets ~0: {fitted:?}"
        );
        assert!(
            fitted.lambda <= 0.03,
            "little noise → little penalty: {fitted:?}"
        );
        for pair in c.mapping.windows(2) {
            assert!(pair[0].0 < pair[1].0 && pair[0].1 <= pair[1].1);
        }
        // The file applies like the fit: a good row scores high, a poor one low.
        let signals = |a: f64, b: f64| Signals {
            names: vec!["a".into(), "b".into(), "c".into()],
            values: vec![a, b, 0.5],
        };
        assert!(c.apply(&signals(0.9, 0.9)) > 0.75);
        assert!(c.apply(&signals(0.1, 0.1)) < 0.3);
    }

    #[test]
    fn the_best_answer_of_either_kind_reaches_the_top_of_the_mapping() {
        let kinds: [&[&str]; 2] = [
            &["point_coverage", "answer_similarity", "reference_recall"],
            &["star_action", "star_result", "competencies"],
        ];
        for names in kinds {
            let mut set = synthetic();
            set.names = names.iter().map(|n| n.to_string()).collect();
            let c = fit(&set, &empty_base(), Anchor::Free).calibration;
            let row = |value: f64| Signals {
                names: set.names.clone(),
                values: vec![value; names.len()],
            };
            // The synthetic grades top out near 0.9; the best possible answer still gets 1.
            assert_eq!(c.apply(&row(1.0)), 1.0, "{names:?}: {c:?}");
            assert_eq!(c.apply(&row(0.0)), c.mapping[0].1, "{names:?}");
            assert!(c.mapping.windows(2).all(|p| p[0].0 < p[1].0));
        }
    }

    #[test]
    fn signals_the_data_never_varies_keep_the_base_and_anchor_the_fit() {
        let mut set = synthetic();
        set.names.push("story".into());
        set.rows.iter_mut().for_each(|r| r.push(0.0));
        let base = Calibration {
            features: vec!["a".into(), "story".into()],
            weights: vec![0.2, 0.7],
            intercept: 0.05,
            mapping: vec![(0.0, 0.0), (0.8, 0.9), (1.0, 1.0)],
            ..empty_base()
        };
        let fitted = fit(&set, &base, Anchor::Auto);
        assert!(fitted.anchored);
        assert_eq!(fitted.kept, vec!["story".to_string()]);
        let c = &fitted.calibration;
        assert_eq!((c.intercept, &c.mapping), (base.intercept, &base.mapping));
        assert_eq!(weight(c, "story"), 0.7);
        // a and b (and the noise c) share the base's total weight 0.2 on them, mostly a and b.
        let fitted_total = weight(c, "a") + weight(c, "b") + weight(c, "c");
        assert!((fitted_total - 0.2).abs() < 1e-9, "{c:?}");
        assert!(weight(c, "a") > weight(c, "b") && weight(c, "b") > weight(c, "c").abs());
        // A story-only answer scores exactly as under the base.
        let story = Signals {
            names: vec!["story".into()],
            values: vec![0.6],
        };
        assert_eq!(c.apply(&story), base.apply(&story));
    }

    #[test]
    fn a_signal_the_data_would_weigh_negatively_gets_zero() {
        let mut set = synthetic();
        set.names.push("echo".into());
        let targets = set.targets.clone();
        set.rows
            .iter_mut()
            .zip(&targets)
            .for_each(|(r, y)| r.push(1.0 - y));
        let fitted = fit(&set, &empty_base(), Anchor::Auto);
        assert!(fitted.zeroed.contains(&"echo".to_string()), "{fitted:?}");
        assert_eq!(weight(&fitted.calibration, "echo"), 0.0);
        assert!(
            fitted.calibration.weights.iter().all(|w| *w >= 0.0),
            "no negative weights: {fitted:?}"
        );
    }

    #[test]
    fn free_fits_intercept_and_mapping_even_when_the_base_has_unseen_signals() {
        let base = Calibration {
            features: vec!["story".into()],
            weights: vec![0.7],
            intercept: 0.05,
            mapping: vec![(0.0, 0.0), (0.8, 0.9), (1.0, 1.0)],
            ..empty_base()
        };
        let set = synthetic();
        assert!(fit(&set, &base, Anchor::Auto).anchored);
        let free = fit(&set, &base, Anchor::Free);
        assert!(!free.anchored);
        assert_ne!(free.calibration.mapping, base.mapping);
        assert_eq!(weight(&free.calibration, "story"), 0.7);
    }

    #[test]
    fn a_penalty_the_data_would_reward_keeps_its_base_weight() {
        let mut set = synthetic();
        // `gaming` rises with the grade here, as a false alarm on good answers would.
        set.names.push("gaming".into());
        let targets = set.targets.clone();
        set.rows
            .iter_mut()
            .zip(&targets)
            .for_each(|(r, y)| r.push(if *y > 0.6 { 1.0 } else { 0.0 }));
        let base = Calibration {
            features: vec!["gaming".into()],
            weights: vec![-0.3],
            ..empty_base()
        };
        let fitted = fit(&set, &base, Anchor::Auto);
        assert_eq!(fitted.reverted, vec!["gaming".to_string()]);
        assert_eq!(weight(&fitted.calibration, "gaming"), -0.3);
        assert!(!fitted.anchored, "penalties alone do not anchor the fit");
    }
}
