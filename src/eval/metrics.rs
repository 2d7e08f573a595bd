//! Agreement metrics between hone's scores and human grades: Pearson, Spearman, mean
//! per-question Pearson, quadratic weighted kappa, ROC AUC and RMSE.
//!
//! Every function is pure. A metric that is undefined for the data (fewer than two values, a
//! constant series, a single class) is `None`, never `NaN`.

use std::collections::BTreeMap;

/// Pearson correlation of two equally long series; `None` when undefined.
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    assert_eq!(xs.len(), ys.len(), "pearson needs series of equal length");
    let n = xs.len();
    if n < 2 {
        return None;
    }
    let mean_x = mean(xs);
    let mean_y = mean(ys);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    // Relative tolerance: a series whose spread is rounding noise counts as constant.
    let scale_x = xs.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1.0);
    let scale_y = ys.iter().fold(0.0f64, |m, y| m.max(y.abs())).max(1.0);
    let tiny = 1e-20 * n as f64;
    if sxx <= tiny * scale_x * scale_x || syy <= tiny * scale_y * scale_y {
        return None;
    }
    Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

/// Spearman rank correlation: Pearson of the ranks, ties getting their average rank.
pub fn spearman(xs: &[f64], ys: &[f64]) -> Option<f64> {
    pearson(&average_ranks(xs), &average_ranks(ys))
}

/// 1-based ranks with ties sharing the average of the ranks they span (`[10, 20, 20]` → `[1, 2.5, 2.5]`).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end; their average:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Mean of the per-group Pearson correlations.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GroupedPearson {
    /// Mean over the groups where Pearson is defined; `None` when there are none.
    pub mean: Option<f64>,
    /// Groups that contributed.
    pub groups_used: usize,
    /// Groups skipped because fewer than two answers, or human or hone scores constant.
    pub groups_skipped: usize,
}

/// Mean per-group Pearson (groups are questions), skipping groups where it is undefined.
pub fn mean_grouped_pearson(groups: &[&str], xs: &[f64], ys: &[f64]) -> GroupedPearson {
    let mut per_group: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for ((g, x), y) in groups.iter().zip(xs).zip(ys) {
        let entry = per_group.entry(g).or_default();
        entry.0.push(*x);
        entry.1.push(*y);
    }
    let rs: Vec<f64> = per_group
        .values()
        .filter_map(|(gx, gy)| pearson(gx, gy))
        .collect();
    GroupedPearson {
        mean: (!rs.is_empty()).then(|| mean(&rs)),
        groups_used: rs.len(),
        groups_skipped: per_group.len() - rs.len(),
    }
}

/// Quadratic weighted kappa between two ratings already expressed as category indices
/// `0..categories`; `None` when fewer than two ratings or when expected disagreement is zero.
pub fn quadratic_weighted_kappa(a: &[usize], b: &[usize], categories: usize) -> Option<f64> {
    assert_eq!(a.len(), b.len(), "kappa needs ratings of equal length");
    if a.len() < 2 || categories < 2 {
        return None;
    }
    let k = categories;
    let n = a.len() as f64;
    let mut observed = vec![0.0; k * k];
    let mut hist_a = vec![0.0; k];
    let mut hist_b = vec![0.0; k];
    for (&i, &j) in a.iter().zip(b) {
        assert!(i < k && j < k, "category out of range");
        observed[i * k + j] += 1.0;
        hist_a[i] += 1.0;
        hist_b[j] += 1.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let weight = ((i as f64 - j as f64) / (k as f64 - 1.0)).powi(2);
            num += weight * observed[i * k + j] / n;
            den += weight * hist_a[i] * hist_b[j] / (n * n);
        }
    }
    (den > 0.0).then(|| 1.0 - num / den)
}

/// ROC AUC of `scores` for the positive class: the probability that a random positive scores
/// above a random negative, ties counting one half (Mann–Whitney U / (n₊·n₋)).
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    assert_eq!(scores.len(), positive.len(), "auc needs equal lengths");
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let ranks = average_ranks(scores);
    let rank_sum_pos: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, &p)| p)
        .map(|(r, _)| r)
        .sum();
    let u = rank_sum_pos - (n_pos * (n_pos + 1)) as f64 / 2.0;
    Some(u / (n_pos as f64 * n_neg as f64))
}

/// Root mean squared error between predictions and truth; `None` when empty.
pub fn rmse(predicted: &[f64], truth: &[f64]) -> Option<f64> {
    assert_eq!(predicted.len(), truth.len(), "rmse needs equal lengths");
    if predicted.is_empty() {
        return None;
    }
    let sse: f64 = predicted
        .iter()
        .zip(truth)
        .map(|(p, t)| (p - t).powi(2))
        .sum();
    Some((sse / predicted.len() as f64).sqrt())
}

/// Arithmetic mean (0 for an empty slice).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pearson_matches_a_hand_computed_value() {
        // x = 1..5, y = [2, 4, 5, 4, 5]: sxy = 6, sxx = 10, syy = 6 → r = 6/√60.
        let r = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0]).unwrap();
        assert!(close(r, 6.0 / 60f64.sqrt()), "{r}");
    }

    #[test]
    fn pearson_of_a_perfect_line_is_one_and_of_its_mirror_minus_one() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let up: Vec<f64> = x.iter().map(|v| 3.0 * v + 1.0).collect();
        let down: Vec<f64> = x.iter().map(|v| -0.5 * v).collect();
        assert!(close(pearson(&x, &up).unwrap(), 1.0));
        assert!(close(pearson(&x, &down).unwrap(), -1.0));
    }

    #[test]
    fn pearson_is_undefined_for_constant_or_short_series() {
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]), None);
        assert_eq!(pearson(&[1.0], &[2.0]), None);
        assert_eq!(pearson(&[], &[]), None);
    }

    #[test]
    fn ties_get_average_ranks() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 20.0, 5.0, 20.0]),
            vec![2.0, 4.0, 4.0, 1.0, 4.0]
        );
    }

    #[test]
    fn spearman_with_ties_matches_a_hand_computed_value() {
        // x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4]:
        // centred x [-1.5, 0, 0, 1.5], centred y [-1.5, -0.5, 0.5, 1.5]
        // sxy = 4.5, sxx = 4.5, syy = 5 → ρ = 4.5 / √(4.5·5).
        let rho = spearman(&[1.0, 2.0, 2.0, 9.0], &[0.1, 0.2, 0.3, 0.4]).unwrap();
        assert!(close(rho, 4.5 / (4.5f64 * 5.0).sqrt()), "{rho}");
    }

    #[test]
    fn spearman_ignores_monotone_transforms() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y: Vec<f64> = x.iter().map(|v: &f64| v.powi(3)).collect();
        assert!(close(spearman(&x, &y).unwrap(), 1.0));
    }

    #[test]
    fn grouped_pearson_averages_groups_and_counts_skips() {
        let groups = ["a", "a", "a", "b", "b", "b", "c", "c", "d"];
        let xs = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 7.0];
        // a: perfect +1; b: perfect -1 → mean 0; c: y constant → skipped; d: one answer → skipped.
        let ys = [1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 5.0, 5.0, 1.0];
        let g = mean_grouped_pearson(&groups, &xs, &ys);
        assert!(close(g.mean.unwrap(), 0.0));
        assert_eq!((g.groups_used, g.groups_skipped), (2, 2));
    }

    #[test]
    fn kappa_is_one_for_agreement_and_matches_a_hand_computed_value() {
        assert!(close(
            quadratic_weighted_kappa(&[0, 1, 2], &[0, 1, 2], 3).unwrap(),
            1.0
        ));
        // a = [0,0,1,2], b = [0,1,1,1], k = 3, weights (i-j)²/4.
        // Observed: pairs (0,0),(0,1),(1,1),(2,1) → Σw·O/n = (0.25 + 0.25)/4 = 0.125.
        // Marginals a: [2,1,1], b: [1,3,0] → Σw·Ea·Eb/n² = (2·3·0.25 + 1·1·0.25 + 1·1·1 + 1·3·0.25)/16
        //   = (1.5 + 0.25 + 1 + 0.75)/16 = 0.21875 → κ = 1 − 0.125/0.21875 = 3/7.
        let k = quadratic_weighted_kappa(&[0, 0, 1, 2], &[0, 1, 1, 1], 3).unwrap();
        assert!(close(k, 3.0 / 7.0), "{k}");
    }

    #[test]
    fn kappa_is_undefined_when_both_raters_use_one_category() {
        assert_eq!(quadratic_weighted_kappa(&[1, 1], &[1, 1], 3), None);
    }

    #[test]
    fn auc_counts_ties_as_half() {
        // Positives 0.8, 0.5; negatives 0.5, 0.1: pairs (0.8>0.5), (0.8>0.1), (0.5=0.5 → ½), (0.5>0.1).
        let auc = roc_auc(&[0.8, 0.5, 0.5, 0.1], &[true, true, false, false]).unwrap();
        assert!(close(auc, 3.5 / 4.0), "{auc}");
        assert!(close(roc_auc(&[0.1, 0.9], &[true, false]).unwrap(), 0.0));
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, true]), None);
    }

    #[test]
    fn rmse_matches_a_hand_computed_value() {
        // Errors 1, -1, 2 → √(6/3) = √2.
        let r = rmse(&[1.0, 1.0, 3.0], &[0.0, 2.0, 1.0]).unwrap();
        assert!(close(r, 2f64.sqrt()));
        assert_eq!(rmse(&[], &[]), None);
    }
}
