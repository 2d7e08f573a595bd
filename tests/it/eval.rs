//! `hone eval`: bad lines counted and reported while the rest score; figures in text and JSON;
//! a user calibration applied; unreadable files rejected with exit 2.

use crate::common::{asag, fixture, hone};

/// Runs `hone eval` with `args` and parses its JSON report.
fn eval_json(args: &[&str]) -> serde_json::Value {
    let out = hone()
        .arg("eval")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    serde_json::from_slice(&out.stdout).expect("eval --format json prints JSON")
}

fn scored_fixture() -> String {
    fixture("eval/scored.jsonl").display().to_string()
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_the_rest_score() {
    let out = hone().args(["eval", &scored_fixture()]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("6 (3 bad lines skipped)"), "{stdout}");
    assert!(
        stdout.contains("0–5 in steps of 0.5 (11 levels)"),
        "{stdout}"
    );
    for needle in [
        "scored.jsonl:4: malformed JSON",
        "scored.jsonl:6: missing field `answer`",
        "scored.jsonl:9: unknown question `no/such/question`",
        "3 bad line(s) skipped",
    ] {
        assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    }
}

#[test]
fn json_report_has_the_figures_and_per_question_rows() {
    let report = eval_json(&[&scored_fixture(), "--by-question"]);
    let summary = &report["summary"];
    assert_eq!(summary["n"], 6);
    assert_eq!(summary["questions"], 2);
    assert_eq!(summary["scale"]["step"], 0.5);
    assert_eq!(report["distinct_rubrics"], 2);
    let bad: Vec<u64> = report["bad_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["line"].as_u64().unwrap())
        .collect();
    assert_eq!(bad, vec![4, 6, 9]);
    let rows = summary["by_question"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["question"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["hash", "stack"]);
    assert_eq!(rows[0]["n"], 3);
    assert!((rows[0]["human_mean"].as_f64().unwrap() - 3.0).abs() < 1e-9);
    for key in [
        "pearson",
        "spearman",
        "qwk",
        "rmse",
        "auc",
        "mean_question_pearson",
    ] {
        assert!(summary.get(key).is_some(), "summary lacks {key}");
    }
    assert!(summary["auc"].is_null(), "no AUC for numeric scores");
    // Without --by-question the table is left out.
    assert!(eval_json(&[&scored_fixture()])["summary"]
        .get("by_question")
        .is_none());
}

#[test]
fn limit_reads_only_the_first_lines() {
    let report = eval_json(&[&scored_fixture(), "--limit", "3"]);
    assert_eq!(report["summary"]["n"], 3);
    assert_eq!(report["bad_lines"].as_array().unwrap().len(), 0);
}

#[test]
fn labels_give_an_auc_and_no_scale() {
    let report = eval_json(&[&fixture("eval/labelled.jsonl").display().to_string()]);
    let summary = &report["summary"];
    assert_eq!(summary["n"], 4);
    assert!(summary["scale"].is_null() && summary["qwk"].is_null());
    let auc = &summary["auc"];
    assert!(
        auc.is_null() || (0.0..=1.0).contains(&auc.as_f64().unwrap()),
        "{auc}"
    );
}

#[test]
fn a_calibration_file_replaces_the_shipped_scoring() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flat.toml");
    // No features: every answer scores the intercept, 0.4 → 2.0 on the 0–5 scale.
    std::fs::write(
        &path,
        "version = 1\nfitted_on = \"test\"\nfeatures = []\nweights = []\nintercept = 0.4\n",
    )
    .unwrap();
    let report = eval_json(&[&scored_fixture(), "--calibration", path.to_str().unwrap()]);
    let summary = &report["summary"];
    // Humans 5, 3.5, 0.5, 5, 1, 0 against 2.0 everywhere: RMSE = √(27.5 / 6).
    let rmse = summary["rmse"].as_f64().unwrap();
    assert!((rmse - (27.5f64 / 6.0).sqrt()).abs() < 1e-9, "{rmse}");
    assert!(
        summary["pearson"].is_null(),
        "a constant score has no correlation"
    );

    std::fs::write(&path, "version = 1\nweights = [1.0]\n").unwrap();
    let out = hone()
        .args([
            "eval",
            &scored_fixture(),
            "--calibration",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flat.toml"));
}

#[test]
fn missing_non_utf8_or_hopeless_files_are_one_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.jsonl");
    std::fs::write(&latin1, b"{\"question\": \"caf\xe9\"}\n").unwrap();
    let junk = dir.path().join("junk.jsonl");
    std::fs::write(&junk, "nope\n{}\n").unwrap();
    for (path, needle) in [
        (dir.path().join("absent.jsonl"), "cannot read"),
        (latin1, "latin1.jsonl:1: not UTF-8 text"),
        (junk, "no line could be scored"),
    ] {
        let out = hone().arg("eval").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
    }
}

#[test]
fn a_line_in_another_encoding_is_one_bad_line_and_the_rest_score() {
    let dir = tempfile::tempdir().unwrap();
    let mixed = dir.path().join("mixed.jsonl");
    let mut bytes = std::fs::read(fixture("eval/scored.jsonl")).unwrap();
    assert!(bytes.ends_with(b"\n"));
    let latin1_line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    bytes.extend_from_slice(b"{\"question\": \"caf\xe9\", \"answer\": \"x\", \"score\": 1}\n");
    std::fs::write(&mixed, &bytes).unwrap();
    let out = hone().arg("eval").arg(&mixed).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("mixed.jsonl:{latin1_line}: not UTF-8 text")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("6 (4 bad lines skipped)"), "{stdout}");
}

#[test]
fn project_fixtures_by_bank_id_rank_with_their_quality_level() {
    let report = eval_json(&[&fixture("answers/levels.jsonl").display().to_string()]);
    let summary = &report["summary"];
    assert_eq!(report["bad_lines"].as_array().unwrap().len(), 0);
    assert_eq!(summary["n"], 100);
    let spearman = summary["spearman"].as_f64().unwrap();
    assert!(
        spearman >= 0.85,
        "Spearman with the quality level {spearman}"
    );
}

#[test]
fn mohler_dev_meets_the_agreement_target_when_present() {
    let Some(path) = asag("mohler_dev.jsonl") else {
        return;
    };
    let report = eval_json(&[path.to_str().unwrap()]);
    assert_eq!(report["summary"]["n"], 1074);
    assert_eq!(report["summary"]["questions"], 37);
    let pearson = report["summary"]["pearson"].as_f64().unwrap();
    assert!(pearson >= 0.55, "pooled Pearson {pearson}");
}

#[test]
fn answers_of_known_quality_get_the_expected_range_figures() {
    // fixtures/eval/expected.jsonl: answers written for hone at known quality levels, each with
    // the range it deserves (the format of ../shared/interview/dev_answers.jsonl).
    let report = eval_json(&[
        &fixture("eval/expected.jsonl").display().to_string(),
        "--answers",
    ]);
    let figures = &report["expected"];
    assert_eq!(figures["answers"], 4, "{report:#}");
    // One question, tiers 4 and 1: one pair, ordered right.
    assert_eq!(figures["tier_pairs_ordered"]["total"], 1);
    assert_eq!(figures["tier_pairs_ordered"]["hits"], 1.0);
    // The negated model answer scores at most 30.
    assert_eq!(figures["low_variants_low"]["total"], 1);
    assert_eq!(figures["low_variants_low"]["hits"], 1.0);
    let variants: Vec<&str> = figures["by_variant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["variant"].as_str().unwrap())
        .collect();
    assert_eq!(variants, ["tier4", "tier1", "keyword_list", "negated"]);
    let scores: Vec<f64> = report["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["score"].as_f64().unwrap())
        .collect();
    // The strong answer beats the thin one, the keyword list and the reversed one.
    assert!(
        scores[0] > scores[1] && scores[0] > scores[2] && scores[0] > scores[3],
        "{scores:?}"
    );
    assert!(scores[0] >= 75.0, "{scores:?}");
    assert!(scores[3] <= 30.0, "{scores:?}");
    assert!(scores[2] <= 40.0, "{scores:?}");
}
