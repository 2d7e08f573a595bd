//! `hone eval`: agreement between hone's scores and human grades in a JSONL file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hone_eval::dataset::{BadLine, Dataset, QuestionRef};
use hone_eval::expected::{Count, ExpectedFigures};
use hone_eval::summary::Summary;
use hone_eval::{Evaluation, ScoredAnswer};

use crate::bank::Catalog;
use crate::eval as hone_eval;
use crate::rubric::Rubric;
use crate::InputError;

/// Arguments of `hone eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL file, one answer a line: `question` (bank id or text) [+ `reference`], `answer`,
    /// and a human `score` (number) or `label` (correct/incorrect; `label_2way` preferred), or
    /// the range it deserves (`expected_min`, `expected_max`, with `variant` and `tier`).
    #[arg(value_name = "FILE.jsonl")]
    pub file: PathBuf,
    /// Also print agreement per question.
    #[arg(long)]
    pub by_question: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Read only the first N non-blank lines.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Also list every answer's score (line, question, variant, expected range, score).
    #[arg(long)]
    pub answers: bool,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
    /// Rubric overrides.
    #[command(flatten)]
    pub rubrics: super::RubricsArgs,
    /// Calibration.
    #[command(flatten)]
    pub calibration: super::CalibrationArgs,
    /// LLM judge: with --llm, also report the judge's own agreement and the combined score's
    /// next to local grading's, over the answers the judge graded.
    #[command(flatten)]
    pub llm: crate::llm::cli::LlmArgs,
}

/// Output formats of `hone eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// One JSON object.
    Json,
}

/// Most bad lines listed on stderr; the rest are counted.
const BAD_LINES_SHOWN: usize = 20;

/// Runs `hone eval`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let grader = settings.grader()?;
    let calibration = settings.calibration.clone();
    let dataset = Dataset::load(&args.file, args.limit)?;
    let bank_rubric = bank_rubrics(&dataset, settings)?;
    let evaluation = hone_eval::evaluate(dataset, bank_rubric, &grader);
    report_bad_lines(&args.file, &evaluation.bad_lines);
    if evaluation.summary.n == 0 {
        return Err(InputError::new(format!(
            "{}: no line could be scored ({} bad lines)",
            args.file.display(),
            evaluation.bad_lines.len()
        ))
        .into());
    }
    let llm = match args.llm.resolve(&settings.llm)? {
        Some(run) if run.dry_run => {
            return Err(InputError::new(
                "hone eval --llm measures a judge; --dry-run does not apply",
            )
            .with_hint("drop --dry-run")
            .into())
        }
        Some(run) => Some(super::eval_llm::measure(
            &args.file,
            args.limit,
            bank_rubrics(&Dataset::load(&args.file, args.limit)?, settings)?,
            &grader,
            &run,
        )?),
        None => None,
    };
    match args.format {
        Format::Text => {
            let mut text = render_text(&args, calibration.as_deref(), &evaluation);
            if let Some(agreement) = &llm {
                text.push_str(&agreement.render_text());
            }
            super::print(&text)?
        }
        Format::Json => {
            let mut report = render_json(&args, calibration.as_deref(), &evaluation);
            if let Some(agreement) = &llm {
                report["llm"] = serde_json::to_value(agreement)?;
            }
            super::print(&(serde_json::to_string_pretty(&report)? + "\n"))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A resolver of bank ids to rubrics, honouring `--bank-file` and `--rubrics`; the catalog is
/// loaded only when a line names a bank question.
pub(crate) fn bank_rubrics(
    dataset: &Dataset,
    settings: &super::Settings,
) -> anyhow::Result<impl Fn(&str) -> Result<Rubric, InputError>> {
    let needs_bank = dataset
        .items
        .iter()
        .any(|i| matches!(i.question, QuestionRef::Bank(_)));
    let catalog = if needs_bank {
        Catalog::load(&settings.bank_files)?
    } else {
        Catalog::default()
    };
    let store = settings.rubric_store();
    Ok(move |id: &str| {
        let question = catalog.find(id)?;
        store.rubric_for(question)
    })
}

/// Lists bad lines on stderr as `file:line: message`, then a count.
pub(crate) fn report_bad_lines(file: &Path, bad_lines: &[BadLine]) {
    for bad in bad_lines.iter().take(BAD_LINES_SHOWN) {
        super::note(&format!(
            "warning: {}:{}: {}",
            file.display(),
            bad.line,
            bad.message
        ));
    }
    if bad_lines.len() > BAD_LINES_SHOWN {
        super::note(&format!(
            "warning: … and {} more bad lines",
            bad_lines.len() - BAD_LINES_SHOWN
        ));
    }
    if !bad_lines.is_empty() {
        super::note(&format!(
            "warning: {}: {} bad line(s) skipped; the rest were scored",
            file.display(),
            bad_lines.len()
        ));
    }
}

/// A figure with three decimals, or `n/a`.
pub(crate) fn fig(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// The text report.
fn render_text(args: &Args, calibration: Option<&Path>, evaluation: &Evaluation) -> String {
    let s = &evaluation.summary;
    let mut out = String::new();
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<28}{value}\n"));
    line("file", args.file.display().to_string());
    line(
        "scoring",
        match calibration {
            Some(path) => format!("calibration {}", path.display()),
            None => "shipped defaults".to_string(),
        },
    );
    line(
        "answers scored",
        format!("{} ({} bad lines skipped)", s.n, evaluation.bad_lines.len()),
    );
    line(
        "questions",
        format!(
            "{} ({} rubrics built)",
            s.questions, evaluation.distinct_rubrics
        ),
    );
    line(
        "human scale",
        match s.scale {
            Some(scale) => format!("{} (inferred from the scores)", scale.describe()),
            None => "labels: correct = 1, anything else = 0".to_string(),
        },
    );
    line("Pearson r (pooled)", fig(s.pearson));
    line("Spearman ρ (pooled)", fig(s.spearman));
    let g = s.mean_question_pearson;
    line(
        "mean per-question Pearson",
        format!(
            "{} ({} questions; {} skipped: constant scores or one answer)",
            fig(g.mean),
            g.groups_used,
            g.groups_skipped
        ),
    );
    if s.scale.is_some() {
        line(
            "QWK",
            format!(
                "{} (hone 0–100 mapped onto the scale, rounded to a level)",
                fig(s.qwk)
            ),
        );
        line("RMSE (human scale)", fig(s.rmse));
    } else {
        line("ROC AUC (correct vs rest)", fig(s.auc));
    }
    if let Some(figures) = &evaluation.expected {
        out.push_str(&expected_table(figures));
    }
    if args.by_question {
        out.push_str(&question_table(s));
    }
    if args.answers {
        out.push_str(&answer_table(&evaluation.answers));
    }
    out
}

/// A count as `hits/total (share)`.
fn count(c: &Count) -> String {
    let hits = if c.hits.fract() == 0.0 {
        format!("{}", c.hits)
    } else {
        format!("{:.1}", c.hits)
    };
    match c.share() {
        Some(share) => format!("{hits}/{} ({:.3})", c.total, share),
        None => "n/a".to_string(),
    }
}

/// The figures against expected ranges, and the per-variant table.
fn expected_table(f: &ExpectedFigures) -> String {
    let mut out = format!("\nagainst expected ranges ({} answers)\n", f.answers);
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<28}{value}\n"));
    line("Spearman ρ (score, tier)", fig(f.tier_spearman));
    line("tier pairs ordered right", count(&f.tier_pairs_ordered));
    line("in range ±10", count(&f.in_range));
    line("off-topic/negated/tier0 ≤30", count(&f.low_variants_low));
    line("keyword/fluff < tier2", count(&f.hollow_below_tier2));
    line("injection < tier3", count(&f.injection_below_tier3));
    line(
        "tier4 vs tier3 mean",
        format!(
            "{} vs {}",
            f.tier4_mean.map_or("n/a".into(), |m| format!("{m:.1}")),
            f.tier3_mean.map_or("n/a".into(), |m| format!("{m:.1}"))
        ),
    );
    out.push_str(&format!(
        "\n{:<16}  {:>4}  {:>6}  {:>6}  {:>6}  {:>8}  {:>8}\n",
        "variant", "n", "mean", "min", "max", "expected", "in range"
    ));
    for row in &f.by_variant {
        out.push_str(&format!(
            "{:<16}  {:>4}  {:>6.1}  {:>6.1}  {:>6.1}  {:>8.1}  {:>8}\n",
            row.variant, row.n, row.mean, row.min, row.max, row.expected_mid, row.in_range
        ));
    }
    out
}

/// Every answer's score.
fn answer_table(answers: &[ScoredAnswer]) -> String {
    let mut out = format!(
        "\n{:>5}  {:<22}  {:<14}  {:>8}  {:>6}\n",
        "line", "question", "variant", "expected", "score"
    );
    for a in answers {
        let expected = a.expected_range.map_or_else(
            || format!("{:.2}", a.human),
            |(lo, hi)| format!("{lo}-{hi}"),
        );
        let group: String = a.group.chars().take(22).collect();
        out.push_str(&format!(
            "{:>5}  {:<22}  {:<14}  {:>8}  {:>6.1}\n",
            a.line,
            group,
            a.variant.as_deref().unwrap_or("-"),
            expected,
            a.score
        ));
    }
    out
}

/// The per-question table.
fn question_table(s: &Summary) -> String {
    let width = s
        .by_question
        .iter()
        .map(|q| q.question.chars().count().min(40))
        .max()
        .unwrap_or(8)
        .max(8);
    let mut out = format!(
        "\n{:<width$}  {:>4}  {:>7}  {:>7}  {:>7}  {:>7}\n",
        "question", "n", "human", "hone", "r", "ρ"
    );
    for q in &s.by_question {
        let name: String = q.question.chars().take(40).collect();
        out.push_str(&format!(
            "{name:<width$}  {:>4}  {:>7.2}  {:>7.1}  {:>7}  {:>7}\n",
            q.n,
            q.human_mean,
            q.hone_mean,
            fig(q.pearson),
            fig(q.spearman)
        ));
    }
    out
}

/// The JSON report (the per-question table only with `--by-question`).
fn render_json(
    args: &Args,
    calibration: Option<&Path>,
    evaluation: &Evaluation,
) -> serde_json::Value {
    let mut summary = serde_json::to_value(&evaluation.summary).expect("summary serialises");
    if !args.by_question {
        if let Some(map) = summary.as_object_mut() {
            map.remove("by_question");
        }
    }
    let report = serde_json::json!({
        "file": args.file.display().to_string(),
        "calibration": calibration.map(|p| p.display().to_string()),
        "bad_lines": evaluation.bad_lines,
        "distinct_rubrics": evaluation.distinct_rubrics,
        "summary": summary,
        "expected": evaluation.expected,
        "answers": if args.answers { Some(&evaluation.answers) } else { None },
    });
    report
}
