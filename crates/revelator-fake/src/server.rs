//! HTTP/1.1 plumbing on hyper: one task per connection, latency, body reading (multipart
//! streamed and hashed on the fly), the request log, scripted faults and rate limiting around the
//! synchronous handlers. Hyper is used directly (not a framework) because faults must be able to
//! drop a connection without answering, which a handler returning a response cannot do.

use crate::config::ErrorFormat;
use crate::faults::{self, Fault};
use crate::log::{AuthTransport, LoggedBody, LoggedPart, LoggedRequest};
use crate::state::State;
use crate::wire::{ApiError, ApiRequest, Body, Part, Prefetched, Rendered};
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyDataStream, BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    pub fn new(state: State) -> Self {
        Self { state: Mutex::new(state) }
    }

    /// A panic in one handler must not take the fake down for every later test request.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for DroppedConnection {}

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                // Small answers must not wait for delayed ACKs (Nagle); latency is what the config says.
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let mut connection_shutdown = shutdown.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
                    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = connection => {}
                        _ = connection_shutdown.changed() => {}
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DroppedConnection> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().map(str::to_owned);
    let query: Vec<(String, String)> = raw_query
        .as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();

    if path == "/__fake" || path.starts_with("/__fake/") {
        let bytes = body.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
        let rendered = crate::control::handle(&shared, &method, &path, &query, &bytes);
        return Ok(to_response(rendered));
    }

    let latency = shared.lock().config.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }

    let content_type = parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let keep_file_data = path.to_ascii_lowercase().starts_with("/media/image");
    let (body, raw_text) = read_body(body, content_type.as_deref(), keep_file_data).await;
    let prefetched = prefetch_external(&path, &body).await;
    let request = ApiRequest { method, path, query, body, prefetched };

    let (seq, fault) = {
        let mut state = shared.lock();
        let seq = state.next_seq;
        state.next_seq += 1;
        let entry = log_entry(seq, &request, raw_query, &parts.headers);
        state.log.push(entry);
        let fault = faults::take_matching(&mut state.faults, &request.method, &request.path);
        (seq, fault)
    };

    let error_format = shared.lock().config.error_format;
    let early = match &fault {
        Some(Fault::Timeout { hang_ms }) => {
            tokio::time::sleep(Duration::from_millis(*hang_ms)).await;
            finish_log(&shared, seq, None, fault.as_ref(), &request, &parts.headers, raw_text.as_deref());
            return Err(DroppedConnection);
        }
        Some(Fault::ConnectionReset) => {
            finish_log(&shared, seq, None, fault.as_ref(), &request, &parts.headers, raw_text.as_deref());
            return Err(DroppedConnection);
        }
        Some(Fault::Unauthorized) => Some(Rendered::from_error(
            &ApiError::unauthorized("Authorization has been denied for this request."),
            error_format,
        )),
        Some(Fault::RateLimited { retry_after_seconds }) => {
            Some(rate_limited(*retry_after_seconds, error_format))
        }
        Some(Fault::ServerError { status }) => Some(server_error(*status, error_format)),
        Some(Fault::HtmlErrorPage) => Some(html(200, "Service temporarily unavailable")),
        // These run the request first and spoil the answer afterwards.
        Some(Fault::TruncatedJson | Fault::EmptySuccess | Fault::ErrorAfterWrite { .. }) | None => None,
    };
    let rendered = match early {
        Some(rendered) => rendered,
        None => {
            let mut state = shared.lock();
            let (token, _) =
                extract_token(&parts.headers, &request.query, state.config.legacy_token_transport);
            let bucket_key = token.clone().unwrap_or_else(|| "anonymous".into());
            match state.take_rate_token(&bucket_key) {
                Err(retry_after) => rate_limited(retry_after, state.config.error_format),
                Ok(()) => {
                    let result = state.dispatch(&request, token.as_deref());
                    let format = state.config.error_format;
                    let rendered = match result {
                        Ok(reply) => Rendered::from_reply(reply),
                        Err(error) => Rendered::from_error(&error, format),
                    };
                    match &fault {
                        Some(Fault::TruncatedJson) => truncate(rendered),
                        Some(Fault::EmptySuccess) => Rendered {
                            status: 200,
                            content_type: None,
                            body: Bytes::new(),
                            headers: Vec::new(),
                        },
                        Some(Fault::ErrorAfterWrite { status }) => server_error(*status, format),
                        _ => rendered,
                    }
                }
            }
        }
    };
    finish_log(
        &shared,
        seq,
        Some(rendered.status),
        fault.as_ref(),
        &request,
        &parts.headers,
        raw_text.as_deref(),
    );
    Ok(to_response(rendered))
}

pub(crate) fn to_response(rendered: Rendered) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(rendered.body));
    *response.status_mut() =
        StatusCode::from_u16(rendered.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(content_type) = rendered.content_type
        && let Ok(value) = HeaderValue::from_str(&content_type)
    {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    for (name, value) in rendered.headers {
        if let (Ok(name), Ok(value)) =
            (hyper::header::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
        {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

fn rate_limited(retry_after_seconds: u64, format: ErrorFormat) -> Rendered {
    let mut rendered = Rendered::from_error(&ApiError::new(429, "Too many requests."), format);
    rendered.headers.push((RETRY_AFTER.as_str().to_owned(), retry_after_seconds.to_string()));
    rendered
}

/// 500 speaks the API's error format; gateway errors come from "the proxy" as HTML, like real
/// load balancers answer.
fn server_error(status: u16, format: ErrorFormat) -> Rendered {
    match status {
        502 => html(502, "502 Bad Gateway"),
        503 => html(503, "503 Service Unavailable"),
        504 => html(504, "504 Gateway Time-out"),
        _ => Rendered::from_error(&ApiError::new(status, "An error has occurred."), format),
    }
}

fn html(status: u16, title: &str) -> Rendered {
    Rendered {
        status,
        content_type: Some("text/html; charset=utf-8".into()),
        body: Bytes::from(format!(
            "<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1>\
             <p>The server is temporarily unable to service your request.</p></body></html>\n"
        )),
        headers: Vec::new(),
    }
}

fn truncate(mut rendered: Rendered) -> Rendered {
    if rendered.body.is_empty() {
        rendered.body = Bytes::from_static(b"{\"releaseId\":");
    } else {
        let cut = (rendered.body.len() / 2).max(1);
        rendered.body = rendered.body.slice(..cut);
    }
    rendered.content_type.get_or_insert_with(|| "application/json; charset=utf-8".into());
    rendered
}

async fn read_body(
    body: Incoming,
    content_type: Option<&str>,
    keep_file_data: bool,
) -> (Body, Option<String>) {
    if let Some(content_type) = content_type
        && content_type.to_ascii_lowercase().starts_with("multipart/form-data")
    {
        return match multer::parse_boundary(content_type) {
            Ok(boundary) => match read_multipart(body, boundary, keep_file_data).await {
                Ok(parts) => (Body::Multipart(parts), None),
                Err(reason) => (Body::BadMultipart(reason), None),
            },
            Err(error) => (Body::BadMultipart(error.to_string()), None),
        };
    }
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => return (Body::Text(format!("<unreadable body: {error}>")), None),
    };
    if bytes.is_empty() {
        return (Body::Empty, None);
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let raw = Some(text.to_owned());
            match serde_json::from_str::<Value>(text) {
                Ok(value) => (Body::Json(value), raw),
                Err(_) => (Body::Text(text.to_owned()), raw),
            }
        }
        Err(_) => (Body::Binary(bytes), None),
    }
}

async fn read_multipart(body: Incoming, boundary: String, keep_data: bool) -> Result<Vec<Part>, String> {
    let mut multipart = multer::Multipart::new(BodyDataStream::new(body), boundary);
    let mut parts = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().map(str::to_owned);
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut data = keep_data.then(BytesMut::new);
        while let Some(chunk) = field.chunk().await.map_err(|e| e.to_string())? {
            hasher.update(&chunk);
            size += chunk.len() as u64;
            if let Some(data) = data.as_mut() {
                data.extend_from_slice(&chunk);
            }
        }
        parts.push(Part {
            name,
            filename,
            content_type,
            size,
            sha256: hex::encode(hasher.finalize()),
            data: data.map(BytesMut::freeze),
        });
    }
    Ok(parts)
}

/// Reads a `file://` source for `pullexternal` before the state lock is taken.
async fn prefetch_external(path: &str, body: &Body) -> Option<Prefetched> {
    if !path.to_ascii_lowercase().starts_with("/media/audio/pullexternal/") {
        return None;
    }
    let Body::Json(value) = body else { return None };
    let url = value.get("externalUrl")?.as_str()?.trim().to_owned();
    let local = url.strip_prefix("file://")?;
    let result = match tokio::fs::read(local).await {
        Ok(bytes) => Ok((bytes.len() as u64, hex::encode(Sha256::digest(&bytes)))),
        Err(error) => Err(error.to_string()),
    };
    Some(Prefetched { url, result })
}

/// `(token usable under the current config, how the request presented one)`.
fn extract_token(
    headers: &HeaderMap,
    query: &[(String, String)],
    legacy: bool,
) -> (Option<String>, AuthTransport) {
    if let Some(value) = headers.get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some((scheme, token)) = value.trim().split_once(' ')
        && scheme.eq_ignore_ascii_case("bearer")
    {
        return (Some(token.trim().to_owned()), AuthTransport::Bearer);
    }
    if let Some(token) = headers.get("token").and_then(|v| v.to_str().ok()) {
        return (legacy.then(|| token.trim().to_owned()), AuthTransport::TokenHeader);
    }
    if let Some((_, token)) = query.iter().find(|(k, _)| k.eq_ignore_ascii_case("token")) {
        return (legacy.then(|| token.trim().to_owned()), AuthTransport::TokenQuery);
    }
    (None, AuthTransport::None)
}

fn log_entry(
    seq: u64,
    request: &ApiRequest,
    raw_query: Option<String>,
    headers: &HeaderMap,
) -> LoggedRequest {
    let logged_headers = headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = value.to_str().unwrap_or("<non-ascii>");
            let value = match name.as_str() {
                "authorization" => match value.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} <redacted>"),
                    None => "<redacted>".to_owned(),
                },
                "token" | "cookie" => "<redacted>".to_owned(),
                _ => value.to_owned(),
            };
            (name, value)
        })
        .collect();
    let body = match &request.body {
        Body::Empty => LoggedBody::Empty,
        Body::Json(value) => LoggedBody::Json { value: redact_keys(value.clone()) },
        Body::Text(text) => LoggedBody::Text { text: text.clone() },
        Body::Binary(bytes) => {
            LoggedBody::Binary { size: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)) }
        }
        Body::Multipart(parts) => LoggedBody::Multipart {
            parts: parts
                .iter()
                .map(|p| LoggedPart {
                    name: p.name.clone(),
                    filename: p.filename.clone(),
                    content_type: p.content_type.clone(),
                    size: p.size,
                    sha256: p.sha256.clone(),
                })
                .collect(),
        },
        Body::BadMultipart(reason) => LoggedBody::Text { text: format!("<malformed multipart: {reason}>") },
    };
    let (_, auth) = extract_token(headers, &request.query, true);
    LoggedRequest {
        seq,
        method: request.method.clone(),
        path: request.path.clone(),
        query: raw_query,
        query_params: request.query.clone(),
        headers: logged_headers,
        auth,
        carries_partner_api_key: false,
        body,
        response_status: None,
        fault: None,
    }
}

fn redact_keys(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        for (key, field) in object.iter_mut() {
            if key.eq_ignore_ascii_case("partnerApiKey") && field.is_string() {
                *field = Value::String("<redacted>".into());
            }
        }
    }
    value
}

fn finish_log(
    shared: &Shared,
    seq: u64,
    status: Option<u16>,
    fault: Option<&Fault>,
    request: &ApiRequest,
    headers: &HeaderMap,
    raw_text: Option<&str>,
) {
    let mut state = shared.lock();
    let mut keys: Vec<String> = state.seen_api_keys.iter().cloned().collect();
    keys.extend(state.config.api_key.clone());
    let carries = keys.iter().filter(|k| !k.is_empty()).any(|key| {
        headers.values().any(|v| v.to_str().is_ok_and(|v| contains_whole(v, key)))
            || request.query.iter().any(|(k, v)| contains_whole(k, key) || contains_whole(v, key))
            || raw_text.is_some_and(|text| contains_whole(text, key))
    });
    if let Some(entry) = state.log.iter_mut().rev().find(|e| e.seq == seq) {
        entry.response_status = status;
        entry.fault = fault.map(|f| f.name().to_owned());
        entry.carries_partner_api_key = carries;
    }
}

/// `needle` occurs in `haystack` not glued to other word characters, so a short demo key like
/// `k` is not "found" inside `keep-alive`.
fn contains_whole(haystack: &str, needle: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
