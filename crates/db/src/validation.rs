//! What release validation reads: whole releases in id ranges with a few queries per page
//! (not per track), and the catalog-wide context of the uniqueness and near-duplicate rules.

use std::collections::HashMap;

use catno_domain::{
    Contributor, ContributorRole, DspArtistId, DspPlatform, Isrc, LocalizedTitle, Release, Track, Writer,
    WriterRole,
};
use sqlx::SqliteConnection;

use crate::{DbError, Result, stored};

/// A release with its tracks in running order and each track's audio SHA-256.
#[derive(Debug, Clone)]
pub struct LoadedRelease {
    pub release: Release,
    pub tracks: Vec<Track>,
    pub audio_sha256: Vec<Option<String>>,
    /// Whether the release has any rights rules (else it is available everywhere).
    pub has_rights_rules: bool,
}

/// Up to `limit` release ids after `after_id`, ascending.
pub async fn release_ids_after(conn: &mut SqliteConnection, after_id: i64, limit: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases WHERE id > ? ORDER BY id LIMIT ?")
        .bind(after_id)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

struct TrackRow {
    release_id: i64,
    id: i64,
    isrc: Option<String>,
    title: String,
    version: Option<String>,
    display_artist: String,
    duration_ms: Option<i64>,
    explicit: bool,
    audio_language: Option<String>,
    updated_at: String,
    position: (i64, i64),
}

/// A nullable column written as `P<value>` or `N`.
fn nullable(raw: Option<&&str>) -> Option<String> {
    raw.and_then(|v| v.strip_prefix('P')).map(str::to_owned)
}

/// The track records of a page (U+001C between tracks, U+001D between fields), sorted by
/// release and position.
fn track_records(page: &str) -> Result<Vec<TrackRow>> {
    let mut rows = page
        .split('\u{1c}')
        .filter(|r| !r.is_empty())
        .map(|record| {
            let f: Vec<&str> = record.split('\u{1d}').collect();
            if f.len() != 12 {
                return Err(corrupt(
                    "tracks",
                    "title",
                    format!("unexpected control characters in {record:?}"),
                ));
            }
            Ok(TrackRow {
                release_id: int("release_tracks", "release_id", f.first())?,
                id: int("tracks", "id", f.get(1))?,
                isrc: nullable(f.get(2)),
                title: text(f.get(3)),
                version: nullable(f.get(4)),
                display_artist: text(f.get(5)),
                duration_ms: nullable(f.get(6))
                    .map(|d| int("tracks", "duration_ms", Some(&d.as_str())))
                    .transpose()?,
                explicit: f[7] != "0",
                audio_language: nullable(f.get(8)),
                updated_at: text(f.get(9)),
                position: (
                    int("release_tracks", "disc_number", f.get(10))?,
                    int("release_tracks", "track_number", f.get(11))?,
                ),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    rows.sort_by_key(|r| (r.release_id, r.position));
    Ok(rows)
}

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The records of a `group_concat` column: fields separated by U+001F, records by U+001E
/// (control characters no title or name holds; edits refuse them).
fn split_records(column: Option<&str>) -> impl Iterator<Item = Vec<&str>> {
    column.unwrap_or("").split(RECORD).filter(|r| !r.is_empty()).map(|r| r.split(UNIT).collect())
}

fn int(table: &'static str, column: &'static str, raw: Option<&&str>) -> Result<i64> {
    raw.and_then(|v| v.parse().ok()).ok_or_else(|| corrupt(table, column, format!("{raw:?}")))
}

fn text(raw: Option<&&str>) -> String {
    raw.map(|v| (*v).to_owned()).unwrap_or_default()
}

/// Per track id: credits (sorted by sequence, id) from `track_id␟id␟artist_id␟name␟role␟sequence`.
fn track_contributors(column: Option<&str>) -> Result<HashMap<i64, Vec<Contributor>>> {
    let mut out: HashMap<i64, Vec<Contributor>> = HashMap::new();
    for f in split_records(column) {
        let track_id = int("track_contributors", "track_id", f.first())?;
        let id = int("track_contributors", "id", f.get(1))?;
        let credits = out.entry(track_id).or_default();
        if credits.iter().any(|c| c.id == id) {
            continue;
        }
        credits.push(Contributor {
            id,
            artist_id: int("track_contributors", "artist_id", f.get(2))?,
            artist_name: text(f.get(3)),
            role: stored("track_contributors", "role", &text(f.get(4)), ContributorRole::parse)?,
            sequence: int("track_contributors", "sequence", f.get(5))?,
        });
    }
    for credits in out.values_mut() {
        credits.sort_by_key(|c| (c.sequence, c.id));
    }
    Ok(out)
}

/// Per track id: writers (sorted by sequence, id) from
/// `track_id␟id␟name␟role␟P<publisher>|N␟share␟sequence`.
fn track_writers(column: Option<&str>) -> Result<HashMap<i64, Vec<Writer>>> {
    /// A writer with its (sequence, id) sort key.
    type Keyed = ((i64, i64), Writer);
    let mut keyed: HashMap<i64, Vec<Keyed>> = HashMap::new();
    for f in split_records(column) {
        let track_id = int("track_writers", "track_id", f.first())?;
        let key = (int("track_writers", "sequence", f.get(6))?, int("track_writers", "id", f.get(1))?);
        let writer = Writer {
            id: key.1,
            name: text(f.get(2)),
            role: stored("track_writers", "role", &text(f.get(3)), WriterRole::parse)?,
            publisher: f.get(4).and_then(|p| p.strip_prefix('P')).map(str::to_owned),
            share_basis_points: int("track_writers", "share_basis_points", f.get(5))?,
        };
        let writers = keyed.entry(track_id).or_default();
        if !writers.iter().any(|(k, _)| k.1 == key.1) {
            writers.push((key, writer));
        }
    }
    Ok(keyed
        .into_iter()
        .map(|(track_id, mut writers)| {
            writers.sort_by_key(|(key, _)| *key);
            (track_id, writers.into_iter().map(|(_, w)| w).collect())
        })
        .collect())
}

/// Per track id: localized titles (sorted by language) from `track_id␟language␟title`.
fn track_localized(column: Option<&str>) -> Result<HashMap<i64, Vec<LocalizedTitle>>> {
    let mut out: HashMap<i64, Vec<LocalizedTitle>> = HashMap::new();
    for f in split_records(column) {
        let track_id = int("track_localized_titles", "track_id", f.first())?;
        let language = text(f.get(1));
        let titles = out.entry(track_id).or_default();
        if !titles.iter().any(|t| t.language == language) {
            titles.push(LocalizedTitle { language, title: text(f.get(2)) });
        }
    }
    for titles in out.values_mut() {
        titles.sort_by(|a, b| a.language.cmp(&b.language));
    }
    Ok(out)
}

/// Per track id: the SHA-256 of its first audio asset (lowest asset id; `None` when that
/// asset has no hash) from `track_id␟asset id␟P<sha256>|N`.
fn track_audio(column: Option<&str>) -> Result<HashMap<i64, (i64, Option<String>)>> {
    let mut out: HashMap<i64, (i64, Option<String>)> = HashMap::new();
    for f in split_records(column) {
        let track_id = int("assets", "track_id", f.first())?;
        let asset_id = int("assets", "id", f.get(1))?;
        let sha = nullable(f.get(2));
        match out.get(&track_id) {
            Some((first, _)) if *first <= asset_id => {}
            _ => {
                out.insert(track_id, (asset_id, sha));
            }
        }
    }
    Ok(out)
}

fn corrupt(table: &'static str, column: &'static str, message: String) -> DbError {
    DbError::Corrupt { table, column, message }
}

/// One row of `group_concat`ed records for the tracks of the releases in `lo..=hi`.
async fn page_records(
    conn: &mut SqliteConnection,
    sql: &'static str,
    lo: i64,
    hi: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(sql).bind(lo).bind(hi).fetch_one(conn).await?)
}

/// The per-track tables below are joined to the page's tracks (`release_tracks` by release,
/// then each table by its track index): an `IN (SELECT …)` would build a temporary B-tree of
/// the page's ten thousand track ids for each table. A track on two releases of the page comes
/// back twice; the parsers drop the repeats.
macro_rules! page_tracks {
    () => {
        " JOIN release_tracks rt ON rt.track_id = x.track_id WHERE rt.release_id BETWEEN ?1 AND ?2"
    };
}

/// Every release whose id is in `lo..=hi`, whole, in id order: one query per table.
///
/// sqlx hands rows over one by one, which for ten thousand track rows costs far more than
/// SQLite's work; so each per-track table comes back as one row, its records concatenated in
/// SQL (`format`, cheaper than chains of `||`) and split here. Per-track tables are read with
/// one query each for the whole page, not one correlated subquery per track.
pub async fn load_releases_in_range(
    conn: &mut SqliteConnection,
    lo: i64,
    hi: i64,
) -> Result<Vec<LoadedRelease>> {
    let releases: Vec<crate::releases::ReleaseRow> = sqlx::query_as(
        "SELECT r.*, l.name AS label_name FROM releases r JOIN labels l ON l.id = r.label_id
         WHERE r.id BETWEEN ? AND ? ORDER BY r.id",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    if releases.is_empty() {
        return Ok(Vec::new());
    }

    let mut release_titles: HashMap<i64, Vec<LocalizedTitle>> = HashMap::new();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT release_id, language, title FROM release_localized_titles
         WHERE release_id BETWEEN ? AND ? ORDER BY release_id, language",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    for (id, language, title) in rows {
        release_titles.entry(id).or_default().push(LocalizedTitle { language, title });
    }

    let mut release_artists: HashMap<i64, Vec<Contributor>> = HashMap::new();
    let rows: Vec<(i64, i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT c.release_id, c.id, c.artist_id, a.name, c.role, c.sequence
         FROM release_artists c JOIN artists a ON a.id = c.artist_id
         WHERE c.release_id BETWEEN ? AND ? ORDER BY c.release_id, c.sequence, c.id",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    for (release_id, id, artist_id, artist_name, role, sequence) in rows {
        let role = stored("release_artists", "role", &role, ContributorRole::parse)?;
        release_artists.entry(release_id).or_default().push(Contributor {
            id,
            artist_id,
            artist_name,
            role,
            sequence,
        });
    }

    let page = page_records(
        conn,
        "SELECT group_concat(record, char(28)) FROM (
           SELECT format('%d\u{1d}%d\u{1d}%s\u{1d}%s\u{1d}%s\u{1d}%s\u{1d}%s\u{1d}%d\u{1d}%s\u{1d}%s\u{1d}%d\u{1d}%d',
                         rt.release_id, t.id, ifnull('P' || t.isrc, 'N'), t.title,
                         ifnull('P' || t.version, 'N'), t.display_artist,
                         ifnull('P' || t.duration_ms, 'N'), t.explicit,
                         ifnull('P' || t.audio_language, 'N'), t.updated_at,
                         rt.disc_number, rt.track_number) AS record
           FROM release_tracks rt JOIN tracks t ON t.id = rt.track_id
           WHERE rt.release_id BETWEEN ?1 AND ?2 ORDER BY rt.release_id, rt.disc_number, rt.track_number)",
        lo,
        hi,
    )
    .await?;
    let track_rows = track_records(page.as_deref().unwrap_or(""))?;
    let (mut contributors, mut writers, mut titles, mut audio) = if track_rows.is_empty() {
        Default::default()
    } else {
        let contributors = page_records(
            conn,
            concat!(
                "SELECT group_concat(format('%d\u{1f}%d\u{1f}%d\u{1f}%s\u{1f}%s\u{1f}%d', x.track_id, x.id, x.artist_id,
                                            ar.name, x.role, x.sequence), char(30))
                 FROM track_contributors x JOIN artists ar ON ar.id = x.artist_id",
                page_tracks!()
            ),
            lo,
            hi,
        )
        .await?;
        let writers = page_records(
            conn,
            concat!(
                "SELECT group_concat(format('%d\u{1f}%d\u{1f}%s\u{1f}%s\u{1f}%s\u{1f}%d\u{1f}%d', x.track_id, x.id, x.name,
                                            x.role, ifnull('P' || x.publisher, 'N'),
                                            x.share_basis_points, x.sequence), char(30))
                 FROM track_writers x",
                page_tracks!()
            ),
            lo,
            hi,
        )
        .await?;
        let titles = page_records(
            conn,
            concat!(
                "SELECT group_concat(format('%d\u{1f}%s\u{1f}%s', x.track_id, x.language, x.title), char(30))
                 FROM track_localized_titles x",
                page_tracks!()
            ),
            lo,
            hi,
        )
        .await?;
        let audio = page_records(
            conn,
            concat!(
                "SELECT group_concat(format('%d\u{1f}%d\u{1f}%s', x.track_id, x.id, ifnull('P' || x.sha256, 'N')),
                                     char(30))
                 FROM assets x",
                page_tracks!(),
                " AND x.kind = 'Audio'"
            ),
            lo,
            hi,
        )
        .await?;
        (
            track_contributors(contributors.as_deref())?,
            track_writers(writers.as_deref())?,
            track_localized(titles.as_deref())?,
            track_audio(audio.as_deref())?,
        )
    };
    let with_rules: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT release_id FROM rights_rules WHERE release_id BETWEEN ? AND ?")
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *conn)
            .await?;

    // A track on several releases of the page takes its per-track data from these maps once
    // per release: cloned while another release still holds it, moved by the last.
    let mut uses: HashMap<i64, usize> = HashMap::new();
    for row in &track_rows {
        *uses.entry(row.id).or_default() += 1;
    }
    let mut tracks_of: HashMap<i64, (Vec<Track>, Vec<Option<String>>)> = HashMap::new();
    for row in track_rows {
        let TrackRow {
            release_id,
            id,
            isrc,
            title,
            version,
            display_artist,
            duration_ms,
            explicit,
            audio_language,
            updated_at,
            position: _,
        } = row;
        let isrc = isrc
            .map(|raw| Isrc::parse(&raw).map_err(|e| corrupt("tracks", "isrc", e.to_string())))
            .transpose()?;
        let last = uses.get_mut(&id).is_some_and(|n| {
            *n -= 1;
            *n == 0
        });
        let track = Track {
            id,
            isrc,
            title,
            version,
            display_artist,
            localized_titles: take(&mut titles, id, last),
            duration_ms,
            explicit,
            audio_language,
            contributors: take(&mut contributors, id, last),
            writers: take(&mut writers, id, last),
            updated_at,
        };
        let sha256 = if last { audio.remove(&id) } else { audio.get(&id).cloned() };
        let entry = tracks_of.entry(release_id).or_default();
        entry.0.push(track);
        entry.1.push(sha256.and_then(|(_, sha)| sha));
    }

    let mut out = Vec::with_capacity(releases.len());
    for row in releases {
        let id = row.id;
        let release = row.into_release(
            release_titles.remove(&id).unwrap_or_default(),
            release_artists.remove(&id).unwrap_or_default(),
        )?;
        let (tracks, audio_sha256) = tracks_of.remove(&id).unwrap_or_default();
        out.push(LoadedRelease { release, tracks, audio_sha256, has_rights_rules: with_rules.contains(&id) });
    }
    Ok(out)
}

/// A track's entries of a per-track map: moved out on its `last` use, else cloned.
fn take<T: Clone>(map: &mut HashMap<i64, Vec<T>>, track_id: i64, last: bool) -> Vec<T> {
    if last {
        map.remove(&track_id).unwrap_or_default()
    } else {
        map.get(&track_id).cloned().unwrap_or_default()
    }
}

/// Releases other than `release_id` carrying `upc` (index `releases_upc`).
pub async fn releases_with_upc(conn: &mut SqliteConnection, upc: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases WHERE upc = ? ORDER BY id")
        .bind(upc)
        .fetch_all(conn)
        .await?)
}

/// Tracks carrying `isrc`, with their audio SHA-256 (index `tracks_isrc`).
pub async fn tracks_with_isrc(conn: &mut SqliteConnection, isrc: &str) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.id, (SELECT a.sha256 FROM assets a WHERE a.track_id = t.id AND a.kind = 'Audio' ORDER BY a.id LIMIT 1)
         FROM tracks t WHERE t.isrc = ? ORDER BY t.id",
    )
    .bind(isrc)
    .fetch_all(conn)
    .await?)
}

/// The UPCs carried by more than one release: `(release id, upc)` (scans index `releases_upc`).
pub async fn duplicate_release_upcs(conn: &mut SqliteConnection) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, upc FROM releases WHERE upc IN (
             SELECT upc FROM releases WHERE upc IS NOT NULL GROUP BY upc HAVING count(*) > 1)",
    )
    .fetch_all(conn)
    .await?)
}

/// The ISRCs carried by more than one track, with each track's audio SHA-256:
/// `(track id, isrc, sha256)` (scans index `tracks_isrc`).
pub async fn duplicate_track_isrcs(
    conn: &mut SqliteConnection,
) -> Result<Vec<(i64, String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.isrc,
                (SELECT a.sha256 FROM assets a WHERE a.track_id = t.id AND a.kind = 'Audio' ORDER BY a.id LIMIT 1)
         FROM tracks t WHERE t.isrc IN (
             SELECT isrc FROM tracks WHERE isrc IS NOT NULL GROUP BY isrc HAVING count(*) > 1)",
    )
    .fetch_all(conn)
    .await?)
}

/// Every artist name (covering index `artists_name`), read as one concatenated row: sqlx's
/// per-row cost made twenty thousand rows most of a single release's validation.
pub async fn all_artist_names(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    artist_names_where(conn, |_| true).await
}

/// The artist names `keep` accepts; the others are never copied (one release's validation
/// looks through every name in the catalog for near-duplicates of its few).
pub async fn artist_names_where(
    conn: &mut SqliteConnection,
    mut keep: impl FnMut(&str) -> bool,
) -> Result<Vec<String>> {
    let names: Option<String> =
        sqlx::query_scalar("SELECT group_concat(name, char(30)) FROM (SELECT name FROM artists)")
            .fetch_one(conn)
            .await?;
    Ok(names
        .as_deref()
        .unwrap_or("")
        .split(RECORD)
        .filter(|n| !n.is_empty() && keep(n))
        .map(str::to_owned)
        .collect())
}

/// DSP ids of artists; `release_id` narrows to the artists credited on one release.
pub async fn artist_dsp_ids(
    conn: &mut SqliteConnection,
    release_id: Option<i64>,
) -> Result<Vec<(i64, DspArtistId)>> {
    let rows: Vec<(i64, String, String)> = match release_id {
        None => {
            sqlx::query_as("SELECT artist_id, platform, value FROM artist_dsp_ids").fetch_all(conn).await?
        }
        Some(id) => {
            sqlx::query_as(
                "SELECT artist_id, platform, value FROM artist_dsp_ids WHERE artist_id IN (
                     SELECT artist_id FROM release_artists WHERE release_id = ?1
                     UNION SELECT c.artist_id FROM track_contributors c
                           JOIN release_tracks rt ON rt.track_id = c.track_id WHERE rt.release_id = ?1)",
            )
            .bind(id)
            .fetch_all(conn)
            .await?
        }
    };
    rows.into_iter()
        .map(|(artist_id, platform, value)| {
            let platform = stored("artist_dsp_ids", "platform", &platform, DspPlatform::from_str_id)?;
            Ok((artist_id, DspArtistId { platform, value }))
        })
        .collect()
}
