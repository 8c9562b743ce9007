use crate::support::{Api, answer, api, api_with, client, fake, login};
use catno_revelator_fake::{FakeConfig, assumptions};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn login_answers_a_uuid_token_and_the_default_enterprise() {
    let fake = fake(FakeConfig::default()).await;
    let answer = login(&client(), &fake.base_url(), "any-key", "label-1").await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let token = body["accessToken"].as_str().unwrap();
    assert_eq!(token.len(), 36);
    assert_eq!(token.matches('-').count(), 4);
    assert_eq!(body["isAuthorized"], true);
    assert_eq!(body["permissions"][0]["isDefault"], true);
    assert!(body["permissions"][0]["enterpriseId"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn any_non_empty_partner_key_logs_in_by_default_but_an_empty_one_does_not() {
    let fake = fake(FakeConfig::default()).await;
    let http = client();
    for key in ["k", "another key", "3f1c-whatever"] {
        assert_eq!(login(&http, &fake.base_url(), key, "label-1").await.status, 200, "{key}");
    }
    assert_eq!(login(&http, &fake.base_url(), "", "label-1").await.status, 401);
    assert_eq!(login(&http, &fake.base_url(), "k", "").await.status, 400);
}

#[tokio::test]
async fn the_legacy_login_path_answers_too() {
    let fake = fake(FakeConfig::default()).await;
    let response = client()
        .post(format!("{}/account/loginpartner", fake.base_url()))
        .json(&json!({"partnerApiKey": "k", "partnerUserId": "u"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_configured_api_key_is_the_only_one_accepted() {
    let fake = fake(FakeConfig { api_key: Some("secret".into()), ..FakeConfig::default() }).await;
    let http = client();
    let wrong = login(&http, &fake.base_url(), "guess", "label-1").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.json()["title"].as_str().unwrap().contains("not valid"));
    assert_eq!(login(&http, &fake.base_url(), "secret", "label-1").await.status, 200);
}

#[tokio::test]
async fn unknown_users_are_refused_when_only_signed_up_users_may_log_in() {
    let fake = fake(FakeConfig { accept_unknown_users: false, ..FakeConfig::default() }).await;
    let http = client();
    assert_eq!(login(&http, &fake.base_url(), "k", "stranger").await.status, 401);
    let signup = answer(
        http.post(format!("{}/partner/account/signup", fake.base_url()))
            .json(&json!({
                "email": "owner@label.example", "password": "pw", "enterpriseName": "Label",
                "type": "Growth", "partnerAPIKey": "k", "partnerUserId": "stranger",
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(signup.status, 200, "{}", signup.text);
    assert!(signup.json()["enterpriseId"].as_i64().is_some());
    assert_eq!(login(&http, &fake.base_url(), "k", "stranger").await.status, 200);
}

#[tokio::test]
async fn tokens_expire_after_the_ttl_of_the_fake_clock_and_relogin_works() {
    let api = api_with(FakeConfig { token_ttl_seconds: 60, ..FakeConfig::default() }).await;
    assert_eq!(api.get("/content/release/all").await.status, 200);
    api.fake.advance_clock(59);
    assert_eq!(api.get("/content/release/all").await.status, 200);
    api.fake.advance_clock(1);
    let expired = api.get("/content/release/all").await;
    assert_eq!(expired.status, 401);
    assert!(expired.text.contains("expired"));
    let fresh = login(&api.http, &api.fake.base_url(), "demo-key", "label-1").await.json();
    let api = Api { token: fresh["accessToken"].as_str().unwrap().to_owned(), ..api };
    assert_eq!(api.get("/content/release/all").await.status, 200);
}

#[tokio::test]
async fn the_default_ttl_is_eight_hours() {
    let api = api().await;
    api.fake.advance_clock(assumptions::TOKEN_TTL_SECONDS - 1);
    assert_eq!(api.get("/content/release/all").await.status, 200);
    api.fake.advance_clock(1);
    assert_eq!(api.get("/content/release/all").await.status, 401);
}

#[tokio::test]
async fn requests_without_or_with_unknown_tokens_get_401() {
    let api = api().await;
    let none = answer(api.http.get(api.url("/content/release/all")).send().await.unwrap()).await;
    assert_eq!(none.status, 401);
    let bogus =
        answer(api.http.get(api.url("/content/release/all")).bearer_auth("nope").send().await.unwrap()).await;
    assert_eq!(bogus.status, 401);
    api.fake.expire_tokens();
    assert_eq!(api.get("/content/release/all").await.status, 401);
}

#[tokio::test]
async fn legacy_token_transport_works_until_switched_off() {
    let api = api().await;
    let header =
        api.http.get(api.url("/content/release/all")).header("token", &api.token).send().await.unwrap();
    assert_eq!(header.status(), 200);
    let query =
        api.http.get(api.url(&format!("/content/release/all?token={}", api.token))).send().await.unwrap();
    assert_eq!(query.status(), 200);
    api.fake.update_config(|c| c.legacy_token_transport = false);
    let header =
        api.http.get(api.url("/content/release/all")).header("token", &api.token).send().await.unwrap();
    assert_eq!(header.status(), 401);
    assert_eq!(api.get("/content/release/all").await.status, 200);
}

/// The binary: `--api-key` restricts logins, `--port 0` picks a free port and prints the URL.
#[tokio::test]
async fn the_binary_serves_and_its_api_key_flag_restricts() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catno-revelator-fake"))
        .args(["--port", "0", "--api-key", "only-this", "--latency-ms", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    // Kept open until the child is killed, so its later output has somewhere to go.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let base = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap().to_owned();
    let http = client();
    let wrong = login(&http, &base, "other", "u").await.status;
    let right = login(&http, &base, "only-this", "u").await.status;
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdout);
    assert_eq!((wrong, right), (401, 200));
}

#[test]
fn the_binary_refuses_bad_arguments() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_catno-revelator-fake")).args(["--port", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--port \"x\" is not a port number"));
}
