/// Everything the rights engine refuses, each naming the offending value so the CLI and the
/// editor can show it as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RightsError {
    #[error("unknown territory code \"{0}\"")]
    UnknownTerritory(String),
    #[error("unknown territory group \"{0}\"")]
    UnknownGroup(String),
    #[error("invalid group name \"{name}\": {reason}")]
    InvalidGroupName { name: String, reason: &'static str },
    #[error("group \"{group}\" contains unknown territory code \"{code}\"")]
    UnknownCodeInGroup { group: String, code: String },
    #[error("group \"{0}\" is empty")]
    EmptyGroup(String),
    #[error(
        "invalid store id \"{0}\": use 1-40 lower-case letters, digits, '_' or '-', starting with a letter"
    )]
    InvalidStore(String),
    #[error("unknown use \"{0}\": expected subscription, ad-supported, download or ugc")]
    UnknownUse(String),
    #[error("invalid date \"{0}\": expected YYYY-MM-DD")]
    InvalidDate(String),
    #[error("the rule names no territory")]
    NoTerritories,
    #[error("end date {end} is before start date {start}")]
    EndBeforeStart { start: String, end: String },
    #[error("pre-order start {preorder} must be before the start date {start}")]
    PreorderNotBeforeStart { preorder: String, start: String },
    #[error("a pre-order start needs a start (street) date")]
    PreorderWithoutStart,
    #[error("an exclude rule cannot carry dates; give the include rule a start or end date instead")]
    DatesOnExclude,
    #[error("track {0} is not on this release")]
    UnknownTrack(i64),
    #[error("there is no {0}")]
    UnknownRule(String),
    #[error("{0}")]
    SubsetViolation(String),
}
