//! ERN 3.8.2 serialisation of a [`Plan`]. Element order follows `ern382/release-notification.xsd`
//! and DDEX's `Profile_AudioAlbumMusicOnly.xml`. Metadata is one `Worldwide`
//! `...DetailsByTerritory` block: availability lives in deals only.

use catno_domain::{LocalizedTitle, ParentalAdvisory, ReleaseType};

use crate::error::DdexError;
use crate::input::ReleaseMessageInput;
use crate::plan::{
    Credit, DealSpec, Plan, Territories, TrackPlan, format_date, format_duration, rights_line_text,
    role_attrs, title_with_version,
};
use crate::roles::RoleSlot;
use crate::xml::Xml;

const NS: &str = "http://ddex.net/xml/ern/382";
const SCHEMA_LOCATION: &str =
    "http://ddex.net/xml/ern/382 http://ddex.net/xml/ern/382/release-notification.xsd";
const VERSION_ID: &str = "ern/382";

pub(crate) fn new_release_message(plan: &Plan<'_>) -> Result<String, DdexError> {
    let mut x = Xml::new();
    x.open(
        "ern:NewReleaseMessage",
        &[
            ("xmlns:ern", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
            ("MessageSchemaVersionId", VERSION_ID),
            ("ReleaseProfileVersionId", &plan.profile.release_profile),
            ("LanguageAndScriptCode", plan.language()),
        ],
    );
    header(&mut x, plan.input);
    x.leaf("UpdateIndicator", if plan.input.header.update { "UpdateMessage" } else { "OriginalMessage" });
    resource_list(&mut x, plan);
    release_list(&mut x, plan);
    crate::ern43::deal_list(&mut x, plan, release_deal);
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
            ("MessageSchemaVersionId", VERSION_ID),
            ("LanguageAndScriptCode", input.release.metadata_language.as_deref().unwrap_or("en")),
        ],
    );
    header(&mut x, input);
    x.open("PurgedRelease", &[]);
    x.open("ReleaseId", &[]);
    icpn(&mut x, upc.as_str());
    x.close("ReleaseId");
    x.open("Title", &[]);
    x.leaf("TitleText", &input.release.title);
    x.close("Title");
    x.close("PurgedRelease");
    x.close("ern:PurgeReleaseMessage");
    x.finish()
}

fn icpn(x: &mut Xml, upc: &str) {
    x.leaf_with("ICPN", &[("IsEan", if upc.len() == 12 { "false" } else { "true" })], upc);
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

fn parental(advisory: ParentalAdvisory) -> &'static str {
    match advisory {
        ParentalAdvisory::Unknown => "NoAdviceAvailable",
        other => other.as_str(),
    }
}

fn titles(x: &mut Xml, title: &str, version: Option<&str>, localized: &[LocalizedTitle]) {
    let full = title_with_version(title, version);
    for kind in ["FormalTitle", "DisplayTitle"] {
        x.open("Title", &[("TitleType", kind)]);
        x.leaf("TitleText", &full);
        x.close("Title");
    }
    for l in localized {
        x.open("Title", &[("LanguageAndScriptCode", &l.language), ("TitleType", "DisplayTitle")]);
        x.leaf("TitleText", &l.title);
        x.close("Title");
    }
}

fn reference_title(x: &mut Xml, title: &str, version: Option<&str>) {
    x.open("ReferenceTitle", &[]);
    x.leaf("TitleText", title);
    x.opt_leaf("SubTitle", version.filter(|v| !v.trim().is_empty()));
    x.close("ReferenceTitle");
}

fn party_name(x: &mut Xml, plan: &Plan<'_>, party: usize) {
    let p = &plan.parties[party];
    x.open("PartyName", &[]);
    x.leaf("FullName", &p.name);
    x.close("PartyName");
    for l in &p.localized {
        x.open("PartyName", &[("LanguageAndScriptCode", &l.language)]);
        x.leaf("FullName", &l.title);
        x.close("PartyName");
    }
}

fn display_artists(x: &mut Xml, plan: &Plan<'_>, credits: &[Credit]) {
    for (n, c) in credits.iter().enumerate() {
        let RoleSlot::DisplayArtist(role) = c.slot else { continue };
        let seq = (n + 1).to_string();
        x.open("DisplayArtist", &[("SequenceNumber", &seq)]);
        party_name(x, plan, c.party);
        x.leaf("ArtistRole", role);
        x.close("DisplayArtist");
    }
}

fn file(x: &mut Xml, plan: &Plan<'_>, name: &str, md5: &str) {
    x.open("File", &[]);
    x.leaf("FileName", name);
    x.leaf("FilePath", "resources/");
    x.open("HashSum", &[]);
    x.leaf("HashSum", md5);
    x.leaf("HashSumAlgorithmType", plan.profile.hash_algorithm.as_ddex());
    x.close("HashSum");
    x.close("File");
}

fn p_line(x: &mut Xml, plan: &Plan<'_>) {
    if let Some(p) = &plan.input.release.p_line {
        x.open("PLine", &[]);
        x.leaf("Year", &p.year.to_string());
        x.leaf("PLineText", &rights_line_text("℗", p));
        x.close("PLine");
    }
}

fn c_line(x: &mut Xml, plan: &Plan<'_>) {
    if let Some(c) = &plan.input.release.c_line {
        x.open("CLine", &[]);
        x.leaf("Year", &c.year.to_string());
        x.leaf("CLineText", &rights_line_text("©", c));
        x.close("CLine");
    }
}

fn genre(x: &mut Xml, plan: &Plan<'_>) {
    x.open("Genre", &[]);
    x.leaf("GenreText", &plan.genre);
    x.opt_leaf("SubGenre", plan.input.release.subgenre.as_deref().filter(|s| !s.trim().is_empty()));
    x.close("Genre");
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
        x.leaf("ImageType", "FrontCoverImage");
        x.open("ImageId", &[]);
        x.leaf_with("ProprietaryId", &[("Namespace", &ns)], &format!("{}_FrontCoverImage", plan.upc));
        x.close("ImageId");
        x.leaf("ResourceReference", resource_ref);
        x.open("ImageDetailsByTerritory", &[]);
        x.leaf("TerritoryCode", "Worldwide");
        c_line(x, plan);
        x.leaf("ParentalWarningType", parental(release.parental_advisory));
        x.open("TechnicalImageDetails", &[]);
        x.leaf("TechnicalResourceDetailsReference", technical_ref);
        x.leaf("ImageCodecType", art.codec.as_ddex());
        x.leaf_with("ImageHeight", &[("UnitOfMeasure", "Pixel")], &art.height.to_string());
        x.leaf_with("ImageWidth", &[("UnitOfMeasure", "Pixel")], &art.width.to_string());
        file(x, plan, &art.file_name, &art.md5);
        x.close("TechnicalImageDetails");
        x.close("ImageDetailsByTerritory");
        x.close("Image");
    }
    x.close("ResourceList");
}

fn sound_recording(x: &mut Xml, plan: &Plan<'_>, t: &TrackPlan<'_>, ns: &str) {
    let track = t.track();
    x.open("SoundRecording", &[]);
    x.leaf("SoundRecordingType", "MusicalWorkSoundRecording");
    x.open("SoundRecordingId", &[]);
    x.leaf("ISRC", &t.isrc);
    for (namespace, value) in &t.proprietary_ids {
        x.leaf_with("ProprietaryId", &[("Namespace", namespace)], value);
    }
    x.close("SoundRecordingId");
    x.leaf("ResourceReference", &t.resource_ref);
    reference_title(x, &track.title, track.version.as_deref());
    x.leaf("Duration", &format_duration(t.duration_ms));
    x.open("SoundRecordingDetailsByTerritory", &[]);
    x.leaf("TerritoryCode", "Worldwide");
    titles(x, &track.title, track.version.as_deref(), &track.localized_titles);
    display_artists(x, plan, &t.display);
    let mut seq = 0;
    for c in &t.contributors {
        let RoleSlot::Contributor(value) = c.slot else { continue };
        seq += 1;
        x.open("ResourceContributor", &[("SequenceNumber", &seq.to_string())]);
        party_name(x, plan, c.party);
        let (text, attrs) = role_attrs(&value, ns);
        x.leaf_with("ResourceContributorRole", &attrs, text);
        x.close("ResourceContributor");
    }
    let mut seq = 0;
    for c in &t.contributors {
        let RoleSlot::Indirect(value) = c.slot else { continue };
        seq += 1;
        x.open("IndirectResourceContributor", &[("SequenceNumber", &seq.to_string())]);
        party_name(x, plan, c.party);
        let (text, attrs) = role_attrs(&value, ns);
        x.leaf_with("IndirectResourceContributorRole", &attrs, text);
        x.close("IndirectResourceContributor");
    }
    x.leaf("DisplayArtistName", &track.display_artist);
    x.leaf("LabelName", &plan.input.release.label_name);
    p_line(x, plan);
    genre(x, plan);
    x.leaf("ParentalWarningType", if track.explicit { "Explicit" } else { "NotExplicit" });
    if let Some(audio) = &t.input.audio {
        x.open("TechnicalSoundRecordingDetails", &[]);
        x.leaf("TechnicalResourceDetailsReference", &t.technical_ref);
        x.leaf("AudioCodecType", audio.codec.as_ddex());
        x.leaf("NumberOfChannels", &audio.channels.to_string());
        x.leaf_with("SamplingRate", &[("UnitOfMeasure", "Hz")], &audio.sample_rate.to_string());
        x.leaf("BitsPerSample", &audio.bit_depth.to_string());
        x.leaf("Duration", &format_duration(audio.duration_ms));
        file(x, plan, &audio.file_name, &audio.md5);
        x.close("TechnicalSoundRecordingDetails");
    }
    x.close("SoundRecordingDetailsByTerritory");
    x.close("SoundRecording");
}

fn release_type(x: &mut Xml, rt: ReleaseType, ns: &str) {
    match rt {
        ReleaseType::Compilation => x.leaf_with(
            "ReleaseType",
            &[("Namespace", ns), ("UserDefinedValue", "Compilation")],
            "UserDefined",
        ),
        other => x.leaf("ReleaseType", other.as_str()),
    }
}

fn resource_item(x: &mut Xml, seq: u32, kind: &str, reference: &str, role: &str) {
    x.open("ResourceGroupContentItem", &[]);
    x.leaf("SequenceNumber", &seq.to_string());
    x.leaf("ResourceType", kind);
    x.leaf_with("ReleaseResourceReference", &[("ReleaseResourceType", role)], reference);
    x.close("ResourceGroupContentItem");
}

fn release_list(x: &mut Xml, plan: &Plan<'_>) {
    let release = &plan.input.release;
    let ns = plan.namespace();
    x.open("ReleaseList", &[]);

    x.open("Release", &[("IsMainRelease", "true")]);
    x.open("ReleaseId", &[]);
    icpn(x, &plan.upc);
    if let Some(cat) = &release.catalog_number {
        x.leaf_with("CatalogNumber", &[("Namespace", &ns)], cat);
    }
    x.close("ReleaseId");
    x.leaf("ReleaseReference", "R0");
    reference_title(x, &release.title, release.version.as_deref());
    x.open("ReleaseResourceReferenceList", &[]);
    for t in &plan.tracks {
        x.leaf_with(
            "ReleaseResourceReference",
            &[("ReleaseResourceType", "PrimaryResource")],
            &t.resource_ref,
        );
    }
    if let Some((image_ref, _)) = &plan.image_ref {
        x.leaf_with("ReleaseResourceReference", &[("ReleaseResourceType", "SecondaryResource")], image_ref);
    }
    x.close("ReleaseResourceReferenceList");
    release_type(x, release.release_type, &ns);
    x.open("ReleaseDetailsByTerritory", &[]);
    x.leaf("TerritoryCode", "Worldwide");
    x.leaf("DisplayArtistName", &release.display_artist);
    x.leaf("LabelName", &release.label_name);
    titles(x, &release.title, release.version.as_deref(), &release.localized_titles);
    display_artists(x, plan, &plan.release_display);
    if release.release_type == ReleaseType::Compilation {
        x.leaf("IsMultiArtistCompilation", "true");
    }
    x.leaf("ParentalWarningType", parental(release.parental_advisory));
    x.open("ResourceGroup", &[]);
    for disc in plan.discs() {
        x.open("ResourceGroup", &[]);
        x.leaf("SequenceNumber", &disc.to_string());
        for t in plan.disc_tracks(disc) {
            resource_item(x, t.input.number, "SoundRecording", &t.resource_ref, "PrimaryResource");
        }
        x.close("ResourceGroup");
    }
    if let Some((image_ref, _)) = &plan.image_ref {
        resource_item(x, 1, "Image", image_ref, "SecondaryResource");
    }
    x.close("ResourceGroup");
    genre(x, plan);
    x.opt_leaf("ReleaseDate", release.release_date.as_deref());
    x.opt_leaf("OriginalReleaseDate", release.original_release_date.as_deref());
    x.close("ReleaseDetailsByTerritory");
    x.leaf("Duration", &format_duration(plan.total_duration_ms()));
    p_line(x, plan);
    c_line(x, plan);
    x.opt_leaf("GlobalOriginalReleaseDate", release.original_release_date.as_deref());
    x.close("Release");

    for t in &plan.tracks {
        let track = t.track();
        x.open("Release", &[]);
        x.open("ReleaseId", &[]);
        x.leaf("ISRC", &t.isrc);
        x.leaf_with("ProprietaryId", &[("Namespace", &ns)], &format!("{}_{}", plan.upc, t.isrc));
        x.close("ReleaseId");
        x.leaf("ReleaseReference", &t.release_ref);
        reference_title(x, &track.title, track.version.as_deref());
        x.open("ReleaseResourceReferenceList", &[]);
        x.leaf_with(
            "ReleaseResourceReference",
            &[("ReleaseResourceType", "PrimaryResource")],
            &t.resource_ref,
        );
        x.close("ReleaseResourceReferenceList");
        x.leaf("ReleaseType", "TrackRelease");
        x.open("ReleaseDetailsByTerritory", &[]);
        x.leaf("TerritoryCode", "Worldwide");
        x.leaf("DisplayArtistName", &track.display_artist);
        x.leaf("LabelName", &release.label_name);
        titles(x, &track.title, track.version.as_deref(), &track.localized_titles);
        display_artists(x, plan, &t.display);
        x.leaf("ParentalWarningType", if track.explicit { "Explicit" } else { "NotExplicit" });
        x.open("ResourceGroup", &[]);
        resource_item(x, 1, "SoundRecording", &t.resource_ref, "PrimaryResource");
        x.close("ResourceGroup");
        genre(x, plan);
        x.close("ReleaseDetailsByTerritory");
        x.leaf("Duration", &format_duration(t.duration_ms));
        p_line(x, plan);
        x.close("Release");
    }
    x.close("ReleaseList");
}

fn release_deal(x: &mut Xml, refs: &[&str], deals: &[DealSpec]) {
    x.open("ReleaseDeal", &[]);
    for r in refs {
        x.leaf("DealReleaseReference", r);
    }
    for d in deals {
        x.open("Deal", &[]);
        x.open("DealTerms", &[]);
        if d.preorder_start.is_some() {
            x.leaf("IsPreOrderDeal", "true");
        }
        d.models.iter().for_each(|m| x.leaf("CommercialModelType", m));
        x.open("Usage", &[]);
        d.uses.iter().for_each(|u| x.leaf("UseType", u));
        x.close("Usage");
        match &d.territories {
            Territories::Include(list) => list.iter().for_each(|c| x.leaf("TerritoryCode", c)),
            Territories::WorldwideExcept(list) if list.is_empty() => x.leaf("TerritoryCode", "Worldwide"),
            // 3.8.2 offers TerritoryCode or ExcludedTerritoryCode; excluded alone means
            // "worldwide except" (and `ExcludedTerritoryCode Worldwide` is never written).
            Territories::WorldwideExcept(list) => {
                list.iter().for_each(|c| x.leaf("ExcludedTerritoryCode", c))
            }
        }
        x.open("ValidityPeriod", &[]);
        x.leaf("StartDate", &format_date(d.preorder_start.unwrap_or(d.start)));
        if let Some(end) = d.end {
            x.leaf("EndDate", &format_date(end));
        }
        x.close("ValidityPeriod");
        if d.preorder_start.is_some() {
            x.leaf("PreOrderReleaseDate", &format_date(d.start));
        }
        x.close("DealTerms");
        x.close("Deal");
    }
    x.close("ReleaseDeal");
}
