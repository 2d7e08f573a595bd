//! Which rubric and which calibration scored an answer, in the text and the JSON of
//! `hone grade`: the same question can score differently as a bank question and through
//! `--question/--reference`, and the output says why.

use std::path::Path;

use serde_json::Value;

use crate::common::hone;

const QUESTION: &str = "How would you design an LRU cache?";
const REFERENCE: &str = "Use a hash map from key to node for O(1) lookup and a doubly linked \
list in recency order; on access move the node to the front, on insert past capacity evict \
the tail.";
const ANSWER: &str = "A hash map from key to list node gives O(1) lookup, and a doubly linked \
list keeps the recency order; evict from the tail when full.";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ref.md"), REFERENCE).unwrap();
    std::fs::write(dir.path().join("answer.md"), ANSWER).unwrap();
    std::fs::write(
        dir.path().join("bank.jsonl"),
        serde_json::json!({"bank": "mine", "section": "Caches", "question": QUESTION, "model_answer": REFERENCE})
            .to_string()
            + "\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cal.toml"),
        "version = 1\nfitted_on = \"test\"\nfeatures = []\nweights = []\nintercept = 0.42\n",
    )
    .unwrap();
    dir
}

fn grade_json(dir: &Path, args: &[&str]) -> Value {
    let out = hone()
        .current_dir(dir)
        .arg("grade")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn grade_text(dir: &Path, args: &[&str]) -> String {
    let out = hone()
        .current_dir(dir)
        .arg("grade")
        .args(args)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_and_text_say_which_rubric_and_calibration_scored_the_answer() {
    let dir = setup();
    let dir = dir.path();
    let own = ["--question", QUESTION, "--reference", "ref.md", "answer.md"];
    let v = grade_json(dir, &own);
    assert_eq!(v["scored_with"]["rubric"], "reference", "{v}");
    assert_eq!(v["scored_with"]["rubric_path"], "ref.md");
    assert_eq!(v["scored_with"]["calibration"], "shipped_reference");
    assert!(v["scored_with"]["calibration_path"].is_null());
    let text = grade_text(dir, &own);
    assert_eq!(
        text.lines().nth(1),
        Some(
            "rubric: built from the reference ref.md · calibration: shipped, for reference answers"
        ),
        "{text}"
    );

    let v = grade_json(
        dir,
        &["mine/caches/1", "answer.md", "--bank-file", "bank.jsonl"],
    );
    assert_eq!(v["scored_with"]["rubric"], "bank_file", "{v}");
    assert_eq!(v["scored_with"]["rubric_path"], "bank.jsonl");
    assert_eq!(v["scored_with"]["calibration"], "shipped_bank");
    let text = grade_text(
        dir,
        &["mine/caches/1", "answer.md", "--bank-file", "bank.jsonl"],
    );
    assert!(
        text.contains("rubric: bank file bank.jsonl · calibration: shipped, for bank questions"),
        "{text}"
    );

    let v = grade_json(
        dir,
        &["pse/dsa/1", "answer.md", "--calibration", "cal.toml"],
    );
    assert_eq!(v["scored_with"]["rubric"], "bundled_bank", "{v}");
    assert_eq!(v["scored_with"]["calibration"], "file");
    assert_eq!(v["scored_with"]["calibration_path"], "cal.toml");
    let text = grade_text(
        dir,
        &["pse/dsa/1", "answer.md", "--calibration", "cal.toml"],
    );
    assert!(
        text.contains("rubric: bundled bank pse · calibration: cal.toml"),
        "{text}"
    );
}
