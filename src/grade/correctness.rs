//! Checks that make the score follow correctness rather than vocabulary: the misconceptions a
//! rubric lists, sentences that name terms without saying anything about them, the concrete
//! detail a behavioural story carries, and how much an answer is about this question rather
//! than a sibling question of the same section (topicality).

use rustc_hash::FxHashSet;

use crate::rubric::{Importance, Rubric};

use super::analysis::{analyse, phrase_keys, Analysed};
use super::lexicon;
use super::term_weights::TermWeights;

/// A misconception ready for detection: cue groups as key sequences, and whether the claim
/// itself is stated negatively.
#[derive(Debug, Clone)]
pub struct PreparedMisconception {
    /// Per group, its alternatives, each a list of keys that must all occur in the sentence.
    pub groups: Vec<Vec<Vec<String>>>,
    /// Whether the claim says "not" an odd number of times.
    pub negated: bool,
}

/// Prepares the rubric's misconceptions.
pub fn prepare_misconceptions(rubric: &Rubric) -> Vec<PreparedMisconception> {
    rubric
        .misconceptions
        .iter()
        .map(|m| PreparedMisconception {
            groups: m
                .detect
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|cue| cue_keys(cue))
                        .filter(|keys| !keys.is_empty())
                        .collect()
                })
                .collect(),
            negated: super::prepared::is_negated(&m.claim),
        })
        .collect()
}

/// Function words too common to tell a claim apart; every other word of a cue counts, "most"
/// and "least", "same" and "each" included (they are what makes "most recently used" wrong).
const CUE_SKIP: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "is", "are", "be", "it",
];

/// The keys a cue must show: its words' keys (folded phrases as one key), function words kept
/// except the commonest.
fn cue_keys(cue: &str) -> Vec<String> {
    analyse(cue)
        .words
        .iter()
        .filter(|w| !w.alias && !CUE_SKIP.contains(&w.key.as_str()))
        .map(|w| w.key.clone())
        .collect()
}

/// Words that open a contrasting clause: what follows is set against what precedes, so a
/// claim is read within one side ("unlike QuickSort, MergeSort is stable").
const CONTRAST: &[&str] = &[
    "while",
    "whereas",
    "but",
    "unlike",
    "instead",
    "rather",
    "although",
    "though",
    "however",
    "versus",
    "vs",
    "compared",
    "than",
    "whilst",
    "otherwise",
];

/// Words that end a negation's reach: "not optional and context switching matters" negates
/// only "optional".
const SCOPE_ENDS: &[&str] = &[
    "and", "or", "but", "so", "because", "since", "which", "that", "while", "then", "if",
];
/// Whether a word ends a negation's reach.
pub fn ends_negation(key: &str) -> bool {
    SCOPE_ENDS.contains(&key)
}

/// How many words after a negator it governs.
const NEGATION_REACH: usize = 4;

/// Whether a word of the answer negates what follows. Python's `None` in a sentence is a value,
/// not a negation; in code nothing is.
pub fn negates(surface: &str, key: &str, in_code: bool, first_in_sentence: bool) -> bool {
    if in_code || (surface == "None" && !first_in_sentence) {
        return false;
    }
    lexicon::is_negator(&surface.to_lowercase()) || lexicon::is_negator(key)
}

/// Contrast words whose clause names what the writer sets aside.
const REJECTING: &[&str] = &["instead", "rather", "unlike"];

/// One clause of an answer: its sentence, its keys, and the keys a negation governs.
#[derive(Debug, Clone, Default)]
pub struct Clause<'a> {
    /// Index of the sentence it belongs to.
    pub sentence: usize,
    /// Its keys (content words, stop words and folded-phrase parts).
    pub keys: FxHashSet<&'a str>,
    /// Keys within reach of a negator (a few words after "not", "never", "no", "without"...,
    /// up to punctuation or a conjunction; a second negator in reach cancels the first).
    pub negated_keys: FxHashSet<&'a str>,
}

/// The answer's clauses: each sentence cut at semicolons and at words that open a contrast; a
/// sentence that opens with a contrast ("Unlike X, Y…", "Rather than X, I…") is also cut at the
/// comma that closes it.
pub fn clauses<'a>(text: &str, answer: &'a Analysed) -> Vec<Clause<'a>> {
    let mut out: Vec<Clause<'a>> = Vec::new();
    let mut previous_end = 0;
    let mut contrast_open = false;
    let mut reach = 0usize;
    let mut code = false;
    let mut first_in_sentence = true;
    let mut rejecting = false;
    for w in &answer.words {
        let surface = &text[w.span.0..w.span.1];
        let word = surface.to_lowercase();
        let between = &text[previous_end.min(w.span.0)..w.span.0];
        let new_sentence = out.last().is_none_or(|last| last.sentence != w.sentence);
        if new_sentence {
            let (s, e) = answer.sentences[w.sentence];
            code = is_code(&text[s..e]);
            first_in_sentence = true;
            contrast_open = false;
        }
        let punctuation = between.contains([',', ';', ':', '(', ')']);
        let contrast = !w.alias && CONTRAST.contains(&word.as_str());
        let starts = new_sentence
            || (!w.alias
                && (between.contains(';') || contrast || (contrast_open && between.contains(','))));
        if starts {
            if !new_sentence && contrast_open && !contrast {
                contrast_open = false;
            }
            out.push(Clause {
                sentence: w.sentence,
                ..Clause::default()
            });
            reach = 0;
        }
        if contrast && first_in_sentence {
            contrast_open = true;
        }
        if starts {
            // "Instead of X", "rather than X", "unlike X": X is what the writer sets aside.
            rejecting = !w.alias && REJECTING.contains(&word.as_str());
        }
        if punctuation && !w.alias {
            reach = 0;
        }
        let clause = out.last_mut().expect("a clause was just pushed");
        clause.keys.insert(w.key.as_str());
        if rejecting {
            clause.negated_keys.insert(w.key.as_str());
        }
        if !w.alias {
            if negates(surface, &w.key, code, first_in_sentence) {
                // A second negation in reach cancels the first ("never ship without a flag").
                reach = if reach > 0 { 0 } else { NEGATION_REACH };
            } else if ends_negation(&word) {
                reach = 0;
            } else if reach > 0 {
                reach -= 1;
                clause.negated_keys.insert(w.key.as_str());
            }
            first_in_sentence = false;
        } else if reach > 0 {
            clause.negated_keys.insert(w.key.as_str());
        }
        previous_end = w.span.1;
    }
    out
}

/// A sentence stating one of the rubric's misconceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MisconceptionHit {
    /// Index of the misconception in the rubric.
    pub index: usize,
    /// Index of the sentence stating it.
    pub sentence: usize,
}

/// Every (misconception, first sentence stating it): a clause states a misconception when it
/// shows one alternative of every cue group and a negation governs those words exactly when
/// the claim is negative.
pub fn misconceptions(
    prepared: &[PreparedMisconception],
    clauses: &[Clause],
) -> Vec<MisconceptionHit> {
    let mut hits = Vec::new();
    for (index, m) in prepared.iter().enumerate() {
        if m.groups.is_empty() || m.groups.iter().any(|g| g.is_empty()) {
            continue;
        }
        let found = clauses.iter().find(|clause| {
            let mut negated = false;
            let all = m.groups.iter().all(|alternatives| {
                alternatives.iter().any(|cue| {
                    let shown = cue.iter().all(|k| clause.keys.contains(k.as_str()));
                    if shown && cue.iter().any(|k| clause.negated_keys.contains(k.as_str())) {
                        negated = true;
                    }
                    shown
                })
            });
            // The clause states the claim when the claim's words are negated exactly as the
            // claim negates them.
            all && negated == m.negated
        });
        if let Some(clause) = found {
            hits.push(MisconceptionHit {
                index,
                sentence: clause.sentence,
            });
        }
    }
    hits
}

/// Fewest words a sentence needs to explain something.
const EXPLAINS_MIN_WORDS: usize = 4;
/// Least share of function words in a sentence that explains (keyword lists have almost none).
const EXPLAINS_MIN_STOP_SHARE: f64 = 0.1;

/// Whether a sentence is code (a fenced block, braces and assignments, or a line opening with
/// a keyword): code says what it does in its own syntax, so it is not held to prose.
/// Semicolons alone do not make code: notes are often separated by them.
pub fn is_code(sentence: &str) -> bool {
    sentence.contains("```") || looks_like_code(sentence, &['{', '}', '='], 3)
}

/// Whether a sentence has `min` of the `symbols` or a line that opens with a keyword of code
/// (`def `, `return `, `for `…) followed by code punctuation.
pub fn looks_like_code(sentence: &str, symbols: &[char], min: usize) -> bool {
    let count = sentence.chars().filter(|c| symbols.contains(c)).count();
    let keyword_line = sentence.lines().any(|l| {
        let l = l.trim_start();
        CODE_KEYWORDS.iter().any(|k| l.starts_with(k))
    });
    count >= min || (keyword_line && sentence.contains(['(', ':', '{']))
}

/// Words a line of code opens with.
const CODE_KEYWORDS: &[&str] = &[
    "def ",
    "class ",
    "function ",
    "return ",
    "fn ",
    "for ",
    "while ",
    "if ",
    "const ",
    "let ",
];

/// A list segment (between commas, semicolons, slashes or arrows) this short, with at most one
/// function word, is a fragment rather than a clause.
const FRAGMENT_MAX_WORDS: usize = 5;
/// Longest line that states a complexity bound and still counts as saying something.
const BOUND_LINE_WORDS: usize = 12;
/// Share of a sentence's words in fragments at which it is a list, not an explanation.
const FRAGMENT_SHARE: f64 = 0.6;

/// Per sentence, whether it is terse: too short, too few function words, or mostly a list of
/// fragments, to say anything about the terms it names (a keyword list, notes).
pub fn terse_sentences(text: &str, answer: &Analysed) -> Vec<bool> {
    let counts = answer.sentence_word_counts();
    // Per sentence: (words in fragments, segments).
    let mut fragments = vec![(0usize, 0usize); answer.sentences.len()];
    let mut segment: (usize, usize, usize) = (usize::MAX, 0, 0); // (sentence, words, stop words)
    let mut previous_end = 0;
    let close = |seg: (usize, usize, usize), fragments: &mut Vec<(usize, usize)>| {
        if seg.0 != usize::MAX && seg.1 > 0 {
            let f = &mut fragments[seg.0];
            f.1 += 1;
            if seg.1 <= FRAGMENT_MAX_WORDS && seg.2 <= 1 {
                f.0 += seg.1;
            }
        }
    };
    for w in answer.words.iter().filter(|w| !w.alias) {
        let between = &text[previous_end.min(w.span.0)..w.span.0];
        let breaks = between.contains([',', ';', '/', '+'])
            || between.contains("->")
            || between.contains('\u{2192}');
        if w.sentence != segment.0 || breaks {
            close(segment, &mut fragments);
            segment = (w.sentence, 0, 0);
        }
        segment.1 += 1;
        if w.stop {
            segment.2 += 1;
        }
        previous_end = w.span.1;
    }
    close(segment, &mut fragments);
    let mut states_bound = vec![false; answer.sentences.len()];
    for w in answer.words.iter().filter(|w| w.key.starts_with("=o(")) {
        states_bound[w.sentence] = true;
    }
    counts
        .iter()
        .zip(&fragments)
        .zip(&states_bound)
        .map(|((&(all, stop), &(fragment_words, segments)), &bound)| {
            let list = segments >= 3 && fragment_words as f64 >= FRAGMENT_SHARE * all as f64;
            // A short line stating a bound ("Add: O(1) average, O(n) worst case") is a claim in
            // its own notation; a list of them is still a list.
            let bound_line = bound && all <= BOUND_LINE_WORDS && segments < 3;
            list || (!bound_line
                && (all < EXPLAINS_MIN_WORDS
                    || (stop as f64) < EXPLAINS_MIN_STOP_SHARE * all as f64))
        })
        .collect()
}

/// Numbers written as words count as concrete detail too.
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "thousand", "million",
    "billion", "dozen", "half", "twice", "triple", "double", "percent",
];

/// Capitalised words every story may use that name nothing checkable: business acronyms,
/// job titles, methodologies, the STAR labels.
const GENERIC_CAPITALS: &[&str] = &[
    "mvp",
    "kpi",
    "kpis",
    "roi",
    "okr",
    "okrs",
    "pm",
    "pms",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "vp",
    "qa",
    "ux",
    "ui",
    "agile",
    "scrum",
    "star",
    "situation",
    "task",
    "action",
    "result",
    "ok",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "poc",
    "sme",
    "smes",
];

/// Concrete, checkable details in a text: numbers, and names (capitalised words that do not
/// start a sentence, are not "I" and are not [`GENERIC_CAPITALS`]), counted once each.
pub fn concrete_details(text: &str, answer: &Analysed) -> usize {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut previous_sentence = usize::MAX;
    for w in answer.words.iter().filter(|w| !w.alias && !w.stop) {
        let word = &text[w.span.0..w.span.1];
        let first_of_sentence = w.sentence != previous_sentence
            || text[..w.span.0]
                .trim_end()
                .ends_with([':', '-', '*', '\n', '(']);
        previous_sentence = w.sentence;
        let number = word.bytes().any(|b| b.is_ascii_digit())
            || NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(word));
        let name = !first_of_sentence
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.len() > 1
            && !GENERIC_CAPITALS
                .iter()
                .any(|g| g.eq_ignore_ascii_case(word));
        if number || name {
            seen.insert(word.to_lowercase());
        }
    }
    seen.len()
}

/// The words that show what a question is about: its focus terms and its key points' terms
/// and phrasings (core points counted double), weighted by rarity across the catalog.
#[derive(Debug, Clone, Default)]
pub struct TopicProfile {
    /// (key, weight), keys distinct.
    pub keys: Vec<(String, f64)>,
    /// Sum of the weights.
    pub total: f64,
}

impl TopicProfile {
    /// The profile of a rubric. Question words are left out: a sibling question's answer may
    /// well repeat them.
    pub fn of(rubric: &Rubric, weights: &TermWeights) -> TopicProfile {
        let question: FxHashSet<String> = phrase_keys(&rubric.question).into_iter().collect();
        // Texts by weight factor, each group analysed in one pass (one analysis per short term
        // costs more than the whole profile otherwise).
        let mut groups: Vec<(f64, String)> = [2.0, 1.0, 0.5]
            .into_iter()
            .map(|f| (f, String::new()))
            .collect();
        let mut push = |text: &str, factor: f64| {
            if let Some((_, group)) = groups.iter_mut().find(|(f, _)| *f == factor) {
                group.push_str(text);
                group.push_str(".\n");
            }
        };
        if let Some(focus) = &rubric.focus {
            for t in &focus.terms {
                push(t, 2.0);
            }
        }
        for kp in &rubric.key_points {
            let factor = match kp.importance {
                Importance::Core => 2.0,
                Importance::Supporting => 1.0,
                Importance::Bonus => continue,
            };
            for t in &kp.terms {
                push(t, factor);
            }
        }
        for c in &rubric.competencies {
            for t in &c.terms {
                push(t, 1.0);
            }
        }
        let mut index: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        let mut keys: Vec<(String, f64)> = Vec::new();
        for (factor, text) in &groups {
            for k in phrase_keys(text) {
                // A key that is also a function word ("owned" stems to "own") is in every text.
                if question.contains(&k) || k.len() < 2 || crate::text::is_stopword(&k) {
                    continue;
                }
                let w = weights.weight(&k) * factor;
                match index.get(&k) {
                    Some(&at) => keys[at].1 = keys[at].1.max(w),
                    None => {
                        index.insert(k.clone(), keys.len());
                        keys.push((k, w));
                    }
                }
            }
        }
        let total = keys.iter().map(|(_, w)| w).sum();
        TopicProfile { keys, total }
    }

    /// Weighted share of the profile's keys the answer uses.
    pub fn fit(&self, answer_keys: &FxHashSet<&str>) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let got: f64 = self
            .keys
            .iter()
            .filter(|(k, _)| answer_keys.contains(k.as_str()))
            .map(|(_, w)| w)
            .sum();
        got / self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Misconception;

    fn rubric_with(claim: &str, detect: &[&[&str]]) -> Rubric {
        let mut rubric = super::super::tests::lru();
        rubric.misconceptions = vec![Misconception {
            claim: claim.into(),
            detect: detect
                .iter()
                .map(|g| g.iter().map(|s| s.to_string()).collect())
                .collect(),
            correction: "LRU evicts the least recently used entry.".into(),
        }];
        rubric
    }

    fn hits(rubric: &Rubric, answer: &str) -> Vec<MisconceptionHit> {
        let prepared = prepare_misconceptions(rubric);
        let analysed = analyse(answer);
        misconceptions(&prepared, &clauses(answer, &analysed))
    }

    #[test]
    fn a_misconception_needs_every_group_in_one_sentence_with_its_polarity() {
        let rubric = rubric_with(
            "The cache evicts the most recently used entry.",
            &[&["evict", "remove"], &["most recently used", "newest"]],
        );
        let wrong = "On a full cache we evict the most recently used key. Then insert.";
        assert_eq!(
            hits(&rubric, wrong),
            vec![MisconceptionHit {
                index: 0,
                sentence: 0
            }]
        );
        // Stemmed: "removes" and "newest".
        assert_eq!(hits(&rubric, "It removes the newest entry first.").len(), 1);
        // "most" and "least" are function words, yet they decide the claim.
        assert!(hits(&rubric, "We evict the least recently used entry.").is_empty());
        // A contrast keeps each side apart.
        assert!(hits(
            &rubric,
            "We evict the oldest entry, while the most recently used one stays."
        )
        .is_empty());
        assert!(hits(
            &rubric,
            "Unlike a stack, we evict the oldest; the most recently used stays."
        )
        .is_empty());
        // Negated, or the cues spread over two sentences: not the claim.
        assert!(hits(&rubric, "We never evict the most recently used key.").is_empty());
        assert!(hits(
            &rubric,
            "We evict one key. The most recently used stays at the head."
        )
        .is_empty());
        // The right claim does not fire.
        assert!(hits(
            &rubric,
            "We evict the least recently used key from the tail."
        )
        .is_empty());
    }

    #[test]
    fn a_negative_claim_fires_only_on_a_negative_sentence() {
        let rubric = rubric_with(
            "An LRU cache does not need a hash map.",
            &[&["need", "require"], &["hash map"]],
        );
        assert_eq!(hits(&rubric, "You don't need a hash map at all.").len(), 1);
        assert!(hits(&rubric, "You need a hash map for O(1) lookup.").is_empty());
        // Two negations cancel; Python's None is a value.
        assert!(hits(&rubric, "You never build it without a hash map.").is_empty());
        assert!(hits(
            &rubric,
            "The get returns None when you need a hash map miss."
        )
        .is_empty());
    }

    #[test]
    fn terse_sentences_are_short_or_without_function_words() {
        let text = "hash map; doubly linked list; O(1) get/put; evict tail.\nThe map points at each node so we can unlink it in constant time.";
        let analysed = analyse(text);
        let terse = terse_sentences(text, &analysed);
        assert!(terse[0], "{terse:?}");
        assert!(!terse[terse.len() - 1], "{terse:?}");
        assert!(is_code("```python\ndef f(x):\n    return x\n```"));
        assert!(!is_code(
            "sliding window; first window sum O(k); track max; O(n) time"
        ));
        let list = "two sum; brute force O(n^2); hash set of seen values, complement = target - x -> O(n) time / O(n) space; sort + two pointers";
        assert!(terse_sentences(list, &analyse(list))[0]);
        let bound = "Add: O(1) average, O(n) worst case";
        assert!(!terse_sentences(bound, &analyse(bound))[0]);
        let notes =
            "hash map; doubly linked list; move to head; evict tail; O(1) get/put; capacity";
        assert!(terse_sentences(notes, &analyse(notes))[0]);
        let prose = "Start with a simple monolith and one database, and add a cache and a CDN early since they are cheap wins.";
        assert!(!terse_sentences(prose, &analyse(prose))[0]);
    }

    #[test]
    fn concrete_details_count_numbers_and_names_once() {
        let text = "At Acme we ran Kafka. Lag fell from 40 minutes to 3 minutes on Kafka.";
        let analysed = analyse(text);
        // Acme, Kafka and the numbers; "At" and "Lag" start sentences, Kafka counts once.
        let found = concrete_details(text, &analysed);
        assert!((3..=4).contains(&found), "{found}");
        let spelled = "We cut it from twelve minutes to two.";
        assert_eq!(concrete_details(spelled, &analyse(spelled)), 2);
        let fluff = "Situation: our organisation faced challenges. Result: agility improved.";
        assert_eq!(concrete_details(fluff, &analyse(fluff)), 0);
        // Business acronyms and titles name nothing a listener could check.
        let buzz = "I aligned with the PM and the CTO on an MVP that moved our KPIs and ROI.";
        assert_eq!(concrete_details(buzz, &analyse(buzz)), 0);
    }

    #[test]
    fn the_topic_profile_prefers_the_question_it_belongs_to() {
        let lru = super::super::tests::lru();
        let weights = TermWeights::default();
        let profile = TopicProfile::of(&lru, &weights);
        assert!(profile.total > 0.0);
        let on = analyse("A hash map points to nodes of a doubly linked list; evict the tail.");
        let off = analyse("Use a mutex so one thread at a time enters the critical section.");
        fn keys(a: &Analysed) -> FxHashSet<&str> {
            a.words.iter().map(|w| w.key.as_str()).collect()
        }
        assert!(profile.fit(&keys(&on)) > 3.0 * profile.fit(&keys(&off)).max(0.01));
    }
}
