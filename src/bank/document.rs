//! The interview-document parser: a title, then sections (a heading, an optional intro sentence)
//! of numbered questions, each followed by its model answer.
//!
//! The documents are text extracted from formatted files, so they carry debris: a bullet list
//! split by a blank line, a stray `}` after a code block, a sentence broken across two
//! paragraphs, short headings ("Key Components") inside answers, numbered lists inside answers.
//! Question lines are therefore chosen by context, not by a regex alone: every numbered line
//! outside code is a candidate, scored by how much it reads like a question, and the parser keeps
//! the best-scoring chain in which each question is the next number of its section or a `1.`
//! that opens a new section under a heading. Everything between two chosen questions is the
//! model answer of the first (minus the next section's heading and intro), repaired but never
//! shortened.

/// A parsed interview document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title above the first section, paragraphs joined with ` — ` (may be empty).
    pub title: String,
    /// The sections in document order; never empty.
    pub sections: Vec<Section>,
}

/// One section of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading as written (`System Design`), or `Questions`/`Section N` when there is none.
    pub title: String,
    /// The sentence under the heading ("This section focuses on…"), possibly empty.
    pub intro: String,
    /// The questions, in document order.
    pub questions: Vec<Entry>,
}

/// One numbered question and its model answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The number written in the document.
    pub number: u32,
    /// The question text, without its number.
    pub text: String,
    /// The model answer: code blocks, bullets and bold kept, debris repaired.
    pub answer: String,
    /// 1-based line of the question in the document.
    pub line: usize,
}

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// No line reads like a numbered question (`1. What is …?`).
    NoQuestions,
}

/// Parses an interview document.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    let lines = classify_lines(text);
    let candidates = find_candidates(&lines);
    let mut chain = best_chain(&candidates, WEAK);
    if chain.is_empty() {
        chain = best_chain(&candidates, WEAK_WHEN_NOTHING_ELSE);
    }
    if chain.is_empty() {
        return Err(ParseError::NoQuestions);
    }
    Ok(assemble(&lines, &candidates, &chain))
}

// ---------------------------------------------------------------------------------------------
// Lines

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    /// A ``` or ~~~ line that opens or closes a code block.
    Fence,
    /// A line inside a code block.
    Code,
    /// Anything else.
    Text,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    kind: LineKind,
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Splits the text into lines and marks code blocks. A fence that is never closed is plain text.
fn classify_lines(text: &str) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    let fences: Vec<usize> = (0..raw.len()).filter(|&i| is_fence(raw[i])).collect();
    let mut kinds: Vec<LineKind> = raw
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                LineKind::Blank
            } else {
                LineKind::Text
            }
        })
        .collect();
    for pair in fences.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        kinds[open] = LineKind::Fence;
        kinds[close] = LineKind::Fence;
        for kind in &mut kinds[open + 1..close] {
            *kind = LineKind::Code;
        }
    }
    raw.into_iter()
        .zip(kinds)
        .map(|(text, kind)| Line { text, kind })
        .collect()
}

/// Strips Markdown decoration a heading or question may carry: `#`s, surrounding `**`.
fn undecorate(text: &str) -> &str {
    let t = text.trim().trim_start_matches('#').trim();
    let t = t.strip_prefix("**").unwrap_or(t);
    let t = t.strip_suffix("**").unwrap_or(t);
    t.trim()
}

/// `12. Text` (also `12) Text`, `## 12. Text`, `**12. Text**`) → (12, "Text").
fn numbered(line: &str) -> Option<(u32, &str)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let t = undecorate(line);
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &t[digits..];
    let rest = rest.strip_prefix(['.', ')'])?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches("**").trim();
    if text.is_empty() {
        return None;
    }
    Some((t[..digits].parse().ok()?, text))
}

/// A line set apart as a heading (`## 3. …`) or wholly in bold (`**3. …**`).
fn is_decorated(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('#') || (t.starts_with("**") && t.ends_with("**") && t.len() > 4)
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    ["- ", "* ", "• ", "+ "].iter().any(|b| t.starts_with(b))
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['*', '_', ')', '"', '\''])
        .ends_with(['.', '?', '!'])
}

/// A short title-like line: `Key Components`, `## System Design`, `**Core Concepts**`.
fn is_heading_like(line: &str) -> bool {
    if line.starts_with([' ', '\t']) || is_bullet(line) || numbered(line).is_some() {
        return false;
    }
    let t = undecorate(line);
    let Some(first) = t.chars().next() else {
        return false;
    };
    (first.is_uppercase() || first.is_ascii_digit())
        && t.chars().count() <= 80
        && t.split_whitespace().count() <= 10
        && !t.ends_with(['.', ':', ',', ';', '?', '!'])
        && !t.contains(": ")
        && !t.contains(['$', '`', '=', '{'])
}

// ---------------------------------------------------------------------------------------------
// Candidates and the chain of questions

/// A numbered line that may be a question.
#[derive(Debug, Clone)]
struct Candidate {
    /// Index of the numbered line.
    start: usize,
    /// Index one past the question's last line (a question may wrap onto following lines).
    end: usize,
    number: u32,
    text: String,
    /// How much the line reads like a question: `STRONG`, `MEDIUM` or 0 (not like one).
    likeness: i64,
    /// Taken off the weight (e.g. nothing follows before the next numbered line).
    penalty: i64,
    /// Lines of the heading and intro just above, when they look like a section opening.
    opening: Option<Opening>,
}

/// The heading (and intro) above a question that opens a section.
#[derive(Debug, Clone, Copy)]
struct Opening {
    heading: usize,
    intro: Option<(usize, usize)>,
    /// The heading stands alone, or its intro speaks of a section or questions: it opens a
    /// section even where numbering does not restart at 1.
    certain: bool,
}

/// Words a question usually starts with.
const QUESTION_STARTS: &[&str] = &[
    "how",
    "what",
    "what's",
    "why",
    "when",
    "where",
    "which",
    "who",
    "explain",
    "describe",
    "design",
    "implement",
    "write",
    "tell",
    "give",
    "compare",
    "walk",
    "discuss",
    "define",
    "outline",
    "share",
    "talk",
    "build",
    "create",
    "develop",
    "given",
    "can",
    "could",
    "would",
    "should",
    "do",
    "does",
    "is",
    "are",
    "have",
    "suppose",
    "imagine",
    "find",
    "detect",
    "solve",
    "debug",
    "reverse",
    "estimate",
    "propose",
    "in",
];

/// A list item rather than a question: `**Label:** …` or a short `Label: value` (but not
/// `What's the difference: …?`).
fn is_label_item(text: &str) -> bool {
    if text.starts_with("**") {
        return true;
    }
    match text.find(':') {
        Some(at) => {
            let label = &text[..at];
            label.split_whitespace().count() <= 4
                && !label.contains('?')
                && !starts_like_a_question(label)
        }
        None => false,
    }
}

/// The first word is one questions usually start with (`How`, `Explain`, `Tell`, …).
fn starts_like_a_question(text: &str) -> bool {
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase()
        .replace('’', "'");
    QUESTION_STARTS.contains(&first.as_str())
}

const STRONG: i64 = 10;
const MEDIUM: i64 = 6;
/// The weight of a numbered line that does not read like a question: taken only to keep a
/// chain of real questions unbroken, except in documents where no line reads like a question.
const WEAK: i64 = -1;
const WEAK_WHEN_NOTHING_ELSE: i64 = 1;
/// Taken off a question followed directly by another numbered line (a list, not a question).
const NO_ANSWER_PENALTY: i64 = 8;
/// Taken off a `1.` that restarts numbering with no heading above it.
const HEADLESS_RESTART_PENALTY: i64 = 25;

fn question_likeness(text: &str) -> i64 {
    if is_label_item(text) {
        return 0;
    }
    if text.contains('?') {
        return STRONG;
    }
    if starts_like_a_question(text) && text.split_whitespace().count() >= 2 {
        MEDIUM
    } else {
        0
    }
}

fn find_candidates(lines: &[Line]) -> Vec<Candidate> {
    let numbered_at =
        |i: usize| lines[i].kind == LineKind::Text && numbered(lines[i].text).is_some();
    let mut out: Vec<Candidate> = Vec::new();
    for i in 0..lines.len() {
        if !numbered_at(i) {
            continue;
        }
        let (number, first) = numbered(lines[i].text).unwrap_or((0, ""));
        let mut text = first.to_string();
        let mut end = i + 1;
        // A question wrapped onto the following lines (no blank line in between).
        while end < lines.len()
            && end < i + 4
            && lines[end].kind == LineKind::Text
            && !ends_sentence(&text)
            && !numbered_at(end)
            && !is_bullet(lines[end].text)
            && !lines[end].text.starts_with(char::is_uppercase)
        {
            text.push(' ');
            text.push_str(lines[end].text.trim().trim_end_matches("**").trim());
            end += 1;
        }
        let penalty = match has_answer(lines, end, &numbered_at) {
            true => 0,
            false => NO_ANSWER_PENALTY,
        };
        let likeness = match question_likeness(&text) {
            0 if is_decorated(lines[i].text) => MEDIUM,
            l => l,
        };
        out.push(Candidate {
            start: i,
            end,
            number,
            likeness,
            penalty,
            text,
            opening: opening_above(lines, i),
        });
    }
    out
}

/// True when some content follows `from` before the next numbered line.
fn has_answer(lines: &[Line], from: usize, numbered_at: &dyn Fn(usize) -> bool) -> bool {
    (from..lines.len())
        .find(|&j| lines[j].kind != LineKind::Blank)
        .is_some_and(|j| !numbered_at(j))
}

/// The paragraph (start, end) of non-blank lines ending just above `before`, skipping blanks.
fn paragraph_above(lines: &[Line], before: usize) -> Option<(usize, usize)> {
    let end = (0..before)
        .rev()
        .find(|&j| lines[j].kind != LineKind::Blank)?
        + 1;
    let start = (0..end)
        .rev()
        .find(|&j| lines[j].kind == LineKind::Blank)
        .map_or(0, |j| j + 1);
    Some((start, end))
}

/// A heading, or a heading then a one-paragraph intro, just above line `at`.
fn opening_above(lines: &[Line], at: usize) -> Option<Opening> {
    let plain = |(s, e): (usize, usize)| {
        lines[s..e]
            .iter()
            .all(|l| l.kind == LineKind::Text && numbered(l.text).is_none())
    };
    let heading =
        |(s, e): (usize, usize)| e == s + 1 && plain((s, e)) && is_heading_like(lines[s].text);
    let p1 = paragraph_above(lines, at)?;
    if heading(p1) {
        return Some(Opening {
            heading: p1.0,
            intro: None,
            certain: true,
        });
    }
    let intro_like =
        plain(p1) && !is_bullet(lines[p1.0].text) && ends_sentence(lines[p1.1 - 1].text);
    let p2 = paragraph_above(lines, p1.0)?;
    let intro = join_lines(&lines[p1.0..p1.1]).to_lowercase();
    (intro_like && heading(p2)).then_some(Opening {
        heading: p2.0,
        intro: Some(p1),
        certain: intro.contains("section") || intro.contains("question"),
    })
}

/// The highest-weight chain of candidates in which each one continues its section's numbering
/// or restarts at 1 (a new section). `weak` is the weight of lines that do not read like a
/// question. Returns candidate indices in order.
fn best_chain(cands: &[Candidate], weak: i64) -> Vec<usize> {
    let weight = |c: &Candidate| match c.likeness {
        0 => weak,
        w => w,
    } - c.penalty;
    // best[i] = (score of the best chain ending at i, previous candidate in it)
    let mut best: Vec<Option<(i64, Option<usize>)>> = vec![None; cands.len()];
    for i in 0..cands.len() {
        let c = &cands[i];
        let mut here: Option<(i64, Option<usize>)> = (c.number == 1).then_some((weight(c), None));
        for j in 0..i {
            let Some((score, _)) = best[j] else { continue };
            if cands[j].end > c.start {
                continue;
            }
            let step = if c.number == cands[j].number + 1 {
                Some(weight(c))
            } else if c.number == 1 {
                Some(match c.opening {
                    Some(_) => weight(c),
                    None => weight(c) - HEADLESS_RESTART_PENALTY,
                })
            } else {
                None
            };
            if let Some(step) = step {
                let total = score + step;
                if here.is_none_or(|(s, _)| total > s) {
                    here = Some((total, Some(j)));
                }
            }
        }
        best[i] = here;
    }
    let Some(last) = (0..cands.len())
        .filter(|&i| best[i].is_some_and(|(s, _)| s > 0))
        .max_by_key(|&i| (best[i].map_or(0, |(s, _)| s), i))
    else {
        return Vec::new();
    };
    let mut chain = vec![last];
    while let Some((_, Some(prev))) = best[*chain.last().unwrap_or(&last)] {
        chain.push(prev);
    }
    chain.reverse();
    chain
}

// ---------------------------------------------------------------------------------------------
// Assembling sections and answers

fn assemble(lines: &[Line], cands: &[Candidate], chain: &[usize]) -> Document {
    let mut title = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let starts_section = |c: &Candidate| c.number == 1 || c.opening.is_some_and(|o| o.certain);
    for (pos, &ci) in chain.iter().enumerate() {
        let c = &cands[ci];
        let opens_section = pos == 0 || starts_section(c);
        if opens_section {
            let above = match pos {
                0 => 0,
                _ => cands[chain[pos - 1]].end,
            };
            let (heading, intro) = match c.opening {
                Some(o) if o.heading >= above => (
                    undecorate(lines[o.heading].text).to_string(),
                    o.intro
                        .map(|r| join_lines(&lines[r.0..r.1]))
                        .unwrap_or_default(),
                ),
                _ => (String::new(), String::new()),
            };
            if pos == 0 {
                let title_end = c.opening.map_or(c.start, |o| {
                    if heading.is_empty() {
                        c.start
                    } else {
                        o.heading
                    }
                });
                title = join_title(&lines[..title_end]);
            }
            let title = match (heading.is_empty(), pos) {
                (false, _) => heading,
                (true, 0) => "Questions".to_string(),
                (true, _) => format!("Section {}", sections.len() + 1),
            };
            sections.push(Section {
                title,
                intro,
                questions: Vec::new(),
            });
        }
        let answer_end = match chain.get(pos + 1).map(|&n| &cands[n]) {
            None => lines.len(),
            Some(next) if starts_section(next) => match next.opening {
                Some(o) if o.heading >= c.end => o.heading,
                _ => next.start,
            },
            Some(next) => next.start,
        };
        let entry = Entry {
            number: c.number,
            text: c.text.clone(),
            answer: repair_answer(&lines[c.end..answer_end]),
            line: c.start + 1,
        };
        if let Some(section) = sections.last_mut() {
            section.questions.push(entry);
        }
    }
    Document { title, sections }
}

fn join_lines(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title: lines of a paragraph joined with a space, paragraphs with ` — `, bold removed.
fn join_title(lines: &[Line]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines.iter().chain(std::iter::once(&Line {
        text: "",
        kind: LineKind::Blank,
    })) {
        if line.kind == LineKind::Blank {
            if !current.is_empty() {
                let joined = current.join(" ").replace("**", "");
                paragraphs.push(joined.trim_start_matches('#').trim().to_string());
                current.clear();
            }
        } else {
            current.push(line.text.trim());
        }
    }
    paragraphs.join(" — ")
}

/// Closing brackets left behind after a code block by the extraction (`}`, `};`, `})`).
fn is_stray_closer(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '}' | ']' | ')' | ';' | ','))
}

/// Turns the lines of one answer into Markdown-ish text, repairing extraction debris:
/// stray closers go back into the code block above them, a paragraph that starts in lowercase
/// after an unfinished line is joined to it, a blank line inside a bullet list is dropped,
/// runs of blank lines become one. Code is kept as written (trailing spaces trimmed).
fn repair_answer(lines: &[Line]) -> String {
    let mut out: Vec<(String, LineKind)> = Vec::new();
    let last_filled =
        |out: &Vec<(String, LineKind)>| out.iter().rposition(|(_, k)| *k != LineKind::Blank);
    for line in lines {
        match line.kind {
            LineKind::Blank => {
                if out.last().is_some_and(|(_, k)| *k != LineKind::Blank) {
                    out.push((String::new(), LineKind::Blank));
                }
            }
            LineKind::Code | LineKind::Fence => out.push((line.text.to_string(), line.kind)),
            LineKind::Text => {
                let prev = last_filled(&out);
                let prev_kind = prev.map(|p| out[p].1);
                let prev_text = prev.map_or("", |p| out[p].0.as_str());
                let gap = prev.is_some_and(|p| p + 1 < out.len());
                if prev_kind == Some(LineKind::Fence) && is_stray_closer(line.text) {
                    // Back inside the code block, before its closing fence.
                    let fence = prev.unwrap_or_default();
                    out.truncate(fence + 1);
                    out.insert(fence, (line.text.to_string(), LineKind::Code));
                } else if gap
                    && prev_kind == Some(LineKind::Text)
                    && starts_lowercase(line.text)
                    && !ends_sentence(prev_text)
                    && !prev_text.ends_with([':', ';'])
                    && !is_heading_like(prev_text)
                {
                    // A sentence (or bullet) broken across two paragraphs.
                    let p = prev.unwrap_or_default();
                    out.truncate(p + 1);
                    out[p].0.push(' ');
                    out[p].0.push_str(line.text.trim());
                } else {
                    if gap && is_bullet(line.text) && is_bullet(prev_text) {
                        // A bullet list split by a blank line.
                        out.pop();
                    }
                    out.push((line.text.to_string(), LineKind::Text));
                }
            }
        }
    }
    while out.last().is_some_and(|(_, k)| *k == LineKind::Blank) {
        out.pop();
    }
    out.into_iter()
        .map(|(text, _)| text)
        .collect::<Vec<_>>()
        .join("\n")
}

fn starts_lowercase(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        parse(text).expect("parses")
    }

    #[test]
    fn sections_questions_and_answers() {
        let d = doc("My Bank\n\nFirst Part\n\nThis section is about things.\n\n\
                     1. What is a thing?\n\nA thing is a thing.\n\n2. Why?\n\nBecause.\n\n\
                     Second Part\n\n1. How do you do it?\n\nCarefully.\n");
        assert_eq!(d.title, "My Bank");
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sections[0].title, "First Part");
        assert_eq!(d.sections[0].intro, "This section is about things.");
        assert_eq!(d.sections[0].questions[1].text, "Why?");
        assert_eq!(d.sections[0].questions[1].answer, "Because.");
        assert_eq!(d.sections[1].title, "Second Part");
        assert_eq!(d.sections[1].intro, "");
        assert_eq!(d.sections[1].questions[0].answer, "Carefully.");
        assert_eq!(d.sections[1].questions[0].line, 17);
    }

    #[test]
    fn numbered_lists_and_code_inside_answers_stay_in_the_answer() {
        let text = "Part\n\n1. How do you debug a slow API?\n\nSteps\n\n1. Reproduce the issue\n\
                    2. Profile the hot path\n\n```\n2. not a question\n```\n\n\
                    2. What is a heap?\n\nA tree.\n\nQuestions I ask:\n\n1. What are the goals?\n\
                    2. Who are the users?\n\n3. Explain the CAP theorem.\n\nPick two.\n";
        let d = doc(text);
        let qs = &d.sections[0].questions;
        assert_eq!(d.sections.len(), 1);
        assert_eq!(qs.len(), 3, "{qs:#?}");
        assert!(qs[0].answer.contains("1. Reproduce the issue"));
        assert!(qs[0].answer.contains("2. not a question"));
        assert!(qs[1].answer.contains("1. What are the goals?"));
        assert_eq!(qs[2].text, "Explain the CAP theorem.");
    }

    #[test]
    fn debris_is_repaired_without_losing_text() {
        let text = "1. What is it?\n\n- **A:** one. Measure learning\n\nvelocity, not success\n\n\
                    - **B:** two\n\n```\nfn f() {\n}\n```\n\n}\n\nKey Components\n\nDone.";
        let d = doc(text);
        assert_eq!(
            d.sections[0].questions[0].answer,
            "- **A:** one. Measure learning velocity, not success\n- **B:** two\n\n\
             ```\nfn f() {\n}\n}\n```\n\nKey Components\n\nDone."
        );
    }

    #[test]
    fn wrapped_question_lines_are_joined() {
        let d = doc("1. How would you design a cache\nfor a slow service?\n\nUse LRU.\n");
        let q = &d.sections[0].questions[0];
        assert_eq!(q.text, "How would you design a cache for a slow service?");
        assert_eq!(q.answer, "Use LRU.");
    }

    #[test]
    fn markdown_headings_bold_questions_and_crlf() {
        let text = "# Data Bank\r\n\r\n## SQL\r\n\r\n### 1. What is an index?\r\n\r\nA sorted structure.\r\n\r\n\
                    ### 2. Explain normalisation.\r\n\r\nSplit tables.\r\n\r\n## API Design\r\n\r\n\
                    These questions cover APIs.\r\n\r\n**1. How would you version a REST API?**\r\n\r\nUse URL versions.\r\n";
        let d = doc(text);
        assert_eq!(d.title, "Data Bank");
        let titles: Vec<&str> = d.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["SQL", "API Design"]);
        assert_eq!(d.sections[0].questions[1].text, "Explain normalisation.");
        assert_eq!(d.sections[0].questions[1].answer, "Split tables.");
        assert_eq!(d.sections[1].intro, "These questions cover APIs.");
        assert_eq!(
            d.sections[1].questions[0].text,
            "How would you version a REST API?"
        );
    }

    #[test]
    fn numbering_that_runs_on_across_sections() {
        let d = doc("Part One\n\n1. What is X?\n\nX.\n\n2. What is Y?\n\nY.\n\nPart Two\n\n3. What is Z?\n\nZ.\n");
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sections[0].questions[1].answer, "Y.");
        assert_eq!(d.sections[1].title, "Part Two");
        assert_eq!(d.sections[1].questions[0].number, 3);
    }

    #[test]
    fn answers_ending_in_a_heading_and_prose_do_not_open_sections() {
        let d = doc("1. What is X?\n\nKey Insight\n\nX is simple.\n\n2. What is Y?\n\nY.\n");
        assert_eq!(d.sections.len(), 1);
        assert_eq!(
            d.sections[0].questions[0].answer,
            "Key Insight\n\nX is simple."
        );
    }

    #[test]
    fn title_style_questions_parse_when_nothing_reads_like_a_question() {
        let d = doc("1. Two Sum\n\nUse a hash map.\n\n2. LRU Cache\n\nMap plus list.\n");
        let texts: Vec<&str> = d.sections[0]
            .questions
            .iter()
            .map(|q| q.text.as_str())
            .collect();
        assert_eq!(texts, ["Two Sum", "LRU Cache"]);
    }

    #[test]
    fn labels_are_list_items_but_questions_with_colons_are_questions() {
        assert_eq!(question_likeness("**Reproduce:** run it locally"), 0);
        assert_eq!(question_likeness("Root cause: pool exhaustion"), 0);
        assert_eq!(
            question_likeness("What's the difference: TCP vs UDP?"),
            STRONG
        );
        assert_eq!(
            question_likeness("Explain the trade-off: latency or cost."),
            MEDIUM
        );
    }

    #[test]
    fn no_numbered_questions_is_an_error() {
        assert_eq!(
            parse("Just prose.\n\nMore prose."),
            Err(ParseError::NoQuestions)
        );
        assert_eq!(parse(""), Err(ParseError::NoQuestions));
    }
}
