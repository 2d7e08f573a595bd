//! `hone grade --save` (or the config key `grade.save = true`) records the attempt in the
//! practice history, so `hone progress` counts every grade, not only practice sessions.

use std::path::Path;

use serde_json::Value;

use crate::common::hone;

/// hone with a private home: history, config dir and data dir all under `home`.
fn hone_in(home: &Path) -> assert_cmd::Command {
    let mut cmd = hone();
    cmd.current_dir(home)
        .env("HONE_HOME", home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("HONE_DB");
    cmd
}

fn grade(home: &Path, extra: &[&str]) {
    let out = hone_in(home)
        .args(["grade", "pse/dsa/1", "answer.md", "--candidate", "ada"])
        .args(extra)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
}

/// Attempts `hone progress` counts for `ada`.
fn attempts(home: &Path) -> u64 {
    let out = hone_in(home)
        .args(["progress", "--all", "--format", "json"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let progress: Value = serde_json::from_slice(&out.stdout).unwrap();
    progress["overall"]["attempts"].as_u64().unwrap()
}

fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answer.md"),
        "An LRU cache keeps a hash map from key to node and a doubly linked list in recency order.\n",
    )
    .unwrap();
    dir
}

#[test]
fn grade_save_records_the_attempt_that_progress_then_shows() {
    let home = home();
    grade(home.path(), &[]);
    assert_eq!(attempts(home.path()), 0, "no --save, nothing recorded");
    grade(home.path(), &["--save"]);
    grade(home.path(), &["--save"]);
    assert_eq!(attempts(home.path()), 2);
    let out = hone_in(home.path())
        .args(["progress", "--candidate", "ada"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 attempts on 1 questions"), "{text}");
    assert!(!text.contains("No attempts yet"), "{text}");
}

#[test]
fn the_config_key_makes_saving_the_default_and_no_save_wins() {
    let home = home();
    let config = home.path().join("hone.toml");
    std::fs::write(&config, "[grade]\nsave = true\n").unwrap();
    let config = config.to_str().unwrap();
    grade(home.path(), &["--config", config]);
    assert_eq!(attempts(home.path()), 1);
    grade(home.path(), &["--config", config, "--no-save"]);
    assert_eq!(attempts(home.path()), 1);
}

#[test]
fn an_own_question_is_saved_too() {
    let home = home();
    grade_own(home.path());
    grade_own(home.path());
    let out = hone_in(home.path())
        .args(["history", "export"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    // The same question and reference are the same question in history.
    assert_eq!(lines[0]["question_id"], lines[1]["question_id"]);
    assert!(lines[0]["question_id"]
        .as_str()
        .unwrap()
        .starts_with("adhoc:"));
}

fn grade_own(home: &Path) {
    let out = hone_in(home)
        .args([
            "grade",
            "--question",
            "How does an LRU cache work?",
            "--reference-text",
            "A hash map gives O(1) lookup; a doubly linked list keeps recency order for eviction.",
            "answer.md",
            "--save",
        ])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
}
