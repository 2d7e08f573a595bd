//! Ceilings on the score that no amount of vocabulary lifts: an answer to another question, an
//! answer that is mostly wrong, one missing a core point, a keyword list, a story with nothing
//! checkable or told as "we". Each ceiling comes with a flag saying why, so the candidate
//! knows what to change.

use crate::rubric::{Importance, StarPart};

use super::prepared::PreparedRubric;
use super::signals::Measurement;
use super::{Coverage, ElementStatus, Flag};

/// Ceiling for an answer that fits a sibling question far better than this one.
pub const OFF_TOPIC_CAP: f64 = 12.0;
/// Below this share of the best sibling's topic fit, an answer is about another question.
pub const OFF_TOPIC_FIT: f64 = 0.55;
/// The same for stories: behavioural questions share more words (team, decision, result).
pub const OFF_TOPIC_STORY_FIT: f64 = 0.45;
/// Ceiling for an answer that is mostly wrong (weak band).
pub const MOSTLY_WRONG_CAP: f64 = 28.0;
/// Share of an answer's sentences stating something wrong at which it is mostly wrong.
pub const MOSTLY_WRONG_SHARE: f64 = 0.25;
/// Ceiling for an answer missing a core point (below "good").
pub const CORE_MISSING_CAP: f64 = 58.0;
/// Ceiling for an answer whose words are mostly not in explaining sentences.
pub const UNEXPLAINED_CAP: f64 = 35.0;
/// Below this share of words in explaining sentences, an answer is a list of terms.
pub const EXPLAINED_MIN_SHARE: f64 = 0.5;
/// Ceiling for a story with nothing checkable in it.
pub const NOTHING_CHECKABLE_CAP: f64 = 32.0;
/// Ceiling for a story whose actions are told as "we".
pub const WE_NOT_I_CAP: f64 = 58.0;
/// Below this share of first-person actions, a story says what the team did.
pub const FIRST_PERSON_MIN: f64 = 0.3;
/// Ceiling for a story without a result.
pub const NO_RESULT_CAP: f64 = 62.0;

/// The ceilings that apply to a measured answer, each with its flag, lowest first.
pub fn ceilings(prepared: &PreparedRubric, m: &Measurement) -> Vec<(f64, Flag)> {
    let mut out = Vec::new();
    let (own, rival) = m.topic;
    let threshold = if prepared.is_behavioural() {
        OFF_TOPIC_STORY_FIT
    } else {
        OFF_TOPIC_FIT
    };
    if rival > 0.0 && own < threshold * rival {
        let about = prepared
            .rubric
            .focus
            .as_ref()
            .map_or_else(|| prepared.rubric.question.clone(), |f| f.about.clone());
        out.push((
            OFF_TOPIC_CAP,
            Flag {
                code: "off_topic".into(),
                message: format!(
                    "the answer fits another question of this section far better than this one; this question asks about: {about}"
                ),
            },
        ));
    }
    let (wrong, sentences) = m.wrong_sentences;
    if wrong >= 2 && wrong as f64 >= MOSTLY_WRONG_SHARE * sentences as f64 {
        out.push((
            MOSTLY_WRONG_CAP,
            Flag {
                code: "mostly_wrong".into(),
                message: format!(
                    "{wrong} of {sentences} sentences state something wrong (see the corrections); a confident wrong answer scores low"
                ),
            },
        ));
    }
    if prepared.is_behavioural() {
        if m.concrete == 0 {
            out.push((
                NOTHING_CHECKABLE_CAP,
                Flag {
                    code: "nothing_checkable".into(),
                    message: "the story names no system, number, person or place; say what you built or changed and what it measured".into(),
                },
            ));
        }
        if let Some(star) = &m.star {
            let action = star
                .elements
                .iter()
                .any(|e| e.part == StarPart::Action && e.status != ElementStatus::Missing);
            if action && star.first_person_share < FIRST_PERSON_MIN {
                out.push((
                    WE_NOT_I_CAP,
                    Flag {
                        code: "we_not_i".into(),
                        message: "the actions are told as \"we\" or \"the team\"; say what you decided and did yourself".into(),
                    },
                ));
            }
            let result = star
                .elements
                .iter()
                .find(|e| e.part == StarPart::Result)
                .is_some_and(|e| e.status == ElementStatus::Missing);
            if result {
                out.push((
                    NO_RESULT_CAP,
                    Flag {
                        code: "no_result".into(),
                        message: "the story stops before its outcome; end with what changed, measured if you can".into(),
                    },
                ));
            }
        }
    } else {
        let missing: Vec<&str> = prepared
            .rubric
            .key_points
            .iter()
            .zip(&m.points)
            .filter(|(kp, p)| kp.importance == Importance::Core && p.coverage == Coverage::Missing)
            .map(|(kp, _)| kp.label.as_str())
            .collect();
        if !missing.is_empty() {
            out.push((
                CORE_MISSING_CAP,
                Flag {
                    code: "core_point_missing".into(),
                    message: format!(
                        "a good answer needs every core point; missing: {}",
                        missing.join("; ")
                    ),
                },
            ));
        }
        if m.explained_share < EXPLAINED_MIN_SHARE {
            out.push((
                UNEXPLAINED_CAP,
                Flag {
                    code: "unexplained_terms".into(),
                    message: "most of the answer names terms without sentences that explain them; say how each works and why it matters".into(),
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}
