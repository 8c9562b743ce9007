//! A faithful local fake of the Revelator partner API, implementing the contract of NOTES section 10
//! (`/work/shared/revelator/NOTES.md`): whole-object replace with file auto-deletion, UPC
//! string/number drift, zero sentinels, read-only statuses, the approval gate, validation shapes,
//! scripted faults and a request log. It listens on 127.0.0.1 only.
//!
//! In-process use (tests of the client and the sync engine):
//!
//! ```no_run
//! # async fn demo() -> Result<(), catno_revelator_fake::Error> {
//! use catno_revelator_fake::{FakeConfig, FakeRevelator, Fault, FaultRule};
//! let fake = FakeRevelator::start(FakeConfig::default()).await?;
//! fake.push_fault(FaultRule::new(Some("POST"), "/content/release/save", Fault::ErrorAfterWrite { status: 500 }))?;
//! let base = fake.base_url(); // http://127.0.0.1:<ephemeral>
//! # let _ = base;
//! let wire = fake.requests(); // what the client actually sent
//! # let _ = wire;
//! # Ok(()) }
//! ```
//!
//! Every guess about undocumented behaviour is listed in [`assumptions`].

mod analytics;
pub mod assumptions;
mod catalog;
mod config;
mod control;
mod distribution;
mod faults;
mod log;
mod lookups;
mod media;
mod router;
mod server;
mod state;
mod validation;
mod wire;

pub use config::{
    ErrorFormat, FakeConfig, ImageUploadResponse, QueueResponse, RateLimit, SentinelMode, StoreProfile,
    UpcMode, ValidateShape,
};
pub use faults::{Fault, FaultRule};
pub use log::{AuthTransport, LoggedBody, LoggedPart, LoggedRequest};

use server::Shared;
use state::State;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot start the fake Revelator's runtime: {0}")]
    Runtime(std::io::Error),
    /// A control operation the fake refused (unknown release, nothing to approve, bad rule, …).
    #[error("fake Revelator refused: {0}")]
    Refused(String),
}

impl From<wire::ApiError> for Error {
    fn from(error: wire::ApiError) -> Self {
        Error::Refused(error.title)
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeRevelator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeRevelator {
    /// Starts on an ephemeral port of 127.0.0.1, on the current tokio runtime.
    pub async fn start(config: FakeConfig) -> Result<Self, Error> {
        Self::start_on(0, config).await
    }

    /// Starts on `port` of 127.0.0.1 (0 = ephemeral), on the current tokio runtime.
    pub async fn start_on(port: u16, config: FakeConfig) -> Result<Self, Error> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|source| Error::Bind { port, source })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind { port, source })?;
        let shared = Arc::new(Shared::new(State::new(config, salt())));
        let (shutdown, receiver) = watch::channel(false);
        tokio::spawn(server::serve(listener, Arc::clone(&shared), receiver));
        Ok(Self { addr, shared, shutdown, thread: None })
    }

    /// Starts on an ephemeral port with its own runtime on a background thread, for synchronous
    /// tests and callers without a tokio runtime.
    pub fn start_background(config: FakeConfig) -> Result<Self, Error> {
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|source| Error::Bind { port: 0, source })?;
        std_listener.set_nonblocking(true).map_err(|source| Error::Bind { port: 0, source })?;
        let addr = std_listener.local_addr().map_err(|source| Error::Bind { port: 0, source })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        let shared = Arc::new(Shared::new(State::new(config, salt())));
        let (shutdown, receiver) = watch::channel(false);
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("catno-revelator-fake".into())
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = TcpListener::from_std(std_listener) {
                        server::serve(listener, serving, receiver).await;
                    }
                });
            })
            .map_err(Error::Runtime)?;
        Ok(Self { addr, shared, shutdown, thread: Some(thread) })
    }

    /// `http://127.0.0.1:<port>`, the V1 host.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The V2 host: the same listener, since V1 and V2 paths never collide.
    pub fn v2_base_url(&self) -> String {
        self.base_url()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every non-control request so far, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// Queues a scripted fault; rules are consumed in order by matching requests.
    pub fn push_fault(&self, rule: FaultRule) -> Result<(), Error> {
        control::check_rule(&rule)?;
        self.shared.lock().faults.push(rule);
        Ok(())
    }

    pub fn pending_faults(&self) -> Vec<FaultRule> {
        self.shared.lock().faults.clone()
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    pub fn config(&self) -> FakeConfig {
        self.shared.lock().config.clone()
    }

    pub fn update_config(&self, change: impl FnOnce(&mut FakeConfig)) {
        change(&mut self.shared.lock().config);
    }

    /// Advances the fake clock: tokens expire, due delivery steps happen.
    pub fn advance_clock(&self, seconds: u64) {
        self.shared.lock().advance_clock(seconds);
    }

    /// Invalidates every token at once (the next call of every client gets 401).
    pub fn expire_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// What the parent account does in the web UI: every store at −20 moves on.
    pub fn approve(&self, release_id: i64) -> Result<usize, Error> {
        Ok(self.shared.lock().approve(release_id)?)
    }

    pub fn reject(&self, release_id: i64, message: &str) -> Result<usize, Error> {
        Ok(self.shared.lock().reject(release_id, message)?)
    }

    /// One delivery step for every in-flight store of the release.
    pub fn advance(&self, release_id: i64) -> Result<usize, Error> {
        Ok(self.shared.lock().advance_release(release_id)?)
    }

    pub fn set_store_status(&self, release_id: i64, store_id: i64, status: i32) -> Result<(), Error> {
        Ok(self.shared.lock().set_store_status(release_id, store_id, status, None)?)
    }

    /// Makes `url` fetchable by `pullexternal`, serving `content`.
    pub fn register_external_url(&self, url: &str, content: &[u8]) {
        control::register_external_url(&mut self.shared.lock(), url, content);
    }

    /// Whether an uploaded image or audio file still exists (saves delete omitted files).
    pub fn file_exists(&self, file_id: &str) -> bool {
        control::file_info(&self.shared.lock(), file_id).is_some()
    }

    /// `(release id, name)` of every release held, in id order: what a test compares with the
    /// catalog after a sync.
    pub fn release_names(&self) -> Vec<(i64, String)> {
        let state = self.shared.lock();
        let mut out: Vec<(i64, String)> = state
            .releases
            .values()
            .map(|r| (r.id, r.fields.get("name").and_then(|v| v.as_str()).unwrap_or_default().to_owned()))
            .collect();
        out.sort();
        out
    }

    /// Back to the state `start` left: empty catalog, initial config, no tokens, no log.
    pub fn reset(&self) {
        self.shared.lock().reset();
    }
}

impl Drop for FakeRevelator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Tokens differ between runs so a token from an earlier fake never works on a later one.
fn salt() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x5eed)
        ^ u64::from(std::process::id()).rotate_left(32)
}
