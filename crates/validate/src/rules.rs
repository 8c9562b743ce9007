//! The rules: static docs ([`RULES`]) and the checks that emit findings.

use std::collections::HashMap;

use catno_domain::ids::{gtin_check_digit, normalize_dsp_artist_id};
use catno_domain::{ContributorRole, Isrc, ParentalAdvisory, ReleaseType, Track, Upc};
use time::Date;
use time::macros::format_description;

use crate::text::{self, CaseStyle};
use crate::{Autofix, FieldChange, Finding, Profile, ReleaseBundle, RequiredField, Rule, Severity};

const READ: &str = "2026-11-30";

macro_rules! rule {
    ($name:ident, $id:literal, $family:literal, $sev:ident, $source:literal, $desc:literal, $hint:literal) => {
        pub const $name: Rule = Rule {
            id: $id,
            family: $family,
            severity: Severity::$sev,
            source: $source,
            source_date: READ,
            description: $desc,
            fix_hint: $hint,
        };
    };
}

rule!(
    ID_UPC_CHECK,
    "ID-UPC-CHECK",
    "identifiers",
    Error,
    "I2: S25 LabelGrid creating a release; S65 details.eu products",
    "UPC-A (12) / EAN-13 (13) digits with a valid GTIN check digit.",
    "Use the barcode exactly as assigned by GS1 or your distributor, including leading zeros."
);
rule!(
    ID_ISRC_FORMAT,
    "ID-ISRC-FORMAT",
    "identifiers",
    Error,
    "I1: S6 Revelator v2 Tracks; S66 Melino ISRC country whitelist",
    "ISRC is 12 characters CCXXXYYNNNNN with a valid country prefix.",
    "Use the ISRC assigned by your national ISRC agency or distributor."
);
rule!(
    ID_ISRC_LEGACY,
    "ID-ISRC-LEGACY-PREFIX",
    "identifiers",
    Info,
    "I1: S66 Melino ISRC country whitelist",
    "ISRC country prefix is a legacy or agency-reserved code (UK, QM–QZ, CP, DG) some recipients allow-list.",
    "Nothing to do unless a recipient refuses it."
);
rule!(
    ID_UPC_DUP,
    "ID-UPC-DUPLICATE",
    "catalog",
    Error,
    "I2: S65 details.eu duplicate barcode flags; S25",
    "A UPC/EAN identifies one product: no other release in the catalog may carry it.",
    "Give one of the releases its own barcode."
);
rule!(
    ID_ISRC_DUP,
    "ID-ISRC-DUPLICATE",
    "catalog",
    Error,
    "I1: S6 Revelator v2 Tracks (unique per recording); S66",
    "An ISRC identifies one recording: tracks sharing it must have the same audio.",
    "Assign a new ISRC to the different recording (remix, edit, Atmos mix)."
);
rule!(
    ID_ISRC_REPEAT,
    "ID-ISRC-REPEATED",
    "identifiers",
    Error,
    "I1: S6 Revelator v2 Tracks",
    "The same ISRC appears twice on one release.",
    "Each track of a release is a different recording with its own ISRC."
);
rule!(
    REQ_FIELD,
    "REQ-FIELD-MISSING",
    "required",
    Error,
    "S25 LabelGrid creating a release; S79 Spotify metadata templates; S85 Revelator style guide",
    "A field the delivery profile requires is empty.",
    "Fill in the field before delivery."
);
rule!(
    REQ_TRACKS,
    "REQ-NO-TRACKS",
    "required",
    Error,
    "S25 LabelGrid creating a release",
    "A release needs at least one track.",
    "Add the tracks of the release."
);
rule!(
    CREDIT_MAIN,
    "CREDIT-MAIN-ARTIST",
    "credits",
    Error,
    "S40 Spotify metadata guidelines; S41 Apple Music Style Guide 2.13",
    "Release and every track credit at least one MainArtist.",
    "Add the primary artist as MainArtist."
);
rule!(
    CREDIT_PRODUCER,
    "CREDIT-PRODUCER",
    "credits",
    Warning,
    "ddex-notes.md Spotify onboarding (producer at product and track level); S15 FUGA track-level roles",
    "Every track credits a producer or an engineer (Producer, CoProducer, Mixing/Mastering/Recording engineer).",
    "Add the producer or engineer credit of the track."
);
rule!(
    CREDIT_REMIXER,
    "CREDIT-REMIXER",
    "credits",
    Error,
    "T8: S47 Catapult versioning information",
    "A remix version credits a Remixer who is not the track's MainArtist.",
    "Add the remixer with the Remixer role."
);
rule!(
    STYLE_CASING,
    "STYLE-CASING",
    "style",
    Warning,
    "T1: S45 Ingrooves capitalization; S48 CD Baby casing; S54 Amuse; S55 JTV Digital",
    "Titles and artist names are not ALL CAPS or all lowercase (stylised names can be confirmed).",
    "Write the title in the casing of its language."
);
rule!(
    STYLE_TITLE_CASE,
    "STYLE-TITLE-CASE",
    "style",
    Info,
    "T2/T3: S45 Ingrooves Appendix A; S48; S49 TuneCore; S55 JTV Digital casing per language",
    "English (and Spanish/Portuguese) titles in title case: minor words lowercase, first and last word capitalised.",
    "Apply the suggested casing."
);
rule!(
    STYLE_FEAT_FORMAT,
    "STYLE-FEAT-FORMAT",
    "style",
    Error,
    "T4: S41 Apple Music Style Guide 2.13 featured artists",
    "Featured artists in titles are written exactly `(feat. A)`, `(feat. A & B)`, `(feat. A, B & C)`; never ft., Feat., featuring, w/.",
    "Use the suggested `(feat. …)` form."
);
rule!(
    STYLE_FEAT_MATCH,
    "STYLE-FEAT-MATCH",
    "style",
    Error,
    "T5: S41 Apple Music Style Guide 2.13; S80 Apple style guide definitions",
    "Names after `feat.` in a title are credited as FeaturedArtist; a featured artist is never also MainArtist.",
    "Credit each featured artist with the FeaturedArtist role, or remove the name from the title."
);
rule!(
    STYLE_VERSION_IN_TITLE,
    "STYLE-VERSION-IN-TITLE",
    "style",
    Warning,
    "T6: S42 Apple Music Style Guide 3.5–3.7 version information",
    "Version text (Remix, Radio Edit, Live, Remastered …) belongs in the version field, shown in parentheses.",
    "Move the version text into the version field."
);
rule!(
    STYLE_VERSION_BRACKETS,
    "STYLE-VERSION-BRACKETS",
    "style",
    Info,
    "T6: S42 Apple Music Style Guide 3.5–3.7",
    "The version field holds the bare text; brackets are added on display.",
    "Remove the brackets from the version field."
);
rule!(
    STYLE_ORIGINAL_MIX,
    "STYLE-ORIGINAL-MIX",
    "style",
    Warning,
    "T7: S46 Symphonic title formatting; S47 Catapult versioning",
    "The original version carries no \"Original Mix\", \"Original Version\" or \"Album Version\".",
    "Clear the version field."
);
rule!(
    STYLE_FORBIDDEN,
    "STYLE-FORBIDDEN-WORDS",
    "style",
    Error,
    "T9: S46 Symphonic; S50 RouteNote no-go metadata; S48 CD Baby; S51 Labelcaster; S52 Apple cover-art rules",
    "No promotional, temporary, pricing or format words in titles (Exclusive, Limited Edition, Official, Free, HD, Hi-Res, Lossless, Dolby Atmos, 24-bit, CD …).",
    "Remove the word from the title."
);
rule!(
    STYLE_ADVISORY_IN_TITLE,
    "STYLE-ADVISORY-IN-TITLE",
    "style",
    Error,
    "T11: S89 UnitedMasters metadata best practices; S90 metadata rules",
    "No \"Clean\"/\"Explicit\" in titles and no self-censoring asterisks; use the parental advisory field.",
    "Remove the word and set the explicit / parental advisory field."
);
rule!(
    STYLE_GENERIC_TITLE,
    "STYLE-GENERIC-TITLE",
    "style",
    Warning,
    "T12: S46 Symphonic; S91 SourceAudio release requirements",
    "Generic titles (\"Track 1\", \"Untitled\", \"Instrumental\", \"Album\", \"EP\", \"Single\") are placeholders.",
    "Give the track or release its real title."
);
rule!(
    STYLE_WHITESPACE,
    "STYLE-WHITESPACE",
    "style",
    Warning,
    "T18: S50 RouteNote; S92 Winamp special characters",
    "No leading/trailing or doubled spaces.",
    "Trim the spaces."
);
rule!(
    STYLE_EMOJI,
    "STYLE-EMOJI",
    "style",
    Error,
    "T18: S50 RouteNote no-go metadata; S92 Winamp special characters",
    "Only characters of real scripts: no emoji, pictographs, decorative Unicode letters or control characters.",
    "Remove the character."
);
rule!(
    STYLE_URL,
    "STYLE-URL",
    "style",
    Error,
    "T17: S50 RouteNote no-go metadata",
    "No URLs, e-mail addresses, @handles or #hashtags anywhere in metadata.",
    "Remove the link or handle."
);
rule!(
    STYLE_DUP_TITLE,
    "STYLE-DUPLICATE-TRACK-TITLE",
    "style",
    Error,
    "T15: S46 Symphonic; S93 Apple style-guide infractions",
    "Track titles are unique within a release unless a version differentiates them.",
    "Set the version of one of the tracks."
);
rule!(
    STYLE_SINGLE,
    "STYLE-SINGLE-TITLE",
    "style",
    Error,
    "T16: S46 Symphonic title formatting",
    "A one-track single has the same title (and version) as its track.",
    "Use the track title as release title."
);
rule!(
    ARTIST_GENERIC,
    "ARTIST-GENERIC",
    "artists",
    Error,
    "A3: S47 Catapult artist names; S53 Believe; S40 Spotify; S20 FUGA watchlist",
    "Artist names are not generic or placeholders (Various, Unknown, Artist, N/A) or SEO words (Yoga, Workout, Meditation, Sleep Music, White Noise …).",
    "Credit the real artist name."
);
rule!(
    ARTIST_VARIOUS,
    "ARTIST-VARIOUS",
    "artists",
    Error,
    "A2: S47 Catapult; S45 Ingrooves compound artists; S53 Believe",
    "\"Various Artists\" only at release level of a compilation with 4 or more primary artists; never on a track.",
    "Use \"Various Artists\" only as the display artist of multi-artist compilations."
);
rule!(
    ARTIST_NEAR_DUP,
    "ARTIST-NEAR-DUPLICATE",
    "catalog",
    Warning,
    "A5: S40 Spotify metadata guidelines; S45 Ingrooves artists",
    "An artist is spelled the same way across the catalog (no variants differing by case, diacritics, punctuation or a leading \"The\").",
    "Merge the spellings into one artist."
);
rule!(
    ARTIST_DSP_ID,
    "ARTIST-DSP-ID",
    "artists",
    Error,
    "A8: S60 ONCE artist store links / Limbo DSP availabilities; S51 Labelcaster artist mapping",
    "DSP artist ids have the platform's format (Spotify 22-char base-62, Apple numeric, Amazon ASIN, ISNI 16 digits) and are not track/album links.",
    "Paste the artist page link or id from the platform."
);
rule!(
    ARTIST_THE,
    "ARTIST-THE-CAPITAL",
    "artists",
    Info,
    "A9: S45 Ingrooves capitalization; S49 TuneCore",
    "\"The\" at the start of an artist name is capitalised.",
    "Capitalise \"The\"."
);
rule!(
    EXPLICIT_RELEASE,
    "EXPLICIT-RELEASE",
    "advisory",
    Error,
    "X1: S43 Apple parental advisory FAQ",
    "A release with an explicit track is marked Explicit.",
    "Set the release's parental advisory to Explicit."
);
rule!(
    DATE_FORMAT,
    "DATE-FORMAT",
    "dates",
    Error,
    "S25 LabelGrid creating a release",
    "Dates are calendar dates YYYY-MM-DD.",
    "Enter the date as YYYY-MM-DD."
);
rule!(
    DATE_LEAD,
    "DATE-LEAD-TIME",
    "dates",
    Warning,
    "D1: S81 Spotify/Music Gateway, Kudos lead times; S40 Spotify; S39",
    "The street date leaves the profile's minimum lead time (Spotify: ≥5 business days, recommend ≥7 days).",
    "Move the street date later or deliver now."
);
rule!(
    DATE_PITCH,
    "DATE-PITCH-WINDOW",
    "dates",
    Info,
    "D1: S81 lead times; S40 Spotify (pitch ≥7 days, ~4 weeks for editorial)",
    "The street date is closer than the recommended pitching window (~4 weeks).",
    "Move the street date later to pitch for editorial playlists."
);
rule!(
    DATE_PREORDER,
    "DATE-PREORDER",
    "dates",
    Error,
    "D2: S23 LabelGrid advanced date settings",
    "Pre-order starts before the street date, and (Apple) no more than 366 days before.",
    "Move the pre-order start."
);
rule!(
    DATE_ORIGINAL,
    "DATE-ORIGINAL",
    "dates",
    Error,
    "D3: S87 ONCE things to know; S90 metadata rules",
    "The original release date is not after the release date.",
    "Correct the original release date."
);
rule!(
    RIGHTS_SUBSET,
    "RIGHTS-SUBSET",
    "territory",
    Error,
    "D4: S1 Revelator territories clearances; S38 DDEX KB territorial scope of a deal",
    "A track is never more available than its release (territory, store, dates).",
    "Remove or narrow the track rule."
);
rule!(
    RIGHTS_UNAVAILABLE,
    "RIGHTS-TRACK-UNAVAILABLE",
    "territory",
    Error,
    "D4: S1 Revelator territories clearances; S38 DDEX KB",
    "Every track is available in at least one territory on some store.",
    "Include the track somewhere, or remove it from the release."
);

pub static RULES: &[Rule] = &[
    ID_UPC_CHECK,
    ID_ISRC_FORMAT,
    ID_ISRC_LEGACY,
    ID_ISRC_REPEAT,
    ID_UPC_DUP,
    ID_ISRC_DUP,
    REQ_FIELD,
    REQ_TRACKS,
    CREDIT_MAIN,
    CREDIT_PRODUCER,
    CREDIT_REMIXER,
    STYLE_CASING,
    STYLE_TITLE_CASE,
    STYLE_FEAT_FORMAT,
    STYLE_FEAT_MATCH,
    STYLE_VERSION_IN_TITLE,
    STYLE_VERSION_BRACKETS,
    STYLE_ORIGINAL_MIX,
    STYLE_FORBIDDEN,
    STYLE_ADVISORY_IN_TITLE,
    STYLE_GENERIC_TITLE,
    STYLE_WHITESPACE,
    STYLE_EMOJI,
    STYLE_URL,
    STYLE_DUP_TITLE,
    STYLE_SINGLE,
    ARTIST_GENERIC,
    ARTIST_VARIOUS,
    ARTIST_NEAR_DUP,
    ARTIST_DSP_ID,
    ARTIST_THE,
    EXPLICIT_RELEASE,
    DATE_FORMAT,
    DATE_LEAD,
    DATE_PITCH,
    DATE_PREORDER,
    DATE_ORIGINAL,
    RIGHTS_SUBSET,
    RIGHTS_UNAVAILABLE,
];

const FORBIDDEN_WORDS: &[&str] = &[
    "exclusive",
    "limited edition",
    "official",
    "official video",
    "free download",
    "free",
    "copyright free",
    "public domain",
    "creative commons",
    "hd",
    "hq",
    "hi-res",
    "hi res",
    "lossless",
    "dolby atmos",
    "spatial audio",
    "24-bit",
    "24 bit",
    "cd",
    "digital version",
    "itunes",
    "spotify",
    "out now",
];
const GENERIC_TITLES: &[&str] = &[
    "untitled",
    "instrumental",
    "album",
    "ep",
    "single",
    "track",
    "title",
    "song",
    "no title",
    "tbd",
    "tba",
];
const GENERIC_ARTISTS: &[&str] = &[
    "various",
    "unknown",
    "unknown artist",
    "artist",
    "n/a",
    "na",
    "none",
    "anonymous",
    "tbd",
    "yoga",
    "workout",
    "meditation",
    "baby",
    "christmas",
    "top hits",
    "chorus",
    "orchestra",
    "singer",
    "white noise",
    "sleep music",
    "relaxing music",
    "study music",
    "lofi",
    "lo-fi beats",
];
const ORIGINAL_VERSIONS: &[&str] = &["original mix", "original version", "album version", "original"];

/// Emits findings for one release, honouring the profile.
struct Run<'b, 'c> {
    bundle: &'b ReleaseBundle<'c>,
    profile: &'b Profile,
    out: Vec<Finding>,
}

/// Where a finding or a fix points.
#[derive(Clone, Copy)]
enum At {
    Release,
    Track { position: usize, id: i64 },
}

impl At {
    fn field(self, name: &str) -> String {
        match self {
            At::Release => format!("release.{name}"),
            At::Track { position, .. } => format!("track[{position}].{name}"),
        }
    }
    fn fix_field(self, name: &str) -> String {
        match self {
            At::Release => format!("release.{name}"),
            At::Track { id, .. } => format!("track:{id}.{name}"),
        }
    }
    fn what(self) -> String {
        match self {
            At::Release => "release".into(),
            At::Track { position, .. } => format!("track {position}"),
        }
    }
}

impl Run<'_, '_> {
    fn emit(&mut self, rule: &Rule, field: String, value: &str, message: String, autofix: Option<Autofix>) {
        if !self.profile.enabled(rule.id) {
            return;
        }
        self.out.push(Finding {
            rule_id: rule.id.into(),
            severity: self.profile.severity_of(rule),
            message,
            field,
            value: value.into(),
            fix_hint: rule.fix_hint.into(),
            autofix,
        });
    }

    fn on(&self, rule: &Rule) -> bool {
        self.profile.enabled(rule.id)
    }
}

pub fn run(bundle: &ReleaseBundle<'_>, profile: &Profile, today: Date) -> Vec<Finding> {
    let mut r = Run { bundle, profile, out: Vec::new() };
    identifiers(&mut r);
    required(&mut r);
    credits(&mut r);
    style(&mut r);
    artists(&mut r);
    dates(&mut r, today);
    territory(&mut r);
    r.out
}

fn positions<'a>(bundle: &'a ReleaseBundle<'_>) -> impl Iterator<Item = (At, &'a Track)> {
    bundle.tracks.iter().enumerate().map(|(i, t)| (At::Track { position: i + 1, id: t.id }, t))
}

// ---------------------------------------------------------------------------- identifiers

fn identifiers(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    if let Some(upc) = &b.release.upc {
        // Stored UPCs were parsed on the way in; re-check so an imported or legacy value
        // can never slip through.
        let digits = upc.as_str();
        let ok = Upc::parse(digits).is_ok()
            && digits.len() > 1
            && gtin_check_digit(&digits[..digits.len() - 1]).map(|d| char::from(b'0' + d))
                == digits.chars().last();
        if !ok {
            r.emit(
                &ID_UPC_CHECK,
                "release.upc".into(),
                digits,
                format!("release.upc {digits:?} is not a valid UPC/EAN"),
                None,
            );
        }
        if let Some(others) = b.context.upcs.get(digits) {
            let others: Vec<String> =
                others.iter().filter(|id| **id != b.release.id).map(ToString::to_string).collect();
            if !others.is_empty() {
                r.emit(
                    &ID_UPC_DUP,
                    "release.upc".into(),
                    digits,
                    format!("release.upc {digits} is also used by release {}", others.join(", ")),
                    None,
                );
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, (at, track)) in positions(b).enumerate() {
        let Some(isrc) = &track.isrc else { continue };
        let code = isrc.as_str();
        if let Err(e) = Isrc::parse(code) {
            r.emit(&ID_ISRC_FORMAT, at.field("isrc"), code, format!("{} {e}", at.field("isrc")), None);
        } else if !catno_domain::ids::is_iso_country(isrc.country()) {
            r.emit(
                &ID_ISRC_LEGACY,
                at.field("isrc"),
                code,
                format!("{} {code} uses the non-ISO prefix {:?}", at.field("isrc"), isrc.country()),
                None,
            );
        }
        if let Some(first) = seen.insert(code, i + 1) {
            r.emit(
                &ID_ISRC_REPEAT,
                at.field("isrc"),
                code,
                format!("{} {code} is also the ISRC of track {first} of this release", at.field("isrc")),
                None,
            );
        }
        let own_hash = b.audio_sha256.get(i).cloned().flatten();
        if let (Some(entries), Some(own)) = (b.context.isrcs.get(code), own_hash.as_deref()) {
            let clashes: Vec<String> = entries
                .iter()
                .filter(|(id, hash)| *id != track.id && hash.as_deref().is_some_and(|h| h != own))
                .map(|(id, _)| id.to_string())
                .collect();
            if !clashes.is_empty() {
                r.emit(
                    &ID_ISRC_DUP,
                    at.field("isrc"),
                    code,
                    format!(
                        "{} {code} is also used by track {} with different audio",
                        at.field("isrc"),
                        clashes.join(", ")
                    ),
                    None,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------- required

fn required(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    let rel = &b.release;
    if b.tracks.is_empty() {
        r.emit(&REQ_TRACKS, "release.tracks".into(), "", "release has no tracks".into(), None);
    }
    let required = r.profile.required.clone();
    for need in required {
        let missing_release = |name: &str| Some(format!("release.{name}"));
        let field = match need {
            RequiredField::Upc => rel.upc.is_none().then(|| missing_release("upc")).flatten(),
            RequiredField::ReleaseDate => {
                rel.release_date.is_none().then(|| missing_release("release_date")).flatten()
            }
            RequiredField::Genre => blank(rel.genre.as_deref()).then(|| missing_release("genre")).flatten(),
            RequiredField::PLine => rel.p_line.is_none().then(|| missing_release("p_line")).flatten(),
            RequiredField::CLine => rel.c_line.is_none().then(|| missing_release("c_line")).flatten(),
            RequiredField::MetadataLanguage => blank(rel.metadata_language.as_deref())
                .then(|| missing_release("metadata_language"))
                .flatten(),
            RequiredField::CatalogNumber => {
                blank(rel.catalog_number.as_deref()).then(|| missing_release("catalog_number")).flatten()
            }
            RequiredField::TrackIsrc
            | RequiredField::TrackDuration
            | RequiredField::TrackWriters
            | RequiredField::TrackAudioLanguage => None,
        };
        if let Some(field) = field {
            let msg = format!("{field} is required by the {} profile", r.profile.name);
            r.emit(&REQ_FIELD, field, "", msg, None);
        }
        for (at, t) in positions(b) {
            let name = match need {
                RequiredField::TrackIsrc if t.isrc.is_none() => "isrc",
                RequiredField::TrackDuration if t.duration_ms.is_none_or(|d| d <= 0) => "duration",
                RequiredField::TrackWriters if t.writers.is_empty() => "writers",
                RequiredField::TrackAudioLanguage if blank(t.audio_language.as_deref()) => "audio_language",
                _ => continue,
            };
            let msg = format!("{} is required by the {} profile", at.field(name), r.profile.name);
            r.emit(&REQ_FIELD, at.field(name), "", msg, None);
        }
    }
}

fn blank(value: Option<&str>) -> bool {
    value.is_none_or(|v| v.trim().is_empty())
}

// ---------------------------------------------------------------------------- credits

fn has_role(contributors: &[catno_domain::Contributor], roles: &[ContributorRole]) -> bool {
    contributors.iter().any(|c| roles.contains(&c.role))
}

fn credits(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    if !has_role(&b.release.artists, &[ContributorRole::MainArtist]) {
        r.emit(
            &CREDIT_MAIN,
            "release.artists".into(),
            &b.release.display_artist,
            "release credits no MainArtist".into(),
            None,
        );
    }
    for (at, t) in positions(b) {
        if !has_role(&t.contributors, &[ContributorRole::MainArtist]) {
            r.emit(
                &CREDIT_MAIN,
                at.field("contributors"),
                &t.display_artist,
                format!("{} \"{}\" credits no MainArtist", at.what(), t.title),
                None,
            );
        }
        use ContributorRole::*;
        if !has_role(
            &t.contributors,
            &[Producer, CoProducer, MixingEngineer, MasteringEngineer, RecordingEngineer],
        ) {
            r.emit(
                &CREDIT_PRODUCER,
                at.field("contributors"),
                &t.title,
                format!("{} \"{}\" credits no producer or engineer", at.what(), t.title),
                None,
            );
        }
        let version = t.version.as_deref().unwrap_or("");
        let is_remix = text::contains_words(version, "remix") || text::contains_words(&t.title, "remix");
        if is_remix {
            let mains: Vec<i64> =
                t.contributors.iter().filter(|c| c.role == MainArtist).map(|c| c.artist_id).collect();
            let remixer_ok =
                t.contributors.iter().any(|c| c.role == Remixer && !mains.contains(&c.artist_id));
            if !remixer_ok {
                r.emit(
                    &CREDIT_REMIXER,
                    at.field("contributors"),
                    version,
                    format!(
                        "{} \"{}\" is a remix but credits no Remixer (other than the main artist)",
                        at.what(),
                        t.title
                    ),
                    None,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------- style

/// Checks shared by every free-text field: whitespace, emoji, links.
fn text_hygiene(r: &mut Run<'_, '_>, at: At, name: &str, value: &str, fixable: bool) {
    let tidy = text::tidy_spaces(value);
    if tidy != value {
        let fix = fixable.then(|| Autofix::set(at.fix_field(name), tidy.clone()));
        r.emit(
            &STYLE_WHITESPACE,
            at.field(name),
            value,
            format!("{} {value:?} has leading, trailing or doubled spaces", at.field(name)),
            fix,
        );
    }
    if let Some(c) = text::decorative_char(value) {
        r.emit(
            &STYLE_EMOJI,
            at.field(name),
            value,
            format!(
                "{} {value:?} contains {c:?} (U+{:04X}), not a character of a script",
                at.field(name),
                u32::from(c)
            ),
            None,
        );
    }
    if let Some(link) = text::contact_or_link(value) {
        r.emit(
            &STYLE_URL,
            at.field(name),
            value,
            format!("{} {value:?} contains the link or handle {link:?}", at.field(name)),
            None,
        );
    }
}

fn title_rules(
    r: &mut Run<'_, '_>,
    at: At,
    title: &str,
    version: Option<&str>,
    featured: Option<&[catno_domain::Contributor]>,
) {
    let language = r.bundle.release.metadata_language.clone();
    text_hygiene(r, at, "title", title, true);
    if let Some(v) = version {
        text_hygiene(r, at, "version", v, true);
    }
    let title = text::tidy_spaces(title);
    let field = at.field("title");
    // Casing.
    if text::is_all_caps(&title) || text::is_all_lower(&title) {
        r.emit(
            &STYLE_CASING,
            field.clone(),
            &title,
            format!(
                "{field} {title:?} is all {}",
                if text::is_all_lower(&title) { "lowercase" } else { "caps" }
            ),
            None,
        );
    }
    if r.on(&STYLE_TITLE_CASE)
        && let CaseStyle::Title(minor) = text::case_style(language.as_deref())
        && !text::is_all_caps(&title)
    {
        let cased = text::title_case(&title, minor);
        if cased != title {
            r.emit(
                &STYLE_TITLE_CASE,
                field.clone(),
                &title,
                format!("{field} {title:?} is not in title case: {cased:?}"),
                Some(Autofix::set(at.fix_field("title"), cased)),
            );
        }
    }
    // feat.
    if let Some(marker) = text::find_feat(&title) {
        if !marker.well_formed {
            r.emit(
                &STYLE_FEAT_FORMAT,
                field.clone(),
                &title,
                format!("{field} {title:?} writes a featured artist as {:?}", marker.fixed),
                Some(Autofix::set(at.fix_field("title"), marker.fixed.clone())),
            );
        }
        if let Some(contributors) = featured {
            for name in &marker.names {
                let folded = text::fold_name(name);
                let credited = contributors.iter().any(|c| {
                    c.role == ContributorRole::FeaturedArtist && text::fold_name(&c.artist_name) == folded
                });
                if !credited {
                    r.emit(
                        &STYLE_FEAT_MATCH,
                        field.clone(),
                        &title,
                        format!(
                            "{field} names {name:?} after feat. but {} credits no FeaturedArtist {name:?}",
                            at.what()
                        ),
                        None,
                    );
                }
            }
        }
    }
    if let Some(contributors) = featured {
        for c in contributors.iter().filter(|c| c.role == ContributorRole::FeaturedArtist) {
            if contributors
                .iter()
                .any(|m| m.role == ContributorRole::MainArtist && m.artist_id == c.artist_id)
            {
                r.emit(
                    &STYLE_FEAT_MATCH,
                    at.field("contributors"),
                    &c.artist_name,
                    format!(
                        "{} credits {:?} as both MainArtist and FeaturedArtist",
                        at.what(),
                        c.artist_name
                    ),
                    None,
                );
            }
        }
    }
    // Version in the title.
    if let Some((head, qualifier)) = text::trailing_version(&title) {
        let current = version.unwrap_or("").trim();
        let new_version =
            if current.is_empty() { qualifier.clone() } else { format!("{qualifier} {current}") };
        let fix = Autofix {
            field: at.fix_field("title"),
            new_value: head,
            also: vec![FieldChange { field: at.fix_field("version"), new_value: new_version }],
        };
        r.emit(
            &STYLE_VERSION_IN_TITLE,
            field.clone(),
            &title,
            format!("{field} {title:?} carries the version {qualifier:?}; put it in the version field"),
            Some(fix),
        );
    }
    if let Some(v) = version.map(str::trim).filter(|v| !v.is_empty()) {
        let vfield = at.field("version");
        if (v.starts_with('(') && v.ends_with(')')) || (v.starts_with('[') && v.ends_with(']')) {
            let bare = v[1..v.len() - 1].trim().to_owned();
            r.emit(
                &STYLE_VERSION_BRACKETS,
                vfield.clone(),
                v,
                format!("{vfield} {v:?} is bracketed"),
                Some(Autofix::set(at.fix_field("version"), bare)),
            );
        }
        let bare = v.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']')).to_lowercase();
        if ORIGINAL_VERSIONS.contains(&bare.as_str()) {
            r.emit(
                &STYLE_ORIGINAL_MIX,
                vfield.clone(),
                v,
                format!("{vfield} {v:?} marks the original version"),
                Some(Autofix::set(at.fix_field("version"), "")),
            );
        }
    }
    // Forbidden words, advisory words.
    let whole = match version {
        Some(v) => format!("{title} {v}"),
        None => title.clone(),
    };
    let lower = whole.to_lowercase();
    if let Some(word) = FORBIDDEN_WORDS.iter().find(|w| text::lowercase_contains_words(&lower, w)) {
        r.emit(
            &STYLE_FORBIDDEN,
            field.clone(),
            &whole,
            format!("{field} {whole:?} contains the forbidden word {word:?}"),
            None,
        );
    }
    let censored = whole.split_whitespace().any(|w| {
        w.len() > 2 && w.contains("**") || w.starts_with(|c: char| c.is_alphabetic()) && w.contains('*')
    });
    if let Some(word) = ["explicit", "clean"].iter().find(|w| text::lowercase_contains_words(&lower, w)) {
        r.emit(
            &STYLE_ADVISORY_IN_TITLE,
            field.clone(),
            &whole,
            format!("{field} {whole:?} contains {word:?}; use the advisory field"),
            None,
        );
    } else if censored {
        r.emit(
            &STYLE_ADVISORY_IN_TITLE,
            field.clone(),
            &whole,
            format!("{field} {whole:?} self-censors with asterisks"),
            None,
        );
    }
    // Generic titles.
    let lower = title.to_lowercase();
    let numbered = ["track", "song", "title", "untitled"].iter().any(|p| {
        lower.strip_prefix(p).is_some_and(|rest| {
            let rest = rest.trim();
            !rest.is_empty() && rest.trim_start_matches('#').chars().all(|c| c.is_ascii_digit())
        })
    });
    if GENERIC_TITLES.contains(&lower.as_str()) || numbered {
        r.emit(
            &STYLE_GENERIC_TITLE,
            field,
            &title,
            format!("{} title {title:?} is a placeholder", at.what()),
            None,
        );
    }
}

fn style(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    title_rules(r, At::Release, &b.release.title, b.release.version.as_deref(), Some(&b.release.artists));
    let mut titles: HashMap<(String, String), usize> = HashMap::new();
    for (at, t) in positions(b) {
        title_rules(r, at, &t.title, t.version.as_deref(), Some(&t.contributors));
        let At::Track { position, .. } = at else { continue };
        let key = (t.title.trim().to_lowercase(), t.version.as_deref().unwrap_or("").trim().to_lowercase());
        if let Some(first) = titles.insert(key, position) {
            r.emit(
                &STYLE_DUP_TITLE,
                at.field("title"),
                &t.title,
                format!("{} \"{}\" has the same title and version as track {first}", at.what(), t.title),
                None,
            );
        }
    }
    if b.release.release_type == ReleaseType::Single
        && let [only] = b.tracks.as_slice()
    {
        let track_version = only.version.as_deref().unwrap_or("").trim();
        let release_version = b.release.version.as_deref().unwrap_or("").trim();
        let same = only.title.trim() == b.release.title.trim() && track_version == release_version;
        if !same {
            let show = |title: &str, version: &str| {
                if version.is_empty() {
                    format!("{:?}", title.trim())
                } else {
                    format!("\"{} ({version})\"", title.trim())
                }
            };
            let fix = Autofix {
                field: "release.title".into(),
                new_value: only.title.trim().to_owned(),
                also: vec![FieldChange {
                    field: "release.version".into(),
                    new_value: track_version.to_owned(),
                }],
            };
            r.emit(
                &STYLE_SINGLE,
                "release.title".into(),
                &b.release.title,
                format!(
                    "single {} differs from its track {}",
                    show(&b.release.title, release_version),
                    show(&only.title, track_version)
                ),
                Some(fix),
            );
        }
    }
}

// ---------------------------------------------------------------------------- artists

fn artist_name_rules(r: &mut Run<'_, '_>, at: At, field: &str, name: &str, release_level: bool) {
    let lower = name.trim().to_lowercase();
    let is_various = lower == "various artists" || lower == "va" || lower == "various";
    if is_various && !release_level {
        r.emit(
            &ARTIST_VARIOUS,
            at.field(field),
            name,
            format!("{} is credited to {name:?}; never on a track", at.what()),
            None,
        );
    } else if is_various && r.bundle.release.release_type != ReleaseType::Compilation {
        r.emit(
            &ARTIST_VARIOUS,
            at.field(field),
            name,
            format!("{name:?} is only for compilations; this release is {}", r.bundle.release.release_type),
            None,
        );
    } else if GENERIC_ARTISTS.contains(&lower.as_str()) {
        r.emit(
            &ARTIST_GENERIC,
            at.field(field),
            name,
            format!("{} {field} {name:?} is a generic or placeholder name", at.what()),
            None,
        );
    }
    if text::is_all_caps(name)
        || text::is_all_lower(name) && name.chars().filter(|c| c.is_alphabetic()).count() > 3
    {
        r.emit(
            &STYLE_CASING,
            at.field(field),
            name,
            format!(
                "{} {field} {name:?} is all {}",
                at.what(),
                if text::is_all_lower(name) { "lowercase" } else { "caps" }
            ),
            None,
        );
    }
    if let Some(rest) = name.strip_prefix("the ") {
        let fix =
            (field == "display_artist").then(|| Autofix::set(at.fix_field(field), format!("The {rest}")));
        r.emit(
            &ARTIST_THE,
            at.field(field),
            name,
            format!("{} {field} {name:?} starts with a lowercase \"the\"", at.what()),
            fix,
        );
    }
}

fn artists(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    text_hygiene(r, At::Release, "display_artist", &b.release.display_artist, true);
    artist_name_rules(r, At::Release, "display_artist", &b.release.display_artist, true);
    for c in b.release.artists.iter().filter(|c| c.artist_name != b.release.display_artist) {
        artist_name_rules(r, At::Release, "artists", &c.artist_name, true);
    }
    for (at, t) in positions(b) {
        text_hygiene(r, at, "display_artist", &t.display_artist, true);
        artist_name_rules(r, at, "display_artist", &t.display_artist, false);
        for c in
            t.contributors.iter().filter(|c| c.role.is_display_artist() && c.artist_name != t.display_artist)
        {
            artist_name_rules(r, at, "contributors", &c.artist_name, false);
        }
    }
    // One casing finding per name, wherever it appears first.
    let mut seen = std::collections::HashSet::new();
    r.out.retain(|f| {
        f.rule_id != STYLE_CASING.id || f.field.ends_with(".title") || seen.insert(f.value.clone())
    });
    // A2: compilations with 4+ primary artists are "Various Artists".
    let mut mains: Vec<i64> = b
        .tracks
        .iter()
        .flat_map(|t| t.contributors.iter())
        .filter(|c| c.role == ContributorRole::MainArtist)
        .map(|c| c.artist_id)
        .collect();
    mains.sort_unstable();
    mains.dedup();
    let display = b.release.display_artist.trim().to_lowercase();
    if b.release.release_type == ReleaseType::Compilation && mains.len() >= 4 && display != "various artists"
    {
        r.emit(
            &ARTIST_VARIOUS,
            "release.display_artist".into(),
            &b.release.display_artist,
            format!(
                "compilation with {} primary artists is credited to {:?}, not \"Various Artists\"",
                mains.len(),
                b.release.display_artist
            ),
            Some(Autofix::set("release.display_artist", "Various Artists")),
        );
    }
    // A5: near-duplicate spellings in the catalog.
    let mut reported: Vec<String> = Vec::new();
    let credited = b.release.artists.iter().chain(b.tracks.iter().flat_map(|t| t.contributors.iter()));
    let mut checks = Vec::new();
    for c in credited {
        let key = text::fold_name(&c.artist_name);
        if reported.contains(&key) {
            continue;
        }
        if let Some(spellings) = b.context.artist_spellings.get(&key).filter(|s| s.len() > 1) {
            reported.push(key);
            let others: Vec<String> =
                spellings.iter().filter(|s| **s != c.artist_name).map(|s| format!("{s:?}")).collect();
            checks.push((c.artist_name.clone(), others.join(", ")));
        }
    }
    for (name, others) in checks {
        r.emit(
            &ARTIST_NEAR_DUP,
            "release.artists".into(),
            &name,
            format!("artist {name:?} is also spelled {others} in the catalog"),
            None,
        );
    }
    // A8: DSP artist ids.
    let mut ids: Vec<i64> = b
        .release
        .artists
        .iter()
        .chain(b.tracks.iter().flat_map(|t| t.contributors.iter()))
        .map(|c| c.artist_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for artist_id in ids {
        let Some(dsp_ids) = b.context.artist_dsp_ids.get(&artist_id) else { continue };
        for id in dsp_ids {
            if let Err(e) = normalize_dsp_artist_id(id.platform, &id.value) {
                r.emit(
                    &ARTIST_DSP_ID,
                    format!("artist:{artist_id}.{}", id.platform.as_str()),
                    &id.value,
                    e.to_string(),
                    None,
                );
            }
        }
    }
    // X1: explicit tracks make an explicit release.
    if b.tracks.iter().any(|t| t.explicit) && b.release.parental_advisory != ParentalAdvisory::Explicit {
        r.emit(
            &EXPLICIT_RELEASE,
            "release.parental_advisory".into(),
            b.release.parental_advisory.as_str(),
            format!("release.parental_advisory is {} but a track is explicit", b.release.parental_advisory),
            Some(Autofix::set("release.parental_advisory", "explicit")),
        );
    }
}

// ---------------------------------------------------------------------------- dates

fn parse_date(r: &mut Run<'_, '_>, name: &str, value: Option<&str>) -> Option<Date> {
    let value = value?.trim();
    match Date::parse(value, format_description!("[year]-[month]-[day]")) {
        Ok(date) => Some(date),
        Err(_) => {
            r.emit(
                &DATE_FORMAT,
                format!("release.{name}"),
                value,
                format!("release.{name} {value:?} is not a date YYYY-MM-DD"),
                None,
            );
            None
        }
    }
}

fn dates(r: &mut Run<'_, '_>, today: Date) {
    use catno_domain::WorkflowStatus as W;
    let b = r.bundle;
    let release_date = parse_date(r, "release_date", b.release.release_date.as_deref());
    let original = parse_date(r, "original_release_date", b.release.original_release_date.as_deref());
    if let (Some(date), Some(orig)) = (release_date, original)
        && orig > date
    {
        r.emit(
            &DATE_ORIGINAL,
            "release.original_release_date".into(),
            &orig.to_string(),
            format!("release.original_release_date {orig} is after the release date {date}"),
            None,
        );
    }
    let unreleased = matches!(b.release.status, W::Draft | W::InReview | W::Approved | W::Rejected);
    if let Some(date) = release_date
        && unreleased
    {
        let days = (date - today).whole_days();
        let (lead, pitch) = (r.profile.lead_days, r.profile.pitch_days);
        if days < lead {
            let when = if days < 0 { format!("{} days ago", -days) } else { format!("in {days} days") };
            r.emit(
                &DATE_LEAD,
                "release.release_date".into(),
                &date.to_string(),
                format!(
                    "release.release_date {date} is {when}; {} needs at least {lead} days ({})",
                    r.profile.name, r.profile.lead_source
                ),
                None,
            );
        } else if days < pitch {
            r.emit(
                &DATE_PITCH,
                "release.release_date".into(),
                &date.to_string(),
                format!(
                    "release.release_date {date} is in {days} days; {pitch} days are recommended for pitching"
                ),
                None,
            );
        }
    }
    if let (Some(preorder), Some(date)) = (b.rights.preorder_start, release_date) {
        if preorder >= date {
            r.emit(
                &DATE_PREORDER,
                "rights.preorder_start".into(),
                &preorder.to_string(),
                format!("pre-order start {preorder} is not before the release date {date}"),
                None,
            );
        } else if let Some(max) = r.profile.max_preorder_days
            && (date - preorder).whole_days() > max
        {
            r.emit(
                &DATE_PREORDER,
                "rights.preorder_start".into(),
                &preorder.to_string(),
                format!(
                    "pre-order start {preorder} is {} days before the release date; {} allows {max}",
                    (date - preorder).whole_days(),
                    r.profile.name
                ),
                None,
            );
        }
    }
}

// ---------------------------------------------------------------------------- territory

fn territory(r: &mut Run<'_, '_>) {
    let b = r.bundle;
    for message in &b.rights.violations {
        r.emit(&RIGHTS_SUBSET, "rights".into(), "", message.clone(), None);
    }
    for (at, t) in positions(b) {
        let none = b.rights.tracks.iter().find(|a| a.track_id == t.id).is_some_and(|a| a.territories == 0);
        if none {
            r.emit(
                &RIGHTS_UNAVAILABLE,
                at.field("rights"),
                &t.title,
                format!("{} \"{}\" is available in no territory on any store", at.what(), t.title),
                None,
            );
        }
    }
}
