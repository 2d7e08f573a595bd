//! The results file: every finished record appended as one JSON line and flushed at once, so a
//! killed run loses nothing it finished; `--resume` reads it back and skips what is done.
//!
//! A torn last line (the process died mid-write) is cut off and its answer graded again. Only
//! graded records count as done: error rows are retried, since the cause may have been fixed.
//! The runner further reuses a graded record only if it was graded the way the resuming run
//! grades (its `graded_with` fingerprint) and not left ungraded by the LLM judge.
//! The index holds a key and a file offset per record, not the records, so memory stays small.
//! Error rows are dropped from the file (rewritten whole, then renamed over it) before a resumed
//! run retries them, so each resume does not append the same error rows again.
//!
//! The file is locked ([`ResultsLock`]) before it is read or truncated, for the whole run.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::key::AnswerKey;
use super::lock::ResultsLock;
use super::record::{Record, Status};
use crate::InputError;

/// Appends records to the results file, one line each, written in one call.
#[derive(Debug)]
pub struct ResultsWriter {
    file: File,
    path: PathBuf,
    /// Held until the run ends.
    _lock: ResultsLock,
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

/// Opens the results file: locked against other runs, then truncated for a fresh run, or
/// indexed and repaired for `--resume`.
pub fn open(path: &Path, resume: bool) -> Result<(ResultsWriter, Previous), anyhow::Error> {
    let cannot = |e: std::io::Error| {
        InputError::new(format!("cannot open results file {}: {e}", path.display()))
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let lock = ResultsLock::acquire(path)?;
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
            _lock: lock,
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
    let mut error_rows = false;
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
                } else {
                    error_rows = true;
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
    if error_rows {
        // This run retries them and appends what it gets: drop the old ones first.
        drop_error_rows(path)?;
        return index(path);
    }
    Ok(Previous {
        offsets,
        reader: Some(BufReader::new(File::open(path)?)),
        path: path.to_path_buf(),
    })
}

/// Rewrites the results file without its error rows: a copy beside it, synced, then renamed
/// over it, so a kill at any moment leaves either the old file or the new one.
fn drop_error_rows(path: &Path) -> anyhow::Result<()> {
    let cannot = |e: std::io::Error| {
        InputError::new(format!(
            "cannot rewrite results file {}: {e}",
            path.display()
        ))
    };
    let text = std::fs::read(path).map_err(cannot)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut copy = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
    for line in text.split_inclusive(|&b| b == b'\n') {
        if parse(line).is_some_and(|r| r.status != Status::Graded) {
            continue;
        }
        copy.write_all(line).map_err(cannot)?;
    }
    let permissions = std::fs::metadata(path).map_err(cannot)?.permissions();
    copy.as_file()
        .set_permissions(permissions)
        .map_err(cannot)?;
    copy.as_file().sync_all().map_err(cannot)?;
    copy.persist(path).map_err(|e| cannot(e.error))?;
    Ok(())
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
        assert_eq!(
            text.lines().count(),
            2,
            "the error row is dropped before it is retried"
        );
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
