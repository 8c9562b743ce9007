//! CSV import and export in Catno's template, on real catalog files.

use std::path::{Path, PathBuf};

use catno_core::transfer::{ColumnMapping, ExportScope, PlannedAction, escape_cell, unescape_cell};
use catno_core::{Catalog, ReleaseQuery, TrackQuery};
use catno_testkit::TempCatalog;

const HEADER: &str = "upc,release_title,release_artist,label,release_type,release_date,disc,track,isrc,track_title,track_artist,duration,explicit,contributors,writers";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    path
}

fn good_rows() -> String {
    format!(
        "{HEADER}\n\
         5060123459999,Night Lines,Ana Ruiz,Northern Lights,EP,2026-03-01,1,1,GBCTN2690001,First Light,Ana Ruiz,3:35,no,MainArtist:Ana Ruiz; Producer:Kai Moss,Composer:Ana Ruiz:Acme Publishing:50%; Lyricist:Kai Moss::50%\n\
         5060123459999,Night Lines,Ana Ruiz,Northern Lights,EP,2026-03-01,1,2,GBCTN2690002,\"Second, Light\",Ana Ruiz,4:01.250,yes,MainArtist:Ana Ruiz,\n"
    )
}

async fn release_count(catalog: &Catalog) -> i64 {
    catalog.info().await.expect("info").releases
}

#[tokio::test]
async fn dry_run_plans_and_import_writes_everything() {
    let temp = TempCatalog::empty().await;
    let file = write(temp.dir(), "in.csv", &good_rows());
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.releases.len(), 1);
    assert_eq!(plan.releases[0].row_numbers, vec![2, 3]);
    assert_eq!(plan.releases[0].action, PlannedAction::Create);
    assert_eq!(plan.tracks_created(), 2);
    assert_eq!(release_count(&temp.catalog).await, 0, "a dry run writes nothing");

    let summary = temp.catalog.import(&file, None).await.expect("import");
    assert_eq!((summary.releases_created, summary.tracks_created), (1, 2));
    let id = summary.release_ids[0];
    let release = temp.catalog.release(id).await.expect("release");
    assert_eq!(release.title, "Night Lines");
    assert_eq!(release.label_name, "Northern Lights");
    assert_eq!(release.release_date.as_deref(), Some("2026-03-01"));
    let tracks =
        temp.catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 10 }).await.expect("tracks");
    assert_eq!(tracks.items.len(), 2);
    let second = temp.catalog.track(tracks.items[1].id).await.expect("track");
    assert_eq!(second.title, "Second, Light");
    assert_eq!(second.duration_ms, Some(241_250));
    assert!(second.explicit);
    let first = temp.catalog.track(tracks.items[0].id).await.expect("track");
    assert_eq!(first.contributors.len(), 2);
    assert_eq!(first.writers.len(), 2);
    assert_eq!(first.writers[1].publisher, None);
    assert_eq!(first.writers[0].share_basis_points, 5000);

    // The same file again matches the release and its tracks instead of duplicating them.
    let again = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert_eq!(again.releases[0].action, PlannedAction::Update { id });
    assert_eq!(again.tracks_matched(), 2);
    let summary = temp.catalog.import(&file, None).await.expect("re-import");
    assert_eq!((summary.releases_updated, summary.tracks_updated), (1, 2));
    assert_eq!(release_count(&temp.catalog).await, 1);
    let first = temp.catalog.track(tracks.items[0].id).await.expect("track");
    assert_eq!((first.contributors.len(), first.writers.len()), (2, 2), "no duplicated credits");
}

#[tokio::test]
async fn a_bad_upc_on_one_row_refuses_the_whole_file() {
    let temp = TempCatalog::empty().await;
    let text = format!(
        "{}5060123450001,Other,Bo,Northern Lights,Single,2026-01-01,1,1,GBCTN2690003,Only,Bo,2:00,no,,\n",
        good_rows()
    );
    let file = write(temp.dir(), "bad.csv", &text);
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    let problem = plan.problems[0].to_string();
    assert!(problem.starts_with("row 4, column upc: "), "{problem}");
    assert!(problem.contains("check digit"), "{problem}");
    let error = temp.catalog.import(&file, None).await.expect_err("refused");
    assert!(error.to_string().contains("nothing imported"), "{error}");
    assert_eq!(release_count(&temp.catalog).await, 0, "nothing written");
}

#[tokio::test]
async fn semicolons_windows_1252_and_aliases() {
    let temp = TempCatalog::empty().await;
    // Excel on a German Windows: `;` and Windows-1252 (é is 0xE9), with vendor-ish headers.
    let mut bytes = b"EAN;Album;Album Artist;Label Name;Track Title;ISRC Code;Artist\r\n".to_vec();
    bytes.extend_from_slice(
        b"5060123459999;Caf\xe9 Nights;Ren\xe9e;Northern Lights;\"Line one; two\";GBCTN2690001;Ren\xe9e\r\n",
    );
    let file = temp.dir().join("excel.csv");
    std::fs::write(&file, bytes).expect("write");
    let mapping = Catalog::propose_mapping(&file).expect("mapping");
    assert_eq!(mapping.columns["EAN"].as_deref(), Some("upc"));
    assert_eq!(mapping.columns["Track Title"].as_deref(), Some("track_title"));
    assert_eq!(mapping.columns["ISRC Code"].as_deref(), Some("isrc"));
    assert_eq!(mapping.columns["Artist"].as_deref(), Some("track_artist"));
    assert_eq!(mapping.columns["Label Name"].as_deref(), Some("label"));
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert_eq!(plan.delimiter, ";");
    assert_eq!(plan.encoding, "Windows-1252");
    assert!(plan.notes.iter().any(|n| n.contains("not UTF-8")), "{:?}", plan.notes);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let summary = temp.catalog.import(&file, None).await.expect("import");
    let release = temp.catalog.release(summary.release_ids[0]).await.expect("release");
    assert_eq!(release.title, "Café Nights");
    assert_eq!(release.display_artist, "Renée");
    let track = temp.catalog.track_at(release.id, 1).await.expect("track");
    assert_eq!(temp.catalog.track(track).await.expect("track").title, "Line one; two", "a quoted delimiter");
}

#[tokio::test]
async fn a_quoted_line_break_stays_in_its_row_and_is_refused_there() {
    let temp = TempCatalog::empty().await;
    let file = write(
        temp.dir(),
        "newline.csv",
        "upc,release_title,release_artist,label,track_title\n\
         5060123459999,Album,Bo,Northern Lights,\"Line one\nline two\"\n\
         5060123459999,Album,Bo,Northern Lights,Second\n",
    );
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    let problem = &plan.problems[0];
    assert_eq!((problem.row, problem.column.as_str()), (2, "track_title"), "{problem:?}");
    assert!(problem.message.contains("U+000A"), "{problem:?}");
}

#[tokio::test]
async fn a_saved_mapping_is_used_as_given() {
    let temp = TempCatalog::empty().await;
    let file = write(
        temp.dir(),
        "m.csv",
        "Code,Name,Who,Imprint,Song\n5060123459999,Album X,Bo,Northern Lights,Song A\n",
    );
    let mut mapping: ColumnMapping = Catalog::propose_mapping(&file).expect("mapping");
    assert_eq!(mapping.columns["Code"], None);
    for (header, field) in [
        ("Code", "upc"),
        ("Name", "release_title"),
        ("Who", "release_artist"),
        ("Imprint", "label"),
        ("Song", "track_title"),
    ] {
        mapping.columns.insert(header.into(), Some(field.into()));
    }
    let json = serde_json::to_string(&mapping).expect("json");
    let mapping: ColumnMapping = serde_json::from_str(&json).expect("back");
    let plan = temp.catalog.plan_import(&file, Some(&mapping)).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.releases[0].tracks[0].title, "Song A");

    let mut bad = mapping.clone();
    bad.columns.insert("Song".into(), Some("nonsense".into()));
    assert!(temp.catalog.plan_import(&file, Some(&bad)).await.is_err());
}

#[tokio::test]
async fn formula_cells_and_duplicates_are_row_problems() {
    let temp = TempCatalog::empty().await;
    let text = format!(
        "{HEADER}\n\
         5060123459999,Night,Ana,Northern Lights,Single,,1,1,GBCTN2690001,=HYPERLINK(\"x\"),Ana,,,,\n\
         5060123459999,Night,Ana,Northern Lights,Single,,1,2,GBCTN2690001,B,Ana,,,,\n\
         5060123459999,Other Title,Ana,Northern Lights,Single,,1,3,GBCTN2690002,'=C,Ana,,,,\n"
    );
    let file = write(temp.dir(), "f.csv", &text);
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("row 2, column track_title:") && l.contains("formula")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("row 3, column isrc:") && l.contains("row 2")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("row 4, column release_title:") && l.contains("differs")),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("row 4, column track_title")),
        "an escaped formula is text: {lines:?}"
    );
    assert!(temp.catalog.import(&file, None).await.is_err());
    assert_eq!(release_count(&temp.catalog).await, 0);
}

#[test]
fn escaping_round_trips() {
    for value in ["=1+2", "+44 20", "-5", "@home", "'quoted", "''", "plain", ""] {
        let escaped = escape_cell(value);
        assert_eq!(unescape_cell(&escaped).expect("unescape"), value, "{value}");
    }
    assert!(unescape_cell("=SUM(A1)").is_err());
}

#[tokio::test]
async fn demo_export_import_export_is_byte_identical() {
    let demo = TempCatalog::demo().await;
    let first = demo.dir().join("first.csv");
    let summary = demo.catalog.export_csv(ExportScope::All, &first).await.expect("export");
    assert_eq!(summary.releases, 10);

    let empty = TempCatalog::empty().await;
    let plan = empty.catalog.plan_import(&first, None).await.expect("plan");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let imported = empty.catalog.import(&first, None).await.expect("import");
    assert_eq!(imported.releases_created, 10);
    let second = empty.dir().join("second.csv");
    empty.catalog.export_csv(ExportScope::All, &second).await.expect("export again");
    let (a, b) = (std::fs::read_to_string(&first).expect("a"), std::fs::read_to_string(&second).expect("b"));
    assert_eq!(a, b);

    // Key fields, compared through the API rather than the file.
    let query = ReleaseQuery { label_id: None, offset: 0, limit: 50 };
    let before = demo.catalog.releases(&query).await.expect("before").items;
    let after = empty.catalog.releases(&query).await.expect("after").items;
    assert_eq!(before.len(), after.len());
    for (x, y) in before.iter().zip(&after) {
        assert_eq!(
            (&x.upc, &x.title, &x.catalog_number, x.track_count),
            (&y.upc, &y.title, &y.catalog_number, y.track_count)
        );
        let (rx, ry) =
            (demo.catalog.release(x.id).await.expect("x"), empty.catalog.release(y.id).await.expect("y"));
        assert_eq!(
            (&rx.p_line, &rx.genre, rx.parental_advisory),
            (&ry.p_line, &ry.genre, ry.parental_advisory)
        );
        let tx = demo.catalog.track(demo.catalog.track_at(x.id, 1).await.expect("t")).await.expect("t");
        let ty = empty.catalog.track(empty.catalog.track_at(y.id, 1).await.expect("t")).await.expect("t");
        assert_eq!(
            (&tx.isrc, tx.duration_ms, &tx.audio_language),
            (&ty.isrc, ty.duration_ms, &ty.audio_language)
        );
        assert_eq!(tx.contributors.len(), ty.contributors.len());
        assert_eq!(tx.writers.len(), ty.writers.len());
    }
}

#[tokio::test]
async fn export_escapes_formulas_and_selects_releases() {
    let demo = TempCatalog::demo().await;
    let page =
        demo.catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await.expect("list");
    let id = page.items[0].id;
    demo.catalog.set_release_fields(id, &[("title".into(), "=cmd|' /C calc'!A0".into())]).await.expect("set");
    let out = demo.dir().join("one.csv");
    let summary =
        demo.catalog.export_csv(ExportScope::Releases { ids: vec![id] }, &out).await.expect("export");
    assert_eq!(summary.releases, 1);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.contains("'=cmd"), "{text}");
    assert!(!text.lines().skip(1).any(|l| l.split(',').any(|c| c.starts_with('='))));

    let empty = TempCatalog::empty().await;
    let imported = empty.catalog.import(&out, None).await.expect("import");
    let release = empty.catalog.release(imported.release_ids[0]).await.expect("release");
    assert_eq!(release.title, "=cmd|' /C calc'!A0", "re-import un-escapes");
    assert!(demo.catalog.export_csv(ExportScope::Releases { ids: vec![999_999] }, &out).await.is_err());
}

#[tokio::test]
async fn a_label_export_holds_that_label_s_releases_only() {
    let demo = TempCatalog::demo().await;
    let labels = demo.catalog.labels().await.expect("labels");
    assert!(labels.len() >= 2, "the demo has several labels");
    for label in &labels {
        let listed = demo
            .catalog
            .releases(&ReleaseQuery { label_id: Some(label.id), offset: 0, limit: 1000 })
            .await
            .expect("list");
        let out = demo.dir().join(format!("label-{}.csv", label.id));
        let summary =
            demo.catalog.export_csv(ExportScope::Label { id: label.id }, &out).await.expect("export");
        assert_eq!(summary.releases as i64, listed.total, "{}", label.name);

        let mut reader = csv::Reader::from_path(&out).expect("open");
        let headers = reader.headers().expect("headers").clone();
        let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let (label_column, upc_column) = (column("label"), column("upc"));
        let mut upcs: Vec<String> = Vec::new();
        for row in reader.records() {
            let row = row.expect("row");
            assert_eq!(&row[label_column], label.name, "a row of another label in {}'s export", label.name);
            if !row[upc_column].is_empty() {
                upcs.push(row[upc_column].to_owned());
            }
        }
        upcs.sort();
        upcs.dedup();
        let mut expected: Vec<String> = listed.items.iter().filter_map(|r| r.upc.clone()).collect();
        expected.sort();
        assert_eq!(upcs, expected, "{}", label.name);
    }

    let err = demo.catalog.export_csv(ExportScope::Label { id: 999_999 }, &demo.dir().join("none.csv")).await;
    let err = err.expect_err("no such label");
    assert_eq!(err.code(), catno_core::ErrorCode::NotFound);
    assert!(err.to_string().contains("label 999999"), "{err}");
    assert!(!demo.dir().join("none.csv").exists(), "nothing written for an unknown label");
}

#[tokio::test]
async fn a_new_track_on_a_taken_position_of_an_existing_release_is_a_problem() {
    let temp = TempCatalog::empty().await;
    let file = write(temp.dir(), "in.csv", &good_rows());
    let id = temp.catalog.import(&file, None).await.expect("import").release_ids[0];
    let clash = format!(
        "{HEADER}\n5060123459999,Night Lines,Ana Ruiz,Northern Lights,EP,2026-03-01,1,2,GBCTN2690009,Intruder,Ana Ruiz,1:00,no,,\n\
         5060123459999,,,,,,1,,GBCTN2690010,Bonus,,2:00,no,,\n"
    );
    let file = write(temp.dir(), "clash.csv", &clash);
    let plan = temp.catalog.plan_import(&file, None).await.expect("plan");
    let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("row 2, column track: disc 1 track 2 is already taken"), "{lines:?}");
    assert_eq!(plan.releases[0].action, PlannedAction::Update { id });
    assert_eq!(plan.releases[0].tracks[1].track, 3, "an empty track number goes after the last");
    assert_eq!(plan.releases[0].tracks[1].title, "Bonus");
}

#[tokio::test]
async fn imported_releases_are_logged_queued_for_sync_and_searchable() {
    let temp = TempCatalog::empty().await;
    temp.catalog.set_actor("Importer");
    let file = write(temp.dir(), "label-catalog.csv", &good_rows());
    let summary = temp.catalog.import(&file, None).await.expect("import");
    let id = summary.release_ids[0];

    // Who imported what, and from where, under one change.
    let log = temp.catalog.audit_log(id).await.expect("audit");
    assert!(!log.is_empty() && log.iter().all(|e| e.actor == "Importer"), "{log:?}");
    assert!(log.iter().any(|e| e.field == "created" && e.after.as_deref() == Some("Night Lines")), "{log:?}");
    assert!(
        log.iter().any(|e| e.field == "imported"
            && e.after.as_deref() == Some("2 track(s) from label-catalog.csv")),
        "{log:?}"
    );
    assert!(log.iter().all(|e| e.change_id == log[0].change_id));

    // Sync pushes it: one pending save.
    let sync = temp.catalog.release_sync(id).await.expect("sync");
    assert_eq!(sync.pending.len(), 1, "{:?}", sync.pending);
    assert_eq!(sync.pending[0].op, "save");

    // Search finds the release and its tracks by words and codes.
    let hits = temp.catalog.search("night lines", 10).await.expect("search");
    assert!(hits.iter().any(|h| h.id == id && h.title == "Night Lines"), "{hits:?}");
    let hits = temp.catalog.search("GBCTN2690002", 10).await.expect("search");
    assert!(hits.iter().any(|h| h.title == "Second, Light" && h.release_id == Some(id)), "{hits:?}");
    let hits = temp.catalog.search("5060123459999", 10).await.expect("search");
    assert!(hits.iter().any(|h| h.id == id), "{hits:?}");

    // Credits keep the file's order.
    let tracks =
        temp.catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 10 }).await.expect("tracks");
    let first = temp.catalog.track(tracks.items[0].id).await.expect("track");
    let credits: Vec<(&str, i64)> =
        first.contributors.iter().map(|c| (c.artist_name.as_str(), c.sequence)).collect();
    assert_eq!(credits, [("Ana Ruiz", 1), ("Kai Moss", 2)]);
    let release = temp.catalog.release(id).await.expect("release");
    assert_eq!(release.artists.len(), 1);
    assert_eq!(release.artists[0].artist_name, "Ana Ruiz");

    // The next edit is logged and queued row by row again.
    temp.catalog.set_actor("Editor");
    temp.catalog.set_release_fields(id, &[("genre".to_owned(), "Jazz".to_owned())]).await.expect("edit");
    let log = temp.catalog.audit_log(id).await.expect("audit");
    assert!(log.iter().any(|e| e.field == "genre" && e.actor == "Editor"), "{log:?}");
}

#[tokio::test]
async fn a_second_import_reuses_artists_and_labels_ignoring_case() {
    let temp = TempCatalog::empty().await;
    let file = write(temp.dir(), "a.csv", &good_rows());
    temp.catalog.import(&file, None).await.expect("import");
    let other = format!(
        "{HEADER}\n\
         5060123450002,Day Lines,ANA RUIZ,northern lights,Single,2026-04-01,1,1,GBCTN2690003,Noon,ANA RUIZ,3:00,no,MainArtist:ANA RUIZ; Producer:kai moss,\n"
    );
    let file = write(temp.dir(), "b.csv", &other);
    let summary = temp.catalog.import(&file, None).await.expect("import");
    let release = temp.catalog.release(summary.release_ids[0]).await.expect("release");
    assert_eq!(release.label_name, "Northern Lights", "the label is matched, not created again");
    assert_eq!(release.artists[0].artist_name, "Ana Ruiz", "the artist is matched ignoring case");
    let tracks = temp
        .catalog
        .tracks(&TrackQuery { release_id: release.id, offset: 0, limit: 10 })
        .await
        .expect("tracks");
    let track = temp.catalog.track(tracks.items[0].id).await.expect("track");
    let names: Vec<&str> = track.contributors.iter().map(|c| c.artist_name.as_str()).collect();
    assert_eq!(names, ["Ana Ruiz", "Kai Moss"]);
}

#[tokio::test]
async fn a_credit_repeated_in_another_case_refuses_the_import() {
    let temp = TempCatalog::empty().await;
    let rows = format!(
        "{HEADER}\n\
         5060123459999,Night Lines,Ana Ruiz,Northern Lights,EP,2026-03-01,1,1,GBCTN2690001,First Light,Ana Ruiz,3:35,no,MainArtist:Ana Ruiz; MainArtist:ANA RUIZ,\n"
    );
    let file = write(temp.dir(), "in.csv", &rows);
    let err = temp.catalog.import(&file, None).await.expect_err("refused");
    assert!(err.to_string().contains("already credited as MainArtist"), "{err}");
    assert_eq!(release_count(&temp.catalog).await, 0, "nothing written");
}

/// The export loads releases a chunk at a time; what it loads must be what the per-release
/// queries return, so the file stays the same: rights rules, a track on two releases, an id
/// listed twice and out of order.
#[tokio::test]
async fn chunked_export_load_matches_the_per_release_queries() {
    use catno_core::rights::engine::{ReleaseRights, Rule, Territory, TerritoryRef, TrackKey};
    let demo = TempCatalog::demo().await;
    let query = ReleaseQuery { label_id: None, offset: 0, limit: 50 };
    let ids: Vec<i64> =
        demo.catalog.releases(&query).await.expect("list").items.iter().map(|r| r.id).collect();
    assert!(ids.len() >= 3);
    let view = demo.catalog.rights(ids[0]).await.expect("rights");
    let mut rights = ReleaseRights::new(view.rights.tracks.clone());
    rights.release = vec![Rule::include([TerritoryRef::Worldwide])];
    let code = TerritoryRef::Code(Territory::parse("FR").expect("code"));
    rights.rules_of_mut(TrackKey(view.tracks[0].track_id)).push(Rule::exclude([code]));
    demo.catalog.replace_rights(ids[0], rights).await.expect("replace");

    let db = catno_db::Db::open(&demo.path(), catno_db::OpenMode::Existing).await.expect("open");
    let mut tx = db.begin().await.expect("begin");
    catno_db::add_track_to_release(&mut tx, ids[1], view.tracks[0].track_id, 9, 1).await.expect("share");
    tx.commit().await.expect("commit");

    let mut wanted: Vec<i64> = ids.iter().rev().copied().collect();
    wanted.push(ids[0]);
    let mut conn = db.read().await.expect("read");
    let chunked = catno_db::export_releases(&mut conn, &wanted).await.expect("chunked");
    assert_eq!(chunked.len(), wanted.len());
    for (id, loaded) in wanted.iter().zip(&chunked) {
        let release = catno_db::get_release(&mut conn, *id).await.expect("release");
        let rights = catno_db::load_release_rights(&mut conn, *id).await.expect("rights");
        // The tracklist as the editor reads it, one track at a time.
        let mut tracks = Vec::new();
        for place in catno_db::list_release_tracks(&mut conn, *id, 0, i64::MAX).await.expect("list").items {
            let track = catno_db::get_track(&mut conn, place.id).await.expect("track");
            tracks.push(catno_db::ExportTrack {
                track_id: track.id,
                disc_number: place.disc_number,
                track_number: place.track_number,
                isrc: track.isrc.map(|i| i.as_str().to_owned()),
                title: track.title,
                version: track.version,
                display_artist: track.display_artist,
                duration_ms: track.duration_ms,
                explicit: track.explicit,
                audio_language: track.audio_language,
                contributors: track
                    .contributors
                    .into_iter()
                    .map(|c| (c.role.as_str().to_owned(), c.artist_name))
                    .collect(),
                writers: track
                    .writers
                    .into_iter()
                    .map(|w| (w.role.as_str().to_owned(), w.name, w.publisher, w.share_basis_points))
                    .collect(),
            });
        }
        assert_eq!((&loaded.release, &loaded.tracks, &loaded.rights), (&release, &tracks, &rights));
    }
    let shared = chunked.iter().find(|r| r.release.id == ids[1]).expect("second release");
    assert!(shared.tracks.iter().any(|t| t.track_id == view.tracks[0].track_id && t.disc_number == 9));
    assert!(!chunked.iter().find(|r| r.release.id == ids[0]).expect("first").rights.release.is_empty());
    assert!(matches!(
        catno_db::export_releases(&mut conn, &[ids[0], i64::MAX]).await,
        Err(catno_db::DbError::NotFound { what: "release", .. })
    ));
}
