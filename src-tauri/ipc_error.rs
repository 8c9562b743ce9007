use catno_core::{Error, ErrorCode};
use serde::Serialize;

/// What the UI receives when a command fails: a stable code to branch on, a message to show,
/// and for `Invalid` the field to show it under.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        if error.code() == ErrorCode::Internal {
            tracing::error!(?error, "command failed");
        }
        Self { code: error.code(), message: error.to_string(), field: error.field().map(str::to_owned) }
    }
}
