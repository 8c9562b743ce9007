//! Media QC through the real commands: a release's QC as a job, stored results, cancel.

use std::time::Duration;

use serde_json::json;

use super::{app_with_demo_catalog, invoke};

#[test]
fn release_qc_runs_as_a_job_and_its_results_are_stored() {
    let app = app_with_demo_catalog();
    let page = invoke(&app, "list_releases", json!({"query": {"labelId": null, "offset": 0, "limit": 1}}))
        .expect("releases");
    let id = page["items"][0]["id"].as_i64().expect("id");

    let profiles = invoke(&app, "qc_profiles", json!({})).expect("profiles");
    assert!(profiles.as_array().expect("list").iter().any(|p| p["id"] == "spotify"));

    let before =
        invoke(&app, "get_release_qc", json!({"releaseId": id, "profileId": "generic"})).expect("qc");
    let files = before["files"].as_array().expect("files").len();
    assert!(files >= 2);
    assert_eq!(before["cached"], 0, "nothing analysed yet: {before}");

    let job =
        invoke(&app, "start_release_qc", json!({"releaseId": id, "profileId": "generic"})).expect("start");
    assert!(job.as_u64().is_some(), "{job}");
    let mut stored = before;
    for _ in 0..300 {
        let running = invoke(&app, "running_jobs", json!({})).expect("jobs");
        stored =
            invoke(&app, "get_release_qc", json!({"releaseId": id, "profileId": "generic"})).expect("qc");
        if running.as_array().is_some_and(Vec::is_empty) && stored["cached"].as_u64() == Some(files as u64) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(stored["cached"].as_u64(), Some(files as u64), "{stored}");
    let audio =
        stored["files"].as_array().expect("files").iter().find(|f| f["kind"] == "audio").expect("audio");
    assert_eq!(audio["audio"]["sample_rate"], 44_100);
    assert!(audio["audio"]["waveform"].as_array().is_some_and(|w| !w.is_empty()));

    assert_eq!(invoke(&app, "cancel_job", json!({"id": job})).expect("cancel"), false, "already done");
    let err =
        invoke(&app, "start_release_qc", json!({"releaseId": id, "profileId": "nowhere"})).expect_err("bad");
    assert_eq!(err["code"], "Invalid");
    assert_eq!(err["field"], "profile");
}

#[test]
fn a_file_dropped_on_a_track_is_attached_analysed_and_previewable() {
    use tauri::Manager;

    let app = app_with_demo_catalog();
    let page = invoke(&app, "list_releases", json!({"query": {"labelId": null, "offset": 0, "limit": 1}}))
        .expect("releases");
    let id = page["items"][0]["id"].as_i64().expect("id");
    let detail = invoke(&app, "get_release", json!({"id": id})).expect("release");
    let track = detail["tracks"][0]["id"].as_i64().expect("track");
    let master = detail["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .find(|a| a["kind"] == "Audio")
        .and_then(|a| a["path"].as_str())
        .expect("an audio asset")
        .to_owned();
    // A folder the catalog has never seen: the webview may not load from it yet.
    let elsewhere = tempfile::tempdir().expect("dir");
    let copy = elsewhere.path().join("new master.wav");
    std::fs::copy(&master, &copy).expect("copy");
    let scope = app.webview.asset_protocol_scope();
    assert!(!scope.is_allowed(&copy), "not previewable before it is attached");

    let attached = invoke(
        &app,
        "attach_asset",
        json!({"owner": {"kind": "Track", "id": track}, "path": copy, "profileId": "generic"}),
    )
    .expect("attach");
    assert_eq!(attached["asset"]["trackId"], track, "{attached}");
    assert!(attached["jobId"].as_u64().is_some(), "{attached}");
    assert!(scope.is_allowed(&copy), "its folder is added to the asset scope");

    let mut analysed = false;
    for _ in 0..300 {
        let qc =
            invoke(&app, "get_release_qc", json!({"releaseId": id, "profileId": "generic"})).expect("qc");
        analysed = qc["files"].as_array().expect("files").iter().any(|f| {
            f["path"].as_str().is_some_and(|p| p.ends_with("new master.wav")) && f["audio"].is_object()
        });
        if analysed {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(analysed, "the attached file's QC is stored");

    let err = invoke(
        &app,
        "attach_asset",
        json!({"owner": {"kind": "Track", "id": track}, "path": elsewhere.path().join("missing.wav"),
            "profileId": "generic"}),
    )
    .expect_err("missing file");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("missing.wav")), "{err}");
}
