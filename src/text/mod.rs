//! Text processing shared by rubric extraction and grading: tokens, stems, stopwords,
//! sentences and the domain synonym list. Pure functions, no I/O.

pub mod forms;
pub mod synonyms;

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// A word of the text with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// Splits text into word tokens: runs of alphanumerics, keeping inner `'` (or `’`), `-`, `+`, `#`, `.`
/// where they join word characters (so `don't`, `o(1)`-style pieces, `c++`, `c#`, `node.js` stay whole).
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let joins = |c: char| matches!(c, '\'' | '\u{2019}' | '-' | '.' | '_');
        let word = c.is_alphanumeric()
            || (start.is_some()
                && (matches!(c, '+' | '#')
                    || (joins(c) && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric()))));
        match (word, start) {
            (true, None) => start = Some(pos),
            (false, Some(s)) => {
                out.push(Token {
                    text: &text[s..pos],
                    start: s,
                    end: pos,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token {
            text: &text[s..],
            start: s,
            end: text.len(),
        });
    }
    out
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Lowercases and stems one word (Snowball English), irregular forms first folded to their
/// base ([`forms::base_form`]).
pub fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    let base = forms::base_form(&lower).unwrap_or(&lower);
    stemmer().stem(base).into_owned()
}

/// Lowercased, stemmed content words of `text` (stopwords dropped).
pub fn content_stems(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter(|t| !is_stopword(t.text))
        .map(|t| stem(t.text))
        .collect()
}

/// Whether a word is an English function word that carries no content.
pub fn is_stopword(word: &str) -> bool {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
        return STOPWORDS.binary_search(&word).is_ok();
    }
    let lower = word.to_lowercase();
    STOPWORDS.binary_search(&lower.as_str()).is_ok()
}

/// Sorted English stopwords.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Byte spans of the sentences of `text`: split at `.`, `!`, `?` followed by whitespace, at
/// blank lines and at bullet/list line starts. Spans are trimmed and never empty.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end_here = match b {
            b'.' => {
                bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
                    && !ends_with_abbreviation(&text[start..i])
            }
            b'!' | b'?' => bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()),
            b'\n' => {
                // A line break ends a sentence when the next line is blank or a list item.
                let rest = &text[i + 1..];
                let next = rest.trim_start_matches([' ', '\t']);
                rest.starts_with('\n')
                    || next.starts_with("- ")
                    || next.starts_with("* ")
                    || next.starts_with("• ")
                    || next.chars().next().is_some_and(|c| c.is_ascii_digit())
                        && next.contains(". ")
                        && next.find(". ") < next.find(' ').map(|p| p + 1)
            }
            _ => false,
        };
        if end_here {
            push_trimmed(text, start, i + 1, &mut spans);
            start = i + 1;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

/// Whether `before` (the text up to a `.`) ends with an abbreviation such as "vs" or "e.g",
/// after which the full stop does not end the sentence.
fn ends_with_abbreviation(before: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "vs", "e.g", "i.e", "eg", "ie", "cf", "approx", "mr", "dr", "no",
    ];
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ABBREVIATIONS.contains(&last.as_str())
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn tokens_keep_joined_words_and_spans() {
        let text = "Use a hash-map in C++ (node.js), don't, won\u{2019}t.";
        let words: Vec<&str> = tokens(text).iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            [
                "Use",
                "a",
                "hash-map",
                "in",
                "C++",
                "node.js",
                "don't",
                "won\u{2019}t"
            ]
        );
        let t = &tokens(text)[2];
        assert_eq!(&text[t.start..t.end], "hash-map");
    }

    #[test]
    fn stems_fold_inflection() {
        assert_eq!(stem("Evicting"), stem("evicted"));
        assert_eq!(stem("caches"), stem("cache"));
    }

    #[test]
    fn sentences_do_not_split_after_abbreviations() {
        let text = "Compare current vs. historical latency (e.g. p99). Then act.";
        let got: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            got,
            [
                "Compare current vs. historical latency (e.g. p99).",
                "Then act."
            ]
        );
    }

    #[test]
    fn sentences_split_on_stops_and_bullets() {
        let text = "First one. Second one!\n- bullet a\n- bullet b\n\nLast";
        let got: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            got,
            [
                "First one.",
                "Second one!",
                "- bullet a",
                "- bullet b",
                "Last"
            ]
        );
    }
}
