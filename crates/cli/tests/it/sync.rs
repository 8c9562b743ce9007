//! `catno revelator login`, `catno sync` and `catno delivery` against the fake Revelator on
//! 127.0.0.1, with the key in the real OS keyring (gnome-keyring under `dbus-run-session` in
//! CI), and `catno sync` killed at arbitrary points and started again.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use catno_revelator_fake::{FakeConfig, FakeRevelator};
use serde_json::Value;

use crate::{catno, demo, json};

const KEY: &str = "partner-key-CLI-SECRET-77";

/// A keyring service of this test alone, or why the OS keyring cannot be used here.
fn keyring_service(test: &str) -> Option<String> {
    let reason = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        Some("no D-Bus session bus".to_owned())
    } else {
        None
    };
    if let Some(why) = reason {
        assert!(
            std::env::var_os("CATNO_REQUIRE_KEYRING").is_none(),
            "CATNO_REQUIRE_KEYRING is set but the keyring cannot be used: {why}"
        );
        eprintln!("\n*** SKIPPED {test}: {why}; run the tests under dbus-run-session with gnome-keyring\n");
        return None;
    }
    Some(format!("org.catno.test.{test}.{}", std::process::id()))
}

fn catno_with(catalog: &Path, service: &str, args: &[&str], stdin: Option<&str>) -> crate::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catno"))
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .env("CATNO_KEYRING_SERVICE", service)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    crate::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn login(catalog: &Path, service: &str, fake: &FakeRevelator) -> crate::Run {
    catno_with(
        catalog,
        service,
        &["revelator", "login", "--partner-user-id", "northern-lights", "--base-url", &fake.base_url()],
        Some(KEY),
    )
}

#[test]
fn a_killed_sync_resumes_and_the_remote_ends_equal_to_the_catalog() {
    let Some(service) = keyring_service("sync_resume") else { return };
    let (_dir, catalog) = demo();
    let fake =
        FakeRevelator::start_background(FakeConfig { latency_ms: 15, ..FakeConfig::default() }).unwrap();

    let refused = catno_with(
        &catalog,
        &service,
        &["revelator", "login", "--partner-user-id", "", "--base-url", &fake.base_url()],
        Some(KEY),
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let run = login(&catalog, &service, &fake);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let status = json(&catno_with(&catalog, &service, &["--json", "revelator", "status"], None));
    assert_eq!(status["has_key"], true);
    // The key is in the keyring, not in the catalog file.
    let bytes = std::fs::read(&catalog).unwrap();
    assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "the key leaked into the catalog");

    // Kill `catno sync` at growing delays until one run completes.
    for delay_ms in [40u64, 90, 160, 250, 400, 700, 1200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_catno"))
            .arg("--catalog")
            .arg(&catalog)
            .args(["sync"])
            .env("CATNO_KEYRING_SERVICE", &service)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let run = catno_with(&catalog, &service, &["--json", "sync"], None);
    assert_eq!(run.code, 0, "{} {}", run.stdout, run.stderr);

    let list = json(&catno_with(&catalog, &service, &["--json", "release", "list"], None));
    let items = list.as_array().unwrap();
    let mut local: Vec<String> = items.iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect();
    for item in items {
        assert_eq!(item["sync_state"], "synced", "{item}");
        assert!(item["remote_id"].is_string(), "{item}");
    }
    let mut remote: Vec<String> = fake.release_names().into_iter().map(|(_, name)| name).collect();
    local.sort();
    remote.sort();
    assert_eq!(remote, local, "nothing lost, nothing duplicated");
    for request in fake.requests() {
        if !request.path.ends_with("/account/login") {
            assert!(
                !format!("{request:?}").contains(KEY),
                "the key went where it should not: {}",
                request.path
            );
        }
    }

    let logout = catno_with(&catalog, &service, &["revelator", "logout"], None);
    assert_eq!(logout.code, 0, "{}", logout.stderr);
    let after = catno_with(&catalog, &service, &["sync"], None);
    assert_eq!(after.code, 2);
    assert!(after.stderr.contains("login"), "{}", after.stderr);
}

#[test]
fn delivery_status_and_takedown_from_the_command_line() {
    let Some(service) = keyring_service("delivery_cli") else { return };
    let (_dir, catalog) = demo();
    let fake = FakeRevelator::start_background(FakeConfig::default()).unwrap();
    assert_eq!(login(&catalog, &service, &fake).code, 0);
    assert_eq!(catno_with(&catalog, &service, &["sync"], None).code, 0);
    let stores = json(&catno_with(&catalog, &service, &["--json", "delivery", "stores"], None));
    let store = stores[0]["id"].as_str().unwrap().to_owned();

    let list = json(&catno(&catalog, &["--json", "release", "list"]));
    let mut delivered = None;
    for item in list.as_array().unwrap() {
        let id = item["id"].as_i64().unwrap().to_string();
        let run = catno_with(
            &catalog,
            &service,
            &["--json", "delivery", "deliver", "--release", &id, "--store", &store],
            None,
        );
        if run.code == 0 {
            delivered = Some((id, item["remote_id"].as_str().unwrap().parse::<i64>().unwrap()));
            break;
        }
        assert_eq!(run.code, 1, "a refused delivery is a finding: {}", run.stderr);
        let view = json(&catno_with(
            &catalog,
            &service,
            &["--json", "delivery", "status", "--release", &id, "--offline"],
            None,
        ));
        assert_eq!(view["state"], "failed");
        assert!(view["error"].as_str().is_some_and(|e| !e.is_empty()));
        cancel_delivery(&catalog, &id);
    }
    let (id, remote_id) = delivered.expect("a demo release passes the fake's validation");
    let view: Value =
        json(&catno_with(&catalog, &service, &["--json", "delivery", "status", "--release", &id], None));
    assert_eq!(view["stores"][0]["store_id"], store.as_str());
    assert_eq!(view["stores"][0]["state"], "locked", "queued for approval: {view}");

    fake.approve(remote_id).unwrap();
    while fake.advance(remote_id).unwrap() > 0 {}
    let live =
        json(&catno_with(&catalog, &service, &["--json", "delivery", "status", "--release", &id], None));
    assert_eq!(live["stores"][0]["state"], "live", "{live}");
    let run = catno_with(
        &catalog,
        &service,
        &["--json", "delivery", "takedown", "--release", &id, "--store", &store],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gone =
        json(&catno_with(&catalog, &service, &["--json", "delivery", "status", "--release", &id], None));
    assert_ne!(gone["stores"][0]["raw_status"], live["stores"][0]["raw_status"], "{gone}");
    assert_eq!(catno_with(&catalog, &service, &["revelator", "logout"], None).code, 0);
}

/// Gives up a refused delivery (the user's "cancel" in the sync panel).
fn cancel_delivery(catalog: &Path, id: &str) {
    let run = catno(catalog, &["delivery", "cancel", "--release", id]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
