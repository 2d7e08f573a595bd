//! Answer inputs for `hone batch INPUT...`: JSONL files, Markdown answer files, folders and globs.
//!
//! [`expand`] turns the command-line inputs into a list of files (a path that names nothing is a
//! usage error); [`read`] streams their answers one by one, so a million-line JSONL file is never
//! held in memory. A file that cannot be read, or a JSONL row that is not a valid answer, becomes
//! an [`InputFailure`] in place of its answers and the rest still grade.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::item::{AnswerItem, Input, InputFailure, Source};
use super::markdown;
use crate::bank::Kind;
use crate::InputError;

/// What kind of answer file a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One JSON object per line.
    Jsonl,
    /// One heading per question.
    Markdown,
}

/// A file to read answers from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as it will appear in reports.
    pub path: PathBuf,
    /// How to read it.
    pub kind: FileKind,
}

/// The UTF-8 byte-order mark some editors put at the start of a file; skipped.
const BOM: char = '\u{feff}';

const JSONL_EXTENSIONS: [&str; 3] = ["jsonl", "ndjson", "json"];
const MARKDOWN_EXTENSIONS: [&str; 3] = ["md", "markdown", "mdown"];

/// The kind of a file by extension; `None` for anything else.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if JSONL_EXTENSIONS.contains(&ext.as_str()) {
        Some(FileKind::Jsonl)
    } else if MARKDOWN_EXTENSIONS.contains(&ext.as_str()) {
        Some(FileKind::Markdown)
    } else {
        None
    }
}

/// Expands files, folders (searched recursively for `.md` and `.jsonl` files) and glob patterns,
/// in the order given, folders and globs sorted. A file named directly with another extension is
/// read as Markdown. A path or pattern that matches nothing is an [`InputError`].
pub fn expand(inputs: &[String]) -> Result<Vec<InputFile>, InputError> {
    let mut files = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files)
                .map_err(|e| InputError::new(format!("cannot read folder {input}: {e}")))?;
            if files.len() == before {
                return Err(InputError::new(format!(
                    "folder {input} holds no answer files (.md or .jsonl)"
                )));
            }
        } else if path.exists() {
            files.push(InputFile {
                path: path.to_path_buf(),
                kind: kind_of(path).unwrap_or(FileKind::Markdown),
            });
        } else if is_glob(input) {
            expand_glob(input, &mut files)?;
        } else {
            return Err(InputError::new(format!("{input}: no such file or folder"))
                .with_hint("check the path; quote globs like \"answers/**/*.md\""));
        }
    }
    Ok(files)
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

fn expand_glob(pattern: &str, files: &mut Vec<InputFile>) -> Result<(), InputError> {
    let options = glob::MatchOptions {
        require_literal_leading_dot: true,
        ..glob::MatchOptions::new()
    };
    let paths = glob::glob_with(pattern, options)
        .map_err(|e| InputError::new(format!("bad glob `{pattern}`: {e}")))?;
    let mut matched: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
    matched.sort();
    let before = files.len();
    for path in matched {
        if path.is_dir() {
            walk(&path, files).map_err(|e| {
                InputError::new(format!("cannot read folder {}: {e}", path.display()))
            })?;
        } else if let Some(kind) = kind_of(&path) {
            files.push(InputFile { path, kind });
        }
    }
    if files.len() == before {
        return Err(InputError::new(format!(
            "glob `{pattern}` matches no answer files (.md or .jsonl)"
        )));
    }
    Ok(())
}

/// Appends the answer files under `dir`, recursively, in sorted order (hidden entries skipped).
/// Symbolic links are followed, but a link back to a folder being walked (`answers/up -> ..`)
/// is skipped, and a file reached twice through links is read once.
fn walk(dir: &Path, files: &mut Vec<InputFile>) -> std::io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let path = match entry {
            Ok(entry) if entry.file_type().is_dir() => continue,
            Ok(entry) => entry.into_path(),
            // A symlink loop: everything under it is already being walked.
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A link to nothing: listed, so that reading it reports it as a bad input.
            Err(e) if e.depth() > 0 && e.path().is_some_and(Path::is_symlink) => {
                e.path().map(Path::to_path_buf).unwrap_or_default()
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(kind) = kind_of(&path) {
            if seen.insert(real_path(&path)) {
                files.push(InputFile { path, kind });
            }
        }
    }
    Ok(())
}

/// Where `path` really is: links resolved (a link to nothing: its folder resolved), so that a
/// file reached along several paths is read once.
fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| {
            let folder = std::fs::canonicalize(path.parent().unwrap_or(Path::new(".")))?;
            Ok::<_, std::io::Error>(folder.join(path.file_name().unwrap_or_default()))
        })
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Streams every input of every file, in order.
pub fn read(files: Vec<InputFile>) -> impl Iterator<Item = Input> + Send {
    files.into_iter().flat_map(read_file)
}

/// The path as written in reports: as given, with `/` separators.
fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = text.strip_prefix("./").unwrap_or(&text);
    text.replace('\\', "/")
}

fn read_file(file: InputFile) -> Box<dyn Iterator<Item = Input> + Send> {
    let name = display_path(&file.path);
    let failure = |message: String| {
        Box::new(std::iter::once(Input::Failure(InputFailure {
            source: Source {
                file: name.clone(),
                line: 0,
            },
            message,
            question: None,
            candidate: None,
        }))) as Box<dyn Iterator<Item = Input> + Send>
    };
    let opened = match File::open(&file.path) {
        Ok(f) => f,
        Err(e) => return failure(format!("cannot read this file: {e}")),
    };
    match file.kind {
        FileKind::Jsonl => Box::new(JsonlReader::new(name, opened)),
        FileKind::Markdown => match read_markdown(&name, opened) {
            Ok(inputs) => Box::new(inputs.into_iter()),
            Err(message) => failure(message),
        },
    }
}

fn read_markdown(name: &str, mut file: File) -> Result<Vec<Input>, String> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read this file: {e}"))?;
    if bytes.contains(&0) {
        return Err("binary data, not text; give answers as Markdown".into());
    }
    let text =
        String::from_utf8(bytes).map_err(|_| "not UTF-8 text; save it as UTF-8".to_string())?;
    // A byte-order mark would hide the front matter (and the candidate it names).
    let parsed = markdown::parse(text.strip_prefix(BOM).unwrap_or(&text));
    if parsed.sections.is_empty() {
        return Err(
            "no question headings; start each answer with `# <bank id or question text>`".into(),
        );
    }
    let candidate = parsed.candidate.or_else(|| file_stem(name));
    Ok(parsed
        .sections
        .into_iter()
        .map(|section| {
            Input::Answer(AnswerItem {
                source: Source {
                    file: name.to_string(),
                    line: section.line,
                },
                question: section.heading,
                answer: section.answer,
                candidate: candidate.clone(),
                reference: None,
                kind: None,
                fields: Map::new(),
            })
        })
        .collect())
}

fn file_stem(name: &str) -> Option<String> {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
}

/// Reads a JSONL file line by line; never holds more than one line.
struct JsonlReader {
    name: String,
    reader: Option<BufReader<File>>,
    line: u64,
    buffer: Vec<u8>,
}

impl JsonlReader {
    fn new(name: String, file: File) -> Self {
        Self {
            name,
            reader: Some(BufReader::with_capacity(256 * 1024, file)),
            line: 0,
            buffer: Vec::new(),
        }
    }

    fn failure(&self, message: String) -> Input {
        Input::Failure(InputFailure {
            source: Source {
                file: self.name.clone(),
                line: self.line,
            },
            message,
            question: None,
            candidate: None,
        })
    }
}

impl Iterator for JsonlReader {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            let reader = self.reader.as_mut()?;
            self.buffer.clear();
            self.line += 1;
            match reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => {
                    self.reader = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.reader = None;
                    return Some(self.failure(format!("cannot read past this line: {e}")));
                }
            }
            let Ok(text) = std::str::from_utf8(&self.buffer) else {
                return Some(self.failure("not UTF-8 text".into()));
            };
            // Editors on Windows start UTF-8 files with a byte-order mark.
            let text = match self.line {
                1 => text.strip_prefix(BOM).unwrap_or(text),
                _ => text,
            };
            if text.trim().is_empty() {
                continue;
            }
            let source = Source {
                file: self.name.clone(),
                line: self.line,
            };
            return Some(match parse_row(text, source) {
                Ok(item) => Input::Answer(item),
                Err(message) => self.failure(message),
            });
        }
    }
}

/// Parses one JSONL row: `question` and `answer` required; `candidate`, `reference` and `kind`
/// optional; every other field passed through.
pub fn parse_row(text: &str, source: Source) -> Result<AnswerItem, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let Value::Object(mut fields) = value else {
        return Err("each line must be a JSON object with `question` and `answer`".into());
    };
    let question = take_string(&mut fields, "question")?
        .filter(|q| !q.trim().is_empty())
        .ok_or("missing `question` (a bank id or the question text)")?;
    let answer = take_string(&mut fields, "answer")?.ok_or("missing `answer` (a string)")?;
    let candidate = take_string(&mut fields, "candidate")?;
    let reference = take_string(&mut fields, "reference")?.filter(|r| !r.trim().is_empty());
    let kind = match take_string(&mut fields, "kind")? {
        None => None,
        Some(k) => Some(parse_kind(&k)?),
    };
    Ok(AnswerItem {
        source,
        question: question.trim().to_string(),
        answer,
        candidate,
        reference,
        kind,
        fields,
    })
}

fn take_string(fields: &mut Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match fields.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) if name == "candidate" => Ok(Some(n.to_string())),
        Some(_) => Err(format!("`{name}` must be a string")),
    }
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    let lower = text.trim().to_ascii_lowercase();
    let lower = if lower == "behavioral" {
        "behavioural".to_string()
    } else {
        lower
    };
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == lower)
        .ok_or_else(|| {
            format!("`kind` must be one of concept, algorithm, design, coding, behavioural (got `{text}`)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> Source {
        Source {
            file: "a.jsonl".into(),
            line: 3,
        }
    }

    #[test]
    fn row_fields_are_split_and_the_rest_passed_through() {
        let item = parse_row(
            r#"{"question":"pse/dsa/1","answer":"a map","candidate":"ann","team":"red","n":2}"#,
            src(),
        )
        .unwrap();
        assert_eq!(item.question, "pse/dsa/1");
        assert_eq!(item.candidate.as_deref(), Some("ann"));
        assert_eq!(item.fields.len(), 2);
        assert_eq!(item.fields["team"], "red");
    }

    #[test]
    fn bad_rows_say_what_is_wrong() {
        let cases = [
            ("{not json", "not valid JSON"),
            ("[1,2]", "JSON object"),
            (r#"{"answer":"x"}"#, "missing `question`"),
            (r#"{"question":"q"}"#, "missing `answer`"),
            (
                r#"{"question":"q","answer":5}"#,
                "`answer` must be a string",
            ),
            (
                r#"{"question":"q","answer":"a","kind":"poem"}"#,
                "`kind` must be one of",
            ),
        ];
        for (row, expected) in cases {
            let err = parse_row(row, src()).unwrap_err();
            assert!(err.contains(expected), "{row}: {err}");
        }
    }

    #[test]
    fn kind_accepts_american_spelling() {
        let item = parse_row(
            r#"{"question":"q","answer":"a","reference":"r","kind":"Behavioral"}"#,
            src(),
        )
        .unwrap();
        assert_eq!(item.kind, Some(Kind::Behavioural));
    }

    #[test]
    fn jsonl_streams_rows_and_failures_with_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(
            &path,
            "{\"question\":\"q1\",\"answer\":\"a\"}\n\n{oops\n{\"question\":\"q2\",\"answer\":\"b\"}",
        )
        .unwrap();
        let inputs: Vec<Input> = read(vec![InputFile {
            path: path.clone(),
            kind: FileKind::Jsonl,
        }])
        .collect();
        let lines: Vec<u64> = inputs.iter().map(|i| i.source().line).collect();
        assert_eq!(lines, [1, 3, 4]);
        assert!(matches!(&inputs[1], Input::Failure(f) if f.message.starts_with("not valid JSON")));
    }

    #[test]
    fn folders_and_globs_expand_sorted_and_missing_paths_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.md", "a.jsonl", "sub/c.md", "notes.txt", ".hidden.md"] {
            std::fs::write(dir.path().join(name), "# q\na\n").unwrap();
        }
        let root = dir.path().to_string_lossy().into_owned();
        let files = expand(std::slice::from_ref(&root)).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.jsonl", "b.md", "sub/c.md"]);
        let globbed = expand(&[format!("{root}/*.md")]).unwrap();
        assert_eq!(globbed.len(), 1);
        assert!(expand(&[format!("{root}/missing.md")]).is_err());
        assert!(expand(&[format!("{root}/*.nothing")]).is_err());
    }

    #[test]
    fn a_binary_markdown_file_is_one_failure_and_the_others_read() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("a.md");
        std::fs::write(&binary, b"# pse/dsa/1\nhello\0world\n").unwrap();
        let text = dir.path().join("b.md");
        std::fs::write(&text, "# pse/dsa/1\nA hash map and a linked list.\n").unwrap();
        let inputs: Vec<Input> = read(
            [binary, text]
                .into_iter()
                .map(|path| InputFile {
                    path,
                    kind: FileKind::Markdown,
                })
                .collect(),
        )
        .collect();
        assert_eq!(inputs.len(), 2);
        assert!(matches!(&inputs[0], Input::Failure(f) if f.message.starts_with("binary data")));
        assert!(matches!(&inputs[1], Input::Answer(_)));
    }
}
