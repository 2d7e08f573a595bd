//! Key terms of a passage: the words and phrases whose presence in an answer shows a point is
//! covered. Multi-word phrases are preferred: a lead-in, bold phrases, phrases from the domain
//! synonym list, named technologies, complexity bounds, numbers, then content-word phrases.
//! Terms that merely repeat the question are kept last (the grader gives them no credit).

use std::collections::{BTreeSet, HashSet};

use crate::rubric::claims;
use crate::rubric::doc;
use crate::text::{self, synonyms};

/// Words that carry little meaning on their own in an answer; they also end a phrase.
const WEAK: &[&str] = &[
    "able",
    "across",
    "actually",
    "add",
    "adds",
    "allow",
    "allows",
    "already",
    "always",
    "another",
    "based",
    "best",
    "better",
    "e.g",
    "eg",
    "either",
    "else",
    "ensure",
    "ensures",
    "especially",
    "etc",
    "even",
    "every",
    "example",
    "first",
    "given",
    "good",
    "great",
    "help",
    "helps",
    "here's",
    "i.e",
    "ie",
    "instead",
    "key",
    "let",
    "lets",
    "like",
    "long",
    "make",
    "makes",
    "means",
    "includes",
    "involves",
    "becomes",
    "means",
    "includes",
    "involves",
    "becomes",
    "many",
    "much",
    "need",
    "needs",
    "new",
    "often",
    "one",
    "per",
    "provide",
    "provides",
    "rather",
    "really",
    "require",
    "requires",
    "required",
    "several",
    "simple",
    "simply",
    "since",
    "specific",
    "states",
    "still",
    "take",
    "takes",
    "therefore",
    "thus",
    "two",
    "typically",
    "use",
    "used",
    "uses",
    "using",
    "usually",
    "via",
    "want",
    "way",
    "well",
    "whether",
    "within",
    "without",
];

/// Single words too generic to be a term by themselves (fine inside a phrase).
const GENERIC: &[&str] = &[
    "analysis",
    "approach",
    "approaches",
    "area",
    "areas",
    "case",
    "cases",
    "component",
    "components",
    "consideration",
    "considerations",
    "data",
    "design",
    "element",
    "elements",
    "issue",
    "issues",
    "item",
    "items",
    "level",
    "management",
    "method",
    "number",
    "operation",
    "operations",
    "part",
    "pattern",
    "patterns",
    "problem",
    "problems",
    "process",
    "result",
    "results",
    "solution",
    "solutions",
    "strategy",
    "strategies",
    "support",
    "system",
    "systems",
    "team",
    "teams",
    "technique",
    "thing",
    "things",
    "time",
    "times",
    "type",
    "types",
    "value",
    "values",
    "work",
];

/// Words of a lead-in that only label it ("Phase 1 -", "Key insight", "Use Cases").
const LEAD_LABELS: &[&str] = &[
    "advantages",
    "algorithm",
    "analysis",
    "approach",
    "benefit",
    "benefits",
    "best",
    "case",
    "cases",
    "complexity",
    "considerations",
    "cons",
    "critical",
    "drawbacks",
    "example",
    "insight",
    "key",
    "mitigation",
    "note",
    "operation",
    "overview",
    "phase",
    "practices",
    "principle",
    "principles",
    "pros",
    "risk",
    "space",
    "step",
    "strategy",
    "summary",
    "time",
    "tip",
    "use",
];

/// A candidate term with its rank score and position.
struct Candidate {
    term: String,
    score: f64,
    order: usize,
}

/// Up to `max` key terms of `raw` (markup allowed), best first; never empty when `raw` has a
/// word. `lead` is the item's lead-in, `question` the stems of the question text.
pub(crate) fn key_terms(
    raw: &str,
    lead: Option<&str>,
    question: &HashSet<String>,
    max: usize,
) -> Vec<String> {
    let plain = doc::plain(raw);
    let mut cands: Vec<Candidate> = Vec::new();
    let mut push = |term: String, score: f64| {
        let term = tidy(&term);
        if !term.is_empty() {
            let order = cands.len();
            cands.push(Candidate { term, score, order });
        }
    };
    if let Some(lead) = lead.and_then(lead_term) {
        let score = if lead.len() <= 3 { 2.0 } else { 5.0 };
        push(lead, score);
    }
    for bold in doc::bold_spans(raw) {
        if let Some(t) = lead_term(&bold) {
            push(t, 4.0);
        }
    }
    for (phrase, words) in synonym_phrases(&plain) {
        push(phrase, if words > 1 { 4.5 } else { 3.0 });
    }
    for m in claims::bounds_in(raw) {
        push(m.bound, 4.0);
    }
    for tech in technologies(&plain) {
        push(tech, 3.0);
    }
    for number in numbers(&plain) {
        push(number, 1.5);
    }
    for (phrase, len, glossed) in content_phrases(&plain) {
        // A short gloss in brackets ("remove least recently used (tail)") names the idea.
        let gloss_bonus = if glossed { 1.0 } else { 0.0 };
        push(phrase, 1.0 + 0.5 * (len as f64 - 1.0) + gloss_bonus);
    }
    for c in &mut cands {
        let stems = stem_set(&c.term);
        if !stems.is_empty() && stems.iter().all(|s| question.contains(s)) {
            c.score -= 3.0;
        }
    }
    select(cands, max)
}

/// A term without surrounding punctuation (unbalanced brackets included).
fn tidy(term: &str) -> String {
    let mut t = term
        .trim()
        .trim_matches(|c: char| ",.;:!?\"'".contains(c))
        .to_string();
    if t.ends_with(')') && !t.contains('(') {
        t.pop();
    }
    if t.starts_with('(') && !t.contains(')') {
        t.remove(0);
    }
    t.trim().to_string()
}

/// Best candidates first, dropping any whose words are all inside an earlier pick.
fn select(mut cands: Vec<Candidate>, max: usize) -> Vec<String> {
    cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.order.cmp(&b.order)));
    let mut picked: Vec<(String, BTreeSet<String>)> = Vec::new();
    for c in cands {
        // Single content words only fill in when there is little else to go on.
        if picked.len() >= max || (picked.len() >= 4 && c.score < 1.5) {
            break;
        }
        let stems = stem_set(&c.term);
        let lower = c.term.to_lowercase();
        let canonical = synonyms::canonical(&lower);
        let dup = picked.iter().any(|(t, s)| {
            t.to_lowercase() == lower
                || (!stems.is_empty() && stems.is_subset(s))
                || (canonical.is_some() && synonyms::canonical(t) == canonical)
        });
        if !dup {
            picked.push((c.term, stems));
        }
    }
    picked.into_iter().map(|(t, _)| t).collect()
}

/// Adds `term` to `terms` unless an equal term, a synonym of it, or a term containing all its
/// words is already there.
pub(crate) fn push_unique(terms: &mut Vec<String>, term: String) {
    let stems = stem_set(&term);
    let lower = term.to_lowercase();
    let canonical = synonyms::canonical(&lower);
    let dup = terms.iter().any(|t| {
        t.to_lowercase() == lower
            || (!stems.is_empty() && stems.is_subset(&stem_set(t)))
            || (canonical.is_some() && synonyms::canonical(t) == canonical)
    });
    if !dup {
        terms.push(term);
    }
}

/// Content stems of a term, as a set.
pub(crate) fn stem_set(term: &str) -> BTreeSet<String> {
    text::content_stems(term).into_iter().collect()
}

/// A lead-in or bold phrase as a term: lowercased, label words ("Phase 1 -", "Key") removed.
fn lead_term(lead: &str) -> Option<String> {
    let no_parens = match lead.find('(') {
        Some(p) if p > 0 => &lead[..p],
        _ => lead,
    };
    let no_parens = no_parens.trim();
    let all_kept = text::tokens(no_parens).iter().all(|t| {
        let w = t.text.to_lowercase();
        !LEAD_LABELS.contains(&w.as_str())
            && !text::is_stopword(&w)
            && !w.chars().all(|c| c.is_ascii_digit())
    });
    if all_kept && (1..=5).contains(&no_parens.split_whitespace().count()) {
        return Some(no_parens.to_lowercase());
    }
    let words: Vec<String> = text::tokens(no_parens)
        .iter()
        .map(|t| t.text.to_lowercase())
        .filter(|w| !LEAD_LABELS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let words: Vec<String> = trim_stopwords(words);
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    Some(words.join(" "))
}

fn trim_stopwords(mut words: Vec<String>) -> Vec<String> {
    while words.first().is_some_and(|w| text::is_stopword(w)) {
        words.remove(0);
    }
    while words.last().is_some_and(|w| text::is_stopword(w)) {
        words.pop();
    }
    words
}

/// Phrases of the domain synonym list that occur in `plain`, longest match first, with their
/// word counts; single generic words are skipped.
pub(crate) fn synonym_phrases(plain: &str) -> Vec<(String, usize)> {
    synonym_matches(plain)
        .into_iter()
        .filter(|m| m.words > 1 || !GENERIC.contains(&m.phrase.as_str()))
        .map(|m| (m.phrase, m.words))
        .collect()
}

/// A domain phrase found in text: where it starts (token index), its length and its words.
struct SynonymMatch {
    first: usize,
    words: usize,
    phrase: String,
}

/// Domain-list phrases in `plain`, scanning tokens left to right, longest match first.
fn synonym_matches(plain: &str) -> Vec<SynonymMatch> {
    let lower = plain.to_lowercase();
    let toks = text::tokens(&lower);
    let max = synonyms::max_phrase_words();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut matched = 0;
        for n in (1..=max.min(toks.len() - i)).rev() {
            let span = &lower[toks[i].start..toks[i + n - 1].end];
            let spaced = toks[i..i + n]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" ");
            if synonyms::group_of(span).is_some() || synonyms::group_of(&spaced).is_some() {
                out.push(SynonymMatch {
                    first: i,
                    words: n,
                    phrase: if span.len() <= spaced.len() + 2 {
                        span.to_string()
                    } else {
                        spaced
                    },
                });
                matched = n;
                break;
            }
        }
        i += matched.max(1);
    }
    out
}

/// Named technologies and acronyms: capitalised words that are not at a sentence start
/// (`Redis`, `Kafka`, `GraphQL`, `JIRA`), lowercased.
fn technologies(plain: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (s, e) in text::sentences(plain) {
        let sentence = &plain[s..e];
        let mut prev_end = 0;
        for (i, t) in text::tokens(sentence).iter().enumerate() {
            let w = t.text;
            let after_break = sentence[prev_end..t.start].contains([':', '(', '—', '-', '"', '\'']);
            prev_end = t.end;
            let lower = w.to_lowercase();
            if after_break || WEAK.contains(&lower.as_str()) || GENERIC.contains(&lower.as_str()) {
                continue;
            }
            let upper_inside = w.chars().skip(1).any(char::is_uppercase);
            let capitalised = w.chars().next().is_some_and(char::is_uppercase);
            let acronym = w.len() >= 2
                && w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
            if (upper_inside || acronym || (capitalised && i > 0))
                && w.len() >= 2
                && !text::is_stopword(w)
                && w.chars().any(char::is_alphabetic)
                && !["I", "O"].contains(&w)
            {
                out.push(w.to_lowercase());
            }
        }
    }
    out
}

/// Numbers with what they count ("12-month", "99.9% availability", "3 hours").
fn numbers(plain: &str) -> Vec<String> {
    let toks = text::tokens(plain);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if !t.text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut phrase = plain[t.start..t.end].to_string();
        if plain[t.end..].starts_with('%') {
            phrase.push('%');
        }
        if let Some(next) = toks.get(i + 1) {
            let gap = &plain[t.end..next.start];
            if gap.trim_start_matches('%').trim().is_empty()
                && !text::is_stopword(next.text)
                && !next.text.chars().any(|c| c.is_ascii_digit())
            {
                phrase = plain[t.start..next.end].to_string();
            }
        }
        out.push(phrase.to_lowercase());
    }
    out
}

/// Content-word phrases: runs of words between stopwords, weak words, numbers, punctuation and
/// domain phrases (those are terms of their own), cut into pieces of at most three words, with
/// participles trimmed from the edges ("maintaining team trust" → "team trust"); single generic
/// or short words are skipped.
fn content_phrases(plain: &str) -> Vec<(String, usize, bool)> {
    let toks = text::tokens(plain);
    let mut in_domain_phrase = vec![false; toks.len()];
    for m in synonym_matches(plain).iter().filter(|m| m.words > 1) {
        for flag in &mut in_domain_phrase[m.first..m.first + m.words] {
            *flag = true;
        }
    }
    for bound in claims::bounds_in(plain) {
        for (flag, t) in in_domain_phrase.iter_mut().zip(&toks) {
            if t.start < bound.end && bound.start < t.end {
                *flag = true;
            }
        }
    }
    let mut runs: Vec<(Vec<&str>, bool)> = vec![(Vec::new(), false)];
    let mut prev_end = 0;
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        let gap = &plain[prev_end..t.start];
        depth += gap.matches('(').count() as i32 - gap.matches(')').count() as i32;
        let in_parens = depth > 0;
        let lower = t.text.to_lowercase();
        let breaks = gap.contains([
            ',', '.', ';', ':', '(', ')', '!', '?', '|', '/', '—', '–', '%',
        ]) || gap.contains(" - ");
        if breaks {
            runs.push((Vec::new(), in_parens));
        }
        let is_break_word = in_domain_phrase[i]
            || text::is_stopword(&lower)
            || WEAK.contains(&lower.as_str())
            || lower.chars().any(|c| c.is_ascii_digit());
        if is_break_word {
            runs.push((Vec::new(), in_parens));
        } else if let Some((run, _)) = runs.last_mut() {
            run.push(t.text);
        }
        prev_end = t.end;
    }
    let mut out = Vec::new();
    for (run, in_parens) in runs.into_iter().filter(|(r, _)| !r.is_empty()) {
        let glossed = in_parens && run.len() <= 3;
        for chunk in run.chunks(3) {
            let chunk = trim_participles(chunk);
            let phrase = chunk.join(" ").to_lowercase();
            if chunk.is_empty()
                || chunk.len() == 1 && (phrase.len() < 4 || GENERIC.contains(&phrase.as_str()))
            {
                continue;
            }
            out.push((phrase, chunk.len(), glossed));
        }
    }
    out
}

/// Drops "-ed"/"-ing" words from both ends of a phrase while more than one word is left.
fn trim_participles<'a>(chunk: &'a [&'a str]) -> &'a [&'a str] {
    let participle = |w: &str| {
        let w = w.to_lowercase();
        w.len() >= 5 && (w.ends_with("ed") || w.ends_with("ing"))
    };
    let mut c = chunk;
    while c.len() > 1 && participle(c[0]) {
        c = &c[1..];
    }
    while c.len() > 1 && participle(c[c.len() - 1]) {
        c = &c[..c.len() - 1];
    }
    c
}

/// Number of content words in `text`.
pub(crate) fn content_word_count(text: &str) -> usize {
    text::tokens(text)
        .iter()
        .filter(|t| {
            let w = t.text.to_lowercase();
            !text::is_stopword(&w) && !WEAK.contains(&w.as_str())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> HashSet<String> {
        text::content_stems(text).into_iter().collect()
    }

    #[test]
    fn prefers_lead_bold_and_domain_phrases() {
        let got = key_terms(
            "Maps keys to nodes in the linked list",
            Some("Hash Map"),
            &q("Explain an LRU cache"),
            5,
        );
        assert_eq!(got[0], "hash map");
        assert!(got.iter().any(|t| t == "linked list"), "{got:?}");
    }

    #[test]
    fn question_words_come_last() {
        let got = key_terms(
            "To simulate the behaviour of portions of the desired software product.",
            None,
            &q("What is the role of a prototype program in problem solving?"),
            4,
        );
        assert!(got.iter().any(|t| t.contains("simulate")), "{got:?}");
        assert!(
            got.iter().any(|t| t.contains("software product")),
            "{got:?}"
        );
    }

    #[test]
    fn never_empty_when_there_are_words() {
        let got = key_terms(
            "At the main function.",
            None,
            &q("Where does a program start?"),
            4,
        );
        assert!(!got.is_empty());
        assert!(got[0].contains("main function"));
    }

    #[test]
    fn finds_technologies_bounds_and_numbers() {
        let got = key_terms(
            "Use a Redis cluster, $O(1)$ reads and a 12-month deprecation window",
            None,
            &HashSet::new(),
            8,
        );
        for want in ["redis", "O(1)", "12-month"] {
            assert!(got.iter().any(|t| t.contains(want)), "{want} in {got:?}");
        }
    }
}
