//! catno-desktop: the Tauri shell. The only Rust code that knows Tauri; every command is one
//! call into catno-core plus error mapping.

mod commands;
mod ipc_error;

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use tauri::{Emitter, Manager, Runtime};
use tokio::sync::RwLock;

pub use commands::specta_builder;
pub use ipc_error::IpcError;

/// The open catalog; replaced when the user opens or creates another.
pub struct AppState {
    pub catalog: RwLock<Catalog>,
    /// Hooks a newly opened catalog up to the window (media scope, change events). A closure,
    /// so commands need not be generic over the runtime.
    attach: Box<dyn Fn(Catalog) + Send + Sync>,
    /// Lets the webview load media from one more folder (a file attached from outside the
    /// catalog's media folders must be previewable at once).
    allow_media: Box<dyn Fn(&Path) + Send + Sync>,
}

/// Where the app keeps its catalog unless told otherwise.
fn default_catalog_path<R: Runtime>(app: &tauri::AppHandle<R>) -> Result<PathBuf, String> {
    app.path()
        .app_data_dir()
        .map(|dir| dir.join("catalog.sqlite"))
        .map_err(|e| format!("no app data folder: {e}"))
}

/// Opens the catalog the app starts with; a first start gets the demo catalog.
async fn open_start_catalog(path: &Path) -> Result<Catalog, catno_core::Error> {
    let fresh = !path.exists();
    let catalog = Catalog::open_or_create(path).await?;
    if fresh {
        let media = path.with_file_name("demo-media");
        catno_core::demo::write_demo(&catalog, &media).await?;
    }
    Ok(catalog)
}

/// Adds one folder (not its subfolders) to what the asset protocol may serve.
fn allow_media_folder<R: Runtime>(app: &tauri::AppHandle<R>, folder: &Path) {
    if let Err(error) = app.asset_protocol_scope().allow_directory(folder, false) {
        tracing::warn!(%error, folder = %folder.display(), "cannot allow media folder");
    }
}

/// The OS account name, the audit log's actor until the user sets a name.
pub(crate) fn os_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default()
}

/// Lets the webview load the catalog's media (and nothing else) through the asset protocol,
/// and forwards the catalog's change feed to the UI as `catalog-changed` events.
pub(crate) async fn attach_catalog<R: Runtime>(app: &tauri::AppHandle<R>, catalog: &Catalog) {
    // Edits, ticks and transitions are recorded under the user name setting, else the OS user.
    if let Err(error) = catalog.act_as_user(&os_user()).await {
        tracing::warn!(%error, "cannot read the user name setting");
    }
    match catalog.media_folders().await {
        Ok(folders) => {
            for folder in folders {
                allow_media_folder(app, &folder);
            }
        }
        Err(error) => tracing::warn!(%error, "cannot list media folders"),
    }
    let mut changes = catalog.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(change) => {
                    let _ = app.emit("catalog-changed", change);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let _ = app.emit(
                        "catalog-changed",
                        catno_core::CatalogChanged {
                            entity: catno_core::ChangedEntity::Catalog,
                            ids: vec![],
                        },
                    );
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Forwards every job's progress to the UI as `job-progress` events.
fn forward_jobs<R: Runtime>(app: &tauri::AppHandle<R>, jobs: &catno_core::jobs::Jobs) {
    let mut events = jobs.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(progress) => {
                    let _ = app.emit("job-progress", progress);
                }
                // A slow window missed some steps; the next event carries the totals.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Builds the app on any runtime, so tests drive the real commands through the mock runtime.
/// `catalog` overrides where the start catalog lives.
pub fn build<R: Runtime>(builder: tauri::Builder<R>, catalog: Option<PathBuf>) -> tauri::Builder<R> {
    let specta = specta_builder::<R>();
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| Ok(start(app.handle(), catalog)?))
}

/// Opens the start catalog and puts it in the app's state. Tauri runs this in setup; tests on
/// the mock runtime call it themselves.
pub fn start<R: Runtime>(app: &tauri::AppHandle<R>, catalog: Option<PathBuf>) -> Result<(), String> {
    let path = match catalog {
        Some(path) => path,
        None => default_catalog_path(app)?,
    };
    catno_core::ddex_schemas::set_cache_dir(
        app.path().app_cache_dir().ok().map(|dir| dir.join("ddex-schemas")),
    );
    let catalog = tauri::async_runtime::block_on(open_start_catalog(&path))
        .map_err(|e| format!("cannot open the catalog: {e}"))?;
    tauri::async_runtime::block_on(attach_catalog(app, &catalog));
    let handle = app.clone();
    let attach = Box::new(move |catalog: Catalog| {
        let handle = handle.clone();
        tauri::async_runtime::spawn(async move { attach_catalog(&handle, &catalog).await });
    });
    let handle = app.clone();
    let allow_media = Box::new(move |folder: &Path| allow_media_folder(&handle, folder));
    app.manage(AppState { catalog: RwLock::new(catalog), attach, allow_media });
    let jobs = catno_core::jobs::Jobs::new();
    forward_jobs(app, &jobs);
    app.manage(jobs);
    Ok(())
}

pub fn run() {
    let catalog = std::env::var_os("CATNO_CATALOG").map(PathBuf::from);
    let result = build(tauri::Builder::default(), catalog).run(tauri::generate_context!("tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("catno: {error}");
        std::process::exit(1);
    }
}
