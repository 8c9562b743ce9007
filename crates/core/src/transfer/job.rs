//! Import and export as jobs, for a frontend with a progress bar and a Cancel button. An
//! import redoes its dry run inside the write transaction, counts each release written, and a
//! cancel rolls the whole transaction back (nothing written, nothing announced). An export
//! counts each release written, and a cancel removes the partial file.

use std::path::Path;

use super::{ColumnMapping, ExportFormat, ExportLayout, ExportScope, ExportSummary, ImportSummary, export};
use crate::jobs::{JobHandle, JobState};
use crate::{Catalog, Result};

/// What a [`Catalog::import_job`] job is called in its progress events.
pub const IMPORT_JOB_KIND: &str = "import";
/// What a [`Catalog::export_job`] job is called in its progress events.
pub const EXPORT_JOB_KIND: &str = "export";

impl Catalog {
    /// [`Catalog::import`] reporting to `job` (started by the caller, e.g. with
    /// `jobs.start(IMPORT_JOB_KIND, 0)`), which it finishes: `Succeeded` with the counts,
    /// `Cancelled` when a cancel arrived before the commit (then `Ok(None)`: nothing was
    /// written), `Failed` with the error (also returned).
    pub async fn import_job(
        &self,
        job: &JobHandle,
        path: &Path,
        mapping: Option<&ColumnMapping>,
    ) -> Result<Option<ImportSummary>> {
        let result = self.import_reporting(path, mapping, Some(job)).await;
        match &result {
            Ok(Some(s)) => job.finish(
                JobState::Succeeded,
                &format!(
                    "{} releases created, {} updated; {} tracks created, {} updated",
                    s.releases_created, s.releases_updated, s.tracks_created, s.tracks_updated
                ),
            ),
            Ok(None) => job.finish(JobState::Cancelled, "cancelled; nothing imported"),
            Err(e) => job.finish(JobState::Failed, &e.to_string()),
        }
        result
    }

    /// [`Catalog::export`] reporting to `job` (kind [`EXPORT_JOB_KIND`]), which it finishes.
    /// `Ok(None)` when cancelled: `out` is then left as it was (no partial file).
    pub async fn export_job(
        &self,
        job: &JobHandle,
        format: ExportFormat,
        layout: ExportLayout,
        scope: ExportScope,
        out: &Path,
    ) -> Result<Option<ExportSummary>> {
        let result = export::write_reporting(self, format, layout, scope, out, Some(job)).await;
        match result {
            Ok(summary) => {
                job.finish(
                    JobState::Succeeded,
                    &format!(
                        "{} releases, {} rows written to {}",
                        summary.releases,
                        summary.rows,
                        out.display()
                    ),
                );
                Ok(Some(summary))
            }
            Err(_) if job.is_cancelled() => {
                job.finish(JobState::Cancelled, "cancelled; nothing written");
                Ok(None)
            }
            Err(e) => {
                job.finish(JobState::Failed, &e.to_string());
                Err(e)
            }
        }
    }
}
