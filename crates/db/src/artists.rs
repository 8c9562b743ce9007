use catno_domain::{Artist, DspArtistId, DspPlatform, LocalizedTitle};
use sqlx::SqliteConnection;

use crate::{DbError, Result, stored};

/// Returns the id of the artist with exactly this name (ignoring case), creating it if needed.
pub async fn ensure_artist(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM artists WHERE name = ? ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    Ok(sqlx::query_scalar("INSERT INTO artists (name) VALUES (?) RETURNING id")
        .bind(name)
        .fetch_one(conn)
        .await?)
}

pub async fn get_artist(conn: &mut SqliteConnection, id: i64) -> Result<Artist> {
    let name: String = sqlx::query_scalar("SELECT name FROM artists WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(DbError::NotFound { what: "artist", id })?;
    let localized: Vec<(String, String)> = sqlx::query_as(
        "SELECT language, name FROM artist_localized_names WHERE artist_id = ? ORDER BY language",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let dsp: Vec<(String, String)> =
        sqlx::query_as("SELECT platform, value FROM artist_dsp_ids WHERE artist_id = ? ORDER BY platform")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Artist {
        id,
        name,
        localized_names: localized
            .into_iter()
            .map(|(language, title)| LocalizedTitle { language, title })
            .collect(),
        dsp_ids: dsp
            .into_iter()
            .map(|(platform, value)| {
                Ok(DspArtistId {
                    platform: stored("artist_dsp_ids", "platform", &platform, DspPlatform::from_str_id)?,
                    value,
                })
            })
            .collect::<Result<_>>()?,
    })
}

/// Sets (or with `None` removes) the artist's id on one platform. The value must already be
/// normalised by the domain's format check.
pub async fn set_artist_dsp_id(
    conn: &mut SqliteConnection,
    artist_id: i64,
    platform: DspPlatform,
    value: Option<&str>,
) -> Result<()> {
    match value {
        Some(value) => {
            sqlx::query(
                "INSERT INTO artist_dsp_ids (artist_id, platform, value) VALUES (?, ?, ?)
                 ON CONFLICT (artist_id, platform) DO UPDATE SET value = excluded.value",
            )
            .bind(artist_id)
            .bind(platform.as_str())
            .bind(value)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM artist_dsp_ids WHERE artist_id = ? AND platform = ?")
                .bind(artist_id)
                .bind(platform.as_str())
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

pub async fn set_artist_localized_name(
    conn: &mut SqliteConnection,
    artist_id: i64,
    language: &str,
    name: Option<&str>,
) -> Result<()> {
    match name {
        Some(name) => {
            sqlx::query(
                "INSERT INTO artist_localized_names (artist_id, language, name) VALUES (?, ?, ?)
                 ON CONFLICT (artist_id, language) DO UPDATE SET name = excluded.name",
            )
            .bind(artist_id)
            .bind(language)
            .bind(name)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM artist_localized_names WHERE artist_id = ? AND language = ?")
                .bind(artist_id)
                .bind(language)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}
