//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A command running the `hone` binary built for these tests, with colour off and a clean env.
pub fn hone() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("hone").expect("hone binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("HONE_BANK_FILES")
        .env_remove("HONE_RUBRICS")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_API_VERSION")
        .env_remove("HONE_LLM_MODEL")
        .env_remove("HONE_CONFIG")
        .env_remove("HONE_CALIBRATION")
        // Output is wrapped to $COLUMNS off a terminal: tests see unwrapped lines.
        .env_remove("COLUMNS");
    cmd
}

/// Path of a file under the project's `fixtures/` folder.
#[allow(dead_code)]
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Path of the shared human-graded data, or `None` (with a note on stderr) when absent.
#[allow(dead_code)]
pub fn asag(file: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/asag")
        .join(file);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

#[test]
fn help_lists_the_subcommands() {
    let out = hone().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in [
        "list", "show", "rubric", "grade", "eval", "batch", "practice",
    ] {
        assert!(text.contains(sub), "--help lacks {sub}: {text}");
    }
}

#[test]
fn unknown_flag_is_a_usage_error_with_exit_2() {
    hone().arg("--no-such-flag").assert().code(2);
}

/// Asserts that a finished command succeeded, showing its stderr when it did not.
#[allow(dead_code)]
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private tmux server running one shell command in a `width`×60 pane: a real terminal, as a
/// person sees hone (`finished_screen` waits for the command and captures the screen).
pub struct Pane {
    socket: String,
}

impl Pane {
    /// `None` (with a note) when tmux is not installed.
    pub fn start(name: &str, command: &str, width: u16) -> Option<Pane> {
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
        let pane = Pane {
            socket: format!("hone-{name}-{}-{width}", std::process::id()),
        };
        let script = format!("{command}; echo LAYOUT-DONE; sleep 60");
        let width = width.to_string();
        pane.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width,
            "-y",
            "60",
            &script,
        ]);
        Some(pane)
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen and scrollback once the command is done, lines the terminal itself wrapped
    /// joined back (`-J`): a line longer than the pane is one hone did not wrap.
    pub fn finished_screen(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.tmux(&["capture-pane", "-p", "-J", "-t", "t", "-S", "-3000"]);
            if screen.contains("LAYOUT-DONE") {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "never finished; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
