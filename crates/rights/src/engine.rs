//! Resolving rules: the whole-release availability matrix ([`effective`]) and single-cell
//! explanations ([`explain`]). Both go through [`Engine`], so the matrix a UI draws and the
//! sentence it shows on hover cannot disagree.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::RightsError;
use crate::groups::TerritoryGroups;
use crate::rules::{
    ReleaseRights, Rule, RuleKind, RuleRef, StoreId, TerritoryRef, TrackKey, Use, fmt_date, opt_date,
};
use crate::territories::{TERRITORY_COUNT, Territory, TerritorySet};

/// When a cell is available. All bounds are inclusive calendar days; `None` is unbounded.
/// Invariants: `preorder_start` implies `start` and is before it; `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Window {
    /// First day available (street date); `None`: since forever.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub start: Option<Date>,
    /// Last day available; `None`: open-ended.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub end: Option<Date>,
    /// First day a pre-order may be taken.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub preorder_start: Option<Date>,
}

impl Window {
    /// No bounds: available on every date.
    pub const ALWAYS: Window = Window { start: None, end: None, preorder_start: None };

    pub(crate) fn of_rule(rule: &Rule) -> Window {
        Window { start: rule.start, end: rule.end, preorder_start: rule.preorder_start }
    }

    pub fn status_on(&self, date: Date) -> Status {
        if self.end.is_some_and(|end| date > end) {
            return Status::Unavailable;
        }
        match self.start {
            Some(start) if date < start => {
                if self.preorder_start.is_some_and(|preorder| date >= preorder) {
                    Status::PreOrder
                } else {
                    Status::Unavailable
                }
            }
            _ => Status::Available,
        }
    }

    /// The window of "available under both": on every date, the lesser of the two statuses
    /// (unavailable < pre-order < available). `None` when they never overlap.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let start = max_opt(self.start, other.start);
        let end = match (self.end, other.end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let (Some(start), Some(end)) = (start, end)
            && start > end
        {
            return None;
        }
        // Pre-order is possible once both sides are at least in pre-order: a side without a
        // pre-order date reaches that state at its start.
        let preorder_edge = max_opt(self.preorder_start.or(self.start), other.preorder_start.or(other.start));
        let preorder_start = match (preorder_edge, start) {
            (Some(edge), Some(start)) if edge < start => Some(edge),
            _ => None,
        };
        Some(Window { start, end, preorder_start })
    }
}

fn max_opt(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// What a cell is on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unavailable,
    /// Before the street date but within the pre-order period.
    PreOrder,
    Available,
}

/// The answer to "is this available, and why?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Decision {
    /// True only for [`Status::Available`] (a pre-order is not availability).
    pub available: bool,
    pub status: Status,
    /// One sentence for a label manager, naming the rule and the date if one decided.
    pub reason: String,
    /// The rule that decided; `None` when no rule applies (the worldwide default).
    pub decided_by: Option<RuleRef>,
}

/// One rule's territories at one specificity level. A rule naming `EU, CH` yields a group
/// piece (EU) and a code piece (CH) because CH outranks other rules' group entries.
#[derive(Debug, Clone)]
struct Piece {
    set: TerritorySet,
    /// store-scoped * 6 + use-scoped * 3 + territory level (0 Worldwide, 1 group, 2 code).
    rank: u8,
    rule: usize,
    kind: RuleKind,
    store: Option<StoreId>,
    usage: Option<Use>,
    window: Window,
}

impl Piece {
    fn matches(&self, store: &StoreId, usage: Use) -> bool {
        self.store.as_ref().is_none_or(|own| own == store) && self.usage.is_none_or(|own| own == usage)
    }
}

/// One level's rules (the release's or one track's), as pieces sorted from least to most
/// decisive: the last matching piece that contains a territory is the winner there.
#[derive(Debug, Clone, Default)]
struct Layer {
    pieces: Vec<Piece>,
}

/// What one layer says about one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    NoRule,
    Excluded(usize),
    Included(usize, Window),
}

impl Verdict {
    fn window(self) -> Option<Window> {
        match self {
            Verdict::NoRule => Some(Window::ALWAYS),
            Verdict::Included(_, window) => Some(window),
            Verdict::Excluded(_) => None,
        }
    }
}

impl Layer {
    fn build(rules: &[Rule], groups: &TerritoryGroups) -> Result<Layer, RightsError> {
        let mut pieces = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            rule.validate()?;
            let mut levels = [TerritorySet::EMPTY; 3];
            for reference in &rule.territories {
                match reference {
                    TerritoryRef::Worldwide => levels[0] = TerritorySet::all(),
                    TerritoryRef::Group(name) => {
                        let members =
                            groups.resolve(name).ok_or_else(|| RightsError::UnknownGroup(name.clone()))?;
                        levels[1] = levels[1].union(&members);
                    }
                    TerritoryRef::Code(territory) => levels[2].insert(*territory),
                }
            }
            let scope = u8::from(rule.store.is_some()) * 6 + u8::from(rule.usage.is_some()) * 3;
            for (level, set) in levels.into_iter().enumerate() {
                if !set.is_empty() {
                    pieces.push(Piece {
                        set,
                        rank: scope + level as u8,
                        rule: index,
                        kind: rule.kind,
                        store: rule.store.clone(),
                        usage: rule.usage,
                        window: Window::of_rule(rule),
                    });
                }
            }
        }
        // Ascending decisiveness: rank, then includes before excludes (exclude wins a tie),
        // includes in list order (the later wins), excludes in reverse (the first is credited).
        pieces.sort_by_key(|piece| {
            let tie = match piece.kind {
                RuleKind::Include => (0, piece.rule as isize),
                RuleKind::Exclude => (1, -(piece.rule as isize)),
            };
            (piece.rank, tie)
        });
        Ok(Layer { pieces })
    }

    /// Which pieces match a (store, use), as a bitmask; `u64::MAX` when there are too many
    /// pieces to say (callers then skip reuse).
    fn match_mask(&self, store: &StoreId, usage: Use) -> u64 {
        if self.pieces.len() >= 64 {
            return u64::MAX;
        }
        self.pieces
            .iter()
            .enumerate()
            .filter(|(_, piece)| piece.matches(store, usage))
            .fold(0, |mask, (index, _)| mask | 1 << index)
    }

    /// The most decisive matching piece for a cell.
    fn decider(&self, territory: Territory, store: &StoreId, usage: Use) -> Option<&Piece> {
        self.pieces.iter().rev().find(|piece| piece.set.contains(territory) && piece.matches(store, usage))
    }

    fn verdict(&self, territory: Territory, store: &StoreId, usage: Use) -> Verdict {
        self.decider(territory, store, usage).map_or(Verdict::NoRule, |piece| match piece.kind {
            RuleKind::Exclude => Verdict::Excluded(piece.rule),
            RuleKind::Include => Verdict::Included(piece.rule, piece.window),
        })
    }
}

/// Resolved rules of one release: groups expanded, every rule validated. Build once, then ask
/// as many questions as needed.
#[derive(Debug, Clone)]
pub struct Engine<'r> {
    rights: &'r ReleaseRights,
    release: Layer,
    /// By track position; empty layers for tracks without rules.
    tracks: Vec<Layer>,
}

impl<'r> Engine<'r> {
    /// Validates every rule and resolves group names. Fails on the first bad rule, on an unknown
    /// group, or on track rules for a track that is not on the release.
    pub fn new(rights: &'r ReleaseRights, groups: &TerritoryGroups) -> Result<Self, RightsError> {
        if let Some(stray) = rights.track_rules.iter().find(|entry| rights.position(entry.track).is_none()) {
            return Err(RightsError::UnknownTrack(stray.track.0));
        }
        let release = Layer::build(&rights.release, groups)?;
        let tracks = rights
            .tracks
            .iter()
            .map(|track| Layer::build(rights.rules_of(*track), groups))
            .collect::<Result<_, _>>()?;
        Ok(Engine { rights, release, tracks })
    }

    pub fn rights(&self) -> &'r ReleaseRights {
        self.rights
    }

    fn track_layer(&self, track: TrackKey) -> Result<&Layer, RightsError> {
        self.rights
            .position(track)
            .and_then(|position| self.tracks.get(position - 1))
            .ok_or(RightsError::UnknownTrack(track.0))
    }

    /// The release layer's verdict, and the track layer's (NoRule for the release itself).
    pub(crate) fn verdicts(
        &self,
        track: Option<TrackKey>,
        territory: Territory,
        store: &StoreId,
        usage: Use,
    ) -> Result<(Verdict, Verdict), RightsError> {
        let release = self.release.verdict(territory, store, usage);
        let track = match track {
            Some(track) => self.track_layer(track)?.verdict(territory, store, usage),
            None => Verdict::NoRule,
        };
        Ok((release, track))
    }

    /// How the deciding rule of each layer names the territory (0 Worldwide, 1 group, 2
    /// code), `None` where no rule decides: (release layer, track layer).
    pub(crate) fn territory_levels(
        &self,
        track: TrackKey,
        territory: Territory,
        store: &StoreId,
        usage: Use,
    ) -> Result<(Option<u8>, Option<u8>), RightsError> {
        let level = |piece: &Piece| piece.rank % 3;
        let release = self.release.decider(territory, store, usage).map(level);
        let own = self.track_layer(track)?.decider(territory, store, usage).map(level);
        Ok((release, own))
    }

    /// The window of one cell (`None`: never available): the release's AND the track's.
    pub fn window(
        &self,
        track: Option<TrackKey>,
        territory: Territory,
        store: &StoreId,
        usage: Use,
    ) -> Result<Option<Window>, RightsError> {
        let (release, track) = self.verdicts(track, territory, store, usage)?;
        Ok(match (release.window(), track.window()) {
            (Some(a), Some(b)) => a.intersect(&b),
            _ => None,
        })
    }

    /// The window in which the whole album can be sold for this use: every track's window
    /// intersected (the release's own when it has no tracks). `None` when some track is never
    /// available there or the tracks' windows do not overlap.
    pub fn album_window(&self, territory: Territory, store: &StoreId, usage: Use) -> Option<Window> {
        let mut window = self.release.verdict(territory, store, usage).window()?;
        for layer in &self.tracks {
            let own = layer.verdict(territory, store, usage).window()?;
            window = window.intersect(&own)?;
        }
        Some(window)
    }

    /// See [`explain`].
    pub fn explain(
        &self,
        track: Option<TrackKey>,
        territory: Territory,
        store: &StoreId,
        usage: Use,
        date: Date,
    ) -> Result<Decision, RightsError> {
        let (release, track_verdict) = self.verdicts(track, territory, store, usage)?;
        let release_ref = |index| RuleRef { track: None, index };
        let track_ref = |index| RuleRef { track, index };
        let quote = |at: RuleRef| {
            let rule = self.rights.rule(&at).map(Rule::describe).unwrap_or_default();
            format!("{} ({rule})", self.rights.rule_label(&at))
        };
        let unavailable = |reason: String, at: RuleRef| Decision {
            available: false,
            status: Status::Unavailable,
            reason,
            decided_by: Some(at),
        };
        if let Verdict::Excluded(index) = release {
            return Ok(unavailable(format!("excluded by {}", quote(release_ref(index))), release_ref(index)));
        }
        if let Verdict::Excluded(index) = track_verdict {
            return Ok(unavailable(format!("excluded by {}", quote(track_ref(index))), track_ref(index)));
        }
        let release_window = release.window().unwrap_or(Window::ALWAYS);
        let track_window = track_verdict.window().unwrap_or(Window::ALWAYS);
        let Some(window) = release_window.intersect(&track_window) else {
            let at = match track_verdict {
                Verdict::Included(index, _) => track_ref(index),
                _ => release_ref(0),
            };
            return Ok(unavailable(
                format!(
                    "never available in {territory}: the dates of {} do not overlap the release's",
                    quote(at)
                ),
                at,
            ));
        };
        // The rule whose date binds: the track's when it set the bound, else the release's.
        let binding = |pick: fn(&Window) -> Option<Date>| match (track_verdict, release) {
            (Verdict::Included(index, own), _) if pick(&own) == pick(&window) => Some(track_ref(index)),
            (_, Verdict::Included(index, own)) if pick(&own) == pick(&window) => Some(release_ref(index)),
            _ => None,
        };
        let status = window.status_on(date);
        let (reason, decided_by) = match status {
            Status::Unavailable if window.end.is_some_and(|end| date > end) => {
                let at = binding(|w| w.end);
                let end = window.end.map(fmt_date).unwrap_or_default();
                (format!("rights ended {end} in {territory}{}", cited(at, &quote)), at)
            }
            Status::Unavailable | Status::PreOrder => {
                let at = binding(|w| w.start);
                let start = window.start.map(fmt_date).unwrap_or_default();
                let reason = if status == Status::PreOrder {
                    format!("pre-order only: street date {start} in {territory}{}", cited(at, &quote))
                } else {
                    format!("not yet available: street date {start} in {territory}{}", cited(at, &quote))
                };
                (reason, at)
            }
            Status::Available => match (track_verdict, release) {
                (Verdict::Included(index, _), _) => {
                    (format!("available: included by {}", quote(track_ref(index))), Some(track_ref(index)))
                }
                (_, Verdict::Included(index, _)) => (
                    format!("available: included by {}", quote(release_ref(index))),
                    Some(release_ref(index)),
                ),
                _ => ("available: no rule restricts it (worldwide by default)".to_owned(), None),
            },
        };
        Ok(Decision { available: status == Status::Available, status, reason, decided_by })
    }

    /// See [`effective`].
    pub fn effective(&self, stores: &[StoreId]) -> Availability {
        let rows = stores.len() * Use::COUNT;
        let mut table = WindowTable::default();
        let always = table.id(Window::ALWAYS);

        // Release plane: paint the matching pieces over a worldwide default.
        let values: Vec<Cell> = self.release.pieces.iter().map(|piece| table.value(piece)).collect();
        let mut release_cells = vec![always; rows * TERRITORY_COUNT];
        for (store_index, store) in stores.iter().enumerate() {
            for usage in Use::ALL {
                let row = &mut release_cells[row_offset(store_index, usage)..][..TERRITORY_COUNT];
                paint(&self.release, store, usage, row, &values);
            }
        }
        // Release cells only ever hold these ids; track rows index a small cache by them.
        let release_ids = table.windows.len() + 1;

        // Many (store, use) rows of the release are identical (rules rarely name every store);
        // number each row by the first identical one so track rows can be reused below.
        let release_class: Vec<usize> = (0..rows)
            .map(|row| {
                let cells = &release_cells[row * TERRITORY_COUNT..][..TERRITORY_COUNT];
                (0..row)
                    .find(|earlier| &release_cells[earlier * TERRITORY_COUNT..][..TERRITORY_COUNT] == cells)
                    .unwrap_or(row)
            })
            .collect();

        let mut track_cells = Vec::with_capacity(self.tracks.len() * rows * TERRITORY_COUNT);
        let mut scratch = vec![NO_RULE; TERRITORY_COUNT];
        let mut meets: Vec<Cell> = Vec::new();
        for layer in &self.tracks {
            if layer.pieces.is_empty() {
                // Most tracks have no rules of their own: they are exactly the release.
                track_cells.extend_from_slice(&release_cells);
                continue;
            }
            // Track rows are painted with local numbers (1-based index of the piece's window
            // among this track's windows), so "release window x track window" is a dense
            // cache lookup per cell, filled on first use.
            let mut local: Vec<Window> = Vec::new();
            let values: Vec<Cell> = layer
                .pieces
                .iter()
                .map(|piece| match piece.kind {
                    RuleKind::Exclude => UNAVAILABLE,
                    RuleKind::Include => {
                        let index = local.iter().position(|w| *w == piece.window).unwrap_or_else(|| {
                            local.push(piece.window);
                            local.len() - 1
                        });
                        index as Cell + 1
                    }
                })
                .collect();
            meets.clear();
            meets.resize(release_ids * local.len(), NO_RULE);

            // A combined row depends only on the release row and on which track pieces
            // match; compute each distinct pair once per track and copy it for the others.
            let mut done: Vec<((usize, u64), usize)> = Vec::new();
            for (store_index, store) in stores.iter().enumerate() {
                for usage in Use::ALL {
                    let row = store_index * Use::COUNT + usage.index();
                    let key = (release_class[row], layer.match_mask(store, usage));
                    let reusable = key.1 != u64::MAX;
                    if let Some(&(_, offset)) = done.iter().find(|(done_key, _)| reusable && *done_key == key)
                    {
                        track_cells.extend_from_within(offset..offset + TERRITORY_COUNT);
                        continue;
                    }
                    done.push((key, track_cells.len()));
                    let release_row = &release_cells[row * TERRITORY_COUNT..][..TERRITORY_COUNT];
                    scratch.fill(NO_RULE);
                    paint(layer, store, usage, &mut scratch, &values);
                    let width = local.len();
                    track_cells.extend(release_row.iter().zip(&scratch).map(
                        |(&release_cell, &track_cell)| match (release_cell, track_cell) {
                            (release, NO_RULE) => release,
                            (UNAVAILABLE, _) | (_, UNAVAILABLE) => UNAVAILABLE,
                            (release, own) => {
                                let own = own as usize - 1;
                                let slot = &mut meets[release as usize * width + own];
                                if *slot == NO_RULE {
                                    *slot = table
                                        .get(release)
                                        .intersect(&local[own])
                                        .map_or(UNAVAILABLE, |window| table.id(window));
                                }
                                *slot
                            }
                        },
                    ));
                }
            }
        }
        Availability {
            tracks: self.rights.tracks.clone(),
            stores: stores.to_vec(),
            windows: table.windows,
            release_cells,
            track_cells,
        }
    }
}

fn cited(at: Option<RuleRef>, quote: &impl Fn(RuleRef) -> String) -> String {
    at.map(|at| format!(", set by {}", quote(at))).unwrap_or_default()
}

/// A matrix cell: [`UNAVAILABLE`], or `k` for `Availability::windows[k - 1]`. 32 bits so that
/// no rule set, however many distinct dates it uses, can run out of window numbers.
pub type Cell = u32;

/// Cell value: never available.
pub const UNAVAILABLE: Cell = 0;
/// Scratch value while painting a track layer: no track rule, inherit the release.
const NO_RULE: Cell = Cell::MAX;

fn row_offset(store_index: usize, usage: Use) -> usize {
    (store_index * Use::COUNT + usage.index()) * TERRITORY_COUNT
}

/// Paints the pieces matching (store, use) in order, each with its value (`values[i]` for
/// piece `i`), so the last, most decisive piece is what stays in each territory.
fn paint(layer: &Layer, store: &StoreId, usage: Use, row: &mut [Cell], values: &[Cell]) {
    for (piece, &value) in layer.pieces.iter().zip(values) {
        if piece.matches(store, usage) {
            for territory in piece.set.iter() {
                row[territory.index()] = value;
            }
        }
    }
}

/// Distinct windows, numbered from 1 (0 is [`UNAVAILABLE`]).
#[derive(Default)]
struct WindowTable {
    windows: Vec<Window>,
    ids: HashMap<Window, Cell>,
}

impl WindowTable {
    fn id(&mut self, window: Window) -> Cell {
        *self.ids.entry(window).or_insert_with(|| {
            self.windows.push(window);
            // Windows are made from rule dates; a release cannot hold 4 billion of them.
            Cell::try_from(self.windows.len()).unwrap_or(NO_RULE - 1)
        })
    }

    /// The cell value a piece paints.
    fn value(&mut self, piece: &Piece) -> Cell {
        match piece.kind {
            RuleKind::Exclude => UNAVAILABLE,
            RuleKind::Include => self.id(piece.window),
        }
    }

    fn get(&self, id: Cell) -> Window {
        self.windows[id as usize - 1]
    }
}

/// The effective availability of a whole release: for the release and each track, for each
/// store, use and territory, a cell holding `0` (never available) or `k` (available in
/// `windows[k - 1]`). Dense and flat so a UI can draw it and compilers can scan it:
/// `release_cells[(store * 4 + use) * 249 + territory]`,
/// `track_cells[((track * stores + store) * 4 + use) * 249 + territory]`, where `track` is the
/// position in `tracks` (0-based), `use` is [`Use::index`] and `territory` is
/// [`Territory::index`] (the order of [`Territory::all`]). `release_cells` is what the
/// release grants; whether the whole album can be sold somewhere (every track available) is
/// [`Engine::album_window`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Availability {
    pub tracks: Vec<TrackKey>,
    pub stores: Vec<StoreId>,
    pub windows: Vec<Window>,
    pub release_cells: Vec<Cell>,
    pub track_cells: Vec<Cell>,
}

impl Availability {
    /// The window of a cell; `track: None` is the release itself. `None` when never available
    /// or when the track or store is not in the matrix.
    pub fn window(
        &self,
        track: Option<TrackKey>,
        territory: Territory,
        store: &StoreId,
        usage: Use,
    ) -> Option<Window> {
        let store_index = self.stores.iter().position(|own| own == store)?;
        let offset = row_offset(store_index, usage) + territory.index();
        let cell = match track {
            None => self.release_cells[offset],
            Some(track) => {
                let track_index = self.tracks.iter().position(|own| *own == track)?;
                self.track_cells[track_index * self.stores.len() * Use::COUNT * TERRITORY_COUNT + offset]
            }
        };
        self.window_of(cell)
    }

    /// The window a cell value points at.
    pub fn window_of(&self, cell: Cell) -> Option<Window> {
        (cell as usize).checked_sub(1).and_then(|index| self.windows.get(index)).copied()
    }

    /// The 249 cells of one (track, store, use) row, in territory order.
    pub fn row(&self, track: Option<usize>, store_index: usize, usage: Use) -> &[Cell] {
        let offset = row_offset(store_index, usage);
        let cells = match track {
            None => &self.release_cells[offset..],
            Some(track_index) => {
                &self.track_cells[track_index * self.stores.len() * Use::COUNT * TERRITORY_COUNT + offset..]
            }
        };
        &cells[..TERRITORY_COUNT]
    }

    pub fn status(
        &self,
        track: Option<TrackKey>,
        territory: Territory,
        store: &StoreId,
        usage: Use,
        date: Date,
    ) -> Status {
        self.window(track, territory, store, usage)
            .map_or(Status::Unavailable, |window| window.status_on(date))
    }
}

/// The effective availability of a release for these stores (tracks are `rights.tracks`), in
/// one pass over the rules. Stores named only by rules and not listed here are not computed;
/// see [`ReleaseRights::stores_named`].
pub fn effective(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    stores: &[StoreId],
) -> Result<Availability, RightsError> {
    Ok(Engine::new(rights, groups)?.effective(stores))
}

/// Whether `track` (or the release, for `None`) is available in `territory` on `store` for
/// `usage` on `date`, and which rule decided.
pub fn explain(
    rights: &ReleaseRights,
    groups: &TerritoryGroups,
    track: Option<TrackKey>,
    territory: Territory,
    store: &StoreId,
    usage: Use,
    date: Date,
) -> Result<Decision, RightsError> {
    Engine::new(rights, groups)?.explain(track, territory, store, usage, date)
}
