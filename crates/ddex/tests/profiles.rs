mod common;

use catno_ddex::{
    DdexError, ErnVersion, check_references, generate, profile, purge_release_message, takedown,
};
use common::{TestResult, album, xsd_valid};

#[test]
fn spotify_drops_ugc_deals_quietly_and_keeps_downloads_on_the_album() -> TestResult {
    let out = generate(&album()?, profile("spotify")?)?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    assert!(!out.xml.contains("RightsClaimModel"));
    assert!(out.xml.contains("<DealReleaseReference>R0</DealReleaseReference>"));
    // Rights cover every use by default; what Spotify does not take is not the user's problem.
    assert!(!out.findings.iter().any(|f| f.message.contains("RightsClaimModel")), "{:#?}", out.findings);
    // Every Spotify deal has a start (a deal "from receipt" gets the message date).
    assert_eq!(out.xml.matches("<Deal>").count(), out.xml.matches("<StartDate>").count());
    Ok(())
}

#[test]
fn youtube_keeps_only_track_release_stream_deals_and_adds_custom_ids() -> TestResult {
    let mut input = album()?;
    input.deals = common::rights_deals("youtube")?;
    let out = generate(&input, profile("youtube")?)?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    assert!(!out.xml.contains("<DealReleaseReference>R0</DealReleaseReference>"));
    assert!(!out.xml.contains("PayAsYouGoModel"));
    assert!(
        out.xml.contains("<ProprietaryId Namespace=\"YOUTUBE:SR_CUSTOM_ID\">JPAB02600001</ProprietaryId>")
    );
    assert!(out.findings.iter().any(|f| f.field == "deals.release[0]" && f.message.contains("TrackRelease")));
    Ok(())
}

#[test]
fn streaming_deals_never_land_on_the_album_release() -> TestResult {
    let mut input = album()?;
    input.deals = common::simple_deals()?;
    let stream = input.deals.track_deals[0].deals[0].clone();
    input.deals.release_deals.push(stream);
    let out = generate(&input, profile("generic-ern43")?)?;
    assert!(
        out.findings.iter().any(|f| f.field == "deals.release[1]" && f.message.contains("not streamed")),
        "{:#?}",
        out.findings
    );
    let album_deal =
        out.xml.split("<DealReleaseReference>R1</DealReleaseReference>").next().ok_or("no deal list")?;
    assert!(!album_deal.contains("OnDemandStream"));
    Ok(())
}

#[test]
fn spotify_takedown_end_dates_every_deal_and_never_purges() -> TestResult {
    let input = album()?;
    let spotify = profile("spotify")?;
    let out = takedown(&input, spotify, Some("2026-03-01"))?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    assert_eq!(check_references(&out.xml)?, Vec::new());
    let deals = out.xml.matches("<Deal>").count();
    assert!(deals > 0);
    assert_eq!(
        out.xml.matches("<EndDate>2026-02-28</EndDate>").count()
            + out.xml.matches("<EndDate>2026-01-15</EndDate>").count(),
        deals
    );
    let err = purge_release_message(&input, spotify).err().ok_or("Spotify purge must be refused")?;
    assert!(matches!(err, DdexError::Profile { .. }), "{err}");
    assert!(err.to_string().contains("takedown"), "{err}");
    Ok(())
}

#[test]
fn takedown_before_street_date_leaves_no_deal() -> TestResult {
    let out = takedown(&album()?, profile("generic-ern43")?, Some("2026-01-05"))?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    assert!(!out.xml.contains("<DealList>"), "deals starting after the takedown must go");
    Ok(())
}

#[test]
fn youtube_takedown_is_a_worldwide_deal_ended_two_days_ago() -> TestResult {
    let mut input = album()?;
    input.deals = common::rights_deals("youtube")?;
    let youtube = profile("youtube")?;
    let out = takedown(&input, youtube, None)?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    // Message date 2026-01-05: the deal must have ended by 2026-01-03.
    assert_eq!(out.xml.matches("<EndDate>2026-01-03</EndDate>").count(), 1, "one grouped deal:\n{}", out.xml);
    assert!(out.xml.contains("<TerritoryCode>Worldwide</TerritoryCode>"));
    assert!(out.xml.contains("<CommercialModelType>AdvertisementSupportedModel</CommercialModelType>"));
    assert!(out.xml.contains("<DealReleaseReference>R1</DealReleaseReference>\n      <DealReleaseReference>R2</DealReleaseReference>\n      <DealReleaseReference>R3</DealReleaseReference>"));
    let scheduled = takedown(&input, youtube, Some("2026-02-01"));
    assert!(matches!(scheduled, Err(DdexError::Profile { .. })));
    Ok(())
}

#[test]
fn generic_purge_messages_validate_in_both_versions() -> TestResult {
    let input = album()?;
    for (id, version) in [("generic-ern43", ErnVersion::Ern43), ("generic-ern382", ErnVersion::Ern382)] {
        let xml = purge_release_message(&input, profile(id)?)?;
        xsd_valid(version, &xml)?;
        assert!(xml.contains("PurgeReleaseMessage"));
        assert!(xml.contains("036000291452"));
    }
    Ok(())
}

#[test]
fn ern382_takedown_validates() -> TestResult {
    let out = takedown(&album()?, profile("generic-ern382")?, Some("2026-06-30"))?;
    xsd_valid(ErnVersion::Ern382, &out.xml)?;
    assert!(out.xml.contains("<EndDate>2026-06-29</EndDate>"));
    assert!(!out.xml.contains("TakeDown"), "the TakeDown flag is deprecated");
    Ok(())
}

#[test]
fn late_delivery_and_missing_deal_start_are_warned_about() -> TestResult {
    let mut input = album()?;
    input.header.created = "2026-01-14T09:00:00+01:00".to_owned();
    input.deals = common::simple_deals()?;
    input.deals.track_deals[0].deals[0].start = None;
    let out = generate(&input, profile("spotify")?)?;
    xsd_valid(ErnVersion::Ern43, &out.xml)?;
    assert!(
        out.findings.iter().any(|f| f.field == "release.release_date" && f.message.contains("5 days")),
        "{:#?}",
        out.findings
    );
    assert!(
        out.findings.iter().any(|f| f.field == "track[0].deals[0]" && f.message.contains("2026-01-14")),
        "{:#?}",
        out.findings
    );
    assert!(out.xml.contains("<StartDate>2026-01-14</StartDate>"));
    Ok(())
}
