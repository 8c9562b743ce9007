//! The IPC commands. Each takes the open catalog, makes one core call and maps the error.

use std::path::PathBuf;

use catno_core::domain::{
    Artist, Contributor, ContributorRole, DspPlatform, Label, Page, Release, ReleaseSummary, SearchHit,
    Track, TrackSummary, Writer,
};
use catno_core::{
    Catalog, CatalogChanged, CatalogInfo, CreditTarget, FieldOptions, NewWriter, ReleaseDetail, ReleaseQuery,
    TrackQuery,
};
use tauri::{Runtime, State};

use crate::{AppState, IpcError};

mod bulk;
mod ddex;
mod qc;
mod rights;
mod sync;
mod transfer;
mod workflow;

type Reply<T> = Result<T, IpcError>;

/// The commands and events the UI may use; `tests/bindings.rs` exports their TypeScript.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(tauri_specta::collect_commands![
            catalog_info,
            open_catalog,
            create_catalog,
            backup_catalog,
            list_labels,
            list_releases,
            get_release,
            set_release_field,
            list_tracks,
            get_track,
            set_track_field,
            set_track_position,
            add_contributor,
            remove_contributor,
            add_writer,
            remove_writer,
            get_artist,
            set_artist_dsp_id,
            search,
            field_options,
            rights::get_rights,
            rights::rights_vocabulary,
            rights::edit_rights,
            rights::replace_rights,
            rights::rights_grid,
            rights::explain_rights,
            rights::define_territory_group,
            rights::add_store,
            ddex::ddex_profiles,
            ddex::get_ddex_settings,
            ddex::set_ddex_settings,
            ddex::preview_ddex,
            ddex::export_ddex_batch,
            ddex::last_ddex_export,
            ddex::ddex_schema_overview,
            ddex::fetch_ddex_schemas,
            bulk::preview_bulk_edit,
            bulk::apply_bulk_edit,
            bulk::undo_bulk_edit,
            qc::qc_profiles,
            qc::start_release_qc,
            qc::cancel_job,
            qc::running_jobs,
            qc::get_release_qc,
            workflow::validate_release,
            workflow::validation_rules,
            workflow::validation_profiles,
            workflow::apply_autofix,
            workflow::workflow_state,
            workflow::transition_release,
            workflow::set_check,
            workflow::audit_log,
            workflow::changes_since,
            workflow::review_queue,
            workflow::get_user_name,
            workflow::set_user_name,
            qc::attach_asset,
            sync::revelator_account,
            sync::revelator_login,
            sync::revelator_logout,
            sync::start_sync,
            sync::sync_overview,
            sync::release_sync,
            sync::refresh_delivery_status,
            sync::delivery_stores,
            sync::release_sync_action,
            transfer::import_targets,
            transfer::propose_mapping,
            transfer::saved_mappings,
            transfer::saved_mapping,
            transfer::save_mapping,
            transfer::plan_import,
            transfer::run_import,
            transfer::plan_folder_import,
            transfer::import_folder,
            transfer::export_catalog,
            transfer::export_release_pdf,
        ])
        .typ::<CatalogChanged>()
        .typ::<catno_core::jobs::JobProgress>()
        // Ids are SQLite row ids and counts of rows: far below 2^53, so a JS number holds them.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type: our wire types serialize and deserialize alike.
        .disable_serde_phases()
}

#[tauri::command]
#[specta::specta]
pub async fn catalog_info(state: State<'_, AppState>) -> Reply<CatalogInfo> {
    Ok(state.catalog.read().await.info().await?)
}

async fn switch_catalog(state: &AppState, catalog: Catalog) -> Reply<CatalogInfo> {
    (state.attach)(catalog.clone());
    let info = catalog.info().await?;
    let previous = std::mem::replace(&mut *state.catalog.write().await, catalog);
    previous.close().await;
    Ok(info)
}

#[tauri::command]
#[specta::specta]
pub async fn open_catalog(state: State<'_, AppState>, path: String) -> Reply<CatalogInfo> {
    let catalog = Catalog::open(&PathBuf::from(path)).await?;
    switch_catalog(&state, catalog).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_catalog(state: State<'_, AppState>, path: String) -> Reply<CatalogInfo> {
    let catalog = Catalog::create(&PathBuf::from(path)).await?;
    switch_catalog(&state, catalog).await
}

#[tauri::command]
#[specta::specta]
pub async fn backup_catalog(state: State<'_, AppState>, dest: String) -> Reply<()> {
    Ok(state.catalog.read().await.backup_to(&PathBuf::from(dest)).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_labels(state: State<'_, AppState>) -> Reply<Vec<Label>> {
    Ok(state.catalog.read().await.labels().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_releases(state: State<'_, AppState>, query: ReleaseQuery) -> Reply<Page<ReleaseSummary>> {
    Ok(state.catalog.read().await.releases(&query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_release(state: State<'_, AppState>, id: i64) -> Reply<ReleaseDetail> {
    Ok(state.catalog.read().await.release_detail(id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_release_field(
    state: State<'_, AppState>,
    id: i64,
    field: String,
    value: String,
) -> Reply<Release> {
    Ok(state.catalog.read().await.set_release_fields(id, &[(field, value)]).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_tracks(state: State<'_, AppState>, query: TrackQuery) -> Reply<Page<TrackSummary>> {
    Ok(state.catalog.read().await.tracks(&query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_track(state: State<'_, AppState>, id: i64) -> Reply<Track> {
    Ok(state.catalog.read().await.track(id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_track_field(
    state: State<'_, AppState>,
    id: i64,
    field: String,
    value: String,
) -> Reply<Track> {
    Ok(state.catalog.read().await.set_track_fields(id, &[(field, value)]).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_track_position(
    state: State<'_, AppState>,
    release_id: i64,
    track_id: i64,
    disc_number: i64,
    track_number: i64,
) -> Reply<()> {
    Ok(state.catalog.read().await.set_track_position(release_id, track_id, disc_number, track_number).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_contributor(
    state: State<'_, AppState>,
    target: CreditTarget,
    artist_name: String,
    role: ContributorRole,
) -> Reply<Vec<Contributor>> {
    Ok(state.catalog.read().await.add_contributor(target, &artist_name, role).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_contributor(
    state: State<'_, AppState>,
    target: CreditTarget,
    contributor_id: i64,
) -> Reply<Vec<Contributor>> {
    Ok(state.catalog.read().await.remove_contributor(target, contributor_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_writer(state: State<'_, AppState>, track_id: i64, writer: NewWriter) -> Reply<Vec<Writer>> {
    Ok(state.catalog.read().await.add_writer(track_id, &writer).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_writer(state: State<'_, AppState>, track_id: i64, writer_id: i64) -> Reply<Vec<Writer>> {
    Ok(state.catalog.read().await.remove_writer(track_id, writer_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_artist(state: State<'_, AppState>, id: i64) -> Reply<Artist> {
    Ok(state.catalog.read().await.artist(id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_artist_dsp_id(
    state: State<'_, AppState>,
    artist_id: i64,
    platform: DspPlatform,
    value: String,
) -> Reply<Artist> {
    Ok(state.catalog.read().await.set_artist_dsp_id(artist_id, platform, &value).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, text: String, limit: i64) -> Reply<Vec<SearchHit>> {
    Ok(state.catalog.read().await.search(&text, limit).await?)
}

#[tauri::command]
#[specta::specta]
pub fn field_options() -> FieldOptions {
    catno_core::field_options()
}
