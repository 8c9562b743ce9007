//! Importing DDEX's official ERN 4.3 and 3.8.2 samples into a real catalog, re-importing
//! them, and re-exporting the imported releases through the ERN generator: what the sample
//! says about titles, artists, credits, identifiers, P/C lines, genres and territories must
//! survive catalog -> message -> import.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::ddex::ern::{
    AudioCodec, AudioTechnical, ErnContent, ImportedRelease, MessageHeaderInput, ReleaseMessageInput,
    TrackInput, generate, profile, read_ern,
};
use catno_core::ddex_import::{DdexImportOutcome, DdexImportReport};
use catno_core::domain::{Artist, ReleaseType};
use catno_core::rights::engine::{StoreId, Use, compile_ddex};
use catno_core::{ReleaseQuery, TrackQuery};
use catno_testkit::TempCatalog;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// DDEX's sample folder: `$CATNO_DDEX_SCHEMAS/samples`, else `../shared/ddex/samples` beside
/// the repository; `None` (announced loudly) when neither exists.
fn samples() -> Option<PathBuf> {
    let dir = match std::env::var_os("CATNO_DDEX_SCHEMAS") {
        Some(d) => PathBuf::from(d).join("samples"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ddex/samples"),
    };
    if dir.join("ern43").is_dir() && dir.join("ern382").is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: no DDEX samples at {} (set CATNO_DDEX_SCHEMAS)", dir.display());
        None
    }
}

fn all_samples(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut out = Vec::new();
    for sub in ["ern43", "ern382"] {
        let mut names: Vec<PathBuf> =
            std::fs::read_dir(dir.join(sub))?.filter_map(Result::ok).map(|e| e.path()).collect();
        names.sort();
        out.extend(names);
    }
    Ok(out)
}

async fn release_count(catalog: &Catalog) -> Result<i64, Box<dyn std::error::Error>> {
    Ok(catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 500 }).await?.total)
}

fn no_errors(report: &DdexImportReport) {
    let errors: Vec<String> =
        report.findings.iter().filter(|f| f.is_error()).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", report.path);
}

#[tokio::test]
async fn every_official_sample_imports_once_and_reimports_unchanged() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let temp = TempCatalog::empty().await;
    let catalog = &temp.catalog;
    let files = all_samples(&dir)?;
    assert!(files.len() >= 9, "{files:?}");
    let mut created = 0;
    for file in &files {
        let report = catalog.import_ddex(file).await?;
        no_errors(&report);
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        match report.outcome {
            DdexImportOutcome::Created => created += 1,
            // The booklet album restates the music-only album (same ISRCs, same title).
            DdexImportOutcome::Unchanged => assert!(name.contains("WithBooklet"), "{name}"),
            // The single's recording is the album's first track: linked, and the single is new.
            DdexImportOutcome::NothingToImport => {
                assert!(name.starts_with("LiveCycle") || name.contains("Streaming"), "{name}");
                assert!(
                    report.findings.iter().any(|f| f.message.contains("nothing to import")
                        || f.message.contains("PurgeReleaseMessage")),
                    "{name}: {:#?}",
                    report.findings
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(created, 4, "1 Audio, 4 SimpleAudioSingle, the 3.8.2 album and single");
    assert_eq!(release_count(catalog).await?, 4);

    // The same files again: nothing duplicated, nothing written.
    for file in &files {
        let report = catalog.import_ddex(file).await?;
        no_errors(&report);
        assert!(
            matches!(report.outcome, DdexImportOutcome::Unchanged | DdexImportOutcome::NothingToImport),
            "{}: {:?}",
            report.path,
            report.outcome
        );
    }
    assert_eq!(release_count(catalog).await?, 4);
    Ok(())
}

#[tokio::test]
async fn the_album_sample_lands_with_its_metadata_credits_and_deals() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let temp = TempCatalog::empty().await;
    let catalog = &temp.catalog;
    let report = catalog.import_ddex(&dir.join("ern43/1 Audio.xml")).await?;
    no_errors(&report);
    assert_eq!(report.outcome, DdexImportOutcome::Created);
    assert_eq!(report.tracks_created, 21);
    let id = report.release_id.ok_or("release id")?;
    let release = catalog.release(id).await?;
    assert_eq!(release.title, "Yume no Hajmari");
    assert_eq!(release.upc.as_ref().map(|u| u.as_str()), Some("00094631432057"));
    assert_eq!(release.release_type, ReleaseType::Album);
    assert_eq!(release.label_name, "EMI MUSIC JAPAN INC.");
    assert_eq!(release.genre.as_deref(), Some("J-Pop"));
    // The release has no P-line of its own; its recordings' is kept.
    assert_eq!(
        release.p_line.as_ref().map(|p| (p.year, p.holder.as_str())),
        Some((1994, "EMI Music Japan Inc."))
    );
    let languages: Vec<&str> = release.localized_titles.iter().map(|l| l.language.as_str()).collect();
    assert_eq!(languages, ["ja-Jpan", "ja-Kana"]);
    let tracks = catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 100 }).await?;
    assert_eq!(tracks.total, 21);
    let first = catalog.track(tracks.items[0].id).await?;
    assert_eq!(first.isrc.as_ref().map(|i| i.as_str()), Some("JPTO09404900"));
    assert_eq!(first.duration_ms, Some(148_000));
    assert_eq!(first.localized_titles[0].title, "夢のララバイ");
    let artist = catalog.artist(first.contributors[0].artist_id).await?;
    assert_eq!(artist.localized_names[0].title, "しゅうさえこ");

    // Deals: streams on the track releases in JP from 2004-04-01, the album download in JP.
    let (rights, groups, _) = catalog.rights_inputs(id).await?;
    let deals = compile_ddex(&rights, &groups, &StoreId::parse("any-store")?)?;
    let jp = catno_core::rights::engine::Territory::parse("JP")?;
    let de = catno_core::rights::engine::Territory::parse("DE")?;
    let day = catno_core::rights::engine::parse_date("2020-01-01")?;
    let track = Some(catno_core::rights::engine::TrackKey(tracks.items[0].id));
    for usage in [Use::SubscriptionStream, Use::AdSupportedStream, Use::Download] {
        let status = catno_core::rights::engine::availability_from_deals(&deals, track, jp, usage, day);
        assert_eq!(status, catno_core::rights::engine::Status::Available, "{usage}");
        let status = catno_core::rights::engine::availability_from_deals(&deals, track, de, usage, day);
        assert_eq!(status, catno_core::rights::engine::Status::Unavailable, "{usage}");
    }
    assert_eq!(
        catno_core::rights::engine::availability_from_deals(&deals, track, jp, Use::Ugc, day),
        catno_core::rights::engine::Status::Unavailable
    );
    Ok(())
}

/// The catalog's release as a message input (placeholder file facts: the import brings no
/// audio), with deals compiled from its rights for the generic profiles' store.
async fn message_input(
    catalog: &Catalog,
    id: i64,
) -> Result<ReleaseMessageInput, Box<dyn std::error::Error>> {
    let release = catalog.release(id).await?;
    let summaries = catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 500 }).await?.items;
    let mut tracks = Vec::new();
    let mut artist_ids: BTreeSet<i64> = release.artists.iter().map(|c| c.artist_id).collect();
    for s in summaries {
        let track = catalog.track(s.id).await?;
        artist_ids.extend(track.contributors.iter().map(|c| c.artist_id));
        let duration_ms = u64::try_from(track.duration_ms.unwrap_or(1000))?;
        tracks.push(TrackInput {
            audio: Some(AudioTechnical {
                file_name: format!("track_{}_{}.flac", s.disc_number, s.track_number),
                md5: "d41d8cd98f00b204e9800998ecf8427e".to_owned(),
                codec: AudioCodec::Flac,
                bit_depth: 16,
                sample_rate: 44_100,
                channels: 2,
                duration_ms,
            }),
            track,
            disc: u32::try_from(s.disc_number)?,
            number: u32::try_from(s.track_number)?,
        });
    }
    let mut artists: Vec<Artist> = Vec::new();
    for artist_id in artist_ids {
        artists.push(catalog.artist(artist_id).await?);
    }
    let (rights, groups, _) = catalog.rights_inputs(id).await?;
    let deals = compile_ddex(&rights, &groups, &StoreId::parse("any-store")?)?;
    Ok(ReleaseMessageInput {
        header: MessageHeaderInput {
            sender_dpid: "PADPIDA2014120301T".to_owned(),
            sender_name: "Northern Lights Records".to_owned(),
            recipient_dpid: "PADPIDA2007050901U".to_owned(),
            recipient_name: "Generic".to_owned(),
            message_id: format!("roundtrip-{id}"),
            created: "2026-12-03T00:00:00Z".to_owned(),
            test: false,
            update: false,
        },
        release,
        tracks,
        artwork: None,
        deals,
        label_dpid: None,
        artists,
    })
}

fn imported(xml: &[u8]) -> Result<ImportedRelease, Box<dyn std::error::Error>> {
    let read = read_ern(xml);
    let errors: Vec<String> =
        read.findings.iter().filter(|f| f.is_error()).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    match read.content {
        ErnContent::Release(r) => Ok(*r),
        other => Err(format!("not a release: {other:?}").into()),
    }
}

type Credit = (String, String);

fn credits(r: &ImportedRelease) -> Vec<(Vec<Credit>, Vec<Credit>)> {
    r.tracks
        .iter()
        .map(|t| {
            let mut c: Vec<Credit> =
                t.track.contributors.iter().map(|c| (c.artist_name.clone(), c.role.to_string())).collect();
            let mut w: Vec<Credit> =
                t.track.writers.iter().map(|w| (w.name.clone(), w.role.to_string())).collect();
            c.sort();
            w.sort();
            (c, w)
        })
        .collect()
}

/// What must survive: the fields a label checks after a migration.
fn assert_same_release(original: &ImportedRelease, again: &ImportedRelease, what: &str) {
    let (a, b) = (&original.release, &again.release);
    assert_eq!(a.title, b.title, "{what}: title");
    assert_eq!(a.version, b.version, "{what}: version");
    assert_eq!(a.localized_titles, b.localized_titles, "{what}: localized titles");
    assert_eq!(a.display_artist, b.display_artist, "{what}: display artist");
    let names = |r: &ImportedRelease| -> Vec<Credit> {
        r.release.artists.iter().map(|c| (c.artist_name.clone(), c.role.to_string())).collect()
    };
    assert_eq!(names(original), names(again), "{what}: release artists");
    assert_eq!(a.upc, b.upc, "{what}: UPC");
    assert_eq!(a.p_line, b.p_line, "{what}: P-line");
    assert_eq!(a.c_line, b.c_line, "{what}: C-line");
    assert_eq!((&a.genre, &a.subgenre), (&b.genre, &b.subgenre), "{what}: genre");
    assert_eq!(a.release_type, b.release_type, "{what}: release type");
    assert_eq!(a.label_name, b.label_name, "{what}: label");
    assert_eq!(original.tracks.len(), again.tracks.len(), "{what}: track count");
    for (x, y) in original.tracks.iter().zip(&again.tracks) {
        assert_eq!(x.track.isrc, y.track.isrc, "{what}: ISRC");
        assert_eq!(x.track.title, y.track.title, "{what}: track title");
        assert_eq!(x.track.localized_titles, y.track.localized_titles, "{what}: track localized titles");
        assert_eq!(x.track.display_artist, y.track.display_artist, "{what}: track display artist");
        assert_eq!((x.disc, x.number), (y.disc, y.number), "{what}: position");
        assert_eq!(
            // Catno writes whole seconds (PT4M24S for 4:23.583).
            x.track.duration_ms.map(|d| (d + 500) / 1000),
            y.track.duration_ms.map(|d| (d + 500) / 1000),
            "{what}: duration"
        );
    }
    assert_eq!(credits(original), credits(again), "{what}: contributors and writers");
}

/// Territories: every track's grants per (use, territory, window), and the album download.
fn assert_same_territories(original: &ImportedRelease, again: &ImportedRelease, what: &str) {
    let (Some(a), Some(b)) = (&original.deals, &again.deals) else {
        // A message without deals imports as "available worldwide"; the export says so.
        let b = again.deals.as_ref().map(|d| d.track_grants(0).len());
        assert!(original.deals.is_none(), "{what}: deals lost");
        assert_eq!(b, Some(249 * 4), "{what}: default rights are everything everywhere");
        return;
    };
    for i in 0..original.tracks.len() {
        assert_eq!(a.track_grants(i), b.track_grants(i), "{what}: territories of track {}", i + 1);
    }
    let downloads = |g: &catno_core::ddex::ern::Grants| -> catno_core::ddex::ern::Grants {
        g.iter().filter(|((u, _), _)| *u == Use::Download).map(|(k, v)| (*k, *v)).collect()
    };
    assert_eq!(downloads(&a.release), downloads(&b.release), "{what}: album download territories");
}

#[tokio::test]
async fn imported_samples_reexport_as_ern43_and_ern382_with_the_same_content() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    for sample in [
        "ern43/1 Audio.xml",
        "ern43/4 SimpleAudioSingle.xml",
        "ern382/Profile_AudioAlbumMusicOnly.xml",
        "ern382/Profile_AudioSingle.xml",
    ] {
        let temp = TempCatalog::empty().await;
        let catalog = &temp.catalog;
        let path = dir.join(sample);
        let report = catalog.import_ddex(&path).await?;
        no_errors(&report);
        let id = report.release_id.ok_or("release id")?;
        let mut original = imported(&std::fs::read(&path)?)?;
        let mut input = message_input(catalog, id).await?;
        if input.release.upc.is_none() {
            // The sample has none (GRid only); delivery needs one, the comparison ignores it.
            let upc = catno_core::domain::ids::Upc::parse("036000291452")?;
            input.release.upc = Some(upc.clone());
            original.release.upc = Some(upc);
        }
        for profile_id in ["generic-ern43", "generic-ern382"] {
            let generated = generate(&input, profile(profile_id)?)?;
            let again = imported(generated.xml.as_bytes())?;
            let what = format!("{sample} via {profile_id}");
            assert_same_release(&original, &again, &what);
            assert_same_territories(&original, &again, &what);
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_file_with_errors_changes_nothing_and_reports_line_and_column() -> TestResult {
    let temp = TempCatalog::empty().await;
    let catalog = &temp.catalog;
    let dir = tempfile::tempdir()?;
    let good_then_bad = dir.path().join("bad_isrc.xml");
    // Well-formed, a real release, but the second recording's ISRC is broken: nothing lands.
    std::fs::write(
        &good_then_bad,
        r#"<?xml version="1.0"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43" LanguageAndScriptCode="en" AvsVersionId="3">
<PartyList><Party><PartyReference>P1</PartyReference><PartyName><FullName>Nova</FullName></PartyName></Party></PartyList>
<ResourceList>
<SoundRecording><ResourceReference>A1</ResourceReference><SoundRecordingEdition><ResourceId><ISRC>USRC17607839</ISRC></ResourceId></SoundRecordingEdition><DisplayTitle><TitleText>One</TitleText></DisplayTitle><DisplayArtist><ArtistPartyReference>P1</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist><Duration>PT3M</Duration></SoundRecording>
<SoundRecording><ResourceReference>A2</ResourceReference><SoundRecordingEdition><ResourceId>
  <ISRC>NOT-AN-ISRC</ISRC></ResourceId></SoundRecordingEdition><DisplayTitle><TitleText>Two</TitleText></DisplayTitle><Duration>PT3M</Duration></SoundRecording>
</ResourceList>
<ReleaseList><Release><ReleaseReference>R0</ReleaseReference><ReleaseType>Album</ReleaseType><ReleaseId><ICPN>036000291452</ICPN></ReleaseId><DisplayTitle><TitleText>Broken</TitleText></DisplayTitle><DisplayArtistName>Nova</DisplayArtistName><DisplayArtist><ArtistPartyReference>P1</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist></Release></ReleaseList>
</ern:NewReleaseMessage>"#,
    )?;
    let report = catalog.import_ddex(&good_then_bad).await?;
    assert_eq!(report.outcome, DdexImportOutcome::Failed);
    let error = report.findings.iter().find(|f| f.is_error()).ok_or("an error finding")?;
    assert_eq!((error.line, error.column), (7, 3), "{error}");
    assert_eq!(error.element, "ISRC");
    assert_eq!(release_count(catalog).await?, 0);
    assert!(catalog.search("Nova", 10).await?.is_empty(), "no artist may be left behind");

    let unreadable = dir.path().join("broken.xml");
    std::fs::write(&unreadable, "<?xml version=\"1.0\"?>\n<a>\n  <b></c>\n</a>")?;
    let report = catalog.import_ddex(&unreadable).await?;
    assert_eq!(report.outcome, DdexImportOutcome::Failed);
    let error = report.findings.first().ok_or("a finding")?;
    assert_eq!(error.line, 3, "{error}");
    assert!(error.message.contains("not well-formed"), "{error}");
    Ok(())
}

#[tokio::test]
async fn a_newer_message_updates_the_release_it_matches_by_upc() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let temp = TempCatalog::empty().await;
    let catalog = &temp.catalog;
    let original = std::fs::read_to_string(dir.join("ern43/1 Audio.xml"))?;
    let first = catalog.import_ddex(&dir.join("ern43/1 Audio.xml")).await?;
    let id = first.release_id.ok_or("id")?;
    let work = tempfile::tempdir()?;
    let newer = work.path().join("newer.xml");
    std::fs::write(
        &newer,
        original.replacen("<GenreText>J-Pop</GenreText>", "<GenreText>City Pop</GenreText>", 1),
    )?;
    let report = catalog.import_ddex(&newer).await?;
    no_errors(&report);
    assert_eq!(report.outcome, DdexImportOutcome::Updated);
    assert_eq!(report.release_id, Some(id));
    assert_eq!((report.tracks_created, report.tracks_updated), (0, 21));
    assert_eq!(catalog.release(id).await?.genre.as_deref(), Some("City Pop"));
    assert_eq!(release_count(catalog).await?, 1);
    assert_eq!(catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 100 }).await?.total, 21);

    // A new running order: the first two recordings swap places, nothing is duplicated.
    let swapped = work.path().join("swapped.xml");
    let text = original
        .replace(">A1</ReleaseResourceReference>", ">SWAP</ReleaseResourceReference>")
        .replace(">A2</ReleaseResourceReference>", ">A1</ReleaseResourceReference>")
        .replace(">SWAP</ReleaseResourceReference>", ">A2</ReleaseResourceReference>");
    std::fs::write(&swapped, text)?;
    let report = catalog.import_ddex(&swapped).await?;
    no_errors(&report);
    assert_eq!(report.outcome, DdexImportOutcome::Updated);
    let tracks = catalog.tracks(&TrackQuery { release_id: id, offset: 0, limit: 100 }).await?;
    assert_eq!(tracks.total, 21);
    assert_eq!(tracks.items[0].isrc.as_deref(), Some("JPTO09404910"));
    assert_eq!(tracks.items[1].isrc.as_deref(), Some("JPTO09404900"));
    Ok(())
}
