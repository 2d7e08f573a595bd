//! The judge: renders the prompt, consults the cache, calls the endpoint with retries under the
//! concurrency and rate limits, and turns replies into one validated, merged verdict per answer.
//!
//! Failure is never silent: whatever goes wrong leaves an [`LlmOutcome`] with status
//! `ungraded` and a one-line reason. A fatal error (bad key, no quota, unknown model) stops all
//! further calls in the run; the remaining answers are marked ungraded with that same message.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{OnceCell, Semaphore};

use super::cache::Cache;
use super::client::{CallError, Client};
use super::examples::Examples;
use super::outcome::{CheckNote, LlmOutcome, LlmStatus, PointJudgement, Usage};
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
    /// Whole-request timeout of a first attempt; a retry after a timeout gets twice the
    /// budget of the attempt before it (see [`TIMEOUT_GROWTH_CAP`]).
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
    /// Human-graded answers shown as few-shot examples, if any.
    pub examples: Option<Arc<Examples>>,
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
        let mut timeout = secs(config.timeout_secs, "timeout_secs")?;
        // A model on this machine answers slowly (a CPU server takes 30-100 s for one verdict)
        // but surely: unless the timeout was set, allow it what a remote API never needs.
        if is_loopback(&config.base_url) && config.timeout_secs == LlmConfig::default().timeout_secs
        {
            timeout = LOOPBACK_TIMEOUT;
        }
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
            timeout,
            cache: config.cache.then(|| Cache::new(config.cache_folder())),
            price: config.price(),
            prompts: Prompts::load(config.prompts_dir.as_deref())?,
            embeddings_model: config.embeddings_model.clone(),
            embeddings_threshold: config.embeddings_threshold,
            examples: config
                .examples
                .as_deref()
                .map(|path| Examples::load(path, config.examples_k).map(Arc::new))
                .transpose()?,
        })
    }
}

/// Default whole-request timeout for a server on this machine (loopback), when
/// `llm.timeout_secs` is left at its default.
pub const LOOPBACK_TIMEOUT: Duration = Duration::from_secs(600);

/// A retry after a timeout never gets more than this many times the first attempt's budget.
pub const TIMEOUT_GROWTH_CAP: u32 = 4;

/// Whether `base_url` names this machine (127.0.0.0/8, `localhost`, `[::1]`).
pub fn is_loopback(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
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
    /// Requests allowed in flight now: `jobs`, lowered to what a local server sustains (its
    /// slot count, or 1) and by one after each timeout, never below 1.
    limit: AtomicUsize,
    /// Set once the concurrency has been fitted to the server (see `fit_concurrency`).
    fitted: OnceCell<()>,
    format: AtomicU8,
    fatal: OnceLock<String>,
    requests: AtomicU64,
    /// Connection failures and timeouts since the endpoint last answered (the circuit breaker).
    down_streak: AtomicU32,
    /// What the judge check found, stamped on every outcome.
    check: OnceLock<CheckNote>,
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
        let remembered = settings
            .cache
            .as_ref()
            .and_then(|c| std::fs::read_to_string(format_file(c, &settings.endpoint)).ok())
            .and_then(|t| t.trim().parse::<u8>().ok())
            .map_or(0, |level| level.min(2));
        Ok(Judge {
            tokens: TokenCounter::new(&settings.endpoint.model),
            pacer: Pacer::new(settings.rpm),
            slots: Semaphore::new(settings.jobs),
            limit: AtomicUsize::new(settings.jobs),
            fitted: OnceCell::new(),
            format: AtomicU8::new(remembered),
            fatal: OnceLock::new(),
            requests: AtomicU64::new(0),
            down_streak: AtomicU32::new(0),
            check: OnceLock::new(),
            client,
            settings,
        })
    }

    /// The settings in use.
    pub fn settings(&self) -> &JudgeSettings {
        &self.settings
    }

    /// Requests allowed in flight now (see `limit`).
    pub fn concurrency(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// The reply format this judge starts with (remembered per base URL and model in the
    /// cache folder once a server refused a richer one).
    pub fn response_format(&self) -> ResponseFormat {
        level_format(self.format.load(Ordering::Relaxed))
    }

    /// Records the judge check's result; every later outcome carries it (and a weak judge gets
    /// less weight when combined). Set once; later calls are ignored.
    pub fn set_check(&self, note: CheckNote) {
        let _ = self.check.set(note);
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
        let mut retries = 0;
        let mut all_cached = true;
        let mut verdicts = Vec::new();
        let mut failures = Vec::new();
        // Only a reply that yields a verdict is cached (or taken from the cache).
        // A well-formed verdict whose quotes fail is cached too: asking again gets the same.
        let usable = |body: &Value| {
            verdict::read_reply(body)
                .and_then(|reply| verdict::parse_verdict(&reply, &prepared.items, answer))
                .map_or_else(|e| e.is_well_formed(), |_| true)
        };
        for sample in 0..self.settings.samples {
            let asked = self
                .ask(
                    &prepared.messages,
                    &prepared.items,
                    sample,
                    &usable,
                    &mut retries,
                )
                .await;
            match asked {
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
        judgement.outcome.retries = retries;
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
            .send_with_retries(request, &mut 0)
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
            let completion = (80 + 60 * p.items.len()).min(verdict::max_tokens_for(
                p.items.len(),
                self.settings.max_output_tokens,
            ) as usize);
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
        let examples: Vec<(String, f64)> = self
            .settings
            .examples
            .as_ref()
            .map(|e| e.pick(rubric, &answer))
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                let budget = (self.settings.max_answer_tokens / 4).max(50);
                (self.tokens.truncate(&e.answer, budget).0, e.score)
            })
            .collect();
        let ctx = JudgeContext {
            examples: examples.iter().map(|(a, s)| (a.as_str(), *s)).collect(),
            question: &rubric.question,
            kind: rubric.kind.as_str(),
            items: items.iter().map(ItemView::of).collect(),
            misconceptions: rubric
                .misconceptions
                .iter()
                .map(|m| (m.claim.as_str(), m.correction.as_str()))
                .collect(),
            answer: &answer,
            truncated,
        };
        let messages = self.settings.prompts.judge(&ctx)?;
        let rubric_text: String = items
            .iter()
            .map(|i| format!("{}\u{1f}{}\u{1e}", i.label, i.expects))
            .chain(
                rubric
                    .misconceptions
                    .iter()
                    .map(|m| format!("!{}\u{1f}{}\u{1e}", m.claim, m.correction)),
            )
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
        items: &[JudgeItem],
        sample: u32,
        usable: &(dyn Fn(&Value) -> bool + Sync),
        retries: &mut u32,
    ) -> Result<(Value, bool), String> {
        let params = |format| ChatParams {
            temperature: self.settings.temperature,
            seed: self.settings.seed.map(|s| s + u64::from(sample)),
            max_tokens: verdict::max_tokens_for(items.len(), self.settings.max_output_tokens),
            format,
        };
        let schema = verdict::schema(items);
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
            match self.send_with_retries(&req, retries).await {
                Ok(body) => {
                    if let Some(cache) = self.settings.cache.as_ref().filter(|_| usable(&body)) {
                        // A cache write failure only costs a future request.
                        let _ = cache.put(&Cache::key(&endpoint.base_url, &req.body), &body);
                    }
                    return Ok((body, false));
                }
                Err(e) if e.is_format_unsupported() && format.fallback().is_some() => {
                    format = format.fallback().expect("checked above");
                    *retries += 1;
                    self.remember_format(format);
                }
                Err(e) => return Err(self.redact(&e.to_string())),
            }
        }
    }

    /// Records a reply format the server accepts when a richer one was refused: this run and,
    /// through the cache folder, later runs against the same base URL and model start there.
    fn remember_format(&self, format: ResponseFormat) {
        let level = format_level(format);
        if self.format.fetch_max(level, Ordering::Relaxed) < level {
            if let Some(cache) = &self.settings.cache {
                let path = format_file(cache, &self.settings.endpoint);
                // Losing this note only costs one refused request next run.
                let _ = std::fs::create_dir_all(cache.dir())
                    .and_then(|()| std::fs::write(path, level.to_string()));
            }
        }
    }

    /// Fits the concurrency to a server on this machine, once, before the first request: its
    /// slot count where it offers one (llama.cpp's `/props` `total_slots`), else one request
    /// at a time. A local server runs requests it cannot fit in a slot one after another, so
    /// more in flight only counts queue time against each request's timeout.
    async fn fit_concurrency(&self) {
        let jobs = self.settings.jobs;
        if jobs <= 1 || !is_loopback(&self.settings.endpoint.base_url) {
            return;
        }
        let base = self.settings.endpoint.base_url.trim_end_matches('/');
        let root = base.strip_suffix("/v1").unwrap_or(base);
        let slots = self
            .client
            .get_json(&format!("{root}/props"), self.settings.connect_timeout)
            .await
            .and_then(|props| props.get("total_slots")?.as_u64())
            .filter(|n| *n > 0)
            .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let target = jobs.min(slots);
        // No request holds a slot yet: every task waits for this fit first.
        let forgotten = self.slots.forget_permits(jobs - target);
        self.limit.fetch_sub(forgotten, Ordering::Relaxed);
    }

    /// Lowers the concurrency by one (never below 1) after a timeout by not returning this
    /// request's slot.
    fn back_off(&self, slot: tokio::sync::SemaphorePermit<'_>) {
        let lowered = self
            .limit
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                (l > 1).then(|| l - 1)
            })
            .is_ok();
        if lowered {
            slot.forget();
        }
    }

    async fn send_with_retries(
        &self,
        req: &super::request::HttpRequest,
        retries: &mut u32,
    ) -> Result<Value, CallError> {
        let policy = self.settings.retry;
        let mut attempt = 0;
        let mut budget = self.settings.timeout;
        self.fitted.get_or_init(|| self.fit_concurrency()).await;
        loop {
            self.pacer.wait().await;
            let result = {
                let slot = self.slots.acquire().await.expect("semaphore never closed");
                // Checked once a slot is free: a task queued behind a fatal reply sends nothing.
                if let Some(fatal) = self.fatal.get() {
                    return Err(CallError::Skipped(fatal.clone()));
                }
                self.requests.fetch_add(1, Ordering::Relaxed);
                let result = self.client.send(req, Some(budget)).await;
                match &result {
                    Err(e) if e.is_fatal() => {
                        let _ = self.fatal.set(self.redact(&e.to_string()));
                    }
                    Err(e @ (CallError::Connect(_) | CallError::Timeout)) => self.endpoint_down(e),
                    // Any reply at all shows the endpoint is up.
                    _ => self.down_streak.store(0, Ordering::Relaxed),
                }
                if matches!(result, Err(CallError::Timeout)) {
                    self.back_off(slot);
                }
                result
            };
            match result {
                Ok(body) => return Ok(body),
                // A refused reply format is never sent again as it was; the caller falls back.
                Err(e) if e.is_format_unsupported() => return Err(e),
                // The server cancels a generation that timed out and starts the retry from
                // scratch: the same budget would time out again, so a retry gets twice as long
                // (up to TIMEOUT_GROWTH_CAP times the first), and none once that cap is spent.
                Err(CallError::Timeout)
                    if budget >= self.settings.timeout * TIMEOUT_GROWTH_CAP
                        || attempt >= policy.max_retries =>
                {
                    return Err(if attempt > 0 {
                        CallError::GaveUp {
                            retries: attempt,
                            last: Box::new(CallError::Timeout),
                        }
                    } else {
                        CallError::Timeout
                    });
                }
                Err(CallError::Timeout) => {
                    budget = (budget * 2).min(self.settings.timeout * TIMEOUT_GROWTH_CAP);
                    attempt += 1;
                    *retries += 1;
                }
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
                    *retries += 1;
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
            retries: 0,
            judge_check: self.check.get().cloned(),
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
                abstained: p.abstained,
                comment: p.comment.clone(),
                wrong: p.wrong,
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

/// The file in the cache folder remembering which reply format `endpoint` accepts.
fn format_file(cache: &Cache, endpoint: &Endpoint) -> std::path::PathBuf {
    let id = short_hash(
        format!(
            "{}\u{0}{}",
            endpoint.base_url.trim_end_matches('/'),
            endpoint.model
        )
        .as_bytes(),
    );
    cache.dir().join(format!("format-{id}.txt"))
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
            expects: expects(&kp.statement, &kp.reference),
        })
        .collect()
}

/// What a key point expects, as a human grader reads it: its statement (what must be said)
/// and the reference passage it comes from, each once.
fn expects(statement: &str, reference: &str) -> String {
    let (statement, reference) = (statement.trim(), reference.trim());
    if statement.is_empty() || reference.contains(statement) {
        reference.to_string()
    } else if reference.is_empty() {
        statement.to_string()
    } else {
        format!("{statement} (reference: {reference})")
    }
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
                abstained: false,
                quote: String::new(),
                quote_verified: true,
                comment: String::new(),
                wrong: false,
            }],
            feedback: "f".into(),
            notices: vec![],
        }
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:8080/v1",
            "http://localhost/v1",
            "http://[::1]:9/v1",
            "http://u:p@127.0.0.2:1",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://api.openai.com/v1",
            "http://10.0.0.1/v1",
            "http://127.0.0.1.evil.com/v1",
            "http://localhost@evil.com/v1",
        ] {
            assert!(!is_loopback(url), "{url}");
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
