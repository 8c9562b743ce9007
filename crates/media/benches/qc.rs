//! Full-analysis timings, side by side with the reference tools on the same files in the same
//! run: a 5-minute 16-bit/44.1 kHz stereo WAV, a 5-minute 24-bit/96 kHz WAV and the same as
//! FLAC (`ffmpeg -af ebur128=peak=true` on each, when ffmpeg is on PATH; the FLAC is made
//! with ffmpeg, so without it that case is skipped), artwork inspection plus a 512 px
//! thumbnail of a 3000×3000 JPEG (`vipsthumbnail -s 512`, when libvips-tools is installed),
//! and the peak RSS of analysing a 60-minute file, measured in a child process.
//!
//! Each pair is timed `CATNO_BENCH_RUNS` times (default 5), Catno and the tool alternating so
//! that other load on the machine slows both alike; medians are reported.
//! `CATNO_BENCH_SKIP_LONG=1` skips the 60-minute files (2 GB of WAV, minutes to make).
//!
//! Run: `cargo bench -p catno-media --bench qc` (or `scripts/bench-qc`).
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::f64::consts::PI;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use catno_media::generate::{Noise, SampleFormat, WavSpec, write_wav};
use catno_media::{analyze_audio, inspect_artwork_with_thumbnail};

fn runs() -> usize {
    std::env::var("CATNO_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time (user + system) of this process (all threads) and of its waited-for children,
/// from /proc/self/stat (clock ticks of 10 ms on Linux). The machine is shared, so wall time
/// depends on what else runs; CPU time much less.
fn cpu_times() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest: Vec<u64> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|v| v.parse().ok())
        .collect();
    let tick = |t: u64| Duration::from_millis(t * 10);
    match rest.as_slice() {
        [utime, stime, cutime, cstime] => (tick(utime + stime), tick(cutime + cstime)),
        _ => (Duration::ZERO, Duration::ZERO),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
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

fn has(tool: &str) -> bool {
    Command::new(tool).arg("-version").output().is_ok_and(|o| o.status.success())
        || Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// One `ffmpeg -af ebur128=peak=true` run: its time and its summary line.
fn ffmpeg_ebur128(path: &Path) -> (Duration, String) {
    let start = Instant::now();
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .unwrap();
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
    (elapsed, format!("{} | {} | {}", pick("I:"), pick("LRA:"), pick("Peak:")))
}

fn audio_case(label: &str, path: &Path, with_ffmpeg: bool) {
    let bytes = std::fs::metadata(path).unwrap().len();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut report = None;
    let mut summary = String::new();
    let (mut our_cpu, mut their_cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs() {
        let (cpu, _) = cpu_times();
        let t = Instant::now();
        report = Some(analyze_audio(path).unwrap());
        ours.push(t.elapsed());
        our_cpu.push(cpu_times().0 - cpu);
        if with_ffmpeg {
            let (_, child) = cpu_times();
            let (t, s) = ffmpeg_ebur128(path);
            theirs.push(t);
            their_cpu.push(cpu_times().1 - child);
            summary = s;
        }
    }
    let r = report.unwrap();
    let t = median(ours);
    println!(
        "{label}: {:.0} ms median of {} ({:.0}× real time, {:.0} MB/s) — I {:?} LUFS, LRA {:?} LU, TP {:?} dBTP ({}×), SP {:?} dBFS, findings {}",
        ms(t),
        runs(),
        r.duration_ms as f64 / 1000.0 / t.as_secs_f64(),
        bytes as f64 / 1e6 / t.as_secs_f64(),
        r.integrated_lufs,
        r.loudness_range_lu,
        r.true_peak_dbtp,
        r.true_peak_oversampling,
        r.sample_peak_dbfs,
        r.findings.len()
    );
    if with_ffmpeg {
        let f = median(theirs);
        println!(
            "    ffmpeg ebur128=peak=true: {:.0} ms median ({summary}); ours/ffmpeg = {:.2}",
            ms(f),
            ms(t) / ms(f)
        );
        let (oc, fc) = (median(our_cpu), median(their_cpu));
        println!(
            "    CPU time: ours {:.0} ms, ffmpeg {:.0} ms; ours/ffmpeg (CPU) = {:.2}",
            ms(oc),
            ms(fc),
            ms(oc) / ms(fc)
        );
    }
}

fn artwork_case(jpg: &Path, out_dir: &Path, with_vips: bool) {
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut last = None;
    let vips_out = out_dir.join("vips-thumb.png");
    let (mut our_cpu, mut their_cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs() {
        let (cpu, _) = cpu_times();
        let t = Instant::now();
        last = Some(inspect_artwork_with_thumbnail(jpg, 512).unwrap());
        ours.push(t.elapsed());
        our_cpu.push(cpu_times().0 - cpu);
        if with_vips {
            let (_, child) = cpu_times();
            let t = Instant::now();
            let status = Command::new("vipsthumbnail")
                .arg(jpg)
                .args(["-s", "512", "-o"])
                .arg(&vips_out)
                .status()
                .unwrap();
            theirs.push(t.elapsed());
            their_cpu.push(cpu_times().1 - child);
            assert!(status.success());
        }
    }
    let (report, thumb) = last.unwrap();
    let t = median(ours);
    println!(
        "3000×3000 JPEG ({:.1} MB) inspect + 512 px PNG thumbnail: {:.0} ms median of {} — {}×{} {:?}, sharpness {:?}, fine detail {:?}, thumbnail {} bytes",
        report.file_size as f64 / 1e6,
        ms(t),
        runs(),
        report.width,
        report.height,
        report.color_type,
        report.sharpness,
        report.fine_detail_ratio,
        thumb.map_or(0, |t| t.len())
    );
    if with_vips {
        let f = median(theirs);
        println!(
            "    vipsthumbnail -s 512 (PNG out): {:.0} ms median; ours/vips = {:.2}",
            ms(f),
            ms(t) / ms(f)
        );
        let (oc, vc) = (median(our_cpu), median(their_cpu));
        println!(
            "    CPU time: ours {:.0} ms, vips {:.0} ms; ours/vips (CPU) = {:.2}",
            ms(oc),
            ms(vc),
            ms(oc) / ms(vc)
        );
    }
}

/// VmHWM (peak resident set) of this process, in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Child mode: analyse one file and print the peak RSS, so that nothing else the bench did
/// counts.
fn rss_child(path: &Path) {
    let before = peak_rss_kb().unwrap_or(0);
    let t = Instant::now();
    let r = analyze_audio(path).unwrap();
    println!("rss {} {} {:.0} {}", before, peak_rss_kb().unwrap_or(0), ms(t.elapsed()), r.duration_ms);
}

fn memory_case(label: &str, path: &Path) {
    let out = Command::new(std::env::current_exe().unwrap()).arg("--rss-child").arg(path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(line) = text.lines().find(|l| l.starts_with("rss ")) else {
        println!("{label}: the child failed: {}", String::from_utf8_lossy(&out.stderr));
        return;
    };
    let v: Vec<f64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "{label} ({:.0} MB, {:.0} min): peak RSS {:.1} MiB (process start {:.1} MiB), analysed in {:.1} s",
        size as f64 / 1e6,
        v[3] / 60_000.0,
        v[1] / 1024.0,
        v[0] / 1024.0,
        v[2] / 1000.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss-child") {
        rss_child(Path::new(&args[i + 1]));
        return;
    }
    let with_ffmpeg = has("ffmpeg");
    let with_vips = has("vipsthumbnail");
    if !with_ffmpeg {
        println!("ffmpeg not found: no ffmpeg comparison and no FLAC case (apt-get install ffmpeg)");
    }
    if !with_vips {
        println!("vipsthumbnail not found: no vips comparison (apt-get install libvips-tools)");
    }
    let dir = tempfile::tempdir().unwrap();
    let wav44 = dir.path().join("5min-16-44.wav");
    let wav96 = dir.path().join("5min-24-96.wav");
    write_music(&wav44, 44_100, SampleFormat::Int16, 300);
    write_music(&wav96, 96_000, SampleFormat::Int24, 300);
    audio_case("5 min 16-bit/44.1 kHz stereo WAV ", &wav44, with_ffmpeg);
    audio_case("5 min 24-bit/96 kHz stereo WAV   ", &wav96, with_ffmpeg);
    if with_ffmpeg {
        let flac96 = dir.path().join("5min-24-96.flac");
        let ok = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-i"])
            .arg(&wav96)
            .args(["-c:a", "flac"])
            .arg(&flac96)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            audio_case("5 min 24-bit/96 kHz stereo FLAC  ", &flac96, true);
        }
    }

    let jpg = dir.path().join("3000.jpg");
    let mut noise = Noise::new(7);
    let img = image::RgbImage::from_fn(3000, 3000, |x, y| {
        let v = ((x / 40 + y / 30) % 7) as f64 * 30.0;
        image::Rgb(
            [0, 1, 2].map(|k| (v + 20.0 * k as f64 + 20.0 * noise.next_sample()).clamp(0.0, 255.0) as u8),
        )
    });
    img.save(&jpg).unwrap();
    artwork_case(&jpg, dir.path(), with_vips);

    // Memory stays flat with length: 5 and 60 minutes of 24-bit/96 kHz.
    memory_case("peak RSS, 5 min 24/96 WAV ", &wav96);
    if std::env::var_os("CATNO_BENCH_SKIP_LONG").is_some() {
        return;
    }
    let _ = std::fs::remove_file(&wav44);
    let long = dir.path().join("60min-24-96.wav");
    write_music(&long, 96_000, SampleFormat::Int24, 3600);
    memory_case("peak RSS, 60 min 24/96 WAV", &long);
    if with_ffmpeg {
        let long_flac = dir.path().join("60min-24-96.flac");
        let ok = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-i"])
            .arg(&long)
            .args(["-c:a", "flac"])
            .arg(&long_flac)
            .status()
            .is_ok_and(|s| s.success());
        let _ = std::fs::remove_file(&long);
        if ok {
            memory_case("peak RSS, 60 min 24/96 FLAC", &long_flac);
        }
    }
}
