//! Rubric refinement (`hone rubric build --llm`): the model proposes sharper labels, aliases and
//! synonyms for a rubric, returned as the same TOML for a person to review as a diff.
//!
//! The reply must parse as a [`Rubric`] (unknown keys rejected) for the same question; anything
//! else is an error and the original rubric is kept.

use super::judge::Judge;
use super::request::{chat_request, ChatParams, ResponseFormat};
use super::verdict;
use crate::rubric::Rubric;

/// Asks the model to refine `rubric` given the question's model answer.
pub async fn refine_rubric(
    judge: &Judge,
    rubric: &Rubric,
    model_answer: &str,
) -> Result<Rubric, String> {
    let current = toml::to_string(rubric).map_err(|e| format!("cannot write the rubric: {e}"))?;
    let settings = judge.settings();
    let messages = settings
        .prompts
        .refine(&rubric.question, model_answer, &current)?;
    let params = ChatParams {
        temperature: settings.temperature,
        seed: settings.seed,
        max_tokens: settings.max_output_tokens.max(3000),
        format: ResponseFormat::Text,
    };
    let request = chat_request(
        &settings.endpoint,
        &messages,
        &params,
        &serde_json::Value::Null,
    );
    let read = |body: &serde_json::Value| {
        let reply = verdict::read_reply(body).map_err(|e| e.to_string())?;
        if reply.finish_reason.as_deref() == Some("length") {
            return Err("the model's rubric was cut off (finish_reason = length)".to_string());
        }
        parse_refined(&reply.content, rubric)
    };
    let (refined, _) = judge.post_cached(&request, read).await?;
    Ok(refined)
}

/// Parses the model's TOML (bare or in a ``` fence) and checks it is for the same question.
pub fn parse_refined(content: &str, original: &Rubric) -> Result<Rubric, String> {
    let text = toml_block(content);
    let refined: Rubric = toml::from_str(text).map_err(|e| {
        format!(
            "the model's rubric is not valid rubric TOML: {}",
            e.message()
        )
    })?;
    if refined.id != original.id || refined.kind != original.kind {
        return Err("the model's rubric changed the question id or kind".into());
    }
    if refined.key_points.is_empty() && refined.star.is_empty() {
        return Err("the model's rubric has no key points".into());
    }
    crate::rubric::store::validate(&refined)
        .map_err(|problem| format!("the model's rubric is not usable: {problem}"))?;
    Ok(Rubric {
        question: original.question.clone(),
        hand_edited: original.hand_edited,
        ..refined
    })
}

fn toml_block(content: &str) -> &str {
    let Some(open) = content.find("```") else {
        return content.trim();
    };
    let after = &content[open + 3..];
    let body_start = after.find('\n').map_or(0, |i| i + 1);
    let body = &after[body_start..];
    body.find("```").map_or(body, |close| &body[..close]).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::rubric::{KeyPoint, PointKind};

    fn rubric() -> Rubric {
        Rubric {
            id: "pse/dsa/1".into(),
            question: "Q".into(),
            kind: Kind::Algorithm,
            hand_edited: false,
            format: 1,
            focus: None,
            misconceptions: Vec::new(),
            built_from_reference: false,
            key_points: vec![KeyPoint {
                label: "hash".into(),
                reference: "r".into(),
                terms: vec!["hash".into()],
                weight: 1.0,
                kind: PointKind::Concept,
                statement: String::new(),
                phrasings: Vec::new(),
                importance: Default::default(),
            }],
            claims: vec![],
            star: vec![],
            competencies: vec![],
        }
    }

    #[test]
    fn fenced_toml_round_trips_and_wrong_id_is_refused() {
        let mut better = rubric();
        better.key_points[0].terms.push("hash table".into());
        let text = format!("Here:\n```toml\n{}```\n", toml::to_string(&better).unwrap());
        assert_eq!(parse_refined(&text, &rubric()).unwrap(), better);
        let mut other = better.clone();
        other.id = "x/y/2".into();
        assert!(parse_refined(&toml::to_string(&other).unwrap(), &rubric()).is_err());
        assert!(parse_refined("label = 1\nbogus = 2", &rubric()).is_err());
    }
}
