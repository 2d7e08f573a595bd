//! Sending a plain-data [`HttpRequest`] over HTTPS and turning the reply into JSON or one
//! [`CallError`].
//!
//! TLS uses rustls with the ring provider, installed once when the first client is built.
//! Provider error bodies (`{"error": {"message", "type", "code"}}`) become one message; the
//! error kind decides whether a retry can help (see `retry`).

use std::time::Duration;

use serde_json::Value;

use super::request::HttpRequest;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// 429 rate limit; `retry_after` from the `Retry-After` header when given.
    #[error("rate limited (HTTP 429): {message}")]
    RateLimited {
        /// Server-requested wait.
        retry_after: Option<Duration>,
        /// Provider message.
        message: String,
    },
    /// 5xx.
    #[error("server error (HTTP {status}): {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// Could not connect (refused, DNS, TLS).
    #[error("cannot connect to the LLM endpoint: {0}")]
    Connect(String),
    /// The request took longer than the timeout.
    #[error("the LLM endpoint did not answer within the timeout")]
    Timeout,
    /// The account has no credit left (`insufficient_quota`).
    #[error("the API account has no quota left: {0} (add credit or use another key)")]
    Quota(String),
    /// 401/403.
    #[error("the endpoint refused the API key (HTTP {status}): {message} (check the variable named by --api-key-env)")]
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// 404 or `model_not_found`.
    #[error("model or URL not found (HTTP {status}): {message} (check --model and --base-url)")]
    NotFound {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// Another 4xx (e.g. `response_format` unsupported).
    #[error("the endpoint rejected the request (HTTP {status}): {message}")]
    BadRequest {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// Retries ran out; the last failure is kept.
    #[error("gave up after {retries} retries: {last}")]
    GaveUp {
        /// Retries made.
        retries: u32,
        /// The last failure.
        last: Box<CallError>,
    },
    /// The server asked to wait longer than the configured ceiling before trying again.
    #[error("the server asked to wait {}s before retrying (Retry-After), more than llm.retry.max_retry_after_ms allows ({}s); try again later or raise it: {last}", .wait.as_secs(), .ceiling.as_secs())]
    WaitTooLong {
        /// What the server asked for.
        wait: Duration,
        /// The ceiling in force.
        ceiling: Duration,
        /// The reply that asked.
        last: Box<CallError>,
    },
    /// Not sent because an earlier call failed in a way every call would.
    #[error("not sent after an earlier error: {0}")]
    Skipped(String),
    /// A 2xx whose body is not JSON.
    #[error("the endpoint's reply is not JSON: {0}")]
    NotJson(String),
}

impl CallError {
    /// Whether waiting and trying again can help (429, 5xx, connection trouble, timeouts).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            CallError::RateLimited { .. }
                | CallError::Server { .. }
                | CallError::Connect(_)
                | CallError::Timeout
        )
    }

    /// Whether every further call will fail the same way (bad key, no quota, unknown model):
    /// the run stops calling the endpoint and reports this one message.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            CallError::Quota(_) | CallError::Unauthorized { .. } | CallError::NotFound { .. }
        )
    }

    /// Whether the server refused the `response_format` we asked for, whatever the status:
    /// some servers answer a 400, others a 500 (llama-cpp-python: HTTP 500 "Input should be
    /// 'text' or 'json_object'"). Such a request is never sent again as it was.
    pub fn is_format_unsupported(&self) -> bool {
        match self {
            CallError::BadRequest { message, .. } | CallError::Server { message, .. } => {
                let m = message.to_lowercase();
                m.contains("response_format")
                    || m.contains("json_schema")
                    || m.contains("json_object")
                    || m.contains("structured output")
            }
            _ => false,
        }
    }
}

/// An HTTP client for OpenAI-compatible servers.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
}

impl Client {
    /// Builds a client with the given connect and whole-request timeouts.
    pub fn new(connect_timeout: Duration, timeout: Duration) -> Result<Client, String> {
        // A second install returns Err(AlreadyInstalled), which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .user_agent(concat!("hone/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Client { http })
    }

    /// POSTs the request and returns the reply's JSON, or the classified failure. `timeout`
    /// replaces the client's whole-request timeout for this request.
    pub async fn send(
        &self,
        request: &HttpRequest,
        timeout: Option<Duration>,
    ) -> Result<Value, CallError> {
        let mut builder = self.http.post(&request.url).json(&request.body);
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.expose());
        }
        let response = builder.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let body = response.text().await.map_err(transport_error)?;
        // Whatever comes back is redacted before anything reads it, so a server echoing the
        // key cannot get it printed, cached or written to a report.
        classify(status, &request.redact(&body), retry_after)
    }
}

impl Client {
    /// GETs `url` and returns its JSON, or `None` on any failure (for optional probes such as
    /// a server's slot count).
    pub async fn get_json(&self, url: &str, timeout: Duration) -> Option<Value> {
        let response = self.http.get(url).timeout(timeout).send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json().await.ok()
    }
}

fn transport_error(err: reqwest::Error) -> CallError {
    if err.is_timeout() {
        CallError::Timeout
    } else {
        // reqwest's Display holds the URL, never headers; the source chain says why.
        let mut message = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        CallError::Connect(message)
    }
}

/// Reads `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP date).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(ms) = get("retry-after-ms")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    parse_retry_after(get("retry-after")?, std::time::SystemTime::now())
}

/// A `Retry-After` value as a wait from `now`: delay-seconds (RFC 9110 §10.2.3; fractions
/// accepted) or an HTTP date (a date already past means no wait).
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::try_from_secs_f64(secs).ok())
            .flatten();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Turns a status and body into JSON (2xx) or the right [`CallError`].
pub fn classify(
    status: u16,
    body: &str,
    retry_after: Option<Duration>,
) -> Result<Value, CallError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| CallError::NotJson(snippet(body)));
    }
    let (message, code) = provider_error(body);
    let code = code.unwrap_or_default();
    if code == "insufficient_quota" {
        return Err(CallError::Quota(message));
    }
    if code == "model_not_found" || status == 404 {
        return Err(CallError::NotFound { status, message });
    }
    match status {
        401 | 403 => Err(CallError::Unauthorized { status, message }),
        429 => Err(CallError::RateLimited {
            retry_after,
            message,
        }),
        500..=599 => Err(CallError::Server { status, message }),
        _ => Err(CallError::BadRequest { status, message }),
    }
}

/// The provider's error message and code (`error.code`, else `error.type`), from JSON or text.
fn provider_error(body: &str) -> (String, Option<String>) {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return (snippet(body), None);
    };
    let error = json.get("error").unwrap_or(&json);
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| error.as_str())
        .map(snippet)
        .unwrap_or_else(|| snippet(body));
    let code = ["code", "type"]
        .iter()
        .find_map(|k| error.get(*k).and_then(Value::as_str))
        .map(str::to_string);
    (message, code)
}

/// First 200 characters of a body on one line.
fn snippet(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return "(empty body)".into();
    }
    match one_line.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_provider_errors() {
        let quota = r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#;
        assert!(matches!(
            classify(429, quota, None),
            Err(CallError::Quota(_))
        ));
        let unknown =
            r#"{"error":{"message":"The model `x` does not exist","code":"model_not_found"}}"#;
        assert!(classify(400, unknown, None).unwrap_err().is_fatal());
        assert!(matches!(
            classify(401, r#"{"error":{"message":"bad key"}}"#, None),
            Err(CallError::Unauthorized { status: 401, .. })
        ));
        let limited = classify(429, "slow down", Some(Duration::from_secs(2))).unwrap_err();
        assert!(limited.is_retryable());
        assert!(classify(503, "", None).unwrap_err().is_retryable());
        let fmt = r#"{"error":{"message":"Invalid parameter: 'response_format' of type 'json_schema' is not supported"}}"#;
        assert!(classify(400, fmt, None)
            .unwrap_err()
            .is_format_unsupported());
        // llama-cpp-python refuses json_schema with a 500 naming the field.
        let fmt500 = r#"{"detail":[{"type":"literal_error","loc":["body","response_format","type"],"msg":"Input should be 'text' or 'json_object'"}]}"#;
        let refused = classify(500, fmt500, None).unwrap_err();
        assert!(refused.is_format_unsupported(), "{refused:?}");
        assert!(!classify(500, "overloaded", None)
            .unwrap_err()
            .is_format_unsupported());
    }

    #[test]
    fn ok_body_must_be_json() {
        assert!(classify(200, "{\"a\":1}", None).is_ok());
        assert!(matches!(
            classify(200, "<html>", None),
            Err(CallError::NotJson(_))
        ));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:42 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means retry now"
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn https_client_builds_with_ring() {
        let a = Client::new(Duration::from_secs(1), Duration::from_secs(2));
        let b = Client::new(Duration::from_secs(1), Duration::from_secs(2));
        assert!(a.is_ok() && b.is_ok(), "building twice must work");
    }
}
