//! `hone batch`: grade many answers (JSONL, Markdown answer files, folders, globs) and write
//! reports in several formats, with thresholds, exit codes, a results file, resume and shards.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::bank::Catalog;
use crate::batch::resume::{self, Previous};
use crate::batch::runner::{self, Grader, LlmGrader, LocalGrader, Origin, Resolver, RunOptions};
use crate::batch::{inputs, Record, Shard, Status};
use crate::llm::cli::{LlmArgs, LlmRun};
use crate::llm::Usage;
use crate::report::{Format, Report, Summary, SummaryBuilder};
use crate::InputError;

/// Exit codes and examples, shown by `hone batch --help`.
pub const AFTER_HELP: &str = "\
Exit codes:
  0  every answer graded and at or above --min-score (and so is the mean)
  1  some answer, or the mean, is below --min-score
  2  usage or input error (bad flag, missing path, unreadable results file), or some
     rows could not be graded (unknown question, bad row) — after every good row is
     graded and every report written
  3  with --strict: some answers could not be graded (unknown question, bad row,
     or the LLM judge failed on them under --llm)
  130  interrupted (Ctrl-C): with --results, rerun with --resume to grade only the rest

Every report states the verdict that goes with the exit code, with its counts.

Examples:
  hone batch answers/ --min-score 60
  hone batch 'answers/**/*.md' --out report.html --out junit.xml --format github
  hone batch big.jsonl --results results.jsonl --resume --shard 2/4 --out shard-2.json
  hone merge shard-*.json --out report.html --format markdown";

/// Arguments of `hone batch`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Answer files: JSONL (one answer per line), Markdown (one heading per question), folders, globs.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Print a report in this format to stdout; repeat for several [default: text].
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Write a report to a file, the format taken from its extension (.txt .json .xml .md .html)
    /// or from a `FORMAT:` prefix (`github:annotations.txt`); repeat for several.
    #[arg(long, short = 'o', value_name = "[FORMAT:]PATH")]
    pub out: Vec<String>,
    /// Answers scoring below N (0-100) fail, and so does the run if the mean is below N.
    #[arg(long, value_name = "N", value_parser = parse_min_score)]
    pub min_score: Option<f64>,
    /// Exit 3 if any answer could not be graded.
    #[arg(long)]
    pub strict: bool,
    /// Append every finished record to this JSONL file as it completes (rewritten unless --resume).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Skip answers already graded in the --results file (keyed by question, answer, candidate).
    #[arg(long, requires = "results")]
    pub resume: bool,
    /// Grade only shard K of N (a stable slice by answer hash), for CI matrices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Grading threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no per-row warnings on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// LLM judge options (off unless --llm or --dry-run).
    #[command(flatten)]
    pub llm: LlmArgs,
    /// Use the LLM judge even when `hone judge check` finds it unusable (the reports say so).
    #[arg(long, help_heading = "LLM judge")]
    pub force_judge: bool,
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

/// Parses `--min-score`: a number in 0..=100, refusing fractions such as `0.6` (scores run
/// 0-100, so `0.6` would pass almost every answer).
pub(crate) fn parse_min_score(text: &str) -> Result<f64, String> {
    let n: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if !(0.0..=100.0).contains(&n) {
        Err(format!("{n} is outside 0-100"))
    } else if n > 0.0 && n < 1.0 {
        let percent = crate::report::format_score(n * 100.0);
        Err(format!(
            "{text} looks like a fraction, but scores run 0-100: write --min-score {percent}"
        ))
    } else {
        Ok(n)
    }
}

/// Where one report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A file.
    File(PathBuf),
}

/// Parses `--out` values: `[FORMAT:]PATH`.
pub fn parse_out(spec: &str) -> Result<(Format, PathBuf), InputError> {
    if let Some((prefix, path)) = spec.split_once(':') {
        if let Some(format) = Format::from_name(prefix) {
            return Ok((format, PathBuf::from(path)));
        }
    }
    let path = PathBuf::from(spec);
    let format = Format::from_path(&path).ok_or_else(|| {
        InputError::new(format!(
            "--out {spec}: cannot tell the format from the extension"
        ))
        .with_hint(format!(
            "use .txt .json .xml .md or .html, or a format prefix such as `junit:{spec}`"
        ))
    })?;
    Ok((format, path))
}

/// The reports a run writes: `--format` to stdout (text when neither flag is given), `--out` to files.
pub fn destinations(
    formats: &[Format],
    outs: &[String],
) -> Result<Vec<(Format, Destination)>, InputError> {
    let mut list: Vec<(Format, Destination)> =
        formats.iter().map(|&f| (f, Destination::Stdout)).collect();
    if formats.is_empty() {
        list.push((Format::Text, Destination::Stdout));
    }
    for spec in outs {
        let (format, path) = parse_out(spec)?;
        list.push((format, Destination::File(path)));
    }
    Ok(list)
}

/// Runs `hone batch`.
pub fn run(args: Args, settings: &super::Settings) -> anyhow::Result<ExitCode> {
    let outputs = destinations(&args.format, &args.out)?;
    check_outputs(&outputs)?;
    let on_ctrl_c = match &args.results {
        Some(path) => format!(
            "\ninterrupted: the answers graded so far are saved in {}; run the same command with \
             --resume to grade only the rest",
            path.display()
        ),
        None => "\ninterrupted: nothing was saved; pass --results FILE next time, and --resume \
                 then continues where a run stopped"
            .to_string(),
    };
    super::interrupt::on_interrupt(move || super::note(&on_ctrl_c));
    let files = inputs::expand(&args.inputs)?;
    let catalog = Catalog::load(&settings.bank_files)?;
    let store = settings.rubric_store();
    let shared = settings.grader_for(&catalog)?;
    let resolver = Resolver::new(&catalog, &store, &shared);
    let llm = args.llm.resolve(&settings.llm)?;
    if let Some(run) = llm.as_ref().filter(|run| run.dry_run) {
        return dry_run(run, files, args.shard, &resolver);
    }
    if let Some(run) = llm.as_ref().filter(|run| run.check_judge) {
        check_judge(run, args.force_judge)?;
    }
    let (writer, mut previous) = match &args.results {
        Some(path) => {
            let (w, p) = resume::open(path, args.resume)?;
            (Some(w), p)
        }
        None => (None, Previous::none()),
    };
    let grader: Box<dyn Grader + '_> = match &llm {
        Some(run) => Box::new(LlmGrader {
            run,
            local: LocalGrader { grader: &shared },
        }),
        None => Box::new(LocalGrader { grader: &shared }),
    };
    // Judge requests wait on the network, so run as many workers as requests may be in flight.
    let cores = args.jobs.unwrap_or_else(default_jobs);
    let jobs = llm
        .as_ref()
        .map_or(cores, |run| cores.max(run.judge.settings().jobs));
    let options = RunOptions {
        shard: args.shard,
        jobs,
    };
    let keep_records = outputs.iter().any(|(f, _)| f.needs_records());
    let mut collector = Collector::new(writer, keep_records, &args);
    runner::run(
        inputs::read(files),
        options,
        &resolver,
        grader.as_ref(),
        &mut previous,
        |record, origin| collector.take(record, origin),
    )?;
    let (report, usage) = collector.finish(args.min_score, args.strict);
    if let Some(run) = &llm {
        print_usage(run, usage, args.quiet);
    }
    write_reports(&report, &outputs)?;
    Ok(exit_code(&report.summary))
}

/// Takes each finished record: appends it to the results file, counts it, keeps it for the
/// reports that list every answer, warns about error rows, and moves the progress bar.
struct Collector {
    writer: Option<resume::ResultsWriter>,
    builder: SummaryBuilder,
    records: Option<Vec<Record>>,
    warnings: Warnings,
    usage: Usage,
    progress: indicatif::ProgressBar,
}

impl Collector {
    fn new(writer: Option<resume::ResultsWriter>, keep_records: bool, args: &Args) -> Self {
        Self {
            writer,
            builder: SummaryBuilder::new(args.min_score).strict(args.strict),
            records: keep_records.then(Vec::new),
            warnings: Warnings::new(args.quiet),
            usage: Usage::default(),
            progress: progress_bar(args.quiet),
        }
    }

    fn take(&mut self, record: Record, origin: Origin) -> anyhow::Result<()> {
        if let (Some(writer), Origin::Fresh) = (self.writer.as_mut(), origin) {
            writer.append(&record)?;
        }
        self.progress.inc(1);
        if record.status == Status::Error {
            let warnings = &mut self.warnings;
            self.progress.suspend(|| warnings.note(&record));
        }
        if let Some(outcome) = record.grade.as_ref().and_then(|g| g.llm.as_ref()) {
            self.usage.add(outcome.usage);
        }
        self.builder.add(&record);
        if let Some(records) = self.records.as_mut() {
            records.push(record);
        }
        Ok(())
    }

    /// The report (sorted records when kept, else the streamed summary) and the judge's usage.
    fn finish(self, min_score: Option<f64>, strict: bool) -> (Report, Usage) {
        self.progress.finish_and_clear();
        self.warnings.finish();
        let report = match self.records {
            Some(records) => Report::judged(records, min_score, strict),
            None => Report {
                records: Vec::new(),
                summary: self.builder.finish(),
            },
        };
        (report, self.usage)
    }
}

/// `--dry-run`: estimates the judge's tokens and cost over every answer, sends nothing.
fn dry_run(
    run: &LlmRun,
    files: Vec<inputs::InputFile>,
    shard: Option<Shard>,
    resolver: &Resolver<'_>,
) -> anyhow::Result<ExitCode> {
    let mut tasks = Vec::new();
    for input in inputs::read(files) {
        let crate::batch::Input::Answer(item) = input else {
            continue;
        };
        let key = crate::batch::AnswerKey::of_answer(&item);
        if shard.is_some_and(|s| !s.contains(key)) || item.answer.trim().is_empty() {
            continue;
        }
        if let Ok(resolved) = resolver.resolve(&item) {
            tasks.push((resolved, item.answer));
        }
    }
    let pairs: Vec<_> = tasks
        .iter()
        .map(|(resolved, answer)| (&resolved.rubric.rubric, answer.as_str()))
        .collect();
    let estimate = run.estimate(&pairs);
    super::note(&run.describe_estimate(pairs.len(), &estimate));
    Ok(ExitCode::SUCCESS)
}

/// One line on stderr with the judge's token use and cost.
/// Runs `hone judge check` on the run's judge (cached per endpoint and model), says how it
/// did, and refuses an unusable judge unless forced; every grade then records the finding.
fn check_judge(run: &LlmRun, force: bool) -> anyhow::Result<()> {
    let report = run.check();
    let note = report.note();
    super::note(&crate::report::terminal::safe(&format!(
        "LLM judge check: {} is {} ({})",
        report.model,
        note.verdict.as_str(),
        note.summary
    )));
    if note.verdict == crate::llm::CheckVerdict::Unusable && !force {
        return Err(InputError::new(format!(
            "the LLM judge {} at {} is unusable: {}",
            report.model,
            report.base_url,
            report.reasons.join("; ")
        ))
        .with_hint("use a stronger model (see `hone judge check`), or pass --force-judge to grade with it anyway")
        .into());
    }
    run.judge.set_check(note);
    Ok(())
}

fn print_usage(run: &LlmRun, usage: Usage, quiet: bool) {
    if quiet {
        return;
    }
    let cost = crate::llm::tokens::cost(usage, run.judge.settings().price)
        .map(|c| format!(", ≈ ${c:.4}"))
        .unwrap_or_default();
    super::note(&format!(
        "LLM judge: {} requests, {} prompt + {} completion tokens{cost}",
        run.judge.requests_sent(),
        usage.prompt_tokens,
        usage.completion_tokens
    ));
    if let Some(why) = run.judge.fatal_error() {
        super::note(&format!(
            "warning: the LLM judge stopped early; answers it did not judge keep their local grade: {why}"
        ));
    }
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Checks, before any grading, that every report file can be written: its folder is created
/// and the file opened for writing without truncating it (one that did not exist is removed
/// again). The error names the path.
pub fn check_outputs(outputs: &[(Format, Destination)]) -> Result<(), InputError> {
    for (_, destination) in outputs {
        let Destination::File(path) = destination else {
            continue;
        };
        let fail = |e: std::io::Error| {
            InputError::new(format!("cannot write report {}: {e}", path.display()))
                .with_hint("pick a writable --out path (nothing was graded)")
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Some(file) = dir.ancestors().find(|a| a.is_file()) {
                let why = format!("{} is a file, not a folder", file.display());
                return Err(fail(std::io::Error::other(why)));
            }
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        if path.is_dir() {
            return Err(fail(std::io::Error::other("it is a folder")));
        }
        let existed = path.exists();
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(fail)?;
        if !existed {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(())
}

/// Writes every report; files get their folders created.
pub fn write_reports(report: &Report, outputs: &[(Format, Destination)]) -> anyhow::Result<()> {
    for (format, destination) in outputs {
        let text = format.exporter().render(report)?;
        match destination {
            Destination::Stdout => super::print(&text)?,
            Destination::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        InputError::new(format!("cannot write {}: {e}", path.display()))
                    })?;
                }
                std::fs::write(path, text).map_err(|e| {
                    InputError::new(format!("cannot write {}: {e}", path.display()))
                })?;
            }
        }
    }
    Ok(())
}

/// The exit code of the summary's verdict ([`crate::report::Verdict::of`]), the one every
/// report states: 3 for ungraded answers under `--strict`, else 2 when some rows could not be
/// graded, else 1 when anything is below the threshold, else 0.
pub fn exit_code(summary: &Summary) -> ExitCode {
    ExitCode::from(summary.verdict.exit_code())
}

/// A progress bar on stderr, only when stderr is a terminal outside CI and not `--quiet`.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if quiet || !interactive {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos} answers graded ({rate}) {elapsed}")
    {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate(state.per_sec()));
            },
        ));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// A grading rate for the progress bar, rounded to what a person reads: `7225/s`, `12/s`,
/// `2.5/s` (indicatif's own `{per_sec}` shows `7,225.2576/s`).
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "0/s".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{per_sec:.0}/s")
    }
}

/// Per-row warnings on stderr, at most [`Warnings::LIMIT`], then a count.
struct Warnings {
    quiet: bool,
    shown: usize,
    hidden: usize,
}

impl Warnings {
    const LIMIT: usize = 20;

    fn new(quiet: bool) -> Self {
        Self {
            quiet,
            shown: 0,
            hidden: 0,
        }
    }

    fn note(&mut self, record: &Record) {
        if self.quiet {
            return;
        }
        if self.shown == Self::LIMIT {
            self.hidden += 1;
            return;
        }
        self.shown += 1;
        let message = record.error.as_deref().unwrap_or("not graded");
        super::note(&format!("warning: {}: {message}", record.source));
    }

    fn finish(&self) {
        if self.hidden > 0 {
            super::note(&format!(
                "warning: … and {} more rows not graded (see the report)",
                self.hidden
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_rate_is_rounded() {
        assert_eq!(rate(7225.2576), "7225/s");
        assert_eq!(rate(12.49), "12/s");
        assert_eq!(rate(2.345), "2.3/s");
        assert_eq!(rate(0.0), "0/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }

    #[test]
    fn out_formats_come_from_prefix_or_extension() {
        assert_eq!(
            parse_out("r.html").unwrap(),
            (Format::Html, PathBuf::from("r.html"))
        );
        assert_eq!(
            parse_out("junit:r.txt").unwrap(),
            (Format::Junit, PathBuf::from("r.txt"))
        );
        assert_eq!(parse_out("out/x.xml").unwrap().0, Format::Junit);
        assert!(parse_out("report.pdf").is_err());
    }

    #[test]
    fn text_goes_to_stdout_unless_a_format_is_chosen() {
        let only_out = destinations(&[], &["a.json".into()]).unwrap();
        assert_eq!(only_out[0], (Format::Text, Destination::Stdout));
        let chosen = destinations(&[Format::Github], &[]).unwrap();
        assert_eq!(chosen, [(Format::Github, Destination::Stdout)]);
    }

    #[test]
    fn min_score_must_be_a_percentage() {
        assert_eq!(parse_min_score("60"), Ok(60.0));
        assert!(parse_min_score("101").is_err());
        assert!(parse_min_score("x").is_err());
        assert_eq!(parse_min_score("0"), Ok(0.0));
        assert_eq!(parse_min_score("1"), Ok(1.0));
        assert_eq!(
            parse_min_score("0.6"),
            Err("0.6 looks like a fraction, but scores run 0-100: write --min-score 60".into())
        );
    }
}
