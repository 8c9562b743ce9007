//! `catno ddex import` as a user runs it: per-file summaries, JSON, findings with
//! line:column, exit 1 when a file had errors.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn catno(catalog: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_catno"))
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .env_remove("CATNO_CATALOG")
        .env("XDG_CACHE_HOME", catalog.with_extension("cache"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn samples() -> Option<PathBuf> {
    let dir = match std::env::var_os("CATNO_DDEX_SCHEMAS") {
        Some(d) => PathBuf::from(d).join("samples"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ddex/samples"),
    };
    if dir.join("ern43").is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: no DDEX samples at {} (set CATNO_DDEX_SCHEMAS)", dir.display());
        None
    }
}

#[test]
fn import_reports_each_file_and_fails_only_on_errors() {
    let Some(dir) = samples() else { return };
    let temp = tempfile::tempdir().unwrap();
    let catalog = temp.path().join("label.catno");
    assert_eq!(catno(&catalog, &["init"]).0, 0);
    let album = dir.join("ern43/1 Audio.xml");
    let single = dir.join("ern382/Profile_AudioSingle.xml");
    let (code, stdout, stderr) =
        catno(&catalog, &["ddex", "import", album.to_str().unwrap(), single.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("created release 1 \"Yume no Hajmari\" [ERN 4.3] UPC 00094631432057"),
        "{stdout}"
    );
    assert!(stdout.contains("21 tracks new"), "{stdout}");
    assert!(stdout.contains("1 Audio.xml:1514:4: warning: DealList:"), "{stdout}");

    let (code, stdout, _) = catno(&catalog, &["ddex", "import", "--json", album.to_str().unwrap()]);
    assert_eq!(code, 0);
    let reports: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(reports[0]["outcome"], "unchanged");
    assert_eq!(reports[0]["release_id"], 1);

    let broken = temp.path().join("broken.xml");
    std::fs::write(&broken, "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<x/>").unwrap();
    let (code, stdout, _) =
        catno(&catalog, &["ddex", "import", broken.to_str().unwrap(), single.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("broken.xml:2:1: error:") && stdout.contains("DOCTYPE"), "{stdout}");
    assert!(stdout.contains("already in catalog"), "{stdout}");
}
