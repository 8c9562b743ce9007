//! `catno inspect FILE...` and `catno qc --release ID`: audio and artwork QC.
//!
//! Exit 1 when any file has an error finding; 2 when a file is missing or unreadable.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use catno_core::jobs::Jobs;
use catno_core::qc::{DEFAULT_PROFILE, FileQc, ReleaseQc};
use clap::Args;
use serde_json::{Value, json};

use crate::Failure;
use crate::output::Output;

#[derive(Args)]
pub struct InspectArgs {
    /// Audio (WAV, FLAC, AIFF, MP3, …) or artwork (JPEG, PNG) files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The delivery target whose rules apply: generic, spotify, apple_music, amazon, youtube,
    /// tiktok, revelator.
    #[arg(long, default_value = DEFAULT_PROFILE)]
    profile: String,
}

#[derive(Args)]
pub struct QcArgs {
    /// The release whose artwork and masters to check.
    #[arg(long)]
    release: i64,
    #[arg(long, default_value = DEFAULT_PROFILE)]
    profile: String,
}

/// Inspects files; with an existing catalog at `catalog`, analyses are kept and reused there.
pub async fn inspect(catalog: &Path, args: InspectArgs, out: &Output) -> Result<(), Failure> {
    let files = if catalog.is_file() {
        crate::open_catalog(catalog).await?.inspect_paths(&args.files, &args.profile).await?
    } else {
        catno_core::qc::inspect_paths(&args.files, &args.profile).await?
    };
    let values: Vec<Value> = files.iter().map(file_json).collect();
    out.detail(&values, &files.iter().map(file_text).collect::<Vec<_>>().join("\n\n"));
    if files.iter().any(FileQc::has_errors) { Err(Failure::Findings) } else { Ok(()) }
}

/// QC of a release's assets, with a progress line on stderr.
pub async fn qc(catalog: &Path, args: QcArgs, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(catalog).await?;
    let jobs = Jobs::new();
    let mut events = jobs.subscribe();
    let job = jobs.start("qc_release", 0);
    let job_id = job.id();
    let terminal = std::io::stderr().is_terminal();
    let progress = tokio::spawn(async move {
        let mut printed = false;
        while let Ok(event) = events.recv().await {
            if event.id != job_id {
                continue;
            }
            if event.state.is_final() {
                break;
            }
            if event.done == 0 {
                continue;
            }
            let name = Path::new(&event.message)
                .file_name()
                .map_or_else(|| event.message.clone(), |n| n.to_string_lossy().into_owned());
            let mut err = std::io::stderr().lock();
            if terminal {
                let _ = write!(err, "\r\x1b[2Kqc: {}/{} {name}", event.done, event.total);
            } else {
                let _ = writeln!(err, "qc: {}/{} {name}", event.done, event.total);
            }
            let _ = err.flush();
            printed = true;
        }
        if printed && terminal {
            eprintln!();
        }
    });
    let result = catalog.qc_release(args.release, &args.profile, &job).await;
    let _ = progress.await;
    let qc = result?;
    out.detail(&release_json(&qc), &release_text(&qc));
    if qc.has_errors() { Err(Failure::Findings) } else { Ok(()) }
}

fn release_json(qc: &ReleaseQc) -> Value {
    json!({
        "release_id": qc.release_id,
        "profile_id": qc.profile_id,
        "analyzed": qc.analyzed,
        "cached": qc.cached,
        "cancelled": qc.cancelled,
        "files": qc.files.iter().map(file_json).collect::<Vec<_>>(),
    })
}

fn release_text(qc: &ReleaseQc) -> String {
    let mut out = format!(
        "release {}, profile {}: {} files ({} analysed, {} from the store)",
        qc.release_id,
        qc.profile_id,
        qc.files.len(),
        qc.analyzed,
        qc.cached
    );
    for file in &qc.files {
        out.push_str("\n\n");
        out.push_str(&file_text(file));
    }
    out
}

/// The full report without its waveform (a thousand columns nobody reads in JSON).
fn report_json<T: serde::Serialize>(report: &T) -> Value {
    let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("waveform");
    }
    value
}

/// One file as scripts read it: the key figures at the top level, the report beside them.
pub fn file_json(file: &FileQc) -> Value {
    let mut value = json!({
        "path": file.path,
        "kind": file.kind,
        "asset_id": file.asset_id,
        "track_id": file.track_id,
        "size_bytes": file.size_bytes,
        "sha256": file.sha256,
        "md5": file.md5,
        "cached": file.cached,
        "analyzed_at": file.analyzed_at,
        "error": file.error,
        "findings": file.findings,
    });
    let extra = if let Some(a) = &file.audio {
        json!({
            "container": a.container,
            "codec": a.codec,
            "lossless": a.lossless,
            "float": a.float,
            "sample_rate": a.sample_rate,
            "bit_depth": a.bit_depth,
            "channels": a.channels,
            "duration_ms": a.duration_ms,
            "integrated_lufs": a.integrated_lufs,
            "loudness_range_lu": a.loudness_range_lu,
            "true_peak_dbtp": a.true_peak_dbtp,
            "sample_peak_dbfs": a.sample_peak_dbfs,
            "leading_silence_ms": a.leading_silence_ms,
            "trailing_silence_ms": a.trailing_silence_ms,
            "clipped_samples": a.clipping.clipped_samples,
            "report": report_json(a),
        })
    } else if let Some(i) = &file.artwork {
        json!({
            "format": i.format,
            "width": i.width,
            "height": i.height,
            "color_type": i.color_type,
            "bit_depth": i.bit_depth,
            "has_alpha": i.has_alpha,
            "icc_profile": i.icc_profile.as_ref().and_then(|p| p.description.clone()),
            "report": report_json(i),
        })
    } else {
        json!({})
    };
    if let (Value::Object(map), Value::Object(extra)) = (&mut value, extra) {
        map.extend(extra);
    }
    value
}

fn db(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(|| format!("-inf {unit}"), |v| format!("{v:.1} {unit}"))
}

pub fn file_text(file: &FileQc) -> String {
    let mut out = file.path.clone();
    if let Some(a) = &file.audio {
        out.push_str(&format!(
            "\n  {} {}, {:.1} kHz, {}, {} ch, {:.2} s\n  loudness {}, true peak {}, sample peak {}",
            a.container,
            a.codec,
            f64::from(a.sample_rate) / 1000.0,
            a.bit_depth.map_or_else(|| "lossy".to_owned(), |b| format!("{b}-bit")),
            a.channels,
            a.duration_ms as f64 / 1000.0,
            a.integrated_lufs.map_or_else(|| "—".to_owned(), |v| format!("{v:.1} LUFS")),
            db(a.true_peak_dbtp, "dBTP"),
            db(a.sample_peak_dbfs, "dBFS"),
        ));
    } else if let Some(i) = &file.artwork {
        let colour = serde_json::to_value(i.color_type).ok().and_then(|v| v.as_str().map(str::to_owned));
        out.push_str(&format!(
            "\n  {} {}×{}, {}, {}-bit",
            i.format,
            i.width,
            i.height,
            colour.unwrap_or_default(),
            i.bit_depth
        ));
    }
    if let Some(md5) = &file.md5 {
        out.push_str(&format!("\n  md5 {md5}"));
    }
    if file.findings.is_empty() {
        out.push_str("\n  no findings");
    }
    for f in &file.findings {
        let severity = serde_json::to_value(f.severity).ok().and_then(|v| v.as_str().map(str::to_owned));
        out.push_str(&format!("\n  {:<8} {:<18} {}", severity.unwrap_or_default(), f.rule_id, f.message));
    }
    out
}
