//! Fits text for a person to the terminal: each line too long for the width is wrapped at
//! spaces (textwrap), continuation lines hanging under the text after a list mark (`✓`, `1.`),
//! an opening quote or an id column, so quotes, tips and rows read as blocks. ANSI styles are
//! kept and take no width. Output that is not a terminal (pipes, files) is left unwrapped unless
//! `$COLUMNS` asks for a width.

use std::sync::OnceLock;

use regex::Regex;

/// Narrowest width wrapped to; a narrower terminal gets this width (its own wrapping does the rest).
const MIN_WIDTH: usize = 30;

/// The width to wrap standard output to: the terminal's, else `$COLUMNS`, else `None`.
pub fn stdout_width() -> Option<usize> {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(std::io::stdout()) {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS").ok()?.trim().parse().ok()
}

/// `text` with the banks' inline math as text, wrapped to `width` when there is one.
pub fn for_terminal(text: &str, width: Option<usize>) -> String {
    let text = super::math::plain_math(text);
    match width {
        Some(width) => wrap(&text, width),
        None => text.into_owned(),
    }
}

/// Every line of `text` longer than `width` columns wrapped at spaces, continuation lines
/// indented under the line's text (see [`hang`]).
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let plain = anstream::adapter::strip_str(body).to_string();
        let mut indent = hang(&plain);
        if indent > width / 2 {
            indent = leading_spaces(&plain).min(width / 2);
        }
        let (first, rest) = split_visible(body, indent);
        let hanging = " ".repeat(indent);
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(&hanging)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            // `ready-made` stays whole: only words wider than the line are broken.
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        out.push_str(&textwrap::fill(rest, options));
        out.push_str(newline);
    }
    out
}

/// A writer that lays out whole lines with [`for_terminal`] as they are completed; a partial
/// line (a prompt) is written as it is when flushed, so the cursor waits after it.
pub struct TerminalWriter<W: std::io::Write> {
    inner: W,
    width: Option<usize>,
    pending: Vec<u8>,
}

impl<W: std::io::Write> TerminalWriter<W> {
    /// Lays out what is written to `inner` for a terminal `width` columns wide (`None`: math only).
    pub fn new(inner: W, width: Option<usize>) -> Self {
        Self {
            inner,
            width,
            pending: Vec::new(),
        }
    }

    fn write_pending(&mut self, whole_lines: bool) -> std::io::Result<()> {
        let end = if whole_lines {
            match self.pending.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => return Ok(()),
            }
        } else {
            self.pending.len()
        };
        let chunk: Vec<u8> = self.pending.drain(..end).collect();
        let text = String::from_utf8_lossy(&chunk);
        let laid_out = if whole_lines {
            for_terminal(&text, self.width)
        } else {
            super::math::plain_math(&text).into_owned()
        };
        self.inner.write_all(laid_out.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.write_pending(true)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.write_pending(false)?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for TerminalWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Columns continuation lines are indented by: the leading spaces, plus a list mark (`✓ `,
/// `12. `), an opening quote, or a first column set off by two or more spaces (`pse/dsa/1   `).
fn hang(plain: &str) -> usize {
    static MARK: OnceLock<Regex> = OnceLock::new();
    let mark = MARK.get_or_init(|| {
        Regex::new(r#"^(?:[✓~✗!•*-] |\d{1,3}\. |"|\S+ {2,})"#).expect("valid pattern")
    });
    let lead = leading_spaces(plain);
    let rest = &plain[lead..];
    lead + mark
        .find(rest)
        .map_or(0, |m| textwrap::core::display_width(m.as_str()))
}

/// `line` split after `columns` visible columns; escape sequences take no width and stay with
/// the part they appear in.
fn split_visible(line: &str, columns: usize) -> (&str, &str) {
    let mut seen = 0;
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c == '\u{1b}' {
            chars.next();
            if chars.peek().is_some_and(|&(_, c)| c == '[') {
                chars.next();
                // Parameters, then one final byte in `@`..=`~`.
                for (_, c) in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        if seen >= columns {
            return (&line[..i], &line[i..]);
        }
        seen += textwrap::core::display_width(&line[i..i + c.len_utf8()]);
        chars.next();
    }
    (line, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUOTE: &str = "      \"I keep a dictionary from each key to its node in a doubly linked list so that a lookup, a move to the front and an eviction from the tail all take constant time\"\n";

    #[test]
    fn a_long_quote_wraps_at_spaces_under_its_opening_quote() {
        let text = wrap(QUOTE, 80);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() >= 3, "{text}");
        for line in &lines {
            assert!(line.chars().count() <= 80, "{line:?} is too long");
        }
        assert!(lines[0].starts_with("      \"I keep"), "{text}");
        for line in &lines[1..] {
            assert!(
                line.starts_with("       ") && !line.starts_with("        "),
                "{line:?}"
            );
        }
        // No word is cut: the words are those of the quote, in order.
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&text), words(QUOTE));
    }

    #[test]
    fn marks_numbers_and_id_columns_hang_their_continuations() {
        let tip = format!(
            "  12. {}\n",
            "add the doubly linked list that keeps recency order ".repeat(3)
        );
        let wrapped = wrap(&tip, 60);
        assert!(
            wrapped
                .lines()
                .skip(1)
                .all(|l| l.starts_with("      ") && !l.starts_with("       ")),
            "{wrapped}"
        );
        let row = format!(
            "  pse/concepts/1   {}  (never tried)\n",
            "How do you design an API that stays compatible ".repeat(2)
        );
        let wrapped = wrap(&row, 70);
        assert!(
            wrapped
                .lines()
                .skip(1)
                .all(|l| l.starts_with(&" ".repeat(19))),
            "{wrapped}"
        );
    }

    #[test]
    fn the_writer_lays_out_whole_lines_and_passes_prompts_through() {
        use std::io::Write;
        let mut out = Vec::new();
        {
            let mut w = TerminalWriter::new(&mut out, Some(40));
            write!(
                w,
                "Cache with $O(1)$ get; {}",
                "and put in constant time ".repeat(2)
            )
            .unwrap();
            writeln!(w, "done").unwrap();
            write!(w, "[q] quit > ").unwrap();
            w.flush().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Cache with O(1) get;"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.ends_with("done\n[q] quit > "), "{text:?}");
    }

    #[test]
    fn styles_take_no_width_and_short_lines_are_untouched() {
        let styled = format!(
            "  \u{1b}[32m✓\u{1b}[0m {}\n",
            "hash map for constant time lookup ".repeat(4)
        );
        let wrapped = wrap(&styled, 60);
        let plain = anstream::adapter::strip_str(&wrapped).to_string();
        assert!(plain.lines().all(|l| l.chars().count() <= 60), "{plain}");
        assert!(
            plain
                .lines()
                .skip(1)
                .all(|l| l.starts_with("    ") && !l.starts_with("     ")),
            "{plain}"
        );
        assert!(wrapped.contains("\u{1b}[32m✓\u{1b}[0m"), "{wrapped:?}");
        assert_eq!(wrap("short\n\nlines\n", 40), "short\n\nlines\n");
    }
}
