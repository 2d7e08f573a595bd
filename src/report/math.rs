//! The banks' inline LaTeX (`$O(\log n)$`, `$62^7 \approx 3.5$`) as plain text for a terminal
//! (`O(log n)`, `62⁷ ≈ 3.5`). Display only: rubrics, grading and JSON keep the text as written.
//!
//! A span is `$…$` on one line, at most [`MAX_SPAN`] characters, that opens before a non-space
//! (and not `${`, a JavaScript template) and closes after a non-space, not followed by a letter
//! or digit: so prices (`$5 and $10`) and shell variables (`$HOME/$USER`) stay as they are.

use std::borrow::Cow;

/// Longest inline formula rendered, in characters.
const MAX_SPAN: usize = 80;

/// `text` with each inline formula rendered as plain text.
pub fn plain_math(text: &str) -> Cow<'_, str> {
    if !text.contains('$') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut before: Option<char> = None;
    while let Some(open) = rest.find('$') {
        out.push_str(&rest[..open]);
        before = rest[..open].chars().next_back().or(before);
        let after_open = &rest[open + 1..];
        match span(before, after_open) {
            Some(len) => {
                out.push_str(&render(&after_open[..len]));
                before = after_open[..len].chars().next_back();
                rest = &after_open[len + 1..];
            }
            None => {
                out.push('$');
                before = Some('$');
                rest = after_open;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Length in bytes of the formula starting right after an opening `$`, when it is one.
fn span(before: Option<char>, text: &str) -> Option<usize> {
    if before.is_some_and(|c| c.is_alphanumeric() || c == '\\' || c == '$') {
        return None;
    }
    let first = text.chars().next()?;
    if first.is_whitespace() || first == '{' || first == '$' {
        return None;
    }
    let close = text
        .char_indices()
        .take(MAX_SPAN)
        .take_while(|&(_, c)| c != '\n')
        .find(|&(_, c)| c == '$')?
        .0;
    let inner = &text[..close];
    let last = inner.chars().next_back()?;
    let next = text[close + 1..].chars().next();
    if last.is_whitespace() || last == '\\' || next.is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(close)
}

/// One formula as text: commands to symbols or words, `\text{…}` to its text, `^2` to `²`.
fn render(formula: &str) -> String {
    let mut out = String::with_capacity(formula.len());
    let mut chars = formula.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                    name.push(n);
                    chars.next();
                }
                if name.is_empty() {
                    // `\_`, `\{`, `\%`, `\,` …: the character itself (a thin space as a space).
                    match chars.next() {
                        Some(',' | ';' | ' ') => out.push(' '),
                        Some(other) => out.push(other),
                        None => {}
                    }
                    continue;
                }
                match command(&name) {
                    Some(symbol) => out.push_str(symbol),
                    // `\text{…}` and friends, and any command hone does not know: its argument
                    // (or its name) as written.
                    None if chars.peek() == Some(&'{') => {}
                    None => out.push_str(&name),
                }
            }
            '^' => {
                let group = take_group(&mut chars);
                match superscript(&group) {
                    Some(sup) => out.push_str(&sup),
                    None if group.chars().count() == 1 => {
                        out.push('^');
                        out.push_str(&group);
                    }
                    None => {
                        out.push_str("^(");
                        out.push_str(&render(&group));
                        out.push(')');
                    }
                }
            }
            '{' | '}' => {}
            other => out.push(other),
        }
    }
    out
}

/// The symbol or word a LaTeX command stands for; `None` for those whose argument is shown.
fn command(name: &str) -> Option<&'static str> {
    Some(match name {
        "log" => "log",
        "ln" => "ln",
        "approx" => "≈",
        "sim" => "~",
        "times" => "×",
        "cdot" => "·",
        "dots" | "ldots" | "cdots" => "…",
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "ne" | "neq" => "≠",
        "to" | "rightarrow" => "→",
        "leftarrow" => "←",
        "infty" => "∞",
        "sqrt" => "√",
        "sum" => "Σ",
        "in" => "∈",
        "lfloor" => "⌊",
        "rfloor" => "⌋",
        "lceil" => "⌈",
        "rceil" => "⌉",
        "quad" | "qquad" => " ",
        // `\text`, `\mathrm`, `\operatorname` … show their argument; unknown commands their name.
        _ => return None,
    })
}

/// The argument of `^`: a `{…}` group or one character.
fn take_group(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    if chars.peek() != Some(&'{') {
        return chars.next().map(String::from).unwrap_or_default();
    }
    chars.next();
    let mut depth = 1;
    let mut group = String::new();
    for c in chars.by_ref() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        group.push(c);
    }
    group
}

/// `text` in superscript characters, when every character has one.
fn superscript(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    text.chars()
        .map(|c| {
            Some(match c {
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                '+' => '⁺',
                '-' => '⁻',
                'n' => 'ⁿ',
                'k' => 'ᵏ',
                'i' => 'ⁱ',
                _ => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::plain_math;

    #[test]
    fn the_banks_formulas_read_as_text() {
        for (latex, text) in [
            ("with $O(1)$ time", "with O(1) time"),
            ("$O(\\log n)$ insert", "O(log n) insert"),
            ("$O(n \\log n)$", "O(n log n)"),
            ("better than $O(n^2)$.", "better than O(n²)."),
            ("$62^7 \\approx 3.5$ trillion", "62⁷ ≈ 3.5 trillion"),
            ("$1+2+4+\\dots+n = 2n-1$", "1+2+4+…+n = 2n-1"),
            ("$(\\text{target} - \\text{number})$", "(target - number)"),
            (
                "$O(\\text{ALPHABET_SIZE} * N * M)$",
                "O(ALPHABET_SIZE * N * M)",
            ),
            ("$R + W > N$ and $W=1, R=1$", "R + W > N and W=1, R=1"),
            ("$2^{10}$ and $2^{m+1}$", "2¹⁰ and 2^(m+1)"),
        ] {
            assert_eq!(plain_math(latex), text, "{latex}");
        }
    }

    #[test]
    fn dollars_that_are_not_formulas_stay() {
        for text in [
            "costs $5 and $10 a month",
            "`${now}-${Math.random()}`",
            "cd $HOME/$USER",
            "a lone $ sign",
            "$ 5 $",
            "no dollars at all",
        ] {
            assert_eq!(plain_math(text), text);
        }
    }
}
