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
    sha256: Option<String>,
    /// `id␟artist_id␟name␟role␟sequence` records joined by ␞ (see [`split_records`]).
    contributors: Option<String>,
    /// `id␟name␟role␟P<publisher>|N␟share` records.
    writers: Option<String>,
    /// `language␟title` records.
    localized: Option<String>,
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
            if f.len() != 16 {
                return Err(corrupt(
                    "tracks",
                    "title",
                    format!("unexpected control characters in {record:?}"),
                ));
            }
            let some = |i: usize| (!f[i].is_empty()).then(|| f[i].to_owned());
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
                sha256: nullable(f.get(10)),
                contributors: some(11),
                writers: some(12),
                localized: some(13),
                position: (
                    int("release_tracks", "disc_number", f.get(14))?,
                    int("release_tracks", "track_number", f.get(15))?,
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
/// (control characters no title or name holds).
fn split_records(column: Option<&str>) -> impl Iterator<Item = Vec<&str>> {
    column.unwrap_or("").split(RECORD).filter(|r| !r.is_empty()).map(|r| r.split(UNIT).collect())
}

fn int(table: &'static str, column: &'static str, raw: Option<&&str>) -> Result<i64> {
    raw.and_then(|v| v.parse().ok()).ok_or_else(|| corrupt(table, column, format!("{raw:?}")))
}

fn text(raw: Option<&&str>) -> String {
    raw.map(|v| (*v).to_owned()).unwrap_or_default()
}

fn track_contributors(column: Option<&str>) -> Result<Vec<Contributor>> {
    let mut out = split_records(column)
        .map(|f| {
            Ok(Contributor {
                id: int("track_contributors", "id", f.first())?,
                artist_id: int("track_contributors", "artist_id", f.get(1))?,
                artist_name: text(f.get(2)),
                role: stored("track_contributors", "role", &text(f.get(3)), ContributorRole::parse)?,
                sequence: int("track_contributors", "sequence", f.get(4))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|c| (c.sequence, c.id));
    Ok(out)
}

fn track_writers(column: Option<&str>) -> Result<Vec<Writer>> {
    let mut keyed = split_records(column)
        .map(|f| {
            let key = (int("track_writers", "sequence", f.get(5))?, int("track_writers", "id", f.first())?);
            let writer = Writer {
                id: key.1,
                name: text(f.get(1)),
                role: stored("track_writers", "role", &text(f.get(2)), WriterRole::parse)?,
                publisher: f.get(3).and_then(|p| p.strip_prefix('P')).map(str::to_owned),
                share_basis_points: int("track_writers", "share_basis_points", f.get(4))?,
            };
            Ok((key, writer))
        })
        .collect::<Result<Vec<_>>>()?;
    keyed.sort_by_key(|(key, _)| *key);
    Ok(keyed.into_iter().map(|(_, w)| w).collect())
}

fn localized(column: Option<&str>) -> Vec<LocalizedTitle> {
    let mut out: Vec<LocalizedTitle> = split_records(column)
        .map(|f| LocalizedTitle { language: text(f.first()), title: text(f.get(1)) })
        .collect();
    out.sort_by(|a, b| a.language.cmp(&b.language));
    out
}

fn corrupt(table: &'static str, column: &'static str, message: String) -> DbError {
    DbError::Corrupt { table, column, message }
}

/// Every release whose id is in `lo..=hi`, whole, in id order: one query per table.
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

    // One row for the whole page: sqlx hands rows over one by one, so ten thousand track rows
    // cost far more than SQLite's work; the page is concatenated in SQL and split here.
    let page: Option<String> = sqlx::query_scalar(
        "SELECT group_concat(record, char(28)) FROM (
           SELECT rt.release_id || char(29) || t.id || char(29) || ifnull('P' || t.isrc, 'N') || char(29)
                  || t.title || char(29) || ifnull('P' || t.version, 'N') || char(29) || t.display_artist
                  || char(29) || ifnull('P' || t.duration_ms, 'N') || char(29) || t.explicit || char(29)
                  || ifnull('P' || t.audio_language, 'N') || char(29) || t.updated_at || char(29)
                  || ifnull('P' || (SELECT a.sha256 FROM assets a WHERE a.track_id = t.id AND a.kind = 'Audio'
                                    ORDER BY a.id LIMIT 1), 'N') || char(29)
                  || ifnull((SELECT group_concat(c.id || char(31) || c.artist_id || char(31) || ar.name || char(31)
                                                 || c.role || char(31) || c.sequence, char(30))
                             FROM track_contributors c JOIN artists ar ON ar.id = c.artist_id
                             WHERE c.track_id = t.id), '') || char(29)
                  || ifnull((SELECT group_concat(w.id || char(31) || w.name || char(31) || w.role || char(31)
                                                 || ifnull('P' || w.publisher, 'N') || char(31)
                                                 || w.share_basis_points || char(31) || w.sequence, char(30))
                             FROM track_writers w WHERE w.track_id = t.id), '') || char(29)
                  || ifnull((SELECT group_concat(l.language || char(31) || l.title, char(30))
                             FROM track_localized_titles l WHERE l.track_id = t.id), '') || char(29)
                  || rt.disc_number || char(29) || rt.track_number AS record
           FROM release_tracks rt JOIN tracks t ON t.id = rt.track_id
           WHERE rt.release_id BETWEEN ? AND ? ORDER BY rt.release_id, rt.disc_number, rt.track_number)",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(&mut *conn)
    .await?;
    let track_rows = track_records(page.as_deref().unwrap_or(""))?;
    let with_rules: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT release_id FROM rights_rules WHERE release_id BETWEEN ? AND ?")
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *conn)
            .await?;

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
            sha256,
            contributors,
            writers,
            localized: titles,
            position: _,
        } = row;
        let isrc = isrc
            .map(|raw| Isrc::parse(&raw).map_err(|e| corrupt("tracks", "isrc", e.to_string())))
            .transpose()?;
        let track = Track {
            id,
            isrc,
            title,
            version,
            display_artist,
            localized_titles: localized(titles.as_deref()),
            duration_ms,
            explicit,
            audio_language,
            contributors: track_contributors(contributors.as_deref())?,
            writers: track_writers(writers.as_deref())?,
            updated_at,
        };
        let entry = tracks_of.entry(release_id).or_default();
        entry.0.push(track);
        entry.1.push(sha256);
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

/// Every artist name (covering index `artists_name`).
pub async fn all_artist_names(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM artists").fetch_all(conn).await?)
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
