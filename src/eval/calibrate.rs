//! The data `hone calibrate` fits on: for every human-graded answer, the grader's signals, the
//! grade scaled to 0..=1 (labels as 0/1), its question group, and the shipped score.
//!
//! Fitting is in `fit`, grouped cross-validation in `crossval`.

use super::dataset::{BadLine, Dataset, HumanGrade};
use super::scale::HumanScale;
use super::scoring::Scorer;
use super::{parallel, rubrics};
use crate::grade::calibration::Signals;
use crate::rubric::Rubric;
use crate::InputError;

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
    /// Which input file each answer came from (0-based), for per-file figures.
    pub sources: Vec<usize>,
    /// 1-based line of each answer in its file.
    pub lines: Vec<usize>,
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
    grader: &crate::grade::Grader,
) -> Prepared {
    let labelled = dataset.all_labelled();
    let resolved = rubrics::resolve(dataset.items, bank_rubric);
    let scorer = Scorer::new(&resolved.rubrics, grader);
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
            sources: vec![0; measured.len()],
            lines: resolved.items.iter().map(|(i, _)| i.line).collect(),
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
    /// Appends the answers of another file as source number `source`, aligning signals by
    /// name; its question groups are prefixed with `source` so files never share a question.
    pub fn append(&mut self, other: TrainingSet, source: usize) {
        for name in &other.names {
            if !self.names.contains(name) {
                self.names.push(name.clone());
                self.rows.iter_mut().for_each(|r| r.push(0.0));
            }
        }
        for row in &other.rows {
            let signals = Signals {
                names: other.names.clone(),
                values: row.clone(),
            };
            self.rows.push(row_of(&signals, &self.names));
        }
        self.targets.extend(other.targets);
        self.groups
            .extend(other.groups.into_iter().map(|g| format!("{source}/{g}")));
        self.humans.extend(other.humans);
        self.shipped.extend(other.shipped);
        self.sources
            .extend(std::iter::repeat_n(source, other.rows.len()));
        self.lines.extend(other.lines);
    }

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
    pub(crate) fn subset(&self, indices: &[usize]) -> TrainingSet {
        TrainingSet {
            names: self.names.clone(),
            rows: indices.iter().map(|&i| self.rows[i].clone()).collect(),
            targets: indices.iter().map(|&i| self.targets[i]).collect(),
            groups: indices.iter().map(|&i| self.groups[i].clone()).collect(),
            humans: indices.iter().map(|&i| self.humans[i]).collect(),
            shipped: indices.iter().map(|&i| self.shipped[i]).collect(),
            sources: indices.iter().map(|&i| self.sources[i]).collect(),
            lines: indices.iter().map(|&i| self.lines[i]).collect(),
        }
    }

    /// Question group of each answer, borrowed.
    pub(crate) fn group_refs(&self) -> Vec<&str> {
        self.groups.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A calibration with no features, weights, intercept or mapping: the base to fit from.
    pub(crate) fn empty_base() -> crate::grade::calibration::Calibration {
        crate::grade::calibration::Calibration {
            version: 1,
            fitted_on: String::new(),
            features: vec![],
            weights: vec![],
            intercept: 0.0,
            mapping: vec![],
        }
    }

    /// 40 questions × 25 answers; the human grade is 0.1 + 0.6·a + 0.3·b² plus noise, c is noise.
    pub(crate) fn synthetic() -> TrainingSet {
        let mut set = TrainingSet {
            names: vec!["a".into(), "b".into(), "c".into()],
            ..TrainingSet::default()
        };
        let mut rng = fastrand::Rng::with_seed(12345);
        let mut uniform = || rng.f64();
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
                set.sources.push(0);
                set.lines.push(set.len());
            }
        }
        set
    }

    #[test]
    fn append_aligns_signals_by_name_and_keeps_files_apart() {
        let mut set = synthetic();
        let other = TrainingSet {
            names: vec!["c".into(), "d".into()],
            rows: vec![vec![0.5, 0.25]],
            targets: vec![1.0],
            groups: vec!["q0".into()],
            humans: vec![HumanGrade::Label(true)],
            shipped: vec![50.0],
            sources: vec![0],
            lines: vec![7],
        };
        set.append(other, 1);
        assert_eq!(set.names, vec!["a", "b", "c", "d"]);
        assert_eq!(set.rows.last().unwrap(), &vec![0.0, 0.0, 0.5, 0.25]);
        assert_eq!(set.rows[0].len(), 4);
        assert_eq!(set.groups.last().unwrap(), "1/q0");
        assert_ne!(set.groups[0], "1/q0");
        assert_eq!(set.sources.last(), Some(&1));
        assert_eq!(set.lines.last(), Some(&7));
        assert_eq!(set.len(), 1001);
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
