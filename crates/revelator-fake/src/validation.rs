//! Distribution validation (NOTES 6.3, 10.2.7): save accepts almost anything, validate finds the
//! problems. Only error code 11051 is documented; the others are invented (F6) and say so.

use crate::assumptions::{ERROR_CODE_MISSING_COVER, PRIMARY_ARTIST_ROLE_ID};
use crate::catalog::{has_production_credit, parse_path_id};
use crate::config::ValidateShape;
use crate::lookups;
use crate::state::{Release, State};
use crate::wire::{ApiError, ApiRequest, Reply, array_field, optional_int, str_field};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub object_id: i64,
    pub object_type: &'static str,
    pub field: &'static str,
    pub message: String,
    pub value: Value,
    /// 1 blocking, 2 warning.
    pub severity: u8,
    pub code: i64,
}

impl Issue {
    fn v1(&self) -> Value {
        json!({
            "objectId": self.object_id,
            "objectType": self.object_type,
            "field": self.field,
            "errorMessage": self.message,
            "value": self.value,
            "severity": self.severity,
            "errorCode": self.code,
        })
    }

    fn v2(&self) -> Value {
        json!({
            "objectId": self.object_id,
            "objectType": self.object_type,
            "field": self.field,
            "errorMessage": self.message,
            "value": self.value,
            "severity": if self.severity == 1 { "error" } else { "warning" },
            "errorCode": self.code,
        })
    }
}

impl State {
    pub(crate) fn release_issues(&self, release: &Release) -> Vec<Issue> {
        let mut issues = Vec::new();
        let id = release.id;
        let fields = &release.fields;
        let mut release_issue = |field, message: String, value, severity, code| {
            issues.push(Issue {
                object_id: id,
                object_type: "Release",
                field,
                message,
                value,
                severity,
                code,
            });
        };
        if release.image.is_none() {
            release_issue(
                "PosterImage",
                "Please upload a <b>cover image</b> (JPG, at least 3000×3000).".into(),
                Value::Null,
                1,
                ERROR_CODE_MISSING_COVER,
            );
        }
        if release.track_ids.is_empty() {
            release_issue("Tracks", "The release has no tracks (fake).".into(), Value::Null, 1, 90_001);
        }
        for (field, code) in [("copyrightP", 90_007), ("copyrightC", 90_008)] {
            if str_field(fields, field).is_none() {
                release_issue(
                    if field == "copyrightP" { "CopyrightP" } else { "CopyrightC" },
                    format!("{field} is required (fake)."),
                    Value::Null,
                    1,
                    code,
                );
            }
        }
        for (field, label, code) in
            [("languageId", "LanguageId", 90_009), ("primaryMusicStyleId", "PrimaryMusicStyleId", 90_010)]
        {
            if optional_int(fields, field).ok().flatten().is_none_or(|v| v <= 0) {
                release_issue(label, format!("{field} is required (fake)."), Value::Null, 1, code);
            }
        }
        // 5.5 [DOC-v2] compilation rule, F5 for what counts as "artist set".
        let primaries = self.primary_artists(release);
        let standard = optional_int(fields, "artistId").ok().flatten().is_some_and(|a| a > 0)
            || str_field(fields, "artistName").is_some();
        if standard && primaries.len() > 4 {
            release_issue(
                "Artists",
                format!(
                    "A release with a main artist may have at most 4 primary artists; it has {} (fake).",
                    primaries.len()
                ),
                json!(primaries.len()),
                1,
                90_006,
            );
        } else if !standard && primaries.len() < 4 {
            release_issue(
                "Artists",
                format!(
                    "Without a main artist the release is a Various Artists compilation and needs at least 4 primary artists; it has {} (fake).",
                    primaries.len()
                ),
                json!(primaries.len()),
                1,
                90_006,
            );
        }
        if let Some(name) = str_field(fields, "name")
            && shouts(name)
        {
            release_issue("Name", "Titles should not be in ALL CAPS (fake).".into(), json!(name), 2, 90_102);
        }
        let explicit_tracks = release
            .track_ids
            .iter()
            .filter_map(|t| self.tracks.get(t))
            .any(|t| t.fields.get("explicit") == Some(&Value::Bool(true)));
        let advisory = fields.get("parentalAdvisory") == Some(&Value::Bool(true));
        if fields.contains_key("parentalAdvisory") && advisory != explicit_tracks {
            release_issue(
                "ParentalAdvisory",
                "The release explicit flag does not match its tracks (fake).".into(),
                json!(advisory),
                2,
                90_101,
            );
        }
        for track_id in &release.track_ids {
            if let Some(track) = self.tracks.get(track_id) {
                issues.extend(self.track_issues(*track_id, &track.fields));
            }
        }
        issues
    }

    pub(crate) fn track_issues(&self, id: i64, fields: &Map<String, Value>) -> Vec<Issue> {
        let mut issues = Vec::new();
        let mut issue = |field, message: String, value, severity, code| {
            issues.push(Issue { object_id: id, object_type: "Track", field, message, value, severity, code });
        };
        if crate::state::audio_ids(fields).is_empty() {
            issue("AudioFiles", "The track has no audio file (fake).".into(), Value::Null, 1, 90_002);
        }
        if self.config.require_production_credit && !has_production_credit(fields) {
            issue(
                "Contributors",
                "Each track needs at least one <i>Producer &amp; Engineer</i> credit (fake).".into(),
                Value::Null,
                1,
                90_003,
            );
        }
        let writers = array_field(fields, "composerContentsDTO");
        if !writers.is_empty() {
            let total: f64 = writers.iter().filter_map(Value::as_object).map(|w| share(w.get("share"))).sum();
            if (total - 100.0).abs() > 0.001 {
                issue(
                    "Composers",
                    format!("Writer shares add up to {total}, not 100 (fake)."),
                    json!(total),
                    1,
                    90_004,
                );
            }
        }
        if array_field(fields, "trackProperties").is_empty() {
            issue(
                "TrackProperties",
                "trackProperties must not be empty; use [1] for None (fake).".into(),
                Value::Null,
                1,
                90_005,
            );
        }
        if let Some(name) = str_field(fields, "name")
            && shouts(name)
        {
            issue("Name", "Titles should not be in ALL CAPS (fake).".into(), json!(name), 2, 90_102);
        }
        issues
    }

    /// Distinct `(name)` of primary artists across the release and its tracks (5.5).
    fn primary_artists(&self, release: &Release) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut add_from = |fields: &Map<String, Value>| {
            if let Some(name) = str_field(fields, "artistName") {
                names.insert(name.to_lowercase());
            }
            for contributor in array_field(fields, "contributors").iter().filter_map(Value::as_object) {
                if optional_int(contributor, "roleId").ok().flatten() == Some(PRIMARY_ARTIST_ROLE_ID)
                    && let Some(name) = contributor_name(contributor)
                {
                    names.insert(name.to_lowercase());
                }
            }
        };
        add_from(&release.fields);
        for track in release.track_ids.iter().filter_map(|t| self.tracks.get(t)) {
            add_from(&track.fields);
        }
        names
    }

    /// `POST /distribution/release/{id}/validate` (V1).
    pub(crate) fn validate_v1(&self, id: &str) -> Result<Reply, ApiError> {
        let id = parse_path_id(id, "release")?;
        let issues = self.release_issues(self.release(id)?);
        if issues.is_empty() {
            return Ok(Reply::Empty(200));
        }
        let list = Value::Array(issues.iter().map(Issue::v1).collect());
        Ok(Reply::ok(match self.config.validate_shape {
            ValidateShape::BareArray => list,
            ValidateShape::Wrapped => json!({ "validationErrors": list }),
        }))
    }

    /// The blocking issues that stop `addtoqueue` (10.2.6).
    pub(crate) fn blocking_issues(&self, release: &Release) -> Vec<Value> {
        self.release_issues(release).iter().filter(|i| i.severity == 1).map(Issue::v1).collect()
    }

    /// `GET /supply-chain/v1/releases/{id}/{deliver|takedown}/validate` (V2, read-only).
    pub(crate) fn validate_v2_release(
        &self,
        id: &str,
        action: &str,
        request: &ApiRequest,
    ) -> Result<Reply, ApiError> {
        let id = parse_path_id(id, "release")?;
        let release = self.release(id)?;
        let mut store_ids = Vec::new();
        for text in request.query_values("distributorStoreIds") {
            let store_id: i64 = text.parse().map_err(|_| {
                ApiError::field(
                    "distributorStoreIds",
                    format!("distributorStoreIds must be integers, got {text:?}."),
                )
            })?;
            store_ids.push(store_id);
        }
        let metadata: Vec<Issue> = match action {
            "deliver" => self.release_issues(release),
            _ => Vec::new(),
        };
        let mut per_store = Vec::new();
        let mut blocking = metadata.iter().any(|i| i.severity == 1);
        for store_id in store_ids {
            let mut errors = Vec::new();
            let mut store_error = |message: String| {
                errors.push(
                    Issue {
                        object_id: id,
                        object_type: "Release",
                        field: "DistributorStore",
                        message,
                        value: json!(store_id),
                        severity: 1,
                        code: 90_201,
                    }
                    .v2(),
                );
            };
            match lookups::store(self.config.store_profile, store_id) {
                None => store_error(format!("Store {store_id} is not available to this account (fake).")),
                Some(store) if action == "deliver" && store.ugc => {
                    let policies = release
                        .retail
                        .as_ref()
                        .map(|r| array_field(r, "monetizationPolicyIds").len())
                        .unwrap_or(0);
                    if policies == 0 {
                        store_error(format!(
                            "{} needs monetization policies for every track (fake).",
                            store.name
                        ));
                    }
                }
                Some(store) if action == "takedown" => {
                    let status = release.stores.get(&store_id).map(|s| s.status);
                    if !matches!(status, Some(20) | Some(30)) {
                        store_error(format!("The release is not delivered to {} (fake).", store.name));
                    }
                }
                Some(_) => {}
            }
            if !errors.is_empty() {
                blocking = true;
                per_store.push(json!({ "distributorStoreId": store_id, "errors": errors }));
            }
        }
        Ok(Reply::ok(json!({
            "hasBlockingErrors": blocking,
            "metadataErrors": metadata.iter().map(Issue::v2).collect::<Vec<_>>(),
            "perDistributorStoreErrors": per_store,
        })))
    }

    /// `GET /supply-chain/v1/tracks/{trackId}/validate` (V2).
    pub(crate) fn validate_v2_track(&self, id: &str) -> Result<Reply, ApiError> {
        let id = parse_path_id(id, "track")?;
        let track =
            self.tracks.get(&id).ok_or_else(|| ApiError::not_found(format!("Track {id} was not found.")))?;
        let issues = self.track_issues(id, &track.fields);
        Ok(Reply::ok(json!({
            "hasBlockingErrors": issues.iter().any(|i| i.severity == 1),
            "metadataErrors": issues.iter().map(Issue::v2).collect::<Vec<_>>(),
            "perDistributorStoreErrors": [],
        })))
    }
}

fn contributor_name(contributor: &Map<String, Value>) -> Option<String> {
    contributor
        .get("artist")
        .and_then(Value::as_object)
        .and_then(|a| str_field(a, "name"))
        .or_else(|| str_field(contributor, "artistName"))
        .map(str::to_owned)
}

/// Writer share: a number or a numeric string (5.4).
fn share(value: Option<&Value>) -> f64 {
    match value {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn shouts(title: &str) -> bool {
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
}
