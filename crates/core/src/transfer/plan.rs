//! The import plan: every row parsed with the editor's parsers, grouped into releases,
//! matched against the catalog, with a problem per refused cell.

use std::collections::HashMap;
use std::path::Path;

use catno_db::Connection;
use catno_domain::{ContributorRole, ReleaseEdit, ReleaseType, TrackEdit, Upc, WriterRole};

use super::csv_template::{self, ColumnMapping, Field};
use super::{ImportPlan, ImportProblem, PlannedAction, PlannedRelease, PlannedTrack};
use crate::Result;

pub(super) struct Prepared {
    pub plan: ImportPlan,
    pub releases: Vec<PreparedRelease>,
}

pub(super) struct PreparedRelease {
    pub existing: Option<i64>,
    pub label: Option<String>,
    pub title: String,
    pub artist: String,
    pub release_type: ReleaseType,
    pub upc: Option<String>,
    pub edits: Vec<ReleaseEdit>,
    pub tracks: Vec<PreparedTrack>,
}

pub(super) type WriterShare = (WriterRole, String, Option<String>, i64);

pub(super) struct PreparedTrack {
    pub existing: Option<i64>,
    pub disc: i64,
    pub number: i64,
    pub title: String,
    pub artist: String,
    pub edits: Vec<TrackEdit>,
    pub contributors: Vec<(ContributorRole, String)>,
    pub writers: Option<Vec<WriterShare>>,
}

/// A data row as read: one buffer per row, cells unescaped when looked at.
struct Row {
    number: usize,
    record: csv::StringRecord,
}

/// The cell of `field` in `row` (empty when unmapped, or refused as a formula).
fn cell<'a>(positions: &[Option<usize>], row: &'a Row, field: Field) -> &'a str {
    positions[field.index()]
        .and_then(|p| row.record.get(p))
        .map(|raw| csv_template::unescape_cell(raw).unwrap_or(""))
        .unwrap_or("")
}

struct Group {
    rows: Vec<usize>,
    /// Per release column: the value and the row that gave it first.
    values: HashMap<Field, (String, usize)>,
}

impl Group {
    fn value(&self, field: Field) -> Option<&(String, usize)> {
        self.values.get(&field)
    }
}

struct Problems(Vec<ImportProblem>);

impl Problems {
    fn add(&mut self, row: usize, field: Option<Field>, message: impl Into<String>) {
        self.0.push(ImportProblem {
            row,
            column: field.map(|f| f.name().to_owned()).unwrap_or_default(),
            message: message.into(),
        });
    }
}

pub(super) async fn prepare(
    conn: &mut Connection,
    path: &Path,
    mapping: Option<&ColumnMapping>,
) -> Result<Prepared> {
    let decoded = csv_template::decode(path)?;
    let mut reader = csv_template::reader(&decoded);
    let headers = csv_template::headers(&mut reader)?;
    let mapping = match mapping {
        Some(m) => m.clone(),
        None => ColumnMapping::propose(&headers),
    };
    let columns = mapping.resolve(&headers)?;
    let mut notes = Vec::new();
    if decoded.encoding != "UTF-8" {
        notes.push(format!("the file is not UTF-8; read it as {}", decoded.encoding));
    }
    let ignored: Vec<&str> =
        headers.iter().zip(&columns).filter(|(_, c)| c.is_none()).map(|(h, _)| h.as_str()).collect();
    if !ignored.is_empty() {
        notes.push(format!("ignored columns: {}", ignored.join(", ")));
    }
    let mut problems = Problems(Vec::new());
    if !columns.iter().any(|c| matches!(c, Some(Field::Upc | Field::ReleaseTitle))) {
        problems.add(
            1,
            None,
            "no column maps to upc or release_title; pass a mapping (catno import-mapping)",
        );
    }

    let mut pos = vec![None; Field::ALL.len()];
    for (index, column) in columns.iter().enumerate() {
        if let Some(field) = column {
            pos[field.index()] = Some(index);
        }
    }

    // Read every row; refuse formula cells.
    let mut rows = Vec::new();
    let mut read = 0;
    for (index, record) in reader.records().enumerate() {
        let number = index + 2;
        read += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.add(number, None, format!("unreadable: {e}"));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            problems.add(
                number,
                None,
                format!(
                    "has {} cells but the header row has {}; check the delimiter and quotes",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        for (raw, column) in record.iter().zip(&columns) {
            if let (Some(field), Err(message)) = (column, csv_template::unescape_cell(raw)) {
                problems.add(number, Some(*field), message);
            }
        }
        rows.push(Row { number, record });
    }

    // Group rows into releases.
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let upc = cell(&pos, row, Field::Upc);
        let key = if !upc.is_empty() {
            match Upc::parse(upc) {
                Ok(u) => Some(format!("upc:{}", u.as_str())),
                Err(_) => Some(format!("raw:{upc}")),
            }
        } else if cell(&pos, row, Field::ReleaseTitle).is_empty() {
            None
        } else {
            let part = |f: Field| cell(&pos, row, f).to_lowercase();
            Some(format!(
                "t:{}|{}|{}|{}",
                part(Field::Label),
                part(Field::CatalogNumber),
                part(Field::ReleaseTitle),
                part(Field::ReleaseArtist)
            ))
        };
        let group = match key {
            Some(key) => *by_key.entry(key).or_insert_with(|| {
                groups.push(Group { rows: Vec::new(), values: HashMap::new() });
                groups.len() - 1
            }),
            None if !groups.is_empty() => groups.len() - 1,
            None => {
                problems.add(
                    row.number,
                    Some(Field::ReleaseTitle),
                    "must not be empty (no release above to continue)",
                );
                continue;
            }
        };
        let group = &mut groups[group];
        group.rows.push(index);
        for field in Field::RELEASE {
            let value = cell(&pos, row, field);
            if value.is_empty() {
                continue;
            }
            match group.values.get(&field) {
                Some((first, first_row)) if first != value => problems.add(
                    row.number,
                    Some(field),
                    format!("\"{value}\" differs from \"{first}\" on row {first_row} of the same release"),
                ),
                Some(_) => {}
                None => {
                    group.values.insert(field, (value.to_owned(), row.number));
                }
            }
        }
    }

    let mut planned = Vec::new();
    let mut prepared = Vec::new();
    for group in &groups {
        let first_row = rows[group.rows[0]].number;
        let upc =
            group.value(Field::Upc).and_then(|(v, _)| Upc::parse(v).ok()).map(|u| u.as_str().to_owned());
        let existing = match &upc {
            Some(upc) => catno_db::release_id_by_upc(conn, upc).await?,
            None => None,
        };
        let mut edits = Vec::new();
        let mut release_type = ReleaseType::Album;
        for field in Field::RELEASE {
            let (Some(name), Some((value, row))) = (field.release_edit(), group.value(field)) else {
                continue;
            };
            match ReleaseEdit::parse(name, value) {
                Ok(edit) => {
                    if let ReleaseEdit::ReleaseType(t) = edit {
                        release_type = t;
                    }
                    edits.push(edit);
                }
                Err(e) => problems.add(*row, Some(field), e.message),
            }
        }
        if existing.is_none() {
            for field in [Field::ReleaseTitle, Field::ReleaseArtist, Field::Label] {
                if group.value(field).is_none() {
                    problems.add(first_row, Some(field), "must not be empty for a new release");
                }
            }
        }
        let text = |f: Field| group.value(f).map(|(v, _)| v.clone()).unwrap_or_default();
        let release_artist = text(Field::ReleaseArtist);

        // Existing tracks of an updated release: (id, disc, number, isrc, title).
        let current: Vec<(i64, i64, i64, Option<String>, String)> = match existing {
            Some(id) => catno_db::list_release_tracks(conn, id, 0, i64::MAX)
                .await?
                .items
                .into_iter()
                .map(|t| (t.id, t.disc_number, t.track_number, t.isrc, t.title))
                .collect(),
            None => Vec::new(),
        };
        let mut tracks = Vec::new();
        let mut planned_tracks = Vec::new();
        let mut isrcs: HashMap<String, usize> = HashMap::new();
        let mut positions: HashMap<(i64, i64), usize> = HashMap::new();
        let mut last_on_disc: HashMap<i64, i64> = HashMap::new();
        for (_, disc, number, _, _) in &current {
            let last = last_on_disc.entry(*disc).or_insert(0);
            *last = (*last).max(*number);
        }
        for &index in &group.rows {
            let row = &rows[index];
            let n = row.number;
            let track_fields = &Field::ALL[Field::Disc.index()..];
            if track_fields.iter().all(|f| cell(&pos, row, *f).is_empty()) {
                continue;
            }
            let mut track_edits = Vec::new();
            for field in track_fields {
                let Some(name) = field.track_edit() else { continue };
                let value = cell(&pos, row, *field);
                if value.is_empty() {
                    continue;
                }
                match TrackEdit::parse(name, value) {
                    Ok(edit) => track_edits.push(edit),
                    Err(e) => problems.add(n, Some(*field), e.message),
                }
            }
            let title = cell(&pos, row, Field::TrackTitle).to_owned();
            if title.is_empty() {
                problems.add(n, Some(Field::TrackTitle), "must not be empty");
            }
            let mut artist = cell(&pos, row, Field::TrackArtist).to_owned();
            if artist.is_empty() {
                artist = release_artist.clone();
                if artist.is_empty() {
                    problems.add(n, Some(Field::TrackArtist), "must not be empty (nor release_artist)");
                }
            }
            let disc = match positive(cell(&pos, row, Field::Disc)) {
                Ok(d) => d.unwrap_or(1),
                Err(message) => {
                    problems.add(n, Some(Field::Disc), message);
                    1
                }
            };
            let number = match positive(cell(&pos, row, Field::Track)) {
                Ok(Some(t)) => t,
                Ok(None) => last_on_disc.get(&disc).copied().unwrap_or(0) + 1,
                Err(message) => {
                    problems.add(n, Some(Field::Track), message);
                    0
                }
            };
            let last = last_on_disc.entry(disc).or_insert(0);
            *last = (*last).max(number);
            let isrc = track_edits.iter().find_map(|e| match e {
                TrackEdit::Isrc(Some(i)) => Some(i.as_str().to_owned()),
                _ => None,
            });
            if let Some(isrc) = &isrc
                && let Some(other) = isrcs.insert(isrc.clone(), n)
            {
                problems.add(
                    n,
                    Some(Field::Isrc),
                    format!("ISRC {isrc} is also on row {other} of this release"),
                );
            }
            if number > 0
                && let Some(other) = positions.insert((disc, number), n)
            {
                problems.add(
                    n,
                    Some(Field::Track),
                    format!("disc {disc} track {number} is also on row {other}"),
                );
            }
            let matched = current.iter().find(|(_, d, num, cur_isrc, cur_title)| {
                cur_title.eq_ignore_ascii_case(&title)
                    && match &isrc {
                        Some(i) => cur_isrc.as_deref() == Some(i.as_str()),
                        None => (*d, *num) == (disc, number),
                    }
            });
            if matched.is_none()
                && let (Some(release_id), Some((_, _, _, _, taken_by))) =
                    (existing, current.iter().find(|(_, d, num, _, _)| (*d, *num) == (disc, number)))
            {
                problems.add(
                    n,
                    Some(Field::Track),
                    format!("disc {disc} track {number} is already taken on release {release_id} by \"{taken_by}\""),
                );
            }
            let contributors = match contributors(cell(&pos, row, Field::Contributors)) {
                Ok(c) => c,
                Err(message) => {
                    problems.add(n, Some(Field::Contributors), message);
                    Vec::new()
                }
            };
            let writers = match writers(cell(&pos, row, Field::Writers)) {
                Ok(w) => w,
                Err(message) => {
                    problems.add(n, Some(Field::Writers), message);
                    None
                }
            };
            let existing_track = matched.map(|(id, ..)| *id);
            let action = match existing_track {
                Some(id) => PlannedAction::Update { id },
                None => PlannedAction::Create,
            };
            planned_tracks.push(PlannedTrack {
                row: n,
                disc,
                track: number,
                isrc,
                title: title.clone(),
                action,
            });
            tracks.push(PreparedTrack {
                existing: existing_track,
                disc,
                number,
                title,
                artist,
                edits: track_edits,
                contributors,
                writers,
            });
        }
        let action = match existing {
            Some(id) => PlannedAction::Update { id },
            None => PlannedAction::Create,
        };
        planned.push(PlannedRelease {
            row_numbers: group.rows.iter().map(|i| rows[*i].number).collect(),
            upc: upc.clone(),
            title: text(Field::ReleaseTitle),
            action,
            tracks: planned_tracks,
        });
        prepared.push(PreparedRelease {
            existing,
            label: group.value(Field::Label).map(|(v, _)| v.clone()),
            title: text(Field::ReleaseTitle),
            artist: release_artist,
            release_type,
            upc,
            edits,
            tracks,
        });
    }
    problems.0.sort_by_key(|p| p.row);
    Ok(Prepared {
        plan: ImportPlan {
            encoding: decoded.encoding.to_owned(),
            delimiter: match decoded.delimiter {
                b'\t' => "tab".to_owned(),
                d => char::from(d).to_string(),
            },
            rows: read,
            mapping,
            releases: planned,
            problems: problems.0,
            notes,
        },
        releases: prepared,
    })
}

fn positive(value: &str) -> std::result::Result<Option<i64>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .map(Some)
        .ok_or_else(|| format!("\"{value}\" is not a number from 1"))
}

/// `Role:Name; Role:Name`, duplicates dropped.
fn contributors(cell: &str) -> std::result::Result<Vec<(ContributorRole, String)>, String> {
    let mut out: Vec<(ContributorRole, String)> = Vec::new();
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("\"{part}\" is not Role:Name (e.g. MainArtist:Ana Ruiz; Producer:Kai)");
        let (role, name) = part.split_once(':').ok_or_else(bad)?;
        let role = ContributorRole::parse(role.trim()).ok_or_else(|| {
            let roles: Vec<&str> = ContributorRole::ALL.iter().map(|r| r.as_str()).collect();
            format!("\"{}\" is not a contributor role ({})", role.trim(), roles.join(", "))
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad());
        }
        if !out.iter().any(|(r, n)| *r == role && n == name) {
            out.push((role, name.to_owned()));
        }
    }
    Ok(out)
}

/// `Role:Name:Publisher:share%; ...` (publisher may be empty); `None` for an empty cell.
fn writers(cell: &str) -> std::result::Result<Option<Vec<WriterShare>>, String> {
    let mut out = Vec::new();
    let mut total = 0;
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            format!(
                "\"{part}\" is not Role:Name:Publisher:share% (e.g. Composer:Ana Ruiz:Acme Publishing:50%)"
            )
        };
        let pieces: Vec<&str> = part.split(':').map(str::trim).collect();
        let [role, name, publisher, share] = pieces.as_slice() else { return Err(bad()) };
        let role = WriterRole::parse(role).ok_or_else(|| {
            let roles: Vec<&str> = WriterRole::ALL.iter().map(|r| r.as_str()).collect();
            format!("\"{role}\" is not a writer role ({})", roles.join(", "))
        })?;
        if name.is_empty() {
            return Err(bad());
        }
        let percent: f64 = share.trim_end_matches('%').trim().parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&percent) {
            return Err(format!("share {share} is not between 0 % and 100 %"));
        }
        let basis_points = (percent * 100.0).round() as i64;
        total += basis_points;
        let publisher = (!publisher.is_empty()).then(|| (*publisher).to_owned());
        out.push((role, (*name).to_owned(), publisher, basis_points));
    }
    if total > 10_000 {
        return Err(format!("writer shares total {:.2} %, more than 100 %", total as f64 / 100.0));
    }
    Ok((!out.is_empty()).then_some(out))
}
