//! catno-validate: the release validation rule pack.
//!
//! A [`ReleaseBundle`] (a release, its full tracks, a summary of its territory rights, and
//! catalog-wide context) is checked against [`RULES`] as tuned by a [`Profile`]; the result is
//! a list of [`Finding`]s: data, never errors. Each rule carries the source of the style
//! guide or spec it comes from and the date that source was read (research notes
//! `metadata-style-rules.md`, source ids `S#`), because DSPs change their rules without notice.
//! Safe fixes come as an [`Autofix`] the caller applies through its ordinary edit path.
//!
//! Pure: no IO, no clock (the caller passes `today`); never depends on tokio, sqlx or tauri.

mod rules;
pub mod text;

use std::collections::{HashMap, HashSet};

use catno_domain::{DspArtistId, Release, Track};
use serde::{Deserialize, Serialize};
use time::Date;

pub use rules::RULES;

/// How bad a finding is: an error blocks delivery, a warning needs a look, info is advice.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", serde(rename = "ValidationSeverity"))]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field change of an autofix. `field` is `release.<field>` or `track:<id>.<field>`, with
/// the field names `set_release_fields` / `set_track_fields` accept; an empty `new_value`
/// clears an optional field.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub new_value: String,
}

/// A safe fix: set `field` to `new_value`, plus any `also` changes in the same edit (moving
/// version text out of a title sets both the title and the version).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autofix {
    pub field: String,
    pub new_value: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<FieldChange>,
}

impl Autofix {
    pub fn set(field: impl Into<String>, new_value: impl Into<String>) -> Self {
        Self { field: field.into(), new_value: new_value.into(), also: Vec::new() }
    }

    /// Every change, the main one first.
    pub fn changes(&self) -> Vec<FieldChange> {
        let mut all = vec![FieldChange { field: self.field.clone(), new_value: self.new_value.clone() }];
        all.extend(self.also.iter().cloned());
        all
    }
}

/// One thing a rule found. `field` names where, for people: `release.upc`,
/// `track[3].title` (1-based position), `track[3].contributors`, `release`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", serde(rename = "ValidationFinding"))]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    pub message: String,
    pub field: String,
    pub value: String,
    pub fix_hint: String,
    pub autofix: Option<Autofix>,
}

/// What `catno rules list` and the in-app docs show of a rule.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDoc {
    pub id: String,
    pub family: String,
    pub severity: Severity,
    /// Source ids and names, e.g. `S41 Apple Music Style Guide 2.13`.
    pub source: String,
    /// When the source was read (YYYY-MM-DD).
    pub source_date: String,
    pub description: String,
}

/// A rule of the pack, as static data.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub family: &'static str,
    pub severity: Severity,
    pub source: &'static str,
    pub source_date: &'static str,
    pub description: &'static str,
    pub fix_hint: &'static str,
}

impl Rule {
    pub fn doc(&self) -> RuleDoc {
        RuleDoc {
            id: self.id.into(),
            family: self.family.into(),
            severity: self.severity,
            source: self.source.into(),
            source_date: self.source_date.into(),
            description: self.description.into(),
        }
    }
}

/// Every rule of the pack, for docs.
pub fn rules() -> Vec<RuleDoc> {
    RULES.iter().map(Rule::doc).collect()
}

/// Fields a profile requires on a release.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredField {
    Upc,
    ReleaseDate,
    Genre,
    PLine,
    CLine,
    MetadataLanguage,
    CatalogNumber,
    TrackIsrc,
    TrackDuration,
    TrackWriters,
    TrackAudioLanguage,
}

/// A delivery target's tuning of the pack: which rules run, at which severity, with which
/// lead times. Data, so a new DSP is a new value.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", serde(rename = "ValidationProfile"))]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Rules switched off for this target.
    pub disabled: Vec<String>,
    /// `(rule id, severity)` replacing the rule's own severity.
    pub severity_overrides: Vec<(String, Severity)>,
    pub required: Vec<RequiredField>,
    /// Minimum days between today and the street date for a new release (warning below).
    pub lead_days: i64,
    /// Days of lead time recommended for playlist / editorial pitching (info below).
    pub pitch_days: i64,
    /// Longest pre-order period, in days before the street date.
    pub max_preorder_days: Option<i64>,
    /// Where the lead times come from.
    pub lead_source: String,
}

impl Profile {
    pub fn enabled(&self, rule_id: &str) -> bool {
        !self.disabled.iter().any(|d| d == rule_id)
    }

    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity_overrides.iter().find(|(id, _)| id == rule.id).map_or(rule.severity, |(_, s)| *s)
    }

    /// A profile by id (`spotify`, `apple_music`, `amazon`, `youtube`, `tiktok`, `revelator`,
    /// `generic`; `-` and case ignored).
    pub fn named(id: &str) -> Result<Profile, ValidateError> {
        let wanted = id.trim().to_ascii_lowercase().replace('-', "_");
        profiles().into_iter().find(|p| p.id == wanted).ok_or_else(|| ValidateError::UnknownProfile {
            id: id.to_owned(),
            known: profiles().iter().map(|p| p.id.clone()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    #[error("unknown validation profile {id:?}; known: {known}")]
    UnknownProfile { id: String, known: String },
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// The built-in profiles.
pub fn profiles() -> Vec<Profile> {
    use RequiredField::*;
    let base = [Upc, ReleaseDate, Genre, PLine, CLine, TrackIsrc, TrackDuration];
    let generic = Profile {
        id: "generic".into(),
        name: "Generic distributor".into(),
        disabled: Vec::new(),
        severity_overrides: Vec::new(),
        required: base.to_vec(),
        lead_days: 7,
        pitch_days: 28,
        max_preorder_days: None,
        lead_source: "S81 Music Gateway / Kudos lead times (2026-11)".into(),
    };
    vec![
        Profile {
            id: "spotify".into(),
            name: "Spotify".into(),
            // Spotify shows featured artists from the artist fields, not the title: still an
            // error, but version-in-title stays a warning.
            required: [&base[..], &[MetadataLanguage, TrackWriters]].concat(),
            // D1: ≥5 business days (≈7 calendar days) ahead; ~4 weeks for editorial pitching.
            lead_days: 7,
            pitch_days: 28,
            lead_source: "S81 Spotify/Music Gateway lead times; S40 Spotify metadata guidelines (2026-11)"
                .into(),
            ..generic.clone()
        },
        Profile {
            id: "apple_music".into(),
            name: "Apple Music".into(),
            required: [&base[..], &[MetadataLanguage, TrackWriters, TrackAudioLanguage]].concat(),
            severity_overrides: vec![("STYLE-TITLE-CASE".into(), Severity::Warning)],
            lead_days: 7,
            pitch_days: 28,
            max_preorder_days: Some(366),
            lead_source: "S23 LabelGrid advanced date settings (Apple pre-order ≤366 days); S81 (2026-11)"
                .into(),
            ..generic.clone()
        },
        Profile {
            id: "amazon".into(),
            name: "Amazon Music".into(),
            max_preorder_days: Some(366),
            ..generic.clone()
        },
        Profile {
            id: "youtube".into(),
            name: "YouTube Music / Content ID".into(),
            // YouTube uses deals without pre-orders; casing is advice only.
            disabled: strings(&["DATE-PREORDER"]),
            severity_overrides: vec![("STYLE-CASING".into(), Severity::Info)],
            lead_days: 2,
            pitch_days: 7,
            lead_source: "ddex-notes.md YouTube DDEX feed (no StartDate = live on receipt) (2026-11)".into(),
            ..generic.clone()
        },
        Profile {
            id: "tiktok".into(),
            name: "TikTok / UGC".into(),
            disabled: strings(&["DATE-PREORDER", "STYLE-TITLE-CASE", "CREDIT-PRODUCER"]),
            severity_overrides: vec![("STYLE-CASING".into(), Severity::Info)],
            required: vec![Upc, ReleaseDate, PLine, TrackIsrc],
            lead_days: 5,
            pitch_days: 14,
            ..generic.clone()
        },
        Profile {
            id: "revelator".into(),
            name: "Revelator".into(),
            required: [&base[..], &[CatalogNumber, MetadataLanguage, TrackWriters]].concat(),
            severity_overrides: vec![("CREDIT-PRODUCER".into(), Severity::Error)],
            lead_source: "S85 Revelator metadata style guide; S81 (2026-11)".into(),
            ..generic.clone()
        },
        generic,
    ]
}

/// A track's availability under the release's rights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackAvailability {
    pub track_id: i64,
    /// Territories where the track is available on at least one store for at least one use.
    pub territories: usize,
}

/// What validation needs of a release's rights: the subset violations (messages) and how
/// available each track is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsSummary {
    pub violations: Vec<String>,
    pub tracks: Vec<TrackAvailability>,
    /// Earliest pre-order start among the release's rules.
    pub preorder_start: Option<Date>,
}

/// What the rest of the catalog holds, for uniqueness and near-duplicate rules. Built once
/// for a whole-catalog run; for one release, only the entries that matter are enough.
#[derive(Debug, Clone, Default)]
pub struct CatalogContext {
    /// UPC → releases using it.
    pub upcs: HashMap<String, Vec<i64>>,
    /// ISRC → (track id, audio SHA-256 when the track has audio).
    pub isrcs: HashMap<String, Vec<(i64, Option<String>)>>,
    /// Folded artist name ([`text::fold_name`]) → the distinct spellings in the catalog.
    pub artist_spellings: HashMap<String, Vec<String>>,
    /// DSP ids of the artists credited on the release(s) validated.
    pub artist_dsp_ids: HashMap<i64, Vec<DspArtistId>>,
}

impl CatalogContext {
    pub fn add_upc(&mut self, upc: &str, release_id: i64) {
        let ids = self.upcs.entry(upc.to_owned()).or_default();
        if !ids.contains(&release_id) {
            ids.push(release_id);
        }
    }

    pub fn add_isrc(&mut self, isrc: &str, track_id: i64, audio_sha256: Option<String>) {
        let entries = self.isrcs.entry(isrc.to_owned()).or_default();
        if !entries.iter().any(|(id, hash)| *id == track_id && *hash == audio_sha256) {
            entries.push((track_id, audio_sha256));
        }
    }

    pub fn add_artist_name(&mut self, name: &str) {
        let key = text::fold_name(name);
        if key.is_empty() {
            return;
        }
        let spellings = self.artist_spellings.entry(key).or_default();
        if !spellings.iter().any(|s| s == name) {
            spellings.push(name.to_owned());
        }
    }

    /// Keeps only the near-duplicate groups (two or more spellings), to save memory.
    pub fn retain_ambiguous_names(&mut self) {
        self.artist_spellings.retain(|_, v| v.len() > 1);
    }
}

/// Everything the rules look at for one release.
#[derive(Debug, Clone)]
pub struct ReleaseBundle<'a> {
    pub release: Release,
    /// In running order.
    pub tracks: Vec<Track>,
    /// Audio SHA-256 per track, in the order of `tracks`.
    pub audio_sha256: Vec<Option<String>>,
    pub rights: RightsSummary,
    pub context: &'a CatalogContext,
}

/// The findings of one release, errors first.
pub fn validate(bundle: &ReleaseBundle<'_>, profile: &Profile, today: Date) -> Vec<Finding> {
    let mut findings = rules::run(bundle, profile, today);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// Counts of (errors, warnings).
pub fn tally(findings: &[Finding]) -> (usize, usize) {
    findings.iter().fold((0, 0), |(e, w), f| match f.severity {
        Severity::Error => (e + 1, w),
        Severity::Warning => (e, w + 1),
        Severity::Info => (e, w),
    })
}

/// Names of the artists of a release that do not repeat in a context; used by callers
/// building a narrow context for one release.
pub fn artist_names(release: &Release, tracks: &[Track]) -> HashSet<String> {
    release
        .artists
        .iter()
        .chain(tracks.iter().flat_map(|t| t.contributors.iter()))
        .map(|c| c.artist_name.clone())
        .collect()
}

#[cfg(test)]
mod tests;
