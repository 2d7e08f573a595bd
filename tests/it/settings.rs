//! Settings resolved once: `--config` anywhere on the line is the only config file read,
//! `hone calibrate` never loads the user's calibration, and `--dump-config` shows the resolved
//! settings without secrets.

use std::path::{Path, PathBuf};

use crate::common::{hone, sealed_home};

/// Writes the user's own config file (in this test's sealed home) and returns its path.
fn user_config(text: &str) -> PathBuf {
    let path = sealed_home()
        .join("config")
        .join("hone")
        .join("config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn config_after_the_subcommand_is_the_only_config_file_read() {
    user_config("calibration = \"/nope/broken-calibration.toml\"\n");
    let dir = tempfile::tempdir().unwrap();
    let other = write(dir.path(), "other.toml", "[grade]\nsave = false\n");
    let out = hone()
        .args(["grade", "pse/dsa/1", "-", "--config"])
        .arg(&other)
        .write_stdin("A hash map from key to node plus a doubly linked list.")
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    // Without --config, the user's file is the one read, and its bad calibration is named.
    let out = hone()
        .args(["grade", "pse/dsa/1", "-"])
        .write_stdin("A hash map.")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken-calibration.toml"), "{stderr}");
}

#[test]
fn calibrate_never_loads_the_users_calibration() {
    user_config("calibration = \"/nope/broken-calibration.toml\"\n");
    let dir = tempfile::tempdir().unwrap();
    let data = crate::calibrate::write_dataset(dir.path());
    let out = hone()
        .arg("calibrate")
        .arg(&data)
        .arg("-o")
        .arg(dir.path().join("cal.toml"))
        .args(["--folds", "3"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
}

#[test]
fn dump_config_shows_flags_over_env_over_file_and_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.toml",
        "calibration = \"file-cal.toml\"\n[llm]\nmodel = \"file-model\"\nrpm = 5\n\
         base_url = \"https://alice:hunter2@llm.example.com/v1\"\n",
    );
    let out = hone()
        .args([
            "grade",
            "--model",
            "flag-model",
            "--dump-config",
            "--config",
        ])
        .arg(&config)
        .env("HONE_CALIBRATION", "env-cal.toml")
        .env("OPENAI_API_KEY", "sk-very-secret")
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(dump.contains("model = \"flag-model\""), "{dump}");
    assert!(dump.contains("rpm = 5"), "{dump}");
    assert!(dump.contains("calibration = \"env-cal.toml\""), "{dump}");
    assert!(
        dump.contains(&format!("# config file: {}", config.display())),
        "{dump}"
    );
    for secret in ["hunter2", "sk-very-secret"] {
        assert!(!dump.contains(secret), "{secret} shown:\n{dump}");
    }
    // The dump is itself a config file hone accepts.
    let again = write(dir.path(), "dumped.toml", &dump);
    hone()
        .args(["--dump-config", "--config"])
        .arg(&again)
        .assert()
        .success();
}

#[test]
fn dump_config_reads_the_users_file_by_default() {
    let path = user_config("[llm]\njobs = 3\n");
    let out = hone().arg("--dump-config").output().unwrap();
    crate::common::assert_success(&out);
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(dump.contains("jobs = 3"), "{dump}");
    assert!(dump.contains(&path.display().to_string()), "{dump}");
}
