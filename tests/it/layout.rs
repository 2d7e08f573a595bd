//! What a person sees in a real terminal (tmux, 80 and 120 columns): feedback quotes, tips and
//! progress rows wrapped at spaces to the width, the banks' inline math as text.

use std::path::Path;

use crate::common::Pane;

const ANSWER: &str =
    "To build an LRU cache I keep a hash map from each key to its node in a doubly \
linked list, so that a lookup, a move of the node to the front of the list and an eviction from \
the tail all take constant time.\n";

/// hone grade (a ~190-character quote), show (inline math) and progress (long rows) in a pane
/// `width` columns wide; returns the screen.
fn screen_at(home: &Path, width: u16) -> Option<String> {
    std::fs::write(home.join("answer.md"), ANSWER).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("hone");
    let hone = format!(
        "{} HONE_HOME='{}' '{}'",
        crate::common::sealed_env_prefix(),
        home.display(),
        bin.display()
    );
    let command = format!(
        "cd '{}' && {hone} grade pse/dsa/1 answer.md --save --candidate tess && {hone} show pse/dsa/1 && {hone} progress --candidate tess",
        home.display()
    );
    let pane = Pane::start("layout", &command, width)?;
    Some(pane.finished_screen())
}

fn check_layout(width: u16) {
    let home = tempfile::tempdir().unwrap();
    let Some(screen) = screen_at(home.path(), width) else {
        return;
    };
    for line in screen.lines() {
        assert!(
            line.chars().count() <= usize::from(width),
            "a line wider than {width} columns:\n{line}\n\nscreen:\n{screen}"
        );
    }
    // The quote is there, whole words on every line, continuation under the opening quote.
    assert!(screen.contains("      \"To build an LRU cache"), "{screen}");
    let quote_end = "all take constant time.\"";
    let tail = screen
        .lines()
        .find(|l| l.contains("constant time.\""))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        tail.starts_with("       "),
        "continuation under the quote: {tail:?}"
    );
    let words: Vec<&str> = ANSWER.split_whitespace().collect();
    let start = screen.find("\"To build").unwrap();
    let end = screen[start..].find(quote_end).unwrap() + start + quote_end.len();
    let shown: Vec<&str> = screen[start + 1..end - 1].split_whitespace().collect();
    assert_eq!(shown, words, "no word is cut:\n{screen}");
    // Inline math as text.
    assert!(screen.contains("cache with O(1) time"), "{screen}");
    assert!(!screen.contains("$O(1)$"), "{screen}");
    // The progress rows fit as well (checked above) and are there.
    assert!(screen.contains("Practise next"), "{screen}");
}

#[test]
fn feedback_show_and_progress_fit_an_80_column_terminal() {
    check_layout(80);
}

#[test]
fn feedback_show_and_progress_fit_a_120_column_terminal() {
    check_layout(120);
}
