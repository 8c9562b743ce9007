//! Audio and artwork QC of files and of a release's assets.
//!
//! A file is hashed, then analysed by catno-media; with a catalog open, both facts are kept:
//! the hashes per path while the file's size and modification time are unchanged
//! (`media_files`), the report per content hash (`media_analyses`). So re-opening a catalog,
//! re-running QC or attaching the same content elsewhere never analyses a file twice, and a
//! file changed on disk is analysed again. Reports keep only a file's intrinsic findings; a
//! target profile's rules are applied when a report is read, so one analysis serves every
//! profile.
//!
//! Files are analysed on every core at once (one blocking task each, at most
//! [`crate::jobs::workers`] in flight); each result is written as it completes, so a crash
//! keeps what was done and a re-run resumes where it stopped.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use catno_db::{NewAsset, SeenFile};
use catno_domain::{Asset, AssetKind, FieldError};
pub use catno_media::{ArtworkReport, AudioReport, Finding, Profile, Severity};
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use crate::jobs::{JobHandle, JobId, JobState, Jobs, workers};
use crate::{Catalog, ChangedEntity, Error, Result};

/// Bumped when catno-media's analysis changes what it measures: older stored reports are then
/// analysed again.
pub const ANALYZER_VERSION: i64 = 1;

/// The profile QC uses when none is named.
pub const DEFAULT_PROFILE: &str = "generic";

/// Which analyser a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Audio,
    Artwork,
}

const IMAGE_EXTENSIONS: &[&str] =
    &["jpg", "jpeg", "jpe", "png", "tif", "tiff", "webp", "gif", "bmp", "heic", "heif", "avif"];

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Artwork => "artwork",
        }
    }

    /// By extension, else by the first bytes (PNG, JPEG, GIF, WebP signatures); else audio,
    /// whose analyser names what it cannot read.
    pub fn of_path(path: &Path) -> MediaKind {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if let Some(ext) = ext {
            return if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                MediaKind::Artwork
            } else {
                MediaKind::Audio
            };
        }
        let mut head = [0u8; 12];
        let read = std::fs::File::open(path).and_then(|mut f| std::io::Read::read(&mut f, &mut head));
        let head = &head[..read.unwrap_or(0)];
        let image = head.starts_with(b"\x89PNG")
            || head.starts_with(&[0xFF, 0xD8, 0xFF])
            || head.starts_with(b"GIF8")
            || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"));
        if image { MediaKind::Artwork } else { MediaKind::Audio }
    }

    fn of_asset(kind: AssetKind) -> MediaKind {
        match kind {
            AssetKind::Audio => MediaKind::Audio,
            AssetKind::Artwork => MediaKind::Artwork,
        }
    }

    fn asset_kind(self) -> AssetKind {
        match self {
            MediaKind::Audio => AssetKind::Audio,
            MediaKind::Artwork => AssetKind::Artwork,
        }
    }
}

/// The QC of one file: its report, and the findings of the chosen profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FileQc {
    pub path: String,
    pub kind: MediaKind,
    pub asset_id: Option<i64>,
    pub track_id: Option<i64>,
    pub sha256: Option<String>,
    pub md5: Option<String>,
    pub size_bytes: Option<i64>,
    /// The report came from the catalog's store, not from a new analysis.
    pub cached: bool,
    /// When the stored report was made (UTC, ISO 8601); `None` without a catalog.
    pub analyzed_at: Option<String>,
    pub audio: Option<AudioReport>,
    pub artwork: Option<ArtworkReport>,
    /// The file's own findings and the profile's, errors first.
    pub findings: Vec<Finding>,
    /// Why the file has no report (missing, unreadable, not a media file, not analysed yet).
    pub error: Option<String>,
}

impl FileQc {
    fn empty(item: &Item) -> FileQc {
        FileQc {
            path: item.display.clone(),
            kind: item.kind,
            asset_id: item.asset_id,
            track_id: item.track_id,
            sha256: None,
            md5: None,
            size_bytes: None,
            cached: false,
            analyzed_at: None,
            audio: None,
            artwork: None,
            findings: Vec::new(),
            error: None,
        }
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub fn has_errors(&self) -> bool {
        self.worst() == Some(Severity::Error)
    }
}

/// The QC of every asset of a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReleaseQc {
    pub release_id: i64,
    pub profile_id: String,
    pub files: Vec<FileQc>,
    /// Files analysed by this run.
    pub analyzed: u32,
    /// Files whose stored report was used.
    pub cached: u32,
    /// The run was cancelled before every file was done; `files` holds those that were.
    pub cancelled: bool,
}

impl ReleaseQc {
    pub fn has_errors(&self) -> bool {
        self.files.iter().any(FileQc::has_errors)
    }
}

/// Whose asset a file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind")]
pub enum AssetOwner {
    Release { id: i64 },
    Track { id: i64 },
}

/// An asset just attached, and the QC job started on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AttachedAsset {
    pub asset: Asset,
    pub job_id: JobId,
}

/// Every built-in QC profile.
pub fn qc_profiles() -> &'static [Profile] {
    catno_media::profiles()
}

/// The built-in profile `id`, or an `Invalid` error naming the known ones.
pub fn qc_profile(id: &str) -> Result<&'static Profile> {
    catno_media::profile(id).ok_or_else(|| {
        let known: Vec<&str> = catno_media::profiles().iter().map(|p| p.id.as_str()).collect();
        FieldError::new("profile", format!("unknown profile \"{id}\"; one of {}", known.join(", "))).into()
    })
}

/// QC of files without a catalog: nothing is cached. Fails on the first file that cannot be
/// read (missing, unreadable, not a media file), naming it.
pub async fn inspect_paths(paths: &[PathBuf], profile_id: &str) -> Result<Vec<FileQc>> {
    let profile = qc_profile(profile_id)?;
    let items = paths.iter().map(|p| Item::from_path(p)).collect::<Result<Vec<_>>>()?;
    Ok(run_files(None, items, profile, None, false).await?.0)
}

impl Catalog {
    /// [`inspect_paths`], keeping and reusing analyses in this catalog.
    pub async fn inspect_paths(&self, paths: &[PathBuf], profile_id: &str) -> Result<Vec<FileQc>> {
        let profile = qc_profile(profile_id)?;
        let items = paths.iter().map(|p| Item::from_path(p)).collect::<Result<Vec<_>>>()?;
        Ok(run_files(Some(self.clone()), items, profile, None, false).await?.0)
    }

    /// QC of every asset of a release (the artwork and the audio of each track) as the job
    /// `job`: progress per file, cancellation between files, and a final state. A file that
    /// cannot be read is a file with an `error`, not a failed job.
    pub async fn qc_release(&self, release_id: i64, profile_id: &str, job: &JobHandle) -> Result<ReleaseQc> {
        let outcome = self.qc_release_inner(release_id, profile_id, job).await;
        match &outcome {
            Ok(qc) if qc.cancelled => job.finish(JobState::Cancelled, "cancelled"),
            Ok(qc) => job.finish(
                JobState::Succeeded,
                &format!("{} files: {} analysed, {} from the store", qc.files.len(), qc.analyzed, qc.cached),
            ),
            Err(e) => job.finish(JobState::Failed, &e.to_string()),
        }
        outcome
    }

    async fn qc_release_inner(
        &self,
        release_id: i64,
        profile_id: &str,
        job: &JobHandle,
    ) -> Result<ReleaseQc> {
        let profile = qc_profile(profile_id)?;
        let items = self.release_items(release_id).await?;
        job.set_total(u32::try_from(items.len()).unwrap_or(u32::MAX));
        let (files, cancelled) = run_files(Some(self.clone()), items, profile, Some(job), true).await?;
        Ok(release_qc(release_id, profile, files, cancelled))
    }

    /// Starts [`Catalog::qc_release`] in the background and returns its job id at once; its
    /// progress goes to `jobs`' subscribers, its results into the catalog.
    pub async fn start_release_qc(&self, jobs: &Jobs, release_id: i64, profile_id: &str) -> Result<JobId> {
        qc_profile(profile_id)?;
        catno_db::release_exists(&mut *self.db().read().await?, release_id).await?;
        let job = jobs.start_for("qc_release", 0, Some(release_id));
        let id = job.id();
        let catalog = self.clone();
        let profile_id = profile_id.to_owned();
        tokio::spawn(async move {
            if let Err(error) = catalog.qc_release(release_id, &profile_id, &job).await {
                tracing::warn!(%error, release_id, "release QC failed");
            }
        });
        Ok(id)
    }

    /// The stored QC of a release's assets, without analysing anything: a file changed since
    /// (or never analysed) has no report and says so in `error`.
    pub async fn stored_release_qc(&self, release_id: i64, profile_id: &str) -> Result<ReleaseQc> {
        let profile = qc_profile(profile_id)?;
        let items = self.release_items(release_id).await?;
        let mut files = Vec::with_capacity(items.len());
        let mut conn = self.db().read().await?;
        for item in items {
            let mut file = FileQc::empty(&item);
            let stat = match stat(&item.path) {
                Ok(stat) => stat,
                Err(e) => {
                    file.error = Some(e.to_string());
                    files.push(file);
                    continue;
                }
            };
            let seen = catno_db::seen_file(&mut conn, &item.key).await?.filter(|s| stat.matches(s));
            let stored = match &seen {
                Some(seen) => catno_db::analysis(&mut conn, &seen.sha256, item.kind.as_str())
                    .await?
                    .filter(|a| a.analyzer_version == ANALYZER_VERSION),
                None => None,
            };
            match (seen, stored) {
                (Some(seen), Some(stored)) => {
                    file.sha256 = Some(seen.sha256);
                    file.md5 = Some(seen.md5);
                    file.size_bytes = Some(seen.size_bytes);
                    file.cached = true;
                    file.analyzed_at = Some(stored.analyzed_at.clone());
                    file.set_report(parse_report(item.kind, &stored.report)?, profile);
                }
                _ => file.error = Some("not analysed since the file last changed; run QC".into()),
            }
            files.push(file);
        }
        Ok(release_qc(release_id, profile, files, false))
    }

    /// Hashes the file at `path`, records it as an asset of `owner` (once: attaching the same
    /// path again updates the asset) and starts its QC as a job on `jobs`.
    pub async fn attach_asset(
        &self,
        jobs: &Jobs,
        owner: AssetOwner,
        path: &Path,
        profile_id: &str,
    ) -> Result<AttachedAsset> {
        let profile = qc_profile(profile_id)?;
        let mut item = Item::from_path(path)?;
        let stat = stat(&item.path)?;
        let seen = hash_blocking(&item).await?;
        let (release_id, track_id) = match owner {
            AssetOwner::Release { id } => (Some(id), None),
            AssetOwner::Track { id } => (None, Some(id)),
        };
        let mut tx = self.db().begin().await?;
        match owner {
            AssetOwner::Release { id } => catno_db::release_exists(&mut tx, id).await?,
            AssetOwner::Track { id } => catno_db::track_exists(&mut tx, id).await?,
        }
        let seen = SeenFile { size_bytes: stat.size, mtime_ns: stat.mtime_ns, ..seen };
        catno_db::record_seen_file(&mut tx, &seen).await?;
        let asset_id = match catno_db::find_asset(&mut tx, &item.key, release_id, track_id).await? {
            Some(id) => {
                catno_db::update_asset_content(&mut tx, id, &seen.sha256, seen.size_bytes).await?;
                id
            }
            None => {
                catno_db::insert_asset(
                    &mut tx,
                    &NewAsset {
                        kind: item.kind.asset_kind(),
                        path: &item.key,
                        sha256: &seen.sha256,
                        size_bytes: seen.size_bytes,
                        release_id,
                        track_id,
                    },
                )
                .await?
            }
        };
        if let Some(id) = release_id {
            catno_db::touch_release(&mut tx, id).await?;
        }
        let asset = catno_db::get_asset(&mut tx, asset_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        match owner {
            AssetOwner::Release { id } => self.announce(ChangedEntity::Release, vec![id]),
            AssetOwner::Track { id } => self.announce(ChangedEntity::Track, vec![id]),
        }

        item.asset_id = Some(asset.id);
        item.track_id = asset.track_id;
        item.asset_sha256 = Some(asset.sha256.clone());
        let job = jobs.start_for("qc_files", 1, release_id);
        let job_id = job.id();
        let catalog = self.clone();
        tokio::spawn(async move {
            match run_files(Some(catalog), vec![item], profile, Some(&job), true).await {
                Ok((_, true)) => job.finish(JobState::Cancelled, "cancelled"),
                Ok(_) => job.finish(JobState::Succeeded, "analysed"),
                Err(e) => job.finish(JobState::Failed, &e.to_string()),
            }
        });
        Ok(AttachedAsset { asset, job_id })
    }

    /// How many analyses the catalog keeps.
    pub async fn stored_analyses(&self) -> Result<i64> {
        Ok(catno_db::count_analyses(&mut *self.db().read().await?).await?)
    }

    async fn release_items(&self, release_id: i64) -> Result<Vec<Item>> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        let assets = catno_db::release_assets(&mut conn, release_id).await?;
        Ok(assets.into_iter().map(Item::from_asset).collect())
    }
}

fn release_qc(release_id: i64, profile: &Profile, files: Vec<FileQc>, cancelled: bool) -> ReleaseQc {
    let count = |cached: bool| {
        u32::try_from(files.iter().filter(|f| f.error.is_none() && f.cached == cached).count()).unwrap_or(0)
    };
    ReleaseQc {
        release_id,
        profile_id: profile.id.clone(),
        analyzed: count(false),
        cached: count(true),
        files,
        cancelled,
    }
}

/// One file to check.
#[derive(Debug, Clone)]
struct Item {
    /// As the user or the catalog named it.
    display: String,
    path: PathBuf,
    /// The path the store knows the file by (absolute).
    key: String,
    kind: MediaKind,
    asset_id: Option<i64>,
    track_id: Option<i64>,
    /// The content the catalog last recorded for the asset.
    asset_sha256: Option<String>,
}

impl Item {
    fn from_path(path: &Path) -> Result<Item> {
        let absolute = std::fs::canonicalize(path).map_err(|e| io_error(path, &e))?;
        if !absolute.is_file() {
            return Err(Error::Io { path: path.display().to_string(), message: "not a file".into() });
        }
        Ok(Item {
            display: path.display().to_string(),
            key: absolute.display().to_string(),
            kind: MediaKind::of_path(&absolute),
            path: absolute,
            asset_id: None,
            track_id: None,
            asset_sha256: None,
        })
    }

    fn from_asset(asset: Asset) -> Item {
        Item {
            display: asset.path.clone(),
            path: PathBuf::from(&asset.path),
            key: asset.path,
            kind: MediaKind::of_asset(asset.kind),
            asset_id: Some(asset.id),
            track_id: asset.track_id,
            asset_sha256: Some(asset.sha256),
        }
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> Error {
    let message = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    Error::Io { path: path.display().to_string(), message }
}

/// Size and modification time: what tells that a file changed.
#[derive(Debug, Clone, Copy)]
struct Stat {
    size: i64,
    mtime_ns: i64,
}

impl Stat {
    fn matches(&self, seen: &SeenFile) -> bool {
        seen.size_bytes == self.size && seen.mtime_ns == self.mtime_ns
    }
}

fn stat(path: &Path) -> Result<Stat> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    Ok(Stat { size: i64::try_from(meta.len()).unwrap_or(i64::MAX), mtime_ns })
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Invalid(format!("media analysis stopped: {e}")))?
}

async fn hash_blocking(item: &Item) -> Result<SeenFile> {
    let path = item.path.clone();
    let key = item.key.clone();
    blocking(move || {
        let (md5, sha256, size) = catno_media::hash_file_md5_sha256(&path)?;
        Ok(SeenFile {
            path: key,
            size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
            mtime_ns: 0,
            sha256,
            md5,
        })
    })
    .await
}

enum Report {
    Audio(Box<AudioReport>),
    Artwork(Box<ArtworkReport>),
}

impl Report {
    fn to_json(&self) -> Result<String> {
        match self {
            Report::Audio(r) => serde_json::to_string(r),
            Report::Artwork(r) => serde_json::to_string(r),
        }
        .map_err(|e| Error::Invalid(format!("cannot store the report: {e}")))
    }

    /// Names `path` in the report and its findings (a stored report may be of a copy).
    fn at_path(mut self, path: &str) -> Report {
        let (old, findings) = match &mut self {
            Report::Audio(r) => (std::mem::replace(&mut r.path, path.to_owned()), &mut r.findings),
            Report::Artwork(r) => (std::mem::replace(&mut r.path, path.to_owned()), &mut r.findings),
        };
        if old != path && !old.is_empty() {
            for f in findings.iter_mut() {
                f.message = f.message.replace(&old, path);
            }
        }
        self
    }
}

fn parse_report(kind: MediaKind, json: &str) -> Result<Report> {
    let bad = |e: serde_json::Error| {
        Error::Db(catno_db::DbError::Corrupt {
            table: "media_analyses",
            column: "report",
            message: e.to_string(),
        })
    };
    Ok(match kind {
        MediaKind::Audio => Report::Audio(Box::new(serde_json::from_str(json).map_err(bad)?)),
        MediaKind::Artwork => Report::Artwork(Box::new(serde_json::from_str(json).map_err(bad)?)),
    })
}

impl FileQc {
    fn set_report(&mut self, report: Report, profile: &Profile) {
        match report.at_path(&self.path) {
            Report::Audio(r) => {
                self.findings = catno_media::check_audio(&r, profile);
                self.audio = Some(*r);
            }
            Report::Artwork(r) => {
                self.findings = catno_media::check_artwork(&r, profile);
                self.artwork = Some(*r);
            }
        }
    }
}

fn analyze(item: &Item) -> Result<Report> {
    Ok(match item.kind {
        MediaKind::Audio => Report::Audio(Box::new(catno_media::analyze_audio(&item.path)?)),
        MediaKind::Artwork => Report::Artwork(Box::new(catno_media::inspect_artwork(&item.path)?)),
    })
}

/// Checks one file, using and filling the store when there is one.
async fn qc_one(store: Option<Catalog>, item: Item, profile: &'static Profile) -> Result<FileQc> {
    let mut file = FileQc::empty(&item);
    let Some(catalog) = store else {
        let analysed = item.clone();
        let report = blocking(move || analyze(&analysed)).await?;
        let (md5, sha256) = match &report {
            Report::Audio(r) => (r.md5.clone(), r.sha256.clone()),
            Report::Artwork(_) => {
                let hashed = hash_blocking(&item).await?;
                (hashed.md5, hashed.sha256)
            }
        };
        file.md5 = Some(md5);
        file.sha256 = Some(sha256);
        file.size_bytes = Some(stat(&item.path)?.size);
        file.set_report(report, profile);
        return Ok(file);
    };
    let db = catalog.db();
    let stat = stat(&item.path)?;
    let seen = catno_db::seen_file(&mut *db.read().await?, &item.key).await?.filter(|s| stat.matches(s));
    let seen = match seen {
        Some(seen) => seen,
        None => {
            let seen =
                SeenFile { size_bytes: stat.size, mtime_ns: stat.mtime_ns, ..hash_blocking(&item).await? };
            let mut conn = db.read().await?;
            catno_db::record_seen_file(&mut conn, &seen).await?;
            if let (Some(id), Some(recorded)) = (item.asset_id, &item.asset_sha256)
                && *recorded != seen.sha256
            {
                catno_db::update_asset_content(&mut conn, id, &seen.sha256, seen.size_bytes).await?;
            }
            seen
        }
    };
    let kind = item.kind.as_str();
    let stored = catno_db::analysis(&mut *db.read().await?, &seen.sha256, kind)
        .await?
        .filter(|a| a.analyzer_version == ANALYZER_VERSION);
    let report = match stored {
        Some(stored) => {
            file.cached = true;
            file.analyzed_at = Some(stored.analyzed_at);
            parse_report(item.kind, &stored.report)?
        }
        None => {
            let analysed = item.clone();
            let report = blocking(move || analyze(&analysed)).await?;
            let mut conn = db.read().await?;
            catno_db::store_analysis(&mut conn, &seen.sha256, kind, ANALYZER_VERSION, &report.to_json()?)
                .await?;
            file.analyzed_at =
                catno_db::analysis(&mut conn, &seen.sha256, kind).await?.map(|a| a.analyzed_at);
            report
        }
    };
    file.sha256 = Some(seen.sha256);
    file.md5 = Some(seen.md5);
    file.size_bytes = Some(seen.size_bytes);
    file.set_report(report, profile);
    Ok(file)
}

/// Whether an error is about one file (it gets a result with an error) rather than the store.
fn is_file_error(error: &Error) -> bool {
    matches!(error, Error::Media(_) | Error::Io { .. })
}

/// Checks `items` on every core, in input order. With `keep_going`, a file that cannot be
/// read becomes a result with an `error`; otherwise the first such file fails the call.
/// Returns the results and whether the job was cancelled before every file was started.
async fn run_files(
    store: Option<Catalog>,
    items: Vec<Item>,
    profile: &'static Profile,
    job: Option<&JobHandle>,
    keep_going: bool,
) -> Result<(Vec<FileQc>, bool)> {
    let total = items.len();
    let mut results: Vec<Option<FileQc>> = vec![None; total];
    let mut running = JoinSet::new();
    let limit = workers();
    let cancelled = || job.is_some_and(JobHandle::is_cancelled);
    let mut next = 0;
    loop {
        while running.len() < limit && next < total && !cancelled() {
            let item = items[next].clone();
            let store = store.clone();
            let index = next;
            running.spawn(async move {
                let fallback = FileQc::empty(&item);
                (index, fallback, qc_one(store, item, profile).await)
            });
            next += 1;
        }
        let Some(joined) = running.join_next().await else { break };
        let (index, fallback, outcome) =
            joined.map_err(|e| Error::Invalid(format!("media analysis stopped: {e}")))?;
        let file = match outcome {
            Ok(file) => file,
            Err(error) if keep_going && is_file_error(&error) => {
                let mut file = fallback;
                let rule = match file.kind {
                    MediaKind::Audio => "AUD-DECODE",
                    MediaKind::Artwork => "ART-DECODE",
                };
                file.findings.push(Finding {
                    rule_id: rule.to_owned(),
                    severity: Severity::Error,
                    message: error.to_string(),
                    measured: None,
                    limit: None,
                    fix_hint: Some("Check the file exists and is a complete audio or image file.".into()),
                });
                file.error = Some(error.to_string());
                file
            }
            Err(error) => {
                running.abort_all();
                return Err(error);
            }
        };
        if let Some(job) = job {
            job.advance(&file.path);
        }
        results[index] = Some(file);
    }
    let was_cancelled = next < total;
    Ok((results.into_iter().flatten().collect(), was_cancelled))
}
