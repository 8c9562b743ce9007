//! Secrets (the partner API key, access tokens) in a type that never prints itself.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string. `Debug` and `Display` print `[redacted]`, so a secret inside any struct
/// that derives `Debug` (requests, errors, log fields) never reaches a log or an error message.
/// The value is reachable only through [`Secret::expose`], which makes every use greppable.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

// Serialising is needed for the login body and the keyring entry; both are deliberate.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// What an unprompted partner login needs (NOTES §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub partner_api_key: Secret,
    /// Chosen by the partner at child-account signup, or issued by Revelator for the partner's
    /// own tenant. Not a secret on its own, but useless without the key.
    pub partner_user_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let creds =
            Credentials { partner_api_key: Secret::new("key-XYZ-123"), partner_user_id: "label-7".into() };
        let debug = format!("{creds:?}");
        assert!(!debug.contains("key-XYZ-123"), "{debug}");
        assert!(debug.contains("label-7"));
        assert_eq!(format!("{}", creds.partner_api_key), "[redacted]");
        assert_eq!(creds.partner_api_key.expose(), "key-XYZ-123");
    }
}
