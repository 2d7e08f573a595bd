//! hone's settings, layered: defaults < config file < environment < flags.
//!
//! The config file is TOML (`deny_unknown_fields`, so a typo is an error naming the key) at
//! `<user config dir>/hone/config.toml`, or wherever `HONE_CONFIG` / `--config` points. The
//! environment supplies the conventional `OPENAI_BASE_URL`, `OPENAI_API_VERSION` (Azure) and
//! `HONE_LLM_MODEL`; flags are applied last by the front end (see `llm::cli::LlmArgs`).
//! API keys are never stored here: only the *name* of the variable holding one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::InputError;

/// Everything hone reads from its config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Calibration file to score with (from `hone calibrate`); `--calibration` wins over it.
    pub calibration: Option<PathBuf>,
    /// `hone grade` settings.
    pub grade: GradeConfig,
    /// The LLM judge.
    pub llm: LlmConfig,
}

/// Settings of `hone grade`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GradeConfig {
    /// Record every graded answer in the practice history, as `--save` does (`--no-save` wins).
    pub save: bool,
}

/// Settings of the LLM judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmConfig {
    /// Use the judge at all (`--llm` turns it on for one run).
    pub enabled: bool,
    /// Base URL of an OpenAI-compatible API, e.g. `http://localhost:11434/v1` for Ollama.
    pub base_url: String,
    /// Model name (for Azure: the deployment name).
    pub model: String,
    /// Name of the environment variable holding the API key (absent is fine for local servers).
    pub api_key_env: String,
    /// Azure OpenAI `api-version`; setting it switches to Azure URLs and the `api-key` header.
    pub azure_api_version: Option<String>,
    /// Requests in flight at once.
    pub jobs: usize,
    /// Optional cap on requests per minute.
    pub rpm: Option<u32>,
    /// How many times to ask the judge per answer (the spread is reported).
    pub samples: u32,
    /// Use the on-disk response cache.
    pub cache: bool,
    /// Where the cache lives (default: the user's cache dir, `hone/llm`).
    pub cache_dir: Option<PathBuf>,
    /// Seconds allowed for connecting.
    pub connect_timeout_secs: f64,
    /// Seconds allowed for a whole request.
    pub timeout_secs: f64,
    /// Sampling temperature (0 for repeatable verdicts).
    pub temperature: f64,
    /// Seed sent with each request (sample `i` uses `seed + i`).
    pub seed: Option<u64>,
    /// Answers longer than this many tokens are truncated (with a notice) before judging.
    pub max_answer_tokens: usize,
    /// Upper bound on the judge's reply length, in tokens.
    pub max_output_tokens: u32,
    /// Retry policy for rate limits, server errors and dropped connections.
    pub retry: RetryConfig,
    /// Circuit breaker: after this many connection failures or timeouts in a row the run stops
    /// calling the endpoint and leaves the remaining answers ungraded, saying why (0 = never).
    pub breaker_after: u32,
    /// `hone batch --llm` first runs `hone judge check` on this judge (cached per model) and
    /// refuses an unusable one unless `--force-judge`; false skips the check.
    pub check_judge: bool,
    /// Human-graded JSONL file (as `hone eval` reads) whose answers to the same question the
    /// judge sees as few-shot examples.
    pub examples: Option<PathBuf>,
    /// Most few-shot examples per answer, the most similar to it first.
    pub examples_k: usize,
    /// Folder with `judge.md.j2` / `refine_rubric.md.j2` overriding the bundled prompts.
    pub prompts_dir: Option<PathBuf>,
    /// Embedding model for semantic key-point similarity (off when unset).
    pub embeddings_model: Option<String>,
    /// Cosine similarity at which a key point counts as paraphrased in the answer.
    pub embeddings_threshold: f64,
    /// Price per million tokens by model name, for cost estimates.
    pub prices: BTreeMap<String, Price>,
}

/// Retry policy settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay in milliseconds; doubles per attempt.
    pub base_delay_ms: u64,
    /// Longest backoff wait in milliseconds.
    pub max_delay_ms: u64,
    /// Longest server-requested wait (`Retry-After`) honoured, in milliseconds; a server asking
    /// for more gets no retry and the answer is left ungraded saying so.
    pub max_retry_after_ms: u64,
}

/// Price of one model in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Prompt (input) tokens.
    pub input: f64,
    /// Completion (output) tokens.
    pub output: f64,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
            api_key_env: "OPENAI_API_KEY".into(),
            azure_api_version: None,
            jobs: 8,
            rpm: None,
            samples: 1,
            cache: true,
            cache_dir: None,
            connect_timeout_secs: 10.0,
            timeout_secs: 120.0,
            temperature: 0.0,
            seed: Some(7),
            max_answer_tokens: 4000,
            max_output_tokens: 1500,
            retry: RetryConfig::default(),
            breaker_after: 10,
            check_judge: true,
            examples: None,
            examples_k: 3,
            prompts_dir: None,
            embeddings_model: None,
            embeddings_threshold: 0.75,
            prices: default_prices(),
        }
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: 5,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
            max_retry_after_ms: 120_000,
        }
    }
}

/// List prices (USD per million tokens) of common hosted models; the config file can add more.
fn default_prices() -> BTreeMap<String, Price> {
    [
        ("gpt-4o-mini", 0.15, 0.60),
        ("gpt-4o", 2.50, 10.00),
        ("gpt-4.1", 2.00, 8.00),
        ("gpt-4.1-mini", 0.40, 1.60),
        ("gpt-4.1-nano", 0.10, 0.40),
        ("o4-mini", 1.10, 4.40),
    ]
    .into_iter()
    .map(|(m, input, output)| (m.to_string(), Price { input, output }))
    .collect()
}

impl Config {
    /// Loads defaults, then the config file (explicit path, else `HONE_CONFIG`, else the user's
    /// config dir if the file exists), then the environment read through `env`.
    pub fn load(
        explicit: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, InputError> {
        Self::load_with_path(explicit, env).map(|(config, _)| config)
    }

    /// [`Config::load`], also giving the path of the file read (`None`: defaults only).
    pub fn load_with_path(
        explicit: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Config, Option<PathBuf>), InputError> {
        let path = explicit
            .map(Path::to_path_buf)
            .or_else(|| env("HONE_CONFIG").map(PathBuf::from))
            .or_else(|| default_path().filter(|p| p.is_file()));
        let mut config = match &path {
            Some(path) => Self::from_file(path)?,
            None => Config::default(),
        };
        config.llm.apply_env(env);
        Ok((config, path))
    }

    /// Reads one config file; a missing file or a bad key is an input error naming the file.
    pub fn from_file(path: &Path) -> Result<Config, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(format!("cannot read config file {}: {e}", path.display()))
                .with_hint("fix the path given by --config or HONE_CONFIG")
        })?;
        Self::from_toml(&text).map_err(|e| {
            InputError::new(format!("{}: {}", path.display(), e.message))
                .with_hint("see the README section on configuration for the known keys")
        })
    }

    /// Parses config TOML (keys not listed in the README are rejected).
    pub fn from_toml(text: &str) -> Result<Config, InputError> {
        toml::from_str(text).map_err(|e| InputError::new(one_line(&e.to_string())))
    }
}

impl LlmConfig {
    /// Applies the conventional environment variables on top of the file settings.
    pub fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) {
        if let Some(url) = env("OPENAI_BASE_URL").filter(|v| !v.trim().is_empty()) {
            self.base_url = url.trim().to_string();
        }
        if let Some(version) = env("OPENAI_API_VERSION").filter(|v| !v.trim().is_empty()) {
            self.azure_api_version = Some(version.trim().to_string());
        }
        if let Some(model) = env("HONE_LLM_MODEL").filter(|v| !v.trim().is_empty()) {
            self.model = model.trim().to_string();
        }
    }

    /// The price of the configured model: exact name first, then the longest matching prefix
    /// (so `gpt-4o-mini-2024-07-18` finds `gpt-4o-mini`).
    pub fn price(&self) -> Option<Price> {
        price_for(&self.prices, &self.model)
    }

    /// The cache folder to use (configured, else the user's cache dir, else `.hone-cache`).
    pub fn cache_folder(&self) -> PathBuf {
        self.cache_dir.clone().unwrap_or_else(|| {
            dirs::cache_dir()
                .map(|d| d.join("hone").join("llm"))
                .unwrap_or_else(|| PathBuf::from(".hone-cache"))
        })
    }
}

/// Looks a model up in a price table by exact name, then by longest prefix.
pub fn price_for(prices: &BTreeMap<String, Price>, model: &str) -> Option<Price> {
    if let Some(p) = prices.get(model) {
        return Some(*p);
    }
    prices
        .iter()
        .filter(|(name, _)| model.starts_with(name.as_str()))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, p)| *p)
}

/// `<user config dir>/hone/config.toml`, when the OS has a config dir.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("hone").join("config.toml"))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn file_overrides_defaults_and_env_overrides_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[llm]\nmodel = \"llama3\"\nbase_url = \"http://a/v1\"\njobs = 3\n",
        )
        .unwrap();
        let config = Config::load(Some(&path), &no_env).unwrap();
        assert_eq!(config.llm.model, "llama3");
        assert_eq!(config.llm.jobs, 3);
        assert_eq!(config.llm.samples, 1, "unset keys keep their defaults");

        let env = |k: &str| (k == "OPENAI_BASE_URL").then(|| "http://b/v1".to_string());
        let config = Config::load(Some(&path), &env).unwrap();
        assert_eq!(config.llm.base_url, "http://b/v1");
        assert_eq!(config.llm.model, "llama3");
    }

    #[test]
    fn unknown_key_is_rejected_with_its_name() {
        let err = Config::from_toml("[llm]\nmodle = \"x\"\n").unwrap_err();
        assert!(err.message.contains("modle"), "{}", err.message);
    }

    #[test]
    fn hone_config_env_points_at_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[llm]\nrpm = 30\n").unwrap();
        let p = path.to_string_lossy().to_string();
        let env = move |k: &str| (k == "HONE_CONFIG").then(|| p.clone());
        assert_eq!(Config::load(None, &env).unwrap().llm.rpm, Some(30));
    }

    #[test]
    fn missing_explicit_file_names_it() {
        let err = Config::load(Some(Path::new("/nope/hone.toml")), &no_env).unwrap_err();
        assert!(err.message.contains("/nope/hone.toml"));
    }

    #[test]
    fn price_lookup_uses_longest_prefix() {
        let config = LlmConfig {
            model: "gpt-4o-mini-2024-07-18".into(),
            ..LlmConfig::default()
        };
        assert_eq!(config.price().unwrap().input, 0.15);
        let local = LlmConfig {
            model: "llama3.1:8b".into(),
            ..LlmConfig::default()
        };
        assert!(local.price().is_none());
    }
}
