//! The one way every command grades: a calibration plus the term weights rubrics are prepared
//! with. `hone grade`, `hone batch`, `hone practice` and `hone eval` all build a [`Grader`] and
//! prepare rubrics through it, so the score `hone eval` measures is the score users get.
//!
//! Term weights are IDF across one fixed corpus — the catalog's rubrics (see the CLI's
//! `Globals::grader`) — for bank questions and ad-hoc references alike, so a (question, answer)
//! pair scores the same whatever else is graded in the same run.

use crate::rubric::Rubric;

use super::calibration::{Calibration, Signals};
use super::prepared::{PreparedRubric, TermWeights};
use super::Grade;

/// A calibration and the term weights rubrics are prepared with.
#[derive(Debug, Clone)]
pub struct Grader {
    calibration: Calibration,
    weights: TermWeights,
}

impl Grader {
    /// A grader with this calibration and these term weights.
    pub fn new(calibration: Calibration, weights: TermWeights) -> Grader {
        Grader {
            calibration,
            weights,
        }
    }

    /// The shipped calibration, term weights taken across `corpus` (e.g. a whole catalog).
    pub fn over<'a>(corpus: impl IntoIterator<Item = &'a Rubric>) -> Grader {
        Grader::new(
            super::default_calibration().clone(),
            TermWeights::from_rubrics(corpus),
        )
    }

    /// The same term weights with another calibration.
    pub fn with_calibration(self, calibration: Calibration) -> Grader {
        Grader {
            calibration,
            ..self
        }
    }

    /// The calibration in use.
    pub fn calibration(&self) -> &Calibration {
        &self.calibration
    }

    /// Prepares a rubric (bank or ad hoc) for grading many answers.
    pub fn prepare(&self, rubric: &Rubric) -> PreparedRubric {
        PreparedRubric::with_weights(rubric, &self.weights)
    }

    /// Grades `answer` against a rubric prepared by [`Grader::prepare`].
    pub fn grade(&self, rubric: &PreparedRubric, answer: &str) -> Grade {
        rubric.grade(answer, &self.calibration)
    }

    /// Grades `answer` against a rubric, preparing it first (one-off grading).
    pub fn grade_rubric(&self, rubric: &Rubric, answer: &str) -> Grade {
        self.grade(&self.prepare(rubric), answer)
    }

    /// The named signals of `answer` (before calibration).
    pub fn signals(&self, rubric: &PreparedRubric, answer: &str) -> Signals {
        rubric.signals(answer)
    }
}
