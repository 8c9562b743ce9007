use catno_core::domain::{ContributorRole, DspPlatform, SearchHitKind, WriterRole};
use catno_core::{Catalog, ChangedEntity, CreditTarget, ErrorCode, NewWriter, ReleaseQuery, TrackQuery};
use catno_testkit::TempCatalog;

async fn first_release(catalog: &Catalog) -> i64 {
    catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 1 }).await.unwrap().items[0].id
}

fn set(field: &str, value: &str) -> (String, String) {
    (field.to_owned(), value.to_owned())
}

#[tokio::test]
async fn the_demo_catalog_has_labels_releases_tracks_credits_and_media_on_disk() {
    let demo = TempCatalog::demo().await;
    let info = demo.catalog.info().await.unwrap();
    assert_eq!(info.labels, 3);
    assert_eq!(info.releases, 10);
    assert!(info.tracks >= 30, "{info:?}");
    let id = first_release(&demo.catalog).await;
    let detail = demo.catalog.release_detail(id).await.unwrap();
    assert!(detail.release.upc.is_some());
    assert!(!detail.release.artists.is_empty());
    assert!(!detail.tracks.is_empty());
    let track = demo.catalog.track(detail.tracks[0].id).await.unwrap();
    assert!(track.contributors.iter().any(|c| c.role == ContributorRole::Producer));
    assert_eq!(track.writers.iter().map(|w| w.share_basis_points).sum::<i64>(), 10_000);
    assert_eq!(detail.assets.len(), detail.tracks.len() + 1, "one cover plus one master per track");
    for asset in &detail.assets {
        let bytes = std::fs::read(&asset.path).unwrap();
        assert_eq!(bytes.len() as i64, asset.size_bytes, "{}", asset.path);
    }
    let folders = demo.catalog.media_folders().await.unwrap();
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(folders[0].starts_with(demo.dir().canonicalize().unwrap()));
}

#[tokio::test]
async fn a_multi_field_edit_is_all_or_nothing() {
    let demo = TempCatalog::demo().await;
    let id = first_release(&demo.catalog).await;
    let before = demo.catalog.release(id).await.unwrap();
    let err = demo
        .catalog
        .set_release_fields(id, &[set("title", "Half Saved"), set("upc", "036000291453")])
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(err.field(), Some("upc"));
    assert_eq!(demo.catalog.release(id).await.unwrap().title, before.title);

    // A failure inside the transaction (a UPC another release uses) rolls back earlier fields too.
    let other =
        demo.catalog.releases(&ReleaseQuery { label_id: None, offset: 1, limit: 1 }).await.unwrap().items[0]
            .clone();
    let err = demo
        .catalog
        .set_release_fields(id, &[set("title", "Half Saved"), set("upc", other.upc.as_deref().unwrap())])
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("upc"));
    assert!(err.to_string().contains(&other.title), "{err}");
    assert_eq!(demo.catalog.release(id).await.unwrap().title, before.title);
}

#[tokio::test]
async fn every_release_field_round_trips() {
    let demo = TempCatalog::demo().await;
    let id = first_release(&demo.catalog).await;
    let labels = demo.catalog.labels().await.unwrap();
    let release = demo
        .catalog
        .set_release_fields(
            id,
            &[
                set("title", "Night Drive"),
                set("version", "Deluxe Edition"),
                set("display_artist", "Aurora Vale & Jonas Eld"),
                set("title@ja-Jpan", "ナイトドライブ"),
                set("release_type", "ep"),
                set("upc", "0036000291452"),
                set("catalog_number", "NLR-999"),
                set("p_line", "℗ 2025 Northern Lights Records"),
                set("c_line", "2024 Aurora Vale"),
                set("genre", "Electronic"),
                set("subgenre", "Synthwave"),
                set("release_date", "2026-02-27"),
                set("original_release_date", "1999-12-31"),
                set("parental_advisory", "Explicit"),
                set("metadata_language", "EN"),
                set("label_id", &labels[2].id.to_string()),
            ],
        )
        .await
        .unwrap();
    let stored = demo.catalog.release(id).await.unwrap();
    assert_eq!(release, stored);
    assert_eq!(stored.title, "Night Drive");
    assert_eq!(stored.version.as_deref(), Some("Deluxe Edition"));
    assert_eq!(stored.localized_titles[0].language, "ja-Jpan");
    assert_eq!(stored.upc.as_ref().unwrap().as_str(), "0036000291452");
    assert_eq!(stored.p_line.as_ref().unwrap().year, 2025);
    assert_eq!(stored.c_line.as_ref().unwrap().holder, "Aurora Vale");
    assert_eq!(stored.metadata_language.as_deref(), Some("en"));
    assert_eq!(stored.label_id, labels[2].id);
    // Clearing optional fields.
    let cleared = demo
        .catalog
        .set_release_fields(id, &[set("version", ""), set("upc", ""), set("title@ja-Jpan", "")])
        .await
        .unwrap();
    assert_eq!(cleared.version, None);
    assert_eq!(cleared.upc, None);
    assert!(cleared.localized_titles.is_empty());
}

#[tokio::test]
async fn track_fields_credits_writers_and_positions() {
    let demo = TempCatalog::demo().await;
    let all = demo.catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 100 }).await.unwrap();
    let release_id = all.items.iter().find(|r| r.track_count >= 3).unwrap().id;
    let tracks = demo.catalog.tracks(&TrackQuery { release_id, offset: 0, limit: 100 }).await.unwrap();
    let track_id = tracks.items[0].id;

    let err = demo.catalog.set_track_fields(track_id, &[set("isrc", "GBCTN26")]).await.unwrap_err();
    assert_eq!(err.field(), Some("isrc"));
    let track = demo
        .catalog
        .set_track_fields(
            track_id,
            &[
                set("isrc", "us-rc1-76-07839"),
                set("duration", "4:05"),
                set("explicit", "yes"),
                set("title@es", "Primera Luz"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(track.isrc.unwrap().as_str(), "USRC17607839");
    assert_eq!(track.duration_ms, Some(245_000));
    assert!(track.explicit);
    assert_eq!(track.localized_titles[0].title, "Primera Luz");

    let target = CreditTarget::Track { id: track_id };
    let credits =
        demo.catalog.add_contributor(target, "DJ Nightdrive", ContributorRole::Remixer).await.unwrap();
    let added = credits.iter().find(|c| c.artist_name == "DJ Nightdrive").unwrap().clone();
    assert_eq!(added.sequence, credits.iter().map(|c| c.sequence).max().unwrap());
    let again =
        demo.catalog.add_contributor(target, "dj nightdrive", ContributorRole::Remixer).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::Conflict, "same artist (any case) and role twice");
    let credits = demo.catalog.remove_contributor(target, added.id).await.unwrap();
    assert!(credits.iter().all(|c| c.id != added.id));

    let over = demo
        .catalog
        .add_writer(
            track_id,
            &NewWriter {
                name: "Extra".into(),
                role: WriterRole::Lyricist,
                publisher: None,
                share_basis_points: 1,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(over.field(), Some("share"), "demo writers already hold 100 %");
    let writer_id = demo.catalog.track(track_id).await.unwrap().writers[0].id;
    let writers = demo.catalog.remove_writer(track_id, writer_id).await.unwrap();
    assert!(writers.iter().all(|w| w.id != writer_id));

    let second = tracks.items[1].id;
    let clash = demo.catalog.set_track_position(release_id, second, 1, 1).await.unwrap_err();
    assert_eq!(clash.code(), ErrorCode::Conflict);
    demo.catalog.set_track_position(release_id, second, 2, 1).await.unwrap();
    let moved = demo.catalog.tracks(&TrackQuery { release_id, offset: 0, limit: 100 }).await.unwrap();
    assert_eq!(moved.items.last().unwrap().id, second, "disc 2 sorts last");
    assert_eq!(demo.catalog.track_at(release_id, moved.total).await.unwrap(), second);
}

#[tokio::test]
async fn paging_and_label_filter() {
    let demo = TempCatalog::demo().await;
    let all = demo.catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 100 }).await.unwrap();
    assert_eq!(all.total, 10);
    let titles: Vec<String> = all.items.iter().map(|r| r.title.to_lowercase()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "releases are listed by title");
    let page = demo.catalog.releases(&ReleaseQuery { label_id: None, offset: 4, limit: 3 }).await.unwrap();
    assert_eq!(page.items, all.items[4..7]);
    let label = &demo.catalog.labels().await.unwrap()[0];
    let of_label = demo
        .catalog
        .releases(&ReleaseQuery { label_id: Some(label.id), offset: 0, limit: 100 })
        .await
        .unwrap();
    assert_eq!(of_label.total, label.release_count);
    assert!(of_label.items.iter().all(|r| r.label_id == label.id));
    let bad =
        demo.catalog.releases(&ReleaseQuery { label_id: None, offset: -1, limit: 10 }).await.unwrap_err();
    assert_eq!(bad.code(), ErrorCode::Invalid);
}

#[tokio::test]
async fn search_covers_titles_artists_isrc_upc_and_catalog_numbers() {
    let demo = TempCatalog::demo().await;
    let release = demo.catalog.release_detail(first_release(&demo.catalog).await).await.unwrap();
    let upc = release.release.upc.as_ref().unwrap().as_str().to_owned();
    let isrc = release.tracks[0].isrc.clone().unwrap();
    let kinds = |hits: &[catno_core::domain::SearchHit], id: i64, kind: SearchHitKind| {
        hits.iter().any(|h| h.id == id && h.kind == kind)
    };
    let hits = demo.catalog.search(&upc, 20).await.unwrap();
    assert!(kinds(&hits, release.release.id, SearchHitKind::Release), "UPC: {hits:?}");
    // One digit short of the serial: shorter prefixes match more than 20 demo tracks.
    let hits = demo.catalog.search(&isrc[..11], 20).await.unwrap();
    assert!(kinds(&hits, release.tracks[0].id, SearchHitKind::Track), "ISRC prefix: {hits:?}");
    let cat = release.release.catalog_number.clone().unwrap();
    let hits = demo.catalog.search(&cat.to_lowercase(), 20).await.unwrap();
    assert!(kinds(&hits, release.release.id, SearchHitKind::Release), "catalog number: {hits:?}");
    let hits = demo.catalog.search("cancion puerto", 20).await.unwrap();
    assert!(hits.iter().any(|h| h.title == "Canción del Puerto"), "diacritics folded: {hits:?}");
    let hits = demo.catalog.search("low tides", 50).await.unwrap();
    assert!(hits.iter().filter(|h| h.kind == SearchHitKind::Release).count() >= 2, "artist: {hits:?}");
    assert!(
        hits.iter().any(|h| h.kind == SearchHitKind::Artist && h.title == "The Low Tides") || hits.len() > 2
    );
    let hits = demo.catalog.search("夜明け前", 20).await.unwrap();
    assert!(hits.iter().any(|h| h.kind == SearchHitKind::Track), "CJK title: {hits:?}");
    assert!(demo.catalog.search("  ", 20).await.unwrap().is_empty());
    // Edits are searchable at once.
    demo.catalog.set_release_fields(release.release.id, &[set("title", "Zyxwv Unique")]).await.unwrap();
    let hits = demo.catalog.search("zyxw", 20).await.unwrap();
    assert!(kinds(&hits, release.release.id, SearchHitKind::Release));
}

#[tokio::test]
async fn dsp_artist_ids_are_format_checked_and_normalised() {
    let demo = TempCatalog::demo().await;
    let id = demo.catalog.release(first_release(&demo.catalog).await).await.unwrap().artists[0].artist_id;
    let err = demo
        .catalog
        .set_artist_dsp_id(id, DspPlatform::Spotify, "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(err.field(), Some("spotify"));
    let artist = demo
        .catalog
        .set_artist_dsp_id(
            id,
            DspPlatform::Spotify,
            "https://open.spotify.com/artist/1dfeR4HaWDbWqFHLkxsg1d?si=abc",
        )
        .await
        .unwrap();
    assert!(artist.dsp_ids.iter().any(|d| d.value == "1dfeR4HaWDbWqFHLkxsg1d"));
    let artist = demo.catalog.set_artist_dsp_id(id, DspPlatform::Spotify, "").await.unwrap();
    assert!(artist.dsp_ids.iter().all(|d| d.platform != DspPlatform::Spotify));
}

#[tokio::test]
async fn backup_is_a_catalog_with_the_same_content() {
    let demo = TempCatalog::demo().await;
    let dest = demo.dir().join("backup.sqlite");
    demo.catalog.backup_to(&dest).await.unwrap();
    let copy = Catalog::open(&dest).await.unwrap();
    let (a, b) = (demo.catalog.info().await.unwrap(), copy.info().await.unwrap());
    assert_eq!((a.labels, a.releases, a.tracks, a.artists), (b.labels, b.releases, b.tracks, b.artists));
    let err = demo.catalog.backup_to(&dest).await.unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
}

#[tokio::test]
async fn changes_are_announced_after_commit() {
    let demo = TempCatalog::demo().await;
    let mut feed = demo.catalog.subscribe();
    let id = first_release(&demo.catalog).await;
    demo.catalog.set_release_fields(id, &[set("genre", "Jazz")]).await.unwrap();
    let change = feed.recv().await.unwrap();
    assert_eq!((change.entity, change.ids), (ChangedEntity::Release, vec![id]));
    let _ = demo.catalog.set_release_fields(id, &[set("upc", "nope")]).await;
    assert!(feed.try_recv().is_err(), "a refused edit announces nothing");
}

#[tokio::test]
async fn create_refuses_an_existing_file_and_open_refuses_a_missing_one() {
    let demo = TempCatalog::empty().await;
    let err = Catalog::create(&demo.path()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    let err = Catalog::open(&demo.dir().join("missing.sqlite")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("missing.sqlite"));
}
