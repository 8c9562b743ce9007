//! `catno import`, `catno import-mapping` and `catno export`: bulk CSV in Catno's template.

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::transfer::{ColumnMapping, ImportPlan, PlannedAction};
use clap::{Args, ValueEnum};

use crate::Failure;
use crate::output::Output;

#[derive(Args)]
pub struct ImportArgs {
    /// The CSV file (Catno's template; `catno import-mapping FILE` shows how its headers map).
    file: PathBuf,
    /// A mapping saved from `catno import-mapping` and edited.
    #[arg(long, value_name = "M.json")]
    mapping: Option<PathBuf>,
    /// Print the plan and write nothing; exit 1 when rows have problems.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Only these releases (repeatable); default: every release.
    #[arg(long = "release", value_name = "ID")]
    releases: Vec<i64>,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

fn load_mapping(path: &Path) -> Result<ColumnMapping, Failure> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{}: not a column mapping: {e}", path.display())))
}

/// Plans, and unless `--dry-run` imports; exit 1 (nothing written) when rows have problems.
pub async fn import(path: &Path, args: ImportArgs, out: &Output) -> Result<(), Failure> {
    let mapping = args.mapping.as_deref().map(load_mapping).transpose()?;
    let catalog =
        if args.dry_run { Catalog::open(path).await? } else { Catalog::open_or_create(path).await? };
    let plan = catalog.plan_import(&args.file, mapping.as_ref()).await?;
    if args.dry_run || !plan.problems.is_empty() {
        out.detail(&plan, &plan_text(&plan));
        return if plan.problems.is_empty() { Ok(()) } else { Err(Failure::Findings) };
    }
    let summary = catalog.import(&args.file, mapping.as_ref()).await?;
    out.message(
        &summary,
        &format!(
            "imported {}: {} releases created, {} updated; {} tracks created, {} updated",
            args.file.display(),
            summary.releases_created,
            summary.releases_updated,
            summary.tracks_created,
            summary.tracks_updated
        ),
    );
    Ok(())
}

fn plan_text(plan: &ImportPlan) -> String {
    let creates = plan.releases.iter().filter(|r| r.action == PlannedAction::Create).count();
    let mut lines = vec![format!(
        "{} rows ({}, delimiter {}): {} releases ({} new, {} updated), {} tracks ({} new, {} matched)",
        plan.rows,
        plan.encoding,
        plan.delimiter,
        plan.releases.len(),
        creates,
        plan.releases.len() - creates,
        plan.tracks_created() + plan.tracks_matched(),
        plan.tracks_created(),
        plan.tracks_matched()
    )];
    for release in &plan.releases {
        let action = match release.action {
            PlannedAction::Create => "create".to_owned(),
            PlannedAction::Update { id } => format!("update {id}"),
        };
        let rows = match (release.row_numbers.first(), release.row_numbers.last()) {
            (Some(a), Some(b)) if a != b => format!("rows {a}-{b}"),
            (Some(a), _) => format!("row {a}"),
            _ => String::new(),
        };
        lines.push(format!(
            "  {action:<10} {:<14} {} ({rows}, {} tracks)",
            release.upc.as_deref().unwrap_or("-"),
            release.title,
            release.tracks.len()
        ));
    }
    lines.extend(plan.notes.iter().map(|n| format!("note: {n}")));
    lines.extend(plan.problems.iter().map(ToString::to_string));
    if !plan.problems.is_empty() {
        lines.push(format!("{} problem(s); nothing imported", plan.problems.len()));
    }
    lines.join("\n")
}

/// Prints the proposed mapping as JSON, to save, edit and pass to `--mapping`.
pub fn import_mapping(file: &Path) -> Result<(), Failure> {
    let mapping = Catalog::propose_mapping(file)?;
    let json = serde_json::to_string_pretty(&mapping).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{json}");
    Ok(())
}

pub async fn export(path: &Path, args: ExportArgs, out: &Output) -> Result<(), Failure> {
    let ExportFormat::Csv = args.format;
    let catalog = Catalog::open(path).await?;
    let releases = (!args.releases.is_empty()).then_some(args.releases);
    let summary = catalog.export_csv(releases, &args.out).await?;
    out.message(
        &summary,
        &format!("wrote {} releases ({} rows) to {}", summary.releases, summary.rows, args.out.display()),
    );
    Ok(())
}
