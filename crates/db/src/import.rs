//! Bulk import and export (CSV): the lookups an import plan needs and the per-release
//! queries an export streams from. Writes reuse the release, track, credit and writer
//! functions, composed by the caller in one transaction.

use sqlx::SqliteConnection;

use crate::Result;

/// The release carrying this UPC, the oldest when several do.
pub async fn release_id_by_upc(conn: &mut SqliteConnection, upc: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases WHERE upc = ? ORDER BY id LIMIT 1")
        .bind(upc)
        .fetch_optional(conn)
        .await?)
}

/// Every release id in creation order, for a whole-catalog export.
pub async fn all_release_ids(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases ORDER BY id").fetch_all(conn).await?)
}

/// `(role, name, publisher, share in basis points)`.
pub type ExportWriter = (String, String, Option<String>, i64);

/// A track as one export row shows it, with its position on the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTrack {
    pub track_id: i64,
    pub disc_number: i64,
    pub track_number: i64,
    pub isrc: Option<String>,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
    pub audio_language: Option<String>,
    /// `(role, artist name)` in credit order.
    pub contributors: Vec<(String, String)>,
    /// `(role, name, publisher, share in basis points)` in writer order.
    pub writers: Vec<ExportWriter>,
}

type TrackRow =
    (i64, i64, i64, Option<String>, String, Option<String>, String, Option<i64>, bool, Option<String>);

/// The tracklist of one release in disc/track order with credits and writers: three queries
/// whatever the release's length.
pub async fn export_release_tracks(conn: &mut SqliteConnection, release_id: i64) -> Result<Vec<ExportTrack>> {
    let rows: Vec<TrackRow> = sqlx::query_as(
        "SELECT t.id, rt.disc_number, rt.track_number, t.isrc, t.title, t.version, t.display_artist,
                t.duration_ms, t.explicit, t.audio_language
         FROM release_tracks rt JOIN tracks t ON t.id = rt.track_id
         WHERE rt.release_id = ? ORDER BY rt.disc_number, rt.track_number",
    )
    .bind(release_id)
    .fetch_all(&mut *conn)
    .await?;
    let credits: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT tc.track_id, tc.role, a.name FROM track_contributors tc
         JOIN artists a ON a.id = tc.artist_id
         JOIN release_tracks rt ON rt.track_id = tc.track_id AND rt.release_id = ?
         ORDER BY tc.track_id, tc.sequence, tc.id",
    )
    .bind(release_id)
    .fetch_all(&mut *conn)
    .await?;
    let writers: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT w.track_id, w.role, w.name, w.publisher, w.share_basis_points FROM track_writers w
         JOIN release_tracks rt ON rt.track_id = w.track_id AND rt.release_id = ?
         ORDER BY w.track_id, w.sequence, w.id",
    )
    .bind(release_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut credits_of: std::collections::HashMap<i64, Vec<(String, String)>> =
        std::collections::HashMap::new();
    for (track_id, role, name) in credits {
        credits_of.entry(track_id).or_default().push((role, name));
    }
    let mut writers_of: std::collections::HashMap<i64, Vec<ExportWriter>> = std::collections::HashMap::new();
    for (track_id, role, name, publisher, share) in writers {
        writers_of.entry(track_id).or_default().push((role, name, publisher, share));
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                track_id,
                disc_number,
                track_number,
                isrc,
                title,
                version,
                display_artist,
                duration_ms,
                explicit,
                audio_language,
            )| {
                ExportTrack {
                    track_id,
                    disc_number,
                    track_number,
                    isrc,
                    title,
                    version,
                    display_artist,
                    duration_ms,
                    explicit,
                    audio_language,
                    contributors: credits_of.remove(&track_id).unwrap_or_default(),
                    writers: writers_of.remove(&track_id).unwrap_or_default(),
                }
            },
        )
        .collect())
}

/// Removes every writer of a track, before an import replaces them.
pub async fn clear_writers(conn: &mut SqliteConnection, track_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM track_writers WHERE track_id = ?").bind(track_id).execute(conn).await?;
    Ok(())
}

/// The tracks carrying this ISRC, with the first release each is on (`None`: on none) and
/// its title, oldest track first.
pub async fn tracks_by_isrc(
    conn: &mut SqliteConnection,
    isrc: &str,
) -> Result<Vec<(i64, String, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.title, (SELECT MIN(rt.release_id) FROM release_tracks rt WHERE rt.track_id = t.id)
         FROM tracks t WHERE t.isrc = ? ORDER BY t.id",
    )
    .bind(isrc)
    .fetch_all(conn)
    .await?)
}
