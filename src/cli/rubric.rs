//! `hone rubric build|check`: regenerate the rubric files from the model answers, and check
//! committed files for syntax errors, unknown fields and drift from the extractor.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::bank::{Catalog, Question};
use crate::grade::term_weights::{self, DocumentFrequencies};
use crate::report::terminal::safe;
use crate::rubric::{extract, store, store::RubricStore};

/// Subcommands of `hone rubric`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Regenerate rubric files from the model answers (files marked `hand_edited = true` are kept).
    Build(Box<BuildArgs>),
    /// Fail (exit 2) when a rubric file is invalid or differs from what the extractor produces.
    Check(CheckArgs),
}

/// Arguments of `hone rubric build`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("llm", |arg| arg.help(
    "Also let an LLM (any OpenAI-compatible endpoint) draft a format-2 rubric from each one \
     built (focus, statements, phrasings, importance, misconceptions); review with `git diff`"
)))]
pub struct BuildArgs {
    /// Folder to write `<bank>/<section>-<n>.toml` files into.
    #[arg(long, value_name = "DIR", default_value = "rubrics")]
    pub out: PathBuf,
    /// Only this question (id, short id, unique prefix or question text).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// LLM options (`--llm` drafts format-2 rubrics).
    #[command(flatten)]
    pub llm: crate::llm::cli::LlmArgs,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
}

/// Arguments of `hone rubric check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Folder of rubric files to check.
    #[arg(long, value_name = "DIR", default_value = "rubrics")]
    pub dir: PathBuf,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
}

/// Runs `hone rubric`.
pub fn run(cmd: Command, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let bank_files = &settings.bank_files;
    let catalog = Catalog::load(bank_files)?;
    // The term-weight table covers the bundled banks only (extra banks weigh at start-up).
    let bundled = bank_files.is_empty();
    match cmd {
        Command::Build(args) => build(&args, &catalog, bundled, settings),
        Command::Check(args) => check(&args, &catalog, bundled),
    }
}

/// What `build` did with one file.
enum Outcome {
    Written,
    Unchanged,
    KeptHandEdited,
}

fn build(
    args: &BuildArgs,
    catalog: &Catalog,
    bundled: bool,
    settings: &super::Settings,
) -> anyhow::Result<ExitCode> {
    let questions: Vec<&Question> = match &args.id {
        Some(id) => vec![catalog.find(id)?],
        None => catalog.questions().iter().collect(),
    };
    let (mut written, mut unchanged, mut kept, mut failed) = (0, 0, 0, 0);
    let mut stderr = anstream::stderr();
    for question in questions {
        let path = args.out.join(store::relative_path(question));
        match build_one(question, &path) {
            Ok(Outcome::Written) => written += 1,
            Ok(Outcome::Unchanged) => unchanged += 1,
            Ok(Outcome::KeptHandEdited) => kept += 1,
            Err(e) => {
                failed += 1;
                writeln!(stderr, "error: {}", safe(&e.to_string()))?;
            }
        }
    }
    let table = if bundled {
        write_term_weights(&args.out, catalog)?
    } else {
        format!(
            "{} not written (it covers the bundled banks only)",
            term_weights::FILE_NAME
        )
    };
    super::print(&format!(
        "{}: {written} written, {unchanged} unchanged, {kept} kept (hand-edited); {table}{}\n",
        args.out.display(),
        if failed > 0 {
            format!(", {failed} not rebuilt (fix or delete them, then run again)")
        } else {
            String::new()
        }
    ))?;
    if let Some(run) = args.llm.resolve(&settings.llm)? {
        refine_with_llm(&run, args, catalog)?;
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `rubric build --llm`: asks the model to refine each rubric just built (hand-edited files are
/// left alone) and writes the result marked `hand_edited = true`, so it is reviewed as a diff
/// and `rubric check` keeps it. A rubric the model could not refine stays as built (said on
/// stderr).
fn refine_with_llm(
    run: &crate::llm::cli::LlmRun,
    args: &BuildArgs,
    catalog: &Catalog,
) -> anyhow::Result<()> {
    let questions: Vec<&Question> = match &args.id {
        Some(id) => vec![catalog.find(id)?],
        None => catalog.questions().iter().collect(),
    };
    let mut todo = Vec::new();
    for question in questions {
        let path = args.out.join(store::relative_path(question));
        if store::read_file(&path).is_ok_and(|r| !r.hand_edited) {
            todo.push((
                path,
                extract::extract(question),
                question.model_answer.clone(),
            ));
        }
    }
    if run.dry_run {
        super::print(&format!(
            "LLM dry run: {} rubric(s) would be refined; nothing sent\n",
            todo.len()
        ))?;
        return Ok(());
    }
    let requests = todo
        .iter()
        .map(|(_, r, a)| (r.clone(), a.clone()))
        .collect();
    let (mut refined, mut failed) = (0, 0);
    let mut stderr = anstream::stderr();
    for ((path, _, _), result) in todo.iter().zip(run.refine_rubrics(requests)) {
        match result {
            Ok(mut rubric) => {
                rubric.hand_edited = true;
                std::fs::write(path, store::render(&rubric)).map_err(|e| {
                    crate::InputError::new(format!("{}: cannot write rubric: {e}", path.display()))
                })?;
                refined += 1;
            }
            Err(e) => {
                failed += 1;
                writeln!(
                    stderr,
                    "warning: {}: not refined, kept as built: {}",
                    path.display(),
                    safe(&e.to_string())
                )?;
            }
        }
    }
    super::print(&format!(
        "LLM ({}): {refined} rubric(s) refined and marked hand_edited — review them with `git diff`{}\n",
        run.judge.settings().endpoint.model,
        if failed > 0 { format!("; {failed} not refined") } else { String::new() }
    ))?;
    Ok(())
}

/// The term-weight table of the rubric files in `dir` (embedded ones where `dir` has none).
fn term_weights_of(dir: &Path, catalog: &Catalog) -> DocumentFrequencies {
    DocumentFrequencies::of(&RubricStore::with_overrides(dir).all_rubrics(catalog.questions()))
}

/// Writes `<dir>/term-weights.tsv` for the rubric files in `dir`; says what it did.
fn write_term_weights(dir: &Path, catalog: &Catalog) -> anyhow::Result<String> {
    let path = dir.join(term_weights::FILE_NAME);
    let text = term_weights_of(dir, catalog).to_tsv();
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(format!("{} unchanged", term_weights::FILE_NAME));
    }
    std::fs::write(&path, text)
        .map_err(|e| crate::InputError::new(format!("{}: cannot write: {e}", path.display())))?;
    Ok(format!("{} written", term_weights::FILE_NAME))
}

/// A problem when `<dir>/term-weights.tsv` no longer matches the rubric files. A folder
/// without one is fine: only the project's own `rubrics/` needs it (the build embeds it), and
/// override folders (`--rubrics DIR`) are weighed at start-up.
fn check_term_weights(dir: &Path, catalog: &Catalog) -> Option<String> {
    let path = dir.join(term_weights::FILE_NAME);
    let text = std::fs::read_to_string(&path).ok()?;
    (text != term_weights_of(dir, catalog).to_tsv()).then(|| {
        format!(
            "{}: out of date with the rubric files (run `hone rubric build`)",
            path.display()
        )
    })
}

/// Writes one rubric file, keeping a hand-edited one and refusing to overwrite a broken one
/// (it may hold edits whose `hand_edited` flag the parser could not read).
fn build_one(question: &Question, path: &Path) -> anyhow::Result<Outcome> {
    let text = store::render(&extract::extract(question));
    if path.is_file() {
        let existing = store::read_file(path)?;
        if existing.hand_edited {
            return Ok(Outcome::KeptHandEdited);
        }
        if std::fs::read_to_string(path)? == text {
            return Ok(Outcome::Unchanged);
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            crate::InputError::new(format!("{}: cannot create folder: {e}", parent.display()))
        })?;
    }
    std::fs::write(path, text).map_err(|e| {
        crate::InputError::new(format!("{}: cannot write rubric: {e}", path.display()))
    })?;
    Ok(Outcome::Written)
}

fn check(args: &CheckArgs, catalog: &Catalog, bundled: bool) -> anyhow::Result<ExitCode> {
    if !args.dir.is_dir() {
        return Err(crate::InputError::new(format!(
            "{}: no such rubrics folder",
            args.dir.display()
        ))
        .with_hint(
            "run from the project root, pass --dir DIR, or create it with `hone rubric build`",
        )
        .into());
    }
    let mut problems: Vec<String> = store::check(&args.dir, catalog.questions())
        .iter()
        .map(ToString::to_string)
        .collect();
    if bundled {
        problems.extend(check_term_weights(&args.dir, catalog));
    }
    let mut stderr = anstream::stderr();
    for problem in &problems {
        writeln!(stderr, "{}", safe(problem))?;
    }
    if problems.is_empty() {
        super::print(&format!(
            "{}: {} rubrics OK\n",
            args.dir.display(),
            catalog.questions().len()
        ))?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(
            stderr,
            "{} problem(s) in {}",
            problems.len(),
            args.dir.display()
        )?;
        Ok(ExitCode::from(2))
    }
}
