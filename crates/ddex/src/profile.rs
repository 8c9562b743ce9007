//! DSP delivery profiles: versioned data (`profiles.json`, embedded), not code, so a DSP
//! changing its rules is a data edit with a test, and the UI can list what each profile does.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::DdexError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErnVersion {
    #[serde(rename = "4.3")]
    Ern43,
    #[serde(rename = "3.8.2")]
    Ern382,
}

impl ErnVersion {
    pub fn namespace(self) -> &'static str {
        match self {
            ErnVersion::Ern43 => "http://ddex.net/xml/ern/43",
            ErnVersion::Ern382 => "http://ddex.net/xml/ern/382",
        }
    }

    /// The folder under `CATNO_DDEX_SCHEMAS` holding this version's XSDs.
    pub fn schema_folder(self) -> &'static str {
        match self {
            ErnVersion::Ern43 => "ern43",
            ErnVersion::Ern382 => "ern382",
        }
    }
}

/// Where deals may be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealPlacement {
    /// Streaming deals only on TrackReleases (DDEX: an album is not streamed); download
    /// deals on the album and the tracks.
    StreamsOnTrackReleases,
    /// Only TrackRelease deals are read (YouTube); album deals are dropped.
    TrackReleasesOnly,
}

/// How a takedown is said to this DSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakedownStyle {
    /// Resend the release with every deal ending the day before the takedown date.
    EndDateDeals,
    /// YouTube: one `Worldwide` deal per TrackRelease whose EndDate is at least two days
    /// before the message date.
    WorldwideEndDateTwoDaysPast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashAlgorithm {
    #[serde(rename = "MD5")]
    Md5,
}

impl HashAlgorithm {
    pub fn as_ddex(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
        }
    }
}

/// A proprietary id to add to a resource, e.g. YouTube's `YOUTUBE:SR_CUSTOM_ID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProprietaryIdRule {
    /// Only `SoundRecording` today.
    pub resource: String,
    pub namespace: String,
    /// Which catalog value fills it: `isrc` or `track_id`.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DspProfile {
    pub id: String,
    pub name: String,
    pub ern: ErnVersion,
    /// `ReleaseProfileVersionId`: an AVS value in 4.3, a free string in 3.8.2.
    pub release_profile: String,
    /// Accepted (CommercialModelType, UseType) pairs; deals outside them are dropped with a
    /// warning.
    pub accepted_deals: Vec<(String, String)>,
    pub deal_placement: DealPlacement,
    /// Models that must appear together in one deal (YouTube: subscription + ad-supported).
    pub paired_models: Vec<String>,
    pub requires_deal_start: bool,
    pub takedown: TakedownStyle,
    /// Whether a PurgeReleaseMessage may be sent at all (Spotify: never as a takedown).
    pub purge_accepted: bool,
    /// Whether territory-specific metadata is read; Catno only writes Worldwide metadata, so
    /// this is informative until territorial metadata exists in the catalog.
    pub territorial_metadata: bool,
    pub proprietary_ids: Vec<ProprietaryIdRule>,
    pub hash_algorithm: HashAlgorithm,
    pub lead_days_new: u32,
    pub lead_days_update: u32,
    /// Where each rule comes from and how sure we are.
    pub sources: String,
}

impl DspProfile {
    pub fn accepts(&self, model: &str, use_type: &str) -> bool {
        self.accepted_deals.iter().any(|(m, u)| m == model && u == use_type)
    }
}

#[derive(Deserialize)]
struct ProfileFile {
    data_version: u32,
    profiles: Vec<DspProfile>,
}

fn table() -> &'static ProfileFile {
    static TABLE: OnceLock<ProfileFile> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is compiled in and parsed by a unit test, so this cannot fail at runtime.
        serde_json::from_str(include_str!("profiles.json")).expect("embedded profiles.json parses")
    })
}

/// The version of the embedded profile data (bumped whenever a DSP rule changes).
pub fn profiles_data_version() -> u32 {
    table().data_version
}

pub fn profiles() -> &'static [DspProfile] {
    &table().profiles
}

pub fn profile(id: &str) -> Result<&'static DspProfile, DdexError> {
    profiles().iter().find(|p| p.id == id).ok_or_else(|| DdexError::UnknownProfile(id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_profiles_parse_and_hold_the_four_ids() -> Result<(), DdexError> {
        let ids: Vec<&str> = profiles().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["spotify", "youtube", "generic-ern43", "generic-ern382"]);
        assert_eq!(profile("spotify")?.ern, ErnVersion::Ern43);
        assert!(!profile("spotify")?.purge_accepted);
        assert_eq!(profile("generic-ern382")?.ern, ErnVersion::Ern382);
        assert_eq!(profile("youtube")?.takedown, TakedownStyle::WorldwideEndDateTwoDaysPast);
        assert!(matches!(profile("apple"), Err(DdexError::UnknownProfile(_))));
        assert!(profiles_data_version() >= 1);
        Ok(())
    }
}
