use sqlx::SqliteConnection;

use crate::Result;

/// How much a catalog holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub labels: i64,
    pub releases: i64,
    pub tracks: i64,
    pub artists: i64,
}

pub async fn counts(conn: &mut SqliteConnection) -> Result<Counts> {
    let (labels, releases, tracks, artists) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM labels), (SELECT count(*) FROM releases),
                (SELECT count(*) FROM tracks), (SELECT count(*) FROM artists)",
    )
    .fetch_one(conn)
    .await?;
    Ok(Counts { labels, releases, tracks, artists })
}

pub async fn meta(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM catalog_meta WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

pub async fn set_meta(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The schema version this catalog is at (the newest applied migration).
pub async fn schema_version(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(conn)
        .await?)
}

/// Every folder that holds at least one of the catalog's media files.
pub async fn asset_folders(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    // rtrim strips the file name: it removes trailing characters that are not '/', leaving
    // the folder with its separator.
    Ok(sqlx::query_scalar("SELECT DISTINCT rtrim(path, replace(path, '/', '')) FROM assets ORDER BY 1")
        .fetch_all(conn)
        .await?)
}
