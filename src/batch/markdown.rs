//! Markdown answer files: one heading per question, the answer being the text under it.
//!
//! ```markdown
//! ---
//! candidate: alice
//! ---
//! # pse/dsa/1
//! A hash map from key to node plus a doubly linked list…
//!
//! ## Explain the CAP theorem and how it influences your architectural decisions.
//! …
//! ```
//!
//! Rules: headings at the shallowest level used in the file start questions; deeper headings
//! (`### Situation`) belong to the answer. A lone title at that level followed by two or more
//! headings one level down (`# Alice's answers`, then `## …` per question) is skipped, and the
//! next level holds the questions. `#` lines inside fenced code blocks are not headings.
//! Optional front matter between `---` lines may give `candidate: NAME`.

/// One question section of an answer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text: a bank id or the question text.
    pub heading: String,
    /// 1-based line of the heading.
    pub line: u64,
    /// The answer: the lines under the heading up to the next question heading, trimmed.
    pub answer: String,
}

/// A parsed answer file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerFile {
    /// `candidate:` from the front matter, if any.
    pub candidate: Option<String>,
    /// The question sections in file order.
    pub sections: Vec<Section>,
}

struct Heading {
    level: usize,
    text: String,
    index: usize,
}

/// Parses the text of a Markdown answer file.
pub fn parse(text: &str) -> AnswerFile {
    let lines: Vec<&str> = text.lines().collect();
    let (candidate, body_start) = front_matter(&lines);
    let headings = headings(&lines, body_start);
    let level = question_level(&headings);
    let starts: Vec<&Heading> = headings.iter().filter(|h| h.level == level).collect();
    let sections = starts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = starts.get(i + 1).map_or(lines.len(), |next| next.index);
            let answer = lines[h.index + 1..end].join("\n").trim().to_string();
            Section {
                heading: h.text.clone(),
                line: h.index as u64 + 1,
                answer,
            }
        })
        .collect();
    AnswerFile {
        candidate,
        sections,
    }
}

/// Reads `---` front matter; returns the candidate and the index of the first body line.
fn front_matter(lines: &[&str]) -> (Option<String>, usize) {
    if lines.first().map(|l| l.trim()) != Some("---") {
        return (None, 0);
    }
    let Some(close) = lines.iter().skip(1).position(|l| l.trim() == "---") else {
        return (None, 0);
    };
    let candidate = lines[1..=close].iter().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (key.trim().eq_ignore_ascii_case("candidate") && !value.is_empty())
            .then(|| value.to_string())
    });
    (candidate, close + 2)
}

/// ATX headings outside fenced code blocks.
fn headings(lines: &[&str], start: usize) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (index, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    None => Some(marker),
                    Some(open) if open == marker => None,
                    other => other,
                };
            }
        }
        if fence.is_some() || line.starts_with("    ") {
            continue;
        }
        if let Some((level, text)) = atx_heading(trimmed) {
            out.push(Heading { level, text, index });
        }
    }
    out
}

/// `## Text ##` → (2, "Text").
fn atx_heading(line: &str) -> Option<(usize, String)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end().to_string();
    (!text.is_empty()).then_some((level, text))
}

/// The heading level that holds questions (see the module doc).
fn question_level(headings: &[Heading]) -> usize {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return 0;
    };
    let at_top = headings.iter().filter(|h| h.level == top).count();
    let below = headings.iter().filter(|h| h.level == top + 1).count();
    if at_top == 1 && headings[0].level == top && below >= 2 {
        top + 1
    } else {
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_section_per_heading_with_lines() {
        let file =
            parse("# pse/dsa/1\nUse a hash map.\n\nAnd a list.\n# What is CAP?\nPick two.\n");
        assert_eq!(file.sections.len(), 2);
        assert_eq!(file.sections[0].heading, "pse/dsa/1");
        assert_eq!(file.sections[0].line, 1);
        assert_eq!(file.sections[0].answer, "Use a hash map.\n\nAnd a list.");
        assert_eq!(file.sections[1].heading, "What is CAP?");
        assert_eq!(file.sections[1].line, 5);
        assert_eq!(file.sections[1].answer, "Pick two.");
    }

    #[test]
    fn deeper_headings_and_code_comments_stay_in_the_answer() {
        let text = "## pse/behavioural/1\n### Situation\nOutage.\n```python\n# not a heading\nx = 1\n```\n## pse/dsa/2\nTwo pointers.\n";
        let file = parse(text);
        assert_eq!(file.sections.len(), 2);
        assert!(file.sections[0].answer.contains("### Situation"));
        assert!(file.sections[0].answer.contains("# not a heading"));
        assert_eq!(file.sections[1].line, 8);
    }

    #[test]
    fn title_above_question_headings_is_skipped() {
        let text = "# Alice's answers\n\n## pse/dsa/1\nA.\n## pse/dsa/2\nB.\n";
        let file = parse(text);
        let headings: Vec<_> = file.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["pse/dsa/1", "pse/dsa/2"]);
        assert_eq!(file.sections[0].line, 3);
    }

    #[test]
    fn front_matter_names_the_candidate_and_shifts_nothing() {
        let text = "---\ncandidate: \"Alice B\"\n---\n# pse/dsa/1 #\nAnswer.\n";
        let file = parse(text);
        assert_eq!(file.candidate.as_deref(), Some("Alice B"));
        assert_eq!(file.sections[0].heading, "pse/dsa/1");
        assert_eq!(file.sections[0].line, 4);
    }

    #[test]
    fn text_without_headings_has_no_sections() {
        assert!(parse("just prose\n#hashtag\n").sections.is_empty());
    }
}
