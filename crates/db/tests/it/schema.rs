#![allow(clippy::unwrap_used)]

use std::path::Path;

use catno_db::{Db, DbError, MIGRATOR, OpenMode};
use sqlx::Connection;

/// Builds a catalog file as Catno would have left it at schema `version`, with that version's
/// fixture rows.
async fn catalog_at_version(path: &Path, version: i64) {
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let migrator = sqlx::migrate::Migrator::with_migrations(
        MIGRATOR.iter().filter(|m| m.version <= version).cloned().collect(),
    );
    migrator.run(&mut conn).await.unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema_v{version}.sql"));
    let rows = std::fs::read_to_string(&fixture).unwrap_or_else(|_| {
        panic!("{} is missing: every schema version needs fixture rows", fixture.display())
    });
    sqlx::raw_sql(sqlx::AssertSqlSafe(rows)).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn every_earlier_schema_version_opens_with_its_data() {
    for migration in MIGRATOR.iter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        catalog_at_version(&path, migration.version).await;

        let db = Db::open(&path, OpenMode::Existing).await.unwrap();
        let mut conn = db.read().await.unwrap();
        assert_eq!(
            catno_db::schema_version(&mut conn).await.unwrap(),
            MIGRATOR.iter().map(|m| m.version).max().unwrap()
        );
        let release = catno_db::get_release(&mut conn, 1).await.unwrap();
        assert_eq!(release.title, "Old Schema Album", "schema v{}", migration.version);
        assert_eq!(release.upc.unwrap().as_str(), "036000291452");
        assert_eq!(release.localized_titles[0].title, "古いアルバム");
        let track = catno_db::get_track(&mut conn, 1).await.unwrap();
        assert_eq!(track.isrc.unwrap().as_str(), "USRC17607839");
        assert_eq!(track.contributors.len(), 2);
        assert_eq!(track.writers[0].share_basis_points, 10_000);
        let hits = catno_db::search(&mut conn, "old song", 10).await.unwrap();
        assert!(hits.iter().any(|h| h.title == "Old Song"), "search index survives: {hits:?}");
        if migration.version >= 3 {
            let stored = catno_db::analysis(&mut conn, "ab", "artwork").await.unwrap();
            assert!(stored.is_some_and(|a| a.report.contains("cover.png")), "media QC results survive");
            let seen = catno_db::seen_file(&mut conn, "/media/fix/cover.png").await.unwrap();
            assert_eq!(seen.map(|s| s.sha256).as_deref(), Some("ab"));
        }
        let last_export = catno_db::last_ddex_export(&mut conn, 1, "spotify").await.unwrap();
        // Later fixtures need not repeat these rows; opening v4 with today's code proves they survive.
        if migration.version == 4 {
            let last = last_export.unwrap();
            assert_eq!((last.batch_id.as_str(), last.message_id.as_str()), ("B-NEW", "M-NEW-2"));
            assert!(last.xml.contains(">new<"), "the newest export of the pair: {last:?}");
        } else if migration.version < 4 {
            assert!(last_export.is_none(), "schema v{}", migration.version);
        }
        let transitions = catno_db::release_transitions(&mut conn, 1).await.unwrap();
        let checks = catno_db::release_checks(&mut conn, 1).await.unwrap();
        // As for v4: opening v5 with today's code proves the workflow rows survive.
        if migration.version == 5 {
            assert_eq!(transitions.len(), 1, "workflow history survives");
            assert_eq!(transitions[0].actor, "Fixture Reviewer");
            assert_eq!(checks[0].item, "cover_text_matches");
            let audit = catno_db::release_audit(&mut conn, 1, 0, 100).await.unwrap();
            assert!(audit.iter().any(|r| r.field == "status" && r.actor == "Fixture Reviewer"), "{audit:?}");
        } else if migration.version < 5 {
            assert!(transitions.is_empty() && checks.is_empty());
        }
        // As for v4: opening v7 with today's code proves a bulk-imported release survives.
        if migration.version == 7 {
            let audit = catno_db::release_audit(&mut conn, 2, 0, 100).await.unwrap();
            assert!(audit.iter().any(|r| r.field == "imported"), "{audit:?}");
            let hits = catno_db::search(&mut conn, "bulk song", 10).await.unwrap();
            assert!(hits.iter().any(|h| h.title == "Bulk Song"), "{hits:?}");
        }
        let rights = catno_db::load_release_rights(&mut conn, 1).await.unwrap();
        let groups = catno_db::load_territory_groups(&mut conn).await.unwrap();
        if migration.version >= 2 {
            assert_eq!(rights.release.len(), 2, "schema v{}", migration.version);
            assert_eq!(rights.rules_of(catno_rights::TrackKey(1)).len(), 1);
            assert!(groups.resolve("launch").is_some(), "the label's group survives");
            assert!(
                catno_db::load_stores(&mut conn)
                    .await
                    .unwrap()
                    .ids()
                    .iter()
                    .any(|s| s.as_str() == "boomplay")
            );
        } else {
            assert!(rights.release.is_empty());
        }
    }
}

#[tokio::test]
async fn a_missing_file_is_not_created_when_opening_an_existing_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.sqlite");
    let err = Db::open(&path, OpenMode::Existing).await.unwrap_err();
    assert!(matches!(err, DbError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("nope.sqlite"));
    assert!(!path.exists());
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, b"these are my notes, not a database, and they are long enough").unwrap();
    let err = Db::open(&path, OpenMode::Existing).await.unwrap_err();
    assert!(matches!(err, DbError::NotACatalog { .. }), "{err:?}");
    assert!(err.to_string().contains("notes.sqlite"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"these are my notes, not a database, and they are long enough",
        "the file is left untouched"
    );
}

#[tokio::test]
async fn another_programs_database_is_not_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE photos (id INTEGER PRIMARY KEY)").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let err = Db::open(&path, OpenMode::Existing).await.unwrap_err();
    assert!(matches!(err, DbError::NotACatalog { .. }), "{err:?}");
}

#[tokio::test]
async fn a_catalog_from_a_newer_catno_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    let db = Db::open(&path, OpenMode::CreateIfMissing).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(db.pool())
    .await
    .unwrap();
    db.close().await;
    let err = Db::open(&path, OpenMode::Existing).await.unwrap_err();
    assert!(matches!(err, DbError::TooNew { found: 9999, .. }), "{err:?}");
}

#[tokio::test]
async fn catalogs_use_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("c.sqlite"), OpenMode::CreateIfMissing).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(db.pool()).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(db.pool()).await.unwrap();
    assert_eq!(fk, 1);
}
