//! Grading speed: answers per second on one core once rubrics are prepared.
//!
//! Grades short answers (the length of the Mohler data set's, about 20 words) and full
//! interview answers from `fixtures/answers/levels.jsonl` against the bundled rubrics.
//! Run: `cargo bench --bench grade`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hone::bank::Catalog;
use hone::grade::{default_calibration, PreparedRubric};
use hone::rubric::store::RubricStore;

/// (prepared rubric index, answer) pairs from the fixtures, and the prepared rubrics.
fn workload() -> (Vec<PreparedRubric>, Vec<(usize, String)>) {
    let catalog = Catalog::bundled().expect("bundled banks parse");
    let store = RubricStore::bundled();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/answers/levels.jsonl"
    ))
    .expect("fixtures/answers/levels.jsonl is readable");
    let mut ids: Vec<String> = Vec::new();
    let mut prepared = Vec::new();
    let mut answers = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("fixture lines are JSON");
        let id = v["question"].as_str().unwrap().to_string();
        let index = match ids.iter().position(|i| *i == id) {
            Some(i) => i,
            None => {
                let question = catalog.find(&id).expect("fixture ids exist");
                let rubric = store.rubric_for(question).expect("rubric builds");
                prepared.push(PreparedRubric::new(&rubric));
                ids.push(id);
                ids.len() - 1
            }
        };
        answers.push((index, v["answer"].as_str().unwrap().to_string()));
    }
    (prepared, answers)
}

/// Words in a text.
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn bench_grading(c: &mut Criterion) {
    let (prepared, answers) = workload();
    let calibration = default_calibration();
    // Mohler-length answers: the first 1-3 sentences of each fixture answer (≈ 20 words).
    let short: Vec<(usize, String)> = answers
        .iter()
        .map(|(i, a)| {
            let cut: Vec<&str> = a.split_whitespace().take(22).collect();
            (*i, cut.join(" "))
        })
        .collect();
    let mean_words = short.iter().map(|(_, a)| words(a)).sum::<usize>() / short.len();
    let mut group = c.benchmark_group("grade");
    group.throughput(Throughput::Elements(short.len() as u64));
    group.bench_function(format!("short answers (~{mean_words} words)"), |b| {
        b.iter(|| {
            for (i, answer) in &short {
                black_box(prepared[*i].grade(black_box(answer), calibration));
            }
        })
    });
    let mean_words = answers.iter().map(|(_, a)| words(a)).sum::<usize>() / answers.len();
    group.throughput(Throughput::Elements(answers.len() as u64));
    group.bench_function(format!("interview answers (~{mean_words} words)"), |b| {
        b.iter(|| {
            for (i, answer) in &answers {
                black_box(prepared[*i].grade(black_box(answer), calibration));
            }
        })
    });
    group.bench_function("analyse only", |b| {
        b.iter(|| {
            for (_, answer) in &short {
                black_box(hone::grade::analysis::analyse(black_box(answer)));
            }
        })
    });
    group.bench_function("injection only", |b| {
        b.iter(|| {
            for (_, answer) in &short {
                black_box(hone::grade::injection::detect(black_box(answer)));
            }
        })
    });
    group.bench_function("tokens only", |b| {
        b.iter(|| {
            for (_, answer) in &short {
                black_box(hone::text::tokens(black_box(answer)));
            }
        })
    });
    group.bench_function("signals only", |b| {
        b.iter(|| {
            for (i, answer) in &short {
                black_box(prepared[*i].signals(black_box(answer)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_grading);
criterion_main!(benches);
