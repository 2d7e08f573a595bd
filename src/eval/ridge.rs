//! Ridge regression on standardised features, returned as weights on the raw features.
//!
//! Each feature is centred and scaled to unit variance on the training data; the penalty
//! `lambda · n · Σ b²` is applied to the standardised coefficients (so `lambda` means the same
//! for any sample size) and not to the intercept. Constant features get weight 0.

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

/// A fitted linear model on the raw features: `intercept + Σ weights[j] · x[j]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

impl Linear {
    /// The model's prediction for one feature row.
    pub fn predict(&self, row: &[f64]) -> f64 {
        self.intercept
            + self
                .weights
                .iter()
                .zip(row)
                .map(|(w, x)| w * x)
                .sum::<f64>()
    }
}

/// Fits ridge regression of `ys` on the rows of `xs` (all rows the same length).
pub fn fit(xs: &[Vec<f64>], ys: &[f64], lambda: f64) -> Linear {
    let n = xs.len();
    let p = xs.first().map_or(0, Vec::len);
    let y_mean = ys.iter().sum::<f64>() / n.max(1) as f64;
    let (means, sds) = column_stats(xs, p);
    // Standardised columns; constant ones are left out of the solve.
    let used: Vec<usize> = (0..p).filter(|&j| sds[j] > 1e-12).collect();
    let z = |i: usize, j: usize| (xs[i][j] - means[j]) / sds[j];
    let q = used.len();
    let mut gram = vec![vec![0.0; q]; q];
    let mut rhs = vec![0.0; q];
    for i in 0..n {
        for (a, &ja) in used.iter().enumerate() {
            let za = z(i, ja);
            rhs[a] += za * (ys[i] - y_mean);
            for (b, &jb) in used.iter().enumerate().skip(a) {
                gram[a][b] += za * z(i, jb);
            }
        }
    }
    for a in 0..q {
        gram[a][a] += lambda.max(1e-9) * n as f64;
        for b in 0..a {
            gram[a][b] = gram[b][a];
        }
    }
    let coefficients = solve_spd(gram, rhs);
    let mut weights = vec![0.0; p];
    for (a, &j) in used.iter().enumerate() {
        weights[j] = coefficients[a] / sds[j];
    }
    let intercept = y_mean - weights.iter().zip(&means).map(|(w, m)| w * m).sum::<f64>();
    Linear { weights, intercept }
}

/// Mean and (population) standard deviation of each column.
fn column_stats(xs: &[Vec<f64>], p: usize) -> (Vec<f64>, Vec<f64>) {
    let n = xs.len().max(1) as f64;
    let means: Vec<f64> = (0..p)
        .map(|j| xs.iter().map(|r| r[j]).sum::<f64>() / n)
        .collect();
    let sds = (0..p)
        .map(|j| (xs.iter().map(|r| (r[j] - means[j]).powi(2)).sum::<f64>() / n).sqrt())
        .collect();
    (means, sds)
}

/// Solves `a · x = b` for a symmetric positive-definite `a` by Cholesky decomposition.
fn solve_spd(mut a: Vec<Vec<f64>>, b: Vec<f64>) -> Vec<f64> {
    let q = b.len();
    // In place: the lower triangle of `a` becomes L with a = L·Lᵀ.
    for j in 0..q {
        let diag = a[j][j] - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>();
        a[j][j] = diag.max(1e-12).sqrt();
        for i in j + 1..q {
            let off = a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>();
            a[i][j] = off / a[j][j];
        }
    }
    // Forward: L·y = b; backward: Lᵀ·x = y.
    let mut y = vec![0.0; q];
    for i in 0..q {
        y[i] = (b[i] - (0..i).map(|k| a[i][k] * y[k]).sum::<f64>()) / a[i][i];
    }
    let mut x = vec![0.0; q];
    for i in (0..q).rev() {
        x[i] = (y[i] - (i + 1..q).map(|k| a[k][i] * x[k]).sum::<f64>()) / a[i][i];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_penalty_recovers_an_exact_linear_relationship() {
        // y = 0.2 + 0.5·a − 0.3·b, with a and b not collinear; c is constant.
        let xs: Vec<Vec<f64>> = (0..50)
            .map(|i| {
                let a = (i % 7) as f64 / 7.0;
                let b = ((i * 3) % 11) as f64 / 11.0;
                vec![a, b, 1.0]
            })
            .collect();
        let ys: Vec<f64> = xs.iter().map(|r| 0.2 + 0.5 * r[0] - 0.3 * r[1]).collect();
        let model = fit(&xs, &ys, 1e-9);
        assert!((model.weights[0] - 0.5).abs() < 1e-6, "{model:?}");
        assert!((model.weights[1] + 0.3).abs() < 1e-6, "{model:?}");
        assert_eq!(model.weights[2], 0.0, "constant feature gets no weight");
        assert!((model.intercept - 0.2).abs() < 1e-6, "{model:?}");
        assert!((model.predict(&[1.0, 1.0, 1.0]) - 0.4).abs() < 1e-6);
    }

    #[test]
    fn a_large_penalty_shrinks_weights_towards_zero() {
        let xs: Vec<Vec<f64>> = (0..20).map(|i| vec![i as f64]).collect();
        let ys: Vec<f64> = (0..20).map(|i| 2.0 * i as f64).collect();
        let mild = fit(&xs, &ys, 0.01).weights[0];
        let strong = fit(&xs, &ys, 10.0).weights[0];
        assert!(
            mild > 1.9 && strong < 0.5 && strong > 0.0,
            "{mild} {strong}"
        );
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        // [[4, 2], [2, 3]] · [1, 2] = [8, 8].
        let x = solve_spd(vec![vec![4.0, 2.0], vec![2.0, 3.0]], vec![8.0, 8.0]);
        assert!(
            (x[0] - 1.0).abs() < 1e-12 && (x[1] - 2.0).abs() < 1e-12,
            "{x:?}"
        );
    }
}
