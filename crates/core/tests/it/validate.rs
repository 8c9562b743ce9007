use std::time::Instant;

use catno_core::rights::engine::{RightsEdit, Rule, TerritoryGroups, TrackKey, parse_territories};
use catno_core::validate::{Severity, ValidationReport, validation_profiles, validation_rules};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

/// The demo release with the most tracks.
async fn album(catalog: &Catalog) -> i64 {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await.unwrap();
    page.items.iter().max_by_key(|r| r.track_count).unwrap().id
}

fn has_rule(report: &ValidationReport, rule: &str) -> bool {
    report.findings.iter().any(|f| f.rule_id == rule)
}

#[tokio::test]
async fn feat_spelling_is_found_and_its_autofix_fixes_it() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = album(catalog).await;
    let track = catalog.track_at(id, 1).await.unwrap();
    catalog.set_track_fields(track, &[("title".into(), "Song ft. X".into())]).await.unwrap();

    let report = catalog.validate_release(id, "spotify").await.unwrap();
    let finding = report.findings.iter().find(|f| f.rule_id == "STYLE-FEAT-FORMAT").expect("feat finding");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.field, "track[1].title");
    assert_eq!(finding.value, "Song ft. X");
    let fix = finding.autofix.clone().expect("autofix");
    assert_eq!(fix.field, format!("track:{track}.title"));
    assert_eq!(fix.new_value, "Song (feat. X)");
    assert!(report.errors >= 1);

    catalog.apply_autofix(id, finding).await.unwrap();
    assert_eq!(catalog.track(track).await.unwrap().title, "Song (feat. X)");
    let after = catalog.validate_release(id, "spotify").await.unwrap();
    assert!(!has_rule(&after, "STYLE-FEAT-FORMAT"), "{:#?}", after.findings);
    // X is still not credited as FeaturedArtist.
    assert!(after.findings.iter().any(|f| f.rule_id == "STYLE-FEAT-MATCH" && f.field == "track[1].title"));
}

#[tokio::test]
async fn version_text_moves_into_the_version_field() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = album(catalog).await;
    let track = catalog.track_at(id, 2).await.unwrap();
    catalog
        .set_track_fields(
            track,
            &[("title".into(), "Night Run (Radio Edit)".into()), ("version".into(), String::new())],
        )
        .await
        .unwrap();
    let report = catalog.validate_release(id, "generic").await.unwrap();
    let finding =
        report.findings.iter().find(|f| f.rule_id == "STYLE-VERSION-IN-TITLE").expect("version finding");
    assert_eq!(finding.field, "track[2].title");
    catalog.apply_autofix(id, finding).await.unwrap();
    let fixed = catalog.track(track).await.unwrap();
    assert_eq!((fixed.title.as_str(), fixed.version.as_deref()), ("Night Run", Some("Radio Edit")));
}

#[tokio::test]
async fn a_duplicate_upc_across_two_releases_is_found() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = album(catalog).await;
    let release = catalog.release(id).await.unwrap();
    let upc = release.upc.clone().expect("demo album has a UPC");
    // The editor refuses a UPC in use, but imports and old catalogs can hold duplicates.
    let db = catno_db::Db::open(&demo.path(), catno_db::OpenMode::Existing).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let copy = catno_db::insert_release(
        &mut tx,
        &catno_db::NewRelease {
            label_id: release.label_id,
            title: "Copy",
            display_artist: "Someone",
            release_type: catno_core::domain::ReleaseType::Single,
            upc: Some(upc.as_str()),
            catalog_number: None,
            release_date: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db.close().await;

    let report = catalog.validate_release(id, "generic").await.unwrap();
    let dup = report.findings.iter().find(|f| f.rule_id == "ID-UPC-DUPLICATE").expect("duplicate UPC");
    assert_eq!(dup.field, "release.upc");
    assert_eq!(dup.value, upc.as_str());
    assert!(dup.message.contains(&copy.to_string()), "{}", dup.message);

    let all = catalog.validate_all("generic").await.unwrap();
    let flagged: Vec<i64> = all
        .iter()
        .filter(|r| r.findings.iter().any(|f| f.rule_id == "ID-UPC-DUPLICATE"))
        .map(|r| r.release_id)
        .collect();
    assert_eq!(flagged, vec![id, copy]);
}

#[tokio::test]
async fn a_track_excluded_worldwide_has_no_availability() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = album(catalog).await;
    let view = catalog.rights(id).await.unwrap();
    let third = TrackKey(view.tracks[2].track_id);
    let worldwide = parse_territories("Worldwide", &TerritoryGroups::new()).unwrap();
    catalog
        .edit_rights(id, RightsEdit::AddTrackRule { track: third, rule: Rule::exclude(worldwide) })
        .await
        .unwrap();

    let report = catalog.validate_release(id, "generic").await.unwrap();
    let unavailable: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "RIGHTS-TRACK-UNAVAILABLE")
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(unavailable, ["track[3].rights"]);
    assert!(report.errors >= 1);
}

#[tokio::test]
async fn whole_catalog_validation_matches_per_release_and_is_fast() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let info = catalog.info().await.unwrap();
    let all = catalog.validate_all("apple_music").await.unwrap();
    assert_eq!(all.len() as i64, info.releases);
    for report in &all {
        assert_eq!(report.profile, "apple_music");
        let single = catalog.validate_release(report.release_id, "apple_music").await.unwrap();
        assert_eq!(&single, report, "release {}", report.release_id);
    }
    let id = album(catalog).await;
    let started = Instant::now();
    catalog.validate_release(id, "spotify").await.unwrap();
    let elapsed = started.elapsed();
    // The target is ≤ 10 ms in release builds; leave room for unoptimised test builds.
    assert!(elapsed.as_millis() < 200, "{elapsed:?}");
}

#[tokio::test]
async fn profiles_and_rules_are_listed_and_unknown_profiles_refused() {
    assert!(validation_profiles().iter().any(|p| p.id == "tiktok"));
    assert!(validation_rules().iter().any(|r| r.id == "ID-UPC-CHECK"));
    let demo = TempCatalog::demo().await;
    let id = album(&demo.catalog).await;
    let error = demo.catalog.validate_release(id, "napster").await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.to_string().contains("napster"));
    let missing = demo.catalog.validate_release(9999, "generic").await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}
