//! Optional semantic similarity from the endpoint's `/embeddings`: each key point against each
//! sentence of the answer, so a paraphrase the local matcher misses can still count.
//!
//! One request per answer embeds the points and the sentences together; replies are cached like
//! the judge's. A point whose best cosine similarity reaches `llm.embeddings_threshold` is a
//! semantic match (see `combine` for how that counts).
//!
//! This module is the pure part (what to embed, reading the reply, the similarities); the judge
//! sends the request through its cache and retries (`Judge::post_cached`), so the arrow points
//! one way: `judge` → `embeddings`.

use serde_json::Value;

use super::verdict::JudgeItem;

/// Most sentences embedded per answer (longer answers keep their first ones).
const MAX_SENTENCES: usize = 64;

/// The texts one embeddings request carries: each item (`label: expects`), then the answer's
/// sentences; `None` when there is nothing to compare (every similarity is then 0).
pub fn inputs(items: &[JudgeItem], answer: &str) -> Option<Vec<String>> {
    let sentences: Vec<String> = crate::text::sentences(answer)
        .into_iter()
        .map(|(a, b)| answer[a..b].trim().to_string())
        .filter(|s| !s.is_empty())
        .take(MAX_SENTENCES)
        .collect();
    if items.is_empty() || sentences.is_empty() {
        return None;
    }
    let mut inputs: Vec<String> = items
        .iter()
        .map(|i| format!("{}: {}", i.label, i.expects))
        .collect();
    inputs.extend(sentences);
    Some(inputs)
}

/// Best cosine similarity of each of the first `items` vectors to any of the rest (the
/// answer's sentences), in item order.
pub fn best_similarities(vectors: &[Vec<f64>], items: usize) -> Vec<f64> {
    let (points, answer_vectors) = vectors.split_at(items.min(vectors.len()));
    points
        .iter()
        .map(|p| {
            answer_vectors
                .iter()
                .map(|s| cosine(p, s))
                .fold(0.0, f64::max)
        })
        .collect()
}

/// The vectors of an embeddings reply, ordered by `index`; exactly `n` are expected.
pub fn parse_embeddings(body: &Value, n: usize) -> Result<Vec<Vec<f64>>, String> {
    let data = body
        .get("data")
        .and_then(Value::as_array)
        .ok_or("the embeddings reply has no `data` list")?;
    let mut rows: Vec<(usize, Vec<f64>)> = data
        .iter()
        .enumerate()
        .map(|(pos, row)| {
            let index = row
                .get("index")
                .and_then(Value::as_u64)
                .map_or(pos, |i| i as usize);
            let vector = row
                .get("embedding")
                .and_then(Value::as_array)
                .ok_or("an embeddings row has no `embedding` list")?
                .iter()
                .map(|x| x.as_f64().ok_or("an embedding holds a non-number"))
                .collect::<Result<Vec<f64>, _>>()?;
            Ok((index, vector))
        })
        .collect::<Result<_, &str>>()?;
    if rows.len() != n {
        return Err(format!("asked for {n} embeddings, got {}", rows.len()));
    }
    rows.sort_by_key(|(i, _)| *i);
    Ok(rows.into_iter().map(|(_, v)| v).collect())
}

/// Cosine similarity (0 when either vector is zero or the lengths differ).
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    if a.len() != b.len() {
        return 0.0;
    }
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let denom = norm(a) * norm(b);
    if denom == 0.0 {
        0.0
    } else {
        dot / denom
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cosine_basics() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-12);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 3.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 1.0]), 0.0);
    }

    #[test]
    fn parses_rows_by_index_and_checks_count() {
        let body = json!({"data": [
            {"index": 1, "embedding": [0.0, 1.0]},
            {"index": 0, "embedding": [1.0, 0.0]}
        ]});
        let v = parse_embeddings(&body, 2).unwrap();
        assert_eq!(v[0], vec![1.0, 0.0]);
        assert!(parse_embeddings(&body, 3).is_err());
        assert!(parse_embeddings(&json!({}), 1).is_err());
    }
}
