//! Turns text into matching keys: lowercase stems, with synonym phrases and big-O bounds folded
//! into one canonical key each, grouped by sentence with byte spans kept for evidence.
//!
//! The same analysis is applied to rubric text (once, when a rubric is prepared) and to every
//! answer, so both sides meet on the same keys.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::text;

use super::{claims, lexicon};

/// One word of analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Matching key: a stem, or a canonical synonym/bound key starting with `=`.
    pub key: String,
    /// Byte span in the source text.
    pub span: (usize, usize),
    /// Whether the word is a function word (never matched on its own).
    pub stop: bool,
    /// Index of the sentence the word belongs to.
    pub sentence: usize,
    /// A word inside a folded synonym phrase, kept so rubric terms naming the part ("hash" in
    /// "hash table") still match; not counted as a word of its own.
    pub alias: bool,
}

/// Text broken into words and sentences.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    /// Every word in order (stopwords included, marked).
    pub words: Vec<Word>,
    /// Sentence byte spans in the source text.
    pub sentences: Vec<(usize, usize)>,
}

impl Analysed {
    /// Content words (non-stopwords, not aliases) in order.
    pub fn content(&self) -> impl Iterator<Item = &Word> {
        self.words.iter().filter(|w| !w.stop && !w.alias)
    }

    /// Words inside folded synonym phrases (see [`Word::alias`]).
    pub fn aliases(&self) -> impl Iterator<Item = &Word> {
        self.words.iter().filter(|w| w.alias)
    }

    /// Number of words (stopwords included) in sentence `i`.
    pub fn sentence_word_counts(&self) -> Vec<(usize, usize)> {
        let mut counts = vec![(0usize, 0usize); self.sentences.len()];
        for w in self.words.iter().filter(|w| !w.alias) {
            let c = &mut counts[w.sentence];
            c.0 += 1;
            if w.stop {
                c.1 += 1;
            }
        }
        counts
    }
}

/// Canonical key of a synonym group (`=hash map`) or bound (`=o(1)`).
fn canonical_key(name: &str) -> String {
    format!("={name}")
}

/// A synonym phrase as a sequence of stems, with the key of its group.
struct Phrase {
    stems: Vec<String>,
    key: String,
}

/// Synonym phrases indexed by their first stem, longest first.
fn phrase_index() -> &'static FxHashMap<String, Vec<Phrase>> {
    static INDEX: OnceLock<FxHashMap<String, Vec<Phrase>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: FxHashMap<String, Vec<Phrase>> = FxHashMap::default();
        for group in text::synonyms::GROUPS {
            let key = canonical_key(group[0]);
            for phrase in group.iter() {
                if phrase.starts_with("o(") {
                    continue; // bounds are read by the big-O scanner
                }
                let stems: Vec<String> = text::tokens(phrase)
                    .iter()
                    .map(|t| text::stem(t.text))
                    .collect();
                if let Some(first) = stems.first() {
                    index.entry(first.clone()).or_default().push(Phrase {
                        stems,
                        key: key.clone(),
                    });
                }
            }
        }
        for list in index.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.stems.len()));
        }
        index
    })
}

/// Whether an already-lowercased word is a stopword (hashed lookup on the hot path).
fn is_stopword(lower: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| text::STOPWORDS.iter().copied().collect())
        .contains(lower)
}

/// The Snowball English stemmer (an immutable table, built once).
fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Analyses `text` into words and sentences.
pub fn analyse(text_in: &str) -> Analysed {
    let sentences = text::sentences(text_in);
    let bounds = claims::find_bounds(text_in);
    let raw = text::tokens(text_in);
    let mut plain: Vec<Word> = Vec::with_capacity(raw.len());
    let mut sentence = 0;
    let mut bound_iter = bounds.iter().peekable();
    for tok in &raw {
        while sentence + 1 < sentences.len() && tok.start >= sentences[sentence].1 {
            sentence += 1;
        }
        // Tokens inside a big-O expression collapse into one bound key.
        while bound_iter.peek().is_some_and(|b| b.span.1 <= tok.start) {
            bound_iter.next();
        }
        if let Some(b) = bound_iter.peek() {
            if tok.start >= b.span.0 && tok.end <= b.span.1 {
                if plain.last().is_none_or(|w| w.span != b.span) {
                    plain.push(Word {
                        key: canonical_key(&bound_synonym(&b.bound)),
                        span: b.span,
                        stop: false,
                        sentence,
                        alias: false,
                    });
                }
                continue;
            }
        }
        let lower: Cow<str> =
            if tok.text.bytes().any(|b| b.is_ascii_uppercase()) || !tok.text.is_ascii() {
                Cow::Owned(tok.text.to_lowercase())
            } else {
                Cow::Borrowed(tok.text)
            };
        let stop = is_stopword(&lower);
        let key = if stop {
            lower.into_owned()
        } else {
            stem_lower(&lower)
        };
        plain.push(Word {
            key,
            span: (tok.start, tok.end),
            stop,
            sentence,
            alias: false,
        });
    }
    let mut words = fold_phrases(plain);
    add_symbol_words(text_in, &sentences, &mut words);
    Analysed { words, sentences }
}

/// Code notation and the words it stands for: `a[i]` indexes, `p->next` and `*(p + n)`
/// go through a pointer (the latter at an offset), `&x` takes an address.
const SYMBOL_WORDS: &[(&str, &[&str])] = &[
    (r"[A-Za-z_]\w*\s*\[[^\]\n]{1,30}\]", &["index"]),
    (r"[A-Za-z_)\]]\s*->\s*[A-Za-z_]", &["pointer"]),
    (r"\*\s*\(\s*[A-Za-z_]\w*\s*[+-]", &["pointer", "offset"]),
    (r"(?:^|[\s(=,])&[A-Za-z_]", &["address"]),
];

/// Adds alias words (see [`Word::alias`]) for code notation, so an answer writing `a[i]`
/// can match a rubric that says "index". Cheap when the text has no code punctuation.
fn add_symbol_words(text_in: &str, sentences: &[(usize, usize)], words: &mut Vec<Word>) {
    if !text_in.contains(['[', '>', '*', '&']) {
        return;
    }
    static PATTERNS: OnceLock<Vec<(regex::Regex, Vec<String>)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        SYMBOL_WORDS
            .iter()
            .map(|(pattern, meaning)| {
                let re = regex::Regex::new(pattern).expect("symbol patterns are valid");
                (re, meaning.iter().map(|w| stem_lower(w)).collect())
            })
            .collect()
    });
    let mut added = Vec::new();
    for (re, keys) in patterns {
        for m in re.find_iter(text_in) {
            let sentence = sentences
                .iter()
                .position(|&(_, end)| m.start() < end)
                .unwrap_or(sentences.len().saturating_sub(1));
            added.extend(keys.iter().map(|key| Word {
                key: key.clone(),
                span: (m.start(), m.end()),
                stop: false,
                sentence,
                alias: true,
            }));
        }
    }
    if !added.is_empty() {
        words.extend(added);
        words.sort_by_key(|w| w.span.0);
    }
}

/// The synonym-group name of a normalised bound (`O(1)` → `o(1)`), so "constant time" and
/// `O(1)` meet on one key.
fn bound_synonym(bound: &str) -> String {
    let lower = bound.to_lowercase();
    text::synonyms::group_of(&lower).map_or(lower, |g| g[0].to_string())
}

/// Stems an already-lowercased word, keeping short tokens and numbers as they are.
fn stem_lower(lower: &str) -> String {
    if let Some(base) = text::forms::base_form(lower) {
        return stem_lower(base);
    }
    if lower.len() <= 3 || lower.bytes().any(|b| b.is_ascii_digit()) {
        lower.to_string()
    } else {
        stemmer().stem(lower).into_owned()
    }
}

/// Replaces synonym phrases by their group key (longest match first) and single words of a
/// general synonym group by the group's key.
fn fold_phrases(mut words: Vec<Word>) -> Vec<Word> {
    let index = phrase_index();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let folded = index.get(&words[i].key).and_then(|phrases| {
            phrases.iter().find(|p| {
                p.stems.len() <= words.len() - i
                    && p.stems.iter().enumerate().all(|(k, s)| {
                        words[i + k].key == *s && words[i + k].sentence == words[i].sentence
                    })
            })
        });
        match folded {
            Some(p) => {
                let last = &words[i + p.stems.len() - 1];
                out.push(Word {
                    key: p.key.clone(),
                    span: (words[i].span.0, last.span.1),
                    stop: false,
                    sentence: words[i].sentence,
                    alias: false,
                });
                if p.stems.len() > 1 {
                    out.extend(
                        words[i..i + p.stems.len()]
                            .iter()
                            .filter(|w| !w.stop)
                            .map(|w| Word {
                                alias: true,
                                ..w.clone()
                            }),
                    );
                }
                i += p.stems.len();
            }
            None => {
                let w = &mut words[i];
                let key = match lexicon::fold(&w.key) {
                    Some(group) if !w.stop => group.to_string(),
                    _ => std::mem::take(&mut w.key),
                };
                out.push(Word {
                    key,
                    span: w.span,
                    stop: w.stop,
                    sentence: w.sentence,
                    alias: false,
                });
                i += 1;
            }
        }
    }
    out
}

/// Matching keys of a short phrase (a rubric term), content words only.
pub fn phrase_keys(phrase: &str) -> Vec<String> {
    let mut keys: Vec<String> = analyse(phrase).content().map(|w| w.key.clone()).collect();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        analyse(text).content().map(|w| w.key.clone()).collect()
    }

    #[test]
    fn synonyms_and_bounds_share_keys() {
        assert_eq!(keys("a hash table"), keys("the dictionary"));
        assert_eq!(keys("runs in O(1)"), keys("runs in constant time"));
        assert_eq!(keys("O(n log n)"), keys("o(nlogn)"));
    }

    #[test]
    fn inflections_share_stems() {
        assert_eq!(keys("evicting entries"), keys("evicted entry"));
    }

    #[test]
    fn code_notation_stands_for_its_words() {
        let aliases = |text: &str| -> Vec<String> {
            analyse(text).aliases().map(|w| w.key.clone()).collect()
        };
        assert!(aliases("use a[i] to read it").contains(&"index".to_string()));
        assert!(aliases("follow node->next").contains(&"pointer".to_string()));
        let arithmetic = aliases("*(bPtr + 3) reads the fourth element");
        assert!(arithmetic.contains(&"offset".to_string()), "{arithmetic:?}");
        assert!(aliases("a > b and x * y").is_empty());
    }

    #[test]
    fn words_know_their_sentence_and_span() {
        let text = "First part. Second hashmap here.";
        let a = analyse(text);
        let w = a.words.iter().find(|w| w.key == "=hash map").unwrap();
        assert_eq!(&text[w.span.0..w.span.1], "hashmap");
        assert_eq!(w.sentence, 1);
    }
}
