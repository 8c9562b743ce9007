//! catno-testkit: real catalogs in temporary folders for tests. A dev-dependency only.

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use tempfile::TempDir;

/// A catalog file in its own temporary folder, removed when dropped.
pub struct TempCatalog {
    pub catalog: Catalog,
    dir: TempDir,
}

impl TempCatalog {
    /// An empty, migrated catalog on disk.
    pub async fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let catalog = Catalog::create(&dir.path().join("catalog.sqlite"))
            .await
            .unwrap_or_else(|e| panic!("create catalog: {e}"));
        Self { catalog, dir }
    }

    /// The demo catalog, with its generated media next to it.
    pub async fn demo() -> Self {
        let temp = Self::empty().await;
        catno_core::demo::write_demo(&temp.catalog, &temp.media_dir())
            .await
            .unwrap_or_else(|e| panic!("demo: {e}"));
        temp
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("catalog.sqlite")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.dir.path().join("media")
    }
}
