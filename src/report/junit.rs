//! JUnit XML: one test suite per input file, one test case per answer. An answer below
//! `--min-score` is a failure whose message lists the missing key points; an answer that could
//! not be graded is an error.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{format_score, Exporter, Report};
use crate::batch::Record;

/// Renders the report as JUnit XML.
#[derive(Debug, Clone, Copy, Default)]
pub struct JunitExporter;

impl Exporter for JunitExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
        for record in &report.records {
            let file = record.source.file.as_str();
            suites
                .entry(file)
                .or_insert_with(|| TestSuite::new(file))
                .add_test_case(test_case(record, report.min_score()));
        }
        let mut junit = quick_junit::Report::new("hone batch");
        junit.add_test_suites(suites.into_values());
        Ok(well_formed(junit.to_string()?))
    }
}

/// The document without U+FFFE and U+FFFF, which XML 1.0 forbids everywhere (even as character
/// references) and quick-junit lets through from names and messages; it already drops the other
/// forbidden characters (C0 controls) and terminal escapes.
fn well_formed(xml: String) -> String {
    if xml.contains(['\u{fffe}', '\u{ffff}']) {
        xml.replace(['\u{fffe}', '\u{ffff}'], "")
    } else {
        xml
    }
}

fn test_case(record: &Record, min_score: Option<f64>) -> TestCase {
    let name = format!("{} [line {}]", record.title(), record.source.line);
    let status = match (record.passed(min_score), record.score()) {
        (Some(true), _) => TestCaseStatus::success(),
        (Some(false), Some(score)) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_type("below-min-score")
                .set_message(failure_message(record, score, min_score.unwrap_or(0.0)))
                .set_description(details(record));
            status
        }
        _ => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_type("not-graded")
                .set_message(record.error.clone().unwrap_or_else(|| "not graded".into()));
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(record.source.file.clone());
    case
}

/// `score 42 < 60; missing: a; b`.
fn failure_message(record: &Record, score: f64, min: f64) -> String {
    let missing = record.missing_points();
    let mut message = format!("score {} < {}", format_score(score), format_score(min));
    if !missing.is_empty() {
        message.push_str("; missing: ");
        message.push_str(&missing.join("; "));
    }
    message
}

/// Missing points and suggested improvements, one per line.
fn details(record: &Record) -> String {
    let mut lines: Vec<String> = record
        .missing_points()
        .iter()
        .map(|p| format!("missing: {p}"))
        .collect();
    if let Some(grade) = &record.grade {
        lines.extend(grade.improvements.iter().map(|i| format!("improve: {i}")));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn one_case_per_answer_failing_below_threshold() {
        let report = Report::new(
            vec![
                graded("a.md", 1, 80.0),
                graded("a.md", 7, 30.0),
                error("b.jsonl", 2),
            ],
            Some(50.0),
        );
        let xml = JunitExporter.render(&report).unwrap();
        assert!(
            xml.contains(r#"tests="3" skipped="0" failures="1" errors="1""#),
            "{xml}"
        );
        assert!(
            xml.contains("score 30 &lt; 50; missing: doubly linked list &lt;order&gt;"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testsuite name="b.jsonl" tests="1""#),
            "{xml}"
        );
    }

    #[test]
    fn noncharacters_in_names_and_messages_still_give_well_formed_xml() {
        let mut hostile = graded("a\u{fffe}.md", 3, 20.0);
        hostile.question_id = Some("pse/dsa/1\u{ffff}".into());
        hostile.candidate = Some("ann\u{fffe}\u{1b}[31m".into());
        hostile.error = Some("x\u{ffff}".into());
        let xml = JunitExporter
            .render(&Report::new(vec![hostile], Some(50.0)))
            .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let case = doc
            .descendants()
            .find(|n| n.has_tag_name("testcase"))
            .unwrap();
        assert!(case.attribute("name").unwrap().contains("ann"), "{xml}");
        assert_eq!(case.attribute("classname"), Some("a.md"));
    }
}
