//! Embeds the committed rubric files (`rubrics/<bank>/<section>-<n>.toml`) in the binary so
//! hone runs from any directory.
//!
//! A build script (rather than the `include_dir` crate) because it costs no dependency and
//! tells Cargo to rebuild whenever a file under `rubrics/` changes or is added
//! (`rerun-if-changed` on the folder), which `include_dir` cannot do on stable Rust.
//!
//! Also sets `HONE_VERSION` for `hone --version`: the package version followed by the short
//! commit hash when built from a git checkout (`0.1.0 (a6d209a)`), the bare version otherwise
//! (a crates tarball, or no `git` on the PATH).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rubrics = root.join("rubrics");
    println!("cargo:rerun-if-changed=rubrics");
    let mut files = Vec::new();
    collect(&rubrics, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Embedded rubric files: (path relative to `rubrics/`, contents), sorted by path.\n\
         pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let rel = file
            .strip_prefix(&rubrics)
            .expect("under rubrics/")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("embedded_rubrics.rs"), code).expect("write embedded_rubrics.rs");
    version(&root);
}

/// Emits `HONE_VERSION`: the package version, plus the short commit when `git` can tell it.
fn version(root: &Path) {
    let package = std::env::var("CARGO_PKG_VERSION").expect("set by cargo");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    };
    // Only hone's own checkout names the commit, not a repository hone is vendored into.
    let own_checkout = git(&["rev-parse", "--show-toplevel"])
        .and_then(|top| std::fs::canonicalize(top).ok())
        .is_some_and(|top| std::fs::canonicalize(root).is_ok_and(|root| root == top));
    let commit = own_checkout
        .then(|| git(&["rev-parse", "--short", "HEAD"]))
        .flatten();
    let version = match commit {
        Some(commit) => {
            // Rebuild when HEAD moves: another branch checked out, or a new commit on this one.
            let branch = git(&["symbolic-ref", "-q", "HEAD"]);
            for path in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
                if let Some(file) = git(&["rev-parse", "--git-path", path]) {
                    println!("cargo:rerun-if-changed={}", root.join(file).display());
                }
            }
            format!("{package} ({commit})")
        }
        None => package,
    };
    println!("cargo:rustc-env=HONE_VERSION={version}");
}

/// Every `.toml` file under `dir`, recursively.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
}
