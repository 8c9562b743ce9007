//! Full-analysis timings: a 5-minute 16-bit/44.1 kHz stereo WAV, a 5-minute 24-bit/96 kHz
//! WAV, and artwork inspection plus a 512 px thumbnail of a 3000×3000 JPEG. When `ffmpeg` is
//! on PATH, the same WAVs go through `ffmpeg -af ebur128=peak=true` for time and readings.
//!
//! Run: `cargo bench -p catno-media --bench qc`.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::f64::consts::PI;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use catno_media::generate::{Noise, SampleFormat, WavSpec, write_wav};
use catno_media::{analyze_audio, inspect_artwork_with_thumbnail};

const RUNS: usize = 3;

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    (best, last.unwrap())
}

/// Music-like material: a few drifting partials, noise, and a slow level envelope.
fn write_music(path: &Path, rate: u32, format: SampleFormat, seconds: u64) {
    let mut noise = Noise::new(42);
    let r = f64::from(rate);
    write_wav(path, WavSpec::new(rate, 2, format), seconds * u64::from(rate), |n, c| {
        let t = n as f64 / r;
        let env = 0.55 + 0.35 * (2.0 * PI * t / 23.0).sin();
        let tone = [110.0, 220.5, 331.0, 1250.0, 4400.0]
            .iter()
            .enumerate()
            .map(|(k, hz)| {
                (2.0 * PI * hz * (1.0 + 0.001 * f64::from(c)) * t + k as f64).sin() / (k as f64 + 1.5)
            })
            .sum::<f64>();
        env * (0.3 * tone + 0.08 * noise.next_sample())
    })
    .unwrap();
}

fn ffmpeg(path: &Path) -> Option<(Duration, String)> {
    let start = Instant::now();
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .ok()?;
    let elapsed = start.elapsed();
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = text.rsplit("Summary:").next().unwrap_or("");
    let pick = |key: &str| {
        summary
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .map(|l| l.trim().to_owned())
            .unwrap_or_default()
    };
    Some((elapsed, format!("{} | {} | {}", pick("I:"), pick("LRA:"), pick("Peak:"))))
}

fn audio_case(label: &str, path: &Path) {
    let bytes = std::fs::metadata(path).unwrap().len();
    let (t, r) = time(|| analyze_audio(path).unwrap());
    let audio_s = r.duration_ms as f64 / 1000.0;
    println!(
        "{label}: {:.0} ms ({:.0}× real time, {:.0} MB/s) — I {:?} LUFS, LRA {:?} LU, TP {:?} dBTP, SP {:?} dBFS, findings {}",
        t.as_secs_f64() * 1000.0,
        audio_s / t.as_secs_f64(),
        bytes as f64 / 1e6 / t.as_secs_f64(),
        r.integrated_lufs,
        r.loudness_range_lu,
        r.true_peak_dbtp,
        r.sample_peak_dbfs,
        r.findings.len()
    );
    if let Some((ft, summary)) = ffmpeg(path) {
        println!(
            "    ffmpeg ebur128=peak=true: {:.0} ms ({summary}); ours/ffmpeg = {:.2}",
            ft.as_secs_f64() * 1000.0,
            t.as_secs_f64() / ft.as_secs_f64()
        );
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let wav44 = dir.path().join("5min-16-44.wav");
    let wav96 = dir.path().join("5min-24-96.wav");
    write_music(&wav44, 44_100, SampleFormat::Int16, 300);
    write_music(&wav96, 96_000, SampleFormat::Int24, 300);
    audio_case("5 min 16-bit/44.1 kHz stereo WAV", &wav44);
    audio_case("5 min 24-bit/96 kHz stereo WAV ", &wav96);

    let jpg = dir.path().join("3000.jpg");
    let mut noise = Noise::new(7);
    let img = image::RgbImage::from_fn(3000, 3000, |x, y| {
        let v = ((x / 40 + y / 30) % 7) as f64 * 30.0;
        image::Rgb(
            [0, 1, 2].map(|k| (v + 20.0 * k as f64 + 20.0 * noise.next_sample()).clamp(0.0, 255.0) as u8),
        )
    });
    img.save(&jpg).unwrap();
    let (t, (report, thumb)) = time(|| inspect_artwork_with_thumbnail(&jpg, 512).unwrap());
    println!(
        "3000×3000 JPEG ({:.1} MB) inspect + 512 px thumbnail: {:.0} ms — {} {}×{} {:?}, sharpness {:?}, fine detail {:?}, thumbnail {} bytes",
        report.file_size as f64 / 1e6,
        t.as_secs_f64() * 1000.0,
        report.format,
        report.width,
        report.height,
        report.color_type,
        report.sharpness,
        report.fine_detail_ratio,
        thumb.map_or(0, |t| t.len())
    );
}
