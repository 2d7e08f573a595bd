//! `hone coach RESULTS.json | --candidate NAME`: a prioritised study plan, from `hone batch`
//! JSON results or from practice history.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::practice::coach::{plan, read_batch_json, render_markdown};
use crate::InputError;

use super::history::{candidate_name, DbArgs};

/// Output format of `hone coach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A Markdown study plan.
    #[default]
    Markdown,
    /// The plan as JSON.
    Json,
}

/// Arguments of `hone coach`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results of `hone batch`: a JSON report (`--out x.json`) or results file (`--results
    /// x.jsonl`); without it, practice history is used.
    #[arg(value_name = "RESULTS.json")]
    pub results: Option<PathBuf>,
    /// Whose answers: filters the results file, or picks the history [default for history: $USER].
    #[arg(long, value_name = "NAME")]
    pub candidate: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write the plan to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
}

/// Runs `hone coach`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let mut questions = super::practice::catalog(settings)?.questions().to_vec();
    let (candidate, source, attempts) = match &args.results {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| InputError::new(format!("cannot read {name}: {e}")))?;
            let mut read = read_batch_json(&text, &name)?;
            if let Some(who) = &args.candidate {
                if !read.attempts.is_empty() && !read.attempts.iter().any(|a| &a.candidate == who) {
                    let mut known: Vec<String> =
                        read.attempts.iter().map(|a| a.candidate.clone()).collect();
                    known.sort();
                    known.dedup();
                    return Err(super::history::unknown_candidate(who, &known, &name).into());
                }
                read.attempts.retain(|a| &a.candidate == who);
            }
            // Questions the banks do not know (ad hoc ones) as the results describe them.
            for q in read.questions {
                if !questions.iter().any(|known| known.id == q.id) {
                    questions.push(q);
                }
            }
            (args.candidate.clone(), name, read.attempts)
        }
        None => {
            let who = candidate_name(args.candidate.as_deref());
            let history = args.db.open_existing()?;
            if let Some(who) = &args.candidate {
                super::history::require_candidate(&history, who)?;
            }
            let attempts = history.attempts(Some(&who))?;
            let source = history.path().display().to_string();
            (Some(who), source, attempts)
        }
    };
    let plan = plan(candidate.as_deref(), &source, &attempts, &questions);
    let text = match args.format {
        Format::Markdown => render_markdown(&plan),
        Format::Json => serde_json::to_string_pretty(&plan)? + "\n",
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            super::note(&format!("Wrote {}", path.display()));
        }
        None => super::print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
