//! One grade for a person: score and band, covered points with quotes, what to add, errors,
//! the STAR checklist and the changes that would raise the score most — as styled text (ANSI
//! styles that `anstream` strips when output is not a terminal) or as versioned JSON.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::grade::judge_outcome::LlmOutcome;
use crate::grade::{
    Band, ClaimError, Coverage, ElementStatus, Flag, Grade, PointGrade, StarReport, WrongClaim,
    WrongKind, GRADER_VERSION,
};

/// Version of the JSON schema of one grade (see docs/grade-schema.md).
pub const SCHEMA_VERSION: u32 = 1;

/// One grade as JSON: the grade's fields plus schema and grader versions.
#[derive(Debug, Serialize)]
pub struct GradeJson<'a> {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Version of the grading algorithm.
    pub grader_version: &'static str,
    /// What the calibration in use was fitted on.
    pub calibration: &'a str,
    /// Where the rubric and the calibration came from, when the caller knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scored_with: Option<&'a ScoredWith>,
    /// The grade itself, flattened.
    #[serde(flatten)]
    pub grade: &'a Grade,
}

/// Where the rubric that scored an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RubricOrigin {
    /// A question of a bank bundled with hone, its bundled rubric (or one extracted from it).
    BundledBank,
    /// A question of a `--bank-file`.
    BankFile,
    /// An edited rubric file under `--rubrics DIR`.
    RubricOverride,
    /// Built on the fly from `--reference` / `--reference-text`.
    Reference,
}

/// Where the calibration that scored an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationOrigin {
    /// The shipped calibration for bank questions.
    ShippedBank,
    /// The shipped calibration for rubrics built from a reference answer.
    ShippedReference,
    /// A file from `hone calibrate` (`--calibration`, `HONE_CALIBRATION` or the config file).
    File,
}

/// Which rubric and which calibration scored an answer: the same answer can score differently
/// through a bank question and through `--question/--reference`, and this says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoredWith {
    /// Origin of the rubric.
    pub rubric: RubricOrigin,
    /// The bank file, rubric file or reference file (none for bundled banks and
    /// `--reference-text`).
    pub rubric_path: Option<String>,
    /// Origin of the calibration.
    pub calibration: CalibrationOrigin,
    /// The calibration file, when one was given.
    pub calibration_path: Option<String>,
}

impl ScoredWith {
    /// One line for a person: `rubric: bundled bank pse · calibration: shipped, for bank questions`.
    pub fn describe(&self, bank: &str) -> String {
        let path = |p: &Option<String>| p.clone().unwrap_or_default();
        let rubric = match self.rubric {
            RubricOrigin::BundledBank => format!("bundled bank {bank}"),
            RubricOrigin::BankFile => format!("bank file {}", path(&self.rubric_path)),
            RubricOrigin::RubricOverride => format!("rubric file {}", path(&self.rubric_path)),
            RubricOrigin::Reference => match &self.rubric_path {
                Some(p) => format!("built from the reference {p}"),
                None => "built from --reference-text".to_string(),
            },
        };
        let calibration = match self.calibration {
            CalibrationOrigin::ShippedBank => "shipped, for bank questions".to_string(),
            CalibrationOrigin::ShippedReference => "shipped, for reference answers".to_string(),
            CalibrationOrigin::File => path(&self.calibration_path),
        };
        format!("rubric: {rubric} · calibration: {calibration}")
    }
}

/// The grade as pretty JSON in the versioned schema.
pub fn to_json(grade: &Grade, calibration_fitted_on: &str) -> String {
    to_json_with(grade, calibration_fitted_on, None)
}

/// [`to_json`], saying which rubric and calibration scored the answer.
pub fn to_json_with(
    grade: &Grade,
    calibration_fitted_on: &str,
    scored_with: Option<&ScoredWith>,
) -> String {
    let doc = GradeJson {
        schema_version: SCHEMA_VERSION,
        grader_version: GRADER_VERSION,
        calibration: calibration_fitted_on,
        scored_with,
        grade,
    };
    serde_json::to_string_pretty(&doc).expect("a grade always serialises")
}

fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into()))
}

const BOLD: Style = Style::new().bold();

/// Colour of a band.
fn band_color(band: Band) -> AnsiColor {
    match band {
        Band::Strong | Band::Good => AnsiColor::Green,
        Band::Partial => AnsiColor::Yellow,
        Band::Weak | Band::OffTopic | Band::NoAnswer => AnsiColor::Red,
    }
}

/// Several lines for a person: the summary, tokens and cost, retries, points the judge
/// abstained on, the judge check, the judge's feedback, points that need review, and notices
/// (server text made inert).
pub fn llm_outcome_text(outcome: &LlmOutcome) -> String {
    let mut lines = vec![outcome.summary()];
    if outcome.cached {
        lines.push("  reply from the cache (no tokens spent)".into());
    } else if outcome.usage.prompt_tokens + outcome.usage.completion_tokens > 0 {
        let cost = outcome
            .cost_usd
            .map(|c| format!(", ≈ ${c:.4}"))
            .unwrap_or_default();
        lines.push(format!(
            "  tokens: {} prompt + {} completion{cost}",
            outcome.usage.prompt_tokens, outcome.usage.completion_tokens
        ));
    }
    if outcome.retries > 0 {
        let s = if outcome.retries == 1 { "y" } else { "ies" };
        lines.push(format!("  {} retr{s} before this reply", outcome.retries));
    }
    let abstained: Vec<&str> = outcome
        .points
        .iter()
        .filter(|p| p.abstained)
        .map(|p| p.label.as_str())
        .collect();
    if !abstained.is_empty() {
        lines.push(format!(
            "  judge abstained (quote not in the answer) on: {}",
            abstained.join("; ")
        ));
    }
    if let Some(check) = &outcome.judge_check {
        lines.push(format!(
            "  judge check: {} ({})",
            check.verdict.as_str(),
            check.summary
        ));
    }
    if let Some(feedback) = &outcome.feedback {
        lines.push(format!("  judge: {feedback}"));
    }
    for point in outcome.points.iter().filter(|p| p.needs_review) {
        lines.push(format!(
            "  needs review: {} (judge says {:?})",
            point.label, point.coverage
        ));
    }
    for notice in &outcome.notices {
        lines.push(format!("  note: {notice}"));
    }
    // The judge's feedback, labels and notices quote the server and the answer.
    super::terminal::safe(&lines.join("\n")).into_owned() + "\n"
}

/// Renders one grade as styled text for a terminal (pass it through `anstream` to print: styles
/// are dropped when the output is not a terminal or `NO_COLOR` is set).
pub fn render(grade: &Grade) -> String {
    render_with(grade, None)
}

/// [`render`] with a dimmed line under the score saying what scored it (see
/// [`ScoredWith::describe`]).
pub fn render_with(grade: &Grade, scored_with: Option<&str>) -> String {
    // Labels, quotes and tips quote the answer, the rubric and the bank: no live escapes.
    let grade = &super::terminal::safe_grade(grade);
    let mut out = String::new();
    let band = style(band_color(grade.band)).bold();
    let _ = writeln!(
        out,
        "{BOLD}{}{BOLD:#}  {band}{:.0}/100 ({}){band:#}",
        grade.question_id,
        grade.score,
        grade.band.as_str()
    );
    if let Some(line) = scored_with {
        let dim = Style::new().dimmed();
        let _ = writeln!(out, "{dim}{}{dim:#}", super::terminal::safe(line));
    }
    flags(&mut out, &grade.flags);
    wrong_claims(&mut out, &grade.wrong_claims);
    claim_errors(&mut out, &grade.claim_errors);
    points(&mut out, &grade.points);
    if let Some(star) = &grade.star {
        star_checklist(&mut out, star);
    }
    if !grade.improvements.is_empty() {
        let _ = writeln!(out, "\n{BOLD}To raise your score{BOLD:#}");
        for (i, tip) in grade.improvements.iter().enumerate() {
            let _ = writeln!(out, "  {}. {tip}", i + 1);
        }
    }
    out
}

/// Renders one grade as plain text (no styles), e.g. for files and logs.
pub fn render_plain(grade: &Grade) -> String {
    anstream::adapter::strip_str(&render(grade)).to_string()
}

fn flags(out: &mut String, flags: &[Flag]) {
    let warn = style(AnsiColor::Yellow);
    for flag in flags {
        let _ = writeln!(out, "{warn}! {}{warn:#}: {}", flag.code, flag.message);
    }
}

fn points(out: &mut String, points: &[PointGrade]) {
    let ok = style(AnsiColor::Green);
    let part = style(AnsiColor::Yellow);
    let miss = style(AnsiColor::Red);
    let covered: Vec<&PointGrade> = points
        .iter()
        .filter(|p| p.coverage != Coverage::Missing)
        .collect();
    if !covered.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Covered{BOLD:#}");
        // A sentence that makes several points is quoted once, under the first of them.
        let mut quoted: Vec<&str> = Vec::new();
        for p in covered {
            let (mark, s) = if p.coverage == Coverage::Covered {
                ("✓", ok)
            } else {
                ("~", part)
            };
            let note = if p.coverage == Coverage::Partial {
                " (partly)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {s}{mark}{s:#} {}{note}", p.label);
            if let Some(quote) = &p.evidence {
                if quoted.contains(&quote.as_str()) {
                    let _ = writeln!(out, "      (the sentence quoted above)");
                } else {
                    let _ = writeln!(out, "      \"{quote}\"");
                    quoted.push(quote);
                }
            }
        }
    }
    let missing: Vec<&PointGrade> = points
        .iter()
        .filter(|p| p.coverage == Coverage::Missing)
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Missing — add these{BOLD:#}");
        for p in missing {
            if p.examples.is_empty() {
                let _ = writeln!(out, "  {miss}✗{miss:#} {}", p.label);
            } else {
                let _ = writeln!(
                    out,
                    "  {miss}✗{miss:#} {} — e.g. {}",
                    p.label,
                    p.examples.join(", ")
                );
            }
        }
    }
}

/// Sentences that state something wrong come first, each with its correction.
fn wrong_claims(out: &mut String, wrong: &[WrongClaim]) {
    if wrong.is_empty() {
        return;
    }
    let bad = style(AnsiColor::Red);
    let _ = writeln!(out, "\n{BOLD}Wrong — fix these first{BOLD:#}");
    for w in wrong {
        let what = match w.kind {
            WrongKind::Misconception => "misconception",
            WrongKind::ContradictsPoint => "says the opposite of",
        };
        let _ = writeln!(
            out,
            "  {bad}✗{bad:#} {what}: {}\n      \"{}\"\n      in fact: {}",
            w.claim, w.evidence, w.correction
        );
    }
}

fn claim_errors(out: &mut String, errors: &[ClaimError]) {
    if errors.is_empty() {
        return;
    }
    let bad = style(AnsiColor::Red);
    let _ = writeln!(out, "\n{BOLD}Errors{BOLD:#}");
    for e in errors {
        let what = if e.operation.is_empty() {
            String::new()
        } else {
            format!("{}: ", e.operation)
        };
        let _ = writeln!(
            out,
            "  {bad}✗{bad:#} {what}you wrote {}, it is {}\n      \"{}\"",
            e.found,
            e.expected,
            crate::grade::evidence::snippet(&e.evidence)
        );
    }
}

fn star_checklist(out: &mut String, star: &StarReport) {
    let ok = style(AnsiColor::Green);
    let part = style(AnsiColor::Yellow);
    let miss = style(AnsiColor::Red);
    let _ = writeln!(out, "\n{BOLD}STAR checklist{BOLD:#}");
    for el in &star.elements {
        let (mark, s, word) = match el.status {
            ElementStatus::Present => ("✓", ok, "present"),
            ElementStatus::Thin => ("~", part, "thin"),
            ElementStatus::Missing => ("✗", miss, "missing"),
        };
        let _ = writeln!(out, "  {s}{mark}{s:#} {:<9} {word}", el.part.title());
        if let Some(quote) = &el.evidence {
            let _ = writeln!(out, "      \"{quote}\"");
        }
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let _ = writeln!(
        out,
        "  Actions told as \"I\": {:.0}%   Measurable result: {}",
        100.0 * star.first_person_share,
        yes_no(star.measurable_result)
    );
    for c in &star.competencies {
        let (mark, s) = if c.shown { ("✓", ok) } else { ("✗", miss) };
        let _ = writeln!(out, "  {s}{mark}{s:#} shows {}", c.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::PointKind;

    fn sample() -> Grade {
        Grade {
            question_id: "pse/dsa/1".into(),
            score: 55.0,
            band: Band::Partial,
            points: vec![
                PointGrade {
                    label: "hash map for O(1) lookup".into(),
                    kind: PointKind::Concept,
                    weight: 1.0,
                    coverage: Coverage::Covered,
                    strength: 0.9,
                    evidence: Some("I keep a dictionary from key to node".into()),
                    examples: Vec::new(),
                },
                PointGrade {
                    label: "doubly linked list for recency order".into(),
                    kind: PointKind::Concept,
                    weight: 1.0,
                    coverage: Coverage::Missing,
                    strength: 0.0,
                    evidence: None,
                    examples: Vec::new(),
                },
            ],
            star: None,
            claim_errors: vec![],
            wrong_claims: vec![],
            flags: vec![],
            improvements: vec![
                "Add doubly linked list for recency order. (up to +20 points)".into(),
            ],
            llm: None,
        }
    }

    #[test]
    fn a_sentence_that_makes_several_points_is_quoted_once() {
        let mut g = sample();
        let mut second = g.points[0].clone();
        second.label = "node stores its key".into();
        g.points.insert(1, second);
        let text = render_plain(&g);
        assert_eq!(
            text.matches("I keep a dictionary from key to node").count(),
            1,
            "{text}"
        );
        assert!(text.contains("(the sentence quoted above)"), "{text}");
    }

    #[test]
    fn plain_text_quotes_evidence_and_lists_what_to_add() {
        let text = render_plain(&sample());
        assert!(text.starts_with("pse/dsa/1  55/100 (partial)"), "{text}");
        assert!(text.contains("\"I keep a dictionary from key to node\""));
        assert!(text.contains("Missing — add these\n  ✗ doubly linked list"));
        assert!(text.contains("1. Add doubly linked list"));
        assert!(!text.contains('\u{1b}'));
        assert!(render(&sample()).contains('\u{1b}'));
    }

    #[test]
    fn json_is_versioned_and_flat() {
        let v: serde_json::Value = serde_json::from_str(&to_json(&sample(), "hand-set")).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["band"], "partial");
        assert_eq!(v["points"][0]["coverage"], "covered");
        assert_eq!(v["calibration"], "hand-set");
    }
}
