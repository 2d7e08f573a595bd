//! Self-contained HTML report for coaches: verdict and totals, a score distribution drawn as
//! inline SVG, score per question, missing key points grouped by section, STAR habits across
//! behavioural answers, and every answer expandable (`<details>`) with its feedback.
//!
//! No external assets: styles and a small filter script are inline. The template is rendered
//! by minijinja with HTML auto-escaping, so nothing from an answer can inject markup.

use std::collections::BTreeMap;

use minijinja::value::{Serde, Value};
use minijinja::{context, Environment};
use serde::Serialize;

use super::{feedback, format_score, Exporter, Report};
use crate::batch::Record;
use crate::grade::{Coverage, ElementStatus};
use crate::rubric::StarPart;

const TEMPLATE: &str = include_str!("templates/report.html");

/// Renders the report as one HTML page.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut env = Environment::new();
        env.add_template("report.html", TEMPLATE)?;
        let min = report.min_score();
        let s = &report.summary;
        let html = env.get_template("report.html")?.render(context! {
            tool_version => env!("CARGO_PKG_VERSION"),
            summary => Value::from(Serde(s)),
            min_score => min.map(format_score),
            mean => s.mean_score.map_or_else(|| "–".to_string(), format_score),
            verdict_ok => s.verdict.passed(),
            verdict => s.verdict.headline(),
            verdict_line => super::verdict::verdict_line(s),
            chart => Value::from(Serde(chart(&s.histogram, min))),
            questions => Value::from(Serde(questions(&report.records, min))),
            missing => Value::from(Serde(missing_by_section(&report.records))),
            star => Value::from(Serde(star_habits(&report.records))),
            answers => Value::from(Serde(report.records.iter().map(|r| answer(r, min)).collect::<Vec<_>>())),
        })?;
        Ok(html)
    }
}

#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    base: u32,
    label_y: u32,
    axis_end: u32,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    x: u32,
    cx: u32,
    y: u32,
    w: u32,
    h: u32,
    count_y: u32,
    count: u64,
    label: String,
    below: bool,
}

/// Ten bars, one per score decile, scaled to the tallest; bars under the threshold in red.
fn chart(histogram: &[u64; 10], min: Option<f64>) -> Chart {
    const WIDTH: u32 = 560;
    const HEIGHT: u32 = 200;
    const BASE: u32 = 170;
    const TOP: u32 = 20;
    let tallest = histogram.iter().copied().max().unwrap_or(0).max(1);
    let slot = (WIDTH - 40) / 10;
    let bars = histogram
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let h = ((count as f64 / tallest as f64) * f64::from(BASE - TOP)).round() as u32;
            let x = 30 + i as u32 * slot + 4;
            let w = slot - 8;
            let y = BASE - h;
            Bar {
                x,
                cx: x + w / 2,
                y,
                w,
                h,
                count_y: y.saturating_sub(4),
                count,
                label: format!("{}–{}", i * 10, if i == 9 { 100 } else { i * 10 + 9 }),
                below: min.is_some_and(|m| ((i + 1) * 10) as f64 <= m),
            }
        })
        .collect();
    Chart {
        width: WIDTH,
        height: HEIGHT,
        base: BASE,
        label_y: BASE + 14,
        axis_end: WIDTH - 10,
        bars,
    }
}

#[derive(Serialize)]
struct QuestionRow {
    id: String,
    text: String,
    section: String,
    count: usize,
    mean: String,
    lowest: String,
    highest: String,
    failed: usize,
}

/// Mean, lowest and highest score per question, in question-id order.
fn questions(records: &[Record], min: Option<f64>) -> Vec<QuestionRow> {
    let mut by_id: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.grade.is_some()) {
        by_id
            .entry(r.question_id.as_deref().unwrap_or(&r.question))
            .or_default()
            .push(r);
    }
    by_id
        .into_iter()
        .map(|(id, rs)| {
            let scores: Vec<f64> = rs.iter().filter_map(|r| r.score()).collect();
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            let lowest = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            QuestionRow {
                id: id.to_string(),
                text: rs[0].question_text.clone().unwrap_or_default(),
                section: rs[0].section.clone().unwrap_or_default(),
                count: rs.len(),
                mean: format_score(mean),
                lowest: format_score(lowest),
                highest: format_score(highest),
                failed: rs.iter().filter(|r| r.passed(min) == Some(false)).count(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct SectionGroup {
    section: String,
    points: Vec<MissedPoint>,
}

#[derive(Serialize)]
struct MissedPoint {
    label: String,
    question: String,
    count: usize,
    answers: usize,
}

/// Key points missed, grouped by bank section, most-missed first.
fn missing_by_section(records: &[Record]) -> Vec<SectionGroup> {
    let mut answers_per_question: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missed: BTreeMap<&str, BTreeMap<(&str, &str), usize>> = BTreeMap::new();
    for r in records {
        let Some(grade) = &r.grade else { continue };
        let question = r.question_id.as_deref().unwrap_or(&r.question);
        *answers_per_question.entry(question).or_default() += 1;
        let section = r.section.as_deref().unwrap_or("Other");
        for p in grade
            .points
            .iter()
            .filter(|p| p.coverage == Coverage::Missing)
        {
            *missed
                .entry(section)
                .or_default()
                .entry((question, p.label.as_str()))
                .or_default() += 1;
        }
    }
    missed
        .into_iter()
        .map(|(section, points)| {
            let mut points: Vec<MissedPoint> = points
                .into_iter()
                .map(|((question, label), count)| MissedPoint {
                    label: label.to_string(),
                    question: question.to_string(),
                    count,
                    answers: answers_per_question[question],
                })
                .collect();
            points.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| a.question.cmp(&b.question))
            });
            SectionGroup {
                section: section.to_string(),
                points,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct StarHabits {
    answers: usize,
    first_person: String,
    measurable: String,
    parts: Vec<StarPartRow>,
}

#[derive(Serialize)]
struct StarPartRow {
    name: &'static str,
    present: usize,
    thin: usize,
    missing: usize,
}

/// How often each STAR element is present, thin or missing, and the first-person and
/// measurable-result habits, across every answer with a STAR analysis.
fn star_habits(records: &[Record]) -> Option<StarHabits> {
    let reports: Vec<_> = records
        .iter()
        .filter_map(|r| r.grade.as_ref()?.star.as_ref())
        .collect();
    if reports.is_empty() {
        return None;
    }
    let n = reports.len() as f64;
    let parts = StarPart::ALL
        .iter()
        .map(|&part| {
            let count = |status| {
                reports
                    .iter()
                    .filter(|s| {
                        s.elements
                            .iter()
                            .any(|e| e.part == part && e.status == status)
                    })
                    .count()
            };
            StarPartRow {
                name: part.title(),
                present: count(ElementStatus::Present),
                thin: count(ElementStatus::Thin),
                missing: reports.len() - count(ElementStatus::Present) - count(ElementStatus::Thin),
            }
        })
        .collect();
    let first_person = reports.iter().map(|s| s.first_person_share).sum::<f64>() / n * 100.0;
    let measurable = reports.iter().filter(|s| s.measurable_result).count() as f64 / n * 100.0;
    Some(StarHabits {
        answers: reports.len(),
        first_person: format!("{first_person:.0}"),
        measurable: format!("{measurable:.0}"),
        parts,
    })
}

#[derive(Serialize)]
struct AnswerView {
    location: String,
    title: String,
    search: String,
    score: String,
    band: Option<&'static str>,
    verdict: &'static str,
    attention: bool,
    question_text: Option<String>,
    error: Option<String>,
    feedback: Option<String>,
    answer: String,
    fields: Vec<String>,
}

/// One answer, its feedback rendered by [`feedback::render_plain`] as `hone grade` shows it.
fn answer(record: &Record, min: Option<f64>) -> AnswerView {
    let passed = record.passed(min);
    let verdict = match passed {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "error",
    };
    let title = record.title();
    let location = record.source.to_string();
    let grade = record.grade.as_ref();
    AnswerView {
        search: format!(
            "{title} {location} {}",
            record.question_text.as_deref().unwrap_or("")
        )
        .to_lowercase(),
        score: record.score().map_or_else(|| "–".into(), format_score),
        band: grade.map(|g| g.band.as_str()),
        verdict,
        attention: passed != Some(true),
        question_text: record.question_text.clone(),
        error: record.error.clone(),
        feedback: grade.map(feedback::render_plain),
        answer: record.answer.clone(),
        fields: record
            .fields
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect(),
        location,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn escapes_answers_and_has_no_external_assets() {
        let report = Report::new(
            vec![graded("a.md", 1, 30.0), error("b.jsonl", 2)],
            Some(50.0),
        );
        let html = HtmlExporter.render(&report).unwrap();
        assert!(
            html.contains("I would use a &lt;hash map&gt; &amp; a list."),
            "answer escaped"
        );
        assert!(!html.contains("<hash map>"));
        assert!(html.contains("doubly linked list &lt;order&gt;"));
        assert!(html.contains("<svg class=\"chart\""));
        assert_eq!(html.matches("<details class=\"answer\"").count(), 2);
        assert!(!html.contains(">Passed<"), "an error row fails the run");
        assert!(
            html.contains("failed: some rows not graded (exit 2): 1 below threshold, mean below threshold, 0 ungraded by the judge, 1 errors"),
            "{html}"
        );
        for external in ["src=\"http", "href=\"http", "<link", "@import"] {
            assert!(!html.contains(external), "external asset: {external}");
        }
    }

    #[test]
    fn missing_points_group_by_section_with_counts() {
        let records = vec![graded("a.md", 1, 30.0), graded("b.md", 1, 60.0)];
        let groups = missing_by_section(&records);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].section, "Data Structures & Algorithms");
        assert_eq!(groups[0].points[0].label, "doubly linked list <order>");
        assert_eq!(
            (groups[0].points[0].count, groups[0].points[0].answers),
            (2, 2)
        );
    }
}
