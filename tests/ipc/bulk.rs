//! Bulk edits through the real commands and the real capability: preview, apply, undo.

use serde_json::json;

use super::{app_with_demo_catalog, invoke};

#[test]
fn a_bulk_edit_is_previewed_applied_and_undone_through_ipc() {
    let app = app_with_demo_catalog();
    let targets = json!({"kind": "releases", "ids": [1, 2]});
    let edit = json!({"op": "setReleaseField", "field": "genre", "value": "Ambient"});
    let before: Vec<_> = [1, 2]
        .iter()
        .map(|id| {
            invoke(&app, "get_release", json!({"id": id})).expect("release")["release"]["genre"].clone()
        })
        .collect();

    let preview =
        invoke(&app, "preview_bulk_edit", json!({"targets": targets, "edit": edit})).expect("preview");
    assert_eq!(preview["changes"].as_array().expect("changes").len(), 2, "{preview}");
    assert_eq!(preview["changes"][0]["after"], "Ambient");

    let applied = invoke(&app, "apply_bulk_edit", json!({"targets": targets, "edit": edit})).expect("apply");
    let genre = invoke(&app, "get_release", json!({"id": 2})).expect("release")["release"]["genre"].clone();
    assert_eq!(genre, "Ambient");

    invoke(&app, "undo_bulk_edit", json!({"undo": applied["undo"]})).expect("undo");
    for (id, genre) in [1, 2].iter().zip(&before) {
        let now =
            invoke(&app, "get_release", json!({"id": id})).expect("release")["release"]["genre"].clone();
        assert_eq!(&now, genre);
    }

    // A refused edit is `{code, message}` naming the item, and changes nothing.
    let upcs_before: Vec<_> = [1, 2]
        .iter()
        .map(|id| invoke(&app, "get_release", json!({"id": id})).expect("release")["release"]["upc"].clone())
        .collect();
    let refused = invoke(
        &app,
        "apply_bulk_edit",
        json!({"targets": targets, "edit": {"op": "setReleaseField", "field": "upc", "value": "4006381333931"}}),
    )
    .expect_err("one UPC for two releases");
    assert_eq!(refused["code"], "Invalid", "{refused}");
    assert!(refused["message"].as_str().expect("message").contains("nothing was changed"), "{refused}");
    for (id, upc) in [1, 2].iter().zip(&upcs_before) {
        let now = invoke(&app, "get_release", json!({"id": id})).expect("release")["release"]["upc"].clone();
        assert_eq!(&now, upc, "release {id} kept its UPC");
    }
}
