use crate::support::{WAV, answer, api, api_with, client, login};
use catno_revelator_fake::{ErrorFormat, FakeConfig, FakeRevelator, ImageUploadResponse};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn lookups_are_bare_arrays_with_the_known_ids() {
    let api = api().await;
    let languages = api.get("/common/lookup/languages").await.json();
    assert!(languages.as_array().unwrap().iter().any(|l| l["languageId"] == 1 && l["name"] == "English"));
    let roles = api.get("/common/lookup/contributorRoles").await.json();
    let primary = roles.as_array().unwrap().iter().find(|r| r["roleId"] == 49).unwrap();
    assert_eq!(primary["contributorRoleGroupId"], 1);
    assert!(primary.get("fake").is_none());
    assert!(roles.as_array().unwrap().iter().any(|r| r["contributorRoleGroupId"] == 3 && r["fake"] == true));
    for kind in ["musicstyles", "trackProperties", "stores", "timezones", "countries", "releasetypes"] {
        assert!(api.get(&format!("/common/lookup/{kind}")).await.json().is_array(), "{kind}");
    }
    assert_eq!(api.get("/common/lookup/planets").await.status, 404);
}

#[tokio::test]
async fn latency_is_added_per_request_and_requests_run_concurrently() {
    let api = api_with(FakeConfig { latency_ms: 200, ..FakeConfig::default() }).await;
    let started = Instant::now();
    let calls = (0..8).map(|_| api.get("/common/lookup/languages"));
    let answers = futures_util::future::join_all(calls).await;
    let elapsed = started.elapsed();
    assert!(answers.iter().all(|a| a.status == 200));
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1200), "8 calls took {elapsed:?}: not concurrent");
    // The control plane is never delayed.
    let started = Instant::now();
    answer(api.http.get(api.url("/__fake/clock")).send().await.unwrap()).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn image_upload_answers_a_bare_string_or_an_object_and_refuses_non_images() {
    let api = api().await;
    let bare = api.upload("/media/image/upload?cover=true", "cover.jpg", crate::support::JPEG).await.json();
    assert!(bare.is_string());
    api.fake.update_config(|c| c.image_upload_response = ImageUploadResponse::Object);
    let object =
        api.upload("/media/image/upload?cover=false", "cover.jpg", crate::support::JPEG).await.json();
    assert!(object["fileId"].is_string());
    assert_eq!(api.upload("/media/image/upload", "notes.txt", b"hello").await.status, 400);
    let no_file = answer(
        api.http
            .post(api.url("/media/image/upload"))
            .bearer_auth(&api.token)
            .multipart(reqwest::multipart::Form::new().text("other", "x"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(no_file.status, 400);
    assert!(no_file.text.contains("\\\"file\\\"") || no_file.text.contains("file"));
}

#[tokio::test]
async fn streamed_chunked_audio_uploads_are_hashed_on_the_fly() {
    let api = api().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = WAV.chunks(7).map(|c| Ok(c.to_vec())).collect();
    let stream = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let part = reqwest::multipart::Part::stream(stream).file_name("01.wav");
    let form = reqwest::multipart::Form::new().part("file", part);
    let uploaded = answer(
        api.http
            .post(api.url("/media/audio/upload"))
            .bearer_auth(&api.token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.text);
    let file_id = uploaded.json()["fileId"].as_str().unwrap().to_owned();
    let info =
        answer(api.http.get(api.url(&format!("/__fake/files/{file_id}"))).send().await.unwrap()).await.json();
    assert_eq!(info["size"], WAV.len());
    assert_eq!(info["kind"], "audio");
}

#[tokio::test]
async fn pullexternal_fetches_file_urls_and_registered_urls_only() {
    let api = api().await;
    let dir = std::env::temp_dir().join(format!("catno-revelator-fake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("master.wav");
    std::fs::write(&path, WAV).unwrap();
    let local = api
        .post(
            "/media/audio/pullexternal/wav",
            &json!({ "externalUrl": format!("file://{}", path.display()), "fileName": "master.wav" }),
        )
        .await;
    assert_eq!(local.status, 200, "{}", local.text);
    assert!(api.fake.file_exists(local.json()["fileId"].as_str().unwrap()));
    let remote = api
        .post("/media/audio/pullexternal/wav", &json!({ "externalUrl": "https://cdn.example/a.wav" }))
        .await;
    assert_eq!(remote.status, 400);
    api.fake.register_external_url("https://cdn.example/a.wav", WAV);
    assert_eq!(
        api.post("/media/audio/pullexternal/flac", &json!({ "externalUrl": "https://cdn.example/a.wav" }))
            .await
            .status,
        200
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn analytics_answers_the_documented_envelope_deterministically() {
    let api = api().await;
    let path =
        "/analytics/revenue/byDistributor?fromDate=2026-01-01&toDate=2026-03-31&dateGranularity=Monthly";
    let first = api.get(path).await.json();
    assert_eq!(first, api.get(path).await.json());
    assert!(first["totals"]["streamsCount"].as_u64().is_some());
    assert_eq!(first["fromDate"], "2026-01-01T00:00:00");
    let items = first["items"].as_array().unwrap();
    assert_eq!(first["totalItemsCount"].as_u64().unwrap() as usize, 3 * 7);
    assert!(items[0]["metadata"]["distributorName"].is_string());
    assert_eq!(items[0]["date"], "2026-01-01T00:00:00");
    let all = api.get("/analytics/consumption/byCountry?fromDate=2026-01-01&toDate=2026-01-31").await.json();
    assert!(all["items"][0].get("date").is_none());
    assert_eq!(api.get("/analytics/revenue/byCountry").await.status, 400);
}

#[tokio::test]
async fn error_bodies_follow_the_configured_format() {
    let api = api().await;
    let problem = api.get("/content/release/77").await;
    assert_eq!(problem.status, 404);
    assert_eq!(problem.json()["title"], "Release 77 was not found.");
    api.fake.update_config(|c| c.error_format = ErrorFormat::Message);
    assert_eq!(
        api.get("/content/release/77").await.json(),
        json!({ "message": "Release 77 was not found." })
    );
    api.fake.update_config(|c| c.error_format = ErrorFormat::PlainText);
    assert_eq!(api.get("/content/release/77").await.text, "Release 77 was not found.");
}

#[tokio::test]
async fn config_is_patched_over_http_and_unknown_keys_are_refused() {
    let api = api().await;
    let patched = api.control("/__fake/config", &json!({ "upc_mode": "number", "latency_ms": 5 })).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(api.fake.config().upc_mode, catno_revelator_fake::UpcMode::Number);
    assert_eq!(api.control("/__fake/config", &json!({ "invented_webhooks": true })).await.status, 400);
    assert_eq!(api.control("/__fake/config", &json!({ "upc_mode": "roman" })).await.status, 400);
}

#[tokio::test]
async fn reset_empties_the_catalog_and_invalidates_tokens() {
    let api = api().await;
    api.save(&json!({ "name": "X", "releasesLocals": [] })).await;
    api.fake.update_config(|c| c.sandbox = true);
    assert_eq!(api.control("/__fake/reset", &json!({})).await.status, 204);
    assert_eq!(api.get("/content/release/all").await.status, 401);
    assert!(!api.fake.config().sandbox);
    let fresh = login(&api.http, &api.fake.base_url(), "k", "u").await.json();
    let list = answer(
        api.http
            .get(api.url("/content/release/all"))
            .bearer_auth(fresh["accessToken"].as_str().unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await
    .json();
    assert_eq!(list["totalItemsCount"], 0);
}

#[tokio::test]
async fn the_assumption_table_is_served() {
    let api = api().await;
    let table = answer(api.http.get(api.url("/__fake/assumptions")).send().await.unwrap()).await.json();
    let ids: Vec<&str> = table.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    for id in ["A1", "A5", "A11", "A14", "F3"] {
        assert!(ids.contains(&id), "{id}");
    }
}

#[test]
fn a_background_fake_serves_callers_without_a_runtime() {
    let fake = FakeRevelator::start_background(FakeConfig::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async { login(&client(), &fake.base_url(), "k", "u").await.status });
    assert_eq!(status, 200);
    assert_eq!(fake.requests().len(), 1);
    drop(fake);
}

/// The control plane as a curl user drives it.
#[tokio::test]
async fn the_control_plane_drives_approval_status_clock_tokens_and_urls_over_http() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([1, 9])).await;
    let approved = api.control(&format!("/__fake/approve/{id}"), &json!({})).await;
    assert_eq!(approved.json()["stores_moved"], 2);
    assert_eq!(api.control(&format!("/__fake/approve/{id}"), &json!({})).await.status, 400);
    let clock = api.control("/__fake/clock", &json!({ "advance_seconds": 3600 })).await.json();
    assert_eq!(clock["now"], "2026-01-05T10:00:00");
    assert_eq!(first_store(&api, id).await["status"], 10);
    let set = api
        .control(&format!("/__fake/status/{id}"), &json!({ "distributor_store_id": 1, "status": -20 }))
        .await;
    assert_eq!(set.status, 204);
    let rejected = api.control(&format!("/__fake/reject/{id}"), &json!({})).await;
    assert_eq!(rejected.json()["stores_moved"], 1);
    assert_eq!(first_store(&api, id).await["errorMessage"], "Rejected by the parent account (fake).");
    assert_eq!(api.control("/__fake/approve/999", &json!({})).await.status, 404);

    let url = api
        .control("/__fake/external-urls", &json!({ "url": "https://cdn.example/b.wav", "content": "RIFF" }))
        .await;
    assert_eq!(url.status, 204);
    let pulled = api
        .post("/media/audio/pullexternal/wav", &json!({ "externalUrl": "https://cdn.example/b.wav" }))
        .await;
    assert_eq!(pulled.status, 200);

    assert_eq!(api.control("/__fake/expire-tokens", &json!({})).await.status, 204);
    assert_eq!(api.get("/content/release/all").await.status, 401);
    assert_eq!(api.control("/__fake/nothing", &json!({})).await.status, 404);
}

async fn first_store(api: &crate::support::Api, id: i64) -> serde_json::Value {
    api.get(&format!("/distribution/store/all?releaseId={id}")).await.json()["items"][0]["releaseStatus"]
        .clone()
}
