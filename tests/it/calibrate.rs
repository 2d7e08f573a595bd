//! `hone calibrate`: writes a calibration `hone eval --calibration` accepts, reports held-out
//! figures by question, and rejects bad options with exit 2.

use std::path::{Path, PathBuf};

use crate::common::hone;

/// Writes a data set of 12 questions × 10 answers: each answer is the first k words of the
/// reference, graded k/2 out of 5 — longer overlap, higher grade.
pub(crate) fn write_dataset(dir: &Path) -> PathBuf {
    let reference = "a binary search tree keeps smaller keys in the left subtree and larger keys in the right subtree";
    let words: Vec<&str> = reference.split(' ').collect();
    let mut lines = Vec::new();
    for q in 0..12 {
        for k in 1..=10 {
            let answer = words[..k + 4].join(" ");
            lines.push(
                serde_json::json!({
                    "qid": format!("q{q}"),
                    "question": format!("Question {q}: how does a binary search tree order its keys?"),
                    "reference": reference,
                    "answer": answer,
                    "score": k as f64 / 2.0,
                })
                .to_string(),
            );
        }
    }
    let path = dir.join("graded.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn writes_a_calibration_that_eval_applies_and_reports_grouped_cv() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_dataset(dir.path());
    let output = dir.path().join("cal.toml");
    let out = hone()
        .arg("calibrate")
        .arg(&data)
        .arg("-o")
        .arg(&output)
        .args(["--folds", "4"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("120 answers, 12 questions"), "{stdout}");
    assert!(
        stdout.contains("graded.jsonl, 4 folds holding out whole questions"),
        "{stdout}"
    );
    for row in ["shipped scoring", "calibrated (written)"] {
        assert!(stdout.contains(row), "{stdout}");
    }
    let written = std::fs::read_to_string(&output).unwrap();
    let calibration = hone::grade::calibration::Calibration::from_toml_str(&written).unwrap();
    assert!(calibration
        .fitted_on
        .starts_with("graded.jsonl: 120 answers, 12 questions, 20"));
    assert!(calibration
        .fitted_on
        .contains("grouped 4-fold CV by question: Pearson"));
    assert_eq!(calibration.features.len(), calibration.weights.len());

    let eval = hone()
        .arg("eval")
        .arg(&data)
        .arg("--calibration")
        .arg(&output)
        .output()
        .unwrap();
    crate::common::assert_success(&eval);
    assert!(String::from_utf8(eval.stdout)
        .unwrap()
        .contains("calibration"));
}

#[test]
fn bad_options_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_dataset(dir.path());
    let output = dir.path().join("cal.toml");
    for (extra, needle) in [
        (vec!["--folds", "1"], "--folds must be at least 2"),
        (
            vec!["--features", "no_such_signal"],
            "unknown signal `no_such_signal`",
        ),
    ] {
        let out = hone()
            .arg("calibrate")
            .arg(&data)
            .arg("-o")
            .arg(&output)
            .args(&extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
        assert!(!output.exists(), "nothing written on error");
    }
}

#[test]
fn signals_out_writes_one_row_per_answer_with_its_line_and_grade() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_dataset(dir.path());
    let csv = dir.path().join("signals.csv");
    let out = hone()
        .arg("calibrate")
        .arg(&data)
        .arg("-o")
        .arg(dir.path().join("cal.toml"))
        .arg("--signals-out")
        .arg(&csv)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    assert_eq!(
        header[..5],
        ["file", "line", "question", "target", "shipped"]
    );
    assert!(header.contains(&"point_coverage") && header.contains(&"gaming"));
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 120);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[1], (i + 1).to_string(), "line numbers follow the file");
        // Line i holds the answer graded (i % 10 + 1) / 2; the scale inferred is 0.5..=5.
        let target: f64 = row[3].parse().unwrap();
        assert!((target - (i % 10) as f64 / 9.0).abs() < 1e-9, "{row:?}");
        assert!(!row.iter().any(|v| v.starts_with("-0.000000")), "{row:?}");
    }
    assert_eq!(rows[0][2], "q0");
}

/// The fitted numbers of a calibration file: weights, intercept, then the mapping's knots.
fn fitted_numbers(path: &Path) -> (Vec<String>, Vec<f64>) {
    let c = hone::grade::Calibration::from_toml_file(path).unwrap();
    let mut numbers = c.weights.clone();
    numbers.push(c.intercept);
    numbers.extend(c.mapping.iter().flat_map(|&(x, y)| [x, y]));
    (c.features, numbers)
}

/// Refits a shipped calibration with the command its header names and compares the result.
fn assert_refit_matches(shipped: &str, args: &[&str], data: &[PathBuf]) {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("refit.toml");
    let out = hone()
        .arg("calibrate")
        .args(data)
        .args(args)
        .arg("-o")
        .arg(&output)
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(shipped);
    let stale = format!("{shipped} is stale: refit it with the command in its header");
    let ((names, refit), (shipped_names, shipped)) =
        (fitted_numbers(&output), fitted_numbers(&committed));
    assert_eq!(names, shipped_names, "{stale}");
    assert_eq!(refit.len(), shipped.len(), "{stale}");
    // Equal up to floating-point noise from another libm or CPU.
    for (a, b) in refit.iter().zip(&shipped) {
        assert!(
            (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            "{stale}: {a} vs {b}"
        );
    }
}

#[test]
fn shipped_bank_weights_are_what_calibrate_fits_on_the_interview_tiers() {
    // The interview answers live beside the project (../shared/interview), never in it.
    let dev =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/interview/dev_answers.jsonl");
    let Ok(text) = std::fs::read_to_string(&dev) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let tiers = dir.path().join("tiers.jsonl");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\"tier\": null"))
        .collect();
    std::fs::write(&tiers, lines.join("\n") + "\n").unwrap();
    assert_refit_matches("src/grade/bank_calibration.toml", &[], &[tiers]);
}

#[test]
fn shipped_reference_weights_are_what_calibrate_fits_on_the_asag_dev_splits() {
    let (Some(mohler), Some(scientsbank)) = (
        crate::common::asag("mohler_dev.jsonl"),
        crate::common::asag("scientsbank_train.jsonl"),
    ) else {
        return;
    };
    assert_refit_matches(
        "src/grade/reference_calibration.toml",
        &["--free"],
        &[mohler, scientsbank],
    );
}
