//! Combining the judge's verdict with the local grade, point by point.
//!
//! Policy (also in the README):
//! - Each key point (or STAR element) has a local value (the local match strength, or
//!   present 1 / thin ½ / missing 0) and a judge value (covered 1 / partial ½ / missing 0, after
//!   quote checking). The combined value is their mean.
//! - When they differ by ½ or more the point is marked `needs_review` (and the grade gets a
//!   `needs_review` flag naming the points): the mean is kept, but a person should look.
//! - The score moves from the local score by the weighted change in point values (so the
//!   local calibration still applies), clamped to 0..=100.
//! - Whatever the injection detector says, the judge lifts a point freely only where the local
//!   checks back it: its quote is in the answer and lies in the sentence the local checks
//!   credited for that point (or the embeddings saw the point paraphrased). All other lift
//!   together adds at most [`UNBACKED_LIFT_CAP`] points, so a judge talked into "covers
//!   everything" by text the detector missed cannot carry a weak answer far.
//! - An answer flagged for gaming or injection takes the lower of the two values per point and
//!   never scores above its local score: the judge can lower it, never lift it.
//! - With embeddings on, a point whose similarity reached the threshold counts locally as at
//!   least partial (½) before averaging (not for flagged answers).
//! - A point the judge rates `wrong` (it quotes a misconception or a contradiction from the
//!   answer) is worth nothing combined, whatever the local value: the judge can only lower it.
//! - A judge `hone judge check` found weak holds a quarter of each point's value instead of
//!   half (the local checks hold the rest).
//! - An ungraded judgement changes nothing but adds an `llm_ungraded` flag saying why.

use super::judge::Judgement;
use super::outcome::LlmOutcome;
use super::verdict;
use crate::grade::{Band, Coverage, ElementStatus, Flag, Grade};

/// Points whose local and judge values differ by at least this much need review.
pub const REVIEW_GAP: f64 = 0.5;

/// Most score points the judge may add over the local score on points the local checks found
/// no evidence for where the judge quotes (see the module policy).
pub const UNBACKED_LIFT_CAP: f64 = 10.0;

/// Whether a flag blocks the judge from raising the score: injection, or any gaming flag the
/// local guards raise.
pub fn is_guard_flag(code: &str) -> bool {
    code == "injection" || crate::grade::signals::is_gaming(code)
}

/// The local grade with the judge's verdict folded in (see the module policy).
pub fn combine(local: &Grade, judgement: &Judgement) -> Grade {
    let mut grade = local.clone();
    let mut outcome = judgement.outcome.clone();
    let Some(verdict) = &judgement.verdict else {
        grade.flags.push(Flag {
            code: "llm_ungraded".into(),
            message: format!("{}; the local grade stands", outcome.summary()),
        });
        grade.llm = Some(outcome);
        return grade;
    };
    let locals = local_values(local, verdict.points.len());
    let Some(locals) = locals else {
        outcome
            .notices
            .push("the judge's points do not match the local grade's; score left unchanged".into());
        grade.llm = Some(outcome);
        return grade;
    };
    let guarded = local.flags.iter().any(|f| is_guard_flag(&f.code));
    let share = outcome
        .judge_check
        .as_ref()
        .map_or(0.5, |c| c.verdict.judge_share());
    let (mut moved, mut unbacked, mut total) = (0.0, 0.0, 0.0);
    let mut review = Vec::new();
    for (i, ((local_value, weight, evidence), point)) in
        locals.iter().zip(&verdict.points).enumerate()
    {
        let original = *local_value;
        // A point the judge abstained on (its quote is not in the answer) keeps the local value.
        let judge_value = if point.abstained {
            original
        } else {
            coverage_value(point.coverage)
        };
        // A paraphrase the embeddings saw counts at least as partial locally.
        let local_value = &if outcome.points[i].semantic_match && !guarded {
            original.max(0.5)
        } else {
            original
        };
        let combined = if point.wrong {
            0.0
        } else if guarded {
            local_value.min(judge_value)
        } else {
            (1.0 - share) * local_value + share * judge_value
        };
        if (local_value - judge_value).abs() >= REVIEW_GAP {
            outcome.points[i].needs_review = true;
            review.push(outcome.points[i].label.clone());
        }
        let change = weight * (combined - original);
        let backed = outcome.points[i].semantic_match
            || (point.quote_verified
                && evidence.as_deref().is_some_and(|e| {
                    verdict::quote_occurs(&point.quote, e) || verdict::quote_occurs(e, &point.quote)
                }));
        if change > 0.0 && !backed {
            unbacked += change;
        } else {
            moved += change;
        }
        total += weight;
        if let Some(pg) = grade.points.get_mut(i).filter(|_| local.star.is_none()) {
            pg.strength = combined;
            pg.coverage = coverage_of(combined);
            if pg.evidence.is_none() && point.quote_verified && combined > 0.0 {
                pg.evidence = Some(point.quote.clone());
            }
        }
    }
    if total > 0.0 {
        let mut lift = 100.0 * unbacked / total;
        if lift > UNBACKED_LIFT_CAP {
            outcome.notices.push(format!(
                "the judge's lift on points the local checks found no evidence for was capped at +{UNBACKED_LIFT_CAP:.0} (it asked for +{lift:.0})"
            ));
            lift = UNBACKED_LIFT_CAP;
        }
        let mut score = (local.score + 100.0 * moved / total + lift).clamp(0.0, 100.0);
        if guarded {
            score = score.min(local.score);
        }
        grade.score = (score * 10.0).round() / 10.0;
        grade.band = rebanded(local.band, grade.score);
    }
    if !review.is_empty() {
        grade.flags.push(Flag {
            code: "needs_review".into(),
            message: format!(
                "the LLM judge and the local checks disagree strongly on: {}; a person should look",
                review.join("; ")
            ),
        });
    }
    grade.llm = Some(outcome);
    grade
}

/// Local value, weight and evidence (the sentence the local checks credited) per judged item,
/// or `None` when they cannot be paired.
fn local_values(local: &Grade, items: usize) -> Option<Vec<(f64, f64, Option<String>)>> {
    if let Some(star) = &local.star {
        let values: Vec<_> = star
            .elements
            .iter()
            .map(|e| {
                let v = match e.status {
                    ElementStatus::Present => 1.0,
                    ElementStatus::Thin => 0.5,
                    ElementStatus::Missing => 0.0,
                };
                (v, 1.0, e.evidence.clone())
            })
            .collect();
        return (values.len() == items).then_some(values);
    }
    (local.points.len() == items).then(|| {
        local
            .points
            .iter()
            .map(|p| {
                (
                    p.strength.clamp(0.0, 1.0),
                    p.weight.max(0.0),
                    p.evidence.clone(),
                )
            })
            .collect()
    })
}

fn coverage_value(c: Coverage) -> f64 {
    match c {
        Coverage::Covered => 1.0,
        Coverage::Partial => 0.5,
        Coverage::Missing => 0.0,
    }
}

fn coverage_of(value: f64) -> Coverage {
    if value >= 0.75 {
        Coverage::Covered
    } else if value >= 0.25 {
        Coverage::Partial
    } else {
        Coverage::Missing
    }
}

/// The band for a combined score; "no answer" and "off-topic" stay as the local grader said.
fn rebanded(local: Band, score: f64) -> Band {
    match local {
        Band::NoAnswer | Band::OffTopic => local,
        _ => crate::grade::band_for(score),
    }
}

/// Whether any grade was left ungraded by the judge (for `--strict`).
pub fn any_ungraded<'a>(outcomes: impl IntoIterator<Item = Option<&'a LlmOutcome>>) -> bool {
    outcomes
        .into_iter()
        .any(|o| o.is_some_and(|o| !o.is_graded()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::PointGrade;
    use crate::llm::outcome::{LlmStatus, PointJudgement, Usage};
    use crate::llm::verdict::{PointVerdict, Verdict};
    use crate::rubric::PointKind;

    fn local(strengths: &[f64], score: f64, flags: &[&str]) -> Grade {
        Grade {
            question_id: "q".into(),
            score,
            band: crate::grade::band_for(score),
            points: strengths
                .iter()
                .enumerate()
                .map(|(i, s)| PointGrade {
                    label: format!("p{i}"),
                    kind: PointKind::Concept,
                    weight: 1.0,
                    coverage: coverage_of(*s),
                    strength: *s,
                    evidence: None,
                    examples: Vec::new(),
                })
                .collect(),
            star: None,
            claim_errors: vec![],
            wrong_claims: vec![],
            flags: flags
                .iter()
                .map(|c| Flag {
                    code: c.to_string(),
                    message: String::new(),
                })
                .collect(),
            improvements: vec![],
            llm: None,
        }
    }

    fn judged(coverages: &[Coverage]) -> Judgement {
        let points: Vec<PointVerdict> = coverages
            .iter()
            .map(|c| PointVerdict {
                coverage: *c,
                claimed: *c,
                abstained: false,
                quote: "q".into(),
                quote_verified: true,
                comment: String::new(),
                wrong: false,
            })
            .collect();
        Judgement {
            outcome: LlmOutcome {
                status: LlmStatus::Graded,
                reason: None,
                model: "m".into(),
                base_url: "u".into(),
                prompt_hash: "h".into(),
                rubric_hash: "r".into(),
                score: Some(90.0),
                spread: None,
                samples: 1,
                points: (0..coverages.len())
                    .map(|i| PointJudgement {
                        label: format!("p{i}"),
                        coverage: coverages[i],
                        quote: String::new(),
                        quote_verified: true,
                        abstained: false,
                        comment: String::new(),
                        wrong: false,
                        needs_review: false,
                        similarity: None,
                        semantic_match: false,
                    })
                    .collect(),
                feedback: None,
                notices: vec![],
                usage: Usage::default(),
                cost_usd: None,
                cached: false,
                retries: 0,
                judge_check: None,
            },
            verdict: Some(Verdict {
                score: 90.0,
                points,
                feedback: String::new(),
                notices: vec![],
            }),
        }
    }

    #[test]
    fn a_point_the_judge_abstained_on_keeps_its_local_value() {
        let l = local(&[1.0, 0.5], 60.0, &[]);
        let mut j = judged(&[Coverage::Missing, Coverage::Missing]);
        for p in &mut j.verdict.as_mut().unwrap().points {
            p.abstained = true;
            p.claimed = Coverage::Covered;
            p.quote_verified = false;
        }
        let g = combine(&l, &j);
        assert_eq!(g.score, 60.0, "abstentions move nothing");
        assert!(g.flags.iter().all(|f| f.code != "needs_review"));
        // Without the abstention the same verdict would have pulled the score down.
        let plain = combine(&l, &judged(&[Coverage::Missing, Coverage::Missing]));
        assert!(plain.score < 60.0, "{}", plain.score);
    }

    #[test]
    fn agreement_moves_little_and_strong_disagreement_is_marked() {
        let mut l = local(&[1.0, 0.0], 50.0, &[]);
        // The local checks credited a sentence holding the judge's quote for point 2.
        l.points[1].evidence = Some("it is q indeed".into());
        let g = combine(&l, &judged(&[Coverage::Covered, Coverage::Covered]));
        // Point 2: local 0, judge 1 → mean 0.5, marked for review; score +25.
        assert_eq!(g.score, 75.0);
        let llm = g.llm.as_ref().unwrap();
        assert!(!llm.points[0].needs_review && llm.points[1].needs_review);
        assert!(g
            .flags
            .iter()
            .any(|f| f.code == "needs_review" && f.message.contains("p1")));
        assert_eq!(g.points[1].coverage, Coverage::Partial);
    }

    #[test]
    fn a_wrong_point_lowers_the_combined_score() {
        let l = local(&[1.0, 1.0], 80.0, &[]);
        let mut j = judged(&[Coverage::Missing, Coverage::Covered]);
        assert_eq!(combine(&l, &j).score, 55.0, "missing: mean of 1 and 0");
        j.verdict.as_mut().unwrap().points[0].wrong = true;
        let g = combine(&l, &j);
        assert_eq!(g.score, 30.0, "wrong: the point is worth nothing");
        assert_eq!(g.points[0].coverage, Coverage::Missing);
    }

    #[test]
    fn a_weak_judge_moves_the_score_half_as_far() {
        use crate::llm::outcome::{CheckNote, CheckVerdict};
        let l = local(&[1.0, 1.0], 80.0, &[]);
        let mut j = judged(&[Coverage::Missing, Coverage::Missing]);
        assert_eq!(combine(&l, &j).score, 30.0);
        j.outcome.judge_check = Some(CheckNote {
            verdict: CheckVerdict::Weak,
            summary: "flat".into(),
        });
        assert_eq!(combine(&l, &j).score, 55.0);
    }

    #[test]
    fn lift_without_local_evidence_is_capped() {
        // Nothing local backs the judge's quotes: it may add at most UNBACKED_LIFT_CAP.
        let l = local(&[0.2, 0.0, 0.1], 20.0, &[]);
        let g = combine(
            &l,
            &judged(&[Coverage::Covered, Coverage::Covered, Coverage::Covered]),
        );
        assert_eq!(g.score, 20.0 + UNBACKED_LIFT_CAP);
        let llm = g.llm.as_ref().unwrap();
        assert!(
            llm.notices.iter().any(|n| n.contains("capped at +10")),
            "{:?}",
            llm.notices
        );
        assert_eq!(g.points[1].evidence.as_deref(), Some("q"));
        // Lowering is never capped.
        let lower = combine(
            &local(&[1.0, 1.0, 1.0], 90.0, &[]),
            &judged(&[Coverage::Missing, Coverage::Missing, Coverage::Missing]),
        );
        assert_eq!(lower.score, 40.0);
    }

    #[test]
    fn semantic_match_lifts_a_missed_paraphrase_to_partial() {
        let l = local(&[0.0], 20.0, &[]);
        let mut j = judged(&[Coverage::Partial]);
        assert_eq!(
            combine(&l, &j).score,
            20.0 + UNBACKED_LIFT_CAP,
            "mean of 0 and ½, but nothing local backs it"
        );
        j.outcome.points[0].semantic_match = true;
        assert_eq!(combine(&l, &j).score, 70.0, "mean of ½ and ½");
        let flagged = local(&[0.0], 20.0, &["injection"]);
        assert_eq!(combine(&flagged, &j).score, 20.0);
    }

    #[test]
    fn judge_never_lifts_a_flagged_answer() {
        for code in ["injection", "keyword_stuffing"] {
            let l = local(&[0.2, 0.0], 10.0, &[code]);
            let g = combine(&l, &judged(&[Coverage::Covered, Coverage::Covered]));
            assert!(g.score <= 10.0, "{code}: {}", g.score);
            let lower = combine(&l, &judged(&[Coverage::Missing, Coverage::Missing]));
            assert!(lower.score < 10.0, "the judge can still lower it");
        }
    }

    #[test]
    fn ungraded_leaves_score_and_says_so() {
        let l = local(&[0.5], 40.0, &[]);
        let mut j = judged(&[Coverage::Covered]);
        j.verdict = None;
        j.outcome.status = LlmStatus::Ungraded;
        j.outcome.reason = Some("the judge's reply was empty".into());
        let g = combine(&l, &j);
        assert_eq!(g.score, 40.0);
        assert!(g
            .flags
            .iter()
            .any(|f| f.code == "llm_ungraded" && f.message.contains("empty")));
        assert!(any_ungraded([g.llm.as_ref()]));
    }
}
