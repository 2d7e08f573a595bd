//! Helpers shared by the integration tests.

use std::path::PathBuf;

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
