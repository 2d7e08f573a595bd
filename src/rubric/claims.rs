//! Complexity claims: finds `O(…)` bounds (`$O(\log n)$`, `O(n^2)`, "constant time") in text,
//! normalises them (`O(1)`, `O(log n)`, `O(n)`, `O(n log n)`, `O(n^2)`, `O(k)`, `O(V+E)`, …) and
//! attaches the operation each one is about ("`$O(\log n)$` insert" → insert ↦ O(log n)).
//!
//! Used on model answers (rubric extraction) and on candidate answers (the grader compares the
//! two), so both sides are read the same way.
//!
//! The `operation` of a [`ComplexityClaim`] is one operation word (`get`, `insert`,
//! `find median`, …), or `space` for a space bound, or empty for the running time of the whole
//! approach; qualifiers follow in parentheses: `search (balanced bst)`, `insert (when resizing)`,
//! `(naive)`, `space (worst case)`.

use std::sync::OnceLock;

use regex::Regex;

use crate::rubric::ComplexityClaim;
use crate::text;

/// A bound found in text: its byte span and normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundMatch {
    /// Byte offset where the bound starts (including a leading `$`).
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Normalised bound, e.g. `O(log n)`.
    pub bound: String,
}

/// Normalises the inside of a big-O bound (`\log n`, `n*logn`, `n2`, `|V|+|E|`) to hone's
/// canonical spelling, returned with its `O(…)`; `None` when it does not look like a bound.
pub fn normalise_bound(inner: &str) -> Option<String> {
    let mut s = inner.to_string();
    for (from, to) in [
        ("\\text", ""),
        ("\\left", ""),
        ("\\right", ""),
        ("\\cdot", "*"),
        ("\\times", "*"),
        ("·", "*"),
        ("×", "*"),
        ("²", "^2"),
        ("³", "^3"),
    ] {
        s = s.replace(from, to);
    }
    let mut compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\\' | '{' | '}' | '$' | '|'))
        .collect::<String>()
        .to_lowercase();
    if compact.is_empty() || compact.len() > 24 {
        return None;
    }
    static LOG_BASE: OnceLock<Regex> = OnceLock::new();
    let log_base =
        LOG_BASE.get_or_init(|| Regex::new(r"(lg|log_?2|log)\(?([a-z0-9]+)\)?").unwrap());
    compact = log_base.replace_all(&compact, " log $2 ").into_owned();
    compact = compact.replace("sqrt", " sqrt ");
    let spaced = compact
        .replace("* log", " log")
        .replace("log *", "log")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Words other than log/sqrt mean this is prose in parentheses, not a bound.
    if spaced
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() > 1 && w != "log" && w != "sqrt")
    {
        return None;
    }
    let canonical = match spaced.as_str() {
        "n2" | "n*n" | "n^2" => "n^2".to_string(),
        "n3" | "n^3" => "n^3".to_string(),
        "nk" | "kn" | "k*n" | "n*k" => "n*k".to_string(),
        "mn" | "nm" | "n*m" | "m*n" => "m*n".to_string(),
        "v+e" | "e+v" => "V+E".to_string(),
        "n log n" | "nlog n" => "n log n".to_string(),
        other => other.to_string(),
    };
    Some(format!("O({canonical})"))
}

/// Every bound in `text`, in order: `O(…)` (optionally inside `$…$`) and word forms such as
/// "constant time", "logarithmic" or "quadratic".
pub fn bounds_in(text: &str) -> Vec<BoundMatch> {
    static BIG_O: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    let big_o = BIG_O
        .get_or_init(|| Regex::new(r"\$?\b[Oo]\s*\(((?:[^()\n]|\([^()\n]*\))*)\)\$?").unwrap());
    let words = WORDS.get_or_init(|| {
        Regex::new(
            r"(?i)\b(constant|linear|logarithmic|quadratic|linearithmic|exponential)(?:[- ](time|space))?\b",
        )
        .unwrap()
    });
    let mut out: Vec<BoundMatch> = big_o
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let bound = normalise_bound(c.get(1)?.as_str())?;
            Some(BoundMatch {
                start: whole.start(),
                end: whole.end(),
                bound,
            })
        })
        .collect();
    for c in words.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let word = c[1].to_lowercase();
        let has_unit = c.get(2).is_some();
        let bound = match (word.as_str(), has_unit) {
            ("constant", true) => "O(1)",
            ("linear", true) => "O(n)",
            ("logarithmic", _) => "O(log n)",
            ("quadratic", _) => "O(n^2)",
            ("linearithmic", _) => "O(n log n)",
            ("exponential", true) => "O(2^n)",
            _ => continue,
        };
        if out
            .iter()
            .any(|m| m.start < whole.end() && whole.start() < m.end)
        {
            continue;
        }
        out.push(BoundMatch {
            start: whole.start(),
            end: whole.end(),
            bound: bound.to_string(),
        });
    }
    out.sort_by_key(|m| m.start);
    out
}

/// The complexity claims stated in `text`, each bound with the operation it is about.
/// Deduplicated, in order of first appearance.
pub fn find_claims(text: &str) -> Vec<ComplexityClaim> {
    let mut claims: Vec<ComplexityClaim> = Vec::new();
    for line in text.lines() {
        let (lead, _) = split_lead(line);
        let lead_words = lead.map(words_of).unwrap_or_default();
        let subject = lead.and_then(subject_of);
        for (s, e) in text::sentences(line) {
            let sentence = &line[s..e];
            for claim in claims_in_sentence(sentence, &lead_words, subject.as_deref()) {
                if !claims.contains(&claim) {
                    claims.push(claim);
                }
            }
        }
    }
    claims
}

/// Claims of one sentence; `lead_words` come from the line's lead-in ("Search:", "Space:").
fn claims_in_sentence(
    sentence: &str,
    lead_words: &[String],
    subject: Option<&str>,
) -> Vec<ComplexityClaim> {
    let matches = bounds_in(sentence);
    let mut out = Vec::new();
    let mut space_mode = has_any(lead_words, &["space", "memori"]);
    let mut boundary = 0;
    for (i, m) in matches.iter().enumerate() {
        let next_start = matches.get(i + 1).map_or(sentence.len(), |n| n.start);
        let leading_raw = &sentence[boundary.min(m.start)..m.start];
        let leading = leading_raw
            .rfind([',', '|', ';', '('])
            .map_or(leading_raw, |p| &leading_raw[p + 1..]);
        let trailing_end = trailing_end(sentence, m.end, next_start);
        let trailing = &sentence[m.end..trailing_end];
        boundary = trailing_end;

        let leading_words = words_of(leading);
        let trailing_words = words_of(trailing);
        if has_any(&leading_words, &["space", "memori"]) {
            space_mode = true;
        } else if has_any(&leading_words, &["time"]) {
            space_mode = false;
        }
        let space = space_mode || has_any(&trailing_words, &["space", "memori"]);

        let mut context: Vec<String> = lead_words.to_vec();
        context.extend(leading_words);
        context.extend(trailing_words);
        let mut ops = operations(&context);
        let mut qualifiers = qualifiers(&context);
        if let Some(subject) = subject {
            qualifiers.retain(|q| !subject.contains(q.as_str()));
            qualifiers.insert(0, subject.to_string());
        }
        if space {
            ops = vec!["space".to_string()];
        }
        if ops.is_empty() {
            ops.push(String::new());
        }
        for op in ops {
            let operation = match (op.is_empty(), qualifiers.is_empty()) {
                (_, true) => op,
                (true, false) => format!("({})", qualifiers.join(", ")),
                (false, false) => format!("{op} ({})", qualifiers.join(", ")),
            };
            out.push(ComplexityClaim {
                operation,
                bound: m.bound.clone(),
            });
        }
    }
    out
}

/// Where the words after a bound stop belonging to it: at the next bound, at a bracket, bar or
/// semicolon, at a clause word ("while", "which"), or at a comma or "and" that does not continue
/// a list of operations ("for search, insert, delete", "get and put").
fn trailing_end(sentence: &str, from: usize, limit: usize) -> usize {
    let region = &sentence[from..limit];
    let toks = text::tokens(region);
    let mut prev_end = 0;
    for (i, t) in toks.iter().enumerate() {
        let gap = &region[prev_end..t.start];
        let w = text::stem(t.text);
        let is_op = op_display(&w).is_some();
        let stop = (gap.contains(['|', '(', ')', ';', ':']))
            || (gap.contains(',') && !is_op && w != "and")
            || matches!(w.as_str(), "while" | "wherea" | "but" | "which" | "then")
            || ((w == "and" || w == "or")
                && toks
                    .get(i + 1)
                    .is_none_or(|n| op_display(&text::stem(n.text)).is_none()));
        if stop {
            return from + prev_end;
        }
        prev_end = t.end;
    }
    limit
}

/// The lead-in of a line ("**Search:** …", "Time Complexity: …") and the rest.
pub(crate) fn split_lead(line: &str) -> (Option<&str>, &str) {
    let trimmed = line
        .trim_start()
        .trim_start_matches(['-', '*', '•', ' '])
        .trim_start();
    let Some(colon) = trimmed.find(':') else {
        return (None, line);
    };
    let lead = trimmed[..colon].trim_matches(['*', ' ']);
    let words = lead.split_whitespace().count();
    if (1..=6).contains(&words) && !lead.contains(['.', '$', '('])
        || lead.ends_with(')') && words <= 6
    {
        (Some(lead), &trimmed[colon + 1..])
    } else {
        (None, line)
    }
}

/// The subject a lead-in names ("Balanced BST (AVL, Red-Black)" → "balanced bst"), when it is
/// not itself about complexity or an operation.
fn subject_of(lead: &str) -> Option<String> {
    let without_parens = match lead.find('(') {
        Some(p) => &lead[..p],
        None => lead,
    };
    let words = words_of(without_parens);
    let generic = [
        "time",
        "space",
        "complex",
        "analysi",
        "cost",
        "memori",
        "algorithm",
        "approach",
        "individu",
        "overal",
        "total",
        "averag",
        "case",
        "oper",
    ];
    if words.is_empty()
        || words.len() > 3
        || words
            .iter()
            .any(|w| generic.contains(&w.as_str()) || op_display(w).is_some())
    {
        return None;
    }
    let display: Vec<String> = text::tokens(without_parens)
        .iter()
        .map(|t| t.text.to_lowercase())
        .collect();
    Some(display.join(" "))
}

/// Lowercased stems of the words of `text`.
fn words_of(text: &str) -> Vec<String> {
    text::tokens(text)
        .iter()
        .map(|t| text::stem(t.text))
        .collect()
}

fn has_any(words: &[String], wanted: &[&str]) -> bool {
    words.iter().any(|w| wanted.contains(&w.as_str()))
}

/// Display name of an operation, keyed by stem.
fn op_display(stem: &str) -> Option<&'static str> {
    Some(match stem {
        "get" => "get",
        "put" => "put",
        "insert" => "insert",
        "search" => "search",
        "delet" => "delete",
        "remov" => "remove",
        "lookup" => "lookup",
        "access" => "access",
        "append" => "append",
        "push" => "push",
        "pop" => "pop",
        "enqueu" => "enqueue",
        "dequeu" => "dequeue",
        "peek" => "peek",
        "updat" => "update",
        "queri" => "query",
        "sort" => "sort",
        "merg" => "merge",
        "travers" | "travers_" => "traversal",
        "median" => "find median",
        "add" => "add",
        "contain" => "contains",
        _ => return None,
    })
}

/// The operations named in a context, in order, without repeats.
fn operations(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if let Some(op) = op_display(w) {
            if !out.iter().any(|o| o == op) {
                out.push(op.to_string());
            }
        }
    }
    out
}

/// Qualifiers named in a context (worst case, amortized, naive, balanced, …), in order.
fn qualifiers(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |q: &str| {
        if !out.iter().any(|o| o == q) {
            out.push(q.to_string());
        }
    };
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).map(String::as_str);
        match (w.as_str(), next) {
            ("worst", _) => push("worst case"),
            ("averag", Some("case")) => push("average case"),
            ("best", Some("case")) => push("best case"),
            ("amort", _) | ("amortis", _) | ("amortiz", _) => push("amortized"),
            ("naiv", _) | ("brute", _) | ("nest", Some("loop")) => push("naive"),
            ("instead", Some("of")) => push("naive"),
            ("unbalanc", _) => push("unbalanced"),
            ("balanc", _) => push("balanced"),
            ("resiz", _) => push("when resizing"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(operation: &str, bound: &str) -> ComplexityClaim {
        ComplexityClaim {
            operation: operation.into(),
            bound: bound.into(),
        }
    }

    #[test]
    fn normalises_common_bounds() {
        for (raw, want) in [
            ("1", "O(1)"),
            ("\\log n", "O(log n)"),
            ("log(n)", "O(log n)"),
            ("n", "O(n)"),
            ("n \\log n", "O(n log n)"),
            ("n*logn", "O(n log n)"),
            ("n^2", "O(n^2)"),
            ("n2", "O(n^2)"),
            ("n*k", "O(n*k)"),
            ("|V| + |E|", "O(V+E)"),
            ("m", "O(m)"),
            ("k", "O(k)"),
        ] {
            assert_eq!(normalise_bound(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalise_bound("the whole thing"), None);
        assert_eq!(normalise_bound(""), None);
    }

    #[test]
    fn reads_lru_claims() {
        let text = "Explain how to implement an LRU cache with $O(1)$ time complexity for both get and put operations.";
        assert_eq!(
            find_claims(text),
            vec![claim("get", "O(1)"), claim("put", "O(1)")]
        );
    }

    #[test]
    fn separates_bounds_in_one_line() {
        let text = "Time Complexity: $O(\\log n)$ insert, $O(1)$ find median";
        assert_eq!(
            find_claims(text),
            vec![claim("insert", "O(log n)"), claim("find median", "O(1)")]
        );
        let text = "- **Balanced BST (AVL, Red-Black):** $O(\\log n)$ for search, insert, delete";
        let got = find_claims(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].bound, "O(log n)");
        assert!(got[0].operation.starts_with("search (balanced"), "{got:?}");
        assert!(got[2].operation.starts_with("delete"));
    }

    #[test]
    fn tells_space_from_time_and_naive_from_optimal() {
        let text = "- **Time Complexity:** $O(n)$ - single pass through array\n- **Space Complexity:** $O(n)$ - hash set storage\n\nThis approach is significantly better than the naive $O(n^2)$ nested loop solution.";
        assert_eq!(
            find_claims(text),
            vec![
                claim("", "O(n)"),
                claim("space", "O(n)"),
                claim("(naive)", "O(n^2)")
            ]
        );
    }

    #[test]
    fn reads_word_forms_in_candidate_answers() {
        let text = "Lookups run in constant time and the search is logarithmic.";
        let got = find_claims(text);
        assert_eq!(got[0], claim("lookup", "O(1)"));
        assert_eq!(got[1].bound, "O(log n)");
    }

    #[test]
    fn comparison_table_rows_keep_their_operation() {
        let text = "- Search: Balanced $O(\\log n)$ | Unbalanced $O(n)$";
        let got = find_claims(text);
        assert_eq!(got[0], claim("search (balanced)", "O(log n)"));
        assert_eq!(got[1], claim("search (unbalanced)", "O(n)"));
    }
}
