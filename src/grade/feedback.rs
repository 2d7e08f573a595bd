//! Coaching content of a grade: quoted snippets and the 2–3 changes that would raise the score
//! most, ranked by the weight of what is missing. Rendering for a person is in
//! `report::feedback`.

use crate::rubric::StarPart;

use super::calibration::Calibration;
use super::prepared::PreparedRubric;
use super::signals::Measurement;
use super::{Coverage, ElementStatus, StarReport};

/// How many improvements a grade lists.
const MAX_IMPROVEMENTS: usize = 3;

/// Weight the calibration gives a signal (0 when absent).
fn weight_of(calibration: &Calibration, name: &str) -> f64 {
    calibration
        .features
        .iter()
        .position(|f| f == name)
        .map_or(0.0, |i| calibration.weights[i])
}

/// The changes that would raise the score most, biggest estimated gain first.
pub fn improvements(
    prepared: &PreparedRubric,
    m: &Measurement,
    calibration: &Calibration,
) -> Vec<String> {
    let mut candidates: Vec<(f64, String)> = Vec::new();
    // Wrong statements first: fixing one is worth more than adding a point.
    for wrong in &m.wrong_claims {
        let weight = match wrong.kind {
            super::WrongKind::Misconception => weight_of(calibration, "misconceptions"),
            super::WrongKind::ContradictsPoint => weight_of(calibration, "contradictions"),
        };
        candidates.push((
            100.0 * weight.abs() / 2.0 + 15.0,
            format!(
                "Fix \"{}\": {}",
                wrong.claim.trim_end_matches('.'),
                wrong.correction
            ),
        ));
    }
    if m.flags.iter().any(|f| f.code == "off_topic") {
        let about = prepared
            .rubric
            .focus
            .as_ref()
            .map_or(prepared.rubric.question.as_str(), |f| f.about.as_str());
        candidates.push((50.0, format!("Answer the question asked: {about}.")));
    }
    for err in &m.claim_errors {
        let op = if err.operation.is_empty() {
            "the complexity".to_string()
        } else {
            format!("`{}`", err.operation)
        };
        candidates.push((
            100.0 * weight_of(calibration, "claim_errors").abs() / 2.0 + 5.0,
            format!(
                "Correct the bound for {op}: you wrote {}, it is {}.",
                err.found, err.expected
            ),
        ));
    }
    match &m.star {
        Some(star) => star_improvements(star, calibration, &mut candidates),
        None => point_improvements(prepared, m, calibration, &mut candidates),
    }
    for flag in &m.flags {
        if super::signals::is_gaming(&flag.code) {
            candidates.push((
                100.0 * weight_of(calibration, "gaming").abs(),
                format!("Write full sentences of your own: {}.", flag.message),
            ));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    candidates
        .into_iter()
        .filter(|(gain, _)| *gain > 0.5)
        .take(MAX_IMPROVEMENTS)
        .map(|(gain, text)| format!("{text} (up to +{:.0} points)", gain.round().max(1.0)))
        .collect()
}

/// Missing or partial key points, each phrased as what to add.
fn point_improvements(
    prepared: &PreparedRubric,
    m: &Measurement,
    cal: &Calibration,
    out: &mut Vec<(f64, String)>,
) {
    let total: f64 = m.effective_weights.iter().sum();
    if total <= 0.0 {
        return;
    }
    let per_point = weight_of(cal, "point_coverage")
        + weight_of(cal, "points_covered")
        + 0.5 * weight_of(cal, "reference_recall");
    for ((p, w), kp) in m
        .points
        .iter()
        .zip(&m.effective_weights)
        .zip(&prepared.rubric.key_points)
    {
        if p.coverage == Coverage::Covered {
            continue;
        }
        let gain = 100.0 * per_point * w / total * (1.0 - p.strength);
        let examples = if p.examples.is_empty() {
            String::new()
        } else {
            format!(" (e.g. {})", p.examples.join(", "))
        };
        // A curated point says in plain words what to write.
        let text = match (p.coverage, kp.statement.trim()) {
            (Coverage::Partial, "") => format!(
                "Say more about {}{examples}: name it and explain why it matters.",
                p.label
            ),
            (Coverage::Partial, statement) => {
                format!("Say more about {}: {statement}", p.label)
            }
            (_, "") => format!("Add {}{examples}.", p.label),
            (_, statement) => format!("Add {}: {statement}", p.label),
        };
        out.push((gain, text));
    }
}

/// Missing or thin STAR elements, an "I" voice, a measured result.
fn star_improvements(star: &StarReport, cal: &Calibration, out: &mut Vec<(f64, String)>) {
    for el in &star.elements {
        let have = match el.status {
            ElementStatus::Present => continue,
            ElementStatus::Thin => 0.4,
            ElementStatus::Missing => 0.0,
        };
        let name = format!("star_{}", el.part.title().to_lowercase());
        let gain = 100.0 * weight_of(cal, &name) * (1.0 - have);
        let advice = match el.part {
            StarPart::Situation => "Set the scene: where you were, what was at stake, with one concrete detail.",
            StarPart::Task => "State your task: what you personally had to achieve, and the constraint.",
            StarPart::Action => "Describe your actions step by step: what you did, and why.",
            StarPart::Result => "Finish with the result: what changed, ideally measured (a number, before and after).",
        };
        let verb = if el.status == ElementStatus::Thin {
            "Expand"
        } else {
            "Add"
        };
        out.push((gain, format!("{verb} the {}: {advice}", el.part.title())));
    }
    if star.first_person_share < 0.5 {
        out.push((
            100.0 * weight_of(cal, "first_person") * (1.0 - star.first_person_share),
            "Tell the actions in the first person (\"I did\", not \"we did\") so your own part is clear.".into(),
        ));
    }
    if !star.measurable_result {
        out.push((
            100.0 * weight_of(cal, "measurable_result"),
            "Measure the result: give a number, a percentage or a before/after.".into(),
        ));
    }
    let missing: Vec<&str> = star
        .competencies
        .iter()
        .filter(|c| !c.shown)
        .map(|c| c.name.as_str())
        .collect();
    if !missing.is_empty() && !star.competencies.is_empty() {
        let share = missing.len() as f64 / star.competencies.len() as f64;
        out.push((
            100.0 * weight_of(cal, "competencies") * share,
            format!("Show {} in what you did.", missing.join(", ")),
        ));
    }
}
