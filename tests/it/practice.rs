//! Practice, history and progress end to end: fresh machines, damaged databases, JSONL
//! export/import, the HTML progress page in headless Chromium, and the interactive loop in tmux.

use std::path::{Path, PathBuf};

use hone::bank::Kind;
use hone::grade::{Band, Coverage};
use hone::practice::attempt::{PointResult, StarSummary};
use hone::practice::Attempt;

use crate::common::hone;

/// `hone` with a private, empty HONE_HOME and no HONE_DB from the environment.
fn hone_at(home: &Path) -> assert_cmd::Command {
    let mut cmd = hone();
    cmd.env("HONE_HOME", home).env_remove("HONE_DB");
    cmd
}

fn db_in(home: &Path) -> PathBuf {
    home.join("history.sqlite3")
}

fn attempt(question_id: &str, score: f64, day: i64, covered: bool) -> Attempt {
    let mut parts = question_id.split('/');
    let bank = parts.next().unwrap().to_string();
    let section = parts.next().unwrap().to_string();
    let behavioural = section == "behavioural";
    Attempt {
        candidate: "ada".into(),
        question_id: question_id.into(),
        bank,
        section,
        kind: if behavioural {
            Kind::Behavioural
        } else {
            Kind::Concept
        },
        answer: format!("answer on day {day} <b>bold</b>"),
        score,
        band: Band::Partial,
        points: vec![
            PointResult {
                label: "consistent hashing".into(),
                coverage: Coverage::Covered,
                strength: 1.0,
            },
            PointResult {
                label: "replication <lag>".into(),
                coverage: if covered {
                    Coverage::Covered
                } else {
                    Coverage::Missing
                },
                strength: 0.0,
            },
        ],
        flags: vec![],
        star: behavioural.then(|| StarSummary {
            measurable_result: false,
            first_person_share: 0.1,
            weak_parts: vec![],
        }),
        grader_version: "test".into(),
        duration_ms: 90_000,
        answered_at_ms: 1_790_000_000_000 + day * 86_400_000,
    }
}

fn write_jsonl(path: &Path, attempts: &[Attempt]) {
    let text: String = attempts
        .iter()
        .map(|a| serde_json::to_string(a).unwrap() + "\n")
        .collect();
    std::fs::write(path, text).unwrap();
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A home with ada's attempts imported.
fn home_with_attempts() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("in.jsonl");
    write_jsonl(
        &file,
        &[
            attempt("pse/design/1", 35.0, 0, false),
            attempt("pse/design/1", 72.0, 1, true),
            attempt("pse/dsa/2", 20.0, 2, false),
            attempt("fde/behavioural/1", 55.0, 3, false),
        ],
    );
    let out = hone_at(home.path())
        .args(["history", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Imported 4 new attempt(s)"),
        "{}",
        stdout(&out)
    );
    home
}

#[test]
fn a_fresh_home_works_without_configuration() {
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().join("not/yet/there");
    let out = hone_at(&home_path)
        .args(["progress", "--candidate", "ada"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("No attempts yet"), "{}", stdout(&out));
    assert!(db_in(&home_path).exists(), "database created in HONE_HOME");
}

#[test]
fn export_then_import_round_trips_and_skips_duplicates() {
    let home = home_with_attempts();
    let out = hone_at(home.path())
        .args(["history", "export"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = stdout(&out);
    assert_eq!(exported.lines().count(), 4);
    let first: Attempt = serde_json::from_str(exported.lines().next().unwrap()).unwrap();
    assert_eq!(first, attempt("pse/design/1", 35.0, 0, false));

    // Into a second database: all new; again: all duplicates.
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("export.jsonl");
    std::fs::write(&file, &exported).unwrap();
    for expected in ["Imported 4 new", "Imported 0 new"] {
        let out = hone_at(other.path())
            .args(["history", "import"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(stdout(&out).contains(expected), "{}", stdout(&out));
    }
}

#[test]
fn a_bad_import_line_is_named_and_nothing_is_imported() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("bad.jsonl");
    let good = serde_json::to_string(&attempt("pse/dsa/1", 50.0, 0, true)).unwrap();
    std::fs::write(&file, format!("{good}\n{{\"candidate\": 3}}\n")).unwrap();
    let out = hone_at(home.path())
        .args(["history", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert_input_error(&out, "bad.jsonl:2:");
    let out = hone_at(home.path())
        .args(["history", "export"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
}

#[test]
fn clear_asks_first_and_yes_skips_the_question() {
    let home = home_with_attempts();
    let out = hone_at(home.path())
        .args(["history", "clear"])
        .write_stdin("no\n")
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("Type `yes` to confirm"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("Nothing deleted"));
    let out = hone_at(home.path())
        .args(["history", "clear", "--yes"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("Deleted 4 attempt(s)"),
        "{}",
        stdout(&out)
    );
    let out = hone_at(home.path())
        .args(["history", "export"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
}

#[test]
fn clear_takes_only_the_whole_word_yes() {
    let home = home_with_attempts();
    for reply in ["y\n", "ye\n", "yes please\n"] {
        let out = hone_at(home.path())
            .args(["history", "clear"])
            .write_stdin(reply)
            .output()
            .unwrap();
        assert!(stdout(&out).contains("Nothing deleted"), "{reply:?}");
    }
    let out = hone_at(home.path())
        .args(["history", "clear"])
        .write_stdin("YES\n")
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("Deleted 4 attempt(s)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_non_utf8_import_line_is_named() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("latin1.jsonl");
    let good = serde_json::to_string(&attempt("pse/dsa/1", 50.0, 0, true)).unwrap();
    let mut bytes = format!("{good}\n").into_bytes();
    bytes.extend_from_slice(b"{\"candidate\": \"Ren\xe9\"}\n");
    std::fs::write(&file, bytes).unwrap();
    let out = hone_at(home.path())
        .args(["history", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert_input_error(&out, "latin1.jsonl:2: not UTF-8 text");
}

#[test]
fn progress_reports_groups_missed_points_and_star_habits() {
    let home = home_with_attempts();
    let out = hone_at(home.path())
        .args(["progress", "--candidate", "ada"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("4 attempts on 3 questions"), "{text}");
    assert!(text.contains("best 72"), "{text}");
    assert!(
        text.contains("pse/design") || text.contains("design"),
        "{text}"
    );
    assert!(text.contains("replication <lag>"), "{text}");
    assert!(text.contains("rarely quantified"), "{text}");

    let out = hone_at(home.path())
        .args([
            "progress",
            "--candidate",
            "ada",
            "--format",
            "json",
            "--bank",
            "pse",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["overall"]["attempts"], 3);
    assert_eq!(
        json["overall"]["trend"],
        serde_json::json!([35.0, 72.0, 20.0])
    );
    assert_eq!(json["banks"][0]["key"], "pse");
}

#[test]
fn the_html_progress_page_renders_in_chromium_without_console_errors() {
    let home = home_with_attempts();
    let html = home.path().join("progress.html");
    let out = hone_at(home.path())
        .args(["progress", "--candidate", "ada", "--html"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("replication &lt;lag&gt;"), "label escaped");
    assert!(page.contains("<svg"));
    let png = home.path().join("progress.png");
    let Some(run) = crate::browser::screenshot(&html, &png) else {
        return;
    };
    assert!(run.console_errors.is_empty(), "{:?}", run.console_errors);
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(size > 10_000, "screenshot looks empty ({size} bytes)");
}

/// Runs `hone progress` on `db` and checks it fails with exit 2, names the file, and leaves it be.
fn refused_untouched(db: &Path, expect: &str) {
    let before = std::fs::read(db).unwrap();
    let out = hone().args(["progress", "--db"]).arg(db).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains(expect), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert_eq!(std::fs::read(db).unwrap(), before, "file changed");
    let out = hone()
        .args(["history", "clear", "--yes", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(db).unwrap(), before, "clear changed the file");
}

#[test]
fn a_corrupt_database_gives_one_clear_line_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    std::fs::write(&db, "SQLite format 3\0 but then garbage ".repeat(300)).unwrap();
    refused_untouched(&db, "not a readable hone history");
}

#[test]
fn a_newer_version_database_gives_one_clear_line_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE hone_schema (version INTEGER NOT NULL);
             INSERT INTO hone_schema VALUES (7);
             CREATE TABLE attempts (id INTEGER PRIMARY KEY, future TEXT);",
        )
        .unwrap();
    }
    refused_untouched(&db, "newer hone");
}

#[test]
fn coach_writes_a_study_plan_from_history() {
    let home = home_with_attempts();
    let plan_file = home.path().join("plan.md");
    let out = hone_at(home.path())
        .args(["coach", "--candidate", "ada", "--out"])
        .arg(&plan_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = std::fs::read_to_string(&plan_file).unwrap();
    // pse/dsa (80 points to gain) before fde/behavioural (45) before pse/design (28).
    let order: Vec<usize> = ["`pse/dsa`", "`fde/behavioural`", "`pse/design`"]
        .iter()
        .map(|k| {
            plan.find(k)
                .unwrap_or_else(|| panic!("{k} missing: {plan}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{plan}");
    assert!(
        plan.contains("replication &lt;lag&gt; (missed in pse/dsa/2)"),
        "{plan}"
    );
    assert!(plan.contains("rarely quantified"), "{plan}");
}

#[test]
fn coach_writes_labels_from_imported_history_as_text_not_html() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("in.jsonl");
    let mut hostile = attempt("pse/dsa/2", 20.0, 0, false);
    hostile.candidate = "ada <script>alert(1)</script>".into();
    hostile.points[1].label =
        "<img src=x onerror=alert(1)> [click](https://evil.example) @octocat".into();
    write_jsonl(&file, &[hostile]);
    let import = hone_at(home.path())
        .args(["history", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", stderr(&import));
    let plan_file = home.path().join("plan.md");
    let out = hone_at(home.path())
        .args([
            "coach",
            "--candidate",
            "ada <script>alert(1)</script>",
            "-o",
        ])
        .arg(&plan_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = std::fs::read_to_string(&plan_file).unwrap();
    assert!(plan.contains("&lt;img src=x"), "{plan}");
    for live in ["<img", "<script", "](", "@octocat"] {
        assert!(
            !plan.contains(live),
            "`{live}` is live in the plan:\n{plan}"
        );
    }
}

#[test]
fn coach_reads_batch_results_and_names_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("results.json");
    std::fs::write(&bad, "not json").unwrap();
    let out = hone_at(dir.path()).arg("coach").arg(&bad).output().unwrap();
    assert_input_error(&out, "results.json");
}

/// Asserts that hone stopped on bad input: exit code 2 and `needle` in its error message.
fn assert_input_error(out: &std::process::Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains(needle), "{}", stderr(out));
}

/// A `hone` command line for a shell (tmux runs it), with a private home and no colour.
fn shell_command(home: &Path, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("hone");
    format!(
        "{} HONE_HOME='{}' '{}' {args}",
        crate::common::sealed_env_prefix(),
        home.display(),
        bin.display()
    )
}

/// A private tmux server running one command in a 120×50 pane.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` in a detached session; `None` (with a note) when tmux is not installed.
    fn start(command: &str) -> Option<Tmux> {
        if std::process::Command::new("tmux")
            .arg("-V")
            .output()
            .is_err()
        {
            eprintln!(
                "skipping: tmux is not installed (scripts/install-test-tools.sh installs it)"
            );
            return None;
        }
        let tmux = Tmux {
            socket: format!(
                "hone-test-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            )
            .replace(['(', ')'], ""),
        };
        // Keep the pane after hone exits so its last screen can be read.
        let wrapped = format!("{command}; echo \"hone exited with $?\"; sleep 60");
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "50",
            &wrapped,
        ]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// Types `text` literally, then presses Enter.
    fn type_line(&self, text: &str) {
        if !text.is_empty() {
            self.run(&["send-keys", "-t", "t", "-l", "--", text]);
        }
        self.run(&["send-keys", "-t", "t", "Enter"]);
    }

    /// The pane's text, scrollback included.
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t", "-S", "-2000", "-J"])
    }

    /// Waits until `needle` shows `times` times on the screen (20 s at most).
    fn wait_for(&self, needle: &str, times: usize) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.matches(needle).count() >= times {
                return screen;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "`{needle}` (×{times}) never showed; screen:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The first bundled question of the `pse` bank, as practice will pick it.
fn first_pse_question() -> hone::bank::Question {
    let catalog = hone::bank::Catalog::bundled().unwrap();
    catalog
        .questions()
        .iter()
        .find(|q| q.bank == "pse")
        .expect("the pse bank is bundled")
        .clone()
}

#[test]
fn practice_in_a_real_terminal_answers_reveals_retries_and_quits() {
    let home = tempfile::tempdir().unwrap();
    let question = first_pse_question();
    let command = shell_command(
        home.path(),
        &format!("practice --candidate tess --id '{}'", question.id),
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.wait_for("End it with a line containing only `.`", 1);
    tmux.wait_for(&question.text[..question.text.len().min(40)], 1);

    // A thin first answer.
    tmux.type_line("I would add more servers and hope for the best.");
    tmux.type_line(".");
    tmux.wait_for("[q] quit", 1);
    let screen = tmux.wait_for("/100 (", 1);
    assert!(screen.contains("Answered in"), "timer shown: {screen}");

    // Reveal the key points.
    tmux.type_line("k");
    tmux.wait_for("Key points", 1);

    // Retry with the model answer, line by line.
    tmux.type_line("r");
    tmux.wait_for("(retry)", 1);
    for line in question.model_answer.lines().filter(|l| l.trim() != ".") {
        tmux.type_line(line);
    }
    tmux.type_line(".");
    let screen = tmux.wait_for("Compared with your last attempt", 1);
    tmux.wait_for("[q] quit", 3);
    assert!(screen.contains("Newly covered:"), "{screen}");
    let rubric = hone::rubric::store::RubricStore::bundled()
        .rubric_for(&question)
        .unwrap();
    if !rubric.key_points.is_empty() {
        // The model answer covers key points the thin first answer did not.
        assert!(!screen.contains("Newly covered: none"), "{screen}");
    }

    tmux.type_line("q");
    let screen = tmux.wait_for("hone exited with 0", 1);
    assert!(
        screen.contains("Saved 2 attempt(s) on 1 question(s)"),
        "{screen}"
    );

    // Progress shows both attempts.
    let out = hone_at(home.path())
        .args(["progress", "--candidate", "tess", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["overall"]["attempts"], 2, "{json}");
    assert_eq!(json["overall"]["questions_tried"], 1);
    let trend = json["overall"]["trend"].as_array().unwrap();
    assert!(
        trend[1].as_f64() >= trend[0].as_f64(),
        "the model answer scores at least as well: {trend:?}"
    );
    let text = stdout(
        &hone_at(home.path())
            .args(["progress", "--candidate", "tess"])
            .output()
            .unwrap(),
    );
    assert!(text.contains("2 attempts on 1 questions"), "{text}");
}

#[test]
fn an_attempt_survives_a_kill_right_after_it_is_graded() {
    use std::io::{BufRead, Write};
    let home = tempfile::tempdir().unwrap();
    let question = first_pse_question();
    let bin = assert_cmd::cargo::cargo_bin("hone");
    let mut child = crate::common::seal(&mut std::process::Command::new(bin))
        .args(["practice", "--candidate", "kim", "--id", &question.id])
        .env("HONE_HOME", home.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "Shard the database and cache hot reads in Redis.\n.").unwrap();
    stdin.flush().unwrap();
    // Read until the attempt is saved, then kill at once (SIGKILL: no clean-up runs).
    let reader = std::io::BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        if line.unwrap().contains("Saved to history.") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let history = hone::practice::History::open(&db_in(home.path())).unwrap();
    let attempts = history.attempts(Some("kim")).unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].question_id, question.id);
    assert_eq!(
        attempts[0].answer,
        "Shard the database and cache hot reads in Redis."
    );
}

#[test]
fn hone_db_points_the_history_at_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("elsewhere/mine.sqlite3");
    let out = hone_at(&dir.path().join("home"))
        .env("HONE_DB", &db)
        .args(["progress", "--candidate", "ada"])
        .output()
        .unwrap();
    // A HONE_DB file that does not exist is named, not created empty by a read-only command.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("no history database at {}", db.display())),
        "HONE_DB wins over HONE_HOME: {}",
        stderr(&out)
    );
    assert!(!db.exists());
    let seed = dir.path().join("seed.jsonl");
    write_jsonl(&seed, &[attempt("pse/dsa/1", 50.0, 0, true)]);
    let out = hone_at(&dir.path().join("home"))
        .env("HONE_DB", &db)
        .args(["history", "import"])
        .arg(&seed)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.exists(), "HONE_DB wins over HONE_HOME");
    assert!(!db_in(&dir.path().join("home")).exists());
}

/// A user bank with a concept and a behavioural question in two sections.
fn drills_bank(dir: &Path) -> PathBuf {
    let path = dir.join("drills.toml");
    std::fs::write(
        &path,
        r#"bank = "drills"
title = "Drills"

[[question]]
id = "caching/1"
section = "Caching"
kind = "concept"
question = "What is a write-through cache?"
answer = "A write-through cache writes to the cache and the backing store at the same time, so reads after writes are consistent."

[[question]]
id = "stories/1"
section = "Stories"
kind = "behavioural"
question = "Tell me about a time you fixed an outage."
answer = "Situation: checkout was down. Task: restore it. Action: I rolled back the deploy. Result: back in 12 minutes."
"#,
    )
    .unwrap();
    path
}

#[test]
fn practice_filters_pick_only_matching_questions() {
    let home = tempfile::tempdir().unwrap();
    let bank = drills_bank(home.path());
    let out = hone_at(home.path())
        .arg("--bank-file")
        .arg(&bank)
        .args([
            "practice",
            "--candidate",
            "flo",
            "--bank",
            "drills",
            "--kind",
            "behavioural",
        ])
        .write_stdin("I rolled back the deploy and we were back in 12 minutes.\n.\nn\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Tell me about a time you fixed an outage."),
        "{text}"
    );
    assert!(!text.contains("write-through"), "filtered out: {text}");
    assert!(text.contains("No more questions match"), "{text}");
    assert!(
        text.contains("Saved 1 attempt(s) on 1 question(s)"),
        "{text}"
    );

    let out = hone_at(home.path())
        .arg("--bank-file")
        .arg(&bank)
        .args(["practice", "--bank", "drills", "--section", "nowhere"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_input_error(&out, "no questions match --bank drills --section nowhere");
}

#[test]
fn coach_turns_hone_batch_results_into_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.json");
    let out = hone_at(dir.path())
        .arg("batch")
        .arg(crate::common::fixture("batch/answers.jsonl"))
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert!(results.exists(), "batch wrote results: {}", stderr(&out));
    let batch: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    let graded: Vec<&serde_json::Value> = batch["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["grade"].is_object())
        .collect();
    assert!(!graded.is_empty());

    let out = hone_at(dir.path())
        .arg("coach")
        .arg(&results)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sections = plan["sections"].as_array().unwrap();
    assert!(!sections.is_empty(), "{plan}");
    // The weakest graded answer's question is the first to practise in its section.
    let weakest = graded
        .iter()
        .min_by(|a, b| {
            let score = |r: &&&serde_json::Value| r["grade"]["score"].as_f64().unwrap();
            score(a).total_cmp(&score(b))
        })
        .unwrap();
    let first_ids: Vec<&str> = sections
        .iter()
        .map(|s| s["train_with"][0]["id"].as_str().unwrap())
        .collect();
    assert!(
        first_ids.contains(&weakest["question_id"].as_str().unwrap()),
        "{first_ids:?} vs {weakest}"
    );
    for s in sections {
        let ids: Vec<&str> = s["train_with"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap())
            .collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "a question listed twice: {ids:?}");
        assert!(s["train_with"][0]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
}

#[test]
fn practice_grades_against_an_edited_rubric_from_rubrics_dir() {
    let home = tempfile::tempdir().unwrap();
    let bank = drills_bank(home.path());
    let rubrics = home.path().join("rubrics");
    std::fs::create_dir_all(rubrics.join("drills")).unwrap();
    std::fs::write(
        rubrics.join("drills/caching-1.toml"),
        r#"id = "drills/caching/1"
question = "What is a write-through cache?"
kind = "concept"
hand_edited = true

[[key_points]]
label = "mentions the backing store"
reference = "Writes go to the backing store at the same time."
terms = ["backing store"]
weight = 1.0
kind = "concept"
"#,
    )
    .unwrap();
    let out = hone_at(home.path())
        .arg("--bank-file")
        .arg(&bank)
        .arg("--rubrics")
        .arg(&rubrics)
        .args(["practice", "--candidate", "flo", "--id", "drills/caching/1"])
        .write_stdin("It writes to the cache and to the backing store at once.\n.\nk\nq\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("✓ mentions the backing store"), "{text}");
}

#[test]
fn practice_refuses_dry_run_before_touching_history() {
    let home = tempfile::tempdir().unwrap();
    let out = hone_at(home.path())
        .args(["practice", "--dry-run"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_input_error(&out, "--dry-run does not apply");
    assert!(!db_in(home.path()).exists());
}
