//! ERN 3.x `NewReleaseMessage` reader: party names inline, metadata in
//! `...DetailsByTerritory` blocks (the `Worldwide` or default block is imported; overrides
//! for single territories are reported), track releases as `Release`s of type
//! `TrackRelease`, writers as `IndirectResourceContributor`s.

use catno_domain::{Artist, Contributor, LocalizedTitle, Writer};

use crate::dom::Element;
use crate::import_deals::{DealTarget, read_deals};
use crate::import_ern::{
    ErnContent, ImportedRelease, ImportedTrack, Reading, RoleTarget, Titles, date_of, display_role, duration,
    empty_track, into_running_order, isrc, note_artist, p_line_from_tracks, parental, place_tracks,
    push_credit, push_writer, release_head, release_type, rights_line, role_target, text_of, trimmed,
};

/// The block whose metadata Catno imports: `Worldwide`, else "worldwide except", else the
/// first; the others are overrides Catno does not keep (availability lives in deals).
fn default_block<'e>(r: &mut Reading<'_>, el: &'e Element<'e>, name: &str) -> Option<&'e Element<'e>> {
    let blocks: Vec<&Element> = el.children.iter().filter(|c| c.name == name).collect();
    let chosen = blocks
        .iter()
        .find(|b| b.children_named("TerritoryCode").any(|t| t.text.trim() == "Worldwide"))
        .or_else(|| blocks.iter().find(|b| b.child("ExcludedTerritoryCode").is_some()))
        .or_else(|| blocks.first())
        .copied();
    let overrides = blocks.iter().filter(|b| b.attr("LanguageAndScriptCode").is_none()).count();
    if overrides > 1
        && let Some(block) = chosen
    {
        r.warn_once(
            block,
            "territory-specific metadata blocks are not imported: Catno keeps one set of metadata (the \
             Worldwide/default block) and territories in deals",
        );
    }
    chosen
}

fn language_of<'e>(title: &'e Element<'_>) -> Option<&'e str> {
    title
        .attr("LanguageAndScriptCode")
        .or_else(|| title.child("TitleText").and_then(|t| t.attr("LanguageAndScriptCode")))
}

fn titles(r: &Reading<'_>, holder: &Element, block: Option<&Element>) -> Option<Titles> {
    let in_block: Vec<&Element> = block.map(|b| b.children_named("Title").collect()).unwrap_or_default();
    let of_type = |kind: &str| -> Vec<&Element> {
        in_block.iter().copied().filter(|t| t.attr("TitleType") == Some(kind)).collect()
    };
    let mut candidates = of_type("DisplayTitle");
    if candidates.is_empty() {
        candidates = of_type("FormalTitle");
    }
    if candidates.is_empty() {
        candidates.clone_from(&in_block);
    }
    let reference = holder.child("ReferenceTitle");
    let unmarked = |t: &&Element| language_of(t).is_none() || language_of(t) == r.language.as_deref();
    let main = candidates.iter().copied().find(unmarked).or(reference)?;
    let mut title = text_of(main, "TitleText")?;
    let version = text_of(main, "SubTitle").or_else(|| reference.and_then(|t| text_of(t, "SubTitle")));
    // A display title often spells the version out ("Song (Radio Edit)"); Catno keeps it apart.
    if let Some(v) = &version
        && let Some(bare) = title.strip_suffix(&format!(" ({v})"))
    {
        title = bare.to_owned();
    }
    let main_language = language_of(main);
    let mut localized: Vec<LocalizedTitle> = Vec::new();
    let marked = candidates.iter().copied().chain(reference).filter(|t| !std::ptr::eq(*t, main));
    for t in marked {
        let Some(language) = language_of(t) else { continue };
        if Some(language) == main_language || localized.iter().any(|l| l.language == language) {
            continue;
        }
        if let Some(text) = text_of(t, "TitleText") {
            localized.push(LocalizedTitle { language: language.to_owned(), title: text });
        }
    }
    // Blocks for another language (3.x writes a whole block per language).
    for other in holder.children.iter().filter(|c| c.name.ends_with("DetailsByTerritory")) {
        let Some(language) = other.attr("LanguageAndScriptCode") else { continue };
        if Some(language) == main_language || localized.iter().any(|l| l.language == language) {
            continue;
        }
        let text = other
            .children_named("Title")
            .find(|t| t.attr("TitleType") == Some("DisplayTitle"))
            .or_else(|| other.child("Title"))
            .and_then(|t| text_of(t, "TitleText"));
        if let Some(text) = text {
            localized.push(LocalizedTitle { language: language.to_owned(), title: text });
        }
    }
    Some(Titles { title, version, localized })
}

/// A party's name and what else it says (localized names, ISNI), noted in `artists`.
fn party(r: &mut Reading<'_>, el: &Element, artists: &mut Vec<Artist>) -> Option<String> {
    let names: Vec<&Element> = el.children_named("PartyName").collect();
    let main = crate::import_ern::default_of(&names, r.language.as_deref());
    let Some(name) = main.and_then(|n| text_of(n, "FullName")) else {
        r.error(el, format!("{} without PartyName/FullName", el.name));
        return None;
    };
    let localized = crate::import_ern::localized_titles(&names, main, Some("FullName"));
    let isni = el.child("PartyId").and_then(|id| text_of(id, "ISNI"));
    note_artist(artists, &name, &localized, isni.as_deref());
    Some(name)
}

fn display_artists(
    r: &mut Reading<'_>,
    block: &Element,
    artists: &mut Vec<Artist>,
    out: &mut Vec<Contributor>,
) {
    let mut list: Vec<&Element> = block.children_named("DisplayArtist").collect();
    list.sort_by_key(|d| {
        d.attr("SequenceNumber").and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(u32::MAX)
    });
    for d in list {
        let Some(name) = party(r, d, artists) else { continue };
        let value = match d.child("ArtistRole") {
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

fn contributors(
    r: &mut Reading<'_>,
    block: &Element,
    artists: &mut Vec<Artist>,
    credits: &mut Vec<Contributor>,
    writers: &mut Vec<Writer>,
) {
    let shown: Vec<String> = credits.iter().map(|c| c.artist_name.clone()).collect();
    for (element, role_name, writers_first) in [
        ("ResourceContributor", "ResourceContributorRole", false),
        ("IndirectResourceContributor", "IndirectResourceContributorRole", true),
    ] {
        for c in block.children_named(element) {
            let Some(name) = party(r, c, artists) else { continue };
            for role in c.children_named(role_name) {
                match role_target(role.text, role.attr("UserDefinedValue"), writers_first) {
                    RoleTarget::Credit(value) => push_credit(credits, &name, value),
                    RoleTarget::Writer(value) => push_writer(writers, &name, value),
                    RoleTarget::AsDisplayArtist if shown.contains(&name) => {}
                    RoleTarget::AsDisplayArtist | RoleTarget::Unknown => r.warn(
                        role,
                        format!(
                            "role {} of {name} has no Catno equivalent; that credit is not imported",
                            role.attr("UserDefinedValue").unwrap_or(role.text.trim())
                        ),
                    ),
                }
            }
        }
    }
}

fn read_track(
    r: &mut Reading<'_>,
    sr: &Element,
    artists: &mut Vec<Artist>,
    release_display_artist: &str,
    release_artists: &[Contributor],
) -> Option<catno_domain::Track> {
    let mut track = empty_track();
    track.isrc = sr.at(&["SoundRecordingId", "ISRC"]).and_then(|e| isrc(r, e));
    let block = default_block(r, sr, "SoundRecordingDetailsByTerritory");
    let Some(t) = titles(r, sr, block) else {
        r.error(sr, "sound recording without a title (ReferenceTitle or Title)");
        return None;
    };
    track.title = t.title;
    track.version = t.version;
    track.localized_titles = t.localized;
    if let Some(block) = block {
        display_artists(r, block, artists, &mut track.contributors);
    }
    track.display_artist = block
        .and_then(|b| text_of(b, "DisplayArtistName"))
        .or_else(|| crate::import_ern::display_name_from(&track.contributors))
        .unwrap_or_else(|| release_display_artist.to_owned());
    // DDEX leaves out what a track shares with its release.
    if track.contributors.is_empty() {
        track.contributors = release_artists.to_vec();
    }
    if let Some(block) = block {
        contributors(r, block, artists, &mut track.contributors, &mut track.writers);
    }
    track.duration_ms = sr.child("Duration").and_then(|d| duration(r, d));
    track.explicit =
        block.and_then(|b| b.child("ParentalWarningType")).is_some_and(|p| p.text.trim() == "Explicit");
    track.audio_language = text_of(sr, "LanguageOfPerformance");
    Some(track)
}

fn release_kind(el: &Element) -> String {
    el.child("ReleaseType").map(|t| t.text.trim().to_owned()).unwrap_or_default()
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

    let releases: Vec<&Element> =
        root.child("ReleaseList").map(|l| l.children_named("Release").collect()).unwrap_or_default();
    let main = releases
        .iter()
        .find(|e| e.attr("IsMainRelease") == Some("true"))
        .or_else(|| releases.iter().find(|e| release_kind(e) != "TrackRelease"))
        .or_else(|| releases.first())
        .copied();
    let Some(main) = main else {
        r.warn(root, "nothing to import: the message has no Release");
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
    let listed: Vec<String> = main
        .child("ReleaseResourceReferenceList")
        .map(|l| l.children_named("ReleaseResourceReference").filter_map(trimmed).collect())
        .unwrap_or_default();
    let included: Vec<&Element> = recordings
        .iter()
        .copied()
        .filter(|sr| listed.is_empty() || listed.contains(&reference_of(sr)))
        .collect();
    for sr in recordings.iter().filter(|sr| !included.iter().any(|i| std::ptr::eq(*i, **sr))) {
        r.warn(sr, format!("sound recording {} is not on the main release; not imported", reference_of(sr)));
    }

    let block = default_block(r, main, "ReleaseDetailsByTerritory");
    let titles = titles(r, main, block);
    let Some((mut release, grid)) = release_head(
        r,
        main,
        titles,
        !included.is_empty(),
        "the release has no title (ReferenceTitle or Title)",
    ) else {
        return ErnContent::Nothing;
    };
    let mut artists = Vec::new();
    if let Some(block) = block {
        release.display_artist = text_of(block, "DisplayArtistName").unwrap_or_default();
        release.label_name = text_of(block, "LabelName").unwrap_or_default();
        display_artists(r, block, &mut artists, &mut release.artists);
        if let Some(genre) = block.child("Genre") {
            release.genre = text_of(genre, "GenreText");
            release.subgenre = text_of(genre, "SubGenre");
        }
        release.release_date = date_of(r, block.child("ReleaseDate"));
        release.original_release_date = date_of(r, block.child("OriginalReleaseDate"));
        release.parental_advisory = parental(r, block.child("ParentalWarningType"));
    }
    if release.display_artist.is_empty() {
        release.display_artist =
            release.artists.iter().map(|c| c.artist_name.clone()).collect::<Vec<_>>().join(", ");
    }
    if release.display_artist.is_empty() {
        r.error(main, "the release names no display artist (DisplayArtistName or DisplayArtist)");
    }
    if release.release_date.is_none() {
        release.release_date = date_of(r, main.child("GlobalReleaseDate"));
    }
    if release.original_release_date.is_none() {
        release.original_release_date = date_of(r, main.child("GlobalOriginalReleaseDate"));
    }
    let p_line = main.child("PLine").or_else(|| block.and_then(|b| b.child("PLine")));
    release.p_line = p_line.and_then(|p| rights_line(r, p, "PLineText"));
    let c_line = main.child("CLine").or_else(|| block.and_then(|b| b.child("CLine")));
    release.c_line = c_line.and_then(|c| rights_line(r, c, "CLineText"));
    release.release_type = release_type(r, main, included.len());
    if release.p_line.is_none() {
        let mut lines = Vec::new();
        for sr in &included {
            let block = default_block(r, sr, "SoundRecordingDetailsByTerritory");
            if let Some(line) =
                block.and_then(|b| b.child("PLine")).and_then(|p| rights_line(r, p, "PLineText"))
            {
                lines.push(line);
            }
        }
        release.p_line = p_line_from_tracks(r, main, &lines);
    }

    let mut tracks = Vec::new();
    let mut track_refs = Vec::new();
    for sr in &included {
        if let Some(track) = read_track(r, sr, &mut artists, &release.display_artist, &release.artists) {
            let (line, column) = r.position(sr);
            tracks.push(ImportedTrack { track, disc: 1, number: 1, line, column });
            track_refs.push(reference_of(sr));
        }
    }
    let position_of = |reference: &str| track_refs.iter().position(|x| x == reference);
    let places = place_tracks(r, block.and_then(|b| b.child("ResourceGroup")), &position_of, tracks.len());
    for (t, place) in tracks.iter_mut().zip(places) {
        if let Some((disc, number)) = place {
            t.disc = disc;
            t.number = number;
        }
    }

    let deals = root.child("DealList").map(|list| {
        let mut targets: Vec<(String, DealTarget)> = Vec::new();
        for rel in &releases {
            let Some(reference) = text_of(rel, "ReleaseReference") else { continue };
            let target = if std::ptr::eq(*rel, main) {
                DealTarget::Release
            } else {
                let primary: Vec<String> = rel
                    .child("ReleaseResourceReferenceList")
                    .map(|l| l.children_named("ReleaseResourceReference").filter_map(trimmed).collect())
                    .unwrap_or_default();
                match primary.as_slice() {
                    [one] if release_kind(rel) == "TrackRelease" || primary.len() == 1 => {
                        position_of(one).map_or(DealTarget::Other, DealTarget::Track)
                    }
                    _ => DealTarget::Other,
                }
            };
            targets.push((reference, target));
        }
        let target_of = |reference: &str| targets.iter().find(|(r, _)| r == reference).map(|(_, t)| *t);
        read_deals(r, list, &target_of, tracks.len())
    });
    let (tracks, deals) = into_running_order(r, main, tracks, deals);

    ErnContent::Release(Box::new(ImportedRelease {
        release,
        grid,
        label_dpid: None,
        tracks,
        artists,
        deals,
        sender_name,
        recipient_name,
        message_id,
    }))
}
