//! `hone calibrate`: fit how the local signals combine into a score, from human grades, and
//! show cross-validated figures for questions the fit never saw.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::eval::calibrate::{self, TrainingSet};
use crate::eval::crossval::{self, CrossValidation};
use crate::eval::dataset::{Dataset, QuestionRef};
use crate::eval::fit::{self, Anchor, Fitted};
use crate::eval::summary::Summary;
use crate::grade::calibration::Calibration;
use crate::grade::{shipped_calibration, Origin};
use crate::InputError;

use super::eval::{bank_rubrics, fig, report_bad_lines};

/// Arguments of `hone calibrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Human-graded JSONL file(s), in the format `hone eval` reads; several are fitted together
    /// (each file's grades scaled to 0..=1 on its own scale).
    #[arg(value_name = "FILE.jsonl", required = true)]
    pub files: Vec<PathBuf>,
    /// Where to write the calibration (TOML); use it with `--calibration FILE`.
    #[arg(short, long = "out", alias = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Cross-validation folds; each holds out whole questions.
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub folds: usize,
    /// Fit only these signals (comma-separated); the others keep their base weight.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub features: Vec<String>,
    /// Start from this calibration instead of the shipped one for the data's rubrics (bank
    /// questions, or references when every line brings one): signals the data cannot fit keep
    /// its weights.
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
    /// Also fit the intercept and monotone mapping even though they then apply to answers
    /// scored by signals the data does not show (e.g. behavioural answers, when the data has
    /// only technical ones). Use for calibrations applied to one kind of question.
    #[arg(long)]
    pub free: bool,
    /// Read only the first N non-blank lines of each file.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Also write every answer's signals as CSV (file, line, question, human grade scaled to
    /// 0..=1, shipped score, then one column per signal fitted; `--features` limits them), to
    /// study or fit them elsewhere.
    #[arg(long, value_name = "FILE.csv")]
    pub signals_out: Option<PathBuf>,
    /// Extra question banks.
    #[command(flatten)]
    pub banks: super::BankArgs,
    /// Rubric overrides.
    #[command(flatten)]
    pub rubrics: super::RubricsArgs,
}

/// Runs `hone calibrate`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    if args.folds < 2 {
        return Err(InputError::new("--folds must be at least 2").into());
    }
    let (set, origin) = training_set(&args, settings)?;
    let base = match &args.base {
        Some(path) => Calibration::from_toml_file(path)?,
        None => shipped_calibration(origin).clone(),
    };
    if set.len() < 10 {
        return Err(InputError::new(format!(
            "{}: {} usable answers; calibration needs at least 10",
            file_names(&args),
            set.len()
        ))
        .into());
    }
    if let Some(path) = &args.signals_out {
        std::fs::write(path, signals_csv(&args.files, &set))
            .map_err(|e| InputError::new(format!("cannot write {}: {e}", path.display())))?;
    }
    let anchor = if args.free {
        Anchor::Free
    } else {
        Anchor::Auto
    };
    let cv = crossval::cross_validate(&set, &base, anchor, args.folds);
    let mut fitted = fit::fit(&set, &base, anchor);
    fitted.calibration.fitted_on = fitted_on(&args, &set, cv.as_ref());
    let text = format!(
        "# Written by `hone calibrate`; apply with `--calibration {}`.\n{}",
        args.output.display(),
        fitted.calibration.to_toml()
    );
    std::fs::write(&args.output, text)
        .map_err(|e| InputError::new(format!("cannot write {}: {e}", args.output.display())))?;
    super::print(&render(&args, &set, &fitted, cv.as_ref()))?;
    Ok(ExitCode::SUCCESS)
}

/// Signals and grades of every input file, bad lines reported, `--features` applied; and the
/// origin of its rubrics ([`Origin::Reference`] when every line brings its reference), whose
/// shipped calibration is the base of the fit.
fn training_set(args: &Args, settings: &super::Settings) -> anyhow::Result<(TrainingSet, Origin)> {
    let mut set = TrainingSet::default();
    let mut origin = Origin::Reference;
    // Signals as every command measures them; the baseline score is the shipped calibration's.
    let grader = settings.grader()?.shipped();
    for (source, file) in args.files.iter().enumerate() {
        let dataset = Dataset::load(file, args.limit)?;
        if dataset
            .items
            .iter()
            .any(|i| matches!(i.question, QuestionRef::Bank(_)))
        {
            origin = Origin::Bank;
        }
        let bank_rubric = bank_rubrics(&dataset, settings)?;
        let prepared = calibrate::prepare(dataset, bank_rubric, &grader);
        report_bad_lines(file, &prepared.bad_lines);
        set.append(prepared.set, source);
    }
    if args.features.is_empty() {
        return Ok((set, origin));
    }
    let set = set
        .select(&args.features)
        .map_err(|e| InputError::new(format!("--features: {e}")))?;
    Ok((set, origin))
}

/// Every answer's signals as CSV with a header row.
fn signals_csv(files: &[PathBuf], set: &TrainingSet) -> String {
    let mut out = format!(
        "file,line,question,target,shipped,{}\n",
        set.names.join(",")
    );
    for i in 0..set.len() {
        let group = set.groups[i].split_once('/').map_or("", |(_, g)| g);
        // `+ 0.0` turns a negative zero into zero.
        let values: Vec<String> = set.rows[i]
            .iter()
            .map(|v| format!("{:.6}", v + 0.0))
            .collect();
        out.push_str(&format!(
            "{},{},{},{},{:.3},{}\n",
            csv_field(&files[set.sources[i]].display().to_string()),
            set.lines[i],
            csv_field(group),
            set.targets[i],
            set.shipped[i],
            values.join(",")
        ));
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The input files' names, comma-separated.
fn file_names(args: &Args) -> String {
    args.files
        .iter()
        .map(|f| {
            f.file_name()
                .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The `fitted_on` note: file names, size, date and the held-out figure of each file.
fn fitted_on(args: &Args, set: &TrainingSet, cv: Option<&CrossValidation>) -> String {
    let mut note = format!(
        "{}: {} answers, {} questions, {}",
        file_names(args),
        set.len(),
        distinct(&set.groups),
        today()
    );
    if let Some(cv) = cv {
        let figures: Vec<String> = cv
            .files
            .iter()
            .map(|f| match f.calibrated.scale {
                Some(_) => format!("Pearson {}", fig(f.calibrated.pearson)),
                None => format!("AUC {}", fig(f.calibrated.auc)),
            })
            .collect();
        note.push_str(&format!(
            "; grouped {}-fold CV by question: {}",
            cv.folds,
            figures.join(", ")
        ));
    }
    note
}

/// Number of distinct values.
fn distinct(values: &[String]) -> usize {
    values
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Today's UTC date as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    utc_date(std::time::SystemTime::now())
}

/// The UTC date of a moment as `YYYY-MM-DD` (humantime's RFC 3339 form, cut to the date).
fn utc_date(at: std::time::SystemTime) -> String {
    let stamp = humantime::format_rfc3339_seconds(at).to_string();
    stamp.split('T').next().unwrap_or_default().to_string()
}

/// The report printed after fitting.
fn render(args: &Args, set: &TrainingSet, fitted: &Fitted, cv: Option<&CrossValidation>) -> String {
    let c = &fitted.calibration;
    let mut out = format!(
        "fitted on {}: {} answers, {} questions\n",
        file_names(args),
        set.len(),
        distinct(&set.groups)
    );
    out.push_str(&format!(
        "ridge penalty {} (chosen by grouped CV inside the training data)\n",
        fitted.lambda
    ));
    let lists = [
        ("kept from the base (constant in the data)", &fitted.kept),
        (
            "kept from the base (penalties the data would reward)",
            &fitted.reverted,
        ),
        (
            "set to 0 (the data would weigh them negatively)",
            &fitted.zeroed,
        ),
    ];
    for (what, names) in lists {
        if !names.is_empty() {
            out.push_str(&format!("{what}: {}\n", names.join(", ")));
        }
    }
    if fitted.anchored {
        out.push_str(
            "intercept and mapping kept from the base, so answers scored by signals this data \
             never shows (e.g. STAR for behavioural questions) score as before (--free to fit them)\n",
        );
    }
    out.push_str(&format!("\n{:<24}{:>10}\n", "signal", "weight"));
    for (name, weight) in c.features.iter().zip(&c.weights) {
        out.push_str(&format!("{name:<24}{weight:>10.4}\n"));
    }
    out.push_str(&format!(
        "{:<24}{:>10.4}\nmonotone mapping: {} knots\n\n",
        "intercept",
        c.intercept,
        c.mapping.len()
    ));
    match cv {
        Some(cv) => {
            for (file, figures) in args.files.iter().zip(&cv.files) {
                out.push_str(&format!(
                    "cross-validated on {}, {} folds holding out whole questions:\n",
                    file.display(),
                    cv.folds
                ));
                out.push_str(&cv_table(&[
                    ("shipped scoring", Some(&figures.shipped)),
                    ("ridge (linear part)", figures.linear.as_ref()),
                    ("calibrated (written)", Some(&figures.calibrated)),
                ]));
            }
        }
        None => out.push_str("cross-validation skipped: it needs at least two questions\n"),
    }
    out.push_str(&format!(
        "\nwrote {} (apply with `hone eval --calibration {0}`)\n",
        args.output.display()
    ));
    out
}

/// Rows of held-out figures; QWK for numeric grades, AUC for labels.
fn cv_table(rows: &[(&str, Option<&Summary>)]) -> String {
    let labels = rows
        .iter()
        .find_map(|(_, s)| *s)
        .is_some_and(|s| s.scale.is_none());
    let last = if labels { "AUC" } else { "QWK" };
    let mut out = format!(
        "{:<26}{:>9}{:>10}{:>15}{:>8}\n",
        "", "Pearson", "Spearman", "per-question r", last
    );
    for (name, summary) in rows {
        if let Some(s) = summary {
            out.push_str(&format!(
                "{name:<26}{:>9}{:>10}{:>15}{:>8}\n",
                fig(s.pearson),
                fig(s.spearman),
                fig(s.mean_question_pearson.mean),
                fig(if labels { s.auc } else { s.qwk })
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::utc_date;

    #[test]
    fn utc_dates_from_day_counts() {
        let day = |n: u64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(n * 86_400 + 5);
        assert_eq!(utc_date(day(0)), "1970-01-01");
        assert_eq!(utc_date(day(11_016)), "2000-02-29");
        assert_eq!(utc_date(day(20_414)), "2025-11-22");
    }
}
