//! `hone show`: one question, with its model answer and/or rubric on request.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::bank::Catalog;
use crate::rubric::store::RubricStore;

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
}

/// Runs `hone show`.
pub fn run(args: Args, globals: &super::Globals) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&globals.bank_files)?;
    let question = catalog.find(&args.id)?;
    let bold = anstyle::Style::new().bold();
    let cyan = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let dim = anstyle::Style::new().dimmed();
    let mut out = String::new();
    writeln!(
        out,
        "{cyan}{}{cyan:#} {dim}({} · {} · {}){dim:#}",
        question.id,
        catalog.short_id(question),
        question.kind,
        question.section_title
    )?;
    writeln!(out, "{bold}{}{bold:#}", question.text)?;
    if args.model_answer {
        writeln!(
            out,
            "\n{bold}Model answer{bold:#}\n\n{}",
            question.model_answer
        )?;
    }
    if args.rubric {
        let rubric = RubricStore::bundled().rubric_for(question)?;
        let toml = toml::to_string_pretty(&rubric)?;
        writeln!(out, "\n{bold}Rubric{bold:#}\n\n{}", toml.trim_end())?;
    }
    super::list::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
