//! Token counting and budgets with tiktoken-rs, loaded lazily (only on the LLM path).
//!
//! The encoding is the model's own when tiktoken knows the model, else `o200k_base` as an
//! estimate (local models use other tokenizers; counts are then approximate).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

use super::outcome::Usage;
use crate::config::Price;

/// Most characters per token [`TokenCounter::truncate`] allows for, far above real text (English
/// averages about 4): only the first `budget × 32` characters of an answer are ever encoded, so a
/// 50 MB answer costs what a 100 kB one does.
const MAX_CHARS_PER_TOKEN: usize = 32;

/// Counts tokens for one model; the vocabulary is loaded on first use.
pub struct TokenCounter {
    model: String,
    bpe: OnceLock<&'static CoreBPE>,
    /// Bytes of text encoded so far.
    encoded: AtomicUsize,
}

impl TokenCounter {
    /// A counter for `model` (nothing is loaded yet).
    pub fn new(model: &str) -> TokenCounter {
        TokenCounter {
            model: model.to_string(),
            bpe: OnceLock::new(),
            encoded: AtomicUsize::new(0),
        }
    }

    fn bpe(&self) -> &'static CoreBPE {
        self.bpe.get_or_init(|| {
            tiktoken_rs::bpe_for_model(&self.model)
                .unwrap_or_else(|_| tiktoken_rs::o200k_base_singleton())
        })
    }

    /// Whether the vocabulary has been loaded (for tests of laziness).
    pub fn is_loaded(&self) -> bool {
        self.bpe.get().is_some()
    }

    /// Bytes of text encoded so far (for tests that the work is bounded).
    pub fn bytes_encoded(&self) -> usize {
        self.encoded.load(Ordering::Relaxed)
    }

    fn encode(&self, text: &str) -> Vec<u32> {
        self.encoded.fetch_add(text.len(), Ordering::Relaxed);
        self.bpe().encode_with_special_tokens(text)
    }

    /// Tokens in `text`.
    pub fn count(&self, text: &str) -> usize {
        self.encode(text).len()
    }

    /// `text` cut to at most `budget` tokens; the flag says whether it was cut.
    pub fn truncate(&self, text: &str, budget: usize) -> (String, bool) {
        // Every token is at least one byte, so a text no longer than the budget in bytes fits
        // without loading the vocabulary at all.
        if text.len() <= budget {
            return (text.to_string(), false);
        }
        // Only a prefix can be kept, so only a prefix is encoded: the first
        // `budget × MAX_CHARS_PER_TOKEN` characters (a text whose tokens are longer still is cut
        // there, under budget).
        let window = budget.saturating_mul(MAX_CHARS_PER_TOKEN);
        let considered = text
            .char_indices()
            .nth(window)
            .map_or(text, |(end, _)| &text[..end]);
        let cut = considered.len() < text.len();
        let tokens = self.encode(considered);
        if tokens.len() <= budget {
            return (considered.to_string(), cut);
        }
        // Decoding a prefix can split a multi-byte character; back off until it decodes.
        let mut end = budget;
        while end > 0 {
            if let Ok(prefix) = self.bpe().decode(&tokens[..end]) {
                return (prefix, true);
            }
            end -= 1;
        }
        (String::new(), true)
    }
}

impl std::fmt::Debug for TokenCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCounter")
            .field("model", &self.model)
            .field("loaded", &self.is_loaded())
            .finish()
    }
}

/// Estimated cost in USD of `usage` at `price` (per million tokens).
pub fn cost(usage: Usage, price: Option<Price>) -> Option<f64> {
    let price = price?;
    Some(
        (usage.prompt_tokens as f64 * price.input + usage.completion_tokens as f64 * price.output)
            / 1_000_000.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lazily_and_truncates_with_flag() {
        let counter = TokenCounter::new("gpt-4o-mini");
        assert!(!counter.is_loaded());
        let text = "word ".repeat(100);
        let n = counter.count(&text);
        assert!(counter.is_loaded());
        assert!((90..=110).contains(&n), "{n}");
        let (cut, truncated) = counter.truncate(&text, 10);
        assert!(truncated);
        assert_eq!(counter.count(&cut), 10);
        assert!(text.starts_with(&cut));
        let (same, truncated) = counter.truncate("short", 10);
        assert_eq!((same.as_str(), truncated), ("short", false));
        let fresh = TokenCounter::new("gpt-4o-mini");
        assert!(!fresh.truncate("short", 10).1);
        assert!(!fresh.is_loaded(), "short texts never load the vocabulary");
    }

    #[test]
    fn truncation_encodes_a_bounded_prefix_of_a_huge_text() {
        let counter = TokenCounter::new("gpt-4o-mini");
        let text = "a hash map gives constant time lookup. ".repeat(25_000); // ≈ 1 MB
        let (cut, truncated) = counter.truncate(&text, 100);
        assert!(truncated);
        assert_eq!(counter.count(&cut), 100);
        assert!(text.starts_with(&cut));
        let encoded = counter.bytes_encoded() - cut.len();
        assert!(
            encoded <= 100 * MAX_CHARS_PER_TOKEN,
            "encoded {encoded} bytes of a {} byte text to keep 100 tokens",
            text.len()
        );
    }

    #[test]
    fn unknown_models_fall_back_to_o200k() {
        assert!(TokenCounter::new("llama3.1:8b").count("hello world") >= 2);
    }

    #[test]
    fn cost_uses_per_million_prices() {
        let usage = Usage {
            prompt_tokens: 1_000_000,
            completion_tokens: 500_000,
        };
        let price = Price {
            input: 0.15,
            output: 0.60,
        };
        assert!((cost(usage, Some(price)).unwrap() - 0.45).abs() < 1e-9);
        assert!(cost(usage, None).is_none());
    }
}
