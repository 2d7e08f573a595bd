//! Batch throughput: 10,000 answers of realistic length graded local-only through the runner
//! (rubric lookup, parallel grading, records), the work `hone batch` does between reading and
//! writing.
//!
//! `cargo bench --bench batch` measures; `cargo test --all-targets` runs it once on 1,000 answers.
//! `HONE_BENCH_WRITE_JSONL=path:count cargo bench --bench batch` writes a JSONL input of `count`
//! such answers instead (for timing `hone batch` itself and its peak memory, e.g. with
//! `/usr/bin/time -v hone batch big.jsonl --results r.jsonl -q`).

use std::io::Write;

use criterion::{criterion_group, Criterion, Throughput};
use hone::bank::{Catalog, Question};
use hone::batch::resume::Previous;
use hone::batch::runner::{self, LocalGrader, Resolver, RunOptions};
use hone::batch::{AnswerItem, Input, Source};
use hone::grade::Grader;
use hone::rubric::store::RubricStore;

/// A deterministic pseudo-random sequence (no dependency needed for a bench).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

const FILLER: [&str; 6] = [
    "In my last role we ran into exactly this problem at scale.",
    "I would start by measuring before changing anything.",
    "The trade-off is more operational complexity for the team.",
    "We monitored error rates and latency closely during the rollout.",
    "I would document the decision so the next engineer understands it.",
    "That is roughly how I would approach it in practice.",
];

/// An answer of realistic length (≈80–200 words): some model-answer sentences, reworded a
/// little, mixed with generic filler, so coverage varies from weak to strong.
fn realistic_answer(question: &Question, rng: &mut Lcg) -> String {
    let sentences: Vec<&str> = question
        .model_answer
        .split(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.split_whitespace().count() > 4)
        .collect();
    let keep = 1 + rng.next(sentences.len().clamp(1, 8));
    let mut parts: Vec<String> = Vec::new();
    for _ in 0..keep {
        let sentence = sentences
            .get(rng.next(sentences.len()))
            .copied()
            .unwrap_or("");
        parts.push(format!("{}.", sentence.replace("**", "")));
        if rng.next(3) == 0 {
            parts.push(FILLER[rng.next(FILLER.len())].to_string());
        }
    }
    parts.join(" ")
}

/// `count` answers spread over every bundled question.
fn answers(catalog: &Catalog, count: usize) -> Vec<AnswerItem> {
    let questions = catalog.questions();
    let mut rng = Lcg(42);
    (0..count)
        .map(|i| {
            let question = &questions[rng.next(questions.len())];
            AnswerItem {
                source: Source {
                    file: "bench.jsonl".into(),
                    line: i as u64 + 1,
                },
                question: question.id.clone(),
                answer: realistic_answer(question, &mut rng),
                candidate: Some(format!("candidate-{}", i % 97)),
                reference: None,
                kind: None,
                fields: Default::default(),
            }
        })
        .collect()
}

fn grade_all(items: &[AnswerItem], resolver: &Resolver<'_>, grader: &Grader, jobs: usize) -> usize {
    let mut graded = 0;
    let inputs = items.iter().cloned().map(Input::Answer);
    let options = RunOptions { shard: None, jobs };
    runner::run(
        inputs,
        options,
        resolver,
        &LocalGrader { grader },
        &mut Previous::none(),
        |_, _| {
            graded += 1;
            Ok(())
        },
    )
    .expect("the batch runs");
    graded
}

fn bench_batch(c: &mut Criterion) {
    let catalog = Catalog::bundled().expect("bundled banks");
    let store = RubricStore::bundled();
    let grader = Grader::over(&store.all_rubrics(catalog.questions()));
    let measuring = std::env::args().any(|a| a == "--bench");
    let count = if measuring { 10_000 } else { 1_000 };
    let items = answers(&catalog, count);
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function(format!("grade {count} answers local-only"), |b| {
        b.iter(|| {
            // A fresh resolver each time: rubric lookup and extraction are part of the run.
            let resolver = Resolver::new(&catalog, &store, &grader);
            assert_eq!(grade_all(&items, &resolver, &grader, jobs), count);
        })
    });
    group.finish();
}

/// Writes `count` answers as JSONL to `path` (see the module doc).
fn write_jsonl(spec: &str) {
    let (path, count) = spec
        .rsplit_once(':')
        .expect("HONE_BENCH_WRITE_JSONL=path:count");
    let count: usize = count.parse().expect("a count");
    let catalog = Catalog::bundled().expect("bundled banks");
    let file = std::fs::File::create(path).expect("create the JSONL file");
    let mut out = std::io::BufWriter::new(file);
    let questions = catalog.questions();
    let mut rng = Lcg(7);
    for i in 0..count {
        let question = &questions[rng.next(questions.len())];
        let row = serde_json::json!({
            "question": question.id,
            "answer": realistic_answer(question, &mut rng),
            "candidate": format!("candidate-{}", i % 997),
        });
        writeln!(out, "{row}").expect("write");
    }
    out.flush().expect("flush");
}

criterion_group!(benches, bench_batch);

fn main() {
    if let Ok(spec) = std::env::var("HONE_BENCH_WRITE_JSONL") {
        write_jsonl(&spec);
        return;
    }
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
