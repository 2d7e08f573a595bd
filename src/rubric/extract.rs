//! Deterministic, local rubric extraction from a model answer (no network, no randomness).
//!
//! Technical answers: the answer's structure gives the key points — bullets with bold lead-ins,
//! substantive sentences, code blocks (as code ideas) and complexity lines (as structured
//! claims). Long answers with headings ("Key Components", "Design Considerations") are grouped
//! one point per section so a rubric stays readable (4–8 points) without losing any text.
//! Fluff ("Here's my approach:") is dropped from bank rubrics. Behavioural stories get the four
//! STAR elements and the competencies they demonstrate.
//!
//! [`from_reference`] builds a rubric from any reference answer, down to one sentence: nothing
//! substantive is dropped (every sentence or clause is some point's reference) and every point
//! has at least one term.

use std::collections::HashSet;

use crate::bank::{Kind, Question};
use crate::rubric::doc::{self, Block, BlockKind};
use crate::rubric::{claims, competencies, label, star, terms};
use crate::rubric::{ComplexityClaim, KeyPoint, PointKind, Rubric};
use crate::text;

/// Above this many candidate points, bullets are grouped one point per section.
const MAX_POINTS: usize = 8;
/// Fewest key points a bank rubric should have; shorter answers are split finer.
const MIN_POINTS: usize = 3;
/// Terms kept per key point.
const MAX_TERMS: usize = 6;

/// Extracts the rubric of a bank question from its model answer.
pub fn extract(question: &Question) -> Rubric {
    build(
        &question.id,
        &question.text,
        &question.model_answer,
        question.kind,
        Mode::Bank,
    )
}

/// Builds a rubric on the fly from any question and reference answer (`hone grade --question`).
///
/// With `kind` unknown, a reference written as a Situation/Task/Action/Result story is graded as
/// behavioural, anything else as a concept question.
pub fn from_reference(id: &str, question: &str, reference: &str, kind: Option<Kind>) -> Rubric {
    let kind = kind.unwrap_or(if star::looks_like_star(reference) {
        Kind::Behavioural
    } else {
        Kind::Concept
    });
    build(id, question, reference, kind, Mode::Reference)
}

/// Bank rubrics may drop fluff; on-the-fly rubrics keep every substantive clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bank,
    Reference,
}

/// How finely the answer is cut into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Grain {
    /// Items and sentences; grouped by section when there are many.
    Normal,
    /// Items and sentences, never grouped.
    Items,
    /// Every sentence its own point, no grouping.
    Sentences,
    /// Sentences cut further at clause boundaries (and short lists at "and"/commas).
    Clauses,
}

fn build(id: &str, question: &str, answer: &str, kind: Kind, mode: Mode) -> Rubric {
    let question_stems: HashSet<String> = text::content_stems(question).into_iter().collect();
    let mut rubric = Rubric {
        id: id.to_string(),
        question: question.trim().to_string(),
        kind,
        hand_edited: false,
        format: 1,
        focus: None,
        misconceptions: Vec::new(),
        key_points: Vec::new(),
        claims: Vec::new(),
        star: Vec::new(),
        competencies: Vec::new(),
        built_from_reference: mode == Mode::Reference,
    };
    if kind == Kind::Behavioural {
        rubric.star = star::elements(answer, &question_stems);
        rubric.competencies = competencies::detect(answer, question);
        return rubric;
    }
    let blocks = doc::blocks(answer);
    // Bounds the question itself demands ("with O(1) get and put") bind the answer too.
    rubric.claims = claims::find_claims(question);
    for claim in answer_claims(&blocks) {
        if !rubric.claims.contains(&claim) {
            rubric.claims.push(claim);
        }
    }
    let ctx = Context {
        question_stems: &question_stems,
        question_bounds: claims::bounds_in(question)
            .into_iter()
            .map(|m| m.bound)
            .collect(),
        answer_lower: doc::plain(answer).to_lowercase(),
    };
    let short_reference =
        mode == Mode::Reference && text::sentences(&doc::plain(answer)).len() <= 3;
    let first_grain = if short_reference {
        Grain::Clauses
    } else {
        Grain::Normal
    };
    for grain in [first_grain, Grain::Items, Grain::Sentences, Grain::Clauses] {
        if grain < first_grain {
            continue;
        }
        rubric.key_points = key_points(&blocks, &ctx, mode, grain);
        if rubric.key_points.len() >= MIN_POINTS || mode == Mode::Reference {
            break;
        }
    }
    if rubric.key_points.is_empty() && mode == Mode::Reference {
        rubric.key_points.extend(whole_reference_point(answer));
    }
    rubric
}

/// One point for a reference too terse to cut ("push and pop", "13", one line of code): the
/// whole reference, its words (function words too when there is nothing else) as terms.
fn whole_reference_point(reference: &str) -> Option<KeyPoint> {
    let plain = doc::plain(reference).trim().to_string();
    let words: Vec<String> = text::tokens(&plain)
        .iter()
        .map(|t| t.text.to_lowercase())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let content: Vec<String> = words
        .iter()
        .filter(|w| !text::STOPWORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    let mut terms = if content.is_empty() { words } else { content };
    terms.dedup();
    if terms.is_empty() {
        return None;
    }
    let numeric = terms
        .iter()
        .all(|t| t.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let label: String = plain.chars().take(60).collect();
    Some(KeyPoint {
        label,
        reference: plain.clone(),
        terms,
        weight: 1.0,
        kind: if numeric {
            PointKind::Number
        } else {
            PointKind::Concept
        },
        statement: plain,
        phrasings: Vec::new(),
        importance: crate::rubric::Importance::Core,
    })
}

/// What every point extraction needs to know about the question and answer.
struct Context<'a> {
    question_stems: &'a HashSet<String>,
    question_bounds: Vec<String>,
    answer_lower: String,
}

/// All complexity claims of the answer's prose (code is left out), deduplicated.
fn answer_claims(blocks: &[Block]) -> Vec<ComplexityClaim> {
    let prose: Vec<String> = blocks
        .iter()
        .filter(|b| b.kind != BlockKind::Code && b.kind != BlockKind::Heading)
        .map(|b| match &b.lead {
            Some(lead) => format!("{lead}: {}", b.text),
            None => b.text.clone(),
        })
        .collect();
    claims::find_claims(&prose.join("\n"))
}

/// A candidate point: one item, sentence or code block of the answer.
#[derive(Debug, Clone)]
struct Unit {
    raw: String,
    lead: Option<String>,
    section: Option<String>,
    bold_lead: bool,
    code: bool,
    item: bool,
}

impl Unit {
    /// The unit as one line of plain text, lead-in first.
    fn plain(&self) -> String {
        match &self.lead {
            Some(lead) => doc::plain(&format!("{lead}: {}", self.raw)),
            None => doc::plain(&self.raw),
        }
    }
}

fn key_points(blocks: &[Block], ctx: &Context, mode: Mode, grain: Grain) -> Vec<KeyPoint> {
    let mut units = units(blocks, grain);
    if mode == Mode::Bank {
        units.retain(|u| !is_fluff(u));
    } else {
        units.retain(|u| terms::content_word_count(&u.plain()) > 0 || u.code);
    }
    let grouped = if grain == Grain::Normal {
        runs_to_group(&units)
    } else {
        Vec::new()
    };
    let mut points = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let run = grouped
            .iter()
            .find(|(start, _)| *start == i)
            .map_or(1, |&(_, len)| len);
        let point = if run > 1 {
            group_point(&units[i..i + run], ctx)
        } else {
            unit_point(&units[i], ctx)
        };
        if let Some(p) = point {
            points.push(p);
        }
        i += run;
    }
    let mut labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let point_terms: Vec<Vec<String>> = points.iter().map(|p| p.terms.clone()).collect();
    label::make_unique(&mut labels, &point_terms);
    for (point, unique) in points.iter_mut().zip(labels) {
        point.label = unique;
    }
    points
}

/// Runs of items under one heading, `(start, len)`, to merge into one point each: the longest
/// runs first, until the rubric has at most [`MAX_POINTS`] points.
fn runs_to_group(units: &[Unit]) -> Vec<(usize, usize)> {
    let groupable = |u: &Unit| u.item && !u.code && u.section.is_some();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let len = if groupable(&units[i]) {
            units[i..]
                .iter()
                .take_while(|u| groupable(u) && u.section == units[i].section)
                .count()
        } else {
            1
        };
        if len > 1 {
            runs.push((i, len));
        }
        i += len;
    }
    runs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut count = units.len();
    let mut chosen = Vec::new();
    for run in runs {
        if count <= MAX_POINTS {
            break;
        }
        count -= run.1 - 1;
        chosen.push(run);
    }
    chosen
}

/// Cuts blocks into units at the given grain.
fn units(blocks: &[Block], grain: Grain) -> Vec<Unit> {
    let mut out = Vec::new();
    for b in blocks {
        let base = Unit {
            raw: String::new(),
            lead: b.lead.clone(),
            section: b.section.clone(),
            bold_lead: b.bold_lead,
            code: b.kind == BlockKind::Code,
            item: b.kind == BlockKind::Item,
        };
        match b.kind {
            BlockKind::Heading => {}
            BlockKind::Code => out.push(Unit {
                raw: b.text.clone(),
                ..base
            }),
            BlockKind::Item if grain <= Grain::Items => out.push(Unit {
                raw: b.text.clone(),
                ..base
            }),
            BlockKind::Item | BlockKind::Para => {
                for (n, piece) in pieces(&b.text, grain).into_iter().enumerate() {
                    out.push(Unit {
                        raw: piece,
                        lead: if n == 0 { b.lead.clone() } else { None },
                        ..base.clone()
                    });
                }
            }
        }
    }
    out
}

/// The sentences of a text, or its clauses at [`Grain::Clauses`].
fn pieces(text: &str, grain: Grain) -> Vec<String> {
    let sentences: Vec<String> = text::sentences(text)
        .into_iter()
        .map(|(s, e)| text[s..e].to_string())
        .collect();
    if grain != Grain::Clauses {
        return sentences;
    }
    sentences.iter().flat_map(|s| clauses(s)).collect()
}

/// Splits a sentence at clause boundaries ("; ", ", whereas", ", while", ", but") and a short
/// list-like sentence at its commas and "and"/"or", keeping only pieces with content words.
fn clauses(sentence: &str) -> Vec<String> {
    let mut parts: Vec<String> = vec![sentence.to_string()];
    // Clause connectors stay with the clause they open ("whereas a function …").
    for (sep, keep) in [
        ("; ", ""),
        (", whereas ", "whereas "),
        (" whereas ", "whereas "),
        (", while ", "while "),
        (", but ", "but "),
        (", so ", "so "),
    ] {
        parts = parts
            .iter()
            .flat_map(|p| {
                p.split(sep)
                    .enumerate()
                    .map(|(i, piece)| {
                        if i == 0 {
                            piece.to_string()
                        } else {
                            format!("{keep}{piece}")
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    if sentence.split_whitespace().count() <= 10 {
        for sep in [", or ", ", and ", ", ", " and ", " or "] {
            parts = parts
                .iter()
                .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
                .collect();
        }
    }
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        let part = part.trim().to_string();
        if terms::content_word_count(&part) == 0 {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(&part);
            }
            continue;
        }
        out.push(part);
    }
    if out.is_empty() {
        out.push(sentence.to_string());
    }
    out
}

/// Whether a unit is filler: an introduction to a list ("Here's my approach:"), or too thin to
/// be a point (few content words, nothing emphasised, no bound, no domain phrase).
fn is_fluff(unit: &Unit) -> bool {
    if unit.code || unit.lead.is_some() {
        return false;
    }
    let plain = unit.plain();
    let content = terms::content_word_count(&plain);
    let emphasised = !doc::bold_spans(&unit.raw).is_empty();
    let has_bound = !claims::bounds_in(&unit.raw).is_empty();
    let has_domain = terms::synonym_phrases(&plain).iter().any(|(_, n)| *n > 1);
    if emphasised || has_bound {
        return false;
    }
    let lower = plain.to_lowercase();
    let intro = [
        "here's",
        "here is",
        "for example",
        "example",
        "as follows",
        "the following",
    ]
    .iter()
    .any(|s| lower.starts_with(s));
    (content <= 3 && !has_domain) || (intro && plain.ends_with(':'))
}

/// Builds the key point of one unit.
fn unit_point(unit: &Unit, ctx: &Context) -> Option<KeyPoint> {
    if unit.code {
        return code_point(unit, ctx);
    }
    let plain = unit.plain();
    let unit_claims = claims::find_claims(&plain);
    let point_terms = terms::key_terms(
        &unit.raw,
        unit.lead.as_deref(),
        ctx.question_stems,
        MAX_TERMS,
    );
    let point_terms = if point_terms.is_empty() {
        terms::key_terms(&plain, None, &HashSet::new(), MAX_TERMS)
    } else {
        point_terms
    };
    if point_terms.is_empty() {
        return None;
    }
    let kind = point_kind(unit, &plain, &unit_claims, &point_terms);
    let point_terms = if kind == PointKind::Complexity {
        complexity_terms(&unit_claims, point_terms)
    } else {
        point_terms
    };
    let label = if kind == PointKind::Complexity {
        complexity_label(&unit_claims)
    } else {
        unit_label(unit, &point_terms)
    };
    let mut weight = 1.0;
    if !doc::bold_spans(&unit.raw).is_empty() {
        weight += 0.5;
    } else if unit.bold_lead {
        weight += 0.25;
    }
    if emphasised(unit) {
        weight += 0.5;
    }
    if kind == PointKind::Complexity
        && unit_claims
            .iter()
            .any(|c| ctx.question_bounds.contains(&c.bound))
    {
        weight += 0.5;
    }
    if kind == PointKind::Number {
        weight -= 0.25;
    }
    weight += repetition_bonus(&point_terms, &ctx.answer_lower);
    Some(KeyPoint {
        label,
        reference: plain,
        terms: point_terms,
        weight: round_weight(weight),
        kind,
        statement: String::new(),
        phrasings: Vec::new(),
        importance: Default::default(),
    })
}

/// One point for a run of items under the same heading.
fn group_point(group: &[Unit], ctx: &Context) -> Option<KeyPoint> {
    let heading = group[0].section.clone().unwrap_or_default();
    let mut point_terms: Vec<String> = Vec::new();
    let per_item = (MAX_TERMS + 2).div_ceil(group.len()).clamp(1, 2);
    for unit in group {
        let unit_terms = terms::key_terms(&unit.raw, unit.lead.as_deref(), ctx.question_stems, 3);
        for t in unit_terms.into_iter().take(per_item) {
            if point_terms.len() < MAX_TERMS + 2 {
                terms::push_unique(&mut point_terms, t);
            }
        }
    }
    if point_terms.is_empty() {
        return None;
    }
    let leads: Vec<String> = group
        .iter()
        .filter_map(|u| u.lead.as_deref().map(doc::plain))
        .collect();
    let leads = if leads.len() == group.len() {
        leads
    } else {
        Vec::new()
    };
    let label = label::for_heading(&heading, &leads, &point_terms);
    let reference = group.iter().map(Unit::plain).collect::<Vec<_>>().join("\n");
    let mut weight = 1.0 + 0.15 * (group.len() as f64 - 1.0);
    if group.iter().any(emphasised) {
        weight += 0.5;
    }
    weight += repetition_bonus(&point_terms, &ctx.answer_lower);
    Some(KeyPoint {
        label,
        reference,
        terms: point_terms,
        weight: round_weight(weight.min(2.5)),
        kind: PointKind::Concept,
        statement: String::new(),
        phrasings: Vec::new(),
        importance: Default::default(),
    })
}

/// A code-idea point: the names the code gives its steps (`_move_to_front` → "move to front")
/// and its comments.
fn code_point(unit: &Unit, ctx: &Context) -> Option<KeyPoint> {
    let ideas: Vec<String> = code_ideas(&unit.raw)
        .into_iter()
        .filter(|idea| {
            let stems = terms::stem_set(idea);
            !stems.is_empty() && !stems.iter().all(|s| ctx.question_stems.contains(s))
        })
        .collect();
    if ideas.is_empty() {
        return None;
    }
    let point_terms: Vec<String> = ideas.into_iter().take(4).collect();
    let label = label::for_code(&point_terms);
    let reference: String = unit.raw.lines().take(15).collect::<Vec<_>>().join("\n");
    let weight = 0.5 + repetition_bonus(&point_terms, &ctx.answer_lower);
    Some(KeyPoint {
        label,
        reference,
        terms: point_terms,
        weight: round_weight(weight),
        kind: PointKind::Code,
        statement: String::new(),
        phrasings: Vec::new(),
        importance: Default::default(),
    })
}

/// The ideas a code block names: defined and called functions whose names have two or more
/// words, and short comments; in order, without repeats.
fn code_ideas(code: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static IDENT: OnceLock<regex::Regex> = OnceLock::new();
    static COMMENT: OnceLock<regex::Regex> = OnceLock::new();
    let ident = IDENT.get_or_init(|| {
        regex::Regex::new(r"(?:def|function|fn|func|class)\s+([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*\(")
            .unwrap()
    });
    let comment =
        COMMENT.get_or_init(|| regex::Regex::new(r"(?:^|\s)(?:#|//)\s*([^\n]+)").unwrap());
    let mut out: Vec<String> = Vec::new();
    let mut push = |idea: String| {
        let idea = idea.trim().trim_end_matches(['.', ':']).to_lowercase();
        if !idea.is_empty() && !out.contains(&idea) {
            out.push(idea);
        }
    };
    for c in ident.captures_iter(code) {
        let name = c.get(1).or_else(|| c.get(2)).expect("one group").as_str();
        let words = split_identifier(name);
        let meaningful = words
            .iter()
            .filter(|w| w.len() > 1 && !text::is_stopword(w))
            .count();
        if words.len() >= 2 && meaningful >= 2 && !CODE_NOISE.contains(&name) {
            push(words.join(" "));
        }
    }
    for c in comment.captures_iter(code) {
        let text = c[1].trim();
        let words = text.split_whitespace().count();
        if (1..=8).contains(&words) && terms::content_word_count(text) >= 1 && !text.contains("...")
        {
            push(text.to_string());
        }
    }
    out
}

/// Identifiers that say nothing about the idea of the code.
const CODE_NOISE: &[&str] = &["__init__", "__new__", "super", "isinstance", "setdefault"];

/// `_move_to_front` → [move, to, front]; `getWithLock` → [get, with, lock].
fn split_identifier(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut current = String::new();
        let chars: Vec<char> = part.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = c.is_uppercase()
                && i > 0
                && (chars[i - 1].is_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                        && chars[i - 1].is_uppercase());
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current).to_lowercase());
            }
            current.push(c);
        }
        if !current.is_empty() {
            words.push(current.to_lowercase());
        }
    }
    words
}

/// What sort of idea a unit is.
fn point_kind(
    unit: &Unit,
    plain: &str,
    unit_claims: &[ComplexityClaim],
    point_terms: &[String],
) -> PointKind {
    let lead_lower = unit.lead.as_deref().unwrap_or("").to_lowercase();
    if !unit_claims.is_empty() {
        let without_bounds =
            claims::bounds_in(plain)
                .iter()
                .rev()
                .fold(plain.to_string(), |mut s, m| {
                    s.replace_range(m.start..m.end, " ");
                    s
                });
        let rest = terms::content_word_count(&without_bounds);
        let about_cost = ["complexity", "time", "space"]
            .iter()
            .any(|w| lead_lower.contains(w) || without_bounds.to_lowercase().contains(w));
        if about_cost && rest <= 8 || rest <= 3 || lead_lower.contains("complexity") {
            return PointKind::Complexity;
        }
    }
    let lead_is_tech = unit
        .lead
        .as_deref()
        .is_some_and(|l| is_technology(l.split(['(', '/']).next().unwrap_or(l)));
    let tech_terms = point_terms.iter().filter(|t| is_technology(t)).count();
    if lead_is_tech || (tech_terms >= 2 && terms::content_word_count(plain) <= 10) {
        return PointKind::Technology;
    }
    let has_number = plain.chars().any(|c| c.is_ascii_digit());
    if lead_lower.chars().any(|c| c.is_ascii_digit()) && !lead_lower.starts_with("phase")
        || has_number && plain.contains('%') && terms::content_word_count(plain) <= 8
    {
        return PointKind::Number;
    }
    PointKind::Concept
}

/// Whether a phrase names a well-known technology (product, tool or protocol).
fn is_technology(phrase: &str) -> bool {
    const TECH: &[&str] = &[
        "airflow",
        "akamai",
        "aws",
        "azure",
        "cassandra",
        "cloudfront",
        "cockroachdb",
        "consul",
        "datadog",
        "debezium",
        "docker",
        "dynamodb",
        "dynatrace",
        "elasticsearch",
        "elk",
        "etcd",
        "ffmpeg",
        "flink",
        "gcp",
        "google spanner",
        "grafana",
        "graphql",
        "grpc",
        "hadoop",
        "hdfs",
        "helm",
        "istio",
        "jaeger",
        "jira",
        "kafka",
        "kubernetes",
        "launchdarkly",
        "memcached",
        "mongodb",
        "mqtt",
        "mysql",
        "neo4j",
        "new relic",
        "nginx",
        "node.js",
        "opentelemetry",
        "osrm",
        "pact",
        "postgresql",
        "prometheus",
        "python",
        "rabbitmq",
        "redis",
        "s3",
        "sagemaker",
        "solr",
        "spanner",
        "spark",
        "splunk",
        "sqs",
        "terraform",
        "timescaledb",
        "zipkin",
        "zookeeper",
        "java",
        "go",
        "jvm",
        "valgrind",
        "visualvm",
        "tracemalloc",
        "pprof",
        "chrome devtools",
    ];
    let lower = phrase.trim().to_lowercase();
    TECH.contains(&lower.as_str())
}

/// A complexity point's terms: its bounds and operations first, then the other terms.
fn complexity_terms(unit_claims: &[ComplexityClaim], rest: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in unit_claims {
        if !out.contains(&c.bound) {
            out.push(c.bound.clone());
        }
    }
    for c in unit_claims {
        let op = if c.operation.starts_with('(') {
            String::new()
        } else {
            c.operation
                .split(" (")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if !op.is_empty() && !out.contains(&op) {
            out.push(op);
        }
    }
    for t in rest {
        if out.len() >= MAX_TERMS {
            break;
        }
        terms::push_unique(&mut out, t);
    }
    out
}

/// A complexity point's label from its claims: "O(1) get and put", "O(n) space".
fn complexity_label(unit_claims: &[ComplexityClaim]) -> String {
    let mut by_bound: Vec<(String, Vec<String>)> = Vec::new();
    for c in unit_claims {
        let op = if c.operation.is_empty() {
            "time".to_string()
        } else {
            c.operation.clone()
        };
        match by_bound.iter_mut().find(|(b, _)| *b == c.bound) {
            Some((_, ops)) => {
                if !ops.contains(&op) {
                    ops.push(op);
                }
            }
            None => by_bound.push((c.bound.clone(), vec![op])),
        }
    }
    by_bound
        .iter()
        .map(|(bound, ops)| format!("{bound} {}", ops.join(" and ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A short label for one unit: its lead-in ("Hash Map") or a phrase from its sentence.
fn unit_label(unit: &Unit, point_terms: &[String]) -> String {
    let body = doc::plain(&unit.raw);
    match &unit.lead {
        Some(lead) => label::for_lead(&doc::plain(lead), &body, point_terms),
        None => label::for_sentence(&body, point_terms),
    }
}

/// Whether the answer marks this unit as important ("Key insight", "Critical", "core").
fn emphasised(unit: &Unit) -> bool {
    let marks = [
        "key",
        "critical",
        "crucial",
        "important",
        "essential",
        "core",
        "principle",
    ];
    let lead = unit.lead.as_deref().unwrap_or("").to_lowercase();
    let first_words: String = doc::plain(&unit.raw)
        .to_lowercase()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    text::tokens(&lead)
        .iter()
        .chain(text::tokens(&first_words).iter())
        .any(|t| marks.contains(&t.text))
}

/// More weight when the point's main term recurs across the answer.
fn repetition_bonus(point_terms: &[String], answer_lower: &str) -> f64 {
    let Some(main) = point_terms.first() else {
        return 0.0;
    };
    let count = answer_lower.matches(main.to_lowercase().as_str()).count();
    match count {
        0..=2 => 0.0,
        3..=4 => 0.25,
        _ => 0.5,
    }
}

/// Weights in quarter steps, so files stay stable and readable.
fn round_weight(w: f64) -> f64 {
    (w * 4.0).round() / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terse_reference_is_one_point() {
        let push = from_reference(
            "q",
            "What are the two stack operations?",
            "push and pop",
            None,
        );
        assert_eq!(push.key_points.len(), 1, "{push:?}");
        assert!(push.key_points[0].terms.contains(&"push".to_string()));
        let number = from_reference("q", "What is 6 + 7?", "13", None);
        assert_eq!(number.key_points[0].terms, ["13"]);
        assert_eq!(number.key_points[0].kind, PointKind::Number);
        let code = from_reference("q", "Reverse a list in Python", "`xs[::-1]`", None);
        assert_eq!(code.key_points.len(), 1, "{code:?}");
    }

    #[test]
    fn identifiers_split_into_words() {
        assert_eq!(split_identifier("_move_to_front"), ["move", "to", "front"]);
        assert_eq!(split_identifier("getWithLock"), ["get", "with", "lock"]);
        assert_eq!(split_identifier("LRUCache"), ["lru", "cache"]);
    }

    #[test]
    fn code_ideas_come_from_names_and_comments() {
        let code = "def get(self, key):\n    self._move_to_front(node)  # most recent first\n    return node.value";
        assert_eq!(code_ideas(code), ["move to front", "most recent first"]);
    }

    #[test]
    fn one_sentence_reference_yields_a_point_with_terms() {
        let r = from_reference(
            "adhoc",
            "What is the role of a prototype program in problem solving?",
            "To simulate the behaviour of portions of the desired software product.",
            None,
        );
        assert_eq!(r.kind, Kind::Concept);
        assert_eq!(r.key_points.len(), 1);
        assert!(r.key_points[0].reference.contains("simulate the behaviour"));
        assert!(!r.key_points[0].terms.is_empty());
    }

    #[test]
    fn short_lists_split_into_points() {
        let r = from_reference(
            "adhoc",
            "What are the main parts of a class?",
            "Data members (attributes) and member functions.",
            None,
        );
        assert_eq!(r.key_points.len(), 2, "{:?}", r.key_points);
    }

    #[test]
    fn every_sentence_of_a_reference_is_covered() {
        let reference = "A constructor is called whenever an object is created, whereas a function needs to be called explicitely. Constructors do not have return type, but functions have to indicate a return type.";
        let r = from_reference(
            "adhoc",
            "How do constructors differ from functions?",
            reference,
            None,
        );
        let covered: String = r
            .key_points
            .iter()
            .map(|p| p.reference.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for word in text::content_stems(reference) {
            assert!(text::content_stems(&covered).contains(&word), "{word} lost");
        }
        assert!(r.key_points.len() >= 2);
        assert!(r.key_points.iter().all(|p| !p.terms.is_empty()));
    }

    #[test]
    fn star_reference_becomes_behavioural() {
        let r = from_reference(
            "adhoc",
            "Tell me about a conflict.",
            "Situation: two teams disagreed.\nTask: I had to decide.\nAction: I ran a workshop with clear criteria.\nResult: we shipped 2 weeks early.",
            None,
        );
        assert_eq!(r.kind, Kind::Behavioural);
        assert_eq!(r.star.len(), 4);
        assert!(r.competencies.len() >= 2);
    }
}
