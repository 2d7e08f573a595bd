//! `hone grade` end to end: input handling, formats and errors.

use crate::common::{fixture, hone};

#[test]
fn empty_answer_is_graded_zero_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(
        &reference,
        "Use a hash map from key to node and a doubly linked list.",
    )
    .unwrap();
    let out = hone()
        .args([
            "grade",
            "--question",
            "How would you build an LRU cache?",
            "--reference",
        ])
        .arg(&reference)
        .args(["--format", "json", "-"])
        .write_stdin("   \n")
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["score"], 0.0);
    assert_eq!(v["band"], "no_answer");
    assert_eq!(v["flags"][0]["message"], "no answer given");
}

#[test]
fn non_utf8_answer_file_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(&reference, "Use a hash map.").unwrap();
    let answer = dir.path().join("answer.txt");
    std::fs::write(&answer, b"caf\xe9 au lait").unwrap();
    let out = hone()
        .args(["grade", "--question", "Q?", "--reference"])
        .arg(&reference)
        .arg(&answer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("answer.txt") && err.contains("not UTF-8"),
        "{err}"
    );
}

#[test]
fn unknown_question_id_exits_2() {
    let out = hone()
        .args(["grade", "no/such/question"])
        .arg(fixture("sample-answer.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no/such/question"), "{err}");
}

#[test]
fn bad_calibration_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(&reference, "Use a hash map.").unwrap();
    let cal = dir.path().join("cal.toml");
    std::fs::write(&cal, "version = 1\nnonsense = true\n").unwrap();
    let out = hone()
        .args(["grade", "--question", "Q?", "--reference"])
        .arg(&reference)
        .arg("--calibration")
        .arg(&cal)
        .arg(fixture("sample-answer.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cal.toml"), "{err}");
}

#[test]
fn bundled_question_feedback_is_plain_text_when_piped() {
    let out = hone()
        .args(["grade", "pse/dsa/1"])
        .arg(fixture("sample-answer.md"))
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("pse/dsa/1  "), "{text}");
    assert!(
        text.contains("(strong)") || text.contains("(good)"),
        "{text}"
    );
    assert!(text.contains("Covered\n  ✓ "), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "colour codes in piped output: {text}"
    );
}

#[test]
fn adhoc_rubric_ranks_answers_and_reads_piped_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(
        &reference,
        "Keep a hash map from each key to its node in a doubly linked list ordered by recency. \
         On every access move the node to the head. When the cache is over capacity, evict the \
         tail node and delete its key from the map.",
    )
    .unwrap();
    let score = |answer: &str| {
        let out = hone()
            .args([
                "grade",
                "--question",
                "How would you build an LRU cache?",
                "--reference",
            ])
            .arg(&reference)
            .args(["--format", "json"])
            .write_stdin(answer)
            .output()
            .unwrap();
        crate::common::assert_success(&out);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["question_id"], "adhoc");
        v["score"].as_f64().unwrap()
    };
    let strong = score(
        "A dictionary maps keys to nodes of a doubly-linked list kept in order of use. Each get \
         or put moves the node to the head, and once we exceed capacity the tail node is evicted \
         and its key removed from the dictionary.",
    );
    let weak = score("I would keep the data in memory so it is fast.");
    assert!(strong > weak + 30.0, "strong {strong} vs weak {weak}");
}
