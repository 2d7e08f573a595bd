//! How local signals combine into a score: a linear model over named signals, then a monotone map.
//!
//! Fitted by `hone calibrate` (see `eval`), shipped as defaults, applied by the grader.

use serde::{Deserialize, Serialize};

/// Named local signals measured on one answer, each roughly in 0..=1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Signal names, in a fixed order defined by the grader.
    pub names: Vec<String>,
    /// Values, same order as `names`.
    pub values: Vec<f64>,
}

/// A fitted calibration: `score01 = mapping(intercept + Σ weight·signal)`, then ×100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Format version of the calibration file.
    pub version: u32,
    /// What the weights were fitted on (shown in reports and README).
    pub fitted_on: String,
    /// Signal names the weights apply to; signals not named here get weight 0.
    pub features: Vec<String>,
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// Intercept of the linear model.
    pub intercept: f64,
    /// Monotone mapping from the linear value to 0..=1 as (x, y) knots, interpolated linearly
    /// and clamped at the ends; empty means clamp the linear value to 0..=1.
    #[serde(default)]
    pub mapping: Vec<(f64, f64)>,
}

impl Calibration {
    /// Applies the calibration to signals, giving a score in 0..=1.
    pub fn apply(&self, signals: &Signals) -> f64 {
        let names: Vec<&str> = signals.names.iter().map(String::as_str).collect();
        self.apply_named(&names, &signals.values)
    }

    /// Like [`apply`](Self::apply), for values given with borrowed names (no allocation).
    pub fn apply_named(&self, names: &[&str], values: &[f64]) -> f64 {
        let linear = self.intercept
            + self
                .features
                .iter()
                .zip(&self.weights)
                .map(|(name, w)| {
                    let value = names
                        .iter()
                        .position(|n| n == name)
                        .map_or(0.0, |i| values[i]);
                    w * value
                })
                .sum::<f64>();
        map_monotone(&self.mapping, linear).clamp(0.0, 1.0)
    }

    /// Reads a calibration TOML file (as written by `hone calibrate`), checking it is usable.
    pub fn from_toml_file(path: &std::path::Path) -> Result<Calibration, crate::InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::InputError::new(format!("cannot read calibration {}: {e}", path.display()))
        })?;
        Calibration::from_toml_str(&text).map_err(|message| {
            crate::InputError::new(format!("{}: {message}", path.display()))
                .with_hint("write one with `hone calibrate FILE.jsonl -o calibration.toml`")
        })
    }

    /// Parses and checks calibration TOML; the error says what is wrong.
    pub fn from_toml_str(text: &str) -> Result<Calibration, String> {
        let calibration: Calibration =
            toml::from_str(text).map_err(|e| format!("not a calibration file: {}", e.message()))?;
        calibration.check()?;
        Ok(calibration)
    }

    /// The calibration as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a calibration always serialises")
    }

    /// Checks version, lengths, finiteness and sorted mapping knots.
    fn check(&self) -> Result<(), String> {
        if self.version != 1 {
            return Err(format!(
                "calibration version {} is not supported (this hone reads version 1)",
                self.version
            ));
        }
        if self.features.len() != self.weights.len() {
            return Err(format!(
                "{} features but {} weights; they must pair up",
                self.features.len(),
                self.weights.len()
            ));
        }
        let numbers = self
            .weights
            .iter()
            .chain([&self.intercept])
            .chain(self.mapping.iter().flat_map(|(x, y)| [x, y]));
        if numbers.into_iter().any(|v| !v.is_finite()) {
            return Err("weights, intercept and mapping must be finite numbers".into());
        }
        if self.mapping.windows(2).any(|w| w[1].0 < w[0].0) {
            return Err("mapping knots must be sorted by their first value".into());
        }
        Ok(())
    }
}

/// Piecewise-linear interpolation through sorted knots (as in `Calibration::mapping`), clamped
/// at both ends; no knots is the identity. Used by `hone calibrate` to invert a mapping.
pub fn interpolate(knots: &[(f64, f64)], x: f64) -> f64 {
    map_monotone(knots, x)
}

/// Piecewise-linear interpolation through sorted knots, clamped at both ends.
fn map_monotone(knots: &[(f64, f64)], x: f64) -> f64 {
    match knots {
        [] => x,
        [only] => only.1,
        _ => {
            if x <= knots[0].0 {
                return knots[0].1;
            }
            for pair in knots.windows(2) {
                let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                if x <= x1 {
                    if x1 <= x0 {
                        return y1;
                    }
                    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
                }
            }
            knots[knots.len() - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_interpolates_and_clamps() {
        let knots = [(0.0, 0.0), (1.0, 0.5), (2.0, 1.0)];
        assert_eq!(map_monotone(&knots, -1.0), 0.0);
        assert_eq!(map_monotone(&knots, 0.5), 0.25);
        assert_eq!(map_monotone(&knots, 1.5), 0.75);
        assert_eq!(map_monotone(&knots, 9.0), 1.0);
    }

    #[test]
    fn toml_round_trips_and_bad_files_are_explained() {
        let cal = Calibration {
            version: 1,
            fitted_on: "unit test".into(),
            features: vec!["a".into()],
            weights: vec![0.5],
            intercept: 0.1,
            mapping: vec![(0.0, 0.0), (1.0, 1.0)],
        };
        assert_eq!(Calibration::from_toml_str(&cal.to_toml()), Ok(cal.clone()));
        let short = cal.to_toml().replace("weights = [0.5]", "weights = []");
        assert!(Calibration::from_toml_str(&short)
            .unwrap_err()
            .contains("1 features but 0 weights"));
        let v2 = cal.to_toml().replace("version = 1", "version = 2");
        assert!(Calibration::from_toml_str(&v2)
            .unwrap_err()
            .contains("version 2"));
        assert!(Calibration::from_toml_str("x = 1")
            .unwrap_err()
            .starts_with("not a calibration file"));
    }

    #[test]
    fn apply_uses_named_features_only() {
        let cal = Calibration {
            version: 1,
            fitted_on: "test".into(),
            features: vec!["a".into(), "b".into()],
            weights: vec![0.5, 0.25],
            intercept: 0.1,
            mapping: vec![],
        };
        let signals = Signals {
            names: vec!["b".into(), "c".into(), "a".into()],
            values: vec![1.0, 100.0, 0.4],
        };
        assert!((cal.apply(&signals) - (0.1 + 0.2 + 0.25)).abs() < 1e-12);
    }
}
