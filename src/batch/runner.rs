//! The batch runner: resolves each answer's rubric, grades on every core, and hands finished
//! records back in completion order.
//!
//! Threads: the caller's iterator is read on one thread (which also looks up `--resume` hits in
//! the results file), `jobs` workers grade (reusing an earlier record only when its
//! `graded_with` fingerprint matches this run's), and the calling thread receives each record as
//! soon as it is done (to append it to the results file, update the summary and the progress bar).
//! Channels are bounded, so memory stays flat however long the input is.
//!
//! Grading goes through the [`Grader`] trait: [`LocalGrader`] is the pure local grader,
//! [`LlmGrader`] adds the LLM judge's verdict (each worker blocks on the judge's own runtime,
//! which limits requests in flight and per minute). Each question's rubric is prepared once.

use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::item::{AnswerItem, Input};
use super::key::AnswerKey;
use super::record::{QuestionInfo, Record};
use super::resume::Previous;
use super::shard::Shard;
use crate::bank::Catalog;
use crate::grade::{self, Grade, PreparedRubric};
use crate::llm::cli::LlmRun;
use crate::rubric::store::RubricStore;

/// Something that grades an answer against a (prepared) rubric.
pub trait Grader: Sync {
    /// Grades `answer`; an `Err` becomes an error row with that message.
    fn grade(&self, rubric: &PreparedRubric, answer: &str) -> Result<Grade, String>;

    /// What besides the rubric and calibration decides a grade: `local`, or the LLM judge's
    /// identity. Part of each record's `graded_with` fingerprint.
    fn method(&self) -> String {
        "local".to_string()
    }
}

/// The local grader (the calibration every command uses): pure, fast, no I/O.
#[derive(Debug, Clone, Copy)]
pub struct LocalGrader<'a> {
    /// The shared grader (calibration and term weights).
    pub grader: &'a grade::Grader,
}

impl Grader for LocalGrader<'_> {
    fn grade(&self, rubric: &PreparedRubric, answer: &str) -> Result<Grade, String> {
        Ok(self.grader.grade(rubric, answer))
    }
}

/// The local grade combined with the LLM judge's verdict. A judge failure does not fail the
/// row: the local grade stands and `grade.llm` says the judge did not grade it.
pub struct LlmGrader<'a> {
    /// The resolved judge run (`--llm`).
    pub run: &'a LlmRun,
    /// The local grade the judge's verdict is combined with.
    pub local: LocalGrader<'a>,
}

impl Grader for LlmGrader<'_> {
    fn grade(&self, rubric: &PreparedRubric, answer: &str) -> Result<Grade, String> {
        let local = self.local.grade(rubric, answer)?;
        let item = (rubric.rubric.clone(), answer.to_string(), local);
        self.run
            .judge_grades(vec![item])
            .pop()
            .ok_or_else(|| "internal error: the judge returned no grade".to_string())
    }

    fn method(&self) -> String {
        let s = self.run.judge.settings();
        format!(
            "llm\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            s.endpoint.model,
            s.endpoint.redacted_base_url(),
            s.prompts.judge_hash(),
            s.samples,
            s.max_answer_tokens
        )
    }
}

/// A prepared rubric with what the report needs to know about its question.
#[derive(Debug)]
pub struct Resolved {
    /// The question's id, text, section and kind.
    pub info: QuestionInfo,
    /// The rubric, prepared for grading many answers.
    pub rubric: PreparedRubric,
    /// Hash of what the local grade depends on: grader version, calibration, rubric, term
    /// weights (see [`Record::graded_with`]).
    pub local_fingerprint: String,
}

impl Resolved {
    fn new(info: QuestionInfo, rubric: PreparedRubric, grader: &grade::Grader) -> Resolved {
        let calibration = grader.calibration_for(rubric.origin);
        let mut hasher = Sha256::new();
        for part in [
            grade::GRADER_VERSION.to_string(),
            serde_json::to_string(calibration).unwrap_or_default(),
            serde_json::to_string(&rubric.rubric).unwrap_or_default(),
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        for (key, weight) in rubric.keys.iter().zip(&rubric.weights) {
            hasher.update(key.as_bytes());
            hasher.update(weight.to_le_bytes());
        }
        Resolved {
            info,
            rubric,
            local_fingerprint: hex(&hasher.finalize()),
        }
    }

    /// The `graded_with` fingerprint of a grade of this rubric by `grader`.
    pub fn fingerprint(&self, grader: &dyn Grader) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.local_fingerprint.as_bytes());
        hasher.update([0x1f]);
        hasher.update(grader.method().as_bytes());
        hex(&hasher.finalize()[..16])
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Finds the rubric for each answer: from its `reference` when given, else from the catalog and
/// rubric store. Results (and misses) are cached per question, up to a bound.
pub struct Resolver<'a> {
    catalog: &'a Catalog,
    store: &'a RubricStore,
    grader: &'a grade::Grader,
    cache: Mutex<HashMap<AnswerKey, Result<Arc<Resolved>, String>>>,
}

/// How many distinct questions the resolver remembers; past that it resolves afresh each time.
const RESOLVER_CACHE_LIMIT: usize = 4096;

impl<'a> Resolver<'a> {
    /// A resolver over a catalog and a rubric store; rubrics are prepared by `grader`.
    pub fn new(catalog: &'a Catalog, store: &'a RubricStore, grader: &'a grade::Grader) -> Self {
        Self {
            catalog,
            store,
            grader,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The rubric for an answer, or a message saying why there is none.
    pub fn resolve(&self, item: &AnswerItem) -> Result<Arc<Resolved>, String> {
        let key = cache_key(item);
        if let Some(hit) = self.cache.lock().expect("resolver cache").get(&key) {
            return hit.clone();
        }
        let resolved = self.resolve_uncached(item).map(Arc::new);
        let mut cache = self.cache.lock().expect("resolver cache");
        if cache.len() < RESOLVER_CACHE_LIMIT {
            cache.insert(key, resolved.clone());
        }
        resolved
    }

    fn resolve_uncached(&self, item: &AnswerItem) -> Result<Resolved, String> {
        if let Some(reference) = &item.reference {
            return Ok(adhoc(item, reference, self.grader));
        }
        let question = self.catalog.find(&item.question).map_err(|e| {
            if e.hint.is_some() {
                e.to_string()
            } else {
                format!("{e} (hint: use a bank id from `hone list`, or add a `reference` answer)")
            }
        })?;
        let rubric = self.store.rubric_for(question).map_err(|e| e.to_string())?;
        let info = QuestionInfo {
            id: question.id.clone(),
            text: question.text.clone(),
            section: question.section_title.clone(),
            kind: question.kind,
        };
        Ok(Resolved::new(
            info,
            self.grader.prepare(&rubric),
            self.grader,
        ))
    }
}

fn cache_key(item: &AnswerItem) -> AnswerKey {
    let probe = AnswerItem {
        answer: item.reference.clone().unwrap_or_default(),
        candidate: item.kind.map(|k| k.as_str().to_string()),
        source: item.source.clone(),
        question: item.question.clone(),
        reference: None,
        kind: None,
        fields: Default::default(),
    };
    AnswerKey::of_answer(&probe)
}

/// A rubric built on the fly from the row's reference answer.
fn adhoc(item: &AnswerItem, reference: &str, grader: &grade::Grader) -> Resolved {
    let hash = AnswerKey::of_answer(&AnswerItem {
        answer: reference.to_string(),
        candidate: None,
        ..item.clone()
    })
    .to_hex();
    let id = format!("adhoc:{}", &hash[..8]);
    let kind = item.kind;
    let rubric = crate::rubric::extract::from_reference(&id, &item.question, reference, kind);
    let info = QuestionInfo {
        id,
        text: item.question.clone(),
        section: "Ad hoc".to_string(),
        kind: rubric.kind,
    };
    Resolved::new(info, grader.prepare(&rubric), grader)
}

/// How to run a batch.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Only grade this slice.
    pub shard: Option<Shard>,
    /// Grading threads (at least 1).
    pub jobs: usize,
}

/// Where a record handed back by [`run`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Graded (or failed) in this run: append it to the results file.
    Fresh,
    /// Taken from the results file of an earlier run (`--resume`): already there.
    Reused,
}

/// Grades every input and calls `on_record` on the calling thread for each finished record, in
/// completion order. Stops early (returning the error) if `on_record` fails.
pub fn run<I, F>(
    inputs: I,
    options: RunOptions,
    resolver: &Resolver<'_>,
    grader: &dyn Grader,
    previous: &mut Previous,
    mut on_record: F,
) -> anyhow::Result<()>
where
    I: Iterator<Item = Input> + Send,
    F: FnMut(Record, Origin) -> anyhow::Result<()>,
{
    let jobs = options.jobs.max(1);
    let (work_tx, work_rx) = sync_channel::<Work>(jobs * 64);
    let (done_tx, done_rx) = sync_channel::<Finished>(jobs * 64);
    let work_rx = Arc::new(Mutex::new(work_rx));
    std::thread::scope(|scope| {
        let feeder_done = done_tx.clone();
        scope.spawn(move || feed(inputs, options.shard, previous, work_tx, feeder_done));
        for _ in 0..jobs {
            let done = done_tx.clone();
            let work = Arc::clone(&work_rx);
            scope.spawn(move || grade_worker(work, resolver, grader, done));
        }
        drop(done_tx);
        drop(work_rx);
        // `drain` owns the receiving end: returning early drops it, which stops every thread.
        drain(done_rx, &mut on_record)
    })
}

type Finished = anyhow::Result<(Record, Origin)>;

/// An answer to grade, with the record an earlier run left for it (`--resume`), which a worker
/// reuses only if it was graded the way this run grades.
type Work = (AnswerItem, Option<Record>);

fn drain<F>(done: Receiver<Finished>, on_record: &mut F) -> anyhow::Result<()>
where
    F: FnMut(Record, Origin) -> anyhow::Result<()>,
{
    for message in done.iter() {
        let (record, origin) = message?;
        on_record(record, origin)?;
    }
    Ok(())
}

/// Reads inputs, applies the shard, answers resume hits and failures directly, queues the rest.
fn feed<I: Iterator<Item = Input>>(
    inputs: I,
    shard: Option<Shard>,
    previous: &mut Previous,
    work: SyncSender<Work>,
    done: SyncSender<Finished>,
) {
    for input in inputs {
        let sent = match input {
            Input::Failure(failure) => {
                let key = AnswerKey::of_failure(&failure);
                if shard.is_some_and(|s| !s.contains(key)) {
                    continue;
                }
                done.send(Ok((Record::input_error(&failure), Origin::Fresh)))
                    .is_ok()
            }
            Input::Answer(item) => {
                let key = AnswerKey::of_answer(&item);
                if shard.is_some_and(|s| !s.contains(key)) {
                    continue;
                }
                match previous.get(key) {
                    Ok(earlier) => work.send((item, earlier)).is_ok(),
                    Err(e) => done.send(Err(e)).is_ok(),
                }
            }
        };
        if !sent {
            return; // the receiver stopped: an error is on its way up
        }
    }
}

/// An earlier grade, shown at the answer's current place in the inputs.
fn reuse(item: &AnswerItem, earlier: Record) -> Record {
    Record {
        source: item.source.clone(),
        fields: item.fields.clone(),
        ..earlier
    }
}

fn grade_worker(
    work: Arc<Mutex<Receiver<Work>>>,
    resolver: &Resolver<'_>,
    grader: &dyn Grader,
    done: SyncSender<Finished>,
) {
    loop {
        let next = work.lock().expect("work queue").recv();
        let Ok((item, earlier)) = next else { return };
        let finished = match earlier.filter(|e| reusable(e, &item, resolver, grader)) {
            Some(earlier) => (reuse(&item, earlier), Origin::Reused),
            None => (grade_one(&item, resolver, grader), Origin::Fresh),
        };
        if done.send(Ok(finished)).is_err() {
            return;
        }
    }
}

/// Whether an earlier record stands for this run: graded the same way (local or LLM, model,
/// rubric, calibration, as its `graded_with` says) and not left ungraded by the judge.
fn reusable(
    earlier: &Record,
    item: &AnswerItem,
    resolver: &Resolver<'_>,
    grader: &dyn Grader,
) -> bool {
    let judge_failed = earlier
        .grade
        .as_ref()
        .and_then(|g| g.llm.as_ref())
        .is_some_and(|o| !o.is_graded());
    if judge_failed {
        return false;
    }
    let Ok(resolved) = resolver.resolve(item) else {
        return false;
    };
    earlier.graded_with.as_deref() == Some(resolved.fingerprint(grader).as_str())
}

/// Grades one answer into a record (an error record when the question is unknown).
pub fn grade_one(item: &AnswerItem, resolver: &Resolver<'_>, grader: &dyn Grader) -> Record {
    match resolver.resolve(item) {
        Err(message) => Record::answer_error(item, None, message),
        Ok(resolved) => match grader.grade(&resolved.rubric, &item.answer) {
            Ok(grade) => Record {
                graded_with: Some(resolved.fingerprint(grader)),
                ..Record::graded(item, &resolved.info, grade)
            },
            Err(message) => Record::answer_error(item, Some(&resolved.info), message),
        },
    }
}
