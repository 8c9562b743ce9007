//! Territory rights commands: the matrix editor's reads and writes.

use catno_core::rights::engine::{
    ReleaseRights, RightsEdit, Store, StoreId, Territory, TerritoryGroup, Use, parse_date,
};
use catno_core::rights::{RightsAnswer, RightsGrid, RightsView, RightsVocabulary};
use tauri::State;

use super::Reply;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_rights(state: State<'_, AppState>, release_id: i64) -> Reply<RightsView> {
    Ok(state.catalog.read().await.rights(release_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn rights_vocabulary(state: State<'_, AppState>) -> Reply<RightsVocabulary> {
    Ok(state.catalog.read().await.rights_vocabulary().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn edit_rights(state: State<'_, AppState>, release_id: i64, edit: RightsEdit) -> Reply<RightsView> {
    Ok(state.catalog.read().await.edit_rights(release_id, edit).await?)
}

/// Bulk edits and undo send the whole rule set; it is saved in one transaction or not at all.
#[tauri::command]
#[specta::specta]
pub async fn replace_rights(
    state: State<'_, AppState>,
    release_id: i64,
    rights: ReleaseRights,
) -> Reply<RightsView> {
    Ok(state.catalog.read().await.replace_rights(release_id, rights).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn rights_grid(
    state: State<'_, AppState>,
    release_id: i64,
    store: StoreId,
    usage: Use,
) -> Reply<RightsGrid> {
    Ok(state.catalog.read().await.rights_grid(release_id, store, usage).await?)
}

/// `track` is the 1-based position on the release, `None` for the release itself.
#[tauri::command]
#[specta::specta]
pub async fn explain_rights(
    state: State<'_, AppState>,
    release_id: i64,
    track: Option<u32>,
    territory: Territory,
    store: StoreId,
    usage: Use,
    date: String,
) -> Reply<RightsAnswer> {
    let date = parse_date(&date).map_err(catno_core::Error::from)?;
    Ok(state.catalog.read().await.explain_rights(release_id, track, territory, store, usage, date).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn define_territory_group(
    state: State<'_, AppState>,
    name: String,
    territories: Vec<String>,
) -> Reply<TerritoryGroup> {
    Ok(state.catalog.read().await.define_territory_group(&name, &territories).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_store(state: State<'_, AppState>, id: String, name: String) -> Reply<Store> {
    Ok(state.catalog.read().await.add_store(&id, &name).await?)
}
