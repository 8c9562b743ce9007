//! Bulk import and export (CSV): the lookups an import plan needs and the chunked queries
//! an export streams from. Updates reuse the release, track, credit and writer
//! functions; new releases are written in bulk by [`ReleaseImporter`]. The caller composes
//! them in one transaction.

use std::collections::{HashMap, HashSet};

use catno_domain::{
    Contributor, ContributorRole, LocalizedTitle, ParentalAdvisory, Release, ReleaseType, RightsLine,
    WriterRole,
};
use catno_rights::{ReleaseRights, TrackKey};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::releases::ReleaseRow;
use crate::rights::{RuleRow, rule_from_row};
use crate::{DbError, Result, stored};

/// The release carrying this UPC, the oldest when several do.
pub async fn release_id_by_upc(conn: &mut SqliteConnection, upc: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases WHERE upc = ? ORDER BY id LIMIT 1")
        .bind(upc)
        .fetch_optional(conn)
        .await?)
}

/// Every release id in creation order, for a whole-catalog export.
pub async fn all_release_ids(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM releases ORDER BY id").fetch_all(conn).await?)
}

/// The releases of one label in creation order, for a label's export.
pub async fn release_ids_of_label(conn: &mut SqliteConnection, label_id: i64) -> Result<Vec<i64>> {
    crate::label_exists(conn, label_id).await?;
    Ok(sqlx::query_scalar("SELECT id FROM releases WHERE label_id = ? ORDER BY id")
        .bind(label_id)
        .fetch_all(conn)
        .await?)
}

/// `(role, name, publisher, share in basis points)`.
pub type ExportWriter = (String, String, Option<String>, i64);

/// A track as one export row shows it, with its position on the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTrack {
    pub track_id: i64,
    pub disc_number: i64,
    pub track_number: i64,
    pub isrc: Option<String>,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
    pub audio_language: Option<String>,
    /// `(role, artist name)` in credit order.
    pub contributors: Vec<(String, String)>,
    /// `(role, name, publisher, share in basis points)` in writer order.
    pub writers: Vec<ExportWriter>,
}

/// A release as an export writes it: the release, its tracklist and its rights.
#[derive(Clone, Debug)]
pub struct ExportRelease {
    pub release: Release,
    pub tracks: Vec<ExportTrack>,
    pub rights: ReleaseRights,
}

/// Releases per set of queries in [`export_releases`]: few enough for SQLite's bound-parameter
/// limit, enough that a whole-catalog export runs a few thousand queries, not a million.
pub const EXPORT_CHUNK: usize = 500;

/// `?,?,…` for `n` values.
fn id_list(n: usize) -> String {
    vec!["?"; n].join(",")
}

type IdQuery<'q, O> = sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>;

/// `sql` with every one of `ids` bound in order.
fn with_ids<'q, O>(sql: String, ids: &[i64]) -> IdQuery<'q, O>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
{
    let mut query = sqlx::query_as(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    query
}

type ChunkTrackRow =
    (i64, i64, i64, i64, Option<String>, String, Option<String>, String, Option<i64>, bool, Option<String>);

type ChunkRuleRow = (
    i64,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Each of `ids` as [`crate::get_release`] and [`crate::load_release_rights`] return it, with
/// its tracklist in disc/track order with credits and writers, in the order given: seven
/// queries per [`EXPORT_CHUNK`] releases whatever their length. A missing release is
/// [`DbError::NotFound`].
pub async fn export_releases(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<ExportRelease>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(EXPORT_CHUNK) {
        export_chunk(conn, chunk, &mut out).await?;
    }
    Ok(out)
}

async fn export_chunk(conn: &mut SqliteConnection, ids: &[i64], out: &mut Vec<ExportRelease>) -> Result<()> {
    let list = id_list(ids.len());
    let releases: Vec<ReleaseRow> = with_ids(
        format!(
            "SELECT r.*, l.name AS label_name FROM releases r JOIN labels l ON l.id = r.label_id
             WHERE r.id IN ({list})"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let localized: Vec<(i64, String, String)> = with_ids(
        format!(
            "SELECT release_id, language, title FROM release_localized_titles
             WHERE release_id IN ({list}) ORDER BY release_id, language"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let artists: Vec<(i64, i64, i64, String, String, i64)> = with_ids(
        format!(
            "SELECT c.release_id, c.id, c.artist_id, a.name, c.role, c.sequence
             FROM release_artists c JOIN artists a ON a.id = c.artist_id
             WHERE c.release_id IN ({list}) ORDER BY c.release_id, c.sequence, c.id"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let tracks: Vec<ChunkTrackRow> = with_ids(
        format!(
            "SELECT rt.release_id, t.id, rt.disc_number, rt.track_number, t.isrc, t.title, t.version,
                    t.display_artist, t.duration_ms, t.explicit, t.audio_language
             FROM release_tracks rt JOIN tracks t ON t.id = rt.track_id
             WHERE rt.release_id IN ({list}) ORDER BY rt.release_id, rt.disc_number, rt.track_number"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let credits: Vec<(i64, String, String)> = with_ids(
        format!(
            "SELECT tc.track_id, tc.role, a.name FROM track_contributors tc
             JOIN artists a ON a.id = tc.artist_id
             WHERE tc.track_id IN (SELECT track_id FROM release_tracks WHERE release_id IN ({list}))
             ORDER BY tc.track_id, tc.sequence, tc.id"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let writers: Vec<(i64, String, String, Option<String>, i64)> = with_ids(
        format!(
            "SELECT w.track_id, w.role, w.name, w.publisher, w.share_basis_points FROM track_writers w
             WHERE w.track_id IN (SELECT track_id FROM release_tracks WHERE release_id IN ({list}))
             ORDER BY w.track_id, w.sequence, w.id"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let rules: Vec<ChunkRuleRow> = with_ids(
        format!(
            "SELECT release_id, track_id, kind, territories, store, use_type, start_date, end_date, preorder_date
             FROM rights_rules WHERE release_id IN ({list})
             ORDER BY release_id, track_id IS NOT NULL, track_id, sequence"
        ),
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;

    let mut releases: HashMap<i64, ReleaseRow> = releases.into_iter().map(|r| (r.id, r)).collect();
    let mut localized_of: HashMap<i64, Vec<LocalizedTitle>> = HashMap::new();
    for (release_id, language, title) in localized {
        localized_of.entry(release_id).or_default().push(LocalizedTitle { language, title });
    }
    let mut artists_of: HashMap<i64, Vec<Contributor>> = HashMap::new();
    for (release_id, id, artist_id, artist_name, role, sequence) in artists {
        artists_of.entry(release_id).or_default().push(Contributor {
            id,
            artist_id,
            artist_name,
            role: stored("release_artists", "role", &role, ContributorRole::parse)?,
            sequence,
        });
    }
    let mut credits_of: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (track_id, role, name) in credits {
        credits_of.entry(track_id).or_default().push((role, name));
    }
    let mut writers_of: HashMap<i64, Vec<ExportWriter>> = HashMap::new();
    for (track_id, role, name, publisher, share) in writers {
        writers_of.entry(track_id).or_default().push((role, name, publisher, share));
    }
    // A track on several releases of the chunk gets a copy of its credits on all but the last.
    let mut uses: HashMap<i64, usize> = HashMap::with_capacity(tracks.len());
    for row in &tracks {
        *uses.entry(row.1).or_default() += 1;
    }
    let mut tracks_of: HashMap<i64, Vec<ExportTrack>> = HashMap::new();
    for row in tracks {
        let (
            release_id,
            track_id,
            disc_number,
            track_number,
            isrc,
            title,
            version,
            display_artist,
            duration_ms,
            explicit,
            audio_language,
        ) = row;
        let left = uses.entry(track_id).or_default();
        *left -= 1;
        let (contributors, writers) = if *left == 0 {
            (credits_of.remove(&track_id), writers_of.remove(&track_id))
        } else {
            (credits_of.get(&track_id).cloned(), writers_of.get(&track_id).cloned())
        };
        tracks_of.entry(release_id).or_default().push(ExportTrack {
            track_id,
            disc_number,
            track_number,
            isrc,
            title,
            version,
            display_artist,
            duration_ms,
            explicit,
            audio_language,
            contributors: contributors.unwrap_or_default(),
            writers: writers.unwrap_or_default(),
        });
    }
    let mut rules_of: HashMap<i64, Vec<RuleRow>> = HashMap::new();
    for (release_id, track_id, kind, territories, store, use_type, start, end, preorder) in rules {
        rules_of.entry(release_id).or_default().push((
            track_id,
            kind,
            territories,
            store,
            use_type,
            start,
            end,
            preorder,
        ));
    }

    // Where each id's release went in `out`, for an id listed twice.
    let mut done: HashMap<i64, usize> = HashMap::new();
    for &id in ids {
        if let Some(&index) = done.get(&id) {
            let copy = out[index].clone();
            out.push(copy);
            continue;
        }
        let row = releases.remove(&id).ok_or(DbError::NotFound { what: "release", id })?;
        let release = row.into_release(
            localized_of.remove(&id).unwrap_or_default(),
            artists_of.remove(&id).unwrap_or_default(),
        )?;
        let tracks = tracks_of.remove(&id).unwrap_or_default();
        let mut rights = ReleaseRights::new(tracks.iter().map(|t| TrackKey(t.track_id)));
        for row in rules_of.remove(&id).unwrap_or_default() {
            match rule_from_row(row)? {
                (None, rule) => rights.release.push(rule),
                (Some(track), rule) => rights.rules_of_mut(TrackKey(track)).push(rule),
            }
        }
        done.insert(id, out.len());
        out.push(ExportRelease { release, tracks, rights });
    }
    Ok(())
}

/// Removes every writer of a track, before an import replaces them.
pub async fn clear_writers(conn: &mut SqliteConnection, track_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM track_writers WHERE track_id = ?").bind(track_id).execute(conn).await?;
    Ok(())
}

/// The tracks carrying this ISRC, with the first release each is on (`None`: on none) and
/// its title, oldest track first.
pub async fn tracks_by_isrc(
    conn: &mut SqliteConnection,
    isrc: &str,
) -> Result<Vec<(i64, String, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.title, (SELECT MIN(rt.release_id) FROM release_tracks rt WHERE rt.track_id = t.id)
         FROM tracks t WHERE t.isrc = ? ORDER BY t.id",
    )
    .bind(isrc)
    .fetch_all(conn)
    .await?)
}

/// A new release as a bulk import writes it: every column, its main artist, and its tracks.
#[derive(Clone, Debug)]
pub struct ImportedRelease<'a> {
    pub label_id: i64,
    pub title: &'a str,
    pub version: Option<&'a str>,
    pub display_artist: &'a str,
    pub release_type: ReleaseType,
    pub upc: Option<&'a str>,
    pub catalog_number: Option<&'a str>,
    pub p_line: Option<&'a RightsLine>,
    pub c_line: Option<&'a RightsLine>,
    pub genre: Option<&'a str>,
    pub subgenre: Option<&'a str>,
    pub release_date: Option<&'a str>,
    pub original_release_date: Option<&'a str>,
    pub parental_advisory: ParentalAdvisory,
    pub metadata_language: Option<&'a str>,
    /// Credited as the release's `MainArtist` (created if new, matched ignoring case).
    pub main_artist: &'a str,
    pub tracks: Vec<ImportedTrack<'a>>,
}

/// `(role, name, publisher, share in basis points)`, as [`crate::add_writer`] takes them.
pub type ImportedWriter = (WriterRole, String, Option<String>, i64);

/// A new track of an [`ImportedRelease`], at `(disc, number)` on it.
#[derive(Clone, Debug)]
pub struct ImportedTrack<'a> {
    pub disc: i64,
    pub number: i64,
    pub isrc: Option<&'a str>,
    pub title: &'a str,
    pub version: Option<&'a str>,
    pub display_artist: &'a str,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
    pub audio_language: Option<&'a str>,
    /// In credit order; a second credit of the same artist (ignoring case) in the same role is
    /// refused, as [`crate::add_credit`] refuses it.
    pub contributors: &'a [(ContributorRole, String)],
    /// In order; shares totalling more than 100 % are refused, as [`crate::add_writer`] does.
    pub writers: &'a [ImportedWriter],
}

/// A release [`ReleaseImporter::create`] wrote, with its tracks' ids in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedRelease {
    pub id: i64,
    pub track_ids: Vec<i64>,
}

/// Writes new releases in bulk, inside the caller's transaction: multi-row inserts with the
/// per-row insert triggers quiet (migration 0007), then, for the releases of each call, the
/// search index, the audit log and the sync outbox in set-based statements. What the log and
/// outbox keep: each release's `created` row (its title) and an `imported` row naming the
/// tracks and `source`, under the transaction's actor and change number; one pending `save` per
/// release. Artist ids are cached across calls.
#[derive(Debug)]
pub struct ReleaseImporter {
    source: String,
    /// Artist ids by name folded as SQLite's NOCASE folds it (ASCII only).
    artists: HashMap<String, i64>,
}

/// Rows per multi-row statement: few enough for SQLite's bound-parameter limit (18 columns).
const ROWS_PER_INSERT: usize = 500;

impl ReleaseImporter {
    /// `source` is what the audit log says the releases came from (a file name).
    pub fn new(source: &str) -> Self {
        Self { source: source.to_owned(), artists: HashMap::new() }
    }

    /// Creates `releases` with their credits, tracks, contributors and writers; ids are given
    /// in order, after the highest in use (the caller's write transaction holds the lock).
    pub async fn create(
        &mut self,
        conn: &mut SqliteConnection,
        releases: &[ImportedRelease<'_>],
    ) -> Result<Vec<CreatedRelease>> {
        if releases.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query("UPDATE audit_actor SET bulk = 1 WHERE id = 1").execute(&mut *conn).await?;
        let created = self.write(conn, releases).await;
        // Cleared whatever happened; an error rolls the caller's transaction back anyway.
        let cleared = sqlx::query("UPDATE audit_actor SET bulk = 0 WHERE id = 1").execute(&mut *conn).await;
        let created = created?;
        cleared?;
        Ok(created)
    }

    async fn write(
        &mut self,
        conn: &mut SqliteConnection,
        releases: &[ImportedRelease<'_>],
    ) -> Result<Vec<CreatedRelease>> {
        let names: Vec<&str> = releases
            .iter()
            .flat_map(|r| {
                std::iter::once(r.main_artist)
                    .chain(r.tracks.iter().flat_map(|t| t.contributors.iter().map(|(_, n)| n.as_str())))
            })
            .collect();
        self.resolve_artists(conn, names.into_iter()).await?;

        let first_release: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM releases").fetch_one(&mut *conn).await?;
        let first_track: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM tracks").fetch_one(&mut *conn).await?;
        let mut created = Vec::with_capacity(releases.len());
        let mut next_track = first_track;
        for (index, release) in releases.iter().enumerate() {
            let count = i64::try_from(release.tracks.len()).unwrap_or(i64::MAX);
            created.push(CreatedRelease {
                id: first_release + i64::try_from(index).unwrap_or(i64::MAX),
                track_ids: (next_track..next_track + count).collect(),
            });
            next_track += count;
        }
        let last_release = first_release + i64::try_from(releases.len()).unwrap_or(i64::MAX) - 1;
        let last_track = next_track - 1;
        let pairs = || releases.iter().zip(&created);

        insert_rows(
            conn,
            "releases (id, label_id, title, version, display_artist, release_type, upc, catalog_number,
             p_line_year, p_line_holder, c_line_year, c_line_holder, genre, subgenre, release_date,
             original_release_date, parental_advisory, metadata_language)",
            18,
            pairs().collect(),
            |q, (r, c)| {
                q.bind(c.id)
                    .bind(r.label_id)
                    .bind(r.title)
                    .bind(r.version)
                    .bind(r.display_artist)
                    .bind(r.release_type.as_str())
                    .bind(r.upc)
                    .bind(r.catalog_number)
                    .bind(r.p_line.map(|l| i64::from(l.year)))
                    .bind(r.p_line.map(|l| l.holder.as_str()))
                    .bind(r.c_line.map(|l| i64::from(l.year)))
                    .bind(r.c_line.map(|l| l.holder.as_str()))
                    .bind(r.genre)
                    .bind(r.subgenre)
                    .bind(r.release_date)
                    .bind(r.original_release_date)
                    .bind(r.parental_advisory.as_str())
                    .bind(r.metadata_language)
            },
        )
        .await?;
        let artist = |name: &str| self.artists.get(&nocase(name)).copied().unwrap_or_default();
        insert_rows(
            conn,
            "release_artists (release_id, artist_id, role, sequence)",
            4,
            pairs().collect(),
            |q, (r, c)| {
                q.bind(c.id)
                    .bind(artist(r.main_artist))
                    .bind(ContributorRole::MainArtist.as_str())
                    .bind(1_i64)
            },
        )
        .await?;
        let tracks = || {
            pairs().flat_map(|(r, c)| r.tracks.iter().zip(&c.track_ids).map(move |(t, id)| (c.id, t, *id)))
        };
        insert_rows(
            conn,
            "tracks (id, isrc, title, version, display_artist, duration_ms, explicit, audio_language)",
            8,
            tracks().collect(),
            |q, (_, t, id)| {
                q.bind(id)
                    .bind(t.isrc)
                    .bind(t.title)
                    .bind(t.version)
                    .bind(t.display_artist)
                    .bind(t.duration_ms)
                    .bind(t.explicit)
                    .bind(t.audio_language)
            },
        )
        .await?;
        insert_rows(
            conn,
            "release_tracks (release_id, track_id, disc_number, track_number)",
            4,
            tracks().collect(),
            |q, (release_id, t, id)| q.bind(release_id).bind(id).bind(t.disc).bind(t.number),
        )
        .await?;
        // Refused as `add_credit` and `add_writer` refuse them one by one.
        let mut credits: Vec<(i64, i64, ContributorRole, i64)> = Vec::new();
        for (_, t, id) in tracks() {
            let first = credits.len();
            for (role, name) in t.contributors {
                let artist_id = artist(name);
                if credits[first..].iter().any(|c| c.1 == artist_id && c.2 == *role) {
                    return Err(crate::credits::already_credited(name, *role));
                }
                credits.push((id, artist_id, *role, i64::try_from(credits.len() - first).unwrap_or(0) + 1));
            }
            crate::tracks::writer_shares_fit(t.writers.iter().map(|w| w.3).sum())?;
        }
        insert_rows(
            conn,
            "track_contributors (track_id, artist_id, role, sequence)",
            4,
            credits,
            |q, (id, artist_id, role, sequence)| {
                q.bind(id).bind(artist_id).bind(role.as_str()).bind(sequence)
            },
        )
        .await?;
        let writers: Vec<_> = tracks()
            .flat_map(|(_, t, id)| {
                t.writers
                    .iter()
                    .enumerate()
                    .map(move |(i, w)| (id, w, i64::try_from(i).unwrap_or(i64::MAX) + 1))
            })
            .collect();
        insert_rows(
            conn,
            "track_writers (track_id, name, role, publisher, share_basis_points, sequence)",
            6,
            writers,
            |q, (id, (role, name, publisher, share), sequence)| {
                q.bind(id)
                    .bind(name.as_str())
                    .bind(role.as_str())
                    .bind(publisher.as_deref())
                    .bind(*share)
                    .bind(sequence)
            },
        )
        .await?;

        // What the quiet triggers would have done, one statement each (an FTS5 insert run by a
        // trigger flushes the index's pending terms on every row).
        sqlx::query(
            "INSERT INTO release_search (rowid, title, artist, codes)
             SELECT id, title || ' ' || coalesce(version, ''), display_artist,
                    coalesce(upc, '') || ' ' || replace(replace(coalesce(catalog_number, ''), '-', ''), ' ', '')
             FROM releases WHERE id BETWEEN ?1 AND ?2",
        )
        .bind(first_release)
        .bind(last_release)
        .execute(&mut *conn)
        .await?;
        if last_track >= first_track {
            sqlx::query(
                "INSERT INTO track_search (rowid, title, artist, codes)
                 SELECT id, title || ' ' || coalesce(version, ''), display_artist, coalesce(isrc, '')
                 FROM tracks WHERE id BETWEEN ?1 AND ?2",
            )
            .bind(first_track)
            .bind(last_track)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(
            "INSERT INTO audit_log (change_id, actor, release_id, field, after)
             SELECT a.change_id, a.name, r.id, f.field,
                    CASE f.field WHEN 'created' THEN json_quote(r.title)
                    ELSE json_quote((SELECT count(*) FROM release_tracks rt WHERE rt.release_id = r.id)
                                    || ' track(s) from ' || ?3) END
             FROM releases r, audit_actor a, (SELECT 'created' AS field UNION ALL SELECT 'imported') f
             WHERE r.id BETWEEN ?1 AND ?2 ORDER BY r.id, f.field",
        )
        .bind(first_release)
        .bind(last_release)
        .bind(&self.source)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO sync_outbox (release_id, op) SELECT id, 'save' FROM releases WHERE id BETWEEN ?1 AND ?2
             ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1",
        )
        .bind(first_release)
        .bind(last_release)
        .execute(&mut *conn)
        .await?;
        Ok(created)
    }

    /// Fills the cache with the ids of `names`, creating the artists that do not exist yet
    /// (the first spelling met), as [`crate::ensure_artist`] would one by one.
    async fn resolve_artists<'n>(
        &mut self,
        conn: &mut SqliteConnection,
        names: impl Iterator<Item = &'n str>,
    ) -> Result<()> {
        let mut missing: Vec<&str> = Vec::new();
        let mut wanted: HashSet<String> = HashSet::new();
        for name in names {
            let key = nocase(name);
            if !self.artists.contains_key(&key) && wanted.insert(key) {
                missing.push(name);
            }
        }
        for chunk in missing.chunks(ROWS_PER_INSERT) {
            let mut sql = String::from("WITH n (name) AS (VALUES ");
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(?)" } else { ",(?)" });
            }
            sql.push_str(") SELECT n.name, (SELECT a.id FROM artists a WHERE a.name = n.name ORDER BY a.id LIMIT 1) FROM n");
            let mut query = sqlx::query_as::<_, (String, Option<i64>)>(AssertSqlSafe(sql));
            for name in chunk {
                query = query.bind(*name);
            }
            for (name, id) in query.fetch_all(&mut *conn).await? {
                if let Some(id) = id {
                    self.artists.insert(nocase(&name), id);
                }
            }
        }
        let new: Vec<&str> = missing.into_iter().filter(|n| !self.artists.contains_key(&nocase(n))).collect();
        if new.is_empty() {
            return Ok(());
        }
        let first: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM artists").fetch_one(&mut *conn).await?;
        let rows: Vec<(i64, &str)> =
            new.iter().enumerate().map(|(i, n)| (first + i64::try_from(i).unwrap_or(i64::MAX), *n)).collect();
        for &(id, name) in &rows {
            self.artists.insert(nocase(name), id);
        }
        insert_rows(conn, "artists (id, name)", 2, rows, |q, (id, name)| q.bind(id).bind(name)).await?;
        Ok(())
    }
}

/// A name as SQLite's NOCASE collation compares it: ASCII letters folded, nothing else.
fn nocase(name: &str) -> String {
    name.to_ascii_lowercase()
}

type BulkQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

/// `INSERT INTO {table_columns} VALUES (...), (...)` for `rows`, [`ROWS_PER_INSERT`] per
/// statement; `bind` binds one row's `columns` values in order.
async fn insert_rows<'q, T>(
    conn: &mut SqliteConnection,
    table_columns: &str,
    columns: usize,
    rows: Vec<T>,
    bind: impl Fn(BulkQuery<'q>, T) -> BulkQuery<'q>,
) -> Result<()> {
    let placeholders = format!("({})", vec!["?"; columns].join(","));
    let statement = |n: usize| {
        let mut sql = format!("INSERT INTO {table_columns} VALUES ");
        for i in 0..n {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&placeholders);
        }
        sql
    };
    let full = statement(ROWS_PER_INSERT);
    // A Vec, not an iterator: adapter chains with closures held across an await make the
    // import's future not `Send` (rustc's higher-ranked lifetime limits).
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<T> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        let sql = if batch.len() == ROWS_PER_INSERT { full.clone() } else { statement(batch.len()) };
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in batch {
            query = bind(query, row);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
