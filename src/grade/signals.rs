//! Measures an answer against a prepared rubric: per-point coverage with evidence, STAR checks,
//! claim errors, guard flags, and the named [`Signals`] a calibration turns into a score.
//!
//! Signal names are a stable contract with `hone calibrate`: add new ones, never rename.

use crate::rubric::StarPart;

use super::analysis::{analyse, Analysed};
use super::calibration::Signals;
use super::feedback::snippet;
use super::matching::{self, Bag, Matched};
use super::prepared::PreparedRubric;
use super::{claims, guards, star, CompetencyCheck, Coverage, ElementStatus, PointGrade};
use super::{ClaimError, Flag, StarReport};

/// Strength at or above which a point counts as covered.
pub const COVERED: f64 = 0.6;
/// Strength at or above which a point counts as partly covered.
pub const PARTIAL: f64 = 0.25;
/// Share of relevance and competency credit kept by an answer that tells no story.
const NOT_A_STORY: f64 = 0.3;
/// Below this recall of the reference and [`OFF_TOPIC_QUESTION`] of the question, an answer is
/// off topic.
const OFF_TOPIC_REFERENCE: f64 = 0.03;
/// See [`OFF_TOPIC_REFERENCE`].
const OFF_TOPIC_QUESTION: f64 = 0.05;
/// A point spread over several sentences earns this share of its whole-answer match.
const SPREAD_CREDIT: f64 = 0.85;

/// Technical signals (zero for behavioural rubrics).
pub const TECHNICAL: &[&str] = &[
    "point_coverage",
    "points_covered",
    "reference_recall",
    "answer_precision",
    "answer_similarity",
    "length_adequacy",
];
/// Behavioural signals (zero for technical rubrics).
pub const BEHAVIOURAL: &[&str] = &[
    "star_situation",
    "star_task",
    "star_action",
    "star_result",
    "first_person",
    "measurable_result",
    "competencies",
    "story_relevance",
];
/// Penalty signals (any rubric).
pub const PENALTIES: &[&str] = &["claim_errors", "gaming", "filler"];

/// Every signal name, in the order [`Signals`] lists them.
pub fn names() -> Vec<String> {
    name_refs().iter().map(|s| s.to_string()).collect()
}

/// Every signal name as `&str`, in order.
pub fn name_refs() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        TECHNICAL
            .iter()
            .chain(BEHAVIOURAL)
            .chain(PENALTIES)
            .copied()
            .collect()
    })
}

/// Everything measured on one answer, before calibration turns it into a score.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Signal values, in [`name_refs`] order.
    pub values: Vec<f64>,
    /// Per key point coverage.
    pub points: Vec<PointGrade>,
    /// Each point's weight with question words discounted (sums are what improvements use).
    pub effective_weights: Vec<f64>,
    /// STAR analysis for behavioural rubrics.
    pub star: Option<StarReport>,
    /// Claims contradicting the rubric.
    pub claim_errors: Vec<ClaimError>,
    /// Guard flags.
    pub flags: Vec<Flag>,
    /// Whether nothing in the answer relates to the rubric.
    pub off_topic: bool,
}

/// Measures `answer` (already truncated) against the prepared rubric.
pub fn measure(prepared: &PreparedRubric, answer: &str) -> Measurement {
    let analysed = analyse(answer);
    let verdict = guards::check(prepared, answer, &analysed);
    let matched = matching::match_answer(prepared, &analysed, &verdict.creditable);
    let mut values = vec![0.0; TECHNICAL.len() + BEHAVIOURAL.len() + PENALTIES.len()];

    let claim_errors = claims::contradictions(&prepared.claims, &analysed, answer);
    let (points, effective_weights) =
        point_grades(prepared, &matched, answer, &analysed, &claim_errors);
    let mut flags = verdict.flags;
    let star = if prepared.is_behavioural() {
        let (report, star_values, star_flags) = star_report(prepared, answer, &analysed, &matched);
        values[TECHNICAL.len()..TECHNICAL.len() + BEHAVIOURAL.len()].copy_from_slice(&star_values);
        flags.extend(star_flags);
        Some(report)
    } else {
        let tech = technical_values(
            prepared,
            &matched,
            &verdict.creditable,
            &points,
            &effective_weights,
        );
        values[..TECHNICAL.len()].copy_from_slice(&tech);
        None
    };
    let base = TECHNICAL.len() + BEHAVIOURAL.len();
    values[base] = (claim_errors.len() as f64 / 2.0).min(1.0);
    values[base + 1] = if flags.iter().any(|f| is_gaming(&f.code)) {
        1.0
    } else {
        0.0
    };
    values[base + 2] = verdict.filler_share;
    // Off topic: nothing beyond the question's own words, or hardly anything of the reference
    // and little of what the question is about (a poor answer on the subject is weak instead).
    let off_topic = matched
        .whole
        .hits
        .iter()
        .all(|&(k, _)| prepared.in_question[k as usize] && !prepared.in_reference[k as usize])
        || (matched.whole.recall(&prepared.reference) < OFF_TOPIC_REFERENCE
            && matched.whole.recall(&prepared.question) < OFF_TOPIC_QUESTION);
    Measurement {
        values,
        points,
        effective_weights,
        star,
        claim_errors,
        flags,
        off_topic,
    }
}

impl Measurement {
    /// The signals with their names.
    pub fn signals(&self) -> Signals {
        Signals {
            names: names(),
            values: self.values.clone(),
        }
    }
}

/// Whether a flag marks an attempt to earn credit without content.
pub fn is_gaming(code: &str) -> bool {
    matches!(
        code,
        "keyword_stuffing" | "question_pasted" | "star_labels_without_substance" | "repetition"
    )
}

/// Coverage of each key point, with the best sentence as evidence. A point contradicted by a
/// wrong complexity bound is never covered, and the contradicting sentence is never its evidence.
fn point_grades(
    prepared: &PreparedRubric,
    matched: &Matched,
    text: &str,
    analysed: &Analysed,
    claim_errors: &[ClaimError],
) -> (Vec<PointGrade>, Vec<f64>) {
    let mut grades = Vec::with_capacity(prepared.points.len());
    let mut effective = Vec::with_capacity(prepared.points.len());
    let operations: Vec<String> = prepared
        .rubric
        .claims
        .iter()
        .map(|c| c.operation.clone())
        .collect();
    for (index, (kp, point)) in prepared
        .rubric
        .key_points
        .iter()
        .zip(&prepared.points)
        .enumerate()
    {
        let (mut sentence_strength, mut sentence) =
            matching::best_sentence(prepared, point, matched);
        let spread = SPREAD_CREDIT
            * matching::point_strength(prepared, point, &matched.whole)
            * matching::opposition(point, matched);
        let mut strength = sentence_strength.max(spread).clamp(0.0, 1.0);
        let contradicted = claims::contradicting(kp, &operations, claim_errors);
        if !contradicted.is_empty() {
            let is_contradiction = |i: usize| {
                let (s, e) = analysed.sentences[i];
                contradicted.iter().any(|c| c.evidence == text[s..e])
            };
            if sentence.is_some_and(is_contradiction) {
                sentence = None;
                sentence_strength = 0.0;
            }
            // At most partial, and only on the strength of a sentence that does not contradict.
            let cap = if sentence.is_some() {
                COVERED - 1e-6
            } else {
                PARTIAL - 1e-6
            };
            strength = sentence_strength.max(spread).min(cap).clamp(0.0, 1.0);
        }
        let coverage = if strength >= COVERED {
            Coverage::Covered
        } else if strength >= PARTIAL {
            Coverage::Partial
        } else {
            Coverage::Missing
        };
        let evidence = sentence.filter(|_| coverage != Coverage::Missing).map(|i| {
            let (s, e) = analysed.sentences[i];
            snippet(&text[s..e])
        });
        effective.push(kp.weight.max(0.0) * matching::novelty(prepared, point).max(0.2));
        grades.push(PointGrade {
            label: kp.label.clone(),
            kind: kp.kind,
            weight: kp.weight,
            coverage,
            strength,
            evidence,
            examples: if coverage == Coverage::Covered {
                Vec::new()
            } else {
                super::feedback::examples_for(prepared, index, &matched.whole)
            },
        });
    }
    (grades, effective)
}

/// The technical signal values, in [`TECHNICAL`] order.
fn technical_values(
    prepared: &PreparedRubric,
    matched: &Matched,
    creditable: &[bool],
    points: &[PointGrade],
    effective: &[f64],
) -> Vec<f64> {
    let total: f64 = effective.iter().sum();
    let (coverage, covered) = if total > 0.0 {
        (
            points
                .iter()
                .zip(effective)
                .map(|(p, w)| p.strength * w)
                .sum::<f64>()
                / total,
            points
                .iter()
                .zip(effective)
                .filter(|(p, _)| p.coverage == Coverage::Covered)
                .map(|(_, w)| w)
                .sum::<f64>()
                / total,
        )
    } else {
        let r = matched.whole.recall(&prepared.reference);
        (r, r)
    };
    let recall = matched.whole.recall(&prepared.reference);
    let precision = matching::precision(prepared, matched, creditable);
    let similarity = matching::cosine(prepared, matched, creditable);
    let answer_len = matched
        .words
        .iter()
        .filter(|(s, hit)| {
            creditable.get(*s).copied().unwrap_or(true)
                && !hit.is_some_and(|(k, _)| prepared.in_question[k as usize])
        })
        .count();
    let expected = (prepared.reference_len as f64 * 0.5).clamp(6.0, 60.0);
    let length = (answer_len as f64 / expected).min(1.0);
    vec![coverage, covered, recall, precision, similarity, length]
}

/// Numeric value of an element status for signals.
fn status_value(status: ElementStatus) -> f64 {
    match status {
        ElementStatus::Present => 1.0,
        ElementStatus::Thin => 0.4,
        ElementStatus::Missing => 0.0,
    }
}

/// The STAR report, its signal values (in [`BEHAVIOURAL`] order) and flags.
fn star_report(
    prepared: &PreparedRubric,
    text: &str,
    analysed: &Analysed,
    matched: &Matched,
) -> (StarReport, Vec<f64>, Vec<Flag>) {
    let seg = star::segment(text, analysed);
    let elements = star::check(text, analysed, &seg);
    let first_person = star::first_person_share(text, analysed, &seg);
    let measurable = star::measurable_result(text, analysed, &seg);
    let competencies: Vec<CompetencyCheck> = prepared
        .rubric
        .competencies
        .iter()
        .zip(&prepared.competencies)
        .map(|(c, point)| {
            let (strength, sentence) = matching::best_sentence(prepared, point, matched);
            let shown = strength >= 0.5;
            CompetencyCheck {
                name: c.name.clone(),
                shown,
                evidence: sentence.filter(|_| shown).map(|i| {
                    let (s, e) = analysed.sentences[i];
                    snippet(&text[s..e])
                }),
            }
        })
        .collect();
    let competency_share = if competencies.is_empty() {
        0.5
    } else {
        competencies.iter().filter(|c| c.shown).count() as f64 / competencies.len() as f64
    };
    let mut relevance = story_relevance(prepared, &matched.whole);
    let mut competency_share = competency_share;
    if !seg.told_as_story {
        // General claims about oneself are not a story; what they mention counts little.
        relevance *= NOT_A_STORY;
        competency_share *= NOT_A_STORY;
    }
    let mut flags = Vec::new();
    let none_present = elements
        .iter()
        .all(|e| e.status != super::ElementStatus::Present);
    if seg.labelled && (seg.empty_labels.len() >= 2 || none_present) {
        let names: Vec<&str> = if seg.empty_labels.is_empty() {
            elements.iter().map(|e| e.part.title()).collect()
        } else {
            seg.empty_labels.iter().map(|p| p.title()).collect()
        };
        flags.push(Flag {
            code: "star_labels_without_substance".into(),
            message: format!(
                "the {} label(s) have little or nothing specific after them; the labels alone earn nothing",
                names.join(", ")
            ),
        });
    }
    let status = |part: StarPart| {
        elements
            .iter()
            .find(|e| e.part == part)
            .map_or(0.0, |e| status_value(e.status))
    };
    let action_present = status(StarPart::Action) > 0.0;
    let values = vec![
        status(StarPart::Situation),
        status(StarPart::Task),
        status(StarPart::Action),
        status(StarPart::Result),
        if action_present { first_person } else { 0.0 },
        if measurable { 1.0 } else { 0.0 },
        competency_share,
        relevance,
    ];
    let report = StarReport {
        elements,
        first_person_share: first_person,
        measurable_result: measurable,
        competencies,
    };
    (report, values, flags)
}

/// How much the story is about what the question asks: recall of the question's words and of
/// the model story's, the better of the two, scaled so that a fair overlap counts fully.
fn story_relevance(prepared: &PreparedRubric, whole: &Bag) -> f64 {
    let question = whole.recall(&prepared.question);
    let reference = whole.recall(&prepared.reference);
    (2.0 * question.max(reference)).min(1.0)
}
