//! How an evaluation scores answers: hone's grade as shipped, or the grader's signals passed
//! through a user's calibration; plus the signals themselves for `hone calibrate`.

use crate::grade::calibration::{Calibration, Signals};
use crate::grade::{self, Grade};
use crate::rubric::Rubric;

/// Which score an evaluation compares with the human grades.
#[derive(Debug, Clone, Default)]
pub enum Scoring {
    /// `grade()`'s score, with the shipped calibration.
    #[default]
    Shipped,
    /// The local signals combined by this calibration.
    Calibrated(Calibration),
}

impl Scoring {
    /// hone's 0..=100 score of `answer`.
    pub fn score(&self, rubric: &Rubric, answer: &str) -> f64 {
        match self {
            Scoring::Shipped => grade::grade(rubric, answer).score,
            Scoring::Calibrated(calibration) => 100.0 * calibration.apply(&signals(rubric, answer)),
        }
    }
}

/// The local signals of one answer, as the calibration sees them.
///
/// Derived from the [`Grade`] until the grader exposes its own signals.
pub fn signals(rubric: &Rubric, answer: &str) -> Signals {
    signals_of_grade(&grade::grade(rubric, answer), answer)
}

/// Signals read off a finished grade: its score, mean key-point strength, share of key points
/// covered, and answer length (log-scaled words, 1.0 ≈ 150 words).
fn signals_of_grade(grade: &Grade, answer: &str) -> Signals {
    let points = grade.points.len().max(1) as f64;
    let strength = grade.points.iter().map(|p| p.strength).sum::<f64>() / points;
    let covered = grade
        .points
        .iter()
        .filter(|p| p.coverage == grade::Coverage::Covered)
        .count() as f64
        / points;
    let words = answer.split_whitespace().count() as f64;
    let length = ((1.0 + words).ln() / 151f64.ln()).min(1.5);
    Signals {
        names: ["score", "strength", "covered", "length"]
            .map(String::from)
            .to_vec(),
        values: vec![grade.score / 100.0, strength, covered, length],
    }
}
