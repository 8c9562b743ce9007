//! `catno validate` and `catno rules list`: the release validation rule pack.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use catno_core::Catalog;
use catno_core::validate::{Severity, ValidationReport, validation_profiles, validation_rules};
use clap::{Args, Subcommand};

use crate::Failure;
use crate::output::{Output, Table};

#[derive(Args)]
pub struct ValidateArgs {
    /// The release to validate.
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    release: Option<i64>,
    /// Validate every release of the catalog.
    #[arg(long)]
    all: bool,
    /// Delivery profile: spotify, apple_music, amazon, youtube, tiktok, revelator, generic.
    #[arg(long, default_value = "generic")]
    profile: String,
    /// Also write a JUnit XML report (one testsuite per release, one testcase per rule).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Every rule with its severity, source and description.
    List,
    /// The delivery profiles and what they tune.
    Profiles,
}

/// Validates; exit 1 when any finding is an error.
pub async fn validate(path: &Path, args: ValidateArgs, out: &Output) -> Result<(), Failure> {
    let catalog = Catalog::open(path).await?;
    let reports = match args.release {
        Some(id) => vec![catalog.validate_release(id, &args.profile).await?],
        None => catalog.validate_all(&args.profile).await?,
    };
    if let Some(file) = &args.junit {
        std::fs::write(file, junit(&reports, &args.profile))
            .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
    }
    if out.json {
        match (args.release, reports.first()) {
            (Some(_), Some(report)) => out.detail(report, ""),
            _ => out.list(&reports, Table::new(&[], std::iter::empty())),
        }
    } else {
        print_reports(&reports, out);
    }
    if reports.iter().any(|r| r.errors > 0) {
        return Err(Failure::Findings);
    }
    Ok(())
}

fn print_reports(reports: &[ValidationReport], out: &Output) {
    let rows = reports.iter().flat_map(|r| {
        r.findings.iter().map(move |f| {
            vec![
                r.release_id.to_string(),
                f.severity.to_string(),
                f.rule_id.clone(),
                f.field.clone(),
                if f.autofix.is_some() { format!("{} (autofix)", f.message) } else { f.message.clone() },
            ]
        })
    });
    let table = Table::new(&["RELEASE", "SEVERITY", "RULE", "FIELD", "MESSAGE"], rows);
    let findings: usize = reports.iter().map(|r| r.findings.len()).sum();
    if findings > 0 {
        out.list(reports, table);
    }
    let errors: usize = reports.iter().map(|r| r.errors).sum();
    let warnings: usize = reports.iter().map(|r| r.warnings).sum();
    let clean = reports.iter().filter(|r| r.findings.is_empty()).count();
    println!(
        "{} release(s) validated: {errors} error(s), {warnings} warning(s), {} info; {clean} without findings",
        reports.len(),
        findings - errors - warnings
    );
}

pub fn rules(command: RulesCommand, out: &Output) {
    match command {
        RulesCommand::List => {
            let docs = validation_rules();
            out.list(
                &docs,
                Table::new(
                    &["ID", "SEVERITY", "FAMILY", "DESCRIPTION", "SOURCE"],
                    docs.iter().map(|d| {
                        vec![
                            d.id.clone(),
                            d.severity.to_string(),
                            d.family.clone(),
                            d.description.clone(),
                            format!("{} ({})", d.source, d.source_date),
                        ]
                    }),
                ),
            );
        }
        RulesCommand::Profiles => {
            let profiles = validation_profiles();
            out.list(
                &profiles,
                Table::new(
                    &["ID", "NAME", "LEAD DAYS", "PITCH DAYS", "DISABLED", "OVERRIDES"],
                    profiles.iter().map(|p| {
                        vec![
                            p.id.clone(),
                            p.name.clone(),
                            p.lead_days.to_string(),
                            p.pitch_days.to_string(),
                            p.disabled.join(", "),
                            p.severity_overrides
                                .iter()
                                .map(|(id, s)| format!("{id}={s}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ]
                    }),
                ),
            );
        }
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: a testsuite per release, a testcase per rule of the pack. Error findings are
/// `<failure>`s (they fail delivery, and the command's exit code); warnings and info go to
/// the testcase's `<system-out>`; rules the profile disables are `<skipped/>`.
pub fn junit(reports: &[ValidationReport], profile_id: &str) -> String {
    let rules = validation_rules();
    let profile = catno_core::validate::validation_profiles().into_iter().find(|p| p.id == profile_id);
    let disabled = |id: &str| profile.as_ref().is_some_and(|p| !p.enabled(id));
    let total_failures: usize =
        reports.iter().map(|r| rules.iter().filter(|rule| has_errors(r, &rule.id)).count()).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"catno validate ({})\" tests=\"{}\" failures=\"{total_failures}\">",
        xml_escape(profile_id),
        reports.len() * rules.len()
    );
    for report in reports {
        let failures = rules.iter().filter(|rule| has_errors(report, &rule.id)).count();
        let skipped = rules.iter().filter(|rule| disabled(&rule.id)).count();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"release {}: {}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            report.release_id,
            xml_escape(&report.title),
            rules.len()
        );
        for rule in &rules {
            let _ = write!(
                xml,
                "    <testcase classname=\"catno.{}\" name=\"{}\"",
                xml_escape(&rule.family),
                xml_escape(&rule.id)
            );
            let findings: Vec<_> = report.findings.iter().filter(|f| f.rule_id == rule.id).collect();
            if disabled(&rule.id) {
                xml.push_str("><skipped/></testcase>\n");
                continue;
            }
            if findings.is_empty() {
                xml.push_str("/>\n");
                continue;
            }
            xml.push_str(">\n");
            let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
            if let Some(first) = errors.first() {
                let body: Vec<String> =
                    errors.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
                let _ = writeln!(
                    xml,
                    "      <failure type=\"error\" message=\"{}\">{}</failure>",
                    xml_escape(&first.message),
                    xml_escape(&body.join("\n"))
                );
            }
            let others: Vec<String> = findings
                .iter()
                .filter(|f| f.severity != Severity::Error)
                .map(|f| format!("{}: {}: {}", f.severity, f.field, f.message))
                .collect();
            if !others.is_empty() {
                let _ = writeln!(xml, "      <system-out>{}</system-out>", xml_escape(&others.join("\n")));
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn has_errors(report: &ValidationReport, rule: &str) -> bool {
    report.findings.iter().any(|f| f.rule_id == rule && f.severity == Severity::Error)
}
