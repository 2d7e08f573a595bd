//! The one way every command grades: a calibration plus the term weights rubrics are prepared
//! with. `hone grade`, `hone batch`, `hone practice` and `hone eval` all build a [`Grader`] and
//! prepare rubrics through it, so the score `hone eval` measures is the score users get.
//!
//! Calibration: the one given (`--calibration`), else the shipped one for the rubric's
//! [`Origin`]: bank questions and ad-hoc references are scored by separately fitted weights.
//!
//! Term weights: a bank question's rubric is weighted by IDF across the whole catalog's rubrics
//! (computed once per process, see the CLI's `Settings::grader`); a rubric built from an ad-hoc
//! reference gets uniform weights (every content word 1), because a corpus of interview
//! questions says nothing about which words matter in someone else's domain. Either way the
//! weights never depend on what else is graded in the same run, so a (question, answer) pair
//! scores the same in `grade`, `batch` and `eval`.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::bank::Question;
use crate::rubric::Rubric;

use super::calibration::{Calibration, Signals};
use super::correctness::TopicProfile;
use super::prepared::{Origin, PreparedRubric};
use super::term_weights::TermWeights;
use super::Grade;

/// A calibration and the term weights rubrics are prepared with.
#[derive(Debug, Clone)]
pub struct Grader {
    /// A calibration for every rubric, else the shipped one of its origin.
    calibration: Option<Calibration>,
    weights: Cow<'static, TermWeights>,
    /// (id, question) of every rubric the weights were taken across.
    corpus: HashSet<(String, String)>,
    /// Where the rubrics of sibling questions come from, for the topicality check.
    siblings: Siblings,
}

/// The rubrics a bank question is told apart from: the other questions of its section.
#[derive(Debug, Clone)]
enum Siblings {
    /// The catalog's rubrics, given when the grader was built.
    Corpus(Vec<Rubric>),
    /// The bundled rubrics embedded in the binary, parsed when a question is prepared.
    Embedded,
}

/// The part of a bank id that names its section: `pse/dsa/` for `pse/dsa/1`.
fn section_of(id: &str) -> Option<&str> {
    id.rfind('/').map(|i| &id[..=i])
}

impl Grader {
    /// The shipped calibrations, term weights taken across `corpus` (a whole catalog's rubrics)
    /// for the corpus's own rubrics; any other rubric is weighted uniformly.
    pub fn over(corpus: &[Rubric]) -> Grader {
        Grader {
            calibration: None,
            weights: Cow::Owned(TermWeights::from_rubrics(corpus)),
            corpus: corpus
                .iter()
                .map(|r| (r.id.clone(), r.question.clone()))
                .collect(),
            siblings: Siblings::Corpus(corpus.to_vec()),
        }
    }

    /// [`Grader::over`] the bundled rubrics of the bundled `questions`, from the embedded
    /// term-weight table: no rubric is parsed or analysed to build it.
    pub fn bundled(questions: &[Question]) -> Grader {
        Grader {
            calibration: None,
            weights: Cow::Borrowed(TermWeights::bundled()),
            corpus: questions
                .iter()
                .map(|q| (q.id.clone(), q.text.trim().to_string()))
                .collect(),
            siblings: Siblings::Embedded,
        }
    }

    /// The same term weights with one calibration for every rubric.
    pub fn with_calibration(self, calibration: Calibration) -> Grader {
        Grader {
            calibration: Some(calibration),
            ..self
        }
    }

    /// The same term weights with the shipped calibrations.
    pub fn shipped(self) -> Grader {
        Grader {
            calibration: None,
            ..self
        }
    }

    /// The calibration answers to a rubric of this origin are scored with.
    pub fn calibration_for(&self, origin: Origin) -> &Calibration {
        self.calibration
            .as_ref()
            .unwrap_or_else(|| super::shipped_calibration(origin))
    }

    /// Prepares a rubric for grading many answers: corpus weights for a rubric of the corpus
    /// (a bank question), uniform weights for any other, and always for one built from a
    /// reference answer, even when its id and question are a bank question's.
    pub fn prepare(&self, rubric: &Rubric) -> PreparedRubric {
        let key = (rubric.id.clone(), rubric.question.clone());
        if !rubric.built_from_reference && self.corpus.contains(&key) {
            // The siblings' topic profiles are built beside the rubric's own preparation:
            // together they are most of `hone grade`'s start-up.
            std::thread::scope(|scope| {
                let rivals = scope.spawn(|| {
                    self.sibling_rubrics(&rubric.id)
                        .iter()
                        .map(|r| TopicProfile::of(r, &self.weights))
                        .collect::<Vec<_>>()
                });
                let mut prepared = PreparedRubric::with_weights(rubric, &self.weights);
                prepared.rivals = rivals.join().unwrap_or_default();
                prepared
            })
        } else {
            PreparedRubric::new(rubric)
        }
    }

    /// Grades `answer` against a rubric prepared by [`Grader::prepare`].
    /// The rubrics of the other questions in a bank question's section.
    fn sibling_rubrics(&self, id: &str) -> Vec<Rubric> {
        let Some(section) = section_of(id) else {
            return Vec::new();
        };
        let is_sibling = |other: &str| other != id && section_of(other) == Some(section);
        match &self.siblings {
            Siblings::Corpus(rubrics) => rubrics
                .iter()
                .filter(|r| is_sibling(&r.id))
                .cloned()
                .collect(),
            Siblings::Embedded => self
                .corpus
                .iter()
                .filter(|(other, _)| is_sibling(other))
                .filter_map(|(other, _)| {
                    let (bank_section, number) = other.rsplit_once('/')?;
                    let rel = format!("{}-{number}.toml", bank_section);
                    crate::rubric::store::parse(crate::rubric::store::embedded(&rel)?, &rel).ok()
                })
                .collect(),
        }
    }

    pub fn grade(&self, rubric: &PreparedRubric, answer: &str) -> Grade {
        rubric.grade(answer, self.calibration_for(rubric.origin))
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
        assert_eq!(bank.origin, Origin::Bank);
        // The same text under another id is outside the corpus: uniform weights.
        let renamed = Rubric {
            id: "mine/1".into(),
            ..lru.clone()
        };
        assert_eq!(
            grader.prepare(&renamed).weights,
            PreparedRubric::new(&renamed).weights
        );
        // Built from a reference, it is an ad-hoc rubric even under the bank's id and question.
        let adhoc = Rubric {
            built_from_reference: true,
            ..lru.clone()
        };
        let prepared = grader.prepare(&adhoc);
        assert_eq!(prepared.weights, PreparedRubric::new(&adhoc).weights);
        assert_eq!(prepared.origin, Origin::Reference);
    }

    #[test]
    fn the_embedded_table_weighs_exactly_as_the_bundled_rubrics_do() {
        use crate::bank::Catalog;
        use crate::grade::term_weights::{bundled_frequencies, DocumentFrequencies};
        use crate::rubric::store::RubricStore;
        let catalog = Catalog::load(&Vec::<std::path::PathBuf>::new()).unwrap();
        let rubrics = RubricStore::bundled().all_rubrics(catalog.questions());
        assert_eq!(
            &DocumentFrequencies::of(&rubrics),
            bundled_frequencies(),
            "rubrics/term-weights.tsv is stale: run `hone rubric build`"
        );
        let (fast, computed) = (Grader::bundled(catalog.questions()), Grader::over(&rubrics));
        for rubric in &rubrics {
            let prepared = fast.prepare(rubric);
            assert_eq!(prepared.origin, Origin::Bank, "{}", rubric.id);
            assert_eq!(prepared.weights, computed.prepare(rubric).weights);
        }
    }

    #[test]
    fn each_origin_has_its_shipped_calibration_unless_one_is_given() {
        let grader = Grader::over(&[]);
        for origin in [Origin::Bank, Origin::Reference] {
            assert_eq!(
                grader.calibration_for(origin),
                super::super::shipped_calibration(origin)
            );
        }
        let mine = Calibration {
            fitted_on: "mine".into(),
            ..super::super::shipped_calibration(Origin::Bank).clone()
        };
        let grader = grader.with_calibration(mine);
        assert_eq!(grader.calibration_for(Origin::Bank).fitted_on, "mine");
        assert_eq!(grader.calibration_for(Origin::Reference).fitted_on, "mine");
        assert_ne!(
            grader
                .shipped()
                .calibration_for(Origin::Reference)
                .fitted_on,
            "mine"
        );
    }
}
