use crate::support::{api, api_with, track};
use catno_revelator_fake::{FakeConfig, SentinelMode, UpcMode};
use serde_json::{Value, json};

#[tokio::test]
async fn get_modify_save_keeps_cover_and_audio() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let cover = saved["image"]["fileId"].as_str().unwrap().to_owned();
    let audio = saved["tracks"][0]["trackRecordingVersions"][0]["audioFiles"][0]["audioId"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut release = api.get(&format!("/content/release/{id}")).await.json();
    release["name"] = json!("Night Drive (Deluxe)");
    let resaved = api.save(&release).await;
    assert_eq!(resaved["name"], "Night Drive (Deluxe)");
    assert_eq!(resaved["releaseId"], id);
    assert_eq!(resaved["tracks"][0]["trackId"], saved["tracks"][0]["trackId"]);
    assert!(api.fake.file_exists(&cover));
    assert!(api.fake.file_exists(&audio));
    assert_eq!(api.get(&format!("/media/image/{cover}")).await.status, 200);
}

#[tokio::test]
async fn saving_without_the_image_deletes_the_cover_file() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let cover = saved["image"]["fileId"].as_str().unwrap().to_owned();
    let mut release = saved.clone();
    release.as_object_mut().unwrap().remove("image");
    let resaved = api.save(&release).await;
    assert_eq!(resaved["image"]["fileId"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(api.get(&format!("/media/image/{cover}")).await.status, 404);
    assert!(!api.fake.file_exists(&cover));
    // The old id cannot be re-attached: the file is gone.
    let mut again = resaved.clone();
    again["image"] = json!({ "fileId": cover });
    let refused = api.post("/content/release/save", &again).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("does not exist"));
}

#[tokio::test]
async fn a_track_saved_without_audio_files_loses_its_audio_for_good() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let audio = saved["tracks"][0]["trackRecordingVersions"][0]["audioFiles"][0]["audioId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut release = saved.clone();
    release["tracks"][0]["trackRecordingVersions"][0].as_object_mut().unwrap().remove("audioFiles");
    let resaved = api.save(&release).await;
    assert!(resaved["tracks"][0]["trackRecordingVersions"][0].get("audioFiles").is_none());
    assert!(!api.fake.file_exists(&audio));
    assert_eq!(api.get(&format!("/__fake/files/{audio}")).await.status, 404);
}

#[tokio::test]
async fn omitted_scalars_and_arrays_come_back_null_and_empty() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    body["version"] = json!("Remastered");
    body["contributors"] = json!([{ "roleId": 49, "artist": { "name": "Guest" } }]);
    let saved = api.save(&body).await;
    assert_eq!(saved["version"], "Remastered");
    let mut replace = saved.clone();
    let object = replace.as_object_mut().unwrap();
    object.remove("version");
    object.remove("contributors");
    object.remove("copyrightP");
    let resaved = api.save(&replace).await;
    assert_eq!(resaved["version"], Value::Null);
    assert_eq!(resaved["copyrightP"], Value::Null);
    assert_eq!(resaved["contributors"], json!([]));
}

#[tokio::test]
async fn tracks_omitted_from_a_release_are_detached_and_deleted_when_orphaned() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    let second_audio = api.upload_audio().await;
    body["tracks"].as_array_mut().unwrap().push(track(&second_audio, "NOX112600002"));
    let saved = api.save(&body).await;
    let dropped = saved["tracks"][1]["trackId"].as_i64().unwrap();
    let mut release = saved.clone();
    release["tracks"].as_array_mut().unwrap().pop();
    let resaved = api.save(&release).await;
    assert_eq!(resaved["tracks"].as_array().unwrap().len(), 1);
    assert_eq!(api.get(&format!("/content/track/{dropped}")).await.status, 404);
    assert!(!api.fake.file_exists(&second_audio));
}

#[tokio::test]
async fn a_track_shared_by_two_releases_survives_detaching_from_one() {
    let api = api().await;
    let first = api.save(&api.complete_release("0123456789012").await).await;
    let shared = first["tracks"][0].clone();
    let mut second = api.complete_release("0123456789029").await;
    second["tracks"] = json!([shared.clone()]);
    let second = api.save(&second).await;
    let track_id = shared["trackId"].as_i64().unwrap();
    let read = api.get(&format!("/content/track/{track_id}")).await.json();
    assert_eq!(read["releaseTracks"].as_array().unwrap().len(), 2);
    let mut detached = second.clone();
    detached["tracks"] = json!([]);
    api.save(&detached).await;
    let read = api.get(&format!("/content/track/{track_id}")).await.json();
    assert_eq!(read["releaseIds"], json!([first["releaseId"]]));
}

#[tokio::test]
async fn upc_string_mode_keeps_leading_zeros_and_accepts_numbers() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    assert_eq!(saved["upc"], "0123456789012");
    let mut numeric = api.complete_release("").await;
    numeric["upc"] = json!(5_012_345_678_900u64);
    assert_eq!(api.save(&numeric).await["upc"], "5012345678900");
}

#[tokio::test]
async fn upc_number_mode_refuses_strings_and_loses_leading_zeros() {
    let api = api_with(FakeConfig { upc_mode: UpcMode::Number, ..FakeConfig::default() }).await;
    let refused = api.post("/content/release/save", &api.complete_release("0123456789012").await).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("must be a number"));
    let mut body = api.complete_release("").await;
    body["upc"] = json!(123_456_789_012u64);
    let saved = api.save(&body).await;
    assert_eq!(saved["upc"], json!(123_456_789_012u64));
    let id = saved["releaseId"].as_i64().unwrap();
    assert!(api.get(&format!("/content/release/{id}")).await.json()["upc"].is_number());
}

#[tokio::test]
async fn upc_mixed_mode_answers_numbers_on_lists_and_strings_on_details() {
    let api = api_with(FakeConfig { upc_mode: UpcMode::Mixed, ..FakeConfig::default() }).await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    assert_eq!(api.get(&format!("/content/release/{id}")).await.json()["upc"], "0123456789012");
    let list = api.get("/content/release/all").await.json();
    assert_eq!(list["items"][0]["upc"], json!(123_456_789_012u64));
}

#[tokio::test]
async fn duplicate_upcs_are_refused_unless_the_account_is_a_sandbox() {
    let api = api().await;
    api.save(&api.complete_release("0123456789012").await).await;
    let duplicate = api.post("/content/release/save", &api.complete_release("0123456789012").await).await;
    assert_eq!(duplicate.status, 400);
    assert!(duplicate.text.contains("0123456789012") && duplicate.text.contains("exists"));
    // A numeric UPC that lost its zero is the same UPC.
    let mut numeric = api.complete_release("").await;
    numeric["upc"] = json!(123_456_789_012u64);
    assert_eq!(api.post("/content/release/save", &numeric).await.status, 400);
    api.fake.update_config(|c| c.sandbox = true);
    assert_eq!(
        api.post("/content/release/save", &api.complete_release("0123456789012").await).await.status,
        200
    );
}

#[tokio::test]
async fn a_release_created_without_upc_gets_a_valid_fake_one() {
    let api = api().await;
    let mut body = api.complete_release("").await;
    body.as_object_mut().unwrap().remove("upc");
    let upc = api.save(&body).await["upc"].as_str().unwrap().to_owned();
    assert_eq!(upc.len(), 12);
    let digits: Vec<u32> = upc.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits[..11].iter().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    assert_eq!((10 - sum % 10) % 10, digits[11]);
}

#[tokio::test]
async fn legacy_sentinels_create_on_zero_and_answer_placeholder_dates_and_guids() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    body["releaseId"] = json!(0);
    body["tracks"][0]["trackId"] = json!(0);
    body.as_object_mut().unwrap().remove("image");
    let saved = api.save(&body).await;
    assert!(saved["releaseId"].as_i64().unwrap() > 0);
    assert!(saved["tracks"][0]["trackId"].as_i64().unwrap() > 0);
    assert_eq!(saved["releaseDate"], "0001-01-01T00:00:00");
    assert_eq!(saved["saleStartDate"], "0001-01-01T00:00:00");
    assert_eq!(saved["approvedDate"], "0001-01-01T00:00:00");
    assert_eq!(saved["image"]["fileId"], "00000000-0000-0000-0000-000000000000");
    // Echoing the zero GUID back means "no cover" in legacy mode.
    assert_eq!(api.save(&saved).await["image"]["fileId"], "00000000-0000-0000-0000-000000000000");
}

#[tokio::test]
async fn strict_sentinels_refuse_zero_ids_and_answer_nulls() {
    let api = api_with(FakeConfig { sentinel_mode: SentinelMode::Strict, ..FakeConfig::default() }).await;
    let mut body = api.complete_release("0123456789012").await;
    body["releaseId"] = json!(0);
    let refused = api.post("/content/release/save", &body).await;
    assert_eq!(refused.status, 400);
    assert!(refused.json()["errors"]["releaseId"].is_array());
    body.as_object_mut().unwrap().remove("releaseId");
    body["tracks"][0]["trackId"] = json!(0);
    assert_eq!(api.post("/content/release/save", &body).await.status, 400);
    body["tracks"][0].as_object_mut().unwrap().remove("trackId");
    body["image"] = json!({ "fileId": "00000000-0000-0000-0000-000000000000" });
    assert_eq!(api.post("/content/release/save", &body).await.status, 400);
    body.as_object_mut().unwrap().remove("image");
    let saved = api.save(&body).await;
    assert_eq!(saved["releaseDate"], Value::Null);
    assert_eq!(saved["image"], Value::Null);
}

#[tokio::test]
async fn zero_guid_audio_ids_are_refused_in_every_mode() {
    let api = api().await;
    let mut body = api.complete_release("0123456789012").await;
    body["tracks"][0]["trackRecordingVersions"][0]["audioFiles"][0]["audioId"] =
        json!("00000000-0000-0000-0000-000000000000");
    let refused = api.post("/content/release/save", &body).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("audioId"));
}

#[tokio::test]
async fn save_checks_little_name_and_releases_locals_are_required() {
    let api = api().await;
    let no_name = api.post("/content/release/save", &json!({ "releasesLocals": [] })).await;
    assert_eq!(no_name.status, 400);
    assert!(no_name.json()["errors"]["name"].is_array());
    let no_locals = api.post("/content/release/save", &json!({ "name": "X" })).await;
    assert_eq!(no_locals.status, 400);
    // Missing cover, tracks, copyrights: save accepts, validate will complain.
    assert_eq!(
        api.post("/content/release/save", &json!({ "name": "X", "releasesLocals": [] })).await.status,
        200
    );
    let unknown = api
        .post("/content/release/save", &json!({ "releaseId": 42, "name": "X", "releasesLocals": [] }))
        .await;
    assert_eq!(unknown.status, 400);
}

#[tokio::test]
async fn locked_statuses_refuse_track_edits_but_allow_echoes_and_reads() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    for status in [-10, -11, -20, -21] {
        api.fake.set_store_status(id, 9, status).unwrap();
        let read = api.get(&format!("/content/release/{id}")).await.json();
        assert_eq!(read["isFullyLocked"], true, "{status}");
        assert_eq!(read["tracks"][0]["isFullyLocked"], true);
        // Echoing the read-back unchanged is no edit.
        assert_eq!(api.post("/content/release/save", &read).await.status, 200, "{status}");
        let mut edited = read.clone();
        edited["tracks"][0]["name"] = json!("Renamed");
        let refused = api.post("/content/release/save", &edited).await;
        assert_eq!(refused.status, 403, "{status}");
        assert!(refused.text.contains("read-only"));
        let mut no_audio = read.clone();
        no_audio["tracks"][0]["trackRecordingVersions"][0].as_object_mut().unwrap().remove("audioFiles");
        let refused = api.post("/content/release/save", &no_audio).await;
        assert_eq!(refused.status, 403);
        assert!(refused.text.contains("audio cannot be removed"));
        let mut detached = read.clone();
        detached["tracks"] = json!([]);
        assert_eq!(api.post("/content/release/save", &detached).await.status, 403);
    }
    // Release-level fields stay editable (F3), and a status outside the set unlocks.
    let mut read = api.get(&format!("/content/release/{id}")).await.json();
    read["name"] = json!("New title");
    assert_eq!(api.post("/content/release/save", &read).await.status, 200);
    api.fake.set_store_status(id, 9, 30).unwrap();
    read["tracks"][0]["name"] = json!("Renamed");
    assert_eq!(api.post("/content/release/save", &read).await.status, 200);
}

#[tokio::test]
async fn a_locked_track_may_be_reused_elsewhere_but_not_edited_there() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    api.fake.set_store_status(saved["releaseId"].as_i64().unwrap(), 1, -20).unwrap();
    let locked_track = saved["tracks"][0].clone();
    let mut first_save = api.complete_release("0123456789029").await;
    first_save["tracks"] = json!([locked_track.clone()]);
    let reused = api.post("/content/release/save", &first_save).await;
    assert_eq!(reused.status, 200, "{}", reused.text);
    let mut other = reused.json();
    let mut edited = locked_track.clone();
    edited["explicit"] = json!(true);
    other["tracks"] = json!([edited.clone()]);
    let refused = api.post("/content/release/save", &other).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let standalone = api.post("/content/track/save", &edited).await;
    assert_eq!(standalone.status, 403, "{}", standalone.text);
}

#[tokio::test]
async fn standalone_track_save_get_and_list() {
    let api = api().await;
    let audio = api.upload_audio().await;
    let created = api.post("/content/track/save", &track(&audio, "NOX112600009")).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let created = created.json();
    let id = created["trackId"].as_i64().unwrap();
    assert_eq!(created["isrc"], "NOX112600009");
    assert_eq!(api.get(&format!("/content/track/{id}")).await.json()["name"], "Night Drive");
    let list = api.get("/content/track/all?searchTerm=NOX1126").await.json();
    assert_eq!(list["totalItemsCount"], 1);
    assert_eq!(api.get("/content/track/999").await.status, 404);
}

#[tokio::test]
async fn labels_save_and_list() {
    let api = api().await;
    let label = api.post("/content/label/save", &json!({ "name": "Catno Records" })).await.json();
    assert!(label["labelId"].as_i64().unwrap() > 0);
    let list = api.get("/content/label/all").await.json();
    assert_eq!(list["items"][0]["name"], "Catno Records");
    assert_eq!(api.post("/content/label/save", &json!({})).await.status, 400);
}

#[tokio::test]
async fn lists_page_with_the_documented_envelope_and_clamp_page_size() {
    let api = api().await;
    for n in 0..105 {
        api.save(&json!({ "name": format!("Release {n:03}"), "releasesLocals": [] })).await;
    }
    let page = api.get("/content/release/all?pageNumber=1&pageSize=500").await.json();
    assert_eq!(page["pageSize"], 100);
    assert_eq!(page["totalItemsCount"], 105);
    assert_eq!(page["items"].as_array().unwrap().len(), 100);
    let last = api.get("/content/release/all?pageNumber=3&pageSize=50").await.json();
    assert_eq!(last["items"].as_array().unwrap().len(), 5);
    assert_eq!(last["items"][4]["name"], "Release 104");
    assert!(last.get("additionalCounters").is_some());
    let searched = api.get("/content/release/all?searchTerm=release%2010").await.json();
    assert_eq!(searched["totalItemsCount"], 5);
    assert_eq!(api.get("/content/release/all?pageNumber=0").await.status, 400);
}

#[tokio::test]
async fn retail_save_needs_monetization_policies_and_sets_the_sale_start() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    let missing = api.post("/content/release/retail/save", &json!({ "releaseId": id })).await;
    assert_eq!(missing.status, 400);
    assert!(missing.text.contains("monetizationPolicyIds"));
    let ok = api
        .post(
            "/content/release/retail/save",
            &json!({ "releaseId": id, "saleStartDate": "09/01/2026", "monetizationPolicyIds": [] }),
        )
        .await;
    assert_eq!((ok.status, ok.text.as_str()), (200, ""));
    assert_eq!(
        api.get(&format!("/content/release/{id}")).await.json()["saleStartDate"],
        "2026-09-01T00:00:00"
    );
    let bad = api
        .post(
            "/content/release/retail/save",
            &json!({ "releaseId": id, "saleStartDate": "soon", "monetizationPolicyIds": [] }),
        )
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_release_may_only_reference_labels_that_exist() {
    let api = api().await;
    let refused = api
        .post("/content/release/save", &json!({ "name": "X", "releasesLocals": [], "labelId": 31337 }))
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("Label 31337"));
    let label = api.post("/content/label/save", &json!({ "name": "Catno Records" })).await.json();
    let body =
        json!({ "name": "X", "releasesLocals": [], "hasRecordLabel": true, "labelId": label["labelId"] });
    assert_eq!(api.save(&body).await["labelId"], label["labelId"]);
}

#[tokio::test]
async fn an_echo_with_empty_strings_for_unset_fields_is_no_edit_of_a_locked_track() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    api.fake.set_store_status(id, 9, -21).unwrap();
    let mut echo = api.get(&format!("/content/release/{id}")).await.json();
    echo["tracks"][0]["lyrics"] = json!("");
    echo["tracks"][0].as_object_mut().unwrap().remove("version");
    assert_eq!(api.post("/content/release/save", &echo).await.status, 200);
    echo["tracks"][0]["lyrics"] = json!("la la");
    assert_eq!(api.post("/content/release/save", &echo).await.status, 403);
}
