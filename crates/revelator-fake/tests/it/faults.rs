use crate::support::{answer, api};
use catno_revelator_fake::{Fault, FaultRule};
use serde_json::json;
use std::time::{Duration, Instant};

fn rule(method: &str, path: &str, fault: Fault) -> FaultRule {
    FaultRule::new(Some(method), path, fault)
}

async fn release_count(api: &crate::support::Api) -> i64 {
    api.get("/content/release/all").await.json()["totalItemsCount"].as_i64().unwrap()
}

#[tokio::test]
async fn unauthorized_hits_the_next_n_calls_even_with_a_fresh_token() {
    let api = api().await;
    api.fake.push_fault(rule("GET", "/content/release/all", Fault::Unauthorized).times(2)).unwrap();
    assert_eq!(api.get("/content/release/all").await.status, 401);
    assert_eq!(api.get("/content/release/all").await.status, 401);
    assert_eq!(api.get("/content/release/all").await.status, 200);
    assert!(api.fake.pending_faults().is_empty());
}

#[tokio::test]
async fn rate_limited_answers_429_with_retry_after_and_does_nothing() {
    let api = api().await;
    api.fake
        .push_fault(rule("POST", "/content/release/save", Fault::RateLimited { retry_after_seconds: 7 }))
        .unwrap();
    let limited = api.post("/content/release/save", &json!({ "name": "X", "releasesLocals": [] })).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "7");
    assert_eq!(release_count(&api).await, 0);
}

#[tokio::test]
async fn the_token_bucket_limits_bursts_per_token() {
    let api = api().await;
    api.fake.update_config(|c| {
        c.rate_limit = Some(catno_revelator_fake::RateLimit { burst: 3, per_second: 0.5 })
    });
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(api.get("/content/release/all").await);
    }
    assert_eq!(statuses.iter().map(|a| a.status).collect::<Vec<_>>(), vec![200, 200, 200, 429]);
    assert_eq!(statuses[3].headers["retry-after"], "2");
}

#[tokio::test]
async fn server_errors_come_as_the_api_error_or_a_gateway_page() {
    let api = api().await;
    api.fake.push_fault(rule("GET", "/content/release/all", Fault::ServerError { status: 500 })).unwrap();
    api.fake.push_fault(rule("GET", "/content/release/all", Fault::ServerError { status: 503 })).unwrap();
    let five_hundred = api.get("/content/release/all").await;
    assert_eq!(five_hundred.status, 500);
    assert_eq!(five_hundred.json()["status"], 500);
    let unavailable = api.get("/content/release/all").await;
    assert_eq!(unavailable.status, 503);
    assert!(unavailable.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(api.fake.push_fault(rule("GET", "*", Fault::ServerError { status: 404 })).is_err());
}

#[tokio::test]
async fn timeout_holds_the_request_past_the_client_deadline() {
    let api = api().await;
    api.fake.push_fault(rule("GET", "/content/release/all", Fault::Timeout { hang_ms: 1500 })).unwrap();
    let started = Instant::now();
    let result = api
        .http
        .get(api.url("/content/release/all"))
        .bearer_auth(&api.token)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    assert!(started.elapsed() < Duration::from_millis(1400));
    assert_eq!(api.get("/content/release/all").await.status, 200);
}

#[tokio::test]
async fn connection_reset_closes_without_an_answer_and_executes_nothing() {
    let api = api().await;
    api.fake.push_fault(rule("POST", "/content/release/save", Fault::ConnectionReset)).unwrap();
    let result = api
        .http
        .post(api.url("/content/release/save"))
        .bearer_auth(&api.token)
        .json(&json!({ "name": "X", "releasesLocals": [] }))
        .send()
        .await;
    assert!(result.is_err());
    assert_eq!(release_count(&api).await, 0);
    let log = api.fake.requests();
    let dropped = log.iter().find(|e| e.path == "/content/release/save").unwrap();
    assert_eq!((dropped.response_status, dropped.fault.as_deref()), (None, Some("connection_reset")));
}

#[tokio::test]
async fn html_error_page_comes_with_status_200() {
    let api = api().await;
    api.fake.push_fault(rule("GET", "/content/release/all", Fault::HtmlErrorPage)).unwrap();
    let page = api.get("/content/release/all").await;
    assert_eq!(page.status, 200);
    assert!(page.text.starts_with("<!DOCTYPE html>"));
    assert!(serde_json::from_str::<serde_json::Value>(&page.text).is_err());
}

#[tokio::test]
async fn truncated_json_after_the_write() {
    let api = api().await;
    api.fake.push_fault(rule("POST", "/content/release/save", Fault::TruncatedJson)).unwrap();
    let cut = api.post("/content/release/save", &json!({ "name": "X", "releasesLocals": [] })).await;
    assert_eq!(cut.status, 200);
    assert!(cut.text.starts_with('{'));
    assert!(serde_json::from_str::<serde_json::Value>(&cut.text).is_err());
    assert_eq!(release_count(&api).await, 1);
}

#[tokio::test]
async fn empty_success_after_the_write() {
    let api = api().await;
    api.fake.push_fault(rule("POST", "/content/release/save", Fault::EmptySuccess)).unwrap();
    let empty = api.post("/content/release/save", &json!({ "name": "X", "releasesLocals": [] })).await;
    assert_eq!((empty.status, empty.text.as_str()), (200, ""));
    assert_eq!(release_count(&api).await, 1);
}

#[tokio::test]
async fn error_after_write_creates_the_release_but_answers_500() {
    let api = api().await;
    api.fake
        .push_fault(rule("POST", "/content/release/save", Fault::ErrorAfterWrite { status: 500 }))
        .unwrap();
    let body = json!({ "name": "Lost Answer", "releasesLocals": [], "upc": "0123456789012" });
    let failed = api.post("/content/release/save", &body).await;
    assert_eq!(failed.status, 500);
    // The client reconciles by UPC and finds the release that was created anyway.
    let found = api.get("/content/release/all?searchTerm=0123456789012").await.json();
    assert_eq!(found["totalItemsCount"], 1);
    assert_eq!(found["items"][0]["name"], "Lost Answer");
    // A blind retry of the create now fails on the duplicate UPC.
    assert_eq!(api.post("/content/release/save", &body).await.status, 400);
}

#[tokio::test]
async fn rules_match_by_method_and_path_prefix_and_are_consumed_in_order() {
    let api = api().await;
    api.fake.push_fault(FaultRule::new(None, "/content/*", Fault::ServerError { status: 502 })).unwrap();
    api.fake.push_fault(rule("GET", "/common/lookup/stores", Fault::Unauthorized)).unwrap();
    assert_eq!(api.get("/common/lookup/languages").await.status, 200);
    assert_eq!(api.get("/common/lookup/stores").await.status, 401);
    assert_eq!(api.get("/content/label/all").await.status, 502);
    assert_eq!(api.get("/content/label/all").await.status, 200);
}

#[tokio::test]
async fn faults_can_be_scripted_over_http() {
    let api = api().await;
    let pushed = api
        .control(
            "/__fake/faults",
            &json!([
                { "method": "GET", "path": "/content/release/all", "fault": { "kind": "rate_limited", "retry_after_seconds": 3 } },
                { "path": "/content/release/all", "times": 2, "fault": { "kind": "server_error", "status": 504 } }
            ]),
        )
        .await;
    assert_eq!(pushed.status, 200, "{}", pushed.text);
    assert_eq!(pushed.json()["pending"], 2);
    let listed = answer(api.http.get(api.url("/__fake/faults")).send().await.unwrap()).await.json();
    assert_eq!(listed[1]["fault"]["kind"], "server_error");
    assert_eq!(api.get("/content/release/all").await.status, 429);
    assert_eq!(api.get("/content/release/all").await.status, 504);
    assert_eq!(api.get("/content/release/all").await.status, 504);
    assert_eq!(api.get("/content/release/all").await.status, 200);
    let bad = api.control("/__fake/faults", &json!({ "path": "*", "fault": { "kind": "meteor" } })).await;
    assert_eq!(bad.status, 400);
}
