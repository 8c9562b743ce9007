//! Bulk import and export: column mappings, the import's dry run and its write as a job, folder
//! import, CSV/XLSX export as a job, and a release's label copy or split sheet as PDF.
//! Paths come from the UI's file dialogs. Progress reaches the UI as `job-progress` events
//! (kinds `import` and `export`); `cancel_job` cancels them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use catno_core::jobs::Jobs;
use catno_core::transfer::{
    self, ColumnMapping, EXPORT_JOB_KIND, ExportFormat, ExportLayout, ExportScope, ExportSummary,
    FolderImport, FolderPlan, IMPORT_JOB_KIND, ImportPlan, ImportSummary, PdfKind, PdfSummary,
};
use catno_core::{Catalog, Error};
use tauri::State;

use super::Reply;
use crate::AppState;

/// Every target a column can feed, for the mapping step's pickers.
#[tauri::command]
#[specta::specta]
pub async fn import_targets() -> Reply<Vec<String>> {
    Ok(ColumnMapping::targets())
}

/// The mapping Catno proposes from the file's header row.
#[tauri::command]
#[specta::specta]
pub async fn propose_mapping(path: String) -> Reply<ColumnMapping> {
    // Reading a workbook's header can mean unzipping it: off the async threads.
    let mapping = tauri::async_runtime::spawn_blocking(move || Catalog::propose_mapping(Path::new(&path)))
        .await
        .map_err(|e| Error::Invalid(format!("reading the header stopped: {e}")))??;
    Ok(mapping)
}

/// The names of the mappings saved in the catalog.
#[tauri::command]
#[specta::specta]
pub async fn saved_mappings(state: State<'_, AppState>) -> Reply<Vec<String>> {
    Ok(state.catalog.read().await.saved_mappings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn saved_mapping(state: State<'_, AppState>, name: String) -> Reply<ColumnMapping> {
    Ok(state.catalog.read().await.saved_mapping(&name).await?)
}

/// Saves (or replaces) a mapping under `name`; returns the saved names.
#[tauri::command]
#[specta::specta]
pub async fn save_mapping(
    state: State<'_, AppState>,
    name: String,
    mapping: ColumnMapping,
) -> Reply<Vec<String>> {
    let catalog = state.catalog.read().await.clone();
    catalog.save_mapping(&name, &mapping).await?;
    Ok(catalog.saved_mappings().await?)
}

/// The dry run: what the file would create or update, and every problem. Writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn plan_import(
    state: State<'_, AppState>,
    path: String,
    mapping: Option<ColumnMapping>,
) -> Reply<ImportPlan> {
    let catalog = state.catalog.read().await.clone();
    Ok(catalog.plan_import(Path::new(&path), mapping.as_ref()).await?)
}

/// Imports the file in one transaction as a job of kind `import`; resolves when it ends.
/// `null` when it was cancelled (nothing written).
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    path: String,
    mapping: Option<ColumnMapping>,
) -> Reply<Option<ImportSummary>> {
    let catalog = state.catalog.read().await.clone();
    let job = jobs.start(IMPORT_JOB_KIND, 0);
    Ok(catalog.import_job(&job, Path::new(&path), mapping.as_ref()).await?)
}

/// The dry run of a folder import: which file would be attached where.
#[tauri::command]
#[specta::specta]
pub async fn plan_folder_import(state: State<'_, AppState>, folder: String) -> Reply<FolderPlan> {
    let catalog = state.catalog.read().await.clone();
    Ok(catalog.plan_folder_import(Path::new(&folder)).await?)
}

/// Attaches every matched file of the folder and starts its QC under `profile_id`; nothing is
/// attached when the plan has problems. The files' folders become previewable.
#[tauri::command]
#[specta::specta]
pub async fn import_folder(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    folder: String,
    profile_id: String,
) -> Reply<FolderImport> {
    let catalog = state.catalog.read().await.clone();
    let imported = catalog.import_folder(&jobs, Path::new(&folder), &profile_id).await?;
    let folders: BTreeSet<&Path> =
        imported.attached.iter().filter_map(|a| Path::new(&a.asset.path).parent()).collect();
    for folder in folders {
        (state.allow_media)(folder);
    }
    Ok(imported)
}

/// Writes the releases of `scope` to `out` as a job of kind `export`; resolves when it ends,
/// `null` when it was cancelled (no file written).
#[tauri::command]
#[specta::specta]
pub async fn export_catalog(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    format: ExportFormat,
    layout: ExportLayout,
    scope: ExportScope,
    out: String,
) -> Reply<Option<ExportSummary>> {
    let catalog = state.catalog.read().await.clone();
    let job = jobs.start(EXPORT_JOB_KIND, 0);
    Ok(catalog.export_job(&job, format, layout, scope, &PathBuf::from(out)).await?)
}

/// Writes one release's label copy or split sheet as PDF with the fonts found on this machine.
#[tauri::command]
#[specta::specta]
pub async fn export_release_pdf(
    state: State<'_, AppState>,
    kind: PdfKind,
    release_id: i64,
    out: String,
) -> Reply<PdfSummary> {
    let catalog = state.catalog.read().await.clone();
    Ok(catalog.export_pdf(kind, release_id, &transfer::existing_fonts(), &PathBuf::from(out)).await?)
}
