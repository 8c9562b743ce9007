//! Compiling effective availability into DDEX deals for one recipient (store), as neutral
//! structs the DDEX message writer turns into `DealList` XML.
//!
//! Shape, following the research notes (availability lives in deals, never in
//! `...DetailsByTerritory`):
//! - Each track's TrackRelease gets deals for streaming (subscription and ad-supported), UGC and
//!   per-track download.
//! - The main release gets album download deals (PayAsYouGo / PermanentDownload) only in the
//!   territories where *every* track is available, over the window all tracks share; where the
//!   release is downloadable but a track is missing, a [`CompileNote`] says so.
//! - Cells with the same window are grouped into one deal; subscription and ad-supported cells
//!   with the same territories and window share one deal (the DDEX cross product of its
//!   commercial models and use types is exactly those two). A territory list longer than half
//!   the world is written as `Worldwide` with `ExcludedTerritoryCode`s.
//! - Output order is deterministic: deals by commercial model, start, end, pre-order, then
//!   territories.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::engine::{Cell, Engine, Status, UNAVAILABLE, Window};
use crate::error::RightsError;
use crate::groups::TerritoryGroups;
use crate::rules::{ReleaseRights, StoreId, TrackKey, Use, fmt_date, opt_date};
use crate::territories::{TERRITORY_COUNT, Territory, TerritorySet};

/// DDEX `CommercialModelType` values Catno emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum CommercialModelType {
    SubscriptionModel,
    AdvertisementSupportedModel,
    PayAsYouGoModel,
    RightsClaimModel,
}

/// DDEX `UseType` values Catno emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum UseType {
    OnDemandStream,
    NonInteractiveStream,
    PermanentDownload,
    UserMakeAvailableUserProvided,
}

impl CommercialModelType {
    pub fn as_str(self) -> &'static str {
        match self {
            CommercialModelType::SubscriptionModel => "SubscriptionModel",
            CommercialModelType::AdvertisementSupportedModel => "AdvertisementSupportedModel",
            CommercialModelType::PayAsYouGoModel => "PayAsYouGoModel",
            CommercialModelType::RightsClaimModel => "RightsClaimModel",
        }
    }
}

impl UseType {
    pub fn as_str(self) -> &'static str {
        match self {
            UseType::OnDemandStream => "OnDemandStream",
            UseType::NonInteractiveStream => "NonInteractiveStream",
            UseType::PermanentDownload => "PermanentDownload",
            UseType::UserMakeAvailableUserProvided => "UserMakeAvailableUserProvided",
        }
    }
}

/// The DDEX terms of one Catno use.
pub fn ddex_terms(usage: Use) -> (CommercialModelType, UseType) {
    match usage {
        Use::SubscriptionStream => (CommercialModelType::SubscriptionModel, UseType::OnDemandStream),
        Use::AdSupportedStream => (CommercialModelType::AdvertisementSupportedModel, UseType::OnDemandStream),
        Use::Download => (CommercialModelType::PayAsYouGoModel, UseType::PermanentDownload),
        Use::Ugc => (CommercialModelType::RightsClaimModel, UseType::UserMakeAvailableUserProvided),
    }
}

/// `TerritoryCode`s, or `Worldwide` minus `ExcludedTerritoryCode`s.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DealTerritories {
    Include(Vec<Territory>),
    /// `Worldwide`, with these excluded (none: plain Worldwide).
    WorldwideExcept(Vec<Territory>),
}

impl DealTerritories {
    fn from_set(set: &TerritorySet) -> Self {
        if set.len() * 2 > TERRITORY_COUNT {
            DealTerritories::WorldwideExcept(set.complement().to_vec())
        } else {
            DealTerritories::Include(set.to_vec())
        }
    }

    pub fn contains(&self, territory: Territory) -> bool {
        match self {
            DealTerritories::Include(list) => list.contains(&territory),
            DealTerritories::WorldwideExcept(list) => !list.contains(&territory),
        }
    }
}

/// One DDEX `Deal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DdexDeal {
    pub commercial_models: Vec<CommercialModelType>,
    pub use_types: Vec<UseType>,
    pub territories: DealTerritories,
    /// `ValidityPeriod/StartDate`; `None`: from receipt.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub start: Option<Date>,
    /// `ValidityPeriod/EndDate`, the last day of availability (inclusive).
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub end: Option<Date>,
    /// Pre-order start (ERN `PreOrderReleaseDate`-style); only with a start.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub preorder_start: Option<Date>,
}

impl DdexDeal {
    fn window(&self) -> Window {
        Window { start: self.start, end: self.end, preorder_start: self.preorder_start }
    }

    fn covers(&self, usage: Use) -> bool {
        let (model, use_type) = ddex_terms(usage);
        self.commercial_models.contains(&model) && self.use_types.contains(&use_type)
    }
}

/// The deals of one track's TrackRelease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackDeals {
    pub track: TrackKey,
    pub deals: Vec<DdexDeal>,
}

/// Something the compiler decided that the user should know about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CompileNote {
    pub territories: Vec<Territory>,
    pub message: String,
}

/// Every deal for one recipient store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DdexDeals {
    pub store: StoreId,
    /// Deals on the main release (album downloads).
    pub release_deals: Vec<DdexDeal>,
    /// Deals on each TrackRelease, in running order; tracks with no deal are listed empty.
    pub track_deals: Vec<TrackDeals>,
    pub notes: Vec<CompileNote>,
}

/// Compiles the release's rights into deals for `store`.
pub fn compile_ddex(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    store: &StoreId,
) -> Result<DdexDeals, RightsError> {
    let engine = Engine::new(rights, groups)?;
    let matrix = engine.effective(std::slice::from_ref(store));

    let mut track_deals = Vec::with_capacity(rights.tracks.len());
    for (track_index, &track) in rights.tracks.iter().enumerate() {
        let mut cells: Vec<(Use, Window, TerritorySet)> = Vec::new();
        for usage in Use::ALL {
            for (window, set) in group_row(matrix.row(Some(track_index), 0, usage)) {
                let window = matrix.window_of(window).unwrap_or(Window::ALWAYS);
                cells.push((usage, window, set));
            }
        }
        track_deals.push(TrackDeals { track, deals: merge_streams(cells) });
    }

    // Album download: the window every track shares (the release's own if it has no tracks).
    let mut album: BTreeMap<Window, TerritorySet> = BTreeMap::new();
    let mut missing: BTreeMap<Vec<usize>, TerritorySet> = BTreeMap::new();
    let mut narrowed: BTreeMap<(Window, Window), TerritorySet> = BTreeMap::new();
    let release_row = matrix.row(None, 0, Use::Download);
    for territory in Territory::all() {
        let Some(release_window) = matrix.window_of(release_row[territory.index()]) else { continue };
        let mut window = release_window;
        let mut absent = Vec::new();
        for track_index in 0..rights.tracks.len() {
            match matrix.window_of(matrix.row(Some(track_index), 0, Use::Download)[territory.index()]) {
                Some(own) => match window.intersect(&own) {
                    Some(shared) => window = shared,
                    None => absent.push(track_index + 1),
                },
                None => absent.push(track_index + 1),
            }
        }
        if absent.is_empty() {
            album.entry(window).or_default().insert(territory);
            if window != release_window {
                narrowed.entry((release_window, window)).or_default().insert(territory);
            }
        } else {
            missing.entry(absent).or_default().insert(territory);
        }
    }
    let mut release_deals: Vec<DdexDeal> =
        album.into_iter().map(|(window, set)| deal(&[Use::Download], window, &set)).collect();
    sort_deals(&mut release_deals);
    let mut notes: Vec<CompileNote> = missing
        .into_iter()
        .map(|(positions, set)| {
            let tracks = positions.iter().map(|p| format!("track {p}")).collect::<Vec<_>>().join(", ");
            let verb = if positions.len() == 1 { "is" } else { "are" };
            CompileNote {
                territories: set.to_vec(),
                message: format!(
                    "no album download deal on {store} in {}: {tracks} {verb} not available there for download",
                    set.describe()
                ),
            }
        })
        .collect();
    for ((release, album), set) in narrowed {
        notes.push(CompileNote {
            territories: set.to_vec(),
            message: format!(
                "album download on {store} in {} runs {} rather than {}: not every track is available for all of the release's window",
                set.describe(),
                describe_window(&album),
                describe_window(&release)
            ),
        });
    }
    Ok(DdexDeals { store: store.clone(), release_deals, track_deals, notes })
}

fn describe_window(window: &Window) -> String {
    let start =
        window.start.map_or_else(|| "from the start".to_owned(), |date| format!("from {}", fmt_date(date)));
    let end =
        window.end.map_or_else(|| "open-ended".to_owned(), |date| format!("through {}", fmt_date(date)));
    format!("{start}, {end}")
}

/// Territories of one row grouped by cell value, skipping unavailable cells; in value order.
fn group_row(row: &[Cell]) -> Vec<(Cell, TerritorySet)> {
    let mut groups: Vec<(Cell, TerritorySet)> = Vec::new();
    for (index, &cell) in row.iter().enumerate() {
        if cell == UNAVAILABLE {
            continue;
        }
        let Some(territory) = Territory::from_index(index) else { continue };
        match groups.iter_mut().find(|(value, _)| *value == cell) {
            Some((_, set)) => set.insert(territory),
            None => {
                let mut set = TerritorySet::EMPTY;
                set.insert(territory);
                groups.push((cell, set));
            }
        }
    }
    groups
}

fn deal(uses: &[Use], window: Window, set: &TerritorySet) -> DdexDeal {
    let mut commercial_models: Vec<CommercialModelType> = uses.iter().map(|u| ddex_terms(*u).0).collect();
    let mut use_types: Vec<UseType> = uses.iter().map(|u| ddex_terms(*u).1).collect();
    commercial_models.sort();
    commercial_models.dedup();
    use_types.sort();
    use_types.dedup();
    DdexDeal {
        commercial_models,
        use_types,
        territories: DealTerritories::from_set(set),
        start: window.start,
        end: window.end,
        preorder_start: window.preorder_start,
    }
}

/// One deal per (use, window), except that a subscription and an ad-supported cell group with
/// the same window and territories become one deal.
fn merge_streams(cells: Vec<(Use, Window, TerritorySet)>) -> Vec<DdexDeal> {
    let mut taken = vec![false; cells.len()];
    let mut deals = Vec::new();
    for (i, (usage, window, set)) in cells.iter().enumerate() {
        if taken[i] {
            continue;
        }
        taken[i] = true;
        let mut uses = vec![*usage];
        if *usage == Use::SubscriptionStream
            && let Some(j) = cells.iter().enumerate().position(|(j, (other, w, s))| {
                !taken[j] && *other == Use::AdSupportedStream && w == window && s == set
            })
        {
            taken[j] = true;
            uses.push(Use::AdSupportedStream);
        }
        deals.push(deal(&uses, *window, set));
    }
    sort_deals(&mut deals);
    deals
}

fn sort_deals(deals: &mut [DdexDeal]) {
    deals.sort_by(|a, b| {
        (&a.commercial_models, a.start, a.end, a.preorder_start, &a.territories).cmp(&(
            &b.commercial_models,
            b.start,
            b.end,
            b.preorder_start,
            &b.territories,
        ))
    });
}

/// Reads deals back: the status of one cell on one date as the recipient would understand
/// it (`track: None` is the main release). The best status among the deals that cover it.
pub fn availability_from_deals(
    deals: &DdexDeals,
    track: Option<TrackKey>,
    territory: Territory,
    usage: Use,
    date: Date,
) -> Status {
    let list = match track {
        None => &deals.release_deals,
        Some(track) => match deals.track_deals.iter().find(|entry| entry.track == track) {
            Some(entry) => &entry.deals,
            None => return Status::Unavailable,
        },
    };
    list.iter()
        .filter(|deal| deal.covers(usage) && deal.territories.contains(territory))
        .map(|deal| deal.window().status_on(date))
        .max()
        .unwrap_or(Status::Unavailable)
}
