//! `catno export --format xlsx|pdf-*`, `import` of a workbook, saved mappings and
//! `import-folder`, as a user runs them.

use std::path::Path;

use serde_json::Value;

use super::{catno, demo, json};

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn xlsx_export_imports_into_an_empty_catalog() {
    let (dir, catalog) = demo();
    let xlsx = dir.path().join("all.xlsx");
    let summary = json(&catno(&catalog, &["export", "--format", "xlsx", "--out", arg(&xlsx), "--json"]));
    assert_eq!(summary["releases"], 10);

    let empty = dir.path().join("empty.sqlite");
    assert_eq!(catno(&empty, &["init"]).code, 0);
    let plan = json(&catno(&empty, &["import", arg(&xlsx), "--dry-run", "--json"]));
    assert_eq!((plan["format"].as_str(), plan["sheet"].as_str()), (Some("xlsx"), Some("Tracks")));
    assert_eq!(plan["problems"], Value::Array(vec![]));
    let text = catno(&empty, &["import", arg(&xlsx), "--dry-run"]);
    assert!(text.stdout.contains("(xlsx, sheet \"Tracks\")"), "{}", text.stdout);
    let imported = json(&catno(&empty, &["import", arg(&xlsx), "--json"]));
    assert_eq!(imported["releases_created"], 10);

    let copy = dir.path().join("label-copy.csv");
    let run = catno(&catalog, &["export", "--format", "csv", "--layout", "label-copy", "--out", arg(&copy)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&copy).unwrap().starts_with("UPC,Release Title,"));
}

#[test]
fn a_saved_mapping_is_used_by_name() {
    let (dir, catalog) = demo();
    let file = dir.path().join("releases.csv");
    std::fs::write(&file, "Barcode,Album,Album Artist,Imprint\n4006381333931,Day Lines,Bo,Northern Lights\n")
        .unwrap();
    let edited = dir.path().join("m.json");
    let run = catno(&catalog, &["import-mapping", arg(&file)]);
    let mut mapping: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(mapping["layout"], "release_per_row");
    mapping["columns"]["Imprint"] = "label".into();
    std::fs::write(&edited, mapping.to_string()).unwrap();
    let run =
        catno(&catalog, &["import-mapping", arg(&file), "--from", arg(&edited), "--save", "imprint-sheet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = json(&catno(&catalog, &["import", arg(&file), "--mapping", "imprint-sheet", "--json"]));
    assert_eq!(summary["releases_created"], 1);
    let run = catno(&catalog, &["import", arg(&file), "--mapping", "nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no saved mapping \"nope\""), "{}", run.stderr);
}

#[test]
fn pdf_label_copy_of_one_release() {
    let fonts = catno_core_fonts();
    if fonts.is_empty() {
        eprintln!("SKIPPED: no system font for PDFs (apt-get install fonts-noto-cjk fonts-dejavu-core)");
        return;
    }
    let (dir, catalog) = demo();
    let pdf = dir.path().join("copy.pdf");
    let run = catno(
        &catalog,
        &["export", "--format", "pdf-label-copy", "--release", "1", "--out", arg(&pdf), "--json"],
    );
    let summary = json(&run);
    assert!(summary["pages"].as_u64().unwrap() >= 1);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let run = catno(&catalog, &["export", "--format", "pdf-split-sheet", "--out", arg(&pdf)]);
    assert_eq!(run.code, 2, "a PDF needs one release: {}", run.stderr);
}

fn catno_core_fonts() -> Vec<std::path::PathBuf> {
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ]
    .iter()
    .map(std::path::PathBuf::from)
    .filter(|p| p.is_file())
    .collect()
}

#[test]
fn import_folder_dry_run_then_attach() {
    let (dir, catalog) = demo();
    let csv = dir.path().join("one.csv");
    assert_eq!(catno(&catalog, &["export", "--format", "csv", "--release", "1", "--out", arg(&csv)]).code, 0);
    let text = std::fs::read_to_string(&csv).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    let upc = row[0];
    let folder = dir.path().join("delivery");
    std::fs::create_dir(&folder).unwrap();
    catno_media::generate::write_cover_png(
        &folder.join(format!("{upc}.png")),
        32,
        [0, 0, 0],
        [255, 255, 255],
    )
    .unwrap();
    std::fs::write(folder.join("notes.pdf"), "x").unwrap();

    let plan = json(&catno(&catalog, &["import-folder", arg(&folder), "--dry-run", "--json"]));
    assert_eq!(plan["matched"][0]["owner"]["kind"], "Release");
    assert_eq!(plan["ignored"].as_array().unwrap().len(), 1);
    let done = json(&catno(&catalog, &["import-folder", arg(&folder), "--json"]));
    assert_eq!(done["attached"].as_array().unwrap().len(), 1);

    std::fs::copy(folder.join(format!("{upc}.png")), folder.join(format!("{upc}-front.png"))).unwrap();
    let clash = catno(&catalog, &["import-folder", arg(&folder)]);
    assert_eq!(clash.code, 1, "{}", clash.stdout);
    assert!(clash.stdout.contains("nothing attached"), "{}", clash.stdout);
}
