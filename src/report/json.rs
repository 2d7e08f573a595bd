//! JSON report: `{schema_version, tool, grader_version, summary, records}`, each record the
//! results-file record plus `passed`. The schema is `docs/batch-schema.json`.

use serde::{Deserialize, Serialize};

use super::{Exporter, Report, Summary};
use crate::batch::{Record, SCHEMA_VERSION};

/// Renders the report as pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonExporter;

/// The JSON report document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    /// Shape version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Always `hone`.
    pub tool: String,
    /// hone's version.
    pub tool_version: String,
    /// Counts, mean, distribution.
    pub summary: Summary,
    /// One record per answer, sorted by file and line.
    pub records: Vec<JsonRecord>,
}

/// A record with its verdict against the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonRecord {
    /// The record as in the results file.
    #[serde(flatten)]
    pub record: Record,
    /// At or above `--min-score` (true without one); `null` for error rows.
    pub passed: Option<bool>,
}

impl JsonReport {
    /// The document for a report.
    pub fn from_report(report: &Report) -> JsonReport {
        let min = report.min_score();
        JsonReport {
            schema_version: SCHEMA_VERSION,
            tool: "hone".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            summary: report.summary.clone(),
            records: report
                .records
                .iter()
                .map(|r| JsonRecord {
                    passed: r.passed(min),
                    record: r.clone(),
                })
                .collect(),
        }
    }
}

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut text = serde_json::to_string_pretty(&JsonReport::from_report(report))?;
        text.push('\n');
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};

    #[test]
    fn round_trips_with_verdicts() {
        let report = Report::new(
            vec![graded("a.md", 1, 70.0), error("b.jsonl", 2)],
            Some(75.0),
        );
        let text = JsonExporter.render(&report).unwrap();
        let back: JsonReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back.schema_version, SCHEMA_VERSION);
        assert_eq!(back.records.len(), 2);
        assert_eq!(back.records[0].passed, Some(false));
        assert_eq!(back.records[1].passed, None);
        assert_eq!(back.records[0].record, report.records[0]);
        assert_eq!(back.summary, report.summary);
    }
}
