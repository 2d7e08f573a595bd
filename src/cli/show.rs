//! `hone show`: one question, with its model answer and/or rubric on request.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::bank::{Catalog, Question};
use crate::report::terminal::safe;
use crate::rubric::Rubric;

/// Arguments of `hone show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Question id (`pse/dsa/1`), short form (`p.dsa.1`), unique id prefix, or question text.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Also print the rubric the answer is graded against (TOML, as stored in rubrics/).
    #[arg(long)]
    pub rubric: bool,
    /// Also print the model answer.
    #[arg(long)]
    pub model_answer: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
    /// Rubric overrides.
    #[command(flatten)]
    pub rubrics: super::RubricsArgs,
}

/// How `hone show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: a header, then the requested parts.
    Text,
    /// One JSON object: the question, plus `model_answer` and `rubric` when asked for.
    Json,
}

/// `hone show --format json`.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    id: &'a str,
    short_id: String,
    bank: &'a str,
    section: &'a str,
    section_title: &'a str,
    number: u32,
    kind: crate::bank::Kind,
    question: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_answer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rubric: Option<Rubric>,
}

/// Runs `hone show`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&settings.bank_files)?;
    let question = catalog.find(&args.id)?;
    let rubric = match args.rubric {
        true => Some(settings.rubric_store().rubric_for(question)?),
        false => None,
    };
    let out = match args.format {
        Format::Text => as_text(&catalog, question, args.model_answer, rubric.as_ref())?,
        Format::Json => {
            let shown = Shown {
                id: &question.id,
                short_id: catalog.short_id(question),
                bank: &question.bank,
                section: &question.section,
                section_title: &question.section_title,
                number: question.number,
                kind: question.kind,
                question: &question.text,
                model_answer: args.model_answer.then_some(question.model_answer.as_str()),
                rubric,
            };
            serde_json::to_string_pretty(&shown)? + "\n"
        }
    };
    super::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The question for people: id line, question, then the model answer and rubric (TOML).
fn as_text(
    catalog: &Catalog,
    question: &Question,
    model_answer: bool,
    rubric: Option<&Rubric>,
) -> anyhow::Result<String> {
    let bold = anstyle::Style::new().bold();
    let cyan = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let dim = anstyle::Style::new().dimmed();
    let mut out = String::new();
    writeln!(
        out,
        "{cyan}{}{cyan:#} {dim}({} · {} · {}){dim:#}",
        safe(&question.id),
        safe(&catalog.short_id(question)),
        question.kind,
        safe(&question.section_title)
    )?;
    // The question reads as text (inline math rendered, wrapped to the terminal); the model
    // answer and rubric are shown as written, code and TOML included.
    let text = format!("{bold}{}{bold:#}\n", safe(&question.text));
    out.push_str(&crate::report::wrap::for_terminal(
        &text,
        crate::report::wrap::stdout_width(),
    ));
    if model_answer {
        writeln!(
            out,
            "\n{bold}Model answer{bold:#}\n\n{}",
            safe(&question.model_answer)
        )?;
    }
    if let Some(rubric) = rubric {
        let toml = toml::to_string_pretty(rubric)?;
        writeln!(out, "\n{bold}Rubric{bold:#}\n\n{}", safe(toml.trim_end()))?;
    }
    Ok(out)
}
