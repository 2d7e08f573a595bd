//! Few-shot examples for the judge: answers to the same question a person already graded (a
//! human-graded JSONL file, as `hone eval` and `hone calibrate` read), of which the judge sees
//! up to k, chosen by word overlap with the answer it grades.
//!
//! An example identical to the graded answer is never shown (so `hone eval --llm` on the same
//! file cannot hand the judge the human's grade of the very answer it grades).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::eval::dataset::{Dataset, QuestionRef};
use crate::eval::scale::HumanScale;
use crate::rubric::Rubric;
use crate::InputError;

/// One graded example: an answer and its human grade on 0..=100.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The answer text.
    pub answer: String,
    /// The human grade mapped onto 0..=100.
    pub score: f64,
}

/// Graded answers by question.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    by_question: HashMap<String, Vec<Example>>,
    /// How many are shown per answer.
    pub k: usize,
}

fn question_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(b).count() as f64 / union as f64
    }
}

impl Examples {
    /// Reads a human-graded JSONL file (lines that cannot be read are skipped; a file with none
    /// is an error naming it).
    pub fn load(path: &Path, k: usize) -> Result<Examples, InputError> {
        let dataset = Dataset::load(path, None)?;
        let grades: Vec<f64> = dataset.items.iter().map(|i| i.human.value()).collect();
        let scale = HumanScale::infer(&grades);
        let mut examples = Examples {
            by_question: HashMap::new(),
            k,
        };
        for item in dataset.items {
            if item.answer.trim().is_empty() {
                continue;
            }
            let value = item.human.value();
            let unit = scale.map_or(value, |s| s.to_unit(value));
            let key = match &item.question {
                QuestionRef::Bank(id) => question_key(id),
                QuestionRef::Reference { question, .. } => question_key(question),
            };
            examples.by_question.entry(key).or_default().push(Example {
                answer: item.answer,
                score: (unit.clamp(0.0, 1.0) * 1000.0).round() / 10.0,
            });
        }
        if examples.by_question.is_empty() {
            return Err(InputError::new(format!(
                "{}: no graded answer could be read for few-shot examples",
                path.display()
            ))
            .with_hint(
                "give a JSONL file with `question`, `answer` and a human `score` per line",
            ));
        }
        Ok(examples)
    }

    /// Up to `k` graded answers to `rubric`'s question, most similar to `answer` first, never
    /// `answer` itself.
    pub fn pick(&self, rubric: &Rubric, answer: &str) -> Vec<Example> {
        let pool = self
            .by_question
            .get(&question_key(&rubric.id))
            .or_else(|| self.by_question.get(&question_key(&rubric.question)));
        let Some(pool) = pool else {
            return Vec::new();
        };
        let target = words(answer);
        let same = question_key(answer);
        let mut ranked: Vec<(f64, &Example)> = pool
            .iter()
            .filter(|e| question_key(&e.answer) != same)
            .map(|e| (jaccard(&target, &words(&e.answer)), e))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .take(self.k)
            .map(|(_, e)| e.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_most_similar_graded_answers_never_the_answer_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graded.jsonl");
        let line = |answer: &str, score: u8| {
            format!(
                "{{\"question\": \"Why is hashing fast?\", \"reference\": \"It maps keys to buckets.\", \"answer\": \"{answer}\", \"score\": {score}}}\n"
            )
        };
        let text = [
            line("Keys map straight to a bucket index.", 5),
            line("Hashing is a kind of sorting.", 0),
            line(
                "Keys map to a bucket index through the hash, so it is O(1).",
                4,
            ),
            line("Other question entirely", 1),
        ]
        .concat();
        std::fs::write(&path, text).unwrap();
        let examples = Examples::load(&path, 2).unwrap();
        let rubric = Rubric {
            question: "Why is  hashing fast?".into(),
            ..crate::llm::check::CheckSet::bundled().rubric
        };
        let picked = examples.pick(&rubric, "Keys map straight to a bucket index.");
        assert_eq!(picked.len(), 2);
        assert!(picked
            .iter()
            .all(|e| e.answer != "Keys map straight to a bucket index."));
        assert_eq!(
            picked[0].answer,
            "Keys map to a bucket index through the hash, so it is O(1)."
        );
        assert_eq!(picked[0].score, 80.0, "4 on a 0..5 scale");
        let other = Rubric {
            question: "Something else?".into(),
            ..rubric
        };
        assert!(examples.pick(&other, "x").is_empty());
    }
}
