use catno_domain::{SearchHit, SearchHitKind};
use sqlx::SqliteConnection;

use crate::Result;

#[derive(sqlx::FromRow)]
struct HitRow {
    id: i64,
    title: String,
    version: Option<String>,
    artist: String,
    code: Option<String>,
    release_id: Option<i64>,
}

/// Turns what a user types into an FTS5 query: every word must match as a prefix. Codes
/// typed with separators ("US-RC1-76-07839", "CAT 001") are joined, as they are indexed.
/// Returns `None` when nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for word in text.split_whitespace() {
        let is_code = word.chars().any(|c| c.is_ascii_digit())
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let cleaned: String = if is_code {
            word.chars().filter(char::is_ascii_alphanumeric).collect()
        } else {
            word.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
        };
        for part in cleaned.split_whitespace() {
            terms.push(format!("\"{part}\"*"));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// How many matches per kind are ranked. A one-word query can match tens of thousands of
/// tracks in a large catalog, and ranking them all (`ORDER BY rank`) costs ~100 ms; ranking
/// the first matches in index order keeps search interactive, and any query narrow enough to
/// have fewer matches than this is ranked exactly.
const RANKED_CANDIDATES: i64 = 1000;

/// Releases, tracks and artists matching `text` in titles, artists, ISRC, UPC and catalog
/// number, best matches first, at most `limit` of each kind.
pub async fn search(conn: &mut SqliteConnection, text: &str, limit: i64) -> Result<Vec<SearchHit>> {
    let Some(query) = fts_query(text) else { return Ok(Vec::new()) };
    let mut hits = Vec::new();
    let releases: Vec<HitRow> = sqlx::query_as(
        "SELECT r.id, r.title, r.version, r.display_artist AS artist, r.upc AS code, r.id AS release_id
         FROM (SELECT rowid, score FROM (
                   SELECT rowid, bm25(release_search) AS score FROM release_search
                   WHERE release_search MATCH ?1 LIMIT ?3)
               ORDER BY score LIMIT ?2) m
         JOIN releases r ON r.id = m.rowid ORDER BY m.score",
    )
    .bind(&query)
    .bind(limit)
    .bind(RANKED_CANDIDATES)
    .fetch_all(&mut *conn)
    .await?;
    for HitRow { id, title, version, artist, code: upc, .. } in releases {
        hits.push(SearchHit {
            kind: SearchHitKind::Release,
            id,
            release_id: Some(id),
            title: with_version(title, version),
            subtitle: match upc {
                Some(upc) => format!("{artist} · UPC {upc}"),
                None => artist,
            },
        });
    }
    let tracks: Vec<HitRow> = sqlx::query_as(
        "SELECT t.id, t.title, t.version, t.display_artist AS artist, t.isrc AS code,
                (SELECT min(release_id) FROM release_tracks rt WHERE rt.track_id = t.id) AS release_id
         FROM (SELECT rowid, score FROM (
                   SELECT rowid, bm25(track_search) AS score FROM track_search
                   WHERE track_search MATCH ?1 LIMIT ?3)
               ORDER BY score LIMIT ?2) m
         JOIN tracks t ON t.id = m.rowid ORDER BY m.score",
    )
    .bind(&query)
    .bind(limit)
    .bind(RANKED_CANDIDATES)
    .fetch_all(&mut *conn)
    .await?;
    for HitRow { id, title, version, artist, code: isrc, release_id } in tracks {
        hits.push(SearchHit {
            kind: SearchHitKind::Track,
            id,
            release_id,
            title: with_version(title, version),
            subtitle: match isrc {
                Some(isrc) => format!("{artist} · ISRC {isrc}"),
                None => artist,
            },
        });
    }
    let prefix = format!("{}%", text.trim().replace(['%', '_'], ""));
    let artists: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM artists WHERE name LIKE ? ORDER BY name LIMIT ?")
            .bind(prefix)
            .bind(limit.min(10))
            .fetch_all(conn)
            .await?;
    for (id, name) in artists {
        hits.push(SearchHit {
            kind: SearchHitKind::Artist,
            id,
            release_id: None,
            title: name,
            subtitle: "Artist".into(),
        });
    }
    Ok(hits)
}

fn with_version(title: String, version: Option<String>) -> String {
    match version {
        Some(v) => format!("{title} ({v})"),
        None => title,
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn words_become_prefix_terms_and_codes_are_joined() {
        assert_eq!(fts_query("night drive").as_deref(), Some("\"night\"* AND \"drive\"*"));
        assert_eq!(fts_query("US-RC1-76").as_deref(), Some("\"USRC176\"*"));
        assert_eq!(fts_query("\"quoted\" (x)").as_deref(), Some("\"quoted\"* AND \"x\"*"));
        assert_eq!(fts_query("  -- "), None);
    }
}
