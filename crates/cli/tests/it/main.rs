//! The `catno` binary as a user runs it, on catalog files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod ddex;
mod ddex_delivery;
mod qc;
mod review;
mod sync;
mod transfer;
mod transfer_formats;
mod validate;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn catno(catalog: &Path, args: &[&str]) -> Run {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_catno"))
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .env_remove("CATNO_CATALOG")
        // The user's schema cache must not change what a test sees.
        .env("XDG_CACHE_HOME", catalog.with_extension("cache"))
        .output()
        .unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let run = catno(&path, &["demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("10 releases"), "{}", run.stdout);
    (dir, path)
}

/// A failure is one line naming the problem: no panic, no backtrace.
fn assert_one_line_error(run: &Run, mentions: &str) {
    assert_eq!(run.code, 2, "stdout: {} stderr: {}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(mentions), "{:?} should mention {mentions:?}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn demo_then_list_show_set_and_search() {
    let (dir, path) = demo();
    assert!(
        dir.path().join("demo-media").read_dir().unwrap().count() > 30,
        "media written next to the catalog"
    );

    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let releases = releases.as_array().unwrap();
    assert_eq!(releases.len(), 10);
    let first = &releases[0];
    assert!(first["id"].is_i64() && first["title"].is_string() && first["upc"].is_string(), "{first}");
    assert!(first["track_count"].is_i64(), "snake_case keys: {first}");
    let id = first["id"].as_i64().unwrap().to_string();

    let shown = json(&catno(&path, &["release", "show", &id, "--json"]));
    assert_eq!(shown["release"]["id"], first["id"]);
    let text = catno(&path, &["release", "show", &id]);
    assert!(text.stdout.contains(first["title"].as_str().unwrap()));

    let set = catno(&path, &["release", "set", &id, "title=Night Drive", "catalog_number=NLR-777"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let shown = json(&catno(&path, &["release", "show", &id, "--json"]));
    assert_eq!(shown["release"]["title"], "Night Drive");
    assert_eq!(shown["release"]["catalog_number"], "NLR-777");

    let bad = catno(&path, &["release", "set", &id, "upc=036000291453"]);
    assert_one_line_error(&bad, "036000291453");
    let unchanged = json(&catno(&path, &["release", "show", &id, "--json"]));
    assert_eq!(unchanged["release"]["upc"], shown["release"]["upc"]);

    let tracks = json(&catno(&path, &["track", "list", "--release", &id, "--json"]));
    let track = &tracks.as_array().unwrap()[0];
    assert!(track["isrc"].is_string() && track["title"].is_string() && track["id"].is_i64());
    let track_id = track["id"].as_i64().unwrap().to_string();
    let set = catno(&path, &["track", "set", &track_id, "explicit=yes", "isrc=GB-CTN-26-99999"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let shown = json(&catno(&path, &["track", "show", &track_id, "--json"]));
    assert_eq!(shown["isrc"], "GBCTN2699999");
    assert_eq!(shown["explicit"], true);
    let moved = catno(&path, &["track", "set", &track_id, "disc_number=2", "--release", &id]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    let no_release = catno(&path, &["track", "set", &track_id, "track_number=9"]);
    assert_one_line_error(&no_release, "--release");

    let hits = json(&catno(&path, &["search", "Night", "Drive", "--json"]));
    assert!(hits.as_array().unwrap().iter().any(|h| h["title"] == "Night Drive"), "{hits}");
    let hits = json(&catno(&path, &["search", "GBCTN2699", "--json"]));
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "Track"), "{hits}");
}

#[test]
fn bad_input_gets_one_line_and_exit_2() {
    let (dir, path) = demo();
    assert_one_line_error(&catno(&path, &["release", "set", "1", "colour=red"]), "colour");
    assert_one_line_error(&catno(&path, &["release", "set", "1", "title"]), "FIELD=VALUE");
    assert_one_line_error(&catno(&path, &["release", "show", "424242"]), "424242");
    assert_one_line_error(&catno(&path, &["demo"]), "already holds");

    let missing = dir.path().join("nowhere.sqlite");
    assert_one_line_error(&catno(&missing, &["release", "list"]), "nowhere.sqlite");
    assert!(!missing.exists(), "listing does not create a catalog");

    let corrupt = dir.path().join("corrupt.sqlite");
    std::fs::write(&corrupt, vec![0x42; 8192]).unwrap();
    assert_one_line_error(&catno(&corrupt, &["release", "list"]), "corrupt.sqlite");

    let usage = catno(&path, &["release", "frobnicate"]);
    assert_eq!(usage.code, 2);
}

#[test]
fn init_creates_an_empty_catalog_once_and_backup_copies_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    assert_eq!(catno(&path, &["init"]).code, 0);
    let info = json(&catno(&path, &["info", "--json"]));
    assert_eq!(info["releases"], 0);
    assert_one_line_error(&catno(&path, &["init"]), "already exists");
    let backup = dir.path().join("copy.sqlite");
    assert_eq!(catno(&path, &["backup", backup.to_str().unwrap()]).code, 0);
    assert_eq!(json(&catno(&backup, &["info", "--json"]))["releases"], 0);
}

#[test]
fn the_catalog_can_come_from_the_environment() {
    let (_dir, path) = demo();
    let out = Command::new(env!("CARGO_BIN_EXE_catno"))
        .args(["label", "list", "--json"])
        .env("CATNO_CATALOG", &path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let labels: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(labels.as_array().unwrap().len(), 3);
}

#[test]
fn rights_set_show_and_explain_by_track_position() {
    let (_dir, path) = demo();
    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let album =
        releases.as_array().unwrap().iter().max_by_key(|r| r["track_count"].as_i64().unwrap()).unwrap()["id"]
            .to_string();

    let worldwide = catno(
        &path,
        &["rights", "explain", "--release", &album, "--track", "2", "--territory", "JP", "--json"],
    );
    assert_eq!(json(&worldwide)["available"], true, "no rules: worldwide");

    let set = catno(
        &path,
        &["rights", "set", "--release", &album, "--exclude", "JP,DE,AT,CH", "--store", "spotify"],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let delayed = catno(
        &path,
        &[
            "rights",
            "set",
            "--release",
            &album,
            "--track",
            "3",
            "--include",
            "Worldwide",
            "--start",
            "2027-05-01",
        ],
    );
    assert_eq!(delayed.code, 0, "{}", delayed.stderr);

    let shown = json(&catno(&path, &["rights", "show", "--release", &album, "--json"]));
    assert_eq!(shown["rights"]["release"][0]["territories"], serde_json::json!(["JP", "DE", "AT", "CH"]));

    let explain = catno(
        &path,
        &[
            "rights",
            "explain",
            "--release",
            &album,
            "--track",
            "1",
            "--territory",
            "jp",
            "--store",
            "spotify",
            "--json",
        ],
    );
    assert_eq!(explain.code, 1, "unavailable is a finding: {}", explain.stderr);
    let answer: Value = serde_json::from_str(&explain.stdout).unwrap();
    assert_eq!(answer["available"], false);
    assert!(answer["reason"].as_str().unwrap().contains("release rule #1"), "{answer}");

    let early = catno(
        &path,
        &[
            "rights",
            "explain",
            "--release",
            &album,
            "--track",
            "3",
            "--territory",
            "FR",
            "--date",
            "2027-04-30",
            "--json",
        ],
    );
    let answer: Value = serde_json::from_str(&early.stdout).unwrap();
    assert_eq!(answer["available"], false);
    assert!(answer["reason"].as_str().unwrap().contains("2027-05-01"), "{answer}");

    let violation = catno(
        &path,
        &["rights", "set", "--release", &album, "--track", "2", "--include", "JP", "--store", "spotify"],
    );
    assert_one_line_error(&violation, "track 2");
    let unknown = catno(&path, &["rights", "set", "--release", &album, "--exclude", "ZZ"]);
    assert_one_line_error(&unknown, "ZZ");
    let no_track =
        catno(&path, &["rights", "explain", "--release", &album, "--track", "99", "--territory", "FR"]);
    assert_one_line_error(&no_track, "no track 99");
}
