use catno_domain::{
    Asset, AssetKind, Isrc, LocalizedTitle, Page, Track, TrackEdit, TrackSummary, Writer, WriterRole,
};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::credits::{CreditOwner, list_credits};
use crate::{DbError, Result, stored};

#[derive(Clone, Debug)]
pub struct NewTrack<'a> {
    pub isrc: Option<&'a str>,
    pub title: &'a str,
    pub version: Option<&'a str>,
    pub display_artist: &'a str,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
}

pub async fn insert_track(conn: &mut SqliteConnection, new: &NewTrack<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO tracks (isrc, title, version, display_artist, duration_ms, explicit)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.isrc)
    .bind(new.title)
    .bind(new.version)
    .bind(new.display_artist)
    .bind(new.duration_ms)
    .bind(new.explicit)
    .fetch_one(conn)
    .await?)
}

/// Places a track on a release at `(disc, number)`.
pub async fn add_track_to_release(
    conn: &mut SqliteConnection,
    release_id: i64,
    track_id: i64,
    disc_number: i64,
    track_number: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO release_tracks (release_id, track_id, disc_number, track_number) VALUES (?, ?, ?, ?)",
    )
    .bind(release_id)
    .bind(track_id)
    .bind(disc_number)
    .bind(track_number)
    .execute(conn)
    .await
    .map_err(|e| position_conflict(e, disc_number, track_number))?;
    Ok(())
}

fn position_conflict(error: sqlx::Error, disc: i64, number: i64) -> DbError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            DbError::Conflict(format!("disc {disc} track {number} is already taken on this release"))
        }
        _ => DbError::Sqlx(error),
    }
}

/// Moves a track to another position on a release.
pub async fn set_track_position(
    conn: &mut SqliteConnection,
    release_id: i64,
    track_id: i64,
    disc_number: i64,
    track_number: i64,
) -> Result<()> {
    if disc_number < 1 || track_number < 1 {
        return Err(DbError::Conflict("disc and track numbers start at 1".into()));
    }
    let done = sqlx::query(
        "UPDATE release_tracks SET disc_number = ?, track_number = ? WHERE release_id = ? AND track_id = ?",
    )
    .bind(disc_number)
    .bind(track_number)
    .bind(release_id)
    .bind(track_id)
    .execute(conn)
    .await
    .map_err(|e| position_conflict(e, disc_number, track_number))?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound { what: "track on that release", id: track_id });
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TrackRow {
    id: i64,
    isrc: Option<String>,
    title: String,
    version: Option<String>,
    display_artist: String,
    duration_ms: Option<i64>,
    explicit: bool,
    audio_language: Option<String>,
    updated_at: String,
}

pub async fn get_track(conn: &mut SqliteConnection, id: i64) -> Result<Track> {
    let row: TrackRow = sqlx::query_as(
        "SELECT id, isrc, title, version, display_artist, duration_ms, explicit, audio_language, updated_at
         FROM tracks WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(DbError::NotFound { what: "track", id })?;
    let localized: Vec<(String, String)> = sqlx::query_as(
        "SELECT language, title FROM track_localized_titles WHERE track_id = ? ORDER BY language",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let contributors = list_credits(conn, CreditOwner::Track(id)).await?;
    let writers = list_writers(conn, id).await?;
    Ok(Track {
        id: row.id,
        isrc: row
            .isrc
            .map(|raw| {
                Isrc::parse(&raw).map_err(|e| DbError::Corrupt {
                    table: "tracks",
                    column: "isrc",
                    message: e.to_string(),
                })
            })
            .transpose()?,
        title: row.title,
        version: row.version,
        display_artist: row.display_artist,
        localized_titles: localized
            .into_iter()
            .map(|(language, title)| LocalizedTitle { language, title })
            .collect(),
        duration_ms: row.duration_ms,
        explicit: row.explicit,
        audio_language: row.audio_language,
        contributors,
        writers,
        updated_at: row.updated_at,
    })
}

#[derive(sqlx::FromRow)]
struct TrackSummaryRow {
    id: i64,
    disc_number: i64,
    track_number: i64,
    isrc: Option<String>,
    title: String,
    version: Option<String>,
    display_artist: String,
    duration_ms: Option<i64>,
    explicit: bool,
}

/// A page of a release's tracklist in disc and track order.
pub async fn list_release_tracks(
    conn: &mut SqliteConnection,
    release_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Page<TrackSummary>> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM release_tracks WHERE release_id = ?")
        .bind(release_id)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<TrackSummaryRow> = sqlx::query_as(
        "SELECT t.id, rt.disc_number, rt.track_number, t.isrc, t.title, t.version, t.display_artist,
                t.duration_ms, t.explicit
         FROM release_tracks rt JOIN tracks t ON t.id = rt.track_id
         WHERE rt.release_id = ? ORDER BY rt.disc_number, rt.track_number LIMIT ? OFFSET ?",
    )
    .bind(release_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| TrackSummary {
                id: r.id,
                release_id,
                disc_number: r.disc_number,
                track_number: r.track_number,
                isrc: r.isrc,
                title: r.title,
                version: r.version,
                display_artist: r.display_artist,
                duration_ms: r.duration_ms,
                explicit: r.explicit,
            })
            .collect(),
        offset,
        total,
    })
}

/// The ids of the releases a track sits on, oldest first.
pub async fn releases_of_track(conn: &mut SqliteConnection, track_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT release_id FROM release_tracks WHERE track_id = ? ORDER BY release_id")
        .bind(track_id)
        .fetch_all(conn)
        .await?)
}

/// The track at a 1-based position of a release's tracklist (disc order, then track order).
pub async fn track_at_position(conn: &mut SqliteConnection, release_id: i64, position: i64) -> Result<i64> {
    sqlx::query_scalar(
        "SELECT track_id FROM release_tracks WHERE release_id = ? ORDER BY disc_number, track_number LIMIT 1 OFFSET ?",
    )
    .bind(release_id)
    .bind(position - 1)
    .fetch_optional(conn)
    .await?
    .ok_or(DbError::NotFound { what: "track position", id: position })
}

pub async fn apply_track_edit(conn: &mut SqliteConnection, id: i64, edit: &TrackEdit) -> Result<()> {
    fn set(column: &str) -> AssertSqlSafe<String> {
        AssertSqlSafe(format!(
            "UPDATE tracks SET {column} = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?"
        ))
    }
    let result = match edit {
        TrackEdit::Title(v) => sqlx::query(set("title")).bind(v).bind(id).execute(&mut *conn).await?,
        TrackEdit::Version(v) => {
            sqlx::query(set("version")).bind(v.clone()).bind(id).execute(&mut *conn).await?
        }
        TrackEdit::DisplayArtist(v) => {
            sqlx::query(set("display_artist")).bind(v).bind(id).execute(&mut *conn).await?
        }
        TrackEdit::Isrc(v) => {
            sqlx::query(set("isrc"))
                .bind(v.as_ref().map(|i| i.as_str().to_owned()))
                .bind(id)
                .execute(&mut *conn)
                .await?
        }
        TrackEdit::DurationMs(v) => {
            sqlx::query(set("duration_ms")).bind(*v).bind(id).execute(&mut *conn).await?
        }
        TrackEdit::Explicit(v) => sqlx::query(set("explicit")).bind(*v).bind(id).execute(&mut *conn).await?,
        TrackEdit::AudioLanguage(v) => {
            sqlx::query(set("audio_language")).bind(v.clone()).bind(id).execute(&mut *conn).await?
        }
        TrackEdit::LocalizedTitle { language, title } => {
            let result = sqlx::query(
                "UPDATE tracks SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if result.rows_affected() == 0 {
                return Err(DbError::NotFound { what: "track", id });
            }
            match title {
                Some(title) => {
                    sqlx::query(
                        "INSERT INTO track_localized_titles (track_id, language, title) VALUES (?, ?, ?)
                     ON CONFLICT (track_id, language) DO UPDATE SET title = excluded.title",
                    )
                    .bind(id)
                    .bind(language)
                    .bind(title)
                    .execute(&mut *conn)
                    .await?
                }
                None => {
                    sqlx::query("DELETE FROM track_localized_titles WHERE track_id = ? AND language = ?")
                        .bind(id)
                        .bind(language)
                        .execute(&mut *conn)
                        .await?
                }
            }
        }
    };
    if result.rows_affected() == 0 {
        return Err(DbError::NotFound { what: "track", id });
    }
    Ok(())
}

pub async fn list_writers(conn: &mut SqliteConnection, track_id: i64) -> Result<Vec<Writer>> {
    let rows: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, name, role, publisher, share_basis_points FROM track_writers
         WHERE track_id = ? ORDER BY sequence, id",
    )
    .bind(track_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, name, role, publisher, share_basis_points)| {
            Ok(Writer {
                id,
                name,
                role: stored("track_writers", "role", &role, WriterRole::parse)?,
                publisher,
                share_basis_points,
            })
        })
        .collect()
}

/// A track's writer shares, in basis points, may add up to 100 % at most; refused as a
/// conflict naming the total (one writer added, or a bulk import's whole list).
pub(crate) fn writer_shares_fit(total_basis_points: i64) -> Result<()> {
    if total_basis_points > 10_000 {
        return Err(DbError::Conflict(format!(
            "writer shares would total {:.2} %, more than 100 %",
            total_basis_points as f64 / 100.0
        )));
    }
    Ok(())
}

pub async fn add_writer(
    conn: &mut SqliteConnection,
    track_id: i64,
    name: &str,
    role: WriterRole,
    publisher: Option<&str>,
    share_basis_points: i64,
) -> Result<i64> {
    let existing: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(share_basis_points), 0) FROM track_writers WHERE track_id = ?",
    )
    .bind(track_id)
    .fetch_one(&mut *conn)
    .await?;
    writer_shares_fit(existing + share_basis_points)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO track_writers (track_id, name, role, publisher, share_basis_points, sequence)
         VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(sequence), 0) + 1 FROM track_writers WHERE track_id = ?))
         RETURNING id",
    )
    .bind(track_id)
    .bind(name)
    .bind(role.as_str())
    .bind(publisher)
    .bind(share_basis_points)
    .bind(track_id)
    .fetch_one(conn)
    .await?)
}

pub async fn remove_writer(conn: &mut SqliteConnection, track_id: i64, writer_id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM track_writers WHERE id = ? AND track_id = ?")
        .bind(writer_id)
        .bind(track_id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound { what: "writer", id: writer_id });
    }
    Ok(())
}

pub async fn track_exists(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM tracks WHERE id = ?").bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or(DbError::NotFound { what: "track", id })
}

#[derive(Clone, Debug)]
pub struct NewAsset<'a> {
    pub kind: AssetKind,
    pub path: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub release_id: Option<i64>,
    pub track_id: Option<i64>,
}

pub async fn insert_asset(conn: &mut SqliteConnection, new: &NewAsset<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO assets (kind, path, sha256, size_bytes, release_id, track_id)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.path)
    .bind(new.sha256)
    .bind(new.size_bytes)
    .bind(new.release_id)
    .bind(new.track_id)
    .fetch_one(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: i64,
    kind: String,
    path: String,
    sha256: String,
    size_bytes: i64,
    release_id: Option<i64>,
    track_id: Option<i64>,
}

/// The release's artwork and the audio of its tracks.
pub async fn release_assets(conn: &mut SqliteConnection, release_id: i64) -> Result<Vec<Asset>> {
    let rows: Vec<AssetRow> = sqlx::query_as(
        "SELECT id, kind, path, sha256, size_bytes, release_id, track_id FROM assets WHERE release_id = ?1
         UNION ALL
         SELECT a.id, a.kind, a.path, a.sha256, a.size_bytes, a.release_id, a.track_id
         FROM assets a JOIN release_tracks rt ON rt.track_id = a.track_id
         WHERE rt.release_id = ?1 AND a.release_id IS NULL
         ORDER BY 1",
    )
    .bind(release_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Asset {
                id: r.id,
                kind: stored("assets", "kind", &r.kind, AssetKind::parse)?,
                path: r.path,
                sha256: r.sha256,
                size_bytes: r.size_bytes,
                release_id: r.release_id,
                track_id: r.track_id,
            })
        })
        .collect()
}
