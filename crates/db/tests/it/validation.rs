//! The validation loader: a page of releases read together is exactly those releases read one
//! by one, whatever the page holds (shared tracks, credits, writers, titles, audio, rights).

use catno_db::{Db, LoadedRelease, OpenMode};

/// A catalog of five releases whose per-track rows were written out of order: a track on two
/// releases, credits and writers inserted against their sequence, two audio files for one
/// track (the lower asset id is its audio) and artwork that is not audio.
async fn catalog(dir: &tempfile::TempDir) -> Db {
    let db = Db::open(&dir.path().join("c.sqlite"), OpenMode::CreateIfMissing).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO labels (id, name) VALUES (1, 'Label');
         INSERT INTO artists (id, name) VALUES (1, 'Beyoncé'), (2, 'The Band & Co'), (3, 'Nils Frahm');
         INSERT INTO releases (id, label_id, title, display_artist, upc) VALUES
             (1, 1, 'One', 'Beyoncé', '5012345678900'), (2, 1, 'Two', 'The Band & Co', NULL),
             (3, 1, 'Three', 'Nils Frahm', NULL), (5, 1, 'Five', 'Nils Frahm', '5012345678900'),
             (6, 1, 'Six, no tracks', 'Nils Frahm', NULL);
         INSERT INTO release_localized_titles (release_id, language, title) VALUES
             (2, 'ja', 'ツー'), (2, 'de', 'Zwei');
         INSERT INTO release_artists (release_id, artist_id, role, sequence) VALUES
             (1, 1, 'MainArtist', 1), (2, 3, 'FeaturedArtist', 2), (2, 2, 'MainArtist', 1);
         INSERT INTO tracks (id, isrc, title, version, display_artist, duration_ms, explicit, audio_language)
         VALUES (1, 'GBAAA2600001', 'Alpha', NULL, 'Beyoncé', 180000, 0, NULL),
                (2, 'GBAAA2600002', 'Beta', 'Radio Edit', 'Beyoncé', NULL, 1, 'en'),
                (3, NULL, 'Gamma', NULL, 'The Band & Co', 200000, 0, NULL),
                (4, 'GBAAA2600004', 'Delta ft. Nils', NULL, 'The Band & Co', 1000, 0, 'de'),
                (5, 'GBAAA2600001', 'Epsilon', NULL, 'Nils Frahm', 5000, 0, NULL);
         INSERT INTO release_tracks (release_id, track_id, disc_number, track_number) VALUES
             (1, 2, 1, 2), (1, 1, 1, 1), (2, 4, 2, 1), (2, 3, 1, 1), (3, 4, 1, 1), (5, 5, 1, 1);
         INSERT INTO track_contributors (id, track_id, artist_id, role, sequence) VALUES
             (1, 4, 3, 'FeaturedArtist', 2), (2, 4, 2, 'MainArtist', 1), (3, 1, 1, 'Producer', 1);
         INSERT INTO track_writers (id, track_id, name, role, publisher, share_basis_points, sequence) VALUES
             (1, 4, 'B Writer', 'Lyricist', NULL, 5000, 2), (2, 4, 'A Writer', 'Composer', 'Pub', 5000, 1);
         INSERT INTO track_localized_titles (track_id, language, title) VALUES (4, 'ja', 'デルタ'), (4, 'fr', 'Delta');
         INSERT INTO assets (id, kind, path, sha256, size_bytes, release_id, track_id) VALUES
             (9, 'Audio', 'b.wav', 'bbbb', 1, NULL, 4), (7, 'Audio', 'a.wav', 'aaaa', 1, NULL, 4),
             (8, 'Artwork', 'c.jpg', 'cccc', 1, 1, 1);
         INSERT INTO rights_rules (release_id, track_id, sequence, kind, territories) VALUES
             (3, NULL, 1, 'include', 'Worldwide');",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db
}

fn summary(loaded: &[LoadedRelease]) -> Vec<String> {
    loaded.iter().map(|l| format!("{l:?}")).collect()
}

#[tokio::test]
async fn a_page_of_releases_is_each_release_read_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = catalog(&dir).await;
    let mut conn = db.read().await.unwrap();
    let page = catno_db::load_releases_in_range(&mut conn, 1, 6).await.unwrap();
    let mut alone = Vec::new();
    for id in 1..=6 {
        alone.extend(catno_db::load_releases_in_range(&mut conn, id, id).await.unwrap());
    }
    assert_eq!(summary(&page), summary(&alone));
    assert_eq!(page.iter().map(|l| l.release.id).collect::<Vec<_>>(), [1, 2, 3, 5, 6]);

    let by_id = |id: i64| page.iter().find(|l| l.release.id == id).unwrap();
    let two = by_id(2);
    assert_eq!(
        two.release.localized_titles.iter().map(|t| t.language.as_str()).collect::<Vec<_>>(),
        ["de", "ja"]
    );
    assert_eq!(two.release.artists.iter().map(|a| a.artist_id).collect::<Vec<_>>(), [2, 3]);
    // Running order: disc 1 before disc 2.
    assert_eq!(two.tracks.iter().map(|t| t.id).collect::<Vec<_>>(), [3, 4]);
    let delta = &two.tracks[1];
    assert_eq!(delta.contributors.iter().map(|c| c.artist_id).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(delta.writers.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["A Writer", "B Writer"]);
    assert_eq!(delta.writers[0].publisher.as_deref(), Some("Pub"));
    assert_eq!(delta.writers[1].publisher, None);
    assert_eq!(delta.localized_titles.iter().map(|t| t.language.as_str()).collect::<Vec<_>>(), ["fr", "ja"]);
    assert_eq!(two.audio_sha256, [None, Some("aaaa".to_owned())]);
    // The track shared with release 3 carries the same credits there.
    let three = by_id(3);
    assert_eq!(format!("{:?}", three.tracks), format!("{:?}", std::slice::from_ref(delta)));
    assert_eq!(three.audio_sha256, [Some("aaaa".to_owned())]);
    assert!(three.has_rights_rules && !two.has_rights_rules);

    let one = by_id(1);
    assert_eq!(one.tracks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["Alpha", "Beta"]);
    assert_eq!(one.tracks[1].version.as_deref(), Some("Radio Edit"));
    assert_eq!(one.tracks[1].duration_ms, None);
    assert!(one.tracks[1].explicit && !one.tracks[0].explicit);
    assert_eq!(one.tracks[1].audio_language.as_deref(), Some("en"));
    assert_eq!(one.audio_sha256, [None, None], "artwork is not audio");
    assert!(by_id(6).tracks.is_empty());
    assert!(catno_db::load_releases_in_range(&mut conn, 7, 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn catalog_wide_context_reads_every_name_and_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let db = catalog(&dir).await;
    let mut conn = db.read().await.unwrap();
    let mut names = catno_db::all_artist_names(&mut conn).await.unwrap();
    names.sort();
    assert_eq!(names, ["Beyoncé", "Nils Frahm", "The Band & Co"]);
    let mut upcs = catno_db::duplicate_release_upcs(&mut conn).await.unwrap();
    upcs.sort();
    assert_eq!(upcs, [(1, "5012345678900".to_owned()), (5, "5012345678900".to_owned())]);
    let mut isrcs = catno_db::duplicate_track_isrcs(&mut conn).await.unwrap();
    isrcs.sort();
    assert_eq!(isrcs, [(1, "GBAAA2600001".to_owned(), None), (5, "GBAAA2600001".to_owned(), None)]);
}
