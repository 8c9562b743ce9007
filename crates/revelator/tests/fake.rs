//! Contract tests against the in-process fake Revelator (crates/revelator-fake) on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use catno_revelator::wire::{self, AudioFile, Image, RecordingVersion, Release, Track};
use catno_revelator::{
    ClientConfig, Credentials, ReleaseDraft, RetryPolicy, RevelatorClient, RevelatorError, SaveOutcome,
    Secret,
};
use catno_revelator_fake::{
    AuthTransport, ErrorFormat, FakeConfig, FakeRevelator, Fault, FaultRule, StoreProfile, UpcMode,
    ValidateShape,
};
use serde_json::json;

const KEY: &str = "partner-key-SECRET-4711";

fn client_for(fake: &FakeRevelator) -> RevelatorClient {
    let mut config = ClientConfig::new(fake.base_url());
    config.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(3),
    };
    config.request_timeout = Duration::from_secs(5);
    config.read_timeout = Duration::from_secs(5);
    RevelatorClient::new(
        config,
        Credentials { partner_api_key: Secret::new(KEY), partner_user_id: "label-1".into() },
    )
    .unwrap()
}

async fn start(config: FakeConfig) -> (FakeRevelator, RevelatorClient) {
    let fake = FakeRevelator::start(config).await.unwrap();
    let client = client_for(&fake);
    (fake, client)
}

fn logins(fake: &FakeRevelator) -> usize {
    fake.requests().iter().filter(|r| r.path.ends_with("/account/login")).count()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: usize) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let mut content = Vec::with_capacity(bytes);
    for i in 0..bytes {
        content.push((i % 251) as u8);
    }
    std::fs::write(&path, content).unwrap();
    path
}

/// A draft as core would build it: ids resolved through the lookups.
async fn draft(
    client: &RevelatorClient,
    upc: Option<&str>,
    cover: Option<String>,
    audio: &[Option<String>],
) -> ReleaseDraft {
    let l = client.lookups().await.unwrap();
    let en = l.language("en").and_then(|x| x.language_id);
    let producer = l.contributor_role("Producer", Some(3)).and_then(|r| r.role_id);
    let primary = l.contributor_role("MainArtist", None).and_then(|r| r.role_id);
    let tracks = audio
        .iter()
        .enumerate()
        .map(|(i, file)| Track {
            name: format!("Song {}", i + 1),
            artist_name: Some("The Testers".into()),
            language_id: en,
            explicit: Some(false),
            track_number: Some(i as i64 + 1),
            track_properties: l.track_property_none().map(|p| vec![p.id]).unwrap_or_default(),
            contributors: vec![
                wire::Contributor {
                    role_id: primary,
                    artist: Some(wire::ContributorArtist {
                        name: "The Testers".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                wire::Contributor {
                    role_id: producer,
                    artist: Some(wire::ContributorArtist {
                        name: "Pat Producer".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ],
            isrc: Some(format!("GBAAA26000{:02}", i + 1)),
            track_recording_versions: vec![RecordingVersion {
                recording_version_type: Some(1),
                isrc: Some(format!("GBAAA26000{:02}", i + 1)),
                audio_files: file
                    .iter()
                    .map(|id| AudioFile {
                        audio_id: Some(id.clone()),
                        audio_filename: Some("a.wav".into()),
                        file_format: Some(1),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .collect();
    ReleaseDraft {
        release_id: None,
        release: Release {
            name: "Night Drive".into(),
            artist_name: Some("The Testers".into()),
            language_id: en,
            primary_music_style_id: l.music_style("Electronic").and_then(|s| s.music_style_id),
            copyright_p: Some("2026 Test Records".into()),
            copyright_c: Some("2026 Test Records".into()),
            upc: upc.map(str::to_owned),
            image: cover.map(|id| Image {
                file_id: Some(id),
                filename: Some("cover.jpg".into()),
                ..Default::default()
            }),
            tracks,
            ..Default::default()
        },
        keep_remote_release_type: true,
    }
}

fn saved(outcome: SaveOutcome) -> catno_revelator::SavedRelease {
    match outcome {
        SaveOutcome::Saved(s) => *s,
        SaveOutcome::NeedsRedelivery(plan) => panic!("unexpected redelivery plan: {plan:?}"),
    }
}

#[tokio::test]
async fn login_once_bearer_only_key_only_to_login_and_lookups_cached() {
    let (fake, client) =
        start(FakeConfig { store_profile: StoreProfile::NonObvious, ..FakeConfig::default() }).await;
    let first = client.lookups().await.unwrap();
    let again = client.lookups().await.unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    // Store ids come from the account's lookup, whatever they are.
    assert_eq!(first.store_by_name("Spotify").and_then(|s| s.distributor_store_id), Some(507));
    assert!(first.contributor_role("Producer", Some(3)).is_some());

    let log = fake.requests();
    assert_eq!(logins(&fake), 1);
    assert_eq!(log.iter().filter(|r| r.path == "/common/lookup/stores").count(), 1);
    for r in &log {
        if r.path.ends_with("/account/login") {
            assert_eq!(r.auth, AuthTransport::None);
        } else {
            assert_eq!(r.auth, AuthTransport::Bearer, "{} {}", r.method, r.path);
            assert!(!r.carries_partner_api_key, "the API key leaked to {}", r.path);
            assert!(r.query_param("token").is_none());
        }
    }
    assert!(!format!("{client:?}").contains(KEY), "the key shows in Debug output");
}

#[tokio::test]
async fn expired_token_relogs_once_and_a_refused_fresh_token_stops() {
    let (fake, client) = start(FakeConfig::default()).await;
    client.lookups().await.unwrap();
    fake.expire_tokens();
    client.store_statuses(1).await.ok();
    assert_eq!(logins(&fake), 2, "one re-login after the 401");

    fake.push_fault(FaultRule::new(None, "/distribution/store/all", Fault::Unauthorized).times(5)).unwrap();
    let err = client.store_statuses(1).await.unwrap_err();
    assert!(matches!(err, RevelatorError::Unauthorized { status: 401, .. }), "{err}");
    assert_eq!(logins(&fake), 3, "exactly one more login, no loop");
}

#[tokio::test]
async fn wrong_key_is_unauthorized_with_the_remote_body() {
    let fake =
        FakeRevelator::start(FakeConfig { api_key: Some("the-right-key".into()), ..FakeConfig::default() })
            .await
            .unwrap();
    let client = client_for(&fake);
    let err = client.login().await.unwrap_err();
    assert!(matches!(err, RevelatorError::Unauthorized { .. }), "{err}");
    assert!(err.remote_body().is_some_and(|b| !b.text.is_empty()));
    assert!(!format!("{err:?}").contains(KEY));
}

#[tokio::test]
async fn rate_limit_waits_retry_after_and_server_errors_retry_idempotent_reads() {
    let (fake, client) = start(FakeConfig::default()).await;
    client.login().await.unwrap();
    fake.push_fault(FaultRule::new(
        Some("GET"),
        "/common/lookup/stores",
        Fault::RateLimited { retry_after_seconds: 1 },
    ))
    .unwrap();
    let started = Instant::now();
    client.lookups().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());

    fake.push_fault(
        FaultRule::new(Some("GET"), "/content/release/all", Fault::ServerError { status: 503 }).times(2),
    )
    .unwrap();
    client.find_releases(None).await.unwrap();

    // Bounded: a Retry-After beyond the policy's longest wait gives up with the body.
    fake.push_fault(FaultRule::new(
        None,
        "/content/release/all",
        Fault::RateLimited { retry_after_seconds: 3600 },
    ))
    .unwrap();
    let err = client.find_releases(None).await.unwrap_err();
    assert!(
        matches!(err, RevelatorError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3600))
    );

    // 5 failures exceed the 4 attempts.
    fake.push_fault(
        FaultRule::new(None, "/content/release/all", Fault::ServerError { status: 500 }).times(5),
    )
    .unwrap();
    let err = client.find_releases(None).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    fake.clear_faults();
}

#[tokio::test]
async fn save_uploads_with_progress_then_edits_keep_files_and_unknown_fields() {
    let (fake, client) = start(FakeConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let cover_path = temp_file(&dir, "cover.jpg", 40_000);
    let audio_path = temp_file(&dir, "song.wav", 3_000_000);
    let seen = Arc::new(AtomicU64::new(0));
    let total = Arc::new(AtomicU64::new(0));
    let (s, t) = (seen.clone(), total.clone());
    let progress: catno_revelator::ProgressFn = Arc::new(move |p| {
        s.fetch_max(p.sent, Ordering::Relaxed);
        t.store(p.total, Ordering::Relaxed);
    });
    let audio = client.upload_audio(&audio_path, Some(progress)).await.unwrap();
    assert_eq!(seen.load(Ordering::Relaxed), 3_000_000);
    assert_eq!(total.load(Ordering::Relaxed), 3_000_000);
    let cover = client.upload_image(&cover_path, true, None).await.unwrap();
    let upload = fake.requests().into_iter().find(|r| r.path == "/media/audio/upload").unwrap();
    assert!(
        matches!(&upload.body, catno_revelator_fake::LoggedBody::Multipart { parts } if parts[0].size == 3_000_000 && parts[0].name.as_deref() == Some("file"))
    );

    let first = saved(
        client
            .save_release(
                &draft(&client, Some("0123456789012"), Some(cover.clone()), &[Some(audio.clone())]).await,
            )
            .await
            .unwrap(),
    );
    assert!(first.created && !first.reconciled);
    assert!(first.drift.is_empty(), "{:?}", first.drift);
    let id = first.release_id;
    let track_id = first.release.tracks[0].track_id.unwrap();
    let create = fake.requests().into_iter().find(|r| r.path == "/content/release/save").unwrap();
    let body = create.json().unwrap();
    assert!(body.get("releaseId").is_none(), "a create must omit releaseId");
    assert_eq!(body["upc"], json!("0123456789012"));

    // An edit made without re-uploading anything: title changes, files survive.
    let mut edit = draft(&client, Some("0123456789012"), None, &[None]).await;
    edit.release_id = Some(id);
    edit.release.name = "Night Drive (Deluxe)".into();
    edit.release.tracks[0].track_id = Some(track_id);
    let second = saved(client.save_release(&edit).await.unwrap());
    assert_eq!(second.release.name, "Night Drive (Deluxe)");
    assert_eq!(second.release.cover_file_id(), Some(cover.as_str()));
    assert_eq!(second.release.tracks[0].audio_ids(), vec![audio.as_str()]);
    assert!(fake.file_exists(&cover) && fake.file_exists(&audio));
    let last_save = fake.requests().into_iter().rfind(|r| r.path == "/content/release/save").unwrap();
    assert_eq!(last_save.json().unwrap()["image"]["fileId"], json!(cover));

    // Repeating the same save changes nothing.
    let third = saved(client.save_release(&edit).await.unwrap());
    assert_eq!(third.release_id, id);
    assert_eq!(third.release.tracks.len(), 1);
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_found_not_duplicated() {
    let (fake, client) = start(FakeConfig::default()).await;
    fake.push_fault(FaultRule::new(
        Some("POST"),
        "/content/release/save",
        Fault::ErrorAfterWrite { status: 500 },
    ))
    .unwrap();
    let d = draft(&client, Some("0724384960650"), None, &[None]).await;
    let outcome = saved(client.save_release(&d).await.unwrap());
    assert!(outcome.created && outcome.reconciled);
    let saves = fake.requests().iter().filter(|r| r.path == "/content/release/save").count();
    assert_eq!(saves, 1, "the create must not be replayed blindly");

    // The outbox retrying the create adopts the existing release instead of a duplicate.
    let again = saved(client.save_release(&d).await.unwrap());
    assert_eq!(again.release_id, outcome.release_id);
    assert!(!again.created);
    assert_eq!(client.find_releases(None).await.unwrap().len(), 1);

    // Without a UPC: found by a title that was not there before.
    fake.update_config(|c| c.assign_upc = false);
    fake.push_fault(FaultRule::new(Some("POST"), "/content/release/save", Fault::TruncatedJson)).unwrap();
    let mut untitled = draft(&client, None, None, &[None]).await;
    untitled.release.name = "No Code Yet".into();
    let found = saved(client.save_release(&untitled).await.unwrap());
    assert!(found.reconciled);
    assert_eq!(found.release.name, "No Code Yet");
}

#[tokio::test]
async fn legacy_numeric_upcs_and_sentinels_read_as_none() {
    let (fake, client) = start(FakeConfig { upc_mode: UpcMode::Mixed, ..FakeConfig::default() }).await;
    let d = draft(&client, Some("0123456789012"), None, &[None]).await;
    let s = saved(client.save_release(&d).await.unwrap());
    assert_eq!(s.release.cover_file_id(), None, "the zero GUID is no cover");
    let listed = client.find_releases(None).await.unwrap();
    assert!(wire::same_upc(listed[0].upc.as_deref().unwrap(), "0123456789012"));
    assert_eq!(fake.requests().iter().filter(|r| r.path == "/content/release/save").count(), 1);
}

#[tokio::test]
async fn validate_queue_lock_plan_approve_and_takedown() {
    for shape in [ValidateShape::BareArray, ValidateShape::Wrapped] {
        let (fake, client) = start(FakeConfig {
            validate_shape: shape,
            store_profile: StoreProfile::NonObvious,
            error_format: ErrorFormat::Message,
            ..FakeConfig::default()
        })
        .await;
        let incomplete =
            saved(client.save_release(&draft(&client, None, None, &[None]).await).await.unwrap());
        let issues = client.validate(incomplete.release_id).await.unwrap();
        assert!(issues.iter().any(|i| i.is_blocking()), "{shape:?}: {issues:?}");

        let dir = tempfile::tempdir().unwrap();
        let cover = client.upload_image(&temp_file(&dir, "c.jpg", 1000), true, None).await.unwrap();
        let audio = client.upload_audio(&temp_file(&dir, "a.wav", 1000), None).await.unwrap();
        let mut complete = draft(&client, None, Some(cover), &[Some(audio)]).await;
        complete.release.name = "Complete".into();
        let s = saved(client.save_release(&complete).await.unwrap());
        let blocking: Vec<_> =
            client.validate(s.release_id).await.unwrap().into_iter().filter(|i| i.is_blocking()).collect();
        assert!(blocking.is_empty(), "{blocking:?}");

        let spotify = client
            .lookups()
            .await
            .unwrap()
            .store_by_name("Spotify")
            .and_then(|s| s.distributor_store_id)
            .unwrap();
        let statuses = client.deliver(s.release_id, &[spotify]).await.unwrap();
        let queued =
            fake.requests().into_iter().find(|r| r.path == "/distribution/release/addtoqueue").unwrap();
        assert_eq!(queued.json(), Some(&json!([spotify])));
        assert_eq!(queued.query_param("releaseId"), Some(s.release_id.to_string().as_str()));
        assert!(statuses.iter().any(|st| st.distributor_store_id == Some(spotify) && st.is_read_only()));

        // Editing a locked track is a plan, not a refused save.
        let mut edit = complete.clone();
        edit.release_id = Some(s.release_id);
        edit.release.tracks[0].track_id = s.release.tracks[0].track_id;
        edit.release.tracks[0].name = "Song 1 (fixed)".into();
        match client.save_release(&edit).await.unwrap() {
            SaveOutcome::NeedsRedelivery(plan) => {
                assert_eq!(plan.locked_stores[0].store_id, spotify);
                assert_eq!(plan.changes[0].fields, vec!["name".to_owned()]);
            }
            SaveOutcome::Saved(_) => panic!("a locked track was saved"),
        }

        // Takedown refused while pending inspection: the raw remote message is kept.
        let err = client.take_down(s.release_id, &[spotify]).await.unwrap_err();
        assert_eq!(err.status(), Some(400));
        assert!(err.remote_body().is_some_and(|b| b.text.contains("message")), "{err:?}");

        fake.approve(s.release_id).unwrap();
        for _ in 0..4 {
            fake.advance(s.release_id).ok();
        }
        let live = client.store_statuses(s.release_id).await.unwrap();
        let code =
            live.iter().find(|st| st.distributor_store_id == Some(spotify)).and_then(|st| st.status_code());
        assert!(!live.iter().any(|st| st.is_read_only()), "{live:?}");
        let after = client.take_down(s.release_id, &[spotify]).await.unwrap();
        let new_code =
            after.iter().find(|st| st.distributor_store_id == Some(spotify)).and_then(|st| st.status_code());
        assert_ne!(code, new_code);
        let takedown = fake
            .requests()
            .into_iter()
            .find(|r| r.path == "/distribution/release/takedown" && r.response_status == Some(200))
            .unwrap();
        assert_eq!(takedown.json(), Some(&json!([spotify])));
    }
}

#[tokio::test]
async fn a_lost_queue_answer_is_checked_not_replayed() {
    let (fake, client) = start(FakeConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let cover = client.upload_image(&temp_file(&dir, "c.jpg", 1000), true, None).await.unwrap();
    let audio = client.upload_audio(&temp_file(&dir, "a.wav", 1000), None).await.unwrap();
    let s =
        saved(client.save_release(&draft(&client, None, Some(cover), &[Some(audio)]).await).await.unwrap());
    let store = client
        .lookups()
        .await
        .unwrap()
        .store_by_name("Spotify")
        .and_then(|s| s.distributor_store_id)
        .unwrap();
    fake.push_fault(FaultRule::new(
        Some("POST"),
        "/distribution/release/addtoqueue",
        Fault::ErrorAfterWrite { status: 502 },
    ))
    .unwrap();
    let statuses = client.deliver(s.release_id, &[store]).await.unwrap();
    assert!(statuses.iter().any(|st| st.distributor_store_id == Some(store) && st.status_code().is_some()));
    assert_eq!(fake.requests().iter().filter(|r| r.path == "/distribution/release/addtoqueue").count(), 1);

    let err = client.add_to_queue(s.release_id, &[]).await.unwrap_err();
    assert!(matches!(err, RevelatorError::Invalid(_)));

    client.set_sale_start(s.release_id, Some("2026-12-31")).await.unwrap();
    let retail = fake.requests().into_iter().rfind(|r| r.path == "/content/release/retail/save").unwrap();
    assert_eq!(
        retail.json(),
        Some(&json!({"releaseId": s.release_id, "saleStartDate": "2026-12-31", "monetizationPolicyIds": []}))
    );
}

#[tokio::test]
async fn transport_faults_html_pages_and_plain_text_errors() {
    let (fake, client) =
        start(FakeConfig { error_format: ErrorFormat::PlainText, ..FakeConfig::default() }).await;
    client.login().await.unwrap();
    // A reset connection on a read is retried.
    fake.push_fault(FaultRule::new(Some("GET"), "/content/release/all", Fault::ConnectionReset)).unwrap();
    client.find_releases(None).await.unwrap();

    // An HTML page with status 200 is an unreadable answer, with the page kept for display.
    fake.push_fault(FaultRule::new(Some("GET"), "/content/release/all", Fault::HtmlErrorPage)).unwrap();
    let err = client.find_releases(None).await.unwrap_err();
    assert!(matches!(err, RevelatorError::Decode { .. }), "{err}");
    assert!(err.remote_body().unwrap().text.to_lowercase().contains("<html"));

    // A plain-text refusal reaches the caller verbatim.
    let err = client.get_release(999_999).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let body = err.remote_body().unwrap();
    assert!(!body.text.trim_start().starts_with('{'), "{body:?}");
    assert!(err.to_string().contains(body.summary().as_str()));
}
