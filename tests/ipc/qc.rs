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
