//! Grouped cross-validation of the whole fitting procedure: every answer is scored by a
//! calibration fitted without any answer to its question.

use super::calibrate::TrainingSet;
use super::fit::{fit, split, Anchor};
use super::folds::grouped_folds;
use super::summary::{Scored, Summary};
use crate::grade::calibration::{Calibration, Signals};

/// Held-out figures of a grouped cross-validation, per input file.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    /// Folds used (at most the number of questions).
    pub folds: usize,
    /// Figures for each input file, in file order (grades on different scales are not pooled).
    pub files: Vec<FileFigures>,
}

/// Held-out figures on one input file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileFigures {
    /// hone's shipped scores on the same answers (no fitting involved).
    pub shipped: Summary,
    /// The linear part alone (free fits only), each answer predicted by a fit that never saw
    /// its question.
    pub linear: Option<Summary>,
    /// The whole calibration, likewise held out: what `hone calibrate` writes.
    pub calibrated: Summary,
}

/// Cross-validates fitting from `base` (see [`fit`]) with `k` folds that hold out whole questions.
/// `None` when there are fewer than two questions.
pub fn cross_validate(
    set: &TrainingSet,
    base: &Calibration,
    anchor: Anchor,
    k: usize,
) -> Option<CrossValidation> {
    let (folds, k) = grouped_folds(&set.group_refs(), k);
    if k < 2 {
        return None;
    }
    let mut linear = vec![0.0; set.len()];
    let mut calibrated = vec![0.0; set.len()];
    let mut anchored = false;
    for fold in 0..k {
        let (train, test) = split(&folds, fold);
        let fitted = fit(&set.subset(&train), base, anchor);
        anchored |= fitted.anchored;
        let without_mapping = Calibration {
            mapping: vec![],
            ..fitted.calibration.clone()
        };
        for i in test {
            let signals = Signals {
                names: set.names.clone(),
                values: set.rows[i].clone(),
            };
            calibrated[i] = 100.0 * fitted.calibration.apply(&signals);
            linear[i] = 100.0 * without_mapping.apply(&signals);
        }
    }
    let files = set.sources.iter().max().map_or(0, |m| m + 1);
    Some(CrossValidation {
        folds: k,
        files: (0..files)
            .map(|source| FileFigures {
                shipped: summarise(set, source, &set.shipped),
                linear: (!anchored).then(|| summarise(set, source, &linear)),
                calibrated: summarise(set, source, &calibrated),
            })
            .collect(),
    })
}

/// Agreement figures of 0..=100 scores against the human grades of one source file.
fn summarise(set: &TrainingSet, source: usize, scores: &[f64]) -> Summary {
    let scored: Vec<Scored> = (0..set.len())
        .filter(|&i| set.sources[i] == source)
        .map(|i| Scored {
            group: set.groups[i].clone(),
            human: set.humans[i],
            score: scores[i],
        })
        .collect();
    Summary::compute(&scored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::calibrate::tests::{empty_base, synthetic};

    #[test]
    fn cross_validation_beats_a_useless_baseline_and_reports_every_answer() {
        let set = synthetic();
        let cv = cross_validate(&set, &empty_base(), Anchor::Auto, 5).unwrap();
        assert_eq!(cv.folds, 5);
        assert_eq!(cv.files.len(), 1);
        let cv = &cv.files[0];
        assert_eq!(cv.calibrated.n, 1000);
        let linear = cv.linear.as_ref().unwrap().pearson.unwrap();
        assert!(linear > 0.95, "{linear}");
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
    fn figures_are_given_per_file() {
        let mut set = synthetic();
        let mut second = synthetic();
        second.humans = second
            .targets
            .iter()
            .map(|&t| crate::eval::dataset::HumanGrade::Label(t > 0.5))
            .collect();
        set.append(second, 1);
        let cv = cross_validate(&set, &empty_base(), Anchor::Auto, 4).unwrap();
        assert_eq!(cv.files.len(), 2);
        assert_eq!(cv.files[0].calibrated.n, 1000);
        assert!(cv.files[0].calibrated.scale.is_some());
        assert!(cv.files[1].calibrated.auc.unwrap() > 0.9);
    }

    #[test]
    fn cross_validation_needs_two_questions() {
        let mut set = synthetic();
        set.groups.iter_mut().for_each(|g| *g = "one".into());
        assert_eq!(cross_validate(&set, &empty_base(), Anchor::Auto, 5), None);
    }
}
