//! The CSV export, streamed release by release.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use catno_db::Connection;
use catno_domain::{Release, RightsLine};

use super::ExportSummary;
use super::csv_template::{Field, escape_cell, format_duration};
use crate::{Error, Result};

pub(super) async fn write(
    conn: &mut Connection,
    release_ids: Option<Vec<i64>>,
    out: &Path,
) -> Result<ExportSummary> {
    let ids = match release_ids {
        Some(ids) => {
            for id in &ids {
                catno_db::release_exists(conn, *id).await?;
            }
            ids
        }
        None => catno_db::all_release_ids(conn).await?,
    };
    let io =
        |e: &dyn std::fmt::Display| Error::Io { path: out.display().to_string(), message: e.to_string() };
    let partial = out.with_extension("csv.part");
    let file = File::create(&partial).map_err(|e| io(&e))?;
    let mut writer = csv::WriterBuilder::new().from_writer(BufWriter::new(file));
    let result = async {
        writer.write_record(Field::ALL.iter().map(|f| f.name())).map_err(|e| io(&e))?;
        let mut rows = 0;
        for id in &ids {
            let release = catno_db::get_release(conn, *id).await?;
            let tracks = catno_db::export_release_tracks(conn, *id).await?;
            let release_cells = release_cells(&release);
            if tracks.is_empty() {
                let mut cells: Vec<String> = release_cells.to_vec();
                cells.resize(Field::ALL.len(), String::new());
                write_row(&mut writer, &cells).map_err(|e| io(&e))?;
                rows += 1;
            }
            for track in &tracks {
                let mut cells: Vec<String> = release_cells.to_vec();
                cells.extend([
                    track.disc_number.to_string(),
                    track.track_number.to_string(),
                    track.isrc.clone().unwrap_or_default(),
                    track.title.clone(),
                    track.version.clone().unwrap_or_default(),
                    track.display_artist.clone(),
                    track.duration_ms.map(format_duration).unwrap_or_default(),
                    if track.explicit { "yes" } else { "no" }.to_owned(),
                    track.audio_language.clone().unwrap_or_default(),
                    track
                        .contributors
                        .iter()
                        .map(|(role, name)| format!("{role}:{name}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                    track
                        .writers
                        .iter()
                        .map(|(role, name, publisher, share)| {
                            format!(
                                "{role}:{name}:{}:{}%",
                                publisher.as_deref().unwrap_or_default(),
                                share_text(*share)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ]);
                write_row(&mut writer, &cells).map_err(|e| io(&e))?;
                rows += 1;
            }
        }
        writer.flush().map_err(|e| io(&e))?;
        Ok::<_, Error>(rows)
    }
    .await;
    drop(writer);
    match result {
        Ok(rows) => {
            std::fs::rename(&partial, out).map_err(|e| io(&e))?;
            Ok(ExportSummary { releases: ids.len(), rows })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn write_row<W: std::io::Write>(writer: &mut csv::Writer<W>, cells: &[String]) -> csv::Result<()> {
    writer.write_record(cells.iter().map(|c| escape_cell(c).into_owned()))
}

fn release_cells(r: &Release) -> [String; 15] {
    let line =
        |l: &Option<RightsLine>| l.as_ref().map(|l| format!("{} {}", l.year, l.holder)).unwrap_or_default();
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
        line(&r.p_line),
        line(&r.c_line),
        r.parental_advisory.as_str().to_owned(),
        opt(&r.metadata_language),
    ]
}

/// Basis points as a percentage without trailing zeros: 5000 → `50`, 3333 → `33.33`.
fn share_text(basis_points: i64) -> String {
    let text = format!("{}.{:02}", basis_points / 100, basis_points % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
