//! `hone grade`: grade one answer (file or stdin) against a bank question's rubric, or against
//! a rubric built on the fly from `--question` and `--reference`, and print feedback.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::bank::Catalog;
use crate::report::feedback;
use crate::rubric::{extract, Rubric};
use crate::InputError;

/// Output format of `hone grade`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Feedback for a person (colour on a terminal).
    #[default]
    Text,
    /// The grade in the versioned JSON schema (docs/grade-schema.md).
    Json,
}

/// Arguments of `hone grade`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Question id (`pse/dsa/1`, a short id or the question text); omit with --question.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// File holding the answer; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub answer: Option<String>,
    /// Grade against a question of your own (use with --reference); the ANSWER is then the only
    /// positional argument.
    #[arg(long, value_name = "TEXT", requires = "reference")]
    pub question: Option<String>,
    /// Reference (model) answer to build the rubric from, with --question.
    #[arg(long, value_name = "FILE", requires = "question")]
    pub reference: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 3 when the LLM judge leaves the answer ungraded.
    #[arg(long)]
    pub strict: bool,
    /// LLM judge options.
    #[command(flatten)]
    pub llm: crate::llm::cli::LlmArgs,
}

/// Runs `hone grade`.
pub fn run(args: Args, globals: &super::Globals) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&globals.bank_files)?;
    let (rubric, answer_arg) = match (&args.question, &args.reference) {
        (Some(question), Some(reference)) => {
            if args.answer.is_some() {
                return Err(InputError::new(
                    "with --question and --reference, give only the ANSWER file (no question id)",
                )
                .into());
            }
            let rubric = reference_rubric(question, reference)?;
            (rubric, args.id.clone())
        }
        _ => {
            let Some(id) = &args.id else {
                return Err(InputError::new("no question given: pass a question ID (see `hone list`) or --question TEXT --reference FILE").into());
            };
            (bank_rubric(id, &catalog, globals)?, args.answer.clone())
        }
    };
    let grader = globals.grader_for(&catalog)?;
    let answer = read_answer(answer_arg.as_deref())?;
    let prepared = grader.prepare(&rubric);
    let grade = grader.grade(&prepared, &answer);
    let grade = match args.llm.resolve()? {
        Some(run) if run.dry_run => {
            let estimate = run.estimate(&[(&rubric, &answer)]);
            super::note(&run.describe_estimate(1, &estimate));
            grade
        }
        Some(run) => run.judge_grades(vec![(rubric, answer, grade)]).remove(0),
        None => grade,
    };
    let mut text = match args.format {
        Format::Text => feedback::render(&grade),
        Format::Json => {
            feedback::to_json(&grade, &grader.calibration_for(prepared.origin).fitted_on) + "\n"
        }
    };
    if let (Format::Text, Some(outcome)) = (args.format, &grade.llm) {
        text.push_str(&outcome.render_text());
    }
    super::print(&text)?;
    let ungraded = grade.llm.as_ref().is_some_and(|o| !o.is_graded());
    Ok(if ungraded && args.strict {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The rubric built from `--question` and the `--reference` file; a reference with nothing to
/// grade against (blank, or no key points found) is an input error naming the file.
fn reference_rubric(question: &str, reference: &Path) -> anyhow::Result<Rubric> {
    let text = read_text(reference)?;
    let rubric = extract::from_reference("adhoc", question, &text, None);
    if text.trim().is_empty() || rubric.key_points.is_empty() {
        return Err(InputError::new(format!(
            "{}: no key points found in the reference answer",
            reference.display()
        ))
        .with_hint("write the model answer in that file, a few sentences or bullet points")
        .into());
    }
    Ok(rubric)
}

/// The rubric of a bank question, honouring --bank-file and --rubrics.
fn bank_rubric(id: &str, catalog: &Catalog, globals: &super::Globals) -> anyhow::Result<Rubric> {
    let question = catalog.find(id)?;
    Ok(globals.rubric_store().rubric_for(question)?)
}

/// Reads the answer from a file, or from stdin for `-` or nothing (when stdin is piped).
fn read_answer(arg: Option<&str>) -> anyhow::Result<String> {
    match arg {
        Some("-") => read_stdin(),
        None if !std::io::stdin().is_terminal() => read_stdin(),
        None => Err(InputError::new(
            "no answer given: pass the answer FILE, or pipe it on standard input",
        )
        .into()),
        Some(path) => read_text(Path::new(path)),
    }
}

fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    decode(bytes, "standard input")
}

/// Reads a UTF-8 text file; any failure is one line naming the file.
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(format!("cannot read {}: {e}", path.display())))?;
    decode(bytes, &path.display().to_string())
}

/// The bytes as text; binary data (NUL bytes) or another encoding is an input error naming `name`.
fn decode(bytes: Vec<u8>, name: &str) -> anyhow::Result<String> {
    if bytes.contains(&0) {
        return Err(
            InputError::new(format!("{name} holds binary data, not text"))
                .with_hint("give the answer as a plain-text or Markdown file")
                .into(),
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        InputError::new(format!(
            "{name} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
        .with_hint("save the answer as UTF-8")
        .into()
    })
}
