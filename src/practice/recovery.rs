//! Typed answers that could not reach the history database are never dropped: graded ones go to
//! a recovery file beside it, `<db>.unsaved.jsonl`, one attempt per line in the format of
//! `hone history export`, so `hone history import <file>` adds them later; an answer cut off by
//! Ctrl-C before it was graded goes to `<db>.unsaved-answers.md`, a Markdown answer file (one
//! `# <question id>` heading per answer) that `hone batch` grades. When the folder cannot be
//! written either, the file goes to the system's temporary folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::attempt::Attempt;

/// The recovery file for the database at `db`.
pub fn recovery_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".unsaved.jsonl");
    db.with_file_name(name)
}

/// The file for answers cut off before they were graded, for the database at `db`.
pub fn drafts_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".unsaved-answers.md");
    db.with_file_name(name)
}

/// Appends `attempt` to the recovery file of `db` (or one in the temporary folder); returns
/// the file it went to.
pub fn keep(db: &Path, attempt: &Attempt) -> std::io::Result<PathBuf> {
    let mut line = serde_json::to_string(attempt)?;
    line.push('\n');
    append_somewhere(recovery_path(db), "unsaved.jsonl", line.as_bytes())
}

/// Appends an ungraded answer to `question_id` to the drafts file of `db` (or one in the
/// temporary folder); returns the file it went to.
pub fn keep_draft(db: &Path, question_id: &str, text: &str) -> std::io::Result<PathBuf> {
    let section = format!("# {question_id}\n\n{}\n\n", text.trim_end());
    append_somewhere(drafts_path(db), "unsaved-answers.md", section.as_bytes())
}

fn append_somewhere(path: PathBuf, suffix: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let fallback = std::env::temp_dir().join(format!("hone-{}.{suffix}", std::process::id()));
    let mut last_error = None;
    for path in [path, fallback] {
        match append(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no place to keep the answer")))
}

fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::history::tests::attempt;

    #[test]
    fn kept_attempts_read_back_as_an_export() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.sqlite3");
        let (a, b) = (attempt("pse/dsa/1", 40.0, 1), attempt("pse/dsa/2", 60.0, 2));
        assert_eq!(
            keep(&db, &a).unwrap(),
            dir.path().join("history.sqlite3.unsaved.jsonl")
        );
        keep(&db, &b).unwrap();
        let text = std::fs::read_to_string(recovery_path(&db)).unwrap();
        let back: Vec<Attempt> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, vec![a, b]);
    }
}
