//! A finding: one rule's verdict on one file, with the measured value and the limit.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// Stable id of the rule, e.g. `AUD-WAV-TRAILING` or `ART-DIM`.
    pub rule_id: String,
    pub severity: Severity,
    /// One sentence naming the file and the value.
    pub message: String,
    pub measured: Option<String>,
    pub limit: Option<String>,
    pub fix_hint: Option<String>,
}

impl Finding {
    pub(crate) fn new(rule_id: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule_id: rule_id.to_owned(),
            severity,
            message: message.into(),
            measured: None,
            limit: None,
            fix_hint: None,
        }
    }
    pub(crate) fn measured(mut self, value: impl Into<String>) -> Finding {
        self.measured = Some(value.into());
        self
    }
    pub(crate) fn limit(mut self, value: impl Into<String>) -> Finding {
        self.limit = Some(value.into());
        self
    }
    pub(crate) fn hint(mut self, value: impl Into<String>) -> Finding {
        self.fix_hint = Some(value.into());
        self
    }
}
