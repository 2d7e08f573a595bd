//! The human grading scale (e.g. 0–5 in steps of 0.5), inferred from the grades in a file,
//! and the mapping of hone's 0–100 score onto it.

use serde::Serialize;

/// Most levels a scale may have; finer data is treated as 100 equal steps.
const MAX_LEVELS: usize = 101;
/// Tolerance when deciding that grades sit on a common step.
const TOLERANCE: f64 = 1e-6;

/// A human grading scale: `min..=max` in equal `step`s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HumanScale {
    /// Lowest grade seen.
    pub min: f64,
    /// Highest grade seen.
    pub max: f64,
    /// Distance between adjacent levels.
    pub step: f64,
}

impl HumanScale {
    /// Infers the scale from the grades: the lowest and highest grade seen, and the largest step
    /// that every grade sits on (the greatest common divisor of the gaps between distinct grades),
    /// coarsened to at most 101 levels. `None` when there are no grades or they are all equal.
    pub fn infer(grades: &[f64]) -> Option<HumanScale> {
        let mut distinct: Vec<f64> = grades.iter().copied().filter(|g| g.is_finite()).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup_by(|a, b| (*a - *b).abs() <= TOLERANCE);
        let (&min, &max) = (distinct.first()?, distinct.last()?);
        if max - min <= TOLERANCE {
            return None;
        }
        let step = distinct
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(max - min, float_gcd);
        let finest = (max - min) / (MAX_LEVELS - 1) as f64;
        Some(HumanScale {
            min,
            max,
            step: step.max(finest),
        })
    }

    /// Number of levels on the scale.
    pub fn levels(&self) -> usize {
        ((self.max - self.min) / self.step).round() as usize + 1
    }

    /// Maps a grade already on 0..=1 linearly onto the scale (not rounded).
    pub fn from_unit(&self, unit: f64) -> f64 {
        self.min + unit.clamp(0.0, 1.0) * (self.max - self.min)
    }

    /// Maps a grade on this scale to 0..=1.
    pub fn to_unit(&self, grade: f64) -> f64 {
        ((grade - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }

    /// The level index (0-based) nearest to a grade on this scale.
    pub fn level_of(&self, grade: f64) -> usize {
        let index = ((grade - self.min) / self.step).round().max(0.0) as usize;
        index.min(self.levels() - 1)
    }

    /// One-line description, e.g. `0–5 in steps of 0.5 (11 levels)`.
    pub fn describe(&self) -> String {
        format!(
            "{}–{} in steps of {} ({} levels)",
            trim(self.min),
            trim(self.max),
            trim(self.step),
            self.levels()
        )
    }
}

/// Greatest common divisor of two positive reals, up to [`TOLERANCE`].
fn float_gcd(a: f64, b: f64) -> f64 {
    let (mut a, mut b) = (a.max(b), a.min(b));
    while b > TOLERANCE {
        let r = a % b;
        a = b;
        b = if r > b - TOLERANCE { 0.0 } else { r };
    }
    a
}

/// A number without trailing zeros, rounded to 4 decimals.
fn trim(x: f64) -> String {
    let s = format!("{:.4}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_half_point_steps_from_averaged_grades() {
        let scale = HumanScale::infer(&[0.0, 5.0, 3.5, 4.0, 2.5, 5.0]).unwrap();
        assert_eq!((scale.min, scale.max), (0.0, 5.0));
        assert!((scale.step - 0.5).abs() < 1e-9);
        assert_eq!(scale.levels(), 11);
        assert_eq!(scale.describe(), "0–5 in steps of 0.5 (11 levels)");
    }

    #[test]
    fn infers_a_step_that_divides_uneven_gaps() {
        // Gaps 0.2 and 0.3 share the step 0.1.
        let scale = HumanScale::infer(&[1.0, 1.2, 1.5]).unwrap();
        assert!((scale.step - 0.1).abs() < 1e-6, "{scale:?}");
        assert_eq!(scale.levels(), 6);
    }

    #[test]
    fn continuous_grades_are_capped_at_101_levels() {
        let grades: Vec<f64> = (0..500).map(|i| (i as f64).sqrt()).collect();
        assert_eq!(HumanScale::infer(&grades).unwrap().levels(), 101);
    }

    #[test]
    fn no_scale_for_constant_or_empty_grades() {
        assert_eq!(HumanScale::infer(&[]), None);
        assert_eq!(HumanScale::infer(&[2.0, 2.0]), None);
    }

    #[test]
    fn maps_hone_scores_onto_levels() {
        let scale = HumanScale::infer(&[0.0, 0.5, 5.0]).unwrap();
        assert_eq!(scale.from_unit(0.73), 3.65);
        assert_eq!(scale.level_of(3.65), 7); // 3.5
        assert_eq!(scale.level_of(3.80), 8); // 4.0
        assert_eq!(scale.level_of(99.0), 10);
        assert_eq!(scale.to_unit(2.5), 0.5);
    }
}
