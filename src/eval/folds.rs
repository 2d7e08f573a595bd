//! Grouped K-fold: folds hold out whole questions, so cross-validated figures say how hone does
//! on questions it was not fitted on.

use std::collections::BTreeMap;

/// Assigns each sample a fold in `0..k` such that all samples of a group share one fold.
///
/// Groups are dealt largest first to the fold with the fewest samples so far (ties: lowest fold,
/// then group name), which balances fold sizes and is deterministic. `k` is capped at the number
/// of groups; returns the fold of every sample and the number of folds actually used.
pub fn grouped_folds(groups: &[&str], k: usize) -> (Vec<usize>, usize) {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for g in groups {
        *sizes.entry(g).or_default() += 1;
    }
    let k = k.clamp(1, sizes.len().max(1));
    let mut by_size: Vec<(&str, usize)> = sizes.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut load = vec![0usize; k];
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (group, size) in by_size {
        let fold = (0..k).min_by_key(|&f| (load[f], f)).expect("k ≥ 1");
        load[fold] += size;
        fold_of.insert(group, fold);
    }
    (groups.iter().map(|g| fold_of[g]).collect(), k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_group_is_split_and_folds_are_balanced() {
        let groups: Vec<String> = (0..200).map(|i| format!("q{}", (i * 7) % 23)).collect();
        let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
        let (folds, k) = grouped_folds(&refs, 5);
        assert_eq!(k, 5);
        let mut fold_of_group: HashMap<&str, usize> = HashMap::new();
        for (g, f) in refs.iter().zip(&folds) {
            assert_eq!(*fold_of_group.entry(g).or_insert(*f), *f, "group {g} split");
        }
        let mut counts = [0usize; 5];
        for f in &folds {
            counts[*f] += 1;
        }
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(max - min <= 9, "unbalanced folds {counts:?}");
    }

    #[test]
    fn k_is_capped_at_the_number_of_groups() {
        let (folds, k) = grouped_folds(&["a", "b", "a"], 10);
        assert_eq!(k, 2);
        assert_eq!(folds[0], folds[2]);
        assert_ne!(folds[0], folds[1]);
    }
}
