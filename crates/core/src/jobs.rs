//! Long-running work (media QC, later imports and deliveries) as jobs: an id, progress events
//! on a broadcast feed, cancellation checked between units of work, and a final state.
//!
//! [`Jobs`] is the registry a frontend keeps beside its [`crate::Catalog`]; a piece of work
//! gets a [`JobHandle`] from [`Jobs::start`], reports each finished unit with
//! [`JobHandle::advance`] and ends with [`JobHandle::finish`]. Every state change is sent to
//! [`Jobs::subscribe`]rs and kept for [`Jobs::get`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// A job's id, unique within one [`Jobs`] registry.
pub type JobId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum JobState {
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn is_final(self) -> bool {
        self != JobState::Running
    }
}

/// One progress event: how far a job is, and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    pub id: JobId,
    /// What the job does, e.g. `qc_release`.
    pub kind: String,
    /// The release the job works on, so a view can show progress per release; `None` for
    /// jobs that are not about one release (loose files, a track's asset).
    pub release_id: Option<i64>,
    pub done: u32,
    pub total: u32,
    /// The unit just finished, or why the job failed.
    pub message: String,
    pub state: JobState,
}

/// The registry of jobs; cheap to clone, shared by every clone.
#[derive(Clone, Debug)]
pub struct Jobs {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    next_id: AtomicU32,
    jobs: Mutex<HashMap<JobId, Entry>>,
    events: broadcast::Sender<JobProgress>,
}

#[derive(Debug)]
struct Entry {
    last: JobProgress,
    cancel: Arc<AtomicBool>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self::new()
    }
}

impl Jobs {
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(1024);
        Self { inner: Arc::new(Inner { next_id: AtomicU32::new(1), jobs: Mutex::default(), events }) }
    }

    /// Every progress event of every job from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<JobProgress> {
        self.inner.events.subscribe()
    }

    /// Registers a running job of `kind` with `total` units (adjustable later).
    pub fn start(&self, kind: &str, total: u32) -> JobHandle {
        self.start_for(kind, total, None)
    }

    /// [`Jobs::start`] for work on one release: its progress events carry `release_id`.
    pub fn start_for(&self, kind: &str, total: u32, release_id: Option<i64>) -> JobHandle {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = JobProgress {
            id,
            kind: kind.to_owned(),
            release_id,
            done: 0,
            total,
            message: String::new(),
            state: JobState::Running,
        };
        self.entries().insert(id, Entry { last: progress.clone(), cancel: Arc::clone(&cancel) });
        let _ = self.inner.events.send(progress);
        JobHandle { jobs: self.clone(), id, cancel, done: Arc::new(AtomicU32::new(0)) }
    }

    /// Asks a running job to stop after the units in flight; false when no such job runs.
    pub fn cancel(&self, id: JobId) -> bool {
        match self.entries().get(&id) {
            Some(entry) if !entry.last.state.is_final() => {
                entry.cancel.store(true, Ordering::SeqCst);
                true
            }
            _ => false,
        }
    }

    /// The latest progress of a job.
    pub fn get(&self, id: JobId) -> Option<JobProgress> {
        self.entries().get(&id).map(|e| e.last.clone())
    }

    /// The latest progress of every job still running.
    pub fn running(&self) -> Vec<JobProgress> {
        let mut out: Vec<JobProgress> =
            self.entries().values().filter(|e| !e.last.state.is_final()).map(|e| e.last.clone()).collect();
        out.sort_by_key(|p| p.id);
        out
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<JobId, Entry>> {
        // A panic while holding the lock leaves a map that is still consistent.
        self.inner.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn publish(&self, id: JobId, update: impl FnOnce(&mut JobProgress)) {
        let event = {
            let mut entries = self.entries();
            let Some(entry) = entries.get_mut(&id) else { return };
            if entry.last.state.is_final() {
                return;
            }
            update(&mut entry.last);
            entry.last.clone()
        };
        // No subscriber is a normal state (the CLI may not listen).
        let _ = self.inner.events.send(event);
    }
}

/// The working side of one job. Clones report on the same job (one per worker).
#[derive(Clone, Debug)]
pub struct JobHandle {
    jobs: Jobs,
    id: JobId,
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU32>,
}

impl JobHandle {
    pub fn id(&self) -> JobId {
        self.id
    }

    /// Whether cancellation was asked for; check it between units of work.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn set_total(&self, total: u32) {
        self.jobs.publish(self.id, |p| p.total = total);
    }

    /// One more unit done; `message` names it.
    pub fn advance(&self, message: &str) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        self.jobs.publish(self.id, |p| {
            p.done = done.max(p.done);
            p.message = message.to_owned();
        });
    }

    /// Says what the unit in hand is doing (an upload's percentage, say) without counting it
    /// done.
    pub fn report(&self, message: &str) {
        self.jobs.publish(self.id, |p| p.message = message.to_owned());
    }

    /// Ends the job; later calls change nothing.
    pub fn finish(&self, state: JobState, message: &str) {
        self.jobs.publish(self.id, |p| {
            p.state = state;
            p.message = message.to_owned();
        });
    }

    /// The latest progress of this job.
    pub fn progress(&self) -> Option<JobProgress> {
        self.jobs.get(self.id)
    }
}

/// How many units of CPU-bound work to run at once: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}
