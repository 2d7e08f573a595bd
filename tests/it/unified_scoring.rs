//! One scorer everywhere: `hone eval`, `hone grade` and `hone batch` give the same (question,
//! answer) the identical score, for a bank question and for an ad-hoc reference, with the
//! shipped calibration and with `--calibration FILE` (a global flag every command takes).

use std::path::Path;

use serde_json::Value;

use crate::common::hone;

const BANK_ID: &str = "pse/dsa/2";
const BANK_ANSWER: &str = "Use a hash map from key to a node in a doubly linked list; on get \
    move the node to the front, on put insert at the front and evict the tail when full. Both \
    are O(1).";
const ADHOC_QUESTION: &str = "Why do databases use a write-ahead log?";
const ADHOC_REFERENCE: &str = "Changes are appended to a durable log before the data pages are \
    written, so after a crash the database replays the log to recover committed transactions \
    and undo incomplete ones. Sequential appends are also faster than random page writes.";
const ADHOC_ANSWER: &str = "It writes every change to a log first so that after a crash it can \
    replay the log and recover.";

fn run_json(dir: &Path, args: &[&str]) -> Value {
    let out = hone().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "hone {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Scores from `hone grade --format json`: (bank, ad hoc).
fn grade_scores(dir: &Path, extra: &[&str]) -> (f64, f64) {
    std::fs::write(dir.join("bank.txt"), BANK_ANSWER).unwrap();
    std::fs::write(dir.join("adhoc.txt"), ADHOC_ANSWER).unwrap();
    std::fs::write(dir.join("reference.txt"), ADHOC_REFERENCE).unwrap();
    let mut bank = vec!["grade", BANK_ID, "bank.txt", "--format", "json"];
    bank.extend(extra);
    let mut adhoc = vec![
        "grade",
        "--question",
        ADHOC_QUESTION,
        "--reference",
        "reference.txt",
        "adhoc.txt",
        "--format",
        "json",
    ];
    adhoc.extend(extra);
    (
        run_json(dir, &bank)["score"].as_f64().unwrap(),
        run_json(dir, &adhoc)["score"].as_f64().unwrap(),
    )
}

fn write_rows(dir: &Path) {
    let rows = [
        serde_json::json!({"question": BANK_ID, "answer": BANK_ANSWER, "score": 4}),
        serde_json::json!({"question": ADHOC_QUESTION, "reference": ADHOC_REFERENCE,
            "answer": ADHOC_ANSWER, "score": 3}),
    ];
    let text: Vec<String> = rows.iter().map(Value::to_string).collect();
    std::fs::write(dir.join("rows.jsonl"), text.join("\n")).unwrap();
}

/// Scores from `hone batch --format json`: (bank, ad hoc).
fn batch_scores(dir: &Path, extra: &[&str]) -> (f64, f64) {
    write_rows(dir);
    let mut args = vec!["batch", "rows.jsonl", "--format", "json", "-q"];
    args.extend(extra);
    let report = run_json(dir, &args);
    let records = report["records"].as_array().unwrap();
    let score_of = |line: u64| {
        records
            .iter()
            .find(|r| r["source"]["line"] == line)
            .unwrap()["grade"]["score"]
            .as_f64()
            .unwrap()
    };
    (score_of(1), score_of(2))
}

/// Per-question hone means from `hone eval --by-question` (one answer each): (bank, ad hoc).
fn eval_scores(dir: &Path, extra: &[&str]) -> (f64, f64) {
    write_rows(dir);
    let mut args = vec!["eval", "rows.jsonl", "--by-question", "--format", "json"];
    args.extend(extra);
    let report = run_json(dir, &args);
    let rows = report["summary"]["by_question"].as_array().unwrap();
    let mean_of = |needle: &str| {
        rows.iter()
            .find(|r| r["question"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no row for {needle}: {rows:?}"))["hone_mean"]
            .as_f64()
            .unwrap()
    };
    (mean_of(BANK_ID), mean_of("write-ahead"))
}

fn assert_same(extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let grade = grade_scores(dir.path(), extra);
    let batch = batch_scores(dir.path(), extra);
    let eval = eval_scores(dir.path(), extra);
    assert_eq!(grade, batch, "grade vs batch (bank, ad hoc) {extra:?}");
    // The eval table rounds nothing: the mean of one score is that score.
    assert!(
        (grade.0 - eval.0).abs() < 1e-9 && (grade.1 - eval.1).abs() < 1e-9,
        "grade {grade:?} vs eval {eval:?} {extra:?}"
    );
    assert!(
        grade.0 > 0.0 && grade.1 > 0.0,
        "both answers earn credit: {grade:?}"
    );
}

#[test]
fn eval_grade_and_batch_give_the_identical_score() {
    assert_same(&[]);
}

#[test]
fn calibration_flag_applies_to_grade_batch_and_eval_alike() {
    let dir = tempfile::tempdir().unwrap();
    // Everything scores 0.42 whatever the signals: a calibration that is easy to recognise.
    let calibration = dir.path().join("flat.toml");
    std::fs::write(
        &calibration,
        "version = 1\nfitted_on = \"test\"\nfeatures = []\nweights = []\nintercept = 0.42\n",
    )
    .unwrap();
    let path = calibration.to_str().unwrap();
    let flag = ["--calibration", path];
    let dir2 = tempfile::tempdir().unwrap();
    // The ad-hoc answer scores the flat 42; the bank answer at most 42 (a ceiling, such as a
    // missing core point, may hold it lower), and every command agrees.
    let graded = grade_scores(dir2.path(), &flag);
    assert_eq!(graded.1, 42.0);
    assert!(graded.0 <= 42.0, "{graded:?}");
    assert_eq!(batch_scores(dir2.path(), &flag), graded);
    assert_eq!(eval_scores(dir2.path(), &flag), graded);
    // The same from the environment and from the config file's `calibration` key.
    let out = hone()
        .current_dir(dir2.path())
        .env("HONE_CALIBRATION", path)
        .args(["batch", "rows.jsonl", "--format", "json", "-q"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["records"][0]["grade"]["score"], graded.0);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("calibration = {:?}\n", path)).unwrap();
    let out = hone()
        .current_dir(dir2.path())
        .env("HONE_CONFIG", &config)
        .args(["grade", BANK_ID, "bank.txt", "--format", "json"])
        .output()
        .unwrap();
    let grade: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(grade["score"], graded.0, "{grade}");
}

#[test]
fn practice_takes_the_calibration_flag() {
    let out = hone()
        .args(["practice", "--calibration", "/no/such/calibration.toml"])
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/no/such/calibration.toml"), "{stderr}");
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
}
