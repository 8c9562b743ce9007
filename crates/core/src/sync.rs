//! The sync engine: pushes the outbox (filled by catalog triggers in the same transaction as
//! each change) to a [`DeliveryBackend`], and brings back remote ids, validation and per-store
//! statuses.
//!
//! Crash safety comes from three rules: every step's result is committed before the next step
//! starts (uploaded file ids, then the push, then the outbox row's removal); every backend call
//! is safe to repeat with the `RemoteRef` last committed (backends reconcile a lost answer by
//! reading back); and an outbox row is removed only if no edit folded into it meanwhile. A
//! process killed at any point therefore resumes by running sync again, without duplicates.
//!
//! Releases are pushed concurrently (bounded); the operations of one release run in order.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::delivery::{
    AssetProgress, DeliveryBackend, DeliveryPackage, DeliveryState, ProgressSink, PushOutcome,
    RedeliveryNeeded, RemoteFinding, RemoteRef, StoreDelivery,
};
use crate::jobs::{JobHandle, JobId, JobState, Jobs};
use crate::{Catalog, ChangedEntity, Error, Result};

/// How a release stands with the remote, as a user reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SyncState {
    /// Local changes (or a delivery) not yet pushed.
    Pending,
    Synced,
    /// The last attempt failed; the raw remote error is kept.
    Failed,
    /// The remote copy changed in a way Catno did not make; nothing is overwritten until the
    /// user decides.
    Conflict,
}

impl SyncState {
    fn parse(raw: &str) -> Self {
        match raw {
            "synced" => Self::Synced,
            "failed" => Self::Failed,
            "conflict" => Self::Conflict,
            _ => Self::Pending,
        }
    }
}

/// An operation waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PendingOp {
    /// `save`, `deliver` or `takedown`.
    pub op: String,
    pub stores: Vec<String>,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
}

/// Everything known about one release's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReleaseSync {
    pub release_id: i64,
    pub state: SyncState,
    pub backend: Option<String>,
    pub remote_id: Option<String>,
    /// The raw error of the failed attempt (remote response body included).
    pub error: Option<String>,
    pub pending: Vec<PendingOp>,
    pub stores: Vec<StoreDelivery>,
    pub remote_findings: Vec<RemoteFinding>,
    /// Locked tracks were edited: this needs the user's go-ahead to take down and redeliver.
    pub redelivery: Option<RedeliveryNeeded>,
    pub synced_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncOptions {
    /// Releases pushed at the same time.
    pub concurrency: u32,
    /// Also retry entries waiting out a backoff (a user pressing "Sync" means now).
    pub retry_backed_off: bool,
    /// Fetch the per-store status of every delivered release after pushing.
    pub pull_statuses: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { concurrency: 8, retry_backed_off: true, pull_statuses: true }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub saved: u32,
    pub delivered: u32,
    pub taken_down: u32,
    pub failed: u32,
    pub conflicts: u32,
    pub redeliveries: u32,
    pub statuses_pulled: u32,
    /// Outbox entries left (failed, waiting, or skipped by a cancel).
    pub remaining: u32,
    pub cancelled: bool,
}

impl SyncReport {
    fn add(&mut self, other: &SyncReport) {
        self.saved += other.saved;
        self.delivered += other.delivered;
        self.taken_down += other.taken_down;
        self.failed += other.failed;
        self.conflicts += other.conflicts;
        self.redeliveries += other.redeliveries;
        self.statuses_pulled += other.statuses_pulled;
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct OpPayload {
    #[serde(default)]
    stores: Vec<String>,
}

/// A failure that needs a person (bad data, refused credentials) is not retried on its own;
/// one the network or a busy server caused is, after a backoff.
fn is_transient(error: &Error) -> bool {
    match error {
        Error::Revelator(e) => {
            e.is_unreachable() || e.outcome_unknown() || matches!(e.status(), Some(429 | 500..=599))
        }
        Error::Offline(_) => true,
        _ => false,
    }
}

/// The error as shown to the user: the message, then the remote body verbatim.
fn raw_error(error: &Error) -> String {
    match error {
        Error::Revelator(e) => match e.remote_body() {
            Some(body) if !body.text.trim().is_empty() => format!("{e}\n{}", body.text),
            _ => e.to_string(),
        },
        other => other.to_string(),
    }
}

/// Transient failures are retried after 2 s, 4 s, 8 s … (capped at 10 minutes), each spread by
/// ±50 % so that many clients failing together do not come back together.
const MAX_TRANSIENT_ATTEMPTS: i64 = 8;

fn backoff(entry_id: i64, attempts: i64) -> Duration {
    let base = 2f64 * 2f64.powi(i32::try_from(attempts.clamp(0, 20)).unwrap_or(20));
    let capped = base.min(600.0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    // A cheap spread: no randomness source is needed for jitter to do its job.
    let mixed = (u64::from(nanos) ^ (entry_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) % 1000;
    Duration::from_secs_f64(capped * (0.5 + mixed as f64 / 1000.0))
}

fn timestamp(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}

fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// Sorts before the sentinel of failures that wait for the user (see `catno_db::outbox_failed`).
const EVERYTHING_BACKED_OFF: &str = "9999-12-31T23:59:58Z";

enum Step {
    Saved,
    Delivered,
    TakenDown,
    Conflict,
    Redelivery,
}

impl Catalog {
    /// Pushes everything pending to `backend`, then pulls per-store statuses. Each outbox entry
    /// is one unit of `job`'s progress; a cancel stops between entries, leaving the rest queued.
    pub async fn sync(
        &self,
        backend: Arc<dyn DeliveryBackend>,
        options: &SyncOptions,
        job: &JobHandle,
    ) -> Result<SyncReport> {
        let due_by = if options.retry_backed_off { EVERYTHING_BACKED_OFF.to_owned() } else { now() };
        let due = catno_db::outbox_due(&mut *self.db().read().await?, &due_by, i64::MAX).await?;
        job.set_total(u32::try_from(due.len()).unwrap_or(u32::MAX));
        let mut by_release: BTreeMap<i64, Vec<catno_db::OutboxEntry>> = BTreeMap::new();
        let mut order = Vec::new();
        for entry in due {
            if !by_release.contains_key(&entry.release_id) {
                order.push(entry.release_id);
            }
            by_release.entry(entry.release_id).or_default().push(entry);
        }

        let permits = Arc::new(Semaphore::new(usize::try_from(options.concurrency.max(1)).unwrap_or(1)));
        let mut tasks = JoinSet::new();
        for release_id in order {
            let entries = by_release.remove(&release_id).unwrap_or_default();
            let (catalog, backend, job, permits) =
                (self.clone(), backend.clone(), job.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                catalog.sync_release(backend.as_ref(), release_id, entries, &job).await
            });
        }
        let mut report = SyncReport::default();
        let mut first_error = None;
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(part)) => report.add(&part),
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(join) => {
                    first_error.get_or_insert(Error::Invalid(format!("a sync task stopped: {join}")));
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        report.cancelled = job.is_cancelled();
        if options.pull_statuses && !report.cancelled {
            report.statuses_pulled = self.pull_statuses(backend.as_ref(), options.concurrency).await?;
        }
        report.remaining =
            u32::try_from(catno_db::outbox_len(&mut *self.db().read().await?).await?).unwrap_or(0);
        Ok(report)
    }

    /// Starts [`Catalog::sync`] in the background; its progress goes to `jobs`' subscribers.
    pub fn start_sync(&self, jobs: &Jobs, backend: Arc<dyn DeliveryBackend>, options: SyncOptions) -> JobId {
        let job = jobs.start("sync", 0);
        let id = job.id();
        let catalog = self.clone();
        tokio::spawn(async move {
            match catalog.sync(backend, &options, &job).await {
                Ok(report) if report.cancelled => job.finish(JobState::Cancelled, "cancelled"),
                Ok(report) if report.failed > 0 || report.conflicts > 0 || report.redeliveries > 0 => job
                    .finish(
                        JobState::Failed,
                        &format!(
                            "{} failed, {} conflicts, {} need redelivery; {} saved",
                            report.failed, report.conflicts, report.redeliveries, report.saved
                        ),
                    ),
                Ok(report) => job.finish(JobState::Succeeded, &format!("{} releases saved", report.saved)),
                Err(e) => job.finish(JobState::Failed, &e.to_string()),
            }
        });
        id
    }

    /// The operations of one release, in order; the first failure stops the rest (a delivery
    /// must not overtake the save it depends on).
    async fn sync_release(
        &self,
        backend: &dyn DeliveryBackend,
        release_id: i64,
        entries: Vec<catno_db::OutboxEntry>,
        job: &JobHandle,
    ) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let conflicted = catno_db::synced_release(&mut *self.db().read().await?, release_id)
            .await?
            .is_some_and(|r| r.state == "conflict");
        if conflicted {
            report.conflicts += 1;
            return Ok(report);
        }
        for entry in entries {
            if job.is_cancelled() {
                break;
            }
            let outcome = match entry.op.as_str() {
                "save" => self.push_save(backend, &entry, job).await,
                "deliver" | "takedown" => self.push_store_op(backend, &entry).await,
                other => Err(Error::Invalid(format!("unknown outbox operation {other:?}"))),
            };
            match outcome {
                Ok(step) => {
                    match step {
                        Step::Saved => report.saved += 1,
                        Step::Delivered => report.delivered += 1,
                        Step::TakenDown => report.taken_down += 1,
                        Step::Conflict => report.conflicts += 1,
                        Step::Redelivery => report.redeliveries += 1,
                    }
                    job.advance(&format!("release {release_id}: {}", entry.op));
                    if matches!(step, Step::Conflict | Step::Redelivery) {
                        break;
                    }
                }
                Err(e) => {
                    // A broken catalog file is not the remote's fault: stop the run.
                    if matches!(e, Error::Db(_)) {
                        return Err(e);
                    }
                    report.failed += 1;
                    let next = (is_transient(&e) && entry.attempts + 1 < MAX_TRANSIENT_ATTEMPTS).then(|| {
                        timestamp(time::OffsetDateTime::now_utc() + backoff(entry.id, entry.attempts))
                    });
                    tracing::warn!(release_id, op = %entry.op, error = %e, "sync step failed");
                    let mut tx = self.db().begin().await?;
                    catno_db::outbox_failed(&mut tx, entry.id, &raw_error(&e), next.as_deref()).await?;
                    tx.commit().await.map_err(catno_db::DbError::from)?;
                    job.advance(&format!("release {release_id}: {} failed", entry.op));
                    break;
                }
            }
        }
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(report)
    }

    async fn push_save(
        &self,
        backend: &dyn DeliveryBackend,
        entry: &catno_db::OutboxEntry,
        job: &JobHandle,
    ) -> Result<Step> {
        let release_id = entry.release_id;
        let stored = catno_db::synced_release(&mut *self.db().read().await?, release_id).await?;
        let mut row = synced_row(stored, release_id, backend.name());
        let mut remote = parse_ref(row.remote_ref.as_deref())?;

        // A remote edit Catno did not make is never overwritten silently.
        if let (Some(expected), Some(_)) = (&row.remote_fingerprint, &remote.release_id)
            && let Some(found) = backend.fingerprint(&remote).await?
            && &found != expected
        {
            row.state = "conflict".to_owned();
            row.last_error =
                Some("the remote release was changed outside Catno since the last sync".to_owned());
            let mut tx = self.db().begin().await?;
            catno_db::put_synced_release(&mut tx, &row).await?;
            tx.commit().await.map_err(catno_db::DbError::from)?;
            return Ok(Step::Conflict);
        }

        let package = self.delivery_package(release_id).await?;
        let progress = upload_progress(job.clone(), &package);
        remote = backend.upload_assets(&package, &remote, Some(progress)).await?;
        // Uploaded file ids are kept at once: a crash before the save must not upload again.
        row.remote_ref = Some(serde_json::to_string(&remote).map_err(|e| Error::Invalid(e.to_string()))?);
        let mut tx = self.db().begin().await?;
        catno_db::put_synced_release(&mut tx, &row).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;

        match backend.push_release(&package, &remote).await? {
            PushOutcome::Pushed { remote, warnings } => {
                for warning in &warnings {
                    tracing::info!(release_id, %warning, "sync note");
                }
                let fingerprint = backend.fingerprint(&remote).await?;
                let findings = backend.validate_remote(&remote).await?;
                row.remote_id = remote.release_id.clone();
                row.remote_ref =
                    Some(serde_json::to_string(&remote).map_err(|e| Error::Invalid(e.to_string()))?);
                row.remote_fingerprint = fingerprint;
                row.state = "synced".to_owned();
                row.plan = None;
                row.last_error = None;
                row.synced_at = Some(now());
                let mut tx = self.db().begin().await?;
                catno_db::put_synced_release(&mut tx, &row).await?;
                catno_db::put_remote_validation(&mut tx, release_id, &to_json(&findings)?).await?;
                catno_db::outbox_complete(&mut tx, entry.id, entry.revision).await?;
                tx.commit().await.map_err(catno_db::DbError::from)?;
                Ok(Step::Saved)
            }
            PushOutcome::NeedsRedelivery(plan) => {
                row.plan = Some(to_json(&plan)?);
                row.state = "failed".to_owned();
                let message = format!(
                    "{} locked track(s) changed while the release is delivered or in review; confirm a take down and redelivery",
                    plan.edits.len()
                );
                let mut tx = self.db().begin().await?;
                catno_db::put_synced_release(&mut tx, &row).await?;
                catno_db::outbox_failed(&mut tx, entry.id, &message, None).await?;
                tx.commit().await.map_err(catno_db::DbError::from)?;
                Ok(Step::Redelivery)
            }
        }
    }

    async fn push_store_op(
        &self,
        backend: &dyn DeliveryBackend,
        entry: &catno_db::OutboxEntry,
    ) -> Result<Step> {
        let release_id = entry.release_id;
        let payload: OpPayload = serde_json::from_str(&entry.payload)
            .map_err(|e| Error::Invalid(format!("outbox entry {}: {e}", entry.id)))?;
        let stored = catno_db::synced_release(&mut *self.db().read().await?, release_id).await?;
        let remote = parse_ref(stored.as_ref().and_then(|r| r.remote_ref.as_deref()))?;
        if remote.release_id.is_none() {
            return Err(Error::Invalid(format!(
                "release {release_id} has not reached {} yet: sync its changes first",
                backend.name()
            )));
        }
        let (statuses, findings, step) = if entry.op == "deliver" {
            let findings = backend.validate_remote(&remote).await?;
            let blocking: Vec<&str> =
                findings.iter().filter(|f| f.blocking).map(|f| f.message.as_str()).collect();
            if !blocking.is_empty() {
                let mut tx = self.db().begin().await?;
                catno_db::put_remote_validation(&mut tx, release_id, &to_json(&findings)?).await?;
                tx.commit().await.map_err(catno_db::DbError::from)?;
                return Err(Error::Invalid(format!(
                    "{} refuses to deliver release {release_id}: {}",
                    backend.name(),
                    blocking.join("; ")
                )));
            }
            let package = self.delivery_package(release_id).await?;
            (backend.deliver(&package, &remote, &payload.stores).await?, Some(findings), Step::Delivered)
        } else {
            (backend.take_down(&remote, &payload.stores).await?, None, Step::TakenDown)
        };
        let mut tx = self.db().begin().await?;
        catno_db::put_store_statuses(&mut tx, release_id, &status_rows(&statuses)?).await?;
        if let Some(findings) = findings {
            catno_db::put_remote_validation(&mut tx, release_id, &to_json(&findings)?).await?;
        }
        catno_db::outbox_complete(&mut tx, entry.id, entry.revision).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(step)
    }

    /// Refreshes the per-store status of every release that was ever delivered.
    async fn pull_statuses(&self, backend: &dyn DeliveryBackend, concurrency: u32) -> Result<u32> {
        let delivered = catno_db::releases_with_store_status(&mut *self.db().read().await?).await?;
        let mut pulled = 0;
        for chunk in delivered.chunks(usize::try_from(concurrency.max(1)).unwrap_or(1)) {
            let mut refs = Vec::new();
            for release_id in chunk {
                let stored = catno_db::synced_release(&mut *self.db().read().await?, *release_id).await?;
                if let Some(remote) = stored.and_then(|r| r.remote_ref)
                    && let Ok(remote) = serde_json::from_str::<RemoteRef>(&remote)
                {
                    refs.push((*release_id, remote));
                }
            }
            let answers = futures_util::future::join_all(
                refs.iter().map(|(id, remote)| async move { (*id, backend.status(remote).await) }),
            )
            .await;
            let mut tx = self.db().begin().await?;
            for (release_id, answer) in answers {
                match answer {
                    Ok(statuses) => {
                        catno_db::put_store_statuses(&mut tx, release_id, &status_rows(&statuses)?).await?;
                        pulled += 1;
                    }
                    Err(e) => tracing::warn!(release_id, error = %e, "store status not fetched"),
                }
            }
            tx.commit().await.map_err(catno_db::DbError::from)?;
        }
        Ok(pulled)
    }

    /// Asks the backend for a release's per-store status now, keeps it, and returns the whole
    /// sync view of the release.
    pub async fn refresh_delivery_status(
        &self,
        backend: &dyn DeliveryBackend,
        release_id: i64,
    ) -> Result<ReleaseSync> {
        let stored = catno_db::synced_release(&mut *self.db().read().await?, release_id).await?;
        let remote = parse_ref(stored.as_ref().and_then(|r| r.remote_ref.as_deref()))?;
        if remote.release_id.is_some() {
            let statuses = backend.status(&remote).await?;
            let mut tx = self.db().begin().await?;
            catno_db::put_store_statuses(&mut tx, release_id, &status_rows(&statuses)?).await?;
            tx.commit().await.map_err(catno_db::DbError::from)?;
        }
        self.release_sync(release_id).await
    }

    /// Queues a delivery of the release to `stores` behind its pending changes.
    pub async fn queue_delivery(&self, release_id: i64, stores: &[String]) -> Result<()> {
        self.queue_store_op(release_id, "deliver", stores).await
    }

    /// Queues a takedown of the release from `stores`.
    pub async fn queue_takedown(&self, release_id: i64, stores: &[String]) -> Result<()> {
        self.queue_store_op(release_id, "takedown", stores).await
    }

    async fn queue_store_op(&self, release_id: i64, op: &str, stores: &[String]) -> Result<()> {
        if stores.is_empty() || stores.iter().any(|s| s.trim().is_empty()) {
            return Err(Error::Invalid(format!("name at least one store to {op}")));
        }
        let mut tx = self.db().begin().await?;
        catno_db::release_exists(&mut tx, release_id).await?;
        let payload = to_json(&OpPayload { stores: stores.to_vec() })?;
        catno_db::enqueue_sync_op(&mut tx, release_id, op, &payload).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(())
    }

    /// Drops a release's queued deliveries and takedowns (a refused delivery the user gives up
    /// on); its pending changes stay queued.
    pub async fn cancel_pending_sync(&self, release_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        for entry in catno_db::outbox_entries(&mut tx, Some(release_id)).await? {
            if entry.op != "save" {
                catno_db::remove_outbox_entry(&mut tx, entry.id).await?;
            }
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(())
    }

    /// Makes failed entries (of one release, or all) due again.
    pub async fn retry_sync(&self, release_id: Option<i64>) -> Result<u64> {
        let mut tx = self.db().begin().await?;
        let n = catno_db::outbox_retry(&mut tx, release_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(n)
    }

    /// Resolves a conflict by keeping Catno's version: the next sync overwrites the remote copy.
    pub async fn keep_local_over_remote(&self, release_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let Some(mut row) = catno_db::synced_release(&mut tx, release_id).await? else {
            return Err(Error::Invalid(format!("release {release_id} has never been synced")));
        };
        row.state = "pending".to_owned();
        row.remote_fingerprint = None;
        row.last_error = None;
        catno_db::put_synced_release(&mut tx, &row).await?;
        if catno_db::outbox_entries(&mut tx, Some(release_id)).await?.iter().all(|e| e.op != "save") {
            catno_db::enqueue_sync_op(&mut tx, release_id, "save", "{}").await?;
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(())
    }

    /// The user's go-ahead for a redelivery plan: take the release down where it is locked,
    /// save the edits, and deliver to the same stores again — queued in that order.
    pub async fn confirm_redelivery(&self, release_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let Some(mut row) = catno_db::synced_release(&mut tx, release_id).await? else {
            return Err(Error::Invalid(format!("release {release_id} has no redelivery waiting")));
        };
        let Some(plan) = row.plan.as_deref() else {
            return Err(Error::Invalid(format!("release {release_id} has no redelivery waiting")));
        };
        let plan: RedeliveryNeeded = serde_json::from_str(plan).map_err(|e| Error::Invalid(e.to_string()))?;
        let stores: Vec<String> = plan.locked_stores.iter().map(|s| s.store_id.clone()).collect();
        let pending = catno_db::outbox_entries(&mut tx, Some(release_id)).await?;
        for entry in pending.iter().filter(|e| e.op == "save") {
            catno_db::remove_outbox_entry(&mut tx, entry.id).await?;
        }
        let payload = to_json(&OpPayload { stores })?;
        catno_db::enqueue_sync_op(&mut tx, release_id, "takedown", &payload).await?;
        catno_db::enqueue_sync_op(&mut tx, release_id, "save", "{}").await?;
        catno_db::enqueue_sync_op(&mut tx, release_id, "deliver", &payload).await?;
        row.plan = None;
        row.state = "pending".to_owned();
        catno_db::put_synced_release(&mut tx, &row).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(())
    }

    /// The sync view of one release, from the catalog alone (no network).
    pub async fn release_sync(&self, release_id: i64) -> Result<ReleaseSync> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        let state = catno_db::sync_states(&mut conn, Some(&[release_id])).await?;
        let stored = catno_db::synced_release(&mut conn, release_id).await?;
        let outbox = catno_db::outbox_entries(&mut conn, Some(release_id)).await?;
        let stores = catno_db::store_statuses(&mut conn, release_id)
            .await?
            .into_iter()
            .filter_map(|s| s.raw.and_then(|raw| serde_json::from_str::<StoreDelivery>(&raw).ok()))
            .collect();
        let remote_findings = catno_db::remote_validation(&mut conn, release_id)
            .await?
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default();
        let error = outbox
            .iter()
            .find_map(|e| e.last_error.clone())
            .or_else(|| stored.as_ref().and_then(|r| r.last_error.clone()));
        Ok(ReleaseSync {
            release_id,
            state: state.first().map_or(SyncState::Pending, |(_, s, _)| SyncState::parse(s)),
            backend: stored.as_ref().map(|r| r.backend.clone()),
            remote_id: stored.as_ref().and_then(|r| r.remote_id.clone()),
            error,
            pending: outbox
                .into_iter()
                .map(|e| PendingOp {
                    stores: serde_json::from_str::<OpPayload>(&e.payload)
                        .map(|p| p.stores)
                        .unwrap_or_default(),
                    op: e.op,
                    attempts: e.attempts,
                    next_attempt_at: e.next_attempt_at,
                    last_error: e.last_error,
                })
                .collect(),
            stores,
            remote_findings,
            redelivery: stored
                .as_ref()
                .and_then(|r| r.plan.as_deref())
                .and_then(|p| serde_json::from_str(p).ok()),
            synced_at: stored.and_then(|r| r.synced_at),
        })
    }

    /// `(release id, state, remote id)` of the given releases, or of all.
    pub async fn sync_states(
        &self,
        release_ids: Option<&[i64]>,
    ) -> Result<Vec<(i64, SyncState, Option<String>)>> {
        let mut conn = self.db().read().await?;
        Ok(catno_db::sync_states(&mut conn, release_ids)
            .await?
            .into_iter()
            .map(|(id, state, remote)| (id, SyncState::parse(&state), remote))
            .collect())
    }
}

/// Reports each upload of `package` on the sync job by file name, once per whole percent, so
/// a long master shows it is moving without flooding the job's events.
fn upload_progress(job: JobHandle, package: &DeliveryPackage) -> ProgressSink {
    let release_id = package.release.id;
    let names: std::collections::HashMap<i64, String> = package
        .artwork
        .iter()
        .chain(package.tracks.iter().filter_map(|t| t.audio.as_ref()))
        .map(|file| {
            let name = file
                .path
                .file_name()
                .map_or_else(|| file.path.display().to_string(), |name| name.to_string_lossy().into_owned());
            (file.asset_id, name)
        })
        .collect();
    // Per file: uploads run side by side, and their reports interleave.
    let reported = std::sync::Mutex::new(std::collections::HashMap::new());
    Arc::new(move |p: AssetProgress| {
        let percent = (p.sent.min(p.total) * 100).checked_div(p.total).unwrap_or(100);
        let mut reported = reported.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if reported.insert(p.asset_id, percent) == Some(percent) {
            return;
        }
        let name = names.get(&p.asset_id).map_or("a file", String::as_str);
        job.report(&format!("release {release_id}: uploading {name} ({percent} %)"));
    })
}

/// The stored sync row of a release, or a fresh pending one.
fn synced_row(
    existing: Option<catno_db::SyncedRelease>,
    release_id: i64,
    backend: &str,
) -> catno_db::SyncedRelease {
    existing.unwrap_or_else(|| catno_db::SyncedRelease {
        release_id,
        backend: backend.to_owned(),
        state: "pending".to_owned(),
        ..Default::default()
    })
}

fn parse_ref(raw: Option<&str>) -> Result<RemoteRef> {
    match raw {
        None => Ok(RemoteRef::default()),
        Some(raw) => serde_json::from_str(raw).map_err(|e| {
            Error::Invalid(format!("stored remote ids are unreadable ({e}); sync state is corrupt"))
        }),
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Invalid(e.to_string()))
}

fn status_rows(statuses: &[StoreDelivery]) -> Result<Vec<(String, String, Option<String>)>> {
    statuses
        .iter()
        .map(|s| {
            let state = match s.state {
                DeliveryState::Locked => "locked",
                DeliveryState::InProgress => "inProgress",
                DeliveryState::Live => "live",
                DeliveryState::Error => "error",
                DeliveryState::TakingDown => "takingDown",
                DeliveryState::TakenDown => "takenDown",
            };
            Ok((s.store_id.clone(), state.to_owned(), Some(to_json(s)?)))
        })
        .collect()
}
