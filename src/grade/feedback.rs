//! Coaching content of a grade: quoted snippets and the 2–3 changes that would raise the score
//! most, ranked by the weight of what is missing. Rendering for a person is in
//! `report::feedback`.

use crate::rubric::StarPart;

use super::calibration::Calibration;
use super::matching::Bag;
use super::prepared::PreparedRubric;
use super::signals::Measurement;
use super::{Coverage, ElementStatus, StarReport};

/// Longest quote kept as evidence, in characters.
const SNIPPET_CHARS: usize = 160;
/// How many improvements a grade lists.
const MAX_IMPROVEMENTS: usize = 3;
/// Labels of at most this many words name a topic rather than say what to write.
const HEADING_WORDS: usize = 3;
/// Most example terms shown for a point.
const MAX_EXAMPLES: usize = 3;

/// Terms that would show key point `index` when its label only names a topic ("Cache
/// Architecture"), as indices into its prepared terms: those the label does not already say,
/// the most distinctive first (highest summed weight of their words, so rarer and longer terms
/// lead), without one whose words an earlier one already says ("latency" after "high
/// latency"). Empty for a label that is a sentence of its own. Feedback shows the first
/// [`MAX_EXAMPLES`] the answer does not already use ([`examples_for`]).
pub fn example_terms(prepared: &PreparedRubric, index: usize) -> Vec<usize> {
    let (Some(point), Some(terms)) = (
        prepared.rubric.key_points.get(index),
        prepared.points.get(index).map(|p| &p.terms),
    ) else {
        return Vec::new();
    };
    if point.label.split_whitespace().count() > HEADING_WORDS {
        return Vec::new();
    }
    let label = crate::text::content_stems(&point.label);
    let mut ranked: Vec<(f64, usize, Vec<String>)> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let weight: f64 = t.keys.iter().map(|&k| prepared.weights[k as usize]).sum();
            (weight, i, crate::text::content_stems(&t.text))
        })
        .filter(|(_, _, stems)| stems.iter().any(|s| !label.contains(s)))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut picked: Vec<(usize, Vec<String>)> = Vec::new();
    for (_, i, stems) in ranked {
        let repeats = picked
            .iter()
            .any(|(_, seen)| stems.iter().all(|s| seen.contains(s)));
        if !repeats {
            picked.push((i, stems));
        }
    }
    picked.into_iter().map(|(i, _)| i).collect()
}

/// The example terms shown for key point `index` of an answer whose matched keys are `used`:
/// the first [`MAX_EXAMPLES`] of [`example_terms`] the answer does not already use.
pub fn examples_for(prepared: &PreparedRubric, index: usize, used: &Bag) -> Vec<String> {
    let terms = &prepared.points[index].terms;
    prepared.examples[index]
        .iter()
        .map(|&t| &terms[t])
        .filter(|t| !t.keys.iter().all(|&k| used.get(k) > 0.0))
        .take(MAX_EXAMPLES)
        .map(|t| t.text.clone())
        .collect()
}

/// A quote of `text` for evidence: whitespace collapsed, cut at a word with `…` when long.
pub fn snippet(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= SNIPPET_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(SNIPPET_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_collapse_space_and_cut_at_a_word() {
        assert_eq!(snippet("a  b\n c"), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.ends_with('…') && s.chars().count() <= SNIPPET_CHARS + 1);
    }
}
