//! Requests as plain data: URL, headers and JSON body, built apart from sending them.
//!
//! Nothing here touches the network, so every request shape (OpenAI, Azure, local servers,
//! response formats) is tested directly. The API key travels as an [`ApiKey`] whose `Debug`
//! never shows it, so a logged request cannot leak it.

use std::fmt;

use serde_json::{json, Value};

/// An API key. `Debug` and `Display` print `***`; only [`ApiKey::expose`] gives the key.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key; blank keys become `None` (local servers need none).
    pub fn new(key: impl Into<String>) -> Option<ApiKey> {
        let key = key.into().trim().to_string();
        (!key.is_empty()).then_some(ApiKey(key))
    }

    /// The key itself, for the one place that writes the header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of the key in `text` with `***`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where and how to reach an OpenAI-compatible server.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// Base URL without a trailing slash, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// Model (for Azure: the deployment name).
    pub model: String,
    /// Azure `api-version`; when set, Azure URLs and the `api-key` header are used.
    pub azure_api_version: Option<String>,
    /// The key, if any.
    pub api_key: Option<ApiKey>,
}

/// `url` without its userinfo (`user:password@`), query string or fragment.
pub fn redacted_url(url: &str) -> String {
    let mut out = url.to_string();
    for secret in url_secrets(url) {
        out = out.replacen(secret, "", 1);
    }
    out
}

/// The parts of a URL that may hold credentials: `user:password@` and `?query#fragment`.
fn url_secrets(url: &str) -> Vec<&str> {
    let mut secrets = Vec::new();
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[after_scheme..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if let Some(at) = authority.rfind('@') {
        secrets.push(&authority[..=at]);
    }
    if let Some(start) = url.find(['?', '#']) {
        secrets.push(&url[start..]);
    }
    secrets.retain(|s| s.len() > 1);
    secrets
}

/// A header value, secret or not.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// Shown as is.
    Plain(String),
    /// Shown as `***` (the API key).
    Secret(ApiKey),
}

impl HeaderValue {
    /// The value to put on the wire.
    pub fn expose(&self) -> &str {
        match self {
            HeaderValue::Plain(v) => v,
            HeaderValue::Secret(k) => k.expose(),
        }
    }
}

/// One HTTP POST as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// Full URL including any query.
    pub url: String,
    /// Headers besides `content-type: application/json`.
    pub headers: Vec<(String, HeaderValue)>,
    /// JSON body.
    pub body: Value,
}

impl HttpRequest {
    /// `text` with every secret this request carries masked as `***`: the API key (bare, and
    /// as the whole header value) and any `user:password@` or query part of its URL. Applied to
    /// everything a server sends back, since a hostile or broken server may echo the key.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (_, value) in &self.headers {
            if let HeaderValue::Secret(key) = value {
                let whole = key.expose();
                let bare = whole.strip_prefix("Bearer ").unwrap_or(whole).trim();
                for secret in [whole, bare] {
                    if !secret.is_empty() {
                        text = text.replace(secret, "***");
                    }
                }
            }
        }
        for secret in url_secrets(&self.url) {
            text = text.replace(secret, "***");
        }
        text
    }
}

/// How the reply is asked to be shaped (tried in this order, falling back on a 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResponseFormat {
    /// `response_format: {type: json_schema, ...}` (structured outputs).
    JsonSchema,
    /// `response_format: {type: json_object}` (JSON mode).
    JsonObject,
    /// No `response_format`: the prompt asks for JSON and the parser is tolerant.
    Text,
}

impl ResponseFormat {
    /// The next, more widely supported format, if any.
    pub fn fallback(self) -> Option<ResponseFormat> {
        match self {
            ResponseFormat::JsonSchema => Some(ResponseFormat::JsonObject),
            ResponseFormat::JsonObject => Some(ResponseFormat::Text),
            ResponseFormat::Text => None,
        }
    }
}

/// A chat message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: &'static str,
    /// The text.
    pub content: String,
}

/// Sampling parameters sent with a chat request.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatParams {
    /// Temperature (0 for repeatable output).
    pub temperature: f64,
    /// Seed, where the server honours one.
    pub seed: Option<u64>,
    /// Maximum reply tokens.
    pub max_tokens: u32,
    /// Requested reply shape.
    pub format: ResponseFormat,
}

impl Endpoint {
    /// URL of the chat-completions call (Azure: the deployment URL with `api-version`).
    pub fn chat_url(&self) -> String {
        self.url_for("chat/completions")
    }

    /// URL of the embeddings call.
    pub fn embeddings_url(&self) -> String {
        self.url_for("embeddings")
    }

    /// The base URL fit to print or record: without `user:password@` or a query string, which
    /// may carry a key.
    pub fn redacted_base_url(&self) -> String {
        redacted_url(self.base_url.trim_end_matches('/'))
    }

    /// `text` with the API key and any secret parts of the base URL masked (for error messages
    /// that echo the request).
    pub fn redact(&self, text: &str) -> String {
        let mut text = match &self.api_key {
            Some(key) => key.redact(text),
            None => text.to_string(),
        };
        for secret in url_secrets(&self.base_url) {
            text = text.replace(secret, "***");
        }
        text
    }

    fn url_for(&self, path: &str) -> String {
        let base = self.base_url.trim_end_matches('/');
        match &self.azure_api_version {
            Some(version) if base.contains("/openai/deployments/") => {
                format!("{base}/{path}?api-version={version}")
            }
            Some(version) => format!(
                "{base}/openai/deployments/{}/{path}?api-version={version}",
                self.model
            ),
            None => format!("{base}/{path}"),
        }
    }

    /// Authentication header: `Authorization: Bearer` (OpenAI) or `api-key` (Azure); none
    /// without a key.
    pub fn auth_headers(&self) -> Vec<(String, HeaderValue)> {
        let Some(key) = &self.api_key else {
            return Vec::new();
        };
        if self.azure_api_version.is_some() {
            vec![("api-key".into(), HeaderValue::Secret(key.clone()))]
        } else {
            let bearer = ApiKey(format!("Bearer {}", key.expose()));
            vec![("authorization".into(), HeaderValue::Secret(bearer))]
        }
    }
}

/// Builds a chat-completions request. `schema` is the JSON schema used for
/// [`ResponseFormat::JsonSchema`].
pub fn chat_request(
    endpoint: &Endpoint,
    messages: &[Message],
    params: &ChatParams,
    schema: &Value,
) -> HttpRequest {
    let mut body = json!({
        "model": endpoint.model,
        "messages": messages
            .iter()
            .map(|m| json!({"role": m.role, "content": m.content}))
            .collect::<Vec<_>>(),
        "temperature": params.temperature,
        "max_tokens": params.max_tokens,
    });
    if let Some(seed) = params.seed {
        body["seed"] = json!(seed);
    }
    match params.format {
        ResponseFormat::JsonSchema => {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "verdict", "strict": true, "schema": schema},
            });
        }
        ResponseFormat::JsonObject => body["response_format"] = json!({"type": "json_object"}),
        ResponseFormat::Text => {}
    }
    HttpRequest {
        url: endpoint.chat_url(),
        headers: endpoint.auth_headers(),
        body,
    }
}

/// Builds an embeddings request for `inputs` with `model`.
pub fn embeddings_request(endpoint: &Endpoint, model: &str, inputs: &[String]) -> HttpRequest {
    HttpRequest {
        url: endpoint.embeddings_url(),
        headers: endpoint.auth_headers(),
        body: json!({"model": model, "input": inputs}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openai(key: Option<&str>) -> Endpoint {
        Endpoint {
            base_url: "https://api.openai.com/v1/".into(),
            model: "gpt-4o-mini".into(),
            azure_api_version: None,
            api_key: key.and_then(ApiKey::new),
        }
    }

    fn params(format: ResponseFormat) -> ChatParams {
        ChatParams {
            temperature: 0.0,
            seed: Some(7),
            max_tokens: 500,
            format,
        }
    }

    fn msgs() -> Vec<Message> {
        vec![
            Message {
                role: "system",
                content: "judge".into(),
            },
            Message {
                role: "user",
                content: "answer".into(),
            },
        ]
    }

    #[test]
    fn openai_request_has_bearer_url_and_schema() {
        let schema = json!({"type": "object"});
        let req = chat_request(
            &openai(Some("sk-test")),
            &msgs(),
            &params(ResponseFormat::JsonSchema),
            &schema,
        );
        assert_eq!(req.url, "https://api.openai.com/v1/chat/completions");
        assert_eq!(req.headers[0].0, "authorization");
        assert_eq!(req.headers[0].1.expose(), "Bearer sk-test");
        assert_eq!(req.body["model"], "gpt-4o-mini");
        assert_eq!(req.body["seed"], 7);
        assert_eq!(req.body["temperature"], 0.0);
        assert_eq!(req.body["messages"][1]["content"], "answer");
        assert_eq!(req.body["response_format"]["type"], "json_schema");
        assert_eq!(req.body["response_format"]["json_schema"]["schema"], schema);
    }

    #[test]
    fn fallback_formats_shape_the_body() {
        let schema = json!({});
        let e = openai(None);
        let obj = chat_request(&e, &msgs(), &params(ResponseFormat::JsonObject), &schema);
        assert_eq!(obj.body["response_format"], json!({"type": "json_object"}));
        let text = chat_request(&e, &msgs(), &params(ResponseFormat::Text), &schema);
        assert!(text.body.get("response_format").is_none());
        assert!(text.headers.is_empty(), "no key, no auth header");
    }

    #[test]
    fn azure_uses_deployment_url_and_api_key_header() {
        let e = Endpoint {
            base_url: "https://acme.openai.azure.com".into(),
            model: "my-gpt4o".into(),
            azure_api_version: Some("2024-10-21".into()),
            api_key: ApiKey::new("azkey"),
        };
        assert_eq!(
            e.chat_url(),
            "https://acme.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
        );
        assert_eq!(e.auth_headers()[0].0, "api-key");
        assert_eq!(e.auth_headers()[0].1.expose(), "azkey");
        let full = Endpoint {
            base_url: "https://acme.openai.azure.com/openai/deployments/dep1".into(),
            ..e
        };
        assert_eq!(
            full.chat_url(),
            "https://acme.openai.azure.com/openai/deployments/dep1/chat/completions?api-version=2024-10-21"
        );
    }

    #[test]
    fn debug_of_a_request_hides_the_key() {
        let req = chat_request(
            &openai(Some("sk-secret-123")),
            &msgs(),
            &params(ResponseFormat::Text),
            &json!({}),
        );
        let shown = format!("{req:?}");
        assert!(!shown.contains("sk-secret-123"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn blank_key_is_no_key() {
        assert!(ApiKey::new("  ").is_none());
    }

    #[test]
    fn recorded_base_urls_drop_userinfo_and_query() {
        assert_eq!(
            redacted_url("http://u:sk-SECRET@127.0.0.1:9/v1"),
            "http://127.0.0.1:9/v1"
        );
        assert_eq!(
            redacted_url("https://host/v1?api-key=sk-SECRET#frag"),
            "https://host/v1"
        );
        assert_eq!(
            redacted_url("https://api.openai.com/v1"),
            "https://api.openai.com/v1"
        );
        let endpoint = Endpoint {
            base_url: "http://u:sk-SECRET@h/v1/".into(),
            model: "m".into(),
            azure_api_version: None,
            api_key: None,
        };
        assert_eq!(endpoint.redacted_base_url(), "http://h/v1");
        let message = endpoint.redact("error sending request for url (http://u:sk-SECRET@h/v1/x)");
        assert!(!message.contains("SECRET"), "{message}");
    }
}
