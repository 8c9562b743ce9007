use catno_db::DbError;
use catno_domain::FieldError;
use catno_media::MediaError;
use serde::{Deserialize, Serialize};

/// What kind of failure, stable for the UI and scripts to branch on; never parse messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    NotFound,
    Invalid,
    Conflict,
    Unauthorized,
    Offline,
    RemoteRejected,
    Io,
    Internal,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field value was refused; `field` names it.
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Media(#[from] MediaError),
    /// A rights rule, group or store was refused, or an edit would break the subset rule.
    #[error(transparent)]
    Rights(#[from] catno_rights::RightsError),
    /// DDEX generation, validation or batch writing failed (not data findings: those are
    /// returned as findings).
    #[error(transparent)]
    Ddex(#[from] catno_ddex::DdexError),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// A remote service could not be reached or did not answer usefully.
    #[error("{0}")]
    Offline(String),
    /// Revelator refused, failed or could not be reached; carries its raw answer.
    #[error(transparent)]
    Revelator(#[from] catno_revelator::RevelatorError),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Field(_) | Self::Invalid(_) | Self::Rights(_) => ErrorCode::Invalid,
            Self::Db(e) => match e {
                DbError::NotFound { .. } | DbError::Missing { .. } => ErrorCode::NotFound,
                DbError::Conflict(_) => ErrorCode::Conflict,
                DbError::NotACatalog { .. } | DbError::TooNew { .. } => ErrorCode::Invalid,
                DbError::Io { .. } => ErrorCode::Io,
                _ => ErrorCode::Internal,
            },
            // A file that is not (or no longer) media is bad input, not a failing disk.
            Self::Media(MediaError::Unsupported { .. } | MediaError::Corrupt { .. }) => ErrorCode::Invalid,
            Self::Media(_) | Self::Io { .. } => ErrorCode::Io,
            Self::Offline(_) => ErrorCode::Offline,
            Self::Ddex(e) => match e {
                catno_ddex::DdexError::Io { .. } | catno_ddex::DdexError::HashMismatch { .. } => {
                    ErrorCode::Io
                }
                catno_ddex::DdexError::Write(_) => ErrorCode::Internal,
                _ => ErrorCode::Invalid,
            },
            Self::Revelator(e) => {
                use catno_revelator::RevelatorError as R;
                match e {
                    R::Unauthorized { .. } => ErrorCode::Unauthorized,
                    R::Transport { .. } | R::RateLimited { .. } => ErrorCode::Offline,
                    R::Http { status, .. } if *status >= 500 => ErrorCode::Offline,
                    R::Http { status: 404, .. } => ErrorCode::NotFound,
                    R::Http { status: 409, .. } | R::WouldDeleteRemoteData { .. } => ErrorCode::Conflict,
                    R::Http { .. } | R::Decode { .. } => ErrorCode::RemoteRejected,
                    R::Invalid(_) | R::Unsupported(_) => ErrorCode::Invalid,
                    R::Io { .. } => ErrorCode::Io,
                    _ => ErrorCode::Internal,
                }
            }
        }
    }

    /// The field an `Invalid` error is about, for the editor to show it there.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Field(e) => Some(&e.field),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
