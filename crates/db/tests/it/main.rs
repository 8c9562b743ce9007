//! catno-db against real SQLite files.
#![allow(clippy::unwrap_used)]

mod audit;
mod bulk;
mod schema;
mod sync;
mod validation;

/// A catalog file with one label, one release and one track on it, created as `actor`.
pub async fn one_release_catalog(dir: &tempfile::TempDir, actor: &str) -> (catno_db::Db, i64, i64) {
    let db =
        catno_db::Db::open(&dir.path().join("c.sqlite"), catno_db::OpenMode::CreateIfMissing).await.unwrap();
    db.set_actor(actor);
    let mut tx = db.begin().await.unwrap();
    let label_id = catno_db::ensure_label(&mut tx, "Label", None).await.unwrap();
    let release_id = catno_db::insert_release(
        &mut tx,
        &catno_db::NewRelease {
            label_id,
            title: "Album",
            display_artist: "Artist",
            release_type: catno_domain::ReleaseType::Album,
            upc: None,
            catalog_number: None,
            release_date: None,
        },
    )
    .await
    .unwrap();
    let track_id = catno_db::insert_track(
        &mut tx,
        &catno_db::NewTrack {
            isrc: None,
            title: "Song",
            version: None,
            display_artist: "Artist",
            duration_ms: None,
            explicit: false,
        },
    )
    .await
    .unwrap();
    catno_db::add_track_to_release(&mut tx, release_id, track_id, 1, 1).await.unwrap();
    tx.commit().await.unwrap();
    (db, release_id, track_id)
}
