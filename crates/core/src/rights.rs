//! Territory rights of releases: stored rules evaluated and compiled by catno-rights.

use catno_rights::{
    Decision, ReleaseRights, RightsEdit, Status, Store, StoreId, Territory, TerritoryGroup, TerritoryGroups,
    TrackKey, Use, Violation, Window,
};
use serde::{Deserialize, Serialize};

use crate::{Catalog, ChangedEntity, Error, Result};

pub use catno_rights as engine;

/// A release's rules as the matrix editor and `catno rights show` present them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RightsView {
    pub release_id: i64,
    /// In running order; `position` is what `--track N` means.
    pub tracks: Vec<RightsTrack>,
    pub rights: ReleaseRights,
    /// Track rules that try to make a track more available than its release.
    pub violations: Vec<Violation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RightsTrack {
    pub track_id: i64,
    pub position: u32,
    pub title: String,
}

/// Stores, groups and territories a rights editor offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RightsVocabulary {
    pub territories: Vec<Territory>,
    pub groups: Vec<TerritoryGroup>,
    pub stores: Vec<Store>,
    pub uses: Vec<Use>,
}

/// Effective availability of a release for one store and use: a row per track (and one for
/// the release) over every territory, each cell an index into `windows` (0: unavailable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RightsGrid {
    pub store: StoreId,
    #[serde(rename = "use")]
    pub usage: Use,
    pub territories: Vec<Territory>,
    pub windows: Vec<Window>,
    pub release_row: Vec<u32>,
    pub track_rows: Vec<Vec<u32>>,
}

/// What `explain` was asked, with the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RightsAnswer {
    pub release_id: i64,
    /// 1-based position; `None` for the release itself.
    pub track: Option<u32>,
    pub territory: Territory,
    pub store: StoreId,
    #[serde(rename = "use")]
    pub usage: Use,
    pub date: String,
    #[serde(flatten)]
    pub decision: Decision,
}

impl Catalog {
    /// The rules of a release with its tracks and current subset-rule violations.
    pub async fn rights(&self, release_id: i64) -> Result<RightsView> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        let rights = catno_db::load_release_rights(&mut conn, release_id).await?;
        let groups = catno_db::load_territory_groups(&mut conn).await?;
        let stores = catno_db::load_stores(&mut conn).await?;
        let tracks = catno_db::list_release_tracks(&mut conn, release_id, 0, i64::MAX).await?.items;
        drop(conn);
        let violations = catno_rights::violations(&rights, &groups, &stores.ids())?;
        let tracks = tracks
            .into_iter()
            .enumerate()
            .map(|(index, t)| RightsTrack { track_id: t.id, position: index as u32 + 1, title: t.title })
            .collect();
        Ok(RightsView { release_id, tracks, rights, violations })
    }

    /// The rules, groups and stores needed to evaluate or compile a release's rights.
    pub async fn rights_inputs(
        &self,
        release_id: i64,
    ) -> Result<(ReleaseRights, TerritoryGroups, Vec<StoreId>)> {
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        let rights = catno_db::load_release_rights(&mut conn, release_id).await?;
        let groups = catno_db::load_territory_groups(&mut conn).await?;
        let stores = catno_db::load_stores(&mut conn).await?.ids();
        Ok((rights, groups, stores))
    }

    /// Applies one edit to a release's rules, refusing it when a rule is invalid or the edit
    /// would make a track more available than its release.
    pub async fn edit_rights(&self, release_id: i64, edit: RightsEdit) -> Result<RightsView> {
        let mut tx = self.db().begin().await?;
        let (current, groups, stores) = load_for_update(&mut tx, release_id).await?;
        let next = catno_rights::apply_edit(&current, &groups, &stores, edit)?;
        self.save_rights(tx, release_id, &next).await
    }

    /// Replaces all of a release's rules at once (bulk edits, undo). Refused, with nothing
    /// changed, when a rule is invalid or the new rules add a subset-rule violation.
    pub async fn replace_rights(&self, release_id: i64, mut next: ReleaseRights) -> Result<RightsView> {
        let mut tx = self.db().begin().await?;
        let (current, groups, stores) = load_for_update(&mut tx, release_id).await?;
        // The running order is the catalog's, whatever the caller sent.
        next.tracks.clone_from(&current.tracks);
        for rule in next.release.iter().chain(next.track_rules.iter().flat_map(|t| t.rules.iter())) {
            rule.validate()?;
        }
        if let Some(unknown) = next.track_rules.iter().find(|t| current.position(t.track).is_none()) {
            return Err(catno_rights::RightsError::UnknownTrack(unknown.track.0).into());
        }
        let before: Vec<String> =
            catno_rights::violations(&current, &groups, &stores)?.into_iter().map(|v| v.message).collect();
        let added: Vec<String> = catno_rights::violations(&next, &groups, &stores)?
            .into_iter()
            .map(|v| v.message)
            .filter(|m| !before.contains(m))
            .collect();
        if !added.is_empty() {
            return Err(catno_rights::RightsError::SubsetViolation(added.join("; ")).into());
        }
        self.save_rights(tx, release_id, &next).await
    }

    async fn save_rights(
        &self,
        mut tx: catno_db::Transaction,
        release_id: i64,
        next: &ReleaseRights,
    ) -> Result<RightsView> {
        catno_db::replace_release_rights(&mut tx, release_id, next).await?;
        catno_db::touch_release(&mut tx, release_id).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Release, vec![release_id]);
        self.rights(release_id).await
    }

    /// Whether a track (by 1-based position; `None`: the release) is available, and why.
    pub async fn explain_rights(
        &self,
        release_id: i64,
        track_position: Option<u32>,
        territory: Territory,
        store: StoreId,
        usage: Use,
        date: time::Date,
    ) -> Result<RightsAnswer> {
        let (rights, groups, _) = self.rights_inputs(release_id).await?;
        let track = track_position.map(|p| track_key(&rights, p)).transpose()?;
        let decision = catno_rights::explain(&rights, &groups, track, territory, &store, usage, date)?;
        Ok(RightsAnswer {
            release_id,
            track: track_position,
            territory,
            store,
            usage,
            date: date.to_string(),
            decision,
        })
    }

    /// Effective availability of every track of a release on one store for one use.
    pub async fn rights_grid(&self, release_id: i64, store: StoreId, usage: Use) -> Result<RightsGrid> {
        let (rights, groups, _) = self.rights_inputs(release_id).await?;
        let matrix = catno_rights::effective(&rights, &groups, std::slice::from_ref(&store))?;
        let track_rows = (0..rights.tracks.len()).map(|i| matrix.row(Some(i), 0, usage).to_vec()).collect();
        Ok(RightsGrid {
            release_row: matrix.row(None, 0, usage).to_vec(),
            track_rows,
            territories: Territory::all().collect(),
            windows: matrix.windows,
            store,
            usage,
        })
    }

    pub async fn rights_vocabulary(&self) -> Result<RightsVocabulary> {
        let mut conn = self.db().read().await?;
        let groups = catno_db::load_territory_groups(&mut conn).await?;
        let stores = catno_db::load_stores(&mut conn).await?;
        Ok(RightsVocabulary {
            territories: Territory::all().collect(),
            groups: groups.list(),
            stores: stores.list(),
            uses: Use::ALL.to_vec(),
        })
    }

    /// Defines or redefines a territory group; rules naming it follow the new definition.
    pub async fn define_territory_group(&self, name: &str, codes: &[String]) -> Result<TerritoryGroup> {
        let mut tx = self.db().begin().await?;
        let mut groups = catno_db::load_territory_groups(&mut tx).await?;
        groups.define(name, codes)?;
        let group = groups
            .list()
            .into_iter()
            .find(|g| g.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::Invalid(format!("group {name:?} could not be defined")))?;
        let codes: Vec<String> = group.territories.iter().map(|t| t.code().to_owned()).collect();
        catno_db::save_territory_group(&mut tx, &group.name, &codes).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Catalog, vec![]);
        Ok(group)
    }

    /// Adds (or renames) one of the label's own stores.
    pub async fn add_store(&self, id: &str, name: &str) -> Result<Store> {
        let mut tx = self.db().begin().await?;
        let mut stores = catno_db::load_stores(&mut tx).await?;
        let id = stores.add(id, name)?;
        catno_db::save_store(&mut tx, &id, name.trim()).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        self.announce(ChangedEntity::Catalog, vec![]);
        stores
            .list()
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::Invalid(format!("store {id} could not be added")))
    }
}

async fn load_for_update(
    tx: &mut catno_db::Connection,
    release_id: i64,
) -> Result<(ReleaseRights, TerritoryGroups, Vec<StoreId>)> {
    catno_db::release_exists(tx, release_id).await?;
    let current = catno_db::load_release_rights(tx, release_id).await?;
    let groups = catno_db::load_territory_groups(tx).await?;
    let stores = catno_db::load_stores(tx).await?.ids();
    Ok((current, groups, stores))
}

/// The track at a 1-based position of a release's running order.
pub fn track_key(rights: &ReleaseRights, position: u32) -> Result<TrackKey> {
    (position as usize).checked_sub(1).and_then(|index| rights.tracks.get(index)).copied().ok_or_else(|| {
        Error::Invalid(format!("the release has no track {position} (it has {})", rights.tracks.len()))
    })
}

/// `Status` in words for tables.
pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Available => "available",
        Status::PreOrder => "pre-order",
        Status::Unavailable => "unavailable",
    }
}
