//! Column mappings: which target each header of a file feeds. Catno proposes one from the
//! header names (its own template, release-per-row and track-per-row sheets, and distributor
//! templates in the AudioSalad/Believe style with a column per credit role, territory and date
//! columns); the user saves it as JSON, edits it, and passes it back.
//!
//! Targets are the template's columns (`upc`, `track_title`, ...) plus
//! `contributor:<Role>` (names of one credit role, `;` or `|` apart), `writer:<Role>` (names
//! of one writer role), `splits` (`Name 50%; Name 50%`), `territories` and
//! `excluded_territories` (ISO codes or groups), `preorder_date` and `end_date`.

use std::collections::BTreeMap;

use catno_domain::{ContributorRole, WriterRole};
use serde::{Deserialize, Serialize};

use super::csv_template::Field;
use crate::{Error, Result};

/// What one column of a file feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Field(Field),
    Contributor(ContributorRole),
    Writer(WriterRole),
    /// `Name share%; ...`: the writers' shares, by name.
    Splits,
    Territories,
    ExcludedTerritories,
    PreorderDate,
    EndDate,
}

impl Target {
    pub fn name(self) -> String {
        match self {
            Target::Field(f) => f.name().to_owned(),
            Target::Contributor(role) => format!("contributor:{role}"),
            Target::Writer(role) => format!("writer:{role}"),
            Target::Splits => "splits".to_owned(),
            Target::Territories => "territories".to_owned(),
            Target::ExcludedTerritories => "excluded_territories".to_owned(),
            Target::PreorderDate => "preorder_date".to_owned(),
            Target::EndDate => "end_date".to_owned(),
        }
    }

    pub fn parse(name: &str) -> Option<Target> {
        let name = name.trim();
        if let Some(field) = Field::from_name(name) {
            return Some(Target::Field(field));
        }
        if let Some(role) = name.strip_prefix("contributor:") {
            return ContributorRole::parse(role).map(Target::Contributor);
        }
        if let Some(role) = name.strip_prefix("writer:") {
            return WriterRole::parse(role).map(Target::Writer);
        }
        Some(match name {
            "splits" => Target::Splits,
            "territories" => Target::Territories,
            "excluded_territories" => Target::ExcludedTerritories,
            "preorder_date" => Target::PreorderDate,
            "end_date" => Target::EndDate,
            _ => return None,
        })
    }

    /// Columns whose value belongs to the release, so every row of one release must agree.
    pub fn is_release_level(self) -> bool {
        match self {
            Target::Field(f) => Field::RELEASE.contains(&f),
            Target::Territories | Target::ExcludedTerritories | Target::PreorderDate | Target::EndDate => {
                true
            }
            Target::Contributor(_) | Target::Writer(_) | Target::Splits => false,
        }
    }
}

/// Lowercase letters and digits only: `"ISRC Code"` and `isrc_code` both fold to `isrccode`.
pub(crate) fn fold(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Header spellings (folded) of the targets that are not template columns; plurals and
/// "(s)" fold the same way, so both are listed.
fn extra_target(folded: &str) -> Option<Target> {
    use ContributorRole as C;
    use WriterRole as W;
    let singular = folded.strip_suffix('s').unwrap_or(folded);
    Some(match singular {
        "featuring" | "feat" | "ft" | "featuredartist" | "featartist" | "featuringartist" => {
            Target::Contributor(C::FeaturedArtist)
        }
        "producer" | "producedby" | "trackproducer" => Target::Contributor(C::Producer),
        "coproducer" | "coproducedby" => Target::Contributor(C::CoProducer),
        "mixer" | "mixingengineer" | "mixedby" | "mixengineer" => Target::Contributor(C::MixingEngineer),
        "masteringengineer" | "masteredby" | "mastering" => Target::Contributor(C::MasteringEngineer),
        "recordingengineer" | "engineer" | "recordedby" => Target::Contributor(C::RecordingEngineer),
        "remixer" | "remixedby" => Target::Contributor(C::Remixer),
        "arranger" | "arrangedby" => Target::Contributor(C::Arranger),
        "conductor" => Target::Contributor(C::Conductor),
        "vocalist" | "vocal" | "singer" => Target::Contributor(C::Vocalist),
        "instrumentalist" | "musician" => Target::Contributor(C::Instrumentalist),
        "composer" | "composedby" | "music" | "musicby" => Target::Writer(W::Composer),
        "lyricist" | "lyricsby" | "lyric" | "wordsby" | "author" => Target::Writer(W::Lyricist),
        "composerlyricist" | "composerandlyricist" | "songwriter" | "writtenby" | "composerauthor" => {
            Target::Writer(W::ComposerLyricist)
        }
        "arrangerwriter" | "workarranger" => Target::Writer(W::Arranger),
        "translator" | "translatedby" => Target::Writer(W::Translator),
        "split" | "writersplit" | "publishingsplit" | "share" | "writershare" => Target::Splits,
        "territorie"
        | "territory"
        | "salesterritorie"
        | "availableterritorie"
        | "includedterritorie"
        | "countrie"
        | "rightsterritorie"
        | "territoriesinclude" => Target::Territories,
        "excludedterritorie"
        | "excludeterritorie"
        | "territoryexclusion"
        | "excludedcountrie"
        | "territoriesexclude"
        | "blockedterritorie"
        | "restrictedterritorie" => Target::ExcludedTerritories,
        "preorderdate" | "preorder" | "preorderstartdate" | "presaledate" => Target::PreorderDate,
        "enddate" | "takedowndate" | "expirydate" | "licenseenddate" | "salesenddate" | "expirationdate" => {
            Target::EndDate
        }
        _ => return None,
    })
}

/// Which target each header of a file feeds; `null` ignores the column. Saved as JSON,
/// edited, and passed back with `--mapping`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnMapping {
    /// The layout Catno recognised: `catno` (its own template), `track_per_row`,
    /// `release_per_row`; informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// File header (as written in the file) to target column name.
    pub columns: BTreeMap<String, Option<String>>,
}

impl ColumnMapping {
    /// The mapping Catno proposes for these headers: exact names, then aliases, each target
    /// once (the first header wins).
    pub fn propose(headers: &[String]) -> Self {
        let mut taken: Vec<Target> = Vec::new();
        let mut columns = BTreeMap::new();
        let mut exact = 0;
        for header in headers {
            let folded = fold(header);
            if folded.is_empty() {
                continue;
            }
            let by_name = Field::ALL.into_iter().find(|f| fold(f.name()) == folded);
            if by_name.is_some() {
                exact += 1;
            }
            let target = by_name
                .map(Target::Field)
                .or_else(|| Target::parse(header).filter(|t| !matches!(t, Target::Field(_))))
                .or_else(|| {
                    Field::ALL.into_iter().find(|f| f.aliases().contains(&folded.as_str())).map(Target::Field)
                })
                .or_else(|| extra_target(&folded))
                .filter(|t| !taken.contains(t));
            if let Some(t) = target {
                taken.push(t);
            }
            columns.insert(header.trim().to_owned(), target.map(Target::name));
        }
        let has_tracks = taken.iter().any(|t| {
            matches!(t, Target::Field(Field::Isrc | Field::TrackTitle | Field::Track | Field::Duration))
        });
        let layout = if exact * 2 > headers.len().max(1) && exact >= 4 {
            "catno"
        } else if has_tracks {
            "track_per_row"
        } else {
            "release_per_row"
        };
        Self { layout: Some(layout.to_owned()), columns }
    }

    /// Every target a column can feed, by name, in the order a picker lists them: the
    /// template's columns, one per credit role and writer role, then the rest.
    pub fn targets() -> Vec<String> {
        Field::ALL
            .into_iter()
            .map(Target::Field)
            .chain(ContributorRole::ALL.iter().map(|r| Target::Contributor(*r)))
            .chain(WriterRole::ALL.iter().map(|r| Target::Writer(*r)))
            .chain([
                Target::Splits,
                Target::Territories,
                Target::ExcludedTerritories,
                Target::PreorderDate,
                Target::EndDate,
            ])
            .map(Target::name)
            .collect()
    }

    /// For each header position, the target it feeds; refuses unknown targets and a target
    /// fed twice.
    pub(crate) fn resolve(&self, headers: &[String]) -> Result<Vec<Option<Target>>> {
        let mut seen: Vec<Target> = Vec::new();
        let mut out = Vec::with_capacity(headers.len());
        for header in headers {
            let target = match self.columns.get(header.trim()) {
                Some(Some(name)) => Some(Target::parse(name).ok_or_else(|| {
                    let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                    Error::Invalid(format!(
                        "mapping: \"{name}\" (for header \"{header}\") is not a target; known: {}, \
                         contributor:<Role>, writer:<Role>, splits, territories, excluded_territories, \
                         preorder_date, end_date",
                        known.join(", ")
                    ))
                })?),
                _ => None,
            };
            if let Some(t) = target {
                if seen.contains(&t) {
                    return Err(Error::Invalid(format!(
                        "mapping: {} is fed by more than one header",
                        t.name()
                    )));
                }
                seen.push(t);
            }
            out.push(target);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn propose(headers: &[&str]) -> ColumnMapping {
        ColumnMapping::propose(&headers.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn targets_round_trip_through_their_names() {
        for target in [
            Target::Field(Field::Upc),
            Target::Contributor(ContributorRole::MixingEngineer),
            Target::Writer(WriterRole::ComposerLyricist),
            Target::Splits,
            Target::Territories,
            Target::ExcludedTerritories,
            Target::PreorderDate,
            Target::EndDate,
        ] {
            assert_eq!(Target::parse(&target.name()), Some(target));
        }
        assert_eq!(Target::parse("contributor:Nobody"), None);
    }

    #[test]
    fn every_listed_target_parses_and_is_listed_once() {
        let targets = ColumnMapping::targets();
        for name in &targets {
            assert!(Target::parse(name).is_some_and(|t| t.name() == *name), "{name}");
        }
        let mut unique = targets.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), targets.len());
        assert!(targets.iter().any(|t| t == "contributor:Producer"), "{targets:?}");
        assert!(targets.iter().any(|t| t == "upc"));
        assert!(targets.iter().any(|t| t == "end_date"));
    }

    #[test]
    fn catno_template_is_recognised() {
        let headers: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        let mapping = propose(&headers);
        assert_eq!(mapping.layout.as_deref(), Some("catno"));
        assert!(headers.iter().all(|h| mapping.columns[*h].as_deref() == Some(*h)));
    }
}
