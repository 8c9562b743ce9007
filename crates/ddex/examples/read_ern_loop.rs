//! Profiling aid: reads one ERN file N times with the migration importer.
//! `cargo run --release -p catno-ddex --example read_ern_loop -- FILE [N]`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: read_ern_loop FILE [N]")?;
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let bytes = std::fs::read(path)?;
    let started = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..n {
        findings += catno_ddex::read_ern(&bytes).findings.len();
    }
    println!("{:.1} µs per read ({findings} findings)", started.elapsed().as_secs_f64() * 1e6 / n as f64);
    Ok(())
}
