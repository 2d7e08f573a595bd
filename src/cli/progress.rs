//! `hone progress`: attempts, scores and trends per bank, section and kind; missed key points;
//! STAR habits; what to practise next. Text (default), `--format json`, and `--html FILE`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::bank::Kind;
use crate::practice::filter::{parse_kind, Filter};
use crate::practice::progress::{build, render_text};
use crate::practice::progress_html::render_html;
use crate::practice::{Clock, SystemClock};

use super::history::{candidate_name, DbArgs};

/// Output format of `hone progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Tables and sparklines for the terminal.
    #[default]
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `hone progress`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this bank.
    #[arg(long)]
    pub bank: Option<String>,
    /// Only this section (slug or title).
    #[arg(long)]
    pub section: Option<String>,
    /// Only this kind of question.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// Whose progress [default: $USER].
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub candidate: Option<String>,
    /// Everyone in the database together.
    #[arg(long)]
    pub all: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also write a self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
}

/// Runs `hone progress`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let filter = Filter {
        bank: args.bank.clone(),
        section: args.section.clone(),
        kind: args.kind,
        ids: Vec::new(),
    };
    let candidate = (!args.all).then(|| candidate_name(args.candidate.as_deref()));
    let history = args.db.open_existing()?;
    if let Some(who) = &args.candidate {
        super::history::require_candidate(&history, who)?;
    }
    let attempts: Vec<_> = history
        .attempts(candidate.as_deref())?
        .into_iter()
        .filter(|a| filter.matches_attempt(a))
        .collect();
    let catalog = super::practice::catalog(settings)?;
    let questions: Vec<_> = catalog
        .questions()
        .iter()
        .filter(|q| filter.matches(q))
        .cloned()
        .collect();
    let progress = build(
        candidate.as_deref(),
        &attempts,
        &questions,
        SystemClock.now_ms(),
    );
    if let Some(path) = &args.html {
        let html = render_html(&progress)?;
        std::fs::write(path, html).with_context(|| format!("cannot write {}", path.display()))?;
        super::note(&format!("Wrote {}", path.display()));
    }
    match args.format {
        Format::Text => super::print(&crate::report::wrap::for_terminal(
            &crate::report::terminal::safe(&render_text(&progress)),
            crate::report::wrap::stdout_width(),
        ))?,
        Format::Json => super::print(&(serde_json::to_string_pretty(&progress)? + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}
