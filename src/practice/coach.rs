//! A prioritised study plan from graded answers (practice history or `hone batch` results):
//! the sections with the most points to gain first, the key ideas missed there, and the
//! questions that train them. Pure: attempts and questions in, a [`StudyPlan`] out.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::bank::{Kind, Question};
use crate::grade::{Coverage, Grade};
use crate::report::markdown_text::{code, inline};
use crate::InputError;

use super::attempt::Attempt;
use super::progress::star_habits;

/// Key ideas listed per section at most.
pub const IDEAS_PER_SECTION: usize = 5;
/// Questions suggested per section at most.
pub const QUESTIONS_PER_SECTION: usize = 4;

/// The study plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StudyPlan {
    /// Whose plan (None = everyone in the source).
    pub candidate: Option<String>,
    /// Where the answers came from (history file or results file).
    pub source: String,
    /// Distinct questions answered.
    pub questions_answered: usize,
    /// Mean of each question's latest score.
    pub mean_score: f64,
    /// Sections to work on, most points to gain first.
    pub sections: Vec<SectionPlan>,
    /// Sections with questions never answered.
    pub untried: Vec<UntriedSection>,
    /// Habits in behavioural answers worth changing.
    pub habits: Vec<String>,
}

/// What to work on in one section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SectionPlan {
    /// `bank/section`.
    pub key: String,
    /// Section title.
    pub title: String,
    /// Points lost over the section's answered questions (sum of 100 − latest score).
    pub points_to_gain: f64,
    /// Mean latest score in the section.
    pub mean_score: f64,
    /// Key ideas most often missed, most missed first.
    pub key_ideas: Vec<KeyIdea>,
    /// Questions that train them, weakest first (then never-tried ones).
    pub train_with: Vec<TrainQuestion>,
}

/// A key idea missed in a section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyIdea {
    /// The key point's label.
    pub label: String,
    /// Question ids whose latest answer missed it.
    pub missed_in: Vec<String>,
}

/// A question to practise.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrainQuestion {
    /// Question id.
    pub id: String,
    /// Question text, when known.
    pub text: String,
    /// Latest score, None when never answered.
    pub latest_score: Option<f64>,
}

/// A section with questions never answered.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UntriedSection {
    /// `bank/section`.
    pub key: String,
    /// Section title.
    pub title: String,
    /// Questions in the section never answered.
    pub questions: usize,
}

/// Builds the plan from `attempts` (any number per question) and the known `questions`.
pub fn plan(
    candidate: Option<&str>,
    source: &str,
    attempts: &[Attempt],
    questions: &[Question],
) -> StudyPlan {
    let latest = latest_per_question(attempts);
    let by_id: HashMap<&str, &Question> = questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut groups: BTreeMap<String, Vec<&Attempt>> = BTreeMap::new();
    for a in &latest {
        groups
            .entry(format!("{}/{}", a.bank, a.section))
            .or_default()
            .push(a);
    }
    let mut sections: Vec<SectionPlan> = groups
        .into_iter()
        .map(|(key, items)| section_plan(key, &items, questions, &by_id))
        .filter(|s| s.points_to_gain > 0.0)
        .collect();
    sections.sort_by(|a, b| {
        b.points_to_gain
            .total_cmp(&a.points_to_gain)
            .then(a.key.cmp(&b.key))
    });
    let mean_score = if latest.is_empty() {
        0.0
    } else {
        latest.iter().map(|a| a.score).sum::<f64>() / latest.len() as f64
    };
    let all: Vec<&Attempt> = attempts.iter().collect();
    StudyPlan {
        candidate: candidate.map(str::to_string),
        source: source.to_string(),
        questions_answered: latest
            .iter()
            .map(|a| a.question_id.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        mean_score,
        sections,
        untried: untried_sections(&latest, questions),
        habits: star_habits(&all).notes,
    }
}

/// The latest attempt of each (candidate, question).
fn latest_per_question(attempts: &[Attempt]) -> Vec<&Attempt> {
    let mut latest: BTreeMap<(&str, &str), &Attempt> = BTreeMap::new();
    for a in attempts {
        let slot = latest
            .entry((a.candidate.as_str(), a.question_id.as_str()))
            .or_insert(a);
        if a.answered_at_ms >= slot.answered_at_ms {
            *slot = a;
        }
    }
    latest.into_values().collect()
}

fn section_plan(
    key: String,
    items: &[&Attempt],
    questions: &[Question],
    by_id: &HashMap<&str, &Question>,
) -> SectionPlan {
    let points_to_gain: f64 = items
        .iter()
        .map(|a| 100.0 - a.score.clamp(0.0, 100.0))
        .sum();
    let mean_score = items.iter().map(|a| a.score).sum::<f64>() / items.len() as f64;
    let title = items
        .iter()
        .find_map(|a| by_id.get(a.question_id.as_str()))
        .map_or_else(|| key.clone(), |q| q.section_title.clone());
    SectionPlan {
        title,
        points_to_gain,
        mean_score,
        key_ideas: key_ideas(items),
        train_with: train_with(&key, items, questions, by_id),
        key,
    }
}

/// Labels missed (not fully covered) by the latest answers, most often missed first.
fn key_ideas(items: &[&Attempt]) -> Vec<KeyIdea> {
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in items {
        for p in a.points.iter().filter(|p| p.coverage != Coverage::Covered) {
            let ids = missed.entry(p.label.clone()).or_default();
            if !ids.contains(&a.question_id) {
                ids.push(a.question_id.clone());
            }
        }
    }
    let mut ideas: Vec<KeyIdea> = missed
        .into_iter()
        .map(|(label, missed_in)| KeyIdea { label, missed_in })
        .collect();
    ideas.sort_by_key(|idea| std::cmp::Reverse(idea.missed_in.len()));
    ideas.truncate(IDEAS_PER_SECTION);
    ideas
}

/// The section's weakest answered questions, then ones never answered.
fn train_with(
    key: &str,
    items: &[&Attempt],
    questions: &[Question],
    by_id: &HashMap<&str, &Question>,
) -> Vec<TrainQuestion> {
    let mut weakest: Vec<&&Attempt> = items.iter().filter(|a| a.score < 100.0).collect();
    weakest.sort_by(|a, b| a.score.total_cmp(&b.score));
    // Several candidates may have answered one question: list it once, at its weakest.
    let mut listed = std::collections::HashSet::new();
    weakest.retain(|a| listed.insert(a.question_id.as_str()));
    let answered: std::collections::HashSet<&str> =
        items.iter().map(|a| a.question_id.as_str()).collect();
    let text_of = |id: &str| by_id.get(id).map_or_else(String::new, |q| q.text.clone());
    weakest
        .into_iter()
        .map(|a| TrainQuestion {
            id: a.question_id.clone(),
            text: text_of(&a.question_id),
            latest_score: Some(a.score),
        })
        .chain(
            questions
                .iter()
                .filter(|q| format!("{}/{}", q.bank, q.section) == key)
                .filter(|q| !answered.contains(q.id.as_str()))
                .map(|q| TrainQuestion {
                    id: q.id.clone(),
                    text: q.text.clone(),
                    latest_score: None,
                }),
        )
        .take(QUESTIONS_PER_SECTION)
        .collect()
}

/// Sections with unanswered questions, in the banks that were practised.
fn untried_sections(latest: &[&Attempt], questions: &[Question]) -> Vec<UntriedSection> {
    let answered: std::collections::HashSet<&str> =
        latest.iter().map(|a| a.question_id.as_str()).collect();
    let banks: std::collections::HashSet<&str> = latest.iter().map(|a| a.bank.as_str()).collect();
    let mut untried: BTreeMap<String, UntriedSection> = BTreeMap::new();
    for q in questions
        .iter()
        .filter(|q| banks.contains(q.bank.as_str()) && !answered.contains(q.id.as_str()))
    {
        let key = format!("{}/{}", q.bank, q.section);
        untried
            .entry(key.clone())
            .or_insert_with(|| UntriedSection {
                key,
                title: q.section_title.clone(),
                questions: 0,
            })
            .questions += 1;
    }
    untried.into_values().collect()
}

/// The plan as Markdown. Names, labels and question text come from imported history or batch
/// results, so each is escaped ([`inline`], [`code`]): none becomes live HTML, a link or a
/// mention.
pub fn render_markdown(plan: &StudyPlan) -> String {
    let mut out = String::new();
    let who = inline(plan.candidate.as_deref().unwrap_or("everyone"));
    let _ = writeln!(out, "# Study plan for {who}\n");
    let _ = writeln!(
        out,
        "From {}: {} questions answered, mean latest score {:.0}.\n",
        inline(&plan.source),
        plan.questions_answered,
        plan.mean_score
    );
    if plan.sections.is_empty() && plan.untried.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to work on yet: answer some questions with `hone practice`."
        );
    }
    for (i, s) in plan.sections.iter().enumerate() {
        let _ = writeln!(
            out,
            "## {}. {} ({}) — {:.0} points to gain, mean {:.0}\n",
            i + 1,
            inline(&s.title),
            code(&s.key),
            s.points_to_gain,
            s.mean_score
        );
        if !s.key_ideas.is_empty() {
            let _ = writeln!(out, "Key ideas to work on:");
            for idea in &s.key_ideas {
                let _ = writeln!(
                    out,
                    "- {} (missed in {})",
                    inline(&idea.label),
                    inline(&idea.missed_in.join(", "))
                );
            }
            out.push('\n');
        }
        if !s.train_with.is_empty() {
            let _ = writeln!(out, "Practise with:");
            for q in &s.train_with {
                let score = q
                    .latest_score
                    .map_or_else(|| "never tried".to_string(), |s| format!("latest {s:.0}"));
                let text = if q.text.is_empty() {
                    String::new()
                } else {
                    format!(" {}", inline(&q.text))
                };
                let _ = writeln!(out, "- {}{text} ({score})", code(&q.id));
            }
            out.push('\n');
        }
    }
    if !plan.habits.is_empty() {
        let _ = writeln!(out, "## Habits in behavioural answers\n");
        for h in &plan.habits {
            let _ = writeln!(out, "- {}", inline(h));
        }
        out.push('\n');
    }
    if !plan.untried.is_empty() {
        let _ = writeln!(out, "## Not practised yet\n");
        for u in &plan.untried {
            let _ = writeln!(
                out,
                "- {} ({}): {} question(s)",
                inline(&u.title),
                code(&u.key),
                u.questions
            );
        }
    }
    out
}

/// The parts of a `hone batch` JSON results file the coach reads (other fields are ignored).
#[derive(Debug, Deserialize)]
struct BatchResults {
    #[serde(default)]
    schema_version: Option<u32>,
    #[serde(default)]
    records: Vec<BatchRecord>,
}

/// The newest batch results schema the coach reads (docs/batch-schema.json).
pub const BATCH_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
struct BatchRecord {
    #[serde(default)]
    candidate: Option<String>,
    #[serde(default)]
    question: String,
    #[serde(default)]
    question_id: Option<String>,
    #[serde(default)]
    question_text: Option<String>,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    grade: Option<Grade>,
}

/// Graded answers read from a `hone batch --format json` results file.
#[derive(Debug, Clone, Default)]
pub struct BatchAnswers {
    /// One attempt per graded record, in file order.
    pub attempts: Vec<Attempt>,
    /// The questions as the records describe them (id, section title, text), one per id.
    pub questions: Vec<Question>,
}

/// Reads the graded records of a `hone batch` JSON report (`--format json`, `--out x.json`) or
/// results file (`--results x.jsonl`, one record per line), as `hone merge` accepts them.
///
/// Error rows (no grade) are skipped, and so is a torn last line of an interrupted run. `name`
/// is the file name used in messages.
pub fn read_batch_json(text: &str, name: &str) -> Result<BatchAnswers, InputError> {
    let not_results = |e: &dyn std::fmt::Display| {
        InputError::new(format!("{name}: not a hone batch JSON results file: {e}"))
            .with_hint("write one with `hone batch … --format json`")
    };
    let results = match serde_json::from_str::<serde_json::Value>(text) {
        // A report: one object holding the records.
        Ok(value) if value.get("records").is_some() => {
            serde_json::from_value::<BatchResults>(value).map_err(|e| not_results(&e))?
        }
        Ok(value) if !value.is_object() => return Err(not_results(&"not a JSON object")),
        // Results JSONL: one record per line (a single record is one object).
        _ => BatchResults {
            schema_version: None,
            records: read_jsonl(text, name)?,
        },
    };
    if let Some(found) = results.schema_version.filter(|v| *v > BATCH_SCHEMA_VERSION) {
        return Err(InputError::new(format!(
            "{name}: written by a newer hone (batch schema v{found}; this hone reads up to v{BATCH_SCHEMA_VERSION})"
        ))
        .with_hint("upgrade hone"));
    }
    let mut out = BatchAnswers::default();
    for (i, record) in results.records.into_iter().enumerate() {
        let Some(grade) = record.grade.clone() else {
            continue;
        };
        let question = record.question();
        let candidate = record.candidate.as_deref().unwrap_or("unknown");
        // Records carry no time: keep their order.
        out.attempts.push(Attempt::from_grade(
            &question,
            candidate,
            &record.answer,
            &grade,
            0,
            i as i64,
        ));
        if !out.questions.iter().any(|q| q.id == question.id) {
            out.questions.push(question);
        }
    }
    Ok(out)
}

/// The records of a results file (`hone batch --results x.jsonl`), one per non-blank line.
fn read_jsonl(text: &str, name: &str) -> Result<Vec<BatchRecord>, InputError> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut records = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<BatchRecord>(line) {
            Ok(record) => records.push(record),
            // A torn last line of an interrupted run: that answer was never finished.
            Err(_) if i + 1 == lines.len() && !line.ends_with('\n') && i > 0 => {}
            Err(e) => {
                return Err(InputError::new(format!(
                    "{name}:{}: not a hone batch JSON report or results line ({e})",
                    i + 1
                ))
                .with_hint(
                    "give a report from `hone batch --out x.json` or a results file from `--results x.jsonl`",
                ))
            }
        }
    }
    Ok(records)
}

impl BatchRecord {
    /// The question as the record describes it: bank ids give bank and section; ad hoc
    /// questions go to the `adhoc` bank under their section title (or `general`).
    fn question(&self) -> Question {
        let id = self
            .question_id
            .clone()
            .unwrap_or_else(|| self.question.clone());
        let title = self.section.clone().unwrap_or_else(|| "General".into());
        let mut parts = id.splitn(3, '/');
        let (bank, section) = match (parts.next(), parts.next(), parts.next()) {
            (Some(b), Some(s), Some(_)) => (b.to_string(), s.to_string()),
            _ => ("adhoc".to_string(), crate::bank::classify::slugify(&title)),
        };
        Question {
            id,
            bank,
            section,
            section_title: title,
            number: 0,
            text: self
                .question_text
                .clone()
                .unwrap_or_else(|| self.question.clone()),
            model_answer: String::new(),
            kind: self.kind.unwrap_or(Kind::Concept),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::history::tests::attempt;

    fn question(id: &str, title: &str) -> Question {
        let mut parts = id.split('/');
        Question {
            id: id.into(),
            bank: parts.next().unwrap().into(),
            section: parts.next().unwrap().into(),
            section_title: title.into(),
            number: parts.next().unwrap().parse().unwrap(),
            text: format!("Text of {id}?"),
            model_answer: String::new(),
            kind: Kind::Concept,
        }
    }

    #[test]
    fn sections_with_most_points_to_gain_come_first_with_their_questions() {
        let questions = vec![
            question("pse/dsa/1", "Data Structures"),
            question("pse/dsa/2", "Data Structures"),
            question("pse/design/1", "System Design"),
            question("pse/design/2", "System Design"),
            question("pse/ops/1", "Operations"),
            question("fde/dsa/1", "Data Structures"),
        ];
        let attempts = vec![
            attempt("pse/dsa/1", 20.0, 1),
            attempt("pse/dsa/1", 90.0, 2), // improved: latest counts
            attempt("pse/design/1", 30.0, 3),
            attempt("pse/design/2", 50.0, 4),
        ];
        let plan = plan(Some("ada"), "history", &attempts, &questions);
        let keys: Vec<&str> = plan.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, vec!["pse/design", "pse/dsa"]);
        let design = &plan.sections[0];
        assert_eq!(design.title, "System Design");
        assert_eq!(design.points_to_gain, 120.0);
        assert_eq!(design.key_ideas[0].label, "eviction order");
        assert_eq!(
            design.key_ideas[0].missed_in,
            vec!["pse/design/1", "pse/design/2"]
        );
        assert_eq!(design.train_with[0].id, "pse/design/1");
        // dsa: the answered question first, then the untried one.
        let dsa: Vec<&str> = plan.sections[1]
            .train_with
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(dsa, vec!["pse/dsa/1", "pse/dsa/2"]);
        assert_eq!(
            plan.untried
                .iter()
                .map(|u| u.key.as_str())
                .collect::<Vec<_>>(),
            vec!["pse/dsa", "pse/ops"]
        );
        let md = render_markdown(&plan);
        assert!(md.contains("## 1. System Design (`pse/design`)"), "{md}");
        assert!(
            md.contains("- eviction order (missed in pse/design/1, pse/design/2)"),
            "{md}"
        );
    }

    #[test]
    fn batch_results_become_attempts_and_error_rows_are_skipped() {
        let json = r#"{"schema_version": 1, "records": [
            {"candidate": "bo", "question": "pse/dsa/1", "question_id": "pse/dsa/1", "answer": "a",
             "status": "graded", "grade": {"question_id": "pse/dsa/1", "score": 40.0, "band": "partial",
               "points": [{"label": "hash map", "kind": "concept", "weight": 1.0, "coverage": "missing",
                 "strength": 0.0, "evidence": null}], "star": null, "claim_errors": [], "flags": [],
               "improvements": []}},
            {"candidate": "bo", "question": "What?", "status": "error", "error": "unknown question"}
        ]}"#;
        let read = read_batch_json(json, "r.json").unwrap();
        let attempts = read.attempts;
        assert_eq!(attempts.len(), 1);
        assert_eq!(read.questions.len(), 1);
        assert_eq!(
            (attempts[0].bank.as_str(), attempts[0].section.as_str()),
            ("pse", "dsa")
        );
        assert_eq!(attempts[0].points[0].label, "hash map");
        let err = read_batch_json(r#"{"schema_version": 9, "records": []}"#, "r.json").unwrap_err();
        assert!(err.message.contains("newer hone"), "{err}");
        let err = read_batch_json("[1,2]", "r.json").unwrap_err();
        assert!(err.message.starts_with("r.json: not a hone batch"), "{err}");
    }
}
