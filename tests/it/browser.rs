//! Headless Chromium for tests: screenshot an HTML file and collect its console messages.
//!
//! `screenshot(html, png)` returns `None` (after printing why) when no Chromium is installed,
//! so the calling test can skip; scripts/install-test-tools.sh installs it in CI.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a headless Chromium run of a page showed.
#[derive(Debug, Clone, Default)]
pub struct BrowserRun {
    /// Messages the page wrote to the console, uncaught errors included. Chromium's log does not
    /// carry the console level, so every message is listed: a report page should log nothing.
    pub console_errors: Vec<String>,
}

/// The Chromium binary on PATH, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file())
}

/// Opens `html` in headless Chromium, writes a screenshot to `png`, and returns the console
/// messages; `None` when Chromium is not installed (the test should skip).
pub fn screenshot(html: &Path, png: &Path) -> Option<BrowserRun> {
    let Some(binary) = chromium() else {
        eprintln!(
            "skipping: chromium is not installed (scripts/install-test-tools.sh installs it)"
        );
        return None;
    };
    let profile = tempfile::tempdir().expect("temp profile dir");
    let html = html.canonicalize().expect("html file exists");
    let mut child = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("wait for chromium").is_none() {
        assert!(Instant::now() < deadline, "chromium did not finish in 90 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = reader.join().expect("stderr reader");
    Some(BrowserRun {
        console_errors: console_messages(&log),
    })
}

/// Lines like `[..:INFO:CONSOLE:1] "message", source: file:///x.html (1)` → `message`.
fn console_messages(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once(":CONSOLE")?;
            let (_, message) = rest.split_once("] ")?;
            Some(message.to_string())
        })
        .collect()
}

#[test]
fn console_messages_are_read_from_chromium_logs() {
    let log = "[1:1:1122/130007.63:WARNING:dbus/property.cc:94] noise\n\
               [1:1:1122/130007.63:INFO:CONSOLE:1] \"Uncaught ReferenceError: x\", source: file:///a.html (1)\n";
    assert_eq!(
        console_messages(log),
        vec!["\"Uncaught ReferenceError: x\", source: file:///a.html (1)".to_string()]
    );
}

#[test]
fn a_page_with_a_script_error_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("broken.html");
    std::fs::write(
        &html,
        "<!DOCTYPE html><html><body><p>x</p><script>noSuchFunction();</script></body></html>",
    )
    .unwrap();
    let png = dir.path().join("broken.png");
    let Some(run) = screenshot(&html, &png) else {
        return;
    };
    assert!(png.exists(), "screenshot written");
    assert!(
        run.console_errors
            .iter()
            .any(|e| e.contains("noSuchFunction")),
        "{:?}",
        run.console_errors
    );
}
