//! Rubric files: embedded defaults under `rubrics/<bank>/`, on-disk overrides, drift check.

use crate::bank::Question;
use crate::rubric::Rubric;

/// Where rubrics come from: on-disk overrides first, then the embedded files, then extraction.
#[derive(Debug, Clone, Default)]
pub struct RubricStore {}

impl RubricStore {
    /// The store of the embedded rubrics, with overrides from the default on-disk location.
    pub fn bundled() -> RubricStore {
        RubricStore {}
    }

    /// The rubric for `question`.
    ///
    /// Placeholder until the store lands: extracts on the fly.
    pub fn rubric_for(&self, question: &Question) -> Result<Rubric, crate::InputError> {
        Ok(super::extract::extract(question))
    }
}
