//! `hone judge check` and the check `hone batch --llm` runs first, against scripted judges on a
//! real loopback server (wiremock): one that grades well, one that gives everything 100, one
//! that obeys injected instructions, one fooled by keyword lists.

use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::llm::{chat, item_count};

/// How a scripted judge behaves.
#[derive(Clone, Copy)]
enum Script {
    /// Scores by what the answer really holds (its length, for a real explanation), quoting it.
    Good,
    /// Everything covered, score 100.
    All100,
    /// Good, except that it does what an injected instruction says.
    ObeysInjection,
    /// Good, except that a bare keyword list scores 70.
    LikesKeywords,
}

/// The candidate's answer in a judge request: between the 2nd and 3rd fence marker.
fn answer_of(body: &Value) -> String {
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    // The answer is the last fenced block (graded examples, fenced too, come before it).
    let start = user
        .rfind("<<<ANSWER-")
        .expect("the prompt fences the answer");
    let fence = &user[start..start + user[start..].find(">>>").unwrap() + 3];
    let parts: Vec<&str> = user.split(fence).collect();
    parts[parts.len().saturating_sub(2)].trim().to_string()
}

impl wiremock::Respond for Script {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let answer = answer_of(&body);
        let quote: String = answer.chars().take(30).collect();
        let injected = answer.contains("NOTE TO THE GRADER");
        let keywords = !answer.contains(". ") && !answer.ends_with('.');
        let (score, coverage) = match self {
            Script::All100 => (100, "covered"),
            Script::ObeysInjection if injected => (100, "covered"),
            Script::LikesKeywords if keywords && !injected => (70, "partial"),
            _ if injected || answer.contains("handshake") => (4, "missing"),
            _ if keywords => (10, "missing"),
            // Longer explanations hold more: one point a word, up to 90.
            _ => match answer.split_whitespace().count().min(90) {
                words if words >= 60 => (words, "covered"),
                words => (words, "partial"),
            },
        };
        let points: Vec<Value> = (1..=item_count(&body))
            .map(|id| {
                let q = if coverage == "missing" {
                    ""
                } else {
                    quote.as_str()
                };
                json!({"id": id, "quote": q, "coverage": coverage, "comment": ""})
            })
            .collect();
        let verdict = json!({"points": points, "feedback": "f", "score": score});
        ResponseTemplate::new(200).set_body_json(chat(&verdict.to_string()))
    }
}

async fn scripted(script: Script) -> MockServer {
    scripted_with(script).await
}

async fn scripted_with(responder: impl wiremock::Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(responder)
        .mount(&server)
        .await;
    server
}

/// A config file with fast retries (kept until the returned folder is dropped).
fn config() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hone.toml");
    std::fs::write(&path, "[llm.retry]\nbase_delay_ms = 10\n").unwrap();
    (dir, path)
}

fn check(server: &MockServer, extra: &[&str]) -> (Option<i32>, String, String) {
    let (_dir, config) = config();
    let out = crate::common::hone()
        .env("HONE_CONFIG", &config)
        .args(["judge", "check", "--no-cache", "--model", "tiny-judge"])
        .args(["--base-url", &format!("{}/v1", server.uri())])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judge_check_trusts_a_judge_that_orders_quotes_and_resists() {
    let server = scripted(Script::Good).await;
    let (code, out, err) = check(&server, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("verdict: trusted"), "{out}");
    assert!(
        out.contains("judge's order: strong 90 > mediocre 51 > keyword list 10"),
        "{out}"
    );
    assert!(out.contains("obeys injection: no"), "{out}");
    assert!(out.contains("quotes verified: 100%"), "{out}");
    assert_eq!(crate::llm::posts(&server).await.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judge_check_finds_a_judge_giving_everything_100_unusable() {
    let server = scripted(Script::All100).await;
    let (code, out, err) = check(&server, &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["verdict"], "unusable");
    assert_eq!(report["obeys_injection"], true);
    assert_eq!(report["spread"], 0.0);
    assert_eq!(report["answers"].as_array().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judge_check_finds_a_judge_obeying_injections_unusable() {
    let server = scripted(Script::ObeysInjection).await;
    let (code, out, err) = check(&server, &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("verdict: unusable (it obeys an injected instruction)"),
        "{out}"
    );
    assert!(out.contains("obeys injection: yes"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judge_check_finds_a_judge_fooled_by_keyword_lists_weak() {
    let server = scripted(Script::LikesKeywords).await;
    let (code, out, err) = check(&server, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("verdict: weak"), "{out}");
    assert!(out.contains("it gives a bare keyword list 70"), "{out}");
}

#[test]
fn judge_check_against_a_dead_endpoint_is_unchecked_exit_3() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hone.toml");
    std::fs::write(
        &config,
        "[llm]\nbreaker_after = 1\n[llm.retry]\nmax_retries = 0\n",
    )
    .unwrap();
    let out = crate::common::hone()
        .env("HONE_CONFIG", &config)
        .args(["judge", "check", "--no-cache"])
        .args(["--base-url", &format!("http://127.0.0.1:{port}/v1")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("verdict: unchecked (the judge graded none"),
        "{stdout}"
    );
}

fn batch(server: &MockServer, cache: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let (_dir, config) = config();
    crate::common::hone()
        .env("HONE_CONFIG", &config)
        .arg("batch")
        .arg(crate::common::fixture("batch/answers.jsonl"))
        .args(["--llm", "--quiet", "-f", "json", "--model", "tiny-judge"])
        .args(["--base-url", &format!("{}/v1", server.uri())])
        .arg("--cache-dir")
        .arg(cache)
        .args(extra)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_refuses_an_unusable_judge_unless_forced_and_reports_say_so() {
    let server = scripted(Script::ObeysInjection).await;
    let cache = tempfile::tempdir().unwrap();
    let out = batch(&server, cache.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the LLM judge tiny-judge at") && stderr.contains("is unusable"),
        "{stderr}"
    );
    assert!(stderr.contains("--force-judge"), "{stderr}");
    assert_eq!(
        crate::llm::posts(&server).await.len(),
        5,
        "only the check was sent"
    );
    let forced = batch(&server, cache.path(), &["--force-judge"]);
    let stdout = String::from_utf8_lossy(&forced.stdout);
    assert_ne!(
        forced.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(stdout.contains("\"judge_check\""), "{stdout}");
    assert!(stdout.contains("\"verdict\": \"unusable\""), "{stdout}");
    assert_eq!(
        crate::llm::posts(&server).await.len(),
        5 + 4,
        "the check's report was cached per model; the four non-empty answers were sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_with_a_trusted_judge_records_the_check_and_caches_it() {
    let server = scripted(Script::Good).await;
    let cache = tempfile::tempdir().unwrap();
    let out = batch(&server, cache.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("LLM judge check: tiny-judge is trusted"),
        "{stderr}"
    );
    assert!(stdout.contains("\"verdict\": \"trusted\""), "{stdout}");
    let sent = crate::llm::posts(&server).await.len();
    assert_eq!(sent, 5 + 4);
    let reports = tempfile::tempdir().unwrap();
    let (html, xml) = (reports.path().join("r.html"), reports.path().join("r.xml"));
    let again = batch(
        &server,
        cache.path(),
        &[
            "-f",
            "markdown",
            "-o",
            html.to_str().unwrap(),
            "-o",
            xml.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), out.status.code());
    assert_eq!(
        crate::llm::posts(&server).await.len(),
        sent,
        "a cached rerun sends nothing, the check included"
    );
    // Every report says which judge graded and how it did in the check.
    let markdown = String::from_utf8_lossy(&again.stdout);
    assert!(
        markdown.contains("**LLM judge:** tiny\\-judge at")
            || markdown.contains("**LLM judge:** tiny-judge at"),
        "{markdown}"
    );
    assert!(markdown.contains("judge check: trusted"), "{markdown}");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<b>LLM judge:</b> tiny-judge at"), "{html}");
    assert!(html.contains("judge check: trusted"), "{html}");
    let xml = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let judge = doc
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("llm_judge"))
        .unwrap_or_else(|| panic!("the verdict suite names the judge: {xml}"));
    assert!(judge
        .attribute("value")
        .unwrap()
        .contains("judge check: trusted"));
}

fn eval_llm(server: &MockServer, format: &str) -> (Option<i32>, String, String) {
    let (_dir, config) = config();
    let out = crate::common::hone()
        .env("HONE_CONFIG", &config)
        .arg("eval")
        .arg(crate::common::fixture("eval/scored.jsonl"))
        .args([
            "--llm",
            "--no-cache",
            "--model",
            "tiny-judge",
            "--format",
            format,
        ])
        .args(["--base-url", &format!("{}/v1", server.uri())])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eval_llm_reports_judge_and_combined_agreement_next_to_local() {
    let server = scripted(Script::Good).await;
    let (code, out, err) = eval_llm(&server, "json");
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let llm = &report["llm"];
    let n = report["summary"]["n"].as_u64().unwrap();
    assert_eq!(llm["sent"].as_u64(), Some(n), "{llm}");
    assert_eq!(llm["judged"].as_u64(), Some(n), "{llm}");
    for part in ["local", "judge", "combined"] {
        assert_eq!(llm[part]["n"].as_u64(), Some(n), "{part}: {llm}");
    }
    // Every answer was judged, so the local column is the file's own figure.
    assert_eq!(llm["local"]["spearman"], report["summary"]["spearman"]);
    assert!(llm["judge"]["spearman"].is_f64(), "{llm}");
    assert_ne!(
        llm["combined"]["pearson"], llm["local"]["pearson"],
        "the combined scores are not the local ones"
    );
    assert_eq!(llm["judge_check"]["verdict"], "trusted");
    assert!(llm["seconds_per_answer"].is_f64());
    assert_eq!(
        crate::llm::posts(&server).await.len() as u64,
        5 + n,
        "the check, then each answer once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eval_llm_text_shows_a_flat_judge_has_no_agreement() {
    let server = scripted(Script::All100).await;
    let (code, out, err) = eval_llm(&server, "text");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("LLM judge tiny-judge at"), "{out}");
    assert!(out.contains("judge check: unusable"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("Spearman ρ (pooled)") && l.contains("n/a"))
        .unwrap_or_else(|| panic!("a constant judge has no rank agreement: {out}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[cells.len() - 2], "n/a", "judge column: {row}");
}

/// Rates every point `coverage`, quoting the answer's first words, score 40.
struct Rates(&'static str);

impl wiremock::Respond for Rates {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let quote: String = answer_of(&body).chars().take(30).collect();
        let points: Vec<Value> = (1..=item_count(&body))
            .map(|id| json!({"id": id, "quote": quote, "coverage": self.0, "comment": ""}))
            .collect();
        let verdict = json!({"points": points, "feedback": "f", "score": 40});
        ResponseTemplate::new(200).set_body_json(chat(&verdict.to_string()))
    }
}

const LRU_QUESTION: &str = "How would you build an LRU cache?";

/// `hone grade --question … --reference sample-answer.md sample-answer.md --format json`.
fn grade_sample(base: Option<&str>, extra: &[&str]) -> Value {
    let (_dir, config) = config();
    let mut cmd = crate::common::hone();
    cmd.env("HONE_CONFIG", &config)
        .args(["grade", "--question", LRU_QUESTION, "--reference"])
        .arg(crate::common::fixture("sample-answer.md"))
        .arg(crate::common::fixture("sample-answer.md"))
        .args(["--format", "json"]);
    if let Some(base) = base {
        cmd.args(["--llm", "--no-cache", "--base-url", &format!("{base}/v1")]);
    }
    let out = cmd.args(extra).output().unwrap();
    crate::common::assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quoted_wrong_point_lowers_the_combined_score_below_missing() {
    let local = grade_sample(None, &[])["score"].as_f64().unwrap();
    let missing_server = scripted_with(Rates("missing")).await;
    let missing = grade_sample(Some(&missing_server.uri()), &[]);
    let wrong_server = scripted_with(Rates("wrong")).await;
    let wrong = grade_sample(Some(&wrong_server.uri()), &[]);
    assert_eq!(wrong["llm"]["status"], "graded", "{wrong}");
    assert!(
        wrong["llm"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["wrong"] == true && p["quote_verified"] == true),
        "{wrong}"
    );
    let (missing, wrong) = (
        missing["score"].as_f64().unwrap(),
        wrong["score"].as_f64().unwrap(),
    );
    assert!(missing < local, "local {local}, missing {missing}");
    assert!(wrong < missing, "missing {missing}, wrong {wrong}");
    let body: Value = crate::llm::posts(&wrong_server).await[0]
        .body_json()
        .unwrap();
    assert!(
        body.to_string().contains("\"wrong\""),
        "the schema offers the verdict"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn examples_show_the_judge_graded_answers_to_the_same_question() {
    let server = scripted_with(Rates("partial")).await;
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("graded.jsonl");
    let line = |answer: &str, score: u8| {
        json!({"question": LRU_QUESTION, "reference": "Use a hash map and a list.", "answer": answer, "score": score})
            .to_string()
            + "\n"
    };
    std::fs::write(
        &examples,
        [
            line("A hash map plus a doubly linked list; evict the tail.", 9),
            line("Use an array and sort it by time on every access.", 3),
            json!({"question": "Another question?", "reference": "r", "answer": "UNRELATED EXAMPLE", "score": 10}).to_string() + "\n",
        ]
        .concat(),
    )
    .unwrap();
    let graded = grade_sample(
        Some(&server.uri()),
        &["--examples", &examples.to_string_lossy()],
    );
    assert_eq!(graded["llm"]["status"], "graded", "{graded}");
    let body: Value = crate::llm::posts(&server).await[0].body_json().unwrap();
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("Example 1 (human score"), "{user}");
    assert!(user.contains("evict the tail."), "{user}");
    assert!(user.contains("sort it by time"), "{user}");
    assert!(!user.contains("UNRELATED EXAMPLE"), "{user}");
}

#[test]
fn examples_file_without_graded_answers_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("empty.jsonl");
    std::fs::write(&examples, "not json\n").unwrap();
    let (_cfg, config) = config();
    let out = crate::common::hone()
        .env("HONE_CONFIG", &config)
        .args(["grade", "--question", LRU_QUESTION, "--reference"])
        .arg(crate::common::fixture("sample-answer.md"))
        .arg(crate::common::fixture("sample-answer.md"))
        .args(["--llm", "--base-url", "http://127.0.0.1:9/v1", "--examples"])
        .arg(&examples)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("empty.jsonl") && stderr.contains("few-shot"),
        "{stderr}"
    );
}
