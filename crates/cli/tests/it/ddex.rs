//! `catno ddex` on the demo catalog: settings, show, validate, export and takedown.

use super::{assert_one_line_error, catno, demo, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn schemas_note() {
    if std::env::var_os("CATNO_DDEX_SCHEMAS").is_none() {
        eprintln!("SKIPPED: CATNO_DDEX_SCHEMAS not set (XSD validation not run)");
    }
}

#[test]
fn ddex_settings_show_validate_export_and_takedown() -> TestResult {
    schemas_note();
    let (dir, path) = demo();
    let releases = json(&catno(&path, &["release", "list", "--json"]));
    let id = releases.get(0).and_then(|r| r["id"].as_i64()).ok_or("a release")?.to_string();

    let profiles = json(&catno(&path, &["ddex", "profiles", "--json"]));
    assert_eq!(profiles.as_array().map(Vec::len), Some(4));

    let bad = catno(&path, &["ddex", "settings", "--sender-dpid", "PADPIDA1"]);
    assert_one_line_error(&bad, "sender_dpid");
    let bad =
        catno(&path, &["ddex", "settings", "--profile", "spotify", "--recipient-dpid", "DPID_OF_SPOTIFY"]);
    assert_one_line_error(&bad, "recipients.spotify.dpid");

    // Not configured yet: refused with the setting to fix, exit 1.
    let refused = catno(&path, &["ddex", "show", "--release", &id, "--profile", "spotify"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("header.recipient_dpid"), "{}", refused.stderr);

    for (profile, dpid) in [("spotify", "PADPIDA2011072101T"), ("generic-ern382", "PADPIDA2007050901U")] {
        let set = catno(&path, &["ddex", "settings", "--profile", profile, "--recipient-dpid", dpid]);
        assert_eq!(set.code, 0, "{}", set.stderr);
    }
    let settings =
        json(&catno(&path, &["ddex", "settings", "--sender-dpid", "PADPIDA2014120301T", "--json"]));
    assert_eq!(settings["sender_dpid"], "PADPIDA2014120301T");

    for profile in ["spotify", "generic-ern382"] {
        let shown = catno(&path, &["ddex", "show", "--release", &id, "--profile", profile]);
        assert_eq!(shown.code, 0, "{}", shown.stderr);
        assert!(shown.stdout.starts_with("<?xml"), "{}", shown.stdout);
        let again = catno(&path, &["ddex", "show", "--release", &id, "--profile", profile]);
        assert_eq!(again.stdout, shown.stdout, "{profile}: byte-identical");

        let file = dir.path().join(format!("{profile}.xml"));
        std::fs::write(&file, &shown.stdout)?;
        let file_arg = file.to_str().ok_or("utf-8 path")?;
        let valid = catno(&path, &["ddex", "validate", file_arg]);
        assert_eq!(valid.code, 0, "{profile}: {}{}", valid.stdout, valid.stderr);
        let report = json(&catno(&path, &["ddex", "validate", file_arg, "--json"]));
        assert_eq!(report[0]["xsd_checked"], std::env::var_os("CATNO_DDEX_SCHEMAS").is_some());

        // A dangling reference is an error (exit 1) even without schemas.
        let broken =
            shown.stdout.replacen(">A1</ReleaseResourceReference>", ">A99</ReleaseResourceReference>", 1);
        assert!(broken != shown.stdout, "{profile}: the message references A1");
        std::fs::write(&file, broken)?;
        let invalid = catno(&path, &["ddex", "validate", file_arg]);
        assert_eq!(invalid.code, 1, "{profile}: {}", invalid.stdout);
        assert!(invalid.stdout.contains("A99"), "{}", invalid.stdout);
    }

    // Rights rules become deals.
    let set = catno(&path, &["rights", "set", "--release", &id, "--exclude", "JP"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let shown = catno(&path, &["ddex", "show", "--release", &id, "--profile", "spotify"]);
    assert!(shown.stdout.contains("<ExcludedTerritoryCode>JP</ExcludedTerritoryCode>"), "{}", shown.stdout);

    let out = dir.path().join("outbox");
    let out_arg = out.to_str().ok_or("utf-8 path")?;
    let export = catno(
        &path,
        &[
            "ddex",
            "export",
            "--release",
            &id,
            "--profile",
            "spotify",
            "--out",
            out_arg,
            "--batch-id",
            "B1",
            "--json",
        ],
    );
    let summary = json(&export);
    assert_eq!(summary["written"], true, "{summary}");
    let folder = summary["releases"][0]["folder"].as_str().ok_or("folder")?;
    assert!(out.join("B1").join("BatchComplete_B1.xml").is_file());
    let resources = out.join("B1").join(folder).join("resources");
    assert!(resources.read_dir()?.count() >= 2, "audio and cover copied");

    // youtube has no recipient: nothing written, exit 1.
    let refused = catno(
        &path,
        &["ddex", "export", "--release", &id, "--profile", "youtube", "--out", out_arg, "--batch-id", "B2"],
    );
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(!out.join("B2").exists());

    let takedown_file = dir.path().join("takedown.xml");
    let takedown_arg = takedown_file.to_str().ok_or("utf-8 path")?;
    let takedown = catno(
        &path,
        &[
            "ddex",
            "takedown",
            "--release",
            &id,
            "--profile",
            "spotify",
            "--out",
            takedown_arg,
            "--from",
            "2030-01-01",
        ],
    );
    assert_eq!(takedown.code, 0, "{}", takedown.stderr);
    assert!(std::fs::read_to_string(&takedown_file)?.contains("2029-12-31"));
    Ok(())
}
