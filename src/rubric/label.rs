//! Short key-point labels a coach can read ("Hash Map", "hash map and doubly linked list",
//! "Use base62 encoding"): two to seven words, never cut mid-phrase with an ellipsis, no
//! trailing colon, unique within a rubric.
//!
//! A bold lead-in or a section heading names its point; otherwise the label is the sentence
//! itself when short, its first clause, a cut before a connecting word that keeps the point's
//! main term, "<term> for <purpose>", or the point's top terms. Deterministic and general: no
//! question-specific rules.

use std::sync::OnceLock;

use regex::Regex;

use crate::rubric::doc;
use crate::text;

/// Most words in a label.
pub(crate) const MAX_WORDS: usize = 7;

/// Lead-ins that say what sort of text follows rather than what it is about.
const GENERIC_LEADS: &[&str] = &[
    "alternative",
    "alternatives",
    "answer",
    "approach",
    "caveat",
    "code",
    "cons",
    "definition",
    "e.g",
    "example",
    "examples",
    "idea",
    "important",
    "insight",
    "key",
    "key difference",
    "key idea",
    "key insight",
    "key point",
    "note",
    "outcome",
    "overview",
    "pros",
    "result",
    "results",
    "solution",
    "summary",
    "tip",
    "use when",
    "when to use",
];

/// Words before which a sentence can be cut and still read as a phrase.
const CUT_BEFORE: &[&str] = &[
    "across", "after", "and", "as", "at", "because", "before", "but", "by", "during", "for",
    "from", "if", "in", "instead", "on", "or", "over", "since", "so", "than", "that", "through",
    "to", "under", "unless", "until", "using", "via", "when", "where", "whereas", "which", "while",
    "with", "within", "without",
];

/// Words a label must not end on.
const DANGLING: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "to",
    "for",
    "with",
    "by",
    "in",
    "on",
    "at",
    "is",
    "are",
    "be",
    "its",
    "their",
    "your",
    "our",
    "this",
    "that",
    "each",
    "every",
    "as",
    "from",
    "into",
    "via",
    "than",
    "can",
    "will",
    "should",
    "must",
    "may",
    "both",
    "either",
    "not",
    "no",
    "per",
    "multiple",
    "several",
    "many",
    "some",
    "all",
    "more",
    "most",
    "other",
    "new",
    "such",
    "vs",
    "vs.",
    "versus",
    "between",
    "like",
    "including",
    "about",
];

/// The label of a point introduced by a lead-in (`**Hash Map:** maps keys …`).
pub(crate) fn for_lead(lead: &str, body: &str, terms: &[String]) -> String {
    let lead = clean(lead);
    let lower = lead.to_lowercase();
    if GENERIC_LEADS.contains(&lower.as_str()) || lead.is_empty() {
        return for_sentence(body, terms);
    }
    if is_bare_ordinal(&lead) || is_call(&lead) {
        let room = MAX_WORDS.saturating_sub(word_count(&lead)).max(2);
        let gist = phrase(body, terms, room);
        return if gist.is_empty() {
            lead
        } else {
            format!("{lead}: {}", lowercase_first(&gist))
        };
    }
    if word_count(&lead) <= MAX_WORDS {
        return lead;
    }
    for_sentence(&lead, terms)
}

/// The label of a point made of all the items under one heading: the heading, followed by
/// the items' lead-ins when all of them fit ("Read/Write Quorum: Write, Read").
pub(crate) fn for_heading(heading: &str, leads: &[String], terms: &[String]) -> String {
    let heading = clean(heading);
    if word_count(&heading) > MAX_WORDS {
        return for_sentence(&heading, terms);
    }
    let leads: Vec<String> = leads.iter().map(|l| clean(l)).collect();
    let listed = format!("{heading}: {}", leads.join(", "));
    let specific =
        |l: &String| !l.is_empty() && !GENERIC_LEADS.contains(&l.to_lowercase().as_str());
    if !leads.is_empty() && leads.iter().all(specific) && word_count(&listed) <= MAX_WORDS {
        listed
    } else {
        heading
    }
}

/// The label of a code-idea point: "move to front and get node (code)".
pub(crate) fn for_code(ideas: &[String]) -> String {
    let mut chosen: Vec<&str> = Vec::new();
    let mut words = 0;
    for idea in ideas
        .iter()
        .filter(|i| !i.contains([':', '"', '\'', '(', '=']))
    {
        let n = word_count(idea);
        if words + n > MAX_WORDS - 2 {
            break;
        }
        chosen.push(idea);
        words += n;
    }
    if chosen.is_empty() {
        let first = ideas.first().map(String::as_str).unwrap_or("");
        let cut = phrase(first, &[], MAX_WORDS - 1);
        return if cut.is_empty() {
            "code idea".to_string()
        } else {
            capitalise(&format!("{cut} (code)"))
        };
    }
    capitalise(&format!("{} (code)", chosen.join(" and ")))
}

/// The label of a sentence or clause: the text itself when short, else a phrase from it.
pub(crate) fn for_sentence(sentence: &str, terms: &[String]) -> String {
    let label = phrase(sentence, terms, MAX_WORDS);
    if label.is_empty() {
        let fallback: Vec<&str> = terms.iter().take(2).map(String::as_str).collect();
        return fallback.join(" and ");
    }
    capitalise(&label)
}

/// Makes the labels of one rubric unique: a repeat gets its first distinguishing term in
/// parentheses, else a number.
pub(crate) fn make_unique(labels: &mut [String], terms: &[Vec<String>]) {
    for i in 1..labels.len() {
        let taken =
            |l: &str, labels: &[String]| labels[..i].iter().any(|o| o.eq_ignore_ascii_case(l));
        if !taken(&labels[i], labels) {
            continue;
        }
        let base = labels[i].clone();
        let by_term = terms.get(i).into_iter().flatten().find_map(|t| {
            let candidate = format!("{base} ({t})");
            let fits = word_count(&candidate) <= MAX_WORDS + 1;
            let new = !base.to_lowercase().contains(&t.to_lowercase());
            (fits && new && !taken(&candidate, labels)).then_some(candidate)
        });
        labels[i] = by_term.unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{base} ({n})"))
                .find(|c| !taken(c, labels))
                .expect("some number is free")
        });
    }
}

/// A phrase of at most `max` words from `text`, or empty when none reads well.
fn phrase(text: &str, terms: &[String], max: usize) -> String {
    let text = clean(text);
    if text.is_empty() {
        return String::new();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max {
        return text;
    }
    if let Some(clause) = first_clause(&text, terms, max) {
        return clause;
    }
    let main: Vec<String> = terms
        .iter()
        .take(2)
        .map(|t| t.to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(cut) = cut_at_connector(&words, &main, max) {
        return cut;
    }
    if let Some(purpose) = term_for_purpose(&text, &main, max) {
        return purpose;
    }
    if let Some(cut) = cut_at_connector(&words, &[], max) {
        return cut;
    }
    if let Some(joined) = joined_terms(&text, terms, max) {
        return joined;
    }
    // Last resort: the first words, ended on a word that can end a phrase.
    end_cleanly(&words[..max])
}

/// "<term> and <term>" from the point's top two terms, when both are phrases of the text.
fn joined_terms(text: &str, terms: &[String], max: usize) -> Option<String> {
    let lower = text.to_lowercase();
    let top: Vec<&str> = terms.iter().take(2).map(String::as_str).collect();
    let usable = |t: &&str| {
        word_count(t) >= 2
            && t.chars().any(char::is_alphabetic)
            && lower.contains(&t.to_lowercase())
    };
    if top.len() < 2 || !top.iter().all(usable) {
        return None;
    }
    let joined = top.join(" and ");
    (word_count(&joined) <= max).then_some(joined)
}

/// The text before the first clause break, when it is a phrase of two to `max` words. A
/// fronted clause ("When the cache expires, …", "For true in-place operations, …") only sets
/// the scene, so the phrase then comes from the main clause after it.
fn first_clause(text: &str, terms: &[String], max: usize) -> Option<String> {
    static BREAK: OnceLock<Regex> = OnceLock::new();
    let re = BREAK.get_or_init(|| {
        Regex::new(r"(?:[,;:.]\s|—| - | – | (?:while|whereas|which|because|so that|but)\s)")
            .expect("valid clause-break pattern")
    });
    let found = re.find(text)?;
    let head = &text[..found.start()];
    if opens_fronted_clause(head) {
        let main = phrase(&text[found.end()..], terms, max);
        return (content_words(&main) >= 2).then_some(main);
    }
    let n = word_count(head);
    let last = head.split_whitespace().last()?.to_lowercase();
    ((2..=max).contains(&n) && content_words(head) >= 2 && !DANGLING.contains(&last.as_str()))
        .then(|| head.trim().to_string())
}

/// Whether a clause opens with a word that makes it subordinate ("when", "if", "for", "in").
fn opens_fronted_clause(clause: &str) -> bool {
    const OPENERS: &[&str] = &[
        "after", "although", "as", "at", "because", "before", "by", "during", "for", "given", "if",
        "in", "once", "since", "though", "unless", "when", "whenever", "where", "while", "with",
    ];
    let first = clause
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    OPENERS.contains(&first.as_str())
}

/// The longest prefix of at most `max` words that ends just before a connecting word ("with",
/// "by", "to", …), ends on a content word and contains one of the point's main terms.
fn cut_at_connector(words: &[&str], main: &[String], max: usize) -> Option<String> {
    (2..=max.min(words.len() - 1)).rev().find_map(|n| {
        let next = words[n].to_lowercase();
        let last = words[n - 1].to_lowercase();
        if !CUT_BEFORE.contains(&next.as_str()) || DANGLING.contains(&last.as_str()) {
            return None;
        }
        let prefix = words[..n].join(" ");
        let lower = prefix.to_lowercase();
        let has_main = main.is_empty() || main.iter().any(|t| lower.contains(t.as_str()));
        (has_main && content_words(&prefix) >= 2).then_some(prefix)
    })
}

/// "<term> for <purpose>" when the text states what its main term is for.
fn term_for_purpose(text: &str, main: &[String], max: usize) -> Option<String> {
    let term = main.first()?;
    let lower = text.to_lowercase();
    let at = lower.find(term.as_str())?;
    let end = at + term.len();
    if !text.is_char_boundary(at) || !text.is_char_boundary(end) {
        return None;
    }
    let (term, after) = (&text[at..end], &text[end..]);
    let pos = after.to_lowercase().find(" for ")?;
    let purpose: Vec<&str> = after[pos + 5..].split_whitespace().collect();
    let room = max.saturating_sub(word_count(term) + 1);
    let mut n = purpose.len().min(room);
    while n > 0 && DANGLING.contains(&purpose[n - 1].to_lowercase().as_str()) {
        n -= 1;
    }
    (n > 0).then(|| format!("{term} for {}", purpose[..n].join(" ")))
}

/// The words joined, dropping trailing words that cannot end a phrase.
fn end_cleanly(words: &[&str]) -> String {
    let mut n = words.len();
    while n > 1 && DANGLING.contains(&words[n - 1].to_lowercase().as_str()) {
        n -= 1;
    }
    clean(&words[..n].join(" "))
}

/// Markup, parentheticals, trailing punctuation and ellipses removed; spaces normalised.
fn clean(text: &str) -> String {
    static PARENS: OnceLock<Regex> = OnceLock::new();
    let parens = PARENS.get_or_init(|| Regex::new(r"\s*\([^()]*\)").expect("valid pattern"));
    let plain = doc::plain(text);
    let without = parens.replace_all(&plain, |c: &regex::Captures| {
        // Keep complexity bounds and calls: "O(1)", "gather()".
        let m = c.get(0).expect("match");
        let before = &plain[..m.start()];
        if m.as_str().starts_with('(') && before.ends_with(|ch: char| ch.is_alphanumeric()) {
            m.as_str().to_string()
        } else {
            String::new()
        }
    });
    let joined = without.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .trim_end_matches(['.', ',', ';', ':', '…', ' '])
        .trim_end_matches("...")
        .trim()
        .to_string()
}

/// Whether a lead-in is a call signature ("get(key)"), which says little without its body.
fn is_call(lead: &str) -> bool {
    lead.ends_with(')') && lead.contains('(') && !lead.starts_with("O(")
}

/// Whether a lead-in is only a sequence marker: "Day 1", "Step 2", "Phase 3".
fn is_bare_ordinal(lead: &str) -> bool {
    static ORDINAL: OnceLock<Regex> = OnceLock::new();
    let re = ORDINAL.get_or_init(|| {
        Regex::new(r"(?i)^(?:step|day|week|month|phase|stage|part|level|tier|option|method)\s*\d+$")
            .expect("valid pattern")
    });
    re.is_match(lead.trim())
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn content_words(text: &str) -> usize {
    text::tokens(text)
        .iter()
        .filter(|t| !text::is_stopword(t.text))
        .count()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().collect::<String>() + chars.as_str()
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    fn well_formed(label: &str) {
        let n = word_count(label);
        assert!((1..=MAX_WORDS + 1).contains(&n), "`{label}` has {n} words");
        assert!(!label.ends_with(['…', ':', ',']), "`{label}` ends badly");
    }

    #[test]
    fn bold_lead_in_names_the_point() {
        let l = for_lead(
            "Phase 1 - Expand",
            "add the new column, nullable, and backfill it in batches",
            &[],
        );
        assert_eq!(l, "Phase 1 - Expand");
        assert_eq!(
            for_lead("Hash Map", "Maps keys to nodes in the linked list", &[]),
            "Hash Map"
        );
    }

    #[test]
    fn generic_and_ordinal_leads_borrow_from_the_body() {
        let l = for_lead(
            "Definition",
            "dynamically modifying or extending code at runtime by changing attributes",
            &terms(&["runtime", "modifying"]),
        );
        well_formed(&l);
        assert!(!l.to_lowercase().starts_with("definition"), "{l}");
        let l = for_lead(
            "Day 1",
            "set up development environment, run existing system",
            &[],
        );
        assert_eq!(l, "Day 1: set up development environment");
    }

    #[test]
    fn short_sentence_is_its_own_label() {
        assert_eq!(
            for_sentence("Correlation IDs to track requests across services.", &[]),
            "Correlation IDs to track requests across services"
        );
    }

    #[test]
    fn long_sentence_becomes_a_phrase() {
        // First clause.
        let l = for_sentence(
            "The hash map provides O(1) lookup, while the doubly linked list maintains the access order.",
            &terms(&["hash map", "doubly linked list"]),
        );
        assert_eq!(l, "The hash map provides O(1) lookup");
        // Cut before a connector, keeping the main term; parentheticals dropped.
        let l = for_sentence(
            "Use base62 encoding (a-z, A-Z, 0-9) with a distributed counter or hash-based approach.",
            &terms(&["base62 encoding", "distributed counter"]),
        );
        assert_eq!(l, "Use base62 encoding with a distributed counter");
        // No good cut: the point's top terms.
        let l = for_sentence(
            "An LRU cache requires a combination of a hash map and a doubly linked list.",
            &terms(&["hash map", "doubly linked list", "lru cache"]),
        );
        assert_eq!(l, "Hash map and doubly linked list");
    }

    #[test]
    fn fronted_clause_gives_way_to_the_main_clause() {
        let l = for_sentence(
            "For true in-place operations, use bytearray or list of characters instead of str.",
            &[],
        );
        assert_eq!(l, "Use bytearray or list of characters");
    }

    #[test]
    fn purpose_clause_gives_term_for_purpose() {
        let l = term_for_purpose(
            "We keep a min heap of size k around at all times for the k largest values seen",
            &terms(&["min heap"]),
            MAX_WORDS,
        );
        assert_eq!(l.as_deref(), Some("min heap for the k largest values"));
    }

    #[test]
    fn heading_lists_its_items_when_they_fit() {
        let leads = terms(&["Write", "Read"]);
        assert_eq!(
            for_heading("Read/Write Quorum:", &leads, &[]),
            "Read/Write Quorum: Write, Read"
        );
        let leads = terms(&[
            "API Gateway",
            "Application Servers",
            "Database",
            "Cache Layer",
        ]);
        assert_eq!(for_heading("Key Components", &leads, &[]), "Key Components");
    }

    #[test]
    fn code_labels_name_the_ideas() {
        let l = for_code(&terms(&[
            "move to front",
            "get node",
            "evict lru node",
            "x y z",
        ]));
        assert_eq!(l, "Move to front and get node (code)");
        well_formed(&l);
    }

    #[test]
    fn repeated_labels_are_made_unique() {
        let mut labels = terms(&["Key Components", "Key Components", "Key Components"]);
        make_unique(&mut labels, &[terms(&[]), terms(&["cache"]), terms(&[])]);
        assert_eq!(
            labels,
            [
                "Key Components",
                "Key Components (cache)",
                "Key Components (2)"
            ]
        );
    }
}
