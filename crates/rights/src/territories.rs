//! ISO 3166-1 alpha-2 territories as indices into one fixed table, and 256-bit sets of them.
//!
//! Every hot loop in the engine works on [`TerritorySet`] bitsets (four `u64` words) rather than
//! on strings, which is what keeps a whole-release matrix inside the performance budget.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::RightsError;

/// The officially assigned ISO 3166-1 alpha-2 codes (249), sorted so that a binary search finds
/// a code and a territory's index orders like its code. User-assigned codes such as `XK`
/// (Kosovo) and exceptional reservations such as `EU` or `UK` are deliberately absent: DSPs and
/// DDEX validators reject them.
const CODES: [&str; TERRITORY_COUNT] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", // A
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT",
    "BV", "BW", "BY", "BZ", // B
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX",
    "CY", "CZ", // C
    "DE", "DJ", "DK", "DM", "DO", "DZ", // D
    "EC", "EE", "EG", "EH", "ER", "ES", "ET", // E
    "FI", "FJ", "FK", "FM", "FO", "FR", // F
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU",
    "GW", "GY", // G
    "HK", "HM", "HN", "HR", "HT", "HU", // H
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", // I
    "JE", "JM", "JO", "JP", // J
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", // K
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", // L
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", // M
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", // N
    "OM", // O
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", // P
    "QA", // Q
    "RE", "RO", "RS", "RU", "RW", // R
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", // S
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", // T
    "UA", "UG", "UM", "US", "UY", "UZ", // U
    "VA", "VC", "VE", "VG", "VI", "VN", "VU", // V
    "WF", "WS", // W
    "YE", "YT", // Y
    "ZA", "ZM", "ZW", // Z
];

/// How many territories there are (the length of [`Territory::all`]).
pub const TERRITORY_COUNT: usize = 249;

/// One ISO 3166-1 alpha-2 territory; internally its index in the code table. On the wire and in
/// the database it is the upper-case code (`"JP"`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct Territory(u8);

impl Territory {
    /// Parses a code, ignoring case and surrounding spaces: `"jp"` -> JP.
    pub fn parse(raw: &str) -> Result<Self, RightsError> {
        let code = raw.trim().to_ascii_uppercase();
        CODES
            .binary_search(&code.as_str())
            .map(|index| Territory(index as u8))
            .map_err(|_| RightsError::UnknownTerritory(raw.trim().to_owned()))
    }

    /// The upper-case ISO code.
    pub fn code(self) -> &'static str {
        CODES[usize::from(self.0)]
    }

    /// Position in the fixed table (`0..TERRITORY_COUNT`), for dense matrices.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The territory at a table position, if there is one.
    pub fn from_index(index: usize) -> Option<Self> {
        (index < TERRITORY_COUNT).then_some(Territory(index as u8))
    }

    /// Every territory, in code order.
    pub fn all() -> impl Iterator<Item = Territory> {
        (0..TERRITORY_COUNT).map(|index| Territory(index as u8))
    }
}

// Debug prints the code: test failures and logs should read `JP`, not an index.
impl fmt::Debug for Territory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Territory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Territory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Territory {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Territory::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A set of territories: 256 bits, one per table index. Copy-cheap; set algebra is four word
/// operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TerritorySet([u64; 4]);

impl TerritorySet {
    pub const EMPTY: TerritorySet = TerritorySet([0; 4]);

    /// All 249 territories.
    pub const fn all() -> Self {
        // 249 = 3 * 64 + 57: the last word keeps its low 57 bits.
        TerritorySet([u64::MAX, u64::MAX, u64::MAX, (1 << (TERRITORY_COUNT - 192)) - 1])
    }

    pub fn insert(&mut self, territory: Territory) {
        self.0[territory.index() / 64] |= 1 << (territory.index() % 64);
    }

    pub fn remove(&mut self, territory: Territory) {
        self.0[territory.index() / 64] &= !(1 << (territory.index() % 64));
    }

    pub fn contains(&self, territory: Territory) -> bool {
        self.0[territory.index() / 64] & (1 << (territory.index() % 64)) != 0
    }

    pub fn union(&self, other: &Self) -> Self {
        TerritorySet(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    pub fn intersection(&self, other: &Self) -> Self {
        TerritorySet(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    pub fn difference(&self, other: &Self) -> Self {
        TerritorySet(std::array::from_fn(|i| self.0[i] & !other.0[i]))
    }

    /// Every territory not in this set.
    pub fn complement(&self) -> Self {
        TerritorySet::all().difference(self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|word| *word == 0)
    }

    pub fn is_all(&self) -> bool {
        *self == TerritorySet::all()
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    /// Members in code order.
    pub fn iter(&self) -> impl Iterator<Item = Territory> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(Territory((w * 64 + bit) as u8))
            })
        })
    }

    /// Members as a sorted code list, for messages and DDEX.
    pub fn to_vec(&self) -> Vec<Territory> {
        self.iter().collect()
    }

    /// `"DE, AT, CH"`-style text for messages, in code order.
    pub fn describe(&self) -> String {
        if self.is_all() {
            return "Worldwide".to_owned();
        }
        self.iter().map(Territory::code).collect::<Vec<_>>().join(", ")
    }
}

impl FromIterator<Territory> for TerritorySet {
    fn from_iter<I: IntoIterator<Item = Territory>>(iter: I) -> Self {
        let mut set = TerritorySet::EMPTY;
        for territory in iter {
            set.insert(territory);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_two_letter_codes() {
        assert!(CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(CODES.iter().all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())));
        assert_eq!(Territory::all().count(), 249);
    }

    #[test]
    fn parses_known_codes_and_names_unknown_ones() -> Result<(), RightsError> {
        assert_eq!(Territory::parse(" jp ")?.code(), "JP");
        assert_eq!(
            Territory::parse("XK").expect_err("XK is user-assigned").to_string(),
            "unknown territory code \"XK\""
        );
        assert!(Territory::parse("EU").is_err());
        assert!(Territory::parse("UK").is_err());
        Ok(())
    }

    #[test]
    fn set_algebra() -> Result<(), RightsError> {
        let all = TerritorySet::all();
        assert_eq!(all.len(), TERRITORY_COUNT);
        assert!(all.contains(Territory::parse("ZW")?));
        let dach: TerritorySet =
            ["DE", "AT", "CH"].iter().map(|c| Territory::parse(c)).collect::<Result<_, _>>()?;
        assert_eq!(dach.describe(), "AT, CH, DE");
        assert_eq!(dach.complement().len(), TERRITORY_COUNT - 3);
        assert!(dach.complement().intersection(&dach).is_empty());
        assert_eq!(dach.union(&dach.complement()), all);
        Ok(())
    }
}
