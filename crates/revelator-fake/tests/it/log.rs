use crate::support::{JPEG, answer, api};
use catno_revelator_fake::{AuthTransport, LoggedBody};
use serde_json::json;

#[tokio::test]
async fn the_log_records_wire_shapes_and_redacts_secrets() {
    let api = api().await;
    let saved = api.save(&api.complete_release("0123456789012").await).await;
    let id = saved["releaseId"].as_i64().unwrap();
    api.post(
        &format!("/distribution/release/addtoqueue?releaseId={id}&suppressDeliveryEmail=false"),
        &json!([1, 9]),
    )
    .await;
    api.control("/__fake/clock", &json!({ "advance_seconds": 1 })).await;
    let log = api.fake.requests();
    let paths: Vec<&str> = log.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/partner/account/login",
            "/media/image/upload",
            "/media/audio/upload",
            "/content/release/save",
            "/distribution/release/addtoqueue",
        ]
    );
    assert!(log.windows(2).all(|w| w[1].seq == w[0].seq + 1));

    let login = &log[0];
    assert_eq!(login.auth, AuthTransport::None);
    assert!(login.carries_partner_api_key);
    assert_eq!(login.json().unwrap()["partnerApiKey"], "<redacted>");
    assert_eq!(login.json().unwrap()["partnerUserId"], "label-1");

    let upload = &log[1];
    assert_eq!(upload.query_param("cover"), Some("true"));
    let LoggedBody::Multipart { parts } = &upload.body else { panic!("{:?}", upload.body) };
    assert_eq!(parts[0].name.as_deref(), Some("file"));
    assert_eq!(parts[0].filename.as_deref(), Some("cover.jpg"));
    assert_eq!(parts[0].size, JPEG.len() as u64);

    let save = &log[3];
    assert_eq!(save.method, "POST");
    assert_eq!(save.auth, AuthTransport::Bearer);
    assert_eq!(save.header("authorization"), Some("Bearer <redacted>"));
    assert!(save.header("content-type").unwrap().starts_with("application/json"));
    assert!(save.json().unwrap()["upc"].is_string());
    assert!(save.json().unwrap().get("releaseId").is_none());
    assert_eq!(save.response_status, Some(200));
    assert!(!save.carries_partner_api_key);

    let queue = &log[4];
    assert_eq!(queue.query_param("releaseId"), Some(id.to_string().as_str()));
    assert_eq!(queue.query.as_deref(), Some(format!("releaseId={id}&suppressDeliveryEmail=false").as_str()));
    assert_eq!(queue.json(), Some(&json!([1, 9])));
    assert!(log[1..].iter().all(|e| !e.carries_partner_api_key));
}

#[tokio::test]
async fn the_api_key_is_flagged_wherever_else_it_travels() {
    let api = api().await;
    let leaked =
        api.http.get(api.url("/content/release/all")).bearer_auth(&api.token).header("x-api-key", "demo-key");
    leaked.send().await.unwrap();
    let entry = api.fake.requests().pop().unwrap();
    assert!(entry.carries_partner_api_key);
}

#[tokio::test]
async fn the_log_is_served_over_http_and_can_be_read_incrementally_and_cleared() {
    let api = api().await;
    api.get("/common/lookup/languages").await;
    let all = answer(api.http.get(api.url("/__fake/log")).send().await.unwrap()).await.json();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[1]["path"], "/common/lookup/languages");
    assert_eq!(all[1]["auth"], "bearer");
    assert_eq!(all[1]["body"]["kind"], "empty");
    let since = answer(api.http.get(api.url("/__fake/log?since=1")).send().await.unwrap()).await.json();
    assert_eq!(since.as_array().unwrap().len(), 1);
    assert_eq!(answer(api.http.delete(api.url("/__fake/log")).send().await.unwrap()).await.status, 204);
    assert!(api.fake.requests().is_empty());
}

#[tokio::test]
async fn malformed_json_is_logged_as_text_and_refused() {
    let api = api().await;
    let response = api
        .http
        .post(api.url("/content/release/save"))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let entry = api.fake.requests().pop().unwrap();
    assert_eq!(entry.body, LoggedBody::Text { text: "{\"name\": ".into() });
}

#[tokio::test]
async fn a_short_partner_key_is_not_found_inside_other_words() {
    let fake = crate::support::fake(catno_revelator_fake::FakeConfig::default()).await;
    let http = crate::support::client();
    let token = crate::support::login(&http, &fake.base_url(), "k", "u").await.json()["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    http.get(format!("{}/content/release/all?searchTerm=kk", fake.base_url()))
        .bearer_auth(&token)
        .header("x-note", "keep-alive k-pop")
        .send()
        .await
        .unwrap();
    http.get(format!("{}/content/release/all?key=k", fake.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let log = fake.requests();
    assert_eq!(log.iter().map(|e| e.carries_partner_api_key).collect::<Vec<_>>(), vec![true, false, true]);
}
