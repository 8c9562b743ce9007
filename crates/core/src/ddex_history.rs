//! What was delivered: every message written into a DDEX batch is kept per release and
//! profile, so the delivery view can show how the current message differs from the last one
//! sent (a DSP sees an update, not a fresh delivery, and the label should know what it says).

use serde::{Deserialize, Serialize};

use crate::ddex::DdexMessage;
use crate::{Catalog, Result};

/// A message as it was last exported for a release and profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DdexExportRecord {
    pub release_id: i64,
    pub profile_id: String,
    pub store: String,
    pub batch_id: String,
    pub message_id: String,
    /// When it was written (RFC 3339, UTC).
    pub exported_at: String,
    pub xml: String,
}

impl From<catno_db::StoredDdexExport> for DdexExportRecord {
    fn from(row: catno_db::StoredDdexExport) -> Self {
        DdexExportRecord {
            release_id: row.release_id,
            profile_id: row.profile_id,
            store: row.store,
            batch_id: row.batch_id,
            message_id: row.message_id,
            exported_at: row.exported_at,
            xml: row.xml,
        }
    }
}

impl Catalog {
    /// The message last exported for `release_id` under `profile_id`; `None` when it never was.
    pub async fn last_ddex_export(
        &self,
        release_id: i64,
        profile_id: &str,
    ) -> Result<Option<DdexExportRecord>> {
        catno_ddex::profile(profile_id)?;
        let mut conn = self.db().read().await?;
        catno_db::release_exists(&mut conn, release_id).await?;
        Ok(catno_db::last_ddex_export(&mut conn, release_id, profile_id).await?.map(Into::into))
    }

    /// Records the messages of a batch just written, all or none.
    pub(crate) async fn record_ddex_exports(&self, batch_id: &str, messages: &[&DdexMessage]) -> Result<()> {
        let mut tx = self.db().begin().await?;
        for message in messages {
            let Some(xml) = message.xml.as_deref() else { continue };
            catno_db::record_ddex_export(
                &mut tx,
                &catno_db::NewDdexExport {
                    release_id: message.release_id,
                    profile_id: &message.profile_id,
                    store: &message.store,
                    batch_id,
                    message_id: &message.message_id,
                    xml,
                },
            )
            .await?;
        }
        tx.commit().await.map_err(catno_db::DbError::from)?;
        Ok(())
    }
}
