mod common;

use catno_ddex::{DdexError, ErnVersion, Severity, check_references, generate, profile};
use common::{TestResult, album, simple_deals, xsd_valid};

#[test]
fn ern43_album_validates_and_has_the_expected_shape() -> TestResult {
    let input = album()?;
    let out = generate(&input, profile("generic-ern43")?)?;
    let xml = &out.xml;
    xsd_valid(ErnVersion::Ern43, xml)?;
    assert_eq!(check_references(xml)?, Vec::new());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\""));
    assert!(
        xml.contains("ReleaseProfileVersionId=\"Audio\" LanguageAndScriptCode=\"en\" AvsVersionId=\"3\"")
    );
    assert!(!xml.contains("MessageSchemaVersionId"), "4.x has no MessageSchemaVersionId");
    for needle in [
        "<ICPN>036000291452</ICPN>",
        "<ISRC>JPAB02600001</ISRC>",
        "<DisplayTitleText LanguageAndScriptCode=\"ja-Jpan\">灯籠</DisplayTitleText>",
        "<DisplayTitleText>Tide &amp; Time (Radio Edit)</DisplayTitleText>",
        "<SubTitle SubTitleType=\"Version\">Radio Edit</SubTitle>",
        "<DisplayArtistRole>FeaturedArtist</DisplayArtistRole>",
        "<Role Namespace=\"PADPIDA2014120301T\" UserDefinedValue=\"Producer\">UserDefined</Role>",
        "<Role>MixingEngineer</Role>",
        "<Role>Remixer</Role>",
        "<Role>ComposerLyricist</Role>",
        "<Duration>PT3M35S</Duration>",
        "<URI>resources/036000291452_01_001.flac</URI>",
        "<Algorithm>MD5</Algorithm>",
        "<SamplingRate UnitOfMeasure=\"Hz\">44100</SamplingRate>",
        "<ImageWidth UnitOfMeasure=\"Pixel\">3000</ImageWidth>",
        "<PLineText>℗ 2025 Nightjar Records</PLineText>",
        "<ReleaseDate ApplicableTerritoryCode=\"Worldwide\">2026-01-16</ReleaseDate>",
        "<ResourceGroup ResourceGroupType=\"Component\">",
        "<ISNI>0000000121032683</ISNI>",
        "<DPID>PADPIDA2014120301T</DPID>",
        "<ExcludedTerritoryCode>KP</ExcludedTerritoryCode>",
        "<IsPreOrderDeal>true</IsPreOrderDeal>",
        "<StartDate>2026-01-09</StartDate>",
        "<EndDate>2026-01-15</EndDate>",
        "<TrackRelease>",
        "<ReleaseReference>R3</ReleaseReference>",
        "<ParentalWarningType>Explicit</ParentalWarningType>",
    ] {
        assert!(xml.contains(needle), "missing {needle}\n{xml}");
    }
    Ok(())
}

#[test]
fn ern382_album_validates_and_has_the_expected_shape() -> TestResult {
    let input = album()?;
    let out = generate(&input, profile("generic-ern382")?)?;
    let xml = &out.xml;
    xsd_valid(ErnVersion::Ern382, xml)?;
    assert_eq!(check_references(xml)?, Vec::new());
    assert!(xml.contains("xmlns:ern=\"http://ddex.net/xml/ern/382\""));
    assert!(xml.contains("MessageSchemaVersionId=\"ern/382\""));
    assert!(xml.contains("ReleaseProfileVersionId=\"CommonReleaseTypesTypes/14/AudioAlbumMusicOnly\""));
    for needle in [
        "<UpdateIndicator>OriginalMessage</UpdateIndicator>",
        "<ICPN IsEan=\"false\">036000291452</ICPN>",
        "<ResourceContributorRole>Producer</ResourceContributorRole>",
        "<ResourceContributorRole Namespace=\"DPID:PADPIDA2014120301T\" UserDefinedValue=\"MixingEngineer\">UserDefined</ResourceContributorRole>",
        "<IndirectResourceContributorRole>Composer</IndirectResourceContributorRole>",
        "<Title LanguageAndScriptCode=\"ja-Jpan\" TitleType=\"DisplayTitle\">",
        "<ReleaseType>TrackRelease</ReleaseType>",
        "<FileName>036000291452_01_001.flac</FileName>",
        "<HashSumAlgorithmType>MD5</HashSumAlgorithmType>",
        "<Usage>",
        "<PreOrderReleaseDate>2026-01-16</PreOrderReleaseDate>",
        "<ExcludedTerritoryCode>KP</ExcludedTerritoryCode>",
    ] {
        assert!(xml.contains(needle), "missing {needle}\n{xml}");
    }
    Ok(())
}

#[test]
fn same_input_gives_byte_identical_xml() -> TestResult {
    for id in ["generic-ern43", "generic-ern382", "spotify", "youtube"] {
        let a = generate(&album()?, profile(id)?)?;
        let b = generate(&album()?, profile(id)?)?;
        assert_eq!(a.xml, b.xml, "{id}");
        assert_eq!(a.findings, b.findings, "{id}");
    }
    Ok(())
}

#[test]
fn single_disc_with_simple_deals_and_compilation_validates_in_both_versions() -> TestResult {
    let mut input = album()?;
    input.deals = simple_deals()?;
    input.release.release_type = catno_domain::ReleaseType::Compilation;
    input.tracks[2].disc = 1;
    input.tracks[2].number = 3;
    input.artwork = None;
    input.tracks[0].audio = None;
    for (id, version) in [("generic-ern43", ErnVersion::Ern43), ("generic-ern382", ErnVersion::Ern382)] {
        let out = generate(&input, profile(id)?)?;
        xsd_valid(version, &out.xml)?;
        assert_eq!(check_references(&out.xml)?, Vec::new());
        assert!(out.xml.contains("UserDefinedValue=\"Compilation\">UserDefined</ReleaseType>"));
        assert!(out.xml.contains("<TerritoryCode>GB</TerritoryCode>"));
        assert!(out.xml.contains("<EndDate>2027-12-31</EndDate>"));
        // Identical deal lists on the three track releases share one ReleaseDeal.
        assert!(out.xml.contains("<DealReleaseReference>R1</DealReleaseReference>\n      <DealReleaseReference>R2</DealReleaseReference>"));
    }
    Ok(())
}

#[test]
fn missing_catalog_facts_are_refused_naming_each_field() -> TestResult {
    let mut input = album()?;
    input.release.upc = None;
    input.release.genre = None;
    input.tracks[1].track.isrc = None;
    input.tracks[2].track.duration_ms = None;
    input.tracks[2].audio = None;
    input.release.localized_titles[0].language = "Japanese".to_owned();
    let err = generate(&input, profile("generic-ern43")?).err().ok_or("generation should fail")?;
    let DdexError::Rejected(findings) = &err else { return Err(format!("unexpected {err}").into()) };
    let fields: Vec<&str> = findings.iter().map(|f| f.field.as_str()).collect();
    for field in [
        "release.upc",
        "release.genre",
        "track[1].isrc",
        "track[2].duration_ms",
        "release.localized_titles[0].language",
    ] {
        assert!(fields.contains(&field), "{field} not in {fields:?}");
    }
    assert!(findings.iter().all(|f| f.severity == Severity::Error));
    assert!(err.to_string().starts_with("release.upc:"), "{err}");
    Ok(())
}

#[test]
fn duplicate_isrcs_and_positions_are_refused() -> TestResult {
    let mut input = album()?;
    input.tracks[1].track.isrc = input.tracks[0].track.isrc.clone();
    input.tracks[2].disc = 1;
    input.tracks[2].number = 2;
    let findings = catno_ddex::check_input(&input, profile("generic-ern43")?);
    assert!(
        findings.iter().any(|f| f.field == "track[1].isrc" && f.message.contains("track[0]")),
        "{findings:?}"
    );
    assert!(findings.iter().any(|f| f.field == "track[2].number"), "{findings:?}");
    Ok(())
}

#[test]
fn ern43_header_needs_real_dpids_but_382_does_not() -> TestResult {
    let mut input = album()?;
    input.header.recipient_dpid = "SPOTIFY".to_owned();
    let findings = catno_ddex::check_input(&input, profile("generic-ern43")?);
    assert!(findings.iter().any(|f| f.field == "header.recipient_dpid" && f.is_error()), "{findings:?}");
    let out = generate(&input, profile("generic-ern382")?)?;
    xsd_valid(ErnVersion::Ern382, &out.xml)?;
    Ok(())
}

#[test]
fn album_deal_where_a_track_has_no_deal_is_refused() -> TestResult {
    let mut input = album()?;
    input.deals = simple_deals()?;
    // Track 3 loses its download deal, the album download still claims US/CA/GB.
    input.deals.track_deals[2].deals.truncate(1);
    let findings = catno_ddex::check_input(&input, profile("generic-ern43")?);
    let hit = findings.iter().find(|f| f.field == "deals.release[0]").ok_or("no finding")?;
    assert!(hit.is_error() && hit.message.contains("track[2]"), "{hit:?}");
    Ok(())
}

#[test]
fn reference_check_catches_what_xsd_cannot() -> TestResult {
    let out = generate(&album()?, profile("generic-ern43")?)?;
    let broken = out
        .xml
        .replacen(
            "<ReleaseResourceReference>A2</ReleaseResourceReference>",
            "<ReleaseResourceReference>A9</ReleaseResourceReference>",
            1,
        )
        .replacen("<ResourceReference>A3</ResourceReference>", "<ResourceReference>A1</ResourceReference>", 1)
        .replacen(
            "<ArtistPartyReference>P1</ArtistPartyReference>",
            "<ArtistPartyReference>P99</ArtistPartyReference>",
            1,
        );
    let findings = check_references(&broken)?;
    let fields: Vec<&str> = findings.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"xml:ReleaseResourceReference=A9"), "{fields:?}");
    assert!(fields.contains(&"xml:A1"), "{fields:?}");
    assert!(fields.contains(&"xml:ArtistPartyReference=P99"), "{fields:?}");
    Ok(())
}

#[test]
fn official_samples_validate_and_pass_the_reference_check() -> TestResult {
    let Some(dir) = common::schemas() else { return Ok(()) };
    let samples = dir.join("samples");
    if !samples.is_dir() {
        eprintln!("SKIPPED: no samples/ folder in CATNO_DDEX_SCHEMAS");
        return Ok(());
    }
    for (version, sub) in [(ErnVersion::Ern43, "ern43"), (ErnVersion::Ern382, "ern382")] {
        let folder = samples.join(sub);
        let mut names: Vec<_> =
            std::fs::read_dir(&folder)?.filter_map(Result::ok).map(|e| e.path()).collect();
        names.sort();
        assert!(!names.is_empty(), "no samples in {}", folder.display());
        for path in names {
            let raw = std::fs::read_to_string(&path)?;
            let xml = raw.trim_start_matches('\u{feff}');
            assert!(xsd_valid(version, xml)?, "{}", path.display());
            let errors: Vec<_> = check_references(xml)?.into_iter().filter(|f| f.is_error()).collect();
            assert_eq!(errors, Vec::new(), "{}", path.display());
        }
    }
    Ok(())
}

#[test]
fn validator_rejects_schema_errors() -> TestResult {
    let Some(dir) = common::schemas() else { return Ok(()) };
    let out = generate(&album()?, profile("generic-ern43")?)?;
    // The classic version mix-up: a 3.x attribute on a 4.x root.
    let broken = out
        .xml
        .replacen("AvsVersionId=\"3\"", "AvsVersionId=\"3\" MessageSchemaVersionId=\"ern/43\"", 1)
        .replacen("<Type>MusicalWorkSoundRecording</Type>", "<Type>Song</Type>", 1);
    let mut validator = catno_ddex::SchemaValidator::for_version(&dir, ErnVersion::Ern43)?;
    let findings = validator.validate(&broken)?;
    assert!(findings.iter().any(|f| f.message.contains("MessageSchemaVersionId")), "{findings:#?}");
    assert!(findings.iter().any(|f| f.message.contains("Song")), "{findings:#?}");
    assert!(findings.iter().all(|f| f.field.starts_with("xml:line ")), "{findings:#?}");
    // The same validator keeps working for the next message.
    assert_eq!(validator.validate(&out.xml)?, Vec::new());
    let missing = catno_ddex::SchemaValidator::for_version(&dir.join("nowhere"), ErnVersion::Ern43);
    assert!(matches!(missing, Err(DdexError::Schema { .. })));
    Ok(())
}

#[test]
#[ignore = "writes sample messages to /tmp for manual inspection"]
fn dump_samples() -> TestResult {
    for id in ["generic-ern43", "generic-ern382"] {
        std::fs::write(format!("/tmp/catno-{id}.xml"), generate(&album()?, profile(id)?)?.xml)?;
    }
    Ok(())
}
