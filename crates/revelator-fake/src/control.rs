//! The fake-only control plane under `/__fake/` (NOTES 10.1). It must not exist in the real API,
//! so it lives under its own prefix, needs no token, is never logged, delayed or faulted.
//! Documented in the crate README.

use crate::faults::{Fault, FaultRule};
use crate::server::Shared;
use crate::state::State;
use crate::wire::{ApiError, Rendered, Reply};
use crate::{FakeConfig, config::ErrorFormat};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub(crate) fn handle(
    shared: &Shared,
    method: &str,
    path: &str,
    query: &[(String, String)],
    body: &Bytes,
) -> Rendered {
    let mut state = shared.lock();
    match route(&mut state, method, path, query, body) {
        Ok(reply) => Rendered::from_reply(reply),
        Err(error) => Rendered::from_error(&error, ErrorFormat::ProblemDetails),
    }
}

fn json_body<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    let bytes: &[u8] = if body.is_empty() { b"{}" } else { body };
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("Invalid control body: {e}")))
}

fn release_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::bad_request(format!("{text:?} is not a release id.")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    advance_seconds: u64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RejectBody {
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    distributor_store_id: i64,
    status: i32,
    #[serde(default)]
    error_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExternalUrlBody {
    url: String,
    /// The bytes the URL serves, as text.
    content: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FaultBody {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

fn route(
    state: &mut State,
    method: &str,
    path: &str,
    query: &[(String, String)],
    body: &Bytes,
) -> Result<Reply, ApiError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    match (method, segments.as_slice()) {
        ("POST", ["reset"]) => {
            state.reset();
            Ok(Reply::Empty(204))
        }
        ("GET", ["config"]) => Ok(Reply::ok(json!(state.config))),
        ("POST", ["config"]) => {
            let patch: Value = json_body(body)?;
            state.config = patch_config(&state.config, &patch)?;
            Ok(Reply::ok(json!(state.config)))
        }
        ("GET", ["clock"]) => Ok(clock(state)),
        ("POST", ["clock"]) => {
            let ClockBody { advance_seconds } = json_body(body)?;
            state.advance_clock(advance_seconds);
            Ok(clock(state))
        }
        ("POST", ["expire-tokens"]) => {
            state.tokens.clear();
            Ok(Reply::Empty(204))
        }
        ("POST", ["approve", id]) => {
            let moved = state.approve(release_id(id)?)?;
            Ok(Reply::ok(json!({ "stores_moved": moved })))
        }
        ("POST", ["reject", id]) => {
            let RejectBody { message } = json_body(body)?;
            let message = message.unwrap_or_else(|| "Rejected by the parent account (fake).".into());
            let moved = state.reject(release_id(id)?, &message)?;
            Ok(Reply::ok(json!({ "stores_moved": moved })))
        }
        ("POST", ["advance", id]) => {
            let moved = state.advance_release(release_id(id)?)?;
            Ok(Reply::ok(json!({ "stores_moved": moved })))
        }
        ("POST", ["status", id]) => {
            let StatusBody { distributor_store_id, status, error_message } = json_body(body)?;
            state.set_store_status(release_id(id)?, distributor_store_id, status, error_message)?;
            Ok(Reply::Empty(204))
        }
        ("GET", ["faults"]) => Ok(Reply::ok(json!(state.faults))),
        ("POST", ["faults"]) => {
            let rules = match json_body::<FaultBody>(body)? {
                FaultBody::One(rule) => vec![rule],
                FaultBody::Many(rules) => rules,
            };
            for rule in &rules {
                check_rule(rule)?;
            }
            state.faults.extend(rules);
            Ok(Reply::ok(json!({ "pending": state.faults.len() })))
        }
        ("DELETE", ["faults"]) => {
            state.faults.clear();
            Ok(Reply::Empty(204))
        }
        ("GET", ["log"]) => {
            let since = query
                .iter()
                .find(|(k, _)| k == "since")
                .map(|(_, v)| v.parse::<u64>())
                .transpose()
                .map_err(|_| ApiError::bad_request("since must be a sequence number."))?
                .unwrap_or(0);
            Ok(Reply::ok(json!(state.log.iter().filter(|e| e.seq > since).collect::<Vec<_>>())))
        }
        ("DELETE", ["log"]) => {
            state.log.clear();
            Ok(Reply::Empty(204))
        }
        ("GET", ["files", file_id]) => file_info(state, file_id)
            .map(Reply::ok)
            .ok_or_else(|| ApiError::not_found(format!("No file {file_id} (never uploaded, or deleted)."))),
        ("POST", ["external-urls"]) => {
            let ExternalUrlBody { url, content } = json_body(body)?;
            register_external_url(state, &url, content.as_bytes());
            Ok(Reply::Empty(204))
        }
        ("GET", ["assumptions"]) => Ok(Reply::ok(json!(crate::assumptions::ASSUMPTIONS))),
        _ => Err(ApiError::not_found(format!("No control endpoint {method} {path}."))),
    }
}

fn clock(state: &State) -> Reply {
    Reply::ok(
        json!({ "now": crate::state::format_local(state.clock), "unix_seconds": state.clock.unix_timestamp() }),
    )
}

/// Applies a partial config (snake_case keys); unknown keys and wrong types are refused.
pub(crate) fn patch_config(current: &FakeConfig, patch: &Value) -> Result<FakeConfig, ApiError> {
    let patch =
        patch.as_object().ok_or_else(|| ApiError::bad_request("The config patch must be a JSON object."))?;
    let mut merged = json!(current);
    if let Some(object) = merged.as_object_mut() {
        for (key, value) in patch {
            if !object.contains_key(key) {
                return Err(ApiError::bad_request(format!("Unknown config key {key:?}.")));
            }
            object.insert(key.clone(), value.clone());
        }
    }
    serde_json::from_value(merged).map_err(|e| ApiError::bad_request(format!("Invalid config: {e}")))
}

pub(crate) fn check_rule(rule: &FaultRule) -> Result<(), ApiError> {
    if rule.times == 0 {
        return Err(ApiError::bad_request("A fault rule needs times >= 1."));
    }
    if rule.path.is_empty() {
        return Err(ApiError::bad_request("A fault rule needs a path (exact, prefix ending in *, or *)."));
    }
    match &rule.fault {
        Fault::ServerError { status } | Fault::ErrorAfterWrite { status }
            if !(500..=599).contains(status) =>
        {
            Err(ApiError::bad_request(format!("Scripted server errors must be 5xx, got {status}.")))
        }
        _ => Ok(()),
    }
}

pub(crate) fn file_info(state: &State, file_id: &str) -> Option<Value> {
    if let Some(image) = state.images.get(file_id) {
        return Some(json!({
            "kind": "image", "filename": image.filename, "content_type": image.content_type,
            "size": image.data.len(), "sha256": image.sha256,
        }));
    }
    state.audio.get(file_id).map(|audio| {
        json!({ "kind": "audio", "filename": audio.filename, "size": audio.size, "sha256": audio.sha256 })
    })
}

pub(crate) fn register_external_url(state: &mut State, url: &str, content: &[u8]) {
    state.external_urls.insert(url.to_owned(), (content.len() as u64, hex::encode(Sha256::digest(content))));
}
