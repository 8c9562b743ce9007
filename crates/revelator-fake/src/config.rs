//! Switches for every behaviour NOTES leaves undocumented, so tests can pin both "old" and "new"
//! Revelator. The same struct is read and patched over HTTP at `/__fake/config` (snake_case keys).

use serde::{Deserialize, Serialize};

/// How UPCs travel on the wire (NOTES 10.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UpcMode {
    /// Current behaviour: responses carry the UPC as a JSON string; requests may use either type.
    #[default]
    String,
    /// Legacy behaviour: responses carry a JSON number (leading zeros lost); a string UPC in a
    /// request is refused with 400.
    Number,
    /// List endpoints answer with numbers, detail endpoints with strings; requests accept both.
    Mixed,
}

/// Zero-sentinel handling (NOTES 10.2.4, A11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SentinelMode {
    /// `releaseId: 0` creates; unset dates come back as `0001-01-01T00:00:00` and unset files as
    /// the all-zero GUID.
    #[default]
    Legacy,
    /// `releaseId: 0` / `trackId: 0` / zero GUIDs are refused with 400; unset values are `null`.
    Strict,
}

/// Wrapper of a failing V1 validate response (NOTES 6.3, A14). A clean release always gets an
/// empty body, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ValidateShape {
    /// `[ {issue}, … ]` as in the older docs.
    #[default]
    BareArray,
    /// `{ "validationErrors": [ {issue}, … ] }` as in the newer docs.
    Wrapped,
}

/// Error body format (NOTES A7, 10.2.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ErrorFormat {
    /// `{"type", "title", "status", "errors": {field: [msg]}}` (ASP.NET ProblemDetails).
    #[default]
    ProblemDetails,
    /// `{"message": "..."}`.
    Message,
    /// `text/plain` body.
    PlainText,
}

/// Which store IDs the `stores` lookup hands out (NOTES 10.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StoreProfile {
    /// IDs seen in docs and most clients: Apple 1, Spotify 9, Merlin Apple 459, …
    #[default]
    Standard,
    /// IDs seen in one sandbox (Spotify 507, Apple 508, …), to catch hard-coded store IDs.
    NonObvious,
}

/// Body of a successful image upload (NOTES 6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImageUploadResponse {
    /// A bare JSON string holding the file GUID.
    #[default]
    BareString,
    /// `{"fileId": "...", "filename": "..."}`.
    Object,
}

/// Body of a successful add-to-queue / takedown (A1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QueueResponse {
    /// 200 with an empty body.
    #[default]
    Empty,
    /// 200 with the JSON literal `true`.
    True,
}

/// Per-token token bucket (NOTES 10.2.10; numbers are [ASSUME], Revelator publishes none).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Requests a fresh token may burst.
    pub burst: u32,
    /// Sustained requests per second.
    pub per_second: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FakeConfig {
    /// `None`: any non-empty partner API key logs in (the demo default). `Some(k)`: only `k`.
    pub api_key: Option<String>,
    /// `true`: any non-empty `partnerUserId` logs in and gets its own enterprise on first use.
    /// `false`: only users created through `/partner/account/signup` (or `seed_users`).
    pub accept_unknown_users: bool,
    /// Users known from the start (only matters when `accept_unknown_users` is false).
    pub seed_users: Vec<String>,
    /// Added before every non-control request is handled (benchmarks use 50).
    pub latency_ms: u64,
    /// Token lifetime in seconds of the fake clock (A6: 8 h).
    pub token_ttl_seconds: u64,
    /// Accept the legacy `token:` header and `?token=` query parameter besides `Bearer`.
    pub legacy_token_transport: bool,
    pub upc_mode: UpcMode,
    pub sentinel_mode: SentinelMode,
    /// Sandbox accounts are exempt from global UPC uniqueness (NOTES 3).
    pub sandbox: bool,
    /// Assign a UPC when a release is created without one ([ASSUME], NOTES 5.3).
    pub assign_upc: bool,
    pub validate_shape: ValidateShape,
    /// Validation rule A10 (a group-3 "Producer & Engineer" credit on every track).
    pub require_production_credit: bool,
    /// Also refuse, at save time, tracks without a production credit (A10 "strict-save").
    pub strict_save: bool,
    pub error_format: ErrorFormat,
    pub store_profile: StoreProfile,
    pub image_upload_response: ImageUploadResponse,
    pub queue_response: QueueResponse,
    /// `None` disables rate limiting.
    pub rate_limit: Option<RateLimit>,
    /// Page sizes above this are clamped (NOTES 10.2.12, [ASSUME] 100).
    pub page_size_cap: u32,
    /// Fake-clock seconds each delivery step (−21 → 10 → 20 → 30, 40 → 41) takes.
    pub delivery_step_seconds: u64,
    /// Answer the V2 read-only validators under `/supply-chain/v1/...`.
    pub v2_enabled: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            api_key: None,
            accept_unknown_users: true,
            seed_users: Vec::new(),
            latency_ms: 0,
            token_ttl_seconds: crate::assumptions::TOKEN_TTL_SECONDS,
            legacy_token_transport: true,
            upc_mode: UpcMode::default(),
            sentinel_mode: SentinelMode::default(),
            sandbox: false,
            assign_upc: true,
            validate_shape: ValidateShape::default(),
            require_production_credit: true,
            strict_save: false,
            error_format: ErrorFormat::default(),
            store_profile: StoreProfile::default(),
            image_upload_response: ImageUploadResponse::default(),
            queue_response: QueueResponse::default(),
            rate_limit: Some(crate::assumptions::DEFAULT_RATE_LIMIT),
            page_size_cap: crate::assumptions::PAGE_SIZE_CAP,
            delivery_step_seconds: 3600,
            v2_enabled: true,
        }
    }
}
