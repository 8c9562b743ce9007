//! catno-revelator: a client for Revelator's public API (V1 host), knowing only Revelator's
//! wire format. Core maps catalog data to [`wire`] types; this crate never sees the catalog.
//!
//! - [`RevelatorClient`]: partner login (token in memory, one re-login on 401), bounded
//!   retries with jittered backoff and `Retry-After`, streamed uploads with progress, lookups
//!   cached per client, validate / queue / status / takedown / retail save.
//! - [`plan`]: full-object save bodies that keep remote file ids and unknown fields, and the
//!   "take down and redeliver" plan for edits to locked tracks.
//! - [`ops`]: reconciling, repeat-safe multi-call operations.
//! - [`credentials`]: the partner key in the OS keyring.
//! - [`assumptions`]: every behaviour relied on that Revelator has not documented.
//!
//! A leaf: must never depend on catno-domain, catno-db, catno-core or tauri (CI checks).

pub mod assumptions;
mod client;
pub mod credentials;
mod error;
pub mod lookups;
pub mod ops;
pub mod plan;
mod secret;
pub mod wire;

pub use client::{
    ClientConfig, PRODUCTION_BASE_URL, ProgressFn, RetryPolicy, RevelatorClient, UploadProgress,
};
pub use credentials::{CredentialStore, KEYRING_SERVICE, KeyringStore, MemoryStore};
pub use error::{RemoteBody, Result, RevelatorError, strip_html};
pub use lookups::Lookups;
pub use ops::{SaveOutcome, SavedRelease};
pub use plan::{LockedStore, LockedTrackChange, RedeliveryPlan, ReleaseDraft, SavePlan};
pub use secret::{Credentials, Secret};
