//! Release validation: builds [`ReleaseBundle`]s from the catalog and runs the
//! catno-validate rule pack on them; applies autofixes through the ordinary edit paths.

use std::collections::BTreeMap;
use std::sync::Arc;

use catno_db::LoadedRelease;
use catno_rights::{ReleaseRights, StoreId, TerritoryGroups, Use};
use catno_validate::{CatalogContext, Profile, ReleaseBundle, RightsSummary, TrackAvailability};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Catalog, Error, Result};

pub use catno_validate::{Autofix, FieldChange, Finding, RuleDoc, Severity, profiles as validation_profiles};

/// Releases loaded and validated per page by [`Catalog::validate_all`].
pub const PAGE: i64 = 1000;

/// The findings of one release under one profile, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ValidationReport {
    pub release_id: i64,
    pub title: String,
    pub profile: String,
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
}

/// Every rule of the pack with its severity and source, for docs and `catno rules list`.
pub fn validation_rules() -> Vec<RuleDoc> {
    catno_validate::rules()
}

fn profile(id: &str) -> Result<Profile> {
    Profile::named(id).map_err(|e| Error::Invalid(e.to_string()))
}

fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// What the rights rules of one release mean for validation.
fn rights_summary(
    rights: Option<&ReleaseRights>,
    groups: &TerritoryGroups,
    stores: &[StoreId],
    tracks: &[catno_domain::Track],
) -> Result<RightsSummary> {
    let Some(rights) = rights else {
        // No rules: every track is available everywhere.
        let tracks = tracks
            .iter()
            .map(|t| TrackAvailability { track_id: t.id, territories: catno_rights::TERRITORY_COUNT })
            .collect();
        return Ok(RightsSummary { violations: Vec::new(), tracks, preorder_start: None });
    };
    let violations =
        catno_rights::violations(rights, groups, stores)?.into_iter().map(|v| v.message).collect();
    let matrix = catno_rights::effective(rights, groups, stores)?;
    let tracks = matrix
        .tracks
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let mut available = [false; catno_rights::TERRITORY_COUNT];
            for store in 0..matrix.stores.len() {
                for usage in Use::ALL {
                    for (territory, cell) in matrix.row(Some(index), store, usage).iter().enumerate() {
                        if *cell != catno_rights::UNAVAILABLE {
                            available[territory] = true;
                        }
                    }
                }
            }
            TrackAvailability { track_id: key.0, territories: available.iter().filter(|a| **a).count() }
        })
        .collect();
    let preorder_start = rights.release.iter().filter_map(|rule| rule.preorder_start).min();
    Ok(RightsSummary { violations, tracks, preorder_start })
}

fn report(
    loaded: LoadedRelease,
    rights: RightsSummary,
    context: &CatalogContext,
    profile: &Profile,
    today: Date,
) -> ValidationReport {
    let LoadedRelease { release, tracks, audio_sha256, .. } = loaded;
    let (release_id, title) = (release.id, release.title.clone());
    let bundle = ReleaseBundle { release, tracks, audio_sha256, rights, context };
    let findings = catno_validate::validate(&bundle, profile, today);
    let (errors, warnings) = catno_validate::tally(&findings);
    ValidationReport { release_id, title, profile: profile.id.clone(), findings, errors, warnings }
}

impl Catalog {
    /// Validates one release against a profile (`spotify`, `apple_music`, … `generic`).
    pub async fn validate_release(&self, release_id: i64, profile_id: &str) -> Result<ValidationReport> {
        self.validate_release_on(release_id, profile_id, today()).await
    }

    /// [`Self::validate_release`] as if today were `today` (lead times are relative to it).
    pub async fn validate_release_on(
        &self,
        release_id: i64,
        profile_id: &str,
        today: Date,
    ) -> Result<ValidationReport> {
        let profile = profile(profile_id)?;
        let mut conn = self.db().read().await?;
        let loaded = catno_db::load_releases_in_range(&mut conn, release_id, release_id)
            .await?
            .into_iter()
            .next()
            .ok_or(catno_db::DbError::NotFound { what: "release", id: release_id })?;
        // Only the context this release's identifiers and artists can clash with.
        let mut context = CatalogContext::default();
        if let Some(upc) = &loaded.release.upc {
            for id in catno_db::releases_with_upc(&mut conn, upc.as_str()).await? {
                context.add_upc(upc.as_str(), id);
            }
        }
        for isrc in loaded.tracks.iter().filter_map(|t| t.isrc.as_ref()) {
            for (track_id, sha) in catno_db::tracks_with_isrc(&mut conn, isrc.as_str()).await? {
                context.add_isrc(isrc.as_str(), track_id, sha);
            }
        }
        let credited = catno_validate::artist_names(&loaded.release, &loaded.tracks);
        let keys: std::collections::HashSet<String> =
            credited.iter().map(|n| catno_validate::text::fold_name(n)).collect();
        let mut buffer = String::new();
        let near = catno_db::artist_names_where(&mut conn, |name| {
            keys.contains(catno_validate::text::fold_name_into(name, &mut buffer))
        })
        .await?;
        for name in near {
            context.add_artist_name(&name);
        }
        for (artist_id, id) in catno_db::artist_dsp_ids(&mut conn, Some(release_id)).await? {
            context.artist_dsp_ids.entry(artist_id).or_default().push(id);
        }
        let rights = if loaded.has_rights_rules {
            Some(catno_db::load_release_rights(&mut conn, release_id).await?)
        } else {
            None
        };
        let groups = catno_db::load_territory_groups(&mut conn).await?;
        let stores = catno_db::load_stores(&mut conn).await?.ids();
        drop(conn);
        let summary = rights_summary(rights.as_ref(), &groups, &stores, &loaded.tracks)?;
        Ok(report(loaded, summary, &context, &profile, today))
    }

    /// Validates every release, in id order.
    pub async fn validate_all(&self, profile_id: &str) -> Result<Vec<ValidationReport>> {
        let mut reports = Vec::new();
        self.validate_each(profile_id, today(), |report| reports.push(report)).await?;
        Ok(reports)
    }

    /// Validates every release, handing each report to `on_report` as pages complete (so a
    /// caller can stream them). The catalog-wide context is loaded once; each page of
    /// releases is loaded with a few queries and validated on a blocking thread while the
    /// next page loads. Returns how many releases were validated.
    pub async fn validate_each(
        &self,
        profile_id: &str,
        today: Date,
        mut on_report: impl FnMut(ValidationReport),
    ) -> Result<usize> {
        let profile = Arc::new(profile(profile_id)?);
        let mut conn = self.db().read().await?;
        let mut context = CatalogContext::default();
        for (id, upc) in catno_db::duplicate_release_upcs(&mut conn).await? {
            context.add_upc(&upc, id);
        }
        for (track_id, isrc, sha) in catno_db::duplicate_track_isrcs(&mut conn).await? {
            context.add_isrc(&isrc, track_id, sha);
        }
        for name in catno_db::all_artist_names(&mut conn).await? {
            context.add_artist_name(&name);
        }
        context.retain_ambiguous_names();
        for (artist_id, id) in catno_db::artist_dsp_ids(&mut conn, None).await? {
            context.artist_dsp_ids.entry(artist_id).or_default().push(id);
        }
        let context = Arc::new(context);
        let groups = Arc::new(catno_db::load_territory_groups(&mut conn).await?);
        let stores: Arc<Vec<StoreId>> = Arc::new(catno_db::load_stores(&mut conn).await?.ids());

        let mut count = 0;
        let mut after = 0;
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        let mut pending: Vec<tokio::task::JoinHandle<Result<Vec<ValidationReport>>>> = Vec::new();
        loop {
            let ids = catno_db::release_ids_after(&mut conn, after, PAGE).await?;
            let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else { break };
            after = hi;
            let mut page = catno_db::load_releases_in_range(&mut conn, lo, hi).await?;
            let mut rights = BTreeMap::new();
            for loaded in page.iter().filter(|l| l.has_rights_rules) {
                let id = loaded.release.id;
                rights.insert(id, catno_db::load_release_rights(&mut conn, id).await?);
            }
            // The previous page's reports, in order, while this page waits to be validated.
            for done in pending.drain(..) {
                for report in join(done).await? {
                    count += 1;
                    on_report(report);
                }
            }
            let rights = Arc::new(rights);
            let per = page.len().div_ceil(threads).max(1);
            while !page.is_empty() {
                let chunk: Vec<LoadedRelease> = page.drain(..per.min(page.len())).collect();
                let (context, profile, groups, stores, rights) = (
                    Arc::clone(&context),
                    Arc::clone(&profile),
                    Arc::clone(&groups),
                    Arc::clone(&stores),
                    Arc::clone(&rights),
                );
                pending.push(tokio::task::spawn_blocking(move || {
                    chunk
                        .into_iter()
                        .map(|loaded| {
                            let summary = rights_summary(
                                rights.get(&loaded.release.id),
                                &groups,
                                &stores,
                                &loaded.tracks,
                            )?;
                            Ok(report(loaded, summary, &context, &profile, today))
                        })
                        .collect()
                }));
            }
        }
        for done in pending.drain(..) {
            for report in join(done).await? {
                count += 1;
                on_report(report);
            }
        }
        Ok(count)
    }

    /// Applies a finding's autofix to the release (or one of its tracks) through
    /// `set_release_fields` / `set_track_fields`: one transaction per release or track.
    pub async fn apply_autofix(&self, release_id: i64, finding: &Finding) -> Result<()> {
        let Some(fix) = &finding.autofix else {
            return Err(Error::Invalid(format!("finding {} has no autofix", finding.rule_id)));
        };
        let mut release_fields = Vec::new();
        let mut track_fields: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
        for FieldChange { field, new_value } in fix.changes() {
            let bad = || {
                Error::Invalid(format!(
                    "autofix field {field:?} is not release.<field> or track:<id>.<field>"
                ))
            };
            if let Some(name) = field.strip_prefix("release.") {
                release_fields.push((name.to_owned(), new_value));
            } else if let Some(rest) = field.strip_prefix("track:") {
                let (id, name) = rest.split_once('.').ok_or_else(bad)?;
                let id: i64 = id.parse().map_err(|_| bad())?;
                track_fields.entry(id).or_default().push((name.to_owned(), new_value));
            } else {
                return Err(bad());
            }
        }
        {
            let mut conn = self.db().read().await?;
            catno_db::release_exists(&mut conn, release_id).await?;
            for track_id in track_fields.keys() {
                if !catno_db::releases_of_track(&mut conn, *track_id).await?.contains(&release_id) {
                    return Err(Error::Invalid(format!("track {track_id} is not on release {release_id}")));
                }
            }
        }
        if !release_fields.is_empty() {
            self.set_release_fields(release_id, &release_fields).await?;
        }
        for (track_id, fields) in track_fields {
            self.set_track_fields(track_id, &fields).await?;
        }
        Ok(())
    }
}

async fn join<T>(handle: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    handle.await.map_err(|e| Error::Invalid(format!("validation stopped: {e}")))?
}
