//! Finding a question from what the user typed, and "did you mean" on a miss.
//!
//! Accepted, case-insensitive, in this order:
//! 1. the full id: `pse/dsa/1` (an exact id always wins over a longer one, `fde/design/1` over
//!    `fde/design/10`);
//! 2. the short form: bank, section and number separated by `.`, `/`, `:` or spaces, where bank
//!    and section may be cut to a unique prefix: `p.dsa.1`, `f.b.3`, `fde design 10`
//!    (`behavioral` is read as `behavioural`);
//! 3. a unique prefix of a full id;
//! 4. the question text: exact (ignoring case, punctuation and spacing), a phrase found in only
//!    one question, or a clear best match;
//! 5. keywords: every content word of the query (stemmed, any case, any order) found in the
//!    question (`LRU cache` finds "… an LRU (Least Recently Used) cache …").
//!
//! On a miss the error suggests the closest id or question.

use super::{BankInfo, Question};
use crate::InputError;

/// How many candidates an "ambiguous" message lists.
const SHOWN: usize = 5;

/// Most characters of a query that fuzzy matching and suggestions consider (far longer than any
/// question): a pasted essay or a 1 MB field costs the same as this, not seconds per row.
const MAX_QUERY_CHARS: usize = 1_000;

/// Most characters of the query an error message repeats.
const QUOTED_CHARS: usize = 80;

/// Finds the question `query` designates; see the module doc for what is accepted.
pub fn find<'a>(questions: &'a [Question], query: &str) -> Result<&'a Question, InputError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(InputError::new("no question id given")
            .with_hint("`hone list` shows every id, e.g. `pse/dsa/1`"));
    }
    if q.chars().nth(MAX_QUERY_CHARS).is_some() {
        // Longer than any id or question: only an exact text match could find it (cheap); no
        // fuzzy search over the whole of it.
        return match by_exact_text(questions, q).as_slice() {
            [one] => Ok(one),
            [] => Err(miss(questions, query)),
            many => Err(ambiguous(query, many)),
        };
    }
    let lower = q.to_lowercase();
    if let Some(found) = questions.iter().find(|x| x.id.to_lowercase() == lower) {
        return Ok(found);
    }
    let steps: [&dyn Fn() -> Vec<&'a Question>; 4] = [
        &|| by_components(questions, &lower),
        &|| by_id_prefix(questions, &lower),
        &|| by_text(questions, q),
        &|| by_keywords(questions, q),
    ];
    for step in steps {
        match step().as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => return Err(ambiguous(query, many)),
        }
    }
    Err(miss(questions, query))
}

/// Splits what the user typed into id components.
fn components(query: &str) -> Vec<String> {
    query
        .split(['/', '.', ':', ' ', '\t'])
        .filter(|c| !c.is_empty())
        .map(|c| c.replace("behavior", "behaviour"))
        .collect()
}

/// `bank section number`, bank and section cut to a prefix; exact names beat prefixes.
fn by_components<'a>(questions: &'a [Question], query: &str) -> Vec<&'a Question> {
    let parts = components(query);
    let [bank, section, number] = parts.as_slice() else {
        return Vec::new();
    };
    let Ok(number) = number.parse::<u32>() else {
        return Vec::new();
    };
    let matching: Vec<&Question> = questions
        .iter()
        .filter(|q| {
            q.number == number
                && q.bank.starts_with(bank.as_str())
                && q.section.starts_with(section.as_str())
        })
        .collect();
    let exact: Vec<&Question> = matching
        .iter()
        .copied()
        .filter(|q| q.bank == *bank && q.section == *section)
        .collect();
    if exact.len() == 1 {
        exact
    } else {
        matching
    }
}

/// Questions whose id starts with the query (separators read as `/`).
fn by_id_prefix<'a>(questions: &'a [Question], query: &str) -> Vec<&'a Question> {
    let prefix = components(query).join("/");
    if prefix.is_empty() || query.contains(' ') {
        return Vec::new();
    }
    questions
        .iter()
        .filter(|q| q.id.to_lowercase().starts_with(&prefix))
        .collect()
}

/// Lowercase words of a text, punctuation dropped.
fn words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Questions matching the text: exact, else a phrase of 3+ words found in them, else a clear
/// best fuzzy match.
fn by_text<'a>(questions: &'a [Question], query: &str) -> Vec<&'a Question> {
    let exact = by_exact_text(questions, query);
    let wanted = words(query);
    if !exact.is_empty() || wanted.is_empty() || wanted.split(' ').count() < 3 {
        return exact;
    }
    by_phrase_or_fuzzy(questions, &wanted)
}

/// Questions whose text is the query's (ignoring case, punctuation and spacing).
fn by_exact_text<'a>(questions: &'a [Question], query: &str) -> Vec<&'a Question> {
    let wanted = words(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    questions
        .iter()
        .filter(|q| words(&q.text) == wanted)
        .collect()
}

/// Questions holding the (3+ word) phrase, else the clear best fuzzy match.
fn by_phrase_or_fuzzy<'a>(questions: &'a [Question], wanted: &str) -> Vec<&'a Question> {
    let containing: Vec<&Question> = questions
        .iter()
        .filter(|q| format!(" {} ", words(&q.text)).contains(&format!(" {wanted} ")))
        .collect();
    if !containing.is_empty() {
        return containing;
    }
    let mut scored: Vec<(f64, &Question)> = questions
        .iter()
        .map(|q| (strsim::sorensen_dice(wanted, &words(&q.text)), q))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(best, q), rest @ ..]
            if *best >= 0.75 && rest.first().is_none_or(|(s, _)| best - s >= 0.1) =>
        {
            vec![q]
        }
        _ => Vec::new(),
    }
}

/// The query's content words, stemmed and deduplicated.
fn keywords(text: &str) -> Vec<String> {
    let mut stems = crate::text::content_stems(text);
    stems.sort();
    stems.dedup();
    stems
}

/// How many of `wanted` (stemmed keywords) occur among the question's words.
fn overlap(wanted: &[String], question: &Question) -> usize {
    let words: Vec<String> = crate::text::tokens(&question.text)
        .iter()
        .map(|t| crate::text::stem(t.text))
        .collect();
    wanted.iter().filter(|w| words.contains(w)).count()
}

/// Questions holding every content word of the query (stemmed, any order).
fn by_keywords<'a>(questions: &'a [Question], query: &str) -> Vec<&'a Question> {
    let wanted = keywords(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    questions
        .iter()
        .filter(|q| overlap(&wanted, q) == wanted.len())
        .collect()
}

/// The question sharing the most keywords with the query, if any shares one.
fn closest_by_keywords<'a>(questions: &'a [Question], query: &str) -> Option<&'a Question> {
    let wanted = keywords(query);
    questions
        .iter()
        .map(|q| (overlap(&wanted, q), q))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, q)| q)
}

fn ambiguous(query: &str, many: &[&Question]) -> InputError {
    let ids: Vec<&str> = many.iter().take(SHOWN).map(|q| q.id.as_str()).collect();
    let more = match many.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    InputError::new(format!(
        "`{}` matches {} questions: {}{more}",
        quoted(query),
        many.len(),
        ids.join(", ")
    ))
    .with_hint("give the full id, e.g. `".to_string() + ids[0] + "`")
}

/// An "unknown question" error with the closest id or question text as a suggestion.
/// Suggestions look at the first [`MAX_QUERY_CHARS`] characters only.
fn miss(questions: &[Question], query: &str) -> InputError {
    let shown = quoted(query);
    let query = clip(query.trim(), MAX_QUERY_CHARS);
    let lower = query.to_lowercase();
    let id_like = components(&lower).join("/");
    let by_id = questions
        .iter()
        .map(|q| (strsim::jaro_winkler(&id_like, &q.id.to_lowercase()), q))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let wanted = words(query);
    let by_text = questions
        .iter()
        .map(|q| (strsim::sorensen_dice(&wanted, &words(&q.text)), q))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let suggestion = match (by_id, by_text) {
        (_, Some((score, q))) if score >= 0.5 && query.trim().contains(char::is_whitespace) => {
            Some(format!("`{}` ({})", q.id, q.text))
        }
        (Some((score, q)), _) if score >= 0.7 => Some(format!("`{}`", q.id)),
        _ => closest_by_keywords(questions, query).map(|q| format!("`{}` ({})", q.id, q.text)),
    };
    let hint = match suggestion {
        Some(s) => format!("did you mean {s}? `hone list` shows every id"),
        None => "`hone list` shows every id, e.g. `pse/dsa/1`".to_string(),
    };
    InputError::new(format!("unknown question `{shown}`")).with_hint(hint)
}

/// `text` cut to its first `max` characters.
fn clip(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(end, _)| &text[..end])
}

/// The query as an error message repeats it: trimmed, and cut to [`QUOTED_CHARS`] characters
/// with `…` and the full length when longer.
fn quoted(query: &str) -> String {
    let query = query.trim();
    let cut = clip(query, QUOTED_CHARS);
    if cut.len() == query.len() {
        query.to_string()
    } else {
        format!("{}… ({} characters)", cut.trim_end(), query.chars().count())
    }
}

/// The short form of an id: the shortest prefix of the bank slug no other bank starts with,
/// the section slug, the number, joined by dots (`pse/dsa/1` → `p.dsa.1`).
pub fn short_id(banks: &[BankInfo], question: &Question) -> String {
    let bank = &question.bank;
    let unique = (1..=bank.len())
        .filter(|&n| bank.is_char_boundary(n))
        .map(|n| &bank[..n])
        .find(|p| {
            banks
                .iter()
                .filter(|b| b.slug != *bank)
                .all(|b| !b.slug.starts_with(p))
        })
        .unwrap_or(bank);
    format!("{unique}.{}.{}", question.section, question.number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;

    fn q(id: &str, text: &str) -> Question {
        let parts: Vec<&str> = id.split('/').collect();
        Question {
            id: id.to_string(),
            bank: parts[0].to_string(),
            section: parts[1].to_string(),
            section_title: parts[1].to_string(),
            number: parts[2].parse().unwrap(),
            text: text.to_string(),
            model_answer: String::new(),
            kind: Kind::Concept,
        }
    }

    fn sample() -> Vec<Question> {
        vec![
            q("pse/design/1", "Design a URL shortener."),
            q("pse/design/10", "Design a search engine."),
            q("pse/behavioural/2", "Tell me about a conflict."),
            q("fde/design/1", "Design a URL shortener."),
        ]
    }

    #[test]
    fn ids_short_forms_and_prefixes() {
        let qs = sample();
        let id = |query: &str| find(&qs, query).map(|q| q.id.clone());
        assert_eq!(id("pse/design/1").unwrap(), "pse/design/1");
        assert_eq!(id("PSE/Design/10").unwrap(), "pse/design/10");
        assert_eq!(id("p.design.10").unwrap(), "pse/design/10");
        assert_eq!(id("f.d.1").unwrap(), "fde/design/1");
        assert_eq!(id("p b 2").unwrap(), "pse/behavioural/2");
        assert_eq!(id("pse/behavioral/2").unwrap(), "pse/behavioural/2");
        assert_eq!(id("pse/beh").unwrap(), "pse/behavioural/2");
        let err = id("pse/design").unwrap_err();
        assert!(err.message.contains("matches 2 questions"), "{err}");
    }

    #[test]
    fn question_text_exact_phrase_and_fuzzy() {
        let qs = sample();
        let id = |query: &str| find(&qs, query).map(|q| q.id.clone());
        assert_eq!(id("design a search engine").unwrap(), "pse/design/10");
        assert_eq!(id("about a conflict").unwrap(), "pse/behavioural/2");
        assert_eq!(id("Tell me about a confict").unwrap(), "pse/behavioural/2");
        let err = id("Design a URL shortener").unwrap_err();
        assert!(err.message.contains("pse/design/1, fde/design/1"), "{err}");
    }

    #[test]
    fn keywords_in_any_order_and_form_find_a_question() {
        let mut qs = sample();
        qs.push(q(
            "pse/dsa/1",
            "Explain how to implement an LRU (Least Recently Used) cache.",
        ));
        let id = |query: &str| find(&qs, query).map(|q| q.id.clone());
        assert_eq!(id("LRU cache").unwrap(), "pse/dsa/1");
        assert_eq!(id("caches lru").unwrap(), "pse/dsa/1");
        assert_eq!(id("engine search").unwrap(), "pse/design/10");
        let err = id("design shortener").unwrap_err();
        assert!(err.message.contains("pse/design/1, fde/design/1"), "{err}");
        let err = id("LRU heap").unwrap_err();
        assert_eq!(err.message, "unknown question `LRU heap`");
        assert!(
            err.hint.unwrap().contains("did you mean `pse/dsa/1`"),
            "suggests by shared words"
        );
    }

    #[test]
    fn a_miss_suggests_the_closest() {
        let qs = sample();
        let err = find(&qs, "pse/desgn/10").unwrap_err();
        assert_eq!(err.message, "unknown question `pse/desgn/10`");
        assert!(err.hint.unwrap().contains("did you mean `pse/design/10`"));
        let err = find(&qs, "zzz").unwrap_err();
        assert!(!err.hint.unwrap().contains("did you mean"));
    }

    #[test]
    fn short_ids_use_the_shortest_unique_bank_prefix() {
        let banks: Vec<BankInfo> = ["pse", "fde", "platform"]
            .iter()
            .map(|s| BankInfo {
                slug: s.to_string(),
                title: String::new(),
                source: String::new(),
            })
            .collect();
        assert_eq!(short_id(&banks, &q("fde/design/1", "")), "f.design.1");
        assert_eq!(short_id(&banks, &q("pse/design/1", "")), "ps.design.1");
    }

    #[test]
    fn a_huge_query_is_quoted_short_and_not_searched_whole() {
        let qs = sample();
        let query = format!("Design a URL shortener {}", "why ".repeat(250_000));
        let err = find(&qs, &query).unwrap_err();
        assert!(err.message.len() < 200, "{}", &err.message[..300]);
        assert!(
            err.message
                .ends_with(&format!("… ({} characters)`", query.trim().chars().count())),
            "{}",
            err.message
        );
        let exact = format!("{}.", "Tell me about a conflict ".repeat(100));
        let long = q("pse/behavioural/9", &exact);
        assert_eq!(find(&[long], &exact).unwrap().id, "pse/behavioural/9");
    }
}
