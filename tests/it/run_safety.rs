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

/// Makes a named pipe: a reader of it blocks until the test writes, so a run can be held
/// mid-way (after it has opened its results file) without any timing.
#[cfg(unix)]
fn fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[cfg(unix)]
#[test]
fn a_second_run_on_the_same_results_file_is_refused_naming_the_first() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let answer = r#"{"question":"pse/dsa/1","answer":"A hash map plus a doubly linked list, evicting the tail."}"#;
    std::fs::write(dir.path().join("other.jsonl"), format!("{answer}\n")).unwrap();
    fifo(&dir.path().join("held.jsonl"));
    let first = crate::common::seal(&mut Command::new(assert_cmd::cargo::cargo_bin("hone")))
        .current_dir(dir.path())
        .args(["batch", "held.jsonl", "--results", "r.jsonl", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Opening the pipe for writing returns once the first run reads its input, which it does
    // only after taking the results file. (A thread, so a broken run fails the test, not hangs it.)
    let pipe = dir.path().join("held.jsonl");
    let (send, opened) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(std::fs::OpenOptions::new().write(true).open(pipe));
    });
    let mut pipe = opened
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the first run reads its input")
        .unwrap();

    let (code, _, stderr) = batch(
        dir.path(),
        &["other.jsonl", "--results", "r.jsonl", "--resume", "-q"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "results file r.jsonl is in use by another hone run (pid {} on host ",
            first.id()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("r.jsonl.lock"), "{stderr}");

    pipe.write_all(format!("{answer}\n").as_bytes()).unwrap();
    drop(pipe);
    let out = first.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(dir.path(), "r.jsonl").lines().count(), 1);

    // Free again: the resumed run finds the answer done and grades nothing twice.
    let (code, _, stderr) = batch(
        dir.path(),
        &["other.jsonl", "--results", "r.jsonl", "--resume", "-q"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read(dir.path(), "r.jsonl").lines().count(), 1);
}

#[test]
fn resume_does_not_pile_up_error_rows() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        r#"{"question":"pse/dsa/1","answer":"A hash map plus a doubly linked list, evicting the tail."}"#,
        r#"{"question":"pse/nope/99","answer":"unknown question"}"#,
        r#"{"answer":"no question here"}"#,
    ];
    std::fs::write(dir.path().join("in.jsonl"), rows.join("\n") + "\n").unwrap();
    let args = ["in.jsonl", "--results", "r.jsonl", "--resume", "-q"];
    for _ in 0..3 {
        let (code, _, stderr) = batch(dir.path(), &args);
        assert_eq!(code, 2, "{stderr}");
        let lines: Vec<Value> = read(dir.path(), "r.jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "one line per row, however often resumed");
        assert_eq!(lines.iter().filter(|r| r["status"] == "graded").count(), 1);
    }
}

#[test]
fn an_unwritable_out_path_fails_before_grading_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = fixture("batch/answers.jsonl");
    std::fs::write(dir.path().join("plain-file"), "not a folder").unwrap();
    let (code, stdout, stderr) = batch(
        dir.path(),
        &[
            jsonl.to_str().unwrap(),
            "--results",
            "r.jsonl",
            "--out",
            "ok.json",
            "--out",
            "plain-file/x.html",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("cannot write report plain-file/x.html: plain-file is a file, not a folder"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stdout.is_empty(), "no report: {stdout}");
    assert!(
        !dir.path().join("r.jsonl").exists(),
        "nothing was graded before the check"
    );
    assert!(
        !dir.path().join("ok.json").exists(),
        "the probe leaves nothing behind"
    );
}

#[test]
fn a_min_score_that_looks_like_a_fraction_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = fixture("batch/answers.jsonl");
    for command in ["batch", "merge"] {
        let out = hone()
            .current_dir(dir.path())
            .args([command, jsonl.to_str().unwrap(), "--min-score", "0.6"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr
                .contains("0.6 looks like a fraction, but scores run 0-100: write --min-score 60"),
            "{command}: {stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_in_batch_says_how_to_resume() {
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    fifo(&dir.path().join("held.jsonl"));
    let child = crate::common::seal(&mut Command::new(assert_cmd::cargo::cargo_bin("hone")))
        .current_dir(dir.path())
        .args(["batch", "held.jsonl", "--results", "r.jsonl", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Held mid-run: it has opened its results file and waits for input.
    let pipe = dir.path().join("held.jsonl");
    let (send, opened) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(std::fs::OpenOptions::new().write(true).open(pipe));
    });
    let pipe = opened
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the run reads its input")
        .unwrap();
    // SAFETY: signalling our own child.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let out = child.wait_with_output().unwrap();
    drop(pipe);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(
            "interrupted: the answers graded so far are saved in r.jsonl; run the same command with --resume to grade only the rest"
        ),
        "{stderr}"
    );
}
