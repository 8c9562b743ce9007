//! The release workflow (status and its history), the manual QC checklist, and reads of the
//! audit log. The audit log itself is written by the triggers of migration 0005; who is
//! recorded comes from `audit_actor`, set by [`crate::Db::begin`].

use catno_domain::{ReleaseSummary, WorkflowStatus};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::{DbError, Result, stored};

/// Sets who the audit rows of the current write transaction name, and starts a new change
/// number. Run first in every write transaction ([`crate::Db::begin`] does); it also clears the
/// bulk-import flag (migration 0007), so no write runs with the per-row triggers quiet by mistake.
pub async fn set_audit_actor(conn: &mut SqliteConnection, actor: &str) -> Result<()> {
    sqlx::query("UPDATE audit_actor SET name = ?, change_id = change_id + 1, bulk = 0 WHERE id = 1")
        .bind(actor)
        .execute(conn)
        .await?;
    Ok(())
}

/// The newest audit-log id: the changes after it are "since now".
pub async fn audit_mark(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM audit_log").fetch_one(conn).await?)
}

/// The newest audit-log id written at or before `at` (an ISO timestamp such as a DDEX
/// export's `exported_at`).
pub async fn audit_mark_at(conn: &mut SqliteConnection, at: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM audit_log WHERE at <= ?")
        .bind(at)
        .fetch_one(conn)
        .await?)
}

pub async fn release_status(conn: &mut SqliteConnection, release_id: i64) -> Result<WorkflowStatus> {
    let raw: String = sqlx::query_scalar("SELECT status FROM releases WHERE id = ?")
        .bind(release_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(DbError::NotFound { what: "release", id: release_id })?;
    stored("releases", "status", &raw, WorkflowStatus::parse)
}

/// One stored status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRow {
    pub id: i64,
    pub release_id: i64,
    pub from: WorkflowStatus,
    pub to: WorkflowStatus,
    pub actor: String,
    pub reason: Option<String>,
    pub store: Option<String>,
    pub audit_mark: i64,
    pub at: String,
}

type RawTransition = (i64, i64, String, String, String, Option<String>, Option<String>, i64, String);

fn transition(row: RawTransition) -> Result<TransitionRow> {
    let (id, release_id, from, to, actor, reason, store, audit_mark, at) = row;
    Ok(TransitionRow {
        id,
        release_id,
        from: stored("release_transitions", "from_status", &from, WorkflowStatus::parse)?,
        to: stored("release_transitions", "to_status", &to, WorkflowStatus::parse)?,
        actor,
        reason,
        store,
        audit_mark,
        at,
    })
}

const TRANSITION_COLUMNS: &str =
    "id, release_id, from_status, to_status, actor, reason, store, audit_mark, at";

/// Moves a release to `to` and records the transition. The caller has checked that the
/// transition is allowed; `from` guards against a concurrent change (a stale `from` is a
/// conflict, not a silent overwrite).
pub async fn record_transition(
    conn: &mut SqliteConnection,
    release_id: i64,
    from: WorkflowStatus,
    to: WorkflowStatus,
    actor: &str,
    reason: Option<&str>,
    store: Option<&str>,
) -> Result<TransitionRow> {
    let done = sqlx::query(
        "UPDATE releases SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(release_id)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        release_status(conn, release_id).await?;
        return Err(DbError::Conflict(format!(
            "release {release_id} is no longer {from}; reload it and try again"
        )));
    }
    // The mark is taken after the status row the audit trigger just wrote, so that row is
    // not a change "since" this transition.
    let row: RawTransition = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO release_transitions (release_id, from_status, to_status, actor, reason, store, audit_mark)
         VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM audit_log))
         RETURNING {TRANSITION_COLUMNS}"
    )))
    .bind(release_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(actor)
    .bind(reason)
    .bind(store)
    .fetch_one(conn)
    .await?;
    transition(row)
}

/// A release's status history, oldest first.
pub async fn release_transitions(conn: &mut SqliteConnection, release_id: i64) -> Result<Vec<TransitionRow>> {
    let rows: Vec<RawTransition> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {TRANSITION_COLUMNS} FROM release_transitions WHERE release_id = ? ORDER BY id"
    )))
    .bind(release_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(transition).collect()
}

/// The newest transition of a release into `to` (for `Delivered`, optionally to one store: a
/// delivery recorded without a store counts for every store).
pub async fn last_transition_to(
    conn: &mut SqliteConnection,
    release_id: i64,
    to: WorkflowStatus,
    store: Option<&str>,
) -> Result<Option<TransitionRow>> {
    let row: Option<RawTransition> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {TRANSITION_COLUMNS} FROM release_transitions
         WHERE release_id = ?1 AND to_status = ?2 AND (?3 IS NULL OR store IS NULL OR store = ?3)
         ORDER BY id DESC LIMIT 1"
    )))
    .bind(release_id)
    .bind(to.as_str())
    .bind(store)
    .fetch_optional(conn)
    .await?;
    row.map(transition).transpose()
}

/// When a release was last written into a DDEX batch for `store` (any store when `None`).
pub async fn ddex_exported_at(
    conn: &mut SqliteConnection,
    release_id: i64,
    store: Option<&str>,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT max(exported_at) FROM ddex_exports WHERE release_id = ?1 AND (?2 IS NULL OR store = ?2)",
    )
    .bind(release_id)
    .bind(store)
    .fetch_one(conn)
    .await?)
}

/// A release in the review queue: its summary and when and by whom it entered its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRelease {
    pub summary: ReleaseSummary,
    pub since: Option<String>,
    pub by: Option<String>,
    pub reason: Option<String>,
}

/// Releases in `status` (every status when `None`), those waiting longest first.
pub async fn releases_in_status(
    conn: &mut SqliteConnection,
    status: Option<WorkflowStatus>,
    limit: i64,
) -> Result<Vec<QueuedRelease>> {
    /// Release id, and when, by whom and why it entered its status.
    type Row = (i64, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, t.at, t.actor, t.reason FROM releases r
         LEFT JOIN release_transitions t ON t.id =
             (SELECT max(id) FROM release_transitions WHERE release_id = r.id)
         WHERE ?1 IS NULL OR r.status = ?1
         ORDER BY coalesce(t.at, r.created_at), r.id LIMIT ?2",
    )
    .bind(status.map(WorkflowStatus::as_str))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let summaries = crate::release_summaries(conn, &ids).await?;
    Ok(summaries
        .into_iter()
        .zip(rows)
        .map(|(summary, (_, since, by, reason))| QueuedRelease { summary, since, by, reason })
        .collect())
}

/// How many releases are in each status.
pub async fn status_counts(conn: &mut SqliteConnection) -> Result<Vec<(WorkflowStatus, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, count(*) FROM releases GROUP BY status").fetch_all(conn).await?;
    rows.into_iter()
        .map(|(status, n)| Ok((stored("releases", "status", &status, WorkflowStatus::parse)?, n)))
        .collect()
}

/// A ticked checklist item.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckRow {
    pub item: String,
    pub checked_by: String,
    pub checked_at: String,
    pub audit_mark: i64,
}

pub async fn release_checks(conn: &mut SqliteConnection, release_id: i64) -> Result<Vec<CheckRow>> {
    Ok(sqlx::query_as(
        "SELECT item, checked_by, checked_at, audit_mark FROM release_checks WHERE release_id = ? ORDER BY item",
    )
    .bind(release_id)
    .fetch_all(conn)
    .await?)
}

/// Ticks an item (again: a re-tick records the new name and time).
pub async fn tick_check(conn: &mut SqliteConnection, release_id: i64, item: &str, actor: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO release_checks (release_id, item, checked_by, audit_mark)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(id), 0) FROM audit_log))
         ON CONFLICT (release_id, item) DO UPDATE SET
             checked_by = excluded.checked_by, audit_mark = excluded.audit_mark,
             checked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(release_id)
    .bind(item)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

/// Unticks an item; false when it was not ticked.
pub async fn untick_check(conn: &mut SqliteConnection, release_id: i64, item: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM release_checks WHERE release_id = ? AND item = ?")
        .bind(release_id)
        .bind(item)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One row of the audit log: `before` / `after` are JSON values (`None`: did not exist).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub release_id: Option<i64>,
    pub track_id: Option<i64>,
    pub artist_id: Option<i64>,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The audit rows of a release after audit id `after_id`, newest first: its own fields and
/// child rows, and those of the tracks now on it.
pub async fn release_audit(
    conn: &mut SqliteConnection,
    release_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    // Two indexed halves instead of one OR, so each uses its partial index.
    Ok(sqlx::query_as(
        "SELECT * FROM (
             SELECT id, change_id, at, actor, release_id, track_id, artist_id, field, before, after
             FROM audit_log WHERE release_id = ?1 AND id > ?2
             UNION ALL
             SELECT id, change_id, at, actor, release_id, track_id, artist_id, field, before, after
             FROM audit_log WHERE release_id IS NULL AND id > ?2
               AND track_id IN (SELECT track_id FROM release_tracks WHERE release_id = ?1)
         ) ORDER BY id DESC LIMIT ?3",
    )
    .bind(release_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
