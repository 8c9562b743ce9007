use crate::support::{Api, api, api_with};
use catno_revelator_fake::{FakeConfig, StoreProfile, ValidateShape};
use serde_json::{Value, json};

async fn statuses(api: &Api, id: i64) -> Vec<(i64, i64)> {
    let answer = api.get(&format!("/distribution/store/all?releaseId={id}")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (item["distributorStoreId"].as_i64().unwrap(), item["releaseStatus"]["status"].as_i64().unwrap())
        })
        .collect()
}

async fn queued_release(api: &Api) -> i64 {
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let queued = api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([1, 9])).await;
    assert_eq!((queued.status, queued.text.as_str()), (200, ""));
    id
}

#[tokio::test]
async fn nothing_is_delivered_before_the_parent_account_approves() {
    // A week of fake time passes below; keep the token alive through it.
    let api = api_with(FakeConfig { token_ttl_seconds: 30 * 24 * 3600, ..FakeConfig::default() }).await;
    let id = queued_release(&api).await;
    assert_eq!(statuses(&api, id).await, vec![(1, -20), (9, -20)]);
    let item = &api.get(&format!("/distribution/store/all?releaseId={id}")).await.json()["items"][0];
    assert_eq!(item["releaseStatus"]["statusText"], "Pending Owner Inspection");
    assert_eq!(item["inspectionCount"], 1);
    // A week of fake time changes nothing without approval.
    api.fake.advance_clock(7 * 24 * 3600);
    assert_eq!(statuses(&api, id).await, vec![(1, -20), (9, -20)]);
    assert!(api.fake.advance(id).unwrap() == 0);

    api.fake.approve(id).unwrap();
    assert_eq!(statuses(&api, id).await, vec![(1, -21), (9, -21)]);
    api.fake.advance_clock(3600);
    assert_eq!(statuses(&api, id).await, vec![(1, 10), (9, 10)]);
    api.fake.advance_clock(2 * 3600);
    assert_eq!(statuses(&api, id).await, vec![(1, 30), (9, 30)]);
    let live = &api.get(&format!("/distribution/store/all?releaseId={id}")).await.json()["items"][0]["releaseStatus"];
    assert_ne!(live["dateLive"], "0001-01-01T00:00:00");
    assert_eq!(api.get(&format!("/content/release/{id}")).await.json()["isFullyLocked"], false);
}

#[tokio::test]
async fn the_ui_internal_approve_endpoint_also_opens_the_gate() {
    let api = api().await;
    let id = queued_release(&api).await;
    let approved = api.post(&format!("/distribution/release/approve?releaseId={id}"), &json!(id)).await;
    assert_eq!(approved.status, 204);
    assert_eq!(statuses(&api, id).await, vec![(1, -21), (9, -21)]);
    // Control-plane advance moves one step per call.
    api.control(&format!("/__fake/advance/{id}"), &json!({})).await;
    assert_eq!(statuses(&api, id).await, vec![(1, 10), (9, 10)]);
}

#[tokio::test]
async fn rejection_sets_an_error_status_and_unlocks_the_tracks() {
    let api = api().await;
    let id = queued_release(&api).await;
    let mut read = api.get(&format!("/content/release/{id}")).await.json();
    read["tracks"][0]["name"] = json!("Fixed title");
    assert_eq!(api.post("/content/release/save", &read).await.status, 403);
    let rejected = api
        .post(&format!("/distribution/release/reject?releaseId={id}"), &json!("<p>Cover is blurry</p>"))
        .await;
    assert_eq!(rejected.status, 204);
    let item = &api.get(&format!("/distribution/store/all?releaseId={id}")).await.json()["items"][0];
    assert_eq!(item["releaseStatus"]["status"], 91);
    assert_eq!(item["releaseStatus"]["isError"], true);
    assert_eq!(item["releaseStatus"]["errorMessage"], "<p>Cover is blurry</p>");
    assert_eq!(api.post("/content/release/save", &read).await.status, 200);
    // A rejected release can be queued again.
    let again = api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([1])).await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn addtoqueue_takes_a_bare_array_of_known_stores_only() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let path = format!("/distribution/release/addtoqueue?releaseId={id}");
    let object_body =
        api.post("/distribution/release/addtoqueue", &json!({ "releaseId": id, "storeIds": [1] })).await;
    assert_eq!(object_body.status, 400);
    let object_body = api.post(&path, &json!({ "storeIds": [1] })).await;
    assert_eq!(object_body.status, 400);
    assert!(object_body.text.contains("JSON array"));
    assert_eq!(api.post(&path, &json!([])).await.status, 400);
    let unknown = api.post(&path, &json!([1, 424242])).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.text.contains("424242"));
    assert!(statuses(&api, id).await.is_empty());
    assert_eq!(api.post(&path, &json!([9])).await.status, 200);
    let twice = api.post(&path, &json!([9])).await;
    assert_eq!(twice.status, 400);
    assert!(twice.text.contains("already in distribution"));
    assert_eq!(api.post("/distribution/release/addtoqueue?releaseId=999", &json!([9])).await.status, 404);
}

#[tokio::test]
async fn addtoqueue_refuses_releases_with_blocking_validation_errors() {
    let api = api().await;
    let saved = api.save(&json!({ "name": "Bare", "releasesLocals": [] })).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let refused = api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([1])).await;
    assert_eq!(refused.status, 400);
    let body = refused.json();
    assert!(body["issues"].as_array().unwrap().iter().any(|i| i["errorCode"] == 11051));
    assert!(statuses(&api, id).await.is_empty());
}

#[tokio::test]
async fn validate_answers_an_empty_body_when_clean() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let clean = api.post(&format!("/distribution/release/{id}/validate"), &json!(null)).await;
    assert_eq!((clean.status, clean.text.as_str()), (200, ""));
}

fn codes(list: &Value) -> Vec<(i64, i64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| (i["errorCode"].as_i64().unwrap(), i["severity"].as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn validate_lists_issues_as_a_bare_array_or_wrapped() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    body.as_object_mut().unwrap().remove("image");
    body["name"] = json!("NIGHT DRIVE");
    body["tracks"][0]["contributors"] = json!([]);
    body["tracks"][0]["trackProperties"] = json!([]);
    body["tracks"][0]["composerContentsDTO"][0]["share"] = json!("60");
    let id = api.save(&body).await["releaseId"].as_i64().unwrap();
    let bare = api.post(&format!("/distribution/release/{id}/validate"), &json!(null)).await.json();
    let found = codes(&bare);
    for expected in [(11051, 1), (90_003, 1), (90_004, 1), (90_005, 1), (90_102, 2)] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    let cover = bare.as_array().unwrap().iter().find(|i| i["errorCode"] == 11051).unwrap();
    assert_eq!(cover["objectType"], "Release");
    assert_eq!(cover["field"], "PosterImage");
    assert!(cover["errorMessage"].as_str().unwrap().contains("<b>"));

    api.fake.update_config(|c| c.validate_shape = ValidateShape::Wrapped);
    let wrapped = api.post(&format!("/distribution/release/{id}/validate"), &json!(null)).await.json();
    assert_eq!(codes(&wrapped["validationErrors"]), found);

    api.fake.update_config(|c| c.require_production_credit = false);
    let relaxed = api.post(&format!("/distribution/release/{id}/validate"), &json!(null)).await.json();
    assert!(!codes(&relaxed["validationErrors"]).contains(&(90_003, 1)));
}

#[tokio::test]
async fn various_artists_need_four_primary_artists() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    body.as_object_mut().unwrap().remove("artistName");
    body["contributors"] =
        json!([{ "roleId": 49, "artist": { "name": "A" } }, { "roleId": 49, "artist": { "name": "B" } }]);
    let id = api.save(&body).await["releaseId"].as_i64().unwrap();
    let issues = api.post(&format!("/distribution/release/{id}/validate"), &json!(null)).await.json();
    assert!(codes(&issues).contains(&(90_006, 1)));
}

#[tokio::test]
async fn takedown_only_from_delivered_or_live_then_moves_to_taken_down() {
    let api = api().await;
    let id = queued_release(&api).await;
    let path = format!("/distribution/release/takedown?releaseId={id}");
    assert_eq!(api.post(&path, &json!([1])).await.status, 400);
    api.fake.approve(id).unwrap();
    api.fake.advance_clock(3 * 3600);
    assert_eq!(api.post(&path, &json!([])).await.status, 400);
    assert_eq!(api.post(&path, &json!([1])).await.status, 200);
    assert_eq!(statuses(&api, id).await, vec![(1, 40), (9, 30)]);
    api.fake.advance_clock(3600);
    assert_eq!(statuses(&api, id).await, vec![(1, 41), (9, 30)]);
}

#[tokio::test]
async fn distribution_release_list_and_store_counts() {
    let api = api().await;
    let id = queued_release(&api).await;
    let list = api.get("/distribution/release/all").await.json();
    assert_eq!(list["totalItemsCount"], 1);
    assert_eq!(list["items"][0]["releaseId"], id);
    assert_eq!(list["additionalCounters"]["toinspect"], 2);
    let all_stores = api.get("/distribution/store/all").await.json();
    let spotify =
        all_stores["items"].as_array().unwrap().iter().find(|s| s["distributorStoreId"] == 9).unwrap();
    assert_eq!(spotify["inspectionCount"], 1);
}

#[tokio::test]
async fn the_non_obvious_store_profile_changes_store_ids() {
    let api = api_with(FakeConfig { store_profile: StoreProfile::NonObvious, ..FakeConfig::default() }).await;
    let stores = api.get("/common/lookup/stores?activeOnly=true").await.json();
    let spotify = stores.as_array().unwrap().iter().find(|s| s["name"] == "Spotify").unwrap();
    assert_eq!(spotify["distributorStoreId"], 507);
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    assert_eq!(
        api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([9])).await.status,
        400
    );
    assert_eq!(
        api.post(&format!("/distribution/release/addtoqueue?releaseId={id}"), &json!([507])).await.status,
        200
    );
}

#[tokio::test]
async fn v2_validators_answer_the_documented_shape() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let ok = api
        .get(&format!("/supply-chain/v1/releases/{id}/deliver/validate?distributorStoreIds=9"))
        .await
        .json();
    assert_eq!(ok["hasBlockingErrors"], false);
    let ugc = api
        .get(&format!(
            "/supply-chain/v1/releases/{id}/deliver/validate?distributorStoreIds=9&distributorStoreIds=603"
        ))
        .await
        .json();
    assert_eq!(ugc["hasBlockingErrors"], true);
    assert_eq!(ugc["perDistributorStoreErrors"][0]["distributorStoreId"], 603);
    assert_eq!(ugc["perDistributorStoreErrors"][0]["errors"][0]["severity"], "error");
    let takedown = api
        .get(&format!("/supply-chain/v1/releases/{id}/takedown/validate?distributorStoreIds=9"))
        .await
        .json();
    assert_eq!(takedown["hasBlockingErrors"], true);
    let track_id = saved["tracks"][0]["trackId"].as_i64().unwrap();
    let track = api.get(&format!("/supply-chain/v1/tracks/{track_id}/validate")).await.json();
    assert_eq!(track["metadataErrors"], json!([]));
    api.fake.update_config(|c| c.v2_enabled = false);
    assert_eq!(api.get(&format!("/supply-chain/v1/tracks/{track_id}/validate")).await.status, 404);
}
