//! catno-db: the catalog's SQLite schema, migrations and **all** of Catno's SQL.
//!
//! A catalog is one `.sqlite` file in WAL mode. Migrations in `migrations/` are embedded,
//! append-only, and run when a catalog is opened. Query functions take a
//! `&mut SqliteConnection` so callers compose them inside one transaction; every multi-row
//! write in Catno goes through [`Db::write`].
//!
//! Must never depend on: reqwest, tauri.

mod artists;
mod catalog;
mod credits;
mod ddex_exports;
mod import;
mod labels;
mod qc;
mod releases;
mod rights;
mod search;
mod settings;
mod sync;
mod tracks;
mod validation;
mod workflow;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use artists::*;
pub use catalog::*;
pub use credits::*;
pub use ddex_exports::*;
pub use import::*;
pub use labels::*;
pub use qc::*;
pub use releases::*;
pub use rights::*;
pub use search::*;
pub use settings::*;
pub use sqlx::SqliteConnection as Connection;
pub use sync::*;
/// A write transaction on the catalog; commit it or drop it to roll back.
pub type Transaction = sqlx::Transaction<'static, sqlx::Sqlite>;
pub use tracks::*;
pub use validation::*;
pub use workflow::*;

/// The actor of writes made before anyone was named.
pub const UNKNOWN_ACTOR: &str = "unknown";

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("{path}: no catalog there")]
    Missing { path: PathBuf },
    #[error("{path}: not a Catno catalog ({message})")]
    NotACatalog { path: PathBuf, message: String },
    #[error("{path}: written by a newer Catno (schema version {found}); update Catno to open it")]
    TooNew { path: PathBuf, found: i64 },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("stored value in {table}.{column} is invalid: {message}")]
    Corrupt { table: &'static str, column: &'static str, message: String },
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// An open catalog database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    path: PathBuf,
    /// Who the audit log names for writes through this handle (shared by its clones).
    actor: Arc<RwLock<String>>,
}

/// Whether [`Db::open`] may create a new, empty catalog file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    Existing,
    CreateIfMissing,
}

impl Db {
    /// Opens (or creates) the catalog at `path` and brings its schema up to date.
    pub async fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        if mode == OpenMode::Existing && !path.is_file() {
            return Err(DbError::Missing { path: path.to_owned() });
        }
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(DbError::Sqlx)?
            .filename(path)
            .create_if_missing(mode == OpenMode::CreateIfMissing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        let db = Self { pool, path: path.to_owned(), actor: Arc::new(RwLock::new(UNKNOWN_ACTOR.into())) };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<()> {
        let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let mut conn = self.pool.acquire().await.map_err(|e| classify_open_error(&self.path, e))?;
        let has_table: bool = sqlx::query_scalar(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| classify_open_error(&self.path, e))?;
        if has_table {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(&mut *conn)
                    .await?;
            if let Some(found) = found.filter(|f| *f > known) {
                return Err(DbError::TooNew { path: self.path.clone(), found });
            }
        } else {
            let tables: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_one(&mut *conn)
            .await?;
            if tables > 0 {
                return Err(DbError::NotACatalog {
                    path: self.path.clone(),
                    message: "it is an SQLite database of another program".into(),
                });
            }
        }
        drop(conn);
        MIGRATOR.run(&self.pool).await.map_err(|e| DbError::NotACatalog {
            path: self.path.clone(),
            message: format!("schema migration failed: {e}"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts the one transaction a multi-row write runs in; dropping it uncommitted rolls
    /// everything back. It first names this handle's actor for the audit log, so every write
    /// transaction is attributed, whatever the write path.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.begin_as(&self.actor()).await
    }

    /// [`Self::begin`] naming `actor` for this transaction's audit rows.
    pub async fn begin_as(&self, actor: &str) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        let mut tx = self.pool.begin().await?;
        set_audit_actor(&mut tx, actor).await?;
        Ok(tx)
    }

    /// Names who makes the changes written through this handle and its clones from now on.
    pub fn set_actor(&self, name: &str) {
        let name = name.trim();
        let name = if name.is_empty() { UNKNOWN_ACTOR } else { name };
        *self.actor.write().unwrap_or_else(std::sync::PoisonError::into_inner) = name.to_owned();
    }

    /// Who the audit log names for writes through this handle.
    pub fn actor(&self) -> String {
        self.actor.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        Ok(self.pool.acquire().await?)
    }

    /// Writes a consistent copy of the whole catalog to `dest` (`VACUUM INTO`), safe while
    /// the catalog is in use. `dest` must not exist yet.
    pub async fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(DbError::Io {
                path: dest.to_owned(),
                message: "already exists; choose a new file name for the backup".into(),
            });
        }
        let dest_text = dest.to_str().ok_or_else(|| DbError::Io {
            path: dest.to_owned(),
            message: "path is not valid UTF-8".into(),
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(dest_text)
            .execute(&self.pool)
            .await
            .map_err(|e| DbError::Io { path: dest.to_owned(), message: e.to_string() })?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn classify_open_error(path: &Path, error: sqlx::Error) -> DbError {
    let message = error.to_string();
    if message.contains("file is not a database") || message.contains("malformed") {
        DbError::NotACatalog {
            path: path.to_owned(),
            message: "the file is not an SQLite database or is damaged".into(),
        }
    } else if message.contains("unable to open") {
        DbError::Io {
            path: path.to_owned(),
            message: "cannot open the file (check the folder exists and is writable)".into(),
        }
    } else {
        DbError::Sqlx(error)
    }
}

/// Converts a stored text value back into a domain enum, reporting bad rows precisely.
pub(crate) fn stored<T>(
    table: &'static str,
    column: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    parse(raw).ok_or_else(|| DbError::Corrupt { table, column, message: format!("\"{raw}\"") })
}
