//! Questions and banks: the `Question` type, stable ids, the catalog of every question hone
//! knows (the two bundled banks plus user banks), and lookup.
//!
//! Ids are `<bank>/<section>/<number>` (`pse/dsa/1`). Parsing of interview documents lives in
//! `document`, user bank formats (TOML/JSONL) in `user`, slugs and kinds in `classify`, finding a
//! question from what the user typed in `lookup`.

pub mod classify;
pub mod document;
pub mod lookup;
pub mod user;

use std::path::Path;
use std::sync::{Arc, OnceLock};

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

    /// Reads a kind as typed by a user: the names above, plus `behavioral`, `algorithms`, `dsa`,
    /// `concepts`, `system-design`; case-insensitive.
    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.trim().to_lowercase();
        let kind = match t.as_str() {
            "concept" | "concepts" => Kind::Concept,
            "algorithm" | "algorithms" | "dsa" => Kind::Algorithm,
            "design" | "system-design" => Kind::Design,
            "coding" | "code" => Kind::Coding,
            "behavioural" | "behavioral" => Kind::Behavioural,
            _ => return None,
        };
        Some(kind)
    }

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

/// A bank: its slug, title and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankInfo {
    /// Bank slug, e.g. `pse`.
    pub slug: String,
    /// Title, e.g. `Principal Software Engineer — Interview Questions and Answers`.
    pub title: String,
    /// Where the bank came from: `bundled` or the file path.
    pub source: String,
}

/// All questions hone knows: the bundled banks plus any user banks.
///
/// Cheap to clone: the questions are shared.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    questions: Arc<Vec<Question>>,
    banks: Arc<Vec<BankInfo>>,
}

/// The bundled banks: (slug, document text).
const BUNDLED: [(&str, &str); 2] = [
    ("pse", include_str!("../../fixtures/banks/pse.txt")),
    ("fde", include_str!("../../fixtures/banks/fde.txt")),
];

impl Catalog {
    /// The two bundled default banks (embedded in the binary), parsed once per process.
    pub fn bundled() -> Result<Catalog, crate::InputError> {
        static BUNDLED_CATALOG: OnceLock<Catalog> = OnceLock::new();
        Ok(BUNDLED_CATALOG.get_or_init(parse_bundled).clone())
    }

    /// The bundled banks plus the user banks in `bank_files` (TOML, JSONL or interview
    /// documents; see `user`). Fails on the first bad file, naming it, or on a duplicate id.
    pub fn load<P: AsRef<Path>>(bank_files: &[P]) -> Result<Catalog, crate::InputError> {
        let bundled = Catalog::bundled()?;
        if bank_files.is_empty() {
            return Ok(bundled);
        }
        let mut questions = bundled.questions.as_ref().clone();
        let mut banks = bundled.banks.as_ref().clone();
        let mut seen: std::collections::HashMap<String, String> = questions
            .iter()
            .map(|q| (q.id.to_lowercase(), "the bundled banks".to_string()))
            .collect();
        for path in bank_files {
            let path = path.as_ref();
            let loaded = user::load_file(path)?;
            for (question, line) in loaded.questions {
                let key = question.id.to_lowercase();
                let here = format!("{}:{line}", path.display());
                if let Some(first) = seen.get(&key) {
                    return Err(crate::InputError::new(format!(
                        "{here}: duplicate question id `{}` (already in {first})",
                        question.id
                    ))
                    .with_hint("give each question its own id, or use another bank name"));
                }
                seen.insert(key, here);
                questions.push(question);
            }
            banks.extend(loaded.banks);
        }
        Ok(Catalog {
            questions: Arc::new(questions),
            banks: Arc::new(banks),
        })
    }

    /// A catalog of the given questions.
    pub fn from_questions(questions: Vec<Question>) -> Catalog {
        let mut banks: Vec<BankInfo> = Vec::new();
        for q in &questions {
            if !banks.iter().any(|b| b.slug == q.bank) {
                banks.push(BankInfo {
                    slug: q.bank.clone(),
                    title: q.bank.clone(),
                    source: "given".to_string(),
                });
            }
        }
        Catalog {
            questions: Arc::new(questions),
            banks: Arc::new(banks),
        }
    }

    /// Every question, in bank, section, number order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The banks, in load order.
    pub fn banks(&self) -> &[BankInfo] {
        &self.banks
    }

    /// Finds a question by id, short id (`p.dsa.1`), unique id prefix, or question text
    /// (see [`lookup::find`]).
    ///
    /// A miss is an [`InputError`](crate::InputError) with a "did you mean" hint.
    pub fn find(&self, query: &str) -> Result<&Question, crate::InputError> {
        lookup::find(&self.questions, query)
    }

    /// The short form of a question's id: shortest unique bank prefix, section, number
    /// (`pse/dsa/1` → `p.dsa.1`).
    pub fn short_id(&self, question: &Question) -> String {
        lookup::short_id(&self.banks, question)
    }
}

fn parse_bundled() -> Catalog {
    let mut questions = Vec::new();
    let mut banks = Vec::new();
    for (slug, text) in BUNDLED {
        let doc = document::parse(text).expect("the bundled banks parse");
        banks.push(BankInfo {
            slug: slug.to_string(),
            title: doc.title.clone(),
            source: "bundled".to_string(),
        });
        questions.extend(questions_of(slug, doc).into_iter().map(|(q, _)| q));
    }
    Catalog {
        questions: Arc::new(questions),
        banks: Arc::new(banks),
    }
}

/// The questions of a parsed document in bank `bank`, each with its line in the document.
pub fn questions_of(bank: &str, doc: document::Document) -> Vec<(Question, usize)> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for section in doc.sections {
        let slug = classify::section_slug(&section.title, &taken);
        taken.push(slug.clone());
        let default_kind = classify::section_kind(&section.title);
        for entry in section.questions {
            let question = Question {
                id: format!("{bank}/{slug}/{}", entry.number),
                bank: bank.to_string(),
                section: slug.clone(),
                section_title: section.title.clone(),
                number: entry.number,
                kind: classify::question_kind(default_kind, &entry.answer),
                text: entry.text,
                model_answer: entry.answer,
            };
            out.push((question, entry.line));
        }
    }
    out
}
