//! Markdown for a CI job summary (`$GITHUB_STEP_SUMMARY`): a verdict line, totals, and a table
//! of answers with what needs attention first. Cell text is escaped so answers cannot break
//! the table, inject HTML, or turn into links, images or mentions ([`super::markdown_text`]).

use std::fmt::Write;

use super::verdict::verdict_line;
use super::{format_score, markdown_text, Exporter, Report};
use crate::batch::Record;

/// Most rows in the table (job summaries are limited in size); the rest are counted.
pub const MAX_ROWS: usize = 500;

/// Renders the report as GitHub-flavoured Markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let s = &report.summary;
        let min = report.min_score();
        let mark = if s.verdict.passed() { "✅" } else { "❌" };
        let mut out = String::new();
        writeln!(out, "## hone batch: {mark} {}\n", s.verdict.headline())?;
        writeln!(out, "**Verdict:** {}\n", verdict_line(s))?;
        if let Some(judge) = &s.judge {
            writeln!(
                out,
                "**LLM judge:** {}\n",
                super::markdown_text::inline(judge)
            )?;
        }
        let mean = s.mean_score.map_or_else(|| "–".into(), format_score);
        let threshold = min.map_or_else(|| "none".into(), format_score);
        writeln!(
            out,
            "**{}** answers · **{}** graded · mean score **{mean}** · min score {threshold} · {} passed · {} below threshold · {} not graded{}\n",
            s.total, s.graded, s.passed, s.failed, s.errors, super::llm_ungraded_clause(s, " · ")
        )?;
        if report.records.is_empty() {
            return Ok(out);
        }
        let mut rows: Vec<&Record> = report.records.iter().collect();
        // What needs attention first: errors, then failures, each in report order.
        rows.sort_by_key(|r| match r.passed(min) {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        writeln!(
            out,
            "| | Answer | Question | Candidate | Score | Band | Missing / error |"
        )?;
        writeln!(out, "|---|---|---|---|---:|---|---|")?;
        for record in rows.iter().take(MAX_ROWS) {
            writeln!(out, "{}", row(record, min))?;
        }
        if rows.len() > MAX_ROWS {
            writeln!(
                out,
                "\n…and {} more answers (see the JSON or HTML report).",
                rows.len() - MAX_ROWS
            )?;
        }
        Ok(out)
    }
}

fn row(record: &Record, min: Option<f64>) -> String {
    let mark = match record.passed(min) {
        Some(true) => "✅",
        Some(false) => "❌",
        None => "⚠️",
    };
    let score = record.score().map_or_else(|| "–".into(), format_score);
    let band = record
        .grade
        .as_ref()
        .map_or("not graded", |g| g.band.as_str());
    let detail = match &record.error {
        Some(error) => error.clone(),
        None => record.missing_points().join("; "),
    };
    format!(
        "| {mark} | {} | {} | {} | {score} | {band} | {} |",
        markdown_text::code(&record.source.to_string()).replace('|', "\\|"),
        cell(&record.question_label()),
        cell(record.candidate.as_deref().unwrap_or("")),
        cell(&detail)
    )
}

/// Table-cell text: one line, pipes escaped, HTML and Markdown neutralised.
pub fn cell(text: &str) -> String {
    markdown_text::inline(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn verdict_totals_and_attention_first() {
        let report = Report::new(
            vec![
                graded("a.md", 1, 90.0),
                graded("a.md", 5, 20.0),
                error("b.jsonl", 2),
            ],
            Some(50.0),
        );
        let md = MarkdownExporter.render(&report).unwrap();
        assert!(
            md.starts_with("## hone batch: ❌ failed: some rows not graded\n"),
            "{md}"
        );
        assert!(md.contains("**Verdict:** failed: some rows not graded (exit 2): 1 below threshold, 0 ungraded by the judge, 1 errors"), "{md}");
        let rows: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("| ✅") || l.starts_with("| ❌") || l.starts_with("| ⚠️"))
            .collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].contains("b.jsonl:2"));
        assert!(
            rows[1].contains("a.md:5") && rows[1].contains("doubly linked list &lt;order&gt;"),
            "{md}"
        );
        assert!(rows[2].contains("a.md:1"));
    }

    #[test]
    fn one_error_row_is_not_passed() {
        let report = Report::new(vec![graded("a.md", 1, 90.0), error("b.jsonl", 2)], None);
        let md = MarkdownExporter.render(&report).unwrap();
        assert!(!md.contains("✅ passed"), "{md}");
        assert!(md.contains("(exit 2)"), "{md}");
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\n<script>"), "a\\|b &lt;script&gt;");
    }
}
