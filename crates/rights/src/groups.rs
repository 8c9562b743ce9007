//! Named territory groups: built-ins (EU, EEA, DACH, ...) plus groups a label defines.
//!
//! Rules refer to groups by name and are resolved when the engine runs, so redefining a group
//! (say the EU gains a member) changes every rule that names it without touching the rules.
//! Groups contain territory codes only, never other groups: one level keeps the meaning of a
//! rule obvious from the group editor.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::RightsError;
use crate::territories::{Territory, TerritorySet};

const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];
const EEA_EXTRA: &[&str] = &["IS", "LI", "NO"];
const DACH: &[&str] = &["AT", "CH", "DE"];
const BENELUX: &[&str] = &["BE", "LU", "NL"];
/// The five Nordic states plus their autonomous territories (Åland, Faroe Islands, Greenland),
/// as the Nordic Council counts them.
const NORDICS: &[&str] = &["AX", "DK", "FI", "FO", "GL", "IS", "NO", "SE"];
/// The twenty Latin American states plus Puerto Rico.
const LATAM: &[&str] = &[
    "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "HT", "MX", "NI", "PA", "PE", "PR",
    "PY", "SV", "UY", "VE",
];
/// Middle East and North Africa as the World Bank draws it, minus Djibouti and Malta.
const MENA: &[&str] = &[
    "AE", "BH", "DZ", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SY",
    "TN", "YE",
];
const OCEANIA: &[&str] = &[
    "AS", "AU", "CK", "FJ", "FM", "GU", "KI", "MH", "MP", "NC", "NF", "NR", "NU", "NZ", "PF", "PG", "PN",
    "PW", "SB", "TK", "TO", "TV", "VU", "WF", "WS",
];
/// East, South-East and South Asia; APAC adds Oceania.
const ASIA_PACIFIC_ASIA: &[&str] = &[
    "BD", "BN", "BT", "CN", "HK", "ID", "IN", "JP", "KH", "KP", "KR", "LA", "LK", "MM", "MN", "MO", "MV",
    "MY", "NP", "PH", "PK", "SG", "TH", "TL", "TW", "VN",
];

/// The built-in groups, in display order: (name, member codes).
fn builtin_definitions() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("EU", EU.to_vec()),
        ("EEA", [EU, EEA_EXTRA].concat()),
        ("DACH", DACH.to_vec()),
        ("Benelux", BENELUX.to_vec()),
        ("Nordics", NORDICS.to_vec()),
        ("LATAM", LATAM.to_vec()),
        ("MENA", MENA.to_vec()),
        ("APAC", [ASIA_PACIFIC_ASIA, OCEANIA].concat()),
        ("Oceania", OCEANIA.to_vec()),
    ]
}

/// One resolved group, for listing in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TerritoryGroup {
    pub name: String,
    pub territories: Vec<Territory>,
    /// True when the definition is Catno's own, false when the label defined or redefined it.
    pub builtin: bool,
}

/// The groups a catalog knows: the built-ins, extended and overridden by the label's own
/// definitions. Only the label's definitions are stored (serialised), so improving a built-in
/// in a later Catno reaches every catalog that did not redefine it.
///
/// Names are matched ignoring ASCII case. A name may not be a territory code or `Worldwide`,
/// so `"JP"` in a rule can only ever mean Japan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "GroupsWire")]
pub struct TerritoryGroups {
    /// The label's definitions, by name as the label spelled it.
    user: BTreeMap<String, Vec<Territory>>,
}

#[derive(Deserialize)]
struct GroupsWire {
    #[serde(default)]
    user: BTreeMap<String, Vec<String>>,
}

impl TryFrom<GroupsWire> for TerritoryGroups {
    type Error = RightsError;

    fn try_from(wire: GroupsWire) -> Result<Self, RightsError> {
        let mut groups = TerritoryGroups::default();
        for (name, codes) in wire.user {
            groups.define(&name, &codes)?;
        }
        Ok(groups)
    }
}

impl TerritoryGroups {
    /// Only the built-in groups.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defines or redefines a group. Refuses an empty group, a bad name, or an unknown code,
    /// naming it: `group "Launch" contains unknown territory code "ZZ"`.
    pub fn define<S: AsRef<str>>(&mut self, name: &str, codes: &[S]) -> Result<(), RightsError> {
        let name = validate_group_name(name)?;
        let mut territories = Vec::with_capacity(codes.len());
        for code in codes {
            let territory = Territory::parse(code.as_ref()).map_err(|_| RightsError::UnknownCodeInGroup {
                group: name.clone(),
                code: code.as_ref().trim().to_owned(),
            })?;
            if !territories.contains(&territory) {
                territories.push(territory);
            }
        }
        if territories.is_empty() {
            return Err(RightsError::EmptyGroup(name));
        }
        territories.sort();
        // A redefinition keeps one entry even if the label changed the name's case.
        self.user.retain(|existing, _| !existing.eq_ignore_ascii_case(&name));
        self.user.insert(name, territories);
        Ok(())
    }

    /// Removes the label's definition; a built-in of that name becomes visible again. Returns
    /// whether there was a definition to remove.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.user.len();
        self.user.retain(|existing, _| !existing.eq_ignore_ascii_case(name.trim()));
        before != self.user.len()
    }

    /// The members of a group, user definitions first, then built-ins.
    pub fn resolve(&self, name: &str) -> Option<TerritorySet> {
        let name = name.trim();
        if let Some((_, members)) = self.user.iter().find(|(existing, _)| existing.eq_ignore_ascii_case(name))
        {
            return Some(members.iter().copied().collect());
        }
        builtin_definitions()
            .into_iter()
            .find(|(builtin, _)| builtin.eq_ignore_ascii_case(name))
            .map(|(_, codes)| codes.iter().filter_map(|code| Territory::parse(code).ok()).collect())
    }

    /// The canonical spelling of a known group name (`"eu"` -> `"EU"`).
    pub fn canonical_name(&self, name: &str) -> Option<String> {
        let name = name.trim();
        self.user.keys().find(|existing| existing.eq_ignore_ascii_case(name)).cloned().or_else(|| {
            builtin_definitions()
                .into_iter()
                .find(|(builtin, _)| builtin.eq_ignore_ascii_case(name))
                .map(|(builtin, _)| builtin.to_owned())
        })
    }

    /// Every group in effect: built-ins in their display order (with user overrides applied),
    /// then the label's own groups by name.
    pub fn list(&self) -> Vec<TerritoryGroup> {
        let mut out = Vec::new();
        for (name, codes) in builtin_definitions() {
            match self.user.iter().find(|(existing, _)| existing.eq_ignore_ascii_case(name)) {
                Some((user_name, members)) => out.push(TerritoryGroup {
                    name: user_name.clone(),
                    territories: members.clone(),
                    builtin: false,
                }),
                None => {
                    let mut territories: Vec<Territory> =
                        codes.iter().filter_map(|code| Territory::parse(code).ok()).collect();
                    territories.sort();
                    out.push(TerritoryGroup { name: name.to_owned(), territories, builtin: true });
                }
            }
        }
        for (name, members) in &self.user {
            if !out.iter().any(|group| group.name.eq_ignore_ascii_case(name)) {
                out.push(TerritoryGroup { name: name.clone(), territories: members.clone(), builtin: false });
            }
        }
        out
    }
}

fn validate_group_name(raw: &str) -> Result<String, RightsError> {
    let name = raw.trim();
    let invalid = |reason| RightsError::InvalidGroupName { name: name.to_owned(), reason };
    if name.is_empty() || name.len() > 40 {
        return Err(invalid("use 1-40 characters"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')) {
        return Err(invalid("use letters, digits, '_' or '-' only"));
    }
    if name.eq_ignore_ascii_case("worldwide") {
        return Err(invalid("Worldwide is not a group"));
    }
    if Territory::parse(name).is_ok() {
        return Err(invalid("it is a territory code"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(set: TerritorySet) -> String {
        set.describe()
    }

    #[test]
    fn builtins_have_expected_members() {
        let groups = TerritoryGroups::new();
        let eu = groups.resolve("eu").expect("EU is built in");
        assert_eq!(eu.len(), 27);
        assert_eq!(groups.resolve("EEA").expect("EEA").len(), 30);
        assert_eq!(codes(groups.resolve("DACH").expect("DACH")), "AT, CH, DE");
        assert!(!eu.contains(Territory::parse("GB").expect("GB")));
        assert!(!eu.contains(Territory::parse("CH").expect("CH")));
        let apac = groups.resolve("APAC").expect("APAC");
        assert!(apac.contains(Territory::parse("JP").expect("JP")));
        assert!(apac.contains(Territory::parse("AU").expect("AU")));
        // Every built-in code is a real code (parse errors would silently shrink a group).
        for (name, members) in builtin_definitions() {
            assert!(members.iter().all(|code| Territory::parse(code).is_ok()), "{name}");
        }
    }

    #[test]
    fn user_groups_extend_and_override() -> Result<(), RightsError> {
        let mut groups = TerritoryGroups::new();
        groups.define("Launch", &["JP", "KR"])?;
        groups.define("dach", &["DE", "AT"])?;
        assert_eq!(codes(groups.resolve("launch").expect("Launch")), "JP, KR");
        assert_eq!(codes(groups.resolve("DACH").expect("DACH")), "AT, DE");
        let listed = groups.list();
        assert!(listed.iter().any(|g| g.name == "dach" && !g.builtin));
        assert!(listed.iter().any(|g| g.name == "Launch"));
        assert!(groups.remove("DACH"));
        assert_eq!(groups.resolve("DACH").expect("DACH").len(), 3);
        Ok(())
    }

    #[test]
    fn refuses_unknown_codes_and_bad_names() {
        let mut groups = TerritoryGroups::new();
        assert_eq!(
            groups.define("Launch", &["JP", "ZZ"]).expect_err("ZZ").to_string(),
            "group \"Launch\" contains unknown territory code \"ZZ\""
        );
        assert!(groups.define("JP", &["JP"]).is_err());
        assert!(groups.define("Worldwide", &["JP"]).is_err());
        assert!(groups.define("a b", &["JP"]).is_err());
        assert!(groups.define("Empty", &[] as &[&str]).is_err());
    }

    #[test]
    fn serde_round_trip_validates() -> Result<(), Box<dyn std::error::Error>> {
        let mut groups = TerritoryGroups::new();
        groups.define("Launch", &["JP", "KR"])?;
        let json = serde_json::to_string(&groups)?;
        assert_eq!(json, r#"{"user":{"Launch":["JP","KR"]}}"#);
        assert_eq!(serde_json::from_str::<TerritoryGroups>(&json)?, groups);
        let bad = serde_json::from_str::<TerritoryGroups>(r#"{"user":{"Launch":["JP","ZZ"]}}"#);
        assert!(bad.expect_err("ZZ").to_string().contains("\"ZZ\""));
        Ok(())
    }
}
