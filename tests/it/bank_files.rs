//! User bank files given with `--bank-file`: the documented formats load, bad files fail with
//! one line naming the file (and line) and exit code 2.

use std::path::{Path, PathBuf};

use crate::common::{fixture, hone};

/// Runs `hone list --format json` with the bank files; returns the ids listed.
fn listed_ids(files: &[&Path], extra: &[&str]) -> Vec<String> {
    let mut cmd = hone();
    cmd.args(["list", "--format", "json"]).args(extra);
    for f in files {
        cmd.arg("--bank-file").arg(f);
    }
    let out = cmd.output().unwrap();
    crate::common::assert_success(&out);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `hone list --bank-file FILE` and returns its one-line error; asserts exit code 2.
fn load_error(file: &Path) -> String {
    let out = hone()
        .args(["list", "--bank-file"])
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn toml_jsonl_and_document_banks_load_next_to_the_bundled_ones() {
    let files = [
        fixture("banks/examples/sql.toml"),
        fixture("banks/examples/ops.jsonl"),
        fixture("banks/examples/ml.md"),
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let ids = listed_ids(&refs, &[]);
    assert_eq!(ids.len(), 100 + 2 + 2 + 3);
    for id in [
        "sql/joins/1",
        "sql/indexes/1",
        "ops/incidents/1",
        "ops/incidents/2",
        "ml/modelling/1",
        "ml/modelling/2",
        "ml/production/1",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    // Kinds: given (`design`), inferred from a STAR story, section default otherwise.
    let kind = |id: &str| {
        let out = hone()
            .args([
                "list", "--format", "json", "--kind", "design", "--bank", "sql",
            ])
            .arg("--bank-file")
            .arg(&files[0])
            .output()
            .unwrap();
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter().any(|r| r["id"] == id)
    };
    assert!(kind("sql/indexes/1"));
    assert!(!kind("sql/joins/1"));
    let behavioural = listed_ids(&refs, &["--bank", "ops", "--kind", "behavioural"]);
    assert_eq!(behavioural, ["ops/incidents/2"]);
}

#[test]
fn a_document_bank_keeps_numbered_lists_inside_answers() {
    let out = hone()
        .args(["show", "ml/modelling/1", "--model-answer", "--bank-file"])
        .arg(fixture("banks/examples/ml.md"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1. Fit a linear baseline\n2. Try gradient boosting"),
        "{text}"
    );
    assert!(text.contains("Prefer the simpler model when the gain is small."));
    assert!(!text.contains("Explain overfitting"));
}

#[test]
fn bank_files_also_come_from_the_environment() {
    let out = hone()
        .env("HONE_BANK_FILES", fixture("banks/examples/sql.toml"))
        .args(["show", "sql/joins/1"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("inner join"));
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_error(&write(&dir, "empty.toml", b"  \n\n"));
    assert!(err.contains("empty.toml: bank file is empty"), "{err}");
}

#[test]
fn binary_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_error(&write(&dir, "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
    assert!(err.contains("image.txt: not a text file"), "{err}");
    let err = load_error(&write(
        &dir,
        "latin1.md",
        b"1. Caf\xe9 question?\n\nAnswer.\n",
    ));
    assert!(
        err.contains("latin1.md: not a text file (binary or non-UTF-8 data at byte 6)"),
        "{err}"
    );
}

#[test]
fn document_without_numbered_questions() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_error(&write(
        &dir,
        "notes.txt",
        b"Some notes\n\nNo questions here.\n",
    ));
    assert!(
        err.contains("notes.txt: no numbered questions found"),
        "{err}"
    );
    assert!(err.contains("1. What is"), "says what is expected: {err}");
}

#[test]
fn malformed_toml_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "[[question]]\nquestion = \"Why?\"\nanswer = \"Because\nkind = \"concept\"\n";
    let err = load_error(&write(&dir, "bad.toml", bad.as_bytes()));
    assert!(err.contains("bad.toml:3: invalid TOML bank"), "{err}");
    let unknown = "[[question]]\nquestion = \"Why?\"\nanswer = \"Because.\"\n\n[[question]]\nquestion = \"How?\"\nanswr = \"Like so.\"\n";
    let err = load_error(&write(&dir, "typo.toml", unknown.as_bytes()));
    assert!(err.contains("typo.toml:7: invalid TOML bank"), "{err}");
    assert!(err.contains("answr"), "{err}");
    let no_questions = "bank = \"x\"\n";
    let err = load_error(&write(&dir, "none.toml", no_questions.as_bytes()));
    assert!(
        err.contains("none.toml: bank file has no questions"),
        "{err}"
    );
}

#[test]
fn malformed_jsonl_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "{\"question\": \"Why?\", \"answer\": \"Because.\"}\n\n{\"question\": \"How?\", \"answer\": }\n";
    let err = load_error(&write(&dir, "bad.jsonl", bad.as_bytes()));
    assert!(
        err.contains("bad.jsonl:3: invalid JSONL bank line"),
        "{err}"
    );
    let missing = "{\"question\": \"Why?\"}\n";
    let err = load_error(&write(&dir, "missing.jsonl", missing.as_bytes()));
    assert!(
        err.contains("missing.jsonl:1:") && err.contains("answer"),
        "{err}"
    );
    let kind = "{\"question\": \"Why?\", \"answer\": \"Because.\", \"kind\": \"trivia\"}\n";
    let err = load_error(&write(&dir, "kind.jsonl", kind.as_bytes()));
    assert!(err.contains("kind.jsonl:1: unknown kind `trivia`"), "{err}");
    let id = "{\"id\": \"a b\", \"question\": \"Why?\", \"answer\": \"Because.\"}\n";
    let err = load_error(&write(&dir, "id.jsonl", id.as_bytes()));
    assert!(err.contains("id.jsonl:1: invalid id `a b`"), "{err}");
}

#[test]
fn duplicate_ids() {
    let dir = tempfile::tempdir().unwrap();
    let dup = "{\"id\": \"q1\", \"question\": \"Why?\", \"answer\": \"Because.\"}\n\
               {\"id\": \"Q1\", \"question\": \"How?\", \"answer\": \"Like so.\"}\n";
    let path = write(&dir, "dup.jsonl", dup.as_bytes());
    let err = load_error(&path);
    assert!(
        err.contains("dup.jsonl:2: duplicate question id `dup/general/q1`"),
        "{err}"
    );
    assert!(err.contains("dup.jsonl:1"), "names the first one: {err}");
    let toml = "bank = \"x\"\n\n[[question]]\nid = \"a/1\"\nquestion = \"Why?\"\nanswer = \"Because.\"\n\n\
                [[question]]\nid = \"a/1\"\nquestion = \"How?\"\nanswer = \"So.\"\n";
    let err = load_error(&write(&dir, "dup.toml", toml.as_bytes()));
    assert!(
        err.contains("dup.toml:8: duplicate question id `x/a/1`"),
        "{err}"
    );
    assert!(
        err.contains("(already in") && err.contains("dup.toml:3)"),
        "{err}"
    );
    // A document named like a bundled bank collides with it.
    let err = load_error(&write(
        &dir,
        "pse.txt",
        b"Core Concepts\n\n1. What is it?\n\nA thing.\n",
    ));
    assert!(
        err.contains(
            "pse.txt:3: duplicate question id `pse/concepts/1` (already in the bundled banks)"
        ),
        "{err}"
    );
}

#[test]
fn missing_file() {
    let err = load_error(Path::new("/no/such/bank.toml"));
    assert!(
        err.contains("/no/such/bank.toml: cannot read bank file"),
        "{err}"
    );
}
