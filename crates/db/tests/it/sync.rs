#![allow(clippy::unwrap_used)]

use catno_db::Db;
use catno_domain::TrackEdit;

async fn catalog_with_release(dir: &tempfile::TempDir) -> (Db, i64, i64) {
    crate::one_release_catalog(dir, "Importer").await
}

#[tokio::test]
async fn a_new_release_and_every_later_edit_fold_into_one_pending_save() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, track_id) = catalog_with_release(&dir).await;
    let mut conn = db.read().await.unwrap();
    let pending = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].op, "save");
    let revision = pending[0].revision;
    drop(conn);

    let mut tx = db.begin().await.unwrap();
    catno_db::apply_track_edit(&mut tx, track_id, &TrackEdit::Title("Song (Live)".into())).await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.read().await.unwrap();
    let pending = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap();
    assert_eq!(pending.len(), 1, "still one save: {pending:?}");
    assert!(pending[0].revision > revision, "the track edit reached its release's pending save");
}

#[tokio::test]
async fn an_edit_made_while_a_push_was_in_flight_is_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, track_id) = catalog_with_release(&dir).await;
    let mut conn = db.read().await.unwrap();
    let pushed = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap().remove(0);
    drop(conn);

    // The edit lands after the push read the release but before the push completes.
    let mut tx = db.begin().await.unwrap();
    catno_db::apply_track_edit(&mut tx, track_id, &TrackEdit::Title("Edited".into())).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    assert!(!catno_db::outbox_complete(&mut tx, pushed.id, pushed.revision).await.unwrap());
    tx.commit().await.unwrap();
    let mut conn = db.read().await.unwrap();
    let left = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap();
    assert_eq!(left.len(), 1, "the newer edit still waits to be pushed");
    assert!(catno_db::outbox_complete(&mut conn, left[0].id, left[0].revision).await.unwrap());
    assert_eq!(catno_db::outbox_len(&mut conn).await.unwrap(), 0);
}

#[tokio::test]
async fn a_rolled_back_edit_leaves_nothing_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, track_id) = catalog_with_release(&dir).await;
    let mut conn = db.read().await.unwrap();
    let entry = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap().remove(0);
    catno_db::outbox_complete(&mut conn, entry.id, entry.revision).await.unwrap();
    drop(conn);

    let mut tx = db.begin().await.unwrap();
    catno_db::apply_track_edit(&mut tx, track_id, &TrackEdit::Title("Never saved".into())).await.unwrap();
    drop(tx);

    let mut conn = db.read().await.unwrap();
    assert_eq!(catno_db::outbox_len(&mut conn).await.unwrap(), 0);
}

#[tokio::test]
async fn sync_state_reads_pending_failed_synced_and_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = catalog_with_release(&dir).await;
    let mut conn = db.read().await.unwrap();
    let state = |rows: Vec<(i64, String, Option<String>)>| rows[0].1.clone();
    assert_eq!(state(catno_db::sync_states(&mut conn, Some(&[release_id])).await.unwrap()), "pending");

    let entry = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap().remove(0);
    catno_db::outbox_failed(&mut conn, entry.id, r#"{"message":"Bad UPC"}"#, None).await.unwrap();
    assert_eq!(state(catno_db::sync_states(&mut conn, Some(&[release_id])).await.unwrap()), "failed");
    assert!(
        catno_db::outbox_due(&mut conn, "2030-01-01T00:00:00Z", 10).await.unwrap().is_empty(),
        "a failure waiting for the user is not retried on its own"
    );
    catno_db::outbox_retry(&mut conn, Some(release_id)).await.unwrap();
    assert_eq!(catno_db::outbox_due(&mut conn, "2030-01-01T00:00:00Z", 10).await.unwrap().len(), 1);

    let entry = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap().remove(0);
    catno_db::outbox_complete(&mut conn, entry.id, entry.revision).await.unwrap();
    let mut synced = catno_db::SyncedRelease {
        release_id,
        backend: "revelator".into(),
        remote_id: Some("42".into()),
        state: "synced".into(),
        ..Default::default()
    };
    catno_db::put_synced_release(&mut conn, &synced).await.unwrap();
    let rows = catno_db::sync_states(&mut conn, None).await.unwrap();
    assert_eq!(rows, vec![(release_id, "synced".to_owned(), Some("42".to_owned()))]);

    synced.state = "conflict".into();
    catno_db::put_synced_release(&mut conn, &synced).await.unwrap();
    assert_eq!(state(catno_db::sync_states(&mut conn, Some(&[release_id])).await.unwrap()), "conflict");
}

#[tokio::test]
async fn touching_a_release_alone_is_not_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = catalog_with_release(&dir).await;
    let mut conn = db.read().await.unwrap();
    let entry = catno_db::outbox_entries(&mut conn, Some(release_id)).await.unwrap().remove(0);
    catno_db::outbox_complete(&mut conn, entry.id, entry.revision).await.unwrap();
    catno_db::touch_release(&mut conn, release_id).await.unwrap();
    assert_eq!(catno_db::outbox_len(&mut conn).await.unwrap(), 0);
}
