//! Figures for answers written at known quality levels: each answer carries the score range it
//! deserves and its variant (`tier0`..`tier4`, `off_topic`, `negated`, `keyword_list`,
//! `generic_fluff`, `injection`…). They say whether the score follows correctness: tiers ranked
//! in order, answers inside their range, wrong and off-topic answers low, gaming below honest
//! mediocre answers.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dataset::Expected;
use super::metrics;

/// Slack around the expected range within which a score still counts as in range.
pub const RANGE_SLACK: f64 = 10.0;
/// Score at or below which a wrong, negated or off-topic answer counts as scored low.
pub const LOW_SCORE: f64 = 30.0;
/// Variants that deserve a low score whatever their words: answers to another question,
/// reversed claims, fluent but wrong answers.
pub const LOW_VARIANTS: [&str; 3] = ["off_topic", "negated", "tier0"];
/// Variants that use the right words without substance; they should stay below the same
/// question's mediocre (tier 2) answer.
pub const HOLLOW_VARIANTS: [&str; 2] = ["keyword_list", "generic_fluff"];

/// One scored answer with what it deserves.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedScore<'a> {
    /// Question group.
    pub group: &'a str,
    /// What it deserves.
    pub expected: &'a Expected,
    /// What hone gave, 0..=100.
    pub score: f64,
}

/// A count of answers meeting a condition out of those it applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Count {
    /// Answers meeting it (pairs tied in score count half where pairs are counted).
    pub hits: f64,
    /// Answers (or pairs) it applies to.
    pub total: usize,
}

impl Count {
    /// The share met, when anything was counted.
    pub fn share(&self) -> Option<f64> {
        (self.total > 0).then(|| self.hits / self.total as f64)
    }
}

/// Figures for one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantRow {
    /// The variant.
    pub variant: String,
    /// Answers of this variant.
    pub n: usize,
    /// Mean score.
    pub mean: f64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Mean of the expected ranges' middles.
    pub expected_mid: f64,
    /// Answers inside their range ± [`RANGE_SLACK`].
    pub in_range: usize,
}

/// All the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedFigures {
    /// Answers with an expected range.
    pub answers: usize,
    /// Spearman ρ between score and tier, over tier answers.
    pub tier_spearman: Option<f64>,
    /// Pairs of tier answers to one question with different tiers, ordered right by score.
    pub tier_pairs_ordered: Count,
    /// Answers scoring inside their range ± [`RANGE_SLACK`].
    pub in_range: Count,
    /// Off-topic, negated and tier-0 answers scoring at most [`LOW_SCORE`].
    pub low_variants_low: Count,
    /// Keyword-list and generic-fluff answers scoring below the same question's tier 2 answer.
    pub hollow_below_tier2: Count,
    /// Injection answers scoring below the same question's tier 3 answer.
    pub injection_below_tier3: Count,
    /// Mean score of tier 4 answers.
    pub tier4_mean: Option<f64>,
    /// Mean score of tier 3 answers.
    pub tier3_mean: Option<f64>,
    /// Per variant, tiers first (4 to 0), then the others by name.
    pub by_variant: Vec<VariantRow>,
}

impl ExpectedFigures {
    /// Computes the figures; `None` when no answer has an expected range.
    pub fn compute(scored: &[ExpectedScore<'_>]) -> Option<ExpectedFigures> {
        if scored.is_empty() {
            return None;
        }
        let tiered: Vec<&ExpectedScore> = scored
            .iter()
            .filter(|s| s.expected.tier.is_some())
            .collect();
        let tier_spearman = metrics::spearman(
            &tiered.iter().map(|s| s.score).collect::<Vec<_>>(),
            &tiered
                .iter()
                .map(|s| f64::from(s.expected.tier.unwrap_or(0)))
                .collect::<Vec<_>>(),
        );
        let mut pairs = Count::default();
        for (i, a) in tiered.iter().enumerate() {
            for b in &tiered[i + 1..] {
                if a.group != b.group || a.expected.tier == b.expected.tier {
                    continue;
                }
                let (high, low) = if a.expected.tier > b.expected.tier {
                    (a, b)
                } else {
                    (b, a)
                };
                pairs.total += 1;
                pairs.hits += if high.score > low.score {
                    1.0
                } else if high.score == low.score {
                    0.5
                } else {
                    0.0
                };
            }
        }
        let in_range = count(scored.iter(), |s| {
            s.score >= f64::from(s.expected.min) - RANGE_SLACK
                && s.score <= f64::from(s.expected.max) + RANGE_SLACK
        });
        let low_variants_low = count(
            scored
                .iter()
                .filter(|s| LOW_VARIANTS.contains(&s.expected.variant.as_str())),
            |s| s.score <= LOW_SCORE,
        );
        let tier_score = |group: &str, tier: u8| {
            scored
                .iter()
                .filter(|s| s.group == group && s.expected.tier == Some(tier))
                .map(|s| s.score)
                .reduce(f64::min)
        };
        let below = |variants: &[&str], tier: u8| {
            let mut c = Count::default();
            for s in scored
                .iter()
                .filter(|s| variants.contains(&s.expected.variant.as_str()))
            {
                if let Some(reference) = tier_score(s.group, tier) {
                    c.total += 1;
                    if s.score < reference {
                        c.hits += 1.0;
                    }
                }
            }
            c
        };
        let tier_mean = |tier: u8| {
            let scores: Vec<f64> = tiered
                .iter()
                .filter(|s| s.expected.tier == Some(tier))
                .map(|s| s.score)
                .collect();
            (!scores.is_empty()).then(|| metrics::mean(&scores))
        };
        Some(ExpectedFigures {
            answers: scored.len(),
            tier_spearman,
            tier_pairs_ordered: pairs,
            in_range,
            low_variants_low,
            hollow_below_tier2: below(&HOLLOW_VARIANTS, 2),
            injection_below_tier3: below(&["injection"], 3),
            tier4_mean: tier_mean(4),
            tier3_mean: tier_mean(3),
            by_variant: by_variant(scored),
        })
    }
}

/// Counts the answers meeting `test`.
fn count<'a, 'b: 'a>(
    answers: impl Iterator<Item = &'a ExpectedScore<'b>>,
    test: impl Fn(&ExpectedScore) -> bool,
) -> Count {
    let mut c = Count::default();
    for s in answers {
        c.total += 1;
        if test(s) {
            c.hits += 1.0;
        }
    }
    c
}

/// The per-variant rows, tiers from 4 down, then the other variants by name.
fn by_variant(scored: &[ExpectedScore<'_>]) -> Vec<VariantRow> {
    let mut groups: BTreeMap<(u8, String), Vec<&ExpectedScore>> = BTreeMap::new();
    for s in scored {
        let order = s.expected.tier.map_or(5, |t| 4 - t);
        groups
            .entry((order, s.expected.variant.clone()))
            .or_default()
            .push(s);
    }
    groups
        .into_iter()
        .map(|((_, variant), answers)| {
            let scores: Vec<f64> = answers.iter().map(|s| s.score).collect();
            let mids: Vec<f64> = answers
                .iter()
                .map(|s| (f64::from(s.expected.min) + f64::from(s.expected.max)) / 2.0)
                .collect();
            VariantRow {
                variant,
                n: answers.len(),
                mean: metrics::mean(&scores),
                min: scores.iter().copied().fold(f64::INFINITY, f64::min),
                max: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                expected_mid: metrics::mean(&mids),
                in_range: count(answers.iter().copied(), |s| {
                    s.score >= f64::from(s.expected.min) - RANGE_SLACK
                        && s.score <= f64::from(s.expected.max) + RANGE_SLACK
                })
                .hits as usize,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(variant: &str, tier: Option<u8>, min: u8, max: u8) -> Expected {
        Expected {
            variant: variant.into(),
            tier,
            min,
            max,
        }
    }

    #[test]
    fn figures_follow_their_definitions() {
        let t4 = expected("tier4", Some(4), 85, 100);
        let t2 = expected("tier2", Some(2), 40, 65);
        let t0 = expected("tier0", Some(0), 0, 25);
        let t3 = expected("tier3", Some(3), 65, 85);
        let neg = expected("negated", None, 0, 20);
        let kw = expected("keyword_list", None, 10, 40);
        let inj = expected("injection", None, 30, 65);
        let scored = vec![
            ExpectedScore {
                group: "a",
                expected: &t4,
                score: 90.0,
            },
            ExpectedScore {
                group: "a",
                expected: &t3,
                score: 70.0,
            },
            ExpectedScore {
                group: "a",
                expected: &t2,
                score: 50.0,
            },
            ExpectedScore {
                group: "a",
                expected: &t0,
                score: 60.0,
            },
            ExpectedScore {
                group: "a",
                expected: &neg,
                score: 25.0,
            },
            ExpectedScore {
                group: "a",
                expected: &kw,
                score: 55.0,
            },
            ExpectedScore {
                group: "a",
                expected: &inj,
                score: 60.0,
            },
            ExpectedScore {
                group: "b",
                expected: &t4,
                score: 40.0,
            },
            ExpectedScore {
                group: "b",
                expected: &t2,
                score: 40.0,
            },
        ];
        let f = ExpectedFigures::compute(&scored).unwrap();
        // Pairs in a: (4,3) (4,2) (4,0) (3,2) (3,0) right, (2,0) wrong; in b: one tie.
        assert_eq!(
            f.tier_pairs_ordered,
            Count {
                hits: 5.5,
                total: 7
            }
        );
        // In range ±10: 90, 70, 50, 25 (negated ≤ 30), 60 (injection) yes; 60 tier0, 55 kw, 40 tier4 no; 40 tier2 yes.
        assert_eq!(
            f.in_range,
            Count {
                hits: 6.0,
                total: 9
            }
        );
        assert_eq!(
            f.low_variants_low,
            Count {
                hits: 1.0,
                total: 2
            }
        );
        assert_eq!(
            f.hollow_below_tier2,
            Count {
                hits: 0.0,
                total: 1
            }
        );
        assert_eq!(
            f.injection_below_tier3,
            Count {
                hits: 1.0,
                total: 1
            }
        );
        assert_eq!(f.tier4_mean, Some(65.0));
        assert_eq!(f.tier3_mean, Some(70.0));
        let names: Vec<&str> = f.by_variant.iter().map(|r| r.variant.as_str()).collect();
        assert_eq!(
            names,
            [
                "tier4",
                "tier3",
                "tier2",
                "tier0",
                "injection",
                "keyword_list",
                "negated"
            ]
        );
        assert_eq!(f.by_variant[0].n, 2);
        assert_eq!(f.by_variant[0].in_range, 1);
        assert!(f.tier_spearman.unwrap() > 0.0);
        assert!(ExpectedFigures::compute(&[]).is_none());
    }
}
