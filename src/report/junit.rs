//! JUnit XML: one test suite per input file, one test case per answer. An answer below
//! `--min-score` is a failure whose message lists the missing key points; an answer that could
//! not be graded is an error. A last suite, `hone`, holds one case, `verdict`, that fails
//! exactly when the run's exit code is not 0 (a mean below the threshold included), with the
//! verdict and its counts as the message and as suite properties.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::verdict::{verdict_line, Verdict};
use super::{format_score, Exporter, Report, Summary};
use crate::batch::Record;

/// Renders the report as JUnit XML.
#[derive(Debug, Clone, Copy, Default)]
pub struct JunitExporter;

impl Exporter for JunitExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
        let mut llm_ungraded: BTreeMap<&str, u64> = BTreeMap::new();
        for record in &report.records {
            let file = record.source.file.as_str();
            suites
                .entry(file)
                .or_insert_with(|| TestSuite::new(file))
                .add_test_case(test_case(record, report.min_score()));
            let grade = record.grade.as_ref();
            if grade
                .and_then(|g| g.llm.as_ref())
                .is_some_and(|o| !o.is_graded())
            {
                *llm_ungraded.entry(file).or_default() += 1;
            }
        }
        for (file, count) in llm_ungraded {
            if let Some(suite) = suites.get_mut(file) {
                suite.add_property(quick_junit::Property::new(
                    "llm_ungraded",
                    count.to_string(),
                ));
            }
        }
        let mut junit = quick_junit::Report::new("hone batch");
        junit.add_test_suites(suites.into_values());
        junit.add_test_suite(verdict_suite(&report.summary));
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
    if let Some(llm) = record.grade.as_ref().and_then(|g| g.llm.as_ref()) {
        // An answer the LLM judge left ungraded says so, with the reason, on its test case.
        case.add_property(quick_junit::Property::new("llm", llm.summary()));
        if !llm.is_graded() {
            case.set_system_out(format!("{}; the local grade stands", llm.summary()));
        }
    }
    case
}

/// The suite `hone` with the one case `verdict`, failing unless the run passed.
fn verdict_suite(summary: &Summary) -> TestSuite {
    let line = verdict_line(summary);
    let status = match summary.verdict {
        Verdict::Passed => TestCaseStatus::success(),
        Verdict::BelowThreshold => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_type("below-min-score").set_message(line.clone());
            status
        }
        Verdict::Errors | Verdict::Ungraded => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_type("not-graded").set_message(line.clone());
            status
        }
    };
    let mut case = TestCase::new("verdict".to_string(), status);
    case.set_classname("hone").set_system_out(line);
    let mut suite = TestSuite::new("hone");
    suite.add_properties([
        (
            "verdict".to_string(),
            summary.verdict.headline().to_string(),
        ),
        (
            "exit_code".to_string(),
            summary.verdict.exit_code().to_string(),
        ),
        ("below_threshold".to_string(), summary.failed.to_string()),
        ("ungraded".to_string(), summary.llm_ungraded.to_string()),
        ("errors".to_string(), summary.errors.to_string()),
    ]);
    if let Some(judge) = &summary.judge {
        suite.add_property(quick_junit::Property::new("llm_judge", judge.clone()));
    }
    suite.add_test_case(case);
    suite
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
            xml.contains(r#"tests="4" skipped="0" failures="1" errors="2""#),
            "three answers and the run's verdict (an error: a row was not graded): {xml}"
        );
        assert!(
            xml.contains(r#"<property name="exit_code" value="2"/>"#),
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
    fn a_mean_below_the_threshold_fails_the_verdict_case() {
        // One answer below 50 and a mean of 45 exit 1: the verdict case fails and says why.
        let mut report = Report::new(
            vec![graded("a.md", 1, 60.0), graded("a.md", 2, 30.0)],
            Some(50.0),
        );
        let xml = JunitExporter.render(&report).unwrap();
        assert!(
            xml.contains(r#"<testcase name="verdict" classname="hone">"#),
            "{xml}"
        );
        assert!(
            xml.contains("below threshold (exit 1): 1 below threshold, mean below threshold"),
            "{xml}"
        );
        report = Report::new(vec![graded("a.md", 1, 60.0)], Some(50.0));
        let xml = JunitExporter.render(&report).unwrap();
        assert!(xml.contains(r#"failures="0" errors="0""#), "{xml}");
        assert!(
            xml.contains(r#"<property name="verdict" value="passed"/>"#),
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
