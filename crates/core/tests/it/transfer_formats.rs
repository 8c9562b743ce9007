//! Import from XLSX and oddly encoded CSV, export as XLSX and label copy, on real catalog
//! files. Workbooks are written by the tests with rust_xlsxwriter, the way Excel would save them.

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};
use catno_core::transfer::{ExportFormat, ExportLayout, ExportScope};
use catno_core::{Catalog, TrackQuery};
use catno_testkit::TempCatalog;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

const TEMPLATE: [&str; 13] = [
    "upc",
    "release_title",
    "release_artist",
    "label",
    "release_type",
    "release_date",
    "disc",
    "track",
    "isrc",
    "track_title",
    "track_artist",
    "duration",
    "contributors",
];

fn header(sheet: &mut rust_xlsxwriter::Worksheet) {
    for (col, name) in TEMPLATE.iter().enumerate() {
        sheet.write_string(0, col as u16, *name).expect("header");
    }
}

/// A release of two tracks as a label manager types it in Excel: the UPC as a number, the
/// release title merged down its tracks, a real date, durations as times, a formula title.
fn typical_workbook(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tracks").expect("name");
    header(sheet);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("m:ss");
    for row in 1..=2u32 {
        sheet.write_number(row, 0, 5_060_123_459_999.0).expect("upc");
        sheet.write_string(row, 2, "Ana Ruiz").expect("artist");
        sheet.write_string(row, 3, "Northern Lights").expect("label");
        sheet.write_string(row, 4, "EP").expect("type");
        sheet
            .write_datetime_with_format(row, 5, ExcelDateTime::from_ymd(2026, 3, 1).expect("date"), &date)
            .expect("date");
        sheet.write_number(row, 6, 1.0).expect("disc");
        sheet.write_number(row, 7, f64::from(row)).expect("track");
        sheet.write_string(row, 8, format!("GBCTN269000{row}")).expect("isrc");
        sheet.write_string(row, 10, "Ana Ruiz").expect("track artist");
    }
    sheet.merge_range(1, 1, 2, 1, "Night Lines", &Format::new()).expect("merge");
    sheet
        .write_formula(1, 9, Formula::new("=\"First \"&\"Light\"").set_result("First Light"))
        .expect("formula");
    sheet.write_string(2, 9, "=Second Light").expect("title that looks like a formula");
    sheet
        .write_datetime_with_format(1, 11, ExcelDateTime::from_hms(0, 3, 35).expect("time"), &time)
        .expect("duration");
    sheet.write_string(2, 11, "4:01").expect("duration");
    sheet.write_string(1, 12, "Producer:Kai Moss").expect("credits");
    let other = book.add_worksheet();
    other.set_name("Notes").expect("name");
    other.write_string(0, 0, "not read").expect("note");
    book.save(path).expect("save xlsx");
}

#[tokio::test]
async fn xlsx_imports_cached_values_and_reports_formulas_and_merged_cells() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("label.xlsx");
    typical_workbook(&file);

    let mapping = Catalog::propose_mapping(&file).expect("mapping");
    assert_eq!(mapping.columns["release_title"].as_deref(), Some("release_title"));

    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!((plan.format.as_str(), plan.sheet.as_deref()), ("xlsx", Some("Tracks")));
    assert_eq!(plan.rows, 2);
    let warnings: Vec<String> = plan.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("row 2, column track_title: formula =") && w.contains("\"First Light\"")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("row 2, column release_title: merged cells B2:B3")),
        "{warnings:?}"
    );
    assert!(plan.notes.iter().any(|n| n.contains("Notes")), "{:?}", plan.notes);
    assert_eq!(plan.releases.len(), 1, "the merged title joins both rows to one release");
    assert_eq!(plan.releases[0].upc.as_deref(), Some("5060123459999"));

    let summary = temp.catalog.import(&file, None).await.expect("import");
    let release = temp.catalog.release(summary.release_ids[0]).await.expect("release");
    assert_eq!(release.title, "Night Lines");
    assert_eq!(release.release_date.as_deref(), Some("2026-03-01"));
    let tracks = temp
        .catalog
        .tracks(&TrackQuery { release_id: release.id, offset: 0, limit: 10 })
        .await
        .expect("tracks")
        .items;
    let first = temp.catalog.track(tracks[0].id).await.expect("track");
    let second = temp.catalog.track(tracks[1].id).await.expect("track");
    assert_eq!((first.title.as_str(), first.duration_ms), ("First Light", Some(215_000)));
    assert_eq!(first.contributors.len(), 1);
    assert_eq!(second.title, "=Second Light", "text cells of a workbook are never formulas");
    assert_eq!(second.duration_ms, Some(241_000));
}

#[tokio::test]
async fn bad_workbook_rows_refuse_the_whole_file() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("bad.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    header(sheet);
    for row in 1..=3u32 {
        sheet.write_string(row, 0, "5060123459999").expect("upc");
        sheet.write_string(row, 1, "Night Lines").expect("title");
        sheet.write_string(row, 2, "Ana Ruiz").expect("artist");
        sheet.write_string(row, 3, "Northern Lights").expect("label");
        sheet.write_number(row, 7, f64::from(row)).expect("track");
        sheet.write_string(row, 9, format!("Song {row}")).expect("title");
    }
    // Merged across the ISRC and title columns: which one it means is a guess.
    sheet.merge_range(2, 8, 2, 9, "GBCTN2690002", &Format::new()).expect("merge");
    sheet.write_string(3, 8, "not an isrc").expect("isrc");
    book.save(&file).expect("save");

    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("row 3, column isrc: cells are merged across 2 columns (I3:J3)")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("row 4, column isrc:")), "{lines:?}");
    let error = temp.catalog.import(&file, None).await.expect_err("refused");
    assert!(error.to_string().contains("nothing imported"), "{error}");
    assert_eq!(temp.catalog.info().await.expect("info").releases, 0, "nothing half-imported");
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if bom {
        bytes.extend_from_slice(if little_endian { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
    }
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

#[tokio::test]
async fn utf16_csv_is_transcoded_and_tabs_are_sniffed() {
    let temp = TempCatalog::empty().await;
    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let text = "upc\trelease_title\trelease_artist\tlabel\ttrack_title\n\
                5060123459999\t東京の夜\tRenée\tNorthern Lights\tÉté, encore\n";
    for (name, bytes, encoding) in [
        ("le-bom.csv", utf16(text, true, true), "UTF-16LE"),
        ("be-bom.csv", utf16(text, false, true), "UTF-16BE"),
        ("le.csv", utf16(text, true, false), "UTF-16LE"),
    ] {
        let file = temp.dir().join(name);
        std::fs::write(&file, bytes).expect("write");
        let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
        assert!(plan.problems.is_empty(), "{name}: {:?}", plan.problems);
        assert_eq!((plan.encoding.as_str(), plan.delimiter.as_str()), (encoding, "tab"), "{name}");
        assert!(plan.notes.iter().any(|n| n.contains("transcoded")), "{name}: {:?}", plan.notes);
        assert_eq!(plan.releases[0].title, "東京の夜", "{name}");
        assert_eq!(plan.releases[0].tracks[0].title, "Été, encore", "{name}");
    }
    let binary = temp.dir().join("binary.csv");
    std::fs::write(&binary, b"upc,title\n\x00\x01\x02\x00\xff\x00\x00\x00").expect("write");
    let error = temp.catalog.plan_import(&binary, None).await.expect_err("binary");
    assert!(error.to_string().contains("NUL bytes"), "{error}");
}

#[tokio::test]
async fn a_repeated_row_is_a_problem() {
    let temp = TempCatalog::empty().await;
    let row = "5060123459999,Night Lines,Ana Ruiz,Northern Lights,1,GBCTN2690001,First Light";
    let file = temp.dir().join("dup.csv");
    std::fs::write(
        &file,
        format!("upc,release_title,release_artist,label,track,isrc,track_title\n{row}\n{row}\n"),
    )
    .expect("write");
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert!(lines.iter().any(|l| l == "row 3: repeats row 2 cell for cell; delete one of them"), "{lines:?}");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read export")
}

fn out(temp: &TempCatalog, name: &str) -> PathBuf {
    temp.dir().join(name)
}

#[tokio::test]
async fn demo_round_trips_through_xlsx_without_loss() {
    let demo = TempCatalog::demo().await;
    let first = demo.catalog.releases(&catno_core::ReleaseQuery { label_id: None, offset: 0, limit: 1 });
    let id = first.await.expect("list").items[0].id;
    // Text a spreadsheet would run, in a release and a track field.
    demo.catalog
        .set_release_fields(id, &[("title".into(), "=HYPERLINK(\"http://x\")".into())])
        .await
        .expect("set");
    let track = demo.catalog.track_at(id, 1).await.expect("track");
    demo.catalog.set_track_fields(track, &[("title".into(), "@handle -live".into())]).await.expect("set");

    let csv_before = out(&demo, "before.csv");
    demo.catalog.export_csv(ExportScope::All, &csv_before).await.expect("csv");
    let xlsx = out(&demo, "all.xlsx");
    let summary = demo
        .catalog
        .export(ExportFormat::Xlsx, ExportLayout::Template, ExportScope::All, &xlsx)
        .await
        .expect("xlsx");
    assert_eq!(summary.releases, 10);

    // Every text cell in the sheet is text: the injected formula is stored quoted, not run.
    assert_eq!(sheet_names(&xlsx), ["Tracks", "Rights", "QC"]);
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).expect("open");
    let formulas = book.worksheet_formula("Tracks").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cell in the export");
    let cells = book.worksheet_range("Tracks").expect("cells");
    assert!(
        cells
            .used_cells()
            .any(|(_, _, v)| matches!(v, calamine::Data::String(s) if s == "=HYPERLINK(\"http://x\")")),
        "formula-like text is stored as text (quote-prefixed), not escaped with a visible quote"
    );

    let empty = TempCatalog::empty().await;
    let plan = empty.catalog.plan_import(&xlsx, None).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    empty.catalog.import(&xlsx, None).await.expect("import");
    let csv_after = out(&empty, "after.csv");
    empty.catalog.export_csv(ExportScope::All, &csv_after).await.expect("csv again");
    assert_eq!(read(&csv_before), read(&csv_after), "XLSX round trip is lossless");
    assert!(read(&csv_after).contains("'=HYPERLINK"));
    assert!(read(&csv_after).contains("'@handle -live"));
}

#[tokio::test]
async fn label_copy_has_a_column_per_role_in_csv_and_xlsx() {
    let demo = TempCatalog::demo().await;
    let csv = out(&demo, "label-copy.csv");
    let summary = demo
        .catalog
        .export(ExportFormat::Csv, ExportLayout::LabelCopy, ExportScope::All, &csv)
        .await
        .expect("csv");
    let text = read(&csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("headers").iter().map(str::to_owned).collect();
    for wanted in
        ["UPC", "Track Title", "Featuring", "Producer", "Composer", "Lyricist", "Publishers", "Splits"]
    {
        assert!(headers.iter().any(|h| h == wanted), "{wanted} in {headers:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), summary.rows);
    let writers = headers.iter().position(|h| h == "Composer & Lyricist").expect("writer column");
    let splits = headers.iter().position(|h| h == "Splits").expect("splits");
    assert!(rows.iter().any(|r| !r[writers].is_empty()), "the demo has writers");
    assert!(rows.iter().any(|r| r[splits].contains('%')), "shares are shown");

    let xlsx = out(&demo, "label-copy.xlsx");
    let again = demo
        .catalog
        .export(ExportFormat::Xlsx, ExportLayout::LabelCopy, ExportScope::All, &xlsx)
        .await
        .expect("xlsx");
    assert_eq!(again.rows, summary.rows);
    assert_eq!(sheet_names(&xlsx), ["Label copy"]);
    assert!(!out(&demo, "label-copy.xlsx.part").exists());
}

fn sheet_names(path: &Path) -> Vec<String> {
    let book: Xlsx<_> = calamine::open_workbook(path).expect("open xlsx");
    book.sheet_names()
}

/// A distributor template in the AudioSalad/Believe style: one "Primary Artist" column, a
/// column per credit role, writer splits, territory and date columns in local spellings.
const DISTRIBUTOR: &str = "Album Title;Primary Artist;Label Name;UPC;Release Date;Pre-order Date;Territories;Excluded Territories;Track Number;Track Title;ISRC;Featuring;Producer(s);Composer;Lyricist;Splits;Internal Note\n\
Night Lines;Ana Ruiz;Northern Lights;5060123459999;25/12/2026;01.12.2026;WW;DE|AT;1;First Light;GBCTN2690001;Bo;Kai Moss | Lee;Ana Ruiz;Kai Moss;\"Ana Ruiz 60%; Kai Moss 40%\";x\n\
Night Lines;Ana Ruiz;Northern Lights;5060123459999;25/12/2026;01.12.2026;WW;DE|AT;2;Second Light;GBCTN2690002;;;Ana Ruiz;;;\n";

#[tokio::test]
async fn distributor_template_with_role_territory_and_date_columns() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("believe.csv");
    std::fs::write(&file, DISTRIBUTOR).expect("write");
    let mapping = Catalog::propose_mapping(&file).expect("mapping");
    let target = |h: &str| mapping.columns[h].clone();
    assert_eq!(mapping.layout.as_deref(), Some("track_per_row"));
    assert_eq!(target("Primary Artist").as_deref(), Some("track_artist"));
    assert_eq!(target("Featuring").as_deref(), Some("contributor:FeaturedArtist"));
    assert_eq!(target("Producer(s)").as_deref(), Some("contributor:Producer"));
    assert_eq!(target("Composer").as_deref(), Some("writer:Composer"));
    assert_eq!(target("Lyricist").as_deref(), Some("writer:Lyricist"));
    assert_eq!(target("Splits").as_deref(), Some("splits"));
    assert_eq!(target("Territories").as_deref(), Some("territories"));
    assert_eq!(target("Excluded Territories").as_deref(), Some("excluded_territories"));
    assert_eq!(target("Pre-order Date").as_deref(), Some("preorder_date"));
    assert_eq!(target("Internal Note"), None);

    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let warnings: Vec<String> = plan.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("row 3: writers from role columns have no shares")),
        "{warnings:?}"
    );
    let summary = temp.catalog.import(&file, None).await.expect("import");
    let release = temp.catalog.release(summary.release_ids[0]).await.expect("release");
    assert_eq!(release.display_artist, "Ana Ruiz", "the primary artist is the release's too");
    assert_eq!(release.release_date.as_deref(), Some("2026-12-25"));
    let first = temp.catalog.track(temp.catalog.track_at(release.id, 1).await.expect("t")).await.expect("t");
    let credits: Vec<(String, String)> =
        first.contributors.iter().map(|c| (c.role.to_string(), c.artist_name.clone())).collect();
    assert_eq!(
        credits,
        [
            ("FeaturedArtist".to_owned(), "Bo".to_owned()),
            ("Producer".to_owned(), "Kai Moss".to_owned()),
            ("Producer".to_owned(), "Lee".to_owned())
        ]
    );
    let writers: Vec<(String, String, i64)> =
        first.writers.iter().map(|w| (w.role.to_string(), w.name.clone(), w.share_basis_points)).collect();
    assert_eq!(
        writers,
        [
            ("Composer".to_owned(), "Ana Ruiz".to_owned(), 6000),
            ("Lyricist".to_owned(), "Kai Moss".to_owned(), 4000)
        ]
    );
    let rules: Vec<String> = temp
        .catalog
        .rights(release.id)
        .await
        .expect("rights")
        .rights
        .release
        .iter()
        .map(|r| r.describe())
        .collect();
    assert_eq!(
        rules,
        [
            "include Worldwide on all stores from 2026-12-25, pre-order from 2026-12-01",
            "exclude DE, AT on all stores"
        ]
    );
}

#[tokio::test]
async fn ambiguous_dates_and_unknown_territories_are_cell_problems() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("bad.csv");
    std::fs::write(
        &file,
        "UPC,Album,Album Artist,Label,Release Date,Territories\n\
         5060123459999,Night Lines,Ana Ruiz,Northern Lights,03/04/2026,US|XX\n",
    )
    .expect("write");
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("row 2, column release_date:") && l.contains("2026-04-03")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("row 2, column territories:") && l.contains("XX")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn release_per_row_sheet_and_a_saved_mapping() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("releases.csv");
    std::fs::write(
        &file,
        "Barcode,Album,Album Artist,Imprint,Street Date\n\
         5060123459999,Night Lines,Ana Ruiz,Northern Lights,2026-03-01\n\
         5060123450002,Day Lines,Bo,Northern Lights,2026-04-01\n",
    )
    .expect("write");
    let mut mapping = Catalog::propose_mapping(&file).expect("mapping");
    assert_eq!(mapping.layout.as_deref(), Some("release_per_row"));
    assert_eq!(mapping.columns["Imprint"], None);
    mapping.columns.insert("Imprint".into(), Some("label".into()));
    temp.catalog.save_mapping("label-sheet", &mapping).await.expect("save");
    assert_eq!(temp.catalog.saved_mappings().await.expect("list"), ["label-sheet"]);
    let saved = temp.catalog.saved_mapping("label-sheet").await.expect("load");
    assert_eq!(saved, mapping);
    let mut bad = mapping.clone();
    bad.columns.insert("Imprint".into(), Some("labl".into()));
    assert!(temp.catalog.save_mapping("bad", &bad).await.is_err(), "unknown targets are refused");
    assert!(temp.catalog.save_mapping("no spaces", &mapping).await.is_err());

    let summary = temp.catalog.import(&file, Some(&saved)).await.expect("import");
    assert_eq!((summary.releases_created, summary.tracks_created), (2, 0));
}

#[tokio::test]
async fn rights_round_trip_through_the_template() {
    use catno_core::rights::engine::{ReleaseRights, Rule, StoreId, Territory, TerritoryRef, TrackKey};
    let demo = TempCatalog::demo().await;
    let page = demo.catalog.releases(&catno_core::ReleaseQuery { label_id: None, offset: 0, limit: 1 });
    let id = page.await.expect("list").items[0].id;
    let view = demo.catalog.rights(id).await.expect("rights");
    let code = |c: &str| TerritoryRef::Code(Territory::parse(c).expect("code"));
    let mut next = ReleaseRights::new(view.rights.tracks.clone());
    next.release = vec![
        Rule::include([TerritoryRef::Worldwide]),
        Rule::exclude([code("DE")]).on_store(StoreId::parse("spotify").expect("store")),
    ];
    next.rules_of_mut(TrackKey(view.tracks[0].track_id)).push(Rule::exclude([code("FR"), code("BE")]));
    demo.catalog.replace_rights(id, next).await.expect("replace");

    let file = out(&demo, "one.csv");
    demo.catalog
        .export(ExportFormat::Csv, ExportLayout::Template, ExportScope::Releases { ids: vec![id] }, &file)
        .await
        .expect("export");
    assert!(read(&file).contains("exclude DE on spotify"), "{}", read(&file));

    // The workbook's Rights sheet lists each rule with its level, track position and ISRC.
    let xlsx = out(&demo, "one.xlsx");
    demo.catalog
        .export(ExportFormat::Xlsx, ExportLayout::Template, ExportScope::Releases { ids: vec![id] }, &xlsx)
        .await
        .expect("xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).expect("open");
    let sheet = book.worksheet_range("Rights").expect("rights sheet");
    let rows: Vec<Vec<String>> =
        sheet.rows().skip(1).map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let first_isrc = demo.catalog.track(view.tracks[0].track_id).await.expect("track").isrc;
    let first_isrc = first_isrc.map(|i| i.as_str().to_owned()).unwrap_or_default();
    let release_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[3] == "release").collect();
    let track_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[3] == "track").collect();
    assert_eq!(release_rows.len(), 2, "{rows:?}");
    assert!(release_rows.iter().all(|r| r[0] == id.to_string()), "{rows:?}");
    assert!(release_rows[1][6].contains("exclude DE on spotify"), "{rows:?}");
    assert_eq!(track_rows.len(), 1, "{rows:?}");
    assert_eq!((track_rows[0][4].as_str(), track_rows[0][5].as_str()), ("1", first_isrc.as_str()));
    assert!(track_rows[0][6].contains("exclude FR, BE"), "{rows:?}");

    let empty = TempCatalog::empty().await;
    let imported = empty.catalog.import(&file, None).await.expect("import");
    let (before, after) = (
        demo.catalog.rights(id).await.expect("before"),
        empty.catalog.rights(imported.release_ids[0]).await.expect("after"),
    );
    assert_eq!(before.rights.release, after.rights.release);
    let first_after = after.tracks[0].track_id;
    assert_eq!(
        after.rights.rules_of(TrackKey(first_after)),
        before.rights.rules_of(TrackKey(view.tracks[0].track_id))
    );

    // A track made more available than its release is refused before anything is written.
    let bad = out(&empty, "bad.csv");
    let text = read(&file).replacen("exclude FR, BE on all stores", "include DE on spotify", 1);
    std::fs::write(&bad, text).expect("write");
    let plan = empty.catalog.plan_import(&bad, None).await.expect("plan");
    assert!(plan.problems.iter().any(|p| p.column == "rights"), "{:?}", plan.problems);
}

/// The text of every page, as a PDF reader extracts it.
fn pdf_text(path: &Path) -> String {
    let document = lopdf::Document::load(path).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    document.extract_text(&pages).expect("text")
}

#[tokio::test]
async fn label_copy_and_split_sheet_pdfs_carry_unicode_titles_and_isrcs() {
    use catno_core::transfer::{PdfKind, existing_fonts};
    let fonts = existing_fonts();
    if fonts.is_empty() {
        eprintln!(
            "SKIPPED: no font of FONT_SEARCH_LIST installed (apt-get install fonts-noto-cjk fonts-dejavu-core)"
        );
        return;
    }
    let demo = TempCatalog::demo().await;
    let page = demo.catalog.releases(&catno_core::ReleaseQuery { label_id: None, offset: 0, limit: 1 });
    let id = page.await.expect("list").items[0].id;
    demo.catalog
        .set_release_fields(id, &[("title".into(), "東京の夜 Tokyo Nights".into())])
        .await
        .expect("set");
    let track = demo.catalog.track(demo.catalog.track_at(id, 1).await.expect("t")).await.expect("t");
    let isrc = track.isrc.expect("demo tracks have ISRCs").as_str().to_owned();

    let label_copy = out(&demo, "label-copy.pdf");
    let summary = demo.catalog.export_pdf(PdfKind::LabelCopy, id, &fonts, &label_copy).await.expect("pdf");
    assert!(summary.pages >= 1);
    let text = pdf_text(&label_copy);
    assert!(text.contains("Tokyo Nights"), "{text}");
    assert!(text.contains(&isrc), "{text}");
    let cjk_font = fonts.iter().any(|f| f.to_string_lossy().contains("CJK"));
    if cjk_font {
        assert!(text.contains("東京の夜"), "{text}");
        assert!(summary.missing_characters.is_empty(), "{:?}", summary.missing_characters);
    }
    let size = std::fs::metadata(&label_copy).expect("size").len();
    assert!(size < 1_000_000, "fonts are subset, not embedded whole: {size} bytes");

    let split = out(&demo, "split.pdf");
    demo.catalog.export_pdf(PdfKind::SplitSheet, id, &fonts, &split).await.expect("pdf");
    let text = pdf_text(&split);
    assert!(text.contains("SPLIT SHEET") && text.contains("Signature"), "{text}");
    assert!(text.contains(&isrc), "{text}");
    assert!(demo.catalog.export_pdf(PdfKind::LabelCopy, 999_999, &fonts, &split).await.is_err());
    assert!(
        demo.catalog.export_pdf(PdfKind::LabelCopy, id, &[], &split).await.is_err(),
        "no font: a clear error"
    );
}

async fn wait_for_job(jobs: &catno_core::jobs::Jobs, id: u32) -> catno_core::jobs::JobState {
    for _ in 0..400 {
        if let Some(p) = jobs.get(id).filter(|p| p.state.is_final()) {
            return p.state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test]
async fn a_delivery_folder_is_matched_by_isrc_and_upc_attached_and_queued_for_qc() {
    use catno_core::qc::AssetOwner;
    use catno_media::generate::{write_cover_png, write_tone_wav};
    let demo = TempCatalog::demo().await;
    let page = demo.catalog.releases(&catno_core::ReleaseQuery { label_id: None, offset: 0, limit: 1 });
    let release = page.await.expect("list").items[0].clone();
    let upc = release.upc.clone().expect("demo releases have UPCs");
    let track_id = demo.catalog.track_at(release.id, 1).await.expect("track");
    let isrc = demo.catalog.track(track_id).await.expect("t").isrc.expect("isrc").as_str().to_owned();

    let folder = demo.dir().join("delivery");
    std::fs::create_dir_all(folder.join("audio")).expect("mkdir");
    let hyphenated = format!("{}-{}-{}-{}", &isrc[..2], &isrc[2..5], &isrc[5..7], &isrc[7..]);
    write_tone_wav(
        &folder.join("audio").join(format!("01 {hyphenated} Master.wav")),
        &[440.0],
        1.0,
        44_100,
        -3.0,
    )
    .expect("wav");
    write_tone_wav(&folder.join("audio").join("02 FRZ032600001 Unknown.wav"), &[440.0], 0.5, 44_100, -3.0)
        .expect("wav");
    write_cover_png(&folder.join(format!("{upc}_cover.png")), 64, [10, 20, 30], [200, 100, 0]).expect("png");
    std::fs::write(folder.join("readme.txt"), "notes").expect("txt");

    let plan = demo.catalog.plan_folder_import(&folder).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let owners: Vec<Option<AssetOwner>> = plan.matched.iter().map(|f| f.owner).collect();
    assert_eq!(
        owners,
        [Some(AssetOwner::Release { id: release.id }), Some(AssetOwner::Track { id: track_id })]
    );
    assert_eq!(plan.unmatched.len(), 1);
    assert!(plan.unmatched[0].reason.as_deref().is_some_and(|r| r.contains("FRZ032600001")));
    assert_eq!(plan.ignored.len(), 1);

    let jobs = catno_core::jobs::Jobs::new();
    let done = demo.catalog.import_folder(&jobs, &folder, "generic").await.expect("import");
    assert_eq!(done.attached.len(), 2);
    for attached in &done.attached {
        assert_eq!(wait_for_job(&jobs, attached.job_id).await, catno_core::jobs::JobState::Succeeded);
    }
    let qc = demo.catalog.stored_release_qc(release.id, "generic").await.expect("qc");
    let master =
        qc.files.iter().find(|f| f.path.contains("Master.wav")).expect("the new master is the track's");
    assert!(master.error.is_none() && master.audio.is_some(), "{master:?}");

    // A second master for the same track is refused before anything is attached.
    write_tone_wav(&folder.join(format!("{isrc} alt.wav")), &[220.0], 0.5, 44_100, -3.0).expect("wav");
    let plan = demo.catalog.plan_folder_import(&folder).await.expect("plan");
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    assert!(demo.catalog.import_folder(&jobs, &folder, "generic").await.is_err());
}

/// What the dry run passes, the import writes: shares and credits are checked as the catalog
/// will store them, not only cell by cell.
#[tokio::test]
async fn shares_over_100_percent_across_columns_and_credits_in_another_case_are_problems_of_the_plan() {
    let temp = TempCatalog::empty().await;
    let header =
        "upc;release_title;release_artist;label;track;isrc;track_title;contributors;writers;Lyricist;Splits";
    let over = temp.dir().join("over.csv");
    std::fs::write(
        &over,
        format!(
            "{header}\n5060123459999;Night Lines;Ana Ruiz;Northern Lights;1;GBCTN2690001;First Light;;Composer:Ana Ruiz::60%;Kai Moss;Kai Moss 50%\n"
        ),
    )
    .expect("write");
    let plan = temp.catalog.plan_import(&over, None).await.expect("plan");
    let problems: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("row 2") && problems[0].contains("splits"), "{problems:?}");
    assert!(problems[0].contains("writer shares total 110.00 %"), "{problems:?}");
    let refused = temp.catalog.import(&over, None).await.expect_err("refused before writing");
    assert!(refused.to_string().contains("over.csv"), "{refused}");

    // The same artist in another case, in the cell and from a role column: refused as the
    // editor refuses that credit, and now by the dry run, which names the row and the column.
    let twice = temp.dir().join("twice.csv");
    let header = format!("{header};Producer");
    std::fs::write(
        &twice,
        format!(
            "{header}\n\
             5060123459999;Night Lines;Ana Ruiz;Northern Lights;1;GBCTN2690001;First Light;\"Producer:Kai Moss; Producer:KAI MOSS\";;;;\n\
             5060123459999;Night Lines;Ana Ruiz;Northern Lights;2;GBCTN2690002;Second Light;Producer:Kai Moss;;;;kai moss\n\
             5060123459999;Night Lines;Ana Ruiz;Northern Lights;3;GBCTN2690003;Third Light;Producer:Kai Moss;;;;Kai Moss\n"
        ),
    )
    .expect("write");
    let plan = temp.catalog.plan_import(&twice, None).await.expect("plan");
    let problems: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("row 2") && problems[0].contains("contributors"), "{problems:?}");
    assert!(problems[0].contains("KAI MOSS is already credited as Producer"), "{problems:?}");
    assert!(problems[1].contains("row 3") && problems[1].contains("contributor:Producer"), "{problems:?}");
    assert!(problems[1].contains("kai moss is already credited as Producer"), "{problems:?}");
    let refused = temp.catalog.import(&twice, None).await.expect_err("refused");
    assert!(refused.to_string().contains("twice.csv"), "{refused}");
}
