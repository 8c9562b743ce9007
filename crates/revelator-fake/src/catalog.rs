//! Accounts and the V1 catalog: login/signup, whole-object release and track saves with file
//! auto-deletion and read-only locks, labels, retail save, and how releases/tracks read back.

use crate::config::{SentinelMode, UpcMode};
use crate::lookups;
use crate::state::{Release, State, Track, User, audio_ids};
use crate::wire::{
    ApiError, ApiRequest, Page, Reply, ZERO_GUID, array_field, is_zero_guid, normalized, optional_int,
    str_field,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Fields only the server writes; a client echoing a GET back must not be read as editing them.
const RELEASE_RESPONSE_ONLY: &[&str] = &[
    "releaseId",
    "tracks",
    "upc",
    "image",
    "isDraft",
    "isLockedForDistribution",
    "isFullyLocked",
    "isIngested",
    "isReleaseCanceledFromDistribution",
    "saleStartDate",
    "creationDate",
    "approvedDate",
    "warningsCount",
    "notesCount",
    "enterpriseId",
    "enterpriseName",
    "id",
];

const TRACK_RESPONSE_ONLY: &[&str] = &[
    "trackId",
    "isrc",
    "isLockedForDistribution",
    "isFullyLocked",
    "isCanceledFromDistribution",
    "releaseIds",
    "releases",
    "releaseTracks",
    "trackLength",
    "channels",
    "sampleRate",
    "bitDepth",
    "bitrate",
    "wav",
    "flac",
    "stereoAudioFile",
    "id",
];

/// Known release fields; an omitted one reads back as null/empty (whole-object replace, 10.2.2).
const RELEASE_DEFAULTS: &[(&str, FieldDefault)] = &[
    ("name", FieldDefault::Null),
    ("version", FieldDefault::Null),
    ("artistName", FieldDefault::Null),
    ("artistId", FieldDefault::Null),
    ("releasesLocals", FieldDefault::Array),
    ("artistLocals", FieldDefault::Array),
    ("contributors", FieldDefault::Array),
    ("artistExternalIds", FieldDefault::Array),
    ("copyrightP", FieldDefault::Null),
    ("copyrightC", FieldDefault::Null),
    ("hasRecordLabel", FieldDefault::False),
    ("labelName", FieldDefault::Null),
    ("labelId", FieldDefault::Null),
    ("previouslyReleased", FieldDefault::False),
    ("releaseDate", FieldDefault::Date),
    ("catalog", FieldDefault::Null),
    ("languageId", FieldDefault::Null),
    ("primaryMusicStyleId", FieldDefault::Null),
    ("secondaryMusicStyleId", FieldDefault::Null),
    ("releaseTypeId", FieldDefault::Null),
    ("isCompilation", FieldDefault::False),
    ("parentalAdvisory", FieldDefault::Null),
];

const TRACK_DEFAULTS: &[(&str, FieldDefault)] = &[
    ("name", FieldDefault::Null),
    ("version", FieldDefault::Null),
    ("artistName", FieldDefault::Null),
    ("artistExternalIds", FieldDefault::Array),
    ("languageId", FieldDefault::Null),
    ("audioLanguageId", FieldDefault::Null),
    ("explicit", FieldDefault::False),
    ("trackType", FieldDefault::Null),
    ("trackNumber", FieldDefault::Null),
    ("previewStartSeconds", FieldDefault::Null),
    ("trackProperties", FieldDefault::Array),
    ("contributors", FieldDefault::Array),
    ("composerContentsDTO", FieldDefault::Array),
    ("compositions", FieldDefault::Array),
    ("tracksLocals", FieldDefault::Array),
    ("trackRecordingVersions", FieldDefault::Array),
    ("lyrics", FieldDefault::Null),
    ("copyrightP", FieldDefault::Null),
    ("copyrightC", FieldDefault::Null),
    ("primaryMusicStyleId", FieldDefault::Null),
];

#[derive(Clone, Copy)]
enum FieldDefault {
    Null,
    Array,
    False,
    Date,
}

/// A track of an incoming release body, checked but not yet applied.
struct IncomingTrack {
    existing: Option<i64>,
    fields: Map<String, Value>,
}

impl State {
    // ---------------------------------------------------------------- accounts

    pub(crate) fn login(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let body = request.json_object()?;
        let key = body.get("partnerApiKey").and_then(Value::as_str).unwrap_or("");
        let user_id = body.get("partnerUserId").and_then(Value::as_str).unwrap_or("").trim();
        if key.trim().is_empty() {
            return Err(ApiError::unauthorized("partnerApiKey is missing or empty."));
        }
        self.seen_api_keys.insert(key.to_owned());
        if self.config.api_key.as_deref().is_some_and(|expected| expected != key) {
            return Err(ApiError::unauthorized("The partner API key is not valid."));
        }
        if user_id.is_empty() {
            return Err(ApiError::field("partnerUserId", "partnerUserId is required."));
        }
        let user = match self.users.get(user_id) {
            Some(user) => user.clone(),
            None if self.config.accept_unknown_users => self.register_user(user_id, None, None),
            None => return Err(ApiError::unauthorized(format!("Unknown partnerUserId {user_id:?}."))),
        };
        let token = self.issue_token(&user.partner_user_id);
        Ok(Reply::ok(json!({
            "accessToken": token,
            "isAuthorized": true,
            "permissions": [permission(&user)],
        })))
    }

    pub(crate) fn signup(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let body = request.json_object()?;
        // Signup spells it `partnerAPIKey` (4.2, C1); accept the login spelling too.
        let key = str_field(body, "partnerAPIKey")
            .or_else(|| str_field(body, "partnerApiKey"))
            .ok_or_else(|| ApiError::unauthorized("partnerAPIKey is missing or empty."))?;
        self.seen_api_keys.insert(key.to_owned());
        if self.config.api_key.as_deref().is_some_and(|expected| expected != key) {
            return Err(ApiError::unauthorized("The partner API key is not valid."));
        }
        let user_id = str_field(body, "partnerUserId")
            .ok_or_else(|| ApiError::field("partnerUserId", "partnerUserId is required."))?
            .to_owned();
        let email = str_field(body, "email")
            .ok_or_else(|| ApiError::field("email", "email is required."))?
            .to_owned();
        let name = str_field(body, "enterpriseName")
            .ok_or_else(|| ApiError::field("enterpriseName", "enterpriseName is required."))?
            .to_owned();
        if self.users.contains_key(&user_id) {
            return Err(ApiError::new(409, format!("partnerUserId {user_id:?} already exists.")));
        }
        let user = self.register_user(&user_id, Some(&name), Some(&email));
        Ok(Reply::ok(json!({ "enterpriseId": user.enterprise_id, "userId": user.user_id })))
    }

    pub(crate) fn current_user(&self, user: &User) -> Reply {
        Reply::ok(json!({
            "userId": user.user_id,
            "email": user.email,
            "enterpriseId": user.enterprise_id,
            "enterpriseName": user.enterprise_name,
        }))
    }

    pub(crate) fn permissions(&self, user: &User) -> Reply {
        Reply::ok(json!([permission(user)]))
    }

    // ---------------------------------------------------------------- releases

    pub(crate) fn save_release(&mut self, request: &ApiRequest, user: &User) -> Result<Reply, ApiError> {
        let body = request.json_object()?;
        let strict = self.config.sentinel_mode == SentinelMode::Strict;

        let release_id = match optional_int(body, "releaseId")? {
            None => None,
            Some(0) if strict => {
                return Err(ApiError::field(
                    "releaseId",
                    "releaseId 0 is not accepted; omit releaseId to create.",
                ));
            }
            Some(0) => None,
            Some(id) => {
                self.release(id)
                    .map_err(|_| ApiError::field("releaseId", format!("Release {id} does not exist.")))?;
                Some(id)
            }
        };
        if str_field(body, "name").is_none() {
            return Err(ApiError::field("name", "name is required."));
        }
        match body.get("releasesLocals") {
            Some(Value::Array(_)) => {}
            _ => {
                return Err(ApiError::field(
                    "releasesLocals",
                    "releasesLocals is required (it may be empty).",
                ));
            }
        }
        let upc = self.incoming_upc(body.get("upc"))?;
        if let Some(upc) = &upc
            && !self.config.sandbox
            && let Some(other) = self
                .releases
                .values()
                .find(|r| Some(r.id) != release_id && r.upc.as_deref().is_some_and(|u| same_upc(u, upc)))
        {
            return Err(ApiError::field(
                "upc",
                format!("UPC {upc} already exists (release {}); UPCs are unique across Revelator.", other.id),
            ));
        }
        let image = self.incoming_image(body.get("image"))?;
        // A2: referenced ids must exist. Artists have no endpoint in the fake, so only labels are checked.
        if let Some(label_id) = optional_int(body, "labelId")?.filter(|id| *id > 0)
            && !self.labels.contains_key(&label_id)
        {
            return Err(ApiError::field("labelId", format!("Label {label_id} does not exist.")));
        }

        let tracks_value = match body.get("tracks") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(list)) => list.as_slice(),
            Some(_) => return Err(ApiError::field("tracks", "tracks must be an array.")),
        };
        let mut incoming = Vec::with_capacity(tracks_value.len());
        let mut seen_ids = BTreeSet::new();
        for (index, value) in tracks_value.iter().enumerate() {
            let track = self.incoming_track(value, &format!("tracks[{index}]"))?;
            if let Some(id) = track.existing
                && !seen_ids.insert(id)
            {
                return Err(ApiError::field(
                    &format!("tracks[{index}].trackId"),
                    format!("Track {id} appears twice."),
                ));
            }
            incoming.push(track);
        }

        // Read-only tracks (5.5 [DOC], F3): no edits, no audio removal, no detaching.
        for (index, track) in incoming.iter().enumerate() {
            if let Some(id) = track.existing {
                self.check_track_edit(id, &track.fields, &format!("tracks[{index}]"))?;
            }
        }
        let old_track_ids = release_id.map(|id| self.releases[&id].track_ids.clone()).unwrap_or_default();
        for old in &old_track_ids {
            if !seen_ids.contains(old)
                && let Some((locked_release, status)) = self.track_lock(*old)
            {
                return Err(ApiError::forbidden(format!(
                    "Track {old} is read-only while release {locked_release} is in distribution status {status}; \
                     it cannot be removed from the release."
                )));
            }
        }

        // Everything checked: apply.
        let mut dropped_audio = Vec::new();
        let mut track_ids = Vec::with_capacity(incoming.len());
        for track in incoming {
            let id = match track.existing {
                Some(id) => {
                    if let Some(old) = self.tracks.get(&id) {
                        dropped_audio.extend(removed_audio(old, &track.fields));
                    }
                    id
                }
                None => self.new_track_id(),
            };
            self.tracks.insert(id, Track { id, fields: track.fields });
            track_ids.push(id);
        }
        let now = self.clock;
        let id = release_id.unwrap_or_else(|| self.new_release_id());
        let upc = match upc {
            Some(upc) => Some(upc),
            None if release_id.is_none() && self.config.assign_upc => Some(fake_upc(id)),
            None => None,
        };
        let fields = normalized(body, RELEASE_RESPONSE_ONLY);
        let old_image = self.releases.get(&id).and_then(|r| r.image_file_id().map(str::to_owned));
        let release = self.releases.entry(id).or_insert_with(|| Release {
            id,
            fields: Map::new(),
            upc: None,
            image: None,
            track_ids: Vec::new(),
            retail: None,
            created: now,
            approved: None,
            enterprise_id: user.enterprise_id,
            stores: std::collections::BTreeMap::new(),
        });
        release.fields = fields;
        release.upc = upc;
        release.image = image;
        release.track_ids = track_ids;

        // F4: tracks detached from their last release go, with their audio.
        for old in old_track_ids {
            if self.releases_of_track(old).is_empty()
                && let Some(track) = self.tracks.remove(&old)
            {
                dropped_audio.extend(track.audio_ids());
            }
        }
        self.collect_unreferenced_files(&old_image.into_iter().collect::<Vec<_>>(), &dropped_audio);
        Ok(Reply::ok(self.render_release(&self.releases[&id], true)))
    }

    pub(crate) fn get_release(&self, id: &str) -> Result<Reply, ApiError> {
        let id = parse_path_id(id, "release")?;
        Ok(Reply::ok(self.render_release(self.release(id)?, true)))
    }

    pub(crate) fn list_releases(&self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let term = search_term(request);
        let items = self
            .releases
            .values()
            .filter(|r| term.as_deref().is_none_or(|t| release_matches(r, t)))
            .collect();
        Ok(Reply::ok(page.envelope_of(items, |r| self.render_release(r, false), json!({}))))
    }

    /// A release as GET answers it; `detail` picks the UPC type in mixed mode and adds tracks.
    pub(crate) fn render_release(&self, release: &Release, detail: bool) -> Value {
        let mut out = self.with_defaults(RELEASE_DEFAULTS, &release.fields);
        out.insert("releaseId".into(), json!(release.id));
        out.insert("upc".into(), self.render_upc(release.upc.as_deref(), detail));
        out.insert(
            "image".into(),
            match &release.image {
                Some(image) => Value::Object(image.clone()),
                None if self.config.sentinel_mode == SentinelMode::Legacy => {
                    json!({ "fileId": ZERO_GUID, "filename": null })
                }
                None => Value::Null,
            },
        );
        let sale_start = release.retail.as_ref().and_then(|r| r.get("saleStartDate")).cloned();
        out.insert("saleStartDate".into(), sale_start.unwrap_or_else(|| self.unset_date()));
        out.insert("creationDate".into(), self.format_date(Some(release.created)));
        out.insert("approvedDate".into(), self.format_date(release.approved));
        out.insert("enterpriseId".into(), json!(release.enterprise_id));
        out.insert("isDraft".into(), json!(release.stores.is_empty()));
        out.insert("isLockedForDistribution".into(), json!(in_distribution(release)));
        out.insert("isFullyLocked".into(), json!(release.locking_status().is_some()));
        out.insert("isReleaseCanceledFromDistribution".into(), json!(false));
        if detail {
            let tracks: Vec<Value> = release
                .track_ids
                .iter()
                .filter_map(|id| self.tracks.get(id))
                .map(|t| self.render_track(t))
                .collect();
            out.insert("tracks".into(), Value::Array(tracks));
        }
        Value::Object(out)
    }

    // ---------------------------------------------------------------- tracks

    pub(crate) fn save_track(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let body = request.json_body()?;
        let track = self.incoming_track(body, "track")?;
        if let Some(id) = track.existing {
            self.check_track_edit(id, &track.fields, "track")?;
        }
        let (id, dropped) = match track.existing {
            Some(id) => {
                (id, self.tracks.get(&id).map(|old| removed_audio(old, &track.fields)).unwrap_or_default())
            }
            None => (self.new_track_id(), Vec::new()),
        };
        self.tracks.insert(id, Track { id, fields: track.fields });
        self.collect_unreferenced_files(&[], &dropped);
        Ok(Reply::ok(self.render_track(&self.tracks[&id])))
    }

    pub(crate) fn get_track(&self, id: &str) -> Result<Reply, ApiError> {
        let id = parse_path_id(id, "track")?;
        let track =
            self.tracks.get(&id).ok_or_else(|| ApiError::not_found(format!("Track {id} was not found.")))?;
        Ok(Reply::ok(self.render_track(track)))
    }

    pub(crate) fn list_tracks(&self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let term = search_term(request);
        let items = self
            .tracks
            .values()
            .filter(|t| {
                term.as_deref().is_none_or(|term| {
                    ["name", "artistName"]
                        .iter()
                        .any(|f| str_field(&t.fields, f).is_some_and(|v| contains_ci(v, term)))
                        || first_isrc(&t.fields).is_some_and(|isrc| contains_ci(&isrc, term))
                })
            })
            .collect();
        Ok(Reply::ok(page.envelope_of(items, |t| self.render_track(t), json!({}))))
    }

    pub(crate) fn render_track(&self, track: &Track) -> Value {
        let mut out = self.with_defaults(TRACK_DEFAULTS, &track.fields);
        out.insert("trackId".into(), json!(track.id));
        out.insert("isrc".into(), first_isrc(&track.fields).map_or(Value::Null, Value::String));
        let releases = self.releases_of_track(track.id);
        out.insert("releaseIds".into(), json!(releases.iter().map(|r| r.id).collect::<Vec<_>>()));
        out.insert(
            "releaseTracks".into(),
            Value::Array(
                releases
                    .iter()
                    .map(|r| {
                        json!({"releaseId": r.id, "spotifyId": null, "appleId": null, "rdioId": null, "deezerId": null})
                    })
                    .collect(),
            ),
        );
        out.insert("isLockedForDistribution".into(), json!(releases.iter().any(|r| in_distribution(r))));
        out.insert("isFullyLocked".into(), json!(self.track_lock(track.id).is_some()));
        out.insert("isCanceledFromDistribution".into(), json!(false));
        Value::Object(out)
    }

    /// Validates one incoming track object (shape, ids, audio files) without applying it.
    fn incoming_track(&self, value: &Value, path: &str) -> Result<IncomingTrack, ApiError> {
        let object =
            value.as_object().ok_or_else(|| ApiError::field(path, format!("{path} must be an object.")))?;
        let strict = self.config.sentinel_mode == SentinelMode::Strict;
        let existing = match optional_int(object, "trackId").map_err(|e| prefix_field(e, path))? {
            None => None,
            Some(0) if strict => {
                return Err(ApiError::field(
                    &format!("{path}.trackId"),
                    "trackId 0 is not accepted; omit trackId to create.",
                ));
            }
            Some(0) => None,
            Some(id) if self.tracks.contains_key(&id) => Some(id),
            Some(id) => {
                return Err(ApiError::field(
                    &format!("{path}.trackId"),
                    format!("Track {id} does not exist."),
                ));
            }
        };
        for (v_index, version) in array_field(object, "trackRecordingVersions").iter().enumerate() {
            for (f_index, file) in
                array_field(version.as_object().unwrap_or(&Map::new()), "audioFiles").iter().enumerate()
            {
                let field = format!("{path}.trackRecordingVersions[{v_index}].audioFiles[{f_index}].audioId");
                let audio_id = file.get("audioId").and_then(Value::as_str).unwrap_or("");
                if audio_id.is_empty() || is_zero_guid(audio_id) {
                    return Err(ApiError::field(
                        &field,
                        format!("audioId {audio_id:?} is not a valid file id."),
                    ));
                }
                if !self.audio.contains_key(audio_id) {
                    return Err(ApiError::field(
                        &field,
                        format!("Audio file {audio_id} does not exist (never uploaded, or deleted)."),
                    ));
                }
            }
        }
        let fields = normalized(object, TRACK_RESPONSE_ONLY);
        if self.config.strict_save && !has_production_credit(&fields) {
            return Err(ApiError::field(
                &format!("{path}.contributors"),
                "Each track needs at least one Producer & Engineer credit.",
            ));
        }
        Ok(IncomingTrack { existing, fields })
    }

    fn check_track_edit(&self, id: i64, fields: &Map<String, Value>, path: &str) -> Result<(), ApiError> {
        let Some((locked_release, status)) = self.track_lock(id) else { return Ok(()) };
        let stored = &self.tracks[&id].fields;
        // Compare as GET renders them, so echoing a read-back (nulls, `explicit: false`) is no edit.
        // Empty strings count as unset too: clients differ in how they serialize "no lyrics".
        let comparable = |f: &Map<String, Value>| {
            let mut map = normalized(&self.with_defaults(TRACK_DEFAULTS, f), &[]);
            map.retain(|_, v| v.as_str() != Some(""));
            map
        };
        if comparable(stored) != comparable(fields) {
            let removes_audio = audio_ids(stored).iter().any(|a| !audio_ids(fields).contains(a));
            let what = if removes_audio { "its audio cannot be removed" } else { "it cannot be edited" };
            let mut error = ApiError::forbidden(format!(
                "Track {id} is read-only while release {locked_release} is in distribution status {status}; {what}."
            ));
            error.errors.push((path.to_owned(), error.title.clone()));
            return Err(error);
        }
        Ok(())
    }

    // ---------------------------------------------------------------- labels

    pub(crate) fn save_label(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let body = request.json_object()?;
        let name =
            str_field(body, "name").ok_or_else(|| ApiError::field("name", "name is required."))?.to_owned();
        let id = match optional_int(body, "labelId")? {
            None | Some(0) => self.new_label_id(),
            Some(id) if self.labels.contains_key(&id) => id,
            Some(id) => return Err(ApiError::field("labelId", format!("Label {id} does not exist."))),
        };
        self.labels.insert(id, name.clone());
        Ok(Reply::ok(json!({ "labelId": id, "name": name })))
    }

    pub(crate) fn list_labels(&self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let term = search_term(request);
        let items = self
            .labels
            .iter()
            .filter(|(_, name)| term.as_deref().is_none_or(|t| contains_ci(name, t)))
            .map(|(id, name)| json!({ "labelId": id, "name": name }))
            .collect();
        Ok(Reply::ok(page.envelope(items, json!({}))))
    }

    // ---------------------------------------------------------------- retail

    /// `POST /content/release/retail/save` (6.2, F8).
    pub(crate) fn save_retail(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let body = request.json_object()?;
        let release_id = optional_int(body, "releaseId")?
            .ok_or_else(|| ApiError::field("releaseId", "releaseId is required."))?;
        self.release(release_id)
            .map_err(|_| ApiError::field("releaseId", format!("Release {release_id} does not exist.")))?;
        match body.get("monetizationPolicyIds") {
            Some(Value::Array(ids)) if ids.iter().all(|v| v.as_i64().is_some()) => {}
            _ => {
                return Err(ApiError::field(
                    "monetizationPolicyIds",
                    "monetizationPolicyIds is mandatory: an array of integers (send [] when unused).",
                ));
            }
        }
        let mut retail = normalized(body, &["releaseId"]);
        if let Some(date) = body.get("saleStartDate").filter(|v| !v.is_null()) {
            let text = date.as_str().unwrap_or("");
            let iso = parse_sale_date(text).ok_or_else(|| {
                ApiError::field(
                    "saleStartDate",
                    format!("saleStartDate {text:?} is not MM/dd/yyyy or yyyy-MM-dd."),
                )
            })?;
            retail.insert("saleStartDate".into(), Value::String(format!("{iso}T00:00:00")));
        } else if str_field(body, "saleStartTime").is_some() {
            return Err(ApiError::field("saleStartTime", "saleStartTime requires saleStartDate."));
        }
        self.release_mut(release_id)?.retail = Some(retail);
        Ok(Reply::Empty(200))
    }

    // ---------------------------------------------------------------- helpers

    fn with_defaults(
        &self,
        defaults: &[(&str, FieldDefault)],
        fields: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, default) in defaults {
            let value = match default {
                FieldDefault::Null => Value::Null,
                FieldDefault::Array => Value::Array(Vec::new()),
                FieldDefault::False => Value::Bool(false),
                FieldDefault::Date => self.unset_date(),
            };
            out.insert((*name).to_owned(), value);
        }
        for (key, value) in fields {
            out.insert(key.clone(), value.clone());
        }
        out
    }

    fn render_upc(&self, upc: Option<&str>, detail: bool) -> Value {
        let Some(upc) = upc else { return Value::Null };
        let as_number = match self.config.upc_mode {
            UpcMode::String => false,
            UpcMode::Number => true,
            UpcMode::Mixed => !detail,
        };
        if as_number { upc.parse::<u64>().map_or_else(|_| json!(upc), |n| json!(n)) } else { json!(upc) }
    }

    /// UPC from a request, per the UPC mode (10.2.3). A number keeps only its digits, so leading
    /// zeros are gone, as in legacy Revelator.
    fn incoming_upc(&self, value: Option<&Value>) -> Result<Option<String>, ApiError> {
        let digits = match value {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => return Ok(None),
            Some(Value::String(text)) => {
                if self.config.upc_mode == UpcMode::Number {
                    return Err(ApiError::field(
                        "upc",
                        format!("upc must be a number, got the string {text:?}."),
                    ));
                }
                text.trim().to_owned()
            }
            Some(Value::Number(n)) => match n.as_u64() {
                Some(n) => n.to_string(),
                None => return Err(ApiError::field("upc", format!("upc {n} is not a valid UPC."))),
            },
            Some(other) => return Err(ApiError::field("upc", format!("upc must be a string, got {other}."))),
        };
        if digits.is_empty() || digits.len() > 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::field("upc", format!("upc {digits:?} is not a valid UPC/EAN.")));
        }
        Ok(Some(digits))
    }

    fn incoming_image(&self, value: Option<&Value>) -> Result<Option<Map<String, Value>>, ApiError> {
        let object = match value {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(object)) => object,
            Some(_) => return Err(ApiError::field("image", "image must be an object with fileId.")),
        };
        let file_id = object.get("fileId").and_then(Value::as_str).unwrap_or("").trim();
        if file_id.is_empty() || is_zero_guid(file_id) {
            return match self.config.sentinel_mode {
                SentinelMode::Legacy => Ok(None),
                SentinelMode::Strict => Err(ApiError::field(
                    "image.fileId",
                    format!("image.fileId {file_id:?} is not a valid file id."),
                )),
            };
        }
        if !self.images.contains_key(file_id) {
            return Err(ApiError::field(
                "image.fileId",
                format!("Image file {file_id} does not exist (never uploaded, or deleted)."),
            ));
        }
        Ok(Some(normalized(object, &["lastUpdateDate"])))
    }
}

/// Audio ids the old track had and the new body no longer names.
fn removed_audio(old: &Track, new_fields: &Map<String, Value>) -> Vec<String> {
    let kept = audio_ids(new_fields);
    old.audio_ids().into_iter().filter(|id| !kept.contains(id)).collect()
}

fn permission(user: &User) -> Value {
    json!({
        "enterpriseId": user.enterprise_id,
        "enterpriseName": user.enterprise_name,
        "isOwner": true,
        "isActive": true,
        "isDefault": true,
        "email": user.email,
    })
}

pub(crate) fn parse_path_id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found(format!("No {what} with id {text:?}.")))
}

fn prefix_field(mut error: ApiError, path: &str) -> ApiError {
    for (field, _) in &mut error.errors {
        *field = format!("{path}.{field}");
    }
    error
}

fn same_upc(a: &str, b: &str) -> bool {
    a.trim_start_matches('0') == b.trim_start_matches('0')
}

/// F7: a 12-digit UPC-A starting with 8, with a correct check digit.
fn fake_upc(release_id: i64) -> String {
    let body = format!("8{:010}", release_id.rem_euclid(10_000_000_000));
    let sum: u32 =
        body.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn in_distribution(release: &Release) -> bool {
    release.stores.values().any(|s| !crate::assumptions::may_requeue(Some(s.status)))
}

pub(crate) fn has_production_credit(track: &Map<String, Value>) -> bool {
    array_field(track, "contributors").iter().filter_map(Value::as_object).any(|c| {
        optional_int(c, "roleId").ok().flatten().and_then(lookups::role_group)
            == Some(crate::assumptions::PRODUCER_ENGINEER_GROUP_ID)
    })
}

pub(crate) fn first_isrc(track: &Map<String, Value>) -> Option<String> {
    let versions = array_field(track, "trackRecordingVersions");
    let stereo = versions
        .iter()
        .filter_map(Value::as_object)
        .find(|v| v.get("recordingVersionType") == Some(&json!(1)));
    stereo
        .or_else(|| versions.iter().filter_map(Value::as_object).next())
        .and_then(|v| str_field(v, "isrc"))
        .map(str::to_owned)
}

fn search_term(request: &ApiRequest) -> Option<String> {
    request
        .query_value("searchTerm")
        .or_else(|| request.query_value("filter.searchTerm"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

fn contains_ci(haystack: &str, lowercase_needle: &str) -> bool {
    haystack.to_lowercase().contains(lowercase_needle)
}

fn release_matches(release: &Release, term: &str) -> bool {
    ["name", "artistName", "catalog"]
        .iter()
        .any(|f| str_field(&release.fields, f).is_some_and(|v| contains_ci(v, term)))
        || release.upc.as_deref().is_some_and(|u| same_upc(u, term) || u.contains(term))
}

/// `MM/dd/yyyy` (old docs) or `yyyy-MM-dd` (C1) → `yyyy-MM-dd`.
fn parse_sale_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (year, month, day) = if let Some((m, rest)) = text.split_once('/') {
        let (d, y) = rest.split_once('/')?;
        (y, m, d)
    } else {
        let date = text.get(..10)?;
        let mut parts = date.split('-');
        (parts.next()?, parts.next()?, parts.next()?)
    };
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}
