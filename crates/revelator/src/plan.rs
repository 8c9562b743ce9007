//! Turning "what Catno wants" into the full object a save must send: Revelator has no partial
//! update and deletes whatever a save omits (§5.1), so the body is the remote release as read,
//! with Catno's fields applied on top. Fields Catno does not model, existing cover and audio
//! file ids, recording versions and track ids are carried over.
//!
//! Tracks of a release in a read-only distribution status (−10, −11, −20, −21), or flagged
//! `isFullyLocked`, cannot be edited; an edit to one becomes a [`RedeliveryPlan`] instead of
//! a save Revelator would refuse.

use serde_json::Value;

use crate::assumptions;
use crate::error::{Result, RevelatorError};
use crate::wire::{self, AudioFile, Image, Release, StoreStatus, Track};

/// What Catno holds for one release, in wire terms (ids already resolved through lookups).
/// `release.image` / a track's stereo `audio_files`: `Some`/non-empty only for a file Catno
/// uploaded anew; otherwise the remote file is kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseDraft {
    /// The remote release, `None` to create one.
    pub release_id: Option<i64>,
    pub release: Release,
    /// Keep these when Catno has no value (ids a lookup could not resolve).
    pub keep_remote_release_type: bool,
}

/// A locked track Catno changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedTrackChange {
    pub track_id: i64,
    pub name: String,
    /// Wire field names that differ (`name`, `trackRecordingVersions`...), or `removed`.
    pub fields: Vec<String>,
}

/// A store where the release is in a read-only status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedStore {
    pub store_id: i64,
    pub store_name: Option<String>,
    pub status: i64,
    pub status_text: Option<String>,
}

/// The explicit "take down and redeliver" plan: the edit can only be made after the release
/// leaves the read-only statuses (takedown where delivered/live; for −20 the parent account
/// must reject it in Revelator's UI), then `body` is saved and the stores are queued again.
#[derive(Debug, Clone, PartialEq)]
pub struct RedeliveryPlan {
    pub release_id: i64,
    pub locked_stores: Vec<LockedStore>,
    pub changes: Vec<LockedTrackChange>,
    /// What will be saved once unlocked.
    pub body: Box<Release>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SavePlan {
    Save(Box<Release>),
    TakedownAndRedeliver(RedeliveryPlan),
}

/// Applies `draft` to `remote` (the release as just read; `None` when creating).
pub fn plan_save(
    remote: Option<&Release>,
    statuses: &[StoreStatus],
    draft: &ReleaseDraft,
) -> Result<SavePlan> {
    let Some(remote) = remote else {
        let mut body = draft.release.clone();
        body.release_id = None;
        for t in &mut body.tracks {
            normalize_new_track(t);
        }
        return Ok(SavePlan::Save(Box::new(body)));
    };
    let release_id = remote
        .release_id
        .or(draft.release_id)
        .ok_or_else(|| RevelatorError::Invalid("the remote release has no id".into()))?;
    let body = merge(remote, draft, release_id);
    check_no_file_loss(remote, &body, release_id)?;

    let locked_stores: Vec<LockedStore> = statuses
        .iter()
        .filter(|s| s.is_read_only())
        .map(|s| LockedStore {
            store_id: s.distributor_store_id.unwrap_or_default(),
            store_name: s.distributor_store_name.clone(),
            status: s.status_code().unwrap_or_default(),
            status_text: s.release_status.as_ref().and_then(|r| r.status_text.clone()),
        })
        .collect();
    let release_locked = !locked_stores.is_empty() || remote.is_fully_locked;
    let mut changes = Vec::new();
    for old in &remote.tracks {
        let Some(track_id) = old.track_id else { continue };
        if !(release_locked || old.is_fully_locked) {
            continue;
        }
        match body.tracks.iter().find(|t| t.track_id == Some(track_id)) {
            None => changes.push(LockedTrackChange {
                track_id,
                name: old.name.clone(),
                fields: vec!["removed".into()],
            }),
            Some(new) => {
                let fields = differing_fields(old, new);
                if !fields.is_empty() {
                    changes.push(LockedTrackChange { track_id, name: old.name.clone(), fields });
                }
            }
        }
    }
    if changes.is_empty() {
        Ok(SavePlan::Save(Box::new(body)))
    } else {
        Ok(SavePlan::TakedownAndRedeliver(RedeliveryPlan {
            release_id,
            locked_stores,
            changes,
            body: Box::new(body),
        }))
    }
}

fn merge(remote: &Release, draft: &ReleaseDraft, release_id: i64) -> Release {
    let want = &draft.release;
    let mut body = remote.clone();
    body.release_id = Some(release_id);
    body.name.clone_from(&want.name);
    body.version.clone_from(&want.version);
    body.artist_name.clone_from(&want.artist_name);
    body.releases_locals.clone_from(&want.releases_locals);
    body.contributors = merge_contributors(&remote.contributors, &want.contributors);
    body.copyright_p.clone_from(&want.copyright_p);
    body.copyright_c.clone_from(&want.copyright_c);
    body.has_record_label = want.has_record_label;
    body.label_name.clone_from(&want.label_name);
    if want.label_id.is_some() {
        body.label_id = want.label_id;
    }
    body.previously_released = want.previously_released;
    body.release_date.clone_from(&want.release_date);
    // A UPC Revelator assigned stays unless Catno has its own.
    if want.upc.is_some() {
        body.upc.clone_from(&want.upc);
    }
    body.catalog.clone_from(&want.catalog);
    body.language_id = want.language_id;
    body.primary_music_style_id = want.primary_music_style_id;
    body.secondary_music_style_id = want.secondary_music_style_id;
    if want.release_type_id.is_some() || !draft.keep_remote_release_type {
        body.release_type_id = want.release_type_id;
    }
    body.is_compilation = want.is_compilation;
    body.parental_advisory = want.parental_advisory;
    if let Some(new_cover) = want.image.as_ref().filter(|i| i.file_id.is_some()) {
        body.image = Some(Image { extra: Default::default(), ..new_cover.clone() });
    }
    // Remote tracks matched by id, else by ISRC (a track created by a save whose answer was
    // lost has an id Catno never learnt).
    let mut used = vec![false; remote.tracks.len()];
    body.tracks = want
        .tracks
        .iter()
        .map(|t| {
            let index = remote
                .tracks
                .iter()
                .enumerate()
                .position(|(i, r)| !used[i] && t.track_id.is_some() && r.track_id == t.track_id)
                .or_else(|| {
                    let isrc = track_isrc(t)?;
                    remote.tracks.iter().enumerate().position(|(i, r)| {
                        !used[i] && track_isrc(r).is_some_and(|other| other.eq_ignore_ascii_case(isrc))
                    })
                });
            match index {
                Some(i) => {
                    used[i] = true;
                    merge_track(&remote.tracks[i], t)
                }
                None => {
                    let mut new = t.clone();
                    normalize_new_track(&mut new);
                    new
                }
            }
        })
        .collect();
    body
}

/// Credits matched by role and name keep the remote object (artist ids, images).
fn merge_contributors(remote: &[wire::Contributor], want: &[wire::Contributor]) -> Vec<wire::Contributor> {
    want.iter()
        .map(|w| {
            remote
                .iter()
                .find(|r| r.role_id == w.role_id && r.name().is_some() && r.name() == w.name())
                .cloned()
                .unwrap_or_else(|| w.clone())
        })
        .collect()
}

fn track_isrc(t: &Track) -> Option<&str> {
    t.isrc
        .as_deref()
        .or_else(|| t.track_recording_versions.iter().find_map(|v| v.isrc.as_deref()))
        .filter(|s| !s.trim().is_empty())
}

fn merge_track(remote: &Track, want: &Track) -> Track {
    let mut t = remote.clone();
    t.name.clone_from(&want.name);
    t.version.clone_from(&want.version);
    t.artist_name.clone_from(&want.artist_name);
    t.language_id = want.language_id;
    t.audio_language_id = want.audio_language_id;
    t.explicit = want.explicit;
    t.track_number = want.track_number;
    if t.track_type.is_none() {
        t.track_type = want.track_type;
    }
    if !want.track_properties.is_empty() {
        t.track_properties.clone_from(&want.track_properties);
    }
    t.contributors = merge_contributors(&remote.contributors, &want.contributors);
    t.composers.clone_from(&want.composers);
    t.tracks_locals.clone_from(&want.tracks_locals);
    t.copyright_p.clone_from(&want.copyright_p);
    t.copyright_c.clone_from(&want.copyright_c);
    let isrc = track_isrc(want).map(str::to_owned);
    // The top-level `isrc` is a response mirror: only kept in step when it was there.
    if isrc.is_some() && t.isrc.is_some() {
        t.isrc.clone_from(&isrc);
    }
    // The stereo version: Catno's ISRC, and its audio only when Catno uploaded a new file.
    let new_audio: Vec<AudioFile> = want
        .track_recording_versions
        .iter()
        .filter(|v| v.recording_version_type.is_none_or(|k| k == assumptions::RECORDING_VERSION_STEREO))
        .flat_map(|v| v.audio_files.iter().filter(|f| f.audio_id.is_some()).cloned())
        .collect();
    let stereo = t
        .track_recording_versions
        .iter()
        .position(|v| v.recording_version_type.is_none_or(|k| k == assumptions::RECORDING_VERSION_STEREO));
    match stereo {
        Some(i) => {
            let version = &mut t.track_recording_versions[i];
            if isrc.is_some() {
                version.isrc.clone_from(&isrc);
            }
            if !new_audio.is_empty() {
                version.audio_files = new_audio;
            }
        }
        None => t.track_recording_versions.push(wire::RecordingVersion {
            recording_version_type: Some(assumptions::RECORDING_VERSION_STEREO),
            isrc,
            audio_files: new_audio,
            extra: Default::default(),
        }),
    }
    t
}

fn normalize_new_track(t: &mut Track) {
    t.track_id = None;
    if t.track_type.is_none() {
        t.track_type = Some(assumptions::TRACK_TYPE_ORIGINAL);
    }
    if t.track_recording_versions.is_empty() {
        t.track_recording_versions.push(wire::RecordingVersion {
            recording_version_type: Some(assumptions::RECORDING_VERSION_STEREO),
            isrc: t.isrc.clone(),
            audio_files: Vec::new(),
            extra: Default::default(),
        });
    }
}

/// Refuses a body that would make Revelator delete the cover or a kept track's audio.
pub fn check_no_file_loss(remote: &Release, body: &Release, release_id: i64) -> Result<()> {
    if remote.cover_file_id().is_some() && body.cover_file_id().is_none() {
        return Err(RevelatorError::WouldDeleteRemoteData {
            release_id,
            message: "the save would omit the existing cover, which Revelator would delete".into(),
        });
    }
    for old in &remote.tracks {
        let Some(new) = body.tracks.iter().find(|t| t.track_id.is_some() && t.track_id == old.track_id)
        else {
            continue;
        };
        let new_ids = new.audio_ids();
        let had_audio = !old.audio_ids().is_empty();
        if had_audio && new_ids.is_empty() {
            return Err(RevelatorError::WouldDeleteRemoteData {
                release_id,
                message: format!(
                    "the save would omit the audio of track \"{}\", which Revelator would delete",
                    old.name
                ),
            });
        }
    }
    Ok(())
}

/// Top-level wire fields whose values differ (response-only lock flags ignored).
fn differing_fields(old: &Track, new: &Track) -> Vec<String> {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) = (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return vec!["(unreadable)".into()];
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "isFullyLocked" | "isLockedForDistribution"))
        .filter(|k| a.get(*k).filter(|v| !v.is_null()) != b.get(*k).filter(|v| !v.is_null()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn remote() -> Release {
        serde_json::from_value(json!({
            "releaseId": 10, "name": "Old", "upc": "0123456789012", "labelId": 4, "kountStatusId": 2,
            "image": {"fileId": "aaaaaaaa-0000-4000-8000-000000000001", "filename": "cover.jpg"},
            "tracks": [
                {"trackId": 100, "name": "One", "assetId": 9, "trackProperties": [1],
                 "trackRecordingVersions": [{"recordingVersionType": 1, "isrc": "GBAAA2400001",
                    "audioFiles": [{"audioId": "bbbbbbbb-0000-4000-8000-000000000001", "fileFormat": 1}]}]},
                {"trackId": 101, "name": "Two",
                 "trackRecordingVersions": [{"recordingVersionType": 1, "isrc": "GBAAA2400002",
                    "audioFiles": [{"audioId": "bbbbbbbb-0000-4000-8000-000000000002", "fileFormat": 2}]}]}
            ]
        }))
        .unwrap()
    }

    fn draft() -> ReleaseDraft {
        ReleaseDraft {
            release_id: Some(10),
            release: serde_json::from_value(json!({
                "name": "New title", "upc": "0123456789012",
                "tracks": [
                    {"trackId": 100, "name": "One", "isrc": "GBAAA2400001"},
                    {"name": "Two (renamed)", "isrc": "GBAAA2400002"}
                ]
            }))
            .unwrap(),
            keep_remote_release_type: true,
        }
    }

    #[test]
    fn a_save_keeps_files_unknown_fields_and_track_ids() {
        let SavePlan::Save(body) = plan_save(Some(&remote()), &[], &draft()).unwrap() else {
            panic!("locked?")
        };
        assert_eq!(body.release_id, Some(10));
        assert_eq!(body.name, "New title");
        assert_eq!(body.cover_file_id(), Some("aaaaaaaa-0000-4000-8000-000000000001"));
        assert_eq!(body.extra["kountStatusId"], json!(2));
        assert_eq!(body.label_id, Some(4));
        assert_eq!(body.tracks[0].audio_ids(), vec!["bbbbbbbb-0000-4000-8000-000000000001"]);
        assert_eq!(body.tracks[0].extra["assetId"], json!(9));
        assert_eq!(body.tracks[0].track_properties, vec![1]);
        // Matched by ISRC: the id Catno did not know is reused, with its audio.
        assert_eq!(body.tracks[1].track_id, Some(101));
        assert_eq!(body.tracks[1].name, "Two (renamed)");
        assert_eq!(body.tracks[1].audio_ids(), vec!["bbbbbbbb-0000-4000-8000-000000000002"]);
    }

    #[test]
    fn a_new_upload_replaces_only_that_file() {
        let mut d = draft();
        d.release.tracks[0].track_recording_versions = vec![wire::RecordingVersion {
            recording_version_type: Some(1),
            audio_files: vec![AudioFile {
                audio_id: Some("cccccccc-0000-4000-8000-000000000009".into()),
                ..Default::default()
            }],
            ..Default::default()
        }];
        let SavePlan::Save(body) = plan_save(Some(&remote()), &[], &d).unwrap() else { panic!() };
        assert_eq!(body.tracks[0].audio_ids(), vec!["cccccccc-0000-4000-8000-000000000009"]);
        assert_eq!(body.tracks[0].track_recording_versions[0].isrc.as_deref(), Some("GBAAA2400001"));
    }

    #[test]
    fn locked_tracks_turn_an_edit_into_a_redelivery_plan() {
        let statuses: Vec<StoreStatus> = serde_json::from_value(json!([
            {"distributorStoreId": 507, "distributorStoreName": "Spotify", "releaseStatus": {"status": -20, "statusText": "Pending Owner Inspection"}},
            {"distributorStoreId": 508, "releaseStatus": {"status": 20}}
        ]))
        .unwrap();
        let SavePlan::TakedownAndRedeliver(plan) = plan_save(Some(&remote()), &statuses, &draft()).unwrap()
        else {
            panic!("a locked track was edited")
        };
        assert_eq!(plan.locked_stores.len(), 1);
        assert_eq!(plan.locked_stores[0].store_id, 507);
        assert_eq!(plan.changes.len(), 1);
        assert_eq!(plan.changes[0].track_id, 101);
        assert_eq!(plan.changes[0].fields, vec!["name".to_owned()]);

        // A release-level edit with untouched tracks is still a plain save.
        let mut title_only = draft();
        title_only.release.tracks[1].name = "Two".into();
        assert!(matches!(plan_save(Some(&remote()), &statuses, &title_only).unwrap(), SavePlan::Save(_)));
    }

    #[test]
    fn removing_a_cover_is_refused() {
        let mut body = remote();
        body.image = None;
        assert!(matches!(
            check_no_file_loss(&remote(), &body, 10),
            Err(RevelatorError::WouldDeleteRemoteData { .. })
        ));
        let mut body = remote();
        body.tracks[1].track_recording_versions[0].audio_files.clear();
        assert!(check_no_file_loss(&remote(), &body, 10).is_err());
    }
}
