//! Compiling rights into what Revelator can hold: include/exclude territory clearances at
//! release and track (asset) level, optionally per store, plus one release-level sale start
//! (and pre-order) date. Revelator has no per-use scoping, no per-territory or per-track dates
//! and no end dates; every rule that needs one of those is reported as a [`Limitation`]
//! instead of being dropped silently.
//!
//! Plan semantics (what [`availability_from_plan`] implements and the Revelator client must
//! send): at each level, a store uses its store-scoped clearance if there is one, else the
//! unscoped one, else none. No release clearance means worldwide; no track clearance means
//! the track follows the release; a track's territories are always cut to the release's.
//! Everything available is available from `sale_start_date` (pre-order from `preorder_date`).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::engine::{Cell, Engine, Status, UNAVAILABLE, Window};
use crate::error::RightsError;
use crate::groups::TerritoryGroups;
use crate::rules::{ReleaseRights, Rule, RuleKind, RuleRef, StoreId, TrackKey, Use, fmt_date, opt_date};
use crate::territories::{TERRITORY_COUNT, Territory, TerritorySet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClearanceMode {
    /// Only these territories.
    Include,
    /// Every territory but these (an empty list is worldwide).
    Exclude,
}

/// One territory clearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Clearance {
    /// `None`: every store without a clearance of its own.
    pub store: Option<StoreId>,
    pub mode: ClearanceMode,
    pub territories: Vec<Territory>,
}

impl Clearance {
    fn from_set(store: Option<StoreId>, set: &TerritorySet) -> Self {
        if set.len() * 2 > TERRITORY_COUNT {
            Clearance { store, mode: ClearanceMode::Exclude, territories: set.complement().to_vec() }
        } else {
            Clearance { store, mode: ClearanceMode::Include, territories: set.to_vec() }
        }
    }

    fn set(&self) -> TerritorySet {
        let listed: TerritorySet = self.territories.iter().copied().collect();
        match self.mode {
            ClearanceMode::Include => listed,
            ClearanceMode::Exclude => listed.complement(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackClearances {
    pub track: TrackKey,
    pub clearances: Vec<Clearance>,
}

/// A rule Revelator cannot express, and what the plan does instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Limitation {
    pub rule: RuleRef,
    pub message: String,
}

/// What to send to Revelator for one release. Exact only when `unexpressible` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevelatorTerritoryPlan {
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub sale_start_date: Option<Date>,
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub preorder_date: Option<Date>,
    pub release: Vec<Clearance>,
    /// Only tracks that differ from the release.
    pub tracks: Vec<TrackClearances>,
    pub unexpressible: Vec<Limitation>,
}

/// Compiles the release's rights for delivery through Revelator to `stores`.
///
/// Approximations when a rule is unexpressible: use-scoped rules are left out; end dates are
/// ignored (a takedown must be scheduled); with differing start dates the plan uses the latest
/// one, so nothing goes live before its street date anywhere.
pub fn compile_revelator(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    stores: &[StoreId],
) -> Result<RevelatorTerritoryPlan, RightsError> {
    // Validate the rules as written before approximating them.
    Engine::new(rights, groups)?;

    // Use-scoped rules cannot be expressed at all: plan without them.
    let mut expressible = rights.clone();
    expressible.release.retain(|rule| rule.usage.is_none());
    for entry in &mut expressible.track_rules {
        entry.rules.retain(|rule| rule.usage.is_none());
    }
    let matrix = Engine::new(&expressible, groups)?.effective(stores);

    // Dates: exact only when every available cell shares one (start, pre-order) and none ends.
    let mut starts: Vec<(Option<Date>, Option<Date>)> = Vec::new();
    let track_rows = (0..rights.tracks.len()).map(Some);
    for track_index in std::iter::once(None).chain(track_rows) {
        for store_index in 0..stores.len() {
            for &cell in matrix.row(track_index, store_index, Use::SubscriptionStream) {
                if let Some(window) = matrix.window_of(cell)
                    && !starts.contains(&(window.start, window.preorder_start))
                {
                    starts.push((window.start, window.preorder_start));
                }
            }
        }
    }
    let uniform_dates = starts.len() <= 1;
    let sale_start_date = starts.iter().filter_map(|(start, _)| *start).max();
    let preorder_date = if uniform_dates { starts.first().and_then(|(_, preorder)| *preorder) } else { None };

    let mut unexpressible = Vec::new();
    let mut note = |at: RuleRef, rule: &Rule, why: String| {
        unexpressible.push(Limitation {
            rule: at,
            message: format!("{} ({}) {why}", rights.rule_label(&at), rule.describe()),
        });
    };
    let all_rules =
        rights.release.iter().enumerate().map(|(index, rule)| (RuleRef { track: None, index }, rule)).chain(
            rights.tracks.iter().flat_map(|&track| {
                rights
                    .rules_of(track)
                    .iter()
                    .enumerate()
                    .map(move |(index, rule)| (RuleRef { track: Some(track), index }, rule))
            }),
        );
    for (at, rule) in all_rules {
        if let Some(usage) = rule.usage {
            note(
                at,
                rule,
                format!("applies only to {usage}; Revelator clearances cover every use, so it is left out"),
            );
            continue;
        }
        if rule.kind == RuleKind::Exclude {
            continue;
        }
        if let Some(end) = rule.end {
            note(
                at,
                rule,
                format!(
                    "ends on {}; Revelator clearances have no end date, schedule a takedown instead",
                    fmt_date(end)
                ),
            );
        }
        if !uniform_dates && (rule.start.is_some() || rule.preorder_start.is_some()) {
            let chosen = sale_start_date.map_or_else(|| "none".to_owned(), fmt_date);
            note(
                at,
                rule,
                format!(
                    "sets dates for only some tracks or territories; Revelator has one sale start date per release (plan uses {chosen})"
                ),
            );
        }
    }

    let release_sets: Vec<TerritorySet> =
        (0..stores.len()).map(|s| available(matrix.row(None, s, Use::SubscriptionStream))).collect();
    let release = encode(stores, &release_sets, &vec![TerritorySet::all(); stores.len()]);
    let mut tracks = Vec::new();
    for (track_index, &track) in rights.tracks.iter().enumerate() {
        let sets: Vec<TerritorySet> = (0..stores.len())
            .map(|s| available(matrix.row(Some(track_index), s, Use::SubscriptionStream)))
            .collect();
        let clearances = encode(stores, &sets, &release_sets);
        if !clearances.is_empty() {
            tracks.push(TrackClearances { track, clearances });
        }
    }
    Ok(RevelatorTerritoryPlan { sale_start_date, preorder_date, release, tracks, unexpressible })
}

fn available(row: &[Cell]) -> TerritorySet {
    row.iter()
        .enumerate()
        .filter(|(_, cell)| **cell != UNAVAILABLE)
        .filter_map(|(index, _)| Territory::from_index(index))
        .collect()
}

/// Clearances that make each store's set `targets[s]`, where no clearance means
/// `fallbacks[s]`: the most common target as the unscoped clearance when it is needed, and a
/// store-scoped clearance for every store that differs from what it would otherwise get.
fn encode(stores: &[StoreId], targets: &[TerritorySet], fallbacks: &[TerritorySet]) -> Vec<Clearance> {
    if targets == fallbacks {
        return Vec::new();
    }
    let most_common = targets
        .iter()
        .max_by_key(|candidate| {
            // max_by_key keeps the last maximum; prefer the earliest store on ties.
            let count = targets.iter().filter(|other| other == candidate).count();
            let first = targets.iter().position(|other| other == *candidate).unwrap_or(0);
            (count, std::cmp::Reverse(first))
        })
        .copied()
        .unwrap_or_default();
    let needs_default =
        targets.iter().zip(fallbacks).any(|(target, fallback)| *target == most_common && target != fallback);
    let mut out = Vec::new();
    if needs_default {
        out.push(Clearance::from_set(None, &most_common));
    }
    for ((store, target), fallback) in stores.iter().zip(targets).zip(fallbacks) {
        let otherwise = if needs_default { &most_common } else { fallback };
        if target != otherwise {
            out.push(Clearance::from_set(Some(store.clone()), target));
        }
    }
    out
}

fn clearance_set(clearances: &[Clearance], store: &StoreId) -> Option<TerritorySet> {
    clearances
        .iter()
        .find(|clearance| clearance.store.as_ref() == Some(store))
        .or_else(|| clearances.iter().find(|clearance| clearance.store.is_none()))
        .map(Clearance::set)
}

/// Reads a plan back: the status of one cell (`track: None` is the release) on one store on
/// one date, for every use alike.
pub fn availability_from_plan(
    plan: &RevelatorTerritoryPlan,
    track: Option<TrackKey>,
    territory: Territory,
    store: &StoreId,
    date: Date,
) -> Status {
    let mut set = clearance_set(&plan.release, store).unwrap_or(TerritorySet::all());
    if let Some(track) = track
        && let Some(entry) = plan.tracks.iter().find(|entry| entry.track == track)
        && let Some(own) = clearance_set(&entry.clearances, store)
    {
        set = set.intersection(&own);
    }
    if !set.contains(territory) {
        return Status::Unavailable;
    }
    Window { start: plan.sale_start_date, end: None, preorder_start: plan.preorder_date }.status_on(date)
}
