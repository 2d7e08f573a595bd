//! `hone batch` run safety end to end: every report states the verdict of the exit code, one run
//! at a time per results file (and who holds it), output paths checked before grading, resumed
//! error rows not piling up, and `--min-score` fractions refused.

use std::path::Path;

use serde_json::Value;

use crate::common::{fixture, hone};

/// Runs `hone batch` with `args` in `dir`; returns (exit code, stdout, stderr).
fn batch(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = hone()
        .current_dir(dir)
        .arg("batch")
        .args(args)
        .output()
        .expect("hone runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

const EVERY_FORMAT: [&str; 10] = [
    "--out",
    "report.json",
    "--out",
    "junit.xml",
    "--out",
    "summary.md",
    "--out",
    "report.html",
    "--out",
    "github:annotations.txt",
];

/// Asserts that every report in `dir` states the verdict `headline`, exit `code`, and counts.
fn assert_reports_match(dir: &Path, stdout: &str, code: i32, headline: &str, counts: [u64; 3]) {
    let [below, ungraded, errors] = counts;
    let line = format!("{headline} (exit {code}): {below} below threshold");
    let tail = format!("{ungraded} ungraded by the judge, {errors} errors");
    // Text (stdout).
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("verdict: {line}")) && last.ends_with(&tail),
        "text: {stdout}"
    );
    // JSON.
    let json: Value = serde_json::from_str(&read(dir, "report.json")).unwrap();
    let s = &json["summary"];
    assert_eq!(s["exit_code"], code, "{s:#}");
    assert_eq!(s["overall_passed"], code == 0, "{s:#}");
    assert_eq!(
        (&s["failed"], &s["llm_ungraded"], &s["errors"]),
        (&below.into(), &ungraded.into(), &errors.into())
    );
    // Markdown.
    let md = read(dir, "summary.md");
    let mark = if code == 0 { "✅" } else { "❌" };
    assert!(
        md.starts_with(&format!("## hone batch: {mark} {headline}\n")),
        "markdown: {md}"
    );
    assert!(md.contains(&line) && md.contains(&tail), "markdown: {md}");
    // HTML.
    let html = read(dir, "report.html");
    assert_eq!(
        html.contains(">Passed</b>verdict"),
        code == 0,
        "html verdict box"
    );
    assert!(html.contains(&line) && html.contains(&tail), "html");
    // JUnit: the verdict case fails exactly when the run does.
    let xml = read(dir, "junit.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let verdict = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase") && n.attribute("classname") == Some("hone"))
        .expect("a verdict test case");
    let failing = verdict
        .children()
        .find(|n| n.has_tag_name("failure") || n.has_tag_name("error"));
    assert_eq!(failing.is_some(), code != 0, "{xml}");
    if let Some(f) = failing {
        assert!(f.attribute("message").unwrap().contains(&line), "{xml}");
    }
    // GitHub annotations.
    let annotations = read(dir, "annotations.txt");
    let level = if code == 0 { "notice" } else { "error" };
    assert!(
        annotations.contains(&format!("::{level} title=hone batch verdict::{line}")),
        "{annotations}"
    );
}

#[test]
fn every_report_states_the_verdict_of_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = fixture("batch/answers.jsonl");
    let jsonl = jsonl.to_str().unwrap();

    // One unknown question next to good answers: exit 2, and no report says "passed".
    std::fs::write(
        dir.path().join("bad.jsonl"),
        "{\"question\":\"no such question at all\",\"answer\":\"x\"}\n",
    )
    .unwrap();
    let mut args = vec![jsonl, "bad.jsonl", "-q"];
    args.extend(EVERY_FORMAT);
    let (code, stdout, stderr) = batch(dir.path(), &args);
    assert_eq!(code, 2, "{stderr}");
    assert_reports_match(
        dir.path(),
        &stdout,
        2,
        "failed: some rows not graded",
        [0, 0, 1],
    );

    // Some answers below --min-score while the mean reaches it: exit 1, and the JSON says
    // overall_passed false (it said true, judging only the mean).
    let scores: Vec<f64> = {
        let (_, out, _) = batch(dir.path(), &[jsonl, "-q", "--format", "json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["grade"]["score"].as_f64().unwrap())
            .collect()
    };
    let lowest = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    let threshold = lowest.floor() + 1.0;
    assert!(threshold <= mean, "the fixture has a spread of scores");
    let below = scores.iter().filter(|&&s| s < threshold).count() as u64;
    let threshold = threshold.to_string();
    let mut args = vec![jsonl, "-q", "--min-score", &threshold];
    args.extend(EVERY_FORMAT);
    let (code, stdout, stderr) = batch(dir.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    assert_reports_match(dir.path(), &stdout, 1, "below threshold", [below, 0, 0]);

    // Under --strict an ungraded row is exit 3, and the reports say so.
    let mut args = vec![jsonl, "bad.jsonl", "-q", "--strict"];
    args.extend(EVERY_FORMAT);
    let (code, stdout, stderr) = batch(dir.path(), &args);
    assert_eq!(code, 3, "{stderr}");
    assert_reports_match(
        dir.path(),
        &stdout,
        3,
        "failed: some answers not graded (--strict)",
        [0, 0, 1],
    );

    // A clean run passes everywhere.
    let mut args = vec![jsonl, "-q"];
    args.extend(EVERY_FORMAT);
    let (code, stdout, stderr) = batch(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    assert_reports_match(dir.path(), &stdout, 0, "passed", [0, 0, 0]);
}
