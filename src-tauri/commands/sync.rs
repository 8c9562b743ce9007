//! Revelator account and sync commands. The API key crosses IPC once, from the settings form to
//! the OS keyring; no command ever returns it.

use std::sync::Arc;

use catno_core::delivery::{DeliveryBackend, RemoteStore};
use catno_core::jobs::{JobId, Jobs};
use catno_core::revelator_account::RevelatorAccount;
use catno_core::sync::{ReleaseSync, SyncOptions, SyncState};
use catno_revelator::{CredentialStore, KEYRING_SERVICE, KeyringStore, Secret};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::Reply;
use crate::AppState;

/// The OS keyring; `CATNO_KEYRING_SERVICE` names another entry set (end-to-end tests).
fn keyring() -> Arc<dyn CredentialStore> {
    let service = std::env::var("CATNO_KEYRING_SERVICE").unwrap_or_else(|_| KEYRING_SERVICE.to_owned());
    Arc::new(KeyringStore::with_service(service))
}

/// One row of the sync overview.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseSyncState {
    pub release_id: i64,
    pub state: SyncState,
    pub remote_id: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn revelator_account(state: State<'_, AppState>) -> Reply<RevelatorAccount> {
    Ok(state.catalog.read().await.revelator_account(keyring()).await?)
}

/// Logs in with the key (the "test connection"), then keeps it in the OS keyring.
#[tauri::command]
#[specta::specta]
pub async fn revelator_login(
    state: State<'_, AppState>,
    base_url: Option<String>,
    partner_user_id: String,
    api_key: String,
) -> Reply<RevelatorAccount> {
    let catalog = state.catalog.read().await.clone();
    Ok(catalog
        .revelator_login(keyring(), base_url.as_deref(), &partner_user_id, Secret::new(api_key))
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn revelator_logout(state: State<'_, AppState>) -> Reply<()> {
    Ok(state.catalog.read().await.revelator_logout(keyring()).await?)
}

/// Starts a sync in the background; progress arrives as `job-progress` events.
#[tauri::command]
#[specta::specta]
pub async fn start_sync(state: State<'_, AppState>, jobs: State<'_, Jobs>) -> Reply<JobId> {
    let catalog = state.catalog.read().await.clone();
    let backend: Arc<dyn DeliveryBackend> = catalog.revelator_backend(keyring(), None).await?;
    Ok(catalog.start_sync(&jobs, backend, SyncOptions::default()))
}

#[tauri::command]
#[specta::specta]
pub async fn sync_overview(state: State<'_, AppState>) -> Reply<Vec<ReleaseSyncState>> {
    let rows = state.catalog.read().await.sync_states(None).await?;
    Ok(rows
        .into_iter()
        .map(|(release_id, state, remote_id)| ReleaseSyncState { release_id, state, remote_id })
        .collect())
}

/// The sync view of a release from the catalog (no network).
#[tauri::command]
#[specta::specta]
pub async fn release_sync(state: State<'_, AppState>, release_id: i64) -> Reply<ReleaseSync> {
    Ok(state.catalog.read().await.release_sync(release_id).await?)
}

/// Fetches the per-store status now.
#[tauri::command]
#[specta::specta]
pub async fn refresh_delivery_status(state: State<'_, AppState>, release_id: i64) -> Reply<ReleaseSync> {
    let catalog = state.catalog.read().await.clone();
    let backend = catalog.revelator_backend(keyring(), None).await?;
    Ok(catalog.refresh_delivery_status(backend.as_ref(), release_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delivery_stores(state: State<'_, AppState>) -> Reply<Vec<RemoteStore>> {
    let catalog = state.catalog.read().await.clone();
    let backend = catalog.revelator_backend(keyring(), None).await?;
    Ok(backend.stores().await?)
}

/// What the user asks of one release's delivery.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SyncAction {
    Deliver,
    TakeDown,
    Retry,
    CancelDeliveries,
    KeepLocal,
    ConfirmRedelivery,
}

/// Queues or resolves something for the next sync; returns the release's sync view.
#[tauri::command]
#[specta::specta]
pub async fn release_sync_action(
    state: State<'_, AppState>,
    release_id: i64,
    action: SyncAction,
    stores: Vec<String>,
) -> Reply<ReleaseSync> {
    let catalog = state.catalog.read().await.clone();
    match action {
        SyncAction::Deliver => catalog.queue_delivery(release_id, &stores).await?,
        SyncAction::TakeDown => catalog.queue_takedown(release_id, &stores).await?,
        SyncAction::Retry => {
            catalog.retry_sync(Some(release_id)).await?;
        }
        SyncAction::CancelDeliveries => catalog.cancel_pending_sync(release_id).await?,
        SyncAction::KeepLocal => catalog.keep_local_over_remote(release_id).await?,
        SyncAction::ConfirmRedelivery => catalog.confirm_redelivery(release_id).await?,
    }
    Ok(catalog.release_sync(release_id).await?)
}
