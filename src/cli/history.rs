//! `hone history export|import|clear`, and the `--db` option shared by the practice commands.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::practice::{location, Attempt, History};
use crate::InputError;

/// Where the history database is: `--db`, else `HONE_DB`, else `$HONE_HOME/history.sqlite3`,
/// else the user data directory.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DbArgs {
    /// History database file [default: $HONE_HOME/history.sqlite3, else the user data dir].
    #[arg(long, value_name = "PATH", env = "HONE_DB")]
    pub db: Option<PathBuf>,
}

impl DbArgs {
    /// The database path these options and the environment point to.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        let home = std::env::var_os("HONE_HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        location::database_path(
            self.db.as_deref(),
            home.as_deref(),
            location::default_data_dir().as_deref(),
        )
        .ok_or_else(|| {
            InputError::new("no user data directory on this system")
                .with_hint("pass --db PATH or set HONE_HOME")
                .into()
        })
    }

    /// Opens (creating when absent) the history database.
    pub fn open(&self) -> anyhow::Result<History> {
        crate::practice::history::on_busy_wait(super::note);
        let path = self.path()?;
        History::open(&path).map_err(|e| InputError::new(e.to_string()).into())
    }

    /// Opens the history database for a command that only reads it or deletes from it: a
    /// `--db`/`HONE_DB` file must exist (a typo must not create an empty database); the
    /// default one is created as by [`DbArgs::open`], so a fresh machine shows an empty history.
    pub fn open_existing(&self) -> anyhow::Result<History> {
        crate::practice::history::on_busy_wait(super::note);
        let path = self.path()?;
        let opened = if self.db.is_some() {
            History::open_existing(&path)
        } else {
            History::open(&path)
        };
        opened.map_err(|e| InputError::new(e.to_string()).into())
    }
}

/// The candidate name: `--candidate`, else `$USER` (or `%USERNAME%`), else `me`.
pub fn candidate_name(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "me".to_string())
}

/// An input error when `who` has no attempts in `history` but others do: a `--candidate` typed
/// wrong would otherwise give an empty report with success. The error lists the candidates it
/// knows. An empty history is not an error (its reports say there are no attempts yet).
pub fn require_candidate(history: &History, who: &str) -> anyhow::Result<()> {
    if history.count(Some(who))? > 0 {
        return Ok(());
    }
    let known = history.candidates()?;
    if known.is_empty() {
        return Ok(());
    }
    Err(unknown_candidate(who, &known, &history.path().display().to_string()).into())
}

/// "no such candidate `who` in `source`", with the candidates that are there.
pub fn unknown_candidate(who: &str, known: &[String], source: &str) -> InputError {
    let names: Vec<String> = known.iter().map(|n| format!("`{n}`")).collect();
    InputError::new(format!("no such candidate `{who}` in {source}"))
        .with_hint(format!("known candidates: {}", names.join(", ")))
}

/// Subcommands of `hone history`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write every attempt as JSON Lines (to stdout, or --out FILE).
    Export(ExportArgs),
    /// Add attempts from a JSON Lines export (duplicates are skipped).
    Import(ImportArgs),
    /// Delete attempts (all, or one candidate's); asks first unless --yes.
    Clear(ClearArgs),
}

/// Arguments of `hone history export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Only this candidate's attempts.
    #[arg(long)]
    candidate: Option<String>,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Arguments of `hone history import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// A JSON Lines file written by `hone history export` (`-` for stdin).
    file: PathBuf,
}

/// Arguments of `hone history clear`.
#[derive(Debug, clap::Args)]
pub struct ClearArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Only this candidate's attempts.
    #[arg(long)]
    candidate: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
}

/// Runs `hone history`.
pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Export(args) => export(args),
        Command::Import(args) => import(args),
        Command::Clear(args) => clear(args),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let history = args.db.open_existing()?;
    let attempts = history.attempts(args.candidate.as_deref())?;
    let mut text = String::new();
    for attempt in &attempts {
        text.push_str(&serde_json::to_string(attempt)?);
        text.push('\n');
    }
    match &args.out {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            super::note(&format!(
                "Exported {} attempt(s) to {}",
                attempts.len(),
                path.display()
            ));
        }
        None => super::print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let reader: Box<dyn BufRead> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| InputError::new(format!("cannot read {name}: {e}")))?;
        Box::new(std::io::BufReader::new(file))
    };
    let attempts = parse_jsonl(reader, &name)?;
    let mut history = args.db.open()?;
    let added = history.import(&attempts)?;
    super::print(&format!(
        "Imported {added} new attempt(s) from {name} ({} already there) into {}\n",
        attempts.len() - added,
        history.path().display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Reads attempts from JSON Lines; a bad line is an error naming the file and line.
fn parse_jsonl(reader: impl BufRead, name: &str) -> anyhow::Result<Vec<Attempt>> {
    let mut attempts = Vec::new();
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("cannot read {name}"))?;
        let line = String::from_utf8(line).map_err(|_| {
            InputError::new(format!("{name}:{}: not UTF-8 text", n + 1))
                .with_hint("import files written by `hone history export`")
        })?;
        // A byte-order mark (some Windows editors write one) is not part of the first line.
        let line = match n {
            0 => line.strip_prefix('\u{feff}').unwrap_or(&line),
            _ => &line,
        };
        if line.trim().is_empty() {
            continue;
        }
        let attempt = serde_json::from_str(line).map_err(|e| {
            InputError::new(format!("{name}:{}: not a hone attempt: {e}", n + 1))
                .with_hint("import files written by `hone history export`")
        })?;
        attempts.push(attempt);
    }
    Ok(attempts)
}

fn clear(args: ClearArgs) -> anyhow::Result<ExitCode> {
    let history = args.db.open_existing()?;
    let count = history.count(args.candidate.as_deref())?;
    let whose = match &args.candidate {
        Some(name) => format!("{name}'s"),
        None => "all".to_string(),
    };
    if count == 0 {
        super::print(&format!(
            "Nothing to clear in {}\n",
            history.path().display()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes
        && !confirm(&format!(
            "Delete {whose} {count} attempt(s) from {}? Type `yes` to confirm: ",
            history.path().display()
        ))?
    {
        super::print("Nothing deleted.\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let deleted = history.clear(args.candidate.as_deref())?;
    super::print(&format!("Deleted {deleted} attempt(s).\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn confirm(prompt: &str) -> anyhow::Result<bool> {
    let mut stderr = anstream::stderr();
    write!(stderr, "{prompt}")?;
    stderr.flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(is_yes(&line))
}

/// Whether a reply to the confirmation prompt is the `yes` it asks for (any case).
fn is_yes(reply: &str) -> bool {
    reply.trim().eq_ignore_ascii_case("yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_confirms() {
        assert!(is_yes("yes\n"));
        assert!(is_yes(" YES "));
        for reply in ["y\n", "Y", "ye", "no", "", "yes please"] {
            assert!(!is_yes(reply), "{reply:?} must not confirm");
        }
    }

    #[test]
    fn a_non_utf8_import_line_is_named() {
        let bytes: &[u8] = b"\n\n\xff\xfe{}\n";
        let err = parse_jsonl(bytes, "old.jsonl").unwrap_err();
        assert!(
            err.to_string().starts_with("old.jsonl:3: not UTF-8 text"),
            "{err}"
        );
    }
}
