//! Isotonic regression (pool adjacent violators) turned into the knots of a monotone mapping.

/// Fits a non-decreasing step function of `ys` on `xs` and returns its knots: one per block, at
/// the block's mean x and mean y, sorted by x.
///
/// Blocks smaller than `min_block` samples are merged with a neighbour (which keeps the fit
/// monotone), so a few answers cannot bend the mapping. Knot values are clamped to 0..=1.
pub fn monotone_knots(xs: &[f64], ys: &[f64], min_block: usize) -> Vec<(f64, f64)> {
    assert_eq!(xs.len(), ys.len(), "isotonic needs equal lengths");
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut blocks: Vec<Block> = Vec::new();
    let mut previous_x = None;
    for &i in &order {
        // Samples with equal x always share a block, so knots have distinct x.
        match blocks.last_mut() {
            Some(last) if previous_x == Some(xs[i]) => last.absorb(Block::one(xs[i], ys[i])),
            _ => blocks.push(Block::one(xs[i], ys[i])),
        }
        previous_x = Some(xs[i]);
        pool_violators(&mut blocks);
    }
    merge_small(&mut blocks, min_block.max(1));
    blocks
        .iter()
        .map(|b| (b.sum_x / b.n, (b.sum_y / b.n).clamp(0.0, 1.0)))
        .collect()
}

/// A run of consecutive samples sharing one fitted value.
#[derive(Debug, Clone, Copy)]
struct Block {
    n: f64,
    sum_x: f64,
    sum_y: f64,
}

impl Block {
    fn one(x: f64, y: f64) -> Block {
        Block {
            n: 1.0,
            sum_x: x,
            sum_y: y,
        }
    }

    fn value(&self) -> f64 {
        self.sum_y / self.n
    }

    fn absorb(&mut self, other: Block) {
        self.n += other.n;
        self.sum_x += other.sum_x;
        self.sum_y += other.sum_y;
    }
}

/// Merges the last block backwards while it breaks monotonicity.
fn pool_violators(blocks: &mut Vec<Block>) {
    while blocks.len() >= 2 {
        let len = blocks.len();
        let last = blocks[len - 1];
        let prev = &mut blocks[len - 2];
        if prev.value() <= last.value() {
            break;
        }
        prev.absorb(last);
        blocks.pop();
    }
}

/// Merges every block smaller than `min` into its neighbour with the closer value.
fn merge_small(blocks: &mut Vec<Block>, min: usize) {
    while blocks.len() > 1 {
        let Some(i) = blocks.iter().position(|b| (b.n as usize) < min) else {
            break;
        };
        let j = if i == 0 {
            1
        } else if i == blocks.len() - 1 {
            i - 1
        } else {
            let v = blocks[i].value();
            let (left, right) = (blocks[i - 1].value(), blocks[i + 1].value());
            if (v - left).abs() <= (right - v).abs() {
                i - 1
            } else {
                i + 1
            }
        };
        let (keep, gone) = (i.min(j), i.max(j));
        let removed = blocks.remove(gone);
        blocks[keep].absorb(removed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violators_are_pooled_into_their_mean() {
        // y over sorted x: 0, 1, 0.5, 2 → the middle pair pools to 0.75.
        let knots = monotone_knots(&[1.0, 2.0, 3.0, 4.0], &[0.0, 1.0, 0.5, 1.0], 1);
        assert_eq!(knots, vec![(1.0, 0.0), (2.5, 0.75), (4.0, 1.0)]);
    }

    #[test]
    fn knots_are_monotone_for_noisy_data_and_respect_the_minimum_block() {
        let xs: Vec<f64> = (0..300).map(|i| i as f64 / 300.0).collect();
        let ys: Vec<f64> = xs
            .iter()
            .enumerate()
            .map(|(i, x)| (x + 0.3 * ((i * 37 % 17) as f64 / 17.0 - 0.5)).clamp(0.0, 1.0))
            .collect();
        let knots = monotone_knots(&xs, &ys, 20);
        assert!(knots.len() >= 2);
        assert!(knots.len() <= 300 / 20);
        for w in knots.windows(2) {
            assert!(w[0].0 < w[1].0 && w[0].1 <= w[1].1, "{knots:?}");
        }
    }

    #[test]
    fn equal_x_share_one_knot() {
        let knots = monotone_knots(&[1.0, 1.0, 2.0], &[0.0, 1.0, 0.8], 1);
        assert_eq!(knots, vec![(1.0, 0.5), (2.0, 0.8)]);
    }

    #[test]
    fn already_monotone_data_keeps_one_knot_per_sample() {
        let knots = monotone_knots(&[3.0, 1.0, 2.0], &[0.9, 0.1, 0.5], 1);
        assert_eq!(knots, vec![(1.0, 0.1), (2.0, 0.5), (3.0, 0.9)]);
    }
}
