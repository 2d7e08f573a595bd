//! What a new user sets up and reads first: `--version` naming the commit, shell completions,
//! the man page, and help that lists only the options a subcommand really takes.

use crate::common::hone;

fn stdout_of(args: &[&str]) -> String {
    let out = hone().args(args).output().unwrap();
    crate::common::assert_success(&out);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let version = stdout_of(&["--version"]);
    assert!(
        version.starts_with(&format!("hone {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let head = std::process::Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success());
    match head {
        Some(head) => {
            let commit = String::from_utf8(head.stdout).unwrap();
            assert!(
                version.contains(&format!("({})", commit.trim())),
                "{version} lacks commit {commit}"
            );
        }
        None => eprintln!("skipping the commit check: not built from a git checkout"),
    }
}

#[test]
fn completions_are_generated_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef hone"),
        ("fish", "complete -c hone"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        // Subcommands and their own flags are completed.
        assert!(script.contains("practice"), "{shell} lacks practice");
        assert!(
            script.contains("reference-text"),
            "{shell} lacks a grade flag"
        );
    }
    let out = hone().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_names_every_subcommand_and_can_be_written_per_command() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH hone 1"),
        "{page}"
    );
    for sub in [
        "list",
        "show",
        "grade",
        "batch",
        "merge",
        "practice",
        "progress",
        "coach",
        "history",
        "completions",
    ] {
        assert!(
            page.contains(&format!("hone\\-{sub}(1)")),
            "man lacks {sub}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = hone()
        .args(["man", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    crate::common::assert_success(&out);
    let grade = std::fs::read_to_string(dir.path().join("hone-grade.1")).unwrap();
    assert!(grade.contains("reference\\-text"), "{grade}");
}

#[test]
fn catalog_options_appear_only_on_the_subcommands_that_use_them() {
    for sub in [
        &["history", "clear"][..],
        &["history", "export"],
        &["merge"],
        &["completions"],
    ] {
        let help = stdout_of(&[sub, &["--help"]].concat());
        for flag in ["--bank-file", "--rubrics", "--calibration"] {
            assert!(!help.contains(flag), "{sub:?} --help shows {flag}: {help}");
        }
    }
    let grade = stdout_of(&["grade", "--help"]);
    for flag in ["--bank-file", "--rubrics", "--calibration"] {
        assert!(grade.contains(flag), "grade --help lacks {flag}");
    }
    // Listing takes banks, but nothing scores there.
    let list = stdout_of(&["list", "--help"]);
    assert!(
        list.contains("--bank-file") && !list.contains("--calibration"),
        "{list}"
    );
    // A flag placed where it means nothing is refused rather than silently ignored.
    let out = hone()
        .args(["history", "clear", "--yes", "--calibration", "x.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_describes_what_each_flag_does_there() {
    let build = stdout_of(&["rubric", "build", "--help"]);
    assert!(!build.contains("combine its verdict"), "{build}");
    assert!(build.contains("draft a format-2 rubric"), "{build}");
    let grade = stdout_of(&["grade", "--help"]);
    assert!(
        grade.contains("hone grade [OPTIONS] --question <TEXT>"),
        "usage shows the --question form: {grade}"
    );
    let calibrate = stdout_of(&["calibrate", "--help"]);
    assert!(calibrate.contains("--out <FILE>"), "{calibrate}");
    assert!(!calibrate.contains("--output"), "{calibrate}");
}

#[test]
fn calibrate_still_takes_output_as_an_alias_of_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = hone()
        .args(["calibrate", "/no/such/data.jsonl", "--output"])
        .arg(dir.path().join("cal.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/no/such/data.jsonl"), "{stderr}");
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
}

#[test]
fn catalog_options_before_the_subcommand_still_work_and_beat_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = dir.path().join("flat.toml");
    std::fs::write(
        &calibration,
        "version = 1\nfitted_on = \"flat\"\nfeatures = []\nweights = []\nintercept = 0.42\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("answer.md"),
        "A hash map and a linked list.\n",
    )
    .unwrap();
    let grade = |before: &[&str]| {
        hone()
            .current_dir(dir.path())
            .env("HONE_CALIBRATION", "/no/such/calibration.toml")
            .args(before)
            .args(["grade", "pse/dsa/1", "answer.md", "--format", "json"])
            .output()
            .unwrap()
    };
    let out = grade(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/calibration.toml"));
    let out = grade(&["--calibration", "flat.toml"]);
    crate::common::assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["calibration"], "flat");
    assert_eq!(v["scored_with"]["calibration_path"], "flat.toml");
}
