//! Multi-call operations that stay correct when an answer is lost: the reconciling release
//! save (read, apply, send everything, read back), queueing and takedown checked against the
//! per-store status. These are what a sync engine calls; each is safe to repeat.

use crate::client::RevelatorClient;
use crate::error::{Result, RevelatorError};
use crate::lookups::fold;
use crate::plan::{RedeliveryPlan, ReleaseDraft, SavePlan, plan_save};
use crate::wire::{self, Release, RetailSave, StoreStatus};

/// The release as Revelator holds it after a save.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRelease {
    pub release_id: i64,
    /// Read back after the save: track ids, assigned UPC, what Revelator normalised.
    pub release: Release,
    pub created: bool,
    /// The save's answer was lost (or had no id) and the release was found by reading back.
    pub reconciled: bool,
    /// Fields that did not read back as sent (Revelator normalised or ignored them).
    pub drift: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    Saved(Box<SavedRelease>),
    /// Locked tracks were edited: nothing was sent.
    NeedsRedelivery(RedeliveryPlan),
}

impl RevelatorClient {
    /// Saves `draft` as a whole object, idempotently:
    /// - an update reads the remote release and its store statuses first, keeps every file id
    ///   and unknown field, and returns a redelivery plan instead of editing locked tracks;
    /// - a create first looks for a release with the same UPC (an earlier create whose answer
    ///   was lost) and updates that one instead; when a create's answer is lost, the release
    ///   is found by UPC, or by a title that was not there before the call;
    /// - the result is read back.
    pub async fn save_release(&self, draft: &ReleaseDraft) -> Result<SaveOutcome> {
        let mut draft = draft.clone();
        if draft.release_id.is_none()
            && let Some(upc) = draft.release.upc.clone()
            && let Some(existing) = self.release_id_by_upc(&upc).await?
        {
            tracing::info!(release_id = existing, "a release with this UPC exists on Revelator; updating it");
            draft.release_id = Some(existing);
        }
        let (remote, statuses) = match draft.release_id {
            Some(id) => (Some(self.get_release(id).await?), self.store_statuses(id).await?),
            None => (None, Vec::new()),
        };
        let body = match plan_save(remote.as_ref(), &statuses, &draft)? {
            SavePlan::Save(body) => body,
            SavePlan::TakedownAndRedeliver(plan) => return Ok(SaveOutcome::NeedsRedelivery(plan)),
        };
        let (release_id, created, reconciled) = match body.release_id {
            Some(id) => {
                self.save_release_raw(&body).await?;
                (id, false, false)
            }
            None => self.create(&body).await?,
        };
        let release = self.get_release(release_id).await?;
        let drift = drift(&body, &release);
        if !drift.is_empty() {
            tracing::warn!(release_id, ?drift, "Revelator did not keep everything as sent");
        }
        Ok(SaveOutcome::Saved(Box::new(SavedRelease { release_id, release, created, reconciled, drift })))
    }

    async fn release_id_by_upc(&self, upc: &str) -> Result<Option<i64>> {
        let found = self.find_releases(Some(upc)).await?;
        Ok(found
            .iter()
            .find(|r| r.upc.as_deref().is_some_and(|u| wire::same_upc(u, upc)))
            .and_then(|r| r.release_id))
    }

    async fn ids_titled(&self, name: &str) -> Result<Vec<i64>> {
        let wanted = fold(name);
        Ok(self
            .find_releases(Some(name))
            .await?
            .into_iter()
            .filter(|r| fold(&r.name) == wanted)
            .filter_map(|r| r.release_id)
            .collect())
    }

    async fn create(&self, body: &Release) -> Result<(i64, bool, bool)> {
        let titled_before = match &body.upc {
            Some(_) => Vec::new(),
            None => self.ids_titled(&body.name).await?,
        };
        let lost = match self.save_release_raw(body).await {
            Ok(answer) => match wire::saved_release_id(&answer) {
                Some(id) => return Ok((id, true, false)),
                None => None,
            },
            Err(e) if e.outcome_unknown() => Some(e),
            Err(e) => return Err(e),
        };
        let found = match &body.upc {
            Some(upc) => self.release_id_by_upc(upc).await?,
            None => {
                let new: Vec<i64> = self
                    .ids_titled(&body.name)
                    .await?
                    .into_iter()
                    .filter(|id| !titled_before.contains(id))
                    .collect();
                // Two new releases with this title: someone else created one too; do not guess.
                if new.len() == 1 { new.first().copied() } else { None }
            }
        };
        match (found, lost) {
            (Some(id), _) => Ok((id, true, true)),
            (None, Some(e)) => Err(e),
            (None, None) => Err(RevelatorError::Invalid(format!(
                "Revelator accepted the new release \"{}\" without saying its id, and it cannot be found",
                body.name
            ))),
        }
    }

    /// Queues the release for `store_ids` and returns the statuses read back. When the answer
    /// is lost, the statuses decide whether the request was applied; it is re-sent only if not.
    pub async fn deliver(&self, release_id: i64, store_ids: &[i64]) -> Result<Vec<StoreStatus>> {
        let before = self.store_statuses(release_id).await?;
        self.checked_store_call(release_id, store_ids, &before, false).await?;
        self.store_statuses(release_id).await
    }

    /// Asks for a takedown from `store_ids`, verified the same way as [`Self::deliver`].
    pub async fn take_down(&self, release_id: i64, store_ids: &[i64]) -> Result<Vec<StoreStatus>> {
        let before = self.store_statuses(release_id).await?;
        self.checked_store_call(release_id, store_ids, &before, true).await?;
        self.store_statuses(release_id).await
    }

    async fn checked_store_call(
        &self,
        release_id: i64,
        store_ids: &[i64],
        before: &[StoreStatus],
        takedown: bool,
    ) -> Result<()> {
        let call = || async {
            if takedown {
                self.takedown(release_id, store_ids).await
            } else {
                self.add_to_queue(release_id, store_ids).await
            }
        };
        match call().await {
            Ok(()) => Ok(()),
            Err(e) if e.outcome_unknown() => {
                let after = self.store_statuses(release_id).await?;
                let changed = |id: i64| {
                    let code = |list: &[StoreStatus]| {
                        list.iter()
                            .find(|s| s.distributor_store_id == Some(id))
                            .and_then(StoreStatus::status_code)
                    };
                    code(&after).is_some() && code(&after) != code(before)
                };
                if store_ids.iter().all(|id| changed(*id)) {
                    tracing::info!(release_id, "the store call was applied although its answer was lost");
                    Ok(())
                } else {
                    call().await
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Sets (or clears, `None` = as soon as possible) the sale start date, `YYYY-MM-DD`.
    pub async fn set_sale_start(&self, release_id: i64, date: Option<&str>) -> Result<()> {
        if let Some(d) = date
            && !(d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-')
        {
            return Err(RevelatorError::Invalid(format!("sale start date {d}: expected YYYY-MM-DD")));
        }
        self.retail_save(&RetailSave {
            release_id,
            sale_start_date: date.map(str::to_owned),
            monetization_policy_ids: Vec::new(),
        })
        .await
    }
}

/// What the read-back lost or changed, by field.
fn drift(sent: &Release, back: &Release) -> Vec<String> {
    let mut out = Vec::new();
    if sent.name != back.name {
        out.push(format!("name: sent \"{}\", reads \"{}\"", sent.name, back.name));
    }
    if let Some(upc) = &sent.upc
        && !back.upc.as_deref().is_some_and(|b| wire::same_upc(b, upc))
    {
        out.push(format!("upc: sent {upc}, reads {}", back.upc.as_deref().unwrap_or("none")));
    }
    if sent.cover_file_id().is_some() && back.cover_file_id() != sent.cover_file_id() {
        out.push("image: the cover file id did not read back".into());
    }
    if sent.tracks.len() != back.tracks.len() {
        out.push(format!("tracks: sent {}, reads {}", sent.tracks.len(), back.tracks.len()));
    }
    for (i, (s, b)) in sent.tracks.iter().zip(&back.tracks).enumerate() {
        let mut sent_ids = s.audio_ids();
        let mut back_ids = b.audio_ids();
        sent_ids.sort_unstable();
        back_ids.sort_unstable();
        if sent_ids != back_ids {
            out.push(format!("tracks[{i}].audio: the audio file ids did not read back"));
        }
    }
    out
}
