//! catno-ddex: DDEX ERN messages from Catno's catalog.
//!
//! Writes ERN 4.3 and ERN 3.8.2 `NewReleaseMessage` and `PurgeReleaseMessage` XML (quick-xml)
//! from a [`ReleaseMessageInput`] (catalog release and tracks, file facts, deals compiled by
//! `catno-rights`, an injected header), shaped by a [`DspProfile`] (versioned data in
//! `profiles.json`: `spotify`, `youtube`, `generic-ern43`, `generic-ern382`). Also validates
//! messages against the official XSDs (libxml2, [`SchemaValidator`]), checks what XSD cannot
//! ([`check_references`], input [`Finding`]s), writes takedowns the way each DSP expects
//! ([`takedown`]), packages SFTP batches ([`write_batch`]), reads ERN 4.3 back
//! ([`import_ern43`]) and imports other senders' ERN 4.3 / 3.8.2 messages ([`read_ern`]:
//! untrusted input, findings with line and column, deals as [`ImportedDeals`] that become
//! catalog rights rules).
//!
//! Invariants:
//! - **Deterministic**: the same input gives byte-identical XML. Message id and clock are
//!   injected; references (`P`/`A`/`T`/`R` + running number) follow input order; nothing
//!   iterates a hash map.
//! - **Whole-release messages**: every message restates the full release and all its deals;
//!   a deal left out means no rights (DDEX "no deal = no deal").
//! - **Availability lives in deals only**: metadata is written once for `Worldwide`; territory
//!   restrictions are deals, never `...DetailsByTerritory`.
//! - **No IO** except [`write_batch`] (writes the batch folder) and [`SchemaValidator`]
//!   (reads the schema files). Never depends on tokio, sqlx, reqwest, tauri, catno-db or
//!   catno-core.
//! - Input errors refuse generation as [`DdexError::Rejected`] with every [`Finding`], each
//!   naming the catalog field to fix (`release.upc`, `track[2].isrc`, 0-based track index).

mod batch;
mod check;
mod dom;
mod ern382;
mod ern43;
mod error;
mod import;
mod import382;
mod import43;
mod import_deals;
mod import_ern;
mod input;
mod plan;
mod profile;
mod roles;
mod validate;
mod xml;

pub use batch::{BatchSummary, ResourceFile, write_batch};
pub use check::{Finding, Generated, Severity};
pub use ern43::AVS_VERSION;
pub use error::DdexError;
pub use import::import_ern43;
pub use import_deals::{Grants, ImportedDeals};
pub use import_ern::{
    ErnContent, ErnImport, ImportFinding, ImportedRelease, ImportedTrack, MAX_IMPORT_BYTES, read_ern,
};
pub use input::{
    AudioCodec, AudioTechnical, ImageCodec, ImageTechnical, MessageHeaderInput, ReleaseMessageInput,
    TrackInput,
};
pub use profile::{
    DealPlacement, DspProfile, ErnVersion, HashAlgorithm, ProprietaryIdRule, TakedownStyle, profile,
    profiles, profiles_data_version,
};
pub use roles::{RoleSlot, RoleValue, contributor_role_43, contributor_role_382, writer_role};
pub use validate::{SchemaValidator, check_references};

use catno_rights::{CommercialModelType, DdexDeal, DdexDeals, DealTerritories, TrackDeals, UseType};

use crate::plan::{Plan, day_before, message_date, parse_date};

/// Writes a `NewReleaseMessage` in the profile's ERN version.
pub fn generate(input: &ReleaseMessageInput, profile: &DspProfile) -> Result<Generated, DdexError> {
    let plan = Plan::build(input, profile)?;
    let xml = match profile.ern {
        ErnVersion::Ern43 => ern43::new_release_message(&plan)?,
        ErnVersion::Ern382 => ern382::new_release_message(&plan)?,
    };
    Ok(Generated { xml, findings: plan.warnings })
}

/// Every problem generation would meet, without writing anything: errors (which refuse
/// generation) and warnings (dropped deals, DSP quirks).
pub fn check_input(input: &ReleaseMessageInput, profile: &DspProfile) -> Vec<Finding> {
    match Plan::build(input, profile) {
        Ok(plan) => plan.warnings,
        Err(DdexError::Rejected(findings)) => findings,
        Err(other) => vec![Finding::error("input", other.to_string())],
    }
}

/// A `PurgeReleaseMessage` (permanent removal of a corrupt release, not a routine takedown).
/// Refused for profiles that do not accept purges (Spotify treats it as no takedown at all).
pub fn purge_release_message(input: &ReleaseMessageInput, profile: &DspProfile) -> Result<String, DdexError> {
    if !profile.purge_accepted {
        return Err(DdexError::Profile {
            profile: profile.id.clone(),
            message: format!(
                "{} does not accept PurgeReleaseMessage; send a takedown() instead",
                profile.name
            ),
        });
    }
    match profile.ern {
        ErnVersion::Ern43 => ern43::purge_release_message(input),
        ErnVersion::Ern382 => ern382::purge_release_message(input),
    }
}

/// A takedown of the whole release, in the profile's style: a full `NewReleaseMessage`
/// whose deals end the day before `from` (`YYYY-MM-DD`; `None`: the message date), or for
/// YouTube one `Worldwide` deal per TrackRelease ending two days before the message date.
pub fn takedown(
    input: &ReleaseMessageInput,
    profile: &DspProfile,
    from: Option<&str>,
) -> Result<Generated, DdexError> {
    let today = message_date(&input.header.created).map_err(|m| DdexError::invalid("header.created", m))?;
    let from = match from {
        Some(s) => parse_date(s).map_err(|m| DdexError::invalid("takedown.from", m))?,
        None => today,
    };
    let deals = match profile.takedown {
        TakedownStyle::EndDateDeals => end_dated(&input.deals, day_before(from, 1), today),
        TakedownStyle::WorldwideEndDateTwoDaysPast => {
            if from > today {
                return Err(DdexError::Profile {
                    profile: profile.id.clone(),
                    message: format!(
                        "{} takedowns act on receipt; deliver this message on the takedown date instead",
                        profile.name
                    ),
                });
            }
            youtube_takedown(&input.deals, day_before(today, 2))
        }
    };
    let mut taken_down = input.clone();
    taken_down.deals = deals;
    generate(&taken_down, profile)
}

fn end_dated(deals: &DdexDeals, last_day: time::Date, today: time::Date) -> DdexDeals {
    let cut = |list: &[DdexDeal]| -> Vec<DdexDeal> {
        list.iter()
            .filter_map(|d| {
                let end = Some(d.end.map_or(last_day, |e| e.min(last_day)));
                match d.start {
                    // Never started and never will: no deal at all.
                    Some(start) if Some(start) > end => None,
                    Some(_) => Some(DdexDeal {
                        end,
                        preorder_start: d.preorder_start.filter(|p| Some(*p) <= end),
                        ..d.clone()
                    }),
                    // "From receipt" would start after the end; pin the start to the end.
                    None if today > last_day => {
                        Some(DdexDeal { start: Some(last_day), end, preorder_start: None, ..d.clone() })
                    }
                    None => Some(DdexDeal { end, ..d.clone() }),
                }
            })
            .collect()
    };
    DdexDeals {
        store: deals.store.clone(),
        release_deals: cut(&deals.release_deals),
        track_deals: deals
            .track_deals
            .iter()
            .map(|t| TrackDeals { track: t.track, deals: cut(&t.deals) })
            .collect(),
        notes: Vec::new(),
    }
}

fn youtube_takedown(deals: &DdexDeals, end: time::Date) -> DdexDeals {
    let deal = DdexDeal {
        commercial_models: vec![
            CommercialModelType::SubscriptionModel,
            CommercialModelType::AdvertisementSupportedModel,
        ],
        use_types: vec![UseType::OnDemandStream],
        territories: DealTerritories::WorldwideExcept(Vec::new()),
        start: Some(end),
        end: Some(end),
        preorder_start: None,
    };
    DdexDeals {
        store: deals.store.clone(),
        release_deals: Vec::new(),
        track_deals: deals
            .track_deals
            .iter()
            .filter(|t| !t.deals.is_empty())
            .map(|t| TrackDeals { track: t.track, deals: vec![deal.clone()] })
            .collect(),
        notes: Vec::new(),
    }
}
