//! Catalog entities. Database ids are `i64` row ids; a track can sit on several releases, so
//! the ISRC is an attribute of a track, never its key.

use serde::{Deserialize, Serialize};

use crate::ids::{DspPlatform, Isrc, Upc};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text form, used in the database, the CLI and on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the text form, ignoring case, spaces, `-` and `_`.
            pub fn parse(raw: &str) -> Option<Self> {
                let wanted = fold(raw);
                Self::ALL.iter().copied().find(|v| fold(v.as_str()) == wanted)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

fn fold(raw: &str) -> String {
    raw.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).flat_map(char::to_lowercase).collect()
}

string_enum! {
    /// DDEX ReleaseType values Catno offers.
    ReleaseType { Album => "Album", Ep => "EP", Single => "Single", Compilation => "Compilation" }
}

string_enum! {
    /// DDEX ParentalWarningType.
    ParentalAdvisory {
        NotExplicit => "NotExplicit",
        Explicit => "Explicit",
        Clean => "ExplicitContentEdited",
        Unknown => "Unknown",
    }
}

string_enum! {
    /// Where a release stands between preparation and the stores.
    WorkflowStatus {
        Draft => "Draft",
        InReview => "InReview",
        Approved => "Approved",
        Queued => "Queued",
        Delivered => "Delivered",
        Live => "Live",
        TakenDown => "TakenDown",
        Rejected => "Rejected",
    }
}

string_enum! {
    /// DDEX contributor roles (ERN 4.3 ContributorRole / DisplayArtistRole vocabulary).
    ContributorRole {
        MainArtist => "MainArtist",
        FeaturedArtist => "FeaturedArtist",
        Producer => "Producer",
        CoProducer => "CoProducer",
        MixingEngineer => "MixingEngineer",
        MasteringEngineer => "MasteringEngineer",
        RecordingEngineer => "RecordingEngineer",
        Remixer => "Remixer",
        Arranger => "Arranger",
        Conductor => "Conductor",
        Composer => "Composer",
        Lyricist => "Lyricist",
        Vocalist => "Vocalist",
        Instrumentalist => "Instrumentalist",
    }
}

string_enum! {
    /// Roles of the writers of the underlying musical work.
    WriterRole {
        Composer => "Composer",
        Lyricist => "Lyricist",
        ComposerLyricist => "ComposerLyricist",
        Arranger => "Arranger",
        Translator => "Translator",
    }
}

string_enum! {
    AssetKind { Audio => "Audio", Artwork => "Artwork" }
}

impl ContributorRole {
    /// Artist roles are shown on the cover and in the display artist; the rest are credits.
    pub fn is_display_artist(self) -> bool {
        matches!(self, Self::MainArtist | Self::FeaturedArtist)
    }
}

/// A P-line or C-line: `(year, holder)`, printed as "℗ 2024 Holder" or "© 2024 Holder".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RightsLine {
    pub year: u16,
    pub holder: String,
}

/// A title in another language or script: DDEX `DisplayTitle` with `LanguageAndScriptCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LocalizedTitle {
    /// BCP 47 language with optional script subtag, e.g. `ja`, `ja-Latn`, `sr-Cyrl`.
    pub language: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Label {
    pub id: i64,
    pub name: String,
    /// DDEX Party ID of the label, when it has one.
    pub dpid: Option<String>,
    pub release_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DspArtistId {
    pub platform: DspPlatform,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Artist {
    pub id: i64,
    pub name: String,
    pub localized_names: Vec<LocalizedTitle>,
    pub dsp_ids: Vec<DspArtistId>,
}

/// An artist credited on a track or release with a DDEX role; `sequence` orders the credits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Contributor {
    pub id: i64,
    pub artist_id: i64,
    pub artist_name: String,
    pub role: ContributorRole,
    pub sequence: i64,
}

/// A writer of the underlying work, with publisher and share in basis points (100 = 1 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Writer {
    pub id: i64,
    pub name: String,
    pub role: WriterRole,
    pub publisher: Option<String>,
    pub share_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Release {
    pub id: i64,
    pub label_id: i64,
    pub label_name: String,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub localized_titles: Vec<LocalizedTitle>,
    pub release_type: ReleaseType,
    pub upc: Option<Upc>,
    pub catalog_number: Option<String>,
    pub p_line: Option<RightsLine>,
    pub c_line: Option<RightsLine>,
    pub genre: Option<String>,
    pub subgenre: Option<String>,
    pub release_date: Option<String>,
    pub original_release_date: Option<String>,
    pub parental_advisory: ParentalAdvisory,
    pub metadata_language: Option<String>,
    pub status: WorkflowStatus,
    pub artists: Vec<Contributor>,
    pub updated_at: String,
}

/// One row of a release list: what the browser shows without loading the whole release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReleaseSummary {
    pub id: i64,
    pub label_id: i64,
    pub label_name: String,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub release_type: ReleaseType,
    pub upc: Option<String>,
    pub catalog_number: Option<String>,
    pub release_date: Option<String>,
    pub status: WorkflowStatus,
    pub track_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Track {
    pub id: i64,
    pub isrc: Option<Isrc>,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub localized_titles: Vec<LocalizedTitle>,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
    pub audio_language: Option<String>,
    pub contributors: Vec<Contributor>,
    pub writers: Vec<Writer>,
    pub updated_at: String,
}

/// A track's place on one release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TrackSummary {
    pub id: i64,
    pub release_id: i64,
    pub disc_number: i64,
    pub track_number: i64,
    pub isrc: Option<String>,
    pub title: String,
    pub version: Option<String>,
    pub display_artist: String,
    pub duration_ms: Option<i64>,
    pub explicit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    pub id: i64,
    pub kind: AssetKind,
    pub path: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub release_id: Option<i64>,
    pub track_id: Option<i64>,
}

/// A whole page of a list, with the total the list would have unpaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: i64,
    pub total: i64,
}

string_enum! {
    SearchHitKind { Release => "Release", Track => "Track", Artist => "Artist" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: SearchHitKind,
    pub id: i64,
    /// The release to open for this hit (the track's first release for a track).
    pub release_id: Option<i64>,
    pub title: String,
    pub subtitle: String,
}

/// Formats a duration the way a tracklist shows it: `m:ss`, or `h:mm:ss` past an hour.
pub fn format_duration_ms(ms: i64) -> String {
    let total = ms.max(0) / 1000;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_loosely_and_print_ddex_values() {
        assert_eq!(ReleaseType::parse("ep"), Some(ReleaseType::Ep));
        assert_eq!(ContributorRole::parse("mixing_engineer"), Some(ContributorRole::MixingEngineer));
        assert_eq!(ParentalAdvisory::Clean.as_str(), "ExplicitContentEdited");
        assert_eq!(WorkflowStatus::parse("in review"), Some(WorkflowStatus::InReview));
        assert_eq!(ReleaseType::parse("mixtape"), None);
    }

    #[test]
    fn durations_format_like_a_tracklist() {
        assert_eq!(format_duration_ms(0), "0:00");
        assert_eq!(format_duration_ms(215_400), "3:35");
        assert_eq!(format_duration_ms(3_725_000), "1:02:05");
    }
}
