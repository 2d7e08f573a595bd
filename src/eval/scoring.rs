//! How an evaluation scores answers: every distinct rubric prepared once through the same
//! [`Grader`] `hone grade` and `hone batch` use (same term weights, same calibration), then the
//! grader's score, or the raw signals for `hone calibrate`.

use crate::grade::calibration::Signals;
use crate::grade::{Grader, PreparedRubric};
use crate::rubric::Rubric;

/// The data set's rubrics, prepared for grading many answers each.
#[derive(Debug, Clone)]
pub struct Scorer<'g> {
    prepared: Vec<PreparedRubric>,
    grader: &'g Grader,
}

impl<'g> Scorer<'g> {
    /// Prepares every rubric once with `grader`.
    pub fn new(rubrics: &[Rubric], grader: &'g Grader) -> Scorer<'g> {
        Scorer {
            prepared: rubrics.iter().map(|r| grader.prepare(r)).collect(),
            grader,
        }
    }

    /// hone's 0..=100 score of `answer` against rubric number `rubric`.
    pub fn score(&self, rubric: usize, answer: &str) -> f64 {
        self.grader.grade(&self.prepared[rubric], answer).score
    }

    /// The full local grade of `answer` against rubric number `rubric`.
    pub fn grade(&self, rubric: usize, answer: &str) -> crate::grade::Grade {
        self.grader.grade(&self.prepared[rubric], answer)
    }

    /// The grader's named signals of `answer` against rubric number `rubric`.
    pub fn signals(&self, rubric: usize, answer: &str) -> Signals {
        self.grader.signals(&self.prepared[rubric], answer)
    }
}
