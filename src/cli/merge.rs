//! `hone merge`: combine the JSON results of sharded `hone batch` runs into one report.

use std::path::PathBuf;
use std::process::ExitCode;

use super::batch::{check_outputs, destinations, exit_code, write_reports};
use crate::report::merge::merge_files;
use crate::report::{Format, Report};

/// Arguments of `hone merge`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes are those of `hone batch` (see `hone batch --help`).\n\n\
Example (a CI matrix of 4 jobs, then one merge job):\n  \
hone batch answers/ --shard $K/4 --out shard-$K.json\n  \
hone merge shard-*.json --min-score 60 --out report.html --out junit.xml --format markdown"
)]
pub struct Args {
    /// JSON reports (`--out x.json`) or results files (`--results x.jsonl`) of `hone batch` runs.
    #[arg(required = true, value_name = "RESULTS")]
    pub files: Vec<PathBuf>,
    /// Print a report in this format to stdout; repeat for several [default: text].
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Write a report to a file, the format taken from its extension or a `FORMAT:` prefix.
    #[arg(long, short = 'o', value_name = "[FORMAT:]PATH")]
    pub out: Vec<String>,
    /// Answers scoring below N (0-100) fail, and so does the merged run if the mean is below N.
    #[arg(long, value_name = "N", value_parser = super::batch::parse_min_score)]
    pub min_score: Option<f64>,
    /// Exit 3 if any answer could not be graded.
    #[arg(long)]
    pub strict: bool,
}

/// Runs `hone merge`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let outputs = destinations(&args.format, &args.out)?;
    check_outputs(&outputs)?;
    let records = merge_files(&args.files)?;
    let report = Report::judged(records, args.min_score, args.strict);
    write_reports(&report, &outputs)?;
    Ok(exit_code(&report.summary))
}
