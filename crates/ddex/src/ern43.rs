//! ERN 4.3 serialisation of a [`Plan`]. Element order follows `ern43/release-notification.xsd`
//! and DDEX's `1 Audio.xml` sample.

use catno_domain::{LocalizedTitle, ParentalAdvisory, ReleaseType};

use crate::error::DdexError;
use crate::input::ReleaseMessageInput;
use crate::plan::{
    Credit, DealSpec, Plan, Territories, TrackPlan, format_date, format_duration, rights_line_text,
    role_attrs, title_with_version,
};
use crate::roles::RoleSlot;
use crate::xml::Xml;

const NS: &str = "http://ddex.net/xml/ern/43";
const SCHEMA_LOCATION: &str =
    "http://ddex.net/xml/ern/43 http://ddex.net/xml/ern/43/release-notification.xsd";
/// The AVS edition the bundled schema imports; values must not be newer than it.
pub const AVS_VERSION: &str = "3";
const WORLDWIDE: (&str, &str) = ("ApplicableTerritoryCode", "Worldwide");

pub(crate) fn new_release_message(plan: &Plan<'_>) -> Result<String, DdexError> {
    let mut x = Xml::new();
    x.open(
        "ern:NewReleaseMessage",
        &[
            ("xmlns:ern", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
            ("ReleaseProfileVersionId", &plan.profile.release_profile),
            ("LanguageAndScriptCode", plan.language()),
            ("AvsVersionId", AVS_VERSION),
        ],
    );
    header(&mut x, plan.input);
    party_list(&mut x, plan);
    resource_list(&mut x, plan);
    release_list(&mut x, plan);
    deal_list(&mut x, plan, release_deal);
    x.close("ern:NewReleaseMessage");
    x.finish()
}

pub(crate) fn purge_release_message(input: &ReleaseMessageInput) -> Result<String, DdexError> {
    let upc = input
        .release
        .upc
        .as_ref()
        .ok_or_else(|| DdexError::invalid("release.upc", "a purge names the release by its UPC"))?;
    let mut x = Xml::new();
    x.open(
        "ern:PurgeReleaseMessage",
        &[
            ("xmlns:ern", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
            ("LanguageAndScriptCode", input.release.metadata_language.as_deref().unwrap_or("en")),
            ("AvsVersionId", AVS_VERSION),
        ],
    );
    header(&mut x, input);
    x.open("PurgedRelease", &[]);
    x.open("ReleaseId", &[]);
    x.leaf("ICPN", upc.as_str());
    x.close("ReleaseId");
    x.open("Title", &[]);
    x.leaf("TitleText", &input.release.title);
    x.close("Title");
    x.close("PurgedRelease");
    x.close("ern:PurgeReleaseMessage");
    x.finish()
}

fn header(x: &mut Xml, input: &ReleaseMessageInput) {
    let h = &input.header;
    x.open("MessageHeader", &[]);
    x.leaf("MessageThreadId", &h.message_id);
    x.leaf("MessageId", &h.message_id);
    for (tag, dpid, name) in [
        ("MessageSender", &h.sender_dpid, &h.sender_name),
        ("MessageRecipient", &h.recipient_dpid, &h.recipient_name),
    ] {
        x.open(tag, &[]);
        x.leaf("PartyId", dpid);
        x.open("PartyName", &[]);
        x.leaf("FullName", name);
        x.close("PartyName");
        x.close(tag);
    }
    x.leaf("MessageCreatedDateTime", &h.created);
    x.leaf("MessageControlType", if h.test { "TestMessage" } else { "LiveMessage" });
    x.close("MessageHeader");
}

fn party_list(x: &mut Xml, plan: &Plan<'_>) {
    x.open("PartyList", &[]);
    for p in &plan.parties {
        x.open("Party", &[]);
        x.leaf("PartyReference", &p.reference);
        x.open("PartyName", &[]);
        x.leaf("FullName", &p.name);
        x.close("PartyName");
        for l in &p.localized {
            x.open("PartyName", &[("LanguageAndScriptCode", &l.language)]);
            x.leaf("FullName", &l.title);
            x.close("PartyName");
        }
        if p.isni.is_some() || p.dpid.is_some() {
            x.open("PartyId", &[]);
            x.opt_leaf("ISNI", p.isni.as_deref());
            x.opt_leaf("DPID", p.dpid.as_deref());
            x.close("PartyId");
        }
        x.close("Party");
    }
    x.close("PartyList");
}

fn display_titles(x: &mut Xml, title: &str, version: Option<&str>, localized: &[LocalizedTitle]) {
    x.leaf("DisplayTitleText", &title_with_version(title, version));
    for l in localized {
        x.leaf_with("DisplayTitleText", &[("LanguageAndScriptCode", &l.language)], &l.title);
    }
    x.open("DisplayTitle", &[WORLDWIDE, ("IsDefault", "true")]);
    x.leaf("TitleText", title);
    if let Some(v) = version.filter(|v| !v.trim().is_empty()) {
        x.leaf_with("SubTitle", &[("SubTitleType", "Version")], v);
    }
    x.close("DisplayTitle");
    for l in localized {
        x.open("DisplayTitle", &[("LanguageAndScriptCode", &l.language), WORLDWIDE]);
        x.leaf("TitleText", &l.title);
        x.close("DisplayTitle");
    }
}

fn display_artists(x: &mut Xml, plan: &Plan<'_>, name: &str, credits: &[Credit]) {
    x.leaf_with("DisplayArtistName", &[WORLDWIDE, ("IsDefault", "true")], name);
    for (n, c) in credits.iter().enumerate() {
        let RoleSlot::DisplayArtist(role) = c.slot else { continue };
        let seq = (n + 1).to_string();
        x.open("DisplayArtist", &[("SequenceNumber", &seq)]);
        x.leaf("ArtistPartyReference", &plan.parties[c.party].reference);
        x.leaf("DisplayArtistRole", role);
        x.close("DisplayArtist");
    }
}

fn parental(advisory: ParentalAdvisory) -> &'static str {
    match advisory {
        ParentalAdvisory::Unknown => "NoAdviceAvailable",
        other => other.as_str(),
    }
}

fn resource_list(x: &mut Xml, plan: &Plan<'_>) {
    let ns = plan.namespace();
    let release = &plan.input.release;
    x.open("ResourceList", &[]);
    for t in &plan.tracks {
        sound_recording(x, plan, t, &ns);
    }
    if let (Some(art), Some((resource_ref, technical_ref))) = (&plan.input.artwork, &plan.image_ref) {
        x.open("Image", &[]);
        x.leaf("ResourceReference", resource_ref);
        x.leaf("Type", "FrontCoverImage");
        x.open("ResourceId", &[]);
        x.leaf_with("ProprietaryId", &[("Namespace", &ns)], &format!("{}_FrontCoverImage", plan.upc));
        x.close("ResourceId");
        if let Some(c) = &release.c_line {
            x.open("CLine", &[]);
            x.leaf("Year", &c.year.to_string());
            x.leaf("CLineText", &rights_line_text("©", c));
            x.close("CLine");
        }
        x.leaf("ParentalWarningType", parental(release.parental_advisory));
        x.open("TechnicalDetails", &[]);
        x.leaf("TechnicalResourceDetailsReference", technical_ref);
        x.leaf("ImageCodecType", art.codec.as_ddex());
        x.leaf_with("ImageHeight", &[("UnitOfMeasure", "Pixel")], &art.height.to_string());
        x.leaf_with("ImageWidth", &[("UnitOfMeasure", "Pixel")], &art.width.to_string());
        file(x, plan, &art.file_name, &art.md5);
        x.close("TechnicalDetails");
        x.close("Image");
    }
    x.close("ResourceList");
}

fn file(x: &mut Xml, plan: &Plan<'_>, name: &str, md5: &str) {
    x.open("File", &[]);
    x.leaf("URI", &format!("resources/{name}"));
    x.open("HashSum", &[]);
    x.leaf("Algorithm", plan.profile.hash_algorithm.as_ddex());
    x.leaf("HashSumValue", md5);
    x.close("HashSum");
    x.close("File");
}

fn sound_recording(x: &mut Xml, plan: &Plan<'_>, t: &TrackPlan<'_>, ns: &str) {
    let track = t.track();
    x.open("SoundRecording", &[]);
    x.leaf("ResourceReference", &t.resource_ref);
    x.leaf("Type", "MusicalWorkSoundRecording");
    x.open("SoundRecordingEdition", &[]);
    x.open("ResourceId", &[]);
    x.leaf("ISRC", &t.isrc);
    for (namespace, value) in &t.proprietary_ids {
        x.leaf_with("ProprietaryId", &[("Namespace", namespace)], value);
    }
    x.close("ResourceId");
    // Catalog P-lines live on the release; a recording inherits it.
    if let Some(p) = &plan.input.release.p_line {
        x.open("PLine", &[]);
        x.leaf("Year", &p.year.to_string());
        x.leaf("PLineText", &rights_line_text("℗", p));
        x.close("PLine");
    }
    if let Some(audio) = &t.input.audio {
        x.open("TechnicalDetails", &[]);
        x.leaf("TechnicalResourceDetailsReference", &t.technical_ref);
        x.open("DeliveryFile", &[]);
        x.leaf("Type", "AudioFile");
        x.leaf("AudioCodecType", audio.codec.as_ddex());
        x.leaf("NumberOfChannels", &audio.channels.to_string());
        x.leaf_with("SamplingRate", &[("UnitOfMeasure", "Hz")], &audio.sample_rate.to_string());
        x.leaf("BitsPerSample", &audio.bit_depth.to_string());
        x.leaf("Duration", &format_duration(audio.duration_ms));
        file(x, plan, &audio.file_name, &audio.md5);
        x.close("DeliveryFile");
        x.close("TechnicalDetails");
    }
    x.close("SoundRecordingEdition");
    display_titles(x, &track.title, track.version.as_deref(), &track.localized_titles);
    display_artists(x, plan, &track.display_artist, &t.display);
    for (n, c) in t.contributors.iter().enumerate() {
        let (RoleSlot::Contributor(value) | RoleSlot::Indirect(value)) = c.slot else { continue };
        let seq = (n + 1).to_string();
        x.open("Contributor", &[("SequenceNumber", &seq)]);
        x.leaf("ContributorPartyReference", &plan.parties[c.party].reference);
        let (text, attrs) = role_attrs(&value, ns);
        x.leaf_with("Role", &attrs, text);
        x.close("Contributor");
    }
    x.leaf("Duration", &format_duration(t.duration_ms));
    x.leaf("ParentalWarningType", if track.explicit { "Explicit" } else { "NotExplicit" });
    x.opt_leaf("LanguageOfPerformance", track.audio_language.as_deref());
    x.close("SoundRecording");
}

fn release_type(x: &mut Xml, rt: ReleaseType, ns: &str) {
    match rt {
        // AVS has no Compilation ReleaseType; Spotify asks for a UserDefined one.
        ReleaseType::Compilation => x.leaf_with(
            "ReleaseType",
            &[("Namespace", ns), ("UserDefinedValue", "Compilation")],
            "UserDefined",
        ),
        other => x.leaf("ReleaseType", other.as_str()),
    }
}

fn release_list(x: &mut Xml, plan: &Plan<'_>) {
    let release = &plan.input.release;
    let ns = plan.namespace();
    let label_ref = plan.parties[plan.label_party].reference.clone();
    x.open("ReleaseList", &[]);
    x.open("Release", &[]);
    x.leaf("ReleaseReference", "R0");
    release_type(x, release.release_type, &ns);
    x.open("ReleaseId", &[]);
    x.leaf("ICPN", &plan.upc);
    if let Some(cat) = &release.catalog_number {
        x.leaf_with("CatalogNumber", &[("Namespace", &ns)], cat);
    }
    x.close("ReleaseId");
    display_titles(x, &release.title, release.version.as_deref(), &release.localized_titles);
    display_artists(x, plan, &release.display_artist, &plan.release_display);
    x.leaf_with("ReleaseLabelReference", &[WORLDWIDE], &label_ref);
    if let Some(p) = &release.p_line {
        x.open("PLine", &[]);
        x.leaf("Year", &p.year.to_string());
        x.leaf("PLineText", &rights_line_text("℗", p));
        x.close("PLine");
    }
    if let Some(c) = &release.c_line {
        x.open("CLine", &[]);
        x.leaf("Year", &c.year.to_string());
        x.leaf("CLineText", &rights_line_text("©", c));
        x.close("CLine");
    }
    x.leaf("Duration", &format_duration(plan.total_duration_ms()));
    genre(x, plan);
    if let Some(d) = &release.release_date {
        x.leaf_with("ReleaseDate", &[WORLDWIDE], d);
    }
    if let Some(d) = &release.original_release_date {
        x.leaf_with("OriginalReleaseDate", &[WORLDWIDE], d);
    }
    x.leaf("ParentalWarningType", parental(release.parental_advisory));
    if release.release_type == ReleaseType::Compilation {
        x.leaf("IsMultiArtistCompilation", "true");
    }
    resource_group(x, plan);
    x.close("Release");

    for t in &plan.tracks {
        x.open("TrackRelease", &[]);
        x.leaf("ReleaseReference", &t.release_ref);
        x.open("ReleaseId", &[]);
        x.leaf_with("ProprietaryId", &[("Namespace", &ns)], &format!("{}_{}", plan.upc, t.isrc));
        x.close("ReleaseId");
        x.leaf("ReleaseResourceReference", &t.resource_ref);
        x.leaf_with("ReleaseLabelReference", &[WORLDWIDE], &label_ref);
        genre(x, plan);
        x.close("TrackRelease");
    }
    x.close("ReleaseList");
}

fn genre(x: &mut Xml, plan: &Plan<'_>) {
    x.open("Genre", &[WORLDWIDE]);
    x.leaf("GenreText", &plan.genre);
    x.opt_leaf("SubGenre", plan.input.release.subgenre.as_deref().filter(|s| !s.trim().is_empty()));
    x.close("Genre");
}

fn content_items(x: &mut Xml, tracks: &[&TrackPlan<'_>]) {
    for t in tracks {
        x.open("ResourceGroupContentItem", &[]);
        x.leaf("SequenceNumber", &t.input.number.to_string());
        x.leaf("ReleaseResourceReference", &t.resource_ref);
        x.close("ResourceGroupContentItem");
    }
}

fn resource_group(x: &mut Xml, plan: &Plan<'_>) {
    let discs = plan.discs();
    x.open("ResourceGroup", &[]);
    if let [disc] = discs.as_slice() {
        x.leaf("SequenceNumber", &disc.to_string());
        content_items(x, &plan.disc_tracks(*disc));
    } else {
        for disc in &discs {
            x.open("ResourceGroup", &[("ResourceGroupType", "Component")]);
            x.leaf("SequenceNumber", &disc.to_string());
            content_items(x, &plan.disc_tracks(*disc));
            x.close("ResourceGroup");
        }
    }
    if let Some((image_ref, _)) = &plan.image_ref {
        x.leaf("LinkedReleaseResourceReference", image_ref);
    }
    x.close("ResourceGroup");
}

/// The DealList both ERN versions write: album deals on R0, then one ReleaseDeal per group of
/// track releases sharing their deals; `release_deal` writes one in the version's shape.
pub(crate) fn deal_list(x: &mut Xml, plan: &Plan<'_>, release_deal: fn(&mut Xml, &[&str], &[DealSpec])) {
    let groups = plan.grouped_track_deals();
    if plan.album_deals.is_empty() && groups.is_empty() {
        // ERN 4: no DealList is "no deal", i.e. nothing is available.
        return;
    }
    x.open("DealList", &[]);
    if !plan.album_deals.is_empty() {
        release_deal(x, &["R0"], &plan.album_deals);
    }
    for (refs, deals) in groups {
        release_deal(x, &refs, deals);
    }
    x.close("DealList");
}

fn release_deal(x: &mut Xml, refs: &[&str], deals: &[DealSpec]) {
    x.open("ReleaseDeal", &[]);
    for r in refs {
        x.leaf("DealReleaseReference", r);
    }
    for d in deals {
        if let Some(pre) = d.preorder_start {
            deal(x, d, pre, Some(crate::plan::day_before(d.start, 1)), true);
        }
        deal(x, d, d.start, d.end, false);
    }
    x.close("ReleaseDeal");
}

fn deal(x: &mut Xml, d: &DealSpec, start: time::Date, end: Option<time::Date>, preorder: bool) {
    x.open("Deal", &[]);
    x.open("DealTerms", &[]);
    match &d.territories {
        Territories::Include(list) => list.iter().for_each(|c| x.leaf("TerritoryCode", c)),
        Territories::WorldwideExcept(list) if list.is_empty() => x.leaf("TerritoryCode", "Worldwide"),
        // The 4.3 schema offers TerritoryCode or ExcludedTerritoryCode, not both; excluded
        // codes alone mean "worldwide except".
        Territories::WorldwideExcept(list) => list.iter().for_each(|c| x.leaf("ExcludedTerritoryCode", c)),
    }
    x.open("ValidityPeriod", &[]);
    x.leaf("StartDate", &format_date(start));
    if let Some(end) = end {
        x.leaf("EndDate", &format_date(end));
    }
    x.close("ValidityPeriod");
    d.models.iter().for_each(|m| x.leaf("CommercialModelType", m));
    d.uses.iter().for_each(|u| x.leaf("UseType", u));
    if preorder {
        x.leaf("IsPreOrderDeal", "true");
    }
    x.close("DealTerms");
    x.close("Deal");
}
