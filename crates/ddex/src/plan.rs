//! Everything both ERN writers need, decided once: references, parties, credits, durations,
//! the deals the profile accepts, and every input problem as a [`Finding`]. The writers only
//! serialise a plan, so the two versions cannot disagree about content.

use std::collections::BTreeSet;

use catno_domain::{ContributorRole, LocalizedTitle, RightsLine, Track};
use catno_rights::{DdexDeal, DealTerritories, Territory, TerritorySet};
use time::{Date, Duration};

use crate::check::Finding;
use crate::error::DdexError;
use crate::input::{ReleaseMessageInput, TrackInput};
use crate::profile::{DealPlacement, DspProfile, ErnVersion};
use crate::roles::{RoleSlot, RoleValue, contributor_role_43, contributor_role_382, writer_role};

pub(crate) const STREAM_USES: &[&str] = &["OnDemandStream", "NonInteractiveStream", "Stream"];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PartyKey {
    Artist(i64),
    Writer(i64),
    Label,
}

#[derive(Debug, Clone)]
pub(crate) struct Party {
    key: PartyKey,
    pub reference: String,
    pub name: String,
    pub localized: Vec<LocalizedTitle>,
    pub dpid: Option<String>,
    pub isni: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Credit {
    pub party: usize,
    pub slot: RoleSlot,
}

#[derive(Debug, Clone)]
pub(crate) struct TrackPlan<'a> {
    pub input: &'a TrackInput,
    pub resource_ref: String,
    pub technical_ref: String,
    pub release_ref: String,
    pub isrc: String,
    pub duration_ms: u64,
    pub display: Vec<Credit>,
    pub contributors: Vec<Credit>,
    pub proprietary_ids: Vec<(String, String)>,
}

impl TrackPlan<'_> {
    pub fn track(&self) -> &Track {
        &self.input.track
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Territories {
    Include(Vec<String>),
    WorldwideExcept(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DealSpec {
    pub models: Vec<String>,
    pub uses: Vec<String>,
    pub territories: Territories,
    pub start: Date,
    pub end: Option<Date>,
    pub preorder_start: Option<Date>,
}

pub(crate) struct Plan<'a> {
    pub input: &'a ReleaseMessageInput,
    pub profile: &'a DspProfile,
    pub parties: Vec<Party>,
    pub label_party: usize,
    pub release_display: Vec<Credit>,
    pub tracks: Vec<TrackPlan<'a>>,
    pub image_ref: Option<(String, String)>,
    pub upc: String,
    pub genre: String,
    pub album_deals: Vec<DealSpec>,
    pub track_deals: Vec<Vec<DealSpec>>,
    pub warnings: Vec<Finding>,
}

impl<'a> Plan<'a> {
    /// Builds the plan, or refuses with every error finding at once.
    pub fn build(input: &'a ReleaseMessageInput, profile: &'a DspProfile) -> Result<Self, DdexError> {
        let mut findings = Vec::new();
        let version = profile.ern;
        let today = message_date(&input.header.created)
            .map_err(|message| DdexError::invalid("header.created", message))?;

        check_header(input, version, &mut findings);
        let release = &input.release;
        let upc = match &release.upc {
            Some(upc) => upc.as_str().to_owned(),
            None => {
                findings
                    .push(Finding::error("release.upc", "a release needs a UPC/EAN (ICPN) to be delivered"));
                String::new()
            }
        };
        let genre = match release.genre.as_deref().map(str::trim) {
            Some(g) if !g.is_empty() => g.to_owned(),
            _ => {
                findings.push(Finding::error("release.genre", "DDEX requires a genre on the release"));
                String::new()
            }
        };
        if release.label_name.trim().is_empty() {
            findings.push(Finding::error("release.label_name", "DDEX requires a label on the release"));
        }
        for (field, date) in [
            ("release.release_date", &release.release_date),
            ("release.original_release_date", &release.original_release_date),
        ] {
            if let Some(date) = date
                && !is_iso_date(date)
            {
                findings.push(Finding::error(field, format!("{date:?} is not a date (YYYY-MM-DD)")));
            }
        }
        if let Some(lang) = &release.metadata_language
            && !is_language_code(lang)
        {
            findings.push(Finding::error(
                "release.metadata_language",
                format!("{lang:?} is not a language code"),
            ));
        }
        check_localized(&release.localized_titles, "release", &mut findings);

        let mut parties: Vec<Party> = Vec::new();
        let role_slot = |role: ContributorRole| match version {
            ErnVersion::Ern43 => contributor_role_43(role),
            ErnVersion::Ern382 => contributor_role_382(role),
        };

        let mut release_artists = release.artists.clone();
        release_artists.sort_by_key(|c| c.sequence);
        let mut release_display = Vec::new();
        for c in &release_artists {
            if let slot @ RoleSlot::DisplayArtist(_) = role_slot(c.role) {
                let party = party_for_artist(&mut parties, input, c.artist_id, &c.artist_name);
                release_display.push(Credit { party, slot });
            }
        }
        if release_display.is_empty() {
            findings.push(Finding::error("release.artists", "the release needs a main artist"));
        }

        let mut tracks = Vec::with_capacity(input.tracks.len());
        let mut seen_isrc: Vec<(String, usize)> = Vec::new();
        let mut seen_position: Vec<((u32, u32), usize)> = Vec::new();
        for (i, t) in input.tracks.iter().enumerate() {
            let field = |name: &str| format!("track[{i}].{name}");
            let track = &t.track;
            let isrc = match &track.isrc {
                Some(isrc) => {
                    let isrc = isrc.as_str().to_owned();
                    if let Some((_, first)) = seen_isrc.iter().find(|(s, _)| *s == isrc) {
                        findings.push(Finding::error(
                            field("isrc"),
                            format!("ISRC {isrc} is also on track[{first}]"),
                        ));
                    }
                    seen_isrc.push((isrc.clone(), i));
                    isrc
                }
                None => {
                    findings.push(Finding::error(field("isrc"), "every track needs an ISRC"));
                    String::new()
                }
            };
            if let Some((_, first)) = seen_position.iter().find(|(p, _)| *p == (t.disc, t.number)) {
                findings.push(Finding::error(
                    field("number"),
                    format!("disc {} track {} is also track[{first}]'s position", t.disc, t.number),
                ));
            }
            seen_position.push(((t.disc, t.number), i));
            if t.disc == 0 || t.number == 0 {
                findings.push(Finding::error(field("number"), "disc and track numbers start at 1"));
            }
            let duration_ms = match (track.duration_ms, &t.audio) {
                (Some(ms), _) if ms > 0 => u64::try_from(ms).unwrap_or(0),
                (_, Some(audio)) if audio.duration_ms > 0 => audio.duration_ms,
                _ => {
                    findings.push(Finding::error(field("duration_ms"), "every track needs a duration"));
                    0
                }
            };
            if let Some(audio) = &t.audio {
                check_md5(&audio.md5, &field("audio.md5"), &mut findings);
                check_file_name(&audio.file_name, &field("audio.file_name"), &mut findings);
            }
            if let Some(lang) = &track.audio_language
                && !is_language_code(lang)
            {
                findings.push(Finding::error(
                    field("audio_language"),
                    format!("{lang:?} is not a language code"),
                ));
            }
            check_localized(&track.localized_titles, &format!("track[{i}]"), &mut findings);

            let mut credits = track.contributors.clone();
            credits.sort_by_key(|c| c.sequence);
            let mut display = Vec::new();
            let mut contributors = Vec::new();
            for c in &credits {
                let party = party_for_artist(&mut parties, input, c.artist_id, &c.artist_name);
                match role_slot(c.role) {
                    slot @ RoleSlot::DisplayArtist(_) => display.push(Credit { party, slot }),
                    slot => contributors.push(Credit { party, slot }),
                }
            }
            for w in &track.writers {
                // A writer who is also a credited artist under the same name is one party.
                let party = match parties.iter().position(|p| p.name == w.name) {
                    Some(existing) => existing,
                    None => party_index(&mut parties, PartyKey::Writer(w.id), &w.name, Vec::new()),
                };
                let value = writer_role(w.role);
                let slot = match version {
                    ErnVersion::Ern43 => RoleSlot::Contributor(value),
                    ErnVersion::Ern382 => RoleSlot::Indirect(value),
                };
                contributors.push(Credit { party, slot });
            }
            // A recording must name a display artist; the release's are the honest default.
            if display.is_empty() {
                display = release_display.clone();
            }
            let proprietary_ids = profile
                .proprietary_ids
                .iter()
                .filter(|rule| rule.resource == "SoundRecording")
                .map(|rule| {
                    let value = if rule.value == "track_id" { track.id.to_string() } else { isrc.clone() };
                    (rule.namespace.clone(), value)
                })
                .collect();
            let n = i + 1;
            tracks.push(TrackPlan {
                input: t,
                resource_ref: format!("A{n}"),
                technical_ref: format!("T{n}"),
                release_ref: format!("R{n}"),
                isrc,
                duration_ms,
                display,
                contributors,
                proprietary_ids,
            });
        }
        if tracks.is_empty() {
            findings.push(Finding::error("tracks", "a release needs at least one track"));
        }

        let label_party = party_index(&mut parties, PartyKey::Label, &release.label_name, Vec::new());
        if let Some(p) = parties.get_mut(label_party) {
            p.dpid = input.label_dpid.clone();
        }
        if let Some(dpid) = &input.label_dpid
            && !is_dpid(dpid)
        {
            findings
                .push(Finding::error("label_dpid", format!("{dpid:?} is not a DDEX Party ID (PADPIDA...)")));
        }

        let image_ref = input.artwork.as_ref().map(|art| {
            check_md5(&art.md5, "artwork.md5", &mut findings);
            check_file_name(&art.file_name, "artwork.file_name", &mut findings);
            if art.width == 0 || art.height == 0 {
                findings.push(Finding::error("artwork", "artwork width and height must be known"));
            }
            let n = tracks.len() + 1;
            (format!("A{n}"), format!("T{n}"))
        });

        let mut warnings = Vec::new();
        let lead_days = if input.header.update { profile.lead_days_update } else { profile.lead_days_new };
        if let Some(street) = release.release_date.as_deref().and_then(|d| parse_date(d).ok())
            && lead_days > 0
            && street >= today
            && (street - today).whole_days() < i64::from(lead_days)
        {
            warnings.push(Finding::warning(
                "release.release_date",
                format!(
                    "{} asks for deliveries {lead_days} days before street date {}",
                    profile.name,
                    format_date(street)
                ),
            ));
        }
        let (album_deals, track_deals) = plan_deals(input, profile, today, &mut findings, &mut warnings);

        let errors: Vec<Finding> = findings.iter().filter(|f| f.is_error()).cloned().collect();
        if !errors.is_empty() {
            return Err(DdexError::Rejected(errors));
        }
        warnings.extend(findings.into_iter().filter(|f| !f.is_error()));

        Ok(Plan {
            input,
            profile,
            parties,
            label_party,
            release_display,
            tracks,
            image_ref,
            upc,
            genre,
            album_deals,
            track_deals,
            warnings,
        })
    }

    pub fn language(&self) -> &str {
        self.input.release.metadata_language.as_deref().unwrap_or("en")
    }

    pub fn total_duration_ms(&self) -> u64 {
        // Whole seconds per track, so the album equals the sum of the durations it lists.
        self.tracks.iter().map(|t| (t.duration_ms + 500) / 1000 * 1000).sum()
    }

    pub fn discs(&self) -> Vec<u32> {
        let set: BTreeSet<u32> = self.tracks.iter().map(|t| t.input.disc).collect();
        set.into_iter().collect()
    }

    /// Tracks of one disc in playing order.
    pub fn disc_tracks(&self, disc: u32) -> Vec<&TrackPlan<'a>> {
        let mut list: Vec<&TrackPlan<'a>> = self.tracks.iter().filter(|t| t.input.disc == disc).collect();
        list.sort_by_key(|t| t.input.number);
        list
    }

    /// Track releases grouped by identical deal lists, in first-seen order, so one
    /// `ReleaseDeal` can name several `DealReleaseReference`s (as DDEX's own samples do).
    pub fn grouped_track_deals(&self) -> Vec<(Vec<&str>, &[DealSpec])> {
        let mut groups: Vec<(Vec<&str>, &[DealSpec])> = Vec::new();
        for (t, deals) in self.tracks.iter().zip(&self.track_deals) {
            if deals.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(_, d)| *d == deals.as_slice()) {
                Some((refs, _)) => refs.push(t.release_ref.as_str()),
                None => groups.push((vec![t.release_ref.as_str()], deals.as_slice())),
            }
        }
        groups
    }

    /// Namespace for `UserDefined` values and proprietary ids: the sender's DPID.
    pub fn namespace(&self) -> String {
        match self.profile.ern {
            ErnVersion::Ern43 => self.input.header.sender_dpid.clone(),
            ErnVersion::Ern382 => format!("DPID:{}", self.input.header.sender_dpid),
        }
    }
}

fn party_for_artist(
    parties: &mut Vec<Party>,
    input: &ReleaseMessageInput,
    artist_id: i64,
    name: &str,
) -> usize {
    let known = input.artists.iter().find(|a| a.id == artist_id);
    let localized = known.map(|a| a.localized_names.clone()).unwrap_or_default();
    let index = party_index(parties, PartyKey::Artist(artist_id), name, localized);
    if let Some(artist) = known
        && let Some(party) = parties.get_mut(index)
    {
        party.isni = artist
            .dsp_ids
            .iter()
            .find(|id| id.platform == catno_domain::DspPlatform::Isni)
            .map(|id| id.value.clone());
    }
    index
}

fn party_index(parties: &mut Vec<Party>, key: PartyKey, name: &str, localized: Vec<LocalizedTitle>) -> usize {
    if let Some(i) = parties.iter().position(|p| p.key == key) {
        return i;
    }
    parties.push(Party {
        key,
        reference: format!("P{}", parties.len() + 1),
        name: name.to_owned(),
        localized,
        dpid: None,
        isni: None,
    });
    parties.len() - 1
}

fn check_header(input: &ReleaseMessageInput, version: ErnVersion, findings: &mut Vec<Finding>) {
    let h = &input.header;
    for (field, dpid) in
        [("header.sender_dpid", &h.sender_dpid), ("header.recipient_dpid", &h.recipient_dpid)]
    {
        // ERN 4.3 restricts MessageSender/MessageRecipient PartyId to DPIDs; 3.8.2 does not.
        if version == ErnVersion::Ern43 && !is_dpid(dpid) {
            findings.push(Finding::error(field, format!("{dpid:?} is not a DDEX Party ID (PADPIDA...)")));
        } else if dpid.trim().is_empty() {
            findings.push(Finding::error(field, "the party id is empty"));
        }
    }
    if h.message_id.trim().is_empty() {
        findings.push(Finding::error("header.message_id", "the message id is empty"));
    }
    if !is_date_time(&h.created) {
        findings.push(Finding::error(
            "header.created",
            format!("{:?} is not an ISO 8601 date-time with offset", h.created),
        ));
    }
}

fn check_localized(titles: &[LocalizedTitle], owner: &str, findings: &mut Vec<Finding>) {
    for (k, t) in titles.iter().enumerate() {
        if !is_language_code(&t.language) {
            findings.push(Finding::error(
                format!("{owner}.localized_titles[{k}].language"),
                format!("{:?} is not a language/script code such as ja or ja-Latn", t.language),
            ));
        }
        if t.title.trim().is_empty() {
            findings
                .push(Finding::error(format!("{owner}.localized_titles[{k}].title"), "the title is empty"));
        }
    }
}

fn check_md5(md5: &str, field: &str, findings: &mut Vec<Finding>) {
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        findings.push(Finding::error(field, format!("{md5:?} is not a lowercase hex MD5")));
    }
}

fn check_file_name(name: &str, field: &str, findings: &mut Vec<Finding>) {
    let bad = name.is_empty() || name.contains(['/', '\\']) || name == "." || name == "..";
    if bad {
        findings.push(Finding::error(field, format!("{name:?} is not a plain file name")));
    }
}

/// `PADPIDA` followed by letters and digits (the XSD pattern).
pub(crate) fn is_dpid(s: &str) -> bool {
    s.strip_prefix("PADPIDA")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The `ddex_LanguageAndScriptCodeWithRestriction` shape, loosely: a 2-3 letter language
/// then alphanumeric subtags.
pub(crate) fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    lang_ok && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_iso_date(s: &str) -> bool {
    parse_date(s).is_ok() || (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_date_time(s: &str) -> bool {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).map_err(|e| format!("{s:?} is not a date (YYYY-MM-DD): {e}"))
}

/// The calendar date of the message; "today" for deal arithmetic.
pub(crate) fn message_date(created: &str) -> Result<Date, String> {
    created.get(..10).ok_or_else(|| format!("{created:?} is not a date-time")).and_then(parse_date)
}

pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(crate) fn format_duration(ms: u64) -> String {
    let secs = (ms + 500) / 1000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 { format!("PT{h}H{m}M{s}S") } else { format!("PT{m}M{s}S") }
}

pub(crate) fn rights_line_text(symbol: &str, line: &RightsLine) -> String {
    format!("{symbol} {} {}", line.year, line.holder)
}

pub(crate) fn title_with_version(title: &str, version: Option<&str>) -> String {
    match version {
        Some(v) if !v.trim().is_empty() => format!("{title} ({v})"),
        _ => title.to_owned(),
    }
}

pub(crate) fn role_attrs<'v>(value: &'v RoleValue, namespace: &'v str) -> (&'v str, Vec<(&'v str, &'v str)>) {
    match value {
        RoleValue::Avs(v) => (v, Vec::new()),
        RoleValue::UserDefined(v) => ("UserDefined", vec![("Namespace", namespace), ("UserDefinedValue", v)]),
    }
}

fn territory_set(t: &DealTerritories) -> TerritorySet {
    match t {
        DealTerritories::Include(list) => {
            let mut set = TerritorySet::EMPTY;
            for code in list {
                set.insert(*code);
            }
            set
        }
        DealTerritories::WorldwideExcept(list) => {
            let mut set = TerritorySet::all();
            for code in list {
                set.remove(*code);
            }
            set
        }
    }
}

fn codes(list: &[Territory]) -> Vec<String> {
    let mut out: Vec<String> = list.iter().map(|t| t.code().to_owned()).collect();
    out.sort();
    out.dedup();
    out
}

/// Applies the profile to the compiled deals: drops what the DSP does not accept (with a
/// warning), fills a missing start with the message date, and checks that album deals are
/// not offered where a track is missing.
fn plan_deals(
    input: &ReleaseMessageInput,
    profile: &DspProfile,
    today: Date,
    findings: &mut Vec<Finding>,
    warnings: &mut Vec<Finding>,
) -> (Vec<DealSpec>, Vec<Vec<DealSpec>>) {
    let mut per_track: Vec<Vec<&DdexDeal>> = vec![Vec::new(); input.tracks.len()];
    for (k, entry) in input.deals.track_deals.iter().enumerate() {
        match input.tracks.iter().position(|t| t.track.id == entry.track.0) {
            Some(i) => per_track[i].extend(entry.deals.iter()),
            None => findings.push(Finding::error(
                format!("deals.track_deals[{k}]"),
                format!("deals name track id {}, which is not on this release", entry.track.0),
            )),
        }
    }

    let mut album = Vec::new();
    for (k, deal) in input.deals.release_deals.iter().enumerate() {
        let field = format!("deals.release[{k}]");
        check_deal_dates(deal, &field, findings);
        if profile.deal_placement == DealPlacement::TrackReleasesOnly {
            warnings.push(Finding::warning(
                field,
                format!("{} reads only TrackRelease deals; album deal left out", profile.name),
            ));
            continue;
        }
        if let Some(spec) = accepted_spec(deal, profile, today, &field, warnings) {
            if spec.uses.iter().any(|u| STREAM_USES.contains(&u.as_str())) {
                warnings.push(Finding::warning(
                    field,
                    "streaming deals belong on TrackReleases (an album is not streamed); left out",
                ));
                continue;
            }
            album.push((deal, spec));
        }
    }

    let mut tracks = Vec::with_capacity(per_track.len());
    for (i, deals) in per_track.iter().enumerate() {
        let mut specs = Vec::new();
        for (k, deal) in deals.iter().enumerate() {
            let field = format!("track[{i}].deals[{k}]");
            check_deal_dates(deal, &field, findings);
            if let Some(spec) = accepted_spec(deal, profile, today, &field, warnings) {
                if !profile.paired_models.is_empty()
                    && !profile.paired_models.iter().all(|m| spec.models.contains(m))
                {
                    warnings.push(Finding::warning(
                        field,
                        format!(
                            "{} needs {} together in one deal",
                            profile.name,
                            profile.paired_models.join(" and ")
                        ),
                    ));
                }
                specs.push(spec);
            }
        }
        if specs.is_empty() && !input.tracks.is_empty() {
            warnings.push(Finding::warning(
                format!("track[{i}].deals"),
                "no deal: the track will not be available anywhere",
            ));
        }
        tracks.push(specs);
    }

    // An album offer where a track is unavailable sells a track nobody cleared.
    for (k, (deal, spec)) in album.iter().enumerate() {
        let album_set = territory_set(&deal.territories);
        for (i, deals) in per_track.iter().enumerate() {
            let mut covered = TerritorySet::EMPTY;
            for d in deals.iter().filter(|d| {
                spec.models.iter().all(|m| d.commercial_models.iter().any(|x| x.as_str() == m))
                    && spec.uses.iter().all(|u| d.use_types.iter().any(|x| x.as_str() == u))
            }) {
                covered = covered.union(&territory_set(&d.territories));
            }
            let missing = album_set.difference(&covered);
            if !missing.is_empty() {
                findings.push(Finding::error(
                    format!("deals.release[{k}]"),
                    format!("album deal covers {} where track[{i}] has no matching deal", missing.describe()),
                ));
            }
        }
    }
    (album.into_iter().map(|(_, spec)| spec).collect(), tracks)
}

fn check_deal_dates(deal: &DdexDeal, field: &str, findings: &mut Vec<Finding>) {
    if let (Some(start), Some(end)) = (deal.start, deal.end)
        && end < start
    {
        findings.push(Finding::error(
            format!("{field}.end"),
            format!("ends {} before it starts {}", format_date(end), format_date(start)),
        ));
    }
    if let Some(pre) = deal.preorder_start {
        match deal.start {
            Some(start) if pre < start => {}
            _ => findings.push(Finding::error(
                format!("{field}.preorder_start"),
                "a pre-order needs a later start date",
            )),
        }
    }
    if let DealTerritories::Include(list) = &deal.territories
        && list.is_empty()
    {
        findings.push(Finding::error(format!("{field}.territories"), "a deal with no territory"));
    }
}

fn accepted_spec(
    deal: &DdexDeal,
    profile: &DspProfile,
    today: Date,
    field: &str,
    warnings: &mut Vec<Finding>,
) -> Option<DealSpec> {
    let uses: Vec<String> = deal.use_types.iter().map(|u| u.as_str().to_owned()).collect();
    let mut models = Vec::new();
    for model in &deal.commercial_models {
        let model = model.as_str();
        // A Deal's terms are the cross product of its models and uses, so a model stays only
        // if the DSP takes it with every use of the deal.
        // Rights cover every use unless a rule says otherwise, so a model the DSP does not
        // take (UGC for Spotify, downloads for YouTube) is the normal case, not a finding.
        if uses.iter().all(|u| profile.accepts(model, u)) {
            models.push(model.to_owned());
        }
    }
    if models.is_empty() || uses.is_empty() {
        return None;
    }
    let territories = match &deal.territories {
        DealTerritories::Include(list) => Territories::Include(codes(list)),
        DealTerritories::WorldwideExcept(list) => Territories::WorldwideExcept(codes(list)),
    };
    if deal.start.is_none() && profile.requires_deal_start {
        warnings.push(Finding::warning(
            field,
            format!("no start date; the message date {} is written", format_date(today)),
        ));
    }
    // Pre-orders sell downloads ahead of street date; a stream cannot be pre-ordered.
    let preorder_start = deal.preorder_start.filter(|_| models.iter().any(|m| m == "PayAsYouGoModel"));
    Some(DealSpec {
        models,
        uses,
        territories,
        start: deal.start.unwrap_or(today),
        end: deal.end,
        preorder_start,
    })
}

/// The day before `d` (deal end dates are inclusive last days).
pub(crate) fn day_before(d: Date, days: i64) -> Date {
    d.checked_sub(Duration::days(days)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(format_duration(148_000), "PT2M28S");
        assert_eq!(format_duration(59_600), "PT1M0S");
        assert_eq!(format_duration(3_725_000), "PT1H2M5S");
    }

    #[test]
    fn shapes() {
        assert!(is_dpid("PADPIDA2013042401U"));
        assert!(!is_dpid("PADPIDA"));
        assert!(!is_dpid("DPID_OF_SENDER"));
        assert!(is_language_code("ja-Latn"));
        assert!(is_language_code("en"));
        assert!(!is_language_code("japanese script"));
        assert!(is_date_time("2026-12-02T10:00:00Z"));
        assert!(!is_date_time("2026-12-02"));
    }
}
