//! Media QC storage: analyses keyed by content hash, and the last look at each file on disk.

use catno_domain::{Asset, AssetKind};
use sqlx::SqliteConnection;

use crate::{DbError, Result, stored};

/// What was last seen of a file: while `size_bytes` and `mtime_ns` match, the hashes hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenFile {
    pub path: String,
    pub size_bytes: i64,
    pub mtime_ns: i64,
    pub sha256: String,
    pub md5: String,
}

/// A stored analysis: the report JSON as the analyser wrote it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAnalysis {
    pub sha256: String,
    pub kind: String,
    pub analyzer_version: i64,
    pub report: String,
    pub analyzed_at: String,
}

pub async fn seen_file(conn: &mut SqliteConnection, path: &str) -> Result<Option<SeenFile>> {
    let row: Option<(i64, i64, String, String)> =
        sqlx::query_as("SELECT size_bytes, mtime_ns, sha256, md5 FROM media_files WHERE path = ?")
            .bind(path)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(size_bytes, mtime_ns, sha256, md5)| SeenFile {
        path: path.to_owned(),
        size_bytes,
        mtime_ns,
        sha256,
        md5,
    }))
}

pub async fn record_seen_file(conn: &mut SqliteConnection, file: &SeenFile) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_files (path, size_bytes, mtime_ns, sha256, md5) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
             sha256 = excluded.sha256, md5 = excluded.md5,
             seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(&file.path)
    .bind(file.size_bytes)
    .bind(file.mtime_ns)
    .bind(&file.sha256)
    .bind(&file.md5)
    .execute(conn)
    .await?;
    Ok(())
}

/// The stored analysis of this content by this kind of analyser, whatever its version.
pub async fn analysis(
    conn: &mut SqliteConnection,
    sha256: &str,
    kind: &str,
) -> Result<Option<StoredAnalysis>> {
    Ok(sqlx::query_as(
        "SELECT sha256, kind, analyzer_version, report, analyzed_at FROM media_analyses
         WHERE sha256 = ? AND kind = ?",
    )
    .bind(sha256)
    .bind(kind)
    .fetch_optional(conn)
    .await?)
}

/// Stores (or replaces) the analysis of one content.
pub async fn store_analysis(
    conn: &mut SqliteConnection,
    sha256: &str,
    kind: &str,
    analyzer_version: i64,
    report: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_analyses (sha256, kind, analyzer_version, report) VALUES (?, ?, ?, ?)
         ON CONFLICT (sha256, kind) DO UPDATE SET analyzer_version = excluded.analyzer_version,
             report = excluded.report, analyzed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(sha256)
    .bind(kind)
    .bind(analyzer_version)
    .bind(report)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many analyses the catalog holds.
pub async fn count_analyses(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM media_analyses").fetch_one(conn).await?)
}

/// Records an asset's current content after its file changed on disk.
pub async fn update_asset_content(
    conn: &mut SqliteConnection,
    asset_id: i64,
    sha256: &str,
    size_bytes: i64,
) -> Result<()> {
    sqlx::query("UPDATE assets SET sha256 = ?, size_bytes = ? WHERE id = ?")
        .bind(sha256)
        .bind(size_bytes)
        .bind(asset_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An `assets` row as stored.
type AssetRow = (i64, String, String, String, i64, Option<i64>, Option<i64>);

pub async fn get_asset(conn: &mut SqliteConnection, id: i64) -> Result<Asset> {
    let row: Option<AssetRow> = sqlx::query_as(
        "SELECT id, kind, path, sha256, size_bytes, release_id, track_id FROM assets WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let (id, kind, path, sha256, size_bytes, release_id, track_id) =
        row.ok_or(DbError::NotFound { what: "asset", id })?;
    Ok(Asset {
        id,
        kind: stored("assets", "kind", &kind, AssetKind::parse)?,
        path,
        sha256,
        size_bytes,
        release_id,
        track_id,
    })
}

/// The asset of this owner at this path, if it was attached before.
pub async fn find_asset(
    conn: &mut SqliteConnection,
    path: &str,
    release_id: Option<i64>,
    track_id: Option<i64>,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM assets WHERE path = ? AND release_id IS ? AND track_id IS ? ORDER BY id LIMIT 1",
    )
    .bind(path)
    .bind(release_id)
    .bind(track_id)
    .fetch_optional(conn)
    .await?)
}
