//! Questions and banks: the `Question` type, stable ids, lookup, and the bundled default banks.
//!
//! Parsing of interview documents lives in `document`, user bank formats (TOML/JSONL) in `user`.

use serde::{Deserialize, Serialize};

/// What kind of question this is; decides how it is graded (behavioural → STAR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Principles and explanations ("Explain the CAP theorem").
    Concept,
    /// Data structures and algorithms, usually with complexity claims.
    Algorithm,
    /// System design.
    Design,
    /// Writing or debugging code.
    Coding,
    /// "Tell me about a time…": graded as a STAR story.
    Behavioural,
}

impl Kind {
    /// All kinds, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Concept,
        Kind::Algorithm,
        Kind::Design,
        Kind::Coding,
        Kind::Behavioural,
    ];

    /// The lowercase name used in ids, TOML and flags.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Concept => "concept",
            Kind::Algorithm => "algorithm",
            Kind::Design => "design",
            Kind::Coding => "coding",
            Kind::Behavioural => "behavioural",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One interview question with its model answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, `<bank>/<section>/<number>`, e.g. `pse/design/3`.
    pub id: String,
    /// Bank slug, e.g. `pse`.
    pub bank: String,
    /// Section slug, e.g. `design`.
    pub section: String,
    /// Section title as written in the document, e.g. `System Design`.
    pub section_title: String,
    /// 1-based number within the section.
    pub number: u32,
    /// The question text.
    pub text: String,
    /// The model answer, Markdown-ish: code blocks, bullets and bold kept.
    pub model_answer: String,
    /// How the question is graded.
    pub kind: Kind,
}

/// All questions hone knows: the bundled banks plus any user banks.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    questions: Vec<Question>,
}

impl Catalog {
    /// The two bundled default banks (embedded in the binary).
    ///
    /// Placeholder until the bank parser lands: an empty catalog.
    pub fn bundled() -> Result<Catalog, crate::InputError> {
        Ok(Catalog::default())
    }

    /// A catalog of the given questions.
    pub fn from_questions(questions: Vec<Question>) -> Catalog {
        Catalog { questions }
    }

    /// Every question, in bank, section, number order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// Finds a question by id, short id, unique id prefix, or exact question text.
    ///
    /// A miss is an [`InputError`](crate::InputError) with a "did you mean" hint.
    pub fn find(&self, query: &str) -> Result<&Question, crate::InputError> {
        self.questions
            .iter()
            .find(|q| q.id == query || q.text == query)
            .ok_or_else(|| crate::InputError::new(format!("unknown question `{query}`")))
    }
}
