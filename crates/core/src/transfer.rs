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
mod folder;
mod job;
mod mapping;
mod pdf;
mod plan;
mod rights_text;
mod source;
mod write;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use catno_db::CreditOwner;
use catno_domain::{ReleaseEdit, TrackEdit};
use serde::{Deserialize, Serialize};

pub use csv_template::{Field, escape_cell, format_duration, unescape_cell};
pub use export::{ExportFormat, ExportLayout, ExportScope};
pub use folder::{FolderFile, FolderImport, FolderPlan, FolderProblem};
pub use job::{EXPORT_JOB_KIND, IMPORT_JOB_KIND};
pub use mapping::ColumnMapping;
pub use pdf::{FONT_SEARCH_LIST, PdfKind, PdfSummary, existing_fonts};

use crate::jobs::JobHandle;
use crate::{Catalog, ChangedEntity, Error, Result};

/// What an import would do, and what stops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPlan {
    /// `csv`, `xlsx`, `xls` or `ods`, told by the file's first bytes.
    pub format: String,
    /// The worksheet read, for a workbook.
    pub sheet: Option<String>,
    /// For CSV: `UTF-8`, `UTF-16LE`, `UTF-16BE` (transcoded) or `Windows-1252` (a file that is
    /// not UTF-8 is read as Windows-1252); empty for a workbook.
    pub encoding: String,
    /// For CSV: `,`, `;` or `tab`, sniffed from the first lines; empty for a workbook.
    pub delimiter: String,
    /// Data rows read (the header is row 1).
    pub rows: usize,
    pub mapping: ColumnMapping,
    pub releases: Vec<PlannedRelease>,
    pub problems: Vec<ImportProblem>,
    /// Cells imported with a caveat (formula cells read by their cached value, merged cells
    /// filled down); they do not stop the import.
    pub warnings: Vec<ImportProblem>,
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
        Ok(ColumnMapping::propose(&source::headers(path)?))
    }

    /// The dry run: reads the file and the catalog, writes nothing. Without `mapping` the
    /// proposed one is used.
    pub async fn plan_import(&self, path: &Path, mapping: Option<&ColumnMapping>) -> Result<ImportPlan> {
        let mut conn = self.db().read().await?;
        Ok(plan::prepare(&mut conn, path, mapping, plan::Keep::Plan).await?.plan)
    }

    /// Imports the file in one transaction; refuses (writing nothing) when its plan has
    /// problems, naming the first ones.
    pub async fn import(&self, path: &Path, mapping: Option<&ColumnMapping>) -> Result<ImportSummary> {
        self.import_reporting(path, mapping, None)
            .await?
            .ok_or_else(|| Error::Invalid(format!("{}: import cancelled, nothing imported", path.display())))
    }

    /// [`Catalog::import`] reporting to `job`: one unit per release written. A cancel seen
    /// before the commit drops the transaction (nothing is written) and gives `None`.
    async fn import_reporting(
        &self,
        path: &Path,
        mapping: Option<&ColumnMapping>,
        job: Option<&JobHandle>,
    ) -> Result<Option<ImportSummary>> {
        let cancelled = || job.is_some_and(JobHandle::is_cancelled);
        let mut tx = self.db().begin().await?;
        let prepared = plan::prepare(&mut tx, path, mapping, plan::Keep::Writes).await?;
        if !prepared.plan.problems.is_empty() {
            let first: Vec<String> = prepared.plan.problems.iter().take(3).map(ToString::to_string).collect();
            return Err(Error::Invalid(format!(
                "{}: {} problem(s), nothing imported; first: {}",
                path.display(),
                prepared.plan.problems.len(),
                first.join("; ")
            )));
        }
        let mut writes = prepared.writes;
        if let Some(job) = job {
            job.set_total(u32::try_from(writes.len()).unwrap_or(u32::MAX));
        }
        let mut summary = ImportSummary {
            releases_created: 0,
            releases_updated: 0,
            tracks_created: 0,
            tracks_updated: 0,
            release_ids: Vec::new(),
        };
        let mut touched_tracks = Vec::new();
        let source =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut importer = catno_db::ReleaseImporter::new(&source);
        let mut labels = HashMap::new();
        // New releases are written a batch at a time in bulk (`write.rs`); releases that exist
        // are updated one by one through the editor's writes.
        loop {
            let batch = writes.next_batch(write::RELEASES_PER_BATCH);
            if batch.is_empty() {
                break;
            }
            if cancelled() {
                return Ok(None);
            }
            let written = write::create_new(&mut tx, &mut importer, &mut labels, &batch).await?;
            for (release, written) in batch.iter().zip(written) {
                let (release_id, track_ids) = match written {
                    write::Written::Created(new) => {
                        summary.releases_created += 1;
                        summary.tracks_created += new.track_ids.len();
                        (new.id, new.track_ids)
                    }
                    write::Written::Existing(id) => {
                        summary.releases_updated += 1;
                        let track_ids = update_release(
                            &mut tx,
                            &mut labels,
                            release,
                            id,
                            &mut summary,
                            &mut touched_tracks,
                        )
                        .await?;
                        (id, track_ids)
                    }
                };
                if release.rights.is_some() || release.tracks.iter().any(|t| t.rights.is_some()) {
                    // Keys of the tracks as written, in the release's running order.
                    let mut rights = catno_db::load_release_rights(&mut tx, release_id).await?;
                    if let Some(rules) = &release.rights {
                        rights.release.clone_from(rules);
                    }
                    for (track, id) in release.tracks.iter().zip(&track_ids) {
                        if let Some(rules) = &track.rights {
                            rights.rules_of_mut(catno_rights::TrackKey(*id)).clone_from(rules);
                        }
                    }
                    catno_db::replace_release_rights(&mut tx, release_id, &rights).await?;
                }
                if release.existing.is_some() {
                    catno_db::touch_release(&mut tx, release_id).await?;
                }
                summary.release_ids.push(release_id);
                if let Some(job) = job {
                    job.advance(&release.title);
                }
            }
        }
        if cancelled() {
            return Ok(None);
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, summary.release_ids.clone());
        if !touched_tracks.is_empty() {
            self.announce(ChangedEntity::Track, touched_tracks);
        }
        Ok(Some(summary))
    }

    /// Writes the releases of `scope` to `out` in Catno's template, one release at a time so
    /// memory stays bounded by the longest release. The file appears complete or not at all.
    pub async fn export_csv(&self, scope: ExportScope, out: &Path) -> Result<ExportSummary> {
        export::write(self, ExportFormat::Csv, ExportLayout::Template, scope, out).await
    }

    /// Writes the releases of `scope` to `out` as CSV or XLSX in `layout`. An XLSX of the
    /// template adds `Rights` and `QC` sheets (for reading; the import reads `Tracks`).
    pub async fn export(
        &self,
        format: ExportFormat,
        layout: ExportLayout,
        scope: ExportScope,
        out: &Path,
    ) -> Result<ExportSummary> {
        export::write(self, format, layout, scope, out).await
    }
}

/// Updates an existing release from its planned row: its label and fields, its tracks (a new
/// track is inserted and placed on it), credits and writers. Gives the ids of its tracks in
/// the plan's order.
async fn update_release(
    tx: &mut catno_db::Connection,
    labels: &mut HashMap<String, i64>,
    release: &plan::PreparedRelease,
    release_id: i64,
    summary: &mut ImportSummary,
    touched_tracks: &mut Vec<i64>,
) -> Result<Vec<i64>> {
    if let Some(label) = &release.label {
        let label_id = write::label_id(tx, labels, label).await?;
        catno_db::apply_release_edit(tx, release_id, &ReleaseEdit::LabelId(label_id)).await?;
    }
    for edit in &release.edits {
        catno_db::apply_release_edit(tx, release_id, edit).await?;
    }
    let mut track_ids = Vec::with_capacity(release.tracks.len());
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
                let id = catno_db::insert_track(tx, &new).await?;
                catno_db::add_track_to_release(tx, release_id, id, track.disc, track.number).await?;
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
            catno_db::apply_track_edit(tx, track_id, edit).await?;
        }
        track_ids.push(track_id);
        let owner = CreditOwner::Track(track_id);
        let existing =
            if track.existing.is_some() { catno_db::list_credits(tx, owner).await? } else { Vec::new() };
        for (role, name) in &track.contributors {
            if !existing.iter().any(|c| c.role == *role && c.artist_name == *name) {
                catno_db::add_credit(tx, owner, name, *role).await?;
            }
        }
        if let Some(writers) = &track.writers {
            if track.existing.is_some() {
                catno_db::clear_writers(tx, track_id).await?;
            }
            for (role, name, publisher, share) in writers {
                catno_db::add_writer(tx, track_id, name, *role, publisher.as_deref(), *share).await?;
            }
        }
    }
    Ok(track_ids)
}

/// Where saved mappings live in `catalog_meta`.
const MAPPING_PREFIX: &str = "import.mapping.";

impl Catalog {
    /// Saves `mapping` under `name` (letters, digits, `-`, `_`, `.`) for later imports; a
    /// mapping with an unknown target is refused. Replaces one saved under the same name.
    pub async fn save_mapping(&self, name: &str, mapping: &ColumnMapping) -> Result<()> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !valid {
            return Err(Error::Invalid(format!(
                "mapping name \"{name}\": use 1-64 letters, digits, '-', '_' or '.'"
            )));
        }
        let headers: Vec<String> = mapping.columns.keys().cloned().collect();
        mapping.resolve(&headers)?;
        let json = serde_json::to_string(mapping).map_err(|e| Error::Invalid(e.to_string()))?;
        let mut tx = self.db().begin().await?;
        catno_db::set_setting(&mut tx, &format!("{MAPPING_PREFIX}{name}"), Some(&json)).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(())
    }

    /// A mapping saved with [`Catalog::save_mapping`].
    pub async fn saved_mapping(&self, name: &str) -> Result<ColumnMapping> {
        let mut conn = self.db().read().await?;
        let json =
            catno_db::get_setting(&mut conn, &format!("{MAPPING_PREFIX}{name}")).await?.ok_or_else(|| {
                Error::Invalid(format!(
                    "no saved mapping \"{name}\" (catno import-mapping FILE --save {name})"
                ))
            })?;
        serde_json::from_str(&json).map_err(|e| Error::Invalid(format!("saved mapping \"{name}\": {e}")))
    }

    /// The names of the saved mappings, sorted.
    pub async fn saved_mappings(&self) -> Result<Vec<String>> {
        let mut conn = self.db().read().await?;
        Ok(catno_db::settings_with_prefix(&mut conn, MAPPING_PREFIX)
            .await?
            .into_iter()
            .map(|(key, _)| key[MAPPING_PREFIX.len()..].to_owned())
            .collect())
    }
}
