//! One graded practice attempt as history keeps it: what was asked, what was written, how it scored.

use serde::{Deserialize, Serialize};

use crate::bank::{Kind, Question};
use crate::grade::{Band, Coverage, Flag, Grade, StarReport};
use crate::rubric::StarPart;

/// One graded answer to one question, as stored in history and exported as JSONL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Who answered (defaults to `$USER`).
    pub candidate: String,
    /// The question id, e.g. `pse/design/3`.
    pub question_id: String,
    /// Bank slug of the question.
    pub bank: String,
    /// Section slug of the question.
    pub section: String,
    /// Kind of the question.
    pub kind: Kind,
    /// The answer as written.
    pub answer: String,
    /// Score 0..=100.
    pub score: f64,
    /// Band of the score.
    pub band: Band,
    /// Coverage of each key point.
    pub points: Vec<PointResult>,
    /// Flags the grader raised.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// STAR habits shown by a behavioural answer.
    #[serde(default)]
    pub star: Option<StarSummary>,
    /// Version of the grader that scored it.
    pub grader_version: String,
    /// How long the answer took to write, in milliseconds.
    pub duration_ms: u64,
    /// When it was graded, Unix time in milliseconds.
    #[serde(with = "rfc3339_ms")]
    pub answered_at_ms: i64,
}

/// How one key point fared in an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    /// The key point's label.
    pub label: String,
    /// Covered, partial or missing.
    pub coverage: Coverage,
    /// Match strength 0..=1.
    pub strength: f64,
}

/// The STAR habits of one behavioural answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarSummary {
    /// Whether the result was measurable (numbers, before/after).
    pub measurable_result: bool,
    /// Share of actions told with "I" rather than "we", 0..=1.
    pub first_person_share: f64,
    /// STAR elements that were missing or thin.
    pub weak_parts: Vec<StarPart>,
}

impl StarSummary {
    /// Summarises a grader's STAR report.
    pub fn from_report(report: &StarReport) -> StarSummary {
        StarSummary {
            measurable_result: report.measurable_result,
            first_person_share: report.first_person_share,
            weak_parts: report
                .elements
                .iter()
                .filter(|e| e.status != crate::grade::ElementStatus::Present)
                .map(|e| e.part)
                .collect(),
        }
    }

    /// Whether the actions were mostly told as "we" rather than "I".
    pub fn told_as_we(&self) -> bool {
        self.first_person_share < 0.5
    }
}

impl Attempt {
    /// The attempt for `grade` of `answer` to `question`.
    pub fn from_grade(
        question: &Question,
        candidate: &str,
        answer: &str,
        grade: &Grade,
        duration_ms: u64,
        answered_at_ms: i64,
    ) -> Attempt {
        Attempt {
            candidate: candidate.to_string(),
            question_id: question.id.clone(),
            bank: question.bank.clone(),
            section: question.section.clone(),
            kind: question.kind,
            answer: answer.to_string(),
            score: grade.score,
            band: grade.band,
            points: grade
                .points
                .iter()
                .map(|p| PointResult {
                    label: p.label.clone(),
                    coverage: p.coverage,
                    strength: p.strength,
                })
                .collect(),
            flags: grade.flags.clone(),
            star: grade.star.as_ref().map(StarSummary::from_report),
            grader_version: grader_version(grade),
            duration_ms,
            answered_at_ms,
        }
    }

    /// Every item the answer is checked for, with whether it was covered fully: the key points,
    /// then (behavioural answers) the STAR elements as `STAR Situation` … `STAR Result`.
    pub fn checklist(&self) -> Vec<(String, bool)> {
        let points = self
            .points
            .iter()
            .map(|p| (p.label.clone(), p.coverage == Coverage::Covered));
        let star = self.star.iter().flat_map(|s| {
            StarPart::ALL.into_iter().map(|part| {
                (
                    format!("STAR {}", part.title()),
                    !s.weak_parts.contains(&part),
                )
            })
        });
        points.chain(star).collect()
    }
}

/// The grader that produced `grade`: the local grader's version, plus `+llm:<model>` when an LLM
/// judge's verdict was combined into it.
pub fn grader_version(grade: &Grade) -> String {
    match &grade.llm {
        Some(outcome) if outcome.is_graded() => {
            format!("{}+llm:{}", crate::grade::GRADER_VERSION, outcome.model)
        }
        _ => crate::grade::GRADER_VERSION.to_string(),
    }
}

/// Formats Unix milliseconds as an RFC 3339 UTC timestamp (`2026-11-22T12:53:39.000Z`).
pub fn format_time(ms: i64) -> String {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(time).to_string()
}

/// Parses an RFC 3339 timestamp into Unix milliseconds.
pub fn parse_time(text: &str) -> Option<i64> {
    let time = humantime::parse_rfc3339_weak(text).ok()?;
    let ms = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    i64::try_from(ms).ok()
}

/// Serde glue: Unix milliseconds in memory, RFC 3339 text in JSON.
mod rfc3339_ms {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_time(*ms))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not an RFC 3339 time like 2026-01-31T09:30:00Z"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grader_version_names_the_llm_model_only_when_its_verdict_counted() {
        let rubric = crate::rubric::extract::from_reference("adhoc", "Q?", "A hash map.", None);
        let mut grade = crate::grade::grade(&rubric, "a hash map");
        assert_eq!(grader_version(&grade), crate::grade::GRADER_VERSION);
        let outcome = |status: &str| {
            serde_json::from_value(serde_json::json!({
                "status": status, "model": "m-1", "base_url": "http://x", "prompt_hash": "p",
                "rubric_hash": "r", "samples": 1, "cached": false,
                "usage": {"prompt_tokens": 1, "completion_tokens": 1}
            }))
            .unwrap()
        };
        grade.llm = Some(outcome("graded"));
        assert_eq!(
            grader_version(&grade),
            format!("{}+llm:m-1", crate::grade::GRADER_VERSION)
        );
        grade.llm = Some(outcome("ungraded"));
        assert_eq!(grader_version(&grade), crate::grade::GRADER_VERSION);
    }

    #[test]
    fn times_round_trip_through_rfc3339() {
        let ms = 1_795_000_000_123;
        let text = format_time(ms);
        assert!(text.ends_with('Z'), "{text}");
        assert_eq!(parse_time(&text), Some(ms));
        assert_eq!(parse_time("yesterday"), None);
    }
}
