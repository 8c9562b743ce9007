//! Catalog roles to DDEX role values, per ERN version. The two AVS editions differ: ERN 3.8.2
//! splits performers/producers (`ResourceContributorRole`) from work writers
//! (`IndirectResourceContributorRole`) and lacks engineer and remixer roles; ERN 4.3 has one
//! `ContributorRole` list (AVS v3) that has no plain `Producer`. A value an edition lacks is
//! written as `UserDefined` with `UserDefinedValue` and the sender's `Namespace`.

use catno_domain::{ContributorRole, WriterRole};

/// A role value: an AVS value, or `UserDefined` carrying this text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleValue {
    Avs(&'static str),
    UserDefined(&'static str),
}

/// Where a credit goes in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSlot {
    /// `DisplayArtist` with this `DisplayArtistRole` (4.3) / `ArtistRole` (3.8.2).
    DisplayArtist(&'static str),
    /// 4.3 `Contributor/Role`; 3.8.2 `ResourceContributor/ResourceContributorRole`.
    Contributor(RoleValue),
    /// 3.8.2 only: `IndirectResourceContributor/IndirectResourceContributorRole` (work writers).
    Indirect(RoleValue),
}

pub fn contributor_role_43(role: ContributorRole) -> RoleSlot {
    use ContributorRole as R;
    use RoleValue::{Avs, UserDefined};
    match role {
        R::MainArtist => RoleSlot::DisplayArtist("MainArtist"),
        R::FeaturedArtist => RoleSlot::DisplayArtist("FeaturedArtist"),
        // AVS v3 ContributorRole has only specialised producers (StudioProducer, ...).
        R::Producer => RoleSlot::Contributor(UserDefined("Producer")),
        R::CoProducer => RoleSlot::Contributor(Avs("CoProducer")),
        R::MixingEngineer => RoleSlot::Contributor(Avs("MixingEngineer")),
        R::MasteringEngineer => RoleSlot::Contributor(Avs("MasteringEngineer")),
        R::RecordingEngineer => RoleSlot::Contributor(Avs("RecordingEngineer")),
        R::Remixer => RoleSlot::Contributor(Avs("Remixer")),
        R::Arranger => RoleSlot::Contributor(Avs("Arranger")),
        R::Conductor => RoleSlot::Contributor(Avs("Conductor")),
        R::Composer => RoleSlot::Contributor(Avs("Composer")),
        R::Lyricist => RoleSlot::Contributor(Avs("Lyricist")),
        R::Vocalist => RoleSlot::Contributor(Avs("Vocalist")),
        R::Instrumentalist => RoleSlot::Contributor(Avs("Musician")),
    }
}

pub fn contributor_role_382(role: ContributorRole) -> RoleSlot {
    use ContributorRole as R;
    use RoleValue::{Avs, UserDefined};
    match role {
        R::MainArtist => RoleSlot::DisplayArtist("MainArtist"),
        R::FeaturedArtist => RoleSlot::DisplayArtist("FeaturedArtist"),
        R::Producer => RoleSlot::Contributor(Avs("Producer")),
        R::Conductor => RoleSlot::Contributor(Avs("Conductor")),
        R::CoProducer => RoleSlot::Contributor(UserDefined("CoProducer")),
        R::MixingEngineer => RoleSlot::Contributor(UserDefined("MixingEngineer")),
        R::MasteringEngineer => RoleSlot::Contributor(UserDefined("MasteringEngineer")),
        R::RecordingEngineer => RoleSlot::Contributor(UserDefined("RecordingEngineer")),
        R::Remixer => RoleSlot::Contributor(UserDefined("Remixer")),
        R::Vocalist => RoleSlot::Contributor(UserDefined("Vocalist")),
        R::Instrumentalist => RoleSlot::Contributor(UserDefined("Instrumentalist")),
        R::Arranger => RoleSlot::Indirect(Avs("Arranger")),
        R::Composer => RoleSlot::Indirect(Avs("Composer")),
        R::Lyricist => RoleSlot::Indirect(Avs("Lyricist")),
    }
}

/// Writer roles exist in both editions (4.3 ContributorRole, 3.8.2 CreativeContributorRole).
pub fn writer_role(role: WriterRole) -> RoleValue {
    RoleValue::Avs(match role {
        WriterRole::Composer => "Composer",
        WriterRole::Lyricist => "Lyricist",
        WriterRole::ComposerLyricist => "ComposerLyricist",
        WriterRole::Arranger => "Arranger",
        WriterRole::Translator => "Translator",
    })
}

/// Inverse of the 4.3 mapping, for import.
pub(crate) fn contributor_role_from_43(value: &str, user_defined: Option<&str>) -> Option<ContributorRole> {
    let wanted = match value {
        "UserDefined" => user_defined?,
        other => other,
    };
    ContributorRole::ALL.iter().copied().find(|role| match contributor_role_43(*role) {
        RoleSlot::DisplayArtist(v) => v == wanted,
        RoleSlot::Contributor(RoleValue::Avs(v) | RoleValue::UserDefined(v)) => v == wanted,
        RoleSlot::Indirect(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_role_maps_in_both_versions_and_round_trips_in_43() {
        for role in ContributorRole::ALL.iter().copied() {
            let _ = contributor_role_382(role);
            let value = match contributor_role_43(role) {
                RoleSlot::DisplayArtist(v) => (v, None),
                RoleSlot::Contributor(RoleValue::Avs(v)) => (v, None),
                RoleSlot::Contributor(RoleValue::UserDefined(v)) => ("UserDefined", Some(v)),
                RoleSlot::Indirect(_) => ("", None),
            };
            assert_eq!(contributor_role_from_43(value.0, value.1), Some(role), "{role}");
        }
    }

    #[test]
    fn writers_of_the_work_are_indirect_contributors_in_382() {
        assert_eq!(
            contributor_role_382(ContributorRole::Composer),
            RoleSlot::Indirect(RoleValue::Avs("Composer"))
        );
        assert_eq!(
            contributor_role_382(ContributorRole::MixingEngineer),
            RoleSlot::Contributor(RoleValue::UserDefined("MixingEngineer"))
        );
        assert_eq!(
            contributor_role_43(ContributorRole::MixingEngineer),
            RoleSlot::Contributor(RoleValue::Avs("MixingEngineer"))
        );
    }
}
