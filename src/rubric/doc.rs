//! The structure of a model answer: headings, bullets (with their bold lead-ins), paragraphs and
//! code blocks, with PDF-extraction debris mended (a bullet split by a blank line, a code block
//! split at a page break, a stray `}` line).

use std::sync::OnceLock;

use regex::Regex;

/// What a block of the answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A short title line ("Key Components", "Design Considerations:").
    Heading,
    /// A bullet, or a paragraph with a lead-in ("Key principles: …").
    Item,
    /// Running text.
    Para,
    /// A fenced code block.
    Code,
}

/// One block of a model answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// The lead-in of an item ("Hash Map" for `- **Hash Map:** Maps keys …`), cleaned.
    pub lead: Option<String>,
    /// The text: the body after the lead for items, the code for code blocks; markup kept.
    pub text: String,
    /// Whether the lead-in (or the whole block) was set in bold.
    pub bold_lead: bool,
    /// The nearest heading above this block.
    pub section: Option<String>,
    /// Whether the block was a bullet line (not a paragraph).
    pub bullet: bool,
}

/// Splits a model answer into blocks.
pub(crate) fn blocks(answer: &str) -> Vec<Block> {
    let mut parser = Parser::default();
    for line in answer.lines() {
        parser.line(line);
    }
    parser.finish()
}

#[derive(Default)]
struct Parser {
    out: Vec<Block>,
    pending: Vec<String>,
    pending_bullet: bool,
    in_code: bool,
    code: Vec<String>,
    /// True while nothing but blank lines or debris has followed the last code block.
    after_code: bool,
    section: Option<String>,
}

impl Parser {
    fn line(&mut self, line: &str) {
        let t = line.trim();
        if t.starts_with("```") {
            if self.in_code {
                self.push_code();
            } else {
                self.flush();
                self.in_code = true;
            }
            return;
        }
        if self.in_code {
            self.code.push(line.trim_end().to_string());
            return;
        }
        if t.is_empty() {
            self.flush();
            return;
        }
        if is_debris(t) {
            return;
        }
        self.after_code = false;
        if let Some(body) = bullet_body(t) {
            self.flush();
            self.promote_list_title();
            self.pending.push(body.to_string());
            self.pending_bullet = true;
            return;
        }
        if !self.pending.is_empty() {
            self.pending.push(t.to_string());
            return;
        }
        // A paragraph starting in lower case continues the block a page break cut in two.
        if t.chars().next().is_some_and(char::is_lowercase) {
            if let Some(last) = self.out.last_mut() {
                let open = !last.text.trim_end().ends_with(['.', ':', '!', '?']);
                if matches!(last.kind, BlockKind::Item | BlockKind::Para) && open {
                    last.text.push(' ');
                    last.text.push_str(t);
                    return;
                }
            }
        }
        self.pending.push(t.to_string());
        self.pending_bullet = false;
    }

    /// A short unpunctuated line right before a list ("Step 1: Establish baseline metrics")
    /// titles that list: it becomes a heading.
    fn promote_list_title(&mut self) {
        let Some(last) = self.out.last_mut() else {
            return;
        };
        let is_line = matches!(last.kind, BlockKind::Item | BlockKind::Para) && !last.bullet;
        let full = match &last.lead {
            Some(lead) => format!("{lead}: {}", last.text),
            None => last.text.clone(),
        };
        let plain = strip_bold(&full);
        if is_line
            && plain.split_whitespace().count() <= 8
            && !plain.trim_end().ends_with(['.', '!', '?', ',', ';'])
            && !plain.contains("O(")
        {
            let title = plain.trim().trim_end_matches(':').trim().to_string();
            last.kind = BlockKind::Heading;
            last.lead = None;
            last.text = title.clone();
            last.section = None;
            self.section = Some(title);
        }
    }

    fn push_code(&mut self) {
        self.in_code = false;
        let code = std::mem::take(&mut self.code).join("\n");
        let code = code.trim_matches('\n').to_string();
        if code.trim().is_empty() {
            return;
        }
        if self.after_code {
            if let Some(last) = self.out.last_mut().filter(|b| b.kind == BlockKind::Code) {
                last.text.push('\n');
                last.text.push_str(&code);
                return;
            }
        }
        self.out.push(Block {
            kind: BlockKind::Code,
            lead: None,
            text: code,
            bold_lead: false,
            section: self.section.clone(),
            bullet: false,
        });
        self.after_code = true;
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.pending);
        let text = lines.join(" ");
        let bullet = self.pending_bullet;
        self.pending_bullet = false;
        if !bullet && lines.len() == 1 && is_heading(&text) {
            let title = strip_bold(&text).trim_end_matches(':').trim().to_string();
            self.section = Some(title.clone());
            self.out.push(Block {
                kind: BlockKind::Heading,
                lead: None,
                text: title,
                bold_lead: text.starts_with("**"),
                section: None,
                bullet: false,
            });
            return;
        }
        let (lead, body, bold_lead) = split_lead(&text);
        let kind = if bullet || lead.is_some() {
            BlockKind::Item
        } else {
            BlockKind::Para
        };
        self.out.push(Block {
            kind,
            lead,
            text: body,
            bold_lead,
            section: self.section.clone(),
            bullet,
        });
    }

    fn finish(mut self) -> Vec<Block> {
        if self.in_code {
            self.push_code();
        }
        self.flush();
        self.out
    }
}

/// A line that is only brackets and punctuation left over from a code block (`}`, `);`).
fn is_debris(t: &str) -> bool {
    t.chars().all(|c| "{}()[];,".contains(c))
}

/// The text of a bullet line without its marker (`- `, `* `, `• `, `1. `, `2) `).
fn bullet_body(t: &str) -> Option<&str> {
    static BULLET: OnceLock<Regex> = OnceLock::new();
    let re = BULLET.get_or_init(|| Regex::new(r"^(?:[-*•]|\d{1,2}[.)])\s+").unwrap());
    re.find(t).map(|m| &t[m.end()..])
}

/// Whether a one-line paragraph is a heading: short, no sentence end, not "Lead: text".
fn is_heading(t: &str) -> bool {
    let plain = strip_bold(t);
    let plain = plain.trim();
    let words = plain.split_whitespace().count();
    let lead_with_text = plain
        .find(": ")
        .is_some_and(|p| !plain[p + 1..].trim().is_empty());
    let max_words = if plain.ends_with(':') { 5 } else { 8 };
    (1..=max_words).contains(&words)
        && !plain.ends_with(['.', '!', '?', ',', ';'])
        && !lead_with_text
        && !plain.contains("O(")
}

/// Splits an item into its lead-in and body: `**Hash Map:** Maps …` or `Key principles: Build …`.
fn split_lead(text: &str) -> (Option<String>, String, bool) {
    static BOLD_LEAD: OnceLock<Regex> = OnceLock::new();
    let re = BOLD_LEAD
        .get_or_init(|| Regex::new(r"^\*\*([^*]{1,80}?)\s*(?::\*\*|\*\*\s*:)\s*").unwrap());
    if let Some(c) = re.captures(text) {
        let lead = c[1].trim().trim_end_matches(':').trim().to_string();
        let body = text[c.get(0).expect("group 0").end()..].trim().to_string();
        return (Some(lead), body, true);
    }
    if let (Some(lead), rest) = super::claims::split_lead(text) {
        let words = lead.split_whitespace().count();
        if words <= 5 && !rest.trim().is_empty() {
            let bold = lead.starts_with("**");
            return (Some(strip_bold(lead)), rest.trim().to_string(), bold);
        }
    }
    (None, text.trim().to_string(), false)
}

/// Removes `**` bold markers.
pub(crate) fn strip_bold(text: &str) -> String {
    text.replace("**", "")
}

/// The bold spans of `text` (without markers), e.g. `["hash map", "doubly linked list"]`.
pub(crate) fn bold_spans(text: &str) -> Vec<String> {
    static BOLD: OnceLock<Regex> = OnceLock::new();
    let re = BOLD.get_or_init(|| Regex::new(r"\*\*([^*]+?)\*\*").unwrap());
    re.captures_iter(text)
        .map(|c| c[1].trim().trim_end_matches(':').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Plain text for people and similarity: no bold markers, no `$` maths delimiters, LaTeX
/// commands reduced to words (`\log` → `log`, `\text{target}` → `target`), spaces collapsed.
pub(crate) fn plain(text: &str) -> String {
    static TEXT_CMD: OnceLock<Regex> = OnceLock::new();
    let re = TEXT_CMD.get_or_init(|| Regex::new(r"\\(?:text|mathrm|mathbf)\{([^}]*)\}").unwrap());
    let s = re.replace_all(text, "$1");
    let mut s = s
        .replace("**", "")
        .replace('$', "")
        .replace("\\approx", "≈")
        .replace("\\dots", "...")
        .replace("\\cdot", "*")
        .replace("\\times", "×")
        .replace("\\$", "$")
        .replace('`', "");
    s = s.replace('\\', "");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LRU: &str = "LRU Cache Implementation\n\nAn **LRU cache** requires a combination of a **hash map** and a **doubly linked list**. The hash map provides $O(1)$ lookup, while the doubly linked list maintains the access order.\n\n- **Hash Map:** Maps keys to nodes in the linked list\n- **Doubly Linked List:** Stores key-value pairs with most recently used at the head\n- **Get Operation:** Move accessed node to head\n- **Put Operation:** Add new node at head, remove least recently used (tail) if capacity exceeded\n\n```\nclass LRUCache:\n    def __init__(self, capacity):\n        self.cache = {}\n```\n\nTime Complexity: $O(1)$ for both get and put operations";

    #[test]
    fn reads_headings_items_paragraphs_and_code() {
        let got = blocks(LRU);
        let kinds: Vec<BlockKind> = got.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(kinds, [Heading, Para, Item, Item, Item, Item, Code, Item]);
        assert_eq!(got[2].lead.as_deref(), Some("Hash Map"));
        assert_eq!(got[2].text, "Maps keys to nodes in the linked list");
        assert_eq!(got[2].section.as_deref(), Some("LRU Cache Implementation"));
        assert_eq!(got[7].lead.as_deref(), Some("Time Complexity"));
    }

    #[test]
    fn mends_page_break_debris() {
        let text = "- **Failure Tolerance:** Accept that 70% of experiments will fail. Measure learning\n\nvelocity, not just success rate\n\n```\nif (x) {\n```\n\n}\n\n```\n  y();\n}\n```";
        let got = blocks(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0]
            .text
            .ends_with("Measure learning velocity, not just success rate"));
        assert_eq!(got[1].text, "if (x) {\n  y();\n}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain("check if $(\\text{target} - \\text{number})$ exists in **the set**"),
            "check if (target - number) exists in the set"
        );
    }
}
