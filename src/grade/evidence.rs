//! Low-level evidence helpers shared by the grading modules and the reports: the quote of an
//! answer kept as evidence, and the example terms shown for a key point the answer misses.
//!
//! They sit below `signals`, `star` and `feedback` (which all use them), so none of those
//! imports another to reach them.

use super::matching::Bag;
use super::prepared::PreparedRubric;

/// Longest quote kept as evidence, in characters.
const SNIPPET_CHARS: usize = 160;
/// Most example terms shown for a point.
const MAX_EXAMPLES: usize = 3;

/// The example terms shown for key point `index` of an answer whose matched keys are `used`:
/// the first [`MAX_EXAMPLES`] of [`PreparedRubric::examples`] (see
/// [`super::prepared::example_terms`]) the answer does not already use.
pub fn examples_for(prepared: &PreparedRubric, index: usize, used: &Bag) -> Vec<String> {
    let terms = &prepared.points[index].terms;
    prepared.examples[index]
        .iter()
        .map(|&t| &terms[t])
        .filter(|t| !t.keys.iter().all(|&k| used.get(k) > 0.0))
        .take(MAX_EXAMPLES)
        .map(|t| t.text.clone())
        .collect()
}

/// A quote of `text` for evidence: whitespace collapsed, cut at a word with `…` when long.
pub fn snippet(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= SNIPPET_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(SNIPPET_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_collapse_space_and_cut_at_a_word() {
        assert_eq!(snippet("a  b\n c"), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.ends_with('…') && s.chars().count() <= SNIPPET_CHARS + 1);
    }
}
