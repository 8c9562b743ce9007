#![allow(clippy::unwrap_used)]

use catno_db::{AuditRow, Db};
use catno_domain::{ContributorRole, ReleaseEdit, TrackEdit, WorkflowStatus};

async fn catalog(dir: &tempfile::TempDir) -> (Db, i64, i64) {
    crate::one_release_catalog(dir, "Importer").await
}

async fn log(db: &Db, release_id: i64, after: i64) -> Vec<AuditRow> {
    catno_db::release_audit(&mut db.read().await.unwrap(), release_id, after, 1000).await.unwrap()
}

async fn mark(db: &Db) -> i64 {
    catno_db::audit_mark(&mut db.read().await.unwrap()).await.unwrap()
}

#[tokio::test]
async fn an_edit_records_who_and_before_and_after_of_each_changed_field_only() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, track_id) = catalog(&dir).await;
    let created = log(&db, release_id, 0).await;
    assert!(created.iter().all(|r| r.actor == "Importer"), "{created:?}");
    assert!(created.iter().any(|r| r.field == "created" && r.release_id == Some(release_id)));
    assert!(
        created.iter().any(|r| r.field == "tracklist" && r.after.as_deref() == Some("\"disc 1 track 1\""))
    );

    let since = mark(&db).await;
    db.set_actor("Ana");
    let mut tx = db.begin().await.unwrap();
    catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Title("Album II".into())).await.unwrap();
    catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Genre(Some("Jazz".into())))
        .await
        .unwrap();
    // Same value again, and a bare timestamp bump: neither is a change.
    catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Title("Album II".into())).await.unwrap();
    catno_db::touch_release(&mut tx, release_id).await.unwrap();
    catno_db::apply_track_edit(&mut tx, track_id, &TrackEdit::Explicit(true)).await.unwrap();
    catno_db::add_credit(
        &mut tx,
        catno_db::CreditOwner::Track(track_id),
        "Guest",
        ContributorRole::FeaturedArtist,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let rows = log(&db, release_id, since).await;
    let fields: Vec<(&str, Option<&str>, Option<&str>)> =
        rows.iter().rev().map(|r| (r.field.as_str(), r.before.as_deref(), r.after.as_deref())).collect();
    assert_eq!(
        fields,
        [
            ("title", Some("\"Album\""), Some("\"Album II\"")),
            ("genre", Some("null"), Some("\"Jazz\"")),
            ("explicit", Some("0"), Some("1")),
            ("contributors", None, Some("\"Guest (FeaturedArtist)\"")),
        ]
    );
    assert!(rows.iter().all(|r| r.actor == "Ana"));
    assert_eq!(
        rows.iter().map(|r| r.change_id).collect::<std::collections::BTreeSet<_>>().len(),
        1,
        "one change"
    );
    assert!(rows.iter().all(|r| r.at.ends_with('Z')));
}

#[tokio::test]
async fn a_rolled_back_transaction_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = catalog(&dir).await;
    let since = mark(&db).await;
    let mut tx = db.begin().await.unwrap();
    catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Title("Never".into())).await.unwrap();
    catno_db::tick_check(&mut tx, release_id, "cover_clean", "Ana").await.unwrap();
    drop(tx);
    assert_eq!(log(&db, release_id, since).await, Vec::new());
    assert_eq!(mark(&db).await, since);
}

#[tokio::test]
async fn transitions_keep_history_and_refuse_a_stale_from() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = catalog(&dir).await;
    db.set_actor("Rita");
    let mut tx = db.begin().await.unwrap();
    let t = catno_db::record_transition(
        &mut tx,
        release_id,
        WorkflowStatus::Draft,
        WorkflowStatus::InReview,
        "Rita",
        None,
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(t.audit_mark, mark(&db).await, "the status row is not a change since the transition");
    let status_rows: Vec<_> =
        log(&db, release_id, 0).await.into_iter().filter(|r| r.field == "status").collect();
    assert_eq!(status_rows[0].after.as_deref(), Some("\"InReview\""));

    let mut tx = db.begin().await.unwrap();
    let err = catno_db::record_transition(
        &mut tx,
        release_id,
        WorkflowStatus::Draft,
        WorkflowStatus::InReview,
        "Rita",
        None,
        None,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no longer Draft"), "{err}");
    drop(tx);
    let mut conn = db.read().await.unwrap();
    let history = catno_db::release_transitions(&mut conn, release_id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].from, history[0].to, history[0].actor.as_str()),
        (WorkflowStatus::Draft, WorkflowStatus::InReview, "Rita")
    );
    let queue = catno_db::releases_in_status(&mut conn, Some(WorkflowStatus::InReview), 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].by.as_deref(), Some("Rita"));
}

#[tokio::test]
async fn ticks_record_name_time_and_unticks_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = catalog(&dir).await;
    db.set_actor("Ana");
    let mut tx = db.begin().await.unwrap();
    catno_db::tick_check(&mut tx, release_id, "cover_clean", "Ana").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(catno_db::untick_check(&mut tx, release_id, "cover_clean").await.unwrap());
    assert!(!catno_db::untick_check(&mut tx, release_id, "cover_clean").await.unwrap());
    tx.commit().await.unwrap();
    let rows: Vec<_> =
        log(&db, release_id, 0).await.into_iter().filter(|r| r.field == "check:cover_clean").collect();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].before.as_deref(), rows[0].after.as_deref()), (Some("\"Ana\""), None));
    assert_eq!((rows[1].before.as_deref(), rows[1].after.as_deref()), (None, Some("\"Ana\"")));
}
