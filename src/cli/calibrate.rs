//! `hone calibrate`: fit how the local signals combine into a score, from human grades, and
//! show cross-validated figures for questions the fit never saw.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::eval::calibrate::{self, CrossValidation, Fitted, TrainingSet};
use crate::eval::dataset::Dataset;
use crate::eval::summary::Summary;
use crate::InputError;

use super::eval::{bank_rubrics, fig, report_bad_lines};

/// Arguments of `hone calibrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Human-graded JSONL file, in the format `hone eval` reads.
    #[arg(value_name = "FILE.jsonl")]
    pub file: PathBuf,
    /// Where to write the calibration (TOML); use it with `--calibration FILE`.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Cross-validation folds; each holds out whole questions.
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub folds: usize,
    /// Fit only these signals (comma-separated); default: every signal the grader reports.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub features: Vec<String>,
    /// Read only the first N non-blank lines.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// Runs `hone calibrate`.
pub fn run(args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    if args.folds < 2 {
        return Err(InputError::new("--folds must be at least 2").into());
    }
    let dataset = Dataset::load(&args.file, args.limit)?;
    let bank_rubric = bank_rubrics(&dataset)?;
    let prepared = calibrate::prepare(dataset, bank_rubric);
    report_bad_lines(&args.file, &prepared.bad_lines);
    let set = if args.features.is_empty() {
        prepared.set
    } else {
        prepared
            .set
            .select(&args.features)
            .map_err(|e| InputError::new(format!("--features: {e}")))?
    };
    if set.len() < 10 {
        return Err(InputError::new(format!(
            "{}: {} usable answers; calibration needs at least 10",
            args.file.display(),
            set.len()
        ))
        .into());
    }
    let cv = calibrate::cross_validate(&set, args.folds);
    let fitted = calibrate::fit(&set);
    let calibration = fitted.to_calibration(&set.names, fitted_on(&args, &set, cv.as_ref()));
    let text = format!(
        "# Written by `hone calibrate`; apply with `--calibration {}`.\n{}",
        args.output.display(),
        calibration.to_toml()
    );
    std::fs::write(&args.output, text)
        .map_err(|e| InputError::new(format!("cannot write {}: {e}", args.output.display())))?;
    print!("{}", render(&args, &set, &fitted, cv.as_ref()));
    Ok(ExitCode::SUCCESS)
}

/// The `fitted_on` note: file name, size, date and the held-out figure.
fn fitted_on(args: &Args, set: &TrainingSet, cv: Option<&CrossValidation>) -> String {
    let name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let questions = distinct(&set.groups);
    let mut note = format!(
        "{name}: {} answers, {questions} questions, {}",
        set.len(),
        today()
    );
    if let Some(cv) = cv {
        note.push_str(&format!(
            "; grouped {}-fold CV Pearson {} (shipped {})",
            cv.folds,
            fig(cv.calibrated.pearson),
            fig(cv.shipped.pearson)
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
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The report printed after fitting.
fn render(args: &Args, set: &TrainingSet, fitted: &Fitted, cv: Option<&CrossValidation>) -> String {
    let mut out = format!(
        "fitted on {}: {} answers, {} questions\n",
        args.file.display(),
        set.len(),
        distinct(&set.groups)
    );
    out.push_str(&format!(
        "ridge penalty {} (chosen by grouped CV inside the training data)\n\n",
        fitted.lambda
    ));
    out.push_str(&format!("{:<24}{:>10}\n", "signal", "weight"));
    for (name, weight) in set.names.iter().zip(&fitted.linear.weights) {
        out.push_str(&format!("{name:<24}{weight:>10.4}\n"));
    }
    out.push_str(&format!(
        "{:<24}{:>10.4}\nmonotone mapping: {} knots\n\n",
        "intercept",
        fitted.linear.intercept,
        fitted.mapping.len()
    ));
    match cv {
        Some(cv) => out.push_str(&cv_table(cv)),
        None => out.push_str("cross-validation skipped: it needs at least two questions\n"),
    }
    out.push_str(&format!(
        "\nwrote {} (apply with `hone eval --calibration {0}`)\n",
        args.output.display()
    ));
    out
}

/// Held-out figures of the shipped scoring, the linear fit and the full calibration.
fn cv_table(cv: &CrossValidation) -> String {
    let labels = cv.shipped.scale.is_none();
    let last = if labels { "AUC" } else { "QWK" };
    let mut out = format!(
        "cross-validated, {} folds holding out whole questions:\n{:<26}{:>9}{:>10}{:>15}{:>8}\n",
        cv.folds, "", "Pearson", "Spearman", "per-question r", last
    );
    let mut row = |name: &str, s: &Summary| {
        out.push_str(&format!(
            "{name:<26}{:>9}{:>10}{:>15}{:>8}\n",
            fig(s.pearson),
            fig(s.spearman),
            fig(s.mean_question_pearson.mean),
            fig(if labels { s.auc } else { s.qwk })
        ));
    };
    row("shipped scoring", &cv.shipped);
    row("ridge (linear)", &cv.linear);
    row("ridge + monotone map", &cv.calibrated);
    out
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn civil_dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
    }
}
