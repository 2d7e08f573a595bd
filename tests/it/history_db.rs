//! The history database under another writer, damage, a read-only file and a mistyped `--db`:
//! hone waits for the lock (and says so), never drops a typed answer, finds flipped bytes before
//! writing, and names what is wrong.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use hone::bank::Kind;
use hone::grade::{Band, Coverage};
use hone::practice::attempt::PointResult;
use hone::practice::Attempt;

use crate::common::hone;

fn attempt(n: i64) -> Attempt {
    Attempt {
        candidate: "ada".into(),
        question_id: "pse/dsa/1".into(),
        bank: "pse".into(),
        section: "dsa".into(),
        kind: Kind::Concept,
        answer: format!(
            "answer number {n}: a hash map and a doubly linked list. {}",
            "x".repeat(300)
        ),
        score: 50.0,
        band: Band::Partial,
        points: vec![PointResult {
            label: "hash map".into(),
            coverage: Coverage::Covered,
            strength: 1.0,
        }],
        flags: vec![],
        star: None,
        grader_version: "test".into(),
        duration_ms: 1_000,
        answered_at_ms: 1_790_000_000_000 + n * 1_000,
    }
}

fn write_jsonl(path: &Path, attempts: &[Attempt]) {
    let text: String = attempts
        .iter()
        .map(|a| serde_json::to_string(a).unwrap() + "\n")
        .collect();
    std::fs::write(path, text).unwrap();
}

/// `hone history import FILE --db DB`; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = hone()
        .current_dir(dir)
        .env_remove("HONE_DB")
        .env("HONE_HOME", dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database `h.sqlite3` in `dir` holding `n` attempts.
fn db_with(dir: &Path, n: i64) {
    write_jsonl(
        &dir.join("seed.jsonl"),
        &(0..n).map(attempt).collect::<Vec<_>>(),
    );
    let (code, _, stderr) = run(
        dir,
        &["history", "import", "seed.jsonl", "--db", "h.sqlite3"],
    );
    assert_eq!(code, 0, "{stderr}");
}

fn exported(dir: &Path) -> usize {
    let (code, stdout, stderr) = run(dir, &["history", "export", "--db", "h.sqlite3"]);
    assert_eq!(code, 0, "{stderr}");
    stdout.lines().count()
}

#[test]
fn another_writer_is_waited_for_and_readers_are_not_blocked() {
    let dir = tempfile::tempdir().unwrap();
    db_with(dir.path(), 1);
    let other = rusqlite::Connection::open(dir.path().join("h.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    // Reading needs no write lock: export and progress work while the other writer holds it.
    assert_eq!(exported(dir.path()), 1);
    let (code, _, stderr) = run(dir.path(), &["progress", "--db", "h.sqlite3", "--all"]);
    assert_eq!(code, 0, "{stderr}");

    // A write waits, says so, and goes through once the other writer commits.
    write_jsonl(&dir.path().join("more.jsonl"), &[attempt(7)]);
    let mut child = crate::common::seal(&mut Command::new(assert_cmd::cargo::cargo_bin("hone")))
        .current_dir(dir.path())
        .args(["history", "import", "more.jsonl", "--db", "h.sqlite3"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
        if line.contains("being written by another process; waiting up to") {
            break;
        }
    }
    assert!(
        seen.contains("waiting up to"),
        "no note that it waits: {seen}"
    );
    other.execute_batch("COMMIT").unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(exported(dir.path()), 2);
}

#[test]
fn an_answer_typed_while_the_history_stays_locked_is_kept_in_a_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    db_with(dir.path(), 1);
    let other = rusqlite::Connection::open(dir.path().join("h.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = hone()
        .current_dir(dir.path())
        .env_remove("HONE_DB")
        .args([
            "practice",
            "--db",
            "h.sqlite3",
            "--candidate",
            "kim",
            "--id",
            "pse/dsa/1",
        ])
        .write_stdin("A hash map for lookups and a doubly linked list for recency.\n.\nq\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept = "h.sqlite3.unsaved.jsonl";
    assert!(
        stdout.contains(&format!("Your answer is kept in {kept}"))
            && stdout.contains(&format!("hone history import {kept}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("stayed locked by another process"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Saved 0 attempt(s)")
            && stdout.contains(
                "1 attempt(s) could not be saved there and are kept in h.sqlite3.unsaved.jsonl"
            ),
        "{stdout}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);

    let (code, stdout, stderr) = run(
        dir.path(),
        &["history", "import", kept, "--db", "h.sqlite3"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Imported 1 new attempt(s)"), "{stdout}");
    let (_, export, _) = run(
        dir.path(),
        &[
            "history",
            "export",
            "--db",
            "h.sqlite3",
            "--candidate",
            "kim",
        ],
    );
    assert!(
        export.contains("doubly linked list for recency"),
        "{export}"
    );
}

#[test]
fn flipped_bytes_are_found_on_open_and_the_file_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    db_with(dir.path(), 60);
    let path = dir.path().join("h.sqlite3");
    assert!(
        !dir.path().join("h.sqlite3-wal").exists(),
        "checkpointed on close"
    );
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() >= 5 * page, "several pages");
    // Flip the header of the last page (a b-tree page of the attempts table or an index).
    let last = bytes.len() - page;
    for b in &mut bytes[last..last + 12] {
        *b ^= 0xFF;
    }
    std::fs::write(&path, &bytes).unwrap();

    write_jsonl(&dir.path().join("more.jsonl"), &[attempt(99)]);
    for args in [
        &["history", "import", "more.jsonl", "--db", "h.sqlite3"][..],
        &["progress", "--db", "h.sqlite3", "--all"],
        &["history", "clear", "--db", "h.sqlite3", "--yes"],
    ] {
        let (code, _, stderr) = run(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("h.sqlite3 is damaged"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{args:?} left it untouched"
        );
    }
}

#[test]
fn a_mistyped_db_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["history", "export", "--db", "typo.sqlite3"][..],
        &["progress", "--db", "typo.sqlite3"],
        &["history", "clear", "--db", "typo.sqlite3", "--yes"],
    ] {
        let (code, _, stderr) = run(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("no history database at typo.sqlite3"),
            "{args:?}: {stderr}"
        );
        assert!(!dir.path().join("typo.sqlite3").exists(), "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_history_is_reported_as_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    db_with(dir.path(), 1);
    let path = dir.path().join("h.sqlite3");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    write_jsonl(&dir.path().join("more.jsonl"), &[attempt(5)]);
    let (code, _, stderr) = run(
        dir.path(),
        &["history", "import", "more.jsonl", "--db", "h.sqlite3"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("h.sqlite3 is read-only"), "{stderr}");
    assert!(!stderr.contains("not a readable"), "{stderr}");
}

/// The state of the main thread of process `pid` (`R`, `S`, …) from /proc.
#[cfg(target_os = "linux")]
fn main_thread_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // `pid (comm) S …`: the state follows the last `)`.
    stat[stat.rfind(')').unwrap() + 2..].chars().next().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_while_typing_keeps_the_unfinished_answer_and_says_where() {
    use std::io::Write;
    use std::os::fd::AsRawFd;

    let dir = tempfile::tempdir().unwrap();
    let mut child = crate::common::seal(&mut Command::new(assert_cmd::cargo::cargo_bin("hone")))
        .current_dir(dir.path())
        .args([
            "practice",
            "--db",
            "h.sqlite3",
            "--candidate",
            "kim",
            "--id",
            "pse/dsa/1",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"A hash map finds the node in O(1).\nA doubly linked list keeps the order.\n")
        .unwrap();
    stdin.flush().unwrap();
    // Wait (no clock involved) until hone has read both lines and blocks for the next one: the
    // pipe is empty and its main thread sleeps in read.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let mut unread: libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int for the pipe's fd.
        assert_eq!(
            unsafe { libc::ioctl(stdin.as_raw_fd(), libc::FIONREAD, &mut unread) },
            0
        );
        if unread == 0 && main_thread_state(child.id()) == 'S' {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "hone never read its input"
        );
        std::thread::yield_now();
    }
    // SAFETY: signalling our own child.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let kept = "h.sqlite3.unsaved-answers.md";
    assert!(
        stderr.contains(&format!(
            "your unfinished answer to pse/dsa/1 is kept in {kept}"
        )),
        "{stderr}"
    );
    let text = std::fs::read_to_string(dir.path().join(kept)).unwrap();
    assert_eq!(
        text,
        "# pse/dsa/1\n\nA hash map finds the node in O(1).\nA doubly linked list keeps the order.\n\n"
    );
    // The kept file is a Markdown answer file that `hone batch` grades.
    let (code, stdout, stderr) = run(dir.path(), &["batch", kept, "--format", "json", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("\"question_id\": \"pse/dsa/1\""),
        "{stdout}"
    );
}
