//! `hone batch` and `hone merge` end to end: every report format over a folder of Markdown answer
//! files and a JSONL file, exit codes, bad rows, resume after a kill, and shard + merge.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::browser;
use crate::common::{fixture, hone};

/// The example inputs: a folder of Markdown answer files and a JSONL file.
fn inputs() -> [PathBuf; 2] {
    [fixture("batch/answers"), fixture("batch/answers.jsonl")]
}

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

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Validates `instance` against docs/batch-schema.json (or one of its `$defs`).
fn validate(instance: &Value, pointer: &str) {
    let schema_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/batch-schema.json");
    let schema: Value = read_json(&schema_path);
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("file:///batch-schema.json", schema)
        .unwrap();
    let index = compiler
        .compile(&format!("file:///batch-schema.json{pointer}"), &mut schemas)
        .expect("the schema compiles");
    if let Err(e) = schemas.validate(instance, index) {
        panic!("does not match docs/batch-schema.json{pointer}: {e:#}\n{instance:#}");
    }
}

/// Lines of Markdown headings in a fixture answer file, as the test reads them independently.
fn heading_lines(path: &Path) -> Vec<u64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut fence = false;
    let mut levels = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fence = !fence;
        }
        let level = line.bytes().take_while(|&b| b == b'#').count();
        if !fence && level > 0 && line[level..].starts_with(' ') {
            levels.push((level, i as u64 + 1));
        }
    }
    // Questions are the headings one level below a lone title, or the shallowest ones.
    let top = levels.iter().map(|l| l.0).min().unwrap();
    let at_top = levels.iter().filter(|l| l.0 == top).count();
    let level = if at_top == 1 { top + 1 } else { top };
    levels
        .into_iter()
        .filter(|l| l.0 == level)
        .map(|l| l.1)
        .collect()
}

#[test]
fn every_format_from_markdown_folder_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let [folder, jsonl] = inputs();
    let (code, stdout, stderr) = batch(
        dir.path(),
        &[
            folder.to_str().unwrap(),
            jsonl.to_str().unwrap(),
            "--min-score",
            "50",
            "--results",
            "results.jsonl",
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
            "--format",
            "text",
        ],
    );
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");

    // JSON: the schema, one record per answer, the verdicts matching the exit code.
    let report = read_json(&dir.path().join("report.json"));
    validate(&report, "");
    let records = report["records"].as_array().unwrap();
    let md_files = ["alice.md", "bob.md"].map(|f| folder.join(f));
    let md_answers: usize = md_files.iter().map(|f| heading_lines(f).len()).sum();
    let jsonl_rows = std::fs::read_to_string(&jsonl).unwrap().lines().count();
    assert_eq!(records.len(), md_answers + jsonl_rows);
    assert!(
        records.iter().all(|r| r["status"] == "graded"),
        "{report:#}"
    );
    let failed: Vec<&Value> = records.iter().filter(|r| r["passed"] == false).collect();
    assert_eq!(report["summary"]["failed"], failed.len());
    assert_eq!(code, if failed.is_empty() { 0 } else { 1 });
    let passthrough = records
        .iter()
        .find(|r| r["candidate"] == "carol" && r["source"]["line"] == 1)
        .unwrap();
    assert_eq!(passthrough["fields"]["team"], "platform");
    assert_eq!(passthrough["fields"]["attempt"], 1);

    // Results file: every line a schema-valid record, one per answer.
    let results = std::fs::read_to_string(dir.path().join("results.jsonl")).unwrap();
    assert_eq!(results.lines().count(), records.len());
    for line in results.lines() {
        validate(&serde_json::from_str(line).unwrap(), "#/$defs/record");
    }

    // JUnit, parsed back: one test case per answer, failures where the JSON says so.
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("classname") != Some("hone"))
        .collect();
    assert_eq!(cases.len(), records.len());
    // One case per answer plus the run's verdict, which fails exactly when the exit code is 1.
    assert_eq!(
        root.attribute("tests"),
        Some((records.len() + 1).to_string().as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some((failed.len() + usize::from(code == 1)).to_string().as_str())
    );
    let failing_cases = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(failing_cases, failed.len());
    for case in &cases {
        if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
            let message = failure.attribute("message").unwrap();
            assert!(message.starts_with("score "), "{message}");
            assert!(message.contains("< 50"), "{message}");
        }
    }

    // Annotations: one warning per failing answer, on the answer's line.
    let annotations = std::fs::read_to_string(dir.path().join("annotations.txt")).unwrap();
    let warnings: BTreeSet<(String, u64)> = annotations
        .lines()
        .filter_map(|l| l.strip_prefix("::warning file="))
        .map(|rest| {
            let (file, rest) = rest.split_once(",line=").unwrap();
            let (line, _) = rest.split_once(',').unwrap();
            (file.to_string(), line.parse().unwrap())
        })
        .collect();
    let expected: BTreeSet<(String, u64)> = failed
        .iter()
        .map(|r| {
            (
                r["source"]["file"].as_str().unwrap().to_string(),
                r["source"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(warnings, expected);
    for file in &md_files {
        let name = file.to_str().unwrap();
        let lines: Vec<u64> = records
            .iter()
            .filter(|r| r["source"]["file"] == name)
            .map(|r| r["source"]["line"].as_u64().unwrap())
            .collect();
        assert_eq!(
            lines,
            heading_lines(file),
            "records sit on the heading lines of {name}"
        );
    }
    assert!(annotations
        .lines()
        .last()
        .unwrap()
        .starts_with("::notice title=hone batch::"));

    // Markdown job summary: a row per answer.
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(md.starts_with("## hone batch: "));
    let rows = md
        .lines()
        .filter(|l| ["| ✅", "| ❌", "| ⚠️"].iter().any(|m| l.starts_with(m)))
        .count();
    assert_eq!(rows, records.len());

    // Text on stdout.
    assert!(
        stdout.starts_with(&format!(
            "{} answers: {} graded",
            records.len(),
            records.len()
        )),
        "{stdout}"
    );

    // HTML: self-contained, every answer expandable, renders without console errors.
    let html_path = dir.path().join("report.html");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert_eq!(
        html.matches("<details class=\"answer\"").count(),
        records.len()
    );
    assert!(!html.contains("src=\"http") && !html.contains("<link"));
    assert!(!html.contains("<script>alert"), "answers are escaped");
    let png = dir.path().join("report.png");
    if let Some(run) = browser::screenshot(&html_path, &png) {
        assert!(run.console_errors.is_empty(), "{:?}", run.console_errors);
        let size = std::fs::metadata(&png).expect("screenshot written").len();
        assert!(size > 10_000, "screenshot looks empty ({size} bytes)");
    }
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let [_, jsonl] = inputs();
    let jsonl = jsonl.to_str().unwrap();
    // No threshold: everything passes.
    assert_eq!(batch(dir.path(), &[jsonl, "-q"]).0, 0);
    // 100 is above any real answer here: some fail.
    assert_eq!(batch(dir.path(), &[jsonl, "-q", "--min-score", "100"]).0, 1);
    // Usage and input errors.
    for args in [
        vec!["no-such-dir/"],
        vec![jsonl, "--min-score", "150"],
        vec![jsonl, "--shard", "3/2"],
        vec![jsonl, "--resume"],
        vec![jsonl, "--out", "report.pdf"],
    ] {
        let (code, _, stderr) = batch(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(!stderr.trim().is_empty());
    }
    // Ungraded answers: reported, exit 2 by default, 3 under --strict.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"question\":\"no such question at all\",\"answer\":\"x\"}\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    assert_eq!(batch(dir.path(), &[bad, "-q"]).0, 2);
    assert_eq!(batch(dir.path(), &[bad, "-q", "--strict"]).0, 3);
    assert_eq!(
        batch(
            dir.path(),
            &[bad, jsonl, "-q", "--strict", "--min-score", "100"]
        )
        .0,
        3,
        "--strict wins over thresholds"
    );
}

#[test]
fn bad_rows_become_error_rows_and_the_rest_still_grade() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        r#"{"question":"pse/dsa/1","answer":"A hash map plus a doubly linked list, evicting the tail.","candidate":"ann"}"#,
        r#"{"question":"pse/dsa/1","answer":"#,
        r#"{"answer":"no question here"}"#,
        r#"{"question":"pse/nope/99","answer":"unknown question"}"#,
        "",
        r#"{"question":"What is a mutex?","answer":"A lock.","reference":"A mutual exclusion lock."}"#,
    ];
    std::fs::write(dir.path().join("in.jsonl"), rows.join("\n")).unwrap();
    std::fs::write(dir.path().join("empty.md"), "no headings here\n").unwrap();
    let (code, _, stderr) = batch(dir.path(), &["in.jsonl", "empty.md", "--format", "json"]);
    // Error rows make the run fail with 2, after the good rows are graded and reported.
    assert_eq!(code, 2, "{stderr}");
    let out = hone()
        .current_dir(dir.path())
        .args(["batch", "in.jsonl", "empty.md", "--format", "json", "-q"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&report, "");
    let by_place: BTreeMap<String, &Value> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let place = format!(
                "{}:{}",
                r["source"]["file"].as_str().unwrap(),
                r["source"]["line"]
            );
            (place, r)
        })
        .collect();
    let places: Vec<&str> = by_place.keys().map(String::as_str).collect();
    assert_eq!(
        places,
        [
            "empty.md:0",
            "in.jsonl:1",
            "in.jsonl:2",
            "in.jsonl:3",
            "in.jsonl:4",
            "in.jsonl:6"
        ]
    );
    assert_eq!(by_place["in.jsonl:1"]["status"], "graded");
    assert_eq!(by_place["in.jsonl:6"]["status"], "graded");
    let error = |place: &str| by_place[place]["error"].as_str().unwrap().to_string();
    assert!(
        error("in.jsonl:2").starts_with("not valid JSON"),
        "{}",
        error("in.jsonl:2")
    );
    assert!(error("in.jsonl:3").contains("missing `question`"));
    assert!(error("in.jsonl:4").contains("pse/nope/99"));
    assert!(error("empty.md:0").contains("no question headings"));
    assert_eq!(report["summary"]["errors"], 4);
    // Each error is also one warning line on stderr, naming file and line.
    assert!(
        stderr.contains("warning: in.jsonl:2: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: empty.md: no question headings"),
        "{stderr}"
    );
}

/// A JSONL file of `n` answers to a few reference-built questions.
fn write_many(path: &Path, n: usize) {
    let mut text = String::new();
    for i in 0..n {
        let row = serde_json::json!({
            "question": format!("Question {} about caching?", i % 7),
            "answer": format!("Answer {i}: cache hot keys in memory with an LRU policy and a TTL."),
            "reference": "Cache hot keys in memory, evict with LRU, expire entries with a TTL, and invalidate on writes.",
            "candidate": format!("c{}", i % 13),
        });
        text.push_str(&row.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

fn results_keys(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("every results line is whole");
            v["key"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn resume_after_kill_grades_each_answer_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let total = 8_000;
    write_many(&input, total);
    let results = dir.path().join("results.jsonl");
    let binary = assert_cmd::cargo::cargo_bin("hone");
    let mut child = crate::common::seal(&mut Command::new(&binary))
        .current_dir(dir.path())
        .args([
            "batch",
            "many.jsonl",
            "--results",
            "results.jsonl",
            "-q",
            "-j",
            "2",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some, but not all, answers are in the results file.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let lines =
            std::fs::read(&results).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        if lines >= 200 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "no progress");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = std::fs::read(&results).unwrap();
    let done_before = before.iter().filter(|&&c| c == b'\n').count();
    assert!(
        done_before < total,
        "killed half-way ({done_before} of {total})"
    );

    let out = hone()
        .current_dir(dir.path())
        .args([
            "batch",
            "many.jsonl",
            "--results",
            "results.jsonl",
            "--resume",
            "-q",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["records"].as_array().unwrap().len(),
        total,
        "none missing from the report"
    );

    // The results file keeps what the first run finished, byte for byte (apart from a torn tail),
    // and the rerun added exactly the rest: every answer once.
    let after = std::fs::read(&results).unwrap();
    let whole_before = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    assert_eq!(&after[..whole_before], &before[..whole_before]);
    let keys = results_keys(&results);
    assert_eq!(keys.len(), total, "no answer graded twice, none missing");
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), total);

    // A second resume grades nothing new.
    hone()
        .current_dir(dir.path())
        .args([
            "batch",
            "many.jsonl",
            "--results",
            "results.jsonl",
            "--resume",
            "-q",
        ])
        .assert()
        .code(0);
    assert_eq!(results_keys(&results).len(), total);
}

#[test]
fn shards_merged_equal_an_unsharded_run_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let [folder, jsonl] = inputs();
    let (folder, jsonl) = (folder.to_str().unwrap(), jsonl.to_str().unwrap());
    let formats = [
        "report.json",
        "junit.xml",
        "summary.md",
        "report.html",
        "github:annotations.txt",
        "summary.txt",
    ];
    let outs = |prefix: &str| -> Vec<String> {
        formats
            .iter()
            .flat_map(|f| {
                let spec = match f.split_once(':') {
                    Some((format, file)) => format!("{format}:{prefix}{file}"),
                    None => format!("{prefix}{f}"),
                };
                ["--out".to_string(), spec]
            })
            .collect()
    };
    let mut whole = vec![
        folder.to_string(),
        jsonl.to_string(),
        "--min-score".into(),
        "40".into(),
        "-q".into(),
    ];
    whole.extend(outs("whole-"));
    let whole: Vec<&str> = whole.iter().map(String::as_str).collect();
    let whole_code = batch(dir.path(), &whole).0;

    let mut sizes = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = format!("shard-{k}.json");
        let (code, _, stderr) = batch(
            dir.path(),
            &[
                folder,
                jsonl,
                "--shard",
                &shard,
                "--out",
                &out,
                "--min-score",
                "40",
                "-q",
            ],
        );
        assert!(code <= 1, "{stderr}");
        sizes.push(
            read_json(&dir.path().join(&out))["records"]
                .as_array()
                .unwrap()
                .len(),
        );
    }
    assert_eq!(
        sizes.iter().sum::<usize>(),
        read_json(&dir.path().join("whole-report.json"))["records"]
            .as_array()
            .unwrap()
            .len()
    );
    assert!(
        sizes.iter().filter(|&&n| n > 0).count() >= 2,
        "the shards split the work: {sizes:?}"
    );

    let mut merge = vec![
        "merge".to_string(),
        "shard-1.json".into(),
        "shard-2.json".into(),
        "shard-3.json".into(),
        "--min-score".into(),
        "40".into(),
    ];
    merge.extend(outs("merged-"));
    let merged = hone()
        .current_dir(dir.path())
        .args(&merge)
        .output()
        .unwrap();
    assert_eq!(
        merged.status.code(),
        Some(whole_code),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    for f in formats {
        let file = f.rsplit(':').next().unwrap();
        let a = std::fs::read_to_string(dir.path().join(format!("whole-{file}"))).unwrap();
        let b = std::fs::read_to_string(dir.path().join(format!("merged-{file}"))).unwrap();
        assert_eq!(
            a, b,
            "{file} differs between the unsharded run and the merged shards"
        );
    }
}

/// `hone batch --llm` against a chat-completions server on 127.0.0.1 that refuses the key: every
/// answer keeps its local grade, is counted as not graded by the judge (exit 3 under --strict),
/// and the key appears in no report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_judge_failures_keep_local_grades_and_fail_strict() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const KEY: &str = "sk-batch-SECRET-9876";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": {
            "message": format!("Incorrect API key provided: {KEY}"),
            "type": "invalid_request_error", "code": "invalid_api_key"}})),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = format!("{}/v1", server.uri());
    let jsonl = fixture("batch/answers.jsonl");
    let home = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        hone()
            .current_dir(&home)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("OPENAI_API_KEY", KEY)
            .args([
                "batch",
                jsonl.to_str().unwrap(),
                "--llm",
                "--base-url",
                &base,
                "--no-cache",
            ])
            .args([
                "--strict",
                "--out",
                "report.json",
                "--out",
                "report.html",
                "--results",
                "results.jsonl",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        !server.received_requests().await.unwrap().is_empty(),
        "the judge was asked"
    );
    let report = read_json(&dir.path().join("report.json"));
    validate(&report, "");
    let records = report["records"].as_array().unwrap();
    let non_empty = records.iter().filter(|r| r["answer"] != "").count();
    assert_eq!(
        report["summary"]["llm_ungraded"], non_empty,
        "{:#}",
        report["summary"]
    );
    for r in records {
        assert_eq!(r["status"], "graded", "the local grade stands");
        assert!(r["grade"]["score"].is_number());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    for text in [
        std::fs::read_to_string(dir.path().join("report.json")).unwrap(),
        std::fs::read_to_string(dir.path().join("report.html")).unwrap(),
        std::fs::read_to_string(dir.path().join("results.jsonl")).unwrap(),
        stdout.to_string(),
        stderr.to_string(),
    ] {
        assert!(!text.contains(KEY), "the API key leaked");
    }
}

#[test]
fn rubric_overrides_from_the_rubrics_folder_are_used() {
    use hone::bank::Catalog;
    use hone::rubric::store::{relative_path, render, RubricStore};
    use hone::rubric::{KeyPoint, PointKind};
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let question = catalog.find("pse/dsa/1").unwrap();
    let mut rubric = RubricStore::bundled().rubric_for(question).unwrap();
    rubric.hand_edited = true;
    rubric.key_points = vec![KeyPoint {
        label: "zebra stripes".into(),
        reference: "Zebras have stripes.".into(),
        terms: vec!["zebra".into(), "stripes".into()],
        weight: 1.0,
        kind: PointKind::Concept,
        statement: String::new(),
        phrasings: Vec::new(),
        importance: Default::default(),
    }];
    let path = dir.path().join("rubrics").join(relative_path(question));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, render(&rubric)).unwrap();
    std::fs::write(
        dir.path().join("a.jsonl"),
        "{\"question\":\"pse/dsa/1\",\"answer\":\"A zebra has black and white stripes.\"}\n",
    )
    .unwrap();
    let labels = |extra: &[&str]| -> Vec<String> {
        let out = hone()
            .current_dir(dir.path())
            .args(["batch", "a.jsonl", "--format", "json", "-q"])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["records"][0]["grade"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(&["--rubrics", "rubrics"]), ["zebra stripes"]);
    assert!(!labels(&[]).contains(&"zebra stripes".to_string()));
}

#[test]
fn llm_dry_run_estimates_and_leaves_the_results_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.jsonl");
    std::fs::write(&results, "").unwrap();
    let [_, jsonl] = inputs();
    let (code, _, _) = batch(
        dir.path(),
        &[jsonl.to_str().unwrap(), "--results", "results.jsonl", "-q"],
    );
    assert_eq!(code, 0);
    let before = std::fs::read(&results).unwrap();
    assert!(!before.is_empty());
    let out = hone()
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .args([
            "batch",
            jsonl.to_str().unwrap(),
            "--results",
            "results.jsonl",
            "--dry-run",
        ])
        .args(["--base-url", "http://127.0.0.1:9/v1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("LLM dry run: 4 answer(s)"),
        "the empty answer is not sent: {stderr}"
    );
    assert!(stderr.contains("nothing sent"), "{stderr}");
    assert_eq!(
        std::fs::read(&results).unwrap(),
        before,
        "a dry run writes nothing"
    );
}

#[test]
fn error_rows_exit_2_after_grading_and_reporting_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        r#"{"question":"pse/dsa/1","answer":"A hash map plus a doubly linked list, evicting the tail."}"#,
        r#"{"question":"pse/nope/99","answer":"unknown question"}"#,
        r#"{"answer":"no question here"}"#,
    ];
    std::fs::write(dir.path().join("bad.jsonl"), rows.join("\n")).unwrap();
    let (code, _, stderr) = batch(
        dir.path(),
        &[
            "bad.jsonl",
            "--min-score",
            "0",
            "--out",
            "report.json",
            "-q",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    let report = read_json(&dir.path().join("report.json"));
    assert_eq!(report["summary"]["errors"], 2);
    let graded: Vec<&Value> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "graded")
        .collect();
    assert_eq!(graded.len(), 1, "{report}");
}
