//! The one way every command grades: a calibration plus the term weights rubrics are prepared
//! with. `hone grade`, `hone batch`, `hone practice` and `hone eval` all build a [`Grader`] and
//! prepare rubrics through it, so the score `hone eval` measures is the score users get.
//!
//! Term weights: a bank question's rubric is weighted by IDF across the whole catalog's rubrics
//! (computed once per process, see the CLI's `Globals::grader`); a rubric built from an ad-hoc
//! reference gets uniform weights (every content word 1), because a corpus of interview
//! questions says nothing about which words matter in someone else's domain. Either way the
//! weights never depend on what else is graded in the same run, so a (question, answer) pair
//! scores the same in `grade`, `batch` and `eval`.

use std::collections::HashSet;

use crate::rubric::Rubric;

use super::calibration::{Calibration, Signals};
use super::prepared::{PreparedRubric, TermWeights};
use super::Grade;

/// A calibration and the term weights rubrics are prepared with.
#[derive(Debug, Clone)]
pub struct Grader {
    calibration: Calibration,
    weights: TermWeights,
    /// (id, question) of every rubric the weights were taken across.
    corpus: HashSet<(String, String)>,
}

impl Grader {
    /// The shipped calibration, term weights taken across `corpus` (a whole catalog's rubrics)
    /// for the corpus's own rubrics; any other rubric is weighted uniformly.
    pub fn over(corpus: &[Rubric]) -> Grader {
        Grader {
            calibration: super::default_calibration().clone(),
            weights: TermWeights::from_rubrics(corpus),
            corpus: corpus
                .iter()
                .map(|r| (r.id.clone(), r.question.clone()))
                .collect(),
        }
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

    /// Prepares a rubric for grading many answers: corpus weights for a rubric of the corpus
    /// (a bank question), uniform weights for any other (an ad-hoc reference).
    pub fn prepare(&self, rubric: &Rubric) -> PreparedRubric {
        let key = (rubric.id.clone(), rubric.question.clone());
        if self.corpus.contains(&key) {
            PreparedRubric::with_weights(rubric, &self.weights)
        } else {
            PreparedRubric::new(rubric)
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::extract::from_reference;

    #[test]
    fn corpus_rubrics_get_corpus_weights_and_others_uniform_ones() {
        let lru = super::super::tests::lru();
        let other = from_reference(
            "other",
            "What is a mutex?",
            "A lock that lets one thread at a time into a critical section.",
            None,
        );
        let grader = Grader::over(&[lru.clone(), other]);
        let bank = grader.prepare(&lru);
        assert_ne!(bank.weights, PreparedRubric::new(&lru).weights);
        // The same text under another id is an ad-hoc rubric: uniform weights.
        let adhoc = Rubric {
            id: "adhoc".into(),
            ..lru.clone()
        };
        assert_eq!(
            grader.prepare(&adhoc).weights,
            PreparedRubric::new(&adhoc).weights
        );
    }
}
