//! The import's write path for new releases: a batch of planned releases becomes
//! [`catno_db::ImportedRelease`] rows written by [`catno_db::ReleaseImporter`] (multi-row inserts;
//! search index, audit log and sync outbox kept by set-based statements), then the few things a
//! row cannot carry (localized titles, territory rules) go through the ordinary edit functions.

use std::collections::HashMap;

use catno_db::{Connection, CreatedRelease, ImportedRelease, ImportedTrack, ReleaseImporter};
use catno_domain::{ParentalAdvisory, ReleaseEdit, TrackEdit};

use super::plan::PreparedRelease;
use crate::{Error, Result};

/// Releases written per [`ReleaseImporter::create`] call (about ten thousand tracks at ten a
/// release): large enough to amortise its set-based statements, small enough to keep its rows
/// and the cancel checks between batches cheap.
pub(super) const RELEASES_PER_BATCH: usize = 1000;

/// How a planned release was written by [`create_new`].
pub(super) enum Written {
    /// A new release, created in bulk.
    Created(CreatedRelease),
    /// A release the catalog already had, left for the editor's writes.
    Existing(i64),
}

/// Writes the new releases among `batch` (those without `existing`) and gives, in the order
/// of `batch`, how each was written.
pub(super) async fn create_new(
    conn: &mut Connection,
    importer: &mut ReleaseImporter,
    labels: &mut HashMap<String, i64>,
    batch: &[PreparedRelease],
) -> Result<Vec<Written>> {
    let mut rows = Vec::new();
    for release in batch.iter().filter(|r| r.existing.is_none()) {
        let label_id = label_id(conn, labels, release.label.as_deref().unwrap_or_default()).await?;
        rows.push(imported(release, label_id));
    }
    let created = importer.create(conn, &rows).await?;
    drop(rows);
    let mut created = created.into_iter();
    let mut out = Vec::with_capacity(batch.len());
    for release in batch {
        if let Some(id) = release.existing {
            out.push(Written::Existing(id));
            continue;
        }
        // The importer gives one release per row it was given, in order.
        let new = created
            .next()
            .ok_or_else(|| Error::Invalid(format!("release \"{}\" was not created", release.title)))?;
        // What a row cannot carry goes through the editor's writes, logged and queued as edits.
        for edit in release.edits.iter().filter(|e| matches!(e, ReleaseEdit::LocalizedTitle { .. })) {
            catno_db::apply_release_edit(conn, new.id, edit).await?;
        }
        for (track, id) in release.tracks.iter().zip(&new.track_ids) {
            for edit in track.edits.iter().filter(|e| matches!(e, TrackEdit::LocalizedTitle { .. })) {
                catno_db::apply_track_edit(conn, *id, edit).await?;
            }
        }
        out.push(Written::Created(new));
    }
    Ok(out)
}

/// The id of the label called `name`, created as [`catno_db::ensure_label`] does on first use
/// and cached in `labels` by name: an import names the same few labels on every row.
pub(super) async fn label_id(
    conn: &mut Connection,
    labels: &mut HashMap<String, i64>,
    name: &str,
) -> Result<i64> {
    if let Some(id) = labels.get(name) {
        return Ok(*id);
    }
    let id = catno_db::ensure_label(conn, name, None).await?;
    labels.insert(name.to_owned(), id);
    Ok(id)
}

/// The row of a new release: the planned title, artist, type and UPC, and every other column
/// from its edits, as the insert and the edits after it used to write them one by one.
fn imported(release: &PreparedRelease, label_id: i64) -> ImportedRelease<'_> {
    let mut row = ImportedRelease {
        label_id,
        title: &release.title,
        version: None,
        display_artist: &release.artist,
        release_type: release.release_type,
        upc: release.upc.as_deref(),
        catalog_number: None,
        p_line: None,
        c_line: None,
        genre: None,
        subgenre: None,
        release_date: None,
        original_release_date: None,
        parental_advisory: ParentalAdvisory::NotExplicit,
        metadata_language: None,
        main_artist: &release.artist,
        tracks: Vec::with_capacity(release.tracks.len()),
    };
    for edit in &release.edits {
        match edit {
            ReleaseEdit::Version(v) => row.version = v.as_deref(),
            ReleaseEdit::CatalogNumber(v) => row.catalog_number = v.as_deref(),
            ReleaseEdit::PLine(v) => row.p_line = v.as_ref(),
            ReleaseEdit::CLine(v) => row.c_line = v.as_ref(),
            ReleaseEdit::Genre(v) => row.genre = v.as_deref(),
            ReleaseEdit::Subgenre(v) => row.subgenre = v.as_deref(),
            ReleaseEdit::ReleaseDate(v) => row.release_date = v.as_deref(),
            ReleaseEdit::OriginalReleaseDate(v) => row.original_release_date = v.as_deref(),
            ReleaseEdit::ParentalAdvisory(v) => row.parental_advisory = *v,
            ReleaseEdit::MetadataLanguage(v) => row.metadata_language = v.as_deref(),
            ReleaseEdit::LabelId(id) => row.label_id = *id,
            // Title, artist, type and UPC come from the plan's own fields; localized titles
            // are rows of their own, written after.
            ReleaseEdit::Title(_)
            | ReleaseEdit::DisplayArtist(_)
            | ReleaseEdit::ReleaseType(_)
            | ReleaseEdit::Upc(_)
            | ReleaseEdit::LocalizedTitle { .. } => {}
        }
    }
    for track in &release.tracks {
        let mut new = ImportedTrack {
            disc: track.disc,
            number: track.number,
            isrc: None,
            title: &track.title,
            version: None,
            display_artist: &track.artist,
            duration_ms: None,
            explicit: false,
            audio_language: None,
            contributors: &track.contributors,
            writers: track.writers.as_deref().unwrap_or_default(),
        };
        for edit in &track.edits {
            match edit {
                TrackEdit::Isrc(v) => new.isrc = v.as_ref().map(|i| i.as_str()),
                TrackEdit::Version(v) => new.version = v.as_deref(),
                TrackEdit::DurationMs(v) => new.duration_ms = *v,
                TrackEdit::Explicit(v) => new.explicit = *v,
                TrackEdit::AudioLanguage(v) => new.audio_language = v.as_deref(),
                TrackEdit::Title(_) | TrackEdit::DisplayArtist(_) | TrackEdit::LocalizedTitle { .. } => {}
            }
        }
        row.tracks.push(new);
    }
    row
}
