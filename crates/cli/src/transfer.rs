//! `catno import`, `catno import-mapping` and `catno export`: bulk CSV and XLSX.

use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::transfer::{self, ColumnMapping, ImportPlan, PlannedAction};
use clap::{Args, ValueEnum};

use crate::Failure;
use crate::output::Output;

#[derive(Args)]
pub struct ImportArgs {
    /// The CSV, XLSX, XLS or ODS file (`catno import-mapping FILE` shows how its headers map).
    file: PathBuf,
    /// A mapping: a JSON file from `catno import-mapping FILE > M.json` (edited), or the name
    /// of one saved in the catalog with `catno import-mapping FILE --save NAME`.
    #[arg(long, value_name = "M.json|NAME")]
    mapping: Option<String>,
    /// Print the plan and write nothing; exit 1 when rows have problems.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// Label copy of one release as PDF (`--release ID`).
    PdfLabelCopy,
    /// Split sheet of one release as PDF, with signature lines (`--release ID`).
    PdfSplitSheet,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportLayout {
    /// Catno's template, importable again without loss (XLSX adds Rights and QC sheets).
    Template,
    /// Flat label copy: readable headers, a column per credit role.
    LabelCopy,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[arg(long, value_enum, default_value = "template")]
    layout: ExportLayout,
    /// Only these releases (repeatable); default: every release.
    #[arg(long = "release", value_name = "ID", conflicts_with = "label")]
    releases: Vec<i64>,
    /// Only the releases of this label (`catno label list` shows the ids).
    #[arg(long, value_name = "ID")]
    label: Option<i64>,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Font files for PDFs, tried in order per character (default: the first found of Noto
    /// CJK, DejaVu and the usual macOS/Windows fonts).
    #[arg(long = "font", value_name = "FONT")]
    fonts: Vec<PathBuf>,
}

#[derive(Args)]
pub struct MappingArgs {
    /// The CSV or spreadsheet whose header row to map.
    file: PathBuf,
    /// Also save the mapping in the catalog under this name, for `--mapping NAME`.
    #[arg(long, value_name = "NAME")]
    save: Option<String>,
    /// Start from this mapping (a JSON file or a saved name) instead of Catno's proposal;
    /// with `--save`, stores an edited file under a name.
    #[arg(long, value_name = "M.json|NAME")]
    from: Option<String>,
}

/// A mapping file when `spec` names an existing file, else a mapping saved in the catalog.
async fn load_mapping(catalog: Option<&Catalog>, spec: &str) -> Result<ColumnMapping, Failure> {
    let path = Path::new(spec);
    if path.is_file() {
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        return serde_json::from_str(&text)
            .map_err(|e| Failure::Usage(format!("{}: not a column mapping: {e}", path.display())));
    }
    match catalog {
        Some(catalog) => Ok(catalog.saved_mapping(spec).await?),
        None => Err(Failure::Usage(format!("{spec}: no such mapping file"))),
    }
}

/// Plans, and unless `--dry-run` imports; exit 1 (nothing written) when rows have problems.
pub async fn import(path: &Path, args: ImportArgs, out: &Output) -> Result<(), Failure> {
    let catalog =
        if args.dry_run { Catalog::open(path).await? } else { Catalog::open_or_create(path).await? };
    catalog.act_as_user(&crate::review::os_user()).await?;
    let mapping = match &args.mapping {
        Some(spec) => Some(load_mapping(Some(&catalog), spec).await?),
        None => None,
    };
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
    let source = match &plan.sheet {
        Some(sheet) => format!("{}, sheet \"{sheet}\"", plan.format),
        None => format!("{}, {}, delimiter {}", plan.format, plan.encoding, plan.delimiter),
    };
    let mut lines = vec![format!(
        "{} rows ({source}): {} releases ({} new, {} updated), {} tracks ({} new, {} matched)",
        plan.rows,
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
    lines.extend(plan.warnings.iter().map(|w| format!("warning: {w}")));
    lines.extend(plan.problems.iter().map(ToString::to_string));
    if !plan.problems.is_empty() {
        lines.push(format!("{} problem(s); nothing imported", plan.problems.len()));
    }
    lines.join("\n")
}

/// Prints the proposed mapping as JSON, to save, edit and pass to `--mapping`; with `--save`
/// also keeps it in the catalog under a name.
pub async fn import_mapping(path: &Path, args: MappingArgs) -> Result<(), Failure> {
    let catalog = if args.save.is_some() || args.from.as_deref().is_some_and(|f| !Path::new(f).is_file()) {
        Some(crate::open_catalog(path).await?)
    } else {
        None
    };
    let mapping = match &args.from {
        Some(spec) => load_mapping(catalog.as_ref(), spec).await?,
        None => Catalog::propose_mapping(&args.file)?,
    };
    if let (Some(name), Some(catalog)) = (&args.save, &catalog) {
        catalog.save_mapping(name, &mapping).await?;
    }
    let json = serde_json::to_string_pretty(&mapping).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{json}");
    Ok(())
}

pub async fn export(path: &Path, args: ExportArgs, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    let pdf = match args.format {
        ExportFormat::PdfLabelCopy => Some(transfer::PdfKind::LabelCopy),
        ExportFormat::PdfSplitSheet => Some(transfer::PdfKind::SplitSheet),
        ExportFormat::Csv | ExportFormat::Xlsx => None,
    };
    if let Some(kind) = pdf {
        let [release] = args.releases[..] else {
            return Err(Failure::Usage("a PDF is of one release: pass exactly one --release ID".into()));
        };
        let fonts = if args.fonts.is_empty() { transfer::existing_fonts() } else { args.fonts };
        let summary = catalog.export_pdf(kind, release, &fonts, &args.out).await?;
        let missing = if summary.missing_characters.is_empty() {
            String::new()
        } else {
            format!("; no font has: {}", summary.missing_characters)
        };
        out.message(
            &summary,
            &format!(
                "wrote {} ({} pages, fonts: {}){missing}",
                args.out.display(),
                summary.pages,
                summary.fonts.join(", ")
            ),
        );
        return Ok(());
    }
    let format = match args.format {
        ExportFormat::Xlsx => transfer::ExportFormat::Xlsx,
        _ => transfer::ExportFormat::Csv,
    };
    let layout = match args.layout {
        ExportLayout::Template => transfer::ExportLayout::Template,
        ExportLayout::LabelCopy => transfer::ExportLayout::LabelCopy,
    };
    let scope = match args.label {
        Some(id) => transfer::ExportScope::Label { id },
        None if args.releases.is_empty() => transfer::ExportScope::All,
        None => transfer::ExportScope::Releases { ids: args.releases },
    };
    let summary = catalog.export(format, layout, scope, &args.out).await?;
    out.message(
        &summary,
        &format!("wrote {} releases ({} rows) to {}", summary.releases, summary.rows, args.out.display()),
    );
    Ok(())
}

#[derive(Args)]
pub struct FolderArgs {
    /// The delivery folder (searched four levels deep).
    dir: PathBuf,
    /// Print what each file would become and attach nothing; exit 1 when files clash.
    #[arg(long)]
    dry_run: bool,
    /// The QC profile the attached files are checked against.
    #[arg(long, default_value = "generic")]
    profile: String,
}

fn folder_text(plan: &transfer::FolderPlan) -> String {
    let mut lines = vec![format!(
        "{}: {} matched, {} unmatched, {} ignored",
        plan.folder,
        plan.matched.len(),
        plan.unmatched.len(),
        plan.ignored.len()
    )];
    for file in &plan.matched {
        let owner = match file.owner {
            Some(catno_core::qc::AssetOwner::Release { id }) => format!("release {id}"),
            Some(catno_core::qc::AssetOwner::Track { id }) => format!("track {id}"),
            None => String::new(),
        };
        lines.push(format!(
            "  {:<8} {} -> {owner} \"{}\" ({})",
            file.kind.as_str(),
            file.path,
            file.title.as_deref().unwrap_or_default(),
            file.matched_by.as_deref().unwrap_or_default()
        ));
    }
    for file in &plan.unmatched {
        lines.push(format!("  unmatched {}: {}", file.path, file.reason.as_deref().unwrap_or_default()));
    }
    lines.extend(plan.problems.iter().map(|p| format!("problem: {}: {}", p.path, p.message)));
    if !plan.problems.is_empty() {
        lines.push(format!("{} problem(s); nothing attached", plan.problems.len()));
    }
    lines.join("\n")
}

/// Plans the folder and unless `--dry-run` attaches the files and waits for their QC, so
/// the analyses are in the catalog when the command returns.
pub async fn import_folder(path: &Path, args: FolderArgs, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    let plan = catalog.plan_folder_import(&args.dir).await?;
    if args.dry_run || !plan.problems.is_empty() {
        out.detail(&plan, &folder_text(&plan));
        return if plan.problems.is_empty() { Ok(()) } else { Err(Failure::Findings) };
    }
    let jobs = catno_core::jobs::Jobs::new();
    let imported = catalog.import_folder(&jobs, &args.dir, &args.profile).await?;
    let mut failed = Vec::new();
    for attached in &imported.attached {
        loop {
            match jobs.get(attached.job_id).filter(|p| p.state.is_final()) {
                Some(progress) => {
                    if progress.state != catno_core::jobs::JobState::Succeeded {
                        failed.push(format!("{}: {}", attached.asset.path, progress.message));
                    }
                    break;
                }
                None => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }
    let mut text = folder_text(&imported.plan);
    text.push_str(&format!("\nattached {} files; QC done", imported.attached.len()));
    for failure in &failed {
        text.push_str(&format!("\nQC failed: {failure}"));
    }
    out.detail(&imported, &text);
    if failed.is_empty() { Ok(()) } else { Err(Failure::Findings) }
}
