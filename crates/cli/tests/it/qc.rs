//! `catno inspect` and `catno qc` on generated audio and artwork.

use std::path::Path;

use catno_media::generate::{write_cover_png, write_tone_wav};
use serde_json::Value;

use super::{assert_one_line_error, catno, demo, json};

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn rule_ids(file: &Value) -> Vec<String> {
    file["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("rule_id").to_owned())
        .collect()
}

#[test]
fn inspect_without_a_catalog_prints_the_figures_of_each_file() {
    let dir = tempfile::tempdir().expect("dir");
    let wav = dir.path().join("master.wav");
    let png = dir.path().join("cover.png");
    write_tone_wav(&wav, &[440.0, 550.0], 2.0, 48_000, -3.0).expect("wav");
    write_cover_png(&png, 3000, [20, 30, 40], [220, 120, 60]).expect("png");
    let no_catalog = dir.path().join("none.sqlite");
    let wav_arg = wav.to_str().expect("utf-8");
    let png_arg = png.to_str().expect("utf-8");

    let files = json(&catno(&no_catalog, &["inspect", wav_arg, png_arg, "--json"]));
    assert!(!no_catalog.exists(), "inspect makes no catalog");
    let audio = &files[0];
    assert_eq!(audio["path"], wav_arg);
    assert_eq!(audio["kind"], "audio");
    assert_eq!(audio["sample_rate"], 48_000);
    assert_eq!(audio["bit_depth"], 16);
    assert_eq!(audio["channels"], 2);
    assert_eq!(audio["duration_ms"], 2000);
    for key in ["integrated_lufs", "true_peak_dbtp", "sample_peak_dbfs"] {
        assert!(audio[key].is_f64(), "{key}: {audio}");
    }
    assert!(audio["sample_peak_dbfs"].as_f64().expect("peak") < -2.5);
    assert_eq!(audio["md5"].as_str().map(str::len), Some(32));
    assert!(audio["findings"].is_array());
    assert_eq!(audio["cached"], false);
    let image = &files[1];
    assert_eq!(image["kind"], "artwork");
    assert_eq!((image["width"].as_i64(), image["height"].as_i64()), (Some(3000), Some(3000)));
    assert_eq!(image["color_type"], "rgb");
    assert!(rule_ids(image).is_empty(), "{image}");

    let text = catno(&no_catalog, &["inspect", wav_arg, png_arg]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("48.0 kHz") && text.stdout.contains("3000×3000"), "{}", text.stdout);
}

#[test]
fn error_findings_exit_1_and_missing_files_exit_2() {
    let dir = tempfile::tempdir().expect("dir");
    let small = dir.path().join("small.png");
    write_cover_png(&small, 500, [0, 0, 0], [255, 255, 255]).expect("png");
    let no_catalog = dir.path().join("none.sqlite");
    let small_arg = small.to_str().expect("utf-8");

    let run = catno(&no_catalog, &["inspect", small_arg, "--profile", "apple_music", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let files = parse(&run.stdout);
    assert!(rule_ids(&files[0]).contains(&"ART-DIM".to_owned()), "{}", run.stdout);

    let missing = dir.path().join("gone.wav");
    let run = catno(&no_catalog, &["inspect", small_arg, missing.to_str().expect("utf-8"), "--json"]);
    assert_one_line_error(&run, "gone.wav");

    let run = catno(&no_catalog, &["inspect", small_arg, "--profile", "nowhere"]);
    assert_one_line_error(&run, "nowhere");
}

#[test]
fn qc_of_a_release_reports_progress_stores_results_and_inspect_reuses_them() {
    let (_dir, path) = demo();
    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let id = releases[0]["id"].as_i64().expect("id").to_string();

    let run = catno(&path, &["qc", "--release", &id, "--json"]);
    let qc = parse(&run.stdout);
    let files = qc["files"].as_array().expect("files");
    assert!(files.len() >= 2, "{qc}");
    assert_eq!(qc["analyzed"].as_u64(), Some(files.len() as u64));
    let has_error = files
        .iter()
        .any(|f| f["findings"].as_array().is_some_and(|a| a.iter().any(|x| x["severity"] == "error")));
    assert_eq!(run.code, if has_error { 1 } else { 0 }, "{}", run.stderr);
    assert!(has_error, "the 1400 px demo cover is under the generic 3000 px");
    let progress = format!("qc: {}/{}", files.len(), files.len());
    assert!(run.stderr.contains("qc: 1/") && run.stderr.contains(&progress), "{}", run.stderr);
    let cover = files.iter().find(|f| f["kind"] == "artwork").expect("cover");
    assert_eq!(cover["width"], 1400);
    let master = files.iter().find(|f| f["kind"] == "audio").expect("master");
    assert_eq!(master["sample_rate"], 44_100);

    let again = parse(&catno(&path, &["qc", "--release", &id, "--json"]).stdout);
    assert_eq!(again["analyzed"], 0);
    assert_eq!(again["cached"].as_u64(), Some(files.len() as u64));

    let master_path = master["path"].as_str().expect("path");
    let inspected = json(&catno(&path, &["inspect", master_path, "--json"]));
    assert_eq!(inspected[0]["cached"], true, "the catalog's analysis is reused");
    assert_eq!(inspected[0]["md5"], master["md5"]);

    let run = catno(&path, &["qc", "--release", "999999"]);
    assert_one_line_error(&run, "999999");
    assert!(Path::new(master_path).exists());
}
