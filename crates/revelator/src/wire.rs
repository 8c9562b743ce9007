//! Revelator's JSON as the client reads and writes it, with the drift NOTES records:
//! UPC as a number or a string, `0` / zero-GUID / `0001-01-01` meaning "none", spelling
//! variants (`releasesLocals`/`releaseLocals`, `tracksLocals`/`trackLocals`,
//! `roleId`/`contributorRoleId`, `name`/`distributorStoreName`, `trackPropertyId`/`id`), list
//! envelopes or bare arrays. Every object keeps the fields Catno does not model in `extra`, so a
//! full-object save sends back what it read (Revelator deletes what a save omits, §5.1).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Distribution statuses in which a release's tracks are read-only ("fully locked", §5.5 [DOC]).
/// −20 is "Pending Owner Inspection"; the names of the others are unknown.
pub const READ_ONLY_STATUSES: [i64; 4] = [-10, -11, -20, -21];
/// Validation severity that blocks distribution ([DOC] §6.3); 2 is a warning.
pub const SEVERITY_BLOCKING: i64 = 1;

pub const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

pub fn is_zero_guid(s: &str) -> bool {
    let bare = s.trim().trim_matches(|c| c == '{' || c == '}');
    bare.len() == ZERO_GUID.len() && bare.chars().all(|c| c == '0' || c == '-')
}

/// `0001-01-01…`, the .NET `DateTime.MinValue` Revelator returns for "no date".
pub fn is_placeholder_date(s: &str) -> bool {
    s.starts_with("0001-01-01")
}

pub(crate) mod de {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    fn bad<E: serde::de::Error>(what: &str, v: &Value) -> E {
        E::custom(format!("expected {what}, found {v}"))
    }

    /// A counter shown for information: anything but a whole number reads as "unknown" rather
    /// than failing the whole status read.
    pub fn lenient_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(match &v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    /// An id: a number or numeric string; `0`, `"0"`, `""` and null are "none".
    pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Null => Ok(None),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Ok(None),
                Some(id) => Ok(Some(id)),
                None => Err(bad("an integer id", &v)),
            },
            Value::String(s) if s.trim().is_empty() || s.trim() == "0" => Ok(None),
            Value::String(s) => s.trim().parse().map(Some).map_err(|_| bad("an integer id", &v)),
            _ => Err(bad("an integer id", &v)),
        }
    }

    /// A file GUID; the zero GUID and the empty string are "none".
    pub fn opt_guid<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.filter(|s| !s.trim().is_empty() && !super::is_zero_guid(s)))
    }

    /// A date; `0001-01-01…` and the empty string are "none".
    pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(d)?
            .filter(|s| !s.trim().is_empty() && !super::is_placeholder_date(s)))
    }

    /// A UPC as a string or (legacy) a number. A number has lost its leading zeros; the caller
    /// compares UPCs with [`super::same_upc`], never by string equality.
    pub fn opt_upc<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty() && s != "0")),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Ok(Some(u.to_string()).filter(|s| s != "0"))
                } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && *f > 0.0 && *f < 1e15) {
                    Ok(Some(format!("{f:.0}")))
                } else {
                    Err(bad("a UPC", &v))
                }
            }
            _ => Err(bad("a UPC", &v)),
        }
    }

    /// A number or a numeric string (writer shares).
    pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Null => Ok(None),
            Value::Number(n) => Ok(n.as_f64()),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s.trim().parse().map(Some).map_err(|_| bad("a number", &v)),
            _ => Err(bad("a number", &v)),
        }
    }

    /// A list where null means empty.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
    }
}

/// Compares UPCs read back (maybe numeric, leading zeros lost) with the one Catno holds.
pub fn same_upc(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.trim().trim_start_matches('0').to_owned();
    !a.trim().is_empty() && digits(a) == digits(b)
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A title (or name) in another language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Localized {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContributorArtist {
    pub name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A credit: `{roleId, artist: {name}}`, read also as `{contributorRoleId, artistName}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contributor {
    #[serde(
        alias = "contributorRoleId",
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub role_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist: Option<ContributorArtist>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Contributor {
    pub fn name(&self) -> Option<&str> {
        self.artist
            .as_ref()
            .map(|a| a.name.as_str())
            .or(self.artist_name.as_deref())
            .filter(|n| !n.is_empty())
    }
}

/// A writer share of the work (`composerContentsDTO` items).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Composer {
    pub composer_name: String,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub role_id: Option<i64>,
    /// Percent (0–100); arrives as a number or a numeric string.
    #[serde(deserialize_with = "de::opt_number", skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub rights_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_name: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub publisher_id: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AudioFile {
    /// The GUID from `/media/audio/upload`.
    #[serde(deserialize_with = "de::opt_guid", skip_serializing_if = "Option::is_none")]
    pub audio_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_format: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RecordingVersion {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recording_version_type: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    #[serde(deserialize_with = "de::list")]
    pub audio_files: Vec<AudioFile>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Image {
    #[serde(deserialize_with = "de::opt_guid", skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Track {
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub track_id: Option<i64>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist_name: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<i64>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub audio_language_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track_type: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track_number: Option<i64>,
    #[serde(deserialize_with = "de::list")]
    pub track_properties: Vec<i64>,
    #[serde(deserialize_with = "de::list")]
    pub contributors: Vec<Contributor>,
    #[serde(rename = "composerContentsDTO", deserialize_with = "de::list")]
    pub composers: Vec<Composer>,
    #[serde(alias = "trackLocals", deserialize_with = "de::list")]
    pub tracks_locals: Vec<Localized>,
    #[serde(deserialize_with = "de::list")]
    pub track_recording_versions: Vec<RecordingVersion>,
    /// Top-level mirror of the stereo version's ISRC in responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright_p: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright_c: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub is_fully_locked: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Track {
    /// Every audio file id the track holds, in every recording version.
    pub fn audio_ids(&self) -> Vec<&str> {
        self.track_recording_versions
            .iter()
            .flat_map(|v| v.audio_files.iter().filter_map(|f| f.audio_id.as_deref()))
            .collect()
    }
}

/// The release object of `GET /content/release/{id}` and `POST /content/release/save`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Release {
    /// Absent to create: new code never sends `0` (A11).
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub release_id: Option<i64>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist_name: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub artist_id: Option<i64>,
    /// Required, may be empty ([DOC]); `releaseLocals` is a misspelling seen in one tool.
    #[serde(alias = "releaseLocals", deserialize_with = "de::list")]
    pub releases_locals: Vec<Localized>,
    #[serde(deserialize_with = "de::list")]
    pub contributors: Vec<Contributor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright_p: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright_c: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_record_label: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_name: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub label_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previously_released: Option<bool>,
    #[serde(deserialize_with = "de::opt_date", skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    /// Always sent as a string (A12).
    #[serde(deserialize_with = "de::opt_upc", skip_serializing_if = "Option::is_none")]
    pub upc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<i64>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub primary_music_style_id: Option<i64>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub secondary_music_style_id: Option<i64>,
    #[serde(deserialize_with = "de::opt_id", skip_serializing_if = "Option::is_none")]
    pub release_type_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_compilation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parental_advisory: Option<bool>,
    /// Omitting it deletes the cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(deserialize_with = "de::list")]
    pub tracks: Vec<Track>,
    #[serde(deserialize_with = "de::opt_date", skip_serializing_if = "Option::is_none")]
    pub sale_start_date: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub is_locked_for_distribution: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub is_fully_locked: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Release {
    /// The cover's file id, if the release has a cover.
    pub fn cover_file_id(&self) -> Option<&str> {
        self.image.as_ref().and_then(|i| i.file_id.as_deref())
    }
}

/// Removes zero sentinels Revelator may have returned in fields Catno does not model
/// (`extra`), so a save never sends a zero GUID, a `0001-01-01` date or an `…Id: 0` (A11).
pub fn scrub_sentinels(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, v| match v {
                Value::String(s) => !is_zero_guid(s) && !is_placeholder_date(s),
                Value::Number(n) => !(key.ends_with("Id") && n.as_i64() == Some(0)),
                _ => true,
            });
            map.values_mut().for_each(scrub_sentinels);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_sentinels),
        _ => {}
    }
}

/// One row of `GET /content/release/all`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReleaseListItem {
    #[serde(deserialize_with = "de::opt_id")]
    pub release_id: Option<i64>,
    pub name: String,
    #[serde(deserialize_with = "de::opt_upc")]
    pub upc: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The paging envelope of list endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Paged<T> {
    pub total_items_count: i64,
    pub page_number: i64,
    pub page_size: i64,
    #[serde(deserialize_with = "de::list")]
    pub items: Vec<T>,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged { total_items_count: 0, page_number: 0, page_size: 0, items: Vec::new() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Permission {
    #[serde(deserialize_with = "de::opt_id")]
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub is_owner: bool,
    pub is_active: bool,
    pub is_default: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub access_token: crate::Secret,
    #[serde(default)]
    pub is_authorized: Option<bool>,
    #[serde(default, deserialize_with = "de::list")]
    pub permissions: Vec<Permission>,
}

impl LoginResponse {
    /// The enterprise to act as: the default one, else an active owned one, else the first.
    pub fn enterprise_id(&self) -> Option<i64> {
        let p = &self.permissions;
        p.iter()
            .find(|p| p.is_default)
            .or_else(|| p.iter().find(|p| p.is_active && p.is_owner))
            .or_else(|| p.first())
            .and_then(|p| p.enterprise_id)
    }
}

// ---- lookups -------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Language {
    #[serde(deserialize_with = "de::opt_id")]
    pub language_id: Option<i64>,
    pub name: String,
    pub language_code: Option<String>,
    pub is_valid_metadata_language: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MusicStyle {
    #[serde(deserialize_with = "de::opt_id")]
    pub music_style_id: Option<i64>,
    pub name: String,
    #[serde(deserialize_with = "de::opt_id")]
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContributorRole {
    #[serde(alias = "contributorRoleId", deserialize_with = "de::opt_id")]
    pub role_id: Option<i64>,
    pub name: String,
    #[serde(deserialize_with = "de::opt_id")]
    pub contributor_role_group_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Store {
    #[serde(deserialize_with = "de::opt_id")]
    pub distributor_store_id: Option<i64>,
    #[serde(alias = "distributorStoreName")]
    pub name: String,
    pub is_active: Option<bool>,
}

/// A `releasetypes` or `trackProperties` entry; their shapes are unknown, so the id is taken
/// from the first of several plausible keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedId {
    pub id: i64,
    pub name: String,
}

impl NamedId {
    pub(crate) fn from_value(v: &Value, id_keys: &[&str]) -> Option<NamedId> {
        let map = v.as_object()?;
        let id = id_keys.iter().find_map(|k| {
            let v = map.get(*k)?;
            v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })?;
        let name = ["name", "releaseTypeName", "trackPropertyName", "description"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))?
            .to_owned();
        Some(NamedId { id, name })
    }
}

/// Lookup lists arrive as bare arrays or inside `{items: […]}` (A13).
pub fn lookup_items(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

// ---- distribution --------------------------------------------------------------------------

/// One issue from `POST /distribution/release/{id}/validate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ValidationIssue {
    #[serde(deserialize_with = "de::opt_id")]
    pub object_id: Option<i64>,
    pub object_type: Option<String>,
    pub field: Option<String>,
    /// May contain HTML.
    pub error_message: String,
    pub value: Value,
    pub severity: Option<i64>,
    pub error_code: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ValidationIssue {
    /// Severity 1 blocks; an issue without a severity is treated as blocking (safer).
    pub fn is_blocking(&self) -> bool {
        self.severity.is_none_or(|s| s == SEVERITY_BLOCKING)
    }
}

/// Reads a validate answer: empty body (clean), a bare array, or `{validationErrors: […]}` (A14).
pub fn parse_validation(body: &[u8]) -> Result<Vec<ValidationIssue>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let list = match value {
        Value::Null | Value::Bool(true) => return Ok(Vec::new()),
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("validationErrors").or_else(|| map.remove("errors")) {
            Some(Value::Array(items)) => items,
            Some(Value::Null) | None if map.is_empty() => Vec::new(),
            _ => return Err("a JSON object without a validationErrors list".to_owned()),
        },
        other => return Err(format!("unexpected JSON {other}")),
    };
    list.into_iter().map(|v| serde_json::from_value(v).map_err(|e| e.to_string())).collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReleaseStatus {
    pub status: Option<i64>,
    pub status_text: Option<String>,
    pub error_message: Option<String>,
    pub is_error: Option<bool>,
    #[serde(deserialize_with = "de::opt_date")]
    pub added_date: Option<String>,
    #[serde(deserialize_with = "de::opt_date")]
    pub delivery_date: Option<String>,
    #[serde(deserialize_with = "de::opt_date")]
    pub date_live: Option<String>,
    pub url_in_store: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One item of `GET /distribution/store/all?releaseId=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StoreStatus {
    #[serde(deserialize_with = "de::opt_id")]
    pub distributor_store_id: Option<i64>,
    #[serde(alias = "name")]
    pub distributor_store_name: Option<String>,
    pub release_status: Option<ReleaseStatus>,
    /// Per-store counters (NOTES §6.4, [AE][CODE×2]); the status codes themselves are opaque.
    #[serde(default, deserialize_with = "de::lenient_count")]
    pub taken_down_count: Option<i64>,
    #[serde(default, deserialize_with = "de::lenient_count")]
    pub in_take_down_count: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoreStatus {
    /// Removed from the store after a takedown.
    pub fn is_taken_down(&self) -> bool {
        self.taken_down_count.is_some_and(|n| n > 0)
    }

    /// A takedown was requested and has not finished.
    pub fn is_taking_down(&self) -> bool {
        self.in_take_down_count.is_some_and(|n| n > 0)
    }

    pub fn status_code(&self) -> Option<i64> {
        self.release_status.as_ref().and_then(|s| s.status)
    }

    /// In a documented fully-locked status: the release's tracks cannot be edited.
    pub fn is_read_only(&self) -> bool {
        self.status_code().is_some_and(|s| READ_ONLY_STATUSES.contains(&s))
    }
}

/// The deliberately minimal V1 retail-save body: a V1 call with more fields could overwrite
/// settings made through V2 (§3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetailSave {
    pub release_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale_start_date: Option<String>,
    /// Mandatory per the docs; `[]` when no UGC store is used.
    pub monetization_policy_ids: Vec<i64>,
}

/// The id in a save answer: `releaseId`, else `id` (clients disagree, §5.3).
pub fn saved_release_id(value: &Value) -> Option<i64> {
    let map = value.as_object()?;
    ["releaseId", "id"].iter().find_map(|k| {
        let v = map.get(*k)?;
        v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).filter(|id| *id != 0)
    })
}

/// The GUID of an upload answer: a bare JSON string, a bare text, or `{fileId}` / `{audioId}` /
/// `{id}`. The zero GUID means the upload failed (§6.1).
pub fn uploaded_file_id(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let id = match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(s)) => s,
        Ok(Value::Object(map)) => ["fileId", "audioId", "id"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned))?,
        Ok(_) => return None,
        Err(_) => text.trim().trim_matches('"').to_owned(),
    };
    let looks_like_guid = id.len() >= 32 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    (looks_like_guid && !is_zero_guid(&id)).then_some(id)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn drift_and_sentinels_are_read_as_none() {
        let legacy: Release = serde_json::from_value(json!({
            "releaseId": 12, "name": "A", "upc": 123456789012u64, "labelId": 0,
            "releaseDate": "0001-01-01T00:00:00", "releaseLocals": [{"name": "A", "languageId": "1"}],
            "image": {"fileId": ZERO_GUID, "filename": ""},
            "tracks": [{"trackId": "7", "name": "T", "trackLocals": null, "composerContentsDTO":
                [{"composerName": "W", "share": "50.5", "roleId": 3}],
                "contributors": [{"contributorRoleId": 49, "artistName": "X"}]}],
            "somethingNew": {"nested": true}
        }))
        .unwrap();
        assert_eq!(legacy.upc.as_deref(), Some("123456789012"));
        assert!(same_upc(legacy.upc.as_deref().unwrap(), "0123456789012"));
        assert_eq!(legacy.label_id, None);
        assert_eq!(legacy.release_date, None);
        assert_eq!(legacy.releases_locals[0].language_id, Some(1));
        assert_eq!(legacy.cover_file_id(), None);
        assert_eq!(legacy.tracks[0].track_id, Some(7));
        assert_eq!(legacy.tracks[0].composers[0].share, Some(50.5));
        assert_eq!(legacy.tracks[0].contributors[0].role_id, Some(49));
        assert_eq!(legacy.tracks[0].contributors[0].name(), Some("X"));
        assert_eq!(legacy.extra["somethingNew"], json!({"nested": true}));
    }

    #[test]
    fn unknown_fields_round_trip_and_upc_is_sent_as_a_string() {
        let input = json!({
            "releaseId": 5, "name": "B", "upc": "0123456789012", "releasesLocals": [],
            "kountStatusId": 3, "tags": ["x"],
            "tracks": [{"trackId": 9, "name": "T", "assetId": 77, "trackRecordingVersions":
                [{"recordingVersionType": 1, "isrc": "GBAAA2400001", "recordingVersionId": 4,
                  "audioFiles": [{"audioId": "2f1c5a7e-0000-4000-8000-000000000001", "fileFormat": 1, "size": 10}]}]}]
        });
        let release: Release = serde_json::from_value(input.clone()).unwrap();
        let out = serde_json::to_value(&release).unwrap();
        assert_eq!(out["upc"], json!("0123456789012"));
        assert_eq!(out["kountStatusId"], json!(3));
        assert_eq!(out["tags"], json!(["x"]));
        assert_eq!(out["tracks"][0]["assetId"], json!(77));
        assert_eq!(out["tracks"][0]["trackRecordingVersions"][0]["recordingVersionId"], json!(4));
        assert_eq!(out["tracks"][0]["trackRecordingVersions"][0]["audioFiles"][0]["size"], json!(10));
        assert_eq!(out["tracks"][0]["composerContentsDTO"], json!([]));
        assert!(out.get("releaseLocals").is_none());
    }

    #[test]
    fn creating_never_sends_a_zero_id_and_sentinels_are_scrubbed() {
        let mut release: Release = serde_json::from_value(json!({"releaseId": 0, "name": "N"})).unwrap();
        release.extra.insert("createdDate".into(), json!("0001-01-01T00:00:00"));
        release.extra.insert("payeeOwnerId".into(), json!(0));
        release.extra.insert("artistImage".into(), json!({"fileId": ZERO_GUID, "w": 1}));
        let mut out = serde_json::to_value(&release).unwrap();
        scrub_sentinels(&mut out);
        assert!(out.get("releaseId").is_none());
        assert!(out.get("createdDate").is_none());
        assert!(out.get("payeeOwnerId").is_none());
        assert_eq!(out["artistImage"], json!({"w": 1}));
    }

    #[test]
    fn validation_answers_in_every_shape() {
        assert!(parse_validation(b"").unwrap().is_empty());
        assert!(parse_validation(b"  \n").unwrap().is_empty());
        let issue = r#"{"objectId":1,"objectType":"Release","field":"PosterImage","errorMessage":"<b>Cover</b> missing","severity":1,"errorCode":11051}"#;
        let bare = parse_validation(format!("[{issue}]").as_bytes()).unwrap();
        let wrapped = parse_validation(format!(r#"{{"validationErrors":[{issue}]}}"#).as_bytes()).unwrap();
        assert_eq!(bare, wrapped);
        assert!(bare[0].is_blocking());
        assert_eq!(bare[0].error_code, Some(11051));
        assert!(parse_validation(b"<html>oops</html>").is_err());
        let warn = parse_validation(br#"[{"errorMessage":"odd casing","severity":2}]"#).unwrap();
        assert!(!warn[0].is_blocking());
    }

    #[test]
    fn upload_answers_in_every_shape() {
        let id = "2f1c5a7e-1111-4000-8000-000000000001";
        assert_eq!(uploaded_file_id(format!("\"{id}\"").as_bytes()).as_deref(), Some(id));
        assert_eq!(uploaded_file_id(id.as_bytes()).as_deref(), Some(id));
        assert_eq!(
            uploaded_file_id(format!(r#"{{"fileId":"{id}","filename":"a.wav"}}"#).as_bytes()).as_deref(),
            Some(id)
        );
        assert_eq!(uploaded_file_id(format!(r#"{{"audioId":"{id}"}}"#).as_bytes()).as_deref(), Some(id));
        assert_eq!(uploaded_file_id(format!("\"{ZERO_GUID}\"").as_bytes()), None);
        assert_eq!(uploaded_file_id(b"<html></html>"), None);
    }

    #[test]
    fn lookups_and_statuses_read_their_variants() {
        let stores: Vec<Store> =
            lookup_items(json!({"items": [{"distributorStoreId": 507, "distributorStoreName": "Spotify"}]}))
                .into_iter()
                .map(|v| serde_json::from_value(v).unwrap())
                .collect();
        assert_eq!(stores[0].distributor_store_id, Some(507));
        assert_eq!(stores[0].name, "Spotify");
        let roles: Vec<ContributorRole> = serde_json::from_value(
            json!([{"contributorRoleId": 49, "name": "Primary Artist", "contributorRoleGroupId": 1}]),
        )
        .unwrap();
        assert_eq!(roles[0].role_id, Some(49));
        let t =
            NamedId::from_value(&json!({"typeId": 3, "name": "Single"}), &["releaseTypeId", "typeId", "id"])
                .unwrap();
        assert_eq!((t.id, t.name.as_str()), (3, "Single"));
        let status: StoreStatus = serde_json::from_value(json!({"distributorStoreId": 9, "name": "Spotify",
            "releaseStatus": {"status": -20, "statusText": "Pending Owner Inspection", "dateLive": "0001-01-01T00:00:00"}})).unwrap();
        assert!(status.is_read_only());
        assert_eq!(status.release_status.unwrap().date_live, None);
        assert_eq!(saved_release_id(&json!({"id": "41"})), Some(41));
        assert_eq!(saved_release_id(&json!({"releaseId": 0})), None);
        assert!(is_zero_guid(&format!("{{{ZERO_GUID}}}")));
        assert!(!is_zero_guid("0") && !is_zero_guid("-") && !is_zero_guid(""));
    }
}
