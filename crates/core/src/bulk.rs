//! Bulk edits: one change applied to many releases or tracks, previewed first, written in one
//! transaction, and undone as a whole.
//!
//! Every operation goes through the same parsers and `catno_db` writes as the single-item
//! editors (`ReleaseEdit::parse`, `TrackEdit::parse`, `add_credit`, `replace_release_rights`),
//! so a bulk edit refuses exactly what the editor refuses, with the same message, and the audit
//! log and sync outbox triggers see each changed row like any other edit.
//!
//! The preview runs the real edit inside a write transaction and rolls it back, so what it
//! shows (canonical after-values, a UPC already used by an earlier item of the same selection,
//! a territory preset that would break the subset rule) is exactly what applying would do.
//! Applying commits only if no item is refused; one refused item aborts the whole edit and the
//! error names it.
//!
//! Undo needs no storage: [`BulkApplied::undo`] carries each changed item's value before and
//! after, as text the same parsers read back. Undoing restores the before values in one
//! transaction, and is refused (nothing changed) if any item no longer has its after value,
//! i.e. it was edited since. The frontend keeps the record for as long as it offers the undo.
//!
//! Territory presets: the rights model stores rules per release and names territories as the
//! rights editor takes them (`Worldwide`, a built-in or user group such as `EU`, codes such as
//! `JP, KR`, or a mix). A preset is such an expression to include (empty: Worldwide) and
//! optionally one to exclude; applying it replaces the release-level rules with an `include`
//! rule and, if given, an `exclude` rule, on every store and use. Track overrides are kept, and
//! a release whose track rules would then try to make a track more available than the release
//! is refused, as [`Catalog::replace_rights`] refuses it.
//!
//! Contributors: on selected releases the edit adds or removes a release artist, on selected
//! tracks a track contributor. Removing takes every credit of that artist in that role; undoing
//! a removal credits the artist again, after the existing credits.

use catno_db::{Connection, CreditOwner, DbError};
use catno_domain::{ContributorRole, FieldError, Release, ReleaseEdit, RightsLine, Track, TrackEdit};
use catno_rights::{ReleaseRights, Rule};
use serde::{Deserialize, Serialize};

use crate::{Catalog, ChangedEntity, Error, Result};

/// What a bulk edit does to each selected item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum BulkEdit {
    /// A release field by the editor's name (`genre`, `p_line`, `title@ja`, ...); needs
    /// releases selected.
    SetReleaseField {
        field: String,
        value: String,
    },
    /// A track field by the editor's name; on selected releases, every track of them.
    SetTrackField {
        field: String,
        value: String,
    },
    AddContributor {
        artist: String,
        role: ContributorRole,
    },
    RemoveContributor {
        artist: String,
        role: ContributorRole,
    },
    ChangeLabel {
        #[serde(rename = "labelId")]
        label_id: i64,
    },
    /// Replaces the release-level rights rules with a rule including `include` (`Worldwide`,
    /// a group, codes, as the rights editor reads them; empty: Worldwide) and, unless empty,
    /// one excluding `exclude`, on every store and use.
    ApplyTerritoryPreset {
        include: String,
        exclude: String,
    },
}

/// The selection a bulk edit applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BulkTargets {
    Releases { ids: Vec<i64> },
    Tracks { ids: Vec<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum BulkItemKind {
    Release,
    Track,
}

/// One release or track of the selection, named for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub kind: BulkItemKind,
    pub id: i64,
    /// The title (empty when the item does not exist).
    pub name: String,
}

impl std::fmt::Display for BulkItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            BulkItemKind::Release => "release",
            BulkItemKind::Track => "track",
        };
        if self.name.is_empty() {
            write!(f, "{kind} {}", self.id)
        } else {
            write!(f, "{kind} \"{}\"", self.name)
        }
    }
}

/// One item's value before and after, as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkChange {
    pub item: BulkItem,
    pub field: String,
    pub before: String,
    pub after: String,
}

/// An item the edit cannot be applied to, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkRefusal {
    pub item: BulkItem,
    pub field: String,
    pub message: String,
}

/// What an edit would do: items that change, items already at the value, refused items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkPreview {
    pub changes: Vec<BulkChange>,
    pub unchanged: Vec<BulkItem>,
    pub refusals: Vec<BulkRefusal>,
}

/// One changed item's stored value before and after, as text the editors' parsers read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkUndoEntry {
    pub item: BulkItem,
    pub before: String,
    pub after: String,
}

/// Everything needed to undo one applied bulk edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkUndo {
    pub edit: BulkEdit,
    pub entries: Vec<BulkUndoEntry>,
}

/// An applied bulk edit: what changed, and how to undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulkApplied {
    pub preview: BulkPreview,
    pub undo: BulkUndo,
}

/// One item's state for an operation: `stored` is what undo compares and restores.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    stored: String,
    shown: String,
}

/// A bulk edit resolved to one write per item.
#[derive(Debug, Clone)]
enum Op {
    Release {
        field: String,
        edit: ReleaseEdit,
    },
    Track {
        field: String,
        edit: TrackEdit,
    },
    /// `track`: a track contributor, else a release artist.
    Credit {
        artist: String,
        role: ContributorRole,
        present: bool,
        track: bool,
    },
    ReleaseRules(Vec<Rule>),
}

const CREDITED: &str = "credited";
const NOT_CREDITED: &str = "not credited";

impl Op {
    fn field(&self) -> String {
        match self {
            Op::Release { field, .. } | Op::Track { field, .. } => field.clone(),
            Op::Credit { .. } => "contributors".into(),
            Op::ReleaseRules(_) => "territories".into(),
        }
    }

    /// The operation that puts an item back to a stored state (undo).
    fn restoring(edit: &BulkEdit, item: &BulkItem, stored: &str) -> Result<Self> {
        Ok(match edit {
            BulkEdit::SetReleaseField { field, .. } => {
                Op::Release { field: field.clone(), edit: ReleaseEdit::parse(field, stored)? }
            }
            BulkEdit::ChangeLabel { .. } => {
                Op::Release { field: "label_id".into(), edit: ReleaseEdit::parse("label_id", stored)? }
            }
            BulkEdit::SetTrackField { field, .. } => {
                Op::Track { field: field.clone(), edit: TrackEdit::parse(field, stored)? }
            }
            BulkEdit::AddContributor { artist, role } | BulkEdit::RemoveContributor { artist, role } => {
                Op::Credit {
                    artist: artist.trim().to_owned(),
                    role: *role,
                    present: stored == CREDITED,
                    track: item.kind == BulkItemKind::Track,
                }
            }
            BulkEdit::ApplyTerritoryPreset { .. } => Op::ReleaseRules(
                serde_json::from_str(stored).map_err(|e| Error::Invalid(format!("undo record: {e}")))?,
            ),
        })
    }
}

impl Catalog {
    /// What `edit` would change on `targets`, item by item, without changing anything.
    pub async fn preview_bulk_edit(&self, targets: &BulkTargets, edit: &BulkEdit) -> Result<BulkPreview> {
        let mut tx = self.db().begin().await?;
        let run = run_edit(&mut tx, targets, edit).await;
        tx.rollback().await.map_err(DbError::from)?;
        Ok(run?.preview)
    }

    /// Applies `edit` to every item of `targets` in one transaction. Nothing is written if any
    /// item is refused; the error names the item, the field and the reason.
    pub async fn apply_bulk_edit(&self, targets: &BulkTargets, edit: &BulkEdit) -> Result<BulkApplied> {
        let mut tx = self.db().begin().await?;
        let run = match run_edit(&mut tx, targets, edit).await {
            Ok(run) => run,
            Err(e) => {
                tx.rollback().await.map_err(DbError::from)?;
                return Err(e);
            }
        };
        if let Some(first) = run.preview.refusals.first() {
            tx.rollback().await.map_err(DbError::from)?;
            return Err(refused(first, run.preview.refusals.len()));
        }
        tx.commit().await.map_err(DbError::from)?;
        self.announce_items(run.preview.changes.iter().map(|c| &c.item));
        Ok(BulkApplied { undo: BulkUndo { edit: edit.clone(), entries: run.entries }, preview: run.preview })
    }

    /// Puts every item of an applied bulk edit back to its value before, in one transaction.
    /// Refused, with nothing changed, when an item was changed since (its value is no longer
    /// the one the edit left).
    pub async fn undo_bulk_edit(&self, undo: &BulkUndo) -> Result<BulkPreview> {
        let mut tx = self.db().begin().await?;
        let result = undo_entries(&mut tx, undo).await;
        let preview = match result {
            Ok(preview) if preview.refusals.is_empty() => preview,
            Ok(preview) => {
                tx.rollback().await.map_err(DbError::from)?;
                let first = &preview.refusals[0];
                let others = preview.refusals.len() - 1;
                let more = if others > 0 { format!(" (and {others} more)") } else { String::new() };
                return Err(Error::Db(DbError::Conflict(format!(
                    "cannot undo: {} {}: {}{more}; nothing was changed",
                    first.item, first.field, first.message
                ))));
            }
            Err(e) => {
                tx.rollback().await.map_err(DbError::from)?;
                return Err(e);
            }
        };
        tx.commit().await.map_err(DbError::from)?;
        self.announce_items(preview.changes.iter().map(|c| &c.item));
        Ok(preview)
    }

    fn announce_items<'a>(&self, items: impl Iterator<Item = &'a BulkItem>) {
        let (mut releases, mut tracks) = (Vec::new(), Vec::new());
        for item in items {
            match item.kind {
                BulkItemKind::Release => releases.push(item.id),
                BulkItemKind::Track => tracks.push(item.id),
            }
        }
        if !releases.is_empty() {
            self.announce(ChangedEntity::Release, releases);
        }
        if !tracks.is_empty() {
            self.announce(ChangedEntity::Track, tracks);
        }
    }
}

fn refused(first: &BulkRefusal, count: usize) -> Error {
    let others = count - 1;
    let more = if others > 0 { format!(" (and {others} more refused)") } else { String::new() };
    Error::Invalid(format!("{} {}: {}{more}; nothing was changed", first.item, first.field, first.message))
}

struct Run {
    preview: BulkPreview,
    entries: Vec<BulkUndoEntry>,
}

/// Applies the edit item by item inside `tx`, collecting changes and refusals; the caller
/// commits or rolls back.
async fn run_edit(tx: &mut Connection, targets: &BulkTargets, edit: &BulkEdit) -> Result<Run> {
    let op = resolve(tx, edit, matches!(targets, BulkTargets::Tracks { .. })).await?;
    let items = items_for(tx, targets, &op).await?;
    if items.is_empty() {
        return Err(Error::Invalid("select at least one release or track".into()));
    }
    let mut run = Run {
        preview: BulkPreview { changes: Vec::new(), unchanged: Vec::new(), refusals: Vec::new() },
        entries: Vec::new(),
    };
    for (kind, id) in items {
        let mut item = BulkItem { kind, id, name: String::new() };
        let field = op.field();
        let step = async {
            item.name = item_name(tx, kind, id).await?;
            let before = read_state(tx, &op, id).await?;
            write_state(tx, &op, id).await?;
            let after = read_state(tx, &op, id).await?;
            Ok::<_, Error>((before, after))
        };
        match refusal(step.await)? {
            Ok((before, after)) if before.stored == after.stored => run.preview.unchanged.push(item),
            Ok((before, after)) => {
                run.entries.push(BulkUndoEntry {
                    item: item.clone(),
                    before: before.stored,
                    after: after.stored,
                });
                run.preview.changes.push(BulkChange {
                    item,
                    field,
                    before: before.shown,
                    after: after.shown,
                });
            }
            Err(message) => run.preview.refusals.push(BulkRefusal { item, field, message }),
        }
    }
    Ok(run)
}

async fn undo_entries(tx: &mut Connection, undo: &BulkUndo) -> Result<BulkPreview> {
    let mut preview = BulkPreview { changes: Vec::new(), unchanged: Vec::new(), refusals: Vec::new() };
    for entry in &undo.entries {
        let item = entry.item.clone();
        let op = Op::restoring(&undo.edit, &item, &entry.before)?;
        let field = op.field();
        let step = async {
            let now = read_state(tx, &op, item.id).await?;
            if now.stored != entry.after {
                return Ok(Err(format!("changed since the bulk edit (now {})", shown_or_empty(&now.shown))));
            }
            write_state(tx, &op, item.id).await?;
            let restored = read_state(tx, &op, item.id).await?;
            Ok::<_, Error>(Ok((now, restored)))
        };
        match refusal(step.await)?.and_then(|inner| inner) {
            Ok((now, restored)) => {
                preview.changes.push(BulkChange { item, field, before: now.shown, after: restored.shown })
            }
            Err(message) => preview.refusals.push(BulkRefusal { item, field, message }),
        }
    }
    Ok(preview)
}

fn shown_or_empty(text: &str) -> &str {
    if text.is_empty() { "empty" } else { text }
}

/// Sorts an item's failure into a refusal (bad value, conflict, missing item) or a failure
/// of the catalog itself, which aborts the whole edit.
fn refusal<T>(result: Result<T>) -> Result<Result<T, String>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(Error::Field(e)) => Ok(Err(e.message)),
        Err(e @ (Error::Invalid(_) | Error::Rights(_))) => Ok(Err(e.to_string())),
        Err(Error::Db(e @ (DbError::Conflict(_) | DbError::NotFound { .. }))) => Ok(Err(e.to_string())),
        Err(other) => Err(other),
    }
}

/// Parses the edit once, so a bad value is refused before any item is touched.
async fn resolve(tx: &mut Connection, edit: &BulkEdit, on_tracks: bool) -> Result<Op> {
    Ok(match edit {
        BulkEdit::SetReleaseField { field, value } => {
            Op::Release { field: field.clone(), edit: ReleaseEdit::parse(field, value)? }
        }
        BulkEdit::ChangeLabel { label_id } => {
            catno_db::label_exists(tx, *label_id).await?;
            Op::Release { field: "label_id".into(), edit: ReleaseEdit::LabelId(*label_id) }
        }
        BulkEdit::SetTrackField { field, value } => {
            Op::Track { field: field.clone(), edit: TrackEdit::parse(field, value)? }
        }
        BulkEdit::AddContributor { artist, role } | BulkEdit::RemoveContributor { artist, role } => {
            let name = artist.trim();
            if name.is_empty() {
                return Err(FieldError::new("artist", "must not be empty").into());
            }
            catno_domain::no_control_characters("artist", name)?;
            let present = matches!(edit, BulkEdit::AddContributor { .. });
            Op::Credit { artist: name.to_owned(), role: *role, present, track: on_tracks }
        }
        BulkEdit::ApplyTerritoryPreset { include, exclude } => {
            let groups = catno_db::load_territory_groups(tx).await?;
            let include = if include.trim().is_empty() { "Worldwide" } else { include.as_str() };
            let mut rules = vec![Rule::include(catno_rights::rules::parse_territories(include, &groups)?)];
            if !exclude.trim().is_empty() {
                rules.push(Rule::exclude(catno_rights::rules::parse_territories(exclude, &groups)?));
            }
            Op::ReleaseRules(rules)
        }
    })
}

/// The items the operation writes to: release operations need releases; a track field on
/// releases means every track of them; credits go to whatever is selected.
async fn items_for(tx: &mut Connection, targets: &BulkTargets, op: &Op) -> Result<Vec<(BulkItemKind, i64)>> {
    let mut items: Vec<(BulkItemKind, i64)> = Vec::new();
    let mut push = |kind, id| {
        if !items.contains(&(kind, id)) {
            items.push((kind, id));
        }
    };
    match (targets, op) {
        (BulkTargets::Tracks { .. }, Op::Release { .. } | Op::ReleaseRules(_)) => {
            return Err(Error::Invalid("this edit changes releases: select releases, not tracks".into()));
        }
        (BulkTargets::Releases { ids }, Op::Track { .. }) => {
            for release in ids {
                catno_db::release_exists(tx, *release).await?;
                let tracks = catno_db::list_release_tracks(tx, *release, 0, i64::MAX).await?.items;
                for track in tracks {
                    push(BulkItemKind::Track, track.id);
                }
            }
        }
        (BulkTargets::Releases { ids }, _) => ids.iter().for_each(|id| push(BulkItemKind::Release, *id)),
        (BulkTargets::Tracks { ids }, _) => ids.iter().for_each(|id| push(BulkItemKind::Track, *id)),
    }
    Ok(items)
}

fn credit_owner(track: bool, id: i64) -> CreditOwner {
    if track { CreditOwner::Track(id) } else { CreditOwner::Release(id) }
}

async fn item_name(tx: &mut Connection, kind: BulkItemKind, id: i64) -> Result<String> {
    Ok(match kind {
        BulkItemKind::Release => catno_db::get_release(tx, id).await?.title,
        BulkItemKind::Track => catno_db::get_track(tx, id).await?.title,
    })
}

async fn read_state(tx: &mut Connection, op: &Op, id: i64) -> Result<State> {
    Ok(match op {
        Op::Release { edit, .. } => release_state(&catno_db::get_release(tx, id).await?, edit),
        Op::Track { edit, .. } => track_state(&catno_db::get_track(tx, id).await?, edit),
        Op::Credit { artist, role, track, .. } => {
            let owner = credit_owner(*track, id);
            let credits = catno_db::list_credits(tx, owner).await?;
            let present = credits.iter().any(|c| c.artist_name == *artist && c.role == *role);
            let shown = credits
                .iter()
                .map(|c| format!("{} ({})", c.artist_name, c.role))
                .collect::<Vec<_>>()
                .join(", ");
            State { stored: if present { CREDITED } else { NOT_CREDITED }.into(), shown }
        }
        Op::ReleaseRules(_) => {
            let rights = catno_db::load_release_rights(tx, id).await?;
            let stored = serde_json::to_string(&rights.release)
                .map_err(|e| Error::Invalid(format!("rules of release {id}: {e}")))?;
            let shown = if rights.release.is_empty() {
                "no rules (worldwide)".to_owned()
            } else {
                rights.release.iter().map(Rule::describe).collect::<Vec<_>>().join("; ")
            };
            State { stored, shown }
        }
    })
}

async fn write_state(tx: &mut Connection, op: &Op, id: i64) -> Result<()> {
    match op {
        Op::Release { field, edit } => {
            catno_db::apply_release_edit(tx, id, edit).await.map_err(|e| crate::on_field(e, field))?;
        }
        Op::Track { field, edit } => {
            catno_db::apply_track_edit(tx, id, edit).await.map_err(|e| crate::on_field(e, field))?;
            for release in catno_db::releases_of_track(tx, id).await? {
                catno_db::touch_release(tx, release).await?;
            }
        }
        Op::Credit { artist, role, present, track } => {
            let track = *track;
            let owner = credit_owner(track, id);
            if track {
                catno_db::track_exists(tx, id).await?;
            } else {
                catno_db::release_exists(tx, id).await?;
            }
            let matching: Vec<i64> = catno_db::list_credits(tx, owner)
                .await?
                .into_iter()
                .filter(|c| c.artist_name == *artist && c.role == *role)
                .map(|c| c.id)
                .collect();
            if *present && matching.is_empty() {
                catno_db::add_credit(tx, owner, artist, *role).await?;
            } else if !*present {
                for credit in &matching {
                    catno_db::remove_credit(tx, owner, *credit).await?;
                }
            }
            if !track && (*present == matching.is_empty()) {
                catno_db::touch_release(tx, id).await?;
            }
        }
        Op::ReleaseRules(rules) => {
            catno_db::release_exists(tx, id).await?;
            let current = catno_db::load_release_rights(tx, id).await?;
            let groups = catno_db::load_territory_groups(tx).await?;
            let stores = catno_db::load_stores(tx).await?.ids();
            let next = ReleaseRights { release: rules.clone(), ..current.clone() };
            for rule in &next.release {
                rule.validate()?;
            }
            let before: Vec<String> = catno_rights::violations(&current, &groups, &stores)?
                .into_iter()
                .map(|v| v.message)
                .collect();
            let added: Vec<String> = catno_rights::violations(&next, &groups, &stores)?
                .into_iter()
                .map(|v| v.message)
                .filter(|m| !before.contains(m))
                .collect();
            if !added.is_empty() {
                return Err(catno_rights::RightsError::SubsetViolation(added.join("; ")).into());
            }
            if next != current {
                catno_db::replace_release_rights(tx, id, &next).await?;
                catno_db::touch_release(tx, id).await?;
            }
        }
    }
    Ok(())
}

fn optional(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn line(value: &Option<RightsLine>) -> String {
    value.as_ref().map(|l| format!("{} {}", l.year, l.holder)).unwrap_or_default()
}

/// A release field as text `ReleaseEdit::parse` reads back to the same value.
fn release_state(release: &Release, edit: &ReleaseEdit) -> State {
    let text = match edit {
        ReleaseEdit::Title(_) => release.title.clone(),
        ReleaseEdit::Version(_) => optional(&release.version),
        ReleaseEdit::DisplayArtist(_) => release.display_artist.clone(),
        ReleaseEdit::LocalizedTitle { language, .. } => release
            .localized_titles
            .iter()
            .find(|t| t.language == *language)
            .map(|t| t.title.clone())
            .unwrap_or_default(),
        ReleaseEdit::ReleaseType(_) => release.release_type.as_str().to_owned(),
        ReleaseEdit::Upc(_) => release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default(),
        ReleaseEdit::CatalogNumber(_) => optional(&release.catalog_number),
        ReleaseEdit::PLine(_) => line(&release.p_line),
        ReleaseEdit::CLine(_) => line(&release.c_line),
        ReleaseEdit::Genre(_) => optional(&release.genre),
        ReleaseEdit::Subgenre(_) => optional(&release.subgenre),
        ReleaseEdit::ReleaseDate(_) => optional(&release.release_date),
        ReleaseEdit::OriginalReleaseDate(_) => optional(&release.original_release_date),
        ReleaseEdit::ParentalAdvisory(_) => release.parental_advisory.as_str().to_owned(),
        ReleaseEdit::MetadataLanguage(_) => optional(&release.metadata_language),
        ReleaseEdit::LabelId(_) => {
            return State { stored: release.label_id.to_string(), shown: release.label_name.clone() };
        }
    };
    State { stored: text.clone(), shown: text }
}

/// A track field as text `TrackEdit::parse` reads back to the same value.
fn track_state(track: &Track, edit: &TrackEdit) -> State {
    let text = match edit {
        TrackEdit::Title(_) => track.title.clone(),
        TrackEdit::Version(_) => optional(&track.version),
        TrackEdit::DisplayArtist(_) => track.display_artist.clone(),
        TrackEdit::LocalizedTitle { language, .. } => track
            .localized_titles
            .iter()
            .find(|t| t.language == *language)
            .map(|t| t.title.clone())
            .unwrap_or_default(),
        TrackEdit::Isrc(_) => track.isrc.as_ref().map(|i| i.as_str().to_owned()).unwrap_or_default(),
        TrackEdit::DurationMs(_) => {
            let stored = track.duration_ms.map(|ms| ms.to_string()).unwrap_or_default();
            let shown = track.duration_ms.map(clock).unwrap_or_default();
            return State { stored, shown };
        }
        TrackEdit::Explicit(_) => if track.explicit { "yes" } else { "no" }.to_owned(),
        TrackEdit::AudioLanguage(_) => optional(&track.audio_language),
    };
    State { stored: text.clone(), shown: text }
}

/// `3:35`, `1:02:05` or `0:01.500`, as `parse_duration` accepts it.
fn clock(ms: i64) -> String {
    let (seconds, millis) = (ms / 1000, ms % 1000);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let base = if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") };
    if millis > 0 { format!("{base}.{millis:03}") } else { base }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_show_as_the_clock_the_editor_reads() {
        assert_eq!(clock(215_000), "3:35");
        assert_eq!(clock(3_725_000), "1:02:05");
        assert_eq!(clock(1_500), "0:01.500");
        assert_eq!(catno_domain::edit::parse_duration(&clock(61_250)), Ok(61_250));
    }
}
