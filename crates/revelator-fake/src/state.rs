//! The fake's whole in-memory world: accounts and tokens, catalog, files, per-store distribution
//! status, the fake clock, scripted faults and the request log. One `State` sits behind one mutex;
//! handlers are synchronous and never hold the lock across an await.

use crate::assumptions::{self, LOCKED_STATUSES};
use crate::config::FakeConfig;
use crate::faults::FaultRule;
use crate::log::LoggedRequest;
use crate::wire::ApiError;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;
use time::macros::{datetime, format_description};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

/// The fake clock starts here so dates in answers are reproducible.
pub(crate) const FAKE_EPOCH: PrimitiveDateTime = datetime!(2026-01-05 09:00:00);

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub partner_user_id: String,
    pub user_id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub partner_user_id: String,
    pub expires: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub tokens: f64,
    pub refilled: Instant,
}

#[derive(Debug, Clone)]
pub(crate) struct Release {
    pub id: i64,
    /// Writable fields as last saved (normalized: no nulls, no empty arrays), minus the ones
    /// below that the fake models separately.
    pub fields: Map<String, Value>,
    /// Digits as the fake understood them (a numeric UPC has already lost its leading zeros).
    pub upc: Option<String>,
    pub image: Option<Map<String, Value>>,
    pub track_ids: Vec<i64>,
    /// Last `/content/release/retail/save` body (normalized).
    pub retail: Option<Map<String, Value>>,
    pub created: OffsetDateTime,
    pub approved: Option<OffsetDateTime>,
    pub enterprise_id: i64,
    pub stores: BTreeMap<i64, StoreState>,
}

impl Release {
    pub fn image_file_id(&self) -> Option<&str> {
        self.image.as_ref().and_then(|image| image.get("fileId")).and_then(Value::as_str)
    }

    /// The first fully locked status (5.5), if any.
    pub fn locking_status(&self) -> Option<i32> {
        self.stores.values().map(|s| s.status).find(|s| LOCKED_STATUSES.contains(s))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Track {
    pub id: i64,
    pub fields: Map<String, Value>,
}

impl Track {
    /// Audio GUIDs in `trackRecordingVersions[].audioFiles[].audioId`.
    pub fn audio_ids(&self) -> Vec<String> {
        audio_ids(&self.fields)
    }
}

pub(crate) fn audio_ids(fields: &Map<String, Value>) -> Vec<String> {
    crate::wire::array_field(fields, "trackRecordingVersions")
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|version| crate::wire::array_field(version, "audioFiles"))
        .filter_map(Value::as_object)
        .filter_map(|file| file.get("audioId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Clone)]
pub(crate) struct StoreState {
    pub status: i32,
    pub error_message: Option<String>,
    pub added: OffsetDateTime,
    /// When the current status was entered; delivery steps count from here.
    pub since: OffsetDateTime,
    pub delivery_date: Option<OffsetDateTime>,
    pub first_delivery_date: Option<OffsetDateTime>,
    pub date_live: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub(crate) struct ImageFile {
    pub filename: Option<String>,
    pub content_type: String,
    pub data: bytes::Bytes,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub(crate) struct AudioFile {
    pub filename: Option<String>,
    pub size: u64,
    pub sha256: String,
}

pub(crate) struct State {
    pub initial_config: FakeConfig,
    pub config: FakeConfig,
    pub clock: OffsetDateTime,
    salt: u64,
    counter: u64,
    next_release_id: i64,
    next_track_id: i64,
    next_label_id: i64,
    next_user_id: i64,
    pub users: BTreeMap<String, User>,
    pub tokens: HashMap<String, Token>,
    pub buckets: HashMap<String, Bucket>,
    pub releases: BTreeMap<i64, Release>,
    pub tracks: BTreeMap<i64, Track>,
    pub labels: BTreeMap<i64, String>,
    pub images: HashMap<String, ImageFile>,
    pub audio: HashMap<String, AudioFile>,
    /// Fake URLs `pullexternal` may fetch: url → (size, sha256).
    pub external_urls: HashMap<String, (u64, String)>,
    pub faults: Vec<FaultRule>,
    pub log: Vec<LoggedRequest>,
    pub next_seq: u64,
    /// Partner API keys presented at login/signup, to flag them in the log wherever else they go.
    pub seen_api_keys: BTreeSet<String>,
}

impl State {
    pub fn new(config: FakeConfig, salt: u64) -> Self {
        let mut state = State {
            initial_config: config.clone(),
            config,
            clock: FAKE_EPOCH.assume_utc(),
            salt,
            counter: 0,
            next_release_id: 2_400_001,
            next_track_id: 9_100_001,
            next_label_id: 310_001,
            next_user_id: 52_001,
            users: BTreeMap::new(),
            tokens: HashMap::new(),
            buckets: HashMap::new(),
            releases: BTreeMap::new(),
            tracks: BTreeMap::new(),
            labels: BTreeMap::new(),
            images: HashMap::new(),
            audio: HashMap::new(),
            external_urls: HashMap::new(),
            faults: Vec::new(),
            log: Vec::new(),
            next_seq: 1,
            seen_api_keys: BTreeSet::new(),
        };
        for user in state.config.seed_users.clone() {
            state.register_user(&user, None, None);
        }
        state
    }

    /// Everything back to how `start` left it; the salt moves on so old tokens stay invalid.
    pub fn reset(&mut self) {
        let salt = self.salt.wrapping_add(0x9e37_79b9_7f4a_7c15);
        *self = State::new(self.initial_config.clone(), salt);
    }

    fn next_random(&mut self) -> u64 {
        self.counter += 1;
        splitmix64(self.salt ^ self.counter.wrapping_mul(0xa076_1d64_78bd_642f))
    }

    /// A GUID in Revelator's lowercase 8-4-4-4-12 form.
    pub fn new_guid(&mut self) -> String {
        let high = self.next_random();
        let low = self.next_random();
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xffff,
            high & 0xfff,
            (low >> 48) & 0xfff,
            low & 0xffff_ffff_ffff
        )
    }

    pub fn new_release_id(&mut self) -> i64 {
        let id = self.next_release_id;
        self.next_release_id += 1;
        id
    }
    pub fn new_track_id(&mut self) -> i64 {
        let id = self.next_track_id;
        self.next_track_id += 1;
        id
    }
    pub fn new_label_id(&mut self) -> i64 {
        let id = self.next_label_id;
        self.next_label_id += 1;
        id
    }

    pub fn register_user(
        &mut self,
        partner_user_id: &str,
        enterprise_name: Option<&str>,
        email: Option<&str>,
    ) -> User {
        if let Some(user) = self.users.get(partner_user_id) {
            return user.clone();
        }
        let user_id = self.next_user_id;
        self.next_user_id += 1;
        let user = User {
            partner_user_id: partner_user_id.to_owned(),
            user_id,
            enterprise_id: 691_097 + (user_id - 52_001),
            enterprise_name: enterprise_name
                .map_or_else(|| format!("{partner_user_id} (fake enterprise)"), str::to_owned),
            email: email.map_or_else(|| format!("{partner_user_id}@example.invalid"), str::to_owned),
        };
        self.users.insert(partner_user_id.to_owned(), user.clone());
        user
    }

    pub fn issue_token(&mut self, partner_user_id: &str) -> String {
        let token = self.new_guid();
        let ttl = Duration::seconds(i64::try_from(self.config.token_ttl_seconds).unwrap_or(i64::MAX / 2));
        self.tokens.insert(
            token.clone(),
            Token { partner_user_id: partner_user_id.to_owned(), expires: self.clock.saturating_add(ttl) },
        );
        token
    }

    /// The user behind a token, or 401 for unknown and expired tokens (A6).
    pub fn authenticate(&self, token: Option<&str>) -> Result<User, ApiError> {
        let token =
            token.ok_or_else(|| ApiError::unauthorized("Authorization has been denied for this request."))?;
        let session = self
            .tokens
            .get(token)
            .ok_or_else(|| ApiError::unauthorized("Authorization has been denied for this request."))?;
        if session.expires <= self.clock {
            return Err(ApiError::unauthorized("The access token has expired."));
        }
        self.users
            .get(&session.partner_user_id)
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("Authorization has been denied for this request."))
    }

    /// Token bucket per token (10.2.10); `Err(retry_after_seconds)` when empty.
    pub fn take_rate_token(&mut self, key: &str) -> Result<(), u64> {
        let Some(limit) = self.config.rate_limit else { return Ok(()) };
        let now = Instant::now();
        let bucket = self
            .buckets
            .entry(key.to_owned())
            .or_insert(Bucket { tokens: f64::from(limit.burst), refilled: now });
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(f64::from(limit.burst));
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if limit.per_second > 0.0 {
            Err(((1.0 - bucket.tokens) / limit.per_second).ceil().max(1.0) as u64)
        } else {
            Err(assumptions::DEFAULT_RETRY_AFTER_SECONDS)
        }
    }

    /// Moves the fake clock and lets every in-flight delivery take the steps that became due.
    pub fn advance_clock(&mut self, seconds: u64) {
        self.clock =
            self.clock.saturating_add(Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 2)));
        let step = Duration::seconds(i64::try_from(self.config.delivery_step_seconds.max(1)).unwrap_or(3600));
        let now = self.clock;
        for release in self.releases.values_mut() {
            for store in release.stores.values_mut() {
                while let Some(next) = assumptions::next_status(store.status) {
                    let due = store.since.saturating_add(step);
                    if due > now {
                        break;
                    }
                    enter_status(store, next, due);
                }
            }
        }
    }

    /// One delivery step for every store of a release, whatever the clock says.
    pub fn advance_release(&mut self, release_id: i64) -> Result<usize, ApiError> {
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        let mut moved = 0;
        for store in release.stores.values_mut() {
            if let Some(next) = assumptions::next_status(store.status) {
                enter_status(store, next, now);
                moved += 1;
            }
        }
        Ok(moved)
    }

    /// The parent account approves in the web UI (6.4 [DOC]): −20 → −21.
    pub fn approve(&mut self, release_id: i64) -> Result<usize, ApiError> {
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        let mut moved = 0;
        for store in release.stores.values_mut() {
            if store.status == assumptions::STATUS_PENDING_OWNER_INSPECTION {
                enter_status(store, assumptions::STATUS_PENDING_PLATFORM_INSPECTION, now);
                moved += 1;
            }
        }
        if moved == 0 {
            return Err(ApiError::bad_request(format!(
                "Release {release_id} has no store pending owner inspection; nothing to approve."
            )));
        }
        release.approved = Some(now);
        Ok(moved)
    }

    /// The parent account rejects: −20 → 91 with the message; the release unlocks.
    pub fn reject(&mut self, release_id: i64, message: &str) -> Result<usize, ApiError> {
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        let mut moved = 0;
        for store in release.stores.values_mut() {
            if store.status == assumptions::STATUS_PENDING_OWNER_INSPECTION {
                enter_status(store, assumptions::STATUS_REJECTED, now);
                store.error_message = Some(message.to_owned());
                moved += 1;
            }
        }
        if moved == 0 {
            return Err(ApiError::bad_request(format!(
                "Release {release_id} has no store pending owner inspection; nothing to reject."
            )));
        }
        Ok(moved)
    }

    /// Control plane: put one store of a release into any status (e.g. a locked one).
    pub fn set_store_status(
        &mut self,
        release_id: i64,
        store_id: i64,
        status: i32,
        error_message: Option<String>,
    ) -> Result<(), ApiError> {
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        let store = release.stores.entry(store_id).or_insert(StoreState {
            status,
            error_message: None,
            added: now,
            since: now,
            delivery_date: None,
            first_delivery_date: None,
            date_live: None,
        });
        enter_status(store, status, now);
        store.error_message = error_message;
        Ok(())
    }

    pub fn release_mut(&mut self, release_id: i64) -> Result<&mut Release, ApiError> {
        self.releases
            .get_mut(&release_id)
            .ok_or_else(|| ApiError::not_found(format!("Release {release_id} was not found.")))
    }

    pub fn release(&self, release_id: i64) -> Result<&Release, ApiError> {
        self.releases
            .get(&release_id)
            .ok_or_else(|| ApiError::not_found(format!("Release {release_id} was not found.")))
    }

    /// Releases containing a track.
    pub fn releases_of_track(&self, track_id: i64) -> Vec<&Release> {
        self.releases.values().filter(|r| r.track_ids.contains(&track_id)).collect()
    }

    /// `(release, status)` that makes a track read-only (5.5), if any.
    pub fn track_lock(&self, track_id: i64) -> Option<(i64, i32)> {
        self.releases_of_track(track_id).into_iter().find_map(|r| r.locking_status().map(|s| (r.id, s)))
    }

    /// Deletes files nothing references any more ("omitted files are deleted", 10.2.2).
    pub fn collect_unreferenced_files(&mut self, candidates_image: &[String], candidates_audio: &[String]) {
        for file_id in candidates_image {
            if !self.releases.values().any(|r| r.image_file_id() == Some(file_id.as_str())) {
                self.images.remove(file_id);
            }
        }
        if candidates_audio.is_empty() {
            return;
        }
        // One pass over the catalog, however many files are candidates (benchmarks hold 12 000 tracks).
        let referenced: std::collections::HashSet<String> =
            self.tracks.values().flat_map(Track::audio_ids).collect();
        for file_id in candidates_audio {
            if !referenced.contains(file_id) {
                self.audio.remove(file_id);
            }
        }
    }

    /// A date as Revelator writes it (`2026-08-30T00:00:00`, no zone).
    pub fn format_date(&self, date: Option<OffsetDateTime>) -> Value {
        match date {
            Some(date) => Value::String(format_local(date)),
            None => self.unset_date(),
        }
    }

    pub fn unset_date(&self) -> Value {
        match self.config.sentinel_mode {
            crate::config::SentinelMode::Legacy => Value::String("0001-01-01T00:00:00".into()),
            crate::config::SentinelMode::Strict => Value::Null,
        }
    }
}

pub(crate) fn format_local(date: OffsetDateTime) -> String {
    date.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"))
        .unwrap_or_else(|_| "0001-01-01T00:00:00".into())
}

fn enter_status(store: &mut StoreState, status: i32, at: OffsetDateTime) {
    store.status = status;
    store.since = at;
    if status != assumptions::STATUS_REJECTED && status != 90 {
        store.error_message = None;
    }
    match status {
        assumptions::STATUS_IN_DELIVERY => store.delivery_date = Some(at),
        assumptions::STATUS_DELIVERED => {
            store.delivery_date = Some(at);
            store.first_delivery_date.get_or_insert(at);
        }
        assumptions::STATUS_LIVE => store.date_live = Some(at),
        _ => {}
    }
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
