//! The attempt history: a local SQLite database (WAL), one row per graded attempt.
//!
//! Each attempt is committed the moment it is recorded, so a crash or kill loses nothing already
//! graded. A schema version table guards the file: a corrupt file, some other program's database
//! or one written by a newer hone is reported with its path and never written to. Opening runs
//! SQLite's `quick_check`, so damaged pages are found before anything is written; a read-only
//! file is reported as read-only, and the read-only commands never create a missing file.
//!
//! Another process writing the database makes hone wait (up to [`BUSY_WAIT`], saying so once
//! through [`on_busy_wait`]) rather than fail: the busy handler is in force from the moment the file is opened,
//! and writes take the write lock up front (`BEGIN IMMEDIATE`), where SQLite can wait for it.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};

use super::attempt::Attempt;

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

/// What tells the user that hone is waiting for another writer (set by the front end).
static BUSY_NOTICE: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Sets how the user is told, once per wait, that hone waits for another process to finish
/// writing the database (the CLI prints it on stderr). The first call wins.
pub fn on_busy_wait(notice: fn(&str)) {
    let _ = BUSY_NOTICE.set(notice);
}

/// How long a command waits for another process to finish writing the database.
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The pause between tries while the database is busy.
const BUSY_STEP_MS: u64 = 20;

/// File name of the database inside the hone home folder.
pub const DB_FILE_NAME: &str = "history.sqlite3";

/// What can go wrong with the history database; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file exists but SQLite cannot read it as a database.
    #[error("{path} is not a readable hone history database ({reason}); it was left untouched — move it aside or pass --db PATH to use another file")]
    Unreadable {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// SQLite's integrity check found damage.
    #[error("{path} is damaged ({reason}); it was left untouched — restore it from a backup, or move it aside (`sqlite3 FILE .recover` may save what is intact) and pass --db PATH to use another file")]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// The first problem `quick_check` reported.
        reason: String,
    },
    /// The file (or its folder) cannot be written.
    #[error("{path} is read-only; hone needs to write to its history — make it writable (e.g. `chmod u+w {path}`) or pass --db PATH to use another file")]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// A read-only command was pointed at a file that does not exist.
    #[error("no history database at {path}; check the --db path or HONE_DB (`hone practice` and `hone history import` create it)")]
    Missing {
        /// The database file.
        path: PathBuf,
    },
    /// Another process kept the database locked for longer than hone waits.
    #[error("history database {path} stayed locked by another process for {seconds} s; close the other hone (or SQLite tool) using it and try again")]
    Busy {
        /// The database file.
        path: PathBuf,
        /// How long hone waited.
        seconds: u64,
    },
    /// A SQLite database, but not one hone made.
    #[error("{path} is a SQLite database but not a hone history (no hone_schema table); it was left untouched — pass --db PATH to use another file")]
    NotHistory {
        /// The database file.
        path: PathBuf,
    },
    /// Written by a newer hone with a schema this build does not know.
    #[error("{path} was written by a newer hone (history schema v{found}; this hone reads up to v{supported}); it was left untouched — upgrade hone or pass --db PATH")]
    Newer {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The folder for the database could not be created.
    #[error("cannot create the folder for {path}: {source}")]
    Folder {
        /// The database file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Any other SQLite failure while reading or writing.
    #[error("history database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A stored row that cannot be decoded (hand-edited database).
    #[error("history database {path}: attempt {row} is damaged ({reason})")]
    BadRow {
        /// The database file.
        path: PathBuf,
        /// The row id.
        row: i64,
        /// What is wrong.
        reason: String,
    },
}

/// The attempt history of one database file.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: PathBuf,
}

const CREATE_TABLES: &str = "
CREATE TABLE IF NOT EXISTS hone_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id             INTEGER PRIMARY KEY,
    candidate      TEXT    NOT NULL,
    question_id    TEXT    NOT NULL,
    bank           TEXT    NOT NULL,
    section        TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    answer         TEXT    NOT NULL,
    score          REAL    NOT NULL,
    band           TEXT    NOT NULL,
    coverage_json  TEXT    NOT NULL,
    flags_json     TEXT    NOT NULL,
    star_json      TEXT,
    grader_version TEXT    NOT NULL,
    duration_ms    INTEGER NOT NULL,
    answered_at_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_identity
    ON attempts (candidate, question_id, answered_at_ms, answer);
CREATE INDEX IF NOT EXISTS attempts_by_candidate ON attempts (candidate, answered_at_ms);
";

impl History {
    /// Opens (creating when absent) the history database at `path`.
    ///
    /// An existing file is checked before anything is written to it.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| HistoryError::Folder {
                path: path.to_path_buf(),
                source,
            })?;
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens the history database at `path`, which must exist (for commands that only read
    /// it or delete from it: a mistyped `--db` must not leave an empty database behind).
    pub fn open_existing(path: &Path) -> Result<History, HistoryError> {
        if !path.exists() {
            return Err(HistoryError::Missing {
                path: path.to_path_buf(),
            });
        }
        Self::open_with(path, OpenFlags::empty())
    }

    fn open_with(path: &Path, create: OpenFlags) -> Result<History, HistoryError> {
        let read_only = || HistoryError::ReadOnly {
            path: path.to_path_buf(),
        };
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
            return Err(read_only());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | create | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| unreadable(path, &e))?;
        // Before the first statement: every read and write below waits for another writer.
        conn.busy_handler(Some(wait_while_busy))
            .map_err(|e| unreadable(path, &e))?;
        if conn
            .is_readonly(rusqlite::MAIN_DB)
            .map_err(|e| unreadable(path, &e))?
        {
            return Err(read_only());
        }
        let history = History {
            conn,
            path: path.to_path_buf(),
        };
        history.check_existing()?;
        history.initialise()?;
        Ok(history)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuses a file that is not a hone history of a version this build reads.
    fn check_existing(&self) -> Result<(), HistoryError> {
        let path = &self.path;
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut stmt| {
                stmt.query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(|e| unreadable(path, &e))?;
        if tables.is_empty() {
            return Ok(());
        }
        if !tables.iter().any(|t| t == "hone_schema") {
            return Err(HistoryError::NotHistory { path: path.clone() });
        }
        let found: Option<i64> = self
            .conn
            .query_row("SELECT MAX(version) FROM hone_schema", [], |row| row.get(0))
            .map_err(|e| unreadable(path, &e))?;
        if let Some(v) = found.filter(|&v| v > SCHEMA_VERSION) {
            return Err(HistoryError::Newer {
                path: path.clone(),
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        self.check_integrity()
    }

    /// SQLite's `quick_check` (page and record structure, O(size of the file)): damage is
    /// reported before anything is written.
    fn check_integrity(&self) -> Result<(), HistoryError> {
        let path = &self.path;
        let damaged = |reason: String| HistoryError::Damaged {
            path: path.clone(),
            reason,
        };
        let first: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if first == "ok" {
            Ok(())
        } else {
            Err(damaged(
                first
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect(),
            ))
        }
    }

    /// Switches to WAL and creates the tables of a new database; an existing, current one is
    /// not written to at all (so reading it never waits for the write lock).
    fn initialise(&self) -> Result<(), HistoryError> {
        let sql = |e| self.sqlite(e);
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(sql)?;
        }
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let current: bool = self
            .conn
            .query_row(
                "SELECT COUNT(*) = 2 FROM sqlite_master WHERE type = 'table'
                   AND name IN ('hone_schema', 'attempts')",
                [],
                |row| row.get(0),
            )
            .map_err(sql)?;
        if current {
            return Ok(());
        }
        self.conn
            .execute_batch(&format!(
                "BEGIN IMMEDIATE; {CREATE_TABLES}
                 INSERT INTO hone_schema (version)
                   SELECT {SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM hone_schema);
                 COMMIT;"
            ))
            .map_err(sql)
    }

    fn sqlite(&self, source: rusqlite::Error) -> HistoryError {
        let busy = matches!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        let read_only = source.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly);
        if busy {
            HistoryError::Busy {
                path: self.path.clone(),
                seconds: BUSY_WAIT.as_secs(),
            }
        } else if read_only {
            HistoryError::ReadOnly {
                path: self.path.clone(),
            }
        } else {
            HistoryError::Sqlite {
                path: self.path.clone(),
                source,
            }
        }
    }

    /// Stores one attempt and commits it; returns false when an identical attempt was there.
    pub fn record(&self, attempt: &Attempt) -> Result<bool, HistoryError> {
        let json = |v: serde_json::Result<String>| v.unwrap_or_else(|_| "null".to_string());
        let inserted = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO attempts (candidate, question_id, bank, section, kind, answer,
                   score, band, coverage_json, flags_json, star_json, grader_version, duration_ms,
                   answered_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    attempt.candidate,
                    attempt.question_id,
                    attempt.bank,
                    attempt.section,
                    attempt.kind.as_str(),
                    attempt.answer,
                    attempt.score,
                    json(serde_json::to_string(&attempt.band)),
                    json(serde_json::to_string(&attempt.points)),
                    json(serde_json::to_string(&attempt.flags)),
                    attempt
                        .star
                        .as_ref()
                        .map(|s| json(serde_json::to_string(s))),
                    attempt.grader_version,
                    i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX),
                    attempt.answered_at_ms,
                ],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(inserted == 1)
    }

    /// Stores many attempts in one transaction; returns how many were new.
    pub fn import(&mut self, attempts: &[Attempt]) -> Result<usize, HistoryError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.sqlite(e))?;
        let mut added = 0;
        for attempt in attempts {
            match self.record(attempt) {
                Ok(true) => added += 1,
                Ok(false) => {}
                Err(err) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(err);
                }
            }
        }
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| self.sqlite(e))?;
        Ok(added)
    }

    /// Every attempt (of `candidate`, or of everyone), oldest first.
    pub fn attempts(&self, candidate: Option<&str>) -> Result<Vec<Attempt>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, candidate, question_id, bank, section, kind, answer, score, band,
                        coverage_json, flags_json, star_json, grader_version, duration_ms,
                        answered_at_ms
                 FROM attempts WHERE ?1 IS NULL OR candidate = ?1
                 ORDER BY answered_at_ms, id",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = stmt
            .query_map([candidate], RawRow::read)
            .map_err(|e| self.sqlite(e))?;
        let mut out = Vec::new();
        for row in rows {
            let raw = row.map_err(|e| self.sqlite(e))?;
            out.push(raw.decode(&self.path)?);
        }
        Ok(out)
    }

    /// The candidates with attempts, alphabetically.
    pub fn candidates(&self) -> Result<Vec<String>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT candidate FROM attempts ORDER BY candidate")
            .map_err(|e| self.sqlite(e))?;
        let names = stmt
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
            .map_err(|e| self.sqlite(e))?;
        Ok(names)
    }

    /// Deletes the attempts of `candidate` (or everyone's); returns how many went.
    pub fn clear(&self, candidate: Option<&str>) -> Result<usize, HistoryError> {
        self.conn
            .execute(
                "DELETE FROM attempts WHERE ?1 IS NULL OR candidate = ?1",
                [candidate],
            )
            .map_err(|e| self.sqlite(e))
    }

    /// How many attempts are stored (of `candidate`, or of everyone).
    pub fn count(&self, candidate: Option<&str>) -> Result<usize, HistoryError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM attempts WHERE ?1 IS NULL OR candidate = ?1",
                [candidate],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.sqlite(e))
    }
}

/// SQLite's busy handler: says once (through [`on_busy_wait`]) that hone is waiting, then
/// retries every [`BUSY_STEP_MS`] until [`BUSY_WAIT`] has passed.
fn wait_while_busy(tries: i32) -> bool {
    if tries == 0 {
        if let Some(notice) = BUSY_NOTICE.get() {
            notice(&format!(
                "note: the history database is being written by another process; waiting up to {} s…",
                BUSY_WAIT.as_secs()
            ));
        }
    }
    let waited_ms = u64::try_from(tries).unwrap_or(0) * BUSY_STEP_MS;
    if u128::from(waited_ms) >= BUSY_WAIT.as_millis() {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(BUSY_STEP_MS));
    true
}

fn unreadable(path: &Path, err: &rusqlite::Error) -> HistoryError {
    if matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ) {
        return HistoryError::Busy {
            path: path.to_path_buf(),
            seconds: BUSY_WAIT.as_secs(),
        };
    }
    HistoryError::Unreadable {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

/// One row as SQLite returns it, before the JSON columns are decoded.
struct RawRow {
    id: i64,
    candidate: String,
    question_id: String,
    bank: String,
    section: String,
    kind: String,
    answer: String,
    score: f64,
    band: String,
    coverage_json: String,
    flags_json: String,
    star_json: Option<String>,
    grader_version: String,
    duration_ms: i64,
    answered_at_ms: i64,
}

impl RawRow {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow {
            id: row.get(0)?,
            candidate: row.get(1)?,
            question_id: row.get(2)?,
            bank: row.get(3)?,
            section: row.get(4)?,
            kind: row.get(5)?,
            answer: row.get(6)?,
            score: row.get(7)?,
            band: row.get(8)?,
            coverage_json: row.get(9)?,
            flags_json: row.get(10)?,
            star_json: row.get(11)?,
            grader_version: row.get(12)?,
            duration_ms: row.get(13)?,
            answered_at_ms: row.get(14)?,
        })
    }

    fn decode(self, path: &Path) -> Result<Attempt, HistoryError> {
        let bad = |reason: String| HistoryError::BadRow {
            path: path.to_path_buf(),
            row: self.id,
            reason,
        };
        let kind = serde_json::from_value(serde_json::Value::String(self.kind.clone()))
            .map_err(|_| bad(format!("unknown kind `{}`", self.kind)))?;
        let band = serde_json::from_str(&self.band).map_err(|e| bad(format!("band: {e}")))?;
        let points =
            serde_json::from_str(&self.coverage_json).map_err(|e| bad(format!("coverage: {e}")))?;
        let flags =
            serde_json::from_str(&self.flags_json).map_err(|e| bad(format!("flags: {e}")))?;
        let star = match &self.star_json {
            Some(text) => Some(serde_json::from_str(text).map_err(|e| bad(format!("star: {e}")))?),
            None => None,
        };
        Ok(Attempt {
            candidate: self.candidate,
            question_id: self.question_id,
            bank: self.bank,
            section: self.section,
            kind,
            answer: self.answer,
            score: self.score,
            band,
            points,
            flags,
            star,
            grader_version: self.grader_version,
            duration_ms: u64::try_from(self.duration_ms).unwrap_or(0),
            answered_at_ms: self.answered_at_ms,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::grade::{Band, Coverage, Flag};
    use crate::practice::attempt::{PointResult, StarSummary};

    /// A hand-built attempt for tests.
    pub(crate) fn attempt(question_id: &str, score: f64, at_ms: i64) -> Attempt {
        let mut parts = question_id.split('/');
        Attempt {
            candidate: "ada".into(),
            question_id: question_id.into(),
            bank: parts.next().unwrap_or("pse").into(),
            section: parts.next().unwrap_or("dsa").into(),
            kind: Kind::Concept,
            answer: format!("answer at {at_ms}"),
            score,
            band: Band::Partial,
            points: vec![
                PointResult {
                    label: "hash map".into(),
                    coverage: Coverage::Covered,
                    strength: 1.0,
                },
                PointResult {
                    label: "eviction order".into(),
                    coverage: Coverage::Missing,
                    strength: 0.0,
                },
            ],
            flags: vec![],
            star: None,
            grader_version: "test".into(),
            duration_ms: 61_000,
            answered_at_ms: at_ms,
        }
    }

    #[test]
    fn a_fresh_file_is_created_and_attempts_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/history.sqlite3");
        let history = History::open(&path).unwrap();
        let mode: String = history
            .conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let mut first = attempt("pse/dsa/1", 40.0, 1_000);
        first.flags.push(Flag {
            code: "question_pasted".into(),
            message: "copied".into(),
        });
        first.star = Some(StarSummary {
            measurable_result: false,
            first_person_share: 0.2,
            weak_parts: vec![crate::rubric::StarPart::Result],
        });
        assert!(history.record(&first).unwrap());
        assert!(history.record(&attempt("pse/dsa/2", 90.0, 2_000)).unwrap());
        // The same attempt twice is stored once.
        assert!(!history.record(&first).unwrap());
        drop(history);

        let history = History::open(&path).unwrap();
        let all = history.attempts(None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], first);
        assert_eq!(history.attempts(Some("nobody")).unwrap().len(), 0);
        assert_eq!(history.candidates().unwrap(), vec!["ada".to_string()]);
    }

    #[test]
    fn a_corrupt_file_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let garbage = b"this is not a database, it is a shopping list\n".repeat(200);
        std::fs::write(&path, &garbage).unwrap();
        let err = History::open(&path).unwrap_err();
        assert!(matches!(err, HistoryError::Unreadable { .. }), "{err:?}");
        assert!(err.to_string().contains(&path.display().to_string()));
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE hone_schema (version INTEGER); INSERT INTO hone_schema VALUES (99);",
            )
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = History::open(&path).unwrap_err();
        assert!(
            matches!(err, HistoryError::Newer { found: 99, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer hone"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE recipes (name TEXT);")
            .unwrap();
        let err = History::open(&path).unwrap_err();
        assert!(matches!(err, HistoryError::NotHistory { .. }), "{err:?}");
    }

    #[test]
    fn import_skips_duplicates_and_clear_removes_one_candidate() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let mut bob = attempt("pse/dsa/1", 70.0, 5_000);
        bob.candidate = "bob".into();
        let batch = vec![attempt("pse/dsa/1", 50.0, 1_000), bob.clone()];
        assert_eq!(history.import(&batch).unwrap(), 2);
        assert_eq!(history.import(&batch).unwrap(), 0);
        assert_eq!(history.clear(Some("bob")).unwrap(), 1);
        assert_eq!(history.count(None).unwrap(), 1);
        assert_eq!(history.clear(None).unwrap(), 1);
        assert_eq!(history.count(None).unwrap(), 0);
    }
}
