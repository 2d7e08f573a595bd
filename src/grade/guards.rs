//! Guards against gaming: keyword bags without sentences, the question pasted back, repeated
//! sentences and filler. Each guard takes the offending sentences out of the credit and raises
//! a [`Flag`] that says why; none of them earns anything.

use std::collections::HashSet;

use super::analysis::Analysed;
use super::prepared::PreparedRubric;
use super::Flag;

/// Longest answer graded in full; longer answers are cut here with a `truncated` flag.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Fewest words a sentence needs before it can be called a keyword bag.
const BAG_MIN_WORDS: usize = 7;
/// Fewest distinct rubric terms a sentence (or answer) must name before it can be a bag.
const BAG_MIN_RUBRIC_TERMS: usize = 4;
/// Distinct rubric terms that make a sentence without function words a bag even when one of
/// its words looks like a verb ("… least recently used node pointer …").
const BAG_DENSE_RUBRIC_TERMS: usize = 8;
/// Fewest comma-separated items that make a sentence a list.
const LIST_MIN_ITEMS: usize = 5;
/// Longest item (in words) of such a list that still reads as a bare term.
const LIST_ITEM_MAX_WORDS: usize = 4;
/// Share of function words below which a sentence of that length is a keyword bag.
const BAG_MAX_STOP_SHARE: f64 = 0.08;
/// Share of function words below which a whole answer is a keyword bag (prose runs near 40%).
const ANSWER_BAG_MAX_STOP_SHARE: f64 = 0.12;

/// Phrases that pad an answer without saying anything.
const FILLER: &[&str] = &[
    "great question",
    "good question",
    "it depends",
    "at the end of the day",
    "to be honest",
    "needless to say",
    "as i said",
    "as mentioned",
    "in today's world",
    "in conclusion",
    "it is important to note",
    "it's important to note",
    "basically",
    "there are many factors",
    "many things to consider",
    "best practices",
    "leverage synergies",
    "and so on",
];

/// One case-insensitive pattern matching any filler phrase.
fn filler_pattern() -> &'static regex::Regex {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        let alternatives: Vec<String> = FILLER.iter().map(|f| regex::escape(f)).collect();
        regex::Regex::new(&format!(r"(?i)\b(?:{})\b", alternatives.join("|")))
            .expect("filler phrases form a valid pattern")
    })
}

/// What the guards decided for one answer.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Per sentence: whether it may earn credit.
    pub creditable: Vec<bool>,
    /// Flags raised.
    pub flags: Vec<Flag>,
    /// Sentences that are filler, 0..=1 share of all sentences.
    pub filler_share: f64,
}

/// Cuts an over-long answer at a character boundary, with a flag saying so.
pub fn truncate(answer: &str) -> (&str, Option<Flag>) {
    if answer.len() <= MAX_ANSWER_BYTES {
        return (answer, None);
    }
    let mut end = MAX_ANSWER_BYTES;
    while !answer.is_char_boundary(end) {
        end -= 1;
    }
    let flag = Flag {
        code: "truncated".into(),
        message: format!(
            "the answer is {} KB long; only its first {} KB were graded",
            answer.len() / 1024,
            MAX_ANSWER_BYTES / 1024
        ),
    };
    (&answer[..end], Some(flag))
}

/// Runs every guard over an analysed answer.
pub fn check(prepared: &PreparedRubric, text: &str, answer: &Analysed) -> Verdict {
    let n = answer.sentences.len();
    let mut creditable = vec![true; n];
    let counts = answer.sentence_word_counts();
    let content_total: usize = counts.iter().map(|(all, stop)| all - stop).sum();
    let mut flags = Vec::new();

    // Keyword bags: runs of rubric terms without the shape of a sentence. A terse factual
    // answer is not a bag; it takes many rubric terms and a list-like shape to be one.
    let shapes = sentence_shapes(text, answer);
    let mut bag_words = 0;
    let words_total: usize = counts.iter().map(|(all, _)| all).sum();
    let answer_terms = distinct_rubric_terms(prepared, answer, None);
    let whole_bag = content_total >= BAG_MIN_WORDS
        && ((words_total - content_total) as f64) < ANSWER_BAG_MAX_STOP_SHARE * words_total as f64
        && answer_terms >= BAG_MIN_RUBRIC_TERMS
        && (shapes.iter().all(|s| !s.has_verb) || answer_terms >= BAG_DENSE_RUBRIC_TERMS);
    let list_allowed = asks_for_list(&prepared.rubric.question);
    for (i, &(all, stop)) in counts.iter().enumerate() {
        let (s, e) = answer.sentences[i];
        let sentence = &text[s..e];
        if list_allowed && is_line_list(sentence) {
            continue;
        }
        if is_code(sentence) {
            continue;
        }
        let rubric_terms = distinct_rubric_terms(prepared, answer, Some(i));
        if whole_bag || is_keyword_bag(all, stop, rubric_terms, shapes[i].has_verb, sentence) {
            creditable[i] = false;
            bag_words += all - stop;
        }
    }
    if bag_words > 0 && bag_words * 10 >= content_total * 3 {
        flags.push(Flag {
            code: "keyword_stuffing".into(),
            message: "much of the answer is a list of keywords without sentences; keywords earn credit only inside sentences that explain them".into(),
        });
    }

    // The question pasted back: sentences made mostly of the question's own words.
    let mut sentence_keys: Vec<Vec<&str>> = vec![Vec::new(); n];
    for w in answer.content() {
        sentence_keys[w.sentence].push(w.key.as_str());
    }
    let mut pasted_words = 0;
    for (i, keys) in sentence_keys.iter().enumerate() {
        if keys.len() < 3 {
            continue;
        }
        let mut new_words = 0;
        let mut question_hits = HashSet::new();
        for k in keys {
            match prepared.vocab.get(*k) {
                Some(&id) if prepared.in_question[id as usize] => {
                    question_hits.insert(id);
                }
                Some(&id) if prepared.in_reference[id as usize] => new_words += 2,
                _ => new_words += 1,
            }
        }
        let question_size = prepared.question.terms.len().max(1);
        // Pasted: it covers much of the question and adds (almost) nothing, certainly nothing
        // the reference answer mentions.
        if new_words == 0 && question_hits.len() * 2 >= question_size {
            creditable[i] = false;
            pasted_words += keys.len();
        }
    }
    if pasted_words > 0 && pasted_words * 3 >= content_total * 2 {
        flags.push(Flag {
            code: "question_pasted".into(),
            message: "the answer mostly repeats the question; restating it earns nothing, say how you would answer it".into(),
        });
    }

    // Repetition: a sentence that says again what an earlier one said earns nothing again.
    let mut seen: Vec<Vec<&str>> = Vec::new();
    let mut repeats = 0;
    for (i, keys) in sentence_keys.iter().enumerate() {
        let mut keys = keys.clone();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() >= 2 && seen.iter().any(|s| jaccard(s, &keys) >= 0.8) {
            creditable[i] = false;
            repeats += 1;
        } else {
            seen.push(keys);
        }
    }
    if repeats >= 2 || (repeats == 1 && n <= 4) {
        flags.push(Flag {
            code: "repetition".into(),
            message: format!("{repeats} sentence(s) repeat earlier ones; saying a point twice does not count twice"),
        });
    }

    // Filler: stock phrases that pad without content.
    let filler_hits = filler_pattern().find_iter(text).count();
    let filler_share = if n == 0 {
        0.0
    } else {
        (filler_hits as f64 / n as f64).min(1.0)
    };
    if filler_hits >= 3 || (filler_hits >= 2 && filler_share >= 0.3) {
        flags.push(Flag {
            code: "filler".into(),
            message: "stock phrases pad the answer without adding content; cut them and say something specific".into(),
        });
    }

    Verdict {
        creditable,
        flags,
        filler_share,
    }
}

/// What a sentence looks like, for telling prose from a keyword list.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// Whether it has a word that looks like a verb (an auxiliary, or an -ed/-ing form).
    has_verb: bool,
}

/// Auxiliary and modal verbs: a sentence with one of these is framed as a statement.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does",
    "did", "can", "could", "will", "would", "shall", "should", "may", "might", "must", "it's",
    "i'd", "i'll", "we'd", "we'll",
];

/// The shape of every sentence of the answer.
fn sentence_shapes(text: &str, answer: &Analysed) -> Vec<Shape> {
    let mut shapes = vec![Shape::default(); answer.sentences.len()];
    for w in answer.words.iter().filter(|w| !w.alias) {
        let word = &text[w.span.0..w.span.1];
        if looks_like_verb(word) {
            shapes[w.sentence].has_verb = true;
        }
    }
    shapes
}

/// Whether a word looks like a verb: an auxiliary, or an -ed/-ing form of a longer word.
fn looks_like_verb(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    AUXILIARIES.contains(&lower.as_str())
        || (lower.len() > 4 && (lower.ends_with("ed") || lower.ends_with("ing")))
}

/// Distinct rubric (reference) keys among the content words of sentence `only`, or of the
/// whole answer when `None`.
fn distinct_rubric_terms(
    prepared: &PreparedRubric,
    answer: &Analysed,
    only: Option<usize>,
) -> usize {
    let mut seen: Vec<u32> = Vec::new();
    for w in answer.words.iter().filter(|w| !w.stop) {
        if only.is_some_and(|i| i != w.sentence) {
            continue;
        }
        if let Some(&id) = prepared.vocab.get(&w.key) {
            if prepared.in_reference[id as usize] && !seen.contains(&id) {
                seen.push(id);
            }
        }
    }
    seen.len()
}

/// Whether a sentence is a list of rubric keywords rather than prose: it names many rubric
/// terms and has the shape of a list, either bare words without function words or verbs, or
/// a comma-separated run of short items.
fn is_keyword_bag(
    all: usize,
    stop: usize,
    rubric_terms: usize,
    has_verb: bool,
    sentence: &str,
) -> bool {
    if all < BAG_MIN_WORDS || rubric_terms < BAG_MIN_RUBRIC_TERMS {
        return false;
    }
    let stop_share = stop as f64 / all as f64;
    let unframed = !has_verb || rubric_terms >= BAG_DENSE_RUBRIC_TERMS;
    let bare = stop_share < BAG_MAX_STOP_SHARE && unframed && !sentence.contains(':');
    bare || is_short_item_list(sentence, rubric_terms)
}

/// Whether a sentence is mostly a run of short comma-separated items, each about as long as
/// a term, with at least one rubric term per item on average ("it covers the hash map, the
/// linked list, O(1) get, O(1) put, …").
fn is_short_item_list(sentence: &str, rubric_terms: usize) -> bool {
    let items: Vec<usize> = sentence
        .split([',', ';', '\n'])
        .map(|item| item.split_whitespace().count())
        .filter(|&n| n > 0)
        .collect();
    if items.len() < LIST_MIN_ITEMS {
        return false;
    }
    let short = items.iter().filter(|&&n| n <= LIST_ITEM_MAX_WORDS).count();
    short * 4 >= items.len() * 3 && rubric_terms + 1 >= items.len()
}

/// Whether the question asks for an enumeration ("list the stages", "what are the types"),
/// where a list of short items is a fair answer rather than keyword stuffing.
fn asks_for_list(question: &str) -> bool {
    let lower = question.to_lowercase();
    [
        "list",
        "name the",
        "what are",
        "which",
        "stages",
        "steps",
        "types",
        "kinds",
        "examples",
        "enumerate",
    ]
    .iter()
    .any(|cue| lower.contains(cue))
}

/// Whether a sentence looks like code (few function words is normal there).
pub(super) fn is_code(sentence: &str) -> bool {
    super::correctness::looks_like_code(sentence, &['{', '}', ';', '=', '[', ']'], 2)
}

/// Whether a sentence is a list of items on separate lines or separated by commas.
fn is_line_list(sentence: &str) -> bool {
    sentence.lines().filter(|l| !l.trim().is_empty()).count() >= 3
        || sentence.matches(',').count() >= 2
}

/// Jaccard similarity of two sorted, deduplicated key lists.
fn jaccard(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_a_char_boundary_and_flags() {
        let long = "é".repeat(MAX_ANSWER_BYTES);
        let (cut, flag) = truncate(&long);
        assert!(cut.len() <= MAX_ANSWER_BYTES);
        assert_eq!(flag.unwrap().code, "truncated");
        assert!(truncate("short").1.is_none());
    }

    #[test]
    fn keyword_lists_are_bags_and_prose_is_not() {
        let bag = "hashmap linked list eviction lru capacity get put";
        assert!(is_keyword_bag(8, 0, 6, false, bag));
        // The same words naming too few rubric terms are not evidence of stuffing.
        assert!(!is_keyword_bag(8, 0, 2, false, bag));
        let prose = "I would use a hash map to find each node quickly";
        assert!(!is_keyword_bag(10, 4, 4, true, prose));
        assert!(!is_keyword_bag(3, 0, 3, false, "hash map lookup"));
        // A verb-like word inside a long, dense run of rubric terms does not make it prose.
        let dense =
            "lru cache hash map linked list head tail evict capacity least recently used node";
        assert!(is_keyword_bag(13, 0, 10, true, dense));
    }

    #[test]
    fn a_terse_statement_with_a_verb_is_not_a_bag() {
        let terse = "Water evaporated leaving salt crystals behind dish bottom";
        assert!(looks_like_verb("evaporated"));
        assert!(!is_keyword_bag(8, 0, 4, true, terse));
    }

    #[test]
    fn short_comma_items_make_a_list_and_clauses_do_not() {
        let framed = "My answer covers the hash map, the doubly linked list, O(1) get, O(1) put, moving to the head, evicting from the tail, and the LRU cache";
        assert!(is_short_item_list(framed, 8));
        let clauses = "First we look the key up in the map, then we move its node to the head of the list, and when the cache is full we drop the tail node, which is the oldest one, and delete its key too";
        assert!(!is_short_item_list(clauses, 8));
    }
}
