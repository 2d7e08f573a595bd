//! Hostile text and awkward input (issue 11, items 11–18): escape sequences in answers,
//! questions and bank files never reach the terminal; Markdown and JUnit reports stay inert and
//! well-formed; byte-order marks and symlink loops in answer folders are handled.

use std::path::{Path, PathBuf};

use crate::common::hone;

/// What a terminal would act on: a window title (OSC 0), a hyperlink (OSC 8), a clipboard write
/// (OSC 52), a screen clear and cursor move (CSI), a bell, and a C1 CSI asking for a report.
const HOSTILE: &str = "\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\
                       \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[H\u{9b}6n";

/// `hone` with colour forced on, as on a terminal: anstream then passes every byte through.
fn hone_coloured(home: &Path) -> assert_cmd::Command {
    let mut cmd = hone();
    cmd.env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .env("HONE_HOME", home)
        .env_remove("HONE_DB");
    cmd
}

/// Asserts that `bytes` hold none of the sequences or controls of [`HOSTILE`].
fn assert_inert(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    for live in ["\x1b]", "\x1b[2J", "\x1b[H", "\x07", "\u{9b}"] {
        assert!(
            !text.contains(live),
            "{what}: {live:?} reached the terminal: {text:?}"
        );
    }
}

/// A JSONL bank whose one question (and model answer) carries [`HOSTILE`]; returns its path
/// and the question's id.
fn hostile_bank(dir: &Path) -> (PathBuf, String) {
    let path = dir.join("evil.jsonl");
    let row = serde_json::json!({
        "id": "caching/1",
        "section": format!("Caching{HOSTILE}"),
        "question": format!("What is a write-through cache?{HOSTILE}"),
        "answer": format!("A write-through cache writes to the cache and the backing store at the same time.{HOSTILE}"),
    });
    std::fs::write(&path, row.to_string() + "\n").unwrap();
    let out = hone()
        .arg("--bank-file")
        .arg(&path)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let id = rows
        .iter()
        .find(|r| {
            r["question"]
                .as_str()
                .unwrap()
                .starts_with("What is a write-through")
        })
        .expect("the bank question is listed")["id"]
        .as_str()
        .unwrap()
        .to_string();
    (path, id)
}

#[test]
fn list_show_grade_and_errors_never_print_escape_sequences_from_banks_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (bank, id) = hostile_bank(dir.path());
    let run = |args: &[&str]| {
        hone_coloured(dir.path())
            .arg("--bank-file")
            .arg(&bank)
            .args(args)
            .output()
            .unwrap()
    };

    let list = run(&["list"]);
    assert!(list.status.success());
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("\x1b["),
        "colour is on, so hone's own styles pass through"
    );
    assert_inert(&list.stdout, "hone list");

    let show = run(&["show", &id, "--model-answer", "--rubric"]);
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    assert!(String::from_utf8_lossy(&show.stdout).contains("write-through cache?click"));
    assert_inert(&show.stdout, "hone show");

    let answer = dir.path().join("answer.md");
    std::fs::write(
        &answer,
        format!(
            "A write-through cache writes to the cache and{HOSTILE} the backing store at the same time.\n"
        ),
    )
    .unwrap();
    let grade = run(&["grade", &id, answer.to_str().unwrap()]);
    assert!(
        grade.status.success(),
        "{}",
        String::from_utf8_lossy(&grade.stderr)
    );
    assert!(String::from_utf8_lossy(&grade.stdout).contains("/100"));
    assert_inert(&grade.stdout, "hone grade");

    let unknown = run(&["show", "nope\x1b]0;title\x07\x1b[2J"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown question `nope"));
    assert_inert(&unknown.stderr, "an error quoting the query");
}

#[test]
fn batch_summary_and_warnings_never_print_escape_sequences_from_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in\x1b]0;title\x07\x1b[2J.jsonl");
    let rows = [
        serde_json::json!({"question": "pse/dsa/1", "answer": format!("A hash map{HOSTILE} and a list."), "candidate": format!("ann{HOSTILE}")}),
        serde_json::json!({"question": format!("Why{HOSTILE}?"), "answer": "no such question"}),
    ];
    let text: String = rows.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(&input, text).unwrap();
    let out = hone_coloured(dir.path())
        .current_dir(dir.path())
        .arg("batch")
        .arg(input.file_name().unwrap())
        .args(["--min-score", "90"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("needs attention"), "{stdout}");
    assert!(stderr.contains("warning: in"), "{stderr}");
    assert_inert(&out.stdout, "batch summary");
    assert_inert(&out.stderr, "batch warnings");

    let github = hone_coloured(dir.path())
        .current_dir(dir.path())
        .arg("batch")
        .arg(input.file_name().unwrap())
        .args(["--min-score", "90", "--format", "github", "-q"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&github.stdout).contains("::error file=in"),
        "{}",
        String::from_utf8_lossy(&github.stdout)
    );
    assert_inert(&github.stdout, "GitHub annotations in the job log");
}

#[test]
fn practice_never_prints_escape_sequences_from_the_bank_or_the_typed_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (bank, id) = hostile_bank(dir.path());
    let out = hone_coloured(dir.path())
        .arg("--bank-file")
        .arg(&bank)
        .args(["practice", "--candidate", "tess", "--id", &id])
        .write_stdin(format!(
            "A write-through cache writes to the cache{HOSTILE} and the store.\n.\nk\nm\nwhat{HOSTILE}\nq\n"
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("write-through cache?click"), "{stdout}");
    assert!(stdout.contains("Key points"), "{stdout}");
    assert!(stdout.contains("Model answer"), "{stdout}");
    assert_inert(&out.stdout, "hone practice");
}

/// Runs `hone batch` over `rows` (JSON objects, one per line) with `args`; returns stdout.
fn batch_rows(dir: &Path, rows: &[serde_json::Value], args: &[&str]) -> String {
    let input = dir.join("in.jsonl");
    let text: String = rows.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(&input, text).unwrap();
    let out = hone().arg("batch").arg(&input).args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn markdown_summary_shows_links_images_and_mentions_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "@octocat [click](https://evil.example/x) ![px](https://evil.example/t.png) \
                   <img src=x onerror=alert(1)> www.evil.example";
    let md = batch_rows(
        dir.path(),
        &[
            serde_json::json!({"question": "pse/dsa/1", "answer": "A hash map.", "candidate": hostile}),
            serde_json::json!({"question": format!("Explain {hostile}"), "answer": "x"}),
        ],
        &["--format", "markdown", "--min-score", "50"],
    );
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(table.len(), 3, "{md}");
    for live in ["](", "![", "<img", "@octocat", "https://", "www.evil"] {
        assert!(
            !md.contains(live),
            "`{live}` is live in the job summary:\n{md}"
        );
    }
    assert!(md.contains("octocat"), "{md}");
}

#[test]
fn junit_stays_well_formed_with_noncharacters_in_names() {
    let dir = tempfile::tempdir().unwrap();
    let xml = batch_rows(
        dir.path(),
        &[
            serde_json::json!({"question": "pse/dsa/1", "answer": "A hash map.", "candidate": "ann\u{fffe}\u{ffff}"}),
            serde_json::json!({"question": "Why\u{ffff}?", "answer": "x"}),
        ],
        &["--format", "junit", "--min-score", "50"],
    );
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    // One test case per answer, besides the run's own verdict (classname `hone`).
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("classname") != Some("hone"))
        .count();
    assert_eq!(cases, 2, "{xml}");
}

#[test]
fn a_byte_order_mark_neither_breaks_the_first_jsonl_row_nor_hides_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(
        &jsonl,
        "\u{feff}{\"question\": \"pse/dsa/1\", \"answer\": \"A hash map and a doubly linked list.\"}\n",
    )
    .unwrap();
    let md = dir.path().join("answers.md");
    std::fs::write(
        &md,
        "\u{feff}---\ncandidate: zoe\n---\n# pse/dsa/1\nA hash map and a doubly linked list.\n",
    )
    .unwrap();
    let out = hone()
        .arg("batch")
        .arg(&jsonl)
        .arg(&md)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = report["records"].as_array().unwrap();
    assert_eq!(records.len(), 2, "{report:#}");
    for r in records {
        assert_eq!(r["status"], "graded", "{r:#}");
    }
    let from_md = records
        .iter()
        .find(|r| {
            r["source"]["file"]
                .as_str()
                .unwrap()
                .ends_with("answers.md")
        })
        .unwrap();
    assert_eq!(from_md["candidate"], "zoe", "{from_md:#}");
}

#[cfg(unix)]
#[test]
fn a_folder_with_a_symlink_loop_grades_each_answer_once() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir_all(answers.join("more")).unwrap();
    std::fs::write(
        answers.join("a.md"),
        "# pse/dsa/1\nA hash map and a doubly linked list.\n",
    )
    .unwrap();
    std::fs::write(answers.join("more/b.md"), "# pse/dsa/1\nA hash map.\n").unwrap();
    std::os::unix::fs::symlink("..", answers.join("up")).unwrap();
    std::os::unix::fs::symlink("..", answers.join("more/back")).unwrap();
    std::os::unix::fs::symlink("../a.md", answers.join("more/again.md")).unwrap();
    std::os::unix::fs::symlink("gone.md", answers.join("more/dangling.md")).unwrap();
    let out = hone()
        .arg("batch")
        .arg(&answers)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        !out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"]["file"].as_str().unwrap())
        .collect();
    // a.md once (not again through `up`, `back` or `again.md`), b.md, and the dangling link as
    // an error row naming it.
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("more/dangling.md")),
        "{files:?}"
    );
}

/// In a real terminal (tmux): the bank's window-title sequence never retitles the pane, and the
/// question reads as plain text.
#[test]
fn a_real_terminal_keeps_its_title_when_a_bank_question_carries_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let (bank, id) = hostile_bank(dir.path());
    let bin = assert_cmd::cargo::cargo_bin("hone");
    // The pane titles itself first; a live OSC 0 from hone would replace the title with "pwned".
    let command = format!(
        "printf '\\033]2;untouched\\033\\\\'; env -u NO_COLOR -u HONE_DB -u COLUMNS HONE_HOME='{}' '{}' --bank-file '{}' show '{}' --model-answer",
        dir.path().display(),
        bin.display(),
        bank.display(),
        id
    );
    let Some(pane) = crate::common::Pane::start("hostile", &command, 120) else {
        return;
    };
    let screen = pane.finished_screen();
    assert!(
        screen.contains("What is a write-through cache?click"),
        "{screen}"
    );
    let title = pane.tmux(&["display-message", "-p", "-t", "t", "#{pane_title}"]);
    assert_eq!(
        title.trim(),
        "untouched",
        "hone retitled the terminal:\n{screen}"
    );
    assert!(!screen.contains("pwned"), "{screen}");
}
