//! Grading speed: answers per second on one core once rubrics are prepared.
//!
//! Grades short answers (the length of the Mohler data set's, about 20 words) and full
//! interview answers from `fixtures/answers/levels.jsonl` against the bundled rubrics, timed
//! twice: by thread CPU time (first: the per-core figure) and by wall clock. When the shared
//! Mohler data is at `../shared/asag/mohler_dev.jsonl`, its 1,074 answers are graded too
//! (rubrics built from each reference answer), the speed target's own workload; `HONE_ASAG_DIR`
//! points elsewhere.
//! Run: `cargo bench --bench grade`.

use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hone::bank::Catalog;
use hone::grade::{shipped_calibration, PreparedRubric};
use hone::rubric::store::RubricStore;

/// Prepared rubrics, and answers as (index of their rubric, text).
type Workload = (Vec<PreparedRubric>, Vec<(usize, String)>);

/// The fixture answers and the bundled rubrics of their questions.
fn workload() -> Workload {
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

/// The Mohler data set's questions as prepared rubrics (built from each reference answer) and
/// its answers, when `../shared/asag/mohler_dev.jsonl` is present.
fn mohler() -> Option<Workload> {
    let dir = std::env::var("HONE_ASAG_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/asag").into());
    let path = format!("{dir}/mohler_dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping the Mohler benchmark: {path} not found (set HONE_ASAG_DIR)");
        return None;
    };
    let mut ids: Vec<String> = Vec::new();
    let mut prepared = Vec::new();
    let mut answers = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let qid = v["qid"].as_str()?.to_string();
        let index = match ids.iter().position(|i| *i == qid) {
            Some(i) => i,
            None => {
                let rubric = hone::rubric::extract::from_reference(
                    &qid,
                    v["question"].as_str()?,
                    v["reference"].as_str()?,
                    None,
                );
                prepared.push(PreparedRubric::new(&rubric));
                ids.push(qid);
                ids.len() - 1
            }
        };
        answers.push((index, v["answer"].as_str()?.to_string()));
    }
    Some((prepared, answers))
}

/// Words in a text.
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Thread CPU time: answers per second *per core*, honest on a machine shared with other work.
struct CpuTime;

/// CPU time consumed by the calling thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}

/// Grades the fixture answers, cut to Mohler length (≈ 20 words) and whole.
fn bench_grading<M: Measurement>(c: &mut Criterion<M>) {
    let (prepared, answers) = workload();
    let short: Vec<(usize, String)> = answers
        .iter()
        .map(|(i, a)| {
            let cut: Vec<&str> = a.split_whitespace().take(22).collect();
            (*i, cut.join(" "))
        })
        .collect();
    let mohler = mohler();
    let mut sets = vec![
        ("bank, short answers", &prepared, &short),
        ("bank, interview answers", &prepared, &answers),
    ];
    if let Some((rubrics, answers)) = &mohler {
        sets.insert(0, ("mohler answers", rubrics, answers));
    }
    let mut group = c.benchmark_group("grade");
    for (name, rubrics, set) in sets {
        let mean_words = set.iter().map(|(_, a)| words(a)).sum::<usize>() / set.len();
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function(format!("{name} (~{mean_words} words)"), |b| {
            b.iter(|| {
                for (i, answer) in set {
                    let rubric = &rubrics[*i];
                    let calibration = shipped_calibration(rubric.origin);
                    black_box(rubric.grade(black_box(answer), calibration));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(wall, bench_grading);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = bench_grading
}
criterion_main!(cpu, wall);
