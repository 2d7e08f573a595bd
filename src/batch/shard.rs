//! `--shard K/N`: a stable slice of the answers, chosen by answer key, for CI matrices.

use super::key::AnswerKey;
use crate::InputError;

/// Shard K of N (K is 1-based as written on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub number: u64,
    /// How many shards in all.
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, InputError> {
        let bad = || {
            InputError::new(format!("--shard `{text}` is not K/N"))
                .with_hint("write e.g. `--shard 2/4` for the second of four shards")
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let number: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || number == 0 || number > count {
            return Err(bad());
        }
        Ok(Shard { number, count })
    }

    /// Whether the answer with this key belongs to this shard. Every key is in exactly one shard.
    pub fn contains(self, key: AnswerKey) -> bool {
        key.as_u64() % self.count == self.number - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Shard::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            Shard::parse("2/3").unwrap(),
            Shard {
                number: 2,
                count: 3
            }
        );
        for bad in ["0/3", "4/3", "1/0", "x", "1-2", "/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_is_in_exactly_one_shard() {
        for i in 0u8..200 {
            let key = AnswerKey([i.wrapping_mul(37); 16]);
            let hits = (1..=4)
                .filter(|&k| {
                    Shard {
                        number: k,
                        count: 4,
                    }
                    .contains(key)
                })
                .count();
            assert_eq!(hits, 1);
        }
    }
}
