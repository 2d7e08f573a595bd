//! `hone practice`: answer questions in the terminal, get graded and coached, history saved.

use std::process::ExitCode;

use crate::bank::{Catalog, Kind, Question};
use crate::practice::filter::{parse_kind, Filter};
use crate::practice::session::{AnswerSource, Draft, Session};
use crate::practice::SystemClock;
use crate::rubric::store::RubricStore;
use crate::rubric::Rubric;
use crate::InputError;

use super::history::{candidate_name, DbArgs};

/// Arguments of `hone practice`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only questions from this bank (e.g. `pse`).
    #[arg(long)]
    pub bank: Option<String>,
    /// Only questions from this section (slug or title).
    #[arg(long)]
    pub section: Option<String>,
    /// Only questions of this kind (concept, algorithm, design, coding, behavioural).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// Only this question (id, short id or unique prefix); repeat for several.
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
    /// Write each answer in $VISUAL/$EDITOR instead of typing it here.
    #[arg(long)]
    pub editor: bool,
    /// Whose practice this is [default: $USER].
    #[arg(long, value_name = "NAME")]
    pub candidate: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
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

/// Runs `hone practice`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let catalog = catalog(settings)?;
    let filter = filter(&args, &catalog)?;
    let questions = matching(&catalog, &filter)?;
    let source = if args.editor {
        AnswerSource::Editor(editor_command()?)
    } else {
        AnswerSource::Terminal
    };
    let llm = args.llm.resolve(&settings.llm)?;
    if llm.as_ref().is_some_and(|run| run.dry_run) {
        return Err(
            InputError::new("--dry-run does not apply to `hone practice`")
                .with_hint(
                    "estimate LLM cost with `hone grade --dry-run` or `hone batch --dry-run`",
                )
                .into(),
        );
    }
    let history = args.db.open()?;
    let rubrics = rubric_store(settings);
    let shared = settings.grader_for(&catalog)?;
    let grader = |rubric: &Rubric, answer: &str| {
        let local = shared.grade_rubric(rubric, answer);
        match &llm {
            Some(run) => run
                .judge_grades(vec![(rubric.clone(), answer.to_string(), local)])
                .remove(0),
            None => local,
        }
    };
    let draft = std::sync::Arc::new(Draft::default());
    keep_draft_on_ctrl_c(&draft, history.path());
    let session = Session {
        questions,
        rubrics: &rubrics,
        history: &history,
        clock: &SystemClock,
        candidate: candidate_name(args.candidate.as_deref()),
        source,
        grader: &grader,
        draft: Some(&draft),
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let width = crate::report::wrap::stdout_width();
    let mut out = crate::report::wrap::TerminalWriter::new(anstream::stdout(), width);
    session.run(&mut input, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// On Ctrl-C, keeps the answer being typed (its finished lines) in the drafts file beside the
/// history and says where; every graded answer is in the history already.
fn keep_draft_on_ctrl_c(draft: &std::sync::Arc<Draft>, db: &std::path::Path) {
    let draft = std::sync::Arc::clone(draft);
    let db = db.to_path_buf();
    super::interrupt::on_interrupt(move || {
        let message = match draft.take() {
            Some((id, text)) => match crate::practice::recovery::keep_draft(&db, &id, &text) {
                Ok(file) => format!(
                    "\ninterrupted: your unfinished answer to {id} is kept in {file}; grade it \
                     with `hone batch {file}`, or paste it into the next `hone practice --id {id}`",
                    file = file.display()
                ),
                Err(e) => format!("\ninterrupted: your unfinished answer could not be kept: {e}"),
            },
            None => "\ninterrupted: every graded answer is saved in the history".to_string(),
        };
        super::note(&message);
    });
}

/// The questions hone knows: the bundled banks plus any `--bank-file`s.
pub(crate) fn catalog(settings: &super::Settings) -> anyhow::Result<Catalog> {
    Ok(Catalog::load(&settings.bank_files)?)
}

/// The rubric store, honouring `--rubrics`.
pub(crate) fn rubric_store(settings: &super::Settings) -> RubricStore {
    settings.rubric_store()
}

/// The filter from the flags, with `--id`s resolved to full ids.
fn filter(args: &Args, catalog: &Catalog) -> anyhow::Result<Filter> {
    let ids = args
        .ids
        .iter()
        .map(|id| catalog.find(id).map(|q| q.id.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Filter {
        bank: args.bank.clone(),
        section: args.section.clone(),
        kind: args.kind,
        ids,
    })
}

fn matching(catalog: &Catalog, filter: &Filter) -> anyhow::Result<Vec<Question>> {
    let questions: Vec<Question> = catalog
        .questions()
        .iter()
        .filter(|q| filter.matches(q))
        .cloned()
        .collect();
    if questions.is_empty() {
        let what = match filter.describe() {
            d if d.is_empty() => "no questions are loaded".to_string(),
            d => format!("no questions match {d}"),
        };
        return Err(InputError::new(what)
            .with_hint("see `hone list` for banks, sections and ids")
            .into());
    }
    Ok(questions)
}

fn editor_command() -> anyhow::Result<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .ok_or_else(|| {
            InputError::new("--editor needs $VISUAL or $EDITOR to be set")
                .with_hint("e.g. EDITOR=nano hone practice --editor")
                .into()
        })
}
