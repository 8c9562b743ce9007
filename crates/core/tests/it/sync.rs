//! The sync engine against the in-process fake Revelator on 127.0.0.1: the demo catalog synced
//! whole, edits, deliveries, takedowns, conflicts and injected faults.

use std::sync::Arc;
use std::time::Duration;

use catno_core::delivery::DeliveryBackend;
use catno_core::delivery::revelator::RevelatorBackend;
use catno_core::jobs::Jobs;
use catno_core::sync::{SyncOptions, SyncReport, SyncState};
use catno_core::{Catalog, ReleaseQuery};
use catno_revelator::{ClientConfig, Credentials, RetryPolicy, RevelatorClient, Secret};
use catno_revelator_fake::{FakeConfig, FakeRevelator, Fault, FaultRule};
use catno_testkit::TempCatalog;

const KEY: &str = "partner-key-SECRET-0042";

fn backend(fake: &FakeRevelator) -> Arc<RevelatorBackend> {
    let mut config = ClientConfig::new(fake.base_url());
    config.retry = RetryPolicy {
        max_attempts: 6,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
    };
    config.request_timeout = Duration::from_secs(3);
    config.read_timeout = Duration::from_secs(3);
    let creds = Credentials { partner_api_key: Secret::new(KEY), partner_user_id: "northern-lights".into() };
    Arc::new(RevelatorBackend::new(Arc::new(RevelatorClient::new(config, creds).unwrap())))
}

async fn sync(catalog: &Catalog, backend: &Arc<RevelatorBackend>) -> SyncReport {
    let jobs = Jobs::new();
    let job = jobs.start("sync", 0);
    let backend: Arc<dyn DeliveryBackend> = backend.clone();
    catalog.sync(backend, &SyncOptions { concurrency: 4, ..SyncOptions::default() }, &job).await.unwrap()
}

async fn release_ids(catalog: &Catalog) -> Vec<(i64, String)> {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 1000 }).await.unwrap();
    page.items.into_iter().map(|r| (r.id, r.title)).collect()
}

async fn remote_titles(backend: &RevelatorBackend) -> Vec<String> {
    let mut titles: Vec<String> =
        backend.client().find_releases(None).await.unwrap().into_iter().map(|r| r.name).collect();
    titles.sort();
    titles
}

async fn local_titles(catalog: &Catalog) -> Vec<String> {
    let mut titles: Vec<String> = release_ids(catalog).await.into_iter().map(|(_, t)| t).collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn the_demo_catalog_syncs_whole_once_and_then_only_what_changed() {
    let temp = TempCatalog::demo().await;
    let fake = FakeRevelator::start(FakeConfig::default()).await.unwrap();
    let backend = backend(&fake);
    let releases = release_ids(&temp.catalog).await;

    let first = sync(&temp.catalog, &backend).await;
    let mut errors = Vec::new();
    for (id, _) in &releases {
        errors.extend(temp.catalog.release_sync(*id).await.unwrap().error);
    }
    assert_eq!(first.saved as usize, releases.len(), "{first:?} {errors:#?}");
    assert_eq!((first.failed, first.remaining), (0, 0), "{first:?}");
    assert_eq!(remote_titles(&backend).await, local_titles(&temp.catalog).await);
    for (id, state, remote_id) in temp.catalog.sync_states(None).await.unwrap() {
        assert_eq!(state, SyncState::Synced, "release {id}");
        assert!(remote_id.is_some(), "release {id} has its Revelator id");
    }

    let again = sync(&temp.catalog, &backend).await;
    assert_eq!(again.saved, 0, "nothing changed, nothing is sent: {again:?}");

    let (id, _) = releases[0].clone();
    temp.catalog.set_release_fields(id, &[("title".into(), "Renamed Offline".into())]).await.unwrap();
    assert_eq!(temp.catalog.release_sync(id).await.unwrap().state, SyncState::Pending);
    let edit = sync(&temp.catalog, &backend).await;
    assert_eq!(edit.saved, 1, "{edit:?}");
    let titles = remote_titles(&backend).await;
    assert!(titles.contains(&"Renamed Offline".to_owned()));
    assert_eq!(titles.len(), releases.len(), "an update is not a second release");
}

#[tokio::test]
async fn faults_leave_the_remote_equal_to_the_catalog_without_duplicates_or_secrets() {
    let temp = TempCatalog::demo().await;
    let fake = FakeRevelator::start(FakeConfig::default()).await.unwrap();
    let backend = backend(&fake);
    // The write happens, the answer is a 500: the engine must find the release, not create it twice.
    fake.push_fault(FaultRule::new(
        Some("POST"),
        "/content/release/save",
        Fault::ErrorAfterWrite { status: 500 },
    ))
    .unwrap();
    fake.push_fault(
        FaultRule::new(None, "/content/*", Fault::RateLimited { retry_after_seconds: 0 }).times(6),
    )
    .unwrap();
    fake.push_fault(FaultRule::new(None, "/content/release/*", Fault::TruncatedJson).times(1)).unwrap();
    fake.push_fault(FaultRule::new(None, "/media/*", Fault::ServerError { status: 503 }).times(2)).unwrap();

    let mut rounds = 0;
    loop {
        rounds += 1;
        if rounds == 2 {
            fake.expire_tokens();
        }
        let report = sync(&temp.catalog, &backend).await;
        if report.remaining == 0 {
            break;
        }
        assert!(rounds < 6, "sync does not converge: {report:?}");
    }
    assert_eq!(remote_titles(&backend).await, local_titles(&temp.catalog).await);
    for request in fake.requests() {
        let logged = format!("{request:?}");
        assert!(!logged.contains(KEY) || request.path.ends_with("/account/login"), "{logged}");
    }
    for id in release_ids(&temp.catalog).await.into_iter().map(|(id, _)| id) {
        let view = temp.catalog.release_sync(id).await.unwrap();
        assert!(view.error.as_deref().is_none_or(|e| !e.contains(KEY)));
    }
}

#[tokio::test]
async fn a_release_is_delivered_after_approval_and_taken_down_from_one_store() {
    let temp = TempCatalog::demo().await;
    let fake = FakeRevelator::start(FakeConfig::default()).await.unwrap();
    let backend = backend(&fake);
    sync(&temp.catalog, &backend).await;
    let stores = backend.stores().await.unwrap();
    let store = stores[0].id.clone();

    // The first release the fake's validation lets through.
    let mut delivered = None;
    for (id, _) in release_ids(&temp.catalog).await {
        temp.catalog.queue_delivery(id, std::slice::from_ref(&store)).await.unwrap();
        let report = sync(&temp.catalog, &backend).await;
        if report.delivered == 1 {
            delivered = Some(id);
            break;
        }
        let view = temp.catalog.release_sync(id).await.unwrap();
        assert_eq!(view.state, SyncState::Failed);
        assert!(view.error.is_some_and(|e| e.contains("refuses to deliver")), "the refusal is kept");
        assert!(view.remote_findings.iter().any(|f| f.blocking));
        // Drop the refused delivery so later rounds only deliver the next release.
        let failed = temp.catalog.release_sync(id).await.unwrap();
        assert_eq!(failed.pending.len(), 1);
        temp.catalog.cancel_pending_sync(id).await.unwrap();
    }
    let id = delivered.expect("the demo catalog has a release Revelator accepts");
    let remote_id: i64 = temp.catalog.release_sync(id).await.unwrap().remote_id.unwrap().parse().unwrap();
    let view = temp.catalog.release_sync(id).await.unwrap();
    assert_eq!(view.stores.len(), 1);

    fake.approve(remote_id).unwrap();
    fake.advance(remote_id).unwrap();
    fake.advance(remote_id).unwrap();
    let after = temp.catalog.refresh_delivery_status(backend.as_ref(), id).await.unwrap();
    let status = &after.stores[0];
    assert_eq!(status.store_id, store);
    assert_ne!(status.raw_status, view.stores[0].raw_status, "the status moved on: {after:?}");

    let live = loop {
        let view = temp.catalog.refresh_delivery_status(backend.as_ref(), id).await.unwrap();
        if view.stores[0].state == catno_core::delivery::DeliveryState::Live {
            break view.stores[0].clone();
        }
        fake.advance(remote_id).unwrap();
    };
    temp.catalog.queue_takedown(id, std::slice::from_ref(&store)).await.unwrap();
    let report = sync(&temp.catalog, &backend).await;
    assert_eq!(report.taken_down, 1, "{report:?}");
    let gone = temp.catalog.release_sync(id).await.unwrap();
    assert_eq!(gone.state, SyncState::Synced);
    assert_ne!(gone.stores[0].raw_status, live.raw_status, "the store left its live status: {gone:?}");
    assert_eq!(gone.stores[0].state, catno_core::delivery::DeliveryState::TakingDown, "{gone:?}");
    assert!(gone.pending.is_empty());
    // The store confirms: taken down, although the store still reports when it went live.
    fake.advance(remote_id).unwrap();
    let removed = temp.catalog.refresh_delivery_status(backend.as_ref(), id).await.unwrap();
    assert_eq!(removed.stores[0].state, catno_core::delivery::DeliveryState::TakenDown, "{removed:?}");
}

#[tokio::test]
async fn a_remote_edit_is_a_conflict_until_the_user_keeps_the_local_version() {
    let temp = TempCatalog::demo().await;
    let fake = FakeRevelator::start(FakeConfig::default()).await.unwrap();
    let backend = backend(&fake);
    sync(&temp.catalog, &backend).await;
    let (id, _) = release_ids(&temp.catalog).await[0].clone();
    let remote_id: i64 = temp.catalog.release_sync(id).await.unwrap().remote_id.unwrap().parse().unwrap();

    // Someone edits the release in Revelator's web UI.
    let client = backend.client();
    let mut remote = client.get_release(remote_id).await.unwrap();
    remote.name = "Edited In The Browser".into();
    client.save_release_raw(&remote).await.unwrap();

    temp.catalog.set_release_fields(id, &[("title".into(), "Edited In Catno".into())]).await.unwrap();
    let report = sync(&temp.catalog, &backend).await;
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert_eq!(temp.catalog.release_sync(id).await.unwrap().state, SyncState::Conflict);
    assert_eq!(client.get_release(remote_id).await.unwrap().name, "Edited In The Browser", "not overwritten");

    temp.catalog.keep_local_over_remote(id).await.unwrap();
    let report = sync(&temp.catalog, &backend).await;
    assert_eq!(report.saved, 1, "{report:?}");
    assert_eq!(client.get_release(remote_id).await.unwrap().name, "Edited In Catno");
    assert_eq!(temp.catalog.release_sync(id).await.unwrap().state, SyncState::Synced);
}

#[tokio::test]
async fn uploads_report_their_progress_on_the_sync_job() {
    let temp = TempCatalog::demo().await;
    let fake = FakeRevelator::start(FakeConfig::default()).await.unwrap();
    let backend: Arc<dyn DeliveryBackend> = backend(&fake);
    let jobs = Jobs::new();
    let mut events = jobs.subscribe();
    // What the UI's progress bar would show, read while the sync runs.
    let seen = tokio::spawn(async move {
        let mut messages = Vec::new();
        loop {
            match events.recv().await {
                Ok(event) if event.state.is_final() => return messages,
                Ok(event) => messages.push(event.message),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return messages,
            }
        }
    });
    let job = jobs.start("sync", 0);
    let options = SyncOptions { concurrency: 4, ..SyncOptions::default() };
    let report = temp.catalog.sync(backend, &options, &job).await.unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    job.finish(catno_core::jobs::JobState::Succeeded, "done");
    let messages = seen.await.unwrap();
    let uploads: Vec<&String> = messages.iter().filter(|m| m.contains(": uploading ")).collect();
    assert!(
        uploads.iter().any(|m| (m.contains(".wav") || m.contains(".flac")) && m.ends_with("(100 %)")),
        "a master's upload is reported by name to its end: {uploads:?}"
    );
    assert!(
        uploads.iter().any(|m| m.contains(" %)") && !m.ends_with("(100 %)")),
        "and on the way: {uploads:?}"
    );
}
