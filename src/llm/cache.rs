//! Content-addressed on-disk cache of successful replies.
//!
//! The key is SHA-256 over the base URL and the request body (model, rendered prompt,
//! parameters) — never the API key or headers. Each entry is one JSON file
//! `<dir>/<first 2 hex>/<hash>.json` holding the server's reply, written atomically
//! (temp file + rename) so concurrent runs never see half a file.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A folder of cached replies.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key for a request to `base_url` with `body`.
    pub fn key(base_url: &str, body: &Value) -> String {
        let mut hasher = Sha256::new();
        hasher.update(base_url.trim_end_matches('/').as_bytes());
        hasher.update([0]);
        // Bodies are built in one fixed key order (serde_json preserve_order), so this is canonical.
        hasher.update(body.to_string().as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The cached reply, if any (an unreadable entry counts as a miss).
    pub fn get(&self, key: &str) -> Option<Value> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Stores a reply. Failing to write is not fatal to grading, so the error is returned for
    /// the caller to note.
    pub fn put(&self, key: &str, reply: &Value) -> std::io::Result<()> {
        let path = self.path(key);
        let parent = path.parent().expect("cache paths have a parent");
        std::fs::create_dir_all(parent)?;
        let tmp = parent.join(format!(".{key}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, reply.to_string())?;
        std::fs::rename(&tmp, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_and_keys_depend_on_url_and_body() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let body = json!({"model": "m", "messages": []});
        let key = Cache::key("http://a/v1", &body);
        assert_eq!(key, Cache::key("http://a/v1/", &body));
        assert_ne!(key, Cache::key("http://b/v1", &body));
        assert_ne!(key, Cache::key("http://a/v1", &json!({"model": "n"})));
        assert!(cache.get(&key).is_none());
        cache.put(&key, &json!({"ok": true})).unwrap();
        assert_eq!(cache.get(&key).unwrap()["ok"], true);
    }
}
