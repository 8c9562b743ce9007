//! ERN 4.x `NewReleaseMessage` reader: parties declared once in `PartyList` and referenced
//! (`P...`), sound recordings with editions, one main `Release` plus `TrackRelease`s, and
//! territory- or language-specific elements marked by attributes.

use std::collections::BTreeMap;

use catno_domain::{Artist, LocalizedTitle};

use crate::dom::Element;
use crate::import_deals::{DealTarget, read_deals};
use crate::import_ern::{
    ErnContent, ImportedRelease, ImportedTrack, Reading, RoleTarget, Titles, date_of, default_of,
    display_role, duration, empty_track, into_running_order, isrc, localized_titles, note_artist,
    p_line_from_tracks, parental, place_tracks, push_credit, push_writer, release_head, release_type,
    rights_line, role_target, text_of, trimmed,
};

struct Party {
    name: String,
    localized: Vec<LocalizedTitle>,
    isni: Option<String>,
    dpid: Option<String>,
}

/// Elements that apply worldwide (no `ApplicableTerritoryCode`, or `Worldwide`); all of them
/// when none does.
fn worldwide<'e>(el: &'e Element<'e>, name: &'e str) -> Vec<&'e Element<'e>> {
    let all: Vec<&Element> = el.children_named(name).collect();
    let ww: Vec<&Element> = all
        .iter()
        .copied()
        .filter(|e| e.attr("ApplicableTerritoryCode").is_none_or(|t| t.trim() == "Worldwide"))
        .collect();
    if ww.is_empty() { all } else { ww }
}

fn first_worldwide<'e>(el: &'e Element<'e>, name: &'e str) -> Option<&'e Element<'e>> {
    worldwide(el, name).into_iter().next()
}

fn titles(r: &Reading<'_>, el: &Element) -> Option<Titles> {
    let display = worldwide(el, "DisplayTitle");
    if let Some(main) = default_of(&display, r.language.as_deref())
        && let Some(title) = text_of(main, "TitleText")
    {
        let version = main
            .children_named("SubTitle")
            .find(|s| s.attr("SubTitleType").is_none_or(|t| t == "Version"))
            .and_then(trimmed);
        return Some(Titles {
            title,
            version,
            localized: localized_titles(&display, Some(main), Some("TitleText")),
        });
    }
    let text = worldwide(el, "DisplayTitleText");
    let main = default_of(&text, r.language.as_deref())?;
    Some(Titles {
        title: trimmed(main)?,
        version: None,
        localized: localized_titles(&text, Some(main), None),
    })
}

fn read_parties(r: &mut Reading<'_>, root: &Element) -> BTreeMap<String, Party> {
    let mut parties = BTreeMap::new();
    for p in root.child("PartyList").into_iter().flat_map(|l| l.children_named("Party")) {
        let Some(reference) = text_of(p, "PartyReference") else {
            r.error(p, "Party without PartyReference");
            continue;
        };
        let names: Vec<&Element> = p.children_named("PartyName").collect();
        let main = default_of(&names, r.language.as_deref());
        let name = main.and_then(|n| text_of(n, "FullName"));
        let id = p.child("PartyId");
        let Some(name) = name.or_else(|| id.and_then(|id| text_of(id, "DPID"))) else {
            r.warn(p, format!("party {reference} has no name"));
            continue;
        };
        parties.insert(
            reference,
            Party {
                name,
                localized: localized_titles(&names, main, Some("FullName")),
                isni: id.and_then(|id| text_of(id, "ISNI")),
                dpid: id.and_then(|id| text_of(id, "DPID")),
            },
        );
    }
    parties
}

struct Credits<'p> {
    parties: &'p BTreeMap<String, Party>,
    artists: Vec<Artist>,
}

impl Credits<'_> {
    fn name(&mut self, r: &mut Reading<'_>, el: &Element, reference: Option<String>) -> Option<String> {
        let Some(reference) = reference else {
            r.error(el, format!("{} without a party reference", el.name));
            return None;
        };
        match self.parties.get(&reference) {
            Some(p) => {
                note_artist(&mut self.artists, &p.name, &p.localized, p.isni.as_deref());
                Some(p.name.clone())
            }
            None => {
                r.error(el, format!("party {reference} is not in the PartyList"));
                None
            }
        }
    }

    fn display(&mut self, r: &mut Reading<'_>, el: &Element, out: &mut Vec<catno_domain::Contributor>) {
        let mut list: Vec<&Element> = el.children_named("DisplayArtist").collect();
        list.sort_by_key(|d| {
            d.attr("SequenceNumber").and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(u32::MAX)
        });
        for d in list {
            let Some(name) = self.name(r, d, text_of(d, "ArtistPartyReference")) else { continue };
            let role_el = d.child("DisplayArtistRole");
            let value = match role_el {
                Some(e) if e.text.trim() == "UserDefined" => {
                    e.attr("UserDefinedValue").unwrap_or_default().to_owned()
                }
                Some(e) => e.text.trim().to_owned(),
                None => String::new(),
            };
            let role = display_role(r, d, &value);
            push_credit(out, &name, role);
        }
    }
}

fn read_track(
    r: &mut Reading<'_>,
    sr: &Element,
    credits: &mut Credits<'_>,
    release_display_artist: &str,
) -> Option<catno_domain::Track> {
    let mut track = empty_track();
    let isrc_el = sr
        .children_named("SoundRecordingEdition")
        .find_map(|e| e.at(&["ResourceId", "ISRC"]))
        .or_else(|| sr.at(&["ResourceId", "ISRC"]));
    track.isrc = isrc_el.and_then(|e| isrc(r, e));
    let Some(t) = titles(r, sr) else {
        r.error(sr, "sound recording without a DisplayTitle or DisplayTitleText");
        return None;
    };
    track.title = t.title;
    track.version = t.version;
    track.localized_titles = t.localized;
    let names = worldwide(sr, "DisplayArtistName");
    credits.display(r, sr, &mut track.contributors);
    track.display_artist = default_of(&names, r.language.as_deref())
        .and_then(trimmed)
        .or_else(|| crate::import_ern::display_name_from(&track.contributors))
        .unwrap_or_else(|| release_display_artist.to_owned());
    let shown: Vec<String> = track.contributors.iter().map(|c| c.artist_name.clone()).collect();
    for c in sr.children_named("Contributor") {
        let Some(name) = credits.name(r, c, text_of(c, "ContributorPartyReference")) else { continue };
        for role in c.children_named("Role") {
            match role_target(role.text, role.attr("UserDefinedValue"), true) {
                RoleTarget::Credit(role) => push_credit(&mut track.contributors, &name, role),
                RoleTarget::Writer(role) => push_writer(&mut track.writers, &name, role),
                RoleTarget::AsDisplayArtist if shown.contains(&name) => {}
                RoleTarget::AsDisplayArtist | RoleTarget::Unknown => r.warn(
                    role,
                    format!(
                        "role {} of {name} has no Catno equivalent; that credit is not imported",
                        role.text.trim()
                    ),
                ),
            }
        }
    }
    track.duration_ms = sr.child("Duration").and_then(|d| duration(r, d));
    track.explicit = first_worldwide(sr, "ParentalWarningType").is_some_and(|p| p.text.trim() == "Explicit");
    track.audio_language = text_of(sr, "LanguageOfPerformance");
    Some(track)
}

pub(crate) fn read(root: &Element, r: &mut Reading<'_>) -> ErnContent {
    let header = root.child("MessageHeader");
    let party_name = |tag: &str| {
        header
            .and_then(|h| h.child(tag))
            .and_then(|p| {
                p.at(&["PartyName", "FullName"]).and_then(trimmed).or_else(|| text_of(p, "PartyId"))
            })
            .unwrap_or_default()
    };
    let (sender_name, recipient_name) = (party_name("MessageSender"), party_name("MessageRecipient"));
    let message_id = header.and_then(|h| text_of(h, "MessageId")).unwrap_or_default();

    let parties = read_parties(r, root);
    let Some(main) = root.at(&["ReleaseList", "Release"]) else {
        r.warn(root, "nothing to import: the message has no main Release");
        return ErnContent::Nothing;
    };
    let recordings: Vec<&Element> =
        root.child("ResourceList").into_iter().flat_map(|l| l.children_named("SoundRecording")).collect();
    for other in root.child("ResourceList").into_iter().flat_map(|l| l.children.iter()) {
        if !matches!(other.name, "SoundRecording" | "Image") {
            r.warn_once(
                other,
                format!("{} resources are not imported (Catno keeps sound recordings)", other.name),
            );
        }
    }
    let reference_of = |sr: &Element| text_of(sr, "ResourceReference").unwrap_or_default();
    let mut placed_refs = Vec::new();
    if let Some(group) = main.child("ResourceGroup") {
        let mut items = Vec::new();
        group.descendants("ReleaseResourceReference", &mut items);
        placed_refs.extend(items.into_iter().filter_map(trimmed));
    }
    // The recordings of the main release (all of them when it has no resource group).
    let included: Vec<&Element> = recordings
        .iter()
        .copied()
        .filter(|sr| placed_refs.is_empty() || placed_refs.contains(&reference_of(sr)))
        .collect();
    for sr in recordings.iter().filter(|sr| !included.iter().any(|i| std::ptr::eq(*i, **sr))) {
        r.warn(sr, format!("sound recording {} is not on the main release; not imported", reference_of(sr)));
    }

    let titles = titles(r, main);
    let Some((mut release, grid)) = release_head(
        r,
        main,
        titles,
        !included.is_empty(),
        "the release has no DisplayTitle or DisplayTitleText",
    ) else {
        return ErnContent::Nothing;
    };
    let names = worldwide(main, "DisplayArtistName");
    release.display_artist = default_of(&names, r.language.as_deref()).and_then(trimmed).unwrap_or_default();
    let mut credits = Credits { parties: &parties, artists: Vec::new() };
    credits.display(r, main, &mut release.artists);
    if release.display_artist.is_empty() {
        release.display_artist =
            release.artists.iter().map(|c| c.artist_name.clone()).collect::<Vec<_>>().join(", ");
    }
    if release.display_artist.is_empty() {
        r.error(main, "the release names no display artist (DisplayArtistName or DisplayArtist)");
    }
    let labels = worldwide(main, "ReleaseLabelReference");
    let mut label_dpid = None;
    if let Some(label) = default_of(&labels, None)
        && let Some(reference) = trimmed(label)
    {
        match parties.get(&reference) {
            Some(p) => {
                release.label_name = p.name.clone();
                label_dpid = p.dpid.clone();
            }
            None => r.error(label, format!("label party {reference} is not in the PartyList")),
        }
    }
    release.p_line = first_worldwide(main, "PLine").and_then(|p| rights_line(r, p, "PLineText"));
    release.c_line = first_worldwide(main, "CLine").and_then(|c| rights_line(r, c, "CLineText"));
    if let Some(genre) = first_worldwide(main, "Genre") {
        release.genre = text_of(genre, "GenreText");
        release.subgenre = text_of(genre, "SubGenre");
    }
    release.release_date = date_of(r, first_worldwide(main, "ReleaseDate"));
    release.original_release_date = date_of(r, first_worldwide(main, "OriginalReleaseDate"));
    release.parental_advisory = parental(r, first_worldwide(main, "ParentalWarningType"));
    release.release_type = release_type(r, main, included.len());

    if release.p_line.is_none() {
        let mut lines = Vec::new();
        for sr in &included {
            let p = sr.children_named("SoundRecordingEdition").find_map(|e| first_worldwide(e, "PLine"));
            if let Some(line) =
                p.or_else(|| first_worldwide(sr, "PLine")).and_then(|p| rights_line(r, p, "PLineText"))
            {
                lines.push(line);
            }
        }
        release.p_line = p_line_from_tracks(r, main, &lines);
    }
    let mut tracks = Vec::new();
    let mut track_refs = Vec::new();
    for sr in &included {
        if let Some(track) = read_track(r, sr, &mut credits, &release.display_artist) {
            let (line, column) = r.position(sr);
            tracks.push(ImportedTrack { track, disc: 1, number: 1, line, column });
            track_refs.push(reference_of(sr));
        }
    }
    let position_of = |reference: &str| track_refs.iter().position(|x| x == reference);
    let places = place_tracks(r, main.child("ResourceGroup"), &position_of, tracks.len());
    for (t, place) in tracks.iter_mut().zip(places) {
        if let Some((disc, number)) = place {
            t.disc = disc;
            t.number = number;
        }
    }

    let deals = root.child("DealList").map(|list| {
        let main_ref = text_of(main, "ReleaseReference").unwrap_or_default();
        let mut targets: Vec<(String, DealTarget)> = vec![(main_ref, DealTarget::Release)];
        let releases = root.child("ReleaseList").into_iter().flat_map(|l| l.children.iter());
        for other in releases.filter(|e| !std::ptr::eq(*e, main)) {
            let Some(reference) = text_of(other, "ReleaseReference") else { continue };
            let target = match (other.name, text_of(other, "ReleaseResourceReference")) {
                ("TrackRelease", Some(resource)) => {
                    position_of(&resource).map_or(DealTarget::Other, DealTarget::Track)
                }
                _ => DealTarget::Other,
            };
            targets.push((reference, target));
        }
        let target_of = |reference: &str| targets.iter().find(|(r, _)| r == reference).map(|(_, t)| *t);
        read_deals(r, list, &target_of, tracks.len())
    });
    let (ordered, deals) = into_running_order(r, main, tracks, deals);

    ErnContent::Release(Box::new(ImportedRelease {
        release,
        grid,
        label_dpid,
        tracks: ordered,
        artists: credits.artists,
        deals,
        sender_name,
        recipient_name,
        message_id,
    }))
}
