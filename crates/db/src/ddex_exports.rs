//! DDEX delivery history: each message written into a batch, kept per release and profile so
//! the delivery view can diff the current message against the last one sent.

use sqlx::SqliteConnection;

use crate::Result;

/// A message about to be recorded as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDdexExport<'a> {
    pub release_id: i64,
    pub profile_id: &'a str,
    pub store: &'a str,
    pub batch_id: &'a str,
    pub message_id: &'a str,
    pub xml: &'a str,
}

/// A recorded export.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredDdexExport {
    pub id: i64,
    pub release_id: i64,
    pub profile_id: String,
    pub store: String,
    pub batch_id: String,
    pub message_id: String,
    pub xml: String,
    /// RFC 3339, UTC.
    pub exported_at: String,
}

/// Records one exported message; returns its row id.
pub async fn record_ddex_export(conn: &mut SqliteConnection, export: &NewDdexExport<'_>) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO ddex_exports (release_id, profile_id, store, batch_id, message_id, xml)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(export.release_id)
    .bind(export.profile_id)
    .bind(export.store)
    .bind(export.batch_id)
    .bind(export.message_id)
    .bind(export.xml)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The newest export of `release_id` under `profile_id`, if it was ever exported.
pub async fn last_ddex_export(
    conn: &mut SqliteConnection,
    release_id: i64,
    profile_id: &str,
) -> Result<Option<StoredDdexExport>> {
    // By row id rather than time: ids only grow, while the clock may be set back.
    Ok(sqlx::query_as(
        "SELECT id, release_id, profile_id, store, batch_id, message_id, xml, exported_at
         FROM ddex_exports WHERE release_id = ? AND profile_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(release_id)
    .bind(profile_id)
    .fetch_optional(conn)
    .await?)
}
