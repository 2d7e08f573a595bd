//! Untrusted text made inert in Markdown (GitHub-flavoured, as job summaries and coaches'
//! viewers render it).
//!
//! Answers, question text, candidate names and history labels must read as the words they
//! are, never as markup: no raw HTML, no links or remote images (`[x](url)`, `![x](url)`), no
//! autolinked URLs or e-mail addresses, no `@mention`s, no emphasis or code spans that swallow
//! the rest of a line, no line breaks that end a table row or start a block. Terminal escape
//! sequences are dropped as well ([`super::terminal::safe`]).

/// Word joiner (U+2060): invisible, and breaks the patterns GitHub turns into links and
/// mentions (`@name`, `user@host`, `https://…`, `www.…`).
const JOINER: char = '\u{2060}';

/// `text` as inline Markdown that renders as the same words and nothing else: HTML characters
/// as entities, Markdown punctuation backslash-escaped (pipes too, so it is safe in a table
/// cell), line breaks as spaces, and a word joiner after `@`, inside `://` and after `www`.
pub fn inline(text: &str) -> String {
    let text = super::terminal::safe(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '~' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '@' => {
                out.push('@');
                out.push(JOINER);
            }
            ':' if chars.peek() == Some(&'/') => {
                out.push(':');
                out.push(JOINER);
            }
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|end| end.eq_ignore_ascii_case("www")) =>
            {
                out.push(JOINER);
                out.push('.');
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span (`` `text` ``): shown literally, so only what could end the
/// span or the line is replaced (backticks by `'`, line breaks by spaces).
pub fn code(text: &str) -> String {
    let text = super::terminal::safe(text)
        .replace('`', "'")
        .replace(['\n', '\r', '\t'], " ");
    format!("`{text}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_mentions_and_html_are_inert() {
        let hostile = "see [here](https://evil.example/x) ![px](http://evil.example/t.png) \
                       <img src=x onerror=alert(1)> @octocat mail a@b.co www.evil.example *bold*";
        let md = inline(hostile);
        for live in [
            "](", "![", "[here]", "<img", "@octocat", "a@b", "https://", "http://", "www.evil",
            "*bold*",
        ] {
            assert!(!md.contains(live), "`{live}` is still live in {md}");
        }
        let shown: String = md.chars().filter(|&c| c != '\\' && c != JOINER).collect();
        assert_eq!(
            shown.replace("&lt;", "<").replace("&gt;", ">"),
            hostile,
            "the words are kept"
        );
        assert_eq!(inline("a|b\nc\x1b]0;t\x07"), "a\\|b c");
        assert_eq!(code("x`y\nz"), "`x'y z`");
    }
}
