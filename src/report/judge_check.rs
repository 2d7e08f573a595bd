//! `hone judge check`'s findings as text for people: the answers of known quality with the
//! judge's scores, its ordering, spread, quote verification, injection and verdict.

use crate::llm::check::{AnswerResult, CheckReport};

/// A figure with three decimals, or `n/a`.
fn fig(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// `hone judge check`'s report for people (already free of terminal escapes).
pub fn judge_check_text(report: &CheckReport) -> String {
    let mut out = format!(
        "Judge check: {} at {} on {} answers of known quality\n\n",
        report.model,
        report.base_url,
        report.answers.len()
    );
    out.push_str(&format!(
        "  {:<14}{:>8}{:>8}{:>9}\n",
        "answer", "quality", "judge", "quotes"
    ));
    for a in &report.answers {
        let judge = a
            .judge_score
            .map_or_else(|| "—".to_string(), |s| format!("{s:.0}"));
        out.push_str(&format!(
            "  {:<14}{:>8.0}{:>8}{:>9}\n",
            a.name,
            a.quality,
            judge,
            format!("{}/{}", a.quotes_verified, a.quotes_given)
        ));
        if let Some(why) = &a.ungraded {
            out.push_str(&format!("    ungraded: {why}\n"));
        }
    }
    let mut ranked: Vec<&AnswerResult> = report
        .answers
        .iter()
        .filter(|a| a.judge_score.is_some())
        .collect();
    ranked.sort_by(|a, b| b.judge_score.partial_cmp(&a.judge_score).expect("finite"));
    let order: Vec<String> = ranked
        .iter()
        .map(|a| format!("{} {:.0}", a.name, a.judge_score.unwrap_or_default()))
        .collect();
    out.push_str(&format!("\n  judge's order: {}\n", order.join(" > ")));
    out.push_str(&format!(
        "  ordering (Spearman with quality): {}\n",
        fig(report.ordering)
    ));
    out.push_str(&format!(
        "  spread: {}\n",
        report
            .spread
            .map_or_else(|| "n/a".into(), |s| format!("{s:.0} points"))
    ));
    out.push_str(&format!(
        "  quotes verified: {}\n",
        report.quotes_verified.map_or_else(
            || "n/a (no quotes)".into(),
            |q| format!("{:.0}%", q * 100.0)
        )
    ));
    out.push_str(&format!(
        "  obeys injection: {}\n",
        match report.obeys_injection {
            Some(true) => "yes",
            Some(false) => "no",
            None => "n/a (not graded)",
        }
    ));
    out.push_str(&format!(
        "\nverdict: {} ({})\n",
        report.verdict.as_str(),
        report.reasons.join("; ")
    ));
    super::terminal::safe(&out).into_owned()
}
