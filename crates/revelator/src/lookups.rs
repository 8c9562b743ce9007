//! Revelator's lookup lists, fetched once per client and matched by name or code: store and
//! role ids differ between accounts (one sandbox had Spotify at 507), so no id is hard-coded.

use serde_json::Value;

use crate::assumptions;
use crate::client::RevelatorClient;
use crate::error::{Result, RevelatorError};
use crate::wire::{ContributorRole, Language, MusicStyle, NamedId, Store};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookups {
    pub stores: Vec<Store>,
    pub contributor_roles: Vec<ContributorRole>,
    pub languages: Vec<Language>,
    pub music_styles: Vec<MusicStyle>,
    /// Empty when the account's `releasetypes` lookup is unavailable (its shape is unknown).
    pub release_types: Vec<NamedId>,
    pub track_properties: Vec<NamedId>,
}

/// Case, spaces and punctuation ignored: "Hip Hop/Rap" = "hip-hop rap".
pub fn fold(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn parse<T: serde::de::DeserializeOwned>(kind: &str, items: Vec<Value>) -> Result<Vec<T>> {
    items
        .into_iter()
        .map(|v| {
            serde_json::from_value(v.clone())
                .map_err(|e| RevelatorError::Invalid(format!("lookup {kind}: cannot read {v}: {e}")))
        })
        .collect()
}

impl Lookups {
    pub(crate) async fn fetch(client: &RevelatorClient) -> Result<Lookups> {
        let optional = |r: Result<Vec<Value>>| match r {
            Err(RevelatorError::Http { status: 404, .. }) => Ok(Vec::new()),
            other => other,
        };
        let stores = parse("stores", client.lookup_raw("stores", true).await?)?;
        let contributor_roles =
            parse("contributorRoles", client.lookup_raw("contributorRoles", false).await?)?;
        let languages = parse("languages", client.lookup_raw("languages", false).await?)?;
        let music_styles = parse("musicstyles", client.lookup_raw("musicstyles", false).await?)?;
        let release_types = optional(client.lookup_raw("releasetypes", false).await)?
            .iter()
            .filter_map(|v| NamedId::from_value(v, &["releaseTypeId", "typeId", "id"]))
            .collect();
        let track_properties = optional(client.lookup_raw("trackProperties", false).await)?
            .iter()
            .filter_map(|v| NamedId::from_value(v, &["trackPropertyId", "id"]))
            .collect();
        Ok(Lookups { stores, contributor_roles, languages, music_styles, release_types, track_properties })
    }

    /// A language by ISO 639 code (`en`, `pt-BR` → `pt`), else by English name.
    pub fn language(&self, code_or_name: &str) -> Option<&Language> {
        let wanted = code_or_name.trim().to_ascii_lowercase();
        let primary = wanted.split(['-', '_']).next().unwrap_or_default().to_owned();
        let usable = |l: &&Language| l.language_id.is_some();
        self.languages
            .iter()
            .filter(usable)
            .find(|l| l.language_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&wanted)))
            .or_else(|| {
                self.languages
                    .iter()
                    .filter(usable)
                    .find(|l| l.language_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&primary)))
            })
            .or_else(|| self.languages.iter().filter(usable).find(|l| fold(&l.name) == fold(code_or_name)))
    }

    pub fn music_style(&self, name: &str) -> Option<&MusicStyle> {
        let wanted = fold(name);
        self.music_styles.iter().find(|s| s.music_style_id.is_some() && fold(&s.name) == wanted)
    }

    /// The role for a Catno (DDEX) role name, via the candidate names of
    /// [`assumptions::contributor_role_names`], optionally restricted to one role group.
    pub fn contributor_role(&self, ddex_role: &str, group: Option<i64>) -> Option<&ContributorRole> {
        let in_group = |r: &&ContributorRole| {
            r.role_id.is_some() && group.is_none_or(|g| r.contributor_role_group_id.is_none_or(|rg| rg == g))
        };
        assumptions::contributor_role_names(ddex_role).iter().find_map(|name| {
            self.contributor_roles.iter().filter(in_group).find(|r| fold(&r.name) == fold(name))
        })
    }

    pub fn release_type(&self, ddex_type: &str) -> Option<&NamedId> {
        assumptions::release_type_names(ddex_type)
            .iter()
            .find_map(|name| self.release_types.iter().find(|t| fold(&t.name) == fold(name)))
    }

    /// The "no special property" entry every track needs at least (§5.4).
    pub fn track_property_none(&self) -> Option<&NamedId> {
        self.track_properties.iter().find(|p| fold(&p.name) == fold(assumptions::TRACK_PROPERTY_NONE_NAME))
    }

    pub fn store(&self, store_id: i64) -> Option<&Store> {
        self.stores.iter().find(|s| s.distributor_store_id == Some(store_id))
    }

    /// A store by name ("Spotify", "Apple Music" ~ "iTunes/Apple Music").
    pub fn store_by_name(&self, name: &str) -> Option<&Store> {
        let wanted = fold(name);
        let usable = |s: &&Store| s.distributor_store_id.is_some() && s.is_active != Some(false);
        self.stores
            .iter()
            .filter(usable)
            .find(|s| fold(&s.name) == wanted)
            .or_else(|| self.stores.iter().filter(usable).find(|s| fold(&s.name).contains(&wanted)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn sample() -> Lookups {
        Lookups {
            stores: serde_json::from_value(json!([
                {"distributorStoreId": 507, "name": "Spotify"},
                {"distributorStoreId": 508, "distributorStoreName": "iTunes/Apple Music"},
                {"distributorStoreId": 12, "name": "Old Store", "isActive": false}
            ]))
            .unwrap(),
            contributor_roles: serde_json::from_value(json!([
                {"roleId": 49, "name": "Primary Artist", "contributorRoleGroupId": 1},
                {"roleId": 301, "name": "Producer", "contributorRoleGroupId": 3},
                {"roleId": 402, "name": "Composer", "contributorRoleGroupId": 4}
            ]))
            .unwrap(),
            languages: serde_json::from_value(json!([
                {"languageId": 1, "name": "English", "languageCode": "en"},
                {"languageId": 31, "name": "Portuguese", "languageCode": "pt"}
            ]))
            .unwrap(),
            music_styles: serde_json::from_value(json!([{"musicStyleId": 41, "name": "Hip Hop/Rap"}]))
                .unwrap(),
            release_types: vec![NamedId { id: 3, name: "Single".into() }],
            track_properties: vec![NamedId { id: 1, name: "None".into() }],
        }
    }

    #[test]
    fn matches_by_name_and_code_never_by_guessed_id() {
        let l = sample();
        assert_eq!(l.store_by_name("spotify").and_then(|s| s.distributor_store_id), Some(507));
        assert_eq!(l.store_by_name("Apple Music").and_then(|s| s.distributor_store_id), Some(508));
        assert!(l.store_by_name("old store").is_none(), "inactive stores are not offered");
        assert_eq!(l.language("pt-BR").and_then(|x| x.language_id), Some(31));
        assert_eq!(l.language("English").and_then(|x| x.language_id), Some(1));
        assert_eq!(l.music_style("hip-hop rap").and_then(|s| s.music_style_id), Some(41));
        assert_eq!(l.contributor_role("MainArtist", None).and_then(|r| r.role_id), Some(49));
        assert_eq!(l.contributor_role("Producer", Some(3)).and_then(|r| r.role_id), Some(301));
        assert!(l.contributor_role("Composer", Some(3)).is_none());
        assert_eq!(l.release_type("Single").map(|t| t.id), Some(3));
        assert_eq!(l.track_property_none().map(|p| p.id), Some(1));
    }
}
