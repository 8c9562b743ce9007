//! Territory rights rules, the label's own territory groups and stores.

use catno_rights::{
    ReleaseRights, Rule, RuleKind, StoreId, Stores, TerritoryGroups, TerritoryRef, TrackKey, Use, parse_date,
};
use sqlx::SqliteConnection;

use crate::{DbError, Result};

pub(crate) type RuleRow = (
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn corrupt(column: &'static str, message: impl ToString) -> DbError {
    DbError::Corrupt { table: "rights_rules", column, message: message.to_string() }
}

pub(crate) fn rule_from_row(row: RuleRow) -> Result<(Option<i64>, Rule)> {
    let (track_id, kind, territories, store, use_type, start, end, preorder) = row;
    let kind = match kind.as_str() {
        "include" => RuleKind::Include,
        "exclude" => RuleKind::Exclude,
        other => return Err(corrupt("kind", format!("unknown rule kind {other:?}"))),
    };
    let date = |column: &'static str, value: Option<String>| {
        value.map(|v| parse_date(&v).map_err(|e| corrupt(column, e))).transpose()
    };
    let rule = Rule {
        kind,
        territories: territories
            .split(',')
            .filter(|t| !t.is_empty())
            .map(TerritoryRef::from_stored)
            .collect(),
        store: store.map(|s| StoreId::parse(&s).map_err(|e| corrupt("store", e))).transpose()?,
        usage: use_type.map(|u| Use::parse(&u).map_err(|e| corrupt("use_type", e))).transpose()?,
        start: date("start_date", start)?,
        end: date("end_date", end)?,
        preorder_start: date("preorder_date", preorder)?,
    };
    Ok((track_id, rule))
}

/// The rights of a release: its tracks in running order, its rules and its tracks' rules.
pub async fn load_release_rights(conn: &mut SqliteConnection, release_id: i64) -> Result<ReleaseRights> {
    let tracks: Vec<i64> = sqlx::query_scalar(
        "SELECT track_id FROM release_tracks WHERE release_id = ? ORDER BY disc_number, track_number",
    )
    .bind(release_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rights = ReleaseRights::new(tracks.into_iter().map(TrackKey));
    let rows: Vec<RuleRow> = sqlx::query_as(
        "SELECT track_id, kind, territories, store, use_type, start_date, end_date, preorder_date
         FROM rights_rules WHERE release_id = ? ORDER BY track_id IS NOT NULL, track_id, sequence",
    )
    .bind(release_id)
    .fetch_all(conn)
    .await?;
    for row in rows {
        match rule_from_row(row)? {
            (None, rule) => rights.release.push(rule),
            (Some(track), rule) => rights.rules_of_mut(TrackKey(track)).push(rule),
        }
    }
    Ok(rights)
}

/// Replaces every rule of a release with `rights`' rules. Call inside a transaction.
pub async fn replace_release_rights(
    conn: &mut SqliteConnection,
    release_id: i64,
    rights: &ReleaseRights,
) -> Result<()> {
    sqlx::query("DELETE FROM rights_rules WHERE release_id = ?").bind(release_id).execute(&mut *conn).await?;
    // Collected first: a borrowing iterator held across `.await` makes the future unusable
    // from Tauri's Send-bound command handlers.
    let mut rules: Vec<(Option<i64>, &Rule)> = rights.release.iter().map(|rule| (None, rule)).collect();
    for entry in &rights.track_rules {
        rules.extend(entry.rules.iter().map(|rule| (Some(entry.track.0), rule)));
    }
    for (sequence, (track_id, rule)) in rules.into_iter().enumerate() {
        let territories: Vec<String> = rule.territories.iter().map(ToString::to_string).collect();
        let date = |d: Option<time::Date>| d.map(|d| d.to_string());
        sqlx::query(
            "INSERT INTO rights_rules (release_id, track_id, sequence, kind, territories, store, use_type,
                                       start_date, end_date, preorder_date)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(release_id)
        .bind(track_id)
        .bind(sequence as i64)
        .bind(match rule.kind {
            RuleKind::Include => "include",
            RuleKind::Exclude => "exclude",
        })
        .bind(territories.join(","))
        .bind(rule.store.as_ref().map(StoreId::as_str))
        .bind(rule.usage.map(Use::as_str))
        .bind(date(rule.start))
        .bind(date(rule.end))
        .bind(date(rule.preorder_start))
        .execute(&mut *conn)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                DbError::Conflict(format!("track {} is not in the catalog", track_id.unwrap_or_default()))
            }
            other => other.into(),
        })?;
    }
    Ok(())
}

/// The built-in territory groups with the label's own definitions applied.
pub async fn load_territory_groups(conn: &mut SqliteConnection) -> Result<TerritoryGroups> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, territories FROM territory_groups ORDER BY name")
            .fetch_all(conn)
            .await?;
    let mut groups = TerritoryGroups::new();
    for (name, territories) in rows {
        let codes: Vec<&str> = territories.split(',').filter(|c| !c.is_empty()).collect();
        groups.define(&name, &codes).map_err(|e| DbError::Corrupt {
            table: "territory_groups",
            column: "territories",
            message: e.to_string(),
        })?;
    }
    Ok(groups)
}

/// Stores a label's group definition (already validated by [`TerritoryGroups::define`]).
pub async fn save_territory_group(conn: &mut SqliteConnection, name: &str, codes: &[String]) -> Result<()> {
    sqlx::query(
        "INSERT INTO territory_groups (name, territories) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET name = excluded.name, territories = excluded.territories",
    )
    .bind(name)
    .bind(codes.join(","))
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a label's group definition; returns whether there was one.
pub async fn delete_territory_group(conn: &mut SqliteConnection, name: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM territory_groups WHERE name = ?").bind(name).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// The built-in stores plus the label's own.
pub async fn load_stores(conn: &mut SqliteConnection) -> Result<Stores> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM stores ORDER BY id").fetch_all(conn).await?;
    let mut stores = Stores::new();
    for (id, name) in rows {
        stores.add(&id, &name).map_err(|e| DbError::Corrupt {
            table: "stores",
            column: "id",
            message: e.to_string(),
        })?;
    }
    Ok(stores)
}

pub async fn save_store(conn: &mut SqliteConnection, id: &StoreId, name: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO stores (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
    )
    .bind(id.as_str())
    .bind(name)
    .execute(conn)
    .await?;
    Ok(())
}
