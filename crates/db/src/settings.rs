//! Catalog-wide settings (DDEX parties, schema folder, ...) as key/value rows of
//! `catalog_meta`. Keys are namespaced by feature (`ddex.sender_dpid`); values are text.

use sqlx::SqliteConnection;

use crate::Result;

/// The value of one setting, if it was ever set.
pub async fn get_setting(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    crate::meta(conn, key).await
}

/// Sets one setting; `None` removes it.
pub async fn set_setting(conn: &mut SqliteConnection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => crate::set_meta(conn, key, value).await,
        None => {
            sqlx::query("DELETE FROM catalog_meta WHERE key = ?").bind(key).execute(conn).await?;
            Ok(())
        }
    }
}

/// Every setting whose key starts with `prefix`, ordered by key.
pub async fn settings_with_prefix(
    conn: &mut SqliteConnection,
    prefix: &str,
) -> Result<Vec<(String, String)>> {
    // `substr` instead of LIKE: prefixes may contain `_`, a LIKE wildcard.
    Ok(sqlx::query_as(
        "SELECT key, value FROM catalog_meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
    )
    .bind(prefix)
    .fetch_all(conn)
    .await?)
}
