//! Validation, the release workflow, the QC checklist and the audit log. Transitions, ticks
//! and edits are made as the catalog's user (the user name setting, else the OS user; see
//! `crate::attach_catalog`).

use catno_core::domain::WorkflowStatus;
use catno_core::validate::{Finding, RuleDoc, ValidationReport};
use catno_core::workflow::{
    AuditEntry, ChangesSince, Checklist, ReviewQueue, Since, Transition, WorkflowState,
};
use tauri::State;

use super::Reply;
use crate::AppState;

/// The release's findings under a delivery profile (`generic`, `spotify`, …).
#[tauri::command]
#[specta::specta]
pub async fn validate_release(
    state: State<'_, AppState>,
    release_id: i64,
    profile_id: String,
) -> Reply<ValidationReport> {
    Ok(state.catalog.read().await.validate_release(release_id, &profile_id).await?)
}

/// Every rule of the validation pack, for the in-app documentation.
#[tauri::command]
#[specta::specta]
pub fn validation_rules() -> Vec<RuleDoc> {
    catno_core::validate::validation_rules()
}

/// The delivery profiles validation can run under, as `(id, name)`.
#[tauri::command]
#[specta::specta]
pub fn validation_profiles() -> Vec<(String, String)> {
    catno_core::validate::validation_profiles().into_iter().map(|p| (p.id, p.name)).collect()
}

/// Applies a finding's safe fix through the ordinary edit path.
#[tauri::command]
#[specta::specta]
pub async fn apply_autofix(state: State<'_, AppState>, release_id: i64, finding: Finding) -> Reply<()> {
    Ok(state.catalog.read().await.apply_autofix(release_id, &finding).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn workflow_state(state: State<'_, AppState>, release_id: i64) -> Reply<WorkflowState> {
    Ok(state.catalog.read().await.workflow_state(release_id).await?)
}

/// Moves a release to `to` as the catalog's user.
#[tauri::command]
#[specta::specta]
pub async fn transition_release(
    state: State<'_, AppState>,
    release_id: i64,
    to: WorkflowStatus,
    reason: Option<String>,
    store: Option<String>,
) -> Reply<Transition> {
    let catalog = state.catalog.read().await;
    let actor = catalog.actor();
    Ok(catalog.transition(release_id, to, &actor, reason.as_deref(), store.as_deref()).await?)
}

/// Ticks or unticks a manual checklist item as the catalog's user.
#[tauri::command]
#[specta::specta]
pub async fn set_check(
    state: State<'_, AppState>,
    release_id: i64,
    item: String,
    checked: bool,
) -> Reply<Checklist> {
    let catalog = state.catalog.read().await;
    let actor = catalog.actor();
    Ok(catalog.set_check(release_id, &item, checked, &actor).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn audit_log(state: State<'_, AppState>, release_id: i64) -> Reply<Vec<AuditEntry>> {
    Ok(state.catalog.read().await.audit_log(release_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn changes_since(state: State<'_, AppState>, release_id: i64, since: Since) -> Reply<ChangesSince> {
    Ok(state.catalog.read().await.changes_since(release_id, since).await?)
}

/// Releases in `status` (all when null), those waiting longest first.
#[tauri::command]
#[specta::specta]
pub async fn review_queue(
    state: State<'_, AppState>,
    status: Option<WorkflowStatus>,
    limit: i64,
) -> Reply<ReviewQueue> {
    Ok(state.catalog.read().await.review_queue(status, limit).await?)
}

/// The name the audit log records for this user.
#[tauri::command]
#[specta::specta]
pub async fn get_user_name(state: State<'_, AppState>) -> Reply<String> {
    Ok(state.catalog.read().await.actor())
}

/// Sets the user name (empty: back to the OS user) and returns the name now in use.
#[tauri::command]
#[specta::specta]
pub async fn set_user_name(state: State<'_, AppState>, name: String) -> Reply<String> {
    let catalog = state.catalog.read().await;
    catalog.set_user_name(&name).await?;
    Ok(catalog.act_as_user(&crate::os_user()).await?)
}
