//! `catno`: the command line over catno-core. Exit 0 ok, 1 findings, 2 bad usage or input.
//! Every error is one line on stderr naming what is wrong; never a panic or a backtrace.

mod ddex;
mod output;
mod qc;
mod review;
mod rights;
mod sync;
mod transfer;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use catno_core::{Catalog, ReleaseQuery, TrackQuery, demo};
use clap::{Args, Parser, Subcommand};

use crate::output::{Output, Table};

#[derive(Parser)]
#[command(name = "catno", version, about = "Catno: an offline-first catalog manager for record labels")]
struct Cli {
    /// The catalog file. Defaults to the desktop app's catalog in the user data folder.
    #[arg(long, global = true, env = "CATNO_CATALOG")]
    catalog: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty catalog.
    Init,
    /// Fill an empty catalog with the demo labels, releases, audio and artwork.
    Demo {
        /// Where to write the demo media (default: a `media` folder next to the catalog).
        #[arg(long)]
        media: Option<PathBuf>,
    },
    /// What the catalog holds.
    Info,
    /// Write a consistent copy of the catalog to a new file.
    Backup { dest: PathBuf },
    /// Releases.
    #[command(subcommand)]
    Release(ReleaseCommand),
    /// Tracks (sound recordings).
    #[command(subcommand)]
    Track(TrackCommand),
    /// Labels.
    #[command(subcommand)]
    Label(LabelCommand),
    /// Territory rights: rules per release and track, and why a track is (not) available.
    #[command(subcommand)]
    Rights(rights::RightsCommand),
    /// DDEX delivery: profiles, settings, messages, validation, batches and takedowns.
    #[command(subcommand)]
    Ddex(ddex::DdexCommand),
    /// Audio and artwork QC of files: format, loudness, peaks, dimensions, colour and findings.
    /// Uses the catalog's stored analyses when the catalog exists.
    Inspect(qc::InspectArgs),
    /// QC of every asset of a release (artwork and masters), kept in the catalog.
    Qc(qc::QcArgs),
    /// Check releases against the validation rule pack of a delivery profile; exit 1 on errors.
    Validate(validate::ValidateArgs),
    /// The validation rules and profiles.
    #[command(subcommand)]
    Rules(validate::RulesCommand),
    /// The release workflow: submit, approve, reject, queue, deliver; the review list; the QC
    /// checklist. Approval refused by QC exits 1.
    Review {
        #[command(subcommand)]
        command: review::ReviewCommand,
        #[command(flatten)]
        actor: review::Actor,
    },
    /// Who changed what on a release, and what changed since its approval or last delivery.
    Audit(review::AuditArgs),
    /// Import releases and tracks from a CSV or a spreadsheet (XLSX, XLS, ODS) through a column
    /// mapping (one transaction; with `--dry-run` only the plan). Exit 1 when rows have
    /// problems: nothing is written.
    Import(transfer::ImportArgs),
    /// Print how a file's headers map to Catno's template, as JSON to save, edit and pass back.
    ImportMapping(transfer::MappingArgs),
    /// Attach a folder of masters and artwork to tracks and releases by the ISRC/UPC in the
    /// file names, and run their QC. Exit 1 when files clash (nothing is attached).
    ImportFolder(transfer::FolderArgs),
    /// Export releases as CSV or XLSX (Catno's re-importable template or a flat label copy).
    Export(transfer::ExportArgs),
    /// The Revelator account: log in (key from stdin, kept in the OS keyring), log out, status.
    #[command(subcommand)]
    Revelator(sync::RevelatorCommand),
    /// Push local changes, deliveries and takedowns to Revelator, then fetch store statuses.
    /// Exit 1 when a step failed, conflicted or needs a redelivery plan confirmed.
    Sync(sync::SyncArgs),
    /// Per-store delivery: status, deliver, take down, retry, resolve.
    #[command(subcommand)]
    Delivery(sync::DeliveryCommand),
    /// Search titles, artists, ISRC, UPC and catalog numbers.
    Search {
        text: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum LabelCommand {
    List,
}

#[derive(Subcommand)]
enum ReleaseCommand {
    List(ListArgs),
    Show {
        id: i64,
    },
    /// Set fields: `catno release set 12 upc=5060123450002 "title=Night Drive"`.
    Set {
        id: i64,
        #[arg(required = true)]
        assignments: Vec<String>,
    },
}

#[derive(Args)]
struct ListArgs {
    #[arg(long)]
    label: Option<i64>,
    #[arg(long, default_value_t = 0)]
    offset: i64,
    #[arg(long, default_value_t = 100)]
    limit: i64,
}

#[derive(Subcommand)]
enum TrackCommand {
    List {
        #[arg(long)]
        release: i64,
    },
    Show {
        id: i64,
    },
    /// Set fields: `catno track set 7 isrc=GBCTN2600001 explicit=yes`. `disc_number` and
    /// `track_number` need `--release`.
    Set {
        id: i64,
        #[arg(required = true)]
        assignments: Vec<String>,
        #[arg(long)]
        release: Option<i64>,
    },
}

/// Why a command failed, and which exit code that is.
enum Failure {
    Usage(String),
    /// The command ran and reported findings (exit 1), already printed.
    Findings,
}

impl From<catno_core::Error> for Failure {
    fn from(error: catno_core::Error) -> Self {
        Failure::Usage(error.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("catno: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("catno: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Findings) => ExitCode::from(1),
    }
}

fn default_catalog() -> Result<PathBuf, Failure> {
    dirs::data_dir()
        .map(|dir| dir.join("org.catno.app").join("catalog.sqlite"))
        .ok_or_else(|| Failure::Usage("no user data folder; pass --catalog PATH".into()))
}

async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let path = match cli.catalog.clone() {
        Some(path) => path,
        None => default_catalog()?,
    };
    let out = Output { json: cli.json };
    match cli.command {
        Command::Init => {
            let catalog = Catalog::create(&path).await?;
            out.message(&catalog.info().await?, &format!("created {}", path.display()));
        }
        Command::Demo { media } => {
            let catalog = Catalog::open_or_create(&path).await?;
            let info = catalog.info().await?;
            if info.releases > 0 {
                return Err(Failure::Usage(format!(
                    "{} already holds {} releases; the demo goes into an empty catalog",
                    path.display(),
                    info.releases
                )));
            }
            let media = media.unwrap_or_else(|| media_dir_for(&path));
            let summary = demo::write_demo(&catalog, &media).await?;
            out.message(
                &catalog.info().await?,
                &format!(
                    "wrote the demo catalog to {}: {} releases, {} tracks, media in {}",
                    path.display(),
                    summary.releases,
                    summary.tracks,
                    summary.media_dir.display()
                ),
            );
        }
        Command::Info => {
            let info = Catalog::open(&path).await?.info().await?;
            out.message(
                &info,
                &format!(
                    "{}\n{} labels, {} releases, {} tracks, {} artists",
                    info.path, info.labels, info.releases, info.tracks, info.artists
                ),
            );
        }
        Command::Backup { dest } => {
            Catalog::open(&path).await?.backup_to(&dest).await?;
            out.message(&serde_json::json!({ "backup": dest }), &format!("backed up to {}", dest.display()));
        }
        Command::Label(LabelCommand::List) => {
            let labels = Catalog::open(&path).await?.labels().await?;
            out.list(
                &labels,
                Table::new(
                    &["ID", "LABEL", "RELEASES"],
                    labels
                        .iter()
                        .map(|l| vec![l.id.to_string(), l.name.clone(), l.release_count.to_string()]),
                ),
            );
        }
        Command::Release(command) => release(&path, command, &out).await?,
        Command::Track(command) => track(&path, command, &out).await?,
        Command::Rights(command) => rights::run(&path, command, &out).await?,
        Command::Ddex(command) => ddex::run(&path, command, &out).await?,
        Command::Inspect(args) => qc::inspect(&path, args, &out).await?,
        Command::Qc(args) => qc::qc(&path, args, &out).await?,
        Command::Validate(args) => validate::validate(&path, args, &out).await?,
        Command::Rules(command) => validate::rules(command, &out),
        Command::Review { command, actor } => review::review(&path, command, actor, &out).await?,
        Command::Audit(args) => review::audit(&path, args, &out).await?,
        Command::Import(args) => transfer::import(&path, args, &out).await?,
        Command::ImportMapping(args) => transfer::import_mapping(&path, args).await?,
        Command::ImportFolder(args) => transfer::import_folder(&path, args, &out).await?,
        Command::Export(args) => transfer::export(&path, args, &out).await?,
        Command::Revelator(command) => sync::revelator(&path, command, &out).await?,
        Command::Sync(args) => sync::sync(&path, args, &out).await?,
        Command::Delivery(command) => sync::delivery(&path, command, &out).await?,
        Command::Search { text, limit } => {
            let hits = Catalog::open(&path).await?.search(&text.join(" "), limit).await?;
            out.list(
                &hits,
                Table::new(
                    &["KIND", "ID", "TITLE", "DETAILS"],
                    hits.iter().map(|h| {
                        vec![h.kind.to_string(), h.id.to_string(), h.title.clone(), h.subtitle.clone()]
                    }),
                ),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens a catalog to change it, acting as its user name (else the OS user) so the audit log
/// names who made each change.
pub(crate) async fn open_catalog(path: &Path) -> Result<Catalog, Failure> {
    let catalog = Catalog::open(path).await?;
    catalog.act_as_user(&review::os_user()).await?;
    Ok(catalog)
}

fn media_dir_for(catalog: &Path) -> PathBuf {
    let stem = catalog.file_stem().and_then(|s| s.to_str()).unwrap_or("catalog");
    catalog.with_file_name(format!("{stem}-media"))
}

async fn release(path: &Path, command: ReleaseCommand, out: &Output) -> Result<(), Failure> {
    let catalog = open_catalog(path).await?;
    match command {
        ReleaseCommand::List(args) => {
            let page = catalog
                .releases(&ReleaseQuery { label_id: args.label, offset: args.offset, limit: args.limit })
                .await?;
            let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
            let sync: std::collections::HashMap<i64, (catno_core::sync::SyncState, Option<String>)> = catalog
                .sync_states(Some(&ids))
                .await?
                .into_iter()
                .map(|(id, state, remote)| (id, (state, remote)))
                .collect();
            let items: Vec<serde_json::Value> = page
                .items
                .iter()
                .map(|r| {
                    let mut item = serde_json::to_value(r).unwrap_or_default();
                    let (state, remote) = sync.get(&r.id).cloned().unzip();
                    if let Some(map) = item.as_object_mut() {
                        map.insert("syncState".into(), serde_json::to_value(state).unwrap_or_default());
                        map.insert(
                            "remoteId".into(),
                            serde_json::to_value(remote.flatten()).unwrap_or_default(),
                        );
                    }
                    item
                })
                .collect();
            out.list(
                &items,
                Table::new(
                    &["ID", "TITLE", "ARTIST", "UPC", "CAT. NO.", "DATE", "TYPE", "STATUS", "TRACKS", "SYNC"],
                    page.items.iter().map(|r| {
                        vec![
                            r.id.to_string(),
                            with_version(&r.title, r.version.as_deref()),
                            r.display_artist.clone(),
                            r.upc.clone().unwrap_or_default(),
                            r.catalog_number.clone().unwrap_or_default(),
                            r.release_date.clone().unwrap_or_default(),
                            r.release_type.to_string(),
                            r.status.to_string(),
                            r.track_count.to_string(),
                            sync.get(&r.id).map(|(s, _)| format!("{s:?}").to_lowercase()).unwrap_or_default(),
                        ]
                    }),
                ),
            );
            if !out.json && page.total > page.offset + page.items.len() as i64 {
                eprintln!("({} of {} releases; use --offset/--limit for more)", page.items.len(), page.total);
            }
        }
        ReleaseCommand::Show { id } => {
            let detail = catalog.release_detail(id).await?;
            out.detail(&detail, &output::release_text(&detail));
        }
        ReleaseCommand::Set { id, assignments } => {
            let fields = parse_assignments(&assignments)?;
            let release = catalog.set_release_fields(id, &fields).await?;
            out.message(&release, &format!("release {id} updated"));
        }
    }
    Ok(())
}

async fn track(path: &Path, command: TrackCommand, out: &Output) -> Result<(), Failure> {
    let catalog = open_catalog(path).await?;
    match command {
        TrackCommand::List { release } => {
            let page = catalog
                .tracks(&TrackQuery { release_id: release, offset: 0, limit: catno_core::MAX_PAGE })
                .await?;
            out.list(
                &page.items,
                Table::new(
                    &["ID", "DISC", "NO.", "TITLE", "ARTIST", "ISRC", "DURATION", "EXPLICIT"],
                    page.items.iter().map(|t| {
                        vec![
                            t.id.to_string(),
                            t.disc_number.to_string(),
                            t.track_number.to_string(),
                            with_version(&t.title, t.version.as_deref()),
                            t.display_artist.clone(),
                            t.isrc.clone().unwrap_or_default(),
                            t.duration_ms.map(catno_core::domain::format_duration_ms).unwrap_or_default(),
                            if t.explicit { "yes".into() } else { String::new() },
                        ]
                    }),
                ),
            );
        }
        TrackCommand::Show { id } => {
            let track = catalog.track(id).await?;
            out.detail(&track, &output::track_text(&track));
        }
        TrackCommand::Set { id, assignments, release } => {
            let mut fields = parse_assignments(&assignments)?;
            let position: Vec<(String, String)> =
                fields.iter().filter(|(f, _)| f == "disc_number" || f == "track_number").cloned().collect();
            fields.retain(|(f, _)| f != "disc_number" && f != "track_number");
            if !position.is_empty() {
                let Some(release_id) = release else {
                    return Err(Failure::Usage("disc_number and track_number need --release ID".into()));
                };
                let current = catalog
                    .tracks(&TrackQuery { release_id, offset: 0, limit: catno_core::MAX_PAGE })
                    .await?
                    .items
                    .into_iter()
                    .find(|t| t.id == id)
                    .ok_or_else(|| Failure::Usage(format!("track {id} is not on release {release_id}")))?;
                let number = |name: &str, fallback: i64| -> Result<i64, Failure> {
                    match position.iter().find(|(f, _)| f == name) {
                        Some((_, v)) => {
                            v.parse().map_err(|_| Failure::Usage(format!("{name}: \"{v}\" is not a number")))
                        }
                        None => Ok(fallback),
                    }
                };
                let disc = number("disc_number", current.disc_number)?;
                let track_number = number("track_number", current.track_number)?;
                catalog.set_track_position(release_id, id, disc, track_number).await?;
            }
            let track = if fields.is_empty() {
                catalog.track(id).await?
            } else {
                catalog.set_track_fields(id, &fields).await?
            };
            out.message(&track, &format!("track {id} updated"));
        }
    }
    Ok(())
}

fn with_version(title: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{title} ({v})"),
        None => title.to_owned(),
    }
}

fn parse_assignments(raw: &[String]) -> Result<Vec<(String, String)>, Failure> {
    raw.iter()
        .map(|a| {
            a.split_once('=')
                .map(|(f, v)| (f.trim().to_owned(), v.to_owned()))
                .ok_or_else(|| Failure::Usage(format!("\"{a}\" is not FIELD=VALUE")))
        })
        .collect()
}
