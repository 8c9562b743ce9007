//! Scripted faults: a queue of `{method?, path, times, fault}` rules, consumed in order by matching
//! requests (NOTES 10.2.9–11). Control-plane requests never match.

use serde::{Deserialize, Serialize};

/// What happens to a request a rule matches. Serialized as `{"kind": "<name>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// 401 even with a valid token; nothing is executed (token expiry mid-flow, NOTES 10.2.9).
    Unauthorized,
    /// 429 with `Retry-After: <retry_after_seconds>`; nothing is executed.
    RateLimited {
        #[serde(default = "default_retry_after")]
        retry_after_seconds: u64,
    },
    /// A 5xx (500/502/503/504) with an error body; nothing is executed.
    ServerError {
        #[serde(default = "default_server_status")]
        status: u16,
    },
    /// The server holds the request for `hang_ms`, then closes the connection without answering.
    Timeout {
        #[serde(default = "default_hang_ms")]
        hang_ms: u64,
    },
    /// The connection is closed without any response; nothing is executed.
    ConnectionReset,
    /// 200 with an HTML error page instead of JSON; nothing is executed.
    HtmlErrorPage,
    /// The request IS executed, then the JSON body is cut in half (status and headers intact).
    TruncatedJson,
    /// The request IS executed, then answered 200 with an empty body.
    EmptySuccess,
    /// The request IS executed (e.g. the release is created), then the answer is replaced by a
    /// 5xx: "500 after the write actually happened".
    ErrorAfterWrite {
        #[serde(default = "default_server_status")]
        status: u16,
    },
}

fn default_retry_after() -> u64 {
    crate::assumptions::DEFAULT_RETRY_AFTER_SECONDS
}
fn default_server_status() -> u16 {
    500
}
fn default_hang_ms() -> u64 {
    30_000
}

impl Fault {
    /// Stable name, as recorded in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Unauthorized => "unauthorized",
            Fault::RateLimited { .. } => "rate_limited",
            Fault::ServerError { .. } => "server_error",
            Fault::Timeout { .. } => "timeout",
            Fault::ConnectionReset => "connection_reset",
            Fault::HtmlErrorPage => "html_error_page",
            Fault::TruncatedJson => "truncated_json",
            Fault::EmptySuccess => "empty_success",
            Fault::ErrorAfterWrite { .. } => "error_after_write",
        }
    }
}

/// One scripted rule. `path` is an exact path (`/content/release/save`), a prefix ending in `*`
/// (`/content/*`), or `*` for every request. `method` is optional (any method when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    /// How many matching requests this rule hits before it is used up.
    #[serde(default = "default_times")]
    pub times: u32,
    pub fault: Fault,
}

fn default_times() -> u32 {
    1
}

impl FaultRule {
    pub fn new(method: Option<&str>, path: &str, fault: Fault) -> Self {
        Self { method: method.map(str::to_owned), path: path.to_owned(), times: 1, fault }
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        if self.method.as_deref().is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            return false;
        }
        match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        }
    }
}

/// Takes one use of the first rule matching the request, dropping rules that are used up.
pub(crate) fn take_matching(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let index = rules.iter().position(|rule| rule.times > 0 && rule.matches(method, path))?;
    let rule = &mut rules[index];
    rule.times -= 1;
    let fault = rule.fault.clone();
    if rule.times == 0 {
        rules.remove(index);
    }
    Some(fault)
}
