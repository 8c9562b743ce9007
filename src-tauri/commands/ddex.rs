//! DDEX delivery commands: profiles, settings, message preview and batch export.

use catno_core::ddex::{
    DdexExport, DdexMessage, DdexOptions, DdexProfileInfo, DdexSettings, DdexSettingsUpdate,
    ddex_profiles as profiles,
};
use catno_core::ddex_history::DdexExportRecord;
use catno_core::ddex_schemas::SchemaOverview;
use std::path::PathBuf;
use tauri::State;

use super::Reply;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn ddex_profiles() -> Reply<Vec<DdexProfileInfo>> {
    Ok(profiles())
}

#[tauri::command]
#[specta::specta]
pub async fn get_ddex_settings(state: State<'_, AppState>) -> Reply<DdexSettings> {
    Ok(state.catalog.read().await.ddex_settings().await?)
}

/// `None` fields are left alone; an empty string clears a value. A bad DPID is refused with
/// the field named (`sender_dpid`, `recipients.<profile>.dpid`).
#[tauri::command]
#[specta::specta]
pub async fn set_ddex_settings(
    state: State<'_, AppState>,
    update: DdexSettingsUpdate,
) -> Reply<DdexSettings> {
    Ok(state.catalog.read().await.set_ddex_settings(&update).await?)
}

/// The message the release would be delivered as, with findings pointing at catalog fields.
#[tauri::command]
#[specta::specta]
pub async fn preview_ddex(
    state: State<'_, AppState>,
    release_id: i64,
    options: DdexOptions,
) -> Reply<DdexMessage> {
    Ok(state.catalog.read().await.ddex_message(release_id, &options).await?)
}

/// Writes `<out_dir>/<batch id>`; nothing is written when a message has errors (then
/// `written` is false and `findings` say why).
#[tauri::command]
#[specta::specta]
pub async fn export_ddex_batch(
    state: State<'_, AppState>,
    release_ids: Vec<i64>,
    options: DdexOptions,
    out_dir: String,
    batch_id: Option<String>,
) -> Reply<DdexExport> {
    Ok(state
        .catalog
        .read()
        .await
        .export_ddex_batch(&release_ids, &options, &PathBuf::from(out_dir), batch_id.as_deref())
        .await?)
}

/// The message last exported for the release under the profile (`null` when never), for the
/// preview's diff.
#[tauri::command]
#[specta::specta]
pub async fn last_ddex_export(
    state: State<'_, AppState>,
    release_id: i64,
    profile_id: String,
) -> Reply<Option<DdexExportRecord>> {
    Ok(state.catalog.read().await.last_ddex_export(release_id, &profile_id).await?)
}

/// The XSD folder validation uses, why, and whether each ERN version's schemas load.
#[tauri::command]
#[specta::specta]
pub async fn ddex_schema_overview(state: State<'_, AppState>) -> Reply<SchemaOverview> {
    Ok(state.catalog.read().await.ddex_schema_overview().await?)
}

/// Downloads DDEX's published ERN 4.3 and 3.8.2 schemas into the app's cache; a failed
/// download keeps what was there.
#[tauri::command]
#[specta::specta]
pub async fn fetch_ddex_schemas(state: State<'_, AppState>) -> Reply<SchemaOverview> {
    Ok(state.catalog.read().await.fetch_ddex_schemas().await?)
}
