use catno_domain::Label;
use sqlx::SqliteConnection;

use crate::{DbError, Result};

pub async fn list_labels(conn: &mut SqliteConnection) -> Result<Vec<Label>> {
    let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT l.id, l.name, l.dpid, (SELECT count(*) FROM releases r WHERE r.label_id = l.id)
         FROM labels l ORDER BY l.name",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, dpid, release_count)| Label { id, name, dpid, release_count })
        .collect())
}

/// Returns the label's id, creating it when no label has that name (case-insensitively).
pub async fn ensure_label(conn: &mut SqliteConnection, name: &str, dpid: Option<&str>) -> Result<i64> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM labels WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    Ok(sqlx::query_scalar("INSERT INTO labels (name, dpid) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(dpid)
        .fetch_one(conn)
        .await?)
}

pub async fn label_exists(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM labels WHERE id = ?").bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or(DbError::NotFound { what: "label", id })
}
