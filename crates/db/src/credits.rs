//! Artist credits with DDEX roles, on a release (display artists) or on a track.

use catno_domain::{Contributor, ContributorRole};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::{DbError, Result, artists::ensure_artist, stored};

/// Whose credits: the SQL differs only in table and key column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreditOwner {
    Release(i64),
    Track(i64),
}

impl CreditOwner {
    fn table(self) -> &'static str {
        match self {
            Self::Release(_) => "release_artists",
            Self::Track(_) => "track_contributors",
        }
    }
    fn key(self) -> (&'static str, i64) {
        match self {
            Self::Release(id) => ("release_id", id),
            Self::Track(id) => ("track_id", id),
        }
    }
}

pub async fn list_credits(conn: &mut SqliteConnection, owner: CreditOwner) -> Result<Vec<Contributor>> {
    let (key, id) = owner.key();
    let sql = format!(
        "SELECT c.id, c.artist_id, a.name, c.role, c.sequence FROM {} c JOIN artists a ON a.id = c.artist_id
         WHERE c.{key} = ? ORDER BY c.sequence, c.id",
        owner.table()
    );
    let rows: Vec<(i64, i64, String, String, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_all(conn).await?;
    rows.into_iter()
        .map(|(id, artist_id, artist_name, role, sequence)| {
            Ok(Contributor {
                id,
                artist_id,
                artist_name,
                role: stored(owner.table(), "role", &role, ContributorRole::parse)?,
                sequence,
            })
        })
        .collect()
}

/// Credits `artist_name` (created if new) with `role`, after the existing credits.
pub async fn add_credit(
    conn: &mut SqliteConnection,
    owner: CreditOwner,
    artist_name: &str,
    role: ContributorRole,
) -> Result<i64> {
    let artist_id = ensure_artist(conn, artist_name).await?;
    let (key, id) = owner.key();
    let duplicate_sql =
        format!("SELECT id FROM {} WHERE {key} = ? AND artist_id = ? AND role = ?", owner.table());
    let duplicate: Option<i64> = sqlx::query_scalar(AssertSqlSafe(duplicate_sql))
        .bind(id)
        .bind(artist_id)
        .bind(role.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if duplicate.is_some() {
        return Err(already_credited(artist_name, role));
    }
    let sql = format!(
        "INSERT INTO {table} ({key}, artist_id, role, sequence)
         VALUES (?, ?, ?, (SELECT coalesce(max(sequence), 0) + 1 FROM {table} WHERE {key} = ?))
         RETURNING id",
        table = owner.table()
    );
    Ok(sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(id)
        .bind(artist_id)
        .bind(role.as_str())
        .bind(id)
        .fetch_one(conn)
        .await?)
}

pub async fn remove_credit(conn: &mut SqliteConnection, owner: CreditOwner, credit_id: i64) -> Result<()> {
    let (key, id) = owner.key();
    let sql = format!("DELETE FROM {} WHERE id = ? AND {key} = ?", owner.table());
    let done = sqlx::query(AssertSqlSafe(sql)).bind(credit_id).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound { what: "credit", id: credit_id });
    }
    Ok(())
}

/// The conflict of crediting an artist twice in one role (one credit added, or a bulk import's
/// credits of a track).
pub fn already_credited(artist_name: &str, role: ContributorRole) -> DbError {
    DbError::Conflict(format!("{artist_name} is already credited as {role}"))
}
