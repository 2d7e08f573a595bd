//! Errors that point the way: an answer file given without its question id, a question of
//! one's own typed as an id, a reference given as text, an unknown candidate, a report format
//! that cannot be told from `--out`.

use std::path::Path;

use crate::common::hone;

/// Runs hone in `dir` with a private, empty history; returns (exit code, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = hone()
        .current_dir(dir)
        .env("HONE_HOME", dir)
        .env_remove("HONE_DB")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answer.md"),
        "A stack supports push and pop.\n",
    )
    .unwrap();
    dir
}

#[test]
fn an_answer_file_without_its_question_id_says_the_id_is_missing() {
    let dir = scratch();
    let (code, err) = run_in(dir.path(), &["grade", "answer.md"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("question id is missing"), "{err}");
    assert!(err.contains("hone grade ID answer.md"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn a_question_of_ones_own_points_to_question_and_reference() {
    let dir = scratch();
    let (code, err) = run_in(
        dir.path(),
        &["grade", "How do you reverse a string in Rust", "answer.md"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--question TEXT"), "{err}");
    assert!(err.contains("--reference FILE"), "{err}");
    assert!(
        !err.contains("did you mean"),
        "no unrelated suggestion: {err}"
    );
}

#[test]
fn reference_text_is_accepted_and_text_given_to_reference_gets_a_hint() {
    let dir = scratch();
    let (code, err) = run_in(
        dir.path(),
        &[
            "grade",
            "--question",
            "What does a stack support?",
            "--reference",
            "push and pop",
            "answer.md",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("cannot read push and pop"), "{err}");
    assert!(err.contains("--reference-text"), "{err}");
    let out = hone()
        .current_dir(dir.path())
        .args([
            "grade",
            "--question",
            "What does a stack support?",
            "--reference-text",
            "A stack supports push and pop, both in constant time; it is last in, first out.",
            "answer.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let grade: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(grade["score"].as_f64().unwrap() > 0.0, "{grade}");
}

#[test]
fn an_unknown_candidate_is_an_error_listing_the_known_ones() {
    let dir = scratch();
    // One saved attempt by `ada`.
    let out = hone()
        .current_dir(dir.path())
        .env("HONE_HOME", dir.path())
        .env_remove("HONE_DB")
        .args([
            "grade",
            "pse/dsa/1",
            "answer.md",
            "--save",
            "--candidate",
            "ada",
        ])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    for cmd in [["progress"], ["coach"]] {
        let (code, err) = run_in(dir.path(), &[cmd[0], "--candidate", "nobody"]);
        assert_eq!(code, Some(2), "{cmd:?}: {err}");
        assert!(err.contains("no such candidate `nobody`"), "{err}");
        assert!(err.contains("known candidates: `ada`"), "{err}");
    }
    let (code, err) = run_in(dir.path(), &["progress", "--candidate", "ada"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn coach_reads_the_results_jsonl_that_merge_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.jsonl");
    let out = hone()
        .current_dir(dir.path())
        .arg("batch")
        .arg(crate::common::fixture("batch/answers.jsonl"))
        .arg("--results")
        .arg(&results)
        .args(["-q", "--format", "json"])
        .output()
        .unwrap();
    assert!(results.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, err) = run_in(dir.path(), &["merge", "results.jsonl", "-f", "json"]);
    assert_eq!(code.map(|c| c <= 1), Some(true), "merge reads it: {err}");
    let out = hone()
        .current_dir(dir.path())
        .args(["coach", "results.jsonl", "--format", "json"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !plan["sections"].as_array().unwrap().is_empty(),
        "a plan from the JSONL: {plan}"
    );
    // A candidate the file does not have is named, with those it has.
    let (code, err) = run_in(dir.path(), &["coach", "results.jsonl", "--candidate", "zz"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("no such candidate `zz` in results.jsonl"),
        "{err}"
    );
}

#[test]
fn an_out_file_of_unknown_type_suggests_a_real_prefix() {
    let dir = scratch();
    let (code, err) = run_in(dir.path(), &["batch", "answer.md", "--out", "report.pdf"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("`junit:report.pdf`"), "{err}");
    assert!(!err.contains("{spec}"), "{err}");
}
