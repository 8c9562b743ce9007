//! Media QC commands: start a release's QC as a job, cancel a job, read stored results.
//! Progress reaches the UI as `job-progress` events (see `crate::forward_jobs`).

use catno_core::jobs::{JobId, JobProgress, Jobs};
use catno_core::qc::{AssetOwner, AttachedAsset, Profile, ReleaseQc};
use std::path::{Path, PathBuf};

use tauri::State;

use super::Reply;
use crate::AppState;

/// The delivery targets QC can check against.
#[tauri::command]
#[specta::specta]
pub async fn qc_profiles() -> Reply<Vec<Profile>> {
    Ok(catno_core::qc::qc_profiles().to_vec())
}

/// Starts the QC of every asset of a release in the background; returns the job's id.
#[tauri::command]
#[specta::specta]
pub async fn start_release_qc(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    release_id: i64,
    profile_id: String,
) -> Reply<JobId> {
    Ok(state.catalog.read().await.start_release_qc(&jobs, release_id, &profile_id).await?)
}

/// Asks a running job to stop after the files in flight; false when it already ended.
#[tauri::command]
#[specta::specta]
pub async fn cancel_job(jobs: State<'_, Jobs>, id: JobId) -> Reply<bool> {
    Ok(jobs.cancel(id))
}

/// Jobs still running, for a view opened while one is.
#[tauri::command]
#[specta::specta]
pub async fn running_jobs(jobs: State<'_, Jobs>) -> Reply<Vec<JobProgress>> {
    Ok(jobs.running())
}

/// The stored QC of a release's assets under a profile; analyses nothing.
#[tauri::command]
#[specta::specta]
pub async fn get_release_qc(
    state: State<'_, AppState>,
    release_id: i64,
    profile_id: String,
) -> Reply<ReleaseQc> {
    Ok(state.catalog.read().await.stored_release_qc(release_id, &profile_id).await?)
}

/// Attaches a file (dropped on a track, or artwork on the release) and starts its QC as a job.
/// Its folder becomes loadable by the webview, so a file from a new folder previews at once.
#[tauri::command]
#[specta::specta]
pub async fn attach_asset(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    owner: AssetOwner,
    path: String,
    profile_id: String,
) -> Reply<AttachedAsset> {
    let attached =
        state.catalog.read().await.attach_asset(&jobs, owner, &PathBuf::from(path), &profile_id).await?;
    if let Some(folder) = Path::new(&attached.asset.path).parent() {
        (state.allow_media)(folder);
    }
    Ok(attached)
}
