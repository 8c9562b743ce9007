//! `catno import`, `import-mapping` and `export` as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn catno(catalog: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_catno"))
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .env_remove("CATNO_CATALOG")
        .output()
        .expect("run catno");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

fn ok_json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "stdout: {} stderr: {}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const GOOD: &str = "upc;release_title;release_artist;label;track;isrc;track_title;duration\n\
    5060123459999;Night Lines;Ana Ruiz;Northern Lights;1;GBCTN2690001;First Light;3:35\n\
    5060123459999;Night Lines;Ana Ruiz;Northern Lights;2;GBCTN2690002;Second Light;4:01\n";

#[test]
fn dry_run_then_import_then_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("c.sqlite");
    assert_eq!(catno(&catalog, &["init"]).code, 0);
    let file = write(dir.path(), "in.csv", GOOD.as_bytes());

    let plan = ok_json(&catno(&catalog, &["import", arg(&file), "--dry-run", "--json"]));
    assert_eq!(plan["delimiter"], ";");
    assert_eq!(plan["releases"][0]["action"]["kind"], "create");
    assert_eq!(plan["releases"][0]["tracks"].as_array().expect("tracks").len(), 2);
    let text = catno(&catalog, &["import", arg(&file), "--dry-run"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("1 releases (1 new, 0 updated)"), "{}", text.stdout);
    assert_eq!(ok_json(&catno(&catalog, &["info", "--json"]))["releases"], 0, "dry run wrote nothing");

    let summary = ok_json(&catno(&catalog, &["import", arg(&file), "--json"]));
    assert_eq!(summary["releases_created"], 1);
    assert_eq!(summary["tracks_created"], 2);

    let out = dir.path().join("out.csv");
    let id = summary["release_ids"][0].as_i64().expect("id").to_string();
    let run = catno(&catalog, &["export", "--format", "csv", "--release", &id, "--out", arg(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&out).expect("exported");
    assert!(text.starts_with("upc,release_title,"), "{text}");
    assert_eq!(text.lines().count(), 3);
    assert!(text.contains("GBCTN2690002,Second Light"), "{text}");
}

#[test]
fn problems_are_one_line_each_exit_1_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("c.sqlite");
    assert_eq!(catno(&catalog, &["init"]).code, 0);
    let bad = format!(
        "{GOOD}5060123450001;Other;Bo;Northern Lights;1;GBCTN2690003;=1+1;2:00\n\
         5060123459999;Night Lines;Ana Ruiz;Northern Lights;3;GBCTN2690001;Again;1:00\n"
    );
    let file = write(dir.path(), "bad.csv", bad.as_bytes());
    for extra in [&["--dry-run"][..], &[][..]] {
        let mut args = vec!["import", arg(&file)];
        args.extend_from_slice(extra);
        let run = catno(&catalog, &args);
        assert_eq!(run.code, 1, "stdout: {} stderr: {}", run.stdout, run.stderr);
        let lines: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("row ")).collect();
        assert!(
            lines.iter().any(|l| l.starts_with("row 4, column upc: ") && l.contains("check digit")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("row 4, column track_title: ")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("row 5, column isrc: ")), "{lines:?}");
    }
    assert_eq!(ok_json(&catno(&catalog, &["info", "--json"]))["releases"], 0);
}

#[test]
fn windows_1252_file_and_a_saved_mapping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("c.sqlite");
    let file = write(
        dir.path(),
        "excel.csv",
        b"Barcode\tAlbum\tAlbum Artist\tImprint\tTrack Title\r\n5060123459999\tCaf\xe9\tRen\xe9e\tNorthern Lights\tSong\r\n",
    );
    let run = catno(&catalog, &["import-mapping", arg(&file)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut mapping: Value = serde_json::from_str(&run.stdout).expect("mapping json");
    assert_eq!(mapping["columns"]["Barcode"], "upc");
    assert_eq!(mapping["columns"]["Imprint"], Value::Null);
    mapping["columns"]["Imprint"] = "label".into();
    let saved = write(dir.path(), "m.json", mapping.to_string().as_bytes());

    let without = catno(&catalog, &["import", arg(&file)]);
    assert_eq!(without.code, 1, "label missing: {}", without.stdout);
    assert!(without.stdout.contains("row 2, column label: must not be empty"), "{}", without.stdout);

    let summary = ok_json(&catno(&catalog, &["import", arg(&file), "--mapping", arg(&saved), "--json"]));
    let id = summary["release_ids"][0].as_i64().expect("id").to_string();
    let shown = ok_json(&catno(&catalog, &["release", "show", &id, "--json"]));
    assert_eq!(shown["release"]["title"], "Café");
    assert_eq!(shown["release"]["label_name"], "Northern Lights");

    let broken = write(dir.path(), "broken.json", b"{ not json");
    let run = catno(&catalog, &["import", arg(&file), "--mapping", arg(&broken)]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
}

#[test]
fn demo_exports_and_reimports_into_an_empty_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.sqlite");
    assert_eq!(catno(&demo, &["demo"]).code, 0);
    let first = dir.path().join("first.csv");
    assert_eq!(catno(&demo, &["export", "--format", "csv", "--out", arg(&first)]).code, 0);
    let fresh = dir.path().join("fresh.sqlite");
    let summary = ok_json(&catno(&fresh, &["import", arg(&first), "--json"]));
    assert_eq!(summary["releases_created"], 10);
    let second = dir.path().join("second.csv");
    assert_eq!(catno(&fresh, &["export", "--format", "csv", "--out", arg(&second)]).code, 0);
    assert_eq!(std::fs::read(&first).expect("first"), std::fs::read(&second).expect("second"));
}

#[test]
fn export_by_label_writes_that_label_s_releases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.sqlite");
    assert_eq!(catno(&demo, &["demo"]).code, 0);
    let labels = ok_json(&catno(&demo, &["label", "list", "--json"]));
    let labels = labels.as_array().expect("labels");
    let mut total = 0;
    for label in labels {
        let id = label["id"].as_i64().expect("id").to_string();
        let listed = ok_json(&catno(&demo, &["release", "list", "--label", &id, "--json"]));
        let out = dir.path().join(format!("label-{id}.csv"));
        let summary = ok_json(&catno(
            &demo,
            &["export", "--format", "csv", "--label", &id, "--out", arg(&out), "--json"],
        ));
        assert_eq!(summary["releases"], listed.as_array().expect("releases").len(), "label {id}");
        let name = label["name"].as_str().expect("name");
        let mut rows = csv::Reader::from_path(&out).expect("export");
        let column =
            rows.headers().expect("headers").iter().position(|h| h == "label").expect("label column");
        for row in rows.records() {
            assert_eq!(&row.expect("row")[column], name, "only {name}'s rows");
        }
        total += summary["releases"].as_i64().expect("count");
    }
    assert_eq!(total, 10, "every demo release is in its label's export");

    let missing = catno(
        &demo,
        &["export", "--format", "csv", "--label", "999", "--out", arg(&dir.path().join("x.csv"))],
    );
    assert_ne!(missing.code, 0);
    assert!(missing.stderr.contains("label 999 does not exist"), "{}", missing.stderr);
    let both = catno(
        &demo,
        &[
            "export",
            "--format",
            "csv",
            "--label",
            "1",
            "--release",
            "1",
            "--out",
            arg(&dir.path().join("y.csv")),
        ],
    );
    assert_eq!(both.code, 2, "--label and --release together are a usage error: {}", both.stderr);
}
