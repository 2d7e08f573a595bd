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

pub use settings::{CommandFlags, Settings};

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
pub mod settings;
pub mod show;

/// Grade written answers to interview questions and learn exactly what to improve.
#[derive(Debug, Parser)]
#[command(
    name = "hone",
    version = env!("HONE_VERSION"),
    about,
    long_about = None,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// `--bank-file`, `--rubrics` and `--calibration` given before the subcommand, as earlier
    /// versions took them (hidden: each subcommand that uses them lists them itself).
    #[command(flatten)]
    pub before: BeforeArgs,
    /// Config file [env: HONE_CONFIG] [default: <config dir>/hone/config.toml].
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<std::path::PathBuf>,
    /// Print the settings this command would run with (flags, environment, config file and
    /// defaults resolved; no secrets) and exit.
    #[arg(long, global = true)]
    pub dump_config: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
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

// The environment variables are read in `Settings::resolve`, after both places a flag can be
// given, so a flag before the subcommand still beats the environment.

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
    let Some(command) = cli.command else {
        // Only `--dump-config` (or `--config`) before any command: the settings common to all.
        if cli.dump_config {
            let settings = resolve(&cli.config, &cli.before, CommandFlags::default())?;
            print(&settings.dump())?;
            return Ok(ExitCode::SUCCESS);
        }
        return Err(crate::InputError::new("no command given")
            .with_hint("run `hone --help` for the list of commands")
            .into());
    };
    let flags = command_flags(&command);
    let settings = match flags {
        Some(flags) => resolve(&cli.config, &cli.before, flags)?,
        None => Settings::default(),
    };
    if cli.dump_config {
        print(&settings.dump())?;
        return Ok(ExitCode::SUCCESS);
    }
    match command {
        Command::List(args) => list::run(args, &settings),
        Command::Show(args) => show::run(args, &settings),
        Command::Rubric(cmd) => rubric::run(cmd, &settings),
        Command::Judge(cmd) => judge::run(cmd, &settings),
        Command::Grade(args) => grade::run(args, &settings),
        Command::Eval(args) => eval::run(args, &settings),
        Command::Calibrate(args) => calibrate::run(args, &settings),
        Command::Batch(args) => batch::run(args, &settings),
        Command::Merge(args) => merge::run(args),
        Command::Practice(args) => practice::run(args, &settings),
        Command::Progress(args) => progress::run(args, &settings),
        Command::Coach(args) => coach::run(args, &settings),
        Command::History(cmd) => history::run(cmd),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// The layered options a command takes, or `None` for commands that read no settings (they
/// run without loading the config file).
fn command_flags(command: &Command) -> Option<CommandFlags<'_>> {
    let flags = CommandFlags::default();
    Some(match command {
        Command::List(args) => CommandFlags {
            banks: Some(&args.banks),
            ..flags
        },
        Command::Show(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            ..flags
        },
        Command::Rubric(cmd) => match cmd {
            rubric::Command::Build(args) => CommandFlags {
                banks: Some(&args.banks),
                llm: Some(&args.llm),
                ..flags
            },
            rubric::Command::Check(args) => CommandFlags {
                banks: Some(&args.banks),
                ..flags
            },
        },
        Command::Grade(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            calibration: Some(&args.calibration),
            llm: Some(&args.llm),
            ..flags
        },
        Command::Eval(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            calibration: Some(&args.calibration),
            llm: Some(&args.llm),
            ..flags
        },
        Command::Judge(judge::Command::Check(args)) => CommandFlags {
            llm: Some(&args.llm),
            ..flags
        },
        Command::Calibrate(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            fits_calibration: true,
            ..flags
        },
        Command::Batch(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            calibration: Some(&args.calibration),
            llm: Some(&args.llm),
            jobs: args.jobs,
            ..flags
        },
        Command::Practice(args) => CommandFlags {
            banks: Some(&args.banks),
            rubrics: Some(&args.rubrics),
            calibration: Some(&args.calibration),
            llm: Some(&args.llm),
            ..flags
        },
        Command::Progress(args) => CommandFlags {
            banks: Some(&args.banks),
            ..flags
        },
        Command::Coach(args) => CommandFlags {
            banks: Some(&args.banks),
            ..flags
        },
        Command::Merge(_) | Command::History(_) | Command::Completions(_) | Command::Man(_) => {
            return None
        }
    })
}

/// [`Settings::resolve`] with the process environment.
fn resolve(
    config: &Option<std::path::PathBuf>,
    before: &BeforeArgs,
    flags: CommandFlags<'_>,
) -> anyhow::Result<Settings> {
    let env = |name: &str| std::env::var(name).ok();
    Settings::resolve(config.as_deref(), before, flags, &env)
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
