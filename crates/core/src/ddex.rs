//! DDEX delivery: ERN messages for one release and one DSP profile, assembled from the
//! catalog (release, tracks, credits, file facts, deals compiled from the stored rights), the
//! DDEX settings (sender and recipient parties, schema folder) kept in `catalog_meta`, batch
//! export and takedowns. Generation itself is `catno-ddex`; this module only gathers facts.
//!
//! Determinism: unless a message id or creation time is injected, both are derived from the
//! catalog state (the time from the newest `updated_at` of the release and its tracks, the id
//! from a hash of the whole message input), so the same catalog gives byte-identical XML.
//!
//! Findings keep `catno-ddex`'s field (`track[2].isrc`) and add a [`FindingTarget`] naming the
//! catalog place to fix (release field, track id and field, label, DDEX setting, rights).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use catno_ddex::{
    AudioCodec, AudioTechnical, DdexError, DspProfile, ErnVersion, ImageCodec, ImageTechnical,
    MessageHeaderInput, ReleaseMessageInput, ResourceFile, SchemaValidator, TrackInput,
};
use catno_domain::{Artist, AssetKind, FieldError, Release};
use catno_rights::StoreId;
use serde::{Deserialize, Serialize};

use crate::{Catalog, ChangedEntity, Error, Result};

pub use catno_ddex as ern;

/// The store generic profiles compile deals for unless told otherwise: no store-scoped rule
/// names it, so it yields the store-independent rules.
pub const ANY_STORE: &str = "any-store";
/// The environment variable naming a schema folder (`ern43/`, `ern382/`) when none is set.
pub const SCHEMAS_ENV: &str = "CATNO_DDEX_SCHEMAS";

const KEY_SENDER_DPID: &str = "ddex.sender_dpid";
const KEY_SENDER_NAME: &str = "ddex.sender_name";
const KEY_SCHEMA_DIR: &str = "ddex.schema_dir";
const KEY_TEST: &str = "ddex.test_messages";
const RECIPIENT_PREFIX: &str = "ddex.recipient.";

/// A DSP profile as the profile picker and `catno ddex profiles` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexProfileInfo {
    pub id: String,
    pub name: String,
    /// `4.3` or `3.8.2`.
    pub ern_version: String,
    /// The store whose rights the deals are compiled from (generic profiles: a default).
    pub store: String,
    /// Whether another store may be chosen (generic profiles).
    pub store_selectable: bool,
    pub purge_accepted: bool,
    pub lead_days_new: u32,
    pub lead_days_update: u32,
    pub sources: String,
}

/// The DDEX parties and the schema folder of this catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexSettings {
    /// The sender's DPID; unset: the release label's DPID.
    pub sender_dpid: Option<String>,
    /// Unset: the release label's name.
    pub sender_name: Option<String>,
    /// Folder with `ern43/` and `ern382/` XSDs; unset: `CATNO_DDEX_SCHEMAS`.
    pub schema_dir: Option<String>,
    /// Marks messages `TestMessage` (DSP onboarding).
    pub test_messages: bool,
    /// One per profile, in profile order.
    pub recipients: Vec<DdexRecipient>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexRecipient {
    pub profile_id: String,
    pub dpid: Option<String>,
    pub name: Option<String>,
}

/// A change to the settings: `None` leaves a value alone, an empty string clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexSettingsUpdate {
    pub sender_dpid: Option<String>,
    pub sender_name: Option<String>,
    pub schema_dir: Option<String>,
    pub test_messages: Option<bool>,
    pub recipients: Vec<DdexRecipient>,
}

/// What to generate for: a profile, and for generic profiles the store whose rights apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexOptions {
    pub profile_id: String,
    /// Default: the profile's store (`spotify`, `youtube`; generic profiles: [`ANY_STORE`]).
    pub store: Option<String>,
    /// Injected message id; default derived from the message content.
    pub message_id: Option<String>,
    /// Injected creation time (RFC 3339); default the newest edit of the release.
    pub created: Option<String>,
}

impl DdexOptions {
    pub fn profile(profile_id: &str) -> Self {
        DdexOptions { profile_id: profile_id.to_owned(), store: None, message_id: None, created: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DdexSeverity {
    Error,
    Warning,
}

/// The catalog place a finding is about, for the editor to focus it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FindingTarget {
    /// A release field (`upc`, `genre`, `artists`, `artwork`, `tracks`...).
    #[serde(rename_all = "camelCase")]
    Release { field: String },
    /// A field of the track at 1-based `position` (`isrc`, `duration_ms`, `audio`...).
    #[serde(rename_all = "camelCase")]
    Track { track_id: i64, position: u32, field: String },
    #[serde(rename_all = "camelCase")]
    Label { label_id: i64, field: String },
    /// A DDEX setting (`sender_dpid`, `recipients.spotify.dpid`, `schema_dir`).
    #[serde(rename_all = "camelCase")]
    Settings { field: String },
    /// The release's territory rights.
    #[serde(rename_all = "camelCase")]
    Rights {},
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexFinding {
    pub severity: DdexSeverity,
    pub message: String,
    /// catno-ddex's name for it (`track[2].isrc`, `xml:line 12`).
    pub field: String,
    pub target: Option<FindingTarget>,
    /// The release it is about (batches hold several).
    pub release_id: Option<i64>,
}

impl DdexFinding {
    pub fn is_error(&self) -> bool {
        self.severity == DdexSeverity::Error
    }
}

impl std::fmt::Display for DdexFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            DdexSeverity::Error => "error",
            DdexSeverity::Warning => "warning",
        };
        match self.release_id {
            Some(id) => write!(f, "{level}: release {id}: {}: {}", self.field, self.message),
            None => write!(f, "{level}: {}: {}", self.field, self.message),
        }
    }
}

/// One generated message (or why it could not be generated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexMessage {
    pub release_id: i64,
    pub profile_id: String,
    pub ern_version: String,
    pub store: String,
    pub message_id: String,
    pub created: String,
    /// `None` when an error finding refused generation.
    pub xml: Option<String>,
    pub findings: Vec<DdexFinding>,
}

impl DdexMessage {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(DdexFinding::is_error)
    }
}

/// What validating one message found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexValidation {
    /// `4.3` or `3.8.2`; `None` when the namespace is neither.
    pub ern_version: Option<String>,
    /// Whether the XSD ran (a schema folder was configured).
    pub xsd_checked: bool,
    pub findings: Vec<DdexFinding>,
}

impl DdexValidation {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(DdexFinding::is_error)
    }
}

/// A batch export: written only when no message has an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexExport {
    pub batch_id: String,
    pub written: bool,
    /// `<out>/<batch_id>` when written.
    pub root: Option<String>,
    pub manifest: Option<String>,
    pub releases: Vec<DdexExportedRelease>,
    pub findings: Vec<DdexFinding>,
    pub xsd_checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexExportedRelease {
    pub release_id: i64,
    /// The release folder (its ICPN).
    pub folder: String,
    pub message_id: String,
    pub resources: Vec<String>,
}

/// Every known profile.
pub fn ddex_profiles() -> Vec<DdexProfileInfo> {
    catno_ddex::profiles()
        .iter()
        .map(|p| DdexProfileInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            ern_version: ern_label(p.ern).to_owned(),
            store: default_store(p).to_owned(),
            store_selectable: store_selectable(p),
            purge_accepted: p.purge_accepted,
            lead_days_new: p.lead_days_new,
            lead_days_update: p.lead_days_update,
            sources: p.sources.clone(),
        })
        .collect()
}

fn ern_label(version: ErnVersion) -> &'static str {
    match version {
        ErnVersion::Ern43 => "4.3",
        ErnVersion::Ern382 => "3.8.2",
    }
}

fn store_selectable(profile: &DspProfile) -> bool {
    profile.id.starts_with("generic")
}

fn default_store(profile: &DspProfile) -> &str {
    if store_selectable(profile) { ANY_STORE } else { profile.id.as_str() }
}

/// `PADPIDA` followed by 11 letters or digits (every DPID DDEX issues has that shape; the
/// XSD pattern only requires one or more). Returns the trimmed, upper-cased DPID.
pub fn check_dpid(field: &str, raw: &str) -> Result<String, FieldError> {
    let dpid = raw.trim().to_ascii_uppercase();
    let ok = dpid
        .strip_prefix("PADPIDA")
        .is_some_and(|rest| rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(dpid)
    } else {
        Err(FieldError::new(
            field,
            format!(
                "{:?} is not a DDEX Party ID: expected PADPIDA followed by 11 letters or digits, e.g. PADPIDA2014120301T",
                raw.trim()
            ),
        ))
    }
}

fn recipient_key(profile: &str, what: &str) -> String {
    format!("{RECIPIENT_PREFIX}{profile}.{what}")
}

/// Lowercase hex FNV-1a 64 of `bytes`: a stable content fingerprint for message ids.
fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `2026-12-02T20:23:17.123Z` -> `2026-12-02T20:23:17Z` (whole seconds, as DSPs expect).
fn whole_seconds(stamp: &str) -> String {
    match stamp.get(..19) {
        Some(head) if stamp.len() > 19 => format!("{head}Z"),
        _ => stamp.to_owned(),
    }
}

/// Which catalog place a catno-ddex field names.
fn target_of(field: &str, ctx: &TargetContext) -> Option<FindingTarget> {
    let head = |rest: &str| rest.split(['.', '[']).next().unwrap_or(rest).to_owned();
    if let Some(rest) = field.strip_prefix("release.") {
        return Some(FindingTarget::Release { field: head(rest) });
    }
    if let Some(rest) = field.strip_prefix("track[") {
        let (index, rest) = rest.split_once(']')?;
        let index: usize = index.parse().ok()?;
        let track_id = *ctx.track_ids.get(index)?;
        let field = head(rest.trim_start_matches('.'));
        if field == "deals" {
            return Some(FindingTarget::Rights {});
        }
        return Some(FindingTarget::Track { track_id, position: index as u32 + 1, field });
    }
    match field {
        "header.sender_dpid" => Some(FindingTarget::Settings { field: "sender_dpid".into() }),
        "header.sender_name" => Some(FindingTarget::Settings { field: "sender_name".into() }),
        "header.recipient_dpid" => {
            Some(FindingTarget::Settings { field: format!("recipients.{}.dpid", ctx.profile_id) })
        }
        "header.recipient_name" => {
            Some(FindingTarget::Settings { field: format!("recipients.{}.name", ctx.profile_id) })
        }
        "schema_dir" => Some(FindingTarget::Settings { field: "schema_dir".into() }),
        "label_dpid" => Some(FindingTarget::Label { label_id: ctx.label_id, field: "dpid".into() }),
        "tracks" => Some(FindingTarget::Release { field: "tracks".into() }),
        f if f.starts_with("artwork") => Some(FindingTarget::Release { field: "artwork".into() }),
        f if f.starts_with("deals") => Some(FindingTarget::Rights {}),
        _ => None,
    }
}

struct TargetContext {
    release_id: i64,
    label_id: i64,
    profile_id: String,
    track_ids: Vec<i64>,
}

impl TargetContext {
    fn finding(&self, f: &catno_ddex::Finding) -> DdexFinding {
        DdexFinding {
            severity: if f.is_error() { DdexSeverity::Error } else { DdexSeverity::Warning },
            message: f.message.clone(),
            field: f.field.clone(),
            target: target_of(&f.field, self),
            release_id: Some(self.release_id),
        }
    }
}

fn plain_finding(f: &catno_ddex::Finding, release_id: Option<i64>) -> DdexFinding {
    DdexFinding {
        severity: if f.is_error() { DdexSeverity::Error } else { DdexSeverity::Warning },
        message: f.message.clone(),
        field: f.field.clone(),
        target: None,
        release_id,
    }
}

/// Facts of one audio file (cached by path, size and modification time: probing decodes the
/// whole file).
#[derive(Debug, Clone)]
struct AudioFacts {
    md5: String,
    codec: String,
    float: bool,
    sample_rate: u32,
    bit_depth: Option<u32>,
    channels: u32,
    duration_ms: u64,
}

type AudioCache = Mutex<BTreeMap<(PathBuf, u64, Option<std::time::SystemTime>), AudioFacts>>;

fn audio_cache() -> &'static AudioCache {
    static CACHE: OnceLock<AudioCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

fn probe_audio(path: &Path) -> Result<AudioFacts> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    let key = (path.to_owned(), meta.len(), meta.modified().ok());
    if let Ok(cache) = audio_cache().lock()
        && let Some(hit) = cache.get(&key)
    {
        return Ok(hit.clone());
    }
    let report = catno_media::analyze_audio(path)?;
    let facts = AudioFacts {
        md5: report.md5,
        codec: report.codec,
        float: report.float,
        sample_rate: report.sample_rate,
        bit_depth: report.bit_depth,
        channels: report.channels,
        duration_ms: report.duration_ms,
    };
    if let Ok(mut cache) = audio_cache().lock() {
        cache.insert(key, facts.clone());
    }
    Ok(facts)
}

fn audio_codec(facts: &AudioFacts) -> Option<AudioCodec> {
    match facts.codec.as_str() {
        "flac" => Some(AudioCodec::Flac),
        "mp3" => Some(AudioCodec::Mp3),
        "aac" => Some(AudioCodec::Aac),
        c if c.starts_with("pcm_") && !facts.float => Some(AudioCodec::Pcm),
        _ => None,
    }
}

fn extension(path: &Path, fallback: &str) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| fallback.to_owned())
}

/// A message input gathered from the catalog, with the files it names.
struct Assembled {
    input: ReleaseMessageInput,
    resources: Vec<ResourceFile>,
    /// Problems found while gathering (missing audio, unreadable files).
    findings: Vec<DdexFinding>,
    ctx: TargetContext,
    store: String,
}

impl Catalog {
    pub fn ddex_profiles(&self) -> Vec<DdexProfileInfo> {
        ddex_profiles()
    }

    pub async fn ddex_settings(&self) -> Result<DdexSettings> {
        let mut conn = self.db().read().await?;
        let sender_dpid = catno_db::get_setting(&mut conn, KEY_SENDER_DPID).await?;
        let sender_name = catno_db::get_setting(&mut conn, KEY_SENDER_NAME).await?;
        let schema_dir = catno_db::get_setting(&mut conn, KEY_SCHEMA_DIR).await?;
        let test_messages = catno_db::get_setting(&mut conn, KEY_TEST).await?.is_some_and(|v| v == "true");
        let stored = catno_db::settings_with_prefix(&mut conn, RECIPIENT_PREFIX).await?;
        let lookup = |profile: &str, what: &str| {
            let key = recipient_key(profile, what);
            stored.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
        };
        let recipients = catno_ddex::profiles()
            .iter()
            .map(|p| DdexRecipient {
                profile_id: p.id.clone(),
                dpid: lookup(&p.id, "dpid"),
                name: lookup(&p.id, "name"),
            })
            .collect();
        Ok(DdexSettings { sender_dpid, sender_name, schema_dir, test_messages, recipients })
    }

    /// Checks every value first (DPIDs by format, profiles by id), then stores them all in one
    /// transaction.
    pub async fn set_ddex_settings(&self, update: &DdexSettingsUpdate) -> Result<DdexSettings> {
        let clean = |v: &Option<String>| v.as_ref().map(|v| v.trim().to_owned());
        let mut writes: Vec<(String, Option<String>)> = Vec::new();
        if let Some(dpid) = clean(&update.sender_dpid) {
            let value = if dpid.is_empty() { None } else { Some(check_dpid("sender_dpid", &dpid)?) };
            writes.push((KEY_SENDER_DPID.to_owned(), value));
        }
        if let Some(name) = clean(&update.sender_name) {
            writes.push((KEY_SENDER_NAME.to_owned(), Some(name).filter(|n| !n.is_empty())));
        }
        if let Some(dir) = clean(&update.schema_dir) {
            if !dir.is_empty() && !Path::new(&dir).is_dir() {
                return Err(FieldError::new("schema_dir", format!("{dir}: no such folder")).into());
            }
            writes.push((KEY_SCHEMA_DIR.to_owned(), Some(dir).filter(|d| !d.is_empty())));
        }
        if let Some(test) = update.test_messages {
            writes.push((KEY_TEST.to_owned(), test.then(|| "true".to_owned())));
        }
        for r in &update.recipients {
            catno_ddex::profile(&r.profile_id)?;
            if let Some(dpid) = clean(&r.dpid) {
                let field = format!("recipients.{}.dpid", r.profile_id);
                let value = if dpid.is_empty() { None } else { Some(check_dpid(&field, &dpid)?) };
                writes.push((recipient_key(&r.profile_id, "dpid"), value));
            }
            if let Some(name) = clean(&r.name) {
                writes.push((recipient_key(&r.profile_id, "name"), Some(name).filter(|n| !n.is_empty())));
            }
        }
        let mut tx = self.db().begin().await?;
        for (key, value) in &writes {
            catno_db::set_setting(&mut tx, key, value.as_deref()).await?;
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Catalog, vec![]);
        self.ddex_settings().await
    }

    /// The schema folder: the setting, else `CATNO_DDEX_SCHEMAS`, else the schema cache
    /// (`ddex_schemas::set_cache_dir`) when a download is there.
    pub async fn ddex_schema_dir(&self) -> Result<Option<PathBuf>> {
        let configured = self.ddex_settings().await?.schema_dir.map(PathBuf::from);
        Ok(crate::ddex_schemas::locate(configured).0)
    }

    /// The schema folder in use, why, and whether each version's set there loads.
    pub async fn ddex_schema_overview(&self) -> Result<crate::ddex_schemas::SchemaOverview> {
        let configured = self.ddex_settings().await?.schema_dir.map(PathBuf::from);
        crate::ddex_schemas::overview(configured).await
    }

    /// Downloads DDEX's published schemas into the schema cache (validation then uses them
    /// unless a folder is configured).
    pub async fn fetch_ddex_schemas(&self) -> Result<crate::ddex_schemas::SchemaOverview> {
        let dir = crate::ddex_schemas::cache_dir()
            .ok_or_else(|| Error::Invalid("no schema cache folder is set up".into()))?;
        crate::ddex_schemas::fetch_official(&dir).await?;
        self.ddex_schema_overview().await
    }

    /// The release as a `NewReleaseMessage` for one profile. Errors in the catalog data are
    /// findings (with `xml: None`), not an `Err`.
    pub async fn ddex_message(&self, release_id: i64, options: &DdexOptions) -> Result<DdexMessage> {
        let profile = catno_ddex::profile(&options.profile_id)?;
        let assembled = self.assemble(release_id, profile, options, "new").await?;
        Ok(finish(assembled, profile, |input| catno_ddex::generate(input, profile)))
    }

    /// A takedown of the whole release in the profile's style, effective `from` (YYYY-MM-DD;
    /// default the message date).
    pub async fn ddex_takedown(
        &self,
        release_id: i64,
        options: &DdexOptions,
        from: Option<&str>,
    ) -> Result<DdexMessage> {
        let profile = catno_ddex::profile(&options.profile_id)?;
        let salt = format!("takedown:{}", from.unwrap_or(""));
        let mut assembled = self.assemble(release_id, profile, options, &salt).await?;
        // A takedown always follows an earlier delivery (3.8.2 says so in UpdateIndicator).
        assembled.input.header.update = true;
        Ok(finish(assembled, profile, |input| catno_ddex::takedown(input, profile, from)))
    }

    /// XSD (when a schema folder is configured) and reference checks of one message.
    pub async fn validate_ddex(&self, xml: &str) -> Result<DdexValidation> {
        let schema_dir = self.ddex_schema_dir().await?;
        let xml = xml.to_owned();
        blocking(move || validate_ern(&xml, schema_dir.as_deref())).await?
    }

    /// [`Catalog::validate_ddex`] for several messages, each schema loaded once.
    pub async fn validate_ddex_many(&self, xmls: Vec<String>) -> Result<Vec<DdexValidation>> {
        let schema_dir = self.ddex_schema_dir().await?;
        blocking(move || validate_ern_many(&xmls, schema_dir.as_deref())).await?
    }

    /// Generates, validates and writes a batch folder (`<out_dir>/<batch_id>`) for the
    /// releases; writes nothing when any message has an error.
    pub async fn export_ddex_batch(
        &self,
        release_ids: &[i64],
        options: &DdexOptions,
        out_dir: &Path,
        batch_id: Option<&str>,
    ) -> Result<DdexExport> {
        if release_ids.is_empty() {
            return Err(Error::Invalid("a batch needs at least one release".into()));
        }
        let profile = catno_ddex::profile(&options.profile_id)?;
        let mut messages = Vec::new();
        let mut findings = Vec::new();
        for &release_id in release_ids {
            let assembled = self.assemble(release_id, profile, options, "new").await?;
            let resources = assembled.resources.clone();
            let message = finish(assembled, profile, |input| catno_ddex::generate(input, profile));
            findings.extend(message.findings.iter().cloned());
            messages.push((message, resources));
        }
        let batch_id = match batch_id {
            Some(id) => id.to_owned(),
            None => derived_batch_id(messages.iter().map(|(m, _)| m.created.as_str())),
        };
        let mut export = DdexExport {
            batch_id: batch_id.clone(),
            written: false,
            root: None,
            manifest: None,
            releases: Vec::new(),
            findings,
            xsd_checked: false,
        };
        if export.findings.iter().any(DdexFinding::is_error) {
            return Ok(export);
        }

        let schema_dir = self.ddex_schema_dir().await?;
        let version = profile.ern;
        let xmls: Vec<(i64, String)> =
            messages.iter().filter_map(|(m, _)| m.xml.clone().map(|x| (m.release_id, x))).collect();
        let (xsd_checked, validation) = blocking(move || -> Result<(bool, Vec<DdexFinding>)> {
            let mut validator = match &schema_dir {
                Some(dir) => Some(SchemaValidator::for_version(dir, version)?),
                None => None,
            };
            let mut out = Vec::new();
            for (release_id, xml) in &xmls {
                if let Some(v) = validator.as_mut() {
                    out.extend(v.validate(xml)?.iter().map(|f| plain_finding(f, Some(*release_id))));
                }
                out.extend(
                    catno_ddex::check_references(xml)?.iter().map(|f| plain_finding(f, Some(*release_id))),
                );
            }
            Ok((validator.is_some(), out))
        })
        .await??;
        export.xsd_checked = xsd_checked;
        if !xsd_checked {
            export.findings.push(no_schema_finding());
        }
        export.findings.extend(validation);
        if export.findings.iter().any(DdexFinding::is_error) {
            return Ok(export);
        }

        let batch: Vec<(String, Vec<ResourceFile>)> =
            messages.iter().filter_map(|(m, r)| m.xml.clone().map(|x| (x, r.clone()))).collect();
        let out_dir = out_dir.to_owned();
        let batch_for_write = batch_id.clone();
        let summary = blocking(move || catno_ddex::write_batch(&out_dir, &batch_for_write, &batch)).await??;
        export.written = true;
        // The batch is on disk whatever happens here; a lost history entry only costs the diff.
        let exported: Vec<&DdexMessage> = messages.iter().map(|(m, _)| m).collect();
        if let Err(error) = self.record_ddex_exports(&batch_id, &exported).await {
            export.findings.push(DdexFinding {
                severity: DdexSeverity::Warning,
                message: format!("batch written, but not recorded as the last export: {error}"),
                field: "ddex_exports".into(),
                target: None,
                release_id: None,
            });
        }
        export.root = Some(summary.root.display().to_string());
        export.manifest = Some(summary.manifest.display().to_string());
        export.releases = messages
            .iter()
            .zip(summary.releases)
            .map(|((m, r), folder)| DdexExportedRelease {
                release_id: m.release_id,
                folder,
                message_id: m.message_id.clone(),
                resources: r.iter().map(|f| f.file_name.clone()).collect(),
            })
            .collect();
        Ok(export)
    }

    /// Audio facts of the release's assets (by asset id) from stored QC analyses whose file has
    /// not changed since. Best effort: no stored QC means probing.
    async fn stored_audio_facts(&self, release_id: i64) -> BTreeMap<i64, AudioFacts> {
        let Some(profile) = catno_media::profiles().first() else { return BTreeMap::new() };
        let Ok(qc) = self.stored_release_qc(release_id, &profile.id).await else { return BTreeMap::new() };
        qc.files
            .into_iter()
            .filter(|f| f.kind == crate::qc::MediaKind::Audio && f.error.is_none())
            .filter_map(|f| {
                let audio = f.audio?;
                Some((
                    f.asset_id?,
                    AudioFacts {
                        md5: f.md5.unwrap_or(audio.md5),
                        codec: audio.codec,
                        float: audio.float,
                        sample_rate: audio.sample_rate,
                        bit_depth: audio.bit_depth,
                        channels: audio.channels,
                        duration_ms: audio.duration_ms,
                    },
                ))
            })
            .collect()
    }

    /// Gathers everything a message about `release_id` needs.
    async fn assemble(
        &self,
        release_id: i64,
        profile: &DspProfile,
        options: &DdexOptions,
        salt: &str,
    ) -> Result<Assembled> {
        let settings = self.ddex_settings().await?;
        let mut conn = self.db().read().await?;
        let release: Release = catno_db::get_release(&mut conn, release_id).await?;
        let summaries = catno_db::list_release_tracks(&mut conn, release_id, 0, i64::MAX).await?.items;
        let mut tracks = Vec::with_capacity(summaries.len());
        for s in &summaries {
            tracks.push((s.disc_number, s.track_number, catno_db::get_track(&mut conn, s.id).await?));
        }
        let assets = catno_db::release_assets(&mut conn, release_id).await?;
        let label = catno_db::list_labels(&mut conn).await?.into_iter().find(|l| l.id == release.label_id);
        let mut artist_ids: Vec<i64> = release
            .artists
            .iter()
            .map(|c| c.artist_id)
            .chain(tracks.iter().flat_map(|(_, _, t)| t.contributors.iter().map(|c| c.artist_id)))
            .collect();
        artist_ids.sort_unstable();
        artist_ids.dedup();
        let mut artists: Vec<Artist> = Vec::with_capacity(artist_ids.len());
        for id in artist_ids {
            artists.push(catno_db::get_artist(&mut conn, id).await?);
        }
        drop(conn);

        let store_text = options.store.clone().unwrap_or_else(|| default_store(profile).to_owned());
        let store = StoreId::parse(&store_text)?;
        let (rights, groups, _) = self.rights_inputs(release_id).await?;
        let mut deals = catno_rights::compile_ddex(&rights, &groups, &store)?;
        if let Some(street) = release.release_date.as_deref().and_then(|d| catno_rights::parse_date(d).ok()) {
            start_at_street_date(&mut deals, street);
        }

        let ctx = TargetContext {
            release_id,
            label_id: release.label_id,
            profile_id: profile.id.clone(),
            track_ids: tracks.iter().map(|(_, _, t)| t.id).collect(),
        };
        let stem =
            release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_else(|| format!("R{release_id}"));

        // File facts: from the stored QC analyses when the file is unchanged since, else probed
        // off the async runtime (audio analysis decodes every sample).
        let audio_assets: Vec<Option<(i64, PathBuf)>> = tracks
            .iter()
            .map(|(_, _, t)| {
                assets
                    .iter()
                    .find(|a| a.kind == AssetKind::Audio && a.track_id == Some(t.id))
                    .map(|a| (a.id, PathBuf::from(&a.path)))
            })
            .collect();
        let mut stored = self.stored_audio_facts(release_id).await;
        let audio_paths: Vec<Option<PathBuf>> =
            audio_assets.iter().map(|a| a.as_ref().map(|(_, p)| p.clone())).collect();
        let known: Vec<Option<AudioFacts>> =
            audio_assets.iter().map(|a| a.as_ref().and_then(|(id, _)| stored.remove(id))).collect();
        let artwork_path = assets
            .iter()
            .find(|a| a.kind == AssetKind::Artwork && a.release_id == Some(release_id))
            .map(|a| PathBuf::from(&a.path));
        let probe_paths = audio_paths.clone();
        let art_for_probe = artwork_path.clone();
        type Probed = (Vec<Option<Result<AudioFacts>>>, Option<Result<(catno_media::ArtworkReport, String)>>);
        let (audio_facts, artwork_facts): Probed = blocking(move || {
            let audio = probe_paths
                .iter()
                .zip(known)
                .map(|(p, known)| match known {
                    Some(facts) => Some(Ok(facts)),
                    None => p.as_deref().map(probe_audio),
                })
                .collect();
            let art = art_for_probe.as_deref().map(|p| -> Result<_> {
                let report = catno_media::inspect_artwork(p)?;
                let (md5, _, _) = catno_media::hash_file_md5_sha256(p)?;
                Ok((report, md5))
            });
            (audio, art)
        })
        .await?;

        let mut findings = Vec::new();
        let mut resources = Vec::new();
        let mut track_inputs = Vec::with_capacity(tracks.len());
        for (i, ((disc, number, track), (path, facts))) in
            tracks.into_iter().zip(audio_paths.iter().zip(audio_facts)).enumerate()
        {
            let field = format!("track[{i}].audio");
            let mut problem = |message: String| {
                findings.push(DdexFinding {
                    severity: DdexSeverity::Error,
                    message,
                    field: field.clone(),
                    target: target_of(&field, &ctx),
                    release_id: Some(release_id),
                })
            };
            let disc = u32::try_from(disc).unwrap_or(0);
            let number = u32::try_from(number).unwrap_or(0);
            let audio = match (path, facts) {
                (None, _) | (_, None) => {
                    problem("the track has no audio file to deliver".to_owned());
                    None
                }
                (Some(_), Some(Err(e))) => {
                    problem(format!("cannot read the audio file: {e}"));
                    None
                }
                (Some(path), Some(Ok(facts))) => match audio_codec(&facts) {
                    None => {
                        problem(format!(
                            "{}: {} audio cannot be delivered (use FLAC or integer PCM WAV)",
                            path.display(),
                            facts.codec
                        ));
                        None
                    }
                    Some(codec) => {
                        let file_name = format!("{stem}_{disc:02}_{number:03}.{}", extension(path, "wav"));
                        resources.push(ResourceFile {
                            source_path: path.clone(),
                            file_name: file_name.clone(),
                            md5: facts.md5.clone(),
                        });
                        Some(AudioTechnical {
                            file_name,
                            md5: facts.md5,
                            codec,
                            bit_depth: facts.bit_depth.unwrap_or(0),
                            sample_rate: facts.sample_rate,
                            channels: facts.channels,
                            duration_ms: facts.duration_ms,
                        })
                    }
                },
            };
            track_inputs.push(TrackInput { track, disc, number, audio });
        }

        let mut artwork_problem = |message: String| {
            findings.push(DdexFinding {
                severity: DdexSeverity::Error,
                message,
                field: "artwork".into(),
                target: Some(FindingTarget::Release { field: "artwork".into() }),
                release_id: Some(release_id),
            })
        };
        let artwork = match (&artwork_path, artwork_facts) {
            (None, _) | (_, None) => {
                artwork_problem("the release has no cover art".to_owned());
                None
            }
            (Some(_), Some(Err(e))) => {
                artwork_problem(format!("cannot read the cover art: {e}"));
                None
            }
            (Some(path), Some(Ok((report, md5)))) => {
                let codec = match report.format.as_str() {
                    "jpeg" => Some(ImageCodec::Jpeg),
                    "png" => Some(ImageCodec::Png),
                    "tiff" => Some(ImageCodec::Tiff),
                    _ => None,
                };
                match codec {
                    None => {
                        artwork_problem(format!(
                            "{}: {} cover art cannot be delivered (use JPEG, PNG or TIFF)",
                            path.display(),
                            report.format
                        ));
                        None
                    }
                    Some(codec) => {
                        let file_name = format!("{stem}_cover.{}", extension(path, "png"));
                        resources.push(ResourceFile {
                            source_path: path.clone(),
                            file_name: file_name.clone(),
                            md5: md5.clone(),
                        });
                        Some(ImageTechnical {
                            file_name,
                            md5,
                            width: report.width,
                            height: report.height,
                            codec,
                        })
                    }
                }
            }
        };

        let recipient = settings.recipients.iter().find(|r| r.profile_id == profile.id);
        let created = match &options.created {
            Some(c) => c.clone(),
            None => {
                let newest = track_inputs
                    .iter()
                    .map(|t| t.track.updated_at.as_str())
                    .chain([release.updated_at.as_str()])
                    .max()
                    .unwrap_or_default()
                    .to_owned();
                whole_seconds(&newest)
            }
        };
        let header = MessageHeaderInput {
            sender_dpid: settings
                .sender_dpid
                .clone()
                .or_else(|| label.as_ref().and_then(|l| l.dpid.clone()))
                .unwrap_or_default(),
            sender_name: settings.sender_name.clone().unwrap_or_else(|| release.label_name.clone()),
            recipient_dpid: recipient.and_then(|r| r.dpid.clone()).unwrap_or_default(),
            recipient_name: recipient.and_then(|r| r.name.clone()).unwrap_or_else(|| profile.name.clone()),
            message_id: String::new(),
            created,
            test: settings.test_messages,
            update: false,
        };
        if header.sender_dpid.is_empty() {
            findings.push(DdexFinding {
                severity: DdexSeverity::Error,
                message: "no sender DPID: set one in the DDEX settings or give the label a DPID".into(),
                field: "header.sender_dpid".into(),
                target: target_of("header.sender_dpid", &ctx),
                release_id: Some(release_id),
            });
        }
        if header.recipient_dpid.is_empty() {
            findings.push(DdexFinding {
                severity: DdexSeverity::Error,
                message: format!("no recipient DPID for {}: set it in the DDEX settings", profile.name),
                field: "header.recipient_dpid".into(),
                target: target_of("header.recipient_dpid", &ctx),
                release_id: Some(release_id),
            });
        }
        let mut input = ReleaseMessageInput {
            header,
            label_dpid: label.and_then(|l| l.dpid),
            release,
            tracks: track_inputs,
            artwork,
            deals,
            artists,
        };
        input.header.message_id = match &options.message_id {
            Some(id) => id.clone(),
            None => {
                let content = serde_json::to_vec(&(&input, &profile.id, salt))
                    .map_err(|e| Error::Invalid(format!("cannot fingerprint the message: {e}")))?;
                format!("CATNO-{release_id}-{}", fingerprint(&content))
            }
        };
        Ok(Assembled { input, resources, findings, ctx, store: store_text })
    }
}

/// Deals the rights leave open-started ("from receipt") start on the release's street date
/// instead: without a rule, delivering early must not put a release live before its date.
fn start_at_street_date(deals: &mut catno_rights::DdexDeals, street: time::Date) {
    let all =
        deals.release_deals.iter_mut().chain(deals.track_deals.iter_mut().flat_map(|t| t.deals.iter_mut()));
    for deal in all {
        if deal.start.is_none() && deal.end.is_none_or(|end| end >= street) {
            deal.start = Some(street);
        }
    }
}

fn finish(
    assembled: Assembled,
    profile: &DspProfile,
    generate: impl FnOnce(&ReleaseMessageInput) -> Result<catno_ddex::Generated, DdexError>,
) -> DdexMessage {
    let Assembled { input, findings: mut gathered, ctx, store, .. } = assembled;
    let mut message = DdexMessage {
        release_id: ctx.release_id,
        profile_id: profile.id.clone(),
        ern_version: ern_label(profile.ern).to_owned(),
        store,
        message_id: input.header.message_id.clone(),
        created: input.header.created.clone(),
        xml: None,
        findings: Vec::new(),
    };
    let generated = generate(&input);
    let mut findings = match generated {
        Ok(g) => {
            message.xml = Some(g.xml);
            g.findings.iter().map(|f| ctx.finding(f)).collect()
        }
        Err(DdexError::Rejected(list)) => list.iter().map(|f| ctx.finding(f)).collect(),
        Err(DdexError::Invalid { field, message: text }) => {
            vec![ctx.finding(&catno_ddex::Finding::error(field, text))]
        }
        Err(other) => vec![ctx.finding(&catno_ddex::Finding::error("input", other.to_string()))],
    };
    // Our own findings first (they explain the generator's, e.g. an empty DPID); no twins.
    findings.retain(|f| !gathered.iter().any(|g| g.field == f.field && f.is_error()));
    gathered.extend(findings);
    if gathered.iter().any(DdexFinding::is_error) {
        message.xml = None;
    }
    message.findings = gathered;
    message
}

fn no_schema_finding() -> DdexFinding {
    DdexFinding {
        severity: DdexSeverity::Warning,
        message: format!(
            "XSD validation not run: no schema folder set (DDEX settings or {SCHEMAS_ENV}) and none downloaded"
        ),
        field: "schema_dir".into(),
        target: Some(FindingTarget::Settings { field: "schema_dir".into() }),
        release_id: None,
    }
}

/// The ERN version a message declares by its namespace.
pub fn ern_version_of(xml: &str) -> Option<ErnVersion> {
    let head = xml.get(..xml.len().min(4096)).unwrap_or(xml);
    if head.contains("\"http://ddex.net/xml/ern/43\"") {
        Some(ErnVersion::Ern43)
    } else if head.contains("\"http://ddex.net/xml/ern/382\"") {
        Some(ErnVersion::Ern382)
    } else {
        None
    }
}

/// XSD validation (when `schema_dir` is given) and reference checks of one ERN message.
/// Blocking: loads the schema (the 4.3 AVS alone is 3 MB).
pub fn validate_ern(xml: &str, schema_dir: Option<&Path>) -> Result<DdexValidation> {
    validate_ern_with(xml, schema_dir, &mut Vec::new())
}

/// [`validate_ern`] for several messages, loading each version's schema once.
pub fn validate_ern_many(xmls: &[String], schema_dir: Option<&Path>) -> Result<Vec<DdexValidation>> {
    let mut validators = Vec::new();
    xmls.iter().map(|xml| validate_ern_with(xml, schema_dir, &mut validators)).collect()
}

fn validate_ern_with(
    xml: &str,
    schema_dir: Option<&Path>,
    validators: &mut Vec<(ErnVersion, SchemaValidator)>,
) -> Result<DdexValidation> {
    let version = ern_version_of(xml);
    let mut findings = Vec::new();
    let mut xsd_checked = false;
    match (version, schema_dir) {
        (None, _) => findings.push(DdexFinding {
            severity: DdexSeverity::Error,
            message: "not an ERN 4.3 or 3.8.2 message (unknown root namespace)".into(),
            field: "xml".into(),
            target: None,
            release_id: None,
        }),
        (Some(version), Some(dir)) => {
            if !validators.iter().any(|(v, _)| *v == version) {
                validators.push((version, SchemaValidator::for_version(dir, version)?));
            }
            if let Some((_, validator)) = validators.iter_mut().find(|(v, _)| *v == version) {
                findings.extend(validator.validate(xml)?.iter().map(|f| plain_finding(f, None)));
                xsd_checked = true;
            }
        }
        (Some(_), None) => findings.push(no_schema_finding()),
    }
    if version.is_some() {
        findings.extend(catno_ddex::check_references(xml)?.iter().map(|f| plain_finding(f, None)));
    }
    Ok(DdexValidation { ern_version: version.map(|v| ern_label(v).to_owned()), xsd_checked, findings })
}

/// `YYYYMMDDhhmmssnnn` (the choreography's batch id) from the newest message time.
fn derived_batch_id<'a>(created: impl Iterator<Item = &'a str>) -> String {
    let newest = created.max().unwrap_or_default();
    let digits: String = newest.chars().take(19).filter(char::is_ascii_digit).collect();
    format!("{digits:0<14}000")
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Invalid(format!("background task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpids_need_padpida_and_eleven_alphanumerics() {
        assert_eq!(
            check_dpid("sender_dpid", " padpida2014120301t ").ok().as_deref(),
            Some("PADPIDA2014120301T")
        );
        for bad in ["PADPIDA", "PADPIDA123", "PADPIDA2014120301TX", "DPID2014120301T", "PADPIDA2014-20301T"] {
            let err = check_dpid("recipients.spotify.dpid", bad).err();
            assert_eq!(err.map(|e| e.field), Some("recipients.spotify.dpid".to_owned()), "{bad}");
        }
    }

    #[test]
    fn fields_map_to_catalog_places() {
        let ctx = TargetContext {
            release_id: 1,
            label_id: 7,
            profile_id: "spotify".into(),
            track_ids: vec![11, 12],
        };
        assert_eq!(target_of("release.upc", &ctx), Some(FindingTarget::Release { field: "upc".into() }));
        assert_eq!(
            target_of("track[1].isrc", &ctx),
            Some(FindingTarget::Track { track_id: 12, position: 2, field: "isrc".into() })
        );
        assert_eq!(
            target_of("track[0].audio.md5", &ctx),
            Some(FindingTarget::Track { track_id: 11, position: 1, field: "audio".into() })
        );
        assert_eq!(target_of("track[0].deals[2]", &ctx), Some(FindingTarget::Rights {}));
        assert_eq!(target_of("track[5].isrc", &ctx), None);
        assert_eq!(
            target_of("header.recipient_dpid", &ctx),
            Some(FindingTarget::Settings { field: "recipients.spotify.dpid".into() })
        );
        assert_eq!(
            target_of("label_dpid", &ctx),
            Some(FindingTarget::Label { label_id: 7, field: "dpid".into() })
        );
        assert_eq!(target_of("deals.release[0]", &ctx), Some(FindingTarget::Rights {}));
        assert_eq!(target_of("xml:line 4", &ctx), None);
    }

    #[test]
    fn stamps_and_batch_ids_are_derived() {
        assert_eq!(whole_seconds("2026-12-02T20:23:17.123Z"), "2026-12-02T20:23:17Z");
        assert_eq!(whole_seconds("2026-12-02T20:23:17Z"), "2026-12-02T20:23:17Z");
        assert_eq!(
            derived_batch_id(["2026-01-02T03:04:05Z", "2026-12-02T20:23:17Z"].into_iter()),
            "20261202202317000"
        );
        assert_eq!(fingerprint(b"a"), fingerprint(b"a"));
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
    }
}
