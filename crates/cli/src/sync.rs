//! `catno revelator`, `catno sync` and `catno delivery`: the Revelator account (key in the OS
//! keyring), pushing the outbox, and per-store delivery.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use catno_core::Catalog;
use catno_core::delivery::DeliveryBackend;
use catno_core::jobs::Jobs;
use catno_core::sync::{ReleaseSync, SyncOptions, SyncReport};
use catno_revelator::{CredentialStore, KEYRING_SERVICE, KeyringStore, Secret};
use clap::{Args, Subcommand};

use crate::Failure;
use crate::output::{Output, Table};

/// The OS keyring; `CATNO_KEYRING_SERVICE` names another entry set (tests use their own).
fn keyring() -> Arc<dyn CredentialStore> {
    let service = std::env::var("CATNO_KEYRING_SERVICE").unwrap_or_else(|_| KEYRING_SERVICE.to_owned());
    Arc::new(KeyringStore::with_service(service))
}

#[derive(Subcommand)]
pub enum RevelatorCommand {
    /// Check the partner API key (read from stdin) by logging in, then keep it in the OS
    /// keyring; the catalog keeps only the user id and the address.
    Login {
        #[arg(long)]
        partner_user_id: String,
        /// Default: Revelator's production API, or the address stored in the catalog.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Forget the key (keyring) and the user id (catalog).
    Logout,
    /// The account this catalog syncs with.
    Status,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Use this address for this run (the key must be in the keyring for it).
    #[arg(long)]
    base_url: Option<String>,
    /// Releases pushed at the same time.
    #[arg(long, default_value_t = 8)]
    concurrency: u32,
}

#[derive(Subcommand)]
pub enum DeliveryCommand {
    /// Per-store status of a release, fetched now when online (`--offline`: as last seen).
    Status {
        #[arg(long)]
        release: i64,
        #[arg(long)]
        offline: bool,
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Queue a delivery to stores (Revelator store ids) and sync.
    Deliver {
        #[arg(long)]
        release: i64,
        #[arg(long = "store", required = true)]
        stores: Vec<String>,
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Queue a takedown from stores and sync.
    Takedown {
        #[arg(long)]
        release: i64,
        #[arg(long = "store", required = true)]
        stores: Vec<String>,
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Try failed sync steps again (of one release, or all).
    Retry {
        #[arg(long)]
        release: Option<i64>,
    },
    /// Drop a release's queued deliveries and takedowns (its pending changes stay queued).
    Cancel {
        #[arg(long)]
        release: i64,
    },
    /// Resolve a conflict by keeping Catno's version (the next sync overwrites the remote).
    KeepLocal {
        #[arg(long)]
        release: i64,
    },
    /// Accept the take-down-and-redeliver plan for edits to a delivered release.
    ConfirmRedelivery {
        #[arg(long)]
        release: i64,
    },
    /// The stores of the account.
    Stores {
        #[arg(long)]
        base_url: Option<String>,
    },
}

pub async fn revelator(path: &Path, command: RevelatorCommand, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    match command {
        RevelatorCommand::Login { partner_user_id, base_url } => {
            let mut key = String::new();
            std::io::stdin()
                .read_to_string(&mut key)
                .map_err(|e| Failure::Usage(format!("cannot read the API key from stdin: {e}")))?;
            let account = catalog
                .revelator_login(keyring(), base_url.as_deref(), &partner_user_id, Secret::new(key.trim()))
                .await?;
            out.message(
                &account,
                &format!(
                    "logged in to {} as {partner_user_id}; key kept in the OS keyring",
                    account.base_url
                ),
            );
        }
        RevelatorCommand::Logout => {
            catalog.revelator_logout(keyring()).await?;
            out.message(
                &serde_json::json!({ "logged_out": true }),
                "logged out; key removed from the keyring",
            );
        }
        RevelatorCommand::Status => {
            let account = catalog.revelator_account(keyring()).await?;
            let text = match &account.partner_user_id {
                Some(user) => format!(
                    "{user} at {} ({})",
                    account.base_url,
                    if account.has_key { "key in keyring" } else { "no key in keyring: log in again" }
                ),
                None => format!("not logged in ({})", account.base_url),
            };
            out.message(&account, &text);
        }
    }
    Ok(())
}

async fn run_sync(
    catalog: &Catalog,
    base_url: Option<&str>,
    concurrency: u32,
) -> Result<SyncReport, Failure> {
    let backend: Arc<dyn DeliveryBackend> = catalog.revelator_backend(keyring(), base_url).await?;
    let jobs = Jobs::new();
    let job = jobs.start("sync", 0);
    let mut events = jobs.subscribe();
    let printer = tokio::spawn(async move {
        let mut last_tenth = 0;
        while let Ok(progress) = events.recv().await {
            let tenth = (progress.done * 10).checked_div(progress.total).unwrap_or(0);
            if tenth > last_tenth {
                last_tenth = tenth;
                eprintln!("sync: {}/{} {}", progress.done, progress.total, progress.message);
            }
        }
    });
    let report = catalog.sync(backend, &SyncOptions { concurrency, ..SyncOptions::default() }, &job).await;
    drop(jobs);
    printer.abort();
    Ok(report?)
}

fn report_text(report: &SyncReport) -> String {
    format!(
        "saved {}, delivered {}, taken down {}, failed {}, conflicts {}, need redelivery {}, statuses {}; {} left in the outbox",
        report.saved,
        report.delivered,
        report.taken_down,
        report.failed,
        report.conflicts,
        report.redeliveries,
        report.statuses_pulled,
        report.remaining
    )
}

fn finish(report: &SyncReport, out: &Output) -> Result<(), Failure> {
    out.message(report, &report_text(report));
    if report.failed > 0 || report.conflicts > 0 || report.redeliveries > 0 {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}

pub async fn sync(path: &Path, args: SyncArgs, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    let report = run_sync(&catalog, args.base_url.as_deref(), args.concurrency).await?;
    finish(&report, out)
}

fn status_text(view: &ReleaseSync) -> String {
    let mut text = format!(
        "release {}: {:?}{}",
        view.release_id,
        view.state,
        view.remote_id.as_deref().map(|id| format!(" (remote {id})")).unwrap_or_default()
    );
    if let Some(error) = &view.error {
        text.push_str(&format!("\nerror: {error}"));
    }
    for op in &view.pending {
        text.push_str(&format!("\npending: {} {}", op.op, op.stores.join(",")));
    }
    if let Some(plan) = &view.redelivery {
        text.push_str(&format!(
            "\nneeds take down and redelivery ({} locked track edits): catno delivery confirm-redelivery --release {}",
            plan.edits.len(),
            view.release_id
        ));
    }
    let table = Table::new(
        &["STORE", "STATE", "STATUS", "ERROR"],
        view.stores.iter().map(|s| {
            vec![
                format!("{} {}", s.store_id, s.store_name),
                format!("{:?}", s.state),
                s.status_text.clone().unwrap_or_default(),
                s.error.clone().unwrap_or_default(),
            ]
        }),
    );
    if !view.stores.is_empty() {
        text.push('\n');
        text.push_str(&table.render());
    }
    text
}

pub async fn delivery(path: &Path, command: DeliveryCommand, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    match command {
        DeliveryCommand::Status { release, offline, base_url } => {
            let view = if offline {
                catalog.release_sync(release).await?
            } else {
                let backend = catalog.revelator_backend(keyring(), base_url.as_deref()).await?;
                catalog.refresh_delivery_status(backend.as_ref(), release).await?
            };
            out.detail(&view, &status_text(&view));
        }
        DeliveryCommand::Deliver { release, stores, base_url } => {
            catalog.queue_delivery(release, &stores).await?;
            let report = run_sync(&catalog, base_url.as_deref(), 8).await?;
            eprintln!("{}", status_text(&catalog.release_sync(release).await?));
            return finish(&report, out);
        }
        DeliveryCommand::Takedown { release, stores, base_url } => {
            catalog.queue_takedown(release, &stores).await?;
            let report = run_sync(&catalog, base_url.as_deref(), 8).await?;
            eprintln!("{}", status_text(&catalog.release_sync(release).await?));
            return finish(&report, out);
        }
        DeliveryCommand::Retry { release } => {
            let n = catalog.retry_sync(release).await?;
            out.message(
                &serde_json::json!({ "retried": n }),
                &format!("{n} steps will be retried by the next sync"),
            );
        }
        DeliveryCommand::Cancel { release } => {
            catalog.cancel_pending_sync(release).await?;
            out.message(&catalog.release_sync(release).await?, "queued deliveries and takedowns dropped");
        }
        DeliveryCommand::KeepLocal { release } => {
            catalog.keep_local_over_remote(release).await?;
            out.message(
                &catalog.release_sync(release).await?,
                "Catno's version will overwrite the remote at the next sync",
            );
        }
        DeliveryCommand::ConfirmRedelivery { release } => {
            catalog.confirm_redelivery(release).await?;
            out.message(
                &catalog.release_sync(release).await?,
                "take down, save and redelivery queued; run catno sync",
            );
        }
        DeliveryCommand::Stores { base_url } => {
            let backend = catalog.revelator_backend(keyring(), base_url.as_deref()).await?;
            let stores = backend.stores().await?;
            out.list(
                &stores,
                Table::new(&["ID", "STORE"], stores.iter().map(|s| vec![s.id.clone(), s.name.clone()])),
            );
        }
    }
    Ok(())
}
