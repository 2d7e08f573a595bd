//! Text summary for the terminal: counts, mean, a score distribution, and the answers needing
//! attention (errors first, then the lowest scores).

use std::fmt::Write;

use super::verdict::verdict_line;
use super::{format_score, Exporter, Report};

/// Renders the summary as plain text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextExporter;

impl Exporter for TextExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let s = &report.summary;
        let mut out = String::new();
        let threshold = s
            .min_score
            .map(|m| format!(" (min score {})", format_score(m)))
            .unwrap_or_default();
        writeln!(
            out,
            "{} answers: {} graded, {} passed, {} below threshold, {} not graded{}{threshold}",
            s.total,
            s.graded,
            s.passed,
            s.failed,
            s.errors,
            super::llm_ungraded_clause(s, ", ")
        )?;
        if let Some(judge) = &s.judge {
            writeln!(out, "LLM judge: {judge}")?;
        }
        if let (Some(mean), Some(low), Some(high)) = (s.mean_score, s.lowest_score, s.highest_score)
        {
            let below = if super::verdict::mean_reaches_threshold(s) {
                ""
            } else {
                " — below the threshold"
            };
            writeln!(
                out,
                "mean score {} (lowest {}, highest {}){below}",
                format_score(mean),
                format_score(low),
                format_score(high)
            )?;
            out.push_str(&distribution(&s.histogram));
        }
        if !s.attention.is_empty() {
            let shown = s.attention.len() as u64;
            let all = s.failed + s.errors;
            writeln!(
                out,
                "\nneeds attention{}:",
                if all > shown {
                    format!(" (first {shown} of {all})")
                } else {
                    String::new()
                }
            )?;
            for a in &s.attention {
                let score = a.score.map_or_else(|| "error".to_string(), format_score);
                writeln!(
                    out,
                    "  {:>5}  {}  {} — {}",
                    score, a.location, a.title, a.detail
                )?;
            }
        }
        writeln!(out, "\nverdict: {}", verdict_line(s))?;
        // File names, question titles and error messages quote the inputs.
        Ok(super::terminal::safe(&out).into_owned())
    }
}

/// One line per score bucket with a bar scaled to the largest bucket.
fn distribution(histogram: &[u64; 10]) -> String {
    let widest = histogram.iter().copied().max().unwrap_or(0).max(1);
    let first = histogram.iter().position(|&c| c > 0).unwrap_or(0);
    let last = histogram.iter().rposition(|&c| c > 0).unwrap_or(9);
    let mut out = String::new();
    for (i, &count) in histogram.iter().enumerate().take(last + 1).skip(first) {
        let bar = "#".repeat(((count * 30).div_ceil(widest)) as usize);
        let high = if i == 9 { 100 } else { i * 10 + 9 };
        let _ = writeln!(out, "  {:>3}-{:<3} {:>6}  {bar}", i * 10, high, count);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn shows_counts_mean_and_what_needs_attention() {
        let report = Report::new(
            vec![
                graded("a.md", 1, 80.0),
                graded("a.md", 9, 35.0),
                error("b.jsonl", 4),
            ],
            Some(50.0),
        );
        let text = TextExporter.render(&report).unwrap();
        assert!(
            text.starts_with(
                "3 answers: 2 graded, 1 passed, 1 below threshold, 1 not graded (min score 50)"
            ),
            "{text}"
        );
        assert!(
            text.contains("mean score 57.5 (lowest 35, highest 80)"),
            "{text}"
        );
        assert!(text.contains("error  b.jsonl:4"), "{text}");
        assert!(
            text.contains("35  a.md:9  pse/dsa/1 (ann) — missing: doubly linked list <order>"),
            "{text}"
        );
        assert!(
            !text.contains("a.md:1 "),
            "passing answers are not listed: {text}"
        );
        assert!(
            text.ends_with("\nverdict: failed: some rows not graded (exit 2): 1 below threshold, 0 ungraded by the judge, 1 errors\n"),
            "{text}"
        );
    }
}
