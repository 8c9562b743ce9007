//! Deals of an imported message: read into grants per (use, territory) with their window,
//! and turned into the catalog's rights rules ([`ImportedDeals::to_rights`]).
//!
//! Reading: each `Deal` grants the Catno uses its commercial models and use types cover
//! (subscription / ad-supported streams, permanent download, UGC) in its territories over its
//! validity period. Terms Catno does not model (conditional downloads, free-of-charge, ...)
//! are reported once. A `TakeDown` deal grants nothing. Deals on track releases belong to
//! their track; when no deal names a track release (a single whose deals sit on the main
//! release, older 3.x practice) the main release's deals apply to every track.
//!
//! Rules: DDEX says "no deal = no deal", so the rules start from `exclude Worldwide` and
//! include what the deals grant, scoped per use when the uses differ. The release layer is
//! everything the release or any track is granted (the catalog's subset rule caps tracks by
//! their release); a track gets its own rules only where it differs from that layer.

use std::collections::BTreeMap;

use catno_rights::{
    ReleaseRights, Rule, TERRITORY_COUNT, Territory, TerritoryRef, TerritorySet, TrackKey, Use, Window,
};

use crate::dom::Element;
use crate::import_ern::{Reading, text_of};

/// What deals grant: for each (use, territory), the window of availability.
pub type Grants = BTreeMap<(Use, Territory), Window>;

/// The deals of one message, by what they are attached to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedDeals {
    /// Granted by deals on the main release.
    pub release: Grants,
    /// Granted by each track's own track-release deals, in track order; `None`: no deal
    /// names that track's release.
    pub tracks: Vec<Option<Grants>>,
}

/// What a `DealReleaseReference` points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DealTarget {
    Release,
    Track(usize),
    /// A release Catno does not import (a video release, a bundle); its deals are skipped.
    Other,
}

impl ImportedDeals {
    fn any_track_deals(&self) -> bool {
        self.tracks.iter().any(Option::is_some)
    }

    /// What track `index` is granted: its own deals; when the message has no track deals at
    /// all, the main release's.
    pub fn track_grants(&self, index: usize) -> Grants {
        if self.any_track_deals() {
            self.tracks.get(index).cloned().flatten().unwrap_or_default()
        } else {
            self.release.clone()
        }
    }

    /// The release layer: everything the release or any of its tracks is granted, each
    /// cell over the hull of its windows.
    pub fn release_layer(&self) -> Grants {
        let mut layer = self.release.clone();
        for index in 0..self.tracks.len() {
            for (key, window) in self.track_grants(index) {
                layer.entry(key).and_modify(|w| *w = hull(w, &window)).or_insert(window);
            }
        }
        layer
    }

    /// The catalog rules for a release whose tracks (in this message's track order) have
    /// these keys. `rights.tracks` is left for the caller to set to the catalog's running
    /// order.
    pub fn to_rights(&self, keys: &[TrackKey]) -> ReleaseRights {
        let layer = self.release_layer();
        let mut rights = ReleaseRights::new(keys.iter().copied());
        rights.release = rules_for(&layer);
        for (index, key) in keys.iter().enumerate() {
            let own = self.track_grants(index);
            if own != layer {
                *rights.rules_of_mut(*key) = rules_for(&own);
            }
        }
        rights
    }
}

fn hull(a: &Window, b: &Window) -> Window {
    let start = match (a.start, b.start) {
        (Some(x), Some(y)) => Some(x.min(y)),
        _ => None,
    };
    let end = match (a.end, b.end) {
        (Some(x), Some(y)) => Some(x.max(y)),
        _ => None,
    };
    let preorder_start = match (a.preorder_start, b.preorder_start) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
    .filter(|p| start.is_some_and(|s| *p < s));
    Window { start, end, preorder_start }
}

/// Grants being read for the release or one track. A worldwide deal touches a thousand
/// (use, territory) cells, so they are found through a dense table of slots rather than map
/// insertions; the [`Grants`] map is built once every deal is read.
struct Cells {
    /// Per `usage.index() * TERRITORY_COUNT + territory.index()`: 0 for no grant, else one
    /// past the grant's position in `grants`.
    slots: Vec<u16>,
    grants: Vec<(usize, Window)>,
}

impl Cells {
    fn new() -> Self {
        Cells { slots: vec![0; Use::COUNT * TERRITORY_COUNT], grants: Vec::new() }
    }

    /// Grants `window` for one cell; when the cell already has another window, both become
    /// their hull and `true` says so.
    fn grant(&mut self, usage: Use, territory: Territory, window: Window) -> bool {
        let cell = usage.index() * TERRITORY_COUNT + territory.index();
        let Some(slot) = self.slots.get_mut(cell) else { return false };
        match self.grants.get_mut(usize::from(*slot).wrapping_sub(1)) {
            Some((_, w)) if *w != window => {
                *w = hull(w, &window);
                true
            }
            Some(_) => false,
            None => {
                self.grants.push((cell, window));
                // At most one grant per cell: the count fits the slot.
                *slot = u16::try_from(self.grants.len()).unwrap_or(0);
                false
            }
        }
    }

    fn get_mut(&mut self, usage: Use, territory: Territory) -> Option<&mut Window> {
        let slot = self.slots.get(usage.index() * TERRITORY_COUNT + territory.index())?;
        self.grants.get_mut(usize::from(*slot).wrapping_sub(1)).map(|(_, w)| w)
    }

    fn into_grants(self) -> Grants {
        self.grants
            .into_iter()
            .filter_map(|(cell, window)| {
                let usage = Use::ALL.get(cell / TERRITORY_COUNT).copied()?;
                Some(((usage, Territory::from_index(cell % TERRITORY_COUNT)?), window))
            })
            .collect()
    }
}

fn codes(set: &TerritorySet) -> Vec<TerritoryRef> {
    set.iter().map(TerritoryRef::Code).collect()
}

fn dated(rule: Rule, window: &Window) -> Rule {
    let mut rule = rule;
    rule.start = window.start;
    rule.end = window.end;
    rule.preorder_start = window.preorder_start.filter(|p| window.start.is_some_and(|s| *p < s));
    rule
}

fn scoped(rule: Rule, usage: Option<Use>) -> Rule {
    match usage {
        Some(u) => rule.for_use(u),
        None => rule,
    }
}

/// Rules that make exactly `grants` available (see the module doc).
fn rules_for(grants: &Grants) -> Vec<Rule> {
    let mut per_use: BTreeMap<Use, BTreeMap<Window, TerritorySet>> = BTreeMap::new();
    for ((usage, territory), window) in grants {
        per_use.entry(*usage).or_default().entry(*window).or_default().insert(*territory);
    }
    let maps: Vec<BTreeMap<Window, TerritorySet>> =
        Use::ALL.iter().map(|u| per_use.get(u).cloned().unwrap_or_default()).collect();
    if maps.windows(2).all(|w| matches!(w, [a, b] if a == b)) {
        let Some(map) = maps.first() else { return Vec::new() };
        return rules_for_use(None, map);
    }
    let mut rules = vec![Rule::exclude([TerritoryRef::Worldwide])];
    for (usage, map) in Use::ALL.iter().zip(&maps) {
        if !map.is_empty() {
            rules.extend(rules_for_use(Some(*usage), map).into_iter().filter(|r| {
                // The unscoped base exclusion is already first.
                !(r.usage.is_none() && r.territories == [TerritoryRef::Worldwide])
            }));
        }
    }
    rules
}

fn rules_for_use(usage: Option<Use>, map: &BTreeMap<Window, TerritorySet>) -> Vec<Rule> {
    let granted = map.values().fold(TerritorySet::EMPTY, |acc, s| acc.union(s));
    if granted.is_empty() {
        return vec![scoped(Rule::exclude([TerritoryRef::Worldwide]), usage)];
    }
    if usage.is_none() && map.len() == 1 && granted.is_all() && map.contains_key(&Window::ALWAYS) {
        // Everything, everywhere, always: the catalog's default needs no rule.
        return Vec::new();
    }
    let biggest = map.iter().max_by_key(|(_, set)| set.len()).map(|(w, s)| (*w, *s));
    let mut rules = Vec::new();
    match biggest {
        Some((window, set)) if set.len() * 2 > TERRITORY_COUNT => {
            rules.push(scoped(dated(Rule::include([TerritoryRef::Worldwide]), &window), usage));
            let missing = granted.complement();
            if !missing.is_empty() {
                rules.push(scoped(Rule::exclude(codes(&missing)), usage));
            }
            for (other, set) in map.iter().filter(|(w, _)| **w != window) {
                rules.push(scoped(dated(Rule::include(codes(set)), other), usage));
            }
        }
        _ => {
            if usage.is_none() {
                rules.push(Rule::exclude([TerritoryRef::Worldwide]));
            }
            for (window, set) in map {
                rules.push(scoped(dated(Rule::include(codes(set)), window), usage));
            }
        }
    }
    rules
}

/// Catno uses covered by a deal's commercial models and use types, and the terms left out.
fn uses_of(models: &[String], use_types: &[String]) -> (Vec<Use>, Vec<String>) {
    let mut uses = Vec::new();
    let mut dropped = Vec::new();
    let streams = ["OnDemandStream", "Stream", "NonInteractiveStream"];
    for model in models {
        for use_type in use_types {
            let usage = match (model.as_str(), use_type.as_str()) {
                ("RightsClaimModel", _)
                | (_, "UserMakeAvailableUserProvided" | "UserMakeAvailableLabelProvided") => Some(Use::Ugc),
                ("SubscriptionModel", u) if streams.contains(&u) => Some(Use::SubscriptionStream),
                ("AdvertisementSupportedModel", u) if streams.contains(&u) => Some(Use::AdSupportedStream),
                ("PayAsYouGoModel", "PermanentDownload") => Some(Use::Download),
                _ => None,
            };
            match usage {
                Some(u) => {
                    if !uses.contains(&u) {
                        uses.push(u);
                    }
                }
                None => dropped.push(format!("{model}/{use_type}")),
            }
        }
        if use_types.is_empty() {
            dropped.push(format!("{model} (no UseType)"));
        }
    }
    (uses, dropped)
}

fn date_in(r: &mut Reading<'_>, period: &Element, names: [&str; 2]) -> Result<Option<time::Date>, ()> {
    let Some(el) = names.iter().find_map(|n| period.child(n)) else { return Ok(None) };
    let raw = el.text.trim();
    match crate::plan::parse_date(raw.get(..10).unwrap_or(raw)) {
        Ok(d) => Ok(Some(d)),
        Err(_) => {
            r.error(el, format!("{raw:?} is not a date (YYYY-MM-DD)"));
            Err(())
        }
    }
}

struct PreOrder {
    targets: Vec<DealTarget>,
    uses: Vec<Use>,
    territories: TerritorySet,
    start: time::Date,
}

/// Reads a `DealList`. `target_of` resolves a `DealReleaseReference`.
pub(crate) fn read_deals(
    r: &mut Reading<'_>,
    list: &Element,
    target_of: &dyn Fn(&str) -> Option<DealTarget>,
    track_count: usize,
) -> ImportedDeals {
    let mut release = Cells::new();
    let mut tracks: Vec<Option<Cells>> = (0..track_count).map(|_| None).collect();
    let mut dropped_terms: Vec<String> = Vec::new();
    let mut preorders: Vec<PreOrder> = Vec::new();
    for release_deal in list.children_named("ReleaseDeal") {
        let mut targets = Vec::new();
        for reference in release_deal.children_named("DealReleaseReference") {
            let text = reference.text.trim();
            match target_of(text) {
                Some(t) => targets.push(t),
                None => {
                    r.warn(reference, format!("deal names release {text}, which the message does not have"))
                }
            }
        }
        for deal in release_deal.children_named("Deal") {
            let Some(terms) = deal.child("DealTerms") else {
                r.warn(deal, "Deal without DealTerms (a reference to a deal held elsewhere?); skipped");
                continue;
            };
            if text_of(terms, "TakeDown").as_deref() == Some("true") {
                r.warn(terms, "TakeDown deal: no rights are recorded for its territories");
                continue;
            }
            let models: Vec<String> =
                terms.children_named("CommercialModelType").filter_map(crate::import_ern::trimmed).collect();
            let mut use_types: Vec<String> =
                terms.children_named("UseType").filter_map(crate::import_ern::trimmed).collect();
            for usage in terms.children_named("Usage") {
                use_types.extend(usage.children_named("UseType").filter_map(crate::import_ern::trimmed));
            }
            let (uses, dropped) = uses_of(&models, &use_types);
            for d in dropped {
                if !dropped_terms.contains(&d) {
                    dropped_terms.push(d);
                }
            }
            if uses.is_empty() {
                r.warn(
                    terms,
                    format!(
                        "deal terms {} have no Catno use (subscription, ad-supported, download, UGC); skipped",
                        models.iter().chain(&use_types).cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
                continue;
            }
            let Some(territories) = territories_of(r, terms) else { continue };
            let period = terms.child("ValidityPeriod");
            let (mut start, end) = match period {
                Some(p) => match (
                    date_in(r, p, ["StartDate", "StartDateTime"]),
                    date_in(r, p, ["EndDate", "EndDateTime"]),
                ) {
                    (Ok(s), Ok(e)) => (s, e),
                    _ => continue,
                },
                None => (None, None),
            };
            let mut preorder_start = None;
            if text_of(terms, "IsPreOrderDeal").as_deref() == Some("true") {
                let release_date = terms.child("PreOrderReleaseDate").and_then(|d| {
                    let raw = d.text.trim();
                    crate::plan::parse_date(raw.get(..10).unwrap_or(raw)).ok()
                });
                match (release_date, start) {
                    // 3.x: one deal from pre-order start, sales from PreOrderReleaseDate.
                    (Some(sales), Some(pre)) if pre < sales => {
                        preorder_start = Some(pre);
                        start = Some(sales);
                    }
                    // 4.x: a pre-order-only deal before the deal it opens.
                    (_, Some(pre)) => {
                        preorders.push(PreOrder { targets: targets.clone(), uses, territories, start: pre });
                        continue;
                    }
                    _ => {
                        r.warn(terms, "pre-order deal without a start date; skipped");
                        continue;
                    }
                }
            }
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                r.warn(terms, format!("the deal ends ({e}) before it starts ({s}); skipped"));
                continue;
            }
            let window = Window { start, end, preorder_start };
            for target in &targets {
                let grants = match target {
                    DealTarget::Release => &mut release,
                    DealTarget::Track(i) => match tracks.get_mut(*i) {
                        Some(slot) => slot.get_or_insert_with(Cells::new),
                        None => continue,
                    },
                    DealTarget::Other => continue,
                };
                if grants.grants.is_empty() {
                    grants.grants.reserve(uses.len() * territories.len());
                }
                let mut merged = false;
                for usage in &uses {
                    for territory in territories.iter() {
                        merged |= grants.grant(*usage, territory, window);
                    }
                }
                if merged {
                    r.warn_once(
                        deal,
                        "deals with different periods for the same use and territory were merged into one \
                         period (earliest start, latest end)",
                    );
                }
            }
        }
    }
    for pre in preorders {
        for target in &pre.targets {
            let grants = match target {
                DealTarget::Release => Some(&mut release),
                DealTarget::Track(i) => tracks.get_mut(*i).and_then(Option::as_mut),
                DealTarget::Other => None,
            };
            let Some(grants) = grants else { continue };
            for usage in &pre.uses {
                for territory in pre.territories.iter() {
                    if let Some(w) = grants.get_mut(*usage, territory)
                        && w.start.is_some_and(|s| pre.start < s)
                    {
                        w.preorder_start = Some(pre.start);
                    }
                }
            }
        }
    }
    if !dropped_terms.is_empty() {
        r.warn_once(
            list,
            format!(
                "deal terms Catno does not keep separately were left out: {} (streams are kept as \
                 subscription/ad-supported streams, downloads as permanent downloads)",
                dropped_terms.join(", ")
            ),
        );
    }
    ImportedDeals {
        release: release.into_grants(),
        tracks: tracks.into_iter().map(|t| t.map(Cells::into_grants)).collect(),
    }
}

/// The territories of `DealTerms`: `TerritoryCode`s, or `Worldwide` minus the
/// `ExcludedTerritoryCode`s. Codes that are not assigned ISO codes are reported and left out.
fn territories_of(r: &mut Reading<'_>, terms: &Element) -> Option<TerritorySet> {
    let mut included = TerritorySet::EMPTY;
    let mut worldwide = false;
    let mut named = false;
    for code in terms.children_named("TerritoryCode") {
        named = true;
        match code.text.trim() {
            "Worldwide" => worldwide = true,
            raw => match Territory::parse(raw) {
                Ok(t) => included.insert(t),
                Err(_) => {
                    r.warn(code, format!("territory {raw:?} is not an assigned ISO 3166-1 code; left out"))
                }
            },
        }
    }
    let mut excluded = TerritorySet::EMPTY;
    let mut any_excluded = false;
    for code in terms.children_named("ExcludedTerritoryCode") {
        any_excluded = true;
        match Territory::parse(code.text.trim()) {
            Ok(t) => excluded.insert(t),
            Err(_) => {
                r.warn(code, format!("excluded territory {:?} is not an assigned ISO code", code.text.trim()))
            }
        }
    }
    if !named && !any_excluded {
        r.warn(terms, "the deal names no territory; skipped");
        return None;
    }
    let base = if worldwide || (!named && any_excluded) { TerritorySet::all() } else { included };
    Some(base.difference(&excluded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use catno_rights::{Engine, StoreId, TerritoryGroups};
    use time::macros::date;

    fn t(code: &str) -> Territory {
        Territory::parse(code).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn rules_reproduce_the_grants_per_use_and_track() {
        let from = Window { start: Some(date!(2024 - 01 - 01)), end: None, preorder_start: None };
        let mut release = Grants::new();
        for territory in Territory::all().filter(|x| *x != t("MX")) {
            release.insert((Use::SubscriptionStream, territory), Window::ALWAYS);
        }
        release.insert((Use::Download, t("JP")), from);
        let mut track2 = release.clone();
        track2.remove(&(Use::SubscriptionStream, t("DE")));
        let deals =
            ImportedDeals { release: release.clone(), tracks: vec![Some(release.clone()), Some(track2)] };
        let keys = [TrackKey(1), TrackKey(2)];
        let rights = deals.to_rights(&keys);
        let groups = TerritoryGroups::new();
        let engine = Engine::new(&rights, &groups).unwrap();
        let store = StoreId::parse("anything").unwrap();
        let day = date!(2025 - 06 - 01);
        for (i, key) in keys.iter().enumerate() {
            let grants = deals.track_grants(i);
            for territory in Territory::all() {
                for usage in Use::ALL {
                    let expected = grants.get(&(usage, territory)).map(|w| w.status_on(day));
                    let got = engine
                        .window(Some(*key), territory, &store, usage)
                        .unwrap()
                        .map(|w| w.status_on(day));
                    assert_eq!(got, expected, "track {} {territory:?} {usage}", i + 1);
                }
            }
        }
        assert!(catno_rights::violations(&rights, &groups, &[store]).unwrap().is_empty());
    }
}
