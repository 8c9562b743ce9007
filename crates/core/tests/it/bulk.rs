use catno_core::bulk::{BulkEdit, BulkItemKind, BulkTargets};
use catno_core::domain::ContributorRole;
use catno_core::rights::engine::{RightsEdit, Rule, TerritoryGroups, TrackKey, parse_territories};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

/// The demo's releases, most tracks first.
async fn release_ids(catalog: &Catalog) -> Vec<i64> {
    let mut page =
        catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await.unwrap().items;
    page.sort_by_key(|r| std::cmp::Reverse(r.track_count));
    page.into_iter().map(|r| r.id).collect()
}

fn set_release(field: &str, value: &str) -> BulkEdit {
    BulkEdit::SetReleaseField { field: field.into(), value: value.into() }
}

fn releases(ids: &[i64]) -> BulkTargets {
    BulkTargets::Releases { ids: ids.to_vec() }
}

#[tokio::test]
async fn a_field_set_on_three_releases_is_undone_to_the_exact_values() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let ids: Vec<i64> = release_ids(catalog).await.into_iter().take(3).collect();
    // Give them different genres first, one of them none.
    catalog.set_release_fields(ids[0], &[("genre".into(), "Electronic".into())]).await.unwrap();
    catalog.set_release_fields(ids[1], &[("genre".into(), "".into())]).await.unwrap();
    catalog.set_release_fields(ids[2], &[("genre".into(), "Jazz".into())]).await.unwrap();
    let before: Vec<_> = futures_genres(catalog, &ids).await;

    let preview =
        catalog.preview_bulk_edit(&releases(&ids), &set_release("genre", " Ambient ")).await.unwrap();
    assert_eq!(preview.changes.len(), 3, "{preview:#?}");
    assert!(preview.refusals.is_empty());
    assert_eq!(preview.changes[1].before, "");
    assert!(preview.changes.iter().all(|c| c.after == "Ambient" && c.field == "genre"));
    assert_eq!(futures_genres(catalog, &ids).await, before, "a preview changes nothing");

    let mut events = catalog.subscribe();
    let applied = catalog.apply_bulk_edit(&releases(&ids), &set_release("genre", "Ambient")).await.unwrap();
    assert_eq!(applied.undo.entries.len(), 3);
    assert_eq!(futures_genres(catalog, &ids).await, vec![Some("Ambient".to_owned()); 3]);
    let event = events.try_recv().unwrap();
    assert_eq!(event.ids, ids);

    // One transaction: every item's audit entry shares one change id.
    let mut change_ids = Vec::new();
    for id in &ids {
        let log = catalog.audit_log(*id).await.unwrap();
        let entry = log.iter().find(|e| e.field == "genre" && e.after.as_deref() == Some("Ambient")).unwrap();
        change_ids.push(entry.change_id);
    }
    assert!(change_ids.windows(2).all(|w| w[0] == w[1]), "{change_ids:?}");

    // Undo survives a reopen of the file: the record is all it needs.
    let path = catalog.path().to_owned();
    catalog.close().await;
    let catalog = Catalog::open(&path).await.unwrap();
    let undone = catalog.undo_bulk_edit(&applied.undo).await.unwrap();
    assert_eq!(undone.changes.len(), 3);
    assert_eq!(futures_genres(&catalog, &ids).await, before);
}

async fn futures_genres(catalog: &Catalog, ids: &[i64]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for id in ids {
        out.push(catalog.release(*id).await.unwrap().genre);
    }
    out
}

#[tokio::test]
async fn one_refused_item_refuses_the_whole_edit_and_names_it() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let ids: Vec<i64> = release_ids(catalog).await.into_iter().take(3).collect();
    let upcs: Vec<_> = {
        let mut out = Vec::new();
        for id in &ids {
            out.push(catalog.release(*id).await.unwrap().upc);
        }
        out
    };
    // A UPC is unique: the first release takes it, the next two are refused.
    let upc = "4006381333931";
    let preview = catalog.preview_bulk_edit(&releases(&ids), &set_release("upc", upc)).await.unwrap();
    assert_eq!(preview.changes.len(), 1, "{preview:#?}");
    assert_eq!(preview.refusals.len(), 2);
    assert_eq!(preview.refusals[0].item.id, ids[1]);
    assert_eq!(preview.refusals[0].field, "upc");

    let err = catalog.apply_bulk_edit(&releases(&ids), &set_release("upc", upc)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    let second = catalog.release(ids[1]).await.unwrap().title;
    assert!(err.to_string().contains(&format!("release \"{second}\" upc:")), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    for (id, upc) in ids.iter().zip(&upcs) {
        assert_eq!(&catalog.release(*id).await.unwrap().upc, upc, "release {id} kept its UPC");
    }

    // A value the editor refuses is refused with the editor's message, before any item.
    let single = catalog.set_release_fields(ids[0], &[("release_date".into(), "2024-02-30".into())]).await;
    let bulk = catalog.apply_bulk_edit(&releases(&ids), &set_release("release_date", "2024-02-30")).await;
    assert_eq!(bulk.unwrap_err().to_string(), single.unwrap_err().to_string());

    // A release that does not exist is a refusal naming it.
    let err = catalog
        .apply_bulk_edit(&releases(&[ids[0], 999_999]), &set_release("genre", "Pop"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("release 999999"), "{err}");
    assert_ne!(catalog.release(ids[0]).await.unwrap().genre.as_deref(), Some("Pop"));
}

#[tokio::test]
async fn undo_is_refused_when_an_item_changed_since() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let ids: Vec<i64> = release_ids(catalog).await.into_iter().take(2).collect();
    let original = catalog.release(ids[0]).await.unwrap().catalog_number;
    let applied =
        catalog.apply_bulk_edit(&releases(&ids), &set_release("catalog_number", "NLR-999")).await.unwrap();
    catalog.set_release_fields(ids[1], &[("catalog_number".into(), "HAND-1".into())]).await.unwrap();

    let err = catalog.undo_bulk_edit(&applied.undo).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().contains("changed since the bulk edit (now HAND-1)"), "{err}");
    // Nothing was undone, not even the item that had not changed.
    assert_eq!(catalog.release(ids[0]).await.unwrap().catalog_number.as_deref(), Some("NLR-999"));
    assert_eq!(catalog.release(ids[1]).await.unwrap().catalog_number.as_deref(), Some("HAND-1"));

    // Put the value back as the edit left it: undo works again.
    catalog.set_release_fields(ids[1], &[("catalog_number".into(), "NLR-999".into())]).await.unwrap();
    catalog.undo_bulk_edit(&applied.undo).await.unwrap();
    assert_eq!(catalog.release(ids[0]).await.unwrap().catalog_number, original);
}

#[tokio::test]
async fn contributors_are_added_to_and_removed_from_tracks() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let album = release_ids(catalog).await[0];
    let tracks: Vec<i64> = catalog.release_detail(album).await.unwrap().tracks.iter().map(|t| t.id).collect();
    let chosen = BulkTargets::Tracks { ids: tracks[..3].to_vec() };
    let add = BulkEdit::AddContributor { artist: "Mara Lind".into(), role: ContributorRole::Producer };
    let credited = |track: &catno_core::domain::Track| {
        track
            .contributors
            .iter()
            .filter(|c| c.artist_name == "Mara Lind" && c.role == ContributorRole::Producer)
            .count()
    };

    let applied = catalog.apply_bulk_edit(&chosen, &add).await.unwrap();
    assert_eq!(applied.preview.changes.len(), 3);
    assert!(
        applied.preview.changes[0].after.contains("Mara Lind (Producer)"),
        "{:?}",
        applied.preview.changes[0]
    );
    for id in &tracks[..3] {
        assert_eq!(credited(&catalog.track(*id).await.unwrap()), 1);
    }
    assert_eq!(credited(&catalog.track(tracks[3]).await.unwrap()), 0, "unselected tracks are untouched");

    // Adding again changes nothing: each track already has the credit.
    let again = catalog.preview_bulk_edit(&chosen, &add).await.unwrap();
    assert!(again.changes.is_empty());
    assert_eq!(again.unchanged.len(), 3);

    // Removing from four tracks changes the three that had it.
    let remove = BulkEdit::RemoveContributor { artist: "Mara Lind".into(), role: ContributorRole::Producer };
    let four = BulkTargets::Tracks { ids: tracks[..4].to_vec() };
    let removed = catalog.apply_bulk_edit(&four, &remove).await.unwrap();
    assert_eq!(removed.preview.changes.len(), 3);
    assert_eq!(removed.preview.unchanged.len(), 1);
    for id in &tracks[..4] {
        assert_eq!(credited(&catalog.track(*id).await.unwrap()), 0);
    }
    // Undoing the removal credits them again.
    catalog.undo_bulk_edit(&removed.undo).await.unwrap();
    for id in &tracks[..3] {
        assert_eq!(credited(&catalog.track(*id).await.unwrap()), 1);
    }

    let err = catalog
        .apply_bulk_edit(
            &chosen,
            &BulkEdit::AddContributor { artist: " ".into(), role: ContributorRole::Producer },
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("artist"));
}

#[tokio::test]
async fn a_label_change_moves_releases_and_undo_moves_them_back() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let labels = catalog.labels().await.unwrap();
    let target = labels.iter().find(|l| l.name == "Tidewater Sound").unwrap();
    let ids: Vec<i64> = release_ids(catalog).await.into_iter().take(4).collect();
    let mut before = Vec::new();
    for id in &ids {
        before.push(catalog.release(*id).await.unwrap().label_id);
    }

    let edit = BulkEdit::ChangeLabel { label_id: target.id };
    let preview = catalog.preview_bulk_edit(&releases(&ids), &edit).await.unwrap();
    let moving = before.iter().filter(|l| **l != target.id).count();
    assert_eq!(preview.changes.len(), moving);
    assert!(preview.changes.iter().all(|c| c.after == "Tidewater Sound" && c.before != c.after));
    assert_eq!(preview.unchanged.len(), ids.len() - moving);

    let applied = catalog.apply_bulk_edit(&releases(&ids), &edit).await.unwrap();
    for id in &ids {
        assert_eq!(catalog.release(*id).await.unwrap().label_id, target.id);
    }
    catalog.undo_bulk_edit(&applied.undo).await.unwrap();
    for (id, label) in ids.iter().zip(&before) {
        assert_eq!(catalog.release(*id).await.unwrap().label_id, *label);
    }

    let err = catalog.apply_bulk_edit(&releases(&ids), &BulkEdit::ChangeLabel { label_id: 424_242 }).await;
    assert_eq!(err.unwrap_err().code(), ErrorCode::NotFound);
    let err = catalog.apply_bulk_edit(&BulkTargets::Tracks { ids: vec![1] }, &edit).await.unwrap_err();
    assert!(err.to_string().contains("select releases"), "{err}");
}

#[tokio::test]
async fn a_territory_preset_replaces_release_rules_but_respects_the_subset_rule() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let ids: Vec<i64> = release_ids(catalog).await.into_iter().take(2).collect();
    let groups = TerritoryGroups::new();
    // The first release has a track cleared in Japan by name...
    let view = catalog.rights(ids[0]).await.unwrap();
    let track = TrackKey(view.tracks[0].track_id);
    let jp = Rule::include(parse_territories("JP", &groups).unwrap());
    catalog.edit_rights(ids[0], RightsEdit::AddTrackRule { track, rule: jp }).await.unwrap();
    // ...so excluding Japan from the release would leave that track more available than it.
    let europe = BulkEdit::ApplyTerritoryPreset { include: "".into(), exclude: "JP, KR".into() };
    let preview = catalog.preview_bulk_edit(&releases(&ids), &europe).await.unwrap();
    assert_eq!(preview.refusals.len(), 1, "{preview:#?}");
    assert_eq!(preview.refusals[0].item.id, ids[0]);
    assert_eq!(preview.refusals[0].item.kind, BulkItemKind::Release);
    assert_eq!(preview.changes.len(), 1);
    assert_eq!(preview.changes[0].before, "no rules (worldwide)");
    assert_eq!(
        preview.changes[0].after, "include Worldwide on all stores; exclude JP, KR on all stores",
        "{:?}",
        preview.changes[0]
    );
    assert!(preview.refusals[0].message.contains("JP"), "{:?}", preview.refusals[0]);
    let err = catalog.apply_bulk_edit(&releases(&ids), &europe).await.unwrap_err();
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert!(catalog.rights(ids[1]).await.unwrap().rights.release.is_empty());

    // A preset that contains Japan is fine for both, and undo restores the rules exactly.
    let asia = BulkEdit::ApplyTerritoryPreset { include: "JP, KR".into(), exclude: String::new() };
    let applied = catalog.apply_bulk_edit(&releases(&ids), &asia).await.unwrap();
    for id in &ids {
        let rules = catalog.rights(*id).await.unwrap().rights;
        assert_eq!(rules.release.len(), 1);
        assert_eq!(rules.release[0].describe(), "include JP, KR on all stores");
    }
    assert_eq!(catalog.rights(ids[0]).await.unwrap().rights.track_rules.len(), 1, "track rules are kept");
    catalog.undo_bulk_edit(&applied.undo).await.unwrap();
    for id in &ids {
        assert!(catalog.rights(*id).await.unwrap().rights.release.is_empty());
    }

    let bad = BulkEdit::ApplyTerritoryPreset { include: "EU".into(), exclude: "Atlantis".into() };
    assert_eq!(
        catalog.preview_bulk_edit(&releases(&ids), &bad).await.unwrap_err().code(),
        ErrorCode::Invalid
    );
}

#[tokio::test]
async fn a_track_field_on_releases_sets_every_track_of_them() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let album = release_ids(catalog).await[0];
    let tracks = catalog.release_detail(album).await.unwrap().tracks;
    let edit = BulkEdit::SetTrackField { field: "explicit".into(), value: "yes".into() };
    let applied = catalog.apply_bulk_edit(&releases(&[album]), &edit).await.unwrap();
    let explicit_before = tracks.iter().filter(|t| t.explicit).count();
    assert_eq!(applied.preview.changes.len(), tracks.len() - explicit_before);
    for track in &tracks {
        assert!(catalog.track(track.id).await.unwrap().explicit);
    }
    catalog.undo_bulk_edit(&applied.undo).await.unwrap();
    for track in &tracks {
        assert_eq!(catalog.track(track.id).await.unwrap().explicit, track.explicit);
    }
    let bad = BulkEdit::SetTrackField { field: "duration".into(), value: "3:75".into() };
    let single = catalog.set_track_fields(tracks[0].id, &[("duration".into(), "3:75".into())]).await;
    let bulk = catalog.preview_bulk_edit(&releases(&[album]), &bad).await;
    assert_eq!(bulk.unwrap_err().to_string(), single.unwrap_err().to_string());
}
