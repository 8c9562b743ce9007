//! The request log: every non-control request with its wire shape (NOTES 10.2.15), so tests can
//! assert e.g. that the add-to-queue body is a bare array, UPCs are strings, no `releaseId: 0` is
//! sent, the Bearer header is used, and the partner API key only goes to login/signup.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the request presented its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthTransport {
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// Legacy `token: <token>` header.
    TokenHeader,
    /// Legacy `?token=<token>` query parameter.
    TokenQuery,
}

/// One part of a multipart body; file contents are summarised, never stored in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedPart {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoggedBody {
    Empty,
    /// Parsed JSON, with `partnerApiKey` / `partnerAPIKey` values replaced by `"<redacted>"`.
    Json {
        value: Value,
    },
    /// Non-JSON text (also JSON that failed to parse, so malformed requests stay visible).
    Text {
        text: String,
    },
    Binary {
        size: u64,
        sha256: String,
    },
    Multipart {
        parts: Vec<LoggedPart>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// 1-based, in arrival order.
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Decoded query pairs, in order.
    pub query_params: Vec<(String, String)>,
    /// Header names lowercased; `authorization`, `token` and `cookie` values are redacted
    /// (`Bearer <redacted>`).
    pub headers: Vec<(String, String)>,
    pub auth: AuthTransport,
    /// True when a partner API key the fake knows (configured or seen at login/signup) appears
    /// anywhere in the request: headers, query or body.
    pub carries_partner_api_key: bool,
    pub body: LoggedBody,
    /// Status sent back; `None` when the connection was dropped (timeout / connection_reset).
    pub response_status: Option<u16>,
    /// Name of the scripted fault applied, if any.
    pub fault: Option<String>,
}

impl LoggedRequest {
    /// The JSON body, if the request had one.
    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            LoggedBody::Json { value } => Some(value),
            _ => None,
        }
    }

    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
