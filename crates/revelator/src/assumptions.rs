//! Every behaviour of Revelator this client relies on that is NOT confirmed by Revelator's own
//! documentation (tagged `[ASSUME]` or only `[CODE×n]` in `/work/shared/revelator/NOTES.md`).
//! Kept in one place so it can be checked line by line against a real sandbox account
//! (NOTES §10.4); the numbers in brackets name the NOTES entry.
//!
//! Behaviours relied on without a constant to hold them:
//! - [A8] a 429 carries `Retry-After` in seconds; any other form waits one second
//!   (`client::retry_after`).
//! - [A1] `addtoqueue` and `takedown` answer 200 with an empty body or `true`; the body is
//!   ignored and the outcome read back from `/distribution/store/all` (`ops`).
//! - [§6.2] `saleStartDate` is accepted as ISO `YYYY-MM-DD` (what the 2026 client sends; the old
//!   docs show `mm/dd/yyyy`) (`ops::set_sale_start`).
//! - [§5.2, CODE×3] `/content/release/all?searchTerm=` matches the UPC as well as titles; the
//!   reconciliation of a create whose answer was lost relies on it (`ops`).
//! - [A3] the save answer holds `releaseId` (or `id`); when it does not, the release is found by
//!   reading back.
//!
//! Documented facts (paths, the read-only status set −10/−11/−20/−21, severity 1 = blocking,
//! full-object replace) live next to the code that uses them, not here.

use std::time::Duration;

/// [A6] Tokens live 8 hours with no refresh token; re-login a little before that so a long
/// upload does not start on a token about to expire. A 401 still triggers one re-login.
pub const TOKEN_REFRESH_AFTER: Duration = Duration::from_secs(7 * 3600 + 30 * 60);

/// [§6.4] What an empty store list means to `takedown` is unknown (one client believes "all
/// stores"), so the client never sends one.
pub const NEVER_SEND_EMPTY_STORE_LIST: bool = true;

/// [§5.4, CODE×4] `recordingVersionType` of the stereo master.
pub const RECORDING_VERSION_STEREO: i64 = 1;

/// [§5.4, CODE×2, one sample contradicts] `fileFormat` of audio files.
pub const FILE_FORMAT_WAV: i64 = 1;
pub const FILE_FORMAT_FLAC: i64 = 2;

/// [§5.4, CODE×3] `trackType` of an original recording.
pub const TRACK_TYPE_ORIGINAL: i64 = 1;

/// [§5.4, CODE×3] `rightsId` of a writer's share: copyright control or published.
pub const WRITER_RIGHTS_COPYRIGHT_CONTROL: i64 = 1;
pub const WRITER_RIGHTS_PUBLISHED: i64 = 2;

/// [§5.6, CODE×3] Contributor role groups; a track needs at least one role of the producer and
/// engineer group (§2, A10).
pub const ROLE_GROUP_PRODUCER_ENGINEER: i64 = 3;
pub const ROLE_GROUP_WRITER: i64 = 4;

/// [§5.6] The `trackProperties` entry meaning "none of the special cases"; found by name in the
/// lookup, never by id.
pub const TRACK_PROPERTY_NONE_NAME: &str = "None";

/// [§10.2 #12] List pages above this size are clamped by the server.
pub const MAX_PAGE_SIZE: u32 = 100;

/// [A9] Territory clearance payloads (V2) are unknown: only "worldwide" (the V1 default, nothing
/// to send) is supported; anything narrower is refused with a message instead of being sent in
/// a guessed shape.
pub const TERRITORY_CLEARANCES_WORLDWIDE_ONLY: bool = true;

/// [§5.6] Names of Revelator contributor roles, per Catno (DDEX) role, tried in order against
/// the `contributorRoles` lookup (case and punctuation ignored). Ids are never hard-coded; only
/// the names are guessed.
pub fn contributor_role_names(ddex_role: &str) -> &'static [&'static str] {
    match ddex_role {
        "MainArtist" => &["Primary Artist", "Main Artist", "Artist"],
        "FeaturedArtist" => &["Featuring", "Featured Artist", "Feat."],
        "Producer" => &["Producer"],
        "CoProducer" => &["Co-Producer", "Coproducer", "Producer"],
        "MixingEngineer" => &["Mixing Engineer", "Mixer", "Mix Engineer"],
        "MasteringEngineer" => &["Mastering Engineer", "Mastering"],
        "RecordingEngineer" => &["Recording Engineer", "Engineer"],
        "Remixer" => &["Remixer"],
        "Arranger" => &["Arranger"],
        "Conductor" => &["Conductor"],
        "Composer" => &["Composer"],
        "Lyricist" => &["Lyricist"],
        "ComposerLyricist" => &["Composer & Lyricist", "Composer and Lyricist", "Songwriter", "Writer"],
        "Translator" => &["Translator"],
        "Vocalist" => &["Vocals", "Vocalist", "Singer"],
        "Instrumentalist" => &["Instrumentalist", "Musician", "Performer"],
        _ => &[],
    }
}

/// [§5.3] Names of release types in the `releasetypes` lookup (its shape is unknown too).
pub fn release_type_names(ddex_type: &str) -> &'static [&'static str] {
    match ddex_type {
        "Album" => &["Album"],
        "EP" => &["EP", "Extended Play"],
        "Single" => &["Single"],
        "Compilation" => &["Compilation", "Album"],
        _ => &[],
    }
}

/// Backoff when a 5xx, a transport error or a 429 without `Retry-After` is retried.
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);
/// Never wait longer than this for one retry, whatever `Retry-After` says.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(60);
