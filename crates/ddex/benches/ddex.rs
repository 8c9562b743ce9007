//! Performance figures for catno-ddex (run with `cargo bench -p catno-ddex --bench ddex`;
//! set `CATNO_DDEX_SCHEMAS` for the parse-the-official-sample and XSD figures).
//!
//! Targets (issue 4): write a 21-track ERN 4.3 album well under a millisecond; parse DDEX's
//! official 21-track sample; validate one message against the loaded ERN 4.3 XSD ≤ 5 ms.
//! A plain timing binary (no criterion), like the other crates' benches: it prints the median
//! and the best of many runs.
#![allow(clippy::print_stdout)]

mod fixture;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use catno_ddex::{ErnVersion, SchemaValidator, check_references, generate, import_ern43, profile};

fn measure<T>(name: &str, runs: usize, mut call: impl FnMut() -> T) {
    for _ in 0..runs / 10 {
        black_box(call());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(call());
            started.elapsed()
        })
        .collect();
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("{name:<52} median {:>9.1} µs   best {:>9.1} µs", us(times[times.len() / 2]), us(times[0]));
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let album = fixture::album();
    let ern43 = profile("generic-ern43")?;
    let ern382 = profile("generic-ern382")?;
    let xml43 = generate(&album, ern43)?.xml;
    let xml382 = generate(&album, ern382)?.xml;
    println!("21-track album: ERN 4.3 {} bytes, ERN 3.8.2 {} bytes", xml43.len(), xml382.len());

    measure("generate ERN 4.3 (21 tracks)", runs, || generate(&album, ern43).map(|g| g.xml.len()));
    measure("generate ERN 3.8.2 (21 tracks)", runs, || generate(&album, ern382).map(|g| g.xml.len()));
    measure("import ERN 4.3 (Catno's own 21-track message)", runs, || {
        import_ern43(&xml43).map(|m| m.tracks.len())
    });
    measure("reference check (21 tracks)", runs, || check_references(&xml43).map(|f| f.len()));

    let Some(dir) = std::env::var_os("CATNO_DDEX_SCHEMAS").map(PathBuf::from) else {
        println!("SKIPPED: CATNO_DDEX_SCHEMAS not set (official sample and XSD figures not run)");
        return Ok(());
    };
    let sample = std::fs::read_to_string(dir.join("samples/ern43/1 Audio.xml"))?;
    let general = catno_ddex::read_ern(sample.as_bytes());
    println!(
        "official sample \"1 Audio.xml\" through the migration importer: {} findings with errors",
        general.findings.iter().filter(|f| f.is_error()).count()
    );
    measure("read_ern: ERN 4.3 official \"1 Audio.xml\" (the migration importer)", runs, || {
        catno_ddex::read_ern(sample.as_bytes()).findings.len()
    });
    measure("read_ern: Catno's own 21-track message", runs, || {
        catno_ddex::read_ern(xml43.as_bytes()).findings.len()
    });
    match import_ern43(&sample) {
        Ok(parsed) => {
            println!(
                "official sample \"1 Audio.xml\": {} bytes, {} tracks",
                sample.len(),
                parsed.tracks.len()
            );
            measure("import ERN 4.3 (official \"1 Audio.xml\")", runs, || {
                import_ern43(&sample).map(|m| m.tracks.len())
            });
        }
        Err(e) => println!("official sample \"1 Audio.xml\" not imported: {e}"),
    }
    for version in [ErnVersion::Ern43, ErnVersion::Ern382] {
        let started = Instant::now();
        let mut validator = SchemaValidator::for_version(&dir, version)?;
        println!(
            "load {version:?} schema: {:.0} ms (once per process)",
            started.elapsed().as_secs_f64() * 1e3
        );
        let xml = if version == ErnVersion::Ern43 { &xml43 } else { &xml382 };
        let errors = validator.validate(xml)?;
        assert!(errors.is_empty(), "the bench album is not schema-valid: {errors:#?}");
        measure(&format!("XSD-validate {version:?} (21 tracks, schema loaded)"), runs, || {
            validator.validate(xml).map(|f| f.len())
        });
        if version == ErnVersion::Ern43 {
            measure("XSD-validate Ern43 official \"1 Audio.xml\"", runs, || {
                validator.validate(&sample).map(|f| f.len())
            });
        }
    }
    Ok(())
}
