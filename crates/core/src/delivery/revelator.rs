//! The Revelator backend: catalog data mapped to `catno-revelator`'s wire types through the
//! account's lookups (languages, genres, roles, release types and stores are matched by name
//! or code, never by a hard-coded id), and territory rights compiled with
//! `catno_rights::compile_revelator`.

use std::sync::Arc;

use catno_domain::{ContributorRole, ParentalAdvisory, ReleaseType, RightsLine, WriterRole};
use catno_revelator::wire::{self, AudioFile, Image, Localized, RecordingVersion, Track};
use catno_revelator::{
    Lookups, ProgressFn, ReleaseDraft, RevelatorClient, SaveOutcome, assumptions, lookups::fold, strip_html,
};
use catno_rights::ClearanceMode;

use super::{
    AssetProgress, BoxFuture, DeliveryBackend, DeliveryPackage, DeliveryState, LockedTrackEdit, ProgressSink,
    PushOutcome, RedeliveryNeeded, RemoteFinding, RemoteRef, RemoteStore, StoreDelivery,
};
use crate::{Error, Result};

/// Revelator through one account's client.
#[derive(Debug, Clone)]
pub struct RevelatorBackend {
    client: Arc<RevelatorClient>,
}

impl RevelatorBackend {
    pub fn new(client: Arc<RevelatorClient>) -> Self {
        RevelatorBackend { client }
    }

    pub fn client(&self) -> &RevelatorClient {
        &self.client
    }
}

fn remote_id(remote: &RemoteRef) -> Result<i64> {
    remote
        .release_id
        .as_deref()
        .ok_or_else(|| Error::Invalid("the release is not on Revelator yet: push it first".into()))?
        .parse()
        .map_err(|_| Error::Invalid("the stored Revelator release id is not a number".into()))
}

fn store_ids(stores: &[String]) -> Result<Vec<i64>> {
    stores
        .iter()
        .map(|s| s.parse().map_err(|_| Error::Invalid(format!("{s}: not a Revelator store id"))))
        .collect()
}

fn line(l: &Option<RightsLine>) -> Option<String> {
    l.as_ref().map(|l| format!("{} {}", l.year, l.holder))
}

fn writer_role_name(role: WriterRole) -> &'static str {
    match role {
        WriterRole::Composer => "Composer",
        WriterRole::Lyricist => "Lyricist",
        WriterRole::ComposerLyricist => "ComposerLyricist",
        WriterRole::Arranger => "Arranger",
        WriterRole::Translator => "Translator",
    }
}

fn file_format(path: &std::path::Path) -> Option<i64> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("wav") => Some(assumptions::FILE_FORMAT_WAV),
        Some("flac") => Some(assumptions::FILE_FORMAT_FLAC),
        _ => None,
    }
}

/// Maps the package to a wire draft. Problems (a genre or role the account's lookups do not
/// know) are collected and refused together, each naming the catalog field.
pub fn draft_for(
    package: &DeliveryPackage,
    remote: &RemoteRef,
    lookups: &Lookups,
) -> Result<(ReleaseDraft, Vec<String>)> {
    let release = &package.release;
    let mut problems: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    let language = |code: &str, field: &str, problems: &mut Vec<String>| {
        let found = lookups.language(code).and_then(|l| l.language_id);
        if found.is_none() {
            problems.push(format!("{field}: Revelator has no language \"{code}\""));
        }
        found
    };
    let language_id = match release.metadata_language.as_deref() {
        Some(code) => language(code, "release.metadata_language", &mut problems),
        None => {
            problems.push("release.metadata_language: Revelator needs the metadata language".into());
            None
        }
    };
    let primary_music_style_id = match release.genre.as_deref() {
        Some(genre) => {
            let id = lookups.music_style(genre).and_then(|s| s.music_style_id);
            if id.is_none() {
                problems.push(format!("release.genre: \"{genre}\" is not one of Revelator's genres"));
            }
            id
        }
        None => {
            problems.push("release.genre: Revelator needs a genre".into());
            None
        }
    };
    let secondary_music_style_id = release.subgenre.as_deref().and_then(|sub| {
        let id = lookups.music_style(sub).and_then(|s| s.music_style_id);
        if id.is_none() {
            notes.push(format!("release.subgenre: \"{sub}\" is not one of Revelator's genres; not sent"));
        }
        id
    });
    let release_type_id = lookups.release_type(release.release_type.as_str()).map(|t| t.id);
    if release_type_id.is_none() {
        notes.push(format!(
            "release.release_type: Revelator's release types do not list \"{}\"; the remote value is kept",
            release.release_type
        ));
    }
    let contributor =
        |role: ContributorRole, name: &str, field: &str, problems: &mut Vec<String>| match lookups
            .contributor_role(role.as_str(), None)
            .and_then(|r| r.role_id)
        {
            Some(role_id) => Some(wire::Contributor {
                role_id: Some(role_id),
                artist: Some(wire::ContributorArtist { name: name.to_owned(), ..Default::default() }),
                ..Default::default()
            }),
            None => {
                problems.push(format!("{field}: no Revelator contributor role matches {role}"));
                None
            }
        };
    let release_contributors: Vec<wire::Contributor> = release
        .artists
        .iter()
        .filter_map(|c| contributor(c.role, &c.artist_name, "release.artists", &mut problems))
        .collect();
    let locals = |titles: &[catno_domain::LocalizedTitle],
                  field: &str,
                  problems: &mut Vec<String>|
     -> Vec<Localized> {
        titles
            .iter()
            .filter_map(|t| {
                let id = language(&t.language, field, problems)?;
                Some(Localized { name: t.title.clone(), language_id: Some(id), ..Default::default() })
            })
            .collect()
    };
    let releases_locals = locals(&release.localized_titles, "release.localized_titles", &mut problems);
    let none_property = lookups.track_property_none().map(|p| vec![p.id]).unwrap_or_default();

    let mut tracks = Vec::with_capacity(package.tracks.len());
    for (index, packaged) in package.tracks.iter().enumerate() {
        let t = &packaged.track;
        let field = |f: &str| format!("track[{index}].{f}");
        let contributors = t
            .contributors
            .iter()
            .filter_map(|c| contributor(c.role, &c.artist_name, &field("contributors"), &mut problems))
            .collect();
        let composers = t
            .writers
            .iter()
            .filter_map(|w| {
                let role = lookups
                    .contributor_role(writer_role_name(w.role), Some(assumptions::ROLE_GROUP_WRITER))
                    .and_then(|r| r.role_id);
                if role.is_none() {
                    problems.push(format!(
                        "{}: no Revelator writer role matches {}",
                        field("writers"),
                        w.role
                    ));
                }
                Some(wire::Composer {
                    composer_name: w.name.clone(),
                    role_id: Some(role?),
                    share: Some(w.share_basis_points as f64 / 100.0),
                    rights_id: Some(if w.publisher.is_some() {
                        assumptions::WRITER_RIGHTS_PUBLISHED
                    } else {
                        assumptions::WRITER_RIGHTS_COPYRIGHT_CONTROL
                    }),
                    publisher_name: w.publisher.clone(),
                    ..Default::default()
                })
                .filter(|c| c.role_id.is_some())
            })
            .collect();
        let audio_files = match (&packaged.audio, remote.file_id(packaged.audio.as_ref())) {
            (Some(file), Some(id)) => match file_format(&file.path) {
                Some(format) => vec![AudioFile {
                    audio_id: Some(id.to_owned()),
                    audio_filename: file.path.file_name().and_then(|n| n.to_str()).map(str::to_owned),
                    file_format: Some(format),
                    ..Default::default()
                }],
                None => {
                    problems.push(format!("{}: Revelator takes WAV or FLAC masters only", field("audio")));
                    Vec::new()
                }
            },
            _ => Vec::new(),
        };
        let isrc = t.isrc.as_ref().map(|i| i.as_str().to_owned());
        let audio_language_id = t
            .audio_language
            .as_deref()
            .and_then(|code| language(code, &field("audio_language"), &mut problems));
        tracks.push(Track {
            track_id: remote.tracks.get(&t.id).and_then(|id| id.parse().ok()),
            name: t.title.clone(),
            version: t.version.clone(),
            artist_name: Some(t.display_artist.clone()).filter(|a| !a.is_empty()),
            language_id,
            audio_language_id,
            explicit: Some(t.explicit),
            track_type: Some(assumptions::TRACK_TYPE_ORIGINAL),
            track_number: Some(index as i64 + 1),
            track_properties: none_property.clone(),
            contributors,
            composers,
            tracks_locals: locals(&t.localized_titles, &field("localized_titles"), &mut problems),
            track_recording_versions: vec![RecordingVersion {
                recording_version_type: Some(assumptions::RECORDING_VERSION_STEREO),
                isrc: isrc.clone(),
                audio_files,
                ..Default::default()
            }],
            isrc,
            copyright_p: line(&release.p_line),
            copyright_c: line(&release.c_line),
            ..Default::default()
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(format!("cannot send to Revelator: {}", problems.join("; "))));
    }

    let image = remote.file_id(package.artwork.as_ref()).map(|id| Image {
        file_id: Some(id.to_owned()),
        filename: package
            .artwork
            .as_ref()
            .and_then(|a| a.path.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_owned),
        ..Default::default()
    });
    let draft = ReleaseDraft {
        release_id: remote.release_id.as_deref().and_then(|id| id.parse().ok()),
        release: wire::Release {
            name: release.title.clone(),
            version: release.version.clone(),
            // No main artist is how Revelator marks a Various Artists compilation (§5.5).
            artist_name: Some(release.display_artist.clone())
                .filter(|a| !a.is_empty() && release.release_type != ReleaseType::Compilation),
            releases_locals,
            contributors: release_contributors,
            copyright_p: line(&release.p_line),
            copyright_c: line(&release.c_line),
            has_record_label: Some(!release.label_name.is_empty()),
            label_name: Some(release.label_name.clone()).filter(|l| !l.is_empty()),
            previously_released: Some(release.original_release_date.is_some()),
            release_date: release.original_release_date.clone(),
            upc: release.upc.as_ref().map(|u| u.as_str().to_owned()),
            catalog: release.catalog_number.clone(),
            language_id,
            primary_music_style_id,
            secondary_music_style_id,
            release_type_id,
            is_compilation: Some(release.release_type == ReleaseType::Compilation),
            parental_advisory: Some(release.parental_advisory == ParentalAdvisory::Explicit),
            image,
            tracks,
            ..Default::default()
        },
        keep_remote_release_type: true,
    };
    Ok((draft, notes))
}

fn store_delivery(status: &wire::StoreStatus) -> StoreDelivery {
    let s = status.release_status.clone().unwrap_or_default();
    // Taken-down stores keep their `dateLive`, so the counters are read before it.
    let state = if status.is_read_only() {
        DeliveryState::Locked
    } else if status.is_taken_down() {
        DeliveryState::TakenDown
    } else if status.is_taking_down() {
        DeliveryState::TakingDown
    } else if s.is_error == Some(true) {
        DeliveryState::Error
    } else if s.date_live.is_some() || s.url_in_store.as_deref().is_some_and(|u| !u.is_empty()) {
        DeliveryState::Live
    } else {
        DeliveryState::InProgress
    };
    StoreDelivery {
        store_id: status.distributor_store_id.map(|id| id.to_string()).unwrap_or_default(),
        store_name: status.distributor_store_name.clone().unwrap_or_default(),
        state,
        status_text: s.status_text,
        error: s.error_message.map(|m| strip_html(&m)).filter(|m| !m.is_empty()),
        live_url: s.url_in_store.filter(|u| !u.is_empty()),
        raw_status: s.status,
    }
}

/// The territory plan Revelator can take: worldwide only until the V2 clearance payloads are
/// known (A9). Anything narrower, or anything the compiler could not express, is refused with
/// the rules named; returns the sale start date.
pub fn sale_start_for(package: &DeliveryPackage) -> Result<Option<String>> {
    let plan = catno_rights::compile_revelator(&package.rights, &package.groups, &package.stores)?;
    let mut refusals: Vec<String> = plan.unexpressible.iter().map(|l| l.message.clone()).collect();
    let narrowed =
        plan.release.iter().any(|c| !(c.mode == ClearanceMode::Exclude && c.territories.is_empty()))
            || !plan.tracks.is_empty();
    if narrowed && assumptions::TERRITORY_CLEARANCES_WORLDWIDE_ONLY {
        refusals.push(
            "the rights restrict territories, and Catno cannot send territory clearances to Revelator yet \
             (their API format is unconfirmed); deliver worldwide or use the DDEX export"
                .into(),
        );
    }
    if plan.preorder_date.is_some() {
        refusals.push(
            "a pre-order date is set; Revelator's API field for it is unknown, set it in Revelator".into(),
        );
    }
    if !refusals.is_empty() {
        return Err(Error::Invalid(format!("cannot deliver through Revelator: {}", refusals.join("; "))));
    }
    let street = package.release.release_date.clone();
    Ok(plan
        .sale_start_date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .or(street))
}

impl DeliveryBackend for RevelatorBackend {
    fn name(&self) -> &'static str {
        "revelator"
    }

    fn stores(&self) -> BoxFuture<'_, Result<Vec<RemoteStore>>> {
        Box::pin(async move {
            let lookups = self.client.lookups().await?;
            Ok(lookups
                .stores
                .iter()
                .filter(|s| s.is_active != Some(false))
                .filter_map(|s| {
                    Some(RemoteStore { id: s.distributor_store_id?.to_string(), name: s.name.clone() })
                })
                .collect())
        })
    }

    fn upload_assets<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
        progress: Option<ProgressSink>,
    ) -> BoxFuture<'a, Result<RemoteRef>> {
        Box::pin(async move {
            let mut next = remote.clone();
            let sink = |asset_id: i64| -> Option<ProgressFn> {
                let sink = progress.clone()?;
                Some(Arc::new(move |p: catno_revelator::UploadProgress| {
                    sink(AssetProgress { asset_id, sent: p.sent, total: p.total })
                }))
            };
            if let Some(art) = &package.artwork
                && !next.files.contains_key(&art.sha256)
            {
                let id = self.client.upload_image(&art.path, true, sink(art.asset_id)).await?;
                next.files.insert(art.sha256.clone(), id);
            }
            for t in &package.tracks {
                let Some(audio) = &t.audio else { continue };
                if next.files.contains_key(&audio.sha256) {
                    continue;
                }
                if file_format(&audio.path).is_none() {
                    return Err(Error::Invalid(format!(
                        "{}: Revelator takes WAV or FLAC masters only",
                        audio.path.display()
                    )));
                }
                let id = self.client.upload_audio(&audio.path, sink(audio.asset_id)).await?;
                next.files.insert(audio.sha256.clone(), id);
            }
            Ok(next)
        })
    }

    fn push_release<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
    ) -> BoxFuture<'a, Result<PushOutcome>> {
        Box::pin(async move {
            let lookups = self.client.lookups().await?;
            let (draft, mut warnings) = draft_for(package, remote, &lookups)?;
            match self.client.save_release(&draft).await? {
                SaveOutcome::NeedsRedelivery(plan) => {
                    let edits = plan
                        .changes
                        .iter()
                        .map(|c| LockedTrackEdit {
                            track_id: remote
                                .tracks
                                .iter()
                                .find(|(_, remote_id)| remote_id.parse() == Ok(c.track_id))
                                .map(|(id, _)| *id),
                            title: c.name.clone(),
                            fields: c.fields.clone(),
                        })
                        .collect();
                    let locked_stores = plan
                        .locked_stores
                        .iter()
                        .map(|s| StoreDelivery {
                            store_id: s.store_id.to_string(),
                            store_name: s.store_name.clone().unwrap_or_default(),
                            state: DeliveryState::Locked,
                            status_text: s.status_text.clone(),
                            error: None,
                            live_url: None,
                            raw_status: Some(s.status),
                        })
                        .collect();
                    Ok(PushOutcome::NeedsRedelivery(RedeliveryNeeded { locked_stores, edits }))
                }
                SaveOutcome::Saved(saved) => {
                    let mut next = remote.clone();
                    next.release_id = Some(saved.release_id.to_string());
                    // Tracks read back in running order; the ISRC, when both have one, must agree.
                    if saved.release.tracks.len() != package.tracks.len() {
                        warnings.push(format!(
                            "Revelator holds {} tracks, Catno {}",
                            saved.release.tracks.len(),
                            package.tracks.len()
                        ));
                    }
                    next.tracks.clear();
                    for (mine, theirs) in package.tracks.iter().zip(&saved.release.tracks) {
                        let Some(id) = theirs.track_id else { continue };
                        let their_isrc = theirs.isrc.as_deref().or_else(|| {
                            theirs.track_recording_versions.iter().find_map(|v| v.isrc.as_deref())
                        });
                        if let (Some(a), Some(b)) = (mine.track.isrc.as_ref(), their_isrc)
                            && !a.as_str().eq_ignore_ascii_case(b)
                        {
                            warnings.push(format!(
                                "track \"{}\": Revelator's copy has ISRC {b}",
                                mine.track.title
                            ));
                            continue;
                        }
                        next.tracks.insert(mine.track.id, id.to_string());
                    }
                    warnings.extend(saved.drift);
                    Ok(PushOutcome::Pushed { remote: next, warnings })
                }
            }
        })
    }

    fn validate_remote<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Vec<RemoteFinding>>> {
        Box::pin(async move {
            let issues = self.client.validate(remote_id(remote)?).await?;
            Ok(issues
                .into_iter()
                .map(|i| RemoteFinding {
                    blocking: i.is_blocking(),
                    message: strip_html(&i.error_message),
                    track_id: match (i.object_type.as_deref(), i.object_id) {
                        (Some(kind), Some(id)) if fold(kind) == "track" => remote
                            .tracks
                            .iter()
                            .find(|(_, remote_id)| remote_id.parse() == Ok(id))
                            .map(|(catno, _)| *catno),
                        _ => None,
                    },
                    field: i.field,
                    code: i.error_code.map(|c| c.to_string()),
                })
                .collect())
        })
    }

    fn deliver<'a>(
        &'a self,
        package: &'a DeliveryPackage,
        remote: &'a RemoteRef,
        stores: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<StoreDelivery>>> {
        Box::pin(async move {
            let release_id = remote_id(remote)?;
            let ids = store_ids(stores)?;
            let sale_start = sale_start_for(package)?;
            // V1 retail-save before the queue: it is the V1 call that fixes the go-live date.
            self.client.set_sale_start(release_id, sale_start.as_deref()).await?;
            let statuses = self.client.deliver(release_id, &ids).await?;
            Ok(statuses.iter().map(store_delivery).collect())
        })
    }

    fn take_down<'a>(
        &'a self,
        remote: &'a RemoteRef,
        stores: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<StoreDelivery>>> {
        Box::pin(async move {
            let statuses = self.client.take_down(remote_id(remote)?, &store_ids(stores)?).await?;
            Ok(statuses.iter().map(store_delivery).collect())
        })
    }

    fn status<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Vec<StoreDelivery>>> {
        Box::pin(async move {
            let statuses = self.client.store_statuses(remote_id(remote)?).await?;
            Ok(statuses.iter().map(store_delivery).collect())
        })
    }

    fn fingerprint<'a>(&'a self, remote: &'a RemoteRef) -> BoxFuture<'a, Result<Option<String>>> {
        Box::pin(async move {
            let release = self.client.get_release(remote_id(remote)?).await?;
            Ok(Some(super::revelator_fingerprint::fingerprint(&release)))
        })
    }
}
