//! `catno ddex`: DSP profiles, DDEX settings, messages, validation, exports, batches,
//! takedowns and the schema cache.

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::ddex::{
    DdexExport, DdexFinding, DdexOptions, DdexRecipient, DdexSettings, DdexSettingsUpdate, DdexValidation,
};
use catno_core::ddex_import::DdexImportOutcome;
use catno_core::ddex_schemas::{self, SchemaSetStatus, SchemaSource, SchemaState};
use clap::{Args, Subcommand};

use crate::Failure;
use crate::output::{Output, Table};

#[derive(Subcommand)]
pub enum DdexCommand {
    /// The DSP profiles a message can be shaped for.
    Profiles,
    /// Show the DDEX settings, or change them: `catno ddex settings --sender-dpid PADPIDA…`.
    Settings(SettingsArgs),
    /// Print a release's NewReleaseMessage (XML on stdout, findings on stderr).
    Show {
        #[arg(long)]
        release: i64,
        #[command(flatten)]
        message: MessageArgs,
    },
    /// Validate ERN message files: XSD (schema folder from the settings, CATNO_DDEX_SCHEMAS or
    /// the schema cache) and reference integrity. Exit 1 when any file has errors.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Import ERN 4.3 / 3.8.2 NewReleaseMessage files into the catalog, one transaction per
    /// file (a file with errors changes nothing). A release already in the catalog (same
    /// ICPN) is updated to the message; tracks are matched by ISRC. Exit 1 when any file
    /// had errors.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write one release's folder `<out>/<ICPN>/` (`<ICPN>.xml` and `resources/`), as a DSP
    /// without batch choreography takes it. Nothing is written, and the exit code is 1, when
    /// the message has errors. (Several --release or --batch-id: the same as `batch`.)
    Export {
        #[arg(long = "release", required = true)]
        releases: Vec<i64>,
        #[command(flatten)]
        message: MessageArgs,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, hide = true)]
        batch_id: Option<String>,
    },
    /// Write a delivery batch folder `<out>/<batch-id>` per the DDEX choreography (release
    /// folders, then BatchComplete_<batch-id>.xml last). Nothing is written, and the exit code
    /// is 1, when any message has errors.
    Batch(BatchArgs),
    /// Write a takedown of a whole release in the profile's style to a file.
    Takedown {
        #[arg(long)]
        release: i64,
        #[command(flatten)]
        message: MessageArgs,
        #[arg(long)]
        out: PathBuf,
        /// First day the release is gone (YYYY-MM-DD); default the message date.
        #[arg(long)]
        from: Option<String>,
    },
    /// The ERN XSDs: download them into the cache, or show which folder is used.
    #[command(subcommand)]
    Schemas(SchemaCommand),
}

#[derive(Args)]
pub struct BatchArgs {
    /// Repeat for several releases.
    #[arg(long = "release", required = true)]
    releases: Vec<i64>,
    #[command(flatten)]
    message: MessageArgs,
    #[arg(long)]
    out: PathBuf,
    /// Default: YYYYMMDDhhmmss000 of the newest message.
    #[arg(long)]
    batch_id: Option<String>,
}

#[derive(Subcommand)]
pub enum SchemaCommand {
    /// Download DDEX's published ERN 4.3 and 3.8.2 XSDs (with the schemas they import) into the
    /// cache; a set is kept only when it loads. Needs the network.
    Fetch {
        /// Default: the user cache folder (used by validate and export when no schema folder
        /// is set).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// A mirror with DDEX's layout (`<URL>/xml/ern/43/release-notification.xsd`);
        /// default http://service.ddex.net.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Which schema folder validation uses, and whether each version's set loads.
    Status {
        /// Check this folder instead.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct MessageArgs {
    /// spotify, youtube, generic-ern43 or generic-ern382 (see `catno ddex profiles`).
    #[arg(long)]
    profile: String,
    /// Whose rights the deals follow (generic profiles; default: any-store).
    #[arg(long)]
    store: Option<String>,
    /// Default: derived from the message content, so the same catalog gives the same bytes.
    #[arg(long)]
    message_id: Option<String>,
    /// RFC 3339 creation time; default the release's last edit.
    #[arg(long)]
    created: Option<String>,
}

impl MessageArgs {
    fn options(&self) -> DdexOptions {
        DdexOptions {
            profile_id: self.profile.clone(),
            store: self.store.clone(),
            message_id: self.message_id.clone(),
            created: self.created.clone(),
        }
    }
}

#[derive(Args)]
// Setting a recipient's DPID and name in one call is the usual case.
#[group(id = "recipient", multiple = true)]
pub struct SettingsArgs {
    /// The sender's DDEX Party ID (PADPIDA + 11 letters/digits); "" clears it.
    #[arg(long)]
    sender_dpid: Option<String>,
    #[arg(long)]
    sender_name: Option<String>,
    /// Folder holding ern43/ and ern382/ XSDs; "" clears it.
    #[arg(long)]
    schema_dir: Option<String>,
    /// Mark messages as TestMessage (DSP onboarding).
    #[arg(long)]
    test_messages: Option<bool>,
    /// The profile whose recipient --recipient-dpid / --recipient-name set.
    #[arg(long, requires = "recipient")]
    profile: Option<String>,
    #[arg(long, group = "recipient")]
    recipient_dpid: Option<String>,
    #[arg(long, group = "recipient")]
    recipient_name: Option<String>,
}

/// Where `schemas fetch` puts the XSDs by default, and where validation looks last.
fn default_schema_cache() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("org.catno.app").join("ddex-schemas"))
}

pub async fn run(path: &Path, command: DdexCommand, out: &Output) -> Result<(), Failure> {
    ddex_schemas::set_cache_dir(default_schema_cache());
    if let DdexCommand::Schemas(SchemaCommand::Fetch { dir, base_url }) = &command {
        return fetch_schemas(dir.clone(), base_url.as_deref(), out).await;
    }
    if let DdexCommand::Schemas(SchemaCommand::Status { dir }) = &command {
        // The catalog only adds its configured folder; the cache and the variable need none.
        let catalog = if path.exists() { Some(Catalog::open(path).await?) } else { None };
        return schema_status(catalog.as_ref(), dir.clone(), out).await;
    }
    if let DdexCommand::Profiles = command {
        let profiles = catno_core::ddex::ddex_profiles();
        out.list(
            &profiles,
            Table::new(
                &["ID", "NAME", "ERN", "STORE", "PURGE", "LEAD DAYS"],
                profiles.iter().map(|p| {
                    vec![
                        p.id.clone(),
                        p.name.clone(),
                        p.ern_version.clone(),
                        if p.store_selectable { format!("{} (--store)", p.store) } else { p.store.clone() },
                        if p.purge_accepted { "yes".into() } else { "no".into() },
                        p.lead_days_new.to_string(),
                    ]
                }),
            ),
        );
        return Ok(());
    }
    let catalog = crate::open_catalog(path).await?;
    match command {
        DdexCommand::Profiles => {}
        DdexCommand::Settings(args) => settings(&catalog, args, out).await?,
        DdexCommand::Show { release, message } => {
            let generated = catalog.ddex_message(release, &message.options()).await?;
            print_findings(&generated.findings);
            if out.json {
                out.detail(&generated, "");
            } else if let Some(xml) = &generated.xml {
                print!("{xml}");
            }
            if generated.has_errors() {
                return Err(Failure::Findings);
            }
        }
        DdexCommand::Validate { files } => validate(&catalog, &files, out).await?,
        DdexCommand::Import { files } => import(&catalog, &files, out).await?,
        DdexCommand::Export { releases, message, out: dir, batch_id } => {
            if releases.len() > 1 || batch_id.is_some() {
                eprintln!(
                    "note: `catno ddex export` of several releases or with --batch-id is `catno ddex batch`"
                );
                let args = BatchArgs { releases, message, out: dir, batch_id };
                return batch(&catalog, args, out).await;
            }
            export_release(&catalog, releases[0], &message, &dir, out).await?;
        }
        DdexCommand::Batch(args) => batch(&catalog, args, out).await?,
        DdexCommand::Schemas(_) => {}
        DdexCommand::Takedown { release, message, out: file, from } => {
            let generated = catalog.ddex_takedown(release, &message.options(), from.as_deref()).await?;
            print_findings(&generated.findings);
            let Some(xml) = &generated.xml else {
                return Err(Failure::Findings);
            };
            if file.exists() {
                return Err(Failure::Usage(format!("{}: already exists", file.display())));
            }
            std::fs::write(&file, xml).map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
            out.message(
                &serde_json::json!({ "file": file, "message_id": generated.message_id }),
                &format!("wrote takedown {} to {}", generated.message_id, file.display()),
            );
        }
    }
    Ok(())
}

async fn import(catalog: &Catalog, files: &[PathBuf], out: &Output) -> Result<(), Failure> {
    let mut reports = Vec::with_capacity(files.len());
    for file in files {
        reports.push(catalog.import_ddex(file).await?);
    }
    if out.json {
        out.detail(&reports, "");
    } else {
        for r in &reports {
            let release = match (r.release_id, &r.title) {
                (Some(id), Some(title)) => format!(" release {id} {title:?}"),
                (None, Some(title)) => format!(" {title:?}"),
                _ => String::new(),
            };
            let outcome = match r.outcome {
                DdexImportOutcome::Created => "created",
                DdexImportOutcome::Updated => "updated",
                DdexImportOutcome::Unchanged => "already in catalog, unchanged:",
                DdexImportOutcome::NothingToImport => "nothing to import",
                DdexImportOutcome::Failed => "FAILED, nothing imported",
            };
            println!(
                "{}: {outcome}{release}{}{} ({} tracks new, {} updated, {} credits, {} writers{})",
                r.path,
                r.ern_version.as_deref().map(|v| format!(" [ERN {v}]")).unwrap_or_default(),
                r.upc.as_deref().map(|u| format!(" UPC {u}")).unwrap_or_default(),
                r.tracks_created,
                r.tracks_updated,
                r.credits,
                r.writers,
                r.rights_rules.map(|n| format!(", {n} rights rules")).unwrap_or_default(),
            );
            for f in &r.findings {
                // `path:line:column: ...`, the form editors and CI logs link.
                let sep = if f.line > 0 { ":" } else { ": " };
                println!("  {}{sep}{f}", r.path);
            }
        }
    }
    if reports.iter().any(|r| r.has_errors()) {
        return Err(Failure::Findings);
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct FileValidation {
    file: PathBuf,
    #[serde(flatten)]
    validation: DdexValidation,
}

async fn validate(catalog: &Catalog, files: &[PathBuf], out: &Output) -> Result<(), Failure> {
    let mut xmls = Vec::with_capacity(files.len());
    for file in files {
        let xml =
            std::fs::read_to_string(file).map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
        // DDEX's own sample files start with a byte-order mark.
        xmls.push(xml.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(xml));
    }
    let validations = catalog.validate_ddex_many(xmls).await?;
    let failed = validations.iter().filter(|v| v.has_errors()).count();
    let report: Vec<FileValidation> = files
        .iter()
        .zip(validations)
        .map(|(file, validation)| FileValidation { file: file.clone(), validation })
        .collect();
    if out.json {
        out.detail(&report, "");
    } else {
        for FileValidation { file, validation } in &report {
            for f in &validation.findings {
                println!("{}: {f}", file.display());
            }
            let version = validation.ern_version.as_deref().unwrap_or("unknown");
            let errors = validation.findings.iter().filter(|f| f.is_error()).count();
            let xsd = if validation.xsd_checked { "XSD and references" } else { "references only" };
            println!("{}: ERN {version}, {xsd} checked, {errors} error(s)", file.display());
        }
        if report.len() > 1 {
            println!("{} file(s), {failed} with errors", report.len());
        }
    }
    if failed > 0 {
        return Err(Failure::Findings);
    }
    Ok(())
}

/// One release folder, written as a one-release batch in a hidden staging folder inside
/// `dir` and renamed into place: the folder appears whole or not at all.
async fn export_release(
    catalog: &Catalog,
    release: i64,
    message: &MessageArgs,
    dir: &Path,
    out: &Output,
) -> Result<(), Failure> {
    let usage = |path: &Path, e: std::io::Error| Failure::Usage(format!("{}: {e}", path.display()));
    std::fs::create_dir_all(dir).map_err(|e| usage(dir, e))?;
    let staging = dir.join(format!(".catno-export-{}", std::process::id()));
    let export = catalog.export_ddex_batch(&[release], &message.options(), &staging, Some("export")).await;
    let moved = export.as_ref().ok().filter(|e| e.written).map(|e| move_release_folder(e, &staging, dir));
    // Only the batch manifest is left there; it belongs to no delivery.
    let _ = std::fs::remove_dir_all(&staging);
    let export = export?;
    print_findings(&export.findings);
    let Some(moved) = moved else {
        out.message(&export, &format!("release {release} not written: the message has errors"));
        return Err(Failure::Findings);
    };
    let (folder, exported) = moved?;
    let report = serde_json::json!({
        "release_id": exported.release_id,
        "folder": folder,
        "message_id": exported.message_id,
        "resources": exported.resources,
        "xsd_checked": export.xsd_checked,
        "findings": export.findings,
    });
    out.message(
        &report,
        &format!(
            "wrote release {release} to {}: message and {} resource(s){}",
            folder.display(),
            exported.resources.len(),
            if export.xsd_checked { ", XSD-valid" } else { " (XSD not checked)" }
        ),
    );
    Ok(())
}

fn move_release_folder(
    export: &DdexExport,
    staging: &Path,
    dir: &Path,
) -> Result<(PathBuf, catno_core::ddex::DdexExportedRelease), Failure> {
    let exported =
        export.releases.first().cloned().ok_or_else(|| Failure::Usage("nothing exported".into()))?;
    let from = staging.join(&export.batch_id).join(&exported.folder);
    let to = dir.join(&exported.folder);
    if to.exists() {
        return Err(Failure::Usage(format!("{}: already exists; nothing written", to.display())));
    }
    std::fs::rename(&from, &to).map_err(|e| Failure::Usage(format!("{}: {e}", to.display())))?;
    Ok((to, exported))
}

async fn batch(catalog: &Catalog, args: BatchArgs, out: &Output) -> Result<(), Failure> {
    let BatchArgs { releases, message, out: dir, batch_id } = args;
    let export = catalog.export_ddex_batch(&releases, &message.options(), &dir, batch_id.as_deref()).await?;
    print_findings(&export.findings);
    let text = match (&export.root, export.written) {
        (Some(root), true) => format!(
            "wrote batch {} to {root}: {} release(s){}",
            export.batch_id,
            export.releases.len(),
            if export.xsd_checked { ", XSD-valid" } else { " (XSD not checked)" }
        ),
        _ => format!("batch {} not written: the messages have errors", export.batch_id),
    };
    out.message(&export, &text);
    if !export.written {
        return Err(Failure::Findings);
    }
    Ok(())
}

fn schema_cache_or(dir: Option<PathBuf>) -> Result<PathBuf, Failure> {
    dir.or_else(ddex_schemas::cache_dir)
        .ok_or_else(|| Failure::Usage("no user cache folder; pass --dir DIR".into()))
}

async fn fetch_schemas(dir: Option<PathBuf>, base_url: Option<&str>, out: &Output) -> Result<(), Failure> {
    let dir = schema_cache_or(dir)?;
    let fetched = match base_url {
        None => ddex_schemas::fetch_official(&dir).await?,
        Some(base) => {
            let base = base.trim_end_matches('/');
            let sources: Vec<_> = ddex_schemas::VERSIONS
                .iter()
                .map(|&v| {
                    let official = ddex_schemas::official_url(v);
                    let path = official.strip_prefix("http://service.ddex.net").unwrap_or(official);
                    (v, format!("{base}{path}"))
                })
                .collect();
            ddex_schemas::fetch(&dir, &sources).await?
        }
    };
    out.list(&fetched, schema_table(&fetched));
    Ok(())
}

#[derive(serde::Serialize)]
struct SchemaReport {
    /// The folder validation uses, and which setting chose it.
    in_use: Option<PathBuf>,
    source: SchemaSource,
    checked: PathBuf,
    sets: Vec<SchemaSetStatus>,
}

async fn schema_status(catalog: Option<&Catalog>, dir: Option<PathBuf>, out: &Output) -> Result<(), Failure> {
    let configured = match catalog {
        Some(catalog) => catalog.ddex_settings().await?.schema_dir.map(PathBuf::from),
        None => None,
    };
    let (in_use, source) = ddex_schemas::locate(configured);
    let checked = match dir.or_else(|| in_use.clone()) {
        Some(dir) => dir,
        None => schema_cache_or(None)?,
    };
    let sets = ddex_schemas::status(&checked).await?;
    let mut text = match &in_use {
        Some(d) => format!("schema folder in use: {} ({})\n", d.display(), source.label()),
        None => "no schema folder: set one (`catno ddex settings --schema-dir`), set CATNO_DDEX_SCHEMAS, \
                 or run `catno ddex schemas fetch`\n"
            .to_owned(),
    };
    text.push_str(&format!("checked: {}\n", checked.display()));
    text.push_str(&schema_table(&sets).render());
    let missing = sets.iter().any(|s| s.state != SchemaState::Ready);
    out.detail(&SchemaReport { in_use, source, checked, sets }, &text);
    if missing {
        return Err(Failure::Findings);
    }
    Ok(())
}

fn schema_table(sets: &[SchemaSetStatus]) -> Table {
    Table::new(
        &["ERN", "STATE", "FOLDER", "FILES", "NOTE"],
        sets.iter().map(|s| {
            vec![
                s.ern_version.clone(),
                match s.state {
                    SchemaState::Ready => "ready",
                    SchemaState::Missing => "missing",
                    SchemaState::Broken => "broken",
                }
                .to_owned(),
                s.folder.clone(),
                s.files.join(", "),
                s.message.clone().unwrap_or_default(),
            ]
        }),
    )
}

async fn settings(catalog: &Catalog, args: SettingsArgs, out: &Output) -> Result<(), Failure> {
    let recipients = match &args.profile {
        Some(profile) => vec![DdexRecipient {
            profile_id: profile.clone(),
            dpid: args.recipient_dpid.clone(),
            name: args.recipient_name.clone(),
        }],
        None if args.recipient_dpid.is_some() || args.recipient_name.is_some() => {
            return Err(Failure::Usage("--recipient-dpid and --recipient-name need --profile".into()));
        }
        None => Vec::new(),
    };
    let update = DdexSettingsUpdate {
        sender_dpid: args.sender_dpid,
        sender_name: args.sender_name,
        schema_dir: args.schema_dir,
        test_messages: args.test_messages,
        recipients,
    };
    let settings = if update == DdexSettingsUpdate::default() {
        catalog.ddex_settings().await?
    } else {
        catalog.set_ddex_settings(&update).await?
    };
    out.detail(&settings, &settings_text(&settings));
    Ok(())
}

fn settings_text(s: &DdexSettings) -> String {
    let or = |v: &Option<String>, fallback: &str| v.clone().unwrap_or_else(|| fallback.to_owned());
    let mut text = format!(
        "sender dpid     {}\nsender name     {}\nschema folder   {}\ntest messages   {}\n\n",
        or(&s.sender_dpid, "— (the label's DPID)"),
        or(&s.sender_name, "— (the label's name)"),
        or(&s.schema_dir, "— (CATNO_DDEX_SCHEMAS)"),
        if s.test_messages { "yes" } else { "no" },
    );
    text.push_str("recipients\n");
    for r in &s.recipients {
        text.push_str(&format!(
            "  {:<16}{:<20}{}\n",
            r.profile_id,
            or(&r.dpid, "—"),
            or(&r.name, "— (profile name)")
        ));
    }
    text.trim_end().to_owned()
}

/// Findings on stderr, one per line, so stdout stays the XML or JSON.
fn print_findings(findings: &[DdexFinding]) {
    for f in findings {
        eprintln!("{f}");
    }
}
