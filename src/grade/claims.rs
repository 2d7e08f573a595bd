//! Complexity claims: finds big-O bounds in text, normalises them (`O(nlogn)` → `O(n log n)`),
//! and reports an answer's bound that contradicts the rubric's bound for the same operation.

use crate::rubric::{ComplexityClaim, KeyPoint, PointKind};

use super::analysis::{phrase_keys, Analysed};
use super::ClaimError;

/// A big-O expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundAt {
    /// Normalised bound, e.g. `O(log n)`.
    pub bound: String,
    /// Byte span of the expression.
    pub span: (usize, usize),
}

/// Finds `O(...)` expressions (also `Θ(...)`, `$O(1)$`), normalised, in order.
pub fn find_bounds(text: &str) -> Vec<BoundAt> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        let starts = (bytes[i] == b'O' || bytes[i] == b'o')
            && bytes[i + 1] == b'('
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if starts {
            if let Some(close) = matching_paren(&bytes[i + 1..]) {
                let end = i + 1 + close + 1;
                let inner = &text[i + 2..end - 1];
                if inner.len() <= 24 {
                    out.push(BoundAt {
                        bound: normalise_inner(inner),
                        span: (i, end),
                    });
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// Offset of the `)` matching the `(` at `bytes[0]`, looking at most 32 bytes ahead.
fn matching_paren(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0;
    for (k, &b) in bytes.iter().enumerate().take(32) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// Normalises any bound, with or without the `O( )` wrapper.
pub fn normalise(bound: &str) -> String {
    let t = bound.trim();
    let inner = t
        .strip_prefix(['O', 'o'])
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t);
    normalise_inner(inner)
}

/// Normalises the inside of `O(...)` into a canonical `O(...)` string.
fn normalise_inner(inner: &str) -> String {
    let compact: String = inner
        .to_lowercase()
        .replace('²', "^2")
        .replace("log(n)", "logn")
        .replace("log_2", "log")
        .replace("log2", "log")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '·' | '⋅' | '$' | '\\'))
        .collect();
    let canonical = match compact.as_str() {
        "1" | "c" => "1".to_string(),
        "logn" => "log n".to_string(),
        "n" => "n".to_string(),
        "nlogn" => "n log n".to_string(),
        "n^2" | "n2" | "nn" => "n^2".to_string(),
        "v+e" | "e+v" => "v + e".to_string(),
        "klogn" => "k log n".to_string(),
        "nlogk" => "n log k".to_string(),
        other => other.replace('+', " + "),
    };
    format!("O({canonical})")
}

/// Words near a bound that say it is not the answer's own claim ("instead of O(n)").
const CONTRAST_CUES: &[&str] = &[
    "instead",
    "rather",
    "naiv",
    "brute",
    "than",
    "without",
    "~prevent",
    "not",
    "worst",
    "space",
    "memori",
    "amort",
    "versus",
    "vs",
    "although",
    "but",
    "howev",
    "whilst",
    "wherea",
    "singl",
    "bad",
    "degrad",
    "buffer",
    "extra",
    "auxiliari",
    "recurs",
    "averag",
    "best",
];

/// Words after a bound that make it the cost of the whole thing ("O(n) overall").
const OVERALL_CUES: &[&str] = &["overal", "total", "altogeth", "end-to-end"];

/// The unit a bound is counted per: the word after "per"/"each" just after the bound
/// ("O(1) per character"), or just before it ("each lookup is O(1)").
fn per_unit(words: &[&super::analysis::Word], pos: usize) -> Option<String> {
    let is_per = |k: &str| matches!(k, "per" | "each" | "every");
    let after = (pos + 1..(pos + 3).min(words.len())).find(|&i| is_per(&words[i].key));
    let before = (pos.saturating_sub(4)..pos).find(|&i| is_per(&words[i].key));
    let start = after.or(before)?;
    words[start + 1..]
        .iter()
        .take(2)
        .find(|x| !x.stop && !x.key.starts_with("=o("))
        .map(|x| x.key.clone())
}

/// A rubric claim ready for checking: the operation's keys and the normalised bound.
#[derive(Debug, Clone)]
pub struct ExpectedClaim {
    /// Matching keys of the operation (empty for a claim about the whole thing).
    pub operation_keys: Vec<String>,
    /// Normalised bound.
    pub bound: String,
    /// The rubric's claim.
    pub claim: ComplexityClaim,
}

/// Prepares the rubric's claims for checking.
pub fn expected(claims: &[ComplexityClaim]) -> Vec<ExpectedClaim> {
    claims
        .iter()
        .map(|c| ExpectedClaim {
            operation_keys: phrase_keys(&c.operation),
            bound: normalise(&c.bound),
            claim: c.clone(),
        })
        .collect()
}

/// Claims in the answer that contradict the rubric's claims.
pub fn contradictions(
    expected_claims: &[ExpectedClaim],
    answer: &Analysed,
    text: &str,
) -> Vec<ClaimError> {
    if expected_claims.is_empty() || !answer.words.iter().any(|w| w.key.starts_with("=o(")) {
        return Vec::new();
    }
    let expected: Vec<(&Vec<String>, &String, &ComplexityClaim)> = expected_claims
        .iter()
        .map(|c| (&c.operation_keys, &c.bound, &c.claim))
        .collect();
    let mut errors = Vec::new();
    for (s_idx, &(s_start, s_end)) in answer.sentences.iter().enumerate() {
        let words: Vec<_> = answer
            .words
            .iter()
            .filter(|w| w.sentence == s_idx)
            .collect();
        if words
            .iter()
            .any(|w| CONTRAST_CUES.contains(&w.key.as_str()))
        {
            continue;
        }
        // A sentence that also states an expected bound is comparing, not claiming.
        let states_expected = words.iter().any(|w| {
            w.key.starts_with("=o(")
                && expected
                    .iter()
                    .any(|(_, bound, _)| **bound == normalise(&w.key[1..]))
        });
        if states_expected && words.iter().filter(|w| w.key.starts_with("=o(")).count() > 1 {
            continue;
        }
        for (pos, w) in words.iter().enumerate() {
            let surface = &text[w.span.0..w.span.1];
            if !is_explicit_bound(&w.key, surface) {
                continue;
            }
            let found = normalise(&w.key[1..]);
            // "O(1) per character", "each insert is O(log n)": a cost per unit compares only
            // with a claim about that unit; "O(n) overall" only with the claim about the whole.
            let unit = per_unit(&words, pos);
            let overall = words[pos + 1..(pos + 3).min(words.len())]
                .iter()
                .any(|x| OVERALL_CUES.contains(&x.key.as_str()));
            let about = if let Some(unit) = unit {
                expected
                    .iter()
                    .find(|(op, _, _)| !op.is_empty() && op.contains(&unit))
            } else if overall {
                expected.iter().find(|(op, _, _)| op.is_empty())
            } else {
                // The claim whose operation is mentioned nearest to this bound, else the
                // overall one.
                expected
                    .iter()
                    .filter(|(op, _, _)| !op.is_empty())
                    .filter_map(|e| {
                        words
                            .iter()
                            .enumerate()
                            .filter(|(_, x)| e.0.contains(&x.key))
                            .map(|(k, _)| k.abs_diff(pos))
                            .min()
                            .map(|d| (d, e))
                    })
                    .min_by_key(|(d, _)| *d)
                    .map(|(_, e)| e)
                    .or_else(|| expected.iter().find(|(op, _, _)| op.is_empty()))
            };
            if let Some((_, bound, claim)) = about {
                if **bound != found {
                    errors.push(ClaimError {
                        operation: claim.operation.clone(),
                        expected: (*bound).clone(),
                        found,
                        evidence: text[s_start..s_end].to_string(),
                    });
                }
            }
        }
    }
    errors.dedup_by(|a, b| a.operation == b.operation && a.found == b.found);
    errors
}

/// The claim errors that contradict complexity point `point`: those about an operation the
/// point names, or about the whole thing; when the point names no operation with a claim, every
/// claim error. Points of other kinds are never contradicted by a bound.
pub fn contradicting<'e>(
    point: &KeyPoint,
    all_operations: &[String],
    errors: &'e [ClaimError],
) -> Vec<&'e ClaimError> {
    if point.kind != PointKind::Complexity || errors.is_empty() {
        return Vec::new();
    }
    let words = lower_words(&format!(
        "{} {} {}",
        point.label,
        point.reference,
        point.terms.join(" ")
    ));
    let names = |op: &str| {
        let op_words = lower_words(op);
        !op_words.is_empty() && op_words.iter().all(|w| words.contains(w))
    };
    let names_any = all_operations.iter().any(|op| names(op));
    errors
        .iter()
        .filter(|e| e.operation.trim().is_empty() || names(&e.operation) || !names_any)
        .collect()
}

/// Lower-case alphanumeric words of a text.
fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether a word is a bound written as `O(..)` or "… time" (not a bare "linear").
fn is_explicit_bound(key: &str, surface: &str) -> bool {
    key.starts_with("=o(") && (surface.contains('(') || surface.to_lowercase().contains("time"))
}

#[cfg(test)]
mod tests {
    use super::super::analysis::analyse;
    use super::*;

    #[test]
    fn bounds_are_found_and_normalised() {
        let found = find_bounds("get is O(1), sort is O(n * log n) and $O(n^2)$ worst, Θ(x)");
        let bounds: Vec<&str> = found.iter().map(|b| b.bound.as_str()).collect();
        assert_eq!(bounds, ["O(1)", "O(n log n)", "O(n^2)"]);
        assert_eq!(normalise("O(log(n))"), "O(log n)");
    }

    fn claim(op: &str, bound: &str) -> ComplexityClaim {
        ComplexityClaim {
            operation: op.into(),
            bound: bound.into(),
        }
    }

    #[test]
    fn a_wrong_bound_for_an_operation_is_an_error() {
        let claims = [claim("get", "O(1)"), claim("put", "O(1)")];
        let text = "The get operation is O(n) because we scan the list. Put runs in constant time.";
        let errors = contradictions(&expected(&claims), &analyse(text), text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].operation, "get");
        assert_eq!(errors[0].found, "O(n)");
        assert!(errors[0].evidence.starts_with("The get operation"));
    }

    #[test]
    fn a_cost_per_unit_is_read_with_its_unit() {
        let expected = expected(&[claim("", "O(n)"), claim("character", "O(1)")]);
        let check = |text: &str| contradictions(&expected, &analyse(text), text);
        // Right in both directions: per character and overall.
        assert!(
            check("Each character is handled in O(1) per character, so O(n) overall.").is_empty()
        );
        assert!(check("We stream it: O(1) per character.").is_empty());
        // Wrong either way is caught.
        assert_eq!(check("It takes O(n) per character.").len(), 1);
        assert_eq!(check("The whole pass is O(n^2) overall.").len(), 1);
        // A per-unit cost with no claim about that unit is not compared with the whole.
        let whole = expected_only_overall();
        assert!(contradictions(
            &whole,
            &analyse("Hashing is O(1) per lookup."),
            "Hashing is O(1) per lookup."
        )
        .is_empty());
    }

    fn expected_only_overall() -> Vec<ExpectedClaim> {
        expected(&[claim("", "O(n)")])
    }

    #[test]
    fn contrasted_bounds_are_not_claims() {
        let claims = [claim("get", "O(1)")];
        let text = "A naive list would make get O(n), so get uses a hash map for O(1).";
        assert!(contradictions(&expected(&claims), &analyse(text), text).is_empty());
    }
}
