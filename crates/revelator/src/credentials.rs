//! Where the partner API key lives: the OS keyring (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows), never the catalog file. The access token is not
//! stored at all; it lives in the client's memory.
//!
//! Keyring calls block (D-Bus round trips); call them off the async runtime
//! (`tokio::task::spawn_blocking`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::error::{Result, RevelatorError};
use crate::secret::Credentials;

/// The keyring service Catno's entries live under.
pub const KEYRING_SERVICE: &str = "org.catno.revelator";

/// Storage for credentials by account name (a label's Revelator connection).
pub trait CredentialStore: Send + Sync {
    fn load(&self, account: &str) -> Result<Option<Credentials>>;
    fn store(&self, account: &str, credentials: &Credentials) -> Result<()>;
    /// Deleting what is not there is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The OS keyring. The entry's secret is the JSON `{partnerApiKey, partnerUserId}`.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore { service: KEYRING_SERVICE.to_owned() }
    }
}

impl KeyringStore {
    /// A store under another service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Self {
        KeyringStore { service: service.into() }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        if account.trim().is_empty() {
            return Err(RevelatorError::Invalid("a Revelator connection needs a name".into()));
        }
        keyring::Entry::new(&self.service, account).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> RevelatorError {
    // keyring's messages never include the secret.
    RevelatorError::Keyring(e.to_string())
}

impl CredentialStore for KeyringStore {
    fn load(&self, account: &str) -> Result<Option<Credentials>> {
        match self.entry(account)?.get_password() {
            Ok(json) => serde_json::from_str(&json).map(Some).map_err(|_| {
                RevelatorError::Keyring(format!("the keyring entry for {account} is not Catno's"))
            }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn store(&self, account: &str, credentials: &Credentials) -> Result<()> {
        if credentials.partner_api_key.is_empty() || credentials.partner_user_id.trim().is_empty() {
            return Err(RevelatorError::Invalid("the partner API key and user id are both required".into()));
        }
        let json = serde_json::to_string(credentials).map_err(|e| RevelatorError::Keyring(e.to_string()))?;
        self.entry(account)?.set_password(&json).map_err(keyring_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// In-memory credentials for tests of code that takes a [`CredentialStore`], and for running
/// without a keyring in a session the user chose not to persist.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<String, Credentials>>,
}

impl CredentialStore for MemoryStore {
    fn load(&self, account: &str) -> Result<Option<Credentials>> {
        Ok(self.entries.lock().map_err(|_| RevelatorError::Keyring("poisoned".into()))?.get(account).cloned())
    }

    fn store(&self, account: &str, credentials: &Credentials) -> Result<()> {
        self.entries
            .lock()
            .map_err(|_| RevelatorError::Keyring("poisoned".into()))?
            .insert(account.to_owned(), credentials.clone());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.entries.lock().map_err(|_| RevelatorError::Keyring("poisoned".into()))?.remove(account);
        Ok(())
    }
}
