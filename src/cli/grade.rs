//! `hone grade`: grade one answer (file or stdin) against a bank question's rubric, or against
//! a rubric built on the fly from `--question` and `--reference`, and print feedback.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sha2::{Digest, Sha256};

use crate::bank::{Catalog, Question};
use crate::grade::Origin;
use crate::practice::{Attempt, Clock, SystemClock};
use crate::report::feedback::{self, CalibrationOrigin, RubricOrigin, ScoredWith};
use crate::report::wrap;
use crate::rubric::{extract, store, Rubric};
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
#[command(
    override_usage = "hone grade [OPTIONS] <ID> [FILE]\n       \
hone grade [OPTIONS] --question <TEXT> (--reference <FILE> | --reference-text <TEXT>) [FILE]",
    group(clap::ArgGroup::new("reference_source").args(["reference", "reference_text"]))
)]
pub struct Args {
    /// Question id (`pse/dsa/1`, a short id or the question text); omit with --question.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// File holding the answer; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub answer: Option<String>,
    /// Grade against a question of your own (use with --reference or --reference-text); the
    /// answer FILE is then the only positional argument.
    #[arg(long, value_name = "TEXT", requires = "reference_source")]
    pub question: Option<String>,
    /// File holding the reference (model) answer to build the rubric from, with --question.
    #[arg(long, value_name = "FILE", requires = "question")]
    pub reference: Option<PathBuf>,
    /// The reference (model) answer itself, instead of a --reference file.
    #[arg(long, value_name = "TEXT", requires = "question")]
    pub reference_text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 3 when the LLM judge leaves the answer ungraded.
    #[arg(long)]
    pub strict: bool,
    /// Record the attempt in the practice history (`hone progress`, `hone coach`); the config
    /// key `grade.save = true` makes this the default.
    #[arg(long, conflicts_with = "no_save")]
    pub save: bool,
    /// Do not record the attempt, whatever the config says.
    #[arg(long)]
    pub no_save: bool,
    /// Whose attempt this is, with --save [default: $USER].
    #[arg(long, value_name = "NAME")]
    pub candidate: Option<String>,
    /// History database (with --save).
    #[command(flatten)]
    pub db: super::history::DbArgs,
    /// LLM judge options.
    #[command(flatten)]
    pub llm: crate::llm::cli::LlmArgs,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
    /// Rubric overrides.
    #[command(flatten)]
    pub rubrics: super::RubricsArgs,
    /// Calibration.
    #[command(flatten)]
    pub calibration: super::CalibrationArgs,
}

/// What the answer is graded against: a bank question, or one of the user's own.
struct Target {
    /// The question (an `adhoc:` one for `--question`), as history records it.
    question: Question,
    rubric: Rubric,
    /// Where the rubric came from; the calibration is filled in once the grader is known.
    rubric_origin: RubricOrigin,
    rubric_path: Option<String>,
}

/// Runs `hone grade`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&settings.bank_files)?;
    let reference = match (&args.reference, &args.reference_text) {
        (Some(path), _) => Some(Reference::File(path)),
        (None, Some(text)) => Some(Reference::Text(text)),
        (None, None) => None,
    };
    let (target, answer_arg) = match (&args.question, reference) {
        (Some(question), Some(reference)) => {
            if args.answer.is_some() {
                return Err(InputError::new(
                    "with --question, give only the answer FILE (no question id)",
                )
                .into());
            }
            (reference_target(question, reference)?, args.id.clone())
        }
        _ => {
            let Some(id) = &args.id else {
                return Err(InputError::new("no question given: pass a question ID (see `hone list`) or --question TEXT --reference FILE").into());
            };
            let target = bank_target(id, args.answer.is_none(), &catalog, settings)?;
            (target, args.answer.clone())
        }
    };
    let save = save_wanted(&args, settings);
    let grader = settings.grader_for(&catalog)?;
    let answer = read_answer(answer_arg.as_deref())?;
    let prepared = grader.prepare(&target.rubric);
    let grade = grader.grade(&prepared, &answer);
    let grade = match args.llm.resolve(&settings.llm)? {
        Some(run) if run.dry_run => {
            let estimate = run.estimate(&[(&target.rubric, &answer)]);
            super::note(&run.describe_estimate(1, &estimate));
            grade
        }
        Some(run) => run
            .judge_grades(vec![(target.rubric.clone(), answer.clone(), grade)])
            .remove(0),
        None => grade,
    };
    let calibration_file = settings.calibration.clone();
    let scored_with = ScoredWith {
        rubric: target.rubric_origin,
        rubric_path: target.rubric_path.clone(),
        calibration: match (&calibration_file, prepared.origin) {
            (Some(_), _) => CalibrationOrigin::File,
            (None, Origin::Bank) => CalibrationOrigin::ShippedBank,
            (None, Origin::Reference) => CalibrationOrigin::ShippedReference,
        },
        calibration_path: calibration_file.map(|p| p.display().to_string()),
    };
    let mut text = match args.format {
        Format::Text => {
            feedback::render_with(&grade, Some(&scored_with.describe(&target.question.bank)))
        }
        Format::Json => {
            let fitted_on = &grader.calibration_for(prepared.origin).fitted_on;
            feedback::to_json_with(&grade, fitted_on, Some(&scored_with)) + "\n"
        }
    };
    if let (Format::Text, Some(outcome)) = (args.format, &grade.llm) {
        text.push_str(&feedback::llm_outcome_text(outcome));
    }
    if args.format == Format::Text {
        text = wrap::for_terminal(&text, wrap::stdout_width());
    }
    super::print(&text)?;
    if save {
        let history = args.db.open()?;
        let candidate = super::history::candidate_name(args.candidate.as_deref());
        let attempt = Attempt::from_grade(
            &target.question,
            &candidate,
            &answer,
            &grade,
            0,
            SystemClock.now_ms(),
        );
        history.record(&attempt)?;
        super::note(&format!(
            "Saved to the practice history of {candidate} ({})",
            history.path().display()
        ));
    }
    let ungraded = grade.llm.as_ref().is_some_and(|o| !o.is_graded());
    Ok(if ungraded && args.strict {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether to record the attempt: `--save` / `--no-save`, else the config's `grade.save`.
fn save_wanted(args: &Args, settings: &super::Settings) -> bool {
    if args.save || args.no_save {
        return args.save;
    }
    settings.grade.save
}

/// The reference answer: a file (`--reference`) or the text itself (`--reference-text`).
enum Reference<'a> {
    File(&'a Path),
    Text(&'a str),
}

/// The rubric built from `--question` and the reference answer; a reference with nothing to
/// grade against (blank, or no key points found) is an input error naming where it came from.
fn reference_target(question: &str, reference: Reference<'_>) -> anyhow::Result<Target> {
    let (text, name, path) = match reference {
        Reference::File(path) => {
            let text = read_text(path).map_err(|e| match e.downcast::<InputError>() {
                Ok(e) if !path.exists() => e
                    .with_hint(
                        "--reference wants a FILE holding the model answer; \
                         to give the answer itself, use --reference-text TEXT",
                    )
                    .into(),
                Ok(e) => e.into(),
                Err(e) => e,
            })?;
            let shown = path.display().to_string();
            (text, shown.clone(), Some(shown))
        }
        Reference::Text(text) => (text.to_string(), "--reference-text".to_string(), None),
    };
    let rubric = extract::from_reference("adhoc", question, &text, None);
    if text.trim().is_empty() || rubric.key_points.is_empty() {
        return Err(InputError::new(format!(
            "{name}: no key points found in the reference answer"
        ))
        .with_hint("write the model answer there, a few sentences or bullet points")
        .into());
    }
    let digest = Sha256::digest(format!("{question}\n{text}").as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let question = Question {
        id: format!("adhoc:{hash}"),
        bank: "adhoc".to_string(),
        section: "ad-hoc".to_string(),
        section_title: "Ad hoc".to_string(),
        number: 0,
        text: question.to_string(),
        model_answer: text,
        kind: rubric.kind,
    };
    Ok(Target {
        question,
        rubric,
        rubric_origin: RubricOrigin::Reference,
        rubric_path: path,
    })
}

/// The rubric of a bank question, honouring --bank-file and --rubrics. `only_arg` says the id
/// was the only positional argument, so an answer file given in its place gets a hint.
fn bank_target(
    id: &str,
    only_arg: bool,
    catalog: &Catalog,
    settings: &super::Settings,
) -> anyhow::Result<Target> {
    let question = match catalog.find(id) {
        Ok(question) => question.clone(),
        Err(miss) => return Err(explain_miss(id, only_arg, miss).into()),
    };
    let rubric = settings.rubric_store().rubric_for(&question)?;
    let override_file = settings
        .rubrics_dir
        .as_ref()
        .map(|dir| dir.join(store::relative_path(&question)))
        .filter(|path| path.is_file());
    let bank_source = catalog
        .banks()
        .iter()
        .find(|b| b.slug == question.bank)
        .map(|b| b.source.clone())
        .unwrap_or_else(|| "bundled".to_string());
    let (rubric_origin, rubric_path) = match override_file {
        Some(path) => (
            RubricOrigin::RubricOverride,
            Some(path.display().to_string()),
        ),
        None if bank_source == "bundled" => (RubricOrigin::BundledBank, None),
        None => (RubricOrigin::BankFile, Some(bank_source)),
    };
    Ok(Target {
        question,
        rubric,
        rubric_origin,
        rubric_path,
    })
}

/// A clearer error for an id no bank knows: an answer file given without its question id, or
/// a question of the user's own typed as the id.
fn explain_miss(id: &str, only_arg: bool, miss: InputError) -> InputError {
    let looks_like_file = Path::new(id).is_file()
        || Path::new(id)
            .extension()
            .is_some_and(|e| ["md", "txt", "markdown"].contains(&e.to_string_lossy().as_ref()));
    if only_arg && looks_like_file {
        return InputError::new(format!(
            "`{id}` looks like the answer file, but the question id is missing"
        ))
        .with_hint(format!(
            "give the question first: `hone grade ID {id}` (`hone list` shows the ids), \
             or grade against your own question with `hone grade --question TEXT --reference FILE {id}`"
        ));
    }
    if id.trim().contains(char::is_whitespace) {
        return InputError::new(format!("no bank has the question `{}`", id.trim())).with_hint(
            "to grade against a question of your own, pass it with --question TEXT and a model \
             answer with --reference FILE or --reference-text TEXT; `hone list` shows the bank questions",
        );
    }
    miss
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
