//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::time::{Duration, Instant};

thread_local! {
    /// This test's own home: libtest runs each test on its own thread, so each test gets a
    /// fresh folder, removed when the test's thread ends.
    static SEALED_HOME: tempfile::TempDir = tempfile::Builder::new()
        .prefix("hone-test-home-")
        .tempdir()
        .expect("a temporary home for the test");
}

/// The private home of the running test: `HOME`, `XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and
/// `XDG_DATA_HOME` of every command the test runs point inside it, so a developer's own config
/// (`llm.enabled = true`, a `calibration` key), cache or history never reaches the suite.
#[allow(dead_code)]
pub fn sealed_home() -> PathBuf {
    SEALED_HOME.with(|dir| dir.path().to_path_buf())
}

/// The environment that seals a command from the machine: variables to set, then to remove.
fn sealed_env() -> (Vec<(&'static str, PathBuf)>, &'static [&'static str]) {
    let home = sealed_home();
    let set = vec![
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home.join("config")),
        ("XDG_CACHE_HOME", home.join("cache")),
        ("XDG_DATA_HOME", home.join("data")),
        ("NO_COLOR", PathBuf::from("1")),
    ];
    const REMOVE: &[&str] = &[
        "HONE_BANK_FILES",
        "HONE_RUBRICS",
        "HONE_CONFIG",
        "HONE_CALIBRATION",
        "HONE_HOME",
        "HONE_DB",
        "HONE_LLM_MODEL",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_API_VERSION",
        "CLICOLOR_FORCE",
        // Output is wrapped to $COLUMNS off a terminal: tests see unwrapped lines.
        "COLUMNS",
    ];
    (set, REMOVE)
}

/// Seals a `std::process::Command` as [`hone`] does (for tests that spawn the binary directly).
#[allow(dead_code)]
pub fn seal(cmd: &mut std::process::Command) -> &mut std::process::Command {
    let (set, remove) = sealed_env();
    for name in remove {
        cmd.env_remove(name);
    }
    for (name, value) in set {
        cmd.env(name, value);
    }
    cmd
}

/// The same seal as a shell prefix (`env -u … HOME=… `), for commands run inside tmux or
/// `script`, which start from the terminal server's environment rather than the test's.
#[allow(dead_code)]
pub fn sealed_env_prefix() -> String {
    let (set, remove) = sealed_env();
    let mut line = String::from("env");
    for name in remove {
        line.push_str(&format!(" -u {name}"));
    }
    for (name, value) in set {
        line.push_str(&format!(" {name}='{}'", value.display()));
    }
    line
}

/// A command running the `hone` binary built for these tests, with colour off and sealed from
/// the machine: its own home, config, cache and data dirs (see [`sealed_home`]) and no `HONE_*`
/// or `OPENAI_*` variables from the developer's environment.
pub fn hone() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("hone").expect("hone binary is built");
    let (set, remove) = sealed_env();
    for name in remove {
        cmd.env_remove(name);
    }
    for (name, value) in set {
        cmd.env(name, value);
    }
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

/// hone reads its config from the test's own home, not the developer's: a bad key written
/// there is reported with that path, and another test's home is another folder.
#[test]
fn every_test_has_its_own_home_config_and_cache() {
    let config = sealed_home()
        .join("config")
        .join("hone")
        .join("config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "no_such_key = 1\n").unwrap();
    let out = hone()
        .args(["grade", "pse/dsa/1", "-"])
        .write_stdin("A hash map and a list.")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&config.display().to_string()) && stderr.contains("no_such_key"),
        "{stderr}"
    );
    let other = std::thread::spawn(sealed_home).join().unwrap();
    assert_ne!(other, sealed_home(), "each test thread gets its own home");
    assert!(!other.starts_with(sealed_home()));
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
