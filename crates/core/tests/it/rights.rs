use catno_core::rights::engine::{
    ReleaseRights, RightsEdit, Rule, RuleKind, StoreId, Territory, TrackKey, Use, parse_date,
    parse_territories,
};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

/// The demo release with the most tracks.
async fn album(catalog: &Catalog) -> i64 {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await.unwrap();
    page.items.iter().max_by_key(|r| r.track_count).unwrap().id
}

fn territories(text: &str) -> Vec<catno_core::rights::engine::TerritoryRef> {
    parse_territories(text, &catno_core::rights::engine::TerritoryGroups::new()).unwrap()
}

#[tokio::test]
async fn a_release_without_rules_is_available_worldwide() {
    let demo = TempCatalog::demo().await;
    let id = album(&demo.catalog).await;
    let view = demo.catalog.rights(id).await.unwrap();
    assert!(view.rights.release.is_empty());
    assert!(view.tracks.len() >= 4);
    let answer = demo
        .catalog
        .explain_rights(
            id,
            Some(2),
            Territory::parse("BR").unwrap(),
            StoreId::parse("deezer").unwrap(),
            Use::Download,
            parse_date("2030-01-01").unwrap(),
        )
        .await
        .unwrap();
    assert!(answer.decision.available, "{answer:?}");
    assert_eq!(answer.decision.decided_by, None);
}

#[tokio::test]
async fn rules_are_stored_and_decide_per_track_territory_and_store() {
    let demo = TempCatalog::demo().await;
    let id = album(&demo.catalog).await;
    let catalog = &demo.catalog;
    let exclude_jp = Rule::exclude(territories("JP, DE")).on_store(StoreId::parse("spotify").unwrap());
    catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule: exclude_jp }).await.unwrap();
    let view = catalog.rights(id).await.unwrap();
    let third = TrackKey(view.tracks[2].track_id);
    let embargo = Rule::include(territories("Worldwide")).starting(parse_date("2027-03-01").unwrap());
    catalog.edit_rights(id, RightsEdit::AddTrackRule { track: third, rule: embargo }).await.unwrap();

    // Reopen the file: what the user set survives.
    let path = catalog.path().to_owned();
    catalog.close().await;
    let catalog = Catalog::open(&path).await.unwrap();
    let view = catalog.rights(id).await.unwrap();
    assert_eq!(view.rights.release.len(), 1);
    assert_eq!(view.rights.release[0].kind, RuleKind::Exclude);
    assert_eq!(view.rights.rules_of(third).len(), 1);

    let ask = |track, territory: &str, store: &str, date: &str| {
        let catalog = catalog.clone();
        let (territory, store, date) =
            (Territory::parse(territory).unwrap(), StoreId::parse(store).unwrap(), parse_date(date).unwrap());
        async move {
            catalog
                .explain_rights(id, track, territory, store, Use::SubscriptionStream, date)
                .await
                .unwrap()
                .decision
        }
    };
    let jp_spotify = ask(Some(1), "JP", "spotify", "2027-06-01").await;
    assert!(!jp_spotify.available);
    assert!(jp_spotify.reason.contains("release rule #1"), "{}", jp_spotify.reason);
    assert!(ask(Some(1), "JP", "apple_music", "2027-06-01").await.available);
    let early = ask(Some(3), "FR", "apple_music", "2027-02-01").await;
    assert!(!early.available);
    assert!(early.reason.contains("2027-03-01"), "{}", early.reason);
    assert!(ask(Some(3), "FR", "apple_music", "2027-03-01").await.available);

    let grid =
        catalog.rights_grid(id, StoreId::parse("spotify").unwrap(), Use::SubscriptionStream).await.unwrap();
    let jp = grid.territories.iter().position(|t| t.code() == "JP").unwrap();
    let fr = grid.territories.iter().position(|t| t.code() == "FR").unwrap();
    assert_eq!(grid.track_rows.len(), view.tracks.len());
    assert_eq!(grid.track_rows[0][jp], 0, "JP is excluded on Spotify");
    assert_ne!(grid.track_rows[0][fr], 0);
    let third_fr = grid.windows[grid.track_rows[2][fr] as usize - 1];
    assert_eq!(third_fr.start, Some(parse_date("2027-03-01").unwrap()));
}

#[tokio::test]
async fn a_track_cannot_be_made_more_available_than_its_release() {
    let demo = TempCatalog::demo().await;
    let id = album(&demo.catalog).await;
    let catalog = &demo.catalog;
    catalog
        .edit_rights(id, RightsEdit::AddReleaseRule { rule: Rule::exclude(territories("JP")) })
        .await
        .unwrap();
    let view = catalog.rights(id).await.unwrap();
    let second = TrackKey(view.tracks[1].track_id);
    let err = catalog
        .edit_rights(id, RightsEdit::AddTrackRule { track: second, rule: Rule::include(territories("JP")) })
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    let message = err.to_string();
    assert!(message.contains("track 2") && message.contains("JP"), "{message}");
    assert!(catalog.rights(id).await.unwrap().rights.rules_of(second).is_empty(), "nothing was saved");

    // A whole replacement that adds a violation is refused too, and leaves the rules as they were.
    let mut next = ReleaseRights::new([]);
    next.release.push(Rule::exclude(territories("JP")));
    next.rules_of_mut(second).push(Rule::include(territories("JP")));
    assert!(catalog.replace_rights(id, next).await.is_err());
    assert_eq!(catalog.rights(id).await.unwrap().rights.release.len(), 1);
}

#[tokio::test]
async fn user_groups_are_stored_and_rules_follow_their_definition() {
    let demo = TempCatalog::demo().await;
    let id = album(&demo.catalog).await;
    let catalog = &demo.catalog;
    catalog.define_territory_group("Launch", &["JP".into(), "KR".into()]).await.unwrap();
    let groups = catalog.rights_inputs(id).await.unwrap().1;
    let rule = Rule::exclude(parse_territories("Launch", &groups).unwrap());
    catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule }).await.unwrap();
    let ask = |code: &str| {
        let catalog = catalog.clone();
        let territory = Territory::parse(code).unwrap();
        async move {
            catalog
                .explain_rights(
                    id,
                    None,
                    territory,
                    StoreId::parse("tidal").unwrap(),
                    Use::Download,
                    parse_date("2030-01-01").unwrap(),
                )
                .await
                .unwrap()
                .decision
                .available
        }
    };
    assert!(!ask("KR").await);
    assert!(ask("TW").await);
    catalog.define_territory_group("launch", &["JP".into(), "TW".into()]).await.unwrap();
    assert!(ask("KR").await, "redefining the group changes the rule's reach");
    assert!(!ask("TW").await);

    let err = catalog.define_territory_group("Bad", &["JP".into(), "ZZ".into()]).await.unwrap_err();
    assert!(err.to_string().contains("ZZ"), "{err}");
}
