use crate::{assert_one_line_error, catno, demo, json};

/// The demo's first release validates without errors; the fifth has one.
const CLEAN: &str = "1";
const WITH_ERROR: &str = "5";

#[test]
fn approval_exits_1_with_errors_or_an_open_checklist_and_records_who_approved() {
    let (_dir, path) = demo();
    let submit =
        json(&catno(&path, &["review", "submit", "--release", WITH_ERROR, "--as", "Rita", "--json"]));
    assert_eq!((submit["from"].as_str(), submit["to"].as_str()), (Some("Draft"), Some("InReview")));
    assert_eq!(submit["actor"], "Rita");
    let refused = catno(&path, &["review", "approve", "--release", WITH_ERROR, "--as", "Ana"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("validation error"), "{}", refused.stderr);

    assert_eq!(catno(&path, &["review", "submit", "--release", CLEAN, "--as", "Rita"]).code, 0);
    let open = catno(&path, &["review", "approve", "--release", CLEAN, "--as", "Ana"]);
    assert_eq!(open.code, 1, "checklist open: {}", open.stderr);
    assert!(open.stderr.contains("QC checklist not done"), "{}", open.stderr);
    for item in ["cover_text_matches", "cover_clean", "audio_matches_tracklist", "explicit_flags_checked"] {
        let run = catno(&path, &["review", "check", "--release", CLEAN, item, "--as", "Ana", "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let approved = json(&catno(&path, &["review", "approve", "--release", CLEAN, "--as", "Ana", "--json"]));
    assert_eq!((approved["to"].as_str(), approved["actor"].as_str()), (Some("Approved"), Some("Ana")));

    let queue = json(&catno(&path, &["review", "list", "--status", "in review", "--json"]));
    let ids: Vec<i64> =
        queue.as_array().unwrap().iter().map(|q| q["release"]["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [5]);
    let audit = json(&catno(&path, &["audit", "--release", CLEAN, "--json"]));
    let newest = &audit.as_array().unwrap()[0];
    assert_eq!((newest["field"].as_str(), newest["after"].as_str()), (Some("status"), Some("Approved")));
    assert_eq!(newest["actor"], "Ana");
}

#[test]
fn refusals_that_are_not_qc_are_usage_errors_and_changes_since_delivery_are_listed() {
    let (_dir, path) = demo();
    assert_one_line_error(
        &catno(&path, &["review", "approve", "--release", CLEAN]),
        "cannot go from Draft to Approved",
    );
    assert_eq!(catno(&path, &["review", "submit", "--release", CLEAN]).code, 0);
    assert_one_line_error(&catno(&path, &["review", "reject", "--release", CLEAN]), "needs a reason");
    assert_one_line_error(&catno(&path, &["review", "list", "--status", "limbo"]), "unknown status");
    assert_eq!(catno(&path, &["review", "reject", "--release", CLEAN, "--reason", "cover URL"]).code, 0);

    let never = catno(&path, &["audit", "--release", CLEAN, "--since", "delivery", "--store", "spotify"]);
    assert_eq!(never.code, 0, "{}", never.stderr);
    assert!(never.stdout.starts_with("no delivery to spotify yet"), "{}", never.stdout);
    assert_eq!(catno(&path, &["review", "user", "Cli User"]).code, 0);
    let set = catno(&path, &["release", "set", CLEAN, "genre=Ambient"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let since = json(&catno(&path, &["audit", "--release", CLEAN, "--since", "approval", "--json"]));
    assert!(
        since
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "genre" && e["after"] == "Ambient" && e["actor"] == "Cli User"),
        "an ordinary edit is made as the user name: {since}"
    );
}

#[test]
fn rights_changes_from_the_command_line_name_the_catalog_user_in_the_audit_log() {
    let (_dir, path) = demo();
    assert_eq!(catno(&path, &["review", "user", "Rights Desk"]).code, 0);
    let set = catno(&path, &["rights", "set", "--release", CLEAN, "--exclude", "JP"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let audit = json(&catno(&path, &["audit", "--release", CLEAN, "--json"]));
    let newest = &audit.as_array().unwrap()[0];
    assert!(newest["field"].as_str().unwrap().starts_with("rights"), "{newest}");
    assert_eq!(newest["actor"], "Rights Desk", "{newest}");
}
