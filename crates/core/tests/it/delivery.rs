//! The Revelator delivery backend end to end: a real demo catalog, the in-process fake
//! Revelator on 127.0.0.1.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use catno_core::delivery::revelator::RevelatorBackend;
use catno_core::delivery::{AssetProgress, DeliveryBackend, DeliveryState, PushOutcome, RemoteRef};
use catno_core::rights::engine::{RightsEdit, Rule, TerritoryGroups, parse_territories};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_revelator::{ClientConfig, Credentials, RetryPolicy, RevelatorClient, Secret};
use catno_revelator_fake::{FakeConfig, FakeRevelator, StoreProfile};
use catno_testkit::TempCatalog;

async fn polar_night(catalog: &Catalog) -> i64 {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 100 }).await.unwrap();
    page.items.iter().find(|r| r.title == "Polar Night").unwrap().id
}

async fn backend(fake: &FakeRevelator) -> RevelatorBackend {
    let mut config = ClientConfig::new(fake.base_url());
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(2),
    };
    let creds =
        Credentials { partner_api_key: Secret::new("k-1"), partner_user_id: "northern-lights".into() };
    RevelatorBackend::new(Arc::new(RevelatorClient::new(config, creds).unwrap()))
}

fn push(outcome: PushOutcome) -> (RemoteRef, Vec<String>) {
    match outcome {
        PushOutcome::Pushed { remote, warnings } => (remote, warnings),
        PushOutcome::NeedsRedelivery(r) => panic!("unexpected redelivery: {r:?}"),
    }
}

#[tokio::test]
async fn a_demo_release_uploads_once_pushes_idempotently_and_keeps_its_files() {
    let temp = TempCatalog::demo().await;
    let id = polar_night(&temp.catalog).await;
    let fake =
        FakeRevelator::start(FakeConfig { store_profile: StoreProfile::NonObvious, ..FakeConfig::default() })
            .await
            .unwrap();
    let backend = backend(&fake).await;
    let package = temp.catalog.delivery_package(id).await.unwrap();
    assert!(package.artwork.is_some());
    assert!(package.tracks.iter().all(|t| t.audio.is_some()));

    let progress: Arc<Mutex<Vec<AssetProgress>>> = Arc::default();
    let sink = progress.clone();
    let remote = backend
        .upload_assets(&package, &RemoteRef::default(), Some(Arc::new(move |p| sink.lock().unwrap().push(p))))
        .await
        .unwrap();
    assert_eq!(remote.files.len(), 1 + package.tracks.len());
    let cover_asset = package.artwork.as_ref().unwrap();
    let last =
        progress.lock().unwrap().iter().rfind(|p| p.asset_id == cover_asset.asset_id).copied().unwrap();
    assert_eq!(last.sent, cover_asset.size_bytes as u64);
    let uploads =
        |fake: &FakeRevelator| fake.requests().iter().filter(|r| r.path.starts_with("/media/")).count();
    assert_eq!(uploads(&fake), 1 + package.tracks.len());
    // Unchanged files are not sent again.
    let again = backend.upload_assets(&package, &remote, None).await.unwrap();
    assert_eq!(again, remote);
    assert_eq!(uploads(&fake), 1 + package.tracks.len());

    let (remote, warnings) = push(backend.push_release(&package, &remote).await.unwrap());
    assert!(warnings.iter().all(|w| !w.contains("did not read back")), "{warnings:?}");
    assert_eq!(remote.tracks.len(), package.tracks.len());
    let create = fake.requests().into_iter().find(|r| r.path == "/content/release/save").unwrap();
    let body = create.json().unwrap();
    assert_eq!(body["name"], "Polar Night");
    assert_eq!(body["upc"], serde_json::json!(package.release.upc.as_ref().unwrap().as_str()));
    // Roles and genre ids come from the account's lookups.
    assert_eq!(body["primaryMusicStyleId"], 12);
    assert!(body["tracks"][0]["composerContentsDTO"].as_array().is_some_and(|w| w.len() == 2));

    // Same state again: the same release, same tracks, nothing new.
    let (same, _) = push(backend.push_release(&package, &remote).await.unwrap());
    assert_eq!(same, remote);

    // An edit in the catalog reaches Revelator without re-sending files, and nothing is lost.
    temp.catalog
        .set_release_fields(id, &[("title".into(), "Polar Night (Remastered)".into())])
        .await
        .unwrap();
    let edited = temp.catalog.delivery_package(id).await.unwrap();
    let (after, _) = push(backend.push_release(&edited, &remote).await.unwrap());
    assert_eq!(after.release_id, remote.release_id);
    for file_id in remote.files.values() {
        assert!(fake.file_exists(file_id), "{file_id} was deleted by the save");
    }
    assert_eq!(uploads(&fake), 1 + package.tracks.len());

    let findings = backend.validate_remote(&after).await.unwrap();
    for f in findings.iter().filter(|f| f.message.to_lowercase().contains("track")) {
        assert!(f.track_id.is_none_or(|t| package.tracks.iter().any(|p| p.track.id == t)));
    }
    let stores = backend.stores().await.unwrap();
    let spotify = stores.iter().find(|s| s.name == "Spotify").unwrap().id.clone();
    assert_eq!(spotify, "507");

    let blocking: Vec<_> = findings.iter().filter(|f| f.blocking).collect();
    assert!(blocking.is_empty(), "the demo release should pass Revelator's checks: {blocking:?}");
    let statuses = backend.deliver(&edited, &after, std::slice::from_ref(&spotify)).await.unwrap();
    let state = statuses.iter().find(|s| s.store_id == spotify).unwrap();
    assert_eq!(state.state, DeliveryState::Locked);
    let log = fake.requests();
    let retail = log.iter().position(|r| r.path == "/content/release/retail/save").unwrap();
    let queue = log.iter().position(|r| r.path == "/distribution/release/addtoqueue").unwrap();
    assert!(retail < queue, "the V1 retail save goes first");
    assert_eq!(log[retail].json().unwrap()["saleStartDate"], serde_json::json!(edited.release.release_date));
    // A track edit while locked is a redelivery plan, not a save.
    let track = edited.tracks[0].track.id;
    temp.catalog.set_track_fields(track, &[("title".into(), "First Light (Edit)".into())]).await.unwrap();
    let locked = temp.catalog.delivery_package(id).await.unwrap();
    match backend.push_release(&locked, &after).await.unwrap() {
        PushOutcome::NeedsRedelivery(plan) => {
            assert_eq!(plan.edits[0].track_id, Some(track));
            assert_eq!(plan.locked_stores[0].store_id, spotify);
        }
        PushOutcome::Pushed { .. } => panic!("a locked track was saved"),
    }
}

#[tokio::test]
async fn narrowed_territories_are_refused_not_sent_worldwide() {
    let temp = TempCatalog::demo().await;
    let id = polar_night(&temp.catalog).await;
    let exclude_jp = Rule::exclude(parse_territories("JP", &TerritoryGroups::new()).unwrap());
    temp.catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule: exclude_jp }).await.unwrap();
    let package = temp.catalog.delivery_package(id).await.unwrap();
    let err = catno_core::delivery::revelator::sale_start_for(&package).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.to_string().contains("territor"), "{err}");

    let worldwide = TempCatalog::demo().await;
    let id = polar_night(&worldwide.catalog).await;
    let package = worldwide.catalog.delivery_package(id).await.unwrap();
    let start = catno_core::delivery::revelator::sale_start_for(&package).unwrap();
    assert_eq!(start.as_deref(), package.release.release_date.as_deref());
}
