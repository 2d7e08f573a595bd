//! Agreement with human graders: read a human-graded JSONL file (`dataset`), build each
//! question's rubric once (`rubrics`), score every answer on all cores (`scoring`, `parallel`),
//! and compute the agreement figures (`metrics`, `summary`, `scale`).
//!
//! `hone calibrate` builds on the same pieces: it gathers signals and grades (`calibrate`), fits
//! ridge regression (`ridge`) and a monotone mapping (`isotonic`) to them (`fit`), and
//! cross-validates with folds that hold out whole questions (`folds`, `crossval`).

pub mod calibrate;
pub mod crossval;
pub mod dataset;
pub mod expected;
pub mod fit;
pub mod folds;
pub mod isotonic;
pub mod metrics;
pub mod parallel;
pub mod ridge;
pub mod rubrics;
pub mod scale;
pub mod scoring;
pub mod summary;

use dataset::{BadLine, Dataset, Expected};
use expected::{ExpectedFigures, ExpectedScore};
use scoring::Scorer;
use summary::{Scored, Summary};

use crate::grade::Grader;
use crate::rubric::Rubric;
use crate::InputError;

/// The outcome of evaluating a data set.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The agreement figures over every answer that could be scored.
    pub summary: Summary,
    /// Lines that could not be scored, in line order.
    pub bad_lines: Vec<BadLine>,
    /// Distinct rubrics built or looked up.
    pub distinct_rubrics: usize,
    /// Figures against expected ranges, when the file gives them.
    pub expected: Option<ExpectedFigures>,
    /// Every scored answer, in file order.
    pub answers: Vec<ScoredAnswer>,
}

/// One scored answer, for listing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoredAnswer {
    /// 1-based line in the file.
    pub line: usize,
    /// Question group.
    pub group: String,
    /// The human grade as a number.
    pub human: f64,
    /// hone's score, 0..=100.
    pub score: f64,
    /// The variant, when the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The expected range, when the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_range: Option<(u8, u8)>,
}

/// One answer with its rubric and full local grade, for a grader layered over the local one
/// (`hone eval --llm` combines the LLM judge's verdict with it).
#[derive(Debug, Clone)]
pub struct GradedItem {
    /// Question group.
    pub group: String,
    /// The human grade.
    pub human: dataset::HumanGrade,
    /// The rubric it was graded against.
    pub rubric: Rubric,
    /// The answer.
    pub answer: String,
    /// The local grade.
    pub grade: crate::grade::Grade,
}

/// Every answer of `dataset` that resolves to a rubric, graded locally (file order).
pub fn graded_items(
    dataset: Dataset,
    bank_rubric: impl Fn(&str) -> Result<Rubric, InputError>,
    grader: &Grader,
) -> Vec<GradedItem> {
    let resolved = rubrics::resolve(dataset.items, bank_rubric);
    let scorer = Scorer::new(&resolved.rubrics, grader);
    let grades = parallel::map(&resolved.items, |(item, rubric)| {
        scorer.grade(*rubric, &item.answer)
    });
    resolved
        .items
        .into_iter()
        .zip(grades)
        .map(|((item, rubric), grade)| GradedItem {
            group: item.group,
            human: item.human,
            rubric: resolved.rubrics[rubric].clone(),
            answer: item.answer,
            grade,
        })
        .collect()
}

/// Scores every answer of `dataset` and compares with the human grades.
///
/// `bank_rubric` resolves a bank id (or exact question text) to its rubric; `grader` prepares
/// and scores every rubric exactly as `hone grade` does.
pub fn evaluate(
    dataset: Dataset,
    bank_rubric: impl Fn(&str) -> Result<Rubric, InputError>,
    grader: &Grader,
) -> Evaluation {
    let resolved = rubrics::resolve(dataset.items, bank_rubric);
    let scorer = Scorer::new(&resolved.rubrics, grader);
    let scores = parallel::map(&resolved.items, |(item, rubric)| {
        scorer.score(*rubric, &item.answer)
    });
    let scored: Vec<Scored> = resolved
        .items
        .iter()
        .zip(scores)
        .map(|((item, _), score)| Scored {
            group: item.group.clone(),
            human: item.human,
            score,
        })
        .collect();
    let with_expected: Vec<(&str, &Expected, f64)> = resolved
        .items
        .iter()
        .zip(&scored)
        .filter_map(|((item, _), s)| Some((item.group.as_str(), item.expected.as_ref()?, s.score)))
        .collect();
    let expected = ExpectedFigures::compute(
        &with_expected
            .iter()
            .map(|&(group, expected, score)| ExpectedScore {
                group,
                expected,
                score,
            })
            .collect::<Vec<_>>(),
    );
    let answers = resolved
        .items
        .iter()
        .zip(&scored)
        .map(|((item, _), s)| ScoredAnswer {
            line: item.line,
            group: item.group.clone(),
            human: item.human.value(),
            score: s.score,
            variant: item.expected.as_ref().map(|e| e.variant.clone()),
            expected_range: item.expected.as_ref().map(|e| (e.min, e.max)),
        })
        .collect();
    let mut bad_lines = dataset.bad_lines;
    bad_lines.extend(resolved.bad_lines);
    bad_lines.sort_by_key(|b| b.line);
    Evaluation {
        summary: Summary::compute(&scored),
        bad_lines,
        distinct_rubrics: resolved.rubrics.len(),
        expected,
        answers,
    }
}
