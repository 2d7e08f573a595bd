//! What the inputs yield: an answer to grade, or a failure to report in its place.

use serde::{Deserialize, Serialize};

use crate::bank::Kind;

/// Where an answer came from: the file as given on the command line and a 1-based line.
///
/// For a Markdown answer file the line is the question's heading; for JSONL it is the row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// The file, as the user named it (relative paths stay relative, `/` separators).
    pub file: String,
    /// 1-based line number (0 when the whole file failed to open).
    pub line: u64,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// One answer to grade.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerItem {
    /// Where it came from.
    pub source: Source,
    /// The question as written: a bank id or the question text.
    pub question: String,
    /// The candidate's answer.
    pub answer: String,
    /// Who wrote it, when known (JSONL `candidate`, Markdown front matter or file name).
    pub candidate: Option<String>,
    /// A reference answer to build the rubric from (then the question need not be in a bank).
    pub reference: Option<String>,
    /// Question kind for a reference-built rubric (JSONL `kind`).
    pub kind: Option<Kind>,
    /// Any other JSONL fields, passed through to the reports untouched.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// Something that could not become an answer (unreadable file, bad JSONL row).
#[derive(Debug, Clone, PartialEq)]
pub struct InputFailure {
    /// Where it happened.
    pub source: Source,
    /// One clear sentence saying what is wrong and what to do.
    pub message: String,
    /// The question, when it could be read.
    pub question: Option<String>,
    /// The candidate, when it could be read.
    pub candidate: Option<String>,
}

/// What the inputs yield, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An answer to grade.
    Answer(AnswerItem),
    /// A row or file that becomes an error row in the reports.
    Failure(InputFailure),
}

impl Input {
    /// Where this input came from.
    pub fn source(&self) -> &Source {
        match self {
            Input::Answer(a) => &a.source,
            Input::Failure(f) => &f.source,
        }
    }
}
