//! Rubric files: one human-readable TOML file per question, `rubrics/<bank>/<section>-<n>.toml`.
//!
//! Where a rubric comes from, first match wins:
//! 1. a folder of overrides on disk (`--rubrics DIR` or `HONE_RUBRICS`), so an edited rubric
//!    wins without rebuilding hone;
//! 2. the committed files, embedded in the binary at build time (see `build.rs`), so hone runs
//!    from any directory;
//! 3. extraction from the model answer on the fly (questions from user banks).
//!
//! This module also renders rubrics to TOML (with a header telling a coach how to edit them),
//! parses them with errors that name the file and line, and checks a folder for invalid or
//! drifted files (`hone rubric check`). Reading override files is the only I/O of the rubric
//! module; extraction stays pure.

use std::path::{Path, PathBuf};

use crate::bank::{Kind, Question};
use crate::rubric::{extract, Rubric, StarPart};
use crate::InputError;

include!(concat!(env!("OUT_DIR"), "/embedded_rubrics.rs"));

/// Where rubrics come from: on-disk overrides first, then the embedded files, then extraction.
#[derive(Debug, Clone, Default)]
pub struct RubricStore {
    overrides: Option<PathBuf>,
}

impl RubricStore {
    /// The store of the embedded rubrics (no on-disk overrides).
    pub fn bundled() -> RubricStore {
        RubricStore::default()
    }

    /// The embedded rubrics, overridden by files under `dir` (same layout as `rubrics/`).
    pub fn with_overrides(dir: impl Into<PathBuf>) -> RubricStore {
        RubricStore {
            overrides: Some(dir.into()),
        }
    }

    /// The override folder, if any.
    pub fn overrides(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }

    /// The rubric for `question`: its override file, else its embedded file, else extracted
    /// from the model answer. A broken file is an [`InputError`] naming the file and line.
    pub fn rubric_for(&self, question: &Question) -> Result<Rubric, InputError> {
        let rel = relative_path(question);
        if let Some(dir) = &self.overrides {
            let path = dir.join(&rel);
            if path.is_file() {
                return read_file(&path);
            }
        }
        if let Some(text) = embedded(&rel) {
            let rubric = parse(text, &format!("rubrics/{rel}"))?;
            // A user bank may reuse a bundled slug; the file only counts for its own question.
            if rubric.id == question.id {
                return Ok(rubric);
            }
        }
        Ok(extract::extract(question))
    }

    /// The rubrics of every question in `questions` (the corpus term weights are taken across);
    /// a broken file is left out here and reported when its own question is graded.
    pub fn all_rubrics(&self, questions: &[Question]) -> Vec<Rubric> {
        questions
            .iter()
            .filter_map(|q| self.rubric_for(q).ok())
            .collect()
    }
}

/// The file of a question's rubric, relative to the rubrics folder: `pse/dsa-1.toml`.
pub fn relative_path(question: &Question) -> String {
    format!(
        "{}/{}-{}.toml",
        question.bank, question.section, question.number
    )
}

/// The embedded contents of the rubric file at `rel` (e.g. `pse/dsa-1.toml`).
pub fn embedded(rel: &str) -> Option<&'static str> {
    EMBEDDED
        .binary_search_by(|(path, _)| (*path).cmp(rel))
        .ok()
        .map(|i| EMBEDDED[i].1)
}

/// Paths (relative to `rubrics/`) of every embedded rubric file.
pub fn embedded_paths() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(path, _)| *path)
}

/// Reads and parses one rubric file.
pub fn read_file(path: &Path) -> Result<Rubric, InputError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        InputError::new(format!("{}: cannot read rubric: {e}", path.display()))
            .with_hint("check the path, or remove the file to use the built-in rubric")
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses a rubric file; `origin` names it in errors (`rubrics/pse/dsa-1.toml:12: …`).
pub fn parse(text: &str, origin: &str) -> Result<Rubric, InputError> {
    parse_located(text).map_err(|(line, message)| {
        let at = line.map_or(String::new(), |l| format!(":{l}"));
        InputError::new(format!("{origin}{at}: {message}"))
            .with_hint("fix the file, or delete it to use the built-in rubric")
    })
}

/// Parses and validates a rubric; an error carries its 1-based line (when known) and message.
fn parse_located(text: &str) -> Result<Rubric, (Option<usize>, String)> {
    let rubric: Rubric = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        (line, e.message().trim().replace('\n', " "))
    })?;
    validate(&rubric).map_err(|problem| (None, problem))?;
    Ok(rubric)
}

/// Checks what serde cannot: a known format, every point has terms and a usable weight, a
/// behavioural rubric has the four STAR elements in order, a technical one at least one key
/// point, a focus says what it is about, every misconception has cues, a claim and a correction.
pub fn validate(rubric: &Rubric) -> Result<(), String> {
    if !(1..=2).contains(&rubric.format) {
        return Err(format!(
            "format {} is not one this hone reads (1 or 2)",
            rubric.format
        ));
    }
    if let Some(focus) = &rubric.focus {
        if focus.about.trim().is_empty() || focus.terms.iter().all(|t| t.trim().is_empty()) {
            return Err("[focus] needs `about` and at least one of `terms`".to_string());
        }
    }
    for (i, m) in rubric.misconceptions.iter().enumerate() {
        if m.claim.trim().is_empty() || m.correction.trim().is_empty() {
            return Err(format!(
                "misconceptions[{i}] needs a `claim` and a `correction`"
            ));
        }
        if m.detect.is_empty()
            || m.detect
                .iter()
                .any(|group| group.is_empty() || group.iter().any(|cue| cue.trim().is_empty()))
        {
            return Err(format!(
                "misconceptions[{i}] (`{}`): `detect` needs groups of non-empty cue words, e.g. [[\"deque\"], [\"O(1)\", \"constant\"]]",
                m.claim
            ));
        }
    }
    for (i, point) in rubric.key_points.iter().enumerate() {
        if point.terms.iter().all(|t| t.trim().is_empty()) {
            return Err(format!("key_points[{i}] (`{}`) has no terms", point.label));
        }
        if !point.weight.is_finite() || point.weight <= 0.0 {
            return Err(format!(
                "key_points[{i}] (`{}`) needs a weight above 0, not {}",
                point.label, point.weight
            ));
        }
    }
    if rubric.kind == Kind::Behavioural {
        let parts: Vec<StarPart> = rubric.star.iter().map(|e| e.part).collect();
        if parts != StarPart::ALL {
            return Err(format!(
                "a behavioural rubric needs star elements situation, task, action, result in that order (found {parts:?})"
            ));
        }
    } else if rubric.key_points.is_empty() {
        return Err("a technical rubric needs at least one [[key_points]] entry".to_string());
    }
    Ok(())
}

/// The TOML file for a rubric, with a header telling a coach how to edit it.
pub fn render(rubric: &Rubric) -> String {
    let body = toml::to_string_pretty(rubric).expect("rubrics always serialise to TOML");
    format!(
        "# Rubric for {id}, generated by `hone rubric build` from the model answer.\n\
         # To edit: change labels, terms (matched stemmed, typo-tolerant, with synonyms), weights\n\
         # (relative, 1.0 = normal) or STAR expectations, then set `hand_edited = true` so that\n\
         # `hone rubric build` keeps your edits and `hone rubric check` stops comparing this file\n\
         # with the extractor. Point kinds: concept, complexity, technology, code, number.\n\n{body}",
        id = rubric.id
    )
}

/// One problem `hone rubric check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file concerned.
    pub path: PathBuf,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks the rubric files under `dir` against `questions`: each must exist, parse, and —
/// unless `hand_edited = true` — equal what the extractor produces now. Files that belong to no
/// question are reported too.
pub fn check(dir: &Path, questions: &[Question]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for question in questions {
        let rel = relative_path(question);
        let path = dir.join(&rel);
        expected.insert(path.clone());
        if !path.is_file() {
            problems.push(Problem {
                path,
                line: None,
                message: format!(
                    "missing rubric for {} (run `hone rubric build`)",
                    question.id
                ),
            });
            continue;
        }
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| (None, format!("cannot read rubric: {e}")))
            .and_then(|text| parse_located(&text));
        match parsed {
            Err((line, message)) => problems.push(Problem {
                path,
                line,
                message,
            }),
            Ok(rubric) if rubric.hand_edited => {}
            Ok(rubric) => {
                if rubric != extract::extract(question) {
                    problems.push(Problem {
                        path,
                        line: None,
                        message: format!(
                            "differs from what the extractor produces for {} (run `hone rubric build`, or set `hand_edited = true` to keep your edits)",
                            question.id
                        ),
                    });
                }
            }
        }
    }
    for path in toml_files(dir) {
        if !expected.contains(&path) {
            problems.push(Problem {
                path,
                line: None,
                message: "no question has this rubric file (delete it or fix its name)".into(),
            });
        }
    }
    problems
}

/// Every `.toml` file under `dir`, sorted.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::extract::from_reference;

    /// A rubric as a file holds it: files never say how a rubric was first built.
    fn sample() -> Rubric {
        Rubric {
            built_from_reference: false,
            ..from_reference(
                "pse/dsa/1",
                "Explain an LRU cache.",
                "A hash map gives O(1) lookup. A doubly linked list keeps the order.",
                Some(Kind::Algorithm),
            )
        }
    }

    #[test]
    fn render_then_parse_round_trips() {
        let r = sample();
        let text = render(&r);
        assert!(text.starts_with("# Rubric for pse/dsa/1"));
        assert_eq!(parse(&text, "x.toml").unwrap(), r);
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let text = render(&sample()).replacen("weight = ", "weight == ", 1);
        let line = text.lines().position(|l| l.contains("weight ==")).unwrap() + 1;
        let err = parse(&text, "rubrics/pse/dsa-1.toml").unwrap_err();
        assert!(
            err.message
                .starts_with(&format!("rubrics/pse/dsa-1.toml:{line}: ")),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_field_names_file_line_and_field() {
        let text =
            render(&sample()).replacen("[[key_points]]\n", "[[key_points]]\nlabell = \"x\"\n", 1);
        let line = text.lines().position(|l| l.starts_with("labell")).unwrap() + 1;
        let err = parse(&text, "f.toml").unwrap_err();
        assert!(
            err.message.starts_with(&format!("f.toml:{line}: ")),
            "{}",
            err.message
        );
        assert!(err.message.contains("labell"), "{}", err.message);
    }

    #[test]
    fn format_two_fields_are_checked() {
        let base = render(&sample());
        let with = |extra: &str| parse(&format!("{base}\n{extra}"), "x.toml");
        let ok = with("[[misconceptions]]\nclaim = \"A deque removes any key in O(1).\"\ndetect = [[\"deque\"], [\"O(1)\"]]\ncorrection = \"It needs a doubly linked list.\"\n");
        assert!(ok.is_ok(), "{ok:?}");
        let empty_group = with(
            "[[misconceptions]]\nclaim = \"c\"\ndetect = [[\"deque\"], []]\ncorrection = \"d\"\n",
        );
        assert!(empty_group
            .unwrap_err()
            .to_string()
            .contains("misconceptions[0]"));
        let no_terms = with("[focus]\nabout = \"LRU\"\nterms = []\n");
        assert!(no_terms.unwrap_err().to_string().contains("[focus]"));
        let future = parse(
            &base.replace("hand_edited = false", "hand_edited = false\nformat = 3"),
            "x.toml",
        );
        assert!(future.unwrap_err().to_string().contains("format 3"));
    }

    #[test]
    fn wrong_types_and_empty_terms_are_refused() {
        let text = render(&sample()).replacen("weight = 1", "weight = \"heavy\" # 1", 1);
        assert!(parse(&text, "f.toml").is_err());
        let mut r = sample();
        r.key_points[0].terms.clear();
        let err = parse(&render(&r), "f.toml").unwrap_err();
        assert!(err.message.contains("key_points[0]"), "{}", err.message);
    }

    #[test]
    fn embedded_files_are_sorted_for_lookup() {
        assert!(EMBEDDED.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
