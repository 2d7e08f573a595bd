//! The rubric for every answer of a data set, each distinct question's rubric built once.
//!
//! Bank questions are resolved by a caller-supplied function (the CLI passes the catalog and
//! rubric store); question + reference pairs get a rubric built from the reference with
//! [`rubric::extract::from_reference`](crate::rubric::extract::from_reference).

use std::collections::HashMap;

use super::dataset::{BadLine, Item, QuestionRef};
use crate::rubric::{extract, Rubric};
use crate::InputError;

/// Answers paired with the index of their rubric (shared between answers to one question).
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Each distinct rubric once.
    pub rubrics: Vec<Rubric>,
    /// Items whose question was found, with the index of its rubric in `rubrics`.
    pub items: Vec<(Item, usize)>,
    /// Items whose question could not be resolved (unknown bank id…).
    pub bad_lines: Vec<BadLine>,
}

/// Resolves the rubric of every item, building each distinct question's rubric once.
pub fn resolve(
    items: Vec<Item>,
    bank_rubric: impl Fn(&str) -> Result<Rubric, InputError>,
) -> Resolved {
    let mut cache: HashMap<QuestionRef, Result<usize, String>> = HashMap::new();
    let mut resolved = Resolved::default();
    for item in items {
        let index = cache
            .entry(item.question.clone())
            .or_insert_with(|| {
                let rubric = match &item.question {
                    QuestionRef::Bank(id) => bank_rubric(id).map_err(|e| e.to_string())?,
                    QuestionRef::Reference {
                        question,
                        reference,
                    } => extract::from_reference(&item.group, question, reference, None),
                };
                resolved.rubrics.push(rubric);
                Ok(resolved.rubrics.len() - 1)
            })
            .clone();
        match index {
            Ok(index) => resolved.items.push((item, index)),
            Err(message) => resolved.bad_lines.push(BadLine {
                line: item.line,
                message,
            }),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::eval::dataset::HumanGrade;
    use std::cell::Cell;

    fn item(line: usize, question: QuestionRef) -> Item {
        Item {
            expected: None,
            line,
            group: "g".into(),
            question,
            answer: "a".into(),
            human: HumanGrade::Score(1.0),
        }
    }

    fn bank_rubric(id: &str) -> Rubric {
        Rubric {
            id: id.into(),
            question: "q".into(),
            kind: Kind::Concept,
            hand_edited: false,
            format: 1,
            focus: None,
            misconceptions: Vec::new(),
            built_from_reference: false,
            key_points: vec![],
            claims: vec![],
            star: vec![],
            competencies: vec![],
        }
    }

    #[test]
    fn each_distinct_question_is_resolved_once_and_unknown_ids_are_bad_lines() {
        let calls = Cell::new(0);
        let lookup = |id: &str| {
            calls.set(calls.get() + 1);
            if id == "known" {
                Ok(bank_rubric(id))
            } else {
                Err(InputError::new(format!("unknown question `{id}`")))
            }
        };
        let reference = QuestionRef::Reference {
            question: "Q".into(),
            reference: "R".into(),
        };
        let items = vec![
            item(1, QuestionRef::Bank("known".into())),
            item(2, QuestionRef::Bank("known".into())),
            item(3, QuestionRef::Bank("nope".into())),
            item(4, reference.clone()),
            item(5, reference),
            item(6, QuestionRef::Bank("nope".into())),
        ];
        let resolved = resolve(items, lookup);
        assert_eq!(calls.get(), 2, "bank lookups are cached, misses included");
        assert_eq!(resolved.items.len(), 4);
        assert_eq!(resolved.rubrics.len(), 2);
        assert_eq!(resolved.items[2].1, resolved.items[3].1);
        assert_ne!(resolved.items[0].1, resolved.items[2].1);
        let bad: Vec<usize> = resolved.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(bad, vec![3, 6]);
        assert!(resolved.bad_lines[0]
            .message
            .contains("unknown question `nope`"));
    }
}
