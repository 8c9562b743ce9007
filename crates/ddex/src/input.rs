//! What a caller hands the generator: catalog types plus the facts a message needs that the
//! catalog does not hold (file facts, header parties, the injected id and clock).

use catno_domain::{Artist, Release, Track};
use catno_rights::DdexDeals;
use serde::{Deserialize, Serialize};

/// One whole release as one message: every message restates the full release (DDEX: the
/// latest message is the truth), so there is no partial-update input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseMessageInput {
    pub header: MessageHeaderInput,
    pub release: Release,
    /// In running order; `disc`/`number` give the position on the release.
    pub tracks: Vec<TrackInput>,
    pub artwork: Option<ImageTechnical>,
    /// Deals for the recipient, as compiled by `catno_rights::compile_ddex`; track deals are
    /// matched to tracks by `TrackKey(track.id)`.
    pub deals: DdexDeals,
    /// The label's DDEX Party ID, when it has one (written as the label party's DPID).
    pub label_dpid: Option<String>,
    /// Extra facts about credited artists (localized names, ISNI), looked up by artist id.
    pub artists: Vec<Artist>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageHeaderInput {
    pub sender_dpid: String,
    pub sender_name: String,
    pub recipient_dpid: String,
    pub recipient_name: String,
    /// Injected so the same catalog state gives the same bytes (derive it from a revision).
    pub message_id: String,
    /// ISO 8601 date-time with offset, e.g. `2026-12-02T10:00:00Z`; injected for determinism.
    /// Its date is also "today" for deals without a start and for takedown arithmetic.
    pub created: String,
    /// Marks the message `TestMessage` (DSP onboarding deliveries).
    pub test: bool,
    /// ERN 3.8.2 only: `UpdateMessage` instead of `OriginalMessage`.
    pub update: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackInput {
    pub track: Track,
    pub disc: u32,
    pub number: u32,
    pub audio: Option<AudioTechnical>,
}

/// Facts about the delivered audio file, probed by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioTechnical {
    /// The name the file has in the batch's `resources/` folder.
    pub file_name: String,
    /// Lowercase hex MD5 of the file.
    pub md5: String,
    pub codec: AudioCodec,
    pub bit_depth: u32,
    pub sample_rate: u32,
    pub channels: u32,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AudioCodec {
    Flac,
    /// WAV/PCM.
    Pcm,
    Mp3,
    Aac,
}

impl AudioCodec {
    /// The AVS value; the same in ERN 3.8.2 and 4.3.
    pub fn as_ddex(self) -> &'static str {
        match self {
            AudioCodec::Flac => "FLAC",
            AudioCodec::Pcm => "PCM",
            AudioCodec::Mp3 => "MP3",
            AudioCodec::Aac => "AAC",
        }
    }

    pub(crate) fn parse_ddex(raw: &str) -> Option<Self> {
        [AudioCodec::Flac, AudioCodec::Pcm, AudioCodec::Mp3, AudioCodec::Aac]
            .into_iter()
            .find(|c| c.as_ddex() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageTechnical {
    pub file_name: String,
    pub md5: String,
    pub width: u32,
    pub height: u32,
    pub codec: ImageCodec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageCodec {
    Jpeg,
    Png,
    Tiff,
}

impl ImageCodec {
    pub fn as_ddex(self) -> &'static str {
        match self {
            ImageCodec::Jpeg => "JPEG",
            ImageCodec::Png => "PNG",
            ImageCodec::Tiff => "TIFF",
        }
    }

    pub(crate) fn parse_ddex(raw: &str) -> Option<Self> {
        [ImageCodec::Jpeg, ImageCodec::Png, ImageCodec::Tiff].into_iter().find(|c| c.as_ddex() == raw)
    }
}
