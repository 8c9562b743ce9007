use std::path::PathBuf;

use crate::check::Finding;

/// Everything that can go wrong in this crate. Messages name the catalog field or the file.
#[derive(Debug, thiserror::Error)]
pub enum DdexError {
    /// The input breaks a rule the message cannot be written without; every finding of
    /// severity error is listed, the first one in the message.
    #[error("{} ({} problem{} in total)", first_message(.0), .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Rejected(Vec<Finding>),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("DSP profile {profile}: {message}")]
    Profile { profile: String, message: String },
    #[error("unknown DSP profile {0:?} (known: spotify, youtube, generic-ern43, generic-ern382)")]
    UnknownProfile(String),
    #[error("writing XML: {0}")]
    Write(String),
    #[error("reading XML ({context}): {message}")]
    Parse { context: String, message: String },
    #[error("XSD schema {path}: {message}")]
    Schema { path: String, message: String },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: MD5 is {actual}, expected {expected}")]
    HashMismatch { file: String, expected: String, actual: String },
    #[error("batch {batch}: {message}")]
    Batch { batch: String, message: String },
}

fn first_message(findings: &[Finding]) -> String {
    findings.first().map(|f| format!("{}: {}", f.field, f.message)).unwrap_or_else(|| "rejected".to_owned())
}

impl DdexError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DdexError::Io { path: path.into(), source }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DdexError::Invalid { field: field.into(), message: message.into() }
    }
}
