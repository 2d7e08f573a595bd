//! LLM judge throughput against a loopback chat-completions server that answers after 200 ms.
//!
//! 1. 200 answers at `--jobs 16`: the ideal is 200 / 16 × 0.2 s = 2.5 s; target ≤ 1.15× that.
//! 2. The same with every fifth reply a 429 (`Retry-After: 1`): every answer must end graded.
//!
//! Run with `cargo bench --bench llm`. Under `cargo test --all-targets` (no `--bench`
//! argument) it runs a 32-answer smoke version of both. Either way it panics unless every answer is
//! graded; the timing ratio is printed, not asserted (it depends on the machine's load).
#![allow(clippy::print_stdout)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hone::bank::Kind;
use hone::config::LlmConfig;
use hone::llm::{Judge, JudgeSettings, LlmStatus};
use hone::rubric::{KeyPoint, PointKind, Rubric};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const FULL_ANSWERS: usize = 200;
const SMOKE_ANSWERS: usize = 32;
const JOBS: usize = 16;
const LATENCY: Duration = Duration::from_millis(200);

/// Replies after `LATENCY`; every `limit_every`-th request (if any) gets a 429.
struct Server {
    count: AtomicUsize,
    limit_every: Option<usize>,
}

impl Respond for Server {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        if self.limit_every.is_some_and(|k| n % k == 0) {
            return ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}}))
                .set_delay(LATENCY);
        }
        let verdict = json!({
            "points": [{"id": 1, "coverage": "covered", "quote": "hash map", "comment": ""}],
            "score": 80, "feedback": "ok"
        });
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "choices": [{"message": {"content": verdict.to_string()}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 300, "completion_tokens": 40}
            }))
            .set_delay(LATENCY)
    }
}

fn rubric() -> Rubric {
    Rubric {
        id: "bench/1".into(),
        question: "Design an LRU cache.".into(),
        kind: Kind::Design,
        hand_edited: false,
        format: 1,
        focus: None,
        misconceptions: Vec::new(),
        built_from_reference: false,
        key_points: vec![KeyPoint {
            label: "hash map".into(),
            reference: "A hash map gives O(1) access.".into(),
            terms: vec!["hash map".into()],
            weight: 1.0,
            kind: PointKind::Concept,
            statement: String::new(),
            phrasings: Vec::new(),
            importance: Default::default(),
        }],
        claims: vec![],
        star: vec![],
        competencies: vec![],
    }
}

async fn run(answers: usize, limit_every: Option<usize>) -> (Duration, usize, usize) {
    let server = MockServer::start().await;
    let responder = Server {
        count: AtomicUsize::new(0),
        limit_every,
    };
    Mock::given(method("POST"))
        .respond_with(responder)
        .mount(&server)
        .await;
    // A loopback server gets only as many requests in flight as it says it has slots (llama.cpp's
    // `/props`); this one stands for a server that runs JOBS requests at once.
    Mock::given(method("GET"))
        .and(path("/props"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "total_slots": JOBS })))
        .mount(&server)
        .await;
    let mut config = LlmConfig {
        enabled: true,
        base_url: format!("{}/v1", server.uri()),
        jobs: JOBS,
        cache: false,
        ..LlmConfig::default()
    };
    config.retry.max_retries = 5;
    let judge = Arc::new(Judge::new(JudgeSettings::from_config(&config, None).unwrap()).unwrap());
    // Distinct answers, as in a real batch.
    let tasks = (0..answers)
        .map(|i| {
            (
                rubric(),
                format!("Answer {i}: I would use a hash map for O(1) lookups."),
            )
        })
        .collect();
    let start = Instant::now();
    let results = judge.judge_all(tasks).await;
    let elapsed = start.elapsed();
    let graded = results
        .iter()
        .filter(|r| r.outcome.status == LlmStatus::Graded)
        .count();
    (
        elapsed,
        graded,
        server.received_requests().await.unwrap().len(),
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let full = std::env::args().any(|a| a == "--bench");
    let answers = if full { FULL_ANSWERS } else { SMOKE_ANSWERS };
    let ideal = LATENCY.as_secs_f64() * answers as f64 / JOBS as f64;

    let (elapsed, graded, requests) = runtime.block_on(run(answers, None));
    let ratio = elapsed.as_secs_f64() / ideal;
    println!(
        "llm/{answers} answers, jobs {JOBS}, 200 ms server: {:.3} s (ideal {ideal:.2} s, {ratio:.3}×, target ≤ 1.15×) — {graded}/{answers} graded, {requests} requests",
        elapsed.as_secs_f64(),
    );
    assert_eq!(graded, answers, "every answer must end graded");

    let (elapsed, graded, requests) = runtime.block_on(run(answers, Some(5)));
    println!(
        "llm/{answers} answers, 20% replies 429 (Retry-After: 1): {:.3} s — {graded}/{answers} graded, {requests} requests",
        elapsed.as_secs_f64(),
    );
    assert_eq!(graded, answers, "every answer must end graded despite 429s");
}
