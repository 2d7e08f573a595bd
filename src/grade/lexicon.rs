//! General-English word knowledge the grader matches with: groups of single words that mean
//! the same in most contexts (start ≈ begin, rotate ≈ turn), antonyms (faster ≠ slower) and
//! negators. The technical synonym list lives in `text::synonyms`.
//!
//! Kept deliberately conservative: a word goes into a group only when it means the same thing
//! in nearly every context an answer could use it in.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use crate::text;

/// Single-word synonym groups; the first word names the group.
const GROUPS: &[&[&str]] = &[
    &["big", "large", "huge", "enormous"],
    &["small", "little", "tiny"],
    &["fast", "quick", "rapid", "speedy"],
    &["slow", "sluggish"],
    &["begin", "start", "commence", "initiate", "front"],
    &["finish", "end", "terminate"],
    &["make", "create", "build", "construct"],
    &["show", "display", "demonstrate"],
    &["use", "utilize", "utilise"],
    &["obtain", "get", "acquire", "receive"],
    &["retrieve", "fetch"],
    &["help", "assist", "aid"],
    &["rotate", "turn", "spin", "revolve"],
    &["change", "alter", "modify"],
    &["halt", "cease"],
    &["increase", "raise", "rise", "grow"],
    &["decrease", "reduce", "diminish", "shrink"],
    &["mistake", "error"],
    &["bug", "defect"],
    &["fix", "repair"],
    &["verify", "validate", "check"],
    &["keep", "retain", "preserve"],
    &["remove", "delete", "eliminate", "erase"],
    &["add", "insert", "append"],
    &["find", "locate"],
    &["choose", "select", "pick"],
    &["allow", "permit", "enable"],
    &["prevent", "avoid"],
    &["store", "save", "persist"],
    &["answer", "reply", "response"],
    &["function", "method", "procedure", "subroutine", "routine"],
    &["parameter", "argument", "param", "arg"],
    &["whole", "entire"],
    &["same", "identical"],
    &["different", "distinct"],
    &["simple", "easy", "straightforward"],
    &["wrong", "incorrect"],
    &["problem", "issue"],
    &["goal", "objective", "aim"],
    &["combine", "merge"],
    &["split", "divide"],
    &["copy", "duplicate", "clone"],
    &["call", "invoke"],
    &["return", "output"],
    &["minimum", "smallest", "lowest", "min"],
    &["maximum", "largest", "biggest", "highest", "max"],
    &["position", "place"],
];

/// Antonym pairs (matched after stemming and synonym folding).
const ANTONYMS: &[(&str, &str)] = &[
    ("more", "less"),
    ("more", "fewer"),
    ("increase", "decrease"),
    ("high", "low"),
    ("higher", "lower"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("big", "small"),
    ("bigger", "smaller"),
    ("larger", "smaller"),
    ("hot", "cold"),
    ("hotter", "colder"),
    ("warm", "cool"),
    ("long", "short"),
    ("longer", "shorter"),
    ("heavy", "light"),
    ("dark", "light"),
    ("strong", "weak"),
    ("positive", "negative"),
    ("open", "closed"),
    ("same", "different"),
    ("true", "false"),
    ("always", "never"),
    ("add", "remove"),
    ("synchronous", "asynchronous"),
    ("sync", "async"),
    ("stateless", "stateful"),
    ("mutable", "immutable"),
    ("minimum", "maximum"),
    ("first", "last"),
    ("top", "bottom"),
    ("inside", "outside"),
    ("accept", "reject"),
    ("success", "failure"),
    ("attract", "repel"),
    ("absorb", "reflect"),
    ("expand", "contract"),
    ("conductor", "insulator"),
    ("begin", "finish"),
    ("horizontal", "vertical"),
    ("static", "dynamic"),
    ("public", "private"),
    ("local", "global"),
    ("read", "write"),
    ("optimistic", "pessimistic"),
    ("strong", "eventual"),
];

/// Words that flip the meaning of a sentence.
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "cannot",
    "can't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "shouldn't",
    "couldn't",
    "none",
    "neither",
    "nor",
    "without",
    "hasn't",
    "haven't",
];

/// The key a stem folds to: `~<group name>` for a word in a synonym group, else the stem.
pub fn fold(stem: &str) -> Option<&'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = HashMap::default();
            for group in GROUPS {
                let key: &'static str = Box::leak(format!("~{}", group[0]).into_boxed_str());
                for word in group.iter() {
                    index.insert(text::stem(word), key);
                }
            }
            index
        })
        .get(stem)
        .copied()
}

/// Keys that mean the opposite of `key`.
pub fn antonyms(key: &str) -> &'static [String] {
    static INDEX: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index: HashMap<String, Vec<String>> = HashMap::default();
            for (a, b) in ANTONYMS {
                let (ka, kb) = (key_of(a), key_of(b));
                index.entry(ka.clone()).or_default().push(kb.clone());
                index.entry(kb).or_default().push(ka);
            }
            index
        })
        .get(key)
        .map_or(&[], Vec::as_slice)
}

/// Whether a negator can deny a verdict about the clause's subject ("tracing doesn't help",
/// "recursion can't handle it"); "no", "none" and "without" govern only what follows.
pub fn negates_subject(key: &str) -> bool {
    matches!(key, "not" | "never" | "cannot") || key.ends_with("n't") || key.ends_with("n\u{2019}t")
}

/// The matching key of a dictionary word: its stem, folded to its synonym group's key.
fn key_of(word: &str) -> String {
    let s = text::stem(word);
    fold(&s).map_or(s, str::to_string)
}

fn stems_of(words: &[&str], cell: &'static OnceLock<Vec<String>>) -> &'static [String] {
    cell.get_or_init(|| words.iter().map(|w| key_of(w)).collect())
}

/// A word that, negated, judges the subject worthless: "doesn't help", "isn't needed",
/// "doesn't matter", "won't work".
pub fn is_evaluative(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "help",
        "need",
        "needed",
        "necessary",
        "required",
        "matter",
        "work",
        "useful",
        "worth",
        "important",
        "improve",
        "relevant",
        "benefit",
        "scale",
        "apply",
    ];
    static STEMS: OnceLock<Vec<String>> = OnceLock::new();
    stems_of(WORDS, &STEMS).iter().any(|s| s == key)
}

/// A verdict that dismisses its subject on its own: "the check is unnecessary".
pub fn is_dismissal(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "unnecessary",
        "useless",
        "pointless",
        "wasteful",
        "overkill",
        "irrelevant",
        "unneeded",
    ];
    static STEMS: OnceLock<Vec<String>> = OnceLock::new();
    stems_of(WORDS, &STEMS).iter().any(|s| s == key)
}

/// Whether a lowercase word negates its sentence.
pub fn is_negator(lower: &str) -> bool {
    NEGATORS.contains(&lower) || lower.ends_with("n't") || lower.ends_with("n\u{2019}t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_fold_inflected_words_to_one_key() {
        assert_eq!(fold(&text::stem("rotates")), fold(&text::stem("turning")));
        assert_eq!(fold(&text::stem("rotates")), Some("~rotate"));
        assert_eq!(fold("banana"), None);
    }

    #[test]
    fn superlatives_fold_with_their_extreme() {
        assert_eq!(fold(&text::stem("smallest")), fold(&text::stem("minimum")));
        assert_eq!(fold(&text::stem("biggest")), fold(&text::stem("maximum")));
        assert!(antonyms("~minimum").contains(&"~maximum".to_string()));
    }

    #[test]
    fn positions_and_fronts_fold() {
        assert_eq!(fold(&text::stem("place")), fold(&text::stem("positions")));
        assert_eq!(fold(&text::stem("front")), fold(&text::stem("beginning")));
    }

    #[test]
    fn antonyms_are_symmetric() {
        assert!(antonyms(&text::stem("faster")).contains(&text::stem("slower")));
        assert!(antonyms(&text::stem("slower")).contains(&text::stem("faster")));
        assert!(antonyms("~increase").contains(&"~decrease".to_string()));
    }

    #[test]
    fn negations_with_either_apostrophe_negate() {
        for word in ["not", "won't", "doesn\u{2019}t", "can\u{2019}t", "never"] {
            assert!(is_negator(word), "{word}");
        }
        assert!(!is_negator("won") && !is_negator("note"));
    }

    #[test]
    fn groups_do_not_overlap() {
        let mut seen = std::collections::HashSet::new();
        for group in GROUPS {
            for word in group.iter() {
                assert!(seen.insert(text::stem(word)), "{word} is in two groups");
            }
        }
    }
}
