//! Untrusted text made safe to print on a terminal.
//!
//! Answers, questions, bank files, history imports and server replies may carry escape
//! sequences (a window title, an OSC 8 link, an OSC 52 clipboard write, a screen clear) or bare
//! control characters. [`safe`] is the one function every printer passes such text through
//! before it meets hone's own styles: ESC/CSI/OSC/DCS/SOS/PM/APC sequences are dropped whole
//! (parsed by `anstream`'s VT parser), then every remaining C0/C1 control and DEL except newline
//! and tab.

use std::borrow::Cow;

use crate::grade::Grade;

/// `text` without terminal escape sequences or control characters (newline and tab kept).
/// Text that has none is returned as is, without copying.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let stripped = anstream::adapter::strip_str(text).to_string();
    Cow::Owned(stripped.chars().filter(|&c| !is_unsafe(c)).collect())
}

/// A copy of `grade` whose every text field has been through [`safe`] (the LLM outcome is left
/// as is: its printer, `feedback::llm_outcome_text`, cleans its own text).
pub fn safe_grade(grade: &Grade) -> Grade {
    fn clean(text: &mut String) {
        if let Cow::Owned(cleaned) = safe(text) {
            *text = cleaned;
        }
    }
    let mut grade = grade.clone();
    clean(&mut grade.question_id);
    for p in &mut grade.points {
        clean(&mut p.label);
        p.evidence.iter_mut().chain(&mut p.examples).for_each(clean);
    }
    for w in &mut grade.wrong_claims {
        [&mut w.claim, &mut w.correction, &mut w.evidence]
            .into_iter()
            .for_each(clean);
    }
    for e in &mut grade.claim_errors {
        [
            &mut e.operation,
            &mut e.expected,
            &mut e.found,
            &mut e.evidence,
        ]
        .into_iter()
        .for_each(clean);
    }
    for f in &mut grade.flags {
        [&mut f.code, &mut f.message].into_iter().for_each(clean);
    }
    if let Some(star) = &mut grade.star {
        star.elements
            .iter_mut()
            .filter_map(|e| e.evidence.as_mut())
            .for_each(clean);
        for c in &mut star.competencies {
            clean(&mut c.name);
            c.evidence.iter_mut().for_each(clean);
        }
    }
    grade.improvements.iter_mut().for_each(clean);
    grade
}

/// A control character a terminal may act on: C0 (but newline and tab), DEL and C1.
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn sequences_and_controls_are_dropped_text_newlines_and_tabs_kept() {
        let hostile = "a\x1b]0;owned\x07b\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\c\x1b[2J\x1b[31md\
                       \x1bP+q\x1b\\e\x1b]52;c;aGk=\x07f\r\x08\x7f\u{9b}31mg\u{90}h\x1bci\n\tj";
        assert_eq!(safe(hostile), "ablinkcdef31mghi\n\tj");
        assert!(matches!(
            safe("plain, é ✓\n\ttext"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(safe("unterminated \x1b]0;title"), "unterminated ");
    }
}
