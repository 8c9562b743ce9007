//! Validation, the workflow, the checklist and the audit log through the real commands.

use serde_json::json;

use super::{app_with_demo_catalog, invoke};

#[test]
fn a_release_is_validated_reviewed_ticked_approved_and_audited_as_the_user() {
    let app = app_with_demo_catalog();
    let name = invoke(&app, "set_user_name", json!({"name": "Ana QC"})).expect("user name");
    assert_eq!(name, "Ana QC");
    assert_eq!(invoke(&app, "get_user_name", json!({})).expect("name"), "Ana QC");

    let rules = invoke(&app, "validation_rules", json!({})).expect("rules");
    assert!(rules.as_array().expect("list").len() >= 35);
    let profiles = invoke(&app, "validation_profiles", json!({})).expect("profiles");
    assert!(profiles.as_array().expect("list").iter().any(|p| p[0] == "spotify"));

    // The demo's first release has no validation errors.
    let report =
        invoke(&app, "validate_release", json!({"releaseId": 1, "profileId": "generic"})).expect("report");
    assert_eq!(report["errors"], 0, "{report}");

    invoke(
        &app,
        "transition_release",
        json!({"releaseId": 1, "to": "InReview", "reason": null, "store": null}),
    )
    .expect("submit");
    let refused = invoke(
        &app,
        "transition_release",
        json!({"releaseId": 1, "to": "Approved", "reason": null, "store": null}),
    )
    .expect_err("checklist open");
    assert_eq!(refused["code"], "Invalid");
    assert!(refused["message"].as_str().expect("message").contains("QC checklist"), "{refused}");
    let rejected = invoke(
        &app,
        "transition_release",
        json!({"releaseId": 1, "to": "Rejected", "reason": null, "store": null}),
    )
    .expect_err("reason needed");
    assert!(rejected["message"].as_str().expect("message").contains("reason"), "{rejected}");

    let mut checklist = json!(null);
    for item in ["cover_text_matches", "cover_clean", "audio_matches_tracklist", "explicit_flags_checked"] {
        checklist =
            invoke(&app, "set_check", json!({"releaseId": 1, "item": item, "checked": true})).expect("tick");
    }
    assert_eq!(checklist["complete"], true, "{checklist}");
    assert_eq!(checklist["items"][1]["checkedBy"], "Ana QC");

    let approved = invoke(
        &app,
        "transition_release",
        json!({"releaseId": 1, "to": "Approved", "reason": null, "store": null}),
    )
    .expect("approve");
    assert_eq!(approved["actor"], "Ana QC");
    let state = invoke(&app, "workflow_state", json!({"releaseId": 1})).expect("state");
    assert_eq!(state["status"], "Approved");
    assert_eq!(state["next"], json!(["Queued", "Draft"]));

    let queue = invoke(&app, "review_queue", json!({"status": "Approved", "limit": 50})).expect("queue");
    assert_eq!(queue["items"][0]["release"]["id"], 1);
    assert_eq!(queue["items"][0]["by"], "Ana QC");

    invoke(&app, "set_release_field", json!({"id": 1, "field": "genre", "value": "Ambient"})).expect("edit");
    let changes =
        invoke(&app, "changes_since", json!({"releaseId": 1, "since": {"kind": "approval"}})).expect("since");
    let entries = changes["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{changes}");
    assert_eq!((entries[0]["field"].as_str(), entries[0]["actor"].as_str()), (Some("genre"), Some("Ana QC")));
    let log = invoke(&app, "audit_log", json!({"releaseId": 1})).expect("log");
    assert!(log.as_array().expect("log").iter().any(|e| e["field"] == "check:cover_clean"));
}
