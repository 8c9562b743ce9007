//! CSV import/export at scale: generates a 100,000-track file in Catno's template (10,000
//! releases of 10 tracks), plans, imports and exports it, printing times and peak RSS.
//! `cargo bench -p catno-core --bench transfer` (set `CATNO_BENCH_TRACKS` to change the size,
//! or pass it: `cargo bench -p catno-core --bench transfer -- 1000000` for issue 8's target).
//! Each step's peak RSS is its own (`VmHWM`, reset before the step where Linux allows it). The
//! XLSX steps run up to 100,000 tracks unless `CATNO_BENCH_XLSX=1`; `CATNO_BENCH_NO_DRY_RUN=1`
//! skips the dry run.

use std::io::Write;
use std::time::Instant;

use catno_core::Catalog;
use catno_core::transfer::ExportScope;

fn ean13(body: u64) -> String {
    let digits = format!("{body:012}");
    let sum: u32 =
        digits.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

fn status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let value = status.lines().find_map(|l| l.strip_prefix(key))?;
    let kb: f64 = value.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The peak RSS since the last [`reset_peak_rss`], and the RSS the step started from (memory
/// an earlier step freed but the allocator kept counts in both).
fn peak_rss_mb() -> String {
    let start = f64::from_bits(START_RSS.load(std::sync::atomic::Ordering::Relaxed));
    match status_mb("VmHWM:") {
        Some(peak) => format!("{peak:.0} MB (from {start:.0} MB)"),
        None => "n/a".to_owned(),
    }
}

static START_RSS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Starts a new peak for `VmHWM` (Linux 4.0+; elsewhere the peak stays the process's).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    START_RSS.store(status_mb("VmRSS:").unwrap_or(0.0).to_bits(), std::sync::atomic::Ordering::Relaxed);
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tracks: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .or_else(|| std::env::var("CATNO_BENCH_TRACKS").ok().and_then(|v| v.parse().ok()))
        .unwrap_or(100_000);
    let xlsx_steps = std::env::var("CATNO_BENCH_XLSX").map_or(tracks <= 100_000, |v| v == "1");
    let per_release = 10;
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("bench.csv");

    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    writeln!(
        out,
        "upc,release_title,release_artist,label,release_type,release_date,genre,p_line,c_line,disc,track,isrc,track_title,track_artist,duration,explicit,audio_language,contributors,writers"
    )?;
    for i in 0..tracks {
        let release = i / per_release;
        let isrc = format!("GBCTN{:02}{:05}", 20 + i / 99_999, i % 99_999 + 1);
        writeln!(
            out,
            "{},Release {release},Artist {a},Bench Records,Album,2026-01-01,Electronic,2026 Bench Records,2026 Bench Records,1,{n},{isrc},Track {i},Artist {a},3:{s:02},no,en,MainArtist:Artist {a}; Producer:Producer {p},Composer:Writer {p}:Bench Publishing:100%",
            ean13(506_000_000_000 + release),
            a = release % 997,
            n = i % per_release + 1,
            s = i % 60,
            p = i % 101,
        )?;
    }
    out.flush()?;
    drop(out);
    let size = std::fs::metadata(&csv)?.len();
    println!("generated {tracks} tracks ({:.1} MB) in {:.2?}", size as f64 / 1e6, started.elapsed());

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let catalog = Catalog::create(&dir.path().join("bench.sqlite")).await?;
        // `CATNO_BENCH_NO_DRY_RUN=1`: the import's memory without a dry run's freed memory before it.
        if std::env::var("CATNO_BENCH_NO_DRY_RUN").is_err() {
            reset_peak_rss();
            let started = Instant::now();
            let plan = catalog.plan_import(&csv, None).await?;
            assert!(plan.problems.is_empty(), "{:?}", plan.problems.first());
            println!(
                "plan (dry run): {} releases, {} tracks in {:.2?}; peak RSS {}",
                plan.releases.len(),
                plan.tracks_created(),
                started.elapsed(),
                peak_rss_mb()
            );
            drop(plan);
        }
        reset_peak_rss();
        let started = Instant::now();
        let summary = catalog.import(&csv, None).await?;
        println!(
            "import: {} releases, {} tracks in {:.2?}; peak RSS {}",
            summary.releases_created,
            summary.tracks_created,
            started.elapsed(),
            peak_rss_mb()
        );
        let exported = dir.path().join("export.csv");
        reset_peak_rss();
        let started = Instant::now();
        let summary = catalog.export_csv(ExportScope::All, &exported).await?;
        println!(
            "export: {} releases, {} rows ({:.1} MB) in {:.2?}; peak RSS {}",
            summary.releases,
            summary.rows,
            std::fs::metadata(&exported)?.len() as f64 / 1e6,
            started.elapsed(),
            peak_rss_mb()
        );
        if !xlsx_steps {
            println!("xlsx steps skipped above 100,000 tracks (CATNO_BENCH_XLSX=1 runs them)");
            return Ok(());
        }
        let xlsx = dir.path().join("export.xlsx");
        let started = Instant::now();
        let summary = catalog
            .export(
                catno_core::transfer::ExportFormat::Xlsx,
                catno_core::transfer::ExportLayout::Template,
                ExportScope::All,
                &xlsx,
            )
            .await?;
        println!(
            "export xlsx: {} rows ({:.1} MB) in {:.2?}; peak RSS {}",
            summary.rows,
            std::fs::metadata(&xlsx)?.len() as f64 / 1e6,
            started.elapsed(),
            peak_rss_mb()
        );
        let started = Instant::now();
        let plan = catalog.plan_import(&xlsx, None).await?;
        assert!(plan.problems.is_empty(), "{:?}", plan.problems.first());
        println!(
            "plan xlsx (dry run, all matched): {} tracks in {:.2?}; peak RSS {}",
            plan.tracks_matched(),
            started.elapsed(),
            peak_rss_mb()
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    Ok(())
}
