//! Which questions a practice or progress run covers: `--bank`, `--section`, `--kind`, `--id`.

use crate::bank::{Kind, Question};

use super::attempt::Attempt;

/// Question filters; an empty filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Bank slug.
    pub bank: Option<String>,
    /// Section slug or title (case-insensitive).
    pub section: Option<String>,
    /// Question kind.
    pub kind: Option<Kind>,
    /// Exact question ids.
    pub ids: Vec<String>,
}

impl Filter {
    /// Whether `question` passes the filter.
    pub fn matches(&self, question: &Question) -> bool {
        self.matches_parts(
            &question.bank,
            &question.section,
            Some(&question.section_title),
            question.kind,
            &question.id,
        )
    }

    /// Whether the question of `attempt` passes the filter.
    pub fn matches_attempt(&self, attempt: &Attempt) -> bool {
        self.matches_parts(
            &attempt.bank,
            &attempt.section,
            None,
            attempt.kind,
            &attempt.question_id,
        )
    }

    fn matches_parts(
        &self,
        bank: &str,
        section: &str,
        title: Option<&str>,
        kind: Kind,
        id: &str,
    ) -> bool {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.bank.as_deref().is_none_or(|b| same(b, bank))
            && self
                .section
                .as_deref()
                .is_none_or(|s| same(s, section) || title.is_some_and(|t| same(s, t)))
            && self.kind.is_none_or(|k| k == kind)
            && (self.ids.is_empty() || self.ids.iter().any(|i| i == id))
    }

    /// The filter as flags, for messages (`--bank pse --kind design`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(b) = &self.bank {
            parts.push(format!("--bank {b}"));
        }
        if let Some(s) = &self.section {
            parts.push(format!("--section {s}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("--kind {k}"));
        }
        for id in &self.ids {
            parts.push(format!("--id {id}"));
        }
        parts.join(" ")
    }
}

/// Parses a `--kind` value (see [`Kind::parse`]); the error lists the kinds.
pub fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind `{text}`; use one of {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, title: &str, kind: Kind) -> Question {
        let mut parts = id.split('/');
        Question {
            id: id.into(),
            bank: parts.next().unwrap().into(),
            section: parts.next().unwrap().into(),
            section_title: title.into(),
            number: 1,
            text: String::new(),
            model_answer: String::new(),
            kind,
        }
    }

    #[test]
    fn filters_combine_and_sections_match_slug_or_title() {
        let q = question("pse/design/1", "System Design", Kind::Design);
        assert!(Filter::default().matches(&q));
        let f = Filter {
            bank: Some("PSE".into()),
            section: Some("system design".into()),
            kind: Some(Kind::Design),
            ids: vec![],
        };
        assert!(f.matches(&q));
        assert!(!Filter {
            kind: Some(Kind::Behavioural),
            ..f.clone()
        }
        .matches(&q));
        assert!(!Filter {
            ids: vec!["pse/design/2".into()],
            ..f
        }
        .matches(&q));
    }

    #[test]
    fn kinds_parse_with_either_spelling() {
        assert_eq!(parse_kind("Behavioral"), Ok(Kind::Behavioural));
        assert_eq!(parse_kind("design"), Ok(Kind::Design));
        assert!(parse_kind("vibes").unwrap_err().contains("behavioural"));
    }
}
