//! Measures an answer against a prepared rubric: per-point coverage with evidence, STAR checks,
//! claim errors, guard flags, and the named [`Signals`] a calibration turns into a score.
//!
//! Signal names are a stable contract with `hone calibrate`: add new ones, never rename.

use crate::rubric::StarPart;

use super::analysis::{analyse, Analysed};
use super::calibration::Signals;
use super::matching::{self, Bag, Matched};
use super::prepared::PreparedRubric;
use super::{
    claims, correctness, guards, star, CompetencyCheck, Coverage, ElementStatus, PointGrade,
};
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

/// The family a signal belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Technical answers only (zero for behavioural rubrics).
    Technical,
    /// Behavioural answers only (zero for technical rubrics).
    Behavioural,
    /// Gaming and errors: may only lower a score.
    Penalty,
    /// Correctness checks that may raise a score.
    Correctness,
    /// Correctness checks that may only lower a score.
    CorrectnessPenalty,
}

/// One named signal of the local grader. Names are a stable contract with `hone calibrate`
/// and calibration files: add signals, never rename. A new signal is one variant here (with its
/// name and group below) and its value in [`measure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Weighted coverage of the key points.
    PointCoverage,
    /// Weighted share of key points fully covered.
    PointsCovered,
    /// Weighted recall of the reference's words.
    ReferenceRecall,
    /// Share of the answer's words that match the reference.
    AnswerPrecision,
    /// Cosine similarity to the reference.
    AnswerSimilarity,
    /// Answer length against what the reference needs.
    LengthAdequacy,
    /// Situation present / thin / missing.
    StarSituation,
    /// Task present / thin / missing.
    StarTask,
    /// Action present / thin / missing.
    StarAction,
    /// Result present / thin / missing.
    StarResult,
    /// Share of actions told as "I".
    FirstPerson,
    /// Whether the result is measured.
    MeasurableResult,
    /// Share of the rubric's competencies shown.
    Competencies,
    /// How much the story is about what the question asks.
    StoryRelevance,
    /// Wrong complexity bounds.
    ClaimErrors,
    /// Keyword stuffing, the question pasted back, empty STAR labels, repetition.
    Gaming,
    /// Stock phrases per sentence.
    Filler,
    /// Weighted coverage of the core points.
    CoreCoverage,
    /// Share of the answer's words in sentences that explain.
    ExplainedShare,
    /// Fit to this question relative to the best sibling question.
    TopicFit,
    /// Concrete details (numbers, names), up to six.
    ConcreteDetail,
    /// Misconceptions stated (two or more count fully).
    Misconceptions,
    /// Share of sentences stating something wrong.
    Contradictions,
}

impl Signal {
    /// Every signal, in the order [`Signals`] lists them (declaration order).
    pub const ALL: [Signal; 23] = [
        Signal::PointCoverage,
        Signal::PointsCovered,
        Signal::ReferenceRecall,
        Signal::AnswerPrecision,
        Signal::AnswerSimilarity,
        Signal::LengthAdequacy,
        Signal::StarSituation,
        Signal::StarTask,
        Signal::StarAction,
        Signal::StarResult,
        Signal::FirstPerson,
        Signal::MeasurableResult,
        Signal::Competencies,
        Signal::StoryRelevance,
        Signal::ClaimErrors,
        Signal::Gaming,
        Signal::Filler,
        Signal::CoreCoverage,
        Signal::ExplainedShare,
        Signal::TopicFit,
        Signal::ConcreteDetail,
        Signal::Misconceptions,
        Signal::Contradictions,
    ];

    /// The signal's name in calibration files.
    pub const fn name(self) -> &'static str {
        match self {
            Signal::PointCoverage => "point_coverage",
            Signal::PointsCovered => "points_covered",
            Signal::ReferenceRecall => "reference_recall",
            Signal::AnswerPrecision => "answer_precision",
            Signal::AnswerSimilarity => "answer_similarity",
            Signal::LengthAdequacy => "length_adequacy",
            Signal::StarSituation => "star_situation",
            Signal::StarTask => "star_task",
            Signal::StarAction => "star_action",
            Signal::StarResult => "star_result",
            Signal::FirstPerson => "first_person",
            Signal::MeasurableResult => "measurable_result",
            Signal::Competencies => "competencies",
            Signal::StoryRelevance => "story_relevance",
            Signal::ClaimErrors => "claim_errors",
            Signal::Gaming => "gaming",
            Signal::Filler => "filler",
            Signal::CoreCoverage => "core_coverage",
            Signal::ExplainedShare => "explained_share",
            Signal::TopicFit => "topic_fit",
            Signal::ConcreteDetail => "concrete_detail",
            Signal::Misconceptions => "misconceptions",
            Signal::Contradictions => "contradictions",
        }
    }

    /// The signal's family.
    pub const fn group(self) -> Group {
        match self {
            Signal::PointCoverage
            | Signal::PointsCovered
            | Signal::ReferenceRecall
            | Signal::AnswerPrecision
            | Signal::AnswerSimilarity
            | Signal::LengthAdequacy => Group::Technical,
            Signal::StarSituation
            | Signal::StarTask
            | Signal::StarAction
            | Signal::StarResult
            | Signal::FirstPerson
            | Signal::MeasurableResult
            | Signal::Competencies
            | Signal::StoryRelevance => Group::Behavioural,
            Signal::ClaimErrors | Signal::Gaming | Signal::Filler => Group::Penalty,
            Signal::CoreCoverage
            | Signal::ExplainedShare
            | Signal::TopicFit
            | Signal::ConcreteDetail => Group::Correctness,
            Signal::Misconceptions | Signal::Contradictions => Group::CorrectnessPenalty,
        }
    }

    /// Whether the signal may only lower a score (a fit keeps its weight at or below zero).
    pub fn is_penalty(self) -> bool {
        matches!(self.group(), Group::Penalty | Group::CorrectnessPenalty)
    }
}

/// The names of the signals of a family.
pub fn names_in(group: Group) -> Vec<&'static str> {
    Signal::ALL
        .iter()
        .filter(|s| s.group() == group)
        .map(|s| s.name())
        .collect()
}

/// Every signal name, in the order [`Signals`] lists them.
pub fn names() -> Vec<String> {
    name_refs().iter().map(|s| s.to_string()).collect()
}

/// Every signal name as `&str`, in order.
pub fn name_refs() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| Signal::ALL.iter().map(|s| s.name()).collect())
}

/// Whether a signal name may only lower a score.
pub fn is_penalty(name: &str) -> bool {
    Signal::ALL
        .iter()
        .any(|s| s.name() == name && s.is_penalty())
}

/// Signal values indexed by [`Signal`], in [`Signal::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Values(pub Vec<f64>);

impl Values {
    /// Every signal at zero.
    pub fn zero() -> Values {
        Values(vec![0.0; Signal::ALL.len()])
    }

    /// Sets a signal's value.
    pub fn set(&mut self, signal: Signal, value: f64) {
        self.0[signal as usize] = value;
    }
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
    /// Misconceptions stated and key points contradicted, with their sentences.
    pub wrong_claims: Vec<super::WrongClaim>,
    /// Sentences stating something wrong, out of the answer's sentences with content.
    pub wrong_sentences: (usize, usize),
    /// How well the answer fits this question and the best-fitting sibling question.
    pub topic: (f64, f64),
    /// Concrete details (numbers, names) in the answer.
    pub concrete: usize,
    /// Share of the answer's content words in sentences that explain rather than list.
    pub explained_share: f64,
}

/// `answer` with every sentence that overlaps text aimed at the grader replaced by spaces of
/// the same byte length, or `None` when there is none.
fn blank_injected(answer: &str, sentences: &[(usize, usize)]) -> Option<String> {
    let spans = super::injection::spans(answer);
    if spans.is_empty() {
        return None;
    }
    let mut bytes = answer.as_bytes().to_vec();
    let mut blanked = false;
    for &(s, e) in sentences {
        if spans.iter().any(|span| s < span.end && span.start < e) {
            bytes[s..e].fill(b' ');
            blanked = true;
        }
    }
    // Sentence spans lie on char boundaries, so the bytes are still UTF-8.
    blanked.then(|| String::from_utf8(bytes).expect("whole sentences were blanked"))
}

/// Share of a match kept in a terse sentence (a keyword list, a note): naming a term is not
/// explaining it.
const TERSE_CREDIT: f64 = 0.45;

/// Measures `answer` (already truncated) against the prepared rubric.
///
/// Sentences addressed to the grader (see [`super::injection::spans`]) are blanked out first:
/// they earn nothing for their own words, so the answer measures as if they were not there
/// (blanked with spaces, so byte offsets into `answer` stay valid). The `injection` flag is
/// raised on the whole answer by the caller.
pub fn measure(prepared: &PreparedRubric, answer: &str) -> Measurement {
    let mut analysed = analyse(answer);
    if let Some(blanked) = blank_injected(answer, &analysed.sentences) {
        // One pass: what is left is graded as written.
        analysed = analyse(&blanked);
        return measure_analysed(prepared, &blanked, analysed);
    }
    measure_analysed(prepared, answer, analysed)
}

fn measure_analysed(prepared: &PreparedRubric, answer: &str, analysed: Analysed) -> Measurement {
    let verdict = guards::check(prepared, answer, &analysed);
    let misconception_hits = if prepared.misconceptions.is_empty() {
        Vec::new()
    } else {
        let clauses = correctness::clauses(answer, &analysed);
        correctness::misconceptions(&prepared.misconceptions, &clauses)
    };
    // A behavioural story's red flags (blame, hiding, dismissing others) are wrong whatever
    // the question.
    let red_flag_hits = if prepared.is_behavioural() {
        super::red_flags::find(answer, &analysed.sentences)
    } else {
        Vec::new()
    };
    let mut creditable = verdict.creditable.clone();
    for hit in &misconception_hits {
        creditable[hit.sentence] = false;
    }
    for &(_, sentence) in &red_flag_hits {
        creditable[sentence] = false;
    }
    let mut matched = matching::match_answer(prepared, &analysed, &creditable);
    for i in 0..analysed.sentences.len() {
        let (s, e) = analysed.sentences[i];
        if guards::is_code(&answer[s..e]) {
            matched.negated_keys[i].clear();
            matched.subject_negated[i].clear();
        }
    }
    // Short answers against a reference (a class quiz) are terse by nature: only interview
    // answers to bank questions are expected to explain.
    let explains = prepared.origin == super::prepared::Origin::Bank;
    let terse = if explains {
        correctness::terse_sentences(answer, &analysed)
    } else {
        vec![false; analysed.sentences.len()]
    };
    // Notes that only name terms earn part of their credit; code says what it means in its
    // own notation, so it is never a note.
    let word_counts = analysed.sentence_word_counts();
    let note: Vec<bool> = (0..analysed.sentences.len())
        .map(|i| {
            let (s, e) = analysed.sentences[i];
            terse[i] && !correctness::is_code(&answer[s..e])
        })
        .collect();
    if note.contains(&true) {
        for (bag, _) in matched.sentences.iter_mut().zip(&note).filter(|(_, n)| **n) {
            for hit in &mut bag.hits {
                hit.1 *= TERSE_CREDIT;
            }
        }
        matched.whole = matching::Bag::default();
        for bag in &matched.sentences {
            for &(k, strength) in &bag.hits {
                matched.whole.add(k, strength);
            }
        }
    }
    let (mut explained, mut content) = (0usize, 0usize);
    for (&(all, stop), &is_note) in word_counts.iter().zip(&note) {
        content += all - stop;
        if !is_note {
            explained += all - stop;
        }
    }
    let explained_share = if content == 0 {
        0.0
    } else {
        explained as f64 / content as f64
    };
    let mut values = Values::zero();

    let claim_errors = claims::contradictions(&prepared.claims, &analysed, answer);
    let (points, effective_weights, contradicted) =
        point_grades(prepared, &matched, answer, &analysed, &claim_errors);
    let mut wrong_claims: Vec<super::WrongClaim> = Vec::new();
    let mut wrong_sentence_set: Vec<usize> = Vec::new();
    for hit in &misconception_hits {
        if wrong_sentence_set.contains(&hit.sentence) {
            // One wrong sentence counts once, however many detectors it trips.
            continue;
        }
        let m = &prepared.rubric.misconceptions[hit.index];
        let (s, e) = analysed.sentences[hit.sentence];
        wrong_claims.push(super::WrongClaim {
            kind: super::WrongKind::Misconception,
            claim: m.claim.clone(),
            correction: m.correction.clone(),
            evidence: whole_sentence(&answer[s..e]),
        });
        wrong_sentence_set.push(hit.sentence);
    }
    for &(flag, sentence) in &red_flag_hits {
        if wrong_sentence_set.contains(&sentence) {
            continue;
        }
        let flag = &super::red_flags::flags()[flag];
        let (s, e) = analysed.sentences[sentence];
        wrong_claims.push(super::WrongClaim {
            kind: super::WrongKind::Misconception,
            claim: flag.claim.to_string(),
            correction: flag.correction.to_string(),
            evidence: whole_sentence(&answer[s..e]),
        });
        wrong_sentence_set.push(sentence);
    }
    for &(point, sentence) in &contradicted {
        if wrong_sentence_set.contains(&sentence) {
            continue;
        }
        let kp = &prepared.rubric.key_points[point];
        let (s, e) = analysed.sentences[sentence];
        wrong_claims.push(super::WrongClaim {
            kind: super::WrongKind::ContradictsPoint,
            claim: kp.label.clone(),
            correction: if kp.statement.is_empty() {
                kp.reference
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            } else {
                kp.statement.clone()
            },
            evidence: whole_sentence(&answer[s..e]),
        });
        wrong_sentence_set.push(sentence);
    }
    let substantive = word_counts
        .iter()
        .filter(|(all, stop)| all - stop >= 3)
        .count()
        .max(1);
    let wrong_sentences = (wrong_sentence_set.len(), substantive);
    let mut flags = verdict.flags;
    let star = if prepared.is_behavioural() {
        let (report, star_values, star_flags) = star_report(prepared, answer, &analysed, &matched);
        for (signal, value) in star_values {
            values.set(signal, value);
        }
        flags.extend(star_flags);
        Some(report)
    } else {
        let tech = technical_values(prepared, &matched, &creditable, &points, &effective_weights);
        for (signal, value) in tech {
            values.set(signal, value);
        }
        None
    };
    values.set(
        Signal::ClaimErrors,
        (claim_errors.len() as f64 / 2.0).min(1.0),
    );
    values.set(
        Signal::Gaming,
        if flags.iter().any(|f| is_gaming(&f.code)) {
            1.0
        } else {
            0.0
        },
    );
    values.set(Signal::Filler, verdict.filler_share);
    // Off topic: nothing beyond the question's own words, or hardly anything of the reference
    // and little of what the question is about (a poor answer on the subject is weak instead).
    let off_topic = matched
        .whole
        .hits
        .iter()
        .all(|&(k, _)| prepared.in_question[k as usize] && !prepared.in_reference[k as usize])
        || (matched.whole.recall(&prepared.reference) < OFF_TOPIC_REFERENCE
            && matched.whole.recall(&prepared.question) < OFF_TOPIC_QUESTION);
    let all_keys: rustc_hash::FxHashSet<&str> =
        analysed.words.iter().map(|w| w.key.as_str()).collect();
    let own_fit = prepared.topic.fit(&all_keys);
    let rival_fit = prepared
        .rivals
        .iter()
        .map(|r| r.fit(&all_keys))
        .fold(0.0, f64::max);
    let concrete = correctness::concrete_details(answer, &analysed);
    values.set(Signal::CoreCoverage, core_coverage(prepared, &points));
    values.set(Signal::ExplainedShare, explained_share);
    values.set(
        Signal::TopicFit,
        if own_fit + rival_fit > 0.0 {
            own_fit / own_fit.max(rival_fit)
        } else {
            0.0
        },
    );
    values.set(Signal::ConcreteDetail, (concrete as f64 / 6.0).min(1.0));
    values.set(
        Signal::Misconceptions,
        ((misconception_hits.len() + red_flag_hits.len()) as f64 / 2.0).min(1.0),
    );
    values.set(
        Signal::Contradictions,
        wrong_sentences.0 as f64 / wrong_sentences.1 as f64,
    );
    Measurement {
        values: values.0,
        points,
        effective_weights,
        star,
        claim_errors,
        flags,
        off_topic,
        wrong_claims,
        wrong_sentences,
        topic: (own_fit, rival_fit),
        concrete,
        explained_share,
    }
}

/// Weighted coverage of the core points (of every point when none is marked core).
fn core_coverage(prepared: &PreparedRubric, points: &[PointGrade]) -> f64 {
    let is_core = |kp: &crate::rubric::KeyPoint| kp.importance == crate::rubric::Importance::Core;
    let any_core = prepared.rubric.key_points.iter().any(is_core);
    let (mut got, mut total) = (0.0, 0.0);
    for (kp, p) in prepared.rubric.key_points.iter().zip(points) {
        if !any_core || is_core(kp) {
            got += kp.weight * p.strength.min(1.0);
            total += kp.weight;
        }
    }
    if total <= 0.0 {
        0.0
    } else {
        got / total
    }
}

/// A sentence quoted whole (whitespace runs folded), however long.
fn whole_sentence(sentence: &str) -> String {
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
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
) -> (Vec<PointGrade>, Vec<f64>, Vec<(usize, usize)>) {
    let mut contradictions = Vec::new();
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
        let judged = matching::judge_point(prepared, point, matched);
        let (mut sentence_strength, mut sentence) = (judged.strength, judged.sentence);
        // A point the answer makes plainly elsewhere is not reversed by a sentence that only
        // seems to negate it ("… without walking the list"): answers rarely contradict
        // themselves, while incidental negations are common.
        let contradiction = judged.contradiction.filter(|_| judged.strength < COVERED);
        let spread = if let Some(c) = contradiction {
            // Said the opposite: only a sentence that makes the point on its own counts.
            contradictions.push((index, c));
            0.0
        } else {
            SPREAD_CREDIT
                * matching::point_strength(prepared, point, &matched.whole)
                * matching::opposition(point, matched)
        };
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
            whole_sentence(&text[s..e])
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
                super::evidence::examples_for(prepared, index, &matched.whole)
            },
        });
    }
    (grades, effective, contradictions)
}

/// The technical signal values.
fn technical_values(
    prepared: &PreparedRubric,
    matched: &Matched,
    creditable: &[bool],
    points: &[PointGrade],
    effective: &[f64],
) -> [(Signal, f64); 6] {
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
    [
        (Signal::PointCoverage, coverage),
        (Signal::PointsCovered, covered),
        (Signal::ReferenceRecall, recall),
        (Signal::AnswerPrecision, precision),
        (Signal::AnswerSimilarity, similarity),
        (Signal::LengthAdequacy, length),
    ]
}

/// Numeric value of an element status for signals.
fn status_value(status: ElementStatus) -> f64 {
    match status {
        ElementStatus::Present => 1.0,
        ElementStatus::Thin => 0.4,
        ElementStatus::Missing => 0.0,
    }
}

/// The STAR report, its signal values and flags.
fn star_report(
    prepared: &PreparedRubric,
    text: &str,
    analysed: &Analysed,
    matched: &Matched,
) -> (StarReport, Vec<(Signal, f64)>, Vec<Flag>) {
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
                    whole_sentence(&text[s..e])
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
        (Signal::StarSituation, status(StarPart::Situation)),
        (Signal::StarTask, status(StarPart::Task)),
        (Signal::StarAction, status(StarPart::Action)),
        (Signal::StarResult, status(StarPart::Result)),
        (
            Signal::FirstPerson,
            if action_present { first_person } else { 0.0 },
        ),
        (Signal::MeasurableResult, if measurable { 1.0 } else { 0.0 }),
        (Signal::Competencies, competency_share),
        (Signal::StoryRelevance, relevance),
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
