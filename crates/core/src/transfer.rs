//! Bulk import and export of the catalog as CSV in Catno's own template (issue 8, first
//! slice). An import is planned first (a dry run that reads the catalog but writes nothing)
//! and written only when its plan has no problems, in one transaction.
//!
//! The template, one row per track: release columns `upc, release_title, release_version,
//! release_artist, label, release_type, catalog_number, release_date, original_release_date,
//! genre, subgenre, p_line, c_line, parental_advisory, metadata_language`, then track columns
//! `disc, track, isrc, track_title, track_version, track_artist, duration, explicit,
//! audio_language, contributors` (`Role:Name; Role:Name`) and `writers`
//! (`Role:Name:Publisher:share%; ...`). Rows of one release share its UPC (or, without one, its
//! label, catalog number, title and artist); a row without UPC and release title continues the
//! release above it.

mod csv_template;
mod export;
mod plan;

use std::fmt;
use std::path::Path;

use catno_db::CreditOwner;
use catno_domain::{ReleaseEdit, TrackEdit};
use serde::{Deserialize, Serialize};

pub use csv_template::{ColumnMapping, Field, escape_cell, format_duration, unescape_cell};

use crate::{Catalog, ChangedEntity, Error, Result};

/// What an import would do, and what stops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPlan {
    /// `UTF-8` or `Windows-1252` (a file that is not UTF-8 is read as Windows-1252).
    pub encoding: String,
    /// `,`, `;` or a tab, sniffed from the header row.
    pub delimiter: String,
    /// Data rows read (the header is row 1).
    pub rows: usize,
    pub mapping: ColumnMapping,
    pub releases: Vec<PlannedRelease>,
    pub problems: Vec<ImportProblem>,
    /// Things worth knowing that do not stop the import (ignored columns, encoding).
    pub notes: Vec<String>,
}

impl ImportPlan {
    pub fn tracks_created(&self) -> usize {
        self.releases.iter().flat_map(|r| &r.tracks).filter(|t| t.action == PlannedAction::Create).count()
    }

    pub fn tracks_matched(&self) -> usize {
        self.releases.iter().flat_map(|r| &r.tracks).filter(|t| t.action != PlannedAction::Create).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlannedAction {
    Create,
    /// Fields with a value in the file are set on the existing release or track.
    Update {
        id: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedRelease {
    pub row_numbers: Vec<usize>,
    pub upc: Option<String>,
    pub title: String,
    pub action: PlannedAction,
    pub tracks: Vec<PlannedTrack>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedTrack {
    pub row: usize,
    pub disc: i64,
    pub track: i64,
    pub isrc: Option<String>,
    pub title: String,
    /// `Update` when an existing track of the release has the same ISRC and title.
    pub action: PlannedAction,
}

/// One cell (or row, when `column` is empty) the import refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportProblem {
    /// 1-based, the header is row 1.
    pub row: usize,
    /// The template column (`upc`, `isrc`, ...).
    pub column: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "row {}: {}", self.row, self.message)
        } else {
            write!(f, "row {}, column {}: {}", self.row, self.column, self.message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSummary {
    pub releases_created: usize,
    pub releases_updated: usize,
    pub tracks_created: usize,
    pub tracks_updated: usize,
    /// Every release the import created or updated, in file order.
    pub release_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    pub releases: usize,
    pub rows: usize,
}

impl Catalog {
    /// The mapping Catno proposes for a file's header row, to save, edit and pass back.
    pub fn propose_mapping(path: &Path) -> Result<ColumnMapping> {
        let decoded = csv_template::decode(path)?;
        let mut reader = csv_template::reader(&decoded);
        Ok(ColumnMapping::propose(&csv_template::headers(&mut reader)?))
    }

    /// The dry run: reads the file and the catalog, writes nothing. Without `mapping` the
    /// proposed one is used.
    pub async fn plan_import(&self, path: &Path, mapping: Option<&ColumnMapping>) -> Result<ImportPlan> {
        let mut conn = self.db().read().await?;
        Ok(plan::prepare(&mut conn, path, mapping).await?.plan)
    }

    /// Imports the file in one transaction; refuses (writing nothing) when its plan has
    /// problems, naming the first ones.
    pub async fn import(&self, path: &Path, mapping: Option<&ColumnMapping>) -> Result<ImportSummary> {
        let mut tx = self.db().begin().await?;
        let prepared = plan::prepare(&mut tx, path, mapping).await?;
        if !prepared.plan.problems.is_empty() {
            let first: Vec<String> = prepared.plan.problems.iter().take(3).map(ToString::to_string).collect();
            return Err(Error::Invalid(format!(
                "{}: {} problem(s), nothing imported; first: {}",
                path.display(),
                prepared.plan.problems.len(),
                first.join("; ")
            )));
        }
        let mut summary = ImportSummary {
            releases_created: 0,
            releases_updated: 0,
            tracks_created: 0,
            tracks_updated: 0,
            release_ids: Vec::new(),
        };
        let mut touched_tracks = Vec::new();
        for release in &prepared.releases {
            let release_id = match release.existing {
                Some(id) => {
                    summary.releases_updated += 1;
                    id
                }
                None => {
                    summary.releases_created += 1;
                    let label = release.label.as_deref().unwrap_or_default();
                    let label_id = catno_db::ensure_label(&mut tx, label, None).await?;
                    let mut new = catno_db::NewRelease {
                        label_id,
                        title: &release.title,
                        display_artist: &release.artist,
                        release_type: release.release_type,
                        upc: release.upc.as_deref(),
                        catalog_number: None,
                        release_date: None,
                    };
                    for edit in &release.edits {
                        match edit {
                            ReleaseEdit::CatalogNumber(v) => new.catalog_number = v.as_deref(),
                            ReleaseEdit::ReleaseDate(v) => new.release_date = v.as_deref(),
                            _ => {}
                        }
                    }
                    let id = catno_db::insert_release(&mut tx, &new).await?;
                    catno_db::add_credit(
                        &mut tx,
                        CreditOwner::Release(id),
                        &release.artist,
                        catno_domain::ContributorRole::MainArtist,
                    )
                    .await?;
                    id
                }
            };
            if release.existing.is_some()
                && let Some(label) = &release.label
            {
                let label_id = catno_db::ensure_label(&mut tx, label, None).await?;
                catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::LabelId(label_id)).await?;
            }
            let in_insert = |edit: &ReleaseEdit| {
                release.existing.is_none()
                    && matches!(
                        edit,
                        ReleaseEdit::Title(_)
                            | ReleaseEdit::DisplayArtist(_)
                            | ReleaseEdit::ReleaseType(_)
                            | ReleaseEdit::Upc(_)
                            | ReleaseEdit::CatalogNumber(_)
                            | ReleaseEdit::ReleaseDate(_)
                    )
            };
            for edit in release.edits.iter().filter(|e| !in_insert(e)) {
                catno_db::apply_release_edit(&mut tx, release_id, edit).await?;
            }
            for track in &release.tracks {
                let track_id = match track.existing {
                    Some(id) => {
                        summary.tracks_updated += 1;
                        touched_tracks.push(id);
                        id
                    }
                    None => {
                        summary.tracks_created += 1;
                        let mut new = catno_db::NewTrack {
                            isrc: None,
                            title: &track.title,
                            version: None,
                            display_artist: &track.artist,
                            duration_ms: None,
                            explicit: false,
                        };
                        for edit in &track.edits {
                            match edit {
                                TrackEdit::Isrc(isrc) => new.isrc = isrc.as_ref().map(|i| i.as_str()),
                                TrackEdit::Version(version) => new.version = version.as_deref(),
                                TrackEdit::DurationMs(ms) => new.duration_ms = *ms,
                                TrackEdit::Explicit(explicit) => new.explicit = *explicit,
                                _ => {}
                            }
                        }
                        let id = catno_db::insert_track(&mut tx, &new).await?;
                        catno_db::add_track_to_release(&mut tx, release_id, id, track.disc, track.number)
                            .await?;
                        id
                    }
                };
                // A new track got its columns on insert; only the rest are separate writes.
                let in_insert = |edit: &TrackEdit| {
                    track.existing.is_none()
                        && matches!(
                            edit,
                            TrackEdit::Isrc(_)
                                | TrackEdit::Version(_)
                                | TrackEdit::DurationMs(_)
                                | TrackEdit::Explicit(_)
                                | TrackEdit::Title(_)
                                | TrackEdit::DisplayArtist(_)
                        )
                };
                for edit in track.edits.iter().filter(|e| !in_insert(e)) {
                    catno_db::apply_track_edit(&mut tx, track_id, edit).await?;
                }
                let owner = CreditOwner::Track(track_id);
                let existing = if track.existing.is_some() {
                    catno_db::list_credits(&mut tx, owner).await?
                } else {
                    Vec::new()
                };
                for (role, name) in &track.contributors {
                    if !existing.iter().any(|c| c.role == *role && c.artist_name == *name) {
                        catno_db::add_credit(&mut tx, owner, name, *role).await?;
                    }
                }
                if let Some(writers) = &track.writers {
                    if track.existing.is_some() {
                        catno_db::clear_writers(&mut tx, track_id).await?;
                    }
                    for (role, name, publisher, share) in writers {
                        catno_db::add_writer(&mut tx, track_id, name, *role, publisher.as_deref(), *share)
                            .await?;
                    }
                }
            }
            catno_db::touch_release(&mut tx, release_id).await?;
            summary.release_ids.push(release_id);
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, summary.release_ids.clone());
        if !touched_tracks.is_empty() {
            self.announce(ChangedEntity::Track, touched_tracks);
        }
        Ok(summary)
    }

    /// Writes the releases (all when `None`) to `out` in Catno's template, one release at a
    /// time so memory stays bounded by the longest release. The file appears complete or not
    /// at all.
    pub async fn export_csv(&self, release_ids: Option<Vec<i64>>, out: &Path) -> Result<ExportSummary> {
        let mut conn = self.db().read().await?;
        export::write(&mut conn, release_ids, out).await
    }
}
