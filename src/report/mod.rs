//! Batch reports: one file per output format behind the [`Exporter`] trait (hyperfine's
//! `export` layout). A [`Report`] is the sorted records plus a [`Summary`]; each exporter turns it
//! into text. The library never prints: the CLI writes what exporters return.
//!
//! `feedback.rs` (owned by the grader) renders one grade as text for a person.

pub mod feedback;
pub mod github;
pub mod html;
pub mod json;
pub mod judge_check;
pub mod junit;
pub mod markdown;
pub mod markdown_text;
pub mod math;
pub mod merge;
pub mod summary;
pub mod terminal;
pub mod text;
pub mod verdict;
pub mod wrap;

use std::path::Path;

use crate::batch::Record;
pub use summary::{Summary, SummaryBuilder};
pub use verdict::Verdict;

/// Everything a report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Per-answer records, sorted by file then line (empty when a run keeps only the summary).
    pub records: Vec<Record>,
    /// Counts, mean, distribution, pass/fail against the threshold.
    pub summary: Summary,
}

impl Report {
    /// A report over `records` (sorted here) judged against `min_score`, without `--strict`.
    pub fn new(records: Vec<Record>, min_score: Option<f64>) -> Report {
        Report::judged(records, min_score, false)
    }

    /// A report over `records` (sorted here) judged against `min_score`, under `--strict` or not.
    pub fn judged(mut records: Vec<Record>, min_score: Option<f64>, strict: bool) -> Report {
        sort_records(&mut records);
        let mut builder = SummaryBuilder::new(min_score).strict(strict);
        for record in &records {
            builder.add(record);
        }
        Report {
            summary: builder.finish(),
            records,
        }
    }

    /// The minimum passing score, if any.
    pub fn min_score(&self) -> Option<f64> {
        self.summary.min_score
    }
}

/// Report order: by file, then line, then key (stable across shards and merges).
pub fn sort_records(records: &mut [Record]) {
    records.sort_by(|a, b| {
        (&a.source.file, a.source.line, &a.key).cmp(&(&b.source.file, b.source.line, &b.key))
    });
}

/// Turns a report into one output format.
pub trait Exporter {
    /// Renders the whole report.
    fn render(&self, report: &Report) -> anyhow::Result<String>;
}

/// The output formats of `hone batch` and `hone merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Summary for the terminal.
    Text,
    /// Versioned JSON: summary and one record per answer (docs/batch-schema.json).
    Json,
    /// JUnit XML: one test case per answer, failing below --min-score.
    Junit,
    /// Markdown for a CI job summary.
    Markdown,
    /// GitHub Actions annotations (`::warning file=…,line=…::…`).
    Github,
    /// Self-contained HTML report for coaches.
    Html,
}

impl Format {
    /// The format a file extension implies (`.json`, `.xml`, `.md`, `.html`, `.txt`).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "json" => Format::Json,
            "xml" | "junit" => Format::Junit,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// The format's name as written on the command line (clap's `ValueEnum` name).
    pub fn name(self) -> String {
        use clap::ValueEnum;
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .expect("every format has a command-line name")
    }

    /// Parses a format name (any case), as `--format` does.
    pub fn from_name(name: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(name, true).ok()
    }

    /// Whether the format lists every answer (so the run must keep every record in memory).
    pub fn needs_records(self) -> bool {
        self != Format::Text
    }

    /// The exporter for this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Text => Box::new(text::TextExporter),
            Format::Json => Box::new(json::JsonExporter),
            Format::Junit => Box::new(junit::JunitExporter),
            Format::Markdown => Box::new(markdown::MarkdownExporter),
            Format::Github => Box::new(github::GithubExporter),
            Format::Html => Box::new(html::HtmlExporter),
        }
    }
}

/// A score as people read it: `72` or `72.5`.
pub fn format_score(score: f64) -> String {
    let rounded = (score * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// `{sep}N not graded by the LLM judge` when the judge left any answer ungraded, else nothing:
/// every format states that count beside its own "not graded".
pub fn llm_ungraded_clause(summary: &Summary, sep: &str) -> String {
    if summary.llm_ungraded == 0 {
        return String::new();
    }
    format!("{sep}{} not graded by the LLM judge", summary.llm_ungraded)
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Records for exporter tests.
    use crate::bank::Kind;
    use crate::batch::record::QuestionInfo;
    use crate::batch::{AnswerItem, InputFailure, Record, Source};
    use crate::grade::{Band, Coverage, Grade, PointGrade};
    use crate::rubric::PointKind;

    /// A graded record at `file:line` with the given score, one covered and one missing point.
    pub fn graded(file: &str, line: u64, score: f64) -> Record {
        let item = AnswerItem {
            source: Source {
                file: file.into(),
                line,
            },
            question: "pse/dsa/1".into(),
            answer: "I would use a <hash map> & a list.".into(),
            candidate: Some("ann".into()),
            reference: None,
            kind: None,
            fields: Default::default(),
        };
        let info = QuestionInfo {
            id: "pse/dsa/1".into(),
            text: "Explain an LRU cache.".into(),
            section: "Data Structures & Algorithms".into(),
            kind: Kind::Algorithm,
        };
        let point = |label: &str, coverage| PointGrade {
            label: label.into(),
            kind: PointKind::Concept,
            weight: 1.0,
            coverage,
            strength: if coverage == Coverage::Covered {
                1.0
            } else {
                0.0
            },
            evidence: None,
            examples: Vec::new(),
        };
        let grade = Grade {
            question_id: "pse/dsa/1".into(),
            score,
            band: Band::Partial,
            points: vec![
                point("hash map for O(1) lookup", Coverage::Covered),
                point("doubly linked list <order>", Coverage::Missing),
            ],
            star: None,
            claim_errors: vec![],
            wrong_claims: vec![],
            flags: vec![],
            improvements: vec!["Say how eviction works.".into()],
            llm: None,
        };
        Record::graded(&item, &info, grade)
    }

    /// An error record for a bad row.
    pub fn error(file: &str, line: u64) -> Record {
        Record::input_error(&InputFailure {
            source: Source {
                file: file.into(),
                line,
            },
            message: "not valid JSON".into(),
            question: None,
            candidate: None,
        })
    }
}

#[cfg(test)]
mod format_tests {
    use super::Format;
    use clap::ValueEnum;

    #[test]
    fn format_names_are_the_command_line_names_and_parse_back() {
        let names: Vec<String> = Format::value_variants().iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            ["text", "json", "junit", "markdown", "github", "html"]
        );
        for format in Format::value_variants() {
            assert_eq!(Format::from_name(&format.name()), Some(*format));
        }
        assert_eq!(Format::from_name("JUnit"), Some(Format::Junit));
        assert_eq!(Format::from_name("xml"), None);
    }
}
