//! The catalog's Revelator connection. The base URL and partner user id are settings of the
//! catalog; the partner API key lives only in the OS keyring (a [`CredentialStore`]), and the
//! access token only in the client's memory.

use std::sync::Arc;

use catno_revelator::{
    ClientConfig, CredentialStore, Credentials, PRODUCTION_BASE_URL, RevelatorClient, Secret,
};
use serde::{Deserialize, Serialize};

use crate::delivery::revelator::RevelatorBackend;
use crate::{Catalog, Error, Result};

const BASE_URL_KEY: &str = "revelator.base_url";
const USER_KEY: &str = "revelator.partner_user_id";

/// What the catalog knows of its Revelator account (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RevelatorAccount {
    pub base_url: String,
    pub partner_user_id: Option<String>,
    /// Whether the keyring holds a key for this user.
    pub has_key: bool,
}

/// The keyring entry name of a connection: one key per partner user and server, so a demo
/// server and production never share a key.
pub fn keyring_account(base_url: &str, partner_user_id: &str) -> String {
    format!("{partner_user_id}@{}", base_url.trim_end_matches('/'))
}

fn check_base_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    if !(trimmed.starts_with("https://")
        || trimmed.starts_with("http://127.0.0.1")
        || trimmed.starts_with("http://localhost"))
    {
        return Err(Error::Invalid(format!(
            "{raw:?} is not a Revelator address: use https://…, or http://127.0.0.1:PORT for the local fake"
        )));
    }
    Ok(trimmed.to_owned())
}

/// Keyring calls block on D-Bus: run them off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> catno_revelator::Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Invalid(format!("keyring task failed: {e}")))?
        .map_err(Error::from)
}

impl Catalog {
    pub async fn revelator_account(&self, store: Arc<dyn CredentialStore>) -> Result<RevelatorAccount> {
        let mut conn = self.db().read().await?;
        let base_url = catno_db::get_setting(&mut conn, BASE_URL_KEY)
            .await?
            .unwrap_or_else(|| PRODUCTION_BASE_URL.to_owned());
        let partner_user_id = catno_db::get_setting(&mut conn, USER_KEY).await?;
        drop(conn);
        let has_key = match &partner_user_id {
            Some(user) => {
                let account = keyring_account(&base_url, user);
                blocking(move || store.load(&account)).await?.is_some()
            }
            None => false,
        };
        Ok(RevelatorAccount { base_url, partner_user_id, has_key })
    }

    /// Tests the key against Revelator (a real login), then keeps it in the keyring and the
    /// user id and address in the catalog. Nothing is kept when the login fails.
    pub async fn revelator_login(
        &self,
        store: Arc<dyn CredentialStore>,
        base_url: Option<&str>,
        partner_user_id: &str,
        api_key: Secret,
    ) -> Result<RevelatorAccount> {
        let base_url = match base_url {
            Some(url) => check_base_url(url)?,
            None => self.revelator_account(store.clone()).await?.base_url,
        };
        if partner_user_id.trim().is_empty() {
            return Err(Error::Invalid("the partner user id is required".to_owned()));
        }
        if api_key.is_empty() {
            return Err(Error::Invalid("the partner API key is empty".to_owned()));
        }
        let credentials =
            Credentials { partner_api_key: api_key, partner_user_id: partner_user_id.trim().to_owned() };
        let client = RevelatorClient::new(client_config(&base_url), credentials.clone())?;
        client.login().await?;
        let account = keyring_account(&base_url, &credentials.partner_user_id);
        blocking(move || store.store(&account, &credentials)).await?;
        let mut tx = self.db().begin().await?;
        catno_db::set_setting(&mut tx, BASE_URL_KEY, Some(&base_url)).await?;
        catno_db::set_setting(&mut tx, USER_KEY, Some(partner_user_id.trim())).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(RevelatorAccount {
            base_url,
            partner_user_id: Some(partner_user_id.trim().to_owned()),
            has_key: true,
        })
    }

    /// Forgets the key (keyring) and the user id (catalog).
    pub async fn revelator_logout(&self, store: Arc<dyn CredentialStore>) -> Result<()> {
        let current = self.revelator_account(store.clone()).await?;
        if let Some(user) = current.partner_user_id {
            let account = keyring_account(&current.base_url, &user);
            blocking(move || store.delete(&account)).await?;
        }
        let mut tx = self.db().begin().await?;
        catno_db::set_setting(&mut tx, USER_KEY, None).await?;
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(())
    }

    /// The delivery backend of the catalog's Revelator account, with its key from the keyring.
    /// `base_url` overrides the stored address for this run (the key must be stored for it).
    pub async fn revelator_backend(
        &self,
        store: Arc<dyn CredentialStore>,
        base_url: Option<&str>,
    ) -> Result<Arc<RevelatorBackend>> {
        let mut account = self.revelator_account(store.clone()).await?;
        if let Some(url) = base_url {
            account.base_url = check_base_url(url)?;
        }
        let Some(user) = account.partner_user_id else {
            return Err(Error::Invalid("no Revelator account: run `catno revelator login` first".to_owned()));
        };
        let key_name = keyring_account(&account.base_url, &user);
        let Some(credentials) = blocking(move || store.load(&key_name)).await? else {
            return Err(Error::Invalid(format!(
                "the keyring has no Revelator key for {user} at {}: log in again",
                account.base_url
            )));
        };
        let client = RevelatorClient::new(client_config(&account.base_url), credentials)?;
        Ok(Arc::new(RevelatorBackend::new(Arc::new(client))))
    }
}

fn client_config(base_url: &str) -> ClientConfig {
    ClientConfig::new(base_url)
}
