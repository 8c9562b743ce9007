//! Importing DDEX ERN messages (4.3 and 3.8.2 `NewReleaseMessage`) into the catalog, so a
//! label can migrate from another system.
//!
//! One file is one transaction: any error leaves the catalog untouched. What a migrating
//! label expects when it imports the same message twice, or a newer message for a release
//! it already has, is what DDEX itself says: the latest message is the truth. So:
//! - the release is matched by its ICPN (UPC/EAN); without one, by an existing release
//!   without UPC that has the same title and display artist and holds the message's first
//!   ISRC;
//! - tracks are matched by ISRC (on that release first, then anywhere in the catalog: the
//!   same recording on a compilation is linked, not duplicated);
//! - matched releases and tracks are updated to the message; credits, writers and (when the
//!   message has deals) rights rules are replaced by the message's; fields a message leaves
//!   out keep their catalog value; tracks on the release that the message does not list
//!   are kept and reported; nothing is deleted;
//! - when the message changes nothing, the outcome is `Unchanged` ("already in catalog") and
//!   nothing is written, not even a modification time.
//!
//! Audio and artwork files named in the message are not imported (attach them, then QC).
//! A `PurgeReleaseMessage` is reported, never applied: import does not delete releases.

use std::path::Path;

use catno_db::CreditOwner;
use catno_ddex::{ErnContent, ErnVersion, ImportFinding, ImportedRelease, MAX_IMPORT_BYTES, Severity};
use catno_domain::{ContributorRole, Release, ReleaseEdit, Track, TrackEdit, ids::normalize_dsp_artist_id};
use catno_rights::{ReleaseRights, TrackKey};
use serde::{Deserialize, Serialize};

use crate::ddex::DdexSeverity;
use crate::{Catalog, ChangedEntity, Error, Result};

/// What importing one file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DdexImportOutcome {
    /// A new release was created.
    Created,
    /// An existing release (matched by ICPN, or title and ISRC) was updated.
    Updated,
    /// The release is already in the catalog exactly as the message says; nothing written.
    Unchanged,
    /// The message holds nothing to import (a purge, a deal-only message without a release
    /// id); see the findings.
    NothingToImport,
    /// Errors (see the findings); nothing was written.
    Failed,
}

/// One finding about the file, at a 1-based line and column (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexImportFinding {
    pub severity: DdexSeverity,
    pub line: u32,
    pub column: u32,
    /// The element it is about (`SoundRecording`, `Deal`...), empty for the whole file.
    pub element: String,
    pub message: String,
}

impl DdexImportFinding {
    pub fn is_error(&self) -> bool {
        self.severity == DdexSeverity::Error
    }
}

impl std::fmt::Display for DdexImportFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            DdexSeverity::Error => "error",
            DdexSeverity::Warning => "warning",
        };
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        write!(f, "{level}: ")?;
        if !self.element.is_empty() {
            write!(f, "{}: ", self.element)?;
        }
        f.write_str(&self.message)
    }
}

/// The summary of importing one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexImportReport {
    pub path: String,
    /// `4.3` or `3.8.2` (the reader used), when the file is an ERN message.
    pub ern_version: Option<String>,
    /// The root element, e.g. `NewReleaseMessage`.
    pub message_type: String,
    pub outcome: DdexImportOutcome,
    pub release_id: Option<i64>,
    pub title: Option<String>,
    pub upc: Option<String>,
    pub tracks_created: u32,
    pub tracks_updated: u32,
    /// Credits (display artists and contributors) written, release and tracks.
    pub credits: u32,
    pub writers: u32,
    /// Rights rules written from the message's deals (`None`: the message has no deals and
    /// the release's rules were left as they were).
    pub rights_rules: Option<u32>,
    pub findings: Vec<DdexImportFinding>,
}

impl DdexImportReport {
    fn new(path: &Path) -> Self {
        DdexImportReport {
            path: path.display().to_string(),
            ern_version: None,
            message_type: String::new(),
            outcome: DdexImportOutcome::Failed,
            release_id: None,
            title: None,
            upc: None,
            tracks_created: 0,
            tracks_updated: 0,
            credits: 0,
            writers: 0,
            rights_rules: None,
            findings: Vec::new(),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(DdexImportFinding::is_error)
    }

    fn note(&mut self, severity: DdexSeverity, message: impl Into<String>) {
        self.findings.push(DdexImportFinding {
            severity,
            line: 0,
            column: 0,
            element: String::new(),
            message: message.into(),
        });
    }

    fn warn(&mut self, message: impl Into<String>) {
        self.note(DdexSeverity::Warning, message);
    }

    fn fail(&mut self, message: impl Into<String>) {
        self.note(DdexSeverity::Error, message);
        self.outcome = DdexImportOutcome::Failed;
    }
}

fn finding(f: ImportFinding) -> DdexImportFinding {
    DdexImportFinding {
        severity: match f.severity {
            Severity::Error => DdexSeverity::Error,
            Severity::Warning => DdexSeverity::Warning,
        },
        line: f.line,
        column: f.column,
        element: f.element,
        message: f.message,
    }
}

/// The catalog state an import compares before and after, without modification times.
#[derive(PartialEq)]
struct Snapshot {
    release: Release,
    tracks: Vec<(i64, i64, Track)>,
    artists: Vec<catno_domain::Artist>,
    rights: ReleaseRights,
}

async fn snapshot(conn: &mut catno_db::Connection, release_id: i64) -> Result<Snapshot> {
    // Credit and writer row ids change when an import rewrites them; only content counts.
    let mut release = catno_db::get_release(conn, release_id).await?;
    release.updated_at.clear();
    release.artists.iter_mut().for_each(|c| c.id = 0);
    let mut tracks = Vec::new();
    let mut artist_ids: Vec<i64> = release.artists.iter().map(|c| c.artist_id).collect();
    for summary in catno_db::list_release_tracks(conn, release_id, 0, i64::MAX).await?.items {
        let mut track = catno_db::get_track(conn, summary.id).await?;
        track.updated_at.clear();
        track.contributors.iter_mut().for_each(|c| c.id = 0);
        track.writers.iter_mut().for_each(|w| w.id = 0);
        artist_ids.extend(track.contributors.iter().map(|c| c.artist_id));
        tracks.push((summary.disc_number, summary.track_number, track));
    }
    artist_ids.sort_unstable();
    artist_ids.dedup();
    let mut artists = Vec::with_capacity(artist_ids.len());
    for id in artist_ids {
        artists.push(catno_db::get_artist(conn, id).await?);
    }
    let rights = catno_db::load_release_rights(conn, release_id).await?;
    Ok(Snapshot { release, tracks, artists, rights })
}

/// Added to a disc number to park a track while a release's running order is rewritten.
const PARKED_DISC: i64 = 10_000;

/// What the writing step did.
struct Stored {
    release_id: i64,
    created: bool,
    changed: bool,
    tracks: Vec<i64>,
}

impl Catalog {
    /// Imports one ERN file into the catalog in one transaction (see the module doc for how
    /// existing releases and tracks are matched). Problems with the file are findings in the
    /// report, never an `Err`; `Err` means the catalog itself could not be used.
    pub async fn import_ddex(&self, path: &Path) -> Result<DdexImportReport> {
        let mut report = DdexImportReport::new(path);
        let owned = path.to_owned();
        // Size first: a file over the cap is refused without reading it.
        let read = tokio::task::spawn_blocking(move || -> std::result::Result<_, String> {
            let size = std::fs::metadata(&owned).map_err(|e| e.to_string())?.len();
            if size > MAX_IMPORT_BYTES {
                return Err(format!(
                    "the file is {size} bytes, more than the {} MiB an ERN message may have; refused unread",
                    MAX_IMPORT_BYTES / (1024 * 1024)
                ));
            }
            let bytes = std::fs::read(&owned).map_err(|e| e.to_string())?;
            Ok(catno_ddex::read_ern(&bytes))
        })
        .await
        .map_err(|e| Error::Invalid(format!("background task failed: {e}")))?;
        let parsed = match read {
            Ok(parsed) => parsed,
            Err(message) => {
                report.fail(message);
                return Ok(report);
            }
        };
        report.ern_version = parsed.version.map(|v| match v {
            ErnVersion::Ern43 => "4.3".to_owned(),
            ErnVersion::Ern382 => "3.8.2".to_owned(),
        });
        report.message_type.clone_from(&parsed.message_type);
        let has_errors = parsed.has_errors();
        report.findings.extend(parsed.findings.into_iter().map(finding));
        if has_errors {
            report.outcome = DdexImportOutcome::Failed;
            return Ok(report);
        }
        match parsed.content {
            ErnContent::Nothing => report.outcome = DdexImportOutcome::NothingToImport,
            ErnContent::Purge { icpn, title } => {
                report.outcome = DdexImportOutcome::NothingToImport;
                report.title.clone_from(&title);
                report.upc.clone_from(&icpn);
                let held = match &icpn {
                    Some(code) => catno_db::release_id_by_upc(&mut *self.db().read().await?, code).await?,
                    None => None,
                };
                let named = format!(
                    "{}{}",
                    icpn.as_deref()
                        .map(|c| format!("ICPN {c}"))
                        .unwrap_or_else(|| "a release without ICPN".into()),
                    title.map(|t| format!(" ({t:?})")).unwrap_or_default()
                );
                report.warn(match held {
                    Some(id) => format!(
                        "PurgeReleaseMessage for {named}: import never deletes; release {id} stays in the catalog"
                    ),
                    None => format!("PurgeReleaseMessage for {named}: nothing to import (not in the catalog)"),
                });
            }
            ErnContent::Release(imported) => {
                report.title = Some(imported.release.title.clone());
                report.upc = imported.release.upc.as_ref().map(|u| u.as_str().to_owned());
                let mut tx = self.db().begin().await?;
                match store(&mut tx, &imported, &mut report).await {
                    Ok(stored) => {
                        report.release_id = Some(stored.release_id);
                        if stored.changed {
                            tx.commit().await.map_err(catno_db::DbError::from)?;
                            report.outcome = if stored.created {
                                DdexImportOutcome::Created
                            } else {
                                DdexImportOutcome::Updated
                            };
                            self.announce(ChangedEntity::Release, vec![stored.release_id]);
                            if !stored.tracks.is_empty() {
                                self.announce(ChangedEntity::Track, stored.tracks);
                            }
                        } else {
                            // Rolled back: not even the modification time moves.
                            drop(tx);
                            report.outcome = DdexImportOutcome::Unchanged;
                            report.tracks_updated = 0;
                            report.warn(format!(
                                "already in the catalog as release {} with this content; nothing changed",
                                stored.release_id
                            ));
                        }
                    }
                    Err(e) => {
                        drop(tx);
                        report.release_id = None;
                        report.fail(format!("nothing imported: {e}"));
                    }
                }
            }
        }
        Ok(report)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An existing release for this message, per the module doc.
async fn find_release(conn: &mut catno_db::Connection, imported: &ImportedRelease) -> Result<Option<i64>> {
    if let Some(upc) = &imported.release.upc {
        return Ok(catno_db::release_id_by_upc(conn, upc.as_str()).await?);
    }
    let Some(isrc) = imported.tracks.iter().find_map(|t| t.track.isrc.as_ref()) else { return Ok(None) };
    for (track_id, _) in catno_db::tracks_with_isrc(conn, isrc.as_str()).await? {
        for release_id in catno_db::releases_of_track(conn, track_id).await? {
            let existing = catno_db::get_release(conn, release_id).await?;
            if existing.upc.is_none()
                && existing.title.eq_ignore_ascii_case(&imported.release.title)
                && existing.display_artist.eq_ignore_ascii_case(&imported.release.display_artist)
            {
                return Ok(Some(release_id));
            }
        }
    }
    Ok(None)
}

/// Refuses a value the catalog's own editors would refuse, as a warning, keeping the rest.
fn checked_release_edit(report: &mut DdexImportReport, field: &str, value: &str) -> Option<ReleaseEdit> {
    match ReleaseEdit::parse(field, value) {
        Ok(edit) => Some(edit),
        Err(e) => {
            report.warn(format!("release {field} {value:?} not imported: {e}"));
            None
        }
    }
}

async fn replace_credits(
    conn: &mut catno_db::Connection,
    owner: CreditOwner,
    credits: &[catno_domain::Contributor],
) -> Result<u32> {
    for existing in catno_db::list_credits(conn, owner).await? {
        catno_db::remove_credit(conn, owner, existing.id).await?;
    }
    for c in credits {
        catno_db::add_credit(conn, owner, &c.artist_name, c.role).await?;
    }
    Ok(count(credits.len()))
}

/// The message's deals replace the release's rules ("the latest message is the truth").
async fn apply_rights(
    conn: &mut catno_db::Connection,
    release_id: i64,
    imported: &ImportedRelease,
    keys: &[TrackKey],
    existing: bool,
    report: &mut DdexImportReport,
) -> Result<()> {
    match &imported.deals {
        Some(deals) => {
            let current = catno_db::load_release_rights(conn, release_id).await?;
            let mut next = deals.to_rights(keys);
            next.tracks.clone_from(&current.tracks);
            for rule in next.release.iter().chain(next.track_rules.iter().flat_map(|t| t.rules.iter())) {
                rule.validate()?;
            }
            let groups = catno_db::load_territory_groups(conn).await?;
            let stores = catno_db::load_stores(conn).await?.ids();
            let violations = catno_rights::violations(&next, &groups, &stores)?;
            if let Some(first) = violations.first() {
                return Err(catno_rights::RightsError::SubsetViolation(first.message.clone()).into());
            }
            catno_db::replace_release_rights(conn, release_id, &next).await?;
            report.rights_rules = Some(count(
                next.release.len() + next.track_rules.iter().map(|t| t.rules.len()).sum::<usize>(),
            ));
            if !imported.recipient_name.is_empty() {
                report.warn(format!(
                    "the deals were addressed to {:?}; they are kept as the release's rights on every store",
                    imported.recipient_name
                ));
            }
        }
        None => report.warn(if existing {
            "the message has no deals; the release's rights rules were left as they were"
        } else {
            "the message has no deals; the release is available worldwide until rights rules are added"
        }),
    }
    Ok(())
}

async fn store(
    conn: &mut catno_db::Connection,
    imported: &ImportedRelease,
    report: &mut DdexImportReport,
) -> Result<Stored> {
    let source = &imported.release;
    let existing = find_release(conn, imported).await?;
    if imported.tracks.is_empty() && existing.is_none() {
        return Err(Error::Invalid(format!(
            "release {} is not in the catalog, and the message has no sound recordings to create it from",
            source.upc.as_ref().map_or_else(|| format!("{:?}", source.title), |u| u.as_str().to_owned())
        )));
    }
    if source.upc.is_none() {
        report.warn(format!(
            "the release has no ICPN (UPC/EAN){}: add one before delivery",
            imported
                .grid
                .as_deref()
                .map(|g| format!("; its GRid {g} is not kept by Catno"))
                .unwrap_or_default()
        ));
    }
    let before = match existing {
        Some(id) => Some(snapshot(conn, id).await?),
        None => None,
    };
    if let (true, Some(release_id)) = (imported.tracks.is_empty(), existing) {
        // A deal-only message (a takedown, new territories) for a release the catalog holds.
        report
            .warn("the message carries no recordings: only the release's rights were updated from its deals");
        apply_rights(conn, release_id, imported, &[], true, report).await?;
        catno_db::touch_release(conn, release_id).await?;
        let changed = match before {
            Some(before) => snapshot(conn, release_id).await? != before,
            None => true,
        };
        return Ok(Stored { release_id, created: false, changed, tracks: Vec::new() });
    }

    let label_name = if source.label_name.trim().is_empty() {
        let fallback = if imported.sender_name.trim().is_empty() {
            "Unknown label"
        } else {
            imported.sender_name.trim()
        };
        report.warn(format!("the message names no label; the release is filed under {fallback:?}"));
        fallback.to_owned()
    } else {
        source.label_name.clone()
    };
    let dpid = imported.label_dpid.as_deref().and_then(|d| match crate::ddex::check_dpid("label.dpid", d) {
        Ok(d) => Some(d),
        Err(e) => {
            report.warn(format!("label DPID not kept: {e}"));
            None
        }
    });
    let label_id = catno_db::ensure_label(conn, &label_name, dpid.as_deref()).await?;

    let release_date = source
        .release_date
        .as_deref()
        .and_then(|d| checked_release_edit(report, "release_date", d).map(|_| d.to_owned()));
    let release_id = match existing {
        Some(id) => id,
        None => {
            catno_db::insert_release(
                conn,
                &catno_db::NewRelease {
                    label_id,
                    title: &source.title,
                    display_artist: &source.display_artist,
                    release_type: source.release_type,
                    upc: source.upc.as_ref().map(|u| u.as_str()),
                    catalog_number: source.catalog_number.as_deref(),
                    release_date: release_date.as_deref(),
                },
            )
            .await?
        }
    };
    let mut edits = vec![
        ReleaseEdit::LabelId(label_id),
        ReleaseEdit::parse("title", &source.title)?,
        ReleaseEdit::parse("display_artist", &source.display_artist)?,
        ReleaseEdit::ReleaseType(source.release_type),
        ReleaseEdit::ParentalAdvisory(source.parental_advisory),
    ];
    if source.version.is_some() {
        edits.push(ReleaseEdit::Version(source.version.clone()));
    }
    if source.catalog_number.is_some() {
        edits.push(ReleaseEdit::CatalogNumber(source.catalog_number.clone()));
    }
    if source.p_line.is_some() {
        edits.push(ReleaseEdit::PLine(source.p_line.clone()));
    }
    if source.c_line.is_some() {
        edits.push(ReleaseEdit::CLine(source.c_line.clone()));
    }
    if source.genre.is_some() {
        edits.push(ReleaseEdit::Genre(source.genre.clone()));
    }
    if source.subgenre.is_some() {
        edits.push(ReleaseEdit::Subgenre(source.subgenre.clone()));
    }
    if release_date.is_some() {
        edits.push(ReleaseEdit::ReleaseDate(release_date.clone()));
    }
    if let Some(d) = source.original_release_date.as_deref()
        && let Some(edit) = checked_release_edit(report, "original_release_date", d)
    {
        edits.push(edit);
    }
    if let Some(language) = source.metadata_language.as_deref()
        && let Some(edit) = checked_release_edit(report, "metadata_language", language)
    {
        edits.push(edit);
    }
    for l in &source.localized_titles {
        if let Some(edit) = checked_release_edit(report, &format!("title@{}", l.language), &l.title) {
            edits.push(edit);
        }
    }
    for edit in &edits {
        catno_db::apply_release_edit(conn, release_id, edit).await?;
    }
    report.credits += replace_credits(conn, CreditOwner::Release(release_id), &source.artists).await?;

    // What the message says about artists: localized names and ISNIs.
    for artist in &imported.artists {
        let artist_id = catno_db::ensure_artist(conn, &artist.name).await?;
        for l in &artist.localized_names {
            catno_db::set_artist_localized_name(conn, artist_id, &l.language, Some(&l.title)).await?;
        }
        for id in &artist.dsp_ids {
            match normalize_dsp_artist_id(id.platform, &id.value) {
                Ok(value) => catno_db::set_artist_dsp_id(conn, artist_id, id.platform, Some(&value)).await?,
                Err(e) => report.warn(format!("{} of {} not kept: {e}", id.platform.as_str(), artist.name)),
            }
        }
    }

    // Tracks, matched by ISRC.
    let on_release = catno_db::list_release_tracks(conn, release_id, 0, i64::MAX).await?.items;
    let matched: Vec<Option<&catno_domain::TrackSummary>> = imported
        .tracks
        .iter()
        .map(|t| match t.track.isrc.as_ref() {
            Some(i) => on_release.iter().find(|s| s.isrc.as_deref() == Some(i.as_str())),
            // Without an ISRC, the same title without ISRC on this release is the same track
            // (so a re-import does not duplicate it).
            None => {
                on_release.iter().find(|s| s.isrc.is_none() && s.title.eq_ignore_ascii_case(&t.track.title))
            }
        })
        .collect();
    // A new running order: tracks that move, and tracks the message leaves out but whose
    // place it gives to another, step aside first so no two ever share a place.
    let wanted: Vec<(i64, i64)> =
        imported.tracks.iter().map(|t| (i64::from(t.disc), i64::from(t.number))).collect();
    let mut parked = Vec::new();
    for summary in &on_release {
        let place = (summary.disc_number, summary.track_number);
        let target = matched.iter().zip(&wanted).find(|(m, _)| m.is_some_and(|m| m.id == summary.id));
        let moves = match target {
            Some((_, to)) => *to != place,
            None => wanted.contains(&place),
        };
        if moves {
            catno_db::set_track_position(conn, release_id, summary.id, place.0 + PARKED_DISC, place.1)
                .await?;
            parked.push(summary.id);
        }
    }
    let mut keys: Vec<TrackKey> = Vec::with_capacity(imported.tracks.len());
    let mut touched = Vec::new();
    for (index, t) in imported.tracks.iter().enumerate() {
        let source_track = &t.track;
        let isrc = source_track.isrc.as_ref().map(|i| i.as_str());
        let here = matched.get(index).copied().flatten();
        let elsewhere = match (here, isrc) {
            (None, Some(i)) => catno_db::tracks_with_isrc(conn, i).await?.first().map(|(id, _)| *id),
            _ => None,
        };
        let position = (i64::from(t.disc), i64::from(t.number));
        let track_id = match (here, elsewhere) {
            (Some(summary), _) => {
                report.tracks_updated += 1;
                if parked.contains(&summary.id) {
                    catno_db::set_track_position(conn, release_id, summary.id, position.0, position.1)
                        .await?;
                }
                summary.id
            }
            (None, Some(id)) => {
                report.tracks_updated += 1;
                report.warn(format!(
                    "track {} ({}) is already in the catalog on another release; it is linked, not copied",
                    index + 1,
                    isrc.unwrap_or_default()
                ));
                catno_db::add_track_to_release(conn, release_id, id, position.0, position.1).await?;
                id
            }
            (None, None) => {
                report.tracks_created += 1;
                let id = catno_db::insert_track(
                    conn,
                    &catno_db::NewTrack {
                        isrc,
                        title: &source_track.title,
                        version: source_track.version.as_deref(),
                        display_artist: &source_track.display_artist,
                        duration_ms: source_track.duration_ms,
                        explicit: source_track.explicit,
                    },
                )
                .await?;
                catno_db::add_track_to_release(conn, release_id, id, position.0, position.1).await?;
                id
            }
        };
        let mut track_edits = vec![
            TrackEdit::parse("title", &source_track.title)?,
            TrackEdit::parse("display_artist", &source_track.display_artist)?,
            TrackEdit::Explicit(source_track.explicit),
        ];
        if source_track.version.is_some() {
            track_edits.push(TrackEdit::Version(source_track.version.clone()));
        }
        if source_track.duration_ms.is_some() {
            track_edits.push(TrackEdit::DurationMs(source_track.duration_ms));
        }
        if let Some(language) = source_track.audio_language.as_deref() {
            match TrackEdit::parse("audio_language", language) {
                Ok(edit) => track_edits.push(edit),
                Err(e) => report.warn(format!("track {} audio language not imported: {e}", index + 1)),
            }
        }
        for l in &source_track.localized_titles {
            match TrackEdit::parse(&format!("title@{}", l.language), &l.title) {
                Ok(edit) => track_edits.push(edit),
                Err(e) => report.warn(format!("track {} localized title not imported: {e}", index + 1)),
            }
        }
        for edit in &track_edits {
            catno_db::apply_track_edit(conn, track_id, edit).await?;
        }
        let mut credits = source_track.contributors.clone();
        if !credits.iter().any(|c| c.role == ContributorRole::MainArtist) {
            // Every catalog track has a main artist; DDEX may leave it to the release.
            credits.splice(0..0, source.artists.iter().filter(|c| c.role.is_display_artist()).cloned());
        }
        report.credits += replace_credits(conn, CreditOwner::Track(track_id), &credits).await?;
        catno_db::clear_writers(conn, track_id).await?;
        for w in &source_track.writers {
            catno_db::add_writer(
                conn,
                track_id,
                &w.name,
                w.role,
                w.publisher.as_deref(),
                w.share_basis_points,
            )
            .await?;
        }
        report.writers += count(source_track.writers.len());
        keys.push(TrackKey(track_id));
        touched.push(track_id);
    }
    let mut next_free: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for summary in on_release.iter().filter(|s| !touched.contains(&s.id)) {
        let mut place = (summary.disc_number, summary.track_number);
        if parked.contains(&summary.id) {
            // Its place went to a track of the message: it follows the last track of its disc.
            let next = next_free.entry(place.0).or_insert_with(|| {
                let last = wanted.iter().filter(|(d, _)| *d == place.0).map(|(_, n)| *n).max().unwrap_or(0);
                let kept = on_release
                    .iter()
                    .filter(|o| {
                        !touched.contains(&o.id) && !parked.contains(&o.id) && o.disc_number == place.0
                    })
                    .map(|o| o.track_number)
                    .max()
                    .unwrap_or(0);
                last.max(kept) + 1
            });
            place.1 = *next;
            *next += 1;
            catno_db::set_track_position(conn, release_id, summary.id, place.0, place.1).await?;
        }
        report.warn(format!(
            "track {:?}{} is on the catalog release but not in the message; kept as disc {} track {}",
            summary.title,
            summary.isrc.as_deref().map(|i| format!(" ({i})")).unwrap_or_default(),
            place.0,
            place.1
        ));
    }

    apply_rights(conn, release_id, imported, &keys, existing.is_some(), report).await?;
    catno_db::touch_release(conn, release_id).await?;

    let changed = match before {
        Some(before) => snapshot(conn, release_id).await? != before,
        None => true,
    };
    Ok(Stored { release_id, created: existing.is_none(), changed, tracks: touched })
}
