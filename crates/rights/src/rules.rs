//! The rules a label writes, and the vocabulary they use: territory references, stores, uses,
//! dates. Everything here is plain data the database can store (each type serialises to
//! snake_case JSON) plus the parsers the CLI uses for text input.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

use crate::error::RightsError;
use crate::groups::TerritoryGroups;
use crate::territories::Territory;

/// A catalog track (its database id). Messages name tracks by position on the release instead,
/// because that is what a label manager sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct TrackKey(pub i64);

/// How a store makes a recording available. Each maps to one DDEX commercial model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Use {
    SubscriptionStream,
    AdSupportedStream,
    Download,
    /// User-generated content: videos that use the recording (YouTube Content ID, TikTok, Meta).
    Ugc,
}

impl Use {
    pub const ALL: [Use; 4] = [Use::SubscriptionStream, Use::AdSupportedStream, Use::Download, Use::Ugc];
    pub const COUNT: usize = 4;

    pub fn index(self) -> usize {
        self as usize
    }

    /// The short name the CLI accepts and messages print.
    pub fn as_str(self) -> &'static str {
        match self {
            Use::SubscriptionStream => "subscription",
            Use::AdSupportedStream => "ad-supported",
            Use::Download => "download",
            Use::Ugc => "ugc",
        }
    }

    /// Parses `subscription`, `ad-supported`, `download`, `ugc` (case, `-`, `_` and spaces
    /// ignored; the serialised names and a few obvious synonyms work too).
    pub fn parse(raw: &str) -> Result<Self, RightsError> {
        let folded: String =
            raw.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).flat_map(char::to_lowercase).collect();
        match folded.as_str() {
            "subscription" | "subscriptionstream" | "premium" => Ok(Use::SubscriptionStream),
            "adsupported" | "adsupportedstream" | "free" => Ok(Use::AdSupportedStream),
            "download" | "permanentdownload" => Ok(Use::Download),
            "ugc" | "usergenerated" | "usergeneratedcontent" => Ok(Use::Ugc),
            _ => Err(RightsError::UnknownUse(raw.trim().to_owned())),
        }
    }
}

impl fmt::Display for Use {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A store (DSP) id such as `spotify`: 1-40 lower-case ASCII letters, digits, `_` or `-`,
/// starting with a letter. Parsing lower-cases, so `"Spotify"` is `spotify`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct StoreId(String);

impl StoreId {
    pub fn parse(raw: &str) -> Result<Self, RightsError> {
        let id = raw.trim().to_ascii_lowercase();
        let valid = (1..=40).contains(&id.len())
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'));
        if valid { Ok(StoreId(id)) } else { Err(RightsError::InvalidStore(raw.trim().to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for StoreId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for StoreId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        StoreId::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Catno's built-in stores: (id, display name).
pub const BUILTIN_STORES: &[(&str, &str)] = &[
    ("spotify", "Spotify"),
    ("apple_music", "Apple Music"),
    ("itunes", "iTunes Store"),
    ("amazon", "Amazon Music"),
    ("youtube", "YouTube Music"),
    ("youtube_content_id", "YouTube Content ID"),
    ("deezer", "Deezer"),
    ("tidal", "TIDAL"),
    ("tiktok", "TikTok"),
    ("meta", "Facebook & Instagram"),
    ("soundcloud", "SoundCloud"),
    ("pandora", "Pandora"),
    ("beatport", "Beatport"),
];

/// One store for lists and pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Store {
    pub id: StoreId,
    pub name: String,
    pub builtin: bool,
}

/// The stores a catalog knows: the built-ins plus the label's own (which may also rename a
/// built-in). Only the label's additions are serialised.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Stores {
    #[serde(default)]
    user: BTreeMap<StoreId, String>,
}

impl Stores {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a store (or renames one); the display name defaults to the id when blank.
    pub fn add(&mut self, id: &str, name: &str) -> Result<StoreId, RightsError> {
        let id = StoreId::parse(id)?;
        let name = if name.trim().is_empty() { id.to_string() } else { name.trim().to_owned() };
        self.user.insert(id.clone(), name);
        Ok(id)
    }

    pub fn remove(&mut self, id: &StoreId) -> bool {
        self.user.remove(id).is_some()
    }

    /// Built-ins in their fixed order, then the label's stores by id.
    pub fn list(&self) -> Vec<Store> {
        let mut out: Vec<Store> = BUILTIN_STORES
            .iter()
            .map(|(id, name)| {
                let id = StoreId((*id).to_owned());
                let user = self.user.get(&id);
                Store {
                    name: user.cloned().unwrap_or_else(|| (*name).to_owned()),
                    builtin: user.is_none(),
                    id,
                }
            })
            .collect();
        for (id, name) in &self.user {
            if !out.iter().any(|store| &store.id == id) {
                out.push(Store { id: id.clone(), name: name.clone(), builtin: false });
            }
        }
        out
    }

    pub fn ids(&self) -> Vec<StoreId> {
        self.list().into_iter().map(|store| store.id).collect()
    }

    pub fn display_name(&self, id: &StoreId) -> String {
        self.list()
            .into_iter()
            .find(|store| &store.id == id)
            .map_or_else(|| id.to_string(), |store| store.name)
    }
}

/// What a rule names: one territory, a group, or the whole world. Serialised as text: `"JP"`,
/// `"EU"`, `"Worldwide"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub enum TerritoryRef {
    Worldwide,
    Group(String),
    Code(Territory),
}

impl fmt::Display for TerritoryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TerritoryRef::Worldwide => f.write_str("Worldwide"),
            TerritoryRef::Group(name) => f.write_str(name),
            TerritoryRef::Code(territory) => f.write_str(territory.code()),
        }
    }
}

impl TerritoryRef {
    /// Reads one stored token without consulting groups: `Worldwide`, a known ISO code, or
    /// else a group name (checked when the engine resolves it).
    pub fn from_stored(raw: &str) -> Self {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("worldwide") {
            TerritoryRef::Worldwide
        } else if let Ok(territory) = Territory::parse(raw) {
            TerritoryRef::Code(territory)
        } else {
            TerritoryRef::Group(raw.to_owned())
        }
    }
}

impl Serialize for TerritoryRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TerritoryRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(TerritoryRef::from_stored(&String::deserialize(deserializer)?))
    }
}

/// Parses CLI territory input: `"JP,DE,AT"`, `"Worldwide"`, `"EU"`, or a mix such as
/// `"EU, CH"` (commas and/or spaces separate). Codes and group names ignore case; a token that
/// is neither a code nor a known group is refused by name.
pub fn parse_territories(text: &str, groups: &TerritoryGroups) -> Result<Vec<TerritoryRef>, RightsError> {
    let mut out = Vec::new();
    for token in text.split([',', ' ', ';']).map(str::trim).filter(|token| !token.is_empty()) {
        let parsed = if token.eq_ignore_ascii_case("worldwide") {
            TerritoryRef::Worldwide
        } else if let Ok(territory) = Territory::parse(token) {
            TerritoryRef::Code(territory)
        } else if let Some(name) = groups.canonical_name(token) {
            TerritoryRef::Group(name)
        } else if token.len() == 2 {
            return Err(RightsError::UnknownTerritory(token.to_owned()));
        } else {
            return Err(RightsError::UnknownGroup(token.to_owned()));
        };
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    if out.is_empty() {
        return Err(RightsError::NoTerritories);
    }
    Ok(out)
}

/// Parses an ISO calendar date, `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, RightsError> {
    Date::parse(text.trim(), DATE_FORMAT).map_err(|_| RightsError::InvalidDate(text.trim().to_owned()))
}

pub(crate) const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// `YYYY-MM-DD`, for messages.
pub(crate) fn fmt_date(date: Date) -> String {
    date.format(DATE_FORMAT).unwrap_or_else(|_| date.to_string())
}

/// Serde for `Option<Date>` as `"YYYY-MM-DD"` or null.
pub(crate) mod opt_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.serialize_str(&super::fmt_date(*date)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::parse_date(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Whether a rule grants or withholds availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Include,
    Exclude,
}

/// One availability rule, at release level (a default) or track level (an override). See the
/// crate documentation for how rules combine.
///
/// Dates belong to include rules only: `start` is the street date (embargo) in those
/// territories, `end` the last day of availability (inclusive: rights expiry or takedown),
/// `preorder_start` the first day a pre-order may be taken (needs `start`, must be before it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rule {
    pub kind: RuleKind,
    pub territories: Vec<TerritoryRef>,
    /// `None`: every store.
    #[serde(default)]
    pub store: Option<StoreId>,
    /// `None`: every use.
    #[serde(default, rename = "use")]
    pub usage: Option<Use>,
    #[serde(default, with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub start: Option<Date>,
    #[serde(default, with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub end: Option<Date>,
    #[serde(default, with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub preorder_start: Option<Date>,
}

impl Rule {
    pub fn include(territories: impl IntoIterator<Item = TerritoryRef>) -> Self {
        Self::new(RuleKind::Include, territories)
    }

    pub fn exclude(territories: impl IntoIterator<Item = TerritoryRef>) -> Self {
        Self::new(RuleKind::Exclude, territories)
    }

    fn new(kind: RuleKind, territories: impl IntoIterator<Item = TerritoryRef>) -> Self {
        Rule {
            kind,
            territories: territories.into_iter().collect(),
            store: None,
            usage: None,
            start: None,
            end: None,
            preorder_start: None,
        }
    }

    pub fn on_store(mut self, store: StoreId) -> Self {
        self.store = Some(store);
        self
    }

    pub fn for_use(mut self, usage: Use) -> Self {
        self.usage = Some(usage);
        self
    }

    pub fn starting(mut self, start: Date) -> Self {
        self.start = Some(start);
        self
    }

    pub fn ending(mut self, end: Date) -> Self {
        self.end = Some(end);
        self
    }

    pub fn preorder_from(mut self, preorder_start: Date) -> Self {
        self.preorder_start = Some(preorder_start);
        self
    }

    pub fn has_dates(&self) -> bool {
        self.start.is_some() || self.end.is_some() || self.preorder_start.is_some()
    }

    /// Checks the rule on its own (groups are checked when the engine resolves them).
    pub fn validate(&self) -> Result<(), RightsError> {
        if self.territories.is_empty() {
            return Err(RightsError::NoTerritories);
        }
        if self.kind == RuleKind::Exclude && self.has_dates() {
            return Err(RightsError::DatesOnExclude);
        }
        if let (Some(start), Some(end)) = (self.start, self.end)
            && end < start
        {
            return Err(RightsError::EndBeforeStart { start: fmt_date(start), end: fmt_date(end) });
        }
        match (self.preorder_start, self.start) {
            (Some(_), None) => Err(RightsError::PreorderWithoutStart),
            (Some(preorder), Some(start)) if preorder >= start => Err(RightsError::PreorderNotBeforeStart {
                preorder: fmt_date(preorder),
                start: fmt_date(start),
            }),
            _ => Ok(()),
        }
    }

    /// `exclude DE, AT, CH on all stores`, as quoted in reasons and notes.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            RuleKind::Include => "include",
            RuleKind::Exclude => "exclude",
        };
        let territories = self.territories.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let mut text = format!("{kind} {territories}");
        match &self.store {
            Some(store) => text.push_str(&format!(" on {store}")),
            None => text.push_str(" on all stores"),
        }
        if let Some(usage) = self.usage {
            text.push_str(&format!(" for {usage}"));
        }
        if let Some(start) = self.start {
            text.push_str(&format!(" from {}", fmt_date(start)));
        }
        if let Some(end) = self.end {
            text.push_str(&format!(" through {}", fmt_date(end)));
        }
        if let Some(preorder) = self.preorder_start {
            text.push_str(&format!(", pre-order from {}", fmt_date(preorder)));
        }
        text
    }
}

/// The override rules of one track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackRules {
    pub track: TrackKey,
    pub rules: Vec<Rule>,
}

/// All availability rules of one release: its tracks in running order (positions in messages
/// are 1-based indices into this list), the release-level defaults, and per-track overrides.
/// Rule order matters only to break ties between equally specific include rules (the later one
/// wins) and to number rules in messages (`release rule #2` is `release[1]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReleaseRights {
    pub tracks: Vec<TrackKey>,
    #[serde(default)]
    pub release: Vec<Rule>,
    #[serde(default)]
    pub track_rules: Vec<TrackRules>,
}

impl ReleaseRights {
    /// A release with these tracks and no rules: available worldwide.
    pub fn new(tracks: impl IntoIterator<Item = TrackKey>) -> Self {
        ReleaseRights { tracks: tracks.into_iter().collect(), release: Vec::new(), track_rules: Vec::new() }
    }

    /// The rules of one track (empty when it has none).
    pub fn rules_of(&self, track: TrackKey) -> &[Rule] {
        self.track_rules.iter().find(|entry| entry.track == track).map_or(&[], |entry| &entry.rules)
    }

    /// Mutable access, creating the track's entry on first use.
    pub fn rules_of_mut(&mut self, track: TrackKey) -> &mut Vec<Rule> {
        let index = match self.track_rules.iter().position(|entry| entry.track == track) {
            Some(index) => index,
            None => {
                self.track_rules.push(TrackRules { track, rules: Vec::new() });
                self.track_rules.len() - 1
            }
        };
        &mut self.track_rules[index].rules
    }

    /// 1-based position of a track, for messages.
    pub fn position(&self, track: TrackKey) -> Option<usize> {
        self.tracks.iter().position(|key| *key == track).map(|index| index + 1)
    }

    /// `track 3`, or `track #<key>` for a key not on the release.
    pub(crate) fn track_label(&self, track: TrackKey) -> String {
        match self.position(track) {
            Some(position) => format!("track {position}"),
            None => format!("track #{}", track.0),
        }
    }

    /// Every store named by a store-scoped rule, so callers can add them to the columns they
    /// compute.
    pub fn stores_named(&self) -> Vec<StoreId> {
        let mut stores: Vec<StoreId> = self
            .release
            .iter()
            .chain(self.track_rules.iter().flat_map(|entry| &entry.rules))
            .filter_map(|rule| rule.store.clone())
            .collect();
        stores.sort();
        stores.dedup();
        stores
    }

    pub fn rule(&self, at: &RuleRef) -> Option<&Rule> {
        match at.track {
            None => self.release.get(at.index),
            Some(track) => self.rules_of(track).get(at.index),
        }
    }

    /// `release rule #2` / `track 3 rule #1`.
    pub fn rule_label(&self, at: &RuleRef) -> String {
        match at.track {
            None => format!("release rule #{}", at.index + 1),
            Some(track) => format!("{} rule #{}", self.track_label(track), at.index + 1),
        }
    }
}

/// Points at one rule: `track: None` for a release rule; `index` is 0-based into the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RuleRef {
    pub track: Option<TrackKey>,
    pub index: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cli_territory_lists() -> Result<(), RightsError> {
        let groups = TerritoryGroups::new();
        let parsed = parse_territories("jp, DE AT", &groups)?;
        assert_eq!(parsed.iter().map(ToString::to_string).collect::<Vec<_>>(), ["JP", "DE", "AT"]);
        assert_eq!(parse_territories("Worldwide", &groups)?, [TerritoryRef::Worldwide]);
        assert_eq!(parse_territories("eu", &groups)?, [TerritoryRef::Group("EU".into())]);
        assert_eq!(
            parse_territories("JP,ZZ", &groups).expect_err("ZZ").to_string(),
            "unknown territory code \"ZZ\""
        );
        assert_eq!(
            parse_territories("Mars", &groups).expect_err("Mars").to_string(),
            "unknown territory group \"Mars\""
        );
        assert!(parse_territories(" , ", &groups).is_err());
        Ok(())
    }

    #[test]
    fn parses_uses_stores_dates() -> Result<(), RightsError> {
        assert_eq!(Use::parse("Ad-Supported")?, Use::AdSupportedStream);
        assert_eq!(Use::parse("subscription")?, Use::SubscriptionStream);
        assert_eq!(Use::parse("UGC")?, Use::Ugc);
        assert!(Use::parse("radio").expect_err("radio").to_string().contains("\"radio\""));
        assert_eq!(StoreId::parse(" Spotify ")?.as_str(), "spotify");
        assert_eq!(
            StoreId::parse("apple music").expect_err("space").to_string(),
            "invalid store id \"apple music\": use 1-40 lower-case letters, digits, '_' or '-', starting with a letter"
        );
        assert_eq!(fmt_date(parse_date("2027-01-15")?), "2027-01-15");
        assert_eq!(
            parse_date("15/01/2027").expect_err("format").to_string(),
            "invalid date \"15/01/2027\": expected YYYY-MM-DD"
        );
        Ok(())
    }

    #[test]
    fn validates_rules() -> Result<(), RightsError> {
        let jp = TerritoryRef::Code(Territory::parse("JP")?);
        let start = parse_date("2027-01-15")?;
        let end = parse_date("2026-12-31")?;
        assert_eq!(
            Rule::include([jp.clone()]).starting(start).ending(end).validate(),
            Err(RightsError::EndBeforeStart { start: "2027-01-15".into(), end: "2026-12-31".into() })
        );
        assert_eq!(Rule::exclude([jp.clone()]).ending(end).validate(), Err(RightsError::DatesOnExclude));
        assert_eq!(
            Rule::include([jp.clone()]).preorder_from(end).validate(),
            Err(RightsError::PreorderWithoutStart)
        );
        assert!(Rule::include([jp.clone()]).starting(start).preorder_from(start).validate().is_err());
        assert!(Rule::include([jp]).starting(start).preorder_from(end).validate().is_ok());
        assert_eq!(Rule::include([]).validate(), Err(RightsError::NoTerritories));
        Ok(())
    }

    #[test]
    fn rules_serialise_to_snake_case_json() -> Result<(), Box<dyn std::error::Error>> {
        let rule =
            Rule::include([TerritoryRef::Code(Territory::parse("JP")?), TerritoryRef::Group("EU".into())])
                .on_store(StoreId::parse("spotify")?)
                .for_use(Use::AdSupportedStream)
                .starting(parse_date("2027-01-15")?);
        let json = serde_json::to_string(&rule)?;
        assert_eq!(
            json,
            r#"{"kind":"include","territories":["JP","EU"],"store":"spotify","use":"ad_supported_stream","start":"2027-01-15","end":null,"preorder_start":null}"#
        );
        assert_eq!(serde_json::from_str::<Rule>(&json)?, rule);
        assert_eq!(
            serde_json::from_str::<Rule>(r#"{"kind":"exclude","territories":["Worldwide"]}"#)?,
            Rule::exclude([TerritoryRef::Worldwide])
        );
        Ok(())
    }

    #[test]
    fn stores_are_user_extensible() -> Result<(), RightsError> {
        let mut stores = Stores::new();
        assert_eq!(stores.display_name(&StoreId::parse("apple_music")?), "Apple Music");
        let anghami = stores.add("anghami", "Anghami")?;
        assert!(stores.ids().contains(&anghami));
        assert_eq!(stores.display_name(&anghami), "Anghami");
        assert!(stores.add("Bad Id", "x").is_err());
        Ok(())
    }
}
