//! Times validation of a catalog file:
//! `cargo run --release -p catno-core --example validate_timing -- CATALOG [PROFILE]`.
//!
//! Prints the whole-catalog run (`catno validate --all`), then its split: reading every release
//! page alone (the queries `Catalog::validate_each` runs, without the rules), and the rest
//! (rules, rights summaries, reports); then one release re-validated, best of 20.
//! The 1M-track catalog: `CATNO_BENCH_KEEP=PATH cargo bench -p catno-db --bench catalog`.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: validate_timing CATALOG [PROFILE]")?);
    let profile = args.next().unwrap_or_else(|| "spotify".into());

    // Reading alone, page by page as `validate_each` reads.
    let db = catno_db::Db::open(&path, catno_db::OpenMode::Existing).await?;
    let started = Instant::now();
    let (mut releases, mut tracks) = (0usize, 0usize);
    {
        let mut conn = db.read().await?;
        let mut after = 0;
        loop {
            let ids = catno_db::release_ids_after(&mut conn, after, catno_core::validate::PAGE).await?;
            let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else { break };
            after = hi;
            let page = catno_db::load_releases_in_range(&mut conn, lo, hi).await?;
            releases += page.len();
            tracks += page.iter().map(|l| l.tracks.len()).sum::<usize>();
        }
    }
    let read = started.elapsed();
    db.close().await;

    let catalog = catno_core::Catalog::open(&path).await?;
    let started = Instant::now();
    let (mut findings, mut errors) = (0, 0);
    let count = catalog
        .validate_each(&profile, time::OffsetDateTime::now_utc().date(), |report| {
            findings += report.findings.len();
            errors += report.errors;
        })
        .await?;
    let whole = started.elapsed();
    println!("validated {count} releases in {whole:.2?}: {findings} findings, {errors} errors");
    println!("  reading alone: {releases} releases, {tracks} tracks in {read:.2?}");
    println!(
        "  whole run minus reading alone (rules, not overlapped with reads): {:.2?}",
        whole.saturating_sub(read)
    );
    let middle = count as i64 / 2;
    let mut best = Duration::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        catalog.validate_release(middle.max(1), &profile).await?;
        best = best.min(started.elapsed());
    }
    println!("one release (id {middle}): best of 20 {best:.2?}");
    Ok(())
}
