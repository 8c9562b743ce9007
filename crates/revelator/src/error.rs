//! The client's one error type. Every failure that came from Revelator carries the raw
//! response body ([`RemoteBody`]) so the UI can show exactly what Revelator said.

use std::time::Duration;

/// Bodies larger than this are cut (an HTML error page can be megabytes).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// A response body as received, for display and diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteBody {
    pub text: String,
    pub content_type: Option<String>,
    /// The body was longer than what `text` keeps.
    pub truncated: bool,
}

impl RemoteBody {
    /// Boxed: errors carry it, and a small error type keeps every `Result` small.
    pub fn boxed(bytes: &[u8], content_type: Option<String>) -> Box<Self> {
        Box::new(Self::new(bytes, content_type))
    }

    pub fn new(bytes: &[u8], content_type: Option<String>) -> Self {
        let truncated = bytes.len() > MAX_BODY_BYTES;
        let kept = &bytes[..bytes.len().min(MAX_BODY_BYTES)];
        RemoteBody { text: String::from_utf8_lossy(kept).into_owned(), content_type, truncated }
    }

    /// The human part of the body: ProblemDetails `title` (plus its `errors`), else `message`,
    /// else `error`, else the text itself with HTML tags removed (NOTES §8).
    pub fn summary(&self) -> String {
        let text = self.text.trim();
        if text.is_empty() {
            return "(empty body)".to_owned();
        }
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
            let pick = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            if let Some(mut found) = pick("title").or_else(|| pick("message")).or_else(|| pick("error")) {
                if let Some(serde_json::Value::Object(errors)) = map.get("errors") {
                    for (field, messages) in errors {
                        let joined = match messages {
                            serde_json::Value::Array(list) => {
                                list.iter().filter_map(|m| m.as_str()).collect::<Vec<_>>().join("; ")
                            }
                            other => other.as_str().unwrap_or_default().to_owned(),
                        };
                        found.push_str(&format!(" [{field}: {joined}]"));
                    }
                }
                return found;
            }
        }
        if let Ok(serde_json::Value::String(s)) = serde_json::from_str::<serde_json::Value>(text) {
            return strip_html(&s);
        }
        let plain = strip_html(text);
        let mut short: String = plain.chars().take(300).collect();
        if short.len() < plain.len() {
            short.push('…');
        }
        short
    }
}

/// Removes tags and collapses whitespace: validation messages and error pages carry HTML.
pub fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevelatorError {
    /// The partner key or user id was refused, or a fresh token was refused again.
    #[error("Revelator refused the credentials (HTTP {status}): {}", body.summary())]
    Unauthorized { status: u16, body: Box<RemoteBody> },
    /// Revelator answered with an error status.
    #[error("Revelator answered HTTP {status} to {method} {path}: {}", body.summary())]
    Http { method: String, path: String, status: u16, body: Box<RemoteBody> },
    /// Still rate limited after the bounded retries.
    #[error("Revelator kept rate limiting {method} {path} ({attempts} attempts): {}", body.summary())]
    RateLimited {
        method: String,
        path: String,
        attempts: u32,
        retry_after: Option<Duration>,
        body: Box<RemoteBody>,
    },
    /// No answer: connection refused or reset, timeout, TLS failure.
    #[error("cannot reach Revelator for {method} {path}: {message}")]
    Transport { method: String, path: String, message: String, timeout: bool },
    /// An answer we cannot read (truncated JSON, an HTML page with status 200, a field of the
    /// wrong type).
    #[error("unexpected answer from Revelator to {method} {path}: {message}")]
    Decode { method: String, path: String, message: String, body: Box<RemoteBody> },
    /// A request the client refuses to send because it would lose data on Revelator.
    #[error("not saving Revelator release {release_id}: {message}")]
    WouldDeleteRemoteData { release_id: i64, message: String },
    /// Something Catno knows but Revelator's API (as far as known) cannot express.
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("OS keyring: {0}")]
    Keyring(String),
}

impl RevelatorError {
    /// The raw remote body, when the error came with one.
    pub fn remote_body(&self) -> Option<&RemoteBody> {
        match self {
            Self::Unauthorized { body, .. }
            | Self::Http { body, .. }
            | Self::RateLimited { body, .. }
            | Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// HTTP status of a remote refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { status, .. } | Self::Http { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether the request may have reached Revelator and been applied even though we got no
    /// usable answer: the caller must reconcile by reading back before trying again.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Decode { .. } => true,
            Self::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The network or Revelator was unavailable (for an "offline" indication).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Transport { .. })
    }
}

pub type Result<T, E = RevelatorError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_follow_the_error_body_variants() {
        let problem = RemoteBody::new(
            br#"{"title":"One or more validation errors occurred.","status":400,"errors":{"upc":["UPC 123 already exists"]}}"#,
            None,
        );
        assert_eq!(
            problem.summary(),
            "One or more validation errors occurred. [upc: UPC 123 already exists]"
        );
        assert_eq!(
            RemoteBody::new(br#"{"message":"Release is locked"}"#, None).summary(),
            "Release is locked"
        );
        assert_eq!(
            RemoteBody::new(b"<html><body><h1>Bad   Gateway</h1></body></html>", None).summary(),
            "Bad Gateway"
        );
        assert_eq!(RemoteBody::new(b"", None).summary(), "(empty body)");
        assert_eq!(RemoteBody::new(br#""plain <b>json</b> string""#, None).summary(), "plain json string");
    }

    #[test]
    fn big_bodies_are_cut() {
        let body = RemoteBody::new(&vec![b'x'; MAX_BODY_BYTES + 10], None);
        assert!(body.truncated);
        assert_eq!(body.text.len(), MAX_BODY_BYTES);
    }
}
