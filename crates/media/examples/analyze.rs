//! Analyses audio files (or inspects covers, with a 512 px thumbnail, for `.jpg`/`.png`) and
//! prints each report as JSON, with the wall time on stderr: for profiling (`perf record`) and
//! for checking a real file by hand.
//!
//! Run: `cargo run --release -p catno-media --example analyze -- FILE...`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let file = std::path::Path::new(&path);
        let start = Instant::now();
        let json = if path.ends_with(".jpg") || path.ends_with(".png") {
            serde_json::to_string_pretty(&catno_media::inspect_artwork_with_thumbnail(file, 512)?.0)?
        } else {
            serde_json::to_string_pretty(&catno_media::analyze_audio(file)?)?
        };
        eprintln!("{path}: {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
        println!("{json}");
    }
    Ok(())
}
