//! User question banks: reading a bank file (TOML, JSONL, or an interview document in the same
//! style as the bundled banks) into questions, with one clear error line per problem.
//!
//! TOML (`*.toml`): optional top-level `bank` and `title`, then `[[question]]` tables.
//! JSONL (`*.jsonl`, `*.ndjson`, `*.json`): one object per line.
//! Both take the fields `question`, `answer` (required), `id`, `kind`, `section`, `bank`
//! (optional). Any other file is read as an interview document. The bank slug comes from a `bank`
//! field or the file name (`sql-drills.toml` → `sql-drills`).
//!
//! An `id` may be `bank/section/n`, `section/n` or `n`; missing parts come from the bank, the
//! `section` field (slugified) or `general`, and a missing id numbers the question within its
//! section.

use std::path::Path;

use serde::Deserialize;

use super::{classify, document, BankInfo, Kind, Question};
use crate::InputError;

/// Questions read from one bank file, each with its line, and the banks they belong to.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The questions with the 1-based line where each is defined.
    pub questions: Vec<(Question, usize)>,
    /// The banks the file defines.
    pub banks: Vec<BankInfo>,
}

/// Reads one bank file; the format follows the file extension (see the module doc).
pub fn load_file(path: &Path) -> Result<Loaded, InputError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        InputError::new(format!("{shown}: cannot read bank file ({e})"))
            .with_hint("check the path given to --bank-file")
    })?;
    let text = as_text(&shown, &bytes)?;
    // A byte-order mark (some Windows editors write one) is not part of the first line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(InputError::new(format!("{shown}: bank file is empty"))
            .with_hint("add questions; README.md § Question banks shows the formats"));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let file = BankFile {
        shown,
        default_bank: match classify::slugify(&stem) {
            s if s.is_empty() => "bank".to_string(),
            s => s,
        },
    };
    match extension.as_str() {
        "toml" => file.read_toml(text),
        "jsonl" | "ndjson" | "json" => file.read_jsonl(text),
        _ => file.read_document(text),
    }
}

/// The bytes as UTF-8 text, or an error naming the file when they are binary or not UTF-8.
fn as_text<'a>(shown: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    let binary = |at: usize| {
        InputError::new(format!(
            "{shown}: not a text file (binary or non-UTF-8 data at byte {at})"
        ))
        .with_hint("a bank must be UTF-8 text: TOML, JSONL or an interview document")
    };
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(binary(at));
    }
    std::str::from_utf8(bytes).map_err(|e| binary(e.valid_up_to()))
}

/// One question as written in a TOML table or a JSONL object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Option<String>,
    #[serde(alias = "text")]
    question: String,
    #[serde(alias = "model_answer")]
    answer: String,
    kind: Option<String>,
    section: Option<String>,
    bank: Option<String>,
}

/// A TOML bank file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlBank {
    bank: Option<String>,
    title: Option<String>,
    #[serde(default)]
    question: Vec<toml::Spanned<Entry>>,
}

/// The file being read: how to name it in messages and its default bank slug.
struct BankFile {
    shown: String,
    default_bank: String,
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl BankFile {
    fn error(&self, line: usize, message: impl std::fmt::Display) -> InputError {
        InputError::new(format!("{}:{line}: {message}", self.shown))
    }

    fn read_toml(&self, text: &str) -> Result<Loaded, InputError> {
        let bank: TomlBank = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            self.error(line, format!("invalid TOML bank: {}", e.message().trim()))
                .with_hint("see README.md § Question banks for the fields")
        })?;
        let default_bank = match &bank.bank {
            Some(b) => self.slug(b, 1)?,
            None => self.default_bank.clone(),
        };
        let entries = bank
            .question
            .into_iter()
            .map(|s| (line_of(text, s.span().start), s.into_inner()))
            .collect();
        self.build(entries, &default_bank, bank.title)
    }

    fn read_jsonl(&self, text: &str) -> Result<Loaded, InputError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            let entry: Entry = serde_json::from_str(raw).map_err(|e| {
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message);
                self.error(
                    i + 1,
                    format!("invalid JSONL bank line: {message} (column {})", e.column()),
                )
                .with_hint("each line must be one JSON object with `question` and `answer`")
            })?;
            entries.push((i + 1, entry));
        }
        let default_bank = self.default_bank.clone();
        self.build(entries, &default_bank, None)
    }

    fn read_document(&self, text: &str) -> Result<Loaded, InputError> {
        let doc = document::parse(text).map_err(|document::ParseError::NoQuestions| {
            InputError::new(format!("{}: no numbered questions found", self.shown)).with_hint(
                "a bank document needs section headings followed by numbered questions (`1. What is …?`), each followed by its model answer",
            )
        })?;
        let title = match doc.title.trim() {
            "" => self.default_bank.clone(),
            t => t.to_string(),
        };
        Ok(Loaded {
            questions: super::questions_of(&self.default_bank, doc),
            banks: vec![BankInfo {
                slug: self.default_bank.clone(),
                title,
                source: self.shown.clone(),
            }],
        })
    }

    fn slug(&self, name: &str, line: usize) -> Result<String, InputError> {
        match classify::slugify(name) {
            s if s.is_empty() => {
                Err(self.error(line, format!("bank name `{name}` has no letters or digits")))
            }
            s => Ok(s),
        }
    }

    /// Turns entries into questions: ids completed, kinds checked or inferred.
    fn build(
        &self,
        entries: Vec<(usize, Entry)>,
        default_bank: &str,
        title: Option<String>,
    ) -> Result<Loaded, InputError> {
        if entries.is_empty() {
            return Err(
                InputError::new(format!("{}: bank file has no questions", self.shown)).with_hint(
                    "add entries with `question` and `answer`; README.md § Question banks",
                ),
            );
        }
        let mut loaded = Loaded::default();
        for (line, entry) in entries {
            let question = self.question(line, entry, default_bank, &loaded)?;
            if !loaded.banks.iter().any(|b| b.slug == question.bank) {
                loaded.banks.push(BankInfo {
                    slug: question.bank.clone(),
                    title: title.clone().unwrap_or_else(|| question.bank.clone()),
                    source: self.shown.clone(),
                });
            }
            loaded.questions.push((question, line));
        }
        Ok(loaded)
    }

    fn question(
        &self,
        line: usize,
        entry: Entry,
        default_bank: &str,
        so_far: &Loaded,
    ) -> Result<Question, InputError> {
        for (field, value) in [("question", &entry.question), ("answer", &entry.answer)] {
            if value.trim().is_empty() {
                return Err(self.error(line, format!("`{field}` is empty")));
            }
        }
        let mut bank = match &entry.bank {
            Some(b) => self.slug(b, line)?,
            None => default_bank.to_string(),
        };
        let section_slug = entry
            .section
            .as_deref()
            .map(classify::slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "general".to_string());
        let parts = match &entry.id {
            Some(id) => self.id_parts(line, id)?,
            None => Vec::new(),
        };
        let (section, last) = match parts.as_slice() {
            [b, s, n] => {
                bank = b.clone();
                (s.clone(), Some(n.clone()))
            }
            [s, n] => (s.clone(), Some(n.clone())),
            [n] => (section_slug, Some(n.clone())),
            _ => (section_slug, None),
        };
        let position = so_far
            .questions
            .iter()
            .filter(|(q, _)| q.bank == bank && q.section == section)
            .count() as u32
            + 1;
        let number = last
            .as_deref()
            .and_then(|n| n.parse().ok())
            .unwrap_or(position);
        let last = last.unwrap_or_else(|| number.to_string());
        let section_title = entry.section.clone().unwrap_or_else(|| section.clone());
        let kind = match &entry.kind {
            Some(k) => Kind::parse(k).ok_or_else(|| {
                self.error(line, format!("unknown kind `{k}`"))
                    .with_hint("use concept, algorithm, design, coding or behavioural")
            })?,
            None => classify::question_kind(classify::section_kind(&section_title), &entry.answer),
        };
        Ok(Question {
            id: format!("{bank}/{section}/{last}"),
            bank,
            section,
            section_title,
            number,
            text: entry.question.trim().to_string(),
            model_answer: entry.answer.trim().to_string(),
            kind,
        })
    }

    /// The `/`-separated parts of an id, lowercased and checked.
    fn id_parts(&self, line: usize, id: &str) -> Result<Vec<String>, InputError> {
        let parts: Vec<String> = id
            .trim()
            .to_lowercase()
            .split('/')
            .map(str::to_string)
            .collect();
        let valid = |p: &String| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if parts.len() > 3 || !parts.iter().all(valid) {
            return Err(self.error(line, format!("invalid id `{id}`")).with_hint(
                "ids are `bank/section/n`, `section/n` or `n`, using letters, digits, `-` and `_`",
            ));
        }
        Ok(parts)
    }
}
