//! Command-line front end: one file per subcommand, each turning raw clap args into a run.
//!
//! Exit codes: 0 success; 1 some answers below threshold (batch); 2 usage or input error;
//! 3 ungraded answers under `--strict`.
//!
//! Stdout is written only through `print` (below), which treats a reader that went away as done
//! (`print!` would panic there), hence `print_stdout` stays denied even here. Notes go through
//! `note`, which never panics on a broken stderr either.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::bank::Catalog;
use crate::grade::{Calibration, Grader};

pub mod batch;
pub mod calibrate;
pub mod coach;
pub mod completions;
pub mod eval;
pub mod eval_llm;
pub mod grade;
pub mod history;
pub mod interrupt;
pub mod judge;
pub mod list;
pub mod man;
pub mod merge;
pub mod practice;
pub mod progress;
pub mod rubric;
pub mod show;

/// Grade written answers to interview questions and learn exactly what to improve.
#[derive(Debug, Parser)]
#[command(
    name = "hone",
    version = env!("HONE_VERSION"),
    about,
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// `--bank-file`, `--rubrics` and `--calibration` given before the subcommand, as earlier
    /// versions took them (hidden: each subcommand that uses them lists them itself).
    #[command(flatten)]
    pub before: BeforeArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The catalog options placed before the subcommand (`hone --bank-file X practice`), still
/// accepted for scripts written that way; hidden from help.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BeforeArgs {
    /// See [`BankArgs`].
    #[arg(
        long = "bank-file",
        value_name = "FILE",
        value_delimiter = ',',
        hide = true
    )]
    pub bank_files: Vec<std::path::PathBuf>,
    /// See [`RubricsArgs`].
    #[arg(long = "rubrics", value_name = "DIR", hide = true)]
    pub rubrics_dir: Option<std::path::PathBuf>,
    /// See [`CalibrationArgs`].
    #[arg(long = "calibration", value_name = "FILE", hide = true)]
    pub calibration: Option<std::path::PathBuf>,
}

// The environment variables are read in `Globals::new`, after both places a flag can be given,
// so a flag before the subcommand still beats the environment.

/// `--bank-file`: extra question banks, for the subcommands that look questions up.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BankArgs {
    /// Extra question bank (TOML, JSONL or an interview document); repeat for several
    /// [env: HONE_BANK_FILES, comma-separated].
    #[arg(long = "bank-file", value_name = "FILE", value_delimiter = ',')]
    pub bank_files: Vec<std::path::PathBuf>,
}

/// `--rubrics`: rubric overrides, for the subcommands that read rubrics.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RubricsArgs {
    /// Folder of rubric overrides (`<bank>/<section>-<n>.toml`); edited files there win over
    /// the bundled ones [env: HONE_RUBRICS].
    #[arg(long = "rubrics", value_name = "DIR")]
    pub rubrics_dir: Option<std::path::PathBuf>,
}

/// `--calibration`: the calibration, for the subcommands that score answers.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CalibrationArgs {
    /// Score with this calibration (from `hone calibrate`) instead of the shipped one; also the
    /// `calibration` key of the config file [env: HONE_CALIBRATION].
    #[arg(long = "calibration", value_name = "FILE")]
    pub calibration: Option<std::path::PathBuf>,
}

/// What the bank, rubric and calibration options of a subcommand ask for; options a subcommand
/// does not take stay at their defaults (bundled banks and rubrics, calibration from the config).
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// `--bank-file`s.
    pub bank_files: Vec<std::path::PathBuf>,
    /// `--rubrics`.
    pub rubrics_dir: Option<std::path::PathBuf>,
    /// `--calibration`.
    pub calibration: Option<std::path::PathBuf>,
}

impl Globals {
    /// The options of a subcommand that takes `--bank-file`, and perhaps `--rubrics` and
    /// `--calibration`: its own flags, else those given before it, else the environment
    /// (`HONE_BANK_FILES`, `HONE_RUBRICS`, `HONE_CALIBRATION`). Bank files add up.
    pub fn new(
        before: &BeforeArgs,
        bank: &BankArgs,
        rubrics: Option<&RubricsArgs>,
        calibration: Option<&CalibrationArgs>,
    ) -> Globals {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let mut bank_files = before.bank_files.clone();
        bank_files.extend(bank.bank_files.iter().cloned());
        if bank_files.is_empty() {
            if let Some(list) = env("HONE_BANK_FILES") {
                bank_files = list
                    .to_string_lossy()
                    .split(',')
                    .filter(|f| !f.trim().is_empty())
                    .map(std::path::PathBuf::from)
                    .collect();
            }
        }
        let rubrics_dir = rubrics.map(|_| {
            rubrics
                .and_then(|r| r.rubrics_dir.clone())
                .or_else(|| before.rubrics_dir.clone())
                .or_else(|| env("HONE_RUBRICS").map(Into::into))
        });
        let calibration = calibration.map(|_| {
            calibration
                .and_then(|c| c.calibration.clone())
                .or_else(|| before.calibration.clone())
                .or_else(|| env("HONE_CALIBRATION").map(Into::into))
        });
        Globals {
            bank_files,
            rubrics_dir: rubrics_dir.flatten(),
            calibration: calibration.flatten(),
        }
    }
}

impl Globals {
    /// The calibration file in force: `--calibration` (or `HONE_CALIBRATION`), else the config
    /// file's `calibration` key, else none (the shipped calibration).
    pub fn calibration_file(&self) -> anyhow::Result<Option<std::path::PathBuf>> {
        if let Some(path) = &self.calibration {
            return Ok(Some(path.clone()));
        }
        let env = |name: &str| std::env::var(name).ok();
        Ok(crate::config::Config::load(None, &env)?.calibration)
    }

    /// The calibration to score every rubric with (see [`Globals::calibration_file`]), or
    /// `None` for the shipped ones.
    pub fn calibration(&self) -> anyhow::Result<Option<Calibration>> {
        self.calibration_file()?
            .map(|path| Calibration::from_toml_file(&path))
            .transpose()
            .map_err(Into::into)
    }

    /// The grader every command scores with: the calibration in force, term weights across the
    /// rubrics of every question in `catalog` (as `--rubrics` resolves them) for bank questions,
    /// uniform weights for ad-hoc references.
    pub fn grader_for(&self, catalog: &Catalog) -> anyhow::Result<Grader> {
        let precomputed = crate::grade::term_weights::bundled_frequencies().documents;
        let grader = if self.bank_files.is_empty()
            && self.rubrics_dir.is_none()
            && precomputed == catalog.questions().len()
        {
            // The bundled catalog and rubrics: their weights are precomputed.
            Grader::bundled(catalog.questions())
        } else {
            Grader::over(&self.rubric_store().all_rubrics(catalog.questions()))
        };
        Ok(match self.calibration()? {
            Some(calibration) => grader.with_calibration(calibration),
            None => grader,
        })
    }

    /// [`Globals::grader_for`] the catalog these options ask for.
    pub fn grader(&self) -> anyhow::Result<Grader> {
        self.grader_for(&Catalog::load(&self.bank_files)?)
    }
}

/// hone's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the questions in the banks.
    List(list::Args),
    /// Show one question, its rubric or model answer.
    Show(show::Args),
    /// Build or check the rubric files.
    #[command(subcommand)]
    Rubric(rubric::Command),
    /// Grade one answer (from a file or stdin).
    Grade(grade::Args),
    /// Measure agreement with human grades in a JSONL file.
    Eval(eval::Args),
    /// Fit how local signals combine into a score, from human grades.
    Calibrate(calibrate::Args),
    /// Grade many answers and write reports.
    Batch(batch::Args),
    /// Merge JSON results from sharded batch runs.
    Merge(merge::Args),
    /// Check an LLM judge on answers of known quality before trusting it.
    #[command(subcommand)]
    Judge(judge::Command),
    /// Practise: answer questions in the terminal and get coached.
    Practice(practice::Args),
    /// Show progress over time from practice history.
    Progress(progress::Args),
    /// Write a prioritised study plan.
    Coach(coach::Args),
    /// Export, import or clear practice history.
    #[command(subcommand)]
    History(history::Command),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page (roff), or write one per command with --out DIR.
    Man(man::Args),
}

/// Runs the parsed command and returns the process exit code.
///
/// A reader that closed stdout early (`hone … | head -1`) ends the run quietly with success, as
/// ripgrep does: the output it wanted has been written.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match run_command(cli) {
        Err(err) if is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        result => result,
    }
}

fn run_command(cli: Cli) -> anyhow::Result<ExitCode> {
    use Globals as G;
    let before = cli.before;
    match cli.command {
        Command::List(args) => {
            let globals = G::new(&before, &args.banks, None, None);
            list::run(args, &globals)
        }
        Command::Show(args) => {
            let globals = G::new(&before, &args.banks, Some(&args.rubrics), None);
            show::run(args, &globals)
        }
        Command::Rubric(cmd) => rubric::run(cmd, &before),
        Command::Judge(cmd) => judge::run(cmd),
        Command::Grade(args) => {
            let globals = G::new(
                &before,
                &args.banks,
                Some(&args.rubrics),
                Some(&args.calibration),
            );
            grade::run(args, &globals)
        }
        Command::Eval(args) => {
            let globals = G::new(
                &before,
                &args.banks,
                Some(&args.rubrics),
                Some(&args.calibration),
            );
            eval::run(args, &globals)
        }
        Command::Calibrate(args) => {
            let globals = G::new(&before, &args.banks, Some(&args.rubrics), None);
            calibrate::run(args, &globals)
        }
        Command::Batch(args) => {
            let globals = G::new(
                &before,
                &args.banks,
                Some(&args.rubrics),
                Some(&args.calibration),
            );
            batch::run(args, &globals)
        }
        Command::Merge(args) => merge::run(args),
        Command::Practice(args) => {
            let globals = G::new(
                &before,
                &args.banks,
                Some(&args.rubrics),
                Some(&args.calibration),
            );
            practice::run(args, &globals)
        }
        Command::Progress(args) => {
            let globals = G::new(&before, &args.banks, None, None);
            progress::run(args, &globals)
        }
        Command::Coach(args) => {
            let globals = G::new(&before, &args.banks, None, None);
            coach::run(args, &globals)
        }
        Command::History(cmd) => history::run(cmd),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Whether an error was caused by writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to stdout through anstream (styles dropped off a terminal or under NO_COLOR); a reader
/// that went away (`hone list | head`) is not an error. Use this, never `print!`, in src/cli.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = anstream::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes a note (a warning, a "wrote FILE") as one line on stderr. Unlike `eprintln!`, a
/// closed or broken stderr is ignored rather than a panic: the note is lost, the work is not.
pub(crate) fn note(text: &str) {
    use std::io::Write;
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        crate::report::terminal::safe(text)
    );
}

/// Prints an error as one line on stderr: `error: <message>` (plus the hint, if any).
pub fn print_error(err: &anyhow::Error) {
    use std::io::Write;
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let mut stderr = anstream::stderr();
    // A chain of contexts is joined into one line, outermost first.
    let message = err
        .chain()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    // Messages quote file names, ids and rows as the user gave them.
    let message = crate::report::terminal::safe(&message);
    let _ = writeln!(stderr, "{style}error:{style:#} {message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_broken_pipe_anywhere_in_the_chain_is_recognised() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let wrapped = Err::<(), _>(pipe)
            .context("writing the report")
            .unwrap_err();
        assert!(is_broken_pipe(&wrapped));
        let other = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(!is_broken_pipe(&other));
    }
}
