use catno_domain::{
    Contributor, LocalizedTitle, Page, ParentalAdvisory, Release, ReleaseEdit, ReleaseSummary, ReleaseType,
    RightsLine, Upc, WorkflowStatus,
};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::credits::{CreditOwner, list_credits};
use crate::labels::label_exists;
use crate::{DbError, Result, stored};

/// What a new release needs; everything else is set afterwards with [`apply_release_edit`].
#[derive(Clone, Debug)]
pub struct NewRelease<'a> {
    pub label_id: i64,
    pub title: &'a str,
    pub display_artist: &'a str,
    pub release_type: ReleaseType,
    pub upc: Option<&'a str>,
    pub catalog_number: Option<&'a str>,
    pub release_date: Option<&'a str>,
}

pub async fn insert_release(conn: &mut SqliteConnection, new: &NewRelease<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO releases (label_id, title, display_artist, release_type, upc, catalog_number, release_date)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.label_id)
    .bind(new.title)
    .bind(new.display_artist)
    .bind(new.release_type.as_str())
    .bind(new.upc)
    .bind(new.catalog_number)
    .bind(new.release_date)
    .fetch_one(conn)
    .await?)
}

/// A `releases` row joined with its label's name (`SELECT r.*, l.name AS label_name …`).
#[derive(sqlx::FromRow)]
pub(crate) struct ReleaseRow {
    pub(crate) id: i64,
    label_id: i64,
    label_name: String,
    title: String,
    version: Option<String>,
    display_artist: String,
    release_type: String,
    upc: Option<String>,
    catalog_number: Option<String>,
    p_line_year: Option<i64>,
    p_line_holder: Option<String>,
    c_line_year: Option<i64>,
    c_line_holder: Option<String>,
    genre: Option<String>,
    subgenre: Option<String>,
    release_date: Option<String>,
    original_release_date: Option<String>,
    parental_advisory: String,
    metadata_language: Option<String>,
    status: String,
    updated_at: String,
}

fn rights_line(year: Option<i64>, holder: Option<String>) -> Option<RightsLine> {
    match (year, holder) {
        (Some(year), Some(holder)) => Some(RightsLine { year: u16::try_from(year).ok()?, holder }),
        _ => None,
    }
}

pub async fn get_release(conn: &mut SqliteConnection, id: i64) -> Result<Release> {
    let row: ReleaseRow = sqlx::query_as(
        "SELECT r.*, l.name AS label_name FROM releases r JOIN labels l ON l.id = r.label_id WHERE r.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(DbError::NotFound { what: "release", id })?;
    let localized: Vec<(String, String)> = sqlx::query_as(
        "SELECT language, title FROM release_localized_titles WHERE release_id = ? ORDER BY language",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let artists = list_credits(conn, CreditOwner::Release(id)).await?;
    let localized =
        localized.into_iter().map(|(language, title)| LocalizedTitle { language, title }).collect();
    row.into_release(localized, artists)
}

impl ReleaseRow {
    /// The domain release, with its localized titles and display artists loaded separately.
    pub(crate) fn into_release(
        self,
        localized_titles: Vec<LocalizedTitle>,
        artists: Vec<Contributor>,
    ) -> Result<Release> {
        let row = self;
        Ok(Release {
            id: row.id,
            label_id: row.label_id,
            label_name: row.label_name,
            title: row.title,
            version: row.version,
            display_artist: row.display_artist,
            localized_titles,
            release_type: stored("releases", "release_type", &row.release_type, ReleaseType::parse)?,
            upc: row
                .upc
                .map(|u| {
                    Upc::parse(&u).map_err(|e| DbError::Corrupt {
                        table: "releases",
                        column: "upc",
                        message: e.to_string(),
                    })
                })
                .transpose()?,
            catalog_number: row.catalog_number,
            p_line: rights_line(row.p_line_year, row.p_line_holder),
            c_line: rights_line(row.c_line_year, row.c_line_holder),
            genre: row.genre,
            subgenre: row.subgenre,
            release_date: row.release_date,
            original_release_date: row.original_release_date,
            parental_advisory: stored(
                "releases",
                "parental_advisory",
                &row.parental_advisory,
                ParentalAdvisory::parse,
            )?,
            metadata_language: row.metadata_language,
            status: stored("releases", "status", &row.status, WorkflowStatus::parse)?,
            artists,
            updated_at: row.updated_at,
        })
    }
}

type SummaryRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

const SUMMARY_COLUMNS: &str =
    "r.id, r.label_id, l.name, r.title, r.version, r.display_artist, r.release_type,
    r.upc, r.catalog_number, r.release_date, r.status,
    (SELECT count(*) FROM release_tracks rt WHERE rt.release_id = r.id)";

fn summary(row: SummaryRow) -> Result<ReleaseSummary> {
    let (
        id,
        label_id,
        label_name,
        title,
        version,
        display_artist,
        release_type,
        upc,
        catalog_number,
        release_date,
        status,
        track_count,
    ) = row;
    Ok(ReleaseSummary {
        id,
        label_id,
        label_name,
        title,
        version,
        display_artist,
        release_type: stored("releases", "release_type", &release_type, ReleaseType::parse)?,
        upc,
        catalog_number,
        release_date,
        status: stored("releases", "status", &status, WorkflowStatus::parse)?,
        track_count,
    })
}

/// One page of releases ordered by title, optionally of one label. The inner query skips
/// `offset` rows in a covering index, so deep pages cost index steps, not row reads.
pub async fn list_releases(
    conn: &mut SqliteConnection,
    label_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<Page<ReleaseSummary>> {
    let (filter, total_sql) = match label_id {
        Some(_) => ("WHERE label_id = ?1", "SELECT count(*) FROM releases WHERE label_id = ?1"),
        None => ("", "SELECT count(*) FROM releases"),
    };
    let total: i64 = sqlx::query_scalar(total_sql).bind(label_id).fetch_one(&mut *conn).await?;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM (
             SELECT id FROM releases {filter} ORDER BY title COLLATE NOCASE, id LIMIT ?2 OFFSET ?3
         ) page JOIN releases r ON r.id = page.id JOIN labels l ON l.id = r.label_id
         ORDER BY r.title COLLATE NOCASE, r.id"
    );
    let rows: Vec<SummaryRow> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(label_id).bind(limit).bind(offset).fetch_all(conn).await?;
    Ok(Page { items: rows.into_iter().map(summary).collect::<Result<_>>()?, offset, total })
}

pub async fn release_summaries(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<ReleaseSummary>> {
    let mut out = Vec::with_capacity(ids.len());
    let sql =
        format!("SELECT {SUMMARY_COLUMNS} FROM releases r JOIN labels l ON l.id = r.label_id WHERE r.id = ?");
    for id in ids {
        if let Some(row) = sqlx::query_as::<_, SummaryRow>(AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        {
            out.push(summary(row)?);
        }
    }
    Ok(out)
}

/// Applies one validated edit. Callers run it inside their transaction.
pub async fn apply_release_edit(conn: &mut SqliteConnection, id: i64, edit: &ReleaseEdit) -> Result<()> {
    fn set(column: &str) -> AssertSqlSafe<String> {
        AssertSqlSafe(format!(
            "UPDATE releases SET {column} = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?"
        ))
    }
    let opt = |v: &Option<String>| v.clone();
    let result = match edit {
        ReleaseEdit::Title(v) => sqlx::query(set("title")).bind(v).bind(id).execute(&mut *conn).await?,
        ReleaseEdit::Version(v) => {
            sqlx::query(set("version")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::DisplayArtist(v) => {
            sqlx::query(set("display_artist")).bind(v).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::ReleaseType(v) => {
            sqlx::query(set("release_type")).bind(v.as_str()).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::Upc(v) => {
            if let Some(upc) = v {
                let clash: Option<(i64, String)> =
                    sqlx::query_as("SELECT id, title FROM releases WHERE upc = ? AND id <> ? LIMIT 1")
                        .bind(upc.as_str())
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some((other, title)) = clash {
                    return Err(DbError::Conflict(format!(
                        "UPC {upc} is already used by release {other} \"{title}\""
                    )));
                }
            }
            sqlx::query(set("upc"))
                .bind(v.as_ref().map(|u| u.as_str().to_owned()))
                .bind(id)
                .execute(&mut *conn)
                .await?
        }
        ReleaseEdit::CatalogNumber(v) => {
            sqlx::query(set("catalog_number")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::PLine(v) | ReleaseEdit::CLine(v) => {
            let prefix = if matches!(edit, ReleaseEdit::PLine(_)) { "p_line" } else { "c_line" };
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE releases SET {prefix}_year = ?, {prefix}_holder = ?,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?"
            )))
            .bind(v.as_ref().map(|l| i64::from(l.year)))
            .bind(v.as_ref().map(|l| l.holder.clone()))
            .bind(id)
            .execute(&mut *conn)
            .await?
        }
        ReleaseEdit::Genre(v) => sqlx::query(set("genre")).bind(opt(v)).bind(id).execute(&mut *conn).await?,
        ReleaseEdit::Subgenre(v) => {
            sqlx::query(set("subgenre")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::ReleaseDate(v) => {
            sqlx::query(set("release_date")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::OriginalReleaseDate(v) => {
            sqlx::query(set("original_release_date")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::ParentalAdvisory(v) => {
            sqlx::query(set("parental_advisory")).bind(v.as_str()).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::MetadataLanguage(v) => {
            sqlx::query(set("metadata_language")).bind(opt(v)).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::LabelId(label) => {
            label_exists(conn, *label).await?;
            sqlx::query(set("label_id")).bind(label).bind(id).execute(&mut *conn).await?
        }
        ReleaseEdit::LocalizedTitle { language, title } => {
            release_exists(conn, id).await?;
            match title {
                Some(title) => {
                    sqlx::query(
                        "INSERT INTO release_localized_titles (release_id, language, title) VALUES (?, ?, ?)
                     ON CONFLICT (release_id, language) DO UPDATE SET title = excluded.title",
                    )
                    .bind(id)
                    .bind(language)
                    .bind(title)
                    .execute(&mut *conn)
                    .await?
                }
                None => {
                    sqlx::query("DELETE FROM release_localized_titles WHERE release_id = ? AND language = ?")
                        .bind(id)
                        .bind(language)
                        .execute(&mut *conn)
                        .await?
                }
            };
            return touch_release(conn, id).await;
        }
    };
    if result.rows_affected() == 0 {
        return Err(DbError::NotFound { what: "release", id });
    }
    Ok(())
}

pub async fn release_exists(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM releases WHERE id = ?").bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or(DbError::NotFound { what: "release", id })
}

pub async fn touch_release(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE releases SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
