//! catno-rights: where, on which stores, for which uses and from when a release and its tracks
//! may be offered, and how to say so to DDEX recipients and to Revelator.
//!
//! Pure domain logic: no IO; never depends on tokio, sqlx, reqwest or tauri.
//!
//! # Vocabulary
//! - A **territory** is an officially assigned ISO 3166-1 alpha-2 code (249 of them;
//!   user-assigned codes such as `XK` are refused because DSPs refuse them). A rule names
//!   territories with [`TerritoryRef`]: a code, a **group** ([`TerritoryGroups`]: built-ins such
//!   as EU, EEA, DACH, Nordics, LATAM, APAC, MENA, which a label may extend or redefine), or
//!   `Worldwide`.
//! - A **store** is a [`StoreId`] such as `spotify` ([`Stores`] lists built-ins and the label's
//!   own); a **use** is one of [`Use`]: subscription stream, ad-supported stream, download, UGC.
//! - A **cell** is one (track or release, territory, store, use).
//!
//! # Semantics
//! Rules ([`Rule`]) live at release level (defaults) and track level (overrides) in
//! [`ReleaseRights`]. Each is an include or an exclude of some territories, optionally scoped to
//! one store and/or one use; include rules may carry dates.
//!
//! 1. **Default.** With no rules, the release and every track are available worldwide, on every
//!    store, for every use, from no start date to no end date.
//! 2. **Layers.** The release's rules and each track's rules are resolved separately, as two
//!    layers. A layer's answer for a cell comes from its single most decisive *matching* rule
//!    (store unscoped or equal, use unscoped or equal, territory named). Dates never affect
//!    matching: an include rule that matches but whose start is in the future makes the cell
//!    "not yet", it does not let a broader rule decide instead.
//! 3. **Specificity** within a layer is compared lexicographically on:
//!    store-scoped over unscoped, then use-scoped over unscoped, then the way the territory is
//!    named: a code over a group over `Worldwide`. (So `exclude Worldwide on tiktok` beats
//!    `include JP`, and `include JP on spotify` beats `exclude Worldwide`.) A rule naming
//!    `EU, CH` names CH as a code and FR as a group member.
//! 4. **Ties.** Between equally specific rules an exclude wins over an include; between equally
//!    specific includes the one listed later wins (its dates apply).
//! 5. **Subset rule.** A track is never more available than its release: a track cell is the
//!    release layer AND the track layer. A track layer with no matching rule inherits the
//!    release unchanged. A track include where the release excludes has no effect; when the
//!    track rule names the territory at least as specifically as the release rule that
//!    excludes it (code > group > Worldwide), it is reported by [`violations`] and
//!    [`apply_edit`] refuses edits that introduce it. (A track `include Worldwide from
//!    <date>` merely delays the track; it is not a claim on the territories the release
//!    excludes by name.) Likewise for an explicit track start before the release's start or
//!    end after the release's end.
//!    Hence "track over release" means a track rule decides the track's own layer, but the
//!    release always caps it.
//! 6. **Dates** (include rules only; calendar days, no time zones): `start` is the first day
//!    available (street date / embargo lift), `end` the **last** day available (inclusive; the
//!    day after it the rights have ended), `preorder_start` the first day of pre-order, which
//!    needs `start` and must precede it. A cell's status on a date is [`Status::Available`]
//!    within `[start, end]`, [`Status::PreOrder`] within `[preorder_start, start)`, else
//!    unavailable. Combining layers takes, on every date, the lesser status: the later start,
//!    the earlier end, and pre-order from the later of the two layers' pre-order (or start)
//!    dates — so a track rule can delay but never advance the release's pre-order.
//!
//! # Example
//! ```
//! use catno_rights::*;
//!
//! # fn main() -> Result<(), RightsError> {
//! let groups = TerritoryGroups::new();
//! let mut rights = ReleaseRights::new([TrackKey(11), TrackKey(12), TrackKey(13)]);
//! rights.release.push(Rule::include(parse_territories("Worldwide", &groups)?).starting(parse_date("2027-01-15")?));
//! rights.release.push(Rule::exclude(parse_territories("DACH", &groups)?).on_store(StoreId::parse("spotify")?));
//! rights.rules_of_mut(TrackKey(13)).push(Rule::exclude(parse_territories("JP", &groups)?));
//!
//! let spotify = StoreId::parse("spotify")?;
//! let decision = explain(&rights, &groups, Some(TrackKey(11)), Territory::parse("AT")?, &spotify,
//!     Use::SubscriptionStream, parse_date("2027-03-01")?)?;
//! assert!(!decision.available);
//! assert_eq!(decision.reason, "excluded by release rule #2 (exclude DACH on spotify)");
//!
//! let matrix = effective(&rights, &groups, &Stores::new().ids())?;
//! let jp = Territory::parse("JP")?;
//! assert_eq!(matrix.window(Some(TrackKey(13)), jp, &spotify, Use::Download), None);
//!
//! let deals = compile_ddex(&rights, &groups, &spotify)?; // album download deal excludes JP
//! assert_eq!(deals.notes.len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Entry points
//! - [`effective`] -> [`Availability`]: the dense matrix (tracks × stores × uses × 249
//!   territories) of date windows for a whole release; [`Engine`] to ask many questions.
//! - [`explain`] -> [`Decision`]: one cell on one date, with the deciding rule in words.
//! - [`violations`] and [`apply_edit`]: the subset rule.
//! - [`compile_ddex`] -> [`DdexDeals`] for one recipient store, and its inverse
//!   [`availability_from_deals`]; [`compile_revelator`] -> [`RevelatorTerritoryPlan`].
//! - Parsers for CLI text: [`parse_territories`], [`Use::parse`], [`StoreId::parse`],
//!   [`parse_date`], [`Territory::parse`].

pub mod ddex;
pub mod engine;
pub mod error;
pub mod groups;
pub mod revelator;
pub mod rules;
pub mod subset;
pub mod territories;

pub use ddex::{
    CommercialModelType, CompileNote, DdexDeal, DdexDeals, DealTerritories, TrackDeals, UseType,
    availability_from_deals, compile_ddex, ddex_terms,
};
pub use engine::{Availability, Cell, Decision, Engine, Status, UNAVAILABLE, Window, effective, explain};
pub use error::RightsError;
pub use groups::{TerritoryGroup, TerritoryGroups};
pub use revelator::{
    Clearance, ClearanceMode, Limitation, RevelatorTerritoryPlan, TrackClearances, availability_from_plan,
    compile_revelator,
};
pub use rules::{
    BUILTIN_STORES, ReleaseRights, Rule, RuleKind, RuleRef, Store, StoreId, Stores, TerritoryRef, TrackKey,
    TrackRules, Use, parse_date, parse_territories,
};
pub use subset::{RightsEdit, Violation, apply_edit, violations};
pub use territories::{TERRITORY_COUNT, Territory, TerritorySet};
