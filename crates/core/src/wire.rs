//! Inputs and view models of core's API that are not domain nouns themselves.

use catno_domain::{
    Asset, ContributorRole, DspPlatform, ParentalAdvisory, Release, ReleaseType, TrackSummary, WriterRole,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CatalogInfo {
    pub path: String,
    pub labels: i64,
    pub releases: i64,
    pub tracks: i64,
    pub artists: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReleaseQuery {
    pub label_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TrackQuery {
    pub release_id: i64,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReleaseDetail {
    pub release: Release,
    pub tracks: Vec<TrackSummary>,
    pub assets: Vec<Asset>,
}

/// Whose credits an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind")]
pub enum CreditTarget {
    Release { id: i64 },
    Track { id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewWriter {
    pub name: String,
    pub role: WriterRole,
    pub publisher: Option<String>,
    pub share_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldOptions {
    pub release_types: Vec<ReleaseType>,
    pub parental_advisories: Vec<ParentalAdvisory>,
    pub contributor_roles: Vec<ContributorRole>,
    pub writer_roles: Vec<WriterRole>,
    pub dsp_platforms: Vec<DspPlatform>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ChangedEntity {
    Catalog,
    Label,
    Release,
    Track,
    Artist,
}

/// Sent after a transaction commits: which entities changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatalogChanged {
    pub entity: ChangedEntity,
    pub ids: Vec<i64>,
}
