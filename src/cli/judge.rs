//! `hone judge check`: grade a small bundled set of answers of known quality with an LLM
//! judge and say whether to trust it (trusted / weak / unusable).
//!
//! Exit codes: 0 trusted or weak; 1 unusable; 3 the judge graded none of the answers
//! (endpoint down or every reply invalid).

use std::process::ExitCode;

use crate::llm::cli::LlmArgs;
use crate::llm::CheckVerdict;
use crate::InputError;

/// Subcommands of `hone judge`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Grade answers of known quality (strong, mediocre, keyword list, off-topic, injection)
    /// and print the judge's ordering, spread, quote verification, whether it obeys injections,
    /// and a verdict (trusted / weak / unusable).
    Check(CheckArgs),
}

/// Arguments of `hone judge check`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("llm", |arg| arg.hide(true)), mut_arg("dry_run", |arg| arg.hide(true)))]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The judge to check.
    #[command(flatten)]
    pub llm: LlmArgs,
}

/// Output formats of `hone judge check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// One JSON object.
    Json,
}

/// Runs `hone judge …` with the resolved settings (config file, environment and the judge
/// flags); the judge is on whatever `llm.enabled` says: checking it is the point.
pub fn run(command: Command, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let Command::Check(args) = command;
    if args.llm.dry_run {
        return Err(
            InputError::new("hone judge check sends requests; --dry-run does not apply")
                .with_hint("drop --dry-run")
                .into(),
        );
    }
    let mut config = settings.llm.clone();
    config.enabled = true;
    let run = args
        .llm
        .resolve(&config)?
        .expect("llm.enabled is set, so the judge is on");
    let report = run.check();
    match args.format {
        Format::Text => super::print(&crate::report::judge_check::judge_check_text(&report))?,
        Format::Json => super::print(&(serde_json::to_string_pretty(&report)? + "\n"))?,
    }
    Ok(match report.verdict {
        CheckVerdict::Trusted | CheckVerdict::Weak => ExitCode::SUCCESS,
        CheckVerdict::Unusable => ExitCode::from(1),
        CheckVerdict::Unchecked => ExitCode::from(3),
    })
}
