//! Field edits parsed from text.
//!
//! The release and track editors and `catno release|track set FIELD=VALUE` all go through
//! [`ReleaseEdit::parse`] and [`TrackEdit::parse`], so both frontends accept and refuse exactly
//! the same input. An empty value clears an optional field.

use serde::{Deserialize, Serialize};

use crate::ids::{Isrc, Upc};
use crate::model::{ParentalAdvisory, ReleaseType, RightsLine};

/// A refused edit: which field, and why, in words a label manager understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseEdit {
    Title(String),
    Version(Option<String>),
    DisplayArtist(String),
    LocalizedTitle { language: String, title: Option<String> },
    ReleaseType(ReleaseType),
    Upc(Option<Upc>),
    CatalogNumber(Option<String>),
    PLine(Option<RightsLine>),
    CLine(Option<RightsLine>),
    Genre(Option<String>),
    Subgenre(Option<String>),
    ReleaseDate(Option<String>),
    OriginalReleaseDate(Option<String>),
    ParentalAdvisory(ParentalAdvisory),
    MetadataLanguage(Option<String>),
    LabelId(i64),
}

/// Release fields settable by name; `title@LANG` sets a localized title.
pub const RELEASE_FIELDS: &[&str] = &[
    "title",
    "version",
    "display_artist",
    "title@<language>",
    "release_type",
    "upc",
    "catalog_number",
    "p_line",
    "c_line",
    "genre",
    "subgenre",
    "release_date",
    "original_release_date",
    "parental_advisory",
    "metadata_language",
    "label_id",
];

impl ReleaseEdit {
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let value = value.trim();
        no_control_characters(field, value)?;
        let err = |message: String| FieldError::new(field, message);
        if let Some(language) = field.strip_prefix("title@") {
            return Ok(Self::LocalizedTitle {
                language: language_tag(language).map_err(err)?,
                title: optional(value),
            });
        }
        Ok(match field {
            "title" => Self::Title(required(field, value)?),
            "version" => Self::Version(optional(value)),
            "display_artist" => Self::DisplayArtist(required(field, value)?),
            "release_type" => Self::ReleaseType(ReleaseType::parse(value).ok_or_else(|| {
                err(format!("\"{value}\" is not a release type (Album, EP, Single, Compilation)"))
            })?),
            "upc" => Self::Upc(match optional(value) {
                None => None,
                Some(v) => Some(Upc::parse(&v).map_err(|e| err(e.to_string()))?),
            }),
            "catalog_number" => Self::CatalogNumber(optional(value)),
            "p_line" => Self::PLine(rights_line(value).map_err(err)?),
            "c_line" => Self::CLine(rights_line(value).map_err(err)?),
            "genre" => Self::Genre(optional(value)),
            "subgenre" => Self::Subgenre(optional(value)),
            "release_date" => Self::ReleaseDate(optional_date(value).map_err(err)?),
            "original_release_date" => Self::OriginalReleaseDate(optional_date(value).map_err(err)?),
            "parental_advisory" => Self::ParentalAdvisory(parental_advisory(value).ok_or_else(|| {
                err(format!("\"{value}\" is not a parental advisory (Explicit, Clean, NotExplicit)"))
            })?),
            "metadata_language" => Self::MetadataLanguage(match optional(value) {
                None => None,
                Some(v) => Some(language_tag(&v).map_err(err)?),
            }),
            "label_id" => {
                Self::LabelId(value.parse().map_err(|_| err(format!("\"{value}\" is not a label id")))?)
            }
            _ => return Err(unknown_field(field, RELEASE_FIELDS)),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackEdit {
    Title(String),
    Version(Option<String>),
    DisplayArtist(String),
    LocalizedTitle { language: String, title: Option<String> },
    Isrc(Option<Isrc>),
    DurationMs(Option<i64>),
    Explicit(bool),
    AudioLanguage(Option<String>),
}

pub const TRACK_FIELDS: &[&str] = &[
    "title",
    "version",
    "display_artist",
    "title@<language>",
    "isrc",
    "duration",
    "explicit",
    "audio_language",
];

impl TrackEdit {
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let value = value.trim();
        no_control_characters(field, value)?;
        let err = |message: String| FieldError::new(field, message);
        if let Some(language) = field.strip_prefix("title@") {
            return Ok(Self::LocalizedTitle {
                language: language_tag(language).map_err(err)?,
                title: optional(value),
            });
        }
        Ok(match field {
            "title" => Self::Title(required(field, value)?),
            "version" => Self::Version(optional(value)),
            "display_artist" => Self::DisplayArtist(required(field, value)?),
            "isrc" => Self::Isrc(match optional(value) {
                None => None,
                Some(v) => Some(Isrc::parse(&v).map_err(|e| err(e.to_string()))?),
            }),
            "duration" | "duration_ms" => Self::DurationMs(match optional(value) {
                None => None,
                Some(v) => Some(parse_duration(&v).map_err(err)?),
            }),
            "explicit" => Self::Explicit(
                parse_bool(value)
                    .ok_or_else(|| err(format!("\"{value}\" is not yes/no (true, false, yes, no)")))?,
            ),
            "audio_language" => Self::AudioLanguage(match optional(value) {
                None => None,
                Some(v) => Some(language_tag(&v).map_err(err)?),
            }),
            _ => return Err(unknown_field(field, TRACK_FIELDS)),
        })
    }
}

fn unknown_field(field: &str, known: &[&str]) -> FieldError {
    FieldError::new(field, format!("unknown field; known fields: {}", known.join(", ")))
}

/// Refuses text with control characters (tabs, line breaks, separators pasted from other
/// tools): DDEX, CSV and store feeds cannot carry them, and no title or name needs one.
pub fn no_control_characters(field: &str, value: &str) -> Result<(), FieldError> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => {
            Err(FieldError::new(field, format!("contains the control character U+{:04X}", u32::from(c))))
        }
        None => Ok(()),
    }
}

fn required(field: &str, value: &str) -> Result<String, FieldError> {
    if value.is_empty() { Err(FieldError::new(field, "must not be empty")) } else { Ok(value.to_owned()) }
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "explicit" => Some(true),
        "false" | "no" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

fn parental_advisory(value: &str) -> Option<ParentalAdvisory> {
    match value.to_ascii_lowercase().as_str() {
        "clean" | "edited" => Some(ParentalAdvisory::Clean),
        "none" | "no" | "" => Some(ParentalAdvisory::NotExplicit),
        _ => ParentalAdvisory::parse(value),
    }
}

/// Accepts `215000` (milliseconds), `3:35`, `1:02:05` and `3:35.250`.
pub fn parse_duration(value: &str) -> Result<i64, String> {
    let bad = || format!("\"{value}\" is not a duration (m:ss, h:mm:ss or milliseconds)");
    if !value.contains(':') {
        return value.parse::<i64>().ok().filter(|ms| *ms > 0).ok_or_else(bad);
    }
    let (clock, millis) = match value.split_once('.') {
        Some((clock, frac)) if !frac.is_empty() && frac.len() <= 3 => {
            let padded = format!("{frac:0<3}");
            (clock, padded.parse::<i64>().map_err(|_| bad())?)
        }
        Some(_) => return Err(bad()),
        None => (value, 0),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let mut seconds: i64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let n: i64 = part.parse().map_err(|_| bad())?;
        if i > 0 && n >= 60 {
            return Err(bad());
        }
        seconds = seconds * 60 + n;
    }
    let ms = seconds * 1000 + millis;
    if ms > 0 { Ok(ms) } else { Err(bad()) }
}

/// `2024 Acme Records` (a leading ℗, ©, (P) or (C) is dropped).
fn rights_line(value: &str) -> Result<Option<RightsLine>, String> {
    let trimmed = value
        .trim_start_matches(['℗', '©'])
        .trim_start_matches("(P)")
        .trim_start_matches("(C)")
        .trim_start_matches("(p)")
        .trim_start_matches("(c)")
        .trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let bad = || format!("\"{value}\" must be a year and a holder, e.g. \"2024 Acme Records\"");
    let (year, holder) = trimmed.split_once(' ').ok_or_else(bad)?;
    let year: u16 = year.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&year) {
        return Err(format!("year {year} is out of range (1900–2200)"));
    }
    let holder = holder.trim();
    if holder.is_empty() {
        return Err(bad());
    }
    Ok(Some(RightsLine { year, holder: holder.to_owned() }))
}

fn optional_date(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    validate_date(value).map(|()| Some(value.to_owned()))
}

/// A calendar date as `YYYY-MM-DD`, checked against the real calendar.
pub fn validate_date(value: &str) -> Result<(), String> {
    let bad = || format!("\"{value}\" is not a date (YYYY-MM-DD)");
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(&value[0..4])?, num(&value[5..7])?, num(&value[8..10])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("\"{value}\": month {m} does not exist")),
    };
    if d == 0 || d > days {
        return Err(format!("\"{value}\": day {d} does not exist in that month"));
    }
    if !(1900..=2200).contains(&y) {
        return Err(format!("\"{value}\": year {y} is out of range (1900–2200)"));
    }
    Ok(())
}

/// A BCP 47 language tag limited to what DSPs take: `xx` or `xxx`, optionally `-Script`
/// and/or `-RR` region. Returns it in canonical case (`ja-Latn`, `pt-BR`).
pub fn language_tag(raw: &str) -> Result<String, String> {
    let bad = || format!("\"{raw}\" is not a language tag (e.g. en, ja-Latn, pt-BR, sr-Cyrl)");
    let mut parts = raw.trim().split(['-', '_']);
    let language = parts.next().filter(|l| (2..=3).contains(&l.len())).ok_or_else(bad)?;
    if !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let mut out = language.to_ascii_lowercase();
    let mut seen_script = false;
    let mut seen_region = false;
    for part in parts {
        if part.len() == 4 && part.bytes().all(|b| b.is_ascii_alphabetic()) && !seen_script && !seen_region {
            seen_script = true;
            out.push('-');
            out.push_str(&part[..1].to_ascii_uppercase());
            out.push_str(&part[1..].to_ascii_lowercase());
        } else if (part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic())
            || part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit()))
            && !seen_region
        {
            seen_region = true;
            out.push('-');
            out.push_str(&part.to_ascii_uppercase());
        } else {
            return Err(bad());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn control_characters_are_refused_in_every_text_field() {
        let err = ReleaseEdit::parse("title", "Night\u{1c}Drive").unwrap_err();
        assert_eq!(err.field, "title");
        assert!(err.message.contains("U+001C"), "{err}");
        assert!(TrackEdit::parse("display_artist", "A\tB").is_err());
        assert!(ReleaseEdit::parse("title", "  Night Drive\n").is_ok(), "surrounding whitespace is trimmed");
    }

    #[test]
    fn an_invalid_upc_is_refused_with_the_field_named() {
        let err = ReleaseEdit::parse("upc", "036000291453").unwrap_err();
        assert_eq!(err.field, "upc");
        assert!(err.message.contains("036000291453"), "{err}");
    }

    #[test]
    fn empty_values_clear_optional_fields_but_not_titles() {
        assert_eq!(ReleaseEdit::parse("upc", " ").unwrap(), ReleaseEdit::Upc(None));
        assert_eq!(ReleaseEdit::parse("title", "").unwrap_err().message, "must not be empty");
    }

    #[test]
    fn rights_lines_take_year_and_holder_with_or_without_symbol() {
        let want = Some(RightsLine { year: 2024, holder: "Acme Records".into() });
        assert_eq!(
            ReleaseEdit::parse("p_line", "℗ 2024 Acme Records").unwrap(),
            ReleaseEdit::PLine(want.clone())
        );
        assert_eq!(ReleaseEdit::parse("p_line", "(P) 2024 Acme Records").unwrap(), ReleaseEdit::PLine(want));
        assert!(ReleaseEdit::parse("c_line", "Acme").is_err());
        assert!(ReleaseEdit::parse("c_line", "1800 Acme").is_err());
    }

    #[test]
    fn dates_follow_the_calendar() {
        assert!(validate_date("2024-02-29").is_ok());
        assert!(validate_date("2023-02-29").is_err());
        assert!(validate_date("2024-13-01").is_err());
        assert!(validate_date("24-01-01").is_err());
    }

    #[test]
    fn localized_titles_need_a_language_tag() {
        assert_eq!(
            ReleaseEdit::parse("title@JA_latn", "Yoru ni Kakeru").unwrap(),
            ReleaseEdit::LocalizedTitle { language: "ja-Latn".into(), title: Some("Yoru ni Kakeru".into()) }
        );
        assert!(ReleaseEdit::parse("title@japanese", "x").is_err());
        assert_eq!(language_tag("pt-br").unwrap(), "pt-BR");
        assert_eq!(language_tag("es-419").unwrap(), "es-419");
    }

    #[test]
    fn durations_accept_clock_and_milliseconds() {
        assert_eq!(parse_duration("3:35").unwrap(), 215_000);
        assert_eq!(parse_duration("1:02:05").unwrap(), 3_725_000);
        assert_eq!(parse_duration("0:01.5").unwrap(), 1_500);
        assert_eq!(parse_duration("215000").unwrap(), 215_000);
        assert!(parse_duration("3:75").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("0:00").is_err());
    }

    #[test]
    fn unknown_fields_list_the_known_ones() {
        let err = TrackEdit::parse("colour", "red").unwrap_err();
        assert!(err.message.contains("isrc"), "{err}");
    }

    #[test]
    fn explicit_flag_reads_common_words() {
        assert_eq!(TrackEdit::parse("explicit", "yes").unwrap(), TrackEdit::Explicit(true));
        assert!(TrackEdit::parse("explicit", "maybe").is_err());
    }
}
