//! Whole-output snapshots (insta): every batch report format, the text feedback of `hone grade`
//! and `--help` of each command, pinned in full under `tests/it/snapshots/`.
//!
//! Filters replace what differs between machines and runs: temp paths, the version and commit,
//! content hashes, timestamps and durations. After an intended change to the output, review the
//! diffs with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test it whole_output`
//! then `git diff`). The inputs are chosen so that structure dominates: an empty answer and an
//! off-topic one (their scores barely depend on how the scorer is tuned).

use std::path::Path;

use crate::common::{hone, sealed_home};

/// Filters for output that differs between machines and runs.
fn settings(dir: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    let escape = |p: &Path| regex::escape(&p.display().to_string());
    let mut filters: Vec<(String, String)> = vec![
        (escape(dir), "[DIR]".into()),
        (escape(&sealed_home()), "[HOME]".into()),
        (
            regex::escape(env!("CARGO_PKG_VERSION")) + r"(\+[0-9a-f]+)?( \([^)]*\))?",
            "[VERSION]".into(),
        ),
        // Content hashes: record keys, the grader fingerprint, commit ids.
        (r"\b[0-9a-f]{7,64}\b".into(), "[HASH]".into()),
        // RFC 3339 timestamps and durations.
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})".into(),
            "[TIME]".into(),
        ),
        (r"\b\d+(\.\d+)?\s?(ms|µs|s)\b".into(), "[DURATION]".into()),
    ];
    for (from, to) in filters.drain(..) {
        settings.add_filter(&from, to);
    }
    settings
}

/// Two answers to one bank question: an off-topic one and an empty one.
fn answers(dir: &Path) {
    std::fs::write(
        dir.join("answers.jsonl"),
        concat!(
            r#"{"question":"pse/dsa/1","answer":"I do not know.","candidate":"ana"}"#,
            "\n",
            r#"{"question":"pse/dsa/1","answer":"","candidate":"ben"}"#,
            "\n",
        ),
    )
    .unwrap();
}

/// stdout of `hone batch answers.jsonl --min-score 50 -q --format FORMAT`, with its exit code.
fn batch_report(format: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    answers(dir.path());
    let out = hone()
        .current_dir(dir.path())
        .args(["batch", "answers.jsonl", "--min-score", "50", "-q"])
        .args(["--format", format])
        .output()
        .unwrap();
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, dir.path().display().to_string())
}

fn snapshot_batch(format: &str) {
    let (text, dir) = batch_report(format);
    settings(Path::new(&dir)).bind(|| {
        insta::assert_snapshot!(format!("batch_{format}"), text);
    });
}

#[test]
fn batch_text_report() {
    snapshot_batch("text");
}

#[test]
fn batch_json_report() {
    snapshot_batch("json");
}

#[test]
fn batch_junit_report() {
    snapshot_batch("junit");
}

#[test]
fn batch_markdown_report() {
    snapshot_batch("markdown");
}

#[test]
fn batch_github_report() {
    snapshot_batch("github");
}

#[test]
fn batch_html_report() {
    snapshot_batch("html");
}

/// The feedback a person reads after `hone grade`, for a question of their own.
#[test]
fn grade_text_feedback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answer.md"),
        "A mutex is a lock: one thread at a time holds it.\n",
    )
    .unwrap();
    let out = hone()
        .current_dir(dir.path())
        .args([
            "grade",
            "--question",
            "What is a mutex and when would you use one?",
        ])
        .args([
            "--reference-text",
            "A mutex (mutual exclusion lock) ensures only one thread enters a critical section \
             at a time. Use it to protect shared mutable state such as counters or caches from \
             data races. Keep critical sections short to limit contention, and avoid deadlock \
             by acquiring locks in a fixed order.",
        ])
        .arg("answer.md")
        .output()
        .unwrap();
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    settings(dir.path()).bind(|| insta::assert_snapshot!("grade_text", text));
}

/// `--help` of hone and of every command and subcommand, in one snapshot each.
#[test]
fn help_of_each_command() {
    let commands: &[&[&str]] = &[
        &[],
        &["list"],
        &["show"],
        &["rubric"],
        &["rubric", "build"],
        &["rubric", "check"],
        &["grade"],
        &["eval"],
        &["calibrate"],
        &["batch"],
        &["merge"],
        &["practice"],
        &["progress"],
        &["coach"],
        &["history"],
        &["history", "export"],
        &["history", "import"],
        &["history", "clear"],
        &["completions"],
        &["man"],
    ];
    let dir = tempfile::tempdir().unwrap();
    for command in commands {
        let out = hone().args(*command).arg("--help").output().unwrap();
        assert!(out.status.success(), "hone {command:?} --help failed");
        let name = if command.is_empty() {
            "help_hone".to_string()
        } else {
            format!("help_hone_{}", command.join("_"))
        };
        settings(dir.path()).bind(|| {
            insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stdout));
        });
    }
}
