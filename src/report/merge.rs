//! `hone merge`: combines the results of sharded runs (JSON reports or results JSONL files)
//! into one set of records, from which any report can be written.
//!
//! A record seen twice (same key at the same place, e.g. a results file of a resumed run holding
//! an error row and then its retry) is kept once: the last one read wins.
//!
//! It lives in `report` because it reads back `report::json`'s own format (and the results
//! JSONL of `batch`, a lower layer); `batch` never names `report`.

use std::collections::HashMap;
use std::path::Path;

use super::json::JsonReport;
use crate::batch::record::{Record, SCHEMA_VERSION};
use crate::InputError;

/// Reads and combines the records of every file, in file order.
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Vec<Record>, InputError> {
    let mut records = Vec::new();
    for path in paths {
        records.extend(read_results(path.as_ref())?);
    }
    Ok(dedupe(records))
}

/// The records of one JSON report or results JSONL file.
pub fn read_results(path: &Path) -> Result<Vec<Record>, InputError> {
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(format!("cannot read {name}: {e}")))?;
    let records = if let Ok(report) = serde_json::from_str::<JsonReport>(&text) {
        check_version(report.schema_version, &name.to_string(), 0)?;
        report.records.into_iter().map(|r| r.record).collect()
    } else {
        read_jsonl(&text, &name.to_string())?
    };
    Ok(records)
}

fn read_jsonl(text: &str, name: &str) -> Result<Vec<Record>, InputError> {
    let mut records = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) => {
                check_version(record.schema_version, name, i + 1)?;
                records.push(record);
            }
            // A torn last line of an interrupted run: that answer was never finished.
            Err(_) if i + 1 == lines.len() && !line.ends_with('\n') => {}
            Err(e) => {
                return Err(InputError::new(format!(
                    "{name}:{}: not a hone batch JSON report or results line ({e})",
                    i + 1
                ))
                .with_hint("merge the .json reports or results files written by `hone batch`"))
            }
        }
    }
    Ok(records)
}

fn check_version(version: u32, name: &str, line: usize) -> Result<(), InputError> {
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let at = if line > 0 {
        format!("{name}:{line}")
    } else {
        name.to_string()
    };
    Err(InputError::new(format!(
        "{at}: schema_version {version}, but this hone reads version {SCHEMA_VERSION}"
    ))
    .with_hint("merge results written by the same hone version"))
}

/// Keeps the last record for each (key, file, line).
fn dedupe(records: Vec<Record>) -> Vec<Record> {
    let mut last: HashMap<(String, String, u64), usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        last.insert((r.key.clone(), r.source.file.clone(), r.source.line), i);
    }
    records
        .into_iter()
        .enumerate()
        .filter(|(i, r)| last[&(r.key.clone(), r.source.file.clone(), r.source.line)] == *i)
        .map(|(_, r)| r)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{error, graded};
    use crate::report::{json::JsonExporter, Exporter, Report};

    #[test]
    fn merges_reports_and_results_files_and_drops_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let report = Report::new(vec![graded("a.md", 1, 90.0)], None);
        let json = dir.path().join("shard1.json");
        std::fs::write(&json, JsonExporter.render(&report).unwrap()).unwrap();
        let jsonl = dir.path().join("shard2.jsonl");
        let b = graded("b.md", 3, 20.0);
        let lines = [&b, &b, &error("c.jsonl", 1)]
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&jsonl, format!("{lines}\n{{\"torn")).unwrap();
        let merged = merge_files(&[json, jsonl]).unwrap();
        let places: Vec<String> = merged.iter().map(|r| r.source.to_string()).collect();
        assert_eq!(places, ["a.md:1", "b.md:3", "c.jsonl:1"]);
    }

    #[test]
    fn foreign_files_are_input_errors_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        std::fs::write(&path, "{\"a\":1}\n").unwrap();
        let err = merge_files(&[&path]).unwrap_err();
        assert!(err.message.contains("x.jsonl:1"), "{err}");
    }
}
