//! catno-core: the application. [`Catalog`] exposes every use case; the desktop shell and
//! the `catno` CLI are thin frontends over it.
//!
//! Core never looks up OS directories or the clock's idea of "now" for data it stores: paths
//! come from the frontend. Changes are announced on a broadcast feed after their
//! transaction commits.
//!
//! Must never depend on: tauri.

pub mod bulk;
pub mod ddex;
pub mod ddex_history;
pub mod ddex_import;
pub mod ddex_schemas;
pub mod delivery;
pub mod demo;
mod error;
pub mod jobs;
pub mod qc;
pub mod revelator_account;
pub mod rights;
pub mod sync;
pub mod transfer;
pub mod validate;
mod wire;
pub mod workflow;

use std::path::Path;

use catno_db::{CreditOwner, Db, OpenMode};
pub use catno_domain as domain;
use catno_domain::{
    Artist, Contributor, ContributorRole, DspPlatform, FieldError, Label, Page, Release, ReleaseEdit,
    ReleaseSummary, SearchHit, Track, TrackEdit, TrackSummary, Writer, ids::normalize_dsp_artist_id,
};
pub use error::{Error, ErrorCode, Result};
use tokio::sync::broadcast;
pub use wire::*;

/// Largest page a list call returns, whatever is asked.
pub const MAX_PAGE: i64 = 500;

/// A cheap-to-clone handle on one open catalog.
#[derive(Clone, Debug)]
pub struct Catalog {
    db: Db,
    changes: broadcast::Sender<CatalogChanged>,
}

impl Catalog {
    /// Opens an existing catalog file, upgrading its schema if it is older.
    pub async fn open(path: &Path) -> Result<Self> {
        Ok(Self::from_db(Db::open(path, OpenMode::Existing).await?))
    }

    /// Opens the catalog at `path`, creating an empty one if there is none.
    pub async fn open_or_create(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Io { path: parent.display().to_string(), message: e.to_string() })?;
        }
        Ok(Self::from_db(Db::open(path, OpenMode::CreateIfMissing).await?))
    }

    /// Creates a new, empty catalog; refuses to touch an existing file.
    pub async fn create(path: &Path) -> Result<Self> {
        if path.exists() {
            return Err(Error::Invalid(format!("{}: already exists", path.display())));
        }
        Self::open_or_create(path).await
    }

    fn from_db(db: Db) -> Self {
        let (changes, _) = broadcast::channel(256);
        Self { db, changes }
    }

    pub fn path(&self) -> &Path {
        self.db.path()
    }

    /// Changes committed through this handle, for the UI to refresh what it shows.
    pub fn subscribe(&self) -> broadcast::Receiver<CatalogChanged> {
        self.changes.subscribe()
    }

    fn announce(&self, entity: ChangedEntity, ids: Vec<i64>) {
        // No subscriber is a normal state (the CLI has none).
        let _ = self.changes.send(CatalogChanged { entity, ids });
    }

    pub async fn close(&self) {
        self.db.close().await;
    }

    pub async fn info(&self) -> Result<CatalogInfo> {
        let mut conn = self.db.read().await?;
        let counts = catno_db::counts(&mut conn).await?;
        Ok(CatalogInfo {
            path: self.path().display().to_string(),
            labels: counts.labels,
            releases: counts.releases,
            tracks: counts.tracks,
            artists: counts.artists,
        })
    }

    pub async fn backup_to(&self, dest: &Path) -> Result<()> {
        Ok(self.db.backup_to(dest).await?)
    }

    pub async fn labels(&self) -> Result<Vec<Label>> {
        Ok(catno_db::list_labels(&mut *self.db.read().await?).await?)
    }

    pub async fn releases(&self, query: &ReleaseQuery) -> Result<Page<ReleaseSummary>> {
        let (offset, limit) = page_bounds(query.offset, query.limit)?;
        Ok(catno_db::list_releases(&mut *self.db.read().await?, query.label_id, offset, limit).await?)
    }

    pub async fn release(&self, id: i64) -> Result<Release> {
        Ok(catno_db::get_release(&mut *self.db.read().await?, id).await?)
    }

    /// The release with its whole tracklist and assets, as the editor shows it.
    pub async fn release_detail(&self, id: i64) -> Result<ReleaseDetail> {
        let mut conn = self.db.read().await?;
        let release = catno_db::get_release(&mut conn, id).await?;
        let tracks = catno_db::list_release_tracks(&mut conn, id, 0, i64::MAX).await?.items;
        let assets = catno_db::release_assets(&mut conn, id).await?;
        Ok(ReleaseDetail { release, tracks, assets })
    }

    /// Validates every `(field, value)` first, then applies them all in one transaction.
    pub async fn set_release_fields(&self, id: i64, fields: &[(String, String)]) -> Result<Release> {
        let edits = fields
            .iter()
            .map(|(field, value)| ReleaseEdit::parse(field, value))
            .collect::<Result<Vec<_>, FieldError>>()?;
        let mut tx = self.db.begin().await?;
        for (edit, (field, _)) in edits.iter().zip(fields) {
            catno_db::apply_release_edit(&mut tx, id, edit).await.map_err(|e| on_field(e, field))?;
        }
        let release = catno_db::get_release(&mut tx, id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![id]);
        Ok(release)
    }

    pub async fn tracks(&self, query: &TrackQuery) -> Result<Page<TrackSummary>> {
        let (offset, limit) = page_bounds(query.offset, query.limit)?;
        let mut conn = self.db.read().await?;
        catno_db::release_exists(&mut conn, query.release_id).await?;
        Ok(catno_db::list_release_tracks(&mut conn, query.release_id, offset, limit).await?)
    }

    pub async fn track(&self, id: i64) -> Result<Track> {
        Ok(catno_db::get_track(&mut *self.db.read().await?, id).await?)
    }

    /// The id of the track at a 1-based position on a release.
    pub async fn track_at(&self, release_id: i64, position: i64) -> Result<i64> {
        let mut conn = self.db.read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        Ok(catno_db::track_at_position(&mut conn, release_id, position).await?)
    }

    pub async fn set_track_fields(&self, id: i64, fields: &[(String, String)]) -> Result<Track> {
        let edits = fields
            .iter()
            .map(|(field, value)| TrackEdit::parse(field, value))
            .collect::<Result<Vec<_>, FieldError>>()?;
        let mut tx = self.db.begin().await?;
        for (edit, (field, _)) in edits.iter().zip(fields) {
            catno_db::apply_track_edit(&mut tx, id, edit).await.map_err(|e| on_field(e, field))?;
        }
        let track = catno_db::get_track(&mut tx, id).await?;
        let releases = catno_db::releases_of_track(&mut tx, id).await?;
        for release in &releases {
            catno_db::touch_release(&mut tx, *release).await?;
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Track, vec![id]);
        Ok(track)
    }

    pub async fn set_track_position(
        &self,
        release_id: i64,
        track_id: i64,
        disc: i64,
        number: i64,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        catno_db::set_track_position(&mut tx, release_id, track_id, disc, number).await?;
        catno_db::touch_release(&mut tx, release_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(())
    }

    pub async fn add_contributor(
        &self,
        target: CreditTarget,
        artist_name: &str,
        role: ContributorRole,
    ) -> Result<Vec<Contributor>> {
        let name = artist_name.trim();
        if name.is_empty() {
            return Err(FieldError::new("artist", "must not be empty").into());
        }
        catno_domain::no_control_characters("artist", name)?;
        let mut tx = self.db.begin().await?;
        let owner = self.credit_owner(&mut tx, target).await?;
        catno_db::add_credit(&mut tx, owner, name, role).await?;
        let credits = catno_db::list_credits(&mut tx, owner).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce_target(target);
        Ok(credits)
    }

    pub async fn remove_contributor(
        &self,
        target: CreditTarget,
        contributor_id: i64,
    ) -> Result<Vec<Contributor>> {
        let mut tx = self.db.begin().await?;
        let owner = self.credit_owner(&mut tx, target).await?;
        catno_db::remove_credit(&mut tx, owner, contributor_id).await?;
        let credits = catno_db::list_credits(&mut tx, owner).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce_target(target);
        Ok(credits)
    }

    async fn credit_owner(
        &self,
        conn: &mut catno_db::Connection,
        target: CreditTarget,
    ) -> Result<CreditOwner> {
        Ok(match target {
            CreditTarget::Release { id } => {
                catno_db::release_exists(conn, id).await?;
                catno_db::touch_release(conn, id).await?;
                CreditOwner::Release(id)
            }
            CreditTarget::Track { id } => {
                catno_db::track_exists(conn, id).await?;
                CreditOwner::Track(id)
            }
        })
    }

    fn announce_target(&self, target: CreditTarget) {
        match target {
            CreditTarget::Release { id } => self.announce(ChangedEntity::Release, vec![id]),
            CreditTarget::Track { id } => self.announce(ChangedEntity::Track, vec![id]),
        }
    }

    pub async fn add_writer(&self, track_id: i64, writer: &NewWriter) -> Result<Vec<Writer>> {
        let name = writer.name.trim();
        if name.is_empty() {
            return Err(FieldError::new("writer", "name must not be empty").into());
        }
        catno_domain::no_control_characters("writer", name)?;
        if !(0..=10_000).contains(&writer.share_basis_points) {
            return Err(FieldError::new("share", "must be between 0 % and 100 %").into());
        }
        let publisher = writer.publisher.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let mut tx = self.db.begin().await?;
        catno_db::track_exists(&mut tx, track_id).await?;
        catno_db::add_writer(&mut tx, track_id, name, writer.role, publisher, writer.share_basis_points)
            .await
            .map_err(|e| on_field(e, "share"))?;
        let writers = catno_db::list_writers(&mut tx, track_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Track, vec![track_id]);
        Ok(writers)
    }

    pub async fn remove_writer(&self, track_id: i64, writer_id: i64) -> Result<Vec<Writer>> {
        let mut tx = self.db.begin().await?;
        catno_db::remove_writer(&mut tx, track_id, writer_id).await?;
        let writers = catno_db::list_writers(&mut tx, track_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Track, vec![track_id]);
        Ok(writers)
    }

    pub async fn artist(&self, id: i64) -> Result<Artist> {
        Ok(catno_db::get_artist(&mut *self.db.read().await?, id).await?)
    }

    /// Sets an artist's id on a DSP after checking its format; an empty value removes it.
    pub async fn set_artist_dsp_id(
        &self,
        artist_id: i64,
        platform: DspPlatform,
        value: &str,
    ) -> Result<Artist> {
        let value = value.trim();
        let normalized = if value.is_empty() {
            None
        } else {
            Some(
                normalize_dsp_artist_id(platform, value)
                    .map_err(|e| FieldError::new(platform.as_str(), e.to_string()))?,
            )
        };
        let mut tx = self.db.begin().await?;
        catno_db::get_artist(&mut tx, artist_id).await?;
        catno_db::set_artist_dsp_id(&mut tx, artist_id, platform, normalized.as_deref()).await?;
        let artist = catno_db::get_artist(&mut tx, artist_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Artist, vec![artist_id]);
        Ok(artist)
    }

    pub async fn search(&self, text: &str, limit: i64) -> Result<Vec<SearchHit>> {
        let (_, limit) = page_bounds(0, limit)?;
        Ok(catno_db::search(&mut *self.db.read().await?, text, limit).await?)
    }

    /// The folders holding this catalog's media, for the shell to scope file access to.
    pub async fn media_folders(&self) -> Result<Vec<std::path::PathBuf>> {
        let folders = catno_db::asset_folders(&mut *self.db.read().await?).await?;
        Ok(folders.into_iter().filter(|f| !f.is_empty()).map(std::path::PathBuf::from).collect())
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }
}

/// Which field a database refusal during an edit is about (e.g. a UPC already in use).
fn on_field(error: catno_db::DbError, field: &str) -> Error {
    match error {
        catno_db::DbError::Conflict(message) => FieldError::new(field, message).into(),
        other => other.into(),
    }
}

fn page_bounds(offset: i64, limit: i64) -> Result<(i64, i64)> {
    if offset < 0 || limit < 1 {
        return Err(Error::Invalid(format!("page offset {offset} / limit {limit} out of range")));
    }
    Ok((offset, limit.min(MAX_PAGE)))
}

/// The choices the editors offer for enumerated fields.
pub fn field_options() -> FieldOptions {
    use catno_domain::{ParentalAdvisory, ReleaseType, WriterRole};
    FieldOptions {
        release_types: ReleaseType::ALL.to_vec(),
        parental_advisories: ParentalAdvisory::ALL.to_vec(),
        contributor_roles: ContributorRole::ALL.to_vec(),
        writer_roles: WriterRole::ALL.to_vec(),
        dsp_platforms: DspPlatform::ALL.to_vec(),
    }
}
