//! `ReleaseImporter`: new releases written in bulk are indexed, logged and queued as the
//! per-row triggers would have them, and the triggers are live again afterwards.
#![allow(clippy::unwrap_used)]

use catno_db::{ImportedRelease, ImportedTrack, ReleaseImporter};
use catno_domain::{ContributorRole, ParentalAdvisory, ReleaseEdit, ReleaseType, RightsLine, WriterRole};

fn release<'a>(
    title: &'a str,
    upc: &'a str,
    line: &'a RightsLine,
    tracks: Vec<ImportedTrack<'a>>,
) -> ImportedRelease<'a> {
    ImportedRelease {
        label_id: 1,
        title,
        version: None,
        display_artist: "Ana Ruiz",
        release_type: ReleaseType::Ep,
        upc: Some(upc),
        catalog_number: Some("NL-001"),
        p_line: Some(line),
        c_line: None,
        genre: Some("Electronic"),
        subgenre: None,
        release_date: Some("2026-03-01"),
        original_release_date: None,
        parental_advisory: ParentalAdvisory::Explicit,
        metadata_language: Some("en"),
        main_artist: "Ana Ruiz",
        tracks,
    }
}

fn track<'a>(
    number: i64,
    isrc: &'a str,
    title: &'a str,
    contributors: &'a [(ContributorRole, String)],
    writers: &'a [catno_db::ImportedWriter],
) -> ImportedTrack<'a> {
    ImportedTrack {
        disc: 1,
        number,
        isrc: Some(isrc),
        title,
        version: None,
        display_artist: "Ana Ruiz",
        duration_ms: Some(215_000),
        explicit: false,
        audio_language: Some("en"),
        contributors,
        writers,
    }
}

#[tokio::test]
async fn bulk_created_releases_are_searchable_logged_and_queued() {
    let dir = tempfile::tempdir().unwrap();
    let (db, existing, _) = crate::one_release_catalog(&dir, "Seeder").await;
    db.set_actor("Importer");
    let line = RightsLine { year: 2026, holder: "Northern Lights".into() };
    let credits =
        vec![(ContributorRole::MainArtist, "ana ruiz".to_owned()), (ContributorRole::Producer, "Kai".into())];
    let writers = vec![(WriterRole::Composer, "Ana Ruiz".to_owned(), Some("Acme".to_owned()), 10_000)];
    let rows = vec![
        release(
            "Night Lines",
            "5060123459999",
            &line,
            vec![
                track(1, "GBCTN2690001", "First Light", &credits, &writers),
                track(2, "GBCTN2690002", "Second Light", &credits, &[]),
            ],
        ),
        release("Day Lines", "5060123450001", &line, vec![track(1, "GBCTN2690003", "Noon", &credits, &[])]),
    ];
    let mut tx = db.begin().await.unwrap();
    let mut importer = ReleaseImporter::new("catalog.csv");
    let created = importer.create(&mut tx, &rows).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(created.len(), 2);
    assert_eq!(created[0].id, existing + 1);
    assert_eq!(created[0].track_ids.len(), 2);
    assert_eq!(created[1].track_ids, vec![created[0].track_ids[1] + 1]);
    let mut conn = db.read().await.unwrap();
    let stored = catno_db::get_release(&mut conn, created[0].id).await.unwrap();
    assert_eq!(stored.title, "Night Lines");
    assert_eq!(stored.catalog_number.as_deref(), Some("NL-001"));
    assert_eq!(stored.p_line, Some(line.clone()));
    assert_eq!(stored.parental_advisory, ParentalAdvisory::Explicit);
    assert_eq!(stored.artists.len(), 1);
    assert_eq!(stored.artists[0].artist_name, "Ana Ruiz", "matched ignoring case, not created");
    let first = catno_db::get_track(&mut conn, created[0].track_ids[0]).await.unwrap();
    assert_eq!(first.audio_language.as_deref(), Some("en"));
    let names: Vec<(&str, i64)> =
        first.contributors.iter().map(|c| (c.artist_name.as_str(), c.sequence)).collect();
    assert_eq!(names, [("Ana Ruiz", 1), ("Kai", 2)]);
    assert_eq!(first.writers[0].share_basis_points, 10_000);

    let hits = catno_db::search(&mut conn, "second light", 10).await.unwrap();
    assert!(hits.iter().any(|h| h.title == "Second Light"), "{hits:?}");
    let hits = catno_db::search(&mut conn, "NL001", 10).await.unwrap();
    assert_eq!(hits.iter().filter(|h| h.title.contains("Lines")).count(), 2, "{hits:?}");

    let audit = catno_db::release_audit(&mut conn, created[0].id, 0, 100).await.unwrap();
    let fields: Vec<(&str, Option<&str>, &str)> =
        audit.iter().map(|r| (r.field.as_str(), r.after.as_deref(), r.actor.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("imported", Some("\"2 track(s) from catalog.csv\""), "Importer"),
            ("created", Some("\"Night Lines\""), "Importer")
        ]
    );
    let outbox = catno_db::outbox_entries(&mut conn, None).await.unwrap();
    for new in &created {
        let saves: Vec<_> = outbox.iter().filter(|e| e.release_id == new.id).collect();
        assert_eq!(saves.len(), 1, "{outbox:?}");
        assert_eq!(saves[0].op, "save");
    }
    drop(conn);

    // The triggers are live again: the next edit is logged and queued row by row.
    let mut tx = db.begin().await.unwrap();
    catno_db::apply_release_edit(&mut tx, created[1].id, &ReleaseEdit::Genre(Some("Jazz".into())))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.read().await.unwrap();
    let audit = catno_db::release_audit(&mut conn, created[1].id, 0, 100).await.unwrap();
    assert_eq!(audit[0].field, "genre");
}

#[tokio::test]
async fn a_refused_bulk_write_leaves_the_flag_clear_for_the_next_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (db, release_id, _) = crate::one_release_catalog(&dir, "Seeder").await;
    let line = RightsLine { year: 2026, holder: "Northern Lights".into() };
    let credits =
        vec![(ContributorRole::MainArtist, "Kai".to_owned()), (ContributorRole::MainArtist, "KAI".into())];
    let rows = vec![release(
        "Night Lines",
        "5060123459999",
        &line,
        vec![track(1, "GBCTN2690001", "One", &credits, &[])],
    )];
    let mut tx = db.begin().await.unwrap();
    let err = ReleaseImporter::new("x.csv").create(&mut tx, &rows).await.unwrap_err();
    assert!(err.to_string().contains("already credited"), "{err}");
    let bulk: i64 = sqlx::query_scalar("SELECT bulk FROM audit_actor").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(bulk, 0, "cleared even when the write fails");
    drop(tx);

    let mut tx = db.begin().await.unwrap();
    catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Genre(Some("Jazz".into())))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let audit = catno_db::release_audit(&mut db.read().await.unwrap(), release_id, 0, 100).await.unwrap();
    assert_eq!(audit[0].field, "genre");
}
