//! Delivery backends: the one interface the sync engine drives, whatever sits behind it
//! (Revelator's API now, a DDEX-over-SFTP feed later). Its types are Catno's; a backend maps
//! them to its own wire format, so neither the UI nor the catalog changes with a new backend.
//!
//! Everything a backend needs about a release is assembled once into a [`DeliveryPackage`].
//! What a backend knows about the remote copy (its ids, the files already uploaded) is a
//! [`RemoteRef`] the caller keeps between calls; every call returns the updated one, so a
//! crash between steps loses at most one answer, and the backends reconcile that by reading
//! back.

pub mod revelator;
pub mod revelator_fingerprint;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use catno_domain::{Artist, AssetKind, Label, Release, Track};
use catno_rights::{ReleaseRights, StoreId, TerritoryGroups};
use serde::{Deserialize, Serialize};

use crate::{Catalog, Result};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A file of the catalog to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagedFile {
    pub asset_id: i64,
    pub path: PathBuf,
    /// Content hash: an unchanged file is never uploaded twice.
    pub sha256: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagedTrack {
    pub track: Track,
    pub disc: u32,
    pub number: u32,
    pub audio: Option<PackagedFile>,
}

/// One release with everything delivery needs, read from the catalog in one go.
#[derive(Debug, Clone)]
pub struct DeliveryPackage {
    pub release: Release,
    /// In running order.
    pub tracks: Vec<PackagedTrack>,
    pub artwork: Option<PackagedFile>,
    pub label: Option<Label>,
    pub artists: Vec<Artist>,
    pub rights: ReleaseRights,
    pub groups: TerritoryGroups,
    /// The catalog's stores, for compiling store-scoped rights.
    pub stores: Vec<StoreId>,
}

/// What a backend knows about its copy of one release. Ids are the backend's, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RemoteRef {
    pub release_id: Option<String>,
    /// Catno track id → the backend's track id.
    pub tracks: BTreeMap<i64, String>,
    /// Content hash (SHA-256) → the backend's file id, for every file uploaded.
    pub files: BTreeMap<String, String>,
}

impl RemoteRef {
    pub fn file_id(&self, file: Option<&PackagedFile>) -> Option<&str> {
        file.and_then(|f| self.files.get(&f.sha256)).map(String::as_str)
    }
}

/// Upload progress of one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AssetProgress {
    pub asset_id: i64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub sent: u64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub total: u64,
}

pub type ProgressSink = Arc<dyn Fn(AssetProgress) + Send + Sync>;

/// A locked track Catno changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LockedTrackEdit {
    /// `None`: a remote track Catno no longer has on the release.
    pub track_id: Option<i64>,
    pub title: String,
    /// The backend's names of the changed fields.
    pub fields: Vec<String>,
}

/// Edits the backend refuses while the release is in a read-only state: the release must be
/// taken down (or rejected in review) and delivered again for them to reach the stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RedeliveryNeeded {
    pub locked_stores: Vec<StoreDelivery>,
    pub edits: Vec<LockedTrackEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Pushed {
        remote: RemoteRef,
        /// What the backend did not keep as sent, and mapping notes.
        warnings: Vec<String>,
    },
    NeedsRedelivery(RedeliveryNeeded),
}

/// A finding of the backend's own validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RemoteFinding {
    /// Blocks delivery (else a warning).
    pub blocking: bool,
    /// Plain text (markup removed).
    pub message: String,
    /// The backend's field name.
    pub field: Option<String>,
    pub code: Option<String>,
    /// The Catno track it is about, when the backend named one.
    pub track_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RemoteStore {
    pub id: String,
    pub name: String,
}

/// Where a release stands in one store. Backends' status codes are opaque; only these
/// distinctions are derived from documented facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DeliveryState {
    /// Queued or in review: the release's tracks cannot be edited.
    Locked,
    InProgress,
    Live,
    Error,
    /// A takedown was requested and the store has not confirmed it.
    TakingDown,
    /// Removed from the store.
    TakenDown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StoreDelivery {
    pub store_id: String,
    pub store_name: String,
    pub state: DeliveryState,
    /// The backend's own wording, for display.
    pub status_text: Option<String>,
    pub error: Option<String>,
    pub live_url: Option<String>,
    /// The backend's raw status code.
    pub raw_status: Option<i64>,
}

/// A delivery backend. Every method is safe to repeat with the `RemoteRef` it last returned.
pub trait DeliveryBackend: Send + Sync {
    /// Short name for logs and the outbox (`revelator`, `ddex-sftp`).
    fn name(&self) -> &'static str;

    /// The stores this account can deliver to.
    fn stores(&self) -> BoxFuture<'_, Result<Vec<RemoteStore>>>;

    /// Uploads the artwork and audio not yet uploaded (by content hash).
    fn upload_assets<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
        progress: Option<ProgressSink>,
    ) -> BoxFuture<'a, Result<RemoteRef>>;

    /// Creates or updates the remote release from the package (assets uploaded first).
    fn push_release<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
    ) -> BoxFuture<'a, Result<PushOutcome>>;

    /// The backend's own validation of what it holds.
    fn validate_remote<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Vec<RemoteFinding>>>;

    /// Sends the release to `stores` (sale date and territories from the package).
    fn deliver<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
        stores: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<StoreDelivery>>>;

    fn take_down<'a>(
        &'a self,
        remote: &'a RemoteRef,
        stores: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<StoreDelivery>>>;

    /// Per-store status.
    fn status<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Vec<StoreDelivery>>>;

    /// A hash of the remote release's content as Catno writes it, so that the sync engine can
    /// tell an edit made elsewhere from its own. `None`: this backend cannot tell.
    fn fingerprint<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Option<String>>> {
        let _ = remote;
        Box::pin(async { Ok(None) })
    }
}

impl Catalog {
    /// Reads everything delivery needs about `release_id`.
    pub async fn delivery_package(&self, release_id: i64) -> Result<DeliveryPackage> {
        let (rights, groups, stores) = self.rights_inputs(release_id).await?;
        let mut conn = self.db().read().await?;
        let release = catno_db::get_release(&mut conn, release_id).await?;
        let summaries = catno_db::list_release_tracks(&mut conn, release_id, 0, i64::MAX).await?.items;
        let assets = catno_db::release_assets(&mut conn, release_id).await?;
        let packaged = |kind: AssetKind, release: Option<i64>, track: Option<i64>| {
            assets
                .iter()
                .find(|a| {
                    a.kind == kind
                        && (release.is_none() || a.release_id == release)
                        && (track.is_none() || a.track_id == track)
                })
                .map(|a| PackagedFile {
                    asset_id: a.id,
                    path: PathBuf::from(&a.path),
                    sha256: a.sha256.clone(),
                    size_bytes: a.size_bytes,
                })
        };
        let mut tracks = Vec::with_capacity(summaries.len());
        for s in &summaries {
            let track = catno_db::get_track(&mut conn, s.id).await?;
            tracks.push(PackagedTrack {
                audio: packaged(AssetKind::Audio, None, Some(track.id)),
                track,
                disc: u32::try_from(s.disc_number).unwrap_or(0),
                number: u32::try_from(s.track_number).unwrap_or(0),
            });
        }
        let label = catno_db::list_labels(&mut conn).await?.into_iter().find(|l| l.id == release.label_id);
        let mut artist_ids: Vec<i64> = release
            .artists
            .iter()
            .map(|c| c.artist_id)
            .chain(tracks.iter().flat_map(|t| t.track.contributors.iter().map(|c| c.artist_id)))
            .collect();
        artist_ids.sort_unstable();
        artist_ids.dedup();
        let mut artists = Vec::with_capacity(artist_ids.len());
        for id in artist_ids {
            artists.push(catno_db::get_artist(&mut conn, id).await?);
        }
        Ok(DeliveryPackage {
            artwork: packaged(AssetKind::Artwork, Some(release_id), None),
            release,
            tracks,
            label,
            artists,
            rights,
            groups,
            stores,
        })
    }
}
