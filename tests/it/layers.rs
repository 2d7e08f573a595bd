//! The house rule of docs/ARCHITECTURE.md: a module names only modules of a lower layer. Every
//! `crate::…` reference outside test code is checked; a failure names the file, the line and the
//! upward arrow.

use std::path::{Path, PathBuf};

/// The layer of each top-level module, lowest first (same number: may not name each other).
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("text", 0),
    ("config", 0),
    ("bank", 1),
    ("rubric", 2),
    ("grade", 3),
    ("eval", 4),
    ("llm", 5),
    ("batch", 6),
    ("report", 7),
    ("practice", 8),
    ("cli", 9),
];

/// Rules inside a layer: (file prefix, submodule it may not name, files exempt).
const INNER: &[(&str, &str, &[&str])] = &[
    // Coaching content is the top of the core: only its root uses it.
    (
        "src/grade/",
        "feedback",
        &["src/grade/mod.rs", "src/grade/feedback.rs"],
    ),
    // Embeddings are the pure part; the judge sends their request.
    ("src/llm/embeddings.rs", "judge", &[]),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level module a source file belongs to (`src/grade/x.rs` → `grade`).
fn module_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

/// Upward or sideways arrows in one file's text: `file:line: a → b`. Test code (a `tests.rs`
/// file, or anything after the first `#[cfg(test)]`) may cross layers.
fn violations(path: &str, text: &str) -> Vec<String> {
    let Some(from) = module_of(path) else {
        return Vec::new();
    };
    if path.ends_with("/tests.rs") {
        return Vec::new();
    }
    let crate_ref = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let super_ref = regex::Regex::new(r"super::([a-z_]+)").unwrap();
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or_default();
        for cap in crate_ref.captures_iter(code) {
            let to = &cap[1];
            if to == from {
                continue;
            }
            if let (Some(a), Some(b)) = (layer(from), layer(to)) {
                if b >= a {
                    found.push(format!("{path}:{}: {from} → {to} (layer {a} → {b})", i + 1));
                }
            }
        }
        for (prefix, banned, exempt) in INNER {
            if !path.starts_with(prefix) || exempt.contains(&path) {
                continue;
            }
            let names = super_ref.captures_iter(code).any(|c| &c[1] == *banned)
                || code.contains(&format!("crate::{from}::{banned}"));
            if names {
                found.push(format!("{path}:{}: names {banned}", i + 1));
            }
        }
    }
    found
}

fn sources(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join("src"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

#[test]
fn no_module_imports_upward() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for file in sources(root) {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if module_of(&rel).is_some_and(|m| layer(m).is_none() && !["lib", "main"].contains(&m)) {
            found.push(format!(
                "{rel}: module not placed in a layer (add it to LAYERS and docs/ARCHITECTURE.md)"
            ));
        }
        found.extend(violations(&rel, &std::fs::read_to_string(&file).unwrap()));
    }
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_an_upward_arrow() {
    let up = violations(
        "src/grade/mod.rs",
        "pub llm: Option<crate::llm::LlmOutcome>,",
    );
    assert_eq!(up, ["src/grade/mod.rs:1: grade → llm (layer 3 → 5)"]);
    // eval sits under llm (the judge check and the few-shot examples use it), not beside it.
    assert_eq!(
        violations("src/eval/x.rs", "use crate::llm::Judge;").len(),
        1
    );
    assert_eq!(
        violations("src/batch/x.rs", "use crate::report::json::JsonReport;").len(),
        1
    );
    assert_eq!(
        violations("src/llm/embeddings.rs", "use super::judge::Judge;").len(),
        1
    );
    assert_eq!(
        violations("src/grade/signals.rs", "super::feedback::examples_for(").len(),
        1
    );
    assert!(violations("src/report/x.rs", "use crate::batch::Record;").is_empty());
    assert!(violations("src/grade/x.rs", "#[cfg(test)]\nuse crate::report::x;").is_empty());
    assert!(violations("src/grade/x.rs", "// see crate::cli::run").is_empty());
}
