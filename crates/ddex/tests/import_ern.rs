//! Reading real-world ERN messages: DDEX's official 4.3 and 3.8.2 samples, Catno's own
//! messages in both versions, broken files (findings with line and column, never a panic)
//! and hostile ones (DOCTYPE / entities, oversize, deep nesting: refused).

mod common;

use std::path::PathBuf;

use catno_ddex::{
    ErnContent, ErnImport, ErnVersion, ImportedRelease, MAX_IMPORT_BYTES, generate, profile, read_ern,
};
use catno_domain::{ContributorRole, ReleaseType, WriterRole};
use catno_rights::{Territory, Use};
use common::{TestResult, album};

/// DDEX's sample folder, or `None` announced loudly.
fn samples() -> Option<PathBuf> {
    let dir = match std::env::var_os("CATNO_DDEX_SCHEMAS") {
        Some(d) => PathBuf::from(d).join("samples"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ddex/samples"),
    };
    if dir.join("ern43").is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: no DDEX samples at {} (set CATNO_DDEX_SCHEMAS)", dir.display());
        None
    }
}

fn release(read: ErnImport) -> Result<ImportedRelease, Box<dyn std::error::Error>> {
    let errors: Vec<String> =
        read.findings.iter().filter(|f| f.is_error()).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    match read.content {
        ErnContent::Release(r) => Ok(*r),
        other => Err(format!("not a release: {other:?}").into()),
    }
}

fn sample(dir: &std::path::Path, name: &str) -> Result<ErnImport, std::io::Error> {
    Ok(read_ern(&std::fs::read(dir.join(name))?))
}

#[test]
fn ern43_album_sample_reads_titles_artists_ids_and_deals() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let read = sample(&dir, "ern43/1 Audio.xml")?;
    assert_eq!(read.version, Some(ErnVersion::Ern43));
    let r = release(read)?;
    assert_eq!(r.release.title, "Yume no Hajmari");
    assert_eq!(r.release.upc.as_ref().map(|u| u.as_str()), Some("00094631432057"));
    assert_eq!(r.release.display_artist, "Saeko Shu");
    assert_eq!(r.release.label_name, "EMI MUSIC JAPAN INC.");
    assert_eq!(r.release.release_type, ReleaseType::Album);
    assert_eq!(r.release.localized_titles.len(), 2);
    assert_eq!(r.tracks.len(), 21);
    assert_eq!(r.tracks[20].number, 21);
    assert_eq!(r.tracks[0].track.isrc.as_ref().map(|i| i.as_str()), Some("JPTO09404900"));
    assert_eq!(r.tracks[0].track.contributors[0].role, ContributorRole::MainArtist);
    assert_eq!(r.artists[0].localized_names[0].language, "ja-Jpan");
    let deals = r.deals.as_ref().ok_or("deals")?;
    let jp = Territory::parse("JP")?;
    let grants = deals.track_grants(0);
    assert!(grants.contains_key(&(Use::SubscriptionStream, jp)));
    assert!(grants.contains_key(&(Use::Download, jp)));
    assert_eq!(grants.len(), 3, "JP only, three uses");
    assert_eq!(deals.release.keys().collect::<Vec<_>>(), [&(Use::Download, jp)]);
    Ok(())
}

#[test]
fn ern43_single_sample_reads_lines_genre_and_per_territory_deals() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let r = release(sample(&dir, "ern43/4 SimpleAudioSingle.xml")?)?;
    assert_eq!(r.release.title, "I Love You");
    assert_eq!(r.release.release_type, ReleaseType::Single);
    assert_eq!(r.grid.as_deref(), Some("A10302B0003989564F"));
    let p = r.release.p_line.as_ref().ok_or("P-line")?;
    assert_eq!(
        (p.year, p.holder.as_str()),
        (2015, "Parlophone Records Limited, a Warner Music Group Company")
    );
    assert_eq!(r.release.c_line.as_ref().map(|c| c.year), Some(2017));
    assert_eq!(r.release.genre.as_deref(), Some("Classical"));
    assert_eq!(r.release.subgenre.as_deref(), Some("Classical Crossover"));
    assert_eq!(r.release.label_name, "Warner Classics");
    assert_eq!(r.tracks[0].track.duration_ms, Some(263_583));
    // Deals sit on the main release only: they apply to the track too.
    let deals = r.deals.as_ref().ok_or("deals")?;
    let grants = deals.track_grants(0);
    assert_eq!(grants.len(), deals.release.len());
    assert!(grants.contains_key(&(Use::AdSupportedStream, Territory::parse("ZW")?)));
    Ok(())
}

#[test]
fn ern382_samples_read_inline_parties_roles_and_writers() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    let read = sample(&dir, "ern382/Profile_AudioSingle.xml")?;
    assert_eq!(read.version, Some(ErnVersion::Ern382));
    let r = release(read)?;
    assert_eq!(r.release.title, "Can you feel ...the Monkey Claw!");
    let artists: Vec<(&str, ContributorRole)> =
        r.release.artists.iter().map(|c| (c.artist_name.as_str(), c.role)).collect();
    assert_eq!(
        artists,
        [("Monkey Claw", ContributorRole::MainArtist), ("Ape Hand", ContributorRole::FeaturedArtist)]
    );
    let track = &r.tracks[0].track;
    assert_eq!(track.isrc.as_ref().map(|i| i.as_str()), Some("CASE00000001"));
    assert_eq!(track.display_artist, "Monkey Claw");
    assert!(
        track
            .contributors
            .iter()
            .any(|c| c.artist_name == "Steve Albino" && c.role == ContributorRole::Producer)
    );
    assert_eq!(track.writers[0].name, "Bob Black");
    assert_eq!(track.writers[0].role, WriterRole::Composer);
    assert_eq!(r.release.release_date.as_deref(), Some("2010-01-01"));
    assert!(r.deals.is_none());

    let album = release(sample(&dir, "ern382/Profile_AudioAlbum_WithBooklet.xml")?)?;
    assert_eq!(album.tracks.len(), 6);
    assert_eq!(album.release.release_type, ReleaseType::Album);
    Ok(())
}

#[test]
fn lifecycle_samples_say_there_is_nothing_to_import() -> TestResult {
    let Some(dir) = samples() else { return Ok(()) };
    for name in ["LiveCycle_InitialTerritorialDeal.xml", "LiveCycle_Takedown.xml"] {
        let read = sample(&dir, &format!("ern382/{name}"))?;
        assert!(matches!(read.content, ErnContent::Nothing), "{name}");
        assert!(!read.has_errors());
        assert!(
            read.findings.iter().any(|f| f.message.contains("nothing to import") && f.line > 0),
            "{name}"
        );
    }
    let purge = sample(&dir, "ern382/LiveCycle_PurgeReleases.xml")?;
    assert_eq!(purge.message_type, "PurgeReleaseMessage");
    match purge.content {
        ErnContent::Purge { icpn, title } => {
            assert_eq!(icpn.as_deref(), Some("123451234509"));
            assert_eq!(title.as_deref(), Some("Boogie Man"));
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn catnos_own_messages_read_back_in_both_versions() -> TestResult {
    let input = album()?;
    for profile_id in ["generic-ern43", "generic-ern382"] {
        let xml = generate(&input, profile(profile_id)?)?.xml;
        let r = release(read_ern(xml.as_bytes()))?;
        assert_eq!(r.release.title, input.release.title, "{profile_id}");
        assert_eq!(r.release.upc, input.release.upc, "{profile_id}");
        assert_eq!(r.release.localized_titles, input.release.localized_titles, "{profile_id}");
        assert_eq!(r.release.p_line, input.release.p_line, "{profile_id}");
        assert_eq!(r.tracks.len(), input.tracks.len(), "{profile_id}");
        for (got, want) in r.tracks.iter().zip(&input.tracks) {
            assert_eq!(got.track.isrc, want.track.isrc, "{profile_id}");
            assert_eq!(got.track.version, want.track.version, "{profile_id}");
            assert_eq!((got.disc, got.number), (want.disc, want.number), "{profile_id}");
            let mut writers: Vec<_> =
                got.track.writers.iter().map(|w| (w.name.clone(), w.role.to_string())).collect();
            let mut expected: Vec<_> =
                want.track.writers.iter().map(|w| (w.name.clone(), w.role.to_string())).collect();
            writers.sort();
            expected.sort();
            assert_eq!(writers, expected, "{profile_id}");
        }
    }
    Ok(())
}

fn first_error(read: &ErnImport) -> String {
    read.findings.iter().find(|f| f.is_error()).map(ToString::to_string).unwrap_or_default()
}

#[test]
fn entity_declarations_are_refused_before_any_expansion() {
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<lolz>&lol2;</lolz>";
    let read = read_ern(laughs.as_bytes());
    assert!(read.has_errors());
    let error = first_error(&read);
    assert!(error.starts_with("2:1:") && error.contains("DOCTYPE"), "{error}");

    let external =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>";
    let read = read_ern(external.as_bytes());
    assert!(first_error(&read).contains("DOCTYPE"), "{}", first_error(&read));
    assert!(matches!(read.content, ErnContent::Nothing));

    // Without a DOCTYPE an undeclared entity is still no way in.
    let undeclared = read_ern(b"<x>&xxe;</x>");
    assert!(first_error(&undeclared).contains("xxe"), "{}", first_error(&undeclared));
}

#[test]
fn oversize_and_deeply_nested_files_are_refused() {
    let big = vec![b' '; usize::try_from(MAX_IMPORT_BYTES).unwrap_or(usize::MAX - 1) + 1];
    let read = read_ern(&big);
    assert!(first_error(&read).contains("MiB"), "{}", first_error(&read));

    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let read = read_ern(deep.as_bytes());
    assert!(first_error(&read).contains("nest deeper"), "{}", first_error(&read));
}

#[test]
fn broken_and_foreign_input_gives_findings_with_positions() {
    let read = read_ern(b"<?xml version=\"1.0\"?>\n<root>\n  <open></close>\n</root>");
    let error = first_error(&read);
    assert!(error.starts_with("3:") && error.contains("not well-formed"), "{error}");

    let read = read_ern(b"\n<catalog><item/></catalog>");
    assert!(first_error(&read).starts_with("2:1:"), "{}", first_error(&read));
    assert!(first_error(&read).contains("not a DDEX ERN message"));

    let read = read_ern(&[0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]);
    assert!(first_error(&read).contains("UTF-8"), "{}", first_error(&read));

    assert!(read_ern(b"").has_errors());
    assert!(
        read_ern(b"<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\"/>")
            .findings
            .iter()
            .any(|f| f.message.contains("nothing to import"))
    );
}

#[test]
fn unknown_roles_and_codes_are_reported_where_they_are() -> TestResult {
    let xml = r#"<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43" LanguageAndScriptCode="en">
<PartyList><Party><PartyReference>P1</PartyReference><PartyName><FullName>Nova</FullName></PartyName></Party></PartyList>
<ResourceList><SoundRecording><ResourceReference>A1</ResourceReference><SoundRecordingEdition><ResourceId><ISRC>USRC17607839</ISRC></ResourceId></SoundRecordingEdition>
<DisplayTitle><TitleText>One</TitleText></DisplayTitle><DisplayArtist><ArtistPartyReference>P1</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
<Contributor><ContributorPartyReference>P1</ContributorPartyReference><Role>Choreographer</Role></Contributor><Duration>PT3M</Duration></SoundRecording></ResourceList>
<ReleaseList><Release><ReleaseReference>R0</ReleaseReference><ReleaseType>Single</ReleaseType><ReleaseId><ICPN>036000291452</ICPN></ReleaseId><DisplayTitle><TitleText>One</TitleText></DisplayTitle><DisplayArtistName>Nova</DisplayArtistName></Release></ReleaseList>
<DealList><ReleaseDeal><DealReleaseReference>R0</DealReleaseReference><Deal><DealTerms><TerritoryCode>XK</TerritoryCode><TerritoryCode>FR</TerritoryCode><ValidityPeriod><StartDate>2026-01-01</StartDate></ValidityPeriod><CommercialModelType>SubscriptionModel</CommercialModelType><UseType>OnDemandStream</UseType></DealTerms></Deal></ReleaseDeal></DealList>
</ern:NewReleaseMessage>"#;
    let read = read_ern(xml.as_bytes());
    let text: Vec<String> = read.findings.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|f| f.starts_with("5:") && f.contains("Choreographer")), "{text:#?}");
    assert!(text.iter().any(|f| f.starts_with("7:") && f.contains("\"XK\"")), "{text:#?}");
    let r = release(read)?;
    let grants = r.deals.as_ref().ok_or("deals")?.track_grants(0);
    assert_eq!(grants.len(), 1, "FR subscription only");
    Ok(())
}
