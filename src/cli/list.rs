//! `hone list`: the questions in the banks as a table (id, kind, question) or JSON.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::bank::{Catalog, Kind, Question};
use crate::report::terminal::safe;
use crate::InputError;

/// Arguments of `hone list`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this bank (slug or unique prefix, e.g. `pse`, `f`).
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,
    /// Only this section (slug or unique prefix, e.g. `dsa`, `design`, `behavioural`).
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// Only this kind: concept, algorithm, design, coding or behavioural.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
}

/// How `hone list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per question, fitted to the terminal width.
    Table,
    /// A JSON array of questions (without model answers).
    Json,
}

/// One row of `hone list --format json`.
#[derive(Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    short_id: String,
    bank: &'a str,
    section: &'a str,
    section_title: &'a str,
    number: u32,
    kind: Kind,
    question: &'a str,
}

/// Runs `hone list`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(&settings.bank_files)?;
    let selected = select(&catalog, &args)?;
    match args.format {
        Format::Json => print_json(&catalog, &selected)?,
        Format::Table => print_table(&selected)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The questions passing the filters; a filter that names nothing known is an input error.
fn select<'a>(catalog: &'a Catalog, args: &Args) -> Result<Vec<&'a Question>, InputError> {
    let all = catalog.questions();
    let bank = match &args.bank {
        Some(b) => Some(resolve("bank", b, all.iter().map(|q| q.bank.as_str()))?),
        None => None,
    };
    let section = match &args.section {
        Some(s) => Some(resolve(
            "section",
            &s.replace("behavior", "behaviour"),
            all.iter()
                .filter(|q| bank.as_ref().is_none_or(|b| &q.bank == b))
                .map(|q| q.section.as_str()),
        )?),
        None => None,
    };
    let kind = match &args.kind {
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            InputError::new(format!("unknown kind `{k}` given to --kind"))
                .with_hint("use concept, algorithm, design, coding or behavioural")
        })?),
        None => None,
    };
    Ok(all
        .iter()
        .filter(|q| bank.as_ref().is_none_or(|b| &q.bank == b))
        .filter(|q| section.as_ref().is_none_or(|s| &q.section == s))
        .filter(|q| kind.is_none_or(|k| q.kind == k))
        .collect())
}

/// The one name among `names` equal to `wanted` (any case) or, failing that, the only one
/// starting with it.
fn resolve<'a>(
    what: &str,
    wanted: &str,
    names: impl Iterator<Item = &'a str>,
) -> Result<String, InputError> {
    let mut known: Vec<&str> = names.collect();
    known.sort_unstable();
    known.dedup();
    let wanted_lower = wanted.trim().to_lowercase();
    if let Some(exact) = known.iter().find(|n| n.to_lowercase() == wanted_lower) {
        return Ok(exact.to_string());
    }
    let prefixed: Vec<&&str> = known
        .iter()
        .filter(|n| n.to_lowercase().starts_with(&wanted_lower))
        .collect();
    if let [one] = prefixed.as_slice() {
        return Ok(one.to_string());
    }
    let closest = known
        .iter()
        .map(|n| (strsim::jaro_winkler(&wanted_lower, n), n))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.7);
    let hint = match closest {
        Some((_, n)) => format!("did you mean `{n}`? known: {}", known.join(", ")),
        None => format!("known: {}", known.join(", ")),
    };
    let problem = match prefixed.len() {
        0 => "unknown",
        _ => "ambiguous",
    };
    Err(InputError::new(format!("{problem} {what} `{wanted}` given to --{what}")).with_hint(hint))
}

fn print_json(catalog: &Catalog, selected: &[&Question]) -> anyhow::Result<()> {
    let rows: Vec<Row> = selected
        .iter()
        .map(|q| Row {
            id: &q.id,
            short_id: catalog.short_id(q),
            bank: &q.bank,
            section: &q.section,
            section_title: &q.section_title,
            number: q.number,
            kind: q.kind,
            question: &q.text,
        })
        .collect();
    super::print(&(serde_json::to_string_pretty(&rows)? + "\n"))
}

/// Width available for a row: the terminal's, else `$COLUMNS`, else unlimited (piped output).
fn output_width() -> Option<usize> {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(std::io::stdout()) {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS").ok()?.trim().parse().ok()
}

/// Cuts `text` to at most `width` characters, ending with `…` when cut.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

fn print_table(selected: &[&Question]) -> anyhow::Result<()> {
    let id_width = selected
        .iter()
        .map(|q| q.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let kind_width = "behavioural".len();
    let text_width = output_width().map(|w| w.saturating_sub(id_width + kind_width + 4).max(20));
    let head = anstyle::Style::new().bold();
    let id_style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let dim = anstyle::Style::new().dimmed();
    let mut out = String::new();
    writeln!(
        out,
        "{head}{:id_width$}  {:kind_width$}  QUESTION{head:#}",
        "ID", "KIND"
    )?;
    for q in selected {
        let cleaned = safe(&q.text);
        let question = crate::report::math::plain_math(&cleaned);
        let text = match text_width {
            Some(w) => truncate(&question, w),
            None => question.into_owned(),
        };
        writeln!(
            out,
            "{id_style}{:id_width$}{id_style:#}  {dim}{:kind_width$}{dim:#}  {text}",
            safe(&q.id),
            q.kind.as_str()
        )?;
    }
    super::print(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("a longer question text", 10), "a longer…");
        assert_eq!(truncate("ééééé", 3), "éé…");
    }
}
