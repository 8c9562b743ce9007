//! Times whole-catalog validation: `cargo run --release -p catno-core --example validate_timing -- CATALOG [PROFILE]`.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: validate_timing CATALOG [PROFILE]")?);
    let profile = args.next().unwrap_or_else(|| "spotify".into());
    let catalog = catno_core::Catalog::open(&path).await?;
    let started = Instant::now();
    let (mut findings, mut errors) = (0, 0);
    let count = catalog
        .validate_each(&profile, time::OffsetDateTime::now_utc().date(), |report| {
            findings += report.findings.len();
            errors += report.errors;
        })
        .await?;
    println!("validated {count} releases in {:.2?}: {findings} findings, {errors} errors", started.elapsed());
    let middle = count as i64 / 2;
    let mut best = std::time::Duration::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        catalog.validate_release(middle.max(1), &profile).await?;
        best = best.min(started.elapsed());
    }
    println!("one release (id {middle}): best of 20 {best:.2?}");
    Ok(())
}
