use serde_json::Value;

use super::{assert_one_line_error, catno, demo, json};

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn one_release_as_json_then_a_feat_error_exits_1() {
    let (_dir, path) = demo();
    let report = json(&catno(&path, &["validate", "--release", "1", "--json"]));
    assert_eq!(report["release_id"], 1);
    assert_eq!(report["profile"], "generic");
    assert_eq!(report["errors"], 0, "{report}");

    let tracks = json(&catno(&path, &["track", "list", "--release", "1", "--json"]));
    let first = tracks[0]["id"].as_i64().unwrap().to_string();
    let set = catno(&path, &["track", "set", &first, "title=Song ft. X"]);
    assert_eq!(set.code, 0, "{}", set.stderr);

    let run = catno(&path, &["validate", "--release", "1", "--profile", "spotify", "--json"]);
    assert_eq!(run.code, 1, "errors exit 1: {}", run.stderr);
    let report = parse(&run.stdout);
    let findings = report["findings"].as_array().unwrap();
    let feat = findings.iter().find(|f| f["rule_id"] == "STYLE-FEAT-FORMAT").expect("feat finding");
    assert_eq!(feat["severity"], "error");
    assert_eq!(feat["field"], "track[1].title");
    assert_eq!(feat["autofix"]["new_value"], "Song (feat. X)");

    let text = catno(&path, &["validate", "--release", "1", "--profile", "spotify"]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains("STYLE-FEAT-FORMAT") && text.stdout.contains("(autofix)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("1 release(s) validated"), "{}", text.stdout);
}

#[test]
fn whole_catalog_with_junit_report() {
    let (dir, path) = demo();
    let junit = dir.path().join("validation.xml");
    let run =
        catno(&path, &["validate", "--all", "--profile", "spotify", "--junit", junit.to_str().unwrap()]);
    // The demo holds a single whose title lacks its track's version, and a compilation with
    // "Various Artists" on its tracks: errors, so exit 1.
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("10 release(s) validated"), "{}", run.stdout);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert_eq!(xml.matches("<testsuite ").count(), 10);
    assert!(xml.contains("name=\"STYLE-SINGLE-TITLE\">"), "{xml}");
    assert!(xml.contains("<failure type=\"error\""));
    assert_eq!(xml.matches("<testsuite ").count(), xml.matches("</testsuite>").count());

    let all = catno(&path, &["validate", "--all", "--json"]);
    let reports = parse(&all.stdout);
    assert_eq!(reports.as_array().unwrap().len(), 10);
}

#[test]
fn rules_and_profiles_are_listed() {
    let (_dir, path) = demo();
    let rules = json(&catno(&path, &["rules", "list", "--json"]));
    let rules = rules.as_array().unwrap();
    assert!(rules.len() >= 35);
    let feat = rules.iter().find(|r| r["id"] == "STYLE-FEAT-FORMAT").unwrap();
    assert_eq!(feat["severity"], "error");
    assert!(feat["source"].as_str().unwrap().contains("S41"));
    let text = catno(&path, &["rules", "list"]);
    assert!(text.stdout.starts_with("ID"), "{}", text.stdout);
    let profiles = json(&catno(&path, &["rules", "profiles", "--json"]));
    assert!(profiles.as_array().unwrap().iter().any(|p| p["id"] == "apple_music"));
}

#[test]
fn bad_profile_or_missing_target_is_a_usage_error() {
    let (_dir, path) = demo();
    assert_one_line_error(&catno(&path, &["validate", "--all", "--profile", "napster"]), "napster");
    assert_one_line_error(&catno(&path, &["validate", "--release", "999"]), "999");
    assert_eq!(catno(&path, &["validate"]).code, 2);
}
