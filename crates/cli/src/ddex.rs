//! `catno ddex`: DSP profiles, DDEX settings, messages, validation, batches and takedowns.

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::ddex::{DdexFinding, DdexOptions, DdexRecipient, DdexSettings, DdexSettingsUpdate};
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
    /// Validate an ERN message file: XSD (schema folder from the settings or
    /// CATNO_DDEX_SCHEMAS) and reference integrity. Exit 1 on errors.
    Validate { file: PathBuf },
    /// Write a delivery batch folder `<out>/<batch-id>` (messages, resources, BatchComplete).
    /// Nothing is written, and the exit code is 1, when any message has errors.
    Export {
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
    },
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

pub async fn run(path: &Path, command: DdexCommand, out: &Output) -> Result<(), Failure> {
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
    let catalog = Catalog::open(path).await?;
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
        DdexCommand::Validate { file } => {
            let xml = std::fs::read_to_string(&file)
                .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
            let validation = catalog.validate_ddex(&xml).await?;
            if out.json {
                out.detail(&validation, "");
            } else {
                for f in &validation.findings {
                    println!("{f}");
                }
                let version = validation.ern_version.as_deref().unwrap_or("unknown");
                let errors = validation.findings.iter().filter(|f| f.is_error()).count();
                let xsd = if validation.xsd_checked { "XSD and references" } else { "references only" };
                println!("{}: ERN {version}, {xsd} checked, {errors} error(s)", file.display());
            }
            if validation.has_errors() {
                return Err(Failure::Findings);
            }
        }
        DdexCommand::Export { releases, message, out: dir, batch_id } => {
            let export =
                catalog.export_ddex_batch(&releases, &message.options(), &dir, batch_id.as_deref()).await?;
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
        }
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
