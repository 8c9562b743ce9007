//! The subset rule: a track is never more available than its release. The engine already
//! enforces it (a track cell is release AND track); this module finds the track rules that
//! *try* to exceed the release, so the editor can say so instead of silently ignoring them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::engine::{Engine, Verdict, Window};
use crate::error::RightsError;
use crate::groups::TerritoryGroups;
use crate::rules::{ReleaseRights, Rule, RuleKind, RuleRef, StoreId, TerritoryRef, TrackKey, Use, fmt_date};
use crate::territories::{Territory, TerritorySet};

/// A track rule that would make its track more available than the release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Violation {
    pub track: TrackKey,
    pub rule: RuleRef,
    /// `None`: on every store checked.
    pub store: Option<StoreId>,
    /// `None`: for every use the rule covers.
    #[serde(rename = "use")]
    pub usage: Option<Use>,
    pub territories: Vec<Territory>,
    /// E.g. `track 3 includes JP on spotify but the release excludes JP there`.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Excess {
    /// The release excludes the territory.
    Excluded,
    /// The track rule starts before the release's start (the release's date).
    StartsEarlier(Date),
    /// The track rule ends after the release's end (the release's date).
    EndsLater(Date),
}

/// (rule, excess, store index or all, use or all).
type Key = (RuleRef, Excess, Option<usize>, Option<Use>);
type ByStore = BTreeMap<(RuleRef, Excess, Option<usize>), Vec<(Option<Use>, TerritorySet)>>;
type ByUse = BTreeMap<(RuleRef, Excess, Option<Use>), Vec<(Option<usize>, TerritorySet)>>;

/// Every track include rule that tries to make its track more available than the release:
/// where the rule decides the track's layer but the release excludes the territory, starts
/// later, or ends earlier, and the rule names the territory at least as specifically as the
/// release rule that decides there (code > group > Worldwide; a track `include Worldwide` is
/// not read as a claim on a territory the release excludes by code or group). Checked on `stores` plus every store a rule names. Deterministic
/// order: by track position, rule, then kind of excess.
pub fn violations(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    stores: &[StoreId],
) -> Result<Vec<Violation>, RightsError> {
    let engine = Engine::new(rights, groups)?;
    let mut all_stores = stores.to_vec();
    for named in rights.stores_named() {
        if !all_stores.contains(&named) {
            all_stores.push(named);
        }
    }

    let mut found: BTreeMap<Key, TerritorySet> = BTreeMap::new();
    for &track in &rights.tracks {
        for (index, rule) in rights.rules_of(track).iter().enumerate() {
            if rule.kind != RuleKind::Include {
                continue;
            }
            let at = RuleRef { track: Some(track), index };
            let named = named_territories(rule, groups);
            let uses: Vec<Use> = rule.usage.map_or(Use::ALL.to_vec(), |usage| vec![usage]);
            for (store_index, store) in all_stores.iter().enumerate() {
                if rule.store.as_ref().is_some_and(|own| own != store) {
                    continue;
                }
                for &usage in &uses {
                    // Register the combination even when clean, so collapsing below can tell
                    // "every use" from "some uses".
                    found.entry((at, Excess::Excluded, Some(store_index), Some(usage))).or_default();
                    for territory in named.iter() {
                        let (release, own) = engine.verdicts(Some(track), territory, store, usage)?;
                        if own != Verdict::Included(index, Window::of_rule(rule)) {
                            continue; // another track rule decides here
                        }
                        let found_here = excesses(rule, release);
                        if found_here.is_empty() {
                            continue;
                        }
                        // A track rule naming the territory more broadly than the release's
                        // deciding rule does not try to override it: `include Worldwide from
                        // <later date>` on a track only delays it, even where the release
                        // excludes JP by name.
                        let (release_level, own_level) =
                            engine.territory_levels(track, territory, store, usage)?;
                        if own_level < release_level {
                            continue;
                        }
                        for excess in found_here {
                            found
                                .entry((at, excess, Some(store_index), Some(usage)))
                                .or_default()
                                .insert(territory);
                        }
                    }
                }
            }
        }
    }

    let found = collapse_stores(collapse_uses(found, rights), all_stores.len());
    let mut out: Vec<Violation> = found
        .into_iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|((at, excess, store_index, usage), set)| {
            let store = store_index.map(|index| all_stores[index].clone());
            let track = at.track.unwrap_or(TrackKey(0));
            Violation {
                track,
                rule: at,
                message: message(rights, track, excess, store.as_ref(), usage, &set),
                store,
                usage,
                territories: set.to_vec(),
            }
        })
        .collect();
    out.sort_by_key(|violation| (rights.position(violation.track), violation.rule.index));
    Ok(out)
}

fn named_territories(rule: &Rule, groups: &TerritoryGroups) -> TerritorySet {
    rule.territories.iter().fold(TerritorySet::EMPTY, |set, reference| match reference {
        TerritoryRef::Worldwide => TerritorySet::all(),
        TerritoryRef::Group(name) => set.union(&groups.resolve(name).unwrap_or_default()),
        TerritoryRef::Code(territory) => {
            let mut set = set;
            set.insert(*territory);
            set
        }
    })
}

fn excesses(rule: &Rule, release: Verdict) -> Vec<Excess> {
    let release_window = match release {
        Verdict::Excluded(_) => return vec![Excess::Excluded],
        Verdict::NoRule => return Vec::new(),
        Verdict::Included(_, window) => window,
    };
    let mut out = Vec::new();
    // An undated track include inherits the release's dates (AND), so only explicit dates
    // can try to exceed them.
    if let (Some(own), Some(release)) = (rule.start, release_window.start)
        && own < release
    {
        out.push(Excess::StartsEarlier(release));
    }
    if let (Some(own), Some(release)) = (rule.end, release_window.end)
        && own > release
    {
        out.push(Excess::EndsLater(release));
    }
    out
}

/// Per (rule, excess, store): when every use the rule covers found the same territories, one
/// entry without a use.
fn collapse_uses(found: BTreeMap<Key, TerritorySet>, rights: &ReleaseRights) -> BTreeMap<Key, TerritorySet> {
    let mut grouped = ByStore::new();
    for ((at, excess, store, usage), set) in found {
        grouped.entry((at, excess, store)).or_default().push((usage, set));
    }
    let mut out = BTreeMap::new();
    for ((at, excess, store), entries) in grouped {
        let covered = rights.rule(&at).and_then(|rule| rule.usage).map_or(Use::COUNT, |_| 1);
        if entries.len() == covered && entries.windows(2).all(|pair| pair[0].1 == pair[1].1) {
            out.insert((at, excess, store, None), entries[0].1);
        } else {
            out.extend(entries.into_iter().map(|(usage, set)| ((at, excess, store, usage), set)));
        }
    }
    out
}

/// Per (rule, excess, use): when every store found the same territories, one entry without a
/// store.
fn collapse_stores(found: BTreeMap<Key, TerritorySet>, store_count: usize) -> BTreeMap<Key, TerritorySet> {
    let mut grouped = ByUse::new();
    for ((at, excess, store, usage), set) in found {
        grouped.entry((at, excess, usage)).or_default().push((store, set));
    }
    let mut out = BTreeMap::new();
    for ((at, excess, usage), entries) in grouped {
        if store_count > 1
            && entries.len() == store_count
            && entries.windows(2).all(|pair| pair[0].1 == pair[1].1)
        {
            out.insert((at, excess, None, usage), entries[0].1);
        } else {
            out.extend(entries.into_iter().map(|(store, set)| ((at, excess, store, usage), set)));
        }
    }
    out
}

fn message(
    rights: &ReleaseRights,
    track: TrackKey,
    excess: Excess,
    store: Option<&StoreId>,
    usage: Option<Use>,
    set: &TerritorySet,
) -> String {
    let track = rights.track_label(track);
    let codes = set.describe();
    let mut scope = match store {
        Some(store) => format!("on {store}"),
        None => "on all stores".to_owned(),
    };
    if let Some(usage) = usage {
        scope.push_str(&format!(" for {usage}"));
    }
    match excess {
        Excess::Excluded => {
            format!("{track} includes {codes} {scope} but the release excludes {codes} there")
        }
        Excess::StartsEarlier(release) => format!(
            "{track} starts in {codes} {scope} before the release's street date {} there",
            fmt_date(release)
        ),
        Excess::EndsLater(release) => {
            format!("{track} runs in {codes} {scope} past the release's end date {} there", fmt_date(release))
        }
    }
}

/// One change to a release's rules, as the editor and the CLI submit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RightsEdit {
    AddReleaseRule { rule: Rule },
    AddTrackRule { track: TrackKey, rule: Rule },
    Replace { at: RuleRef, rule: Rule },
    Remove { at: RuleRef },
}

/// Applies an edit and returns the new rules, or refuses it: a bad rule, an unknown group,
/// track or rule, or a new subset violation ([`RightsError::SubsetViolation`] carrying every
/// new violation message, `; `-separated). Violations that existed before the edit do not
/// block it, so a catalog that is already inconsistent can still be repaired step by step.
pub fn apply_edit(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    stores: &[StoreId],
    edit: RightsEdit,
) -> Result<ReleaseRights, RightsError> {
    let mut next = rights.clone();
    let missing = |at: &RuleRef| RightsError::UnknownRule(rights.rule_label(at));
    match edit {
        RightsEdit::AddReleaseRule { rule } => next.release.push(rule),
        RightsEdit::AddTrackRule { track, rule } => {
            if rights.position(track).is_none() {
                return Err(RightsError::UnknownTrack(track.0));
            }
            next.rules_of_mut(track).push(rule);
        }
        RightsEdit::Replace { at, rule } => {
            let slot = match at.track {
                None => next.release.get_mut(at.index),
                Some(track) => next
                    .track_rules
                    .iter_mut()
                    .find(|entry| entry.track == track)
                    .and_then(|entry| entry.rules.get_mut(at.index)),
            };
            *slot.ok_or_else(|| missing(&at))? = rule;
        }
        RightsEdit::Remove { at } => {
            let list = match at.track {
                None => Some(&mut next.release),
                Some(track) => {
                    next.track_rules.iter_mut().find(|entry| entry.track == track).map(|e| &mut e.rules)
                }
            };
            let list = list.filter(|list| at.index < list.len()).ok_or_else(|| missing(&at))?;
            list.remove(at.index);
            next.track_rules.retain(|entry| !entry.rules.is_empty());
        }
    }
    let before: Vec<String> = violations(rights, groups, stores)
        .map(|found| found.into_iter().map(|violation| violation.message).collect())
        .unwrap_or_default();
    let new: Vec<String> = violations(&next, groups, stores)?
        .into_iter()
        .map(|violation| violation.message)
        .filter(|message| !before.contains(message))
        .collect();
    if new.is_empty() { Ok(next) } else { Err(RightsError::SubsetViolation(new.join("; "))) }
}
