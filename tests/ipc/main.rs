//! The real commands through Tauri's mock runtime, with the real capability file, against a
//! catalog on disk.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

mod bulk;
mod ddex;
mod qc;
mod transfer;
mod workflow;

struct App {
    _app: tauri::App<MockRuntime>,
    webview: tauri::WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn app_with_demo_catalog() -> App {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.sqlite");
    let app = catno_desktop::build(mock_builder(), None)
        .build(tauri::generate_context!("tauri.conf.json", test = true))
        .unwrap();
    catno_desktop::start(app.handle(), Some(catalog)).unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    App { _app: app, webview, _dir: dir }
}

fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn first_start_shows_the_demo_catalog() {
    let app = app_with_demo_catalog();
    let info = invoke(&app, "catalog_info", json!({})).unwrap();
    assert!(info["releases"].as_i64().unwrap() >= 10, "{info}");
    let page =
        invoke(&app, "list_releases", json!({"query": {"labelId": null, "offset": 0, "limit": 5}})).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(page["total"].as_i64().unwrap() >= 10);
    assert!(page["items"][0]["title"].is_string());
}

#[test]
fn an_invalid_upc_comes_back_as_code_message_and_field() {
    let app = app_with_demo_catalog();
    let page =
        invoke(&app, "list_releases", json!({"query": {"labelId": null, "offset": 0, "limit": 1}})).unwrap();
    let id = page["items"][0]["id"].as_i64().unwrap();
    let err = invoke(&app, "set_release_field", json!({"id": id, "field": "upc", "value": "036000291453"}))
        .unwrap_err();
    assert_eq!(err["code"], "Invalid");
    assert_eq!(err["field"], "upc");
    assert!(err["message"].as_str().unwrap().contains("036000291453"), "{err}");

    let ok =
        invoke(&app, "set_release_field", json!({"id": id, "field": "title", "value": "Renamed"})).unwrap();
    assert_eq!(ok["title"], "Renamed");
    let detail = invoke(&app, "get_release", json!({"id": id})).unwrap();
    assert_eq!(detail["release"]["title"], "Renamed");
}

#[test]
fn a_missing_release_is_not_found() {
    let app = app_with_demo_catalog();
    let err = invoke(&app, "get_release", json!({"id": 999_999})).unwrap_err();
    assert_eq!(err["code"], "NotFound");
}

#[test]
fn search_finds_a_release_by_catalog_number() {
    let app = app_with_demo_catalog();
    let hits = invoke(&app, "search", json!({"text": "NLR001", "limit": 10})).unwrap();
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "Release"), "{hits}");
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let app = app_with_demo_catalog();
    // A core Tauri command the capability does not grant.
    let err = invoke(&app, "plugin:window|close", json!({})).unwrap_err();
    assert!(err.to_string().to_lowercase().contains("not allowed"), "{err}");
}
