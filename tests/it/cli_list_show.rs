//! `hone list` and `hone show` as a user runs them.

use std::collections::BTreeMap;

use crate::common::hone;

fn stdout_of(args: &[&str]) -> String {
    let out = hone().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn error_of(args: &[&str]) -> String {
    let out = hone().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn list_shows_exactly_100_questions_10_per_section_per_bank() {
    let text = stdout_of(&["list"]);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("ID") && header.contains("KIND") && header.contains("QUESTION"));
    let mut per_section: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines {
        let id = line.split_whitespace().next().unwrap();
        let (section, _) = id.rsplit_once('/').unwrap();
        *per_section.entry(section.to_string()).or_default() += 1;
    }
    assert_eq!(per_section.values().sum::<usize>(), 100);
    assert_eq!(per_section.len(), 10, "{per_section:?}");
    assert!(per_section.values().all(|&n| n == 10), "{per_section:?}");
    assert!(text.contains(
        "pse/dsa/6           algorithm    How do you detect a cycle in a linked list? Explain Floyd's Cycle Detection Algorithm."
    ));
    assert!(!text.contains('\u{1b}'), "no colour when piped / NO_COLOR");
}

#[test]
fn list_filters_by_bank_section_and_kind() {
    let rows = |args: &[&str]| stdout_of(args).lines().count() - 1;
    assert_eq!(rows(&["list", "--bank", "fde"]), 50);
    assert_eq!(rows(&["list", "--bank", "f", "--section", "dsa"]), 10);
    assert_eq!(rows(&["list", "--section", "behavioral"]), 20);
    assert_eq!(rows(&["list", "--kind", "behavioural"]), 20);
    assert_eq!(rows(&["list", "--bank", "pse", "--kind", "design"]), 10);
    let err = error_of(&["list", "--bank", "psf"]);
    assert!(err.contains("unknown bank `psf` given to --bank"), "{err}");
    assert!(err.contains("did you mean `pse`"), "{err}");
    let err = error_of(&["list", "--section", "d"]);
    assert!(err.contains("ambiguous section `d`"), "{err}");
    let err = error_of(&["list", "--kind", "trivia"]);
    assert!(
        err.contains("unknown kind `trivia` given to --kind"),
        "{err}"
    );
}

#[test]
fn list_rows_fit_the_width() {
    let out = hone().env("COLUMNS", "60").arg("list").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines().skip(1) {
        assert!(line.chars().count() <= 60, "{line}");
    }
    assert!(text.contains("pse/concepts/1      concept      How do you approach design…"));
}

#[test]
fn list_as_json() {
    let text = stdout_of(&[
        "list",
        "--format",
        "json",
        "--bank",
        "pse",
        "--section",
        "design",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[2]["id"], "pse/design/3");
    assert_eq!(rows[2]["short_id"], "p.design.3");
    assert_eq!(rows[2]["kind"], "design");
    assert_eq!(rows[2]["section_title"], "System Design");
    assert!(rows[2]["question"]
        .as_str()
        .unwrap()
        .starts_with("Design a real-time notification system"));
}

#[test]
fn show_prints_the_question_and_on_request_its_model_answer() {
    let text = stdout_of(&["show", "f.dsa.3"]);
    assert_eq!(
        text,
        "fde/dsa/3 (f.dsa.3 · algorithm · Data Structures and Algorithms)\n\
         Explain the difference between a Stack and a Queue. Implement a Queue using two Stacks.\n"
    );
    let text = stdout_of(&["show", "pse/behavioural/5", "--model-answer"]);
    assert!(text.contains("\nModel answer\n\nSituation: "), "{text}");
    assert!(!text.contains("6. Describe a situation"), "{text}");
}

#[test]
fn show_prints_the_rubric_as_toml() {
    let text = stdout_of(&["show", "pse/dsa/1", "--rubric"]);
    let (_, rubric) = text.split_once("\nRubric\n\n").expect("a rubric section");
    let value: toml::Table = toml::from_str(rubric).expect("valid TOML");
    assert!(!value.is_empty());
}

#[test]
fn show_unknown_id_suggests_the_closest() {
    let err = error_of(&["show", "fde/desing/10"]);
    assert!(err.contains("unknown question `fde/desing/10`"), "{err}");
    assert!(err.contains("did you mean `fde/design/10`"), "{err}");
    let err = error_of(&[
        "show",
        "Write a function to find the first non-repeating character",
    ]);
    assert!(
        err.contains("matches 2 questions: pse/coding/8, fde/coding/8"),
        "{err}"
    );
}

#[test]
fn show_as_json() {
    let text = stdout_of(&[
        "show",
        "fde/behavioural/7",
        "--format",
        "json",
        "--model-answer",
    ]);
    let shown: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shown["id"], "fde/behavioural/7");
    assert_eq!(shown["short_id"], "f.behavioural.7");
    assert_eq!(shown["kind"], "behavioural");
    assert!(shown["model_answer"]
        .as_str()
        .unwrap()
        .starts_with("Situation: I was assigned"));
    assert!(shown.get("rubric").is_none(), "only when asked for");
    let text = stdout_of(&["show", "fde/behavioural/7", "--format", "json", "--rubric"]);
    let shown: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(shown["rubric"].is_object());
    assert!(shown.get("model_answer").is_none());
}

/// Colour on a terminal (a pseudo-terminal from `script`), none under NO_COLOR.
#[test]
fn colour_only_on_a_terminal_and_not_under_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: `script` (util-linux) not found");
        return;
    }
    let hone = assert_cmd::cargo::cargo_bin("hone");
    let on_terminal = |no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args([
            "-qec",
            &format!("{} show p.dsa.1", hone.display()),
            "/dev/null",
        ]);
        crate::common::seal(&mut cmd).env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let coloured = on_terminal(false);
    assert!(
        coloured.contains("\u{1b}[36mpse/dsa/1\u{1b}[0m"),
        "{coloured:?}"
    );
    let plain = on_terminal(true);
    assert!(
        plain.contains("pse/dsa/1") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
}
