//! The import plan: every row parsed with the editor's parsers, grouped into releases,
//! matched against the catalog, with a problem per refused cell.

use std::collections::HashMap;
use std::path::Path;

use catno_db::Connection;
use catno_domain::{ContributorRole, ReleaseEdit, ReleaseType, TrackEdit, Upc, WriterRole};
use catno_rights::{ReleaseRights, Rule, TerritoryGroups, TrackKey};

use super::csv_template::{self, Field};
use super::mapping::{ColumnMapping, Target};
use super::rights_text;
use super::source::{self, Row, Rows};
use super::{ImportPlan, ImportProblem, PlannedAction, PlannedRelease, PlannedTrack};
use crate::Result;

pub(super) struct Prepared {
    pub plan: ImportPlan,
    /// What an import writes ([`Keep::Writes`]); no releases for a dry run.
    pub writes: Writes,
}

pub(super) struct PreparedRelease {
    pub existing: Option<i64>,
    pub label: Option<String>,
    pub title: String,
    pub artist: String,
    pub release_type: ReleaseType,
    pub upc: Option<String>,
    pub edits: Vec<ReleaseEdit>,
    /// Release-level territory rules that replace the stored ones; `None` leaves them.
    pub rights: Option<Vec<Rule>>,
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
    /// The track's override rules that replace the stored ones; `None` leaves them.
    pub rights: Option<Vec<Rule>>,
}

/// An import's writes as the plan decided them. A track keeps only what the plan decided from
/// the catalog and the rows around it (its row, the track it updates, its position); its own
/// cells are parsed again, a batch at a time, by the same [`read_track`] that checked them, so
/// a million-track import holds its rows once instead of every track's writes as well.
pub(super) struct Writes {
    rows: Rows,
    columns: Columns,
    territory_groups: TerritoryGroups,
    releases: std::vec::IntoIter<(PreparedRelease, Vec<PlannedPosition>)>,
}

/// Where the plan put a track: its row, the track it updates, its disc and number.
struct PlannedPosition {
    row: usize,
    existing: Option<i64>,
    disc: i64,
    number: i64,
}

impl Writes {
    /// Releases left to write.
    pub fn len(&self) -> usize {
        self.releases.len()
    }

    /// The next (up to) `count` releases with their tracks' writes, in file order; empty when
    /// all were taken.
    pub fn next_batch(&mut self, count: usize) -> Vec<PreparedRelease> {
        let mut ignored = Problems(Vec::new());
        let mut batch = Vec::with_capacity(count.min(self.releases.len()));
        for (mut release, positions) in self.releases.by_ref().take(count) {
            release.tracks = positions
                .iter()
                .map(|p| {
                    let row = self.rows.get(p.row);
                    read_track(&self.columns, row, &release.artist, &self.territory_groups, &mut ignored)
                        .prepared(p.existing, p.disc, p.number)
                })
                .collect();
            batch.push(release);
        }
        batch
    }
}

/// The cell of `field` in `row` (empty when unmapped, or refused as a formula).
fn cell<'a>(positions: &[Option<usize>], row: Row<'a>, field: Field) -> &'a str {
    positions[field.index()]
        .and_then(|p| row.get(p))
        .map(|raw| csv_template::unescape_cell(raw).unwrap_or(""))
        .unwrap_or("")
}

/// The cell of a column that is not a template column.
fn cell_at(row: Row<'_>, position: usize) -> &str {
    row.get(position).map(|raw| csv_template::unescape_cell(raw).unwrap_or("")).unwrap_or("")
}

/// Which file column feeds what.
struct Columns {
    /// Per template field, its column.
    pos: Vec<Option<usize>>,
    /// Columns mapped to targets that are not template fields (role columns, territories...).
    extra: Vec<(usize, Target)>,
    split: Option<usize>,
    /// Whether any column is a writer-role column.
    writer_columns: bool,
}

struct Group<'a> {
    rows: Vec<usize>,
    /// Per release column: the value and the row that gave it first.
    values: Vec<(Field, &'a str, usize)>,
    /// The same for release-level columns that are not template columns (territories, dates).
    extras: Vec<(Target, &'a str, usize)>,
}

impl<'a> Group<'a> {
    fn value(&self, field: Field) -> Option<(&'a str, usize)> {
        self.values.iter().find(|(f, ..)| *f == field).map(|(_, v, row)| (*v, *row))
    }

    fn extra(&self, target: Target) -> Option<(&'a str, usize)> {
        self.extras.iter().find(|(t, ..)| *t == target).map(|(_, v, row)| (*v, *row))
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

    fn add_target(&mut self, row: usize, target: Target, message: impl Into<String>) {
        self.0.push(ImportProblem { row, column: target.name(), message: message.into() });
    }
}

/// What [`prepare`] keeps besides the problems: the plan's releases and tracks for a dry run,
/// or the writes for an import (keeping only what is used halves the memory of a large file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keep {
    Plan,
    Writes,
}

/// A track row's own cells, parsed and checked (problems go to `problems`): everything about
/// the track that does not depend on the catalog or on the rows around it.
struct TrackCells {
    edits: Vec<TrackEdit>,
    title: String,
    artist: String,
    disc: i64,
    /// `None`: the next number on its disc; `Some(0)` for a refused cell.
    number: Option<i64>,
    contributors: Vec<(ContributorRole, String)>,
    writers: Option<Vec<WriterShare>>,
    rights: Option<Vec<Rule>>,
    /// Writers from role columns with no share given (a warning).
    unshared_writers: bool,
}

impl TrackCells {
    fn isrc(&self) -> Option<String> {
        self.edits.iter().find_map(|e| match e {
            TrackEdit::Isrc(Some(i)) => Some(i.as_str().to_owned()),
            _ => None,
        })
    }

    fn prepared(mut self, existing: Option<i64>, disc: i64, number: i64) -> PreparedTrack {
        if existing.is_none() {
            // A new track takes its title and artist from `title` and `artist`.
            self.edits.retain(|e| !matches!(e, TrackEdit::Title(_) | TrackEdit::DisplayArtist(_)));
        }
        PreparedTrack {
            existing,
            disc,
            number,
            title: self.title,
            artist: self.artist,
            edits: self.edits,
            contributors: self.contributors,
            writers: self.writers,
            rights: self.rights,
        }
    }
}

/// Whether a row of a release has no track cells at all (a release-only row).
fn no_track_cells(columns: &Columns, row: Row<'_>) -> bool {
    Field::ALL[Field::Disc.index()..].iter().all(|f| cell(&columns.pos, row, *f).is_empty())
        && columns.extra.iter().all(|(p, t)| t.is_release_level() || cell_at(row, *p).is_empty())
}

fn read_track(
    columns: &Columns,
    row: Row<'_>,
    release_artist: &str,
    territory_groups: &TerritoryGroups,
    problems: &mut Problems,
) -> TrackCells {
    let n = row.number;
    let pos = &columns.pos;
    let mut edits = Vec::new();
    for field in &Field::ALL[Field::Disc.index()..] {
        let Some(name) = field.track_edit() else { continue };
        let value = cell(pos, row, *field);
        if value.is_empty() {
            continue;
        }
        match TrackEdit::parse(name, value) {
            Ok(edit) => edits.push(edit),
            Err(e) => problems.add(n, Some(*field), e.message),
        }
    }
    let title = cell(pos, row, Field::TrackTitle).to_owned();
    if title.is_empty() {
        problems.add(n, Some(Field::TrackTitle), "must not be empty");
    }
    let mut artist = cell(pos, row, Field::TrackArtist);
    if artist.is_empty() {
        artist = release_artist;
        if artist.is_empty() {
            problems.add(n, Some(Field::TrackArtist), "must not be empty (nor release_artist)");
        }
    }
    let disc = match positive(cell(pos, row, Field::Disc)) {
        Ok(d) => d.unwrap_or(1),
        Err(message) => {
            problems.add(n, Some(Field::Disc), message);
            1
        }
    };
    let number = match positive(cell(pos, row, Field::Track)) {
        Ok(number) => number,
        Err(message) => {
            problems.add(n, Some(Field::Track), message);
            Some(0)
        }
    };
    let mut contributors = match contributors(cell(pos, row, Field::Contributors)) {
        Ok(c) => c,
        Err(message) => {
            problems.add(n, Some(Field::Contributors), message);
            Vec::new()
        }
    };
    let mut writers = match writers(cell(pos, row, Field::Writers)) {
        Ok(w) => w,
        Err(message) => {
            problems.add(n, Some(Field::Writers), message);
            None
        }
    };
    // A column per role (distributor templates, Catno's label copy): names only.
    for (position, target) in &columns.extra {
        for name in names(cell_at(row, *position)) {
            match target {
                Target::Contributor(role) => match credited(&contributors, *role, name) {
                    Credited::No => contributors.push((*role, name.to_owned())),
                    Credited::AsWritten => {}
                    Credited::InOtherCase => {
                        problems.add_target(n, *target, catno_db::already_credited(name, *role).to_string())
                    }
                },
                Target::Writer(role) => {
                    let list = writers.get_or_insert_with(Vec::new);
                    if !list.iter().any(|(r, existing, ..)| r == role && existing == name) {
                        list.push((*role, name.to_owned(), None, 0));
                    }
                }
                _ => {}
            }
        }
    }
    let split_text = columns.split.map(|position| cell_at(row, position)).unwrap_or_default();
    let mut unshared_writers = false;
    if !split_text.is_empty() {
        let target = Target::Splits;
        match (splits(split_text), writers.as_mut()) {
            (Err(message), _) => problems.add_target(n, target, message),
            (Ok(_), None) => problems.add_target(n, target, "has shares but the row names no writers"),
            (Ok(shares), Some(list)) => {
                for (name, share) in shares {
                    match list.iter_mut().filter(|w| w.1 == name).collect::<Vec<_>>().as_mut_slice() {
                        [] => problems.add_target(
                            n,
                            target,
                            format!("\"{name}\" has a share but is not among the row's writers"),
                        ),
                        [only] => only.3 = share,
                        _ => problems.add_target(
                            n,
                            target,
                            format!(
                                "\"{name}\" is a writer in several roles; give shares in the writers column"
                            ),
                        ),
                    }
                }
                // Each cell is within 100 %, but the writers column's shares and these together
                // may not be.
                if let Err(message) = shares_total(list.iter().map(|w| w.3).sum(), "writer shares") {
                    problems.add_target(n, target, message);
                }
            }
        }
    } else {
        unshared_writers = columns.writer_columns
            && writers.as_ref().is_some_and(|w| w.iter().any(|(.., share)| *share == 0));
    }
    let rights = match cell(pos, row, Field::TrackRights) {
        "" => None,
        text => match rights_text::parse_rules(text, territory_groups) {
            Ok(rules) => Some(rules),
            Err(message) => {
                problems.add(n, Some(Field::TrackRights), message);
                None
            }
        },
    };
    TrackCells {
        edits,
        title,
        artist: artist.to_owned(),
        disc,
        number,
        contributors,
        writers,
        rights,
        unshared_writers,
    }
}

pub(super) async fn prepare(
    conn: &mut Connection,
    path: &Path,
    mapping: Option<&ColumnMapping>,
    keep: Keep,
) -> Result<Prepared> {
    let table = source::read(path)?;
    let headers = &table.headers;
    let mapping = match mapping {
        Some(m) => m.clone(),
        None => ColumnMapping::propose(headers),
    };
    let columns = mapping.resolve(headers)?;
    let mut notes = table.notes.clone();
    let ignored: Vec<&str> = headers
        .iter()
        .zip(&columns)
        .filter(|(h, c)| c.is_none() && !h.is_empty())
        .map(|(h, _)| h.as_str())
        .collect();
    if !ignored.is_empty() {
        notes.push(format!("ignored columns: {}", ignored.join(", ")));
    }
    let mut problems = Problems(Vec::new());
    let mut warnings = Problems(Vec::new());
    if !columns.iter().any(|c| matches!(c, Some(Target::Field(Field::Upc | Field::ReleaseTitle)))) {
        problems.add(
            1,
            None,
            "no column maps to upc or release_title; pass a mapping (catno import-mapping)",
        );
    }
    // A finding names the template column its cell feeds, or the file's header when unmapped.
    for finding in &table.findings {
        let column = finding
            .column
            .map(|c| match columns.get(c).copied().flatten() {
                Some(target) => target.name(),
                None => headers.get(c).cloned().unwrap_or_default(),
            })
            .unwrap_or_default();
        let problem = ImportProblem { row: finding.row, column, message: finding.message.clone() };
        if finding.blocking { problems.0.push(problem) } else { warnings.0.push(problem) }
    }

    let mut pos = vec![None; Field::ALL.len()];
    let mut extra_columns: Vec<(usize, Target)> = Vec::new();
    for (index, column) in columns.iter().enumerate() {
        match column {
            Some(Target::Field(field)) => pos[field.index()] = Some(index),
            Some(target) => extra_columns.push((index, *target)),
            None => {}
        }
    }
    let track_columns = Columns {
        pos,
        writer_columns: extra_columns.iter().any(|(_, t)| matches!(t, Target::Writer(_))),
        split: extra_columns.iter().find(|(_, t)| *t == Target::Splits).map(|(p, _)| *p),
        extra: extra_columns,
    };
    let pos = &track_columns.pos;
    let extra_columns = &track_columns.extra;
    let territory_groups = catno_db::load_territory_groups(conn).await?;
    let stores = catno_db::load_stores(conn).await?.ids();
    let mut warned_shares = false;

    // Refuse cells that a spreadsheet would run as a formula.
    let rows = table.rows;
    for row in rows.iter() {
        for (raw, column) in row.iter().zip(&columns) {
            if let (Some(target), Err(message)) = (column, csv_template::unescape_cell(raw)) {
                problems.add_target(row.number, *target, message);
            }
        }
    }
    let read = table.rows_read;
    duplicate_rows(&rows, &columns, &mut problems);

    // Group rows into releases.
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let upc = cell(pos, row, Field::Upc);
        let key = if !upc.is_empty() {
            match Upc::parse(upc) {
                Ok(u) => Some(format!("upc:{}", u.as_str())),
                Err(_) => Some(format!("raw:{upc}")),
            }
        } else if cell(pos, row, Field::ReleaseTitle).is_empty() {
            None
        } else {
            let part = |f: Field| cell(pos, row, f).to_lowercase();
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
                groups.push(Group { rows: Vec::new(), values: Vec::new(), extras: Vec::new() });
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
            let value = cell(pos, row, field);
            if value.is_empty() {
                continue;
            }
            match group.value(field) {
                Some((first, first_row)) if first != value => problems.add(
                    row.number,
                    Some(field),
                    format!("\"{value}\" differs from \"{first}\" on row {first_row} of the same release"),
                ),
                Some(_) => {}
                None => group.values.push((field, value, row.number)),
            }
        }
        for (position, target) in extra_columns.iter().filter(|(_, t)| t.is_release_level()) {
            let value = cell_at(row, *position);
            if value.is_empty() {
                continue;
            }
            match group.extra(*target) {
                Some((first, first_row)) if first != value => problems.add_target(
                    row.number,
                    *target,
                    format!("\"{value}\" differs from \"{first}\" on row {first_row} of the same release"),
                ),
                Some(_) => {}
                None => group.extras.push((*target, value, row.number)),
            }
        }
    }
    drop(by_key);

    let mut planned = Vec::new();
    let mut pending = Vec::new();
    for group in &groups {
        let first = rows.get(group.rows[0]);
        let first_row = first.number;
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
            let value = match normalize(field, value) {
                Ok(v) => v,
                Err(message) => {
                    problems.add(row, Some(field), message);
                    continue;
                }
            };
            match ReleaseEdit::parse(name, &value) {
                Ok(edit) => {
                    if let ReleaseEdit::ReleaseType(t) = edit {
                        release_type = t;
                    }
                    edits.push(edit);
                }
                Err(e) => problems.add(row, Some(field), e.message),
            }
        }
        // Distributor sheets often have one "Primary Artist" column for both release and track.
        let release_artist_from_track = pos[Field::ReleaseArtist.index()].is_none()
            && group.value(Field::ReleaseArtist).is_none()
            && !cell(pos, first, Field::TrackArtist).is_empty();
        if existing.is_none() {
            for field in [Field::ReleaseTitle, Field::ReleaseArtist, Field::Label] {
                if field == Field::ReleaseArtist && release_artist_from_track {
                    continue;
                }
                if group.value(field).is_none() {
                    problems.add(first_row, Some(field), "must not be empty for a new release");
                }
            }
        }
        let text = |f: Field| group.value(f).map(|(v, _)| v.to_owned()).unwrap_or_default();
        let release_artist = if release_artist_from_track {
            cell(pos, first, Field::TrackArtist).to_owned()
        } else {
            text(Field::ReleaseArtist)
        };
        let release_rights = release_rules(group, &territory_groups, &mut problems);

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
        // Per track, what the rights check needs: the track it updates and its override rules.
        let mut track_rights: Vec<(Option<i64>, Option<Vec<Rule>>)> = Vec::new();
        let mut planned_tracks = Vec::new();
        let mut positions = Vec::new();
        let mut isrcs: HashMap<String, usize> = HashMap::new();
        let mut taken: HashMap<(i64, i64), usize> = HashMap::new();
        let mut last_on_disc: HashMap<i64, i64> = HashMap::new();
        for (_, disc, number, _, _) in &current {
            let last = last_on_disc.entry(*disc).or_insert(0);
            *last = (*last).max(*number);
        }
        for &index in &group.rows {
            let row = rows.get(index);
            let n = row.number;
            if no_track_cells(&track_columns, row) {
                continue;
            }
            let cells = read_track(&track_columns, row, &release_artist, &territory_groups, &mut problems);
            if cells.unshared_writers && !warned_shares {
                warned_shares = true;
                warnings.add(
                    n,
                    None,
                    "writers from role columns have no shares and are imported at 0 % (this row and \
                     any below); map a splits column or set the splits before delivery",
                );
            }
            let disc = cells.disc;
            let number = cells.number.unwrap_or_else(|| last_on_disc.get(&disc).copied().unwrap_or(0) + 1);
            let last = last_on_disc.entry(disc).or_insert(0);
            *last = (*last).max(number);
            let isrc = cells.isrc();
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
                && let Some(other) = taken.insert((disc, number), n)
            {
                problems.add(
                    n,
                    Some(Field::Track),
                    format!("disc {disc} track {number} is also on row {other}"),
                );
            }
            let matched = current.iter().find(|(_, d, num, cur_isrc, cur_title)| {
                cur_title.eq_ignore_ascii_case(&cells.title)
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
            let existing_track = matched.map(|(id, ..)| *id);
            let action = match existing_track {
                Some(id) => PlannedAction::Update { id },
                None => PlannedAction::Create,
            };
            if keep == Keep::Plan {
                planned_tracks.push(PlannedTrack {
                    row: n,
                    disc,
                    track: number,
                    isrc,
                    title: cells.title,
                    action,
                });
            } else {
                positions.push(PlannedPosition { row: index, existing: existing_track, disc, number });
            }
            track_rights.push((existing_track, cells.rights));
        }
        // The rules the file gives, checked together with the stored ones they keep: a track
        // may not be more available than its release. New tracks stand in with negative keys.
        if release_rights.is_some() || track_rights.iter().any(|(_, rules)| rules.is_some()) {
            let mut next = match existing {
                Some(id) => catno_db::load_release_rights(conn, id).await?,
                None => ReleaseRights::default(),
            };
            for (index, (existing_track, rules)) in track_rights.iter().enumerate() {
                let key = TrackKey(existing_track.unwrap_or(-(index as i64) - 1));
                if !next.tracks.contains(&key) {
                    next.tracks.push(key);
                }
                if let Some(rules) = rules {
                    next.rules_of_mut(key).clone_from(rules);
                }
            }
            if let Some(rules) = &release_rights {
                next.release.clone_from(rules);
            }
            match catno_rights::violations(&next, &territory_groups, &stores) {
                Ok(violations) => {
                    for violation in violations {
                        problems.add(first_row, Some(Field::Rights), violation.message);
                    }
                }
                Err(e) => problems.add(first_row, Some(Field::Rights), e.to_string()),
            }
        }
        let action = match existing {
            Some(id) => PlannedAction::Update { id },
            None => PlannedAction::Create,
        };
        if keep == Keep::Plan {
            planned.push(PlannedRelease {
                row_numbers: group.rows.iter().map(|i| rows.get(*i).number).collect(),
                upc,
                title: text(Field::ReleaseTitle),
                action,
                tracks: planned_tracks,
            });
        } else {
            let release = PreparedRelease {
                existing,
                label: group.value(Field::Label).map(|(v, _)| v.to_owned()),
                title: text(Field::ReleaseTitle),
                artist: release_artist,
                release_type,
                upc,
                edits,
                rights: release_rights,
                tracks: Vec::new(),
            };
            pending.push((release, positions));
        }
    }
    drop(groups);
    problems.0.sort_by_key(|p| p.row);
    warnings.0.sort_by_key(|p| p.row);
    let writes = Writes { rows, columns: track_columns, territory_groups, releases: pending.into_iter() };
    Ok(Prepared {
        plan: ImportPlan {
            format: table.format.name().to_owned(),
            sheet: table.sheet,
            encoding: table.encoding.to_owned(),
            delimiter: table.delimiter,
            rows: read,
            mapping,
            releases: planned,
            problems: problems.0,
            warnings: warnings.0,
            notes,
        },
        writes,
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

/// Refuses shares (in basis points) that add up to more than 100 %.
fn shares_total(basis_points: i64, what: &str) -> std::result::Result<(), String> {
    if basis_points > 10_000 {
        return Err(format!("{what} total {:.2} %, more than 100 %", basis_points as f64 / 100.0));
    }
    Ok(())
}

/// Whether a row already credits `name` in `role`.
enum Credited {
    No,
    /// Spelled the same: a repeat, dropped.
    AsWritten,
    /// The same artist as the catalog matches names (SQLite's NOCASE folds ASCII letters)
    /// but spelled otherwise: refused, as adding that credit in the editor is.
    InOtherCase,
}

fn credited(credits: &[(ContributorRole, String)], role: ContributorRole, name: &str) -> Credited {
    let mut same_role = credits.iter().filter(|(r, _)| *r == role).map(|(_, n)| n);
    match same_role.find(|n| n.eq_ignore_ascii_case(name)) {
        None => Credited::No,
        Some(n) if n == name => Credited::AsWritten,
        Some(_) => Credited::InOtherCase,
    }
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
        match credited(&out, role, name) {
            Credited::No => out.push((role, name.to_owned())),
            Credited::AsWritten => {}
            Credited::InOtherCase => return Err(catno_db::already_credited(name, role).to_string()),
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
    shares_total(total, "writer shares")?;
    Ok((!out.is_empty()).then_some(out))
}

/// The same row twice (every mapped cell equal) is a copy-paste slip, not two tracks. Rows are
/// kept by a hash of their mapped cells (a few bytes a row, not a copy of the cells), and a
/// hash seen before is confirmed by comparing the cells themselves.
fn duplicate_rows(rows: &Rows, columns: &[Option<Target>], problems: &mut Problems) {
    use std::hash::{BuildHasher, Hash, Hasher};
    fn cells<'r>(row: Row<'r>, columns: &'r [Option<Target>]) -> impl Iterator<Item = &'r str> + 'r {
        row.iter().zip(columns).filter(|(_, c)| c.is_some()).map(|(v, _)| v.trim())
    }
    let state = std::collections::hash_map::RandomState::new();
    // The first row with each hash; `more` holds the rare later rows whose hash matched but not
    // their cells.
    let mut seen: HashMap<u64, usize> = HashMap::with_capacity(rows.len());
    let mut more: HashMap<u64, Vec<usize>> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        if cells(row, columns).all(str::is_empty) {
            continue;
        }
        let mut hasher = state.build_hasher();
        for cell in cells(row, columns) {
            cell.hash(&mut hasher);
        }
        let hash = hasher.finish();
        let Some(&first) = seen.get(&hash) else {
            seen.insert(hash, index);
            continue;
        };
        let earlier = std::iter::once(first)
            .chain(more.get(&hash).into_iter().flatten().copied())
            .find(|&i| cells(rows.get(i), columns).eq(cells(row, columns)));
        match earlier {
            Some(i) => problems.add(
                row.number,
                None,
                format!("repeats row {} cell for cell; delete one of them", rows.get(i).number),
            ),
            None => more.entry(hash).or_default().push(index),
        }
    }
}

/// Names in a role column: `;` or `|` apart (commas stay: "Earth, Wind & Fire").
fn names(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '|']).map(str::trim).filter(|n| !n.is_empty())
}

/// `Name 50%; Name 33.33 %`: shares in basis points by writer name.
fn splits(cell: &str) -> std::result::Result<Vec<(String, i64)>, String> {
    let mut out = Vec::new();
    let mut total = 0;
    for part in names(cell) {
        let bad = || format!("\"{part}\" is not Name share% (e.g. Ana Ruiz 50%)");
        let without = part.strip_suffix('%').ok_or_else(bad)?.trim_end();
        let (name, number) = without.rsplit_once(char::is_whitespace).ok_or_else(bad)?;
        let percent: f64 = number.parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&percent) {
            return Err(format!("share {number}% is not between 0 % and 100 %"));
        }
        let basis_points = (percent * 100.0).round() as i64;
        total += basis_points;
        out.push((name.trim().to_owned(), basis_points));
    }
    shares_total(total, "shares")?;
    Ok(out)
}

/// The release-level rules the file gives: the `rights` column, then simple distributor
/// columns (included and excluded territories, pre-order and end dates) as one include and one
/// exclude rule. `None` when the file says nothing about rights.
fn release_rules(
    group: &Group,
    territory_groups: &TerritoryGroups,
    problems: &mut Problems,
) -> Option<Vec<Rule>> {
    let mut rules = Vec::new();
    let mut given = false;
    if let Some((text, row)) = group.value(Field::Rights) {
        given = true;
        match rights_text::parse_rules(text, territory_groups) {
            Ok(parsed) => rules.extend(parsed),
            Err(message) => problems.add(row, Some(Field::Rights), message),
        }
    }
    let extra = |target: Target| group.extra(target);
    let date = |target: Target, problems: &mut Problems| -> Option<time::Date> {
        let (text, row) = extra(target)?;
        match normalize_date(text).and_then(|d| catno_rights::parse_date(&d).map_err(|e| e.to_string())) {
            Ok(date) => Some(date),
            Err(message) => {
                problems.add_target(row, target, message);
                None
            }
        }
    };
    let preorder = date(Target::PreorderDate, problems);
    let end = date(Target::EndDate, problems);
    let included = extra(Target::Territories);
    if included.is_some() || preorder.is_some() || end.is_some() {
        given = true;
        let territories = match included {
            Some((text, row)) => {
                match catno_rights::parse_territories(&territory_list(text), territory_groups) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        problems.add_target(row, Target::Territories, e.to_string());
                        None
                    }
                }
            }
            None => Some(vec![catno_rights::TerritoryRef::Worldwide]),
        };
        if let Some(territories) = territories {
            let mut rule = Rule::include(territories);
            if let Some(preorder) = preorder {
                // A pre-order needs the street date it leads up to.
                match group.value(Field::ReleaseDate).map(|(d, _)| normalize_date(d)) {
                    Some(Ok(start)) => match catno_rights::parse_date(&start) {
                        Ok(start) => rule = rule.starting(start).preorder_from(preorder),
                        Err(e) => problems.add(group_row(group, Target::PreorderDate), None, e.to_string()),
                    },
                    _ => problems.add_target(
                        group_row(group, Target::PreorderDate),
                        Target::PreorderDate,
                        "a pre-order date needs the release date it leads up to",
                    ),
                }
            }
            if let Some(end) = end {
                rule = rule.ending(end);
            }
            match rule.validate() {
                Ok(()) => rules.push(rule),
                Err(e) => problems.add_target(
                    group_row(group, Target::Territories),
                    Target::Territories,
                    e.to_string(),
                ),
            }
        }
    }
    if let Some((text, row)) = extra(Target::ExcludedTerritories) {
        given = true;
        match catno_rights::parse_territories(&territory_list(text), territory_groups) {
            Ok(t) => rules.push(Rule::exclude(t)),
            Err(e) => problems.add_target(row, Target::ExcludedTerritories, e.to_string()),
        }
    }
    given.then_some(rules)
}

fn group_row(group: &Group, target: Target) -> usize {
    group.extra(target).map(|(_, row)| row).unwrap_or_default()
}

/// Distributor spellings of a territory list: `World`/`WW` for worldwide, `|` between codes.
fn territory_list(text: &str) -> String {
    text.split([',', ';', '|', ' '])
        .filter(|t| !t.is_empty())
        .map(|t| match t.to_ascii_lowercase().as_str() {
            "world" | "ww" | "all" | "global" | "worldwide" => "Worldwide",
            _ => t,
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A cell as the edit parsers expect it: dates as `YYYY-MM-DD`, P and C lines without their
/// symbol.
fn normalize(field: Field, value: &str) -> std::result::Result<String, String> {
    match field {
        Field::ReleaseDate | Field::OriginalReleaseDate => normalize_date(value),
        Field::PLine | Field::CLine => {
            let trimmed = ["℗", "©", "(P)", "(p)", "(C)", "(c)", "P ", "C "]
                .iter()
                .find_map(|symbol| value.strip_prefix(symbol))
                .filter(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or(value);
            Ok(trimmed.trim().to_owned())
        }
        _ => Ok(value.to_owned()),
    }
}

/// `YYYY-MM-DD` from the date spellings spreadsheets produce: ISO, `YYYY/MM/DD`, `DD.MM.YYYY`
/// and `DD/MM/YYYY` or `MM/DD/YYYY` when the day tells which; an ambiguous one is refused.
fn normalize_date(value: &str) -> std::result::Result<String, String> {
    let value = value.trim();
    let value = value.split_once([' ', 'T']).map_or(value, |(date, _)| date);
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    let number = |s: &str| s.parse::<u32>().ok();
    let iso = |y: u32, m: u32, d: u32| format!("{y:04}-{m:02}-{d:02}");
    let separator = value.chars().find(|c| matches!(c, '-' | '/' | '.'));
    match (parts.as_slice(), separator) {
        ([y, m, d], _) if y.len() == 4 => match (number(y), number(m), number(d)) {
            (Some(y), Some(m), Some(d)) => Ok(iso(y, m, d)),
            _ => Ok(value.to_owned()),
        },
        ([a, b, y], Some(sep)) if y.len() == 4 => {
            let (Some(a), Some(b), Some(y)) = (number(a), number(b), number(y)) else {
                return Ok(value.to_owned());
            };
            match sep {
                // Dots are the day-first European spelling.
                '.' => Ok(iso(y, b, a)),
                _ if a > 12 && b <= 12 => Ok(iso(y, b, a)),
                _ if b > 12 && a <= 12 => Ok(iso(y, a, b)),
                _ if a == b => Ok(iso(y, a, b)),
                _ => Err(format!(
                    "\"{value}\" could be day/month or month/day; write it as YYYY-MM-DD ({} or {})",
                    iso(y, b, a),
                    iso(y, a, b)
                )),
            }
        }
        _ => Ok(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_spreadsheet_spellings() {
        assert_eq!(normalize_date("2026-03-01").as_deref(), Ok("2026-03-01"));
        assert_eq!(normalize_date("2026/3/1").as_deref(), Ok("2026-03-01"));
        assert_eq!(normalize_date("01.03.2026").as_deref(), Ok("2026-03-01"));
        assert_eq!(normalize_date("25/12/2026").as_deref(), Ok("2026-12-25"));
        assert_eq!(normalize_date("12/25/2026").as_deref(), Ok("2026-12-25"));
        assert_eq!(normalize_date("2026-03-01 00:00:00").as_deref(), Ok("2026-03-01"));
        assert!(normalize_date("03/04/2026").is_err_and(|e| e.contains("2026-04-03")));
        assert_eq!(normalize_date("soon").as_deref(), Ok("soon"), "left for the parser to refuse");
    }

    #[test]
    fn splits_and_names() {
        assert_eq!(splits("Kai 33.33 %").expect("spaced"), vec![("Kai".to_owned(), 3333)]);
        assert!(splits("Kai").is_err());
        assert_eq!(
            splits("Ana Ruiz 50%; Kai 50%").expect("splits"),
            vec![("Ana Ruiz".to_owned(), 5000), ("Kai".to_owned(), 5000)]
        );
        assert!(splits("Ana 80%; Kai 30%").is_err());
        assert_eq!(names("Earth, Wind & Fire | Kai; ").collect::<Vec<_>>(), ["Earth, Wind & Fire", "Kai"]);
        assert_eq!(normalize(Field::PLine, "℗ 2024 Acme").as_deref(), Ok("2024 Acme"));
        assert_eq!(normalize(Field::CLine, "(C) 2024 Acme").as_deref(), Ok("2024 Acme"));
    }
}
