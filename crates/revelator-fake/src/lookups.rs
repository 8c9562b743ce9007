//! `GET /common/lookup/{type}` seeds: the IDs NOTES 5.6 knows, plus a few invented rows that carry
//! `"fake": true` so nobody mistakes them for Revelator data (NOTES 10.1).

use crate::config::StoreProfile;
use serde_json::{Value, json};

/// A store as the fake knows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Store {
    pub id: i64,
    pub name: &'static str,
    /// UGC stores need monetization policies before delivery (NOTES 6.5).
    pub ugc: bool,
    pub fake: bool,
}

const STANDARD_STORES: &[Store] = &[
    Store { id: 1, name: "iTunes/Apple Music", ugc: false, fake: false },
    Store { id: 9, name: "Spotify", ugc: false, fake: false },
    Store { id: 309, name: "Facebook/Instagram", ugc: true, fake: true },
    Store { id: 459, name: "Merlin Apple", ugc: false, fake: false },
    Store { id: 601, name: "Deezer (fake id)", ugc: false, fake: true },
    Store { id: 602, name: "Tidal (fake id)", ugc: false, fake: true },
    Store { id: 603, name: "YouTube Content ID (fake id)", ugc: true, fake: true },
];

const NON_OBVIOUS_STORES: &[Store] = &[
    Store { id: 507, name: "Spotify", ugc: false, fake: false },
    Store { id: 508, name: "iTunes/Apple Music", ugc: false, fake: false },
    Store { id: 459, name: "Merlin Apple", ugc: false, fake: false },
    Store { id: 1701, name: "Deezer (fake id)", ugc: false, fake: true },
    Store { id: 1702, name: "YouTube Content ID (fake id)", ugc: true, fake: true },
];

pub(crate) fn stores(profile: StoreProfile) -> &'static [Store] {
    match profile {
        StoreProfile::Standard => STANDARD_STORES,
        StoreProfile::NonObvious => NON_OBVIOUS_STORES,
    }
}

pub(crate) fn store(profile: StoreProfile, id: i64) -> Option<Store> {
    stores(profile).iter().copied().find(|s| s.id == id)
}

/// `(roleId, name, group, fake)`; 49 is [DOC-v2], groups are [CODE×3], the other ids invented.
pub(crate) const CONTRIBUTOR_ROLES: &[(i64, &str, i64, bool)] = &[
    (49, "Primary Artist", 1, false),
    (50, "Featuring", 1, true),
    (60, "Vocals", 2, true),
    (61, "Guitar", 2, true),
    (62, "Drums", 2, true),
    (70, "Producer", 3, true),
    (71, "Mixing Engineer", 3, true),
    (72, "Mastering Engineer", 3, true),
    (73, "Recording Engineer", 3, true),
    (74, "Remixer", 3, true),
    (80, "Composer", 4, true),
    (81, "Lyricist", 4, true),
    (82, "Composer & Lyricist", 4, true),
    (83, "Arranger", 4, true),
];

pub(crate) fn role_group(role_id: i64) -> Option<i64> {
    CONTRIBUTOR_ROLES.iter().find(|r| r.0 == role_id).map(|r| r.2)
}

fn fake_flag(row: &mut Value, fake: bool) {
    if fake && let Some(object) = row.as_object_mut() {
        object.insert("fake".into(), Value::Bool(true));
    }
}

/// `None` for a lookup type the fake does not know (answered 404).
/// Every fake store is active, so `?activeOnly=true` changes nothing.
pub(crate) fn lookup(kind: &str, profile: StoreProfile) -> Option<Value> {
    let rows: Vec<Value> = match kind.to_ascii_lowercase().as_str() {
        "languages" => [
            (1, "English", "en", true),
            (2, "Hebrew", "he", true),
            (3, "French", "fr", true),
            (15, "German", "de", true),
            (21, "Italian", "it", true),
            (22, "Japanese", "ja", true),
            (31, "Portuguese", "pt", true),
            (37, "Spanish", "es", true),
            (48, "Instrumental", "zxx", false),
        ]
        .iter()
        .map(|(id, name, code, valid)| {
            json!({"languageId": id, "name": name, "languageCode": code, "isValidMetadataLanguage": valid})
        })
        .collect(),
        "musicstyles" => [
            (10, "Pop", false),
            (11, "Rock", false),
            (12, "Electronic", false),
            (22, "Jazz", false),
            (25, "Alternative", false),
            (32, "Classical", false),
            (41, "Hip Hop/Rap", false),
            (44, "Latin", true),
            (45, "Dance", true),
            (46, "J-Pop", true),
            (1201, "House (fake id)", true),
            (1202, "Techno (fake id)", true),
        ]
        .iter()
        .enumerate()
        .map(|(order, (id, name, fake))| {
            let parent = if *id > 1000 { json!(12) } else { Value::Null };
            let mut row = json!({"musicStyleId": id, "name": name, "parentId": parent, "order": order + 1});
            fake_flag(&mut row, *fake);
            row
        })
        .collect(),
        "contributorroles" => CONTRIBUTOR_ROLES
            .iter()
            .map(|(id, name, group, fake)| {
                let mut row = json!({"roleId": id, "name": name, "contributorRoleGroupId": group});
                fake_flag(&mut row, *fake);
                row
            })
            .collect(),
        "trackproperties" => [
            (1, "None"),
            (2, "Remix or derivative"),
            (3, "Samples or stock"),
            (4, "Mix or compilation"),
            (5, "Alternate version"),
            (6, "Special genre"),
            (7, "Non-musical content"),
            (8, "Includes AI"),
        ]
        .iter()
        .map(|(id, name)| json!({"trackPropertyId": id, "name": name}))
        .collect(),
        "stores" => stores(profile)
            .iter()
            .map(|s| {
                let category = if s.ugc { "UGC" } else { "Audio" };
                let mut row = json!({"distributorStoreId": s.id, "name": s.name, "isActive": true, "category": category});
                fake_flag(&mut row, s.fake);
                row
            })
            .collect(),
        "timezones" => [(1, "UTC (fake id)"), (2, "America/New_York (fake id)"), (3, "Europe/Berlin (fake id)")]
            .iter()
            .map(|(id, name)| json!({"timezoneId": id, "name": name, "fake": true}))
            .collect(),
        "countries" => [(1, "United States", "US"), (2, "Germany", "DE"), (3, "France", "FR"), (4, "Japan", "JP")]
            .iter()
            .map(|(id, name, code)| json!({"countryId": id, "name": name, "countryCode": code, "fake": true}))
            .collect(),
        "releasetypes" => [(1, "Album"), (2, "Single"), (4, "EP"), (6, "Compilation")]
            .iter()
            .map(|(id, name)| json!({"releaseTypeId": id, "name": name, "fake": true}))
            .collect(),
        _ => return None,
    };
    Some(Value::Array(rows))
}
