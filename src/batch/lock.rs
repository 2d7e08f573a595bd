//! One run at a time per results file: an exclusive advisory lock (fs4) on `<results>.lock`
//! beside it, held until the run ends, so two `--resume` runs on one file cannot both grade the
//! remaining answers. The lock file also names its holder (pid, host, start time) for the error
//! the second run prints. The operating system drops the lock when the holder exits, even under
//! `kill -9`; the file itself is left in place (removing it would race with a run opening it).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fs4::{FileExt, TryLockError};

use crate::InputError;

/// A held lock on a results file; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct ResultsLock {
    file: File,
    path: PathBuf,
}

impl ResultsLock {
    /// Takes the lock for `results`, or fails at once naming the run that holds it.
    pub fn acquire(results: &Path) -> Result<ResultsLock, InputError> {
        let path = lock_path(results);
        let cannot = |e: std::io::Error| {
            InputError::new(format!("cannot open lock file {}: {e}", path.display()))
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(cannot)?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = describe_holder(&holder);
                return Err(InputError::new(format!(
                    "results file {} is in use by another hone run ({holder})",
                    results.display()
                ))
                .with_hint(format!(
                    "wait for that run to finish, or pass another --results file (the lock is {})",
                    path.display()
                )));
            }
            Err(TryLockError::Error(e)) => return Err(cannot(e)),
        }
        // Ours now: say who holds it, for the next run that finds it taken.
        let started = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
        let host = gethostname::gethostname();
        let note = format!(
            "pid {} on host {}, started {started}\n",
            std::process::id(),
            host.to_string_lossy()
        );
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(note.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(cannot)?;
        Ok(ResultsLock { file, path })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ResultsLock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

/// The holder's note as one printable line (the file could hold anything).
fn describe_holder(note: &str) -> String {
    let line: String = note
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    match line.trim() {
        "" => "a run that is just starting".to_string(),
        line => line.to_string(),
    }
}

/// `results.jsonl` → `results.jsonl.lock`, in the same folder.
pub fn lock_path(results: &Path) -> PathBuf {
    let mut name = results.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    results.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_holder_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let results = dir.path().join("r.jsonl");
        let first = ResultsLock::acquire(&results).unwrap();
        assert_eq!(first.path(), dir.path().join("r.jsonl.lock"));
        let err = ResultsLock::acquire(&results).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "in use by another hone run (pid {} on host ",
                std::process::id()
            )),
            "{err}"
        );
        drop(first);
        ResultsLock::acquire(&results).expect("free again once dropped");
    }
}
