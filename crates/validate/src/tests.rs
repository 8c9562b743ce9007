//! One test (or a few) per rule family, on small domain values.

use catno_domain::{
    Contributor, ContributorRole, DspArtistId, DspPlatform, Isrc, ParentalAdvisory, Release, ReleaseType,
    RightsLine, Track, Upc, WorkflowStatus, Writer, WriterRole,
};
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 12 - 02);

fn credit(artist_id: i64, name: &str, role: ContributorRole) -> Contributor {
    Contributor { id: artist_id * 100, artist_id, artist_name: name.into(), role, sequence: 1 }
}

fn release() -> Release {
    Release {
        id: 1,
        label_id: 1,
        label_name: "Acme".into(),
        title: "Night Drive".into(),
        version: None,
        display_artist: "Aya".into(),
        localized_titles: Vec::new(),
        release_type: ReleaseType::Album,
        upc: Some(Upc::parse("5060123450002").expect("valid upc")),
        catalog_number: Some("ACME001".into()),
        p_line: Some(RightsLine { year: 2026, holder: "Acme".into() }),
        c_line: Some(RightsLine { year: 2026, holder: "Acme".into() }),
        genre: Some("Electronic".into()),
        subgenre: None,
        release_date: Some("2027-03-01".into()),
        original_release_date: None,
        parental_advisory: ParentalAdvisory::NotExplicit,
        metadata_language: Some("en".into()),
        status: WorkflowStatus::Draft,
        artists: vec![credit(1, "Aya", ContributorRole::MainArtist)],
        updated_at: String::new(),
    }
}

fn track(id: i64, title: &str) -> Track {
    Track {
        id,
        isrc: Some(Isrc::parse(&format!("GBCTN26{id:05}")).expect("valid isrc")),
        title: title.into(),
        version: None,
        display_artist: "Aya".into(),
        localized_titles: Vec::new(),
        duration_ms: Some(200_000),
        explicit: false,
        audio_language: Some("en".into()),
        contributors: vec![
            credit(1, "Aya", ContributorRole::MainArtist),
            credit(2, "Bo", ContributorRole::Producer),
        ],
        writers: vec![Writer {
            id: 1,
            name: "Aya".into(),
            role: WriterRole::ComposerLyricist,
            publisher: None,
            share_basis_points: 10_000,
        }],
        updated_at: String::new(),
    }
}

fn run_with(
    release: Release,
    tracks: Vec<Track>,
    rights: RightsSummary,
    context: &CatalogContext,
    profile: &str,
) -> Vec<Finding> {
    let audio = tracks.iter().map(|t| Some(format!("hash{}", t.id))).collect();
    let bundle = ReleaseBundle { release, tracks, audio_sha256: audio, rights, context };
    validate(&bundle, &Profile::named(profile).expect("known profile"), TODAY)
}

fn run(release: Release, tracks: Vec<Track>) -> Vec<Finding> {
    run_with(release, tracks, RightsSummary::default(), &CatalogContext::default(), "spotify")
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn find<'f>(findings: &'f [Finding], rule: &str) -> &'f Finding {
    findings.iter().find(|f| f.rule_id == rule).unwrap_or_else(|| panic!("no {rule} in {findings:#?}"))
}

#[test]
fn a_clean_release_has_no_findings() {
    let findings = run(release(), vec![track(11, "Night Drive"), track(12, "City Lights")]);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn every_rule_is_documented_with_a_source_and_profiles_resolve() {
    let docs = rules();
    assert!(docs.len() >= 35);
    for doc in &docs {
        assert!(!doc.source.is_empty() && doc.source_date.len() == 10, "{doc:?}");
    }
    let mut seen = std::collections::HashSet::new();
    assert!(docs.iter().all(|d| seen.insert(d.id.clone())), "rule ids are unique");
    for p in profiles() {
        for id in p.disabled.iter().chain(p.severity_overrides.iter().map(|(id, _)| id)) {
            assert!(docs.iter().any(|d| &d.id == id), "{} names unknown rule {id}", p.id);
        }
    }
    assert_eq!(Profile::named("Apple-Music").expect("alias").id, "apple_music");
    assert!(Profile::named("napster").is_err());
}

#[test]
fn identifiers_and_catalog_duplicates() {
    let mut context = CatalogContext::default();
    context.add_upc("5060123450002", 1);
    context.add_upc("5060123450002", 7);
    context.add_isrc("GBCTN2600011", 11, Some("hash11".into()));
    context.add_isrc("GBCTN2600011", 99, Some("other-audio".into()));
    context.add_isrc("GBCTN2600012", 12, Some("hash12".into()));
    context.add_isrc("GBCTN2600012", 98, Some("hash12".into())); // same audio: fine
    let mut t3 = track(13, "Third");
    t3.isrc = Some(Isrc::parse("UKCTN2600001").expect("legacy prefix parses"));
    let mut t4 = track(14, "Fourth");
    t4.isrc = t3.isrc.clone();
    let findings = run_with(
        release(),
        vec![track(11, "One"), track(12, "Two"), t3, t4],
        RightsSummary::default(),
        &context,
        "generic",
    );
    let upc = find(&findings, "ID-UPC-DUPLICATE");
    assert_eq!(upc.field, "release.upc");
    assert!(upc.message.contains("release 7"), "{}", upc.message);
    let isrc = find(&findings, "ID-ISRC-DUPLICATE");
    assert_eq!(isrc.field, "track[1].isrc");
    assert!(isrc.message.contains("99"));
    assert_eq!(findings.iter().filter(|f| f.rule_id == "ID-ISRC-DUPLICATE").count(), 1);
    assert_eq!(find(&findings, "ID-ISRC-REPEATED").field, "track[4].isrc");
    assert_eq!(find(&findings, "ID-ISRC-LEGACY-PREFIX").severity, Severity::Info);
}

#[test]
fn required_fields_follow_the_profile() {
    let mut r = release();
    r.upc = None;
    r.catalog_number = None;
    r.metadata_language = None;
    let mut t = track(11, "One");
    t.writers.clear();
    let spotify = run(r.clone(), vec![t.clone()]);
    let fields: Vec<&str> =
        spotify.iter().filter(|f| f.rule_id == "REQ-FIELD-MISSING").map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["release.upc", "release.metadata_language", "track[1].writers"]);
    let revelator = run_with(r, vec![t], RightsSummary::default(), &CatalogContext::default(), "revelator");
    assert!(revelator.iter().any(|f| f.field == "release.catalog_number"));
    assert!(ids(&run(release(), Vec::new())).contains(&"REQ-NO-TRACKS"));
}

#[test]
fn credits_need_main_producer_and_remixer() {
    let mut bare = track(11, "One");
    bare.contributors.retain(|c| c.role == ContributorRole::MainArtist);
    let mut remix = track(12, "Two");
    remix.version = Some("Bo Remix".into());
    let findings = run(release(), vec![bare, remix.clone()]);
    assert_eq!(find(&findings, "CREDIT-PRODUCER").field, "track[1].contributors");
    assert_eq!(find(&findings, "CREDIT-REMIXER").field, "track[2].contributors");
    remix.contributors.push(credit(2, "Bo", ContributorRole::Remixer));
    assert!(!ids(&run(release(), vec![remix])).contains(&"CREDIT-REMIXER"));
    // Revelator makes a missing producer an error.
    let mut bare = track(11, "One");
    bare.contributors.retain(|c| c.role == ContributorRole::MainArtist);
    let rev =
        run_with(release(), vec![bare], RightsSummary::default(), &CatalogContext::default(), "revelator");
    assert_eq!(find(&rev, "CREDIT-PRODUCER").severity, Severity::Error);
}

#[test]
fn feat_format_and_credit_match() {
    let mut t = track(11, "Song ft. Zed");
    let findings = run(release(), vec![t.clone()]);
    let f = find(&findings, "STYLE-FEAT-FORMAT");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.field, "track[1].title");
    assert_eq!(f.value, "Song ft. Zed");
    assert_eq!(f.autofix, Some(Autofix::set("track:11.title", "Song (feat. Zed)")));
    assert!(find(&findings, "STYLE-FEAT-MATCH").message.contains("Zed"));
    t.title = "Song (feat. Zed)".into();
    t.contributors.push(credit(3, "Zed", ContributorRole::FeaturedArtist));
    assert!(run(release(), vec![t.clone()]).is_empty());
    t.contributors.push(credit(3, "Zed", ContributorRole::MainArtist));
    assert!(ids(&run(release(), vec![t])).contains(&"STYLE-FEAT-MATCH"));
}

#[test]
fn title_casing_and_version_rules() {
    let mut t1 = track(11, "the sound of the city");
    t1.version = Some("(Original Mix)".into());
    let t2 = track(12, "Night Run (Radio Edit)");
    let t3 = track(13, "LOUD AND CLEAR NOW");
    let findings = run(release(), vec![t1, t2, t3]);
    let case = findings
        .iter()
        .find(|f| f.rule_id == "STYLE-TITLE-CASE" && f.field == "track[1].title")
        .expect("case");
    assert_eq!(case.autofix.as_ref().map(|a| a.new_value.as_str()), Some("The Sound of the City"));
    assert!(findings.iter().any(|f| f.rule_id == "STYLE-CASING" && f.field == "track[1].title"));
    assert!(findings.iter().any(|f| f.rule_id == "STYLE-CASING" && f.field == "track[3].title"));
    let original = find(&findings, "STYLE-ORIGINAL-MIX");
    assert_eq!(original.autofix, Some(Autofix::set("track:11.version", "")));
    assert!(ids(&findings).contains(&"STYLE-VERSION-BRACKETS"));
    let moved = find(&findings, "STYLE-VERSION-IN-TITLE");
    let fix = moved.autofix.as_ref().expect("autofix");
    assert_eq!(
        fix.changes(),
        vec![
            FieldChange { field: "track:12.title".into(), new_value: "Night Run".into() },
            FieldChange { field: "track:12.version".into(), new_value: "Radio Edit".into() },
        ]
    );
    // Swedish titles are sentence case: no title-case advice.
    let mut sv = release();
    sv.metadata_language = Some("sv".into());
    assert!(!ids(&run(sv, vec![track(11, "Natten är ung")])).contains(&"STYLE-TITLE-CASE"));
}

#[test]
fn forbidden_generic_emoji_links_and_spaces() {
    let findings = run(
        release(),
        vec![
            track(11, "Summer Anthem (Exclusive)"),
            track(12, "Track 2"),
            track(13, "Love 💖"),
            track(14, "Out Now www.acme.com"),
            track(15, " Spaced  Out "),
            track(16, "Song (Clean)"),
        ],
    );
    assert_eq!(find(&findings, "STYLE-FORBIDDEN-WORDS").field, "track[1].title");
    assert_eq!(find(&findings, "STYLE-GENERIC-TITLE").field, "track[2].title");
    assert_eq!(find(&findings, "STYLE-EMOJI").field, "track[3].title");
    assert_eq!(find(&findings, "STYLE-URL").field, "track[4].title");
    assert_eq!(
        find(&findings, "STYLE-WHITESPACE").autofix,
        Some(Autofix::set("track:15.title", "Spaced Out"))
    );
    assert_eq!(find(&findings, "STYLE-ADVISORY-IN-TITLE").field, "track[6].title");
}

#[test]
fn duplicate_titles_and_single_title() {
    let findings = run(release(), vec![track(11, "Same"), track(12, "Same")]);
    assert_eq!(find(&findings, "STYLE-DUPLICATE-TRACK-TITLE").field, "track[2].title");
    let mut single = release();
    single.release_type = ReleaseType::Single;
    let f = run(single, vec![track(11, "Other Song")]);
    let fix = find(&f, "STYLE-SINGLE-TITLE").autofix.clone().expect("autofix");
    assert_eq!(
        fix.changes(),
        vec![
            FieldChange { field: "release.title".into(), new_value: "Other Song".into() },
            FieldChange { field: "release.version".into(), new_value: String::new() },
        ]
    );
}

#[test]
fn artist_rules_generic_various_near_duplicates_and_dsp_ids() {
    let mut r = release();
    r.display_artist = "Various Artists".into();
    let mut t = track(11, "One");
    t.display_artist = "Unknown".into();
    let findings = run(r.clone(), vec![t]);
    assert!(find(&findings, "ARTIST-VARIOUS").message.contains("only for compilations"));
    assert_eq!(find(&findings, "ARTIST-GENERIC").field, "track[1].display_artist");

    r.release_type = ReleaseType::Compilation;
    r.display_artist = "Aya".into();
    let tracks: Vec<Track> = (0..4)
        .map(|i| {
            let mut t = track(20 + i, &format!("Song {}", ["One", "Two", "Three", "Four"][i as usize]));
            t.contributors = vec![
                credit(50 + i, &format!("Artist {i}"), ContributorRole::MainArtist),
                credit(2, "Bo", ContributorRole::Producer),
            ];
            t.display_artist = format!("Artist {i}");
            t
        })
        .collect();
    let findings = run(r, tracks);
    let various = find(&findings, "ARTIST-VARIOUS");
    assert_eq!(various.autofix, Some(Autofix::set("release.display_artist", "Various Artists")));

    let mut context = CatalogContext::default();
    for name in ["Aya", "AYA", "Äya", "Bo"] {
        context.add_artist_name(name);
    }
    context.retain_ambiguous_names();
    context.artist_dsp_ids.insert(
        1,
        vec![DspArtistId {
            platform: DspPlatform::Spotify,
            value: "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC".into(),
        }],
    );
    let findings = run_with(release(), vec![track(11, "One")], RightsSummary::default(), &context, "spotify");
    assert!(find(&findings, "ARTIST-NEAR-DUPLICATE").message.contains("\"AYA\""));
    assert_eq!(find(&findings, "ARTIST-DSP-ID").field, "artist:1.spotify");
}

#[test]
fn explicit_track_makes_explicit_release() {
    let mut t = track(11, "One");
    t.explicit = true;
    let f = run(release(), vec![t]);
    assert_eq!(
        find(&f, "EXPLICIT-RELEASE").autofix,
        Some(Autofix::set("release.parental_advisory", "explicit"))
    );
}

#[test]
fn date_rules_use_profile_lead_times() {
    let mut r = release();
    r.release_date = Some("2026-12-05".into());
    let f = run(r.clone(), vec![track(11, "One")]);
    assert!(find(&f, "DATE-LEAD-TIME").message.contains("at least 7 days"));
    // YouTube needs only two days.
    let yt = run_with(
        r.clone(),
        vec![track(11, "One")],
        RightsSummary::default(),
        &CatalogContext::default(),
        "youtube",
    );
    assert!(!ids(&yt).contains(&"DATE-LEAD-TIME"));
    assert!(ids(&yt).contains(&"DATE-PITCH-WINDOW"));

    r.release_date = Some("2027-03-01".into());
    r.original_release_date = Some("2027-04-01".into());
    let rights = RightsSummary { preorder_start: Some(date!(2027 - 03 - 02)), ..RightsSummary::default() };
    let f = run_with(r.clone(), vec![track(11, "One")], rights, &CatalogContext::default(), "spotify");
    assert!(ids(&f).contains(&"DATE-ORIGINAL"));
    assert!(find(&f, "DATE-PREORDER").message.contains("not before"));
    r.original_release_date = None;
    let long = RightsSummary { preorder_start: Some(date!(2025 - 12 - 01)), ..RightsSummary::default() };
    let apple =
        run_with(r.clone(), vec![track(11, "One")], long.clone(), &CatalogContext::default(), "apple_music");
    assert!(find(&apple, "DATE-PREORDER").message.contains("allows 366"));
    assert!(
        !ids(&run_with(r.clone(), vec![track(11, "One")], long, &CatalogContext::default(), "youtube"))
            .contains(&"DATE-PREORDER")
    );
    r.release_date = Some("March 1st".into());
    assert!(ids(&run(r, vec![track(11, "One")])).contains(&"DATE-FORMAT"));
}

#[test]
fn territory_rules() {
    let rights = RightsSummary {
        violations: vec!["track 1 includes JP but the release excludes JP".into()],
        tracks: vec![
            TrackAvailability { track_id: 11, territories: 249 },
            TrackAvailability { track_id: 12, territories: 0 },
        ],
        preorder_start: None,
    };
    let f = run_with(
        release(),
        vec![track(11, "One"), track(12, "Two")],
        rights,
        &CatalogContext::default(),
        "generic",
    );
    assert!(find(&f, "RIGHTS-SUBSET").message.contains("JP"));
    assert_eq!(find(&f, "RIGHTS-TRACK-UNAVAILABLE").field, "track[2].rights");
    assert_eq!(tally(&f), (2, 0));
}

#[test]
fn findings_serialize_snake_case() {
    let f = run(release(), vec![track(11, "Song ft. Zed")]);
    let json = serde_json::to_value(&f).expect("json");
    assert_eq!(json[0]["severity"], "error");
    assert!(json[0]["rule_id"].is_string());
}
