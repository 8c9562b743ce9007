//! ERN 4.3 import: reads a `NewReleaseMessage` back into a [`ReleaseMessageInput`]. Scope is
//! what Catno itself writes (round trip: generating from the import gives the same bytes);
//! catalog ids that a message does not carry are rebuilt from message positions (artist and
//! writer ids are PartyList positions, track ids are resource positions), and role values
//! shared by performers and writers (`Composer`, `Lyricist`, `Arranger`) come back as writers.

use catno_domain::{
    Artist, Contributor, DspArtistId, DspPlatform, Isrc, LocalizedTitle, ParentalAdvisory, Release,
    ReleaseType, RightsLine, Track, Upc, WorkflowStatus, Writer, WriterRole,
};
use catno_rights::{
    CommercialModelType, DdexDeal, DdexDeals, DealTerritories, StoreId, Territory, TrackDeals, TrackKey,
    UseType,
};

use crate::dom::{self, Element};
use crate::error::DdexError;
use crate::input::{
    AudioCodec, AudioTechnical, ImageCodec, ImageTechnical, MessageHeaderInput, ReleaseMessageInput,
    TrackInput,
};
use crate::plan::parse_date;
use crate::roles::contributor_role_from_43;

fn err(message: impl Into<String>) -> DdexError {
    DdexError::Parse { context: "ERN 4.3 import".to_owned(), message: message.into() }
}

fn text<'a>(el: &'a Element, name: &str) -> Result<&'a str, DdexError> {
    el.child_text(name).map(str::trim).ok_or_else(|| err(format!("{} has no {name}", el.name)))
}

fn opt_text(el: &Element, name: &str) -> Option<String> {
    el.child_text(name).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn number<T: std::str::FromStr>(el: &Element, name: &str) -> Result<T, DdexError> {
    text(el, name)?.parse().map_err(|_| err(format!("{} {name} is not a number", el.name)))
}

/// `PT1H2M3S` -> milliseconds.
pub(crate) fn duration_ms(raw: &str) -> Result<u64, DdexError> {
    let bad = || err(format!("{raw:?} is not a duration"));
    let body = raw.strip_prefix("PT").ok_or_else(bad)?;
    let (mut total, mut digits) = (0f64, String::new());
    for c in body.chars() {
        match c {
            '0'..='9' | '.' => digits.push(c),
            'H' | 'M' | 'S' => {
                let value: f64 = digits.parse().map_err(|_| bad())?;
                total += value
                    * if c == 'H' {
                        3600.0
                    } else if c == 'M' {
                        60.0
                    } else {
                        1.0
                    };
                digits.clear();
            }
            _ => return Err(bad()),
        }
    }
    // A non-negative duration in whole milliseconds; `as` saturates, it cannot wrap.
    Ok((total * 1000.0).round() as u64)
}

struct Party {
    reference: String,
    number: i64,
    name: String,
    localized: Vec<LocalizedTitle>,
    isni: Option<String>,
    dpid: Option<String>,
}

struct Titles {
    title: String,
    version: Option<String>,
    localized: Vec<LocalizedTitle>,
}

fn titles(el: &Element) -> Result<Titles, DdexError> {
    let mut out = Titles { title: String::new(), version: None, localized: Vec::new() };
    for t in el.children_named("DisplayTitle") {
        match t.attr("LanguageAndScriptCode") {
            Some(lang) => out
                .localized
                .push(LocalizedTitle { language: lang.to_owned(), title: text(t, "TitleText")?.to_owned() }),
            None => {
                out.title = text(t, "TitleText")?.to_owned();
                out.version = t
                    .children_named("SubTitle")
                    .find(|s| s.attr("SubTitleType") == Some("Version"))
                    .map(|s| s.text.trim().to_owned());
            }
        }
    }
    if out.title.is_empty() {
        return Err(err(format!("{} has no default DisplayTitle", el.name)));
    }
    Ok(out)
}

fn party<'a>(parties: &'a [Party], reference: &str) -> Result<&'a Party, DdexError> {
    parties
        .iter()
        .find(|p| p.reference == reference)
        .ok_or_else(|| err(format!("party {reference} is not in the PartyList")))
}

fn display_credits(
    el: &Element,
    parties: &[Party],
    next_id: &mut i64,
) -> Result<Vec<Contributor>, DdexError> {
    let mut out = Vec::new();
    for d in el.children_named("DisplayArtist") {
        let p = party(parties, text(d, "ArtistPartyReference")?)?;
        let role = contributor_role_from_43(text(d, "DisplayArtistRole")?, None)
            .ok_or_else(|| err("unknown DisplayArtistRole"))?;
        *next_id += 1;
        out.push(Contributor {
            id: *next_id,
            artist_id: p.number,
            artist_name: p.name.clone(),
            role,
            sequence: 0,
        });
    }
    Ok(out)
}

fn file(el: &Element) -> Result<(String, String), DdexError> {
    let f = el.child("File").ok_or_else(|| err(format!("{} has no File", el.name)))?;
    let uri = text(f, "URI")?;
    let md5 =
        f.child("HashSum").and_then(|h| h.child_text("HashSumValue")).map(str::trim).unwrap_or_default();
    Ok((uri.strip_prefix("resources/").unwrap_or(uri).to_owned(), md5.to_owned()))
}

fn rights_line(el: Option<&Element>, text_name: &str, symbol: &str) -> Result<Option<RightsLine>, DdexError> {
    let Some(el) = el else { return Ok(None) };
    let year: u16 = number(el, "Year")?;
    let line = text(el, text_name)?;
    let prefix = format!("{symbol} {year} ");
    let holder = line.strip_prefix(&prefix).unwrap_or(line).to_owned();
    Ok(Some(RightsLine { year, holder }))
}

fn territories(terms: &Element) -> Result<DealTerritories, DdexError> {
    let parse = |name: &str| -> Result<Vec<Territory>, DdexError> {
        terms
            .children_named(name)
            .map(|t| Territory::parse(t.text.trim()).map_err(|e| err(e.to_string())))
            .collect()
    };
    let included: Vec<&str> = terms.children_named("TerritoryCode").map(|t| t.text.trim()).collect();
    if included == ["Worldwide"] {
        return Ok(DealTerritories::WorldwideExcept(Vec::new()));
    }
    if included.is_empty() {
        return Ok(DealTerritories::WorldwideExcept(parse("ExcludedTerritoryCode")?));
    }
    Ok(DealTerritories::Include(parse("TerritoryCode")?))
}

fn deals(release_deal: &Element) -> Result<Vec<DdexDeal>, DdexError> {
    let models = [
        CommercialModelType::SubscriptionModel,
        CommercialModelType::AdvertisementSupportedModel,
        CommercialModelType::PayAsYouGoModel,
        CommercialModelType::RightsClaimModel,
    ];
    let uses = [
        UseType::OnDemandStream,
        UseType::NonInteractiveStream,
        UseType::PermanentDownload,
        UseType::UserMakeAvailableUserProvided,
    ];
    let mut out: Vec<DdexDeal> = Vec::new();
    let mut preorder = None;
    for deal in release_deal.children_named("Deal") {
        let terms = deal.child("DealTerms").ok_or_else(|| err("Deal has no DealTerms"))?;
        let period = terms.child("ValidityPeriod").ok_or_else(|| err("DealTerms has no ValidityPeriod"))?;
        let start = parse_date(text(period, "StartDate")?).map_err(err)?;
        // Catno writes a pre-order as its own deal just before the deal it opens.
        if terms.child_text("IsPreOrderDeal").map(str::trim) == Some("true") {
            preorder = Some(start);
            continue;
        }
        let end = opt_text(period, "EndDate").map(|e| parse_date(&e)).transpose().map_err(err)?;
        let commercial_models = terms
            .children_named("CommercialModelType")
            .map(|m| {
                models
                    .into_iter()
                    .find(|x| x.as_str() == m.text.trim())
                    .ok_or_else(|| err(format!("unsupported CommercialModelType {}", m.text.trim())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let use_types = terms
            .children_named("UseType")
            .map(|u| {
                uses.into_iter()
                    .find(|x| x.as_str() == u.text.trim())
                    .ok_or_else(|| err(format!("unsupported UseType {}", u.text.trim())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(DdexDeal {
            commercial_models,
            use_types,
            territories: territories(terms)?,
            start: Some(start),
            end,
            preorder_start: preorder.take(),
        });
    }
    Ok(out)
}

/// Reads an ERN 4.3 `NewReleaseMessage` (as written by [`crate::generate`]) back into input.
pub fn import_ern43(xml: &str) -> Result<ReleaseMessageInput, DdexError> {
    let arena = bumpalo::Bump::new();
    let root = dom::parse(xml, &arena)?;
    if root.name != "NewReleaseMessage"
        || root.attr("AvsVersionId").is_none()
        || root.attr("MessageSchemaVersionId").is_some()
    {
        return Err(err("not an ERN 4.3 NewReleaseMessage"));
    }
    let h = root.child("MessageHeader").ok_or_else(|| err("no MessageHeader"))?;
    let messaging = |tag: &str| -> Result<(String, String), DdexError> {
        let p = h.child(tag).ok_or_else(|| err(format!("no {tag}")))?;
        Ok((
            text(p, "PartyId")?.to_owned(),
            p.at(&["PartyName", "FullName"]).map(|n| n.text.trim().to_owned()).unwrap_or_default(),
        ))
    };
    let (sender_dpid, sender_name) = messaging("MessageSender")?;
    let (recipient_dpid, recipient_name) = messaging("MessageRecipient")?;
    let header = MessageHeaderInput {
        sender_dpid,
        sender_name,
        recipient_dpid,
        recipient_name,
        message_id: text(h, "MessageId")?.to_owned(),
        created: text(h, "MessageCreatedDateTime")?.to_owned(),
        test: h.child_text("MessageControlType").map(str::trim) == Some("TestMessage"),
        update: false,
    };

    let mut parties = Vec::new();
    for (i, p) in root.child("PartyList").into_iter().flat_map(|l| l.children_named("Party")).enumerate() {
        let mut name = String::new();
        let mut localized = Vec::new();
        for n in p.children_named("PartyName") {
            let full = text(n, "FullName")?.to_owned();
            match n.attr("LanguageAndScriptCode") {
                Some(lang) => localized.push(LocalizedTitle { language: lang.to_owned(), title: full }),
                None => name = full,
            }
        }
        let id = p.child("PartyId");
        parties.push(Party {
            reference: text(p, "PartyReference")?.to_owned(),
            number: i64::try_from(i + 1).map_err(|_| err("too many parties"))?,
            name,
            localized,
            isni: id.and_then(|id| opt_text(id, "ISNI")),
            dpid: id.and_then(|id| opt_text(id, "DPID")),
        });
    }

    let resources = root.child("ResourceList").ok_or_else(|| err("no ResourceList"))?;
    let mut next_id = 0;
    let mut tracks = Vec::new();
    let mut resource_refs = Vec::new();
    let mut used_artists: Vec<i64> = Vec::new();
    for (i, sr) in resources.children_named("SoundRecording").enumerate() {
        let edition = sr
            .child("SoundRecordingEdition")
            .ok_or_else(|| err("SoundRecording has no SoundRecordingEdition"))?;
        let isrc = edition
            .at(&["ResourceId", "ISRC"])
            .map(|e| Isrc::parse(e.text.trim()))
            .transpose()
            .map_err(|e| err(e.to_string()))?;
        let t = titles(sr)?;
        let mut contributors = display_credits(sr, &parties, &mut next_id)?;
        let mut writers = Vec::new();
        for c in sr.children_named("Contributor") {
            let p = party(&parties, text(c, "ContributorPartyReference")?)?;
            let role_el = c.child("Role").ok_or_else(|| err("Contributor has no Role"))?;
            let value = role_el.text.trim();
            if let Some(role) = WriterRole::parse(value).filter(|_| value != "UserDefined") {
                writers.push(Writer {
                    id: p.number,
                    name: p.name.clone(),
                    role,
                    publisher: None,
                    share_basis_points: 0,
                });
                continue;
            }
            let role = contributor_role_from_43(value, role_el.attr("UserDefinedValue"))
                .ok_or_else(|| err(format!("unknown contributor role {value}")))?;
            next_id += 1;
            contributors.push(Contributor {
                id: next_id,
                artist_id: p.number,
                artist_name: p.name.clone(),
                role,
                sequence: 0,
            });
        }
        for (n, c) in contributors.iter_mut().enumerate() {
            c.sequence = i64::try_from(n + 1).unwrap_or(i64::MAX);
            used_artists.push(c.artist_id);
        }
        let audio = match edition.at(&["TechnicalDetails", "DeliveryFile"]) {
            Some(f) => {
                let (file_name, md5) = file(f)?;
                Some(AudioTechnical {
                    file_name,
                    md5,
                    codec: AudioCodec::parse_ddex(text(f, "AudioCodecType")?)
                        .ok_or_else(|| err("unsupported AudioCodecType"))?,
                    bit_depth: number(f, "BitsPerSample")?,
                    sample_rate: number(f, "SamplingRate")?,
                    channels: number(f, "NumberOfChannels")?,
                    duration_ms: duration_ms(text(f, "Duration")?)?,
                })
            }
            None => None,
        };
        let id = i64::try_from(i + 1).map_err(|_| err("too many tracks"))?;
        let track = Track {
            id,
            isrc,
            title: t.title,
            version: t.version,
            display_artist: text(sr, "DisplayArtistName")?.to_owned(),
            localized_titles: t.localized,
            duration_ms: Some(
                i64::try_from(duration_ms(text(sr, "Duration")?)?).map_err(|_| err("duration too long"))?,
            ),
            explicit: sr.child_text("ParentalWarningType").map(str::trim) == Some("Explicit"),
            audio_language: opt_text(sr, "LanguageOfPerformance"),
            contributors,
            writers,
            updated_at: String::new(),
        };
        resource_refs.push(text(sr, "ResourceReference")?.to_owned());
        tracks.push(TrackInput { track, disc: 1, number: u32::try_from(i + 1).unwrap_or(u32::MAX), audio });
    }
    let artwork = match resources.child("Image").and_then(|img| img.child("TechnicalDetails")) {
        Some(td) => {
            let (file_name, md5) = file(td)?;
            Some(ImageTechnical {
                file_name,
                md5,
                width: number(td, "ImageWidth")?,
                height: number(td, "ImageHeight")?,
                codec: ImageCodec::parse_ddex(text(td, "ImageCodecType")?)
                    .ok_or_else(|| err("unsupported ImageCodecType"))?,
            })
        }
        None => None,
    };

    let list = root.child("ReleaseList").ok_or_else(|| err("no ReleaseList"))?;
    let main = list.child("Release").ok_or_else(|| err("no main Release"))?;
    let rt = main.child("ReleaseType").ok_or_else(|| err("Release has no ReleaseType"))?;
    let release_type = match (rt.text.trim(), rt.attr("UserDefinedValue")) {
        ("UserDefined", Some("Compilation")) => ReleaseType::Compilation,
        (other, _) => {
            ReleaseType::parse(other).ok_or_else(|| err(format!("unsupported ReleaseType {other}")))?
        }
    };
    let t = titles(main)?;
    let mut release_artists = display_credits(main, &parties, &mut next_id)?;
    for (n, c) in release_artists.iter_mut().enumerate() {
        c.sequence = i64::try_from(n + 1).unwrap_or(i64::MAX);
        used_artists.push(c.artist_id);
    }
    let label = party(&parties, text(main, "ReleaseLabelReference")?)?;
    let genre = main.child("Genre").ok_or_else(|| err("Release has no Genre"))?;
    let parental = match main.child_text("ParentalWarningType").map(str::trim) {
        Some("NoAdviceAvailable") | None => ParentalAdvisory::Unknown,
        Some(other) => ParentalAdvisory::parse(other)
            .ok_or_else(|| err(format!("unsupported ParentalWarningType {other}")))?,
    };
    let release = Release {
        id: 0,
        label_id: 0,
        label_name: label.name.clone(),
        title: t.title,
        version: t.version,
        display_artist: text(main, "DisplayArtistName")?.to_owned(),
        localized_titles: t.localized,
        release_type,
        upc: main
            .at(&["ReleaseId", "ICPN"])
            .map(|e| Upc::parse(e.text.trim()))
            .transpose()
            .map_err(|e| err(e.to_string()))?,
        catalog_number: main.child("ReleaseId").and_then(|id| opt_text(id, "CatalogNumber")),
        p_line: rights_line(main.child("PLine"), "PLineText", "℗")?,
        c_line: rights_line(main.child("CLine"), "CLineText", "©")?,
        genre: opt_text(genre, "GenreText"),
        subgenre: opt_text(genre, "SubGenre"),
        release_date: opt_text(main, "ReleaseDate"),
        original_release_date: opt_text(main, "OriginalReleaseDate"),
        parental_advisory: parental,
        metadata_language: root.attr("LanguageAndScriptCode").map(str::to_owned),
        status: WorkflowStatus::Draft,
        artists: release_artists,
        updated_at: String::new(),
    };

    // Disc and track numbers come from the (possibly nested) resource group.
    let group = main.child("ResourceGroup").ok_or_else(|| err("Release has no ResourceGroup"))?;
    let nested: Vec<&Element> = group.children_named("ResourceGroup").collect();
    let discs: Vec<&Element> = if nested.is_empty() { vec![group] } else { nested };
    for disc in discs {
        let disc_number: u32 = number(disc, "SequenceNumber")?;
        for item in disc.children_named("ResourceGroupContentItem") {
            let reference = text(item, "ReleaseResourceReference")?;
            let i = resource_refs
                .iter()
                .position(|r| r == reference)
                .ok_or_else(|| err(format!("{reference} is not a sound recording")))?;
            let t = tracks.get_mut(i).ok_or_else(|| err("resource index"))?;
            t.disc = disc_number;
            t.number = number(item, "SequenceNumber")?;
        }
    }

    let mut release_refs = vec![("R0".to_owned(), None)];
    for tr in list.children_named("TrackRelease") {
        let reference = text(tr, "ReleaseResourceReference")?;
        let i = resource_refs
            .iter()
            .position(|r| r == reference)
            .ok_or_else(|| err(format!("{reference} is not a sound recording")))?;
        release_refs.push((text(tr, "ReleaseReference")?.to_owned(), Some(i)));
    }
    let mut all = DdexDeals {
        store: StoreId::parse(
            &header.recipient_name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        )
        .or_else(|_| StoreId::parse("imported"))
        .map_err(|e| err(e.to_string()))?,
        release_deals: Vec::new(),
        track_deals: tracks
            .iter()
            .map(|t| TrackDeals { track: TrackKey(t.track.id), deals: Vec::new() })
            .collect(),
        notes: Vec::new(),
    };
    for rd in root.child("DealList").into_iter().flat_map(|l| l.children_named("ReleaseDeal")) {
        let list = deals(rd)?;
        for r in rd.children_named("DealReleaseReference") {
            match release_refs.iter().find(|(reference, _)| reference == r.text.trim()) {
                Some((_, None)) => all.release_deals.extend(list.iter().cloned()),
                Some((_, Some(i))) => {
                    if let Some(entry) = all.track_deals.get_mut(*i) {
                        entry.deals.extend(list.iter().cloned());
                    }
                }
                None => return Err(err(format!("deal names unknown release {}", r.text.trim()))),
            }
        }
    }
    all.track_deals.retain(|t| !t.deals.is_empty());

    used_artists.sort_unstable();
    used_artists.dedup();
    let artists = parties
        .iter()
        .filter(|p| used_artists.contains(&p.number))
        .map(|p| Artist {
            id: p.number,
            name: p.name.clone(),
            localized_names: p.localized.clone(),
            dsp_ids: p
                .isni
                .iter()
                .map(|v| DspArtistId { platform: DspPlatform::Isni, value: v.clone() })
                .collect(),
        })
        .collect();

    Ok(ReleaseMessageInput {
        header,
        release,
        tracks,
        artwork,
        deals: all,
        label_dpid: label.dpid.clone(),
        artists,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() -> Result<(), DdexError> {
        assert_eq!(duration_ms("PT3M35S")?, 215_000);
        assert_eq!(duration_ms("PT1H2M5S")?, 3_725_000);
        assert_eq!(duration_ms("PT45.5S")?, 45_500);
        assert!(duration_ms("3:35").is_err());
        Ok(())
    }
}
