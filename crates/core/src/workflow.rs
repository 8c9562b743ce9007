//! The release workflow: status transitions with their conditions (no approval with
//! validation errors or an unfinished checklist, no delivery of content changed since its
//! approval), the QC checklist, the review queue, and the audit log with "changes since".
//!
//! Who acts: each call names its actor; frontends pass the user name setting
//! ([`Catalog::user_name`]) or the OS user, and set it on the handle ([`Catalog::set_actor`])
//! so that ordinary edits are attributed too.

use std::collections::HashMap;

use catno_db::{AuditRow, TransitionRow};
use catno_domain::workflow::{CHECKLIST, check_transition, checklist_item};
use catno_domain::{FieldError, ReleaseSummary, WorkflowStatus};
use serde::{Deserialize, Serialize};

use crate::{Catalog, ChangedEntity, Error, Result};

/// The setting holding the name the audit log records for this catalog's user.
pub const KEY_USER_NAME: &str = "workflow.user_name";
/// The validation profile an approval is checked against.
pub const KEY_APPROVAL_PROFILE: &str = "workflow.approval_profile";
const DEFAULT_APPROVAL_PROFILE: &str = "generic";
/// Most audit rows one read returns.
const AUDIT_LIMIT: i64 = 5000;
/// Fields of the audit log that record the workflow itself, not the release's content.
fn is_content_field(field: &str) -> bool {
    field != "status" && !field.starts_with("check:")
}

/// The name a checklist item watches an audit row by: a track's own fields as `track.<field>`.
fn watch_key(row: &AuditRow) -> String {
    match (row.release_id, row.track_id) {
        (None, Some(_)) => format!("track.{}", row.field),
        _ => row.field.clone(),
    }
}

/// One status change of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub id: i64,
    pub release_id: i64,
    pub from: WorkflowStatus,
    pub to: WorkflowStatus,
    pub actor: String,
    pub reason: Option<String>,
    pub store: Option<String>,
    pub at: String,
}

impl From<TransitionRow> for Transition {
    fn from(row: TransitionRow) -> Self {
        Self {
            id: row.id,
            release_id: row.release_id,
            from: row.from,
            to: row.to,
            actor: row.actor,
            reason: row.reason,
            store: row.store,
            at: row.at,
        }
    }
}

/// One item of a release's QC checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChecklistEntry {
    pub id: String,
    pub label: String,
    pub help: String,
    /// Decided by Catno (validation) rather than ticked by a person.
    pub automatic: bool,
    pub done: bool,
    pub checked_by: Option<String>,
    pub checked_at: Option<String>,
    /// Ticked, but what the item looks at changed since: it needs a new look.
    pub stale: bool,
    /// For automatic items: what was found.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Checklist {
    pub release_id: i64,
    pub profile: String,
    pub items: Vec<ChecklistEntry>,
    /// Every item done and none stale: approval may go ahead.
    pub complete: bool,
}

/// One changed field, as a reviewer reads it. `before` / `after` are display text; `None`
/// means the thing did not exist (or was empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    /// Entries of one edit (one transaction) share it.
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub release_id: Option<i64>,
    pub track_id: Option<i64>,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What changed on a release since a point in its workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChangesSince {
    pub release_id: i64,
    /// `None`: that point was never reached, and `entries` are every change.
    pub since: Option<String>,
    /// What `since` is: "approval", "delivery to spotify", "DDEX export for spotify", …
    pub since_what: String,
    pub entries: Vec<AuditEntry>,
}

/// Where a release stands in the workflow, with what the reviewer needs to move it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WorkflowState {
    pub release_id: i64,
    pub status: WorkflowStatus,
    /// The statuses it may move to.
    pub next: Vec<WorkflowStatus>,
    /// Of `next`, those that need a reason.
    pub needs_reason: Vec<WorkflowStatus>,
    pub history: Vec<Transition>,
    pub checklist: Checklist,
    /// Content changes since the last approval (`None`: never approved).
    pub changes_since_approval: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    pub release: ReleaseSummary,
    /// When it entered its status, and who moved it there (`None` before any transition).
    pub since: Option<String>,
    pub by: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: WorkflowStatus,
    pub count: i64,
}

/// Releases by workflow status, those waiting longest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReviewQueue {
    /// Every status, in workflow order, with how many releases are in it.
    pub counts: Vec<StatusCount>,
    pub items: Vec<QueueEntry>,
}

/// A JSON value of the audit log as display text (`None` for JSON null).
fn display(raw: Option<&str>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(raw?).ok()?;
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// The rows as entries, with each removal that an addition of the same value undoes in the
/// same change (a rewrite such as the rights editor's replace) left out.
fn entries(rows: Vec<AuditRow>) -> Vec<AuditEntry> {
    type Key = (i64, Option<i64>, Option<i64>, String, String);
    let key = |r: &AuditRow, value: &str| -> Key {
        (r.change_id, r.release_id, r.track_id, r.field.clone(), value.to_owned())
    };
    let mut added: HashMap<Key, usize> = HashMap::new();
    let mut removed: HashMap<Key, usize> = HashMap::new();
    for row in &rows {
        match (&row.before, &row.after) {
            (None, Some(after)) => *added.entry(key(row, after)).or_default() += 1,
            (Some(before), None) => *removed.entry(key(row, before)).or_default() += 1,
            _ => {}
        }
    }
    let mut cancel: HashMap<Key, usize> = HashMap::new();
    for (k, n) in &added {
        if let Some(m) = removed.get(k) {
            cancel.insert(k.clone(), (*n).min(*m));
        }
    }
    let mut skip_added = cancel.clone();
    let mut skip_removed = cancel;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let skip = match (&row.before, &row.after) {
            (None, Some(after)) => take(&mut skip_added, key(&row, after)),
            (Some(before), None) => take(&mut skip_removed, key(&row, before)),
            _ => false,
        };
        if !skip {
            out.push(AuditEntry {
                id: row.id,
                change_id: row.change_id,
                at: row.at,
                actor: row.actor,
                release_id: row.release_id,
                track_id: row.track_id,
                before: display(row.before.as_deref()),
                after: display(row.after.as_deref()),
                field: row.field,
            });
        }
    }
    out
}

fn take<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: K) -> bool {
    match counts.get_mut(&key) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    }
}

fn clean_actor(actor: &str) -> Result<String> {
    let actor = actor.trim();
    if actor.is_empty() {
        return Err(FieldError::new("actor", "name who is acting (a user name)").into());
    }
    catno_domain::no_control_characters("actor", actor)?;
    Ok(actor.to_owned())
}

impl Catalog {
    /// Names who makes the changes written through this handle (and its clones) from now on.
    pub fn set_actor(&self, name: &str) {
        self.db().set_actor(name);
    }

    /// Who the audit log names for writes through this handle.
    pub fn actor(&self) -> String {
        self.db().actor()
    }

    /// The user name set for this catalog, if any.
    pub async fn user_name(&self) -> Result<Option<String>> {
        Ok(catno_db::get_setting(&mut *self.db().read().await?, KEY_USER_NAME).await?)
    }

    /// Sets (or with an empty name, clears) the user name, and acts under it from now on.
    pub async fn set_user_name(&self, name: &str) -> Result<()> {
        let name = name.trim();
        if !name.is_empty() {
            catno_domain::no_control_characters("user name", name)?;
        }
        let mut tx = self.db().begin().await?;
        catno_db::set_setting(&mut tx, KEY_USER_NAME, (!name.is_empty()).then_some(name)).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        if !name.is_empty() {
            self.set_actor(name);
        }
        Ok(())
    }

    /// Acts as the user name setting, or as `fallback` (the OS user) when none is set.
    /// Returns the name in use.
    pub async fn act_as_user(&self, fallback: &str) -> Result<String> {
        let name = self.user_name().await?.unwrap_or_else(|| fallback.trim().to_owned());
        self.set_actor(&name);
        Ok(self.actor())
    }

    /// Sets the validation profile approvals are checked against (`generic` by default).
    pub async fn set_approval_profile(&self, profile_id: &str) -> Result<String> {
        let profile = catno_validate::Profile::named(profile_id)
            .map_err(|e| FieldError::new("approval profile", e.to_string()))?;
        let mut tx = self.db().begin().await?;
        catno_db::set_setting(&mut tx, KEY_APPROVAL_PROFILE, Some(&profile.id)).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(profile.id)
    }

    /// The validation profile approvals are checked against.
    pub async fn approval_profile(&self) -> Result<String> {
        Ok(catno_db::get_setting(&mut *self.db().read().await?, KEY_APPROVAL_PROFILE)
            .await?
            .unwrap_or_else(|| DEFAULT_APPROVAL_PROFILE.to_owned()))
    }

    /// Moves a release to `to` as `actor`. Refused when the state machine does not allow it,
    /// when a rejection or take-down has no reason, when approving a release with validation
    /// errors or an unfinished checklist, and when queueing content changed since its
    /// approval. `store` names the store of a delivery (`Delivered`).
    pub async fn transition(
        &self,
        release_id: i64,
        to: WorkflowStatus,
        actor: &str,
        reason: Option<&str>,
        store: Option<&str>,
    ) -> Result<Transition> {
        let actor = clean_actor(actor)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(reason) = reason {
            catno_domain::no_control_characters("reason", reason)?;
        }
        let store = store.map(str::trim).filter(|s| !s.is_empty());
        if store.is_some() && to != WorkflowStatus::Delivered {
            return Err(FieldError::new("store", "only a delivery names a store").into());
        }
        let (from, mark) = {
            let mut conn = self.db().read().await?;
            (catno_db::release_status(&mut conn, release_id).await?, catno_db::audit_mark(&mut conn).await?)
        };
        check_transition(from, to, reason).map_err(|e| Error::Invalid(e.to_string()))?;
        match to {
            WorkflowStatus::Approved if from == WorkflowStatus::InReview => {
                self.check_approvable(release_id).await?;
            }
            WorkflowStatus::Queued => self.check_unchanged_since_approval(release_id).await?,
            _ => {}
        }
        let mut tx = self.db().begin_as(&actor).await?;
        // The checks above read the release as of `mark`; an edit committed since then was
        // not checked.
        let changed = catno_db::release_audit(&mut tx, release_id, mark, AUDIT_LIMIT).await?;
        if changed.iter().any(|r| is_content_field(&r.field) || r.field == "status") {
            return Err(catno_db::DbError::Conflict(format!(
                "release {release_id} changed while it was being checked; try again"
            ))
            .into());
        }
        let row = catno_db::record_transition(&mut tx, release_id, from, to, &actor, reason, store).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        Ok(row.into())
    }

    async fn check_approvable(&self, release_id: i64) -> Result<()> {
        let profile = self.approval_profile().await?;
        let report = self.validate_release(release_id, &profile).await?;
        if report.errors > 0 {
            let first: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == crate::validate::Severity::Error)
                .take(3)
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            let more = report.errors.saturating_sub(first.len());
            return Err(Error::Invalid(format!(
                "release {release_id} cannot be approved: {} validation error{} ({profile} profile): {}{}",
                report.errors,
                if report.errors == 1 { "" } else { "s" },
                first.join("; "),
                if more > 0 { format!("; and {more} more") } else { String::new() }
            )));
        }
        let checklist = self.checklist(release_id).await?;
        let open: Vec<String> = checklist
            .items
            .iter()
            .filter(|i| !i.automatic && (!i.done || i.stale))
            .map(|i| if i.stale { format!("{} (changed since ticked)", i.label) } else { i.label.clone() })
            .collect();
        if !open.is_empty() {
            return Err(Error::Invalid(format!(
                "release {release_id} cannot be approved: QC checklist not done: {}",
                open.join("; ")
            )));
        }
        Ok(())
    }

    async fn check_unchanged_since_approval(&self, release_id: i64) -> Result<()> {
        let changes = self.changes_since(release_id, Since::Approval).await?;
        if changes.since.is_none() {
            return Err(Error::Invalid(format!("release {release_id} was never approved")));
        }
        let content: Vec<&AuditEntry> =
            changes.entries.iter().filter(|e| is_content_field(&e.field)).collect();
        if !content.is_empty() {
            let mut fields: Vec<&str> = content.iter().map(|e| e.field.as_str()).collect();
            fields.sort_unstable();
            fields.dedup();
            return Err(Error::Invalid(format!(
                "release {release_id} changed since it was approved ({} change{}: {}); submit it for review again",
                content.len(),
                if content.len() == 1 { "" } else { "s" },
                fields.join(", ")
            )));
        }
        Ok(())
    }

    /// The release's status, where it may go, its history and checklist.
    pub async fn workflow_state(&self, release_id: i64) -> Result<WorkflowState> {
        let (status, history) = {
            let mut conn = self.db().read().await?;
            let status = catno_db::release_status(&mut conn, release_id).await?;
            let history = catno_db::release_transitions(&mut conn, release_id).await?;
            (status, history)
        };
        let checklist = self.checklist(release_id).await?;
        let since = self.changes_since(release_id, Since::Approval).await?;
        let changes_since_approval = since
            .since
            .is_some()
            .then(|| since.entries.iter().filter(|e| is_content_field(&e.field)).count() as i64);
        let next = status.next();
        Ok(WorkflowState {
            release_id,
            status,
            needs_reason: next.iter().copied().filter(|s| s.needs_reason()).collect(),
            next,
            history: history.into_iter().map(Transition::from).collect(),
            checklist,
            changes_since_approval,
        })
    }

    /// The checklist: validation under the approval profile, then the manual items with who
    /// ticked them and whether a later change made the tick stale.
    pub async fn checklist(&self, release_id: i64) -> Result<Checklist> {
        let profile = self.approval_profile().await?;
        let report = self.validate_release(release_id, &profile).await?;
        let mut conn = self.db().read().await?;
        let ticks = catno_db::release_checks(&mut conn, release_id).await?;
        let oldest = ticks.iter().map(|t| t.audit_mark).min().unwrap_or(i64::MAX);
        let later = if ticks.is_empty() {
            Vec::new()
        } else {
            catno_db::release_audit(&mut conn, release_id, oldest, AUDIT_LIMIT).await?
        };
        drop(conn);
        let mut items = vec![ChecklistEntry {
            id: "validation".into(),
            label: format!("Validation passes ({profile} profile)"),
            help: "No validation errors. Warnings need a look but do not block approval.".into(),
            automatic: true,
            done: report.errors == 0,
            checked_by: None,
            checked_at: None,
            stale: false,
            detail: Some(format!(
                "{} error{}, {} warning{}",
                report.errors,
                if report.errors == 1 { "" } else { "s" },
                report.warnings,
                if report.warnings == 1 { "" } else { "s" }
            )),
        }];
        for item in CHECKLIST {
            let tick = ticks.iter().find(|t| t.item == item.id);
            let stale = tick.is_some_and(|t| {
                later.iter().any(|r| r.id > t.audit_mark && item.watches_field(&watch_key(r)))
            });
            items.push(ChecklistEntry {
                id: item.id.into(),
                label: item.label.into(),
                help: item.help.into(),
                automatic: false,
                done: tick.is_some(),
                checked_by: tick.map(|t| t.checked_by.clone()),
                checked_at: tick.map(|t| t.checked_at.clone()),
                stale,
                detail: None,
            });
        }
        let complete = items.iter().all(|i| i.done && !i.stale);
        Ok(Checklist { release_id, profile, items, complete })
    }

    /// Ticks (`checked`) or unticks a manual checklist item as `actor`.
    pub async fn set_check(
        &self,
        release_id: i64,
        item: &str,
        checked: bool,
        actor: &str,
    ) -> Result<Checklist> {
        let actor = clean_actor(actor)?;
        if checklist_item(item).is_none() {
            let known = CHECKLIST.iter().map(|i| i.id).collect::<Vec<_>>().join(", ");
            return Err(
                FieldError::new("item", format!("unknown checklist item {item:?}; known: {known}")).into()
            );
        }
        let mut tx = self.db().begin_as(&actor).await?;
        catno_db::release_exists(&mut tx, release_id).await?;
        if checked {
            catno_db::tick_check(&mut tx, release_id, item, &actor).await?;
        } else {
            catno_db::untick_check(&mut tx, release_id, item).await?;
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        self.checklist(release_id).await
    }

    /// The audit log of a release (its fields and the tracks now on it), newest first.
    pub async fn audit_log(&self, release_id: i64) -> Result<Vec<AuditEntry>> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        Ok(entries(catno_db::release_audit(&mut conn, release_id, 0, AUDIT_LIMIT).await?))
    }

    /// What changed on a release since its last approval or delivery.
    pub async fn changes_since(&self, release_id: i64, since: Since) -> Result<ChangesSince> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        let (mark, at, since_what) = match &since {
            Since::Approval => {
                let t = catno_db::last_transition_to(&mut conn, release_id, WorkflowStatus::Approved, None)
                    .await?;
                (t.as_ref().map(|t| t.audit_mark), t.map(|t| t.at), "approval".to_owned())
            }
            Since::Delivery { store } => {
                let store = store.as_deref();
                let delivered =
                    catno_db::last_transition_to(&mut conn, release_id, WorkflowStatus::Delivered, store)
                        .await?;
                let exported = catno_db::ddex_exported_at(&mut conn, release_id, store).await?;
                let exported_mark = match &exported {
                    Some(at) => Some(catno_db::audit_mark_at(&mut conn, at).await?),
                    None => None,
                };
                let what = |kind: &str| match store {
                    Some(s) => format!("{kind} to {s}"),
                    None => kind.to_owned(),
                };
                // The later of the two: a delivery marked by hand, or a DDEX batch written.
                match (delivered, exported_mark.zip(exported)) {
                    (Some(d), Some((m, at))) if m > d.audit_mark => (Some(m), Some(at), what("DDEX export")),
                    (Some(d), _) => (Some(d.audit_mark), Some(d.at), what("delivery")),
                    (None, Some((m, at))) => (Some(m), Some(at), what("DDEX export")),
                    (None, None) => (None, None, what("delivery")),
                }
            }
        };
        let rows = catno_db::release_audit(&mut conn, release_id, mark.unwrap_or(0), AUDIT_LIMIT).await?;
        Ok(ChangesSince { release_id, since: at, since_what, entries: entries(rows) })
    }

    /// Releases in `status` (all when `None`), waiting longest first, with counts per status.
    pub async fn review_queue(&self, status: Option<WorkflowStatus>, limit: i64) -> Result<ReviewQueue> {
        let (_, limit) = crate::page_bounds(0, limit)?;
        let mut conn = self.db().read().await?;
        let counts = catno_db::status_counts(&mut conn).await?;
        let items = catno_db::releases_in_status(&mut conn, status, limit).await?;
        Ok(ReviewQueue {
            counts: WorkflowStatus::ALL
                .iter()
                .map(|s| StatusCount {
                    status: *s,
                    count: counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n),
                })
                .collect(),
            items: items
                .into_iter()
                .map(|q| QueueEntry { release: q.summary, since: q.since, by: q.by, reason: q.reason })
                .collect(),
        })
    }
}

/// The point "changes since" counts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Since {
    /// The last approval.
    Approval,
    /// The last delivery (a `Delivered` transition or a DDEX export), to `store` or any.
    Delivery { store: Option<String> },
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(id: i64, change: i64, field: &str, before: Option<&str>, after: Option<&str>) -> AuditRow {
        AuditRow {
            id,
            change_id: change,
            at: "2026-01-01T00:00:00.000Z".into(),
            actor: "a".into(),
            release_id: Some(1),
            track_id: None,
            artist_id: None,
            field: field.into(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
        }
    }

    #[test]
    fn a_rewrite_shows_only_what_really_changed() {
        let rows = vec![
            row(1, 7, "rights", Some("\"include Worldwide\""), None),
            row(2, 7, "rights", Some("\"exclude DE\""), None),
            row(3, 7, "rights", None, Some("\"include Worldwide\"")),
            row(4, 7, "rights", None, Some("\"exclude FR\"")),
            // Same value in another change is a real removal and re-addition.
            row(5, 8, "rights", None, Some("\"exclude DE\"")),
            row(6, 8, "title", Some("\"A\""), Some("null")),
        ];
        let out = entries(rows);
        let ids: Vec<i64> = out.iter().map(|e| e.id).collect();
        assert_eq!(ids, [2, 4, 5, 6]);
        assert_eq!(out[0].before.as_deref(), Some("exclude DE"));
        assert_eq!(out[3].after, None);
        assert_eq!(display(Some("1")), Some("1".into()));
    }
}
