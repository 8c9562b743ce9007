//! Sync with a delivery backend: the outbox (filled by the triggers of migration 0006 in the
//! same transaction as each change) and what the remote side last said of each release.

use sqlx::SqliteConnection;

use crate::Result;

/// A pending push. `op` is `save`, `deliver` or `takedown`; `payload` is JSON.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxEntry {
    pub id: i64,
    pub release_id: i64,
    pub op: String,
    pub payload: String,
    /// How many edits a pending save carries; completing it with an older revision keeps it.
    pub revision: i64,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
}

const OUTBOX_COLUMNS: &str = "id, release_id, op, payload, revision, attempts, next_attempt_at, last_error";

/// Entries whose retry time has come (`now` is RFC 3339 UTC), in enqueue order.
pub async fn outbox_due(conn: &mut SqliteConnection, now: &str, limit: i64) -> Result<Vec<OutboxEntry>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM sync_outbox
         WHERE next_attempt_at IS NULL OR next_attempt_at <= ? ORDER BY id LIMIT ?"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The pending entries of one release, or of all when `release_id` is `None`, in order.
pub async fn outbox_entries(
    conn: &mut SqliteConnection,
    release_id: Option<i64>,
) -> Result<Vec<OutboxEntry>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM sync_outbox WHERE ?1 IS NULL OR release_id = ?1 ORDER BY id"
    )))
    .bind(release_id)
    .fetch_all(conn)
    .await?)
}

pub async fn outbox_len(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM sync_outbox").fetch_one(conn).await?)
}

/// Queues a delivery operation (`deliver`, `takedown`) behind everything already pending.
pub async fn enqueue_sync_op(
    conn: &mut SqliteConnection,
    release_id: i64,
    op: &str,
    payload: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar("INSERT INTO sync_outbox (release_id, op, payload) VALUES (?, ?, ?) RETURNING id")
        .bind(release_id)
        .bind(op)
        .bind(payload)
        .fetch_one(conn)
        .await?)
}

/// Removes an entry that was pushed, unless an edit folded into it since (its revision grew):
/// then it stays, cleared for an immediate retry. Returns whether it was removed.
pub async fn outbox_complete(conn: &mut SqliteConnection, id: i64, revision: i64) -> Result<bool> {
    let removed = sqlx::query("DELETE FROM sync_outbox WHERE id = ? AND revision = ?")
        .bind(id)
        .bind(revision)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if removed == 0 {
        sqlx::query(
            "UPDATE sync_outbox SET attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE id = ?",
        )
        .bind(id)
        .execute(conn)
        .await?;
    }
    Ok(removed == 1)
}

/// Records a failed attempt and when to try again (`None`: only when the user retries).
pub async fn outbox_failed(
    conn: &mut SqliteConnection,
    id: i64,
    error: &str,
    next_attempt_at: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE sync_outbox SET attempts = attempts + 1, last_error = ?,
                next_attempt_at = ifnull(?, '9999-12-31T23:59:59Z') WHERE id = ?",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes every failed entry of a release (or of all) due now again.
pub async fn outbox_retry(conn: &mut SqliteConnection, release_id: Option<i64>) -> Result<u64> {
    Ok(sqlx::query("UPDATE sync_outbox SET next_attempt_at = NULL WHERE (?1 IS NULL OR release_id = ?1)")
        .bind(release_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// The remote copy of a release as of the last push or pull.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncedRelease {
    pub release_id: i64,
    pub backend: String,
    pub remote_id: Option<String>,
    /// The backend's ids of the release, its tracks and files, as JSON.
    pub remote_ref: Option<String>,
    /// `pending`, `synced`, `failed` or `conflict`.
    pub state: String,
    pub remote_fingerprint: Option<String>,
    pub plan: Option<String>,
    pub last_error: Option<String>,
    pub synced_at: Option<String>,
}

pub async fn synced_release(conn: &mut SqliteConnection, release_id: i64) -> Result<Option<SyncedRelease>> {
    Ok(sqlx::query_as(
        "SELECT release_id, backend, remote_id, remote_ref, state, remote_fingerprint, plan, last_error, synced_at
         FROM sync_releases WHERE release_id = ?",
    )
    .bind(release_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn put_synced_release(conn: &mut SqliteConnection, row: &SyncedRelease) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_releases (release_id, backend, remote_id, remote_ref, state, remote_fingerprint,
                                    plan, last_error, synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (release_id) DO UPDATE SET
             backend = excluded.backend, remote_id = excluded.remote_id, remote_ref = excluded.remote_ref,
             state = excluded.state, remote_fingerprint = excluded.remote_fingerprint,
             plan = excluded.plan, last_error = excluded.last_error, synced_at = excluded.synced_at,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(row.release_id)
    .bind(&row.backend)
    .bind(&row.remote_id)
    .bind(&row.remote_ref)
    .bind(&row.state)
    .bind(&row.remote_fingerprint)
    .bind(&row.plan)
    .bind(&row.last_error)
    .bind(&row.synced_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A store's delivery status as the remote reported it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoreStatusRow {
    pub store: String,
    pub status: String,
    pub raw: Option<String>,
    pub checked_at: String,
}

/// Replaces the per-store statuses of a release.
pub async fn put_store_statuses(
    conn: &mut SqliteConnection,
    release_id: i64,
    statuses: &[(String, String, Option<String>)],
) -> Result<()> {
    sqlx::query("DELETE FROM sync_store_status WHERE release_id = ?")
        .bind(release_id)
        .execute(&mut *conn)
        .await?;
    for (store, status, raw) in statuses {
        sqlx::query("INSERT INTO sync_store_status (release_id, store, status, raw) VALUES (?, ?, ?, ?)")
            .bind(release_id)
            .bind(store)
            .bind(status)
            .bind(raw)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn store_statuses(conn: &mut SqliteConnection, release_id: i64) -> Result<Vec<StoreStatusRow>> {
    Ok(sqlx::query_as(
        "SELECT store, status, raw, checked_at FROM sync_store_status WHERE release_id = ? ORDER BY store",
    )
    .bind(release_id)
    .fetch_all(conn)
    .await?)
}

pub async fn put_remote_validation(
    conn: &mut SqliteConnection,
    release_id: i64,
    messages: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_remote_validation (release_id, messages) VALUES (?, ?)
         ON CONFLICT (release_id) DO UPDATE SET messages = excluded.messages,
             checked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(release_id)
    .bind(messages)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remote_validation(conn: &mut SqliteConnection, release_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT messages FROM sync_remote_validation WHERE release_id = ?")
        .bind(release_id)
        .fetch_optional(conn)
        .await?)
}

/// The sync state of releases as a user reads it: `conflict` (the remote changed on its own),
/// `failed` (a pending push failed; the raw error is kept), `pending` (changes not yet pushed),
/// `synced`. Returns `(release id, state, remote id)` for the given releases (all when `None`).
pub async fn sync_states(
    conn: &mut SqliteConnection,
    release_ids: Option<&[i64]>,
) -> Result<Vec<(i64, String, Option<String>)>> {
    let filter =
        release_ids.map(|ids| format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")));
    Ok(sqlx::query_as(
        "SELECT r.id,
                CASE WHEN s.state = 'conflict' THEN 'conflict'
                     WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.release_id = r.id AND o.last_error IS NOT NULL)
                          THEN 'failed'
                     WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.release_id = r.id) THEN 'pending'
                     WHEN s.state IS NULL THEN 'pending'
                     ELSE s.state END,
                s.remote_id
         FROM releases r LEFT JOIN sync_releases s ON s.release_id = r.id
         WHERE ?1 IS NULL OR r.id IN (SELECT value FROM json_each(?1))
         ORDER BY r.id",
    )
    .bind(filter)
    .fetch_all(conn)
    .await?)
}

/// Removes one outbox entry (a plan the user confirmed replaces it).
pub async fn remove_outbox_entry(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sync_outbox WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}

/// Releases with any per-store status: those ever delivered.
pub async fn releases_with_store_status(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT DISTINCT release_id FROM sync_store_status ORDER BY release_id")
        .fetch_all(conn)
        .await?)
}
