//! The judge: renders the prompt, consults the cache, calls the endpoint with retries under the
//! concurrency and rate limits, and turns replies into one validated, merged verdict per answer.
//!
//! Failure is never silent: whatever goes wrong leaves an [`LlmOutcome`] with status
//! `ungraded` and a one-line reason. A fatal error (bad key, no quota, unknown model) stops all
//! further calls in the run; the remaining answers are marked ungraded with that same message.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;

use super::cache::Cache;
use super::client::{CallError, Client};
use super::outcome::{LlmOutcome, LlmStatus, PointJudgement, Usage};
use super::prompt::{short_hash, ItemView, JudgeContext, Prompts};
use super::request::{chat_request, ApiKey, ChatParams, Endpoint, Message, ResponseFormat};
use super::retry::{Pacer, RetryPolicy};
use super::tokens::{cost, TokenCounter};
use super::verdict::{self, JudgeItem, PointVerdict, Verdict};
use crate::bank::Kind;
use crate::config::{LlmConfig, Price};
use crate::grade::Coverage;
use crate::rubric::Rubric;

/// Settings of one judging run, resolved from config, environment and flags.
#[derive(Debug, Clone)]
pub struct JudgeSettings {
    /// Endpoint, model and key.
    pub endpoint: Endpoint,
    /// Requests in flight at once.
    pub jobs: usize,
    /// Requests per minute cap.
    pub rpm: Option<u32>,
    /// Samples per answer.
    pub samples: u32,
    /// Temperature.
    pub temperature: f64,
    /// Seed of sample 0.
    pub seed: Option<u64>,
    /// Answer token budget.
    pub max_answer_tokens: usize,
    /// Reply token cap.
    pub max_output_tokens: u32,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Connection failures or timeouts in a row after which the run stops calling (0 = never).
    pub breaker_after: u32,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Reply cache, if enabled.
    pub cache: Option<Cache>,
    /// Price of the model, if known.
    pub price: Option<Price>,
    /// Templates.
    pub prompts: Prompts,
    /// Embedding model for similarity, if any.
    pub embeddings_model: Option<String>,
    /// Similarity at which a point counts as paraphrased.
    pub embeddings_threshold: f64,
}

impl JudgeSettings {
    /// Settings from a resolved config and the API key (if any).
    pub fn from_config(
        config: &LlmConfig,
        api_key: Option<ApiKey>,
    ) -> Result<Self, crate::InputError> {
        if config.jobs == 0 {
            return Err(crate::InputError::new(
                "llm.jobs (--jobs) must be at least 1",
            ));
        }
        if config.samples == 0 {
            return Err(crate::InputError::new(
                "llm.samples (--samples) must be at least 1",
            ));
        }
        let secs = |s: f64, name: &str| {
            Duration::try_from_secs_f64(s)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    crate::InputError::new(format!(
                        "llm.{name} must be a positive number of seconds"
                    ))
                })
        };
        Ok(JudgeSettings {
            endpoint: Endpoint {
                base_url: config.base_url.trim_end_matches('/').to_string(),
                model: config.model.clone(),
                azure_api_version: config.azure_api_version.clone(),
                api_key,
            },
            jobs: config.jobs,
            rpm: config.rpm,
            samples: config.samples,
            temperature: config.temperature,
            seed: config.seed,
            max_answer_tokens: config.max_answer_tokens,
            max_output_tokens: config.max_output_tokens,
            retry: RetryPolicy::from(&config.retry),
            breaker_after: config.breaker_after,
            connect_timeout: secs(config.connect_timeout_secs, "connect_timeout_secs")?,
            timeout: secs(config.timeout_secs, "timeout_secs")?,
            cache: config.cache.then(|| Cache::new(config.cache_folder())),
            price: config.price(),
            prompts: Prompts::load(config.prompts_dir.as_deref())?,
            embeddings_model: config.embeddings_model.clone(),
            embeddings_threshold: config.embeddings_threshold,
        })
    }
}

/// The judge's result for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// What goes into the grade and reports.
    pub outcome: LlmOutcome,
    /// The merged verdict, when graded.
    pub verdict: Option<Verdict>,
}

/// Token and cost estimate for `--dry-run`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Estimate {
    /// Prompt tokens that would be sent (all samples).
    pub prompt_tokens: u64,
    /// Expected completion tokens (all samples).
    pub completion_tokens: u64,
    /// Estimated cost in USD, when the model's price is known.
    pub cost_usd: Option<f64>,
    /// Answers that would be truncated.
    pub truncated: usize,
}

/// An LLM judge bound to one endpoint; share it across tasks with `Arc`.
#[derive(Debug)]
pub struct Judge {
    settings: JudgeSettings,
    client: Client,
    tokens: TokenCounter,
    pacer: Pacer,
    slots: Semaphore,
    format: AtomicU8,
    fatal: OnceLock<String>,
    requests: AtomicU64,
    /// Connection failures and timeouts since the endpoint last answered (the circuit breaker).
    down_streak: AtomicU32,
}

/// A prepared prompt for one answer.
struct Prepared {
    items: Vec<JudgeItem>,
    messages: Vec<Message>,
    truncated: bool,
    rubric_hash: String,
}

impl Judge {
    /// A judge with these settings (builds the HTTPS client).
    pub fn new(settings: JudgeSettings) -> Result<Judge, String> {
        let client = Client::new(settings.connect_timeout, settings.timeout)?;
        Ok(Judge {
            tokens: TokenCounter::new(&settings.endpoint.model),
            pacer: Pacer::new(settings.rpm),
            slots: Semaphore::new(settings.jobs),
            format: AtomicU8::new(0),
            fatal: OnceLock::new(),
            requests: AtomicU64::new(0),
            down_streak: AtomicU32::new(0),
            client,
            settings,
        })
    }

    /// The settings in use.
    pub fn settings(&self) -> &JudgeSettings {
        &self.settings
    }

    /// HTTP requests sent so far (retries included, cache hits excluded).
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The run-stopping error, if one happened (already redacted).
    pub fn fatal_error(&self) -> Option<&str> {
        self.fatal.get().map(String::as_str)
    }

    /// Judges many answers concurrently (at most `jobs` requests in flight); results keep the
    /// input order.
    pub async fn judge_all(self: &Arc<Self>, tasks: Vec<(Rubric, String)>) -> Vec<Judgement> {
        let mut set = tokio::task::JoinSet::new();
        let count = tasks.len();
        for (index, (rubric, answer)) in tasks.into_iter().enumerate() {
            let judge = Arc::clone(self);
            set.spawn(async move { (index, judge.judge(&rubric, &answer).await) });
        }
        let mut results: Vec<Option<Judgement>> = vec![None; count];
        while let Some(joined) = set.join_next().await {
            if let Ok((index, judgement)) = joined {
                results[index] = Some(judgement);
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| self.ungraded("internal error: judging task failed", "")))
            .collect()
    }

    /// Judges one answer: every sample, merged; never panics, never a silent score.
    pub async fn judge(&self, rubric: &Rubric, answer: &str) -> Judgement {
        let prepared = match self.prepare(rubric, answer) {
            Ok(p) => p,
            Err(e) => return self.ungraded(&e, ""),
        };
        let mut usage = Usage::default();
        let mut all_cached = true;
        let mut verdicts = Vec::new();
        let mut failures = Vec::new();
        // Only a reply that yields a verdict is cached (or taken from the cache).
        let usable = |body: &Value| {
            verdict::read_reply(body)
                .and_then(|reply| verdict::parse_verdict(&reply, &prepared.items, answer))
                .is_ok()
        };
        for sample in 0..self.settings.samples {
            match self.ask(&prepared.messages, sample, &usable).await {
                Ok((body, cached)) => {
                    all_cached &= cached;
                    let parsed = verdict::read_reply(&body).and_then(|reply| {
                        if !cached {
                            usage.add(reply.usage);
                        }
                        verdict::parse_verdict(&reply, &prepared.items, answer)
                    });
                    match parsed {
                        Ok(v) => verdicts.push(v),
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                Err(e) => {
                    all_cached = false;
                    failures.push(e);
                }
            }
        }
        let mut judgement = self.finish(&prepared, verdicts, failures, usage, all_cached);
        if let (Some(model), true) = (
            &self.settings.embeddings_model,
            judgement.outcome.is_graded(),
        ) {
            self.add_similarities(&mut judgement.outcome, model, &prepared.items, answer)
                .await;
        }
        judgement
    }

    /// Records each point's embedding similarity; a failure only adds a notice.
    async fn add_similarities(
        &self,
        outcome: &mut LlmOutcome,
        model: &str,
        items: &[JudgeItem],
        answer: &str,
    ) {
        use super::embeddings::{best_similarities, inputs, parse_embeddings};
        let similarities = match inputs(items, answer) {
            None => Ok(vec![0.0; items.len()]),
            Some(inputs) => {
                let request =
                    super::request::embeddings_request(&self.settings.endpoint, model, &inputs);
                self.post_cached(&request, |body| parse_embeddings(body, inputs.len()))
                    .await
                    .map(|(vectors, _cached)| best_similarities(&vectors, items.len()))
            }
        };
        match similarities {
            Ok(sims) => {
                for (point, sim) in outcome.points.iter_mut().zip(sims) {
                    point.similarity = Some((sim * 1000.0).round() / 1000.0);
                    point.semantic_match = sim >= self.settings.embeddings_threshold;
                }
            }
            Err(e) => outcome
                .notices
                .push(format!("embeddings unavailable: {}", self.redact(&e))),
        }
    }

    /// POSTs one request through the cache and the retry policy and reads the reply with
    /// `read`; the error is one redacted line. The flag says whether the reply came from the
    /// cache. Only a reply `read` accepts is cached, and a cached one it rejects is asked again.
    pub async fn post_cached<T>(
        &self,
        request: &super::request::HttpRequest,
        read: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<(T, bool), String> {
        let key = Cache::key(&self.settings.endpoint.base_url, &request.body);
        if let Some(hit) = self.settings.cache.as_ref().and_then(|c| c.get(&key)) {
            if let Ok(value) = read(&hit) {
                return Ok((value, true));
            }
        }
        let body = self
            .send_with_retries(request)
            .await
            .map_err(|e| self.redact(&e.to_string()))?;
        let value = read(&body).map_err(|e| self.redact(&e))?;
        if let Some(cache) = &self.settings.cache {
            let _ = cache.put(&key, &body);
        }
        Ok((value, false))
    }

    /// Estimates tokens and cost of judging these answers, sending nothing.
    pub fn estimate(&self, tasks: &[(&Rubric, &str)]) -> Estimate {
        let mut est = Estimate::default();
        for (rubric, answer) in tasks {
            let Ok(p) = self.prepare(rubric, answer) else {
                continue;
            };
            let prompt: usize = p
                .messages
                .iter()
                .map(|m| self.tokens.count(&m.content) + 4)
                .sum();
            let completion =
                (80 + 60 * p.items.len()).min(self.settings.max_output_tokens as usize);
            let samples = u64::from(self.settings.samples);
            est.prompt_tokens += prompt as u64 * samples;
            est.completion_tokens += completion as u64 * samples;
            est.truncated += usize::from(p.truncated);
        }
        est.cost_usd = cost(
            Usage {
                prompt_tokens: est.prompt_tokens,
                completion_tokens: est.completion_tokens,
            },
            self.settings.price,
        );
        est
    }

    fn prepare(&self, rubric: &Rubric, answer: &str) -> Result<Prepared, String> {
        let items = judge_items(rubric);
        let (answer, truncated) = self
            .tokens
            .truncate(answer, self.settings.max_answer_tokens);
        let ctx = JudgeContext {
            question: &rubric.question,
            kind: rubric.kind.as_str(),
            items: items.iter().map(ItemView::of).collect(),
            answer: &answer,
            truncated,
        };
        let messages = self.settings.prompts.judge(&ctx)?;
        let rubric_text: String = items
            .iter()
            .map(|i| format!("{}\u{1f}{}\u{1e}", i.label, i.expects))
            .collect();
        Ok(Prepared {
            rubric_hash: short_hash(format!("{}\u{1d}{rubric_text}", rubric.question).as_bytes()),
            items,
            messages,

            truncated,
        })
    }

    /// One sample's reply body, from the cache or the endpoint (falling back through response
    /// formats when the server rejects one). The error is one redacted line. Only replies that
    /// are `usable` (give a verdict) are cached or taken from the cache, so an empty, cut,
    /// refused or malformed reply is asked again next time rather than replayed.
    async fn ask(
        &self,
        messages: &[Message],
        sample: u32,
        usable: &(dyn Fn(&Value) -> bool + Sync),
    ) -> Result<(Value, bool), String> {
        let params = |format| ChatParams {
            temperature: self.settings.temperature,
            seed: self.settings.seed.map(|s| s + u64::from(sample)),
            max_tokens: self.settings.max_output_tokens,
            format,
        };
        let schema = verdict::schema();
        let endpoint = &self.settings.endpoint;
        let start = level_format(self.format.load(Ordering::Relaxed));
        // A reply cached under any still-possible format is reused.
        if let Some(cache) = &self.settings.cache {
            let mut format = Some(start);
            while let Some(f) = format {
                let req = chat_request(endpoint, messages, &params(f), &schema);
                if let Some(hit) = cache
                    .get(&Cache::key(&endpoint.base_url, &req.body))
                    .filter(|hit| usable(hit))
                {
                    return Ok((hit, true));
                }
                format = f.fallback();
            }
        }
        let mut format = start;
        loop {
            let req = chat_request(endpoint, messages, &params(format), &schema);
            match self.send_with_retries(&req).await {
                Ok(body) => {
                    if let Some(cache) = self.settings.cache.as_ref().filter(|_| usable(&body)) {
                        // A cache write failure only costs a future request.
                        let _ = cache.put(&Cache::key(&endpoint.base_url, &req.body), &body);
                    }
                    return Ok((body, false));
                }
                Err(e) if e.is_format_unsupported() && format.fallback().is_some() => {
                    format = format.fallback().expect("checked above");
                    self.format
                        .fetch_max(format_level(format), Ordering::Relaxed);
                }
                Err(e) => return Err(self.redact(&e.to_string())),
            }
        }
    }

    async fn send_with_retries(
        &self,
        req: &super::request::HttpRequest,
    ) -> Result<Value, CallError> {
        let policy = self.settings.retry;
        let mut attempt = 0;
        loop {
            self.pacer.wait().await;
            let result = {
                let _slot = self.slots.acquire().await.expect("semaphore never closed");
                // Checked once a slot is free: a task queued behind a fatal reply sends nothing.
                if let Some(fatal) = self.fatal.get() {
                    return Err(CallError::Skipped(fatal.clone()));
                }
                self.requests.fetch_add(1, Ordering::Relaxed);
                let result = self.client.send(req).await;
                match &result {
                    Err(e) if e.is_fatal() => {
                        let _ = self.fatal.set(self.redact(&e.to_string()));
                    }
                    Err(e @ (CallError::Connect(_) | CallError::Timeout)) => self.endpoint_down(e),
                    // Any reply at all shows the endpoint is up.
                    _ => self.down_streak.store(0, Ordering::Relaxed),
                }
                result
            };
            match result {
                Ok(body) => return Ok(body),
                Err(e) if e.is_retryable() && attempt < policy.max_retries => {
                    let retry_after = match &e {
                        CallError::RateLimited { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let Some(delay) = policy.delay(attempt, retry_after) else {
                        return Err(CallError::WaitTooLong {
                            wait: retry_after.unwrap_or_default(),
                            ceiling: policy.max_retry_after,
                            last: Box::new(e),
                        });
                    };
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(if e.is_retryable() && attempt > 0 {
                        CallError::GaveUp {
                            retries: attempt,
                            last: Box::new(e),
                        }
                    } else {
                        e
                    });
                }
            }
        }
    }

    /// Counts a connection failure or timeout; enough of them in a row trip the circuit
    /// breaker: the run stops calling, and every answer not yet judged is left ungraded with
    /// this reason instead of waiting out its own retries against a dead endpoint.
    fn endpoint_down(&self, error: &CallError) {
        let streak = self.down_streak.fetch_add(1, Ordering::Relaxed) + 1;
        let limit = self.settings.breaker_after;
        if limit > 0 && streak >= limit {
            let _ = self.fatal.set(self.redact(&format!(
                "stopped calling the LLM endpoint after {streak} connection failures or timeouts in a row (llm.breaker_after = {limit}); last: {error}"
            )));
        }
    }

    fn redact(&self, text: &str) -> String {
        self.settings.endpoint.redact(text)
    }

    fn base_outcome(&self, rubric_hash: &str) -> LlmOutcome {
        LlmOutcome {
            status: LlmStatus::Ungraded,
            reason: None,
            model: self.settings.endpoint.model.clone(),
            base_url: self.settings.endpoint.redacted_base_url(),
            prompt_hash: self.settings.prompts.judge_hash(),
            rubric_hash: rubric_hash.to_string(),
            score: None,
            spread: None,
            samples: 0,
            points: Vec::new(),
            feedback: None,
            notices: Vec::new(),
            usage: Usage::default(),
            cost_usd: None,
            cached: false,
        }
    }

    fn ungraded(&self, reason: &str, rubric_hash: &str) -> Judgement {
        let mut outcome = self.base_outcome(rubric_hash);
        outcome.reason = Some(self.redact(reason));
        Judgement {
            outcome,
            verdict: None,
        }
    }

    fn finish(
        &self,
        prepared: &Prepared,
        verdicts: Vec<Verdict>,
        failures: Vec<String>,
        usage: Usage,
        all_cached: bool,
    ) -> Judgement {
        let mut outcome = self.base_outcome(&prepared.rubric_hash);
        outcome.usage = usage;
        outcome.cost_usd = cost(usage, self.settings.price);
        if prepared.truncated {
            outcome.notices.push(format!(
                "answer truncated to {} tokens for the LLM judge",
                self.settings.max_answer_tokens
            ));
        }
        let Some(merged) = merge(&verdicts) else {
            let mut failures = failures;
            failures.dedup();
            outcome.reason = Some(self.redact(&failures.join("; ")));
            return Judgement {
                outcome,
                verdict: None,
            };
        };
        outcome.status = LlmStatus::Graded;
        outcome.cached = all_cached;
        outcome.samples = verdicts.len() as u32;
        outcome.score = Some(merged.score);
        outcome.spread = (verdicts.len() > 1).then(|| spread(&verdicts));
        outcome.feedback = Some(merged.feedback.clone()).filter(|f| !f.trim().is_empty());
        outcome.notices.extend(merged.notices.iter().cloned());
        for failure in &failures {
            outcome
                .notices
                .push(self.redact(&format!("a sample was dropped: {failure}")));
        }
        outcome.points = prepared
            .items
            .iter()
            .zip(&merged.points)
            .map(|(item, p)| PointJudgement {
                label: item.label.clone(),
                coverage: p.coverage,
                quote: p.quote.clone(),
                quote_verified: p.quote_verified,
                comment: p.comment.clone(),
                needs_review: false,
                similarity: None,
                semantic_match: false,
            })
            .collect();
        Judgement {
            outcome,
            verdict: Some(merged),
        }
    }
}

fn format_level(format: ResponseFormat) -> u8 {
    match format {
        ResponseFormat::JsonSchema => 0,
        ResponseFormat::JsonObject => 1,
        ResponseFormat::Text => 2,
    }
}

fn level_format(level: u8) -> ResponseFormat {
    match level {
        0 => ResponseFormat::JsonSchema,
        1 => ResponseFormat::JsonObject,
        _ => ResponseFormat::Text,
    }
}

/// The items the judge rates: STAR elements for behavioural rubrics, else key points.
pub fn judge_items(rubric: &Rubric) -> Vec<JudgeItem> {
    if rubric.kind == Kind::Behavioural && !rubric.star.is_empty() {
        return rubric
            .star
            .iter()
            .enumerate()
            .map(|(i, e)| JudgeItem {
                id: i + 1,
                label: e.part.title().to_string(),
                expects: e.expects.clone(),
            })
            .collect();
    }
    rubric
        .key_points
        .iter()
        .enumerate()
        .map(|(i, kp)| JudgeItem {
            id: i + 1,
            label: kp.label.clone(),
            expects: kp.reference.clone(),
        })
        .collect()
}

/// Merges samples: mean score, per point the lower median coverage (a tie goes to the more
/// cautious rating), with the quote of a sample that gave that rating.
fn merge(verdicts: &[Verdict]) -> Option<Verdict> {
    let first = verdicts.first()?;
    if verdicts.len() == 1 {
        return Some(first.clone());
    }
    let score = verdicts.iter().map(|v| v.score).sum::<f64>() / verdicts.len() as f64;
    let points = (0..first.points.len())
        .map(|i| {
            let mut ranked: Vec<&PointVerdict> = verdicts.iter().map(|v| &v.points[i]).collect();
            ranked.sort_by_key(|p| coverage_rank(p.coverage));
            ranked[(ranked.len() - 1) / 2].clone()
        })
        .collect();
    let mut notices: Vec<String> = verdicts.iter().flat_map(|v| v.notices.clone()).collect();
    notices.sort();
    notices.dedup();
    Some(Verdict {
        score,
        points,
        feedback: first.feedback.clone(),
        notices,
    })
}

fn coverage_rank(c: Coverage) -> u8 {
    match c {
        Coverage::Missing => 0,
        Coverage::Partial => 1,
        Coverage::Covered => 2,
    }
}

fn spread(verdicts: &[Verdict]) -> f64 {
    let (lo, hi) = verdicts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| {
        (lo.min(v.score), hi.max(v.score))
    });
    hi - lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(score: f64, cov: Coverage) -> Verdict {
        Verdict {
            score,
            points: vec![PointVerdict {
                coverage: cov,
                claimed: cov,
                quote: String::new(),
                quote_verified: true,
                comment: String::new(),
            }],
            feedback: "f".into(),
            notices: vec![],
        }
    }

    #[test]
    fn samples_merge_to_mean_and_cautious_median() {
        let vs = [
            verdict(60.0, Coverage::Covered),
            verdict(80.0, Coverage::Missing),
            verdict(70.0, Coverage::Partial),
            verdict(70.0, Coverage::Covered),
        ];
        let m = merge(&vs).unwrap();
        assert_eq!(m.score, 70.0);
        assert_eq!(m.points[0].coverage, Coverage::Partial);
        assert_eq!(spread(&vs), 20.0);
        assert!(merge(&[]).is_none());
    }
}
