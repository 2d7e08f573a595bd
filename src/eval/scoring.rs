//! How an evaluation scores answers: every distinct rubric prepared once (term weights taken
//! across all the data set's rubrics, as across a bank), then the grader's score with the
//! shipped calibration or a user's one, or the raw signals for `hone calibrate`.

use crate::grade::calibration::{Calibration, Signals};
use crate::grade::{default_calibration, PreparedRubric, TermWeights};
use crate::rubric::Rubric;

/// Which calibration turns the grader's signals into the score compared with human grades.
#[derive(Debug, Clone, Default)]
pub enum Scoring {
    /// The calibration hone ships.
    #[default]
    Shipped,
    /// A user's calibration (from `hone calibrate`).
    Calibrated(Calibration),
}

/// The data set's rubrics, prepared for grading many answers each.
#[derive(Debug, Clone)]
pub struct Scorer {
    prepared: Vec<PreparedRubric>,
    calibration: Scoring,
}

impl Scorer {
    /// Prepares every rubric once, weighting terms across all of them.
    pub fn new(rubrics: &[Rubric], calibration: Scoring) -> Scorer {
        let weights = TermWeights::from_rubrics(rubrics);
        Scorer {
            prepared: rubrics
                .iter()
                .map(|r| PreparedRubric::with_weights(r, &weights))
                .collect(),
            calibration,
        }
    }

    /// hone's 0..=100 score of `answer` against rubric number `rubric`.
    pub fn score(&self, rubric: usize, answer: &str) -> f64 {
        let calibration = match &self.calibration {
            Scoring::Shipped => default_calibration(),
            Scoring::Calibrated(c) => c,
        };
        self.prepared[rubric].grade(answer, calibration).score
    }

    /// The grader's named signals of `answer` against rubric number `rubric`.
    pub fn signals(&self, rubric: usize, answer: &str) -> Signals {
        self.prepared[rubric].signals(answer)
    }
}
