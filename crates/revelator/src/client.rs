//! The HTTP client: partner login with the token kept in memory (one re-login on 401),
//! bounded retries with jittered exponential backoff and `Retry-After`, streamed uploads with
//! progress, and one method per Revelator endpoint Catno uses.
//!
//! Retry classes: a request refused before it was processed (401, 429) is always replayed; a
//! 5xx or a transport failure is replayed only for idempotent calls (reads, validate, a save of
//! an existing release — a full replace — and retail save). A create, `addtoqueue` and
//! `takedown` are never replayed blindly: [`crate::ops`] reads back first (NOTES §10.2 #10).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::{Method, StatusCode, header};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::assumptions;
use crate::error::{RemoteBody, Result, RevelatorError};
use crate::lookups::Lookups;
use crate::secret::{Credentials, Secret};
use crate::wire::{self, LoginResponse, Paged, ReleaseListItem, RetailSave, StoreStatus, ValidationIssue};

/// Production V1 host (NOTES §2).
pub const PRODUCTION_BASE_URL: &str = "https://api.revelator.com";

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    /// Longest single wait; a `Retry-After` above it gives up instead of waiting less.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: assumptions::DEFAULT_BASE_DELAY,
            max_delay: assumptions::DEFAULT_MAX_DELAY,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The V1 host, without a trailing slash.
    pub base_url: String,
    pub retry: RetryPolicy,
    /// Whole-request limit for everything but uploads.
    pub request_timeout: Duration,
    /// Longest silence while reading an answer (uploads included).
    pub read_timeout: Duration,
    pub connect_timeout: Duration,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(15),
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::new(PRODUCTION_BASE_URL)
    }
}

/// Bytes of one upload sent so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    pub sent: u64,
    pub total: u64,
}

pub type ProgressFn = Arc<dyn Fn(UploadProgress) + Send + Sync>;

#[derive(Debug)]
struct Session {
    token: Secret,
    obtained: Instant,
    enterprise_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// Safe to send again after a 5xx or a lost answer.
    Idempotent,
    /// Replayed only when Revelator refused it before processing (401, 429).
    Once,
}

enum Payload {
    Empty,
    Json(Value),
    File { path: std::path::PathBuf, file_name: String, progress: Option<ProgressFn> },
}

struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    payload: Payload,
    replay: Replay,
}

impl Call {
    fn new(method: Method, path: impl Into<String>, replay: Replay) -> Self {
        Call { method, path: path.into(), query: Vec::new(), payload: Payload::Empty, replay }
    }

    fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let mut value = serde_json::to_value(body)
            .map_err(|e| RevelatorError::Invalid(format!("cannot encode the request body: {e}")))?;
        wire::scrub_sentinels(&mut value);
        self.payload = Payload::Json(value);
        Ok(self)
    }
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
}

/// A Revelator account connection. Cheap to share behind an `Arc`; calls may run concurrently.
#[derive(Debug)]
pub struct RevelatorClient {
    http: reqwest::Client,
    config: ClientConfig,
    credentials: Credentials,
    session: Mutex<Option<Session>>,
    lookups: Mutex<Option<Arc<Lookups>>>,
    jitter_state: AtomicU64,
}

impl RevelatorClient {
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .user_agent(concat!("Catno/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RevelatorError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
            | 1;
        Ok(RevelatorClient {
            http,
            config,
            credentials,
            session: Mutex::new(None),
            lookups: Mutex::new(None),
            jitter_state: AtomicU64::new(seed),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The enterprise the login acts as (from the login's `permissions`).
    pub async fn enterprise_id(&self) -> Result<Option<i64>> {
        self.token().await?;
        Ok(self.session.lock().await.as_ref().and_then(|s| s.enterprise_id))
    }

    // ---- session ---------------------------------------------------------------------------

    /// Logs in now (checks the credentials), replacing any token held.
    pub async fn login(&self) -> Result<()> {
        let mut session = self.session.lock().await;
        *session = Some(self.fresh_session().await?);
        Ok(())
    }

    async fn fresh_session(&self) -> Result<Session> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Login<'a> {
            partner_api_key: &'a Secret,
            partner_user_id: &'a str,
        }
        let body = Login {
            partner_api_key: &self.credentials.partner_api_key,
            partner_user_id: &self.credentials.partner_user_id,
        };
        let call = Call::new(Method::POST, "/partner/account/login", Replay::Idempotent).json(&body)?;
        // Boxed: `execute` logs in through here, so the future type would be infinite.
        let answer = match Box::pin(self.execute(&call, None)).await {
            Err(RevelatorError::Http { status: status @ (400 | 401 | 403 | 404), body, .. }) => {
                return Err(RevelatorError::Unauthorized { status, body });
            }
            other => other?,
        };
        let login: LoginResponse = decode(&call, &answer)?;
        if login.access_token.is_empty() || login.is_authorized == Some(false) {
            return Err(RevelatorError::Unauthorized {
                status: answer.status.as_u16(),
                body: RemoteBody::boxed(b"login answered without an authorized token", None),
            });
        }
        tracing::debug!(enterprise = ?login.enterprise_id(), "logged in to Revelator");
        Ok(Session {
            token: login.access_token.clone(),
            obtained: Instant::now(),
            enterprise_id: login.enterprise_id(),
        })
    }

    async fn token(&self) -> Result<Secret> {
        let mut session = self.session.lock().await;
        if let Some(s) = session.as_ref().filter(|s| s.obtained.elapsed() < assumptions::TOKEN_REFRESH_AFTER)
        {
            return Ok(s.token.clone());
        }
        let fresh = self.fresh_session().await?;
        let token = fresh.token.clone();
        *session = Some(fresh);
        Ok(token)
    }

    /// Forgets `used` unless another call already replaced it.
    async fn invalidate(&self, used: &Secret) {
        let mut session = self.session.lock().await;
        if session.as_ref().is_some_and(|s| &s.token == used) {
            *session = None;
        }
    }

    // ---- transport -------------------------------------------------------------------------

    fn backoff(&self, attempt: u32) -> Duration {
        let policy = &self.config.retry;
        let exp = policy.base_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(policy.max_delay);
        // Equal jitter: half fixed, half random, so concurrent clients spread out but never
        // retry immediately.
        let mut x = self.jitter_state.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter_state.store(x, Ordering::Relaxed);
        let half = cap / 2;
        half + half.mul_f64((x % 10_000) as f64 / 10_000.0)
    }

    async fn build(&self, call: &Call, token: Option<&Secret>) -> Result<reqwest::RequestBuilder> {
        let url = format!("{}{}", self.config.base_url, call.path);
        let mut request =
            self.http.request(call.method.clone(), url).header(header::ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        request = match &call.payload {
            Payload::Empty => request.timeout(self.config.request_timeout),
            Payload::Json(value) => request.timeout(self.config.request_timeout).json(value),
            Payload::File { path, file_name, progress } => {
                let io = |e: std::io::Error| RevelatorError::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                };
                let file = tokio::fs::File::open(path).await.map_err(io)?;
                let total = file.metadata().await.map_err(io)?.len();
                let sent = Arc::new(AtomicU64::new(0));
                let progress = progress.clone();
                if let Some(report) = &progress {
                    report(UploadProgress { sent: 0, total });
                }
                let stream =
                    tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024).map(move |chunk| {
                        if let (Ok(bytes), Some(report)) = (&chunk, &progress) {
                            let now =
                                sent.fetch_add(bytes.len() as u64, Ordering::Relaxed) + bytes.len() as u64;
                            report(UploadProgress { sent: now, total });
                        }
                        chunk
                    });
                let part =
                    reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), total)
                        .file_name(file_name.clone())
                        .mime_str(mime_of(file_name))
                        .map_err(|e| RevelatorError::Invalid(e.to_string()))?;
                request.multipart(reqwest::multipart::Form::new().part("file", part))
            }
        };
        Ok(request)
    }

    /// Sends `call`, authenticated with `token_source` (None: no Authorization header).
    async fn execute(&self, call: &Call, authenticated: Option<()>) -> Result<Answer> {
        let method = call.method.to_string();
        let policy = self.config.retry.clone();
        let mut attempt = 0u32;
        let mut relogged = false;
        loop {
            attempt += 1;
            let token = match authenticated {
                Some(()) => Some(self.token().await?),
                None => None,
            };
            let request = self.build(call, token.as_ref()).await?;
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    let error = RevelatorError::Transport {
                        method: method.clone(),
                        path: call.path.clone(),
                        message: describe(&e),
                        timeout: e.is_timeout(),
                    };
                    // A connection refused before anything was sent cannot have been applied.
                    let safe = call.replay == Replay::Idempotent || e.is_connect();
                    if safe && attempt < policy.max_attempts {
                        tracing::warn!(path = %call.path, attempt, "Revelator unreachable, retrying: {error}");
                        tokio::time::sleep(self.backoff(attempt)).await;
                        continue;
                    }
                    return Err(error);
                }
            };
            let status = response.status();
            let retry_after = retry_after(response.headers());
            let content_type =
                response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = match response.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) => {
                    let error = RevelatorError::Transport {
                        method: method.clone(),
                        path: call.path.clone(),
                        message: format!("the answer was cut off: {}", describe(&e)),
                        timeout: e.is_timeout(),
                    };
                    if call.replay == Replay::Idempotent && attempt < policy.max_attempts {
                        tokio::time::sleep(self.backoff(attempt)).await;
                        continue;
                    }
                    return Err(error);
                }
            };
            if status.is_success() {
                return Ok(Answer { status, body, content_type });
            }
            let remote = RemoteBody::boxed(&body, content_type);
            match status {
                StatusCode::UNAUTHORIZED if token.is_some() => {
                    if relogged {
                        return Err(RevelatorError::Unauthorized { status: 401, body: remote });
                    }
                    relogged = true;
                    if let Some(used) = &token {
                        self.invalidate(used).await;
                    }
                    // The re-login is not a failed attempt of this call.
                    attempt -= 1;
                    continue;
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    if attempt >= policy.max_attempts || wait > policy.max_delay {
                        return Err(RevelatorError::RateLimited {
                            method,
                            path: call.path.clone(),
                            attempts: attempt,
                            retry_after,
                            body: remote,
                        });
                    }
                    tracing::warn!(path = %call.path, ?wait, "Revelator rate limit, waiting");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                s if s.is_server_error()
                    && call.replay == Replay::Idempotent
                    && attempt < policy.max_attempts =>
                {
                    tracing::warn!(path = %call.path, status = s.as_u16(), attempt, "Revelator server error, retrying");
                    tokio::time::sleep(self.backoff(attempt)).await;
                    continue;
                }
                _ => {
                    return Err(RevelatorError::Http {
                        method,
                        path: call.path.clone(),
                        status: status.as_u16(),
                        body: remote,
                    });
                }
            }
        }
    }

    async fn send(&self, call: &Call) -> Result<Answer> {
        self.execute(call, Some(())).await
    }

    async fn send_json<T: serde::de::DeserializeOwned>(&self, call: &Call) -> Result<T> {
        let answer = self.send(call).await?;
        decode(call, &answer)
    }

    // ---- catalog ---------------------------------------------------------------------------

    pub async fn get_release(&self, release_id: i64) -> Result<wire::Release> {
        self.send_json(&Call::new(Method::GET, format!("/content/release/{release_id}"), Replay::Idempotent))
            .await
    }

    pub async fn list_releases(
        &self,
        search: Option<&str>,
        page_number: u32,
        page_size: u32,
    ) -> Result<Paged<ReleaseListItem>> {
        let mut call = Call::new(Method::GET, "/content/release/all", Replay::Idempotent)
            .query("pageNumber", page_number.max(1))
            .query("pageSize", page_size.clamp(1, assumptions::MAX_PAGE_SIZE));
        if let Some(term) = search.filter(|t| !t.trim().is_empty()) {
            call = call.query("searchTerm", term.trim());
        }
        let answer = self.send(&call).await?;
        let value: Value = decode(&call, &answer)?;
        if value.is_array() {
            let items: Vec<ReleaseListItem> = decode_value(&call, &answer, value)?;
            let total = items.len() as i64;
            return Ok(Paged { total_items_count: total, page_number: 1, page_size: total, items });
        }
        decode_value(&call, &answer, value)
    }

    /// Every release matching `search`, walking all pages. Items that shift between pages
    /// (a release created meanwhile) are de-duplicated by id.
    pub async fn find_releases(&self, search: Option<&str>) -> Result<Vec<ReleaseListItem>> {
        const MAX_PAGES: u32 = 1000;
        let size = assumptions::MAX_PAGE_SIZE;
        let mut found: Vec<ReleaseListItem> = Vec::new();
        for page in 1..=MAX_PAGES {
            let batch = self.list_releases(search, page, size).await?;
            let got = batch.items.len();
            for item in batch.items {
                if item.release_id.is_none() || !found.iter().any(|f| f.release_id == item.release_id) {
                    found.push(item);
                }
            }
            let seen = i64::from(page) * i64::from(size);
            if got == 0 || got < size as usize || seen >= batch.total_items_count {
                break;
            }
        }
        Ok(found)
    }

    /// One `POST /content/release/save` of a whole release. A release without `releaseId` is
    /// created and the call is never replayed after an unclear failure; prefer
    /// [`crate::ops`]'s reconciling save.
    pub async fn save_release_raw(&self, release: &wire::Release) -> Result<Value> {
        let replay = if release.release_id.is_some() { Replay::Idempotent } else { Replay::Once };
        let call = Call::new(Method::POST, "/content/release/save", replay).json(release)?;
        let answer = self.send(&call).await?;
        if answer.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        decode(&call, &answer)
    }

    // ---- media -----------------------------------------------------------------------------

    /// Streams an image to `/media/image/upload`; returns its file id.
    pub async fn upload_image(
        &self,
        path: &std::path::Path,
        cover: bool,
        progress: Option<ProgressFn>,
    ) -> Result<String> {
        let call = upload_call("/media/image/upload", path, progress)?.query("cover", cover);
        self.upload(&call).await
    }

    /// Streams a WAV or FLAC master to `/media/audio/upload`; returns its file id.
    pub async fn upload_audio(&self, path: &std::path::Path, progress: Option<ProgressFn>) -> Result<String> {
        let call = upload_call("/media/audio/upload", path, progress)?;
        self.upload(&call).await
    }

    async fn upload(&self, call: &Call) -> Result<String> {
        let answer = self.send(call).await?;
        wire::uploaded_file_id(&answer.body).ok_or_else(|| RevelatorError::Decode {
            method: call.method.to_string(),
            path: call.path.clone(),
            message: "the upload answer holds no file id (or the zero GUID, which means failure)".into(),
            body: RemoteBody::boxed(&answer.body, answer.content_type.clone()),
        })
    }

    // ---- distribution ----------------------------------------------------------------------

    /// Revelator's own validation. An empty list means clean.
    pub async fn validate(&self, release_id: i64) -> Result<Vec<ValidationIssue>> {
        let call = Call::new(
            Method::POST,
            format!("/distribution/release/{release_id}/validate"),
            Replay::Idempotent,
        );
        let answer = self.send(&call).await?;
        wire::parse_validation(&answer.body).map_err(|message| decode_error(&call, &answer, message))
    }

    /// Puts the release in the distribution queue for `store_ids` (query `releaseId`, body a
    /// bare array of store ids). Not replayed after an unclear failure.
    pub async fn add_to_queue(&self, release_id: i64, store_ids: &[i64]) -> Result<()> {
        self.store_list_call("/distribution/release/addtoqueue", release_id, store_ids).await
    }

    /// Asks for a takedown from `store_ids` (only stores where the release is delivered/live).
    pub async fn takedown(&self, release_id: i64, store_ids: &[i64]) -> Result<()> {
        self.store_list_call("/distribution/release/takedown", release_id, store_ids).await
    }

    async fn store_list_call(&self, path: &str, release_id: i64, store_ids: &[i64]) -> Result<()> {
        if store_ids.is_empty() && assumptions::NEVER_SEND_EMPTY_STORE_LIST {
            // The meaning of an empty list is unknown; it might mean "all stores".
            return Err(RevelatorError::Invalid(format!("{path}: no store selected")));
        }
        let call =
            Call::new(Method::POST, path, Replay::Once).query("releaseId", release_id).json(&store_ids)?;
        // [A1] The body is not relied on.
        self.send(&call).await.map(|_| ())
    }

    /// Per-store distribution status of one release.
    pub async fn store_statuses(&self, release_id: i64) -> Result<Vec<StoreStatus>> {
        let call = Call::new(Method::GET, "/distribution/store/all", Replay::Idempotent)
            .query("releaseId", release_id);
        let answer = self.send(&call).await?;
        if answer.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let value: Value = decode(&call, &answer)?;
        wire::lookup_items(value).into_iter().map(|v| decode_value(&call, &answer, v)).collect()
    }

    /// Sets the sale start date with a minimal V1 retail-save body.
    pub async fn retail_save(&self, body: &RetailSave) -> Result<()> {
        let call = Call::new(Method::POST, "/content/release/retail/save", Replay::Idempotent).json(body)?;
        self.send(&call).await.map(|_| ())
    }

    // ---- lookups ---------------------------------------------------------------------------

    pub(crate) async fn lookup_raw(&self, kind: &str, active_only: bool) -> Result<Vec<Value>> {
        let mut call = Call::new(Method::GET, format!("/common/lookup/{kind}"), Replay::Idempotent);
        if active_only {
            call = call.query("activeOnly", true);
        }
        let value: Value = self.send_json(&call).await?;
        Ok(wire::lookup_items(value))
    }

    /// The lookups, fetched once per client and then served from memory.
    pub async fn lookups(&self) -> Result<Arc<Lookups>> {
        let mut cached = self.lookups.lock().await;
        if let Some(l) = cached.as_ref() {
            return Ok(l.clone());
        }
        let fresh = Arc::new(Lookups::fetch(self).await?);
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    /// Drops the cached lookups (e.g. after the account's store deals changed).
    pub async fn refresh_lookups(&self) -> Result<Arc<Lookups>> {
        self.lookups.lock().await.take();
        self.lookups().await
    }
}

fn upload_call(path: &str, file: &std::path::Path, progress: Option<ProgressFn>) -> Result<Call> {
    let file_name = file
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| RevelatorError::Invalid(format!("{}: not a file name", file.display())))?
        .to_owned();
    let mut call = Call::new(Method::POST, path, Replay::Idempotent);
    call.payload = Payload::File { path: file.to_owned(), file_name, progress };
    Ok(call)
}

fn mime_of(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    match lower.rsplit('.').next() {
        Some("wav") => "audio/wav",
        Some("flac") => "audio/flac",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// `Retry-After` as seconds or an HTTP date (the latter only as "some time": its clock is
/// the server's; one second is used as the floor).
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let raw = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = raw.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    // [A8] Seconds are expected; anything else still means "wait", so wait the floor.
    (!raw.is_empty()).then_some(Duration::from_secs(1))
}

fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn decode_error(call: &Call, answer: &Answer, message: String) -> RevelatorError {
    RevelatorError::Decode {
        method: call.method.to_string(),
        path: call.path.clone(),
        message,
        body: RemoteBody::boxed(&answer.body, answer.content_type.clone()),
    }
}

fn decode<T: serde::de::DeserializeOwned>(call: &Call, answer: &Answer) -> Result<T> {
    serde_json::from_slice(&answer.body).map_err(|e| decode_error(call, answer, e.to_string()))
}

fn decode_value<T: serde::de::DeserializeOwned>(call: &Call, answer: &Answer, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| decode_error(call, answer, e.to_string()))
}
