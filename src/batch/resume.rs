//! The results file: every finished record appended as one JSON line and flushed at once, so a
//! killed run loses nothing it finished; `--resume` reads it back and skips what is done.
//!
//! A torn last line (the process died mid-write) is cut off and its answer graded again. Only
//! graded records count as done: error rows are retried, since the cause may have been fixed.
//! The runner further reuses a graded record only if it was graded the way the resuming run
//! grades (its `graded_with` fingerprint) and not left ungraded by the LLM judge.
//! The index holds a key and a file offset per record, not the records, so memory stays small.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::key::AnswerKey;
use super::record::{Record, Status};
use crate::InputError;

/// Appends records to the results file, one line each, written in one call.
#[derive(Debug)]
pub struct ResultsWriter {
    file: File,
    path: PathBuf,
}

impl ResultsWriter {
    /// Appends one record and flushes it.
    pub fn append(&mut self, record: &Record) -> anyhow::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.flush())
            .map_err(|e| anyhow::anyhow!("cannot write results file {}: {e}", self.path.display()))
    }
}

/// Records an earlier run finished, found by key.
#[derive(Debug)]
pub struct Previous {
    offsets: HashMap<AnswerKey, u64>,
    reader: Option<BufReader<File>>,
    path: PathBuf,
}

impl Previous {
    /// No earlier records.
    pub fn none() -> Previous {
        Previous {
            offsets: HashMap::new(),
            reader: None,
            path: PathBuf::new(),
        }
    }

    /// How many graded records the earlier run left.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// The earlier graded record with this key, read back from the file.
    pub fn get(&mut self, key: AnswerKey) -> anyhow::Result<Option<Record>> {
        let (Some(&offset), Some(reader)) = (self.offsets.get(&key), self.reader.as_mut()) else {
            return Ok(None);
        };
        reader.seek(SeekFrom::Start(offset))?;
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let record = serde_json::from_str(&line).map_err(|e| {
            anyhow::anyhow!(
                "results file {} changed while reading: {e}",
                self.path.display()
            )
        })?;
        Ok(Some(record))
    }
}

/// Opens the results file: truncated for a fresh run, or indexed and repaired for `--resume`.
pub fn open(path: &Path, resume: bool) -> Result<(ResultsWriter, Previous), anyhow::Error> {
    let cannot = |e: std::io::Error| {
        InputError::new(format!("cannot open results file {}: {e}", path.display()))
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let previous = if resume && path.exists() {
        index(path)?
    } else {
        File::create(path).map_err(cannot)?;
        Previous::none()
    };
    let file = OpenOptions::new().append(true).open(path).map_err(cannot)?;
    Ok((
        ResultsWriter {
            file,
            path: path.to_path_buf(),
        },
        previous,
    ))
}

/// Indexes graded records by key and cuts off a torn last line.
fn index(path: &Path) -> anyhow::Result<Previous> {
    let file = File::open(path)?;
    let mut reader = BufReader::new(file);
    let mut offsets = HashMap::new();
    let mut offset = 0u64;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)? as u64;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = line.ends_with(b"\n");
        match parse(&line) {
            Some(record) if complete => {
                if record.status == Status::Graded {
                    if let Some(key) = AnswerKey::from_hex(&record.key) {
                        offsets.insert(key, offset);
                    }
                }
            }
            _ if !complete => {
                // The run died mid-write: drop the torn tail; its answer is graded again.
                OpenOptions::new().write(true).open(path)?.set_len(offset)?;
                break;
            }
            _ if line.iter().all(u8::is_ascii_whitespace) => {}
            _ => {
                return Err(InputError::new(format!(
                    "{}:{number}: not a hone batch record",
                    path.display()
                ))
                .with_hint("--results must name a file written by `hone batch`; pick another path")
                .into())
            }
        }
        offset += read;
    }
    Ok(Previous {
        offsets,
        reader: Some(BufReader::new(File::open(path)?)),
        path: path.to_path_buf(),
    })
}

fn parse(line: &[u8]) -> Option<Record> {
    serde_json::from_slice(line).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{AnswerItem, Source};
    use crate::grade::{Band, Grade};

    fn record(question: &str, graded: bool) -> Record {
        let item = AnswerItem {
            source: Source {
                file: "a.jsonl".into(),
                line: 1,
            },
            question: question.into(),
            answer: "answer".into(),
            candidate: None,
            reference: None,
            kind: None,
            fields: Default::default(),
        };
        let grade = Grade {
            question_id: question.into(),
            score: 50.0,
            band: Band::Partial,
            points: vec![],
            star: None,
            claim_errors: vec![],
            wrong_claims: vec![],
            flags: vec![],
            improvements: vec![],
            llm: None,
        };
        if graded {
            let info = crate::batch::record::QuestionInfo {
                id: question.into(),
                text: question.into(),
                section: "Ad hoc".into(),
                kind: crate::bank::Kind::Concept,
            };
            Record::graded(&item, &info, grade)
        } else {
            Record::answer_error(&item, None, "unknown".into())
        }
    }

    fn key(r: &Record) -> AnswerKey {
        AnswerKey::from_hex(&r.key).unwrap()
    }

    #[test]
    fn resume_finds_graded_records_and_cuts_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let (a, b, c) = (record("q1", true), record("q2", false), record("q3", true));
        {
            let (mut writer, previous) = open(&path, false).unwrap();
            assert!(previous.is_empty());
            writer.append(&a).unwrap();
            writer.append(&b).unwrap();
        }
        let torn = serde_json::to_string(&c).unwrap();
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&torn.as_bytes()[..torn.len() / 2]).unwrap();
        drop(file);

        let (mut writer, mut previous) = open(&path, true).unwrap();
        assert_eq!(previous.len(), 1, "only the graded, complete record counts");
        assert_eq!(previous.get(key(&a)).unwrap(), Some(a.clone()));
        assert_eq!(previous.get(key(&b)).unwrap(), None);
        writer.append(&c).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text
            .lines()
            .all(|l| serde_json::from_str::<Record>(l).is_ok()));
    }

    #[test]
    fn fresh_run_truncates_and_foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(&path, "hello\n").unwrap();
        assert!(open(&path, true).is_err());
        let (_writer, previous) = open(&path, false).unwrap();
        assert!(previous.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
    }
}
