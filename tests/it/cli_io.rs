//! Input and output edge cases across subcommands: a reader that closes stdout early, binary or
//! blank input files, secrets in the base URL, lookup by keywords.

use std::process::{Command, Stdio};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use crate::common::{fixture, hone};

/// One of hone's output pipes.
#[derive(Debug, Clone, Copy)]
enum Pipe {
    Stdout,
    Stderr,
}

/// Runs hone with `closed` a pipe whose reader is gone before hone starts, as when the reader
/// of a pipe exits first (`hone … | true`), and the other output captured; returns what came
/// of it.
fn run_with_closed(closed: Pipe, args: &[&str]) -> std::process::Output {
    let writer = broken_pipe();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hone"));
    crate::common::seal(&mut cmd)
        .args(args)
        .stdin(Stdio::null());
    match closed {
        Pipe::Stdout => cmd.stdout(writer).stderr(Stdio::piped()),
        Pipe::Stderr => cmd.stdout(Stdio::piped()).stderr(writer),
    };
    cmd.output().unwrap()
}

/// The write end of a pipe whose read end is already closed: writing to it fails with a
/// broken pipe. (`std::io::pipe` would do, but it is newer than the crate's minimum Rust.)
fn broken_pipe() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: `pipe` fills both descriptors on success; each is closed or owned exactly once.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0, "pipe() failed");
        libc::close(fds[0]);
        Stdio::from(std::os::fd::OwnedFd::from_raw_fd(fds[1]))
    }
}

/// [`run_with_closed`] on stdout: the exit code and stderr.
fn run_with_stdout_closed(args: &[&str]) -> (Option<i32>, String) {
    let out = run_with_closed(Pipe::Stdout, args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_closing_early_is_a_quiet_success() {
    let answer = fixture("sample-answer.md").display().to_string();
    let scored = fixture("eval/scored.jsonl").display().to_string();
    let runs: [&[&str]; 4] = [
        &["grade", "pse/dsa/1", &answer],
        &["grade", "pse/dsa/1", &answer, "--format", "json"],
        &["eval", &scored],
        &["show", "pse/dsa/1", "--model-answer"],
    ];
    for args in runs {
        let (code, stderr) = run_with_stdout_closed(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("error") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_stderr_loses_the_warnings_not_the_results() {
    // The reader of stderr gone: the bad-line warnings cannot be written (broken pipe); the
    // figures still are.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    let good = std::fs::read_to_string(fixture("eval/scored.jsonl")).unwrap();
    std::fs::write(&data, format!("{good}\nnot json\n")).unwrap();
    let data = data.display().to_string();
    let out = run_with_closed(Pipe::Stderr, &["eval", &data]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Pearson r"));
}

#[test]
fn binary_answers_are_rejected_naming_the_source() {
    let out = hone()
        .args(["grade", "pse/dsa/1"])
        .write_stdin(b"hello\0world".to_vec())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: standard input holds binary data"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.bin");
    std::fs::write(&file, b"\x7fELF\0\0\0binary").unwrap();
    let out = hone()
        .args(["grade", "pse/dsa/1"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{} holds binary data", file.display())),
        "{stderr}"
    );
}

#[test]
fn a_blank_reference_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("empty.md", ""), ("blank.md", "  \n\n\t\n")] {
        let reference = dir.path().join(name);
        std::fs::write(&reference, text).unwrap();
        let out = hone()
            .args([
                "grade",
                "--question",
                "What is an LRU cache?",
                "--reference",
            ])
            .arg(&reference)
            .arg(fixture("sample-answer.md"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&reference.display().to_string()) && stderr.contains("no key points"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

const SECRET: &str = "sk-URL-SECRET-7777";

/// Every file under `dir`, read as text.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            texts.extend(files_under(&path));
        } else {
            texts.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
        }
        assert!(!path.to_string_lossy().contains(SECRET));
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_in_the_base_url_never_reaches_output_reports_or_cache() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(crate::llm::CoverAll)
        .mount(&server)
        .await;
    let dead_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let live = server
        .uri()
        .replace("http://", &format!("http://u:{SECRET}@"));
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("hone.toml");
    std::fs::write(
        &config_file,
        "[llm.retry]\nmax_retries = 0\nbase_delay_ms = 10\n",
    )
    .unwrap();
    let cache = dir.path().join("cache");
    let bases = [
        format!("{live}/v1?api-key={SECRET}"),
        format!("http://u:{SECRET}@127.0.0.1:{dead_port}/v1"),
    ];
    let mut graded = false;
    for base in &bases {
        for extra in [&["--format", "json"][..], &["--dry-run"][..]] {
            let out = hone()
                .env("HONE_CONFIG", &config_file)
                .args(["grade", "pse/dsa/1"])
                .arg(fixture("sample-answer.md"))
                .args(["--llm", "--base-url", base, "--cache-dir"])
                .arg(&cache)
                .args(extra)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
            assert!(!stdout.contains(SECRET), "leaked on stdout: {stdout}");
            assert!(!stderr.contains(SECRET), "leaked on stderr: {stderr}");
            if extra[0] == "--format" {
                let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let recorded = report["llm"]["base_url"].as_str().unwrap();
                assert!(recorded.starts_with("http://127.0.0.1:"), "{recorded}");
                graded |= report["llm"]["status"] == "graded";
            }
        }
    }
    assert!(graded, "the live server graded the answer");
    for text in files_under(dir.path()) {
        assert!(!text.contains(SECRET), "leaked in the cache: {text}");
    }
}

#[test]
fn a_few_words_of_the_question_find_it_or_list_the_candidates() {
    let show = |query: &str| hone().args(["show", query]).output().unwrap();
    for (query, id) in [
        ("explain least recently used", "pse/dsa/1"),
        ("LRU design choices", "pse/coding/10"),
    ] {
        let out = show(query);
        assert!(
            out.status.success(),
            "{query}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(&format!("{id} ")), "{query}: {stdout}");
    }
    let out = show("LRU cache");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`LRU cache` matches 3 questions: pse/dsa/1, pse/coding/10, fde/dsa/1"),
        "{stderr}"
    );
    let out = show("LRU heap");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown question `LRU heap`") && stderr.contains("did you mean `"),
        "{stderr}"
    );
}
