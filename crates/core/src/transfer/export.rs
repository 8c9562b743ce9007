//! Exports as CSV or XLSX, streamed a chunk of releases at a time (memory stays bounded by a
//! few chunks; XLSX sheets are written with rust_xlsxwriter's constant-memory mode). Two layouts:
//! Catno's template, which imports back without loss, and a flat label copy with a column per
//! credit role for people who read it. An XLSX of the template adds a `Rights` and a `QC`
//! sheet for reference. Every file appears complete or not at all.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use catno_db::{EXPORT_CHUNK, ExportRelease, ExportTrack, ExportWriter};
use catno_domain::{ContributorRole, Release, RightsLine, WriterRole};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use catno_rights::{ReleaseRights, TrackKey};
use futures_util::StreamExt;

use super::ExportSummary;
use super::csv_template::{Field, escape_cell, format_duration, is_formula_like};
use super::rights_text::format_rules;
use crate::jobs::JobHandle;
use crate::{Catalog, Error, Result};

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// What the rows say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportLayout {
    /// Catno's template: one row per track, importable again without loss.
    #[default]
    Template,
    /// One row per track with readable headers and a column per credit role.
    LabelCopy,
}

/// Which releases an export writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportScope {
    /// Every release of the catalog, in creation order.
    All,
    /// Every release of one label, in creation order.
    Label { id: i64 },
    /// These releases, in this order.
    Releases { ids: Vec<i64> },
}

/// The QC profile whose findings the `QC` sheet lists.
const QC_PROFILE: &str = "generic";

/// A cell as written: text (escaped against formula injection) or a whole number.
#[derive(Clone)]
enum Cell {
    Text(String),
    Int(i64),
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// One output file, written table by table, row by row.
// One sink lives per export: the variants' size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Sink {
    Csv { writer: csv::Writer<BufWriter<File>>, tables: usize },
    Xlsx { book: Box<Workbook>, sheets: usize, row: u32, header: Format, text: Format, quoted: Format },
}

impl Sink {
    fn new(format: ExportFormat, partial: &Path) -> Result<Sink> {
        Ok(match format {
            ExportFormat::Csv => {
                let file = File::create(partial).map_err(|e| io(partial, &e))?;
                Sink::Csv { writer: csv::WriterBuilder::new().from_writer(BufWriter::new(file)), tables: 0 }
            }
            ExportFormat::Xlsx => Sink::Xlsx {
                book: Box::new(Workbook::new()),
                sheets: 0,
                row: 0,
                header: Format::new().set_bold(),
                // Text cells are written as text even when they look like numbers (UPCs).
                text: Format::new().set_num_format("@"),
                // Excel shows the value as typed text, never runs it, and says so on edit.
                quoted: Format::new().set_num_format("@").set_quote_prefix(),
            },
        })
    }

    /// Whether the file holds more than one table (the template's Rights and QC sheets).
    fn is_workbook(&self) -> bool {
        matches!(self, Sink::Xlsx { .. })
    }

    /// Starts a table; a CSV file holds only the first (`false` for the rest).
    fn table(
        &mut self,
        name: &str,
        headers: &[&str],
        widths: &[f64],
    ) -> std::result::Result<bool, XlsxError> {
        match self {
            Sink::Csv { writer, tables } => {
                *tables += 1;
                if *tables > 1 {
                    return Ok(false);
                }
                writer.write_record(headers).map_err(|e| XlsxError::IoError(e.into()))?;
                Ok(true)
            }
            Sink::Xlsx { book, sheets, row, header, .. } => {
                let sheet = book.add_worksheet_with_constant_memory()?;
                sheet.set_name(name)?;
                for (col, width) in widths.iter().enumerate() {
                    sheet.set_column_width(col as u16, *width)?;
                }
                for (col, title) in headers.iter().enumerate() {
                    sheet.write_string_with_format(0, col as u16, *title, header)?;
                }
                sheet.set_freeze_panes(1, 0)?;
                *sheets += 1;
                *row = 1;
                Ok(true)
            }
        }
    }

    fn row(&mut self, cells: &[Cell]) -> std::result::Result<(), XlsxError> {
        match self {
            Sink::Csv { writer, .. } => writer
                .write_record(cells.iter().map(|c| match c {
                    Cell::Text(t) => escape_cell(t).into_owned(),
                    Cell::Int(i) => i.to_string(),
                }))
                .map_err(|e| XlsxError::IoError(e.into())),
            Sink::Xlsx { book, sheets, row, text, quoted, .. } => {
                let sheet = book.worksheet_from_index(*sheets - 1)?;
                for (col, cell) in cells.iter().enumerate() {
                    let col = col as u16;
                    match cell {
                        Cell::Int(i) => {
                            sheet.write_number(*row, col, *i as f64)?;
                        }
                        Cell::Text(t) if t.is_empty() => {}
                        Cell::Text(t) if is_formula_like(t) => {
                            sheet.write_string_with_format(*row, col, t, quoted)?;
                        }
                        Cell::Text(t) => {
                            sheet.write_string_with_format(*row, col, t, text)?;
                        }
                    }
                }
                *row += 1;
                Ok(())
            }
        }
    }

    fn finish(self, partial: &Path) -> std::result::Result<(), XlsxError> {
        match self {
            Sink::Csv { mut writer, .. } => writer.flush().map_err(XlsxError::IoError),
            Sink::Xlsx { mut book, .. } => book.save(partial),
        }
    }
}

fn io(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::Io { path: path.display().to_string(), message: e.to_string() }
}

/// `name.csv.part` beside `out`: renamed over `out` only once complete.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".part");
    out.with_file_name(name)
}

pub(super) async fn write(
    catalog: &Catalog,
    format: ExportFormat,
    layout: ExportLayout,
    scope: ExportScope,
    out: &Path,
) -> Result<ExportSummary> {
    write_reporting(catalog, format, layout, scope, out, None).await
}

/// [`write`] reporting to `job`: one unit per release of the first table. A cancel stops it
/// with an error and removes the partial file.
pub(super) async fn write_reporting(
    catalog: &Catalog,
    format: ExportFormat,
    layout: ExportLayout,
    scope: ExportScope,
    out: &Path,
    job: Option<&JobHandle>,
) -> Result<ExportSummary> {
    let ids = {
        let mut conn = catalog.db().read().await?;
        match scope {
            ExportScope::All => catno_db::all_release_ids(&mut conn).await?,
            ExportScope::Label { id } => catno_db::release_ids_of_label(&mut conn, id).await?,
            ExportScope::Releases { ids } => {
                for id in &ids {
                    catno_db::release_exists(&mut conn, *id).await?;
                }
                ids
            }
        }
    };
    if let Some(job) = job {
        job.set_total(u32::try_from(ids.len()).unwrap_or(u32::MAX));
    }
    let partial = partial_path(out);
    let mut sink = Sink::new(format, &partial)?;
    let result = write_tables(catalog, &mut sink, layout, &ids, out, job).await;
    let result = match result {
        Ok(rows) => sink.finish(&partial).map(|()| rows).map_err(|e| io(out, &e)),
        Err(e) => {
            drop(sink);
            Err(e)
        }
    };
    match result {
        Ok(rows) => {
            std::fs::rename(&partial, out).map_err(|e| io(out, &e))?;
            Ok(ExportSummary { releases: ids.len(), rows })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Writes every table of the layout; returns the rows of the first (the tracks).
async fn write_tables(
    catalog: &Catalog,
    sink: &mut Sink,
    layout: ExportLayout,
    ids: &[i64],
    out: &Path,
    job: Option<&JobHandle>,
) -> Result<usize> {
    let x = |e: XlsxError| io(out, &e);
    // Between releases: stop when cancelled, else count the release done.
    let step = |title: &str| match job {
        Some(job) if job.is_cancelled() => {
            Err(Error::Invalid(format!("{}: export cancelled", out.display())))
        }
        Some(job) => {
            job.advance(title);
            Ok(())
        }
        None => Ok(()),
    };
    let mut rows = 0;
    // The template's Rights sheet, gathered while the releases pass by: a few rules a release.
    let mut rights_rows: Vec<Vec<Cell>> = Vec::new();
    // The template's UPCs by release, for the QC sheet.
    let mut upcs: HashMap<i64, String> = HashMap::new();
    match layout {
        ExportLayout::Template => {
            let headers: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            let widths: Vec<f64> = Field::ALL.iter().map(|f| template_width(*f)).collect();
            sink.table("Tracks", &headers, &widths).map_err(x)?;
            let workbook = sink.is_workbook();
            let mut loaded = prefetched(catalog, ids);
            while let Some(chunk) = loaded.next().await {
                for ExportRelease { release, tracks, rights } in chunk? {
                    for cells in template_rows(&release, &tracks, &rights) {
                        sink.row(&cells).map_err(x)?;
                        rows += 1;
                    }
                    if workbook {
                        let upc = release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default();
                        rights_rows.extend(rights_sheet_rows(&release, &upc, &tracks, &rights));
                        upcs.insert(release.id, upc);
                    }
                    step(&release.title)?;
                }
            }
        }
        ExportLayout::LabelCopy => {
            let headers = label_copy_headers();
            let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            let widths = vec![18.0; headers.len()];
            sink.table("Label copy", &header_refs, &widths).map_err(x)?;
            let mut loaded = prefetched(catalog, ids);
            while let Some(chunk) = loaded.next().await {
                for ExportRelease { release, tracks, .. } in chunk? {
                    for track in &tracks {
                        sink.row(&label_copy_row(&release, track)).map_err(x)?;
                        rows += 1;
                    }
                    step(&release.title)?;
                }
            }
        }
    }
    if layout == ExportLayout::Template
        && sink
            .table(
                "Rights",
                &["release_id", "upc", "release_title", "level", "track", "isrc", "rule"],
                &[10.0, 16.0, 30.0, 8.0, 6.0, 15.0, 60.0],
            )
            .map_err(x)?
    {
        for cells in &rights_rows {
            sink.row(cells).map_err(x)?;
        }
    }
    if layout == ExportLayout::Template
        && sink
            .table(
                "QC",
                &["release_id", "upc", "file", "kind", "analysed_at", "severity", "rule", "message", "fix"],
                &[10.0, 16.0, 40.0, 8.0, 20.0, 9.0, 18.0, 60.0, 40.0],
            )
            .map_err(x)?
    {
        for id in ids {
            let qc = catalog.stored_release_qc(*id, QC_PROFILE).await?;
            let upc = upcs.get(id).cloned().unwrap_or_default();
            for file in &qc.files {
                let base = |severity: String, rule: String, message: String, fix: String| {
                    vec![
                        Cell::Int(*id),
                        upc.clone().into(),
                        file.path.clone().into(),
                        file.kind.as_str().to_owned().into(),
                        file.analyzed_at.clone().unwrap_or_default().into(),
                        severity.into(),
                        rule.into(),
                        message.into(),
                        fix.into(),
                    ]
                };
                if let Some(error) = &file.error {
                    sink.row(&base("not analysed".into(), String::new(), error.clone(), String::new()))
                        .map_err(x)?;
                } else if file.findings.is_empty() {
                    sink.row(&base("ok".into(), String::new(), String::new(), String::new())).map_err(x)?;
                }
                for finding in &file.findings {
                    sink.row(&base(
                        format!("{:?}", finding.severity).to_lowercase(),
                        finding.rule_id.clone(),
                        finding.message.clone(),
                        finding.fix_hint.clone().unwrap_or_default(),
                    ))
                    .map_err(x)?;
                }
            }
        }
    }
    Ok(rows)
}

/// The Rights sheet's rows of one release: its release rules, then each track's override
/// rules with the track's position and ISRC.
fn rights_sheet_rows(
    release: &Release,
    upc: &str,
    tracks: &[ExportTrack],
    rights: &ReleaseRights,
) -> Vec<Vec<Cell>> {
    let row = |level: &str, position: Cell, isrc: &str, rule: &catno_rights::Rule| {
        vec![
            Cell::Int(release.id),
            upc.to_owned().into(),
            release.title.clone().into(),
            level.to_owned().into(),
            position,
            isrc.to_owned().into(),
            rule.describe().into(),
        ]
    };
    let mut rows: Vec<Vec<Cell>> =
        rights.release.iter().map(|rule| row("release", String::new().into(), "", rule)).collect();
    for entry in &rights.track_rules {
        let found = tracks.iter().position(|t| t.track_id == entry.track.0);
        let position = found.map_or(Cell::Text(String::new()), |i| Cell::Int(i as i64 + 1));
        let isrc = found.and_then(|i| tracks[i].isrc.as_deref()).unwrap_or_default();
        rows.extend(entry.rules.iter().map(|rule| row("track", position.clone(), isrc, rule)));
    }
    rows
}

/// Chunks of [`EXPORT_CHUNK`] releases loaded ahead of the one being written, each by a task of
/// its own on its own pooled connection, so the catalog reads run beside the formatting with
/// memory bounded by a few chunks.
const PREFETCH: usize = 2;

/// The releases of `ids`, in order, a chunk at a time: a handful of queries per chunk, not
/// per release.
fn prefetched(
    catalog: &Catalog,
    ids: &[i64],
) -> impl futures_util::Stream<Item = Result<Vec<ExportRelease>>> + 'static {
    let catalog = catalog.clone();
    let chunks: Vec<Vec<i64>> = ids.chunks(EXPORT_CHUNK).map(<[i64]>::to_vec).collect();
    futures_util::stream::iter(chunks)
        .map(move |chunk| {
            let catalog = catalog.clone();
            let mut task = AbortOnDrop(tokio::spawn(async move {
                let mut conn = catalog.db().read().await?;
                Ok::<_, Error>(catno_db::export_releases(&mut conn, &chunk).await?)
            }));
            async move { (&mut task.0).await.map_err(|e| Error::Invalid(format!("export stopped: {e}")))? }
        })
        .buffered(PREFETCH)
}

/// A spawned chunk load, stopped when the export stops before reaching it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(super) async fn load(catalog: &Catalog, id: i64) -> Result<(Release, Vec<ExportTrack>, ReleaseRights)> {
    let mut conn = catalog.db().read().await?;
    let loaded = catno_db::export_releases(&mut conn, &[id]).await?.pop();
    let loaded = loaded.ok_or(catno_db::DbError::NotFound { what: "release", id })?;
    Ok((loaded.release, loaded.tracks, loaded.rights))
}

fn template_width(field: Field) -> f64 {
    match field {
        Field::ReleaseTitle | Field::TrackTitle | Field::Contributors | Field::Writers => 32.0,
        Field::Disc | Field::Track | Field::Explicit => 6.0,
        Field::PLine | Field::CLine => 26.0,
        _ => 15.0,
    }
}

/// The template's rows of one release: one per track, or one without track cells.
fn template_rows(release: &Release, tracks: &[ExportTrack], rights: &ReleaseRights) -> Vec<Vec<Cell>> {
    let release_cells = release_cells(release, rights);
    if tracks.is_empty() {
        let mut cells: Vec<Cell> = release_cells.into_iter().map(Cell::Text).collect();
        cells.resize_with(Field::ALL.len(), || Cell::Text(String::new()));
        return vec![cells];
    }
    tracks
        .iter()
        .map(|track| {
            let mut cells: Vec<Cell> = release_cells.iter().cloned().map(Cell::Text).collect();
            cells.extend([
                Cell::Int(track.disc_number),
                Cell::Int(track.track_number),
                track.isrc.clone().unwrap_or_default().into(),
                track.title.clone().into(),
                track.version.clone().unwrap_or_default().into(),
                track.display_artist.clone().into(),
                track.duration_ms.map(format_duration).unwrap_or_default().into(),
                if track.explicit { "yes" } else { "no" }.to_owned().into(),
                track.audio_language.clone().unwrap_or_default().into(),
                track
                    .contributors
                    .iter()
                    .map(|(role, name)| format!("{role}:{name}"))
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                track.writers.iter().map(writer_text).collect::<Vec<_>>().join("; ").into(),
                format_rules(rights.rules_of(TrackKey(track.track_id))).into(),
            ]);
            cells
        })
        .collect()
}

fn writer_text((role, name, publisher, share): &ExportWriter) -> String {
    format!("{role}:{name}:{}:{}%", publisher.as_deref().unwrap_or_default(), share_text(*share))
}

fn rights_line(line: &Option<RightsLine>) -> String {
    line.as_ref().map(|l| format!("{} {}", l.year, l.holder)).unwrap_or_default()
}

fn release_cells(r: &Release, rights: &ReleaseRights) -> [String; 16] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        r.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default(),
        r.title.clone(),
        opt(&r.version),
        r.display_artist.clone(),
        r.label_name.clone(),
        r.release_type.as_str().to_owned(),
        opt(&r.catalog_number),
        opt(&r.release_date),
        opt(&r.original_release_date),
        opt(&r.genre),
        opt(&r.subgenre),
        rights_line(&r.p_line),
        rights_line(&r.c_line),
        r.parental_advisory.as_str().to_owned(),
        opt(&r.metadata_language),
        format_rules(&rights.release),
    ]
}

/// Credit roles with a column of their own in the label copy (main artists are the artist).
fn label_copy_roles() -> impl Iterator<Item = ContributorRole> {
    ContributorRole::ALL.iter().copied().filter(|r| {
        !matches!(r, ContributorRole::MainArtist | ContributorRole::Composer | ContributorRole::Lyricist)
    })
}

/// A role's column header, words apart: `MixingEngineer` → `Mixing Engineer`.
pub(super) fn role_header(role: &str) -> String {
    let mut out = String::new();
    for (i, c) in role.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    match out.as_str() {
        "Featured Artist" => "Featuring".to_owned(),
        "Composer Lyricist" => "Composer & Lyricist".to_owned(),
        _ => out,
    }
}

fn label_copy_headers() -> Vec<String> {
    let mut headers: Vec<String> = [
        "UPC",
        "Release Title",
        "Release Version",
        "Release Artist",
        "Label",
        "Catalog Number",
        "Release Type",
        "Release Date",
        "Original Release Date",
        "Genre",
        "Subgenre",
        "P Line",
        "C Line",
        "Disc",
        "Track",
        "ISRC",
        "Track Title",
        "Track Version",
        "Track Artist",
        "Duration",
        "Explicit",
    ]
    .map(str::to_owned)
    .to_vec();
    headers.extend(label_copy_roles().map(|r| role_header(r.as_str())));
    headers.extend(WriterRole::ALL.iter().map(|r| role_header(r.as_str())));
    headers.push("Publishers".to_owned());
    headers.push("Splits".to_owned());
    headers
}

fn label_copy_row(release: &Release, track: &ExportTrack) -> Vec<Cell> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut cells: Vec<Cell> = vec![
        release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default().into(),
        release.title.clone().into(),
        opt(&release.version).into(),
        release.display_artist.clone().into(),
        release.label_name.clone().into(),
        opt(&release.catalog_number).into(),
        release.release_type.as_str().to_owned().into(),
        opt(&release.release_date).into(),
        opt(&release.original_release_date).into(),
        opt(&release.genre).into(),
        opt(&release.subgenre).into(),
        release.p_line.as_ref().map(|l| format!("℗ {} {}", l.year, l.holder)).unwrap_or_default().into(),
        release.c_line.as_ref().map(|l| format!("© {} {}", l.year, l.holder)).unwrap_or_default().into(),
        Cell::Int(track.disc_number),
        Cell::Int(track.track_number),
        opt(&track.isrc).into(),
        track.title.clone().into(),
        opt(&track.version).into(),
        track.display_artist.clone().into(),
        track.duration_ms.map(format_duration).unwrap_or_default().into(),
        if track.explicit { "Yes" } else { "No" }.to_owned().into(),
    ];
    for role in label_copy_roles() {
        let names: Vec<&str> =
            track.contributors.iter().filter(|(r, _)| r == role.as_str()).map(|(_, n)| n.as_str()).collect();
        cells.push(names.join("; ").into());
    }
    for role in WriterRole::ALL {
        let names: Vec<&str> =
            track.writers.iter().filter(|w| w.0 == role.as_str()).map(|w| w.1.as_str()).collect();
        cells.push(names.join("; ").into());
    }
    let mut publishers: Vec<&str> = Vec::new();
    for publisher in track.writers.iter().filter_map(|w| w.2.as_deref()) {
        if !publishers.contains(&publisher) {
            publishers.push(publisher);
        }
    }
    cells.push(publishers.join("; ").into());
    cells.push(
        track
            .writers
            .iter()
            .map(|(_, name, _, share)| format!("{name} {}%", share_text(*share)))
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
    );
    cells
}

/// Basis points as a percentage without trailing zeros: 5000 → `50`, 3333 → `33.33`.
pub(super) fn share_text(basis_points: i64) -> String {
    let text = format!("{}.{:02}", basis_points / 100, basis_points % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
