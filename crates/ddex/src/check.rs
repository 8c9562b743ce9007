//! Findings: what is wrong or worth knowing about a message, named by the catalog field a
//! person would fix (`release.upc`, `track[2].isrc`; track indexes are 0-based positions in
//! `ReleaseMessageInput::tracks`), or by `xml:` plus the element for XML-level problems.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The message must not be sent as is.
    Error,
    /// Sent, but something was dropped or a DSP may complain.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub field: String,
}

impl Finding {
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity: Severity::Error, message: message.into(), field: field.into() }
    }

    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity: Severity::Warning, message: message.into(), field: field.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.field, self.message)
    }
}

/// The generated XML plus the warnings met on the way (errors abort generation instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub xml: String,
    pub findings: Vec<Finding>,
}
