//! Embeds the committed rubric files (`rubrics/<bank>/<section>-<n>.toml`) in the binary so
//! hone runs from any directory.
//!
//! A build script (rather than the `include_dir` crate) because it costs no dependency and
//! tells Cargo to rebuild whenever a file under `rubrics/` changes or is added
//! (`rerun-if-changed` on the folder), which `include_dir` cannot do on stable Rust.

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
