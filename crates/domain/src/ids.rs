//! Industry identifiers: ISRC (recordings), UPC/EAN/GTIN (releases), ISWC
//! (works), and artist IDs on streaming platforms and rights registries.
//!
//! Every identifier parses leniently (case, hyphens, spaces, pasted links) and
//! keeps one canonical string, so equality and hashing compare identifiers,
//! not spellings. Errors quote the input and say exactly what is wrong because
//! they are shown verbatim to whoever typed or imported the value.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why an identifier was rejected. `kind` / `platform` name the identifier
/// ("ISRC", "Spotify artist ID"); `value` is the (trimmed, possibly shortened)
/// input so the message stands on its own in a form or an import report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },

    #[error("{kind} {value:?} must be {expected}, got {got}")]
    Length { kind: &'static str, value: String, expected: &'static str, got: usize },

    #[error("{kind} {value:?} contains {found:?}; only {allowed} are allowed")]
    InvalidChar { kind: &'static str, value: String, found: char, allowed: &'static str },

    /// One positional part of a structured code is malformed.
    #[error("{kind} {value:?}: {field} {part:?} must be {expected}")]
    Field { kind: &'static str, value: String, field: &'static str, part: String, expected: &'static str },

    #[error("ISRC {value:?}: {code:?} is not an ISO 3166-1 country code")]
    UnknownCountry { value: String, code: String },

    #[error("{kind} {value:?} has check digit {found}, expected {expected}")]
    CheckDigit { kind: &'static str, value: String, found: char, expected: char },

    #[error("{kind} {value:?} must be {expected}")]
    Format { kind: &'static str, value: String, expected: &'static str },

    /// A link to the right platform, but to a track/album/… page.
    #[error("{platform} link {value:?} is a {found} link, not an artist link")]
    NotArtist { platform: &'static str, value: String, found: &'static str },

    /// Handles (@name) can be renamed or reassigned and cannot be resolved
    /// offline, so only the stable ID is accepted.
    #[error("{platform} {value:?} is a handle or custom URL, not an ID; paste the {wanted} instead")]
    Handle { platform: &'static str, value: String, wanted: &'static str },

    #[error("{value:?} is not a {platform} artist link or ID")]
    UnrecognizedLink { platform: &'static str, value: String },
}

/// Pasted URLs can be long; quote at most this many characters of the input.
const SHOWN_MAX_CHARS: usize = 80;

/// The input as quoted in error messages.
fn shown(raw: &str) -> String {
    let raw = raw.trim();
    if raw.chars().count() <= SHOWN_MAX_CHARS {
        return raw.to_owned();
    }
    let mut s: String = raw.chars().take(SHOWN_MAX_CHARS).collect();
    s.push('…');
    s
}

/// The trimmed input without whitespace and the given separator characters.
fn compact(raw: &str, separators: &[char]) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && !separators.contains(c)).collect()
}

/// `prefix` stripped case-insensitively; `get` keeps this safe on non-ASCII input.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn digit_char(d: u8) -> char {
    char::from(b'0' + d % 10)
}

// ---------------------------------------------------------------------------
// Countries
// ---------------------------------------------------------------------------

/// ISO 3166-1 alpha-2, all 249 officially assigned codes, sorted for
/// `binary_search`.
const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
    "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
    "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
    "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
    "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
    "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
    "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Non-ISO prefixes the ISRC agencies hand out: QM–QZ are extra US ranges
/// (distributors ran out of "US" registrants), CP/DG are IFPI-reserved, and
/// "UK" is the legacy spelling of GB found on older releases. Sorted.
const ISRC_EXTRA_PREFIXES: [&str; 9] = ["CP", "DG", "QM", "QN", "QO", "QP", "QT", "QZ", "UK"];

/// True for a current ISO 3166-1 alpha-2 code, exact uppercase ("GB", not "gb").
pub fn is_iso_country(code: &str) -> bool {
    ISO_3166_ALPHA2.binary_search(&code).is_ok()
}

fn is_isrc_prefix(code: &str) -> bool {
    is_iso_country(code) || ISRC_EXTRA_PREFIXES.binary_search(&code).is_ok()
}

// ---------------------------------------------------------------------------
// ISRC
// ---------------------------------------------------------------------------

/// International Standard Recording Code, canonical `CCXXXYYNNNNN`
/// (country, registrant, year, designation): 12 characters, uppercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(transparent))]
pub struct Isrc(String);

impl Isrc {
    const KIND: &'static str = "ISRC";

    /// Accepts any case and hyphens/spaces anywhere ("us-rc1-76-07839").
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let kind = Self::KIND;
        let s = compact(raw, &['-']).to_ascii_uppercase();
        if s.is_empty() {
            return Err(IdError::Empty { kind });
        }
        if let Some(found) = s.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(IdError::InvalidChar {
                kind,
                value: shown(raw),
                found,
                allowed: "letters, digits, hyphens and spaces",
            });
        }
        // All ASCII from here on, so byte slicing is safe.
        if s.len() != 12 {
            return Err(IdError::Length {
                kind,
                value: shown(raw),
                expected: "12 characters (CCXXXYYNNNNN)",
                got: s.len(),
            });
        }
        let field = |field, part: &str, expected| IdError::Field {
            kind,
            value: shown(raw),
            field,
            part: part.to_owned(),
            expected,
        };
        let (cc, yy, nnnnn) = (&s[0..2], &s[5..7], &s[7..12]);
        if !cc.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(field("country code", cc, "2 letters"));
        }
        if !is_isrc_prefix(cc) {
            return Err(IdError::UnknownCountry { value: shown(raw), code: cc.to_owned() });
        }
        if !is_digits(yy) {
            return Err(field("year", yy, "2 digits"));
        }
        if !is_digits(nnnnn) {
            return Err(field("designation code", nnnnn, "5 digits"));
        }
        Ok(Self(s))
    }

    /// Canonical form: 12 uppercase characters, no hyphens.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Country (or agency-allocated) prefix, e.g. "US".
    pub fn country(&self) -> &str {
        &self.0[0..2]
    }

    /// Three-character registrant code, e.g. "RC1".
    pub fn registrant(&self) -> &str {
        &self.0[2..5]
    }

    /// Two-digit year of reference, e.g. "76"; the century is not encoded.
    pub fn year(&self) -> &str {
        &self.0[5..7]
    }

    /// Five-digit designation code, e.g. "07839".
    pub fn designation(&self) -> &str {
        &self.0[7..12]
    }

    /// Display form used on labels and in liner notes: "US-RC1-76-07839".
    pub fn hyphenated(&self) -> String {
        format!("{}-{}-{}-{}", self.country(), self.registrant(), self.year(), self.designation())
    }
}

// ---------------------------------------------------------------------------
// UPC / EAN / GTIN
// ---------------------------------------------------------------------------

/// GS1 mod-10 check digit for `body` (every digit except the check digit).
/// `None` unless `body` is non-empty ASCII digits.
pub fn gtin_check_digit(body: &str) -> Option<u8> {
    if !is_digits(body) {
        return None;
    }
    // Weights alternate 3,1,3,… starting next to the check digit, so leading
    // zero padding (UPC-A → EAN-13 → GTIN-14) never changes the result.
    let sum = body.bytes().rev().enumerate().fold(0u8, |acc, (i, b)| {
        let weight = if i % 2 == 0 { 3 } else { 1 };
        (acc + (b - b'0') * weight) % 10
    });
    Some((10 - sum) % 10)
}

/// A release's GTIN as used for the ICPN: UPC-A (12), EAN-13 (13) or GTIN-14
/// (14 digits), kept as digits exactly as given because leading zeros are
/// significant to distributors. Equality is textual: a UPC-A and its
/// zero-padded EAN-13 are different values (compare `to_ean13()` if needed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(transparent))]
pub struct Upc(String);

impl Upc {
    /// Accepts spaces and hyphens between digits ("0 36000 29145 2").
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let s = compact(raw, &['-']);
        if s.is_empty() {
            return Err(IdError::Empty { kind: "UPC" });
        }
        if let Some(found) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(IdError::InvalidChar {
                kind: "UPC",
                value: shown(raw),
                found,
                allowed: "digits, spaces and hyphens",
            });
        }
        // Name the code by its length so the message matches what the user holds.
        let kind = match s.len() {
            12 => "UPC",
            13 => "EAN",
            14 => "GTIN",
            got => {
                return Err(IdError::Length {
                    kind: "UPC",
                    value: shown(raw),
                    expected: "12 (UPC-A), 13 (EAN-13) or 14 (GTIN-14) digits",
                    got,
                });
            }
        };
        let (body, check) = s.split_at(s.len() - 1);
        let expected = gtin_check_digit(body).map(digit_char);
        let found = check.chars().next();
        match (found, expected) {
            (Some(found), Some(expected)) if found != expected => {
                Err(IdError::CheckDigit { kind, value: shown(raw), found, expected })
            }
            _ => Ok(Self(s)),
        }
    }

    /// The digits, as given (minus separators).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a 12-digit UPC-A.
    pub fn is_upc_a(&self) -> bool {
        self.0.len() == 12
    }

    /// The 13-digit EAN form: UPC-A gains a leading 0, EAN-13 is unchanged, a
    /// GTIN-14 drops its leading 0. `None` for a GTIN-14 whose indicator digit
    /// is not 0 (a case/pack code, which has no EAN-13 equivalent).
    pub fn to_ean13(&self) -> Option<String> {
        match self.0.len() {
            12 => Some(format!("0{}", self.0)),
            13 => Some(self.0.clone()),
            _ => self.0.strip_prefix('0').map(str::to_owned),
        }
    }
}

// ---------------------------------------------------------------------------
// ISWC
// ---------------------------------------------------------------------------

/// ISWC check digit for the 9 digits after "T": weights 1..=9 plus 1 for the
/// "T" itself.
fn iswc_check_digit(digits: &str) -> u8 {
    let sum = digits.bytes().zip(1u32..).fold(1u32, |acc, (b, i)| (acc + i * u32::from(b - b'0')) % 10);
    // `sum` < 10, so the narrowing cannot lose anything.
    u8::try_from((10 - sum) % 10).unwrap_or(0)
}

/// International Standard Musical Work Code, canonical "T1234567890"
/// ("T", 9 digits, check digit); displayed as "T-123.456.789-0".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(transparent))]
pub struct Iswc(String);

impl Iswc {
    const KIND: &'static str = "ISWC";

    /// Accepts "T-034.524.680-1", "T0345246801", lowercase "t", spaces.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let kind = Self::KIND;
        let s = compact(raw, &['-', '.']).to_ascii_uppercase();
        let Some(digits) = s.strip_prefix('T') else {
            return Err(if s.is_empty() {
                IdError::Empty { kind }
            } else {
                IdError::Format {
                    kind,
                    value: shown(raw),
                    expected: "\"T\" followed by 10 digits, e.g. T-034.524.680-1",
                }
            });
        };
        if let Some(found) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(IdError::InvalidChar {
                kind,
                value: shown(raw),
                found,
                allowed: "digits after the leading T, dots and hyphens",
            });
        }
        if s.len() != 11 {
            return Err(IdError::Length {
                kind,
                value: shown(raw),
                expected: "11 characters (T + 9 digits + check digit)",
                got: s.len(),
            });
        }
        let (body, check) = digits.split_at(9);
        let expected = digit_char(iswc_check_digit(body));
        match check.chars().next() {
            Some(found) if found != expected => {
                Err(IdError::CheckDigit { kind, value: shown(raw), found, expected })
            }
            _ => Ok(Self(s)),
        }
    }

    /// Canonical form "T0345246801" (what is stored and serialized).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------------------
// Shared newtype plumbing
// ---------------------------------------------------------------------------

macro_rules! string_newtype {
    ($t:ty) => {
        impl FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(id: $t) -> String {
                id.0
            }
        }
    };
}
string_newtype!(Isrc);
string_newtype!(Upc);
string_newtype!(Iswc);

impl fmt::Display for Isrc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Upc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Iswc {
    /// The conventional human form; `parse` accepts it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "T-{}.{}.{}-{}", &s[1..4], &s[4..7], &s[7..10], &s[10..11])
    }
}

// ---------------------------------------------------------------------------
// DSP / registry artist IDs
// ---------------------------------------------------------------------------

/// A platform or registry where an artist has an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DspPlatform {
    Spotify,
    AppleMusic,
    Amazon,
    Deezer,
    // Brand spellings: snake_case would give "you_tube", "sound_cloud", "tik_tok".
    #[serde(rename = "youtube")]
    YouTube,
    Tidal,
    #[serde(rename = "soundcloud")]
    SoundCloud,
    Isni,
    Ipi,
    Meta,
    #[serde(rename = "tiktok")]
    TikTok,
}

impl DspPlatform {
    pub const ALL: [DspPlatform; 11] = [
        Self::Spotify,
        Self::AppleMusic,
        Self::Amazon,
        Self::Deezer,
        Self::YouTube,
        Self::Tidal,
        Self::SoundCloud,
        Self::Isni,
        Self::Ipi,
        Self::Meta,
        Self::TikTok,
    ];

    /// Stable snake_case id, identical to the serde form (used in storage).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Spotify => "spotify",
            Self::AppleMusic => "apple_music",
            Self::Amazon => "amazon",
            Self::Deezer => "deezer",
            Self::YouTube => "youtube",
            Self::Tidal => "tidal",
            Self::SoundCloud => "soundcloud",
            Self::Isni => "isni",
            Self::Ipi => "ipi",
            Self::Meta => "meta",
            Self::TikTok => "tiktok",
        }
    }

    /// Inverse of [`as_str`](Self::as_str); exact match only.
    pub fn from_str_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == id)
    }

    /// Human name for UI.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Spotify => "Spotify",
            Self::AppleMusic => "Apple Music",
            Self::Amazon => "Amazon Music",
            Self::Deezer => "Deezer",
            Self::YouTube => "YouTube",
            Self::Tidal => "Tidal",
            Self::SoundCloud => "SoundCloud",
            Self::Isni => "ISNI",
            Self::Ipi => "IPI",
            Self::Meta => "Meta",
            Self::TikTok => "TikTok",
        }
    }

    /// What the ID is called, as the subject of error messages.
    fn id_kind(&self) -> &'static str {
        match self {
            Self::Spotify => "Spotify artist ID",
            Self::AppleMusic => "Apple Music artist ID",
            Self::Amazon => "Amazon Music artist ID",
            Self::Deezer => "Deezer artist ID",
            Self::YouTube => "YouTube channel ID",
            Self::Tidal => "Tidal artist ID",
            Self::SoundCloud => "SoundCloud profile permalink",
            Self::Isni => "ISNI",
            Self::Ipi => "IPI name number",
            Self::Meta => "Meta page ID",
            Self::TikTok => "TikTok user ID",
        }
    }
}

/// Canonicalizes and format-checks an artist ID for `platform`, accepting the
/// links people actually paste (share URLs, URIs) and returning the bare ID.
/// Purely syntactic: nothing is looked up, so a well-formed ID may not exist.
/// The result is a fixed point: normalizing it again returns it unchanged.
pub fn normalize_dsp_artist_id(platform: DspPlatform, raw: &str) -> Result<String, IdError> {
    let input = raw.trim();
    if input.is_empty() {
        return Err(IdError::Empty { kind: platform.id_kind() });
    }
    let ctx = Ctx { platform, input };
    match platform {
        DspPlatform::Spotify => spotify(ctx),
        DspPlatform::AppleMusic => apple_music(ctx),
        DspPlatform::Amazon => amazon(ctx),
        DspPlatform::Deezer => deezer(ctx),
        DspPlatform::YouTube => youtube(ctx),
        DspPlatform::Tidal => tidal(ctx),
        DspPlatform::SoundCloud => soundcloud(ctx),
        DspPlatform::Isni => isni(ctx),
        DspPlatform::Ipi => ipi(ctx),
        DspPlatform::Meta => meta(ctx),
        DspPlatform::TikTok => tiktok(ctx),
    }
}

/// The platform and trimmed input, from which every error is built.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    platform: DspPlatform,
    input: &'a str,
}

impl Ctx<'_> {
    fn format(self, expected: &'static str) -> IdError {
        IdError::Format { kind: self.platform.id_kind(), value: shown(self.input), expected }
    }

    fn not_artist(self, found: &'static str) -> IdError {
        IdError::NotArtist { platform: self.platform.label(), value: shown(self.input), found }
    }

    fn handle(self, wanted: &'static str) -> IdError {
        IdError::Handle { platform: self.platform.label(), value: shown(self.input), wanted }
    }

    fn unrecognized(self) -> IdError {
        IdError::UnrecognizedLink { platform: self.platform.label(), value: shown(self.input) }
    }

    fn numeric(
        self,
        id: &str,
        len: RangeInclusive<usize>,
        expected: &'static str,
    ) -> Result<String, IdError> {
        if len.contains(&id.len()) && is_digits(id) { Ok(id.to_owned()) } else { Err(self.format(expected)) }
    }
}

/// Just enough URL parsing for share links; no dependency for a URL crate.
struct Link<'a> {
    /// Lowercase, without port and without a leading "www.".
    host: String,
    /// Non-empty path segments.
    segments: Vec<&'a str>,
    query: &'a str,
}

impl<'a> Link<'a> {
    /// `None` when `input` does not look like a link: no "://" and no
    /// "host.tld/…" shape (people often paste links without the scheme).
    fn parse(input: &'a str) -> Option<Self> {
        let rest = match input.find("://") {
            Some(i) => &input[i + 3..],
            None => {
                let first = input.split('/').next().unwrap_or("");
                if !(input.contains('/') && first.contains('.')) {
                    return None;
                }
                input
            }
        };
        let rest = rest.split('#').next().unwrap_or(rest);
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut host = authority.to_ascii_lowercase();
        if let Some(colon) = host.find(':') {
            host.truncate(colon);
        }
        if let Some(bare) = host.strip_prefix("www.") {
            host = bare.to_owned();
        }
        Some(Link { host, segments: path.split('/').filter(|s| !s.is_empty()).collect(), query })
    }

    /// `domain` itself or any subdomain of it.
    fn host_is(&self, domain: &str) -> bool {
        self.host == domain || self.host.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
    }

    fn query_param(&self, name: &str) -> Option<&'a str> {
        self.query.split('&').filter_map(|kv| kv.split_once('=')).find_map(|(k, v)| (k == name).then_some(v))
    }
}

/// Readable name for a path/URI segment that denotes a non-artist page, so
/// the error can say "this is an album link" instead of "bad ID".
fn non_artist_kind(segment: &str) -> Option<&'static str> {
    Some(match segment.to_ascii_lowercase().as_str() {
        "track" | "tracks" => "track",
        "album" | "albums" => "album",
        "playlist" | "playlists" | "sets" => "playlist",
        "song" | "songs" => "song",
        "show" | "podcast" | "podcasts" => "podcast",
        "episode" | "episodes" => "episode",
        "video" | "videos" | "watch" | "shorts" | "music-video" => "video",
        "mix" => "mix",
        "station" => "radio station",
        "user" => "user profile",
        "dp" => "product",
        _ => return None,
    })
}

/// Given path segments that start with a kind segment ("artist", "channel"…),
/// returns the segment after it and whatever follows that. A known non-artist
/// kind becomes `NotArtist`; anything else is an unrecognized link.
fn after_kind<'s, 'a>(
    ctx: Ctx<'_>,
    segments: &'s [&'a str],
    artist_words: &[&str],
) -> Result<(&'a str, &'s [&'a str]), IdError> {
    let Some((kind, rest)) = segments.split_first() else {
        return Err(ctx.unrecognized());
    };
    if artist_words.iter().any(|w| kind.eq_ignore_ascii_case(w))
        && let Some((id, rest)) = rest.split_first()
    {
        return Ok((id, rest));
    }
    Err(non_artist_kind(kind).map_or_else(|| ctx.unrecognized(), |k| ctx.not_artist(k)))
}

/// Drops a leading two-letter storefront/language segment ("us", "fr").
fn skip_locale<'s, 'a>(segments: &'s [&'a str]) -> &'s [&'a str] {
    match segments.split_first() {
        Some((first, rest)) if first.len() == 2 && first.bytes().all(|b| b.is_ascii_alphabetic()) => rest,
        _ => segments,
    }
}

fn spotify(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = if let Some(uri) = strip_prefix_ci(ctx.input, "spotify:") {
        let parts: Vec<&str> = uri.split(':').collect();
        after_kind(ctx, &parts, &["artist"])?.0
    } else if let Some(link) = Link::parse(ctx.input) {
        if !matches!(link.host.as_str(), "open.spotify.com" | "play.spotify.com") {
            return Err(ctx.unrecognized());
        }
        // Localised ("/intl-de/") and embed links point at the same artist.
        let segments: Vec<&str> =
            link.segments.iter().copied().filter(|s| !(s.starts_with("intl-") || *s == "embed")).collect();
        after_kind(ctx, &segments, &["artist"])?.0
    } else {
        ctx.input
    };
    // Spotify IDs are case-sensitive base-62: keep the case as given.
    if id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(id.to_owned())
    } else {
        Err(ctx.format("22 base-62 characters (A–Z, a–z, 0–9)"))
    }
}

fn apple_music(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = match Link::parse(ctx.input) {
        Some(link) => {
            if !(link.host_is("music.apple.com") || link.host_is("itunes.apple.com")) {
                return Err(ctx.unrecognized());
            }
            let (first, rest) = after_kind(ctx, skip_locale(&link.segments), &["artist"])?;
            // "/artist/<name-slug>/<id>" or "/artist/<id>": the ID is always last.
            rest.last().copied().unwrap_or(first)
        }
        None => ctx.input,
    };
    // Older iTunes links spell it "id123456".
    let id = strip_prefix_ci(id, "id").unwrap_or(id);
    ctx.numeric(id, 1..=12, "1–12 digits")
}

fn amazon(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = match Link::parse(ctx.input) {
        Some(link) => {
            // Any storefront: amazon.de, music.amazon.co.uk, …
            if !(link.host.starts_with("amazon.") || link.host.starts_with("music.amazon.")) {
                return Err(ctx.unrecognized());
            }
            after_kind(ctx, &link.segments, &["artists", "artist"])?.0
        }
        None => ctx.input,
    };
    let asin = id.to_ascii_uppercase();
    if asin.len() == 10 && asin.starts_with("B0") && asin.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(asin)
    } else {
        Err(ctx.format("an ASIN of 10 letters or digits starting with \"B0\""))
    }
}

fn deezer(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = match Link::parse(ctx.input) {
        Some(link) if link.host_is("deezer.com") => {
            after_kind(ctx, skip_locale(&link.segments), &["artist"])?.0
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => ctx.input,
    };
    ctx.numeric(id, 1..=15, "a number of 1–15 digits")
}

fn youtube(ctx: Ctx<'_>) -> Result<String, IdError> {
    const WANTED: &str = "channel ID (\"UC\" followed by 22 characters)";
    if ctx.input.starts_with('@') {
        return Err(ctx.handle(WANTED));
    }
    let id = match Link::parse(ctx.input) {
        Some(link) if link.host_is("youtu.be") => return Err(ctx.not_artist("video")),
        Some(link) if link.host_is("youtube.com") => {
            // "@name" handles (including "…-topic") and legacy /c/ and /user/
            // custom URLs name a channel but are not its ID.
            if let Some(first) = link.segments.first()
                && (first.starts_with('@')
                    || first.eq_ignore_ascii_case("c")
                    || first.eq_ignore_ascii_case("user"))
            {
                return Err(ctx.handle(WANTED));
            }
            after_kind(ctx, &link.segments, &["channel", "browse"])?.0
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => ctx.input,
    };
    let valid = id.len() == 24
        && id.starts_with("UC")
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid {
        Ok(id.to_owned())
    } else {
        Err(ctx.format("\"UC\" followed by 22 characters (A–Z, a–z, 0–9, _ or -)"))
    }
}

fn tidal(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = match Link::parse(ctx.input) {
        Some(link) if link.host_is("tidal.com") => {
            let segments = match link.segments.split_first() {
                Some((first, rest)) if first.eq_ignore_ascii_case("browse") => rest,
                _ => &link.segments[..],
            };
            after_kind(ctx, segments, &["artist"])?.0
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => ctx.input,
    };
    ctx.numeric(id, 1..=15, "a number of 1–15 digits")
}

fn soundcloud(ctx: Ctx<'_>) -> Result<String, IdError> {
    // Tabs of a profile page: the link still identifies the artist.
    const PROFILE_TABS: [&str; 9] = [
        "albums",
        "comments",
        "followers",
        "following",
        "likes",
        "popular-tracks",
        "reposts",
        "sets",
        "tracks",
    ];
    // Site sections that look like a first path segment but are not profiles.
    const RESERVED: [&str; 10] = [
        "charts",
        "discover",
        "messages",
        "notifications",
        "pages",
        "search",
        "settings",
        "stream",
        "upload",
        "you",
    ];
    let slug = match Link::parse(ctx.input) {
        // on.soundcloud.com short links need a network hop to resolve: rejected.
        Some(link) if matches!(link.host.as_str(), "soundcloud.com" | "m.soundcloud.com") => {
            let first = link.segments.first().copied().unwrap_or("");
            if RESERVED.contains(&first.to_ascii_lowercase().as_str()) {
                return Err(ctx.unrecognized());
            }
            match link.segments.as_slice() {
                [slug] => *slug,
                [slug, tab] if PROFILE_TABS.contains(&tab.to_ascii_lowercase().as_str()) => *slug,
                [_, sets, _, ..] if sets.eq_ignore_ascii_case("sets") => {
                    return Err(ctx.not_artist("playlist"));
                }
                [_, _, ..] => return Err(ctx.not_artist("track")),
                [] => return Err(ctx.unrecognized()),
            }
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => ctx.input,
    };
    // Permalinks are case-insensitive on SoundCloud and shown lowercase.
    let slug = slug.to_ascii_lowercase();
    let valid = (3..=25).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if valid { Ok(slug) } else { Err(ctx.format("a permalink of 3–25 characters (a–z, 0–9, _ or -)")) }
}

/// Strips a leading "ISNI"/"IPI" label as copied from registries and credits
/// ("ISNI: 0000 0001 2103 2683").
fn strip_label<'a>(input: &'a str, label: &str) -> &'a str {
    strip_prefix_ci(input, label)
        .map(|rest| rest.trim_start_matches(|c: char| c == ':' || c.is_whitespace()))
        .unwrap_or(input)
}

/// ISO 7064 MOD 11-2 check character over 15 digits; 10 is written "X".
fn isni_check_char(body: &str) -> char {
    let total = body.bytes().fold(0u32, |acc, b| (acc + u32::from(b - b'0')) * 2 % 11);
    match (12 - total) % 11 {
        10 => 'X',
        // < 10 here, so the conversion always succeeds.
        d => char::from_digit(d, 10).unwrap_or('?'),
    }
}

fn isni(ctx: Ctx<'_>) -> Result<String, IdError> {
    let kind = ctx.platform.id_kind();
    let body = match Link::parse(ctx.input) {
        Some(link) if link.host_is("isni.org") || link.host_is("isni.oclc.org") => {
            link.segments.last().copied().ok_or_else(|| ctx.unrecognized())?
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => strip_label(ctx.input, "ISNI"),
    };
    let s = compact(body, &['-']).to_ascii_uppercase();
    if let Some(found) = s.chars().find(|c| !(c.is_ascii_digit() || *c == 'X')) {
        return Err(IdError::InvalidChar {
            kind,
            value: shown(ctx.input),
            found,
            allowed: "digits (the last may be X), spaces and hyphens",
        });
    }
    if s.len() != 16 {
        return Err(IdError::Length {
            kind,
            value: shown(ctx.input),
            expected: "16 characters (15 digits + check character)",
            got: s.len(),
        });
    }
    let (digits, check) = s.split_at(15);
    if !is_digits(digits) {
        return Err(ctx.format("15 digits followed by a check digit or X"));
    }
    let expected = isni_check_char(digits);
    match check.chars().next() {
        Some(found) if found != expected => {
            Err(IdError::CheckDigit { kind, value: shown(ctx.input), found, expected })
        }
        _ => Ok(s),
    }
}

fn ipi(ctx: Ctx<'_>) -> Result<String, IdError> {
    let s = compact(strip_label(ctx.input, "IPI"), &['-', '.']);
    if (9..=11).contains(&s.len()) && is_digits(&s) {
        // Registries print IPI name numbers as 11 digits; short forms have
        // merely lost their leading zeros.
        Ok(format!("{s:0>11}"))
    } else {
        Err(ctx.format("9–11 digits"))
    }
}

fn meta(ctx: Ctx<'_>) -> Result<String, IdError> {
    let id = match Link::parse(ctx.input) {
        // facebook.com/profile.php?id=<n>, facebook.com/<n>, facebook.com/people/<name>/<n>
        Some(link) if link.host_is("facebook.com") || link.host_is("fb.com") => {
            link.query_param("id").or_else(|| link.segments.last().copied()).unwrap_or("")
        }
        Some(_) => return Err(ctx.unrecognized()),
        None => ctx.input,
    };
    ctx.numeric(id, 5..=20, "a numeric Page ID of 5–20 digits")
}

fn tiktok(ctx: Ctx<'_>) -> Result<String, IdError> {
    const WANTED: &str = "numeric user ID";
    if ctx.input.starts_with('@') {
        return Err(ctx.handle(WANTED));
    }
    match Link::parse(ctx.input) {
        Some(link)
            if link.host_is("tiktok.com") && link.segments.first().is_some_and(|s| s.starts_with('@')) =>
        {
            Err(ctx.handle(WANTED))
        }
        Some(_) => Err(ctx.unrecognized()),
        None => ctx.numeric(ctx.input, 5..=25, "a numeric user ID of 5–25 digits"),
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    fn err_msg<T: fmt::Debug>(r: Result<T, IdError>) -> String {
        r.unwrap_err().to_string()
    }

    /// Asserts rejection and that the message quotes `raw`.
    fn rejects_naming<T: fmt::Debug>(r: Result<T, IdError>, raw: &str) -> String {
        let msg = err_msg(r);
        assert!(msg.contains(&format!("{raw:?}")), "{msg:?} does not quote {raw:?}");
        msg
    }

    fn norm(p: DspPlatform, raw: &str) -> Result<String, IdError> {
        normalize_dsp_artist_id(p, raw)
    }

    // --- countries ---------------------------------------------------------

    #[test]
    fn country_list_is_sorted_unique_uppercase() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(ISRC_EXTRA_PREFIXES.windows(2).all(|w| w[0] < w[1]));
        assert!(ISO_3166_ALPHA2.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        for c in ["US", "GB", "DE", "JP", "SS"] {
            assert!(is_iso_country(c), "{c}");
        }
        for c in ["UK", "ZZ", "XK", "us", "USA", ""] {
            assert!(!is_iso_country(c), "{c}");
        }
    }

    // --- ISRC --------------------------------------------------------------

    #[test]
    fn isrc_valid_and_parts() {
        let i = Isrc::parse("USRC17607839").unwrap();
        assert_eq!((i.country(), i.registrant(), i.year(), i.designation()), ("US", "RC1", "76", "07839"));
        assert_eq!(i.hyphenated(), "US-RC1-76-07839");
        assert_eq!(i.to_string(), "USRC17607839");
        for alt in ["us-rc1-76-07839", " US RC1 76 07839 ", "US-RC1-76-07839"] {
            assert_eq!(Isrc::parse(alt).unwrap(), i, "{alt}");
        }
        // Agency prefixes and legacy UK.
        for ok in ["QZES71900123", "QMDA61700001", "UKAAA0000001", "GBAYE0601498"] {
            assert!(Isrc::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn isrc_rejections() {
        assert_eq!(err_msg(Isrc::parse("  ")), "ISRC is empty");
        assert_eq!(
            err_msg(Isrc::parse("USAB1")),
            "ISRC \"USAB1\" must be 12 characters (CCXXXYYNNNNN), got 5"
        );
        let m = rejects_naming(Isrc::parse("USRC1760783!"), "USRC1760783!");
        assert!(m.contains("'!'"), "{m}");
        let m = rejects_naming(Isrc::parse("12RC17607839"), "12RC17607839");
        assert!(m.contains("country code \"12\" must be 2 letters"), "{m}");
        assert_eq!(
            err_msg(Isrc::parse("ZZRC17607839")),
            "ISRC \"ZZRC17607839\": \"ZZ\" is not an ISO 3166-1 country code"
        );
        let m = rejects_naming(Isrc::parse("USRC1AB07839"), "USRC1AB07839");
        assert!(m.contains("year \"AB\""), "{m}");
        let m = rejects_naming(Isrc::parse("USRC176078A9"), "USRC176078A9");
        assert!(m.contains("designation code \"078A9\""), "{m}");
    }

    // --- UPC ---------------------------------------------------------------

    #[test]
    fn gtin_check_digit_cases() {
        assert_eq!(gtin_check_digit("03600029145"), Some(2));
        assert_eq!(gtin_check_digit("400638133393"), Some(1));
        assert_eq!(gtin_check_digit("01234567890"), Some(5));
        assert_eq!(gtin_check_digit(""), None);
        assert_eq!(gtin_check_digit("12a4"), None);
    }

    #[test]
    fn upc_valid() {
        let u = Upc::parse("036000291452").unwrap();
        assert!(u.is_upc_a());
        assert_eq!(u.to_ean13().as_deref(), Some("0036000291452"));
        assert_eq!(Upc::parse("0 36000 29145-2").unwrap(), u);
        let e = Upc::parse("4006381333931").unwrap();
        assert!(!e.is_upc_a());
        assert_eq!(e.to_ean13().as_deref(), Some("4006381333931"));
        let g = Upc::parse("00036000291452").unwrap();
        assert_eq!(g.to_ean13().as_deref(), Some("0036000291452"));
        let pack = format!("1003600029145{}", gtin_check_digit("1003600029145").unwrap());
        assert_eq!(Upc::parse(&pack).unwrap().to_ean13(), None);
        // Leading zeros survive.
        assert_eq!(Upc::parse("012345678905").unwrap().as_str(), "012345678905");
    }

    #[test]
    fn upc_rejections() {
        assert_eq!(err_msg(Upc::parse("")), "UPC is empty");
        assert_eq!(err_msg(Upc::parse("012345678906")), "UPC \"012345678906\" has check digit 6, expected 5");
        let m = rejects_naming(Upc::parse("4006381333932"), "4006381333932");
        assert!(m.starts_with("EAN"), "{m}");
        let m = rejects_naming(Upc::parse("12345"), "12345");
        assert!(m.ends_with("got 5"), "{m}");
        let m = rejects_naming(Upc::parse("03600029145a"), "03600029145a");
        assert!(m.contains("'a'"), "{m}");
    }

    // --- ISWC --------------------------------------------------------------

    #[test]
    fn iswc_valid() {
        let w = Iswc::parse("T-034.524.680-1").unwrap();
        assert_eq!(w.as_str(), "T0345246801");
        assert_eq!(w.to_string(), "T-034.524.680-1");
        for alt in ["T0345246801", "t0345246801", "T 034 524 680 1"] {
            assert_eq!(Iswc::parse(alt).unwrap(), w, "{alt}");
        }
    }

    #[test]
    fn iswc_rejections() {
        assert_eq!(err_msg(Iswc::parse(" - ")), "ISWC is empty");
        let m = rejects_naming(Iswc::parse("0345246801"), "0345246801");
        assert!(m.contains("\"T\" followed by 10 digits"), "{m}");
        let m = rejects_naming(Iswc::parse("T-034.524.680"), "T-034.524.680");
        assert!(m.ends_with("got 10"), "{m}");
        let m = rejects_naming(Iswc::parse("T-034.524.68A-1"), "T-034.524.68A-1");
        assert!(m.contains("'A'"), "{m}");
        assert_eq!(
            err_msg(Iswc::parse("T-034.524.680-2")),
            "ISWC \"T-034.524.680-2\" has check digit 2, expected 1"
        );
    }

    // --- conversions and serde ----------------------------------------------

    #[test]
    fn newtype_conversions_and_serde() {
        let i: Isrc = "us-rc1-76-07839".parse().unwrap();
        assert_eq!(Isrc::try_from("USRC17607839".to_owned()).unwrap(), i);
        assert_eq!(String::from(i.clone()), "USRC17607839");
        assert_eq!(serde_json::to_string(&i).unwrap(), "\"USRC17607839\"");
        assert_eq!(serde_json::from_str::<Isrc>("\"us-rc1-76-07839\"").unwrap(), i);
        let e = serde_json::from_str::<Isrc>("\"USAB1\"").unwrap_err().to_string();
        assert!(e.contains("USAB1"), "{e}");

        let u: Upc = "036000291452".parse().unwrap();
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"036000291452\"");
        assert!(serde_json::from_str::<Upc>("\"036000291453\"").is_err());

        let w: Iswc = "T-034.524.680-1".parse().unwrap();
        // Serialized canonically, displayed with separators.
        assert_eq!(serde_json::to_string(&w).unwrap(), "\"T0345246801\"");
        assert_eq!(serde_json::from_str::<Iswc>("\"T-034.524.680-1\"").unwrap(), w);
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let long = "9".repeat(500);
        let m = err_msg(Upc::parse(&long));
        assert!(m.contains('…') && m.len() < 200, "{m}");
    }

    // --- DspPlatform ---------------------------------------------------------

    #[test]
    fn platform_ids_labels_and_serde_agree() {
        let mut seen = std::collections::HashSet::new();
        for p in DspPlatform::ALL {
            assert!(seen.insert(p.as_str()));
            assert_eq!(DspPlatform::from_str_id(p.as_str()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<DspPlatform>(&format!("\"{}\"", p.as_str())).unwrap(), p);
            assert!(!p.label().is_empty());
        }
        assert_eq!(DspPlatform::YouTube.as_str(), "youtube");
        assert_eq!(DspPlatform::AppleMusic.label(), "Apple Music");
        assert_eq!(DspPlatform::from_str_id("YouTube"), None);
        assert_eq!(DspPlatform::from_str_id("you_tube"), None);
    }

    // --- DSP artist IDs ------------------------------------------------------

    use DspPlatform as P;

    #[test]
    fn empty_dsp_input() {
        for p in DspPlatform::ALL {
            assert!(matches!(norm(p, " \t"), Err(IdError::Empty { .. })));
        }
    }

    #[test]
    fn spotify_ids() {
        let id = "4Z8W4fKeB5YxbusRsdQVPb";
        for ok in [
            id,
            "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb?si=Ab12_cD",
            "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb",
            "open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
        ] {
            assert_eq!(norm(P::Spotify, ok).unwrap(), id, "{ok}");
        }
        for (raw, kind) in [
            ("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "track"),
            ("spotify:album:4uLU6hMCjMI75M1A2tKUQC", "album"),
            ("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", "playlist"),
        ] {
            let m = rejects_naming(norm(P::Spotify, raw), raw);
            assert!(m.contains(&format!("is a {kind} link, not an artist")), "{m}");
        }
        let m = rejects_naming(norm(P::Spotify, "4Z8W4fKeB5Yxbus"), "4Z8W4fKeB5Yxbus");
        assert!(m.starts_with("Spotify artist ID") && m.contains("22 base-62"), "{m}");
        rejects_naming(norm(P::Spotify, "4Z8W4fKeB5YxbusRsdQVP!"), "4Z8W4fKeB5YxbusRsdQVP!");
        let raw = "https://www.deezer.com/artist/399";
        let m = rejects_naming(norm(P::Spotify, raw), raw);
        assert!(m.contains("not a Spotify artist link"), "{m}");
    }

    #[test]
    fn apple_music_ids() {
        for ok in [
            "657515",
            "https://music.apple.com/us/artist/radiohead/657515",
            "https://music.apple.com/artist/657515",
            "https://itunes.apple.com/gb/artist/radiohead/id657515?uo=4",
        ] {
            assert_eq!(norm(P::AppleMusic, ok).unwrap(), "657515", "{ok}");
        }
        let raw = "https://music.apple.com/us/album/ok-computer/1097861387";
        assert!(rejects_naming(norm(P::AppleMusic, raw), raw).contains("album link"));
        let raw = "https://music.apple.com/us/song/creep/1097862231";
        assert!(rejects_naming(norm(P::AppleMusic, raw), raw).contains("song link"));
        rejects_naming(norm(P::AppleMusic, "1234567890123"), "1234567890123");
        rejects_naming(norm(P::AppleMusic, "radiohead"), "radiohead");
    }

    #[test]
    fn amazon_ids() {
        for ok in [
            "B000QJPLVS",
            "b000qjplvs",
            "https://music.amazon.com/artists/B000QJPLVS/radiohead",
            "https://music.amazon.co.uk/artists/B000QJPLVS",
        ] {
            assert_eq!(norm(P::Amazon, ok).unwrap(), "B000QJPLVS", "{ok}");
        }
        let raw = "https://music.amazon.com/albums/B01M0Q4NUS";
        assert!(rejects_naming(norm(P::Amazon, raw), raw).contains("album link"));
        let m = rejects_naming(norm(P::Amazon, "A000QJPLVS"), "A000QJPLVS");
        assert!(m.contains("\"B0\""), "{m}");
        rejects_naming(norm(P::Amazon, "B000QJPLV"), "B000QJPLV");
        let raw = "https://example.com/artists/B000QJPLVS";
        rejects_naming(norm(P::Amazon, raw), raw);
    }

    #[test]
    fn deezer_ids() {
        for ok in ["399", "https://www.deezer.com/en/artist/399", "https://deezer.com/artist/399?utm=x"] {
            assert_eq!(norm(P::Deezer, ok).unwrap(), "399", "{ok}");
        }
        let raw = "https://www.deezer.com/fr/track/3135556";
        assert!(rejects_naming(norm(P::Deezer, raw), raw).contains("track link"));
        rejects_naming(norm(P::Deezer, "39a"), "39a");
    }

    #[test]
    fn youtube_ids() {
        let id = "UCq19-LqvG35A-30oyAiPiqA";
        for ok in [
            id,
            "https://www.youtube.com/channel/UCq19-LqvG35A-30oyAiPiqA",
            "https://music.youtube.com/channel/UCq19-LqvG35A-30oyAiPiqA?si=x",
        ] {
            assert_eq!(norm(P::YouTube, ok).unwrap(), id, "{ok}");
        }
        for raw in [
            "@radiohead",
            "https://www.youtube.com/@radiohead",
            "https://www.youtube.com/@Radiohead-topic",
            "https://www.youtube.com/c/radiohead",
        ] {
            let m = rejects_naming(norm(P::YouTube, raw), raw);
            assert!(m.contains("paste the channel ID"), "{m}");
        }
        let raw = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
        assert!(rejects_naming(norm(P::YouTube, raw), raw).contains("video link"));
        let raw = "https://youtu.be/dQw4w9WgXcQ";
        assert!(rejects_naming(norm(P::YouTube, raw), raw).contains("video link"));
        rejects_naming(norm(P::YouTube, "UCq19-LqvG35A-30oyAiPiq"), "UCq19-LqvG35A-30oyAiPiq");
        rejects_naming(norm(P::YouTube, "XXq19-LqvG35A-30oyAiPiqA"), "XXq19-LqvG35A-30oyAiPiqA");
    }

    #[test]
    fn tidal_ids() {
        for ok in ["64518", "https://tidal.com/browse/artist/64518", "https://listen.tidal.com/artist/64518"]
        {
            assert_eq!(norm(P::Tidal, ok).unwrap(), "64518", "{ok}");
        }
        let raw = "https://tidal.com/browse/album/1234";
        assert!(rejects_naming(norm(P::Tidal, raw), raw).contains("album link"));
        rejects_naming(norm(P::Tidal, "64518x"), "64518x");
    }

    #[test]
    fn soundcloud_ids() {
        for ok in [
            "radiohead",
            "RadioHead",
            "https://soundcloud.com/radiohead",
            "https://m.soundcloud.com/radiohead/tracks",
        ] {
            assert_eq!(norm(P::SoundCloud, ok).unwrap(), "radiohead", "{ok}");
        }
        let raw = "https://soundcloud.com/radiohead/creep";
        assert!(rejects_naming(norm(P::SoundCloud, raw), raw).contains("track link"));
        let raw = "https://soundcloud.com/radiohead/sets/in-rainbows";
        assert!(rejects_naming(norm(P::SoundCloud, raw), raw).contains("playlist link"));
        let raw = "https://soundcloud.com/discover";
        rejects_naming(norm(P::SoundCloud, raw), raw);
        let raw = "https://on.soundcloud.com/abc123";
        rejects_naming(norm(P::SoundCloud, raw), raw);
        rejects_naming(norm(P::SoundCloud, "ab"), "ab");
        rejects_naming(norm(P::SoundCloud, "radio head"), "radio head");
    }

    /// A valid ISNI whose check character is X, found by search so the test
    /// does not depend on a hand-computed constant.
    fn isni_with_x() -> String {
        (0u64..)
            .map(|n| format!("{n:015}"))
            .find(|body| isni_check_char(body) == 'X')
            .map(|body| format!("{body}X"))
            .unwrap()
    }

    #[test]
    fn isni_ids() {
        for ok in [
            "0000000121032683",
            "0000 0001 2103 2683",
            "ISNI 0000 0001 2103 2683",
            "isni:0000-0001-2103-2683",
            "https://isni.org/isni/0000000121032683",
        ] {
            assert_eq!(norm(P::Isni, ok).unwrap(), "0000000121032683", "{ok}");
        }
        let x = isni_with_x();
        assert_eq!(norm(P::Isni, &x.to_ascii_lowercase()).unwrap(), x);
        assert_eq!(
            err_msg(norm(P::Isni, "0000000121032684")),
            "ISNI \"0000000121032684\" has check digit 4, expected 3"
        );
        let m = rejects_naming(norm(P::Isni, "000000012103268"), "000000012103268");
        assert!(m.ends_with("got 15"), "{m}");
        rejects_naming(norm(P::Isni, "00000001210326A3"), "00000001210326A3");
        rejects_naming(norm(P::Isni, "0000000X21032683"), "0000000X21032683");
    }

    #[test]
    fn ipi_ids() {
        assert_eq!(norm(P::Ipi, "00052210040").unwrap(), "00052210040");
        assert_eq!(norm(P::Ipi, "252210040").unwrap(), "00252210040");
        assert_eq!(norm(P::Ipi, "IPI: 052 210 040").unwrap(), "00052210040");
        rejects_naming(norm(P::Ipi, "52210040"), "52210040");
        rejects_naming(norm(P::Ipi, "000522100401"), "000522100401");
        rejects_naming(norm(P::Ipi, "I-000000229-7"), "I-000000229-7");
    }

    #[test]
    fn meta_and_tiktok_ids() {
        assert_eq!(norm(P::Meta, "123456789012345").unwrap(), "123456789012345");
        assert_eq!(
            norm(P::Meta, "https://www.facebook.com/profile.php?id=100063533220454").unwrap(),
            "100063533220454"
        );
        rejects_naming(norm(P::Meta, "1234"), "1234");
        let raw = "https://www.facebook.com/radiohead";
        rejects_naming(norm(P::Meta, raw), raw);
        let raw = "https://instagram.com/radiohead";
        assert!(rejects_naming(norm(P::Meta, raw), raw).contains("not a Meta artist link"));

        assert_eq!(norm(P::TikTok, "6789012345678901234").unwrap(), "6789012345678901234");
        for raw in ["@radiohead", "https://www.tiktok.com/@radiohead"] {
            assert!(rejects_naming(norm(P::TikTok, raw), raw).contains("numeric user ID"));
        }
        rejects_naming(norm(P::TikTok, "1234"), "1234");
        rejects_naming(norm(P::TikTok, "12345678901234567890123456"), "12345678901234567890123456");
    }

    // --- properties ------------------------------------------------------------

    fn gtin_strategy() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[0-9]{11,13}")
            .unwrap()
            .prop_map(|body| format!("{body}{}", gtin_check_digit(&body).unwrap()))
    }

    fn isrc_strategy() -> impl Strategy<Value = String> {
        let countries: Vec<&'static str> =
            ISO_3166_ALPHA2.iter().chain(&ISRC_EXTRA_PREFIXES).copied().collect();
        (proptest::sample::select(countries), "[A-Z0-9]{3}", "[0-9]{2}", "[0-9]{5}")
            .prop_map(|(c, r, y, n)| format!("{c}{r}{y}{n}"))
    }

    proptest! {
        #[test]
        fn upc_a_with_computed_check_round_trips(body in "[0-9]{11}") {
            let raw = format!("{body}{}", gtin_check_digit(&body).unwrap());
            let upc = Upc::parse(&raw).unwrap();
            prop_assert!(upc.is_upc_a());
            prop_assert_eq!(upc.as_str(), raw.as_str());
            prop_assert_eq!(Upc::parse(&upc.to_string()).unwrap(), upc);
        }

        #[test]
        fn any_single_digit_change_breaks_gtin(
            gtin in gtin_strategy(),
            pos in any::<prop::sample::Index>(),
            delta in 1u8..10,
        ) {
            let mut bytes = gtin.into_bytes();
            let i = pos.index(bytes.len());
            bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(Upc::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn isrc_canonical_is_fixed_point_and_hyphens_accepted(raw in isrc_strategy()) {
            let isrc = Isrc::parse(&raw).unwrap();
            prop_assert_eq!(isrc.as_str(), raw.as_str());
            prop_assert_eq!(&Isrc::parse(isrc.as_str()).unwrap(), &isrc);
            prop_assert_eq!(&Isrc::parse(&isrc.hyphenated()).unwrap(), &isrc);
            prop_assert_eq!(&Isrc::parse(&isrc.hyphenated().to_ascii_lowercase()).unwrap(), &isrc);
        }

        #[test]
        fn iswc_display_round_trips(body in "[0-9]{9}") {
            let canonical = format!("T{body}{}", iswc_check_digit(&body));
            let iswc = Iswc::parse(&canonical).unwrap();
            let shown = iswc.to_string();
            prop_assert_eq!(shown.len(), 15);
            prop_assert_eq!(Iswc::parse(&shown).unwrap(), iswc);
        }

        #[test]
        fn isni_with_computed_check_parses(body in "[0-9]{15}") {
            let isni = format!("{body}{}", isni_check_char(&body));
            prop_assert_eq!(norm(P::Isni, &isni).unwrap(), isni);
        }

        #[test]
        fn parsers_never_panic_and_normalized_ids_are_fixed_points(
            raw in prop_oneof![
                any::<String>(),
                "[ -~]{0,40}",
                "(https?://)?(www\\.|music\\.|open\\.)?[a-z]{1,10}\\.(com|be|org)/[A-Za-z0-9@:?=&._/-]{0,40}",
                "(spotify:|@|ISNI |UC)?[A-Za-z0-9_-]{0,30}",
            ],
        ) {
            let _ = Isrc::parse(&raw);
            let _ = Upc::parse(&raw);
            let _ = Iswc::parse(&raw);
            let _ = gtin_check_digit(&raw);
            for p in DspPlatform::ALL {
                if let Ok(id) = norm(p, &raw) {
                    prop_assert_eq!(norm(p, &id), Ok(id.clone()), "{:?} {:?}", p, raw);
                }
            }
        }
    }
}
