//! DDEX commands through the real capability: settings with field errors, preview, export.

use serde_json::json;

use super::{app_with_demo_catalog, invoke};

#[test]
fn ddex_settings_preview_and_export() {
    let app = app_with_demo_catalog();
    let profiles = invoke(&app, "ddex_profiles", json!({})).unwrap();
    assert_eq!(profiles.as_array().unwrap().len(), 4);

    let bad = json!({"update": {"senderDpid": "PADPIDA1", "senderName": null, "schemaDir": null,
        "testMessages": null, "recipients": []}});
    let err = invoke(&app, "set_ddex_settings", bad).unwrap_err();
    assert_eq!(err["code"], "Invalid");
    assert_eq!(err["field"], "sender_dpid");

    let good = json!({"update": {"senderDpid": null, "senderName": null, "schemaDir": null, "testMessages": null,
        "recipients": [{"profileId": "spotify", "dpid": "PADPIDA2011072101T", "name": null}]}});
    let settings = invoke(&app, "set_ddex_settings", good).unwrap();
    assert_eq!(settings["recipients"][0]["dpid"], "PADPIDA2011072101T");

    let page =
        invoke(&app, "list_releases", json!({"query": {"labelId": null, "offset": 0, "limit": 1}})).unwrap();
    let id = page["items"][0]["id"].as_i64().unwrap();
    let options = json!({"profileId": "spotify", "store": null, "messageId": null, "created": null});
    let preview = invoke(&app, "preview_ddex", json!({"releaseId": id, "options": options})).unwrap();
    assert!(preview["xml"].as_str().unwrap().contains("PADPIDA2011072101T"), "{preview}");

    let youtube = json!({"profileId": "youtube", "store": null, "messageId": null, "created": null});
    let refused = invoke(&app, "preview_ddex", json!({"releaseId": id, "options": youtube})).unwrap();
    assert!(refused["xml"].is_null());
    assert_eq!(refused["findings"][0]["target"]["kind"], "settings");

    let never = invoke(&app, "last_ddex_export", json!({"releaseId": id, "profileId": "spotify"})).unwrap();
    assert!(never.is_null(), "{never}");

    let out = tempfile::tempdir().unwrap();
    let export = invoke(
        &app,
        "export_ddex_batch",
        json!({"releaseIds": [id], "options": options, "outDir": out.path(), "batchId": "B1"}),
    )
    .unwrap();
    assert_eq!(export["written"], true, "{export}");
    assert!(out.path().join("B1").join("BatchComplete_B1.xml").is_file());
    let last = invoke(&app, "last_ddex_export", json!({"releaseId": id, "profileId": "spotify"})).unwrap();
    assert_eq!(last["batchId"], "B1");
    assert_eq!(last["xml"], preview["xml"], "the release has not changed since");
}
