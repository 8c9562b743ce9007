//! One test per rule of the documented semantics, through the public API only.

use catno_rights::*;
use time::Date;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn t(code: &str) -> Territory {
    Territory::parse(code).expect("test territory")
}

fn refs(text: &str) -> Vec<TerritoryRef> {
    parse_territories(text, &TerritoryGroups::new()).expect("test territories")
}

fn d(text: &str) -> Date {
    parse_date(text).expect("test date")
}

fn s(id: &str) -> StoreId {
    StoreId::parse(id).expect("test store")
}

fn tracks(n: i64) -> ReleaseRights {
    ReleaseRights::new((1..=n).map(|i| TrackKey(100 + i)))
}

fn stores() -> Vec<StoreId> {
    ["spotify", "apple_music", "tiktok"].into_iter().map(s).collect()
}

fn status(
    rights: &ReleaseRights,
    track: Option<i64>,
    code: &str,
    store: &str,
    usage: Use,
    date: &str,
) -> Status {
    explain(rights, &TerritoryGroups::new(), track.map(TrackKey), t(code), &s(store), usage, d(date))
        .expect("explain")
        .status
}

#[test]
fn no_rules_means_worldwide_everywhere_always() -> TestResult {
    let rights = tracks(3);
    let groups = TerritoryGroups::new();
    let decision =
        explain(&rights, &groups, Some(TrackKey(102)), t("JP"), &s("deezer"), Use::Ugc, d("1999-01-01"))?;
    assert!(decision.available);
    assert_eq!(decision.reason, "available: no rule restricts it (worldwide by default)");
    assert_eq!(decision.decided_by, None);
    let matrix = effective(&rights, &groups, &stores())?;
    assert_eq!(matrix.windows, [Window::ALWAYS]);
    assert!(matrix.release_cells.iter().chain(&matrix.track_cells).all(|cell| *cell == 1));
    assert_eq!(matrix.track_cells.len(), 3 * 3 * 4 * 249);
    Ok(())
}

#[test]
fn worldwide_except_seven_territories_for_tracks_3_to_7() -> TestResult {
    let mut rights = tracks(10);
    for position in 3..=7 {
        rights.rules_of_mut(TrackKey(100 + position)).push(Rule::exclude(refs("JP, DE, AT, CH, NL, AU, NZ")));
    }
    let groups = TerritoryGroups::new();
    for code in ["JP", "DE", "AT", "CH", "NL", "AU", "NZ"] {
        assert_eq!(
            status(&rights, Some(103), code, "spotify", Use::SubscriptionStream, "2027-01-01"),
            Status::Unavailable
        );
        assert_eq!(
            status(&rights, Some(107), code, "apple_music", Use::Download, "2027-01-01"),
            Status::Unavailable
        );
        assert_eq!(
            status(&rights, Some(102), code, "spotify", Use::SubscriptionStream, "2027-01-01"),
            Status::Available
        );
        assert_eq!(
            status(&rights, Some(108), code, "spotify", Use::SubscriptionStream, "2027-01-01"),
            Status::Available
        );
        assert_eq!(status(&rights, None, code, "spotify", Use::Download, "2027-01-01"), Status::Available);
    }
    assert_eq!(
        status(&rights, Some(105), "US", "spotify", Use::AdSupportedStream, "2027-01-01"),
        Status::Available
    );
    let decision = explain(
        &rights,
        &groups,
        Some(TrackKey(104)),
        t("DE"),
        &s("spotify"),
        Use::Download,
        d("2027-01-01"),
    )?;
    assert_eq!(
        decision.reason,
        "excluded by track 4 rule #1 (exclude JP, DE, AT, CH, NL, AU, NZ on all stores)"
    );
    assert_eq!(decision.decided_by, Some(RuleRef { track: Some(TrackKey(104)), index: 0 }));
    assert!(violations(&rights, &groups, &stores())?.is_empty());

    // DDEX: track 3 streams worldwide minus the seven in one merged deal; no album download
    // in the seven, with a note naming the tracks.
    let deals = compile_ddex(&rights, &groups, &s("spotify"))?;
    let track3 = &deals.track_deals[2].deals;
    let streams = &track3[0];
    assert_eq!(
        streams.commercial_models,
        [CommercialModelType::SubscriptionModel, CommercialModelType::AdvertisementSupportedModel]
    );
    assert_eq!(streams.use_types, [UseType::OnDemandStream]);
    let seven = ["AT", "AU", "CH", "DE", "JP", "NL", "NZ"].map(t).to_vec();
    assert_eq!(streams.territories, DealTerritories::WorldwideExcept(seven.clone()));
    assert_eq!(track3.len(), 3); // streams, download, UGC
    assert_eq!(deals.track_deals[0].deals[0].territories, DealTerritories::WorldwideExcept(vec![]));
    assert_eq!(deals.release_deals.len(), 1);
    assert_eq!(deals.release_deals[0].territories, DealTerritories::WorldwideExcept(seven.clone()));
    assert_eq!(deals.notes.len(), 1);
    assert_eq!(
        deals.notes[0].message,
        "no album download deal on spotify in AT, AU, CH, DE, JP, NL, NZ: track 3, track 4, track 5, track 6, track 7 are not available there for download"
    );
    assert_eq!(deals.notes[0].territories, seven);
    Ok(())
}

#[test]
fn groups_expand_and_codes_beat_groups_beat_worldwide() -> TestResult {
    let mut rights = tracks(1);
    rights.release.push(Rule::exclude(refs("EU")));
    rights.release.push(Rule::include(refs("DE")));
    rights.release.push(Rule::exclude(refs("Worldwide")).on_store(s("pandora")));
    let at = |code| status(&rights, Some(101), code, "spotify", Use::SubscriptionStream, "2027-01-01");
    assert_eq!(at("FR"), Status::Unavailable);
    assert_eq!(at("DE"), Status::Available);
    assert_eq!(at("CH"), Status::Available);
    assert_eq!(at("NO"), Status::Available);

    // A label redefining EU changes every rule naming it.
    let mut groups = TerritoryGroups::new();
    groups.define("EU", &["FR"])?;
    let decision = explain(&rights, &groups, None, t("IT"), &s("spotify"), Use::Download, d("2027-01-01"))?;
    assert!(decision.available);
    let decision = explain(&rights, &groups, None, t("FR"), &s("spotify"), Use::Download, d("2027-01-01"))?;
    assert_eq!(decision.reason, "excluded by release rule #1 (exclude EU on all stores)");

    let mut unknown = tracks(1);
    unknown.release.push(Rule::exclude([TerritoryRef::Group("Mars".into())]));
    assert_eq!(effective(&unknown, &groups, &stores()), Err(RightsError::UnknownGroup("Mars".into())));
    Ok(())
}

#[test]
fn store_and_use_scoping() -> TestResult {
    let mut rights = tracks(1);
    rights.release.push(Rule::exclude(refs("Worldwide")).on_store(s("tiktok")));
    rights.release.push(Rule::include(refs("JP")).on_store(s("tiktok")));
    rights.release.push(Rule::exclude(refs("Worldwide")).for_use(Use::Download));
    rights.release.push(Rule::include(refs("Worldwide")).on_store(s("apple_music")));
    let on = |store, usage, code| status(&rights, Some(101), code, store, usage, "2027-01-01");
    assert_eq!(on("tiktok", Use::Ugc, "US"), Status::Unavailable);
    assert_eq!(on("tiktok", Use::Ugc, "JP"), Status::Available);
    assert_eq!(on("spotify", Use::Download, "US"), Status::Unavailable);
    assert_eq!(on("spotify", Use::SubscriptionStream, "US"), Status::Available);
    // store-scoped beats use-scoped, whatever the territory level
    assert_eq!(on("apple_music", Use::Download, "US"), Status::Available);
    let decision =
        explain(&rights, &TerritoryGroups::new(), None, t("FR"), &s("tiktok"), Use::Ugc, d("2027-01-01"))?;
    assert_eq!(decision.reason, "excluded by release rule #1 (exclude Worldwide on tiktok)");
    Ok(())
}

#[test]
fn ties_go_to_exclude_and_later_includes_win() -> TestResult {
    let mut rights = tracks(1);
    rights.release.push(Rule::include(refs("JP")));
    rights.release.push(Rule::exclude(refs("JP, KR")));
    rights.release.push(Rule::include(refs("KR")).starting(d("2027-01-01")));
    rights.release.push(Rule::include(refs("FR")).starting(d("2027-01-01")));
    rights.release.push(Rule::include(refs("FR")).starting(d("2027-03-01")));
    assert_eq!(status(&rights, None, "JP", "spotify", Use::Download, "2027-06-01"), Status::Unavailable);
    assert_eq!(status(&rights, None, "KR", "spotify", Use::Download, "2027-06-01"), Status::Unavailable);
    assert_eq!(status(&rights, None, "FR", "spotify", Use::Download, "2027-02-01"), Status::Unavailable);
    assert_eq!(status(&rights, None, "FR", "spotify", Use::Download, "2027-03-01"), Status::Available);
    let decision = explain(
        &rights,
        &TerritoryGroups::new(),
        None,
        t("JP"),
        &s("spotify"),
        Use::Download,
        d("2027-06-01"),
    )?;
    assert_eq!(decision.decided_by, Some(RuleRef { track: None, index: 1 }));
    Ok(())
}

#[test]
fn dates_embargo_preorder_and_inclusive_end() -> TestResult {
    let mut rights = tracks(2);
    rights.release.push(Rule::include(refs("Worldwide")).starting(d("2027-01-15")));
    rights.release.push(Rule::include(refs("JP")).starting(d("2027-01-20")).preorder_from(d("2027-01-01")));
    rights.release.push(Rule::include(refs("US")).starting(d("2027-01-15")).ending(d("2027-12-31")));
    let groups = TerritoryGroups::new();
    let ask = |code: &str, date: &str| {
        explain(&rights, &groups, Some(TrackKey(101)), t(code), &s("spotify"), Use::Download, d(date))
            .expect("explain")
    };
    let early = ask("JP", "2026-12-20");
    assert_eq!(early.status, Status::Unavailable);
    assert_eq!(
        early.reason,
        "not yet available: street date 2027-01-20 in JP, set by release rule #2 (include JP on all stores from 2027-01-20, pre-order from 2027-01-01)"
    );
    let preorder = ask("JP", "2027-01-10");
    assert_eq!(preorder.status, Status::PreOrder);
    assert!(!preorder.available);
    assert!(preorder.reason.starts_with("pre-order only: street date 2027-01-20 in JP"));
    assert_eq!(ask("JP", "2027-01-20").status, Status::Available);
    assert_eq!(
        ask("FR", "2027-01-14").reason,
        "not yet available: street date 2027-01-15 in FR, set by release rule #1 (include Worldwide on all stores from 2027-01-15)"
    );
    assert_eq!(ask("US", "2027-12-31").status, Status::Available);
    let ended = ask("US", "2028-01-01");
    assert_eq!(ended.status, Status::Unavailable);
    assert!(ended.reason.starts_with("rights ended 2027-12-31 in US"), "{}", ended.reason);
    assert_eq!(ended.decided_by, Some(RuleRef { track: None, index: 2 }));

    // A track can delay its own start; without a pre-order date of its own it is not
    // pre-orderable before that start, and its pre-order never starts before the release's.
    rights.rules_of_mut(TrackKey(102)).push(Rule::include(refs("JP")).starting(d("2027-02-01")));
    rights
        .rules_of_mut(TrackKey(102))
        .push(Rule::include(refs("KR")).starting(d("2027-02-01")).preorder_from(d("2026-12-01")));
    let matrix = effective(&rights, &groups, &[s("spotify")])?;
    let window =
        |code| matrix.window(Some(TrackKey(102)), t(code), &s("spotify"), Use::Download).expect("window");
    assert_eq!(window("JP"), Window { start: Some(d("2027-02-01")), end: None, preorder_start: None });
    assert_eq!(
        window("KR"),
        Window { start: Some(d("2027-02-01")), end: None, preorder_start: Some(d("2027-01-15")) }
    );
    let decision = explain(
        &rights,
        &groups,
        Some(TrackKey(102)),
        t("JP"),
        &s("spotify"),
        Use::Download,
        d("2027-01-25"),
    )?;
    assert_eq!(decision.status, Status::Unavailable);
    assert_eq!(decision.decided_by, Some(RuleRef { track: Some(TrackKey(102)), index: 0 }));
    Ok(())
}

#[test]
fn subset_violations_are_listed_and_edits_refused() -> TestResult {
    let mut rights = tracks(4);
    rights.release.push(Rule::exclude(refs("JP")).on_store(s("spotify")));
    rights.release.push(Rule::include(refs("Worldwide")).starting(d("2027-01-15")));
    rights.rules_of_mut(TrackKey(103)).push(Rule::include(refs("JP")));
    rights.rules_of_mut(TrackKey(104)).push(Rule::include(refs("FR")).starting(d("2027-01-01")));
    let groups = TerritoryGroups::new();
    let found = violations(&rights, &groups, &stores())?;
    let messages: Vec<&str> = found.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "track 3 includes JP on spotify but the release excludes JP there",
            "track 4 starts in FR on all stores before the release's street date 2027-01-15 there",
        ]
    );
    assert_eq!(found[0].store, Some(s("spotify")));
    assert_eq!(found[0].territories, [t("JP")]);
    // The engine never lets the track exceed the release anyway.
    assert_eq!(status(&rights, Some(103), "JP", "spotify", Use::Download, "2027-06-01"), Status::Unavailable);
    assert_eq!(status(&rights, Some(104), "FR", "spotify", Use::Download, "2027-01-10"), Status::Unavailable);

    let clean = tracks(4);
    let mut edited = apply_edit(
        &clean,
        &groups,
        &stores(),
        RightsEdit::AddReleaseRule { rule: Rule::exclude(refs("JP")).on_store(s("spotify")) },
    )?;
    let refused = apply_edit(
        &edited,
        &groups,
        &stores(),
        RightsEdit::AddTrackRule { track: TrackKey(103), rule: Rule::include(refs("JP, KR")) },
    );
    assert_eq!(
        refused,
        Err(RightsError::SubsetViolation(
            "track 3 includes JP on spotify but the release excludes JP there".into()
        ))
    );
    edited = apply_edit(
        &edited,
        &groups,
        &stores(),
        RightsEdit::AddTrackRule { track: TrackKey(103), rule: Rule::exclude(refs("KR")) },
    )?;
    assert_eq!(edited.rules_of(TrackKey(103)).len(), 1);
    let removed = apply_edit(
        &edited,
        &groups,
        &stores(),
        RightsEdit::Remove { at: RuleRef { track: Some(TrackKey(103)), index: 0 } },
    )?;
    assert!(removed.track_rules.is_empty());
    assert_eq!(
        apply_edit(&edited, &groups, &stores(), RightsEdit::Remove { at: RuleRef { track: None, index: 5 } }),
        Err(RightsError::UnknownRule("release rule #6".into()))
    );
    assert_eq!(
        apply_edit(
            &edited,
            &groups,
            &stores(),
            RightsEdit::AddTrackRule { track: TrackKey(9), rule: Rule::exclude(refs("KR")) }
        ),
        Err(RightsError::UnknownTrack(9))
    );
    Ok(())
}

#[test]
fn broad_track_rules_only_delay_and_are_not_violations() -> TestResult {
    let groups = TerritoryGroups::new();
    let mut rights = tracks(2);
    rights.release.push(Rule::exclude(refs("JP")));
    rights.release.push(Rule::exclude(refs("EU")).on_store(s("spotify")));
    // Delaying a track worldwide is fine although the release excludes JP by name...
    let delayed = apply_edit(
        &rights,
        &groups,
        &stores(),
        RightsEdit::AddTrackRule {
            track: TrackKey(102),
            rule: Rule::include(refs("Worldwide")).starting(d("2027-03-01")),
        },
    )?;
    assert_eq!(
        status(&delayed, Some(102), "JP", "apple_music", Use::Download, "2027-06-01"),
        Status::Unavailable
    );
    assert_eq!(
        status(&delayed, Some(102), "US", "apple_music", Use::Download, "2027-02-01"),
        Status::Unavailable
    );
    assert_eq!(
        status(&delayed, Some(102), "US", "apple_music", Use::Download, "2027-03-01"),
        Status::Available
    );
    // ...but naming a territory the release excludes through a group is a claim on it.
    let found = violations(
        &ReleaseRights {
            track_rules: vec![TrackRules {
                track: TrackKey(101),
                rules: vec![Rule::include(refs("DE, US"))],
            }],
            ..rights.clone()
        },
        &groups,
        &stores(),
    )?;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "track 1 includes DE on spotify but the release excludes DE there");
    Ok(())
}

#[test]
fn explain_quotes_the_deciding_rule() -> TestResult {
    let mut rights = tracks(3);
    rights.release.push(Rule::include(refs("Worldwide")));
    rights.release.push(Rule::exclude(refs("DE, AT, CH")));
    rights
        .rules_of_mut(TrackKey(103))
        .push(Rule::include(refs("FR")).on_store(s("spotify")).for_use(Use::Download));
    let groups = TerritoryGroups::new();
    let decision = explain(
        &rights,
        &groups,
        Some(TrackKey(101)),
        t("AT"),
        &s("spotify"),
        Use::Download,
        d("2027-01-01"),
    )?;
    assert_eq!(decision.reason, "excluded by release rule #2 (exclude DE, AT, CH on all stores)");
    assert_eq!(decision.decided_by, Some(RuleRef { track: None, index: 1 }));
    let decision = explain(
        &rights,
        &groups,
        Some(TrackKey(101)),
        t("US"),
        &s("spotify"),
        Use::Download,
        d("2027-01-01"),
    )?;
    assert_eq!(decision.reason, "available: included by release rule #1 (include Worldwide on all stores)");
    let decision = explain(
        &rights,
        &groups,
        Some(TrackKey(103)),
        t("FR"),
        &s("spotify"),
        Use::Download,
        d("2027-01-01"),
    )?;
    assert_eq!(
        decision.reason,
        "available: included by track 3 rule #1 (include FR on spotify for download)"
    );
    assert_eq!(
        explain(&rights, &groups, Some(TrackKey(7)), t("FR"), &s("spotify"), Use::Download, d("2027-01-01")),
        Err(RightsError::UnknownTrack(7))
    );
    Ok(())
}

#[test]
fn ddex_deals_group_windows_deterministically() -> TestResult {
    let mut rights = tracks(2);
    rights
        .release
        .push(Rule::include(refs("Worldwide")).starting(d("2027-01-15")).preorder_from(d("2027-01-01")));
    rights.release.push(Rule::include(refs("JP")).starting(d("2027-01-20")));
    rights.release.push(Rule::exclude(refs("US")).for_use(Use::AdSupportedStream));
    let groups = TerritoryGroups::new();
    let first = compile_ddex(&rights, &groups, &s("spotify"))?;
    assert_eq!(first, compile_ddex(&rights, &groups, &s("spotify"))?);
    let deals = &first.track_deals[0].deals;
    let date = |date: Option<Date>| date.map_or_else(|| "-".to_owned(), |date| date.to_string());
    let summary: Vec<String> = deals
        .iter()
        .map(|deal| {
            let models: Vec<&str> = deal.commercial_models.iter().map(|m| m.as_str()).collect();
            format!(
                "{} {:?} {} {}",
                models.join("+"),
                deal.territories,
                date(deal.start),
                date(deal.preorder_start)
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "SubscriptionModel WorldwideExcept([JP]) 2027-01-15 2027-01-01",
            "SubscriptionModel+AdvertisementSupportedModel Include([JP]) 2027-01-20 -",
            "AdvertisementSupportedModel WorldwideExcept([JP, US]) 2027-01-15 2027-01-01",
            "PayAsYouGoModel WorldwideExcept([JP]) 2027-01-15 2027-01-01",
            "PayAsYouGoModel Include([JP]) 2027-01-20 -",
            "RightsClaimModel WorldwideExcept([JP]) 2027-01-15 2027-01-01",
            "RightsClaimModel Include([JP]) 2027-01-20 -",
        ]
    );
    assert!(first.notes.is_empty());
    assert_eq!(first.release_deals.len(), 2);
    // A track that starts later narrows the album download, and the compiler says so.
    let mut later = rights.clone();
    later.rules_of_mut(TrackKey(102)).push(Rule::include(refs("FR")).starting(d("2027-02-01")));
    let notes = compile_ddex(&later, &groups, &s("spotify"))?.notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].message,
        "album download on spotify in FR runs from 2027-02-01, open-ended rather than from 2027-01-15, open-ended: not every track is available for all of the release's window"
    );
    assert_eq!(
        availability_from_deals(&first, None, t("JP"), Use::Download, d("2027-01-19")),
        Status::Unavailable
    );
    assert_eq!(
        availability_from_deals(&first, None, t("FR"), Use::Download, d("2027-01-10")),
        Status::PreOrder
    );
    let json = serde_json::to_string(&first.release_deals[1])?;
    assert_eq!(
        json,
        r#"{"commercial_models":["PayAsYouGoModel"],"use_types":["PermanentDownload"],"territories":{"include":["JP"]},"start":"2027-01-20","end":null,"preorder_start":null}"#
    );
    Ok(())
}

#[test]
fn revelator_plan_and_its_limits() -> TestResult {
    let groups = TerritoryGroups::new();
    let stores = stores();

    let mut rights = tracks(2);
    rights.release.push(Rule::include(refs("Worldwide")).starting(d("2027-01-15")));
    rights.release.push(Rule::exclude(refs("JP")));
    rights.rules_of_mut(TrackKey(102)).push(Rule::exclude(refs("DE")).on_store(s("spotify")));
    let plan = compile_revelator(&rights, &groups, &stores)?;
    assert!(plan.unexpressible.is_empty(), "{:?}", plan.unexpressible);
    assert_eq!(plan.sale_start_date, Some(d("2027-01-15")));
    assert_eq!(
        plan.release,
        [Clearance { store: None, mode: ClearanceMode::Exclude, territories: vec![t("JP")] }]
    );
    assert_eq!(plan.tracks.len(), 1);
    assert_eq!(
        plan.tracks[0].clearances,
        [Clearance {
            store: Some(s("spotify")),
            mode: ClearanceMode::Exclude,
            territories: vec![t("DE"), t("JP")]
        }]
    );
    assert_eq!(
        availability_from_plan(&plan, Some(TrackKey(102)), t("DE"), &s("spotify"), d("2027-02-01")),
        Status::Unavailable
    );
    assert_eq!(
        availability_from_plan(&plan, Some(TrackKey(102)), t("DE"), &s("tiktok"), d("2027-02-01")),
        Status::Available
    );

    rights.release.push(Rule::include(refs("KR")).starting(d("2027-02-01")).ending(d("2027-12-31")));
    rights.rules_of_mut(TrackKey(101)).push(Rule::exclude(refs("FR")).for_use(Use::Download));
    let plan = compile_revelator(&rights, &groups, &stores)?;
    let messages: Vec<&str> = plan.unexpressible.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "release rule #1 (include Worldwide on all stores from 2027-01-15) sets dates for only some tracks or territories; Revelator has one sale start date per release (plan uses 2027-02-01)",
            "release rule #3 (include KR on all stores from 2027-02-01 through 2027-12-31) ends on 2027-12-31; Revelator clearances have no end date, schedule a takedown instead",
            "release rule #3 (include KR on all stores from 2027-02-01 through 2027-12-31) sets dates for only some tracks or territories; Revelator has one sale start date per release (plan uses 2027-02-01)",
            "track 1 rule #1 (exclude FR on all stores for download) applies only to download; Revelator clearances cover every use, so it is left out",
        ]
    );
    assert_eq!(plan.sale_start_date, Some(d("2027-02-01")));
    Ok(())
}

#[test]
fn wire_types_serialise() -> TestResult {
    let mut rights = tracks(1);
    rights.rules_of_mut(TrackKey(101)).push(Rule::exclude(refs("JP")));
    let json = serde_json::to_string(&rights)?;
    assert_eq!(
        json,
        r#"{"tracks":[101],"release":[],"track_rules":[{"track":101,"rules":[{"kind":"exclude","territories":["JP"],"store":null,"use":null,"start":null,"end":null,"preorder_start":null}]}]}"#
    );
    assert_eq!(serde_json::from_str::<ReleaseRights>(&json)?, rights);
    let decision = explain(
        &rights,
        &TerritoryGroups::new(),
        Some(TrackKey(101)),
        t("JP"),
        &s("spotify"),
        Use::Ugc,
        d("2027-01-01"),
    )?;
    assert_eq!(
        serde_json::to_string(&decision)?,
        r#"{"available":false,"status":"unavailable","reason":"excluded by track 1 rule #1 (exclude JP on all stores)","decided_by":{"track":101,"index":0}}"#
    );
    let edit: RightsEdit = serde_json::from_str(r#"{"op":"remove","at":{"track":null,"index":0}}"#)?;
    assert_eq!(edit, RightsEdit::Remove { at: RuleRef { track: None, index: 0 } });
    Ok(())
}
