//! The judge's structured verdict: its JSON schema, tolerant extraction from a reply, and
//! strict validation against the rubric and the answer.
//!
//! Tolerant in reading (code fences, text around the JSON, `<think>` blocks,
//! `reasoning_content`), strict in accepting: every point answered exactly once, coverage one of
//! three words, the score inside 0..=100 (rejected, never rescaled), and a point counted
//! covered or partial only if its quote really occurs in the answer.

use serde::Deserialize;
use serde_json::{json, Value};

use super::outcome::Usage;
use crate::grade::Coverage;

/// One thing the judge rates: a key point or a STAR element.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgeItem {
    /// 1-based id used in the prompt and the reply.
    pub id: usize,
    /// Short label.
    pub label: String,
    /// What a good answer says for it.
    pub expects: String,
}

/// A validated verdict for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Overall score 0..=100.
    pub score: f64,
    /// Per item, in item order.
    pub points: Vec<PointVerdict>,
    /// Overall feedback.
    pub feedback: String,
    /// Things validation changed (quotes not found).
    pub notices: Vec<String>,
}

/// The judge's verdict on one item after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct PointVerdict {
    /// Coverage that counts (`Missing` when the judge abstained, see `abstained`).
    pub coverage: Coverage,
    /// Coverage the judge claimed.
    pub claimed: Coverage,
    /// The judge credited the point with a quote that is not in the answer: it abstains on
    /// this point (its rating counts neither way).
    pub abstained: bool,
    /// The quote given.
    pub quote: String,
    /// Whether the quote occurs in the answer.
    pub quote_verified: bool,
    /// The judge's comment.
    pub comment: String,
    /// The judge says the answer states a misconception or contradicts the point, and quotes
    /// it verbatim (`coverage` is then missing; the combined score counts it as wrong).
    pub wrong: bool,
}

/// Why a reply gives no verdict.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Ungraded {
    /// Empty content.
    #[error("the judge's reply was empty")]
    Empty,
    /// The model refused.
    #[error("the judge refused: {0}")]
    Refusal(String),
    /// `finish_reason` = `length`.
    #[error("the judge's reply was cut off (finish_reason = length); raise max_output_tokens")]
    Truncated,
    /// No JSON found.
    #[error("the judge's reply is not JSON: {0}")]
    Unparseable(String),
    /// JSON that breaks the contract (missing field, bad score, unknown point).
    #[error("the judge's verdict is invalid: {0}")]
    Invalid(String),
    /// A well-formed verdict whose evidence is mostly not in the answer: the judge did not
    /// read it, so its verdict is not trusted.
    #[error("the judge's quotes are not in the answer for {failed} of the {claimed} points it credited; its verdict is not trusted")]
    QuotesNotFound {
        /// Credited points whose quote failed.
        failed: usize,
        /// Points credited (covered or partial).
        claimed: usize,
    },
}

impl Ungraded {
    /// Whether the reply was well-formed (a repeat of the same request would give the same
    /// answer, so it may be cached): only the quote check failed.
    pub fn is_well_formed(&self) -> bool {
        matches!(self, Ungraded::QuotesNotFound { .. })
    }
}

/// Longest quote the schema allows, in characters (the prompt asks for about 25 words).
pub const MAX_QUOTE_CHARS: u32 = 300;
/// Longest per-point comment the schema allows, in characters.
pub const MAX_COMMENT_CHARS: u32 = 200;
/// Longest overall feedback the schema allows, in characters.
pub const MAX_FEEDBACK_CHARS: u32 = 500;

/// The JSON schema sent as `response_format` (strict structured outputs) for these items.
///
/// Grammar-constrained decoders write keys in the schema's order, so the order is the order of
/// judgement: every point first (its quote, then its rating, then its comment), the feedback,
/// and the overall score last. `points` is an object keyed by the items' ids, every one
/// required and no other allowed, so a constrained model rates exactly the rubric's points.
/// String lengths are capped so a looping model is cut short by the grammar.
pub fn schema(items: &[JudgeItem]) -> Value {
    let point = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["quote", "coverage", "comment"],
        "properties": {
            "quote": {"type": "string", "maxLength": MAX_QUOTE_CHARS},
            "coverage": {"type": "string", "enum": ["covered", "partial", "missing", "wrong"]},
            "comment": {"type": "string", "maxLength": MAX_COMMENT_CHARS}
        }
    });
    let ids: Vec<String> = items.iter().map(|i| i.id.to_string()).collect();
    let mut properties = serde_json::Map::new();
    for id in &ids {
        properties.insert(id.clone(), point.clone());
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["points", "feedback", "score"],
        "properties": {
            "points": {
                "type": "object",
                "additionalProperties": false,
                "required": ids,
                "properties": properties
            },
            "feedback": {"type": "string", "maxLength": MAX_FEEDBACK_CHARS},
            "score": {"type": "integer", "minimum": 0, "maximum": 100}
        }
    })
}

/// A reply-token cap that fits a verdict on `items` points within the schema's string caps
/// (about 4 characters a token, plus JSON punctuation), never above `configured`.
pub fn max_tokens_for(items: usize, configured: u32) -> u32 {
    let per_point = (MAX_QUOTE_CHARS + MAX_COMMENT_CHARS) / 4 + 30;
    let cap = MAX_FEEDBACK_CHARS / 4 + 40 + per_point * items as u32;
    configured.min(cap)
}

/// The parts of a chat-completions reply the judge needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    /// `message.content`.
    pub content: String,
    /// `message.reasoning_content` (or `reasoning`), from reasoning models.
    pub reasoning: Option<String>,
    /// `choices[0].finish_reason`.
    pub finish_reason: Option<String>,
    /// `message.refusal`.
    pub refusal: Option<String>,
    /// `usage`.
    pub usage: Usage,
}

/// Reads a chat-completions JSON body. Fails only when it has no `choices[0].message`.
pub fn read_reply(body: &Value) -> Result<Reply, Ungraded> {
    let choice = body
        .pointer("/choices/0")
        .ok_or_else(|| Ungraded::Unparseable("the reply has no choices".into()))?;
    let message = choice.get("message").unwrap_or(&Value::Null);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let usage = body.get("usage").unwrap_or(&Value::Null);
    let count = |k: &str| usage.get(k).and_then(Value::as_u64).unwrap_or(0);
    Ok(Reply {
        content: text(message.get("content")).unwrap_or_default(),
        reasoning: text(message.get("reasoning_content")).or(text(message.get("reasoning"))),
        finish_reason: text(choice.get("finish_reason")),
        refusal: text(message.get("refusal")).filter(|r| !r.trim().is_empty()),
        usage: Usage {
            prompt_tokens: count("prompt_tokens"),
            completion_tokens: count("completion_tokens"),
        },
    })
}

/// The wire shape of a verdict; every field is required. `points` is an object keyed by id
/// (the schema's shape) or a list of points carrying their `id` (the prompt's shape in JSON
/// and text modes).
#[derive(Debug, Deserialize)]
struct RawVerdict {
    points: Value,
    score: Value,
    feedback: String,
}

#[derive(Debug, Deserialize)]
struct RawPoint {
    #[serde(default)]
    id: Value,
    coverage: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    comment: String,
}

/// Turns a reply into a validated verdict for `items` about `answer`.
pub fn parse_verdict(
    reply: &Reply,
    items: &[JudgeItem],
    answer: &str,
) -> Result<Verdict, Ungraded> {
    if let Some(refusal) = &reply.refusal {
        return Err(Ungraded::Refusal(first_line(refusal)));
    }
    match reply.finish_reason.as_deref() {
        Some("length") => return Err(Ungraded::Truncated),
        Some("content_filter") => return Err(Ungraded::Refusal("content filter".into())),
        _ => {}
    }
    let json =
        extract_json(&reply.content).or_else(|| reply.reasoning.as_deref().and_then(extract_json));
    let Some(json) = json else {
        let content = reply.content.trim();
        if content.is_empty() {
            return Err(Ungraded::Empty);
        }
        if looks_like_refusal(content) {
            return Err(Ungraded::Refusal(first_line(content)));
        }
        return Err(Ungraded::Unparseable(first_line(content)));
    };
    let raw: RawVerdict =
        serde_json::from_value(json).map_err(|e| Ungraded::Invalid(e.to_string()))?;
    validate(raw, items, answer)
}

fn validate(raw: RawVerdict, items: &[JudgeItem], answer: &str) -> Result<Verdict, Ungraded> {
    let score = number(&raw.score)
        .ok_or_else(|| Ungraded::Invalid(format!("score {} is not a number", raw.score)))?;
    if !(0.0..=100.0).contains(&score) {
        return Err(Ungraded::Invalid(format!(
            "score {score} is outside 0..=100"
        )));
    }
    let mut slots: Vec<Option<PointVerdict>> = vec![None; items.len()];
    let mut notices = Vec::new();
    for point in raw_points(raw.points)? {
        let id = number(&point.id)
            .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= items.len() as f64)
            .ok_or_else(|| Ungraded::Invalid(format!("unknown point id {}", point.id)))?
            as usize;
        if slots[id - 1].is_some() {
            return Err(Ungraded::Invalid(format!("point {id} is rated twice")));
        }
        let (claimed, says_wrong) = coverage(&point.coverage)?;
        let quote_verified = !is_placeholder(&point.quote) && quote_occurs(&point.quote, answer);
        if says_wrong && !quote_verified {
            notices.push(format!(
                "point {id} ({}): the judge called it wrong but its quote is not in the answer, ignored",
                items[id - 1].label
            ));
        }
        let wrong = says_wrong && quote_verified;
        let abstained = claimed != Coverage::Missing && !quote_verified;
        if abstained {
            notices.push(format!(
                "point {id} ({}): the judge's quote is not in the answer; its rating of this point is not counted",
                items[id - 1].label
            ));
        }
        slots[id - 1] = Some(PointVerdict {
            coverage: if abstained {
                Coverage::Missing
            } else {
                claimed
            },
            claimed,
            abstained,
            quote: point.quote,
            quote_verified,
            comment: point.comment,
            wrong,
        });
    }
    let points = slots
        .into_iter()
        .enumerate()
        .map(|(i, p)| p.ok_or_else(|| Ungraded::Invalid(format!("point {} is not rated", i + 1))))
        .collect::<Result<Vec<_>, _>>()?;
    let claimed = points
        .iter()
        .filter(|p| p.claimed != Coverage::Missing)
        .count();
    let failed = points.iter().filter(|p| p.abstained).count();
    // Most of its evidence invented: the judge did not read the answer.
    if failed > 0 && 2 * failed > claimed {
        return Err(Ungraded::QuotesNotFound { failed, claimed });
    }
    Ok(Verdict {
        score,
        points,
        feedback: raw.feedback,
        notices,
    })
}

/// The points of a verdict as a list: an object keyed by id becomes points with that id.
fn raw_points(points: Value) -> Result<Vec<RawPoint>, Ungraded> {
    let invalid = |e: serde_json::Error| Ungraded::Invalid(format!("points: {e}"));
    match points {
        Value::Array(list) => list
            .into_iter()
            .map(|p| serde_json::from_value(p).map_err(invalid))
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(id, p)| {
                let mut point: RawPoint = serde_json::from_value(p).map_err(invalid)?;
                point.id = Value::String(id);
                Ok(point)
            })
            .collect(),
        other => Err(Ungraded::Invalid(format!(
            "points must be a list or an object keyed by id, not {other}"
        ))),
    }
}

/// Whether a quote is no evidence at all: empty, only punctuation (the prompt's `"..."`), or
/// shorter than one real word.
fn is_placeholder(quote: &str) -> bool {
    quote.chars().filter(|c| c.is_alphanumeric()).count() < 2
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// The coverage a word claims, and whether it is `wrong` (a misconception: worth nothing).
fn coverage(word: &str) -> Result<(Coverage, bool), Ungraded> {
    match word.trim().to_lowercase().as_str() {
        "covered" => Ok((Coverage::Covered, false)),
        "partial" => Ok((Coverage::Partial, false)),
        "missing" => Ok((Coverage::Missing, false)),
        "wrong" => Ok((Coverage::Missing, true)),
        other => Err(Ungraded::Invalid(format!(
            "coverage `{other}` is not covered/partial/missing/wrong"
        ))),
    }
}

/// Finds the verdict JSON in a reply: the whole text, a fenced block, or the first balanced
/// `{…}` that parses (after dropping `<think>…</think>`).
pub fn extract_json(text: &str) -> Option<Value> {
    let text = strip_think(text);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let is_object = |v: &Value| v.is_object();
    if let Some(v) = serde_json::from_str::<Value>(text).ok().filter(is_object) {
        return Some(v);
    }
    for block in fenced_blocks(text) {
        if let Some(v) = serde_json::from_str::<Value>(block.trim())
            .ok()
            .filter(is_object)
        {
            return Some(v);
        }
    }
    text.match_indices('{').find_map(|(start, _)| {
        let end = balanced_end(&text[start..])?;
        serde_json::from_str::<Value>(&text[start..start + end])
            .ok()
            .filter(is_object)
    })
}

fn strip_think(text: &str) -> String {
    let mut out = text.to_string();
    while let (Some(a), Some(b)) = (out.find("<think>"), out.find("</think>")) {
        if b < a {
            break;
        }
        out.replace_range(a..b + "</think>".len(), "");
    }
    out
}

/// Contents of ``` fenced blocks (the info string such as `json` is skipped).
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let body_start = after.find('\n').map_or(0, |i| i + 1);
        let body = &after[body_start..];
        let Some(close) = body.find("```") else { break };
        blocks.push(&body[..close]);
        rest = &body[close + 3..];
    }
    blocks
}

/// Byte length of the balanced `{…}` at the start of `text`, strings respected.
fn balanced_end(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn looks_like_refusal(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "i'm sorry",
        "i am sorry",
        "i can't",
        "i cannot",
        "i can’t",
        "i won't",
        "i'm unable",
        "i am unable",
        "as an ai",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// Whether `quote` occurs in `answer`, ignoring case, whitespace, typographic quotes and
/// dashes, and surrounding punctuation; `...`/`…` inside the quote may elide text (the parts
/// must then occur in order).
pub fn quote_occurs(quote: &str, answer: &str) -> bool {
    let answer = normalise(answer);
    let quote = quote.replace('…', "...");
    let parts: Vec<String> = quote
        .split("...")
        .map(|p| normalise(p).trim_matches(edge_punct).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return false;
    }
    let mut from = 0;
    for part in parts {
        match answer[from..].find(&part) {
            Some(at) => from += at + part.len(),
            None => return false,
        }
    }
    true
}

fn edge_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '-'
    )
}

fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<JudgeItem> {
        (1..=n)
            .map(|id| JudgeItem {
                id,
                label: format!("p{id}"),
                expects: String::new(),
            })
            .collect()
    }

    fn reply(content: &str) -> Reply {
        Reply {
            content: content.into(),
            ..Reply::default()
        }
    }

    const ANSWER: &str =
        "We use a hash map\n  for O(1) lookups, and a doubly linked list for recency.";

    #[test]
    fn quotes_match_tolerantly_but_not_invented() {
        assert!(quote_occurs("hash map for O(1) lookups", ANSWER));
        assert!(quote_occurs("\u{201C}HASH MAP   FOR o(1)\u{201D}", ANSWER));
        assert!(quote_occurs(
            "We use a hash map ... doubly linked list",
            ANSWER
        ));
        assert!(!quote_occurs("a balanced tree for ordering", ANSWER));
        assert!(
            !quote_occurs("doubly linked list ... hash map", ANSWER),
            "order matters"
        );
        assert!(!quote_occurs("  ", ANSWER));
    }

    #[test]
    fn extracts_json_from_fences_prose_and_think() {
        let v = extract_json("Sure! ```json\n{\"a\": 1}\n``` hope that helps").unwrap();
        assert_eq!(v["a"], 1);
        let v = extract_json("Here it is: {\"a\": \"}{\"} trailing").unwrap();
        assert_eq!(v["a"], "}{");
        let v = extract_json("<think>{\"draft\": 1}</think>{\"a\": 2}").unwrap();
        assert_eq!(v["a"], 2);
        assert!(extract_json("no json here").is_none());
    }

    #[test]
    fn placeholder_quotes_never_verify_and_mostly_invented_quotes_are_ungraded() {
        assert!(is_placeholder("...") && is_placeholder(" … ") && is_placeholder("\"a\""));
        assert!(!is_placeholder("hash map"));
        let content = r#"{"points":[
            {"id":1,"coverage":"covered","quote":"...","comment":""},
            {"id":2,"coverage":"partial","quote":"hash map for O(1) lookups","comment":""},
            {"id":3,"coverage":"covered","quote":"A hash map gives O(1) access.","comment":""}],
            "score":100,"feedback":""}"#;
        let err = parse_verdict(&reply(content), &items(3), ANSWER).unwrap_err();
        assert_eq!(
            err,
            Ungraded::QuotesNotFound {
                failed: 2,
                claimed: 3
            }
        );
        assert!(err.is_well_formed());
    }

    #[test]
    fn schema_lists_every_item_in_judging_order() {
        let schema = schema(&items(3));
        let points = &schema["properties"]["points"];
        assert_eq!(points["required"], json!(["1", "2", "3"]));
        let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["points", "feedback", "score"]);
        let point: Vec<&String> = points["properties"]["1"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(point, ["quote", "coverage", "comment"]);
        assert!(max_tokens_for(3, 1500) < 1500 && max_tokens_for(3, 100) == 100);
    }

    #[test]
    fn valid_verdict_with_invented_quote_is_an_abstention() {
        let content = r#"{"points":[
            {"id":1,"coverage":"covered","quote":"hash map for O(1) lookups","comment":"ok"},
            {"id":2,"coverage":"covered","quote":"uses a min-heap","comment":"?"}],
            "score":70,"feedback":"fine"}"#;
        let v = parse_verdict(&reply(content), &items(2), ANSWER).unwrap();
        assert_eq!(v.points[0].coverage, Coverage::Covered);
        assert!(v.points[0].quote_verified);
        assert_eq!(v.points[1].claimed, Coverage::Covered);
        assert!(v.points[1].abstained && !v.points[0].abstained);
        assert_eq!(v.notices.len(), 1);
    }

    #[test]
    fn wrong_counts_only_with_a_quote_from_the_answer() {
        let content = r#"{"points":[
            {"id":1,"coverage":"wrong","quote":"hash map for O(1) lookups","comment":"no"},
            {"id":2,"coverage":"wrong","quote":"uses a min-heap","comment":"?"}],
            "score":20,"feedback":"f"}"#;
        let v = parse_verdict(&reply(content), &items(2), ANSWER).unwrap();
        assert!(v.points[0].wrong && v.points[0].quote_verified);
        assert_eq!(v.points[0].coverage, Coverage::Missing);
        assert!(
            !v.points[1].wrong,
            "an invented quote cannot prove a misconception"
        );
        assert!(v.notices.iter().any(|n| n.contains("called it wrong")));
        assert!(schema(&items(2)).to_string().contains("\"wrong\""));
    }

    #[test]
    fn invalid_verdicts_are_rejected_not_repaired() {
        let bad = |c: &str| parse_verdict(&reply(c), &items(1), ANSWER).unwrap_err();
        let ok_point = r#"{"id":1,"coverage":"missing","quote":"","comment":""}"#;
        assert!(matches!(
            bad(&format!(r#"{{"points":[{ok_point}],"score":140,"feedback":""}}"#)),
            Ungraded::Invalid(m) if m.contains("140")
        ));
        assert!(matches!(
            bad(&format!(r#"{{"points":[{ok_point}],"feedback":""}}"#)),
            Ungraded::Invalid(m) if m.contains("score")
        ));
        assert!(matches!(
            bad(r#"{"points":[],"score":5,"feedback":""}"#),
            Ungraded::Invalid(m) if m.contains("not rated")
        ));
        assert!(matches!(
            bad(&format!(r#"{{"points":[{ok_point},{ok_point}],"score":5,"feedback":""}}"#)),
            Ungraded::Invalid(m) if m.contains("twice")
        ));
        assert!(matches!(
            bad(
                r#"{"points":[{"id":1,"coverage":"great","quote":"","comment":""}],"score":5,"feedback":""}"#
            ),
            Ungraded::Invalid(_)
        ));
    }

    #[test]
    fn empty_refusal_truncation_and_reasoning() {
        let i = items(1);
        assert_eq!(
            parse_verdict(&reply("  "), &i, ANSWER),
            Err(Ungraded::Empty)
        );
        assert!(matches!(
            parse_verdict(&reply("I'm sorry, I can't help with that."), &i, ANSWER),
            Err(Ungraded::Refusal(_))
        ));
        let refused = Reply {
            refusal: Some("no".into()),
            ..Reply::default()
        };
        assert!(matches!(
            parse_verdict(&refused, &i, ANSWER),
            Err(Ungraded::Refusal(_))
        ));
        let cut = Reply {
            content: "{\"points\": [".into(),
            finish_reason: Some("length".into()),
            ..Reply::default()
        };
        assert_eq!(parse_verdict(&cut, &i, ANSWER), Err(Ungraded::Truncated));
        let reasoning = Reply {
            reasoning: Some(
                r#"thinking... {"points":[{"id":1,"coverage":"missing","quote":"","comment":""}],"score":10,"feedback":"x"}"#.into(),
            ),
            ..Reply::default()
        };
        assert_eq!(parse_verdict(&reasoning, &i, ANSWER).unwrap().score, 10.0);
    }

    #[test]
    fn read_reply_takes_usage_and_finish_reason() {
        let body = json!({"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],
                          "usage":{"prompt_tokens":12,"completion_tokens":3}});
        let r = read_reply(&body).unwrap();
        assert_eq!(r.content, "hi");
        assert_eq!(r.finish_reason.as_deref(), Some("stop"));
        assert_eq!(r.usage.prompt_tokens, 12);
        assert!(read_reply(&json!({})).is_err());
    }
}
