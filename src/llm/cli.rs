//! The LLM flags shared by `hone grade` and `hone batch` (`#[command(flatten)]`), and the
//! blocking run they resolve to.
//!
//! `--jobs` and `--strict` are not here: `hone batch` already has both, so each command keeps
//! its own (the front end's settings take `--jobs` as `llm.jobs`).
//! Flags are the last layer over defaults < config file < environment (see `config`); the front
//! end applies them once ([`LlmArgs::apply`]) and resolves a run from the result. The
//! library never prints: callers show [`LlmRun::describe_estimate`] and each outcome's summary.

use std::path::PathBuf;
use std::sync::Arc;

use super::combine::combine;
use super::judge::{Estimate, Judge, JudgeSettings, Judgement};
use super::outcome::Usage;
use super::request::ApiKey;
use super::tokens::cost;
use crate::config::LlmConfig;
use crate::grade::Grade;
use crate::rubric::Rubric;
use crate::InputError;

/// LLM judge options.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "LLM judge")]
pub struct LlmArgs {
    /// Also ask an LLM judge (any OpenAI-compatible endpoint) and combine its verdict.
    #[arg(long)]
    pub llm: bool,
    /// Base URL of the API [env: OPENAI_BASE_URL] [default: https://api.openai.com/v1].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Model name, or the Azure deployment [env: HONE_LLM_MODEL] [default: gpt-4o-mini].
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Environment variable holding the API key [default: OPENAI_API_KEY].
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Cap on LLM requests per minute.
    #[arg(long, value_name = "N")]
    pub rpm: Option<u32>,
    /// Ask the judge N times per answer and report the spread [default: 1].
    #[arg(long, value_name = "N")]
    pub samples: Option<u32>,
    /// Do not read or write the LLM reply cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Folder of the LLM reply cache [default: the user cache dir, hone/llm].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Estimate LLM tokens and cost without sending anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds allowed per LLM request [default: 120].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Human-graded JSONL file (`question`, `answer`, `score`, as `hone eval` reads): the judge
    /// sees up to `llm.examples_k` (3) graded answers to the same question, the most similar first.
    #[arg(long, value_name = "FILE")]
    pub examples: Option<PathBuf>,
}

impl LlmArgs {
    /// Applies the flags over a config.
    pub fn apply(&self, config: &mut LlmConfig) {
        config.enabled |= self.llm || self.dry_run;
        if let Some(v) = &self.base_url {
            config.base_url = v.clone();
        }
        if let Some(v) = &self.model {
            config.model = v.clone();
        }
        if let Some(v) = &self.api_key_env {
            config.api_key_env = v.clone();
        }
        if self.rpm.is_some() {
            config.rpm = self.rpm;
        }
        if let Some(v) = self.samples {
            config.samples = v;
        }
        if self.no_cache {
            config.cache = false;
        }
        if let Some(v) = &self.cache_dir {
            config.cache_dir = Some(v.clone());
        }
        if let Some(v) = self.timeout {
            config.timeout_secs = v;
        }
        if let Some(v) = &self.examples {
            config.examples = Some(v.clone());
        }
    }

    /// A run for `config` (config file, environment and these flags already applied, see
    /// [`LlmArgs::apply`]), or `None` when the judge is off (no `--llm`, `--dry-run` or
    /// `llm.enabled`). The API key is read from the environment here, and kept nowhere else.
    pub fn resolve(&self, config: &LlmConfig) -> Result<Option<LlmRun>, InputError> {
        let env = |k: &str| std::env::var(k).ok();
        if !config.enabled {
            return Ok(None);
        }
        let api_key = env(&config.api_key_env).and_then(ApiKey::new);
        if api_key.is_none() && !self.dry_run && is_remote(&config.base_url) {
            return Err(InputError::new(format!(
                "the API key variable {} is not set (or is empty), and {} is a remote endpoint",
                config.api_key_env,
                super::request::redacted_url(&config.base_url)
            ))
            .with_hint(format!(
                "export {}=<your key>, name another variable with --api-key-env, or use a local --base-url",
                config.api_key_env
            )));
        }
        LlmRun::new(config, api_key, self.dry_run).map(Some)
    }
}

/// Whether `base_url` points beyond this machine and its private network, where a key is
/// needed: local servers (Ollama, llama.cpp, vLLM on localhost, a LAN address or a bare
/// container name) are called without one.
pub fn is_remote(base_url: &str) -> bool {
    let after_scheme = base_url
        .find("://")
        .map_or(base_url, |i| &base_url[i + 3..]);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    }
    .to_ascii_lowercase();
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return match ip {
            std::net::IpAddr::V4(v4) => {
                !(v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified())
            }
            std::net::IpAddr::V6(v6) => {
                let unique_local = (v6.segments()[0] & 0xfe00) == 0xfc00;
                !(v6.is_loopback() || v6.is_unspecified() || unique_local)
            }
        };
    }
    let local_name = host.is_empty()
        || !host.contains('.')
        || host == "localhost"
        || [".localhost", ".local", ".internal", ".lan", ".home.arpa"]
            .iter()
            .any(|suffix| host.ends_with(suffix));
    !local_name
}

/// A resolved LLM judging run with its own async runtime, driven from synchronous code.
#[derive(Debug)]
pub struct LlmRun {
    /// The judge.
    pub judge: Arc<Judge>,
    /// Estimate only, send nothing.
    pub dry_run: bool,
    /// Run the judge check before a batch (`llm.check_judge`).
    pub check_judge: bool,
    runtime: tokio::runtime::Runtime,
}

impl LlmRun {
    /// A run for this config and key.
    pub fn new(
        config: &LlmConfig,
        api_key: Option<ApiKey>,
        dry_run: bool,
    ) -> Result<LlmRun, InputError> {
        let settings = JudgeSettings::from_config(config, api_key)?;
        let judge = Judge::new(settings).map_err(InputError::new)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| InputError::new(format!("cannot start the async runtime: {e}")))?;
        Ok(LlmRun {
            judge: Arc::new(judge),
            dry_run,
            check_judge: config.check_judge,
            runtime,
        })
    }

    /// Runs the judge check (blocking; cached per endpoint, model and prompt).
    pub fn check(&self) -> super::check::CheckReport {
        self.runtime.block_on(super::check::run(&self.judge))
    }

    /// Judges the answers (blocking), in input order.
    pub fn judge_all(&self, tasks: Vec<(Rubric, String)>) -> Vec<Judgement> {
        self.runtime.block_on(self.judge.judge_all(tasks))
    }

    /// Judges each answer and folds the verdict into its local grade (blocking, input order).
    /// Empty answers are not sent: their local "no answer" grade stands.
    pub fn judge_grades(&self, items: Vec<(Rubric, String, Grade)>) -> Vec<Grade> {
        let mut grades: Vec<Option<Grade>> = vec![None; items.len()];
        self.judge_grades_with(items, |index, grade| grades[index] = Some(grade));
        grades
            .into_iter()
            .map(|g| g.expect("every item is reported once"))
            .collect()
    }

    /// Like [`LlmRun::judge_grades`], but hands each combined grade to `on_done(index, grade)`
    /// as soon as it is ready (on the calling thread), so a batch can write each result at once
    /// and a killed run loses nothing already judged.
    pub fn judge_grades_with(
        &self,
        items: Vec<(Rubric, String, Grade)>,
        mut on_done: impl FnMut(usize, Grade),
    ) {
        self.runtime.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for (index, (rubric, answer, local)) in items.into_iter().enumerate() {
                if answer.trim().is_empty() {
                    on_done(index, local);
                    continue;
                }
                let judge = Arc::clone(&self.judge);
                set.spawn(async move {
                    let judgement = judge.judge(&rubric, &answer).await;
                    (index, combine(&local, &judgement))
                });
            }
            while let Some(joined) = set.join_next().await {
                let (index, grade) = joined.expect("judging tasks do not panic");
                on_done(index, grade);
            }
        });
    }

    /// Asks the model to refine each rubric given its model answer (blocking, input order);
    /// a failure keeps that rubric unchanged and says why.
    pub fn refine_rubrics(&self, items: Vec<(Rubric, String)>) -> Vec<Result<Rubric, String>> {
        self.runtime.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            let count = items.len();
            for (index, (rubric, model_answer)) in items.into_iter().enumerate() {
                let judge = Arc::clone(&self.judge);
                set.spawn(async move {
                    let refined =
                        super::refine::refine_rubric(&judge, &rubric, &model_answer).await;
                    (index, refined)
                });
            }
            let mut results =
                vec![Err("internal error: refinement task failed".to_string()); count];
            while let Some(Ok((index, refined))) = set.join_next().await {
                results[index] = refined;
            }
            results
        })
    }

    /// Usage summed over grades, and the estimated cost when the price is known.
    pub fn total_usage<'a>(
        &self,
        grades: impl IntoIterator<Item = &'a Grade>,
    ) -> (Usage, Option<f64>) {
        let mut total = Usage::default();
        for outcome in grades.into_iter().filter_map(|g| g.llm.as_ref()) {
            total.add(outcome.usage);
        }
        (total, cost(total, self.judge.settings().price))
    }

    /// Estimates tokens and cost without sending.
    pub fn estimate(&self, tasks: &[(&Rubric, &str)]) -> Estimate {
        self.judge.estimate(tasks)
    }

    /// One line describing an estimate, e.g. for `--dry-run`.
    pub fn describe_estimate(&self, answers: usize, est: &Estimate) -> String {
        let s = self.judge.settings();
        let cost = est
            .cost_usd
            .map(|c| format!("≈ ${c:.4}"))
            .unwrap_or_else(|| {
                format!(
                    "cost unknown (no price for `{}` in the config)",
                    s.endpoint.model
                )
            });
        let truncated = if est.truncated > 0 {
            format!("; {} answer(s) would be truncated", est.truncated)
        } else {
            String::new()
        };
        format!(
            "LLM dry run: {answers} answer(s) × {} sample(s) to {} at {}: ≈ {} prompt + {} completion tokens, {cost}{truncated}; nothing sent",
            s.samples, s.endpoint.model, s.endpoint.redacted_base_url(), est.prompt_tokens, est.completion_tokens
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        llm: LlmArgs,
    }

    #[test]
    fn flags_override_config() {
        let cmd = Cmd::parse_from([
            "x",
            "--llm",
            "--model",
            "m2",
            "--no-cache",
            "--timeout",
            "5",
        ]);
        let mut config = LlmConfig {
            model: "m1".into(),
            ..LlmConfig::default()
        };
        cmd.llm.apply(&mut config);
        assert!(config.enabled && !config.cache);
        assert_eq!(config.model, "m2");
        assert_eq!(config.timeout_secs, 5.0);
    }

    /// A command like `hone batch`, with its own --jobs and --strict.
    #[derive(Parser)]
    struct BatchLike {
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        llm: LlmArgs,
    }

    #[test]
    fn flattens_next_to_jobs_and_strict() {
        use clap::CommandFactory;
        BatchLike::command().debug_assert();
        let cmd = BatchLike::parse_from(["x", "-j", "4", "--strict", "--llm", "--rpm", "30"]);
        assert_eq!(
            (cmd.jobs, cmd.strict, cmd.llm.rpm),
            (Some(4), true, Some(30))
        );
    }

    #[test]
    fn remote_means_beyond_this_machine_and_its_network() {
        for remote in [
            "https://api.openai.com/v1",
            "https://user:pw@my-org.openai.azure.com/openai",
            "http://8.8.8.8:8080/v1",
            "http://[2001:db8::1]:11434/v1",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        for local in [
            "http://localhost:11434/v1",
            "http://127.0.0.1:9/v1",
            "http://[::1]:8000/v1",
            "http://192.168.1.20:11434/v1",
            "http://10.0.0.5/v1",
            "http://ollama:11434/v1",
            "http://gpu-box.local:8000/v1",
        ] {
            assert!(!is_remote(local), "{local}");
        }
    }

    #[test]
    fn off_without_llm_flag() {
        let args = LlmArgs::default();
        let mut config = LlmConfig::default();
        args.apply(&mut config);
        assert!(args.resolve(&config).unwrap().is_none());
    }
}
