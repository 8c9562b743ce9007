//! One parser reading DDEX's "1 Audio.xml" N times, for instruction counts under callgrind
//! (robust where wall-clock medians are not, e.g. on a loaded machine):
//!   valgrind --tool=callgrind target/release/examples/parse_sample DIR catno|ddex-parser N
//! Run with N and N+10 and divide the difference by 10 for one parse. ddex-parser gets the
//! sample with a `DealReference` patched into each `Deal` (its strict mode refuses it without);
//! Catno reads the same patched text.
use std::io::Cursor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: parse_sample SCHEMAS_DIR catno|ddex-parser [N]";
    let dir = args.next().ok_or(usage)?;
    let which = args.next().ok_or(usage)?;
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let sample = std::fs::read_to_string(std::path::Path::new(&dir).join("samples/ern43/1 Audio.xml"))?;
    let mut deal = 0;
    let xml: String = sample
        .trim_start_matches('\u{feff}')
        .split("<Deal>")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                deal += 1;
                format!("<Deal><DealReference>D{deal}</DealReference>{part}")
            }
        })
        .collect();
    let mut parser = ddex_parser::DDEXParser::new();
    let mut seen = 0;
    for _ in 0..n {
        seen += match which.as_str() {
            "catno" => catno_ddex::read_ern(xml.as_bytes()).findings.len(),
            "ddex-parser" => parser.parse(Cursor::new(xml.as_bytes()))?.releases().len(),
            _ => return Err(usage.into()),
        };
    }
    println!("{which}: {n} parses ({seen} findings or releases)");
    Ok(())
}
