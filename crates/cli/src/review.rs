//! `catno review` (the release workflow and its QC checklist) and `catno audit` (who changed
//! what). Exit 1 when an approval is refused by QC (validation errors or an open checklist),
//! 2 for any other refusal.

use std::path::Path;

use catno_core::Catalog;
use catno_core::domain::WorkflowStatus;
use catno_core::workflow::{AuditEntry, Checklist, Since, WorkflowState};
use clap::{Args, Subcommand, ValueEnum};

use crate::Failure;
use crate::output::{Output, Table};

#[derive(Args)]
pub struct Actor {
    /// Act as this person (default: the catalog's user name setting, else the OS user).
    #[arg(long = "as", value_name = "NAME", global = true)]
    actor: Option<String>,
}

#[derive(Args)]
pub struct Target {
    #[arg(long)]
    release: i64,
    /// Why (required to reject or take down).
    #[arg(long)]
    reason: Option<String>,
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Draft or Rejected → In review.
    Submit(Target),
    /// In review → Approved (refused with validation errors or an open checklist: exit 1).
    Approve(Target),
    /// In review → Rejected; needs --reason.
    Reject(Target),
    /// Back to Draft (from review, rejection, approval or take-down).
    Reopen(Target),
    /// Approved (or delivered and unchanged since approval) → Queued for delivery.
    Queue(Target),
    /// Queued → Approved.
    Unqueue(Target),
    /// Queued → Delivered, optionally to one store.
    Delivered {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        store: Option<String>,
    },
    /// Delivered → Live.
    Live(Target),
    /// Delivered or Live → Taken down; needs --reason.
    Takedown(Target),
    /// Releases by workflow status, those waiting longest first.
    List {
        /// Only this status (draft, in_review, approved, queued, delivered, live, taken_down, rejected).
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// A release's status, where it can go, its history and QC checklist.
    Show {
        #[arg(long)]
        release: i64,
    },
    /// Tick (or with --undo untick) a manual checklist item.
    Check {
        #[arg(long)]
        release: i64,
        /// cover_text_matches, cover_clean, audio_matches_tracklist, explicit_flags_checked.
        item: String,
        #[arg(long)]
        undo: bool,
    },
    /// Set or show the name the audit log records for this catalog's user.
    User { name: Option<String> },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SinceArg {
    /// Every change.
    All,
    /// Since the last approval.
    Approval,
    /// Since the last delivery (a `delivered` transition or a DDEX export), see --store.
    Delivery,
}

#[derive(Args)]
pub struct AuditArgs {
    #[arg(long)]
    release: i64,
    #[arg(long, value_enum, default_value = "all")]
    since: SinceArg,
    /// With `--since delivery`: the last delivery to this store.
    #[arg(long)]
    store: Option<String>,
}

/// The OS account name: who acts when neither `--as` nor the user name setting says.
pub fn os_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default()
}

async fn actor(catalog: &Catalog, given: Option<String>) -> Result<String, Failure> {
    match given.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()) {
        Some(name) => {
            catalog.set_actor(&name);
            Ok(name)
        }
        None => Ok(catalog.act_as_user(&os_user()).await?),
    }
}

pub async fn review(path: &Path, command: ReviewCommand, who: Actor, out: &Output) -> Result<(), Failure> {
    let catalog = Catalog::open(path).await?;
    let actor = actor(&catalog, who.actor).await?;
    let (target, to, store) = match command {
        ReviewCommand::Submit(t) => (t, WorkflowStatus::InReview, None),
        ReviewCommand::Approve(t) => (t, WorkflowStatus::Approved, None),
        ReviewCommand::Reject(t) => (t, WorkflowStatus::Rejected, None),
        ReviewCommand::Reopen(t) => (t, WorkflowStatus::Draft, None),
        ReviewCommand::Queue(t) => (t, WorkflowStatus::Queued, None),
        ReviewCommand::Unqueue(t) => (t, WorkflowStatus::Approved, None),
        ReviewCommand::Delivered { target, store } => (target, WorkflowStatus::Delivered, store),
        ReviewCommand::Live(t) => (t, WorkflowStatus::Live, None),
        ReviewCommand::Takedown(t) => (t, WorkflowStatus::TakenDown, None),
        ReviewCommand::List { status, limit } => {
            let status = status
                .map(|s| {
                    WorkflowStatus::parse(&s).ok_or_else(|| {
                        let known: Vec<&str> = WorkflowStatus::ALL.iter().map(|s| s.as_str()).collect();
                        Failure::Usage(format!("unknown status {s:?}; known: {}", known.join(", ")))
                    })
                })
                .transpose()?;
            let queue = catalog.review_queue(status, limit).await?;
            out.list(
                &queue.items,
                Table::new(
                    &["ID", "STATUS", "TITLE", "ARTIST", "DATE", "SINCE", "BY", "REASON"],
                    queue.items.iter().map(|q| {
                        vec![
                            q.release.id.to_string(),
                            q.release.status.to_string(),
                            q.release.title.clone(),
                            q.release.display_artist.clone(),
                            q.release.release_date.clone().unwrap_or_default(),
                            q.since.clone().unwrap_or_default(),
                            q.by.clone().unwrap_or_default(),
                            q.reason.clone().unwrap_or_default(),
                        ]
                    }),
                ),
            );
            return Ok(());
        }
        ReviewCommand::Show { release } => {
            let state = catalog.workflow_state(release).await?;
            out.detail(&state, &state_text(&state));
            return Ok(());
        }
        ReviewCommand::Check { release, item, undo } => {
            let checklist = catalog.set_check(release, &item, !undo, &actor).await?;
            out.detail(&checklist, &checklist_text(&checklist));
            return Ok(());
        }
        ReviewCommand::User { name } => {
            if let Some(name) = name {
                catalog.set_user_name(&name).await?;
            }
            let current = catalog.user_name().await?;
            out.message(
                &serde_json::json!({ "user_name": current, "acting_as": catalog.actor() }),
                &match current {
                    Some(name) => format!("user name: {name}"),
                    None => format!("no user name set; acting as the OS user ({})", catalog.actor()),
                },
            );
            return Ok(());
        }
    };
    match catalog.transition(target.release, to, &actor, target.reason.as_deref(), store.as_deref()).await {
        Ok(transition) => {
            out.message(
                &transition,
                &format!(
                    "release {}: {} → {} by {}",
                    transition.release_id, transition.from, transition.to, actor
                ),
            );
            Ok(())
        }
        Err(error) if to == WorkflowStatus::Approved => {
            // A refusal by QC is a finding (exit 1), not bad input.
            let qc_refusal = catalog
                .workflow_state(target.release)
                .await
                .is_ok_and(|s| s.status == WorkflowStatus::InReview && !s.checklist.complete);
            if qc_refusal {
                eprintln!("catno: {error}");
                Err(Failure::Findings)
            } else {
                Err(error.into())
            }
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn audit(path: &Path, args: AuditArgs, out: &Output) -> Result<(), Failure> {
    let catalog = Catalog::open(path).await?;
    let (entries, heading) = match args.since {
        SinceArg::All => (catalog.audit_log(args.release).await?, None),
        SinceArg::Approval | SinceArg::Delivery => {
            let since = match args.since {
                SinceArg::Approval => Since::Approval,
                _ => Since::Delivery { store: args.store.clone() },
            };
            let changes = catalog.changes_since(args.release, since).await?;
            let heading = match &changes.since {
                Some(at) => format!("changes since {} ({at})", changes.since_what),
                None => format!("no {} yet: every change", changes.since_what),
            };
            (changes.entries, Some(heading))
        }
    };
    if let Some(heading) = heading.filter(|_| !out.json) {
        println!("{heading}");
    }
    out.list(
        &entries,
        Table::new(&["WHEN", "WHO", "WHAT", "FIELD", "BEFORE", "AFTER"], entries.iter().map(audit_row)),
    );
    Ok(())
}

fn audit_row(e: &AuditEntry) -> Vec<String> {
    let what = match (e.release_id, e.track_id) {
        (_, Some(track)) => format!("track {track}"),
        (Some(_), None) => "release".into(),
        (None, None) => String::new(),
    };
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    vec![e.at.clone(), e.actor.clone(), what, e.field.clone(), show(&e.before), show(&e.after)]
}

fn checklist_text(checklist: &Checklist) -> String {
    let mut out = String::new();
    for item in &checklist.items {
        let mark = match (item.done, item.stale) {
            (true, false) => "[x]",
            (true, true) => "[!]",
            _ => "[ ]",
        };
        let by = match (&item.checked_by, &item.checked_at) {
            (Some(by), Some(at)) => {
                format!(" — {by}, {at}{}", if item.stale { ", changed since" } else { "" })
            }
            _ => item.detail.as_ref().map(|d| format!(" — {d}")).unwrap_or_default(),
        };
        let id = if item.automatic { String::new() } else { format!(" ({})", item.id) };
        out.push_str(&format!("{mark} {}{id}{by}\n", item.label));
    }
    out.push_str(if checklist.complete { "checklist complete" } else { "checklist open" });
    out
}

fn state_text(state: &WorkflowState) -> String {
    let next: Vec<&str> = state.next.iter().map(|s| s.as_str()).collect();
    let mut out = format!("release {}: {}\nnext: {}\n", state.release_id, state.status, next.join(", "));
    if let Some(n) = state.changes_since_approval {
        out.push_str(&format!("changes since approval: {n}\n"));
    }
    out.push_str("\nhistory:\n");
    for t in &state.history {
        out.push_str(&format!(
            "  {}  {} → {}  by {}{}{}\n",
            t.at,
            t.from,
            t.to,
            t.actor,
            t.store.as_ref().map(|s| format!(" to {s}")).unwrap_or_default(),
            t.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
        ));
    }
    out.push_str("\nchecklist:\n");
    out.push_str(&checklist_text(&state.checklist));
    out
}
