//! `catno ddex export` (one release folder), `batch`, `validate` of several files and
//! `schemas status`/`fetch` (never the internet: only a closed port on 127.0.0.1).

use std::path::Path;

use super::{Run, assert_one_line_error, catno, demo, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn configured_demo() -> Result<(tempfile::TempDir, std::path::PathBuf, String), Box<dyn std::error::Error>> {
    let (dir, path) = demo();
    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let id = releases.get(0).and_then(|r| r["id"].as_i64()).ok_or("a release")?.to_string();
    let set =
        catno(&path, &["ddex", "settings", "--profile", "spotify", "--recipient-dpid", "PADPIDA2011072101T"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let set = catno(&path, &["ddex", "settings", "--sender-dpid", "PADPIDA2014120301T"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    Ok((dir, path, id))
}

fn arg(path: &Path) -> Result<&str, Box<dyn std::error::Error>> {
    Ok(path.to_str().ok_or("utf-8 path")?)
}

#[test]
fn export_writes_one_release_folder_and_refuses_to_overwrite_it() -> TestResult {
    let (dir, path, id) = configured_demo()?;
    let out = dir.path().join("outbox");
    let export = |json_out: bool| -> Result<Run, Box<dyn std::error::Error>> {
        let mut args = vec!["ddex", "export", "--release", &id, "--profile", "spotify", "--out", arg(&out)?];
        if json_out {
            args.push("--json");
        }
        Ok(catno(&path, &args))
    };
    let first = json(&export(true)?);
    let folder = Path::new(first["folder"].as_str().ok_or("folder")?);
    let icpn = folder.file_name().and_then(|n| n.to_str()).ok_or("folder name")?;
    assert_eq!(folder.parent(), Some(out.as_path()));
    let message = std::fs::read_to_string(folder.join(format!("{icpn}.xml")))?;
    assert!(message.contains(&format!("<ICPN>{icpn}</ICPN>")));
    let resources: Vec<_> = std::fs::read_dir(folder.join("resources"))?.collect();
    assert_eq!(resources.len(), first["resources"].as_array().map(Vec::len).unwrap_or(0));
    assert!(resources.len() >= 2, "audio and cover copied");
    assert_eq!(first["xsd_checked"], std::env::var_os("CATNO_DDEX_SCHEMAS").is_some());
    // A single release is no batch: no manifest, no staging litter.
    let names: Vec<_> = std::fs::read_dir(&out)?.filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from(icpn)]);

    // Refused (exit 2) after the message's findings (without schemas, the XSD warning).
    let again = export(false)?;
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.trim_end().lines().last().is_some_and(|l| l.contains("already exists")),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(folder.join(format!("{icpn}.xml")))?, message);
    let names: Vec<_> = std::fs::read_dir(&out)?.filter_map(Result::ok).collect();
    assert_eq!(names.len(), 1, "nothing left behind");

    // Errors in the message: nothing written, exit 1.
    let refused_out = dir.path().join("refused");
    let refused = catno(
        &path,
        &["ddex", "export", "--release", &id, "--profile", "youtube", "--out", arg(&refused_out)?],
    );
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_eq!(std::fs::read_dir(&refused_out)?.count(), 0);
    Ok(())
}

#[test]
fn batch_writes_the_choreography_folder_and_export_of_several_still_does() -> TestResult {
    let (dir, path, id) = configured_demo()?;
    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let second = releases.get(1).and_then(|r| r["id"].as_i64()).ok_or("a second release")?.to_string();
    let out = dir.path().join("outbox");
    let common = ["--profile", "spotify", "--out", arg(&out)?];
    let mut args =
        vec!["ddex", "batch", "--release", &id, "--release", &second, "--batch-id", "B1", "--json"];
    args.extend(common);
    let summary = json(&catno(&path, &args));
    assert_eq!(summary["written"], true, "{summary}");
    assert_eq!(summary["releases"].as_array().map(Vec::len), Some(2));
    assert!(out.join("B1").join("BatchComplete_B1.xml").is_file());

    // The old spelling keeps working, with a note.
    let mut args = vec!["ddex", "export", "--release", &id, "--batch-id", "B2"];
    args.extend(common);
    let old = catno(&path, &args);
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert!(old.stderr.contains("catno ddex batch"), "{}", old.stderr);
    assert!(out.join("B2").join("BatchComplete_B2.xml").is_file());
    Ok(())
}

#[test]
fn validate_takes_several_files_and_lists_findings_per_file() -> TestResult {
    let (dir, path, id) = configured_demo()?;
    let shown = catno(&path, &["ddex", "show", "--release", &id, "--profile", "spotify"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let good = dir.path().join("good.xml");
    let bad = dir.path().join("bad.xml");
    std::fs::write(&good, &shown.stdout)?;
    std::fs::write(
        &bad,
        shown.stdout.replacen(">A1</ReleaseResourceReference>", ">A99</ReleaseResourceReference>", 1),
    )?;

    let ok = catno(&path, &["ddex", "validate", arg(&good)?, arg(&good)?]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("2 file(s), 0 with errors"), "{}", ok.stdout);

    let run = catno(&path, &["ddex", "validate", arg(&good)?, arg(&bad)?, "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)?;
    let files = report.as_array().ok_or("a list")?;
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], arg(&good)?);
    assert_eq!(files[1]["file"], arg(&bad)?);
    let errors = |v: &serde_json::Value| {
        v["findings"].as_array().map(|f| f.iter().filter(|f| f["severity"] == "error").count()).unwrap_or(0)
    };
    assert_eq!(errors(&files[0]), 0, "{}", files[0]);
    assert!(files[1]["findings"].to_string().contains("A99"), "{}", files[1]);
    assert_eq!(files[1]["xsd_checked"], std::env::var_os("CATNO_DDEX_SCHEMAS").is_some());

    let text = catno(&path, &["ddex", "validate", arg(&good)?, arg(&bad)?]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains(&format!("{}: ", bad.display())), "{}", text.stdout);
    assert!(text.stdout.contains("2 file(s), 1 with errors"), "{}", text.stdout);

    let missing = catno(&path, &["ddex", "validate", arg(&good)?, "/nonexistent/x.xml"]);
    assert_one_line_error(&missing, "/nonexistent/x.xml");
    Ok(())
}

#[test]
fn schema_status_and_a_fetch_that_cannot_connect() -> TestResult {
    let (dir, path) = demo();
    let empty = dir.path().join("schemas");
    let status = catno(&path, &["ddex", "schemas", "status", "--dir", arg(&empty)?, "--json"]);
    assert_eq!(status.code, 1, "{}", status.stderr);
    let report: serde_json::Value = serde_json::from_str(&status.stdout)?;
    assert_eq!(report["sets"][0]["state"], "missing");
    assert_eq!(report["sets"][1]["state"], "missing");

    if let Some(schemas) = std::env::var_os("CATNO_DDEX_SCHEMAS") {
        let ready = catno(&path, &["ddex", "schemas", "status", "--json"]);
        assert_eq!(ready.code, 0, "{}", ready.stderr);
        let report: serde_json::Value = serde_json::from_str(&ready.stdout)?;
        assert_eq!(report["source"], "environment");
        assert_eq!(report["in_use"], schemas.to_str().ok_or("utf-8")?);
        assert_eq!(report["sets"][0]["state"], "ready", "{report}");
        assert_eq!(report["sets"][1]["state"], "ready", "{report}");
    } else {
        eprintln!("SKIPPED: CATNO_DDEX_SCHEMAS not set (schema status of a real folder not tested)");
    }

    // A port on this machine that refuses connections: one line, nothing written.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let fetch = catno(&path, &["ddex", "schemas", "fetch", "--dir", arg(&empty)?, "--base-url", &base]);
    assert_one_line_error(&fetch, &format!("127.0.0.1:{port}/xml/ern/43/release-notification.xsd"));
    assert!(!empty.join("ern43").exists());
    Ok(())
}

#[test]
fn validation_falls_back_to_the_schema_cache() -> TestResult {
    let Some(schemas) = std::env::var_os("CATNO_DDEX_SCHEMAS").map(std::path::PathBuf::from) else {
        eprintln!("SKIPPED: CATNO_DDEX_SCHEMAS not set (schema cache fallback not tested)");
        return Ok(());
    };
    let (dir, path) = demo();
    // What `schemas fetch` leaves in the user cache (XDG_CACHE_HOME as the helper sets it).
    let cache = path.with_extension("cache").join("org.catno.app").join("ddex-schemas");
    for (folder, files) in [
        ("ern43", ["release-notification.xsd", "allowed-value-sets.xsd"]),
        ("ern382", ["release-notification.xsd", "avs_20161006.xsd"]),
    ] {
        std::fs::create_dir_all(cache.join(folder))?;
        for file in files {
            std::fs::copy(schemas.join(folder).join(file), cache.join(folder).join(file))?;
        }
    }
    let run = |args: &[&str]| -> Result<Run, Box<dyn std::error::Error>> {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_catno"))
            .arg("--catalog")
            .arg(&path)
            .args(args)
            .env_remove("CATNO_CATALOG")
            .env_remove("CATNO_DDEX_SCHEMAS")
            .env("XDG_CACHE_HOME", path.with_extension("cache"))
            .output()?;
        Ok(Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout)?,
            stderr: String::from_utf8(out.stderr)?,
        })
    };
    let message = dir.path().join("message.xml");
    std::fs::write(
        &message,
        "<?xml version=\"1.0\"?>\n<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\" AvsVersionId=\"3\" LanguageAndScriptCode=\"en\"/>",
    )?;
    // Schema errors are findings (exit 1); the report is what matters here.
    let findings = |r: Run| -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        Ok(serde_json::from_str(&r.stdout)?)
    };
    let report = findings(run(&["ddex", "validate", arg(&message)?, "--json"])?)?;
    assert_eq!(report[0]["xsd_checked"], true, "{report}");
    assert!(report[0]["findings"].to_string().contains("MessageHeader"), "{report}");
    let status = json(&run(&["ddex", "schemas", "status", "--json"])?);
    assert_eq!(status["source"], "cache", "{status}");

    // Without the cache: references only, and the finding says how to get schemas.
    std::fs::remove_dir_all(&cache)?;
    let report = findings(run(&["ddex", "validate", arg(&message)?, "--json"])?)?;
    assert_eq!(report[0]["xsd_checked"], false, "{report}");
    assert!(report[0]["findings"].to_string().contains("none downloaded"), "{report}");
    Ok(())
}
