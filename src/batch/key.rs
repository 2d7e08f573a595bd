//! The stable key of an answer: a hash of question, answer and candidate.
//!
//! Resume skips answers whose key is already in the results file; shards split by key. The
//! candidate is part of the key so two people who hand in the same text both get a row.

use sha2::{Digest, Sha256};

use super::item::{AnswerItem, InputFailure};

/// 128 bits of SHA-256 over the answer's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnswerKey(pub [u8; 16]);

impl AnswerKey {
    /// The key of an answer: question, answer and candidate (each length-prefixed).
    pub fn of_answer(item: &AnswerItem) -> AnswerKey {
        let candidate = item.candidate.as_deref().unwrap_or("");
        Self::of_parts(&["answer", &item.question, &item.answer, candidate])
    }

    /// The key of a failure row: where it happened and what went wrong.
    pub fn of_failure(failure: &InputFailure) -> AnswerKey {
        let line = failure.source.line.to_string();
        Self::of_parts(&["failure", &failure.source.file, &line, &failure.message])
    }

    fn of_parts(parts: &[&str]) -> AnswerKey {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        AnswerKey(out)
    }

    /// Lowercase hex, as written in records.
    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses the hex form written by [`AnswerKey::to_hex`].
    pub fn from_hex(hex: &str) -> Option<AnswerKey> {
        if hex.len() != 32 || !hex.is_ascii() {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(AnswerKey(out))
    }

    /// The first 8 bytes as a number (used to pick a shard).
    pub fn as_u64(self) -> u64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        u64::from_le_bytes(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(question: &str, answer: &str, candidate: Option<&str>) -> AnswerItem {
        AnswerItem {
            source: super::super::Source {
                file: "a.jsonl".into(),
                line: 1,
            },
            question: question.into(),
            answer: answer.into(),
            candidate: candidate.map(str::to_string),
            reference: None,
            kind: None,
            fields: Default::default(),
        }
    }

    #[test]
    fn key_ignores_location_but_not_content() {
        let a = item("q", "answer", None);
        let mut moved = a.clone();
        moved.source.line = 99;
        assert_eq!(AnswerKey::of_answer(&a), AnswerKey::of_answer(&moved));
        assert_ne!(
            AnswerKey::of_answer(&a),
            AnswerKey::of_answer(&item("q", "answer!", None))
        );
        assert_ne!(
            AnswerKey::of_answer(&a),
            AnswerKey::of_answer(&item("q", "answer", Some("bob")))
        );
        // Length prefixes keep field boundaries apart.
        assert_ne!(
            AnswerKey::of_answer(&item("qa", "nswer", None)),
            AnswerKey::of_answer(&item("q", "answer", None))
        );
    }

    #[test]
    fn hex_round_trips() {
        let key = AnswerKey::of_answer(&item("q", "a", None));
        assert_eq!(AnswerKey::from_hex(&key.to_hex()), Some(key));
        assert_eq!(AnswerKey::from_hex("zz"), None);
    }
}
