//! Bulk edit commands: preview, apply and undo one change on many releases or tracks.

use catno_core::bulk::{BulkApplied, BulkEdit, BulkPreview, BulkTargets, BulkUndo};
use tauri::State;

use super::Reply;
use crate::AppState;

/// What the edit would change, item by item, with refused items; changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn preview_bulk_edit(
    state: State<'_, AppState>,
    targets: BulkTargets,
    edit: BulkEdit,
) -> Reply<BulkPreview> {
    Ok(state.catalog.read().await.preview_bulk_edit(&targets, &edit).await?)
}

/// Applies the edit in one transaction, or nothing if any item is refused.
#[tauri::command]
#[specta::specta]
pub async fn apply_bulk_edit(
    state: State<'_, AppState>,
    targets: BulkTargets,
    edit: BulkEdit,
) -> Reply<BulkApplied> {
    Ok(state.catalog.read().await.apply_bulk_edit(&targets, &edit).await?)
}

/// Restores the values before an applied edit; refused if an item was changed since.
#[tauri::command]
#[specta::specta]
pub async fn undo_bulk_edit(state: State<'_, AppState>, undo: BulkUndo) -> Reply<BulkPreview> {
    Ok(state.catalog.read().await.undo_bulk_edit(&undo).await?)
}
