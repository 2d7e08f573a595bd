//! GitHub Actions workflow commands: a `::warning` on the answer's line for each answer below
//! `--min-score`, an `::error` for each answer that could not be graded, and a closing
//! `::notice` with the totals. Printed to the job log, they show up on the files in the PR.

use std::fmt::Write;

use super::{format_score, Exporter, Report};
use crate::batch::Record;

/// Renders the report as GitHub Actions annotations.
#[derive(Debug, Clone, Copy, Default)]
pub struct GithubExporter;

impl Exporter for GithubExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let min = report.min_score();
        let mut out = String::new();
        for record in &report.records {
            match (record.passed(min), record.score()) {
                (Some(true), _) => {}
                (Some(false), Some(score)) => {
                    let title = format!("{} scored {}", record.title(), format_score(score));
                    let mut message = format!(
                        "Below the minimum score of {}.",
                        format_score(min.unwrap_or(0.0))
                    );
                    let missing = record.missing_points();
                    if !missing.is_empty() {
                        message.push_str(" Missing: ");
                        message.push_str(&missing.join("; "));
                        message.push('.');
                    }
                    annotate(&mut out, "warning", record, &title, &message);
                }
                _ => {
                    let title = format!("{} not graded", record.title());
                    let message = record.error.as_deref().unwrap_or("not graded");
                    annotate(&mut out, "error", record, &title, message);
                }
            }
        }
        let s = &report.summary;
        let mean = s.mean_score.map_or_else(|| "-".into(), format_score);
        let level = if s.verdict.passed() {
            "notice"
        } else {
            "error"
        };
        writeln!(
            out,
            "::{level} title=hone batch verdict::{}",
            escape_data(&super::verdict::verdict_line(s))
        )?;
        writeln!(
            out,
            "::notice title=hone batch::{}",
            escape_data(&format!(
                "{} answers, mean score {mean}: {} passed, {} below threshold, {} not graded{}",
                s.total,
                s.passed,
                s.failed,
                s.errors,
                super::llm_ungraded_clause(s, ", ")
            ))
        )?;
        // Printed to the job log, which a terminal emulator renders: no live escapes.
        Ok(super::terminal::safe(&out).into_owned())
    }
}

fn annotate(out: &mut String, level: &str, record: &Record, title: &str, message: &str) {
    let mut properties = format!("file={}", escape_property(&record.source.file));
    if record.source.line > 0 {
        let _ = write!(properties, ",line={}", record.source.line);
    }
    let _ = writeln!(
        out,
        "::{level} {properties},title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

/// Escapes a workflow-command message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn annotates_failures_and_errors_on_their_lines() {
        let report = Report::new(
            vec![
                graded("docs/a.md", 12, 30.0),
                graded("docs/a.md", 3, 90.0),
                error("b.jsonl", 4),
            ],
            Some(50.0),
        );
        let text = GithubExporter.render(&report).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[0].starts_with("::error file=b.jsonl,line=4,title="),
            "{text}"
        );
        assert!(lines[1].starts_with("::warning file=docs/a.md,line=12,title=pse/dsa/1 (ann) scored 30::Below the minimum score of 50. Missing: doubly linked list <order>."), "{text}");
        assert!(
            lines[2].starts_with("::error title=hone batch verdict::failed: some rows not graded (exit 2): 1 below threshold"),
            "{text}"
        );
        assert!(
            lines[3].starts_with("::notice title=hone batch::3 answers"),
            "{text}"
        );
    }

    #[test]
    fn escapes_newlines_percent_and_separators() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
