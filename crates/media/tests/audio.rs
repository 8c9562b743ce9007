//! Accuracy and robustness of `analyze_audio` on generated signals.

use std::f64::consts::PI;
use std::path::{Path, PathBuf};

use catno_media::audio::AudioReport;
use catno_media::generate::{Noise, SampleFormat, WavSpec, write_noise_wav, write_sine_wav, write_wav};
use catno_media::{MediaError, Severity, analyze_audio};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn spec(rate: u32, channels: u16, format: SampleFormat) -> WavSpec {
    WavSpec::new(rate, channels, format)
}

fn has(report: &AudioReport, rule: &str) -> bool {
    report.findings.iter().any(|f| f.rule_id == rule)
}

fn lufs(r: &AudioReport) -> f64 {
    r.integrated_lufs.expect("integrated loudness")
}

fn sine(
    dir: &Path,
    name: &str,
    spec: WavSpec,
    seconds: f64,
    hz: f64,
    dbfs: f64,
) -> Result<PathBuf, MediaError> {
    let path = dir.join(name);
    write_sine_wav(&path, spec, seconds, hz, dbfs, 0.0)?;
    Ok(path)
}

#[test]
fn ebu_3341_case_1_stereo_1k_at_minus_23_reads_minus_23_lufs() -> TestResult {
    let d = dir();
    for (rate, format) in
        [(48_000, SampleFormat::Int24), (44_100, SampleFormat::Int16), (96_000, SampleFormat::Float32)]
    {
        let p = sine(d.path(), &format!("s{rate}.wav"), spec(rate, 2, format), 20.0, 1000.0, -23.0)?;
        let r = analyze_audio(&p)?;
        assert!((lufs(&r) + 23.0).abs() <= 0.1, "{rate}: {} LUFS", lufs(&r));
        assert_eq!((r.sample_rate, r.channels, r.bit_depth), (rate, 2, Some(u32::from(format.bits()))));
        assert_eq!(r.duration_ms, 20_000);
        assert!(r.lossless);
    }
    Ok(())
}

#[test]
fn ebu_3341_case_2_stereo_1k_at_minus_33_reads_minus_33_lufs() -> TestResult {
    let d = dir();
    let p = sine(d.path(), "a.wav", spec(48_000, 2, SampleFormat::Int24), 20.0, 1000.0, -33.0)?;
    let r = analyze_audio(&p)?;
    assert!((lufs(&r) + 33.0).abs() <= 0.1, "{}", lufs(&r));
    Ok(())
}

#[test]
fn a_mono_file_counts_its_one_channel_once() -> TestResult {
    let d = dir();
    let p = sine(d.path(), "m.wav", spec(48_000, 1, SampleFormat::Int24), 10.0, 1000.0, -23.0)?;
    let r = analyze_audio(&p)?;
    assert!((lufs(&r) + 26.01).abs() <= 0.1, "{}", lufs(&r));
    assert!(r.stereo.is_none());
    Ok(())
}

#[test]
fn ebu_3342_case_1_loudness_range_is_10_lu() -> TestResult {
    let d = dir();
    let p = d.path().join("lra.wav");
    let rate = 48_000u32;
    let (a, b) = (10f64.powf(-20.0 / 20.0), 10f64.powf(-30.0 / 20.0));
    write_wav(&p, spec(rate, 2, SampleFormat::Int24), u64::from(rate) * 40, |n, _| {
        let amp = if n < u64::from(rate) * 20 { a } else { b };
        amp * (2.0 * PI * 1000.0 * n as f64 / f64::from(rate)).sin()
    })?;
    let r = analyze_audio(&p)?;
    let lra = r.loudness_range_lu.expect("lra");
    assert!((lra - 10.0).abs() <= 1.0, "LRA {lra}");
    Ok(())
}

/// A 3 s sine at -6 dBFS faded in and out over 10 ms: an abrupt start would ring, legitimately,
/// above the sine's own peak.
fn faded_sine(path: &Path, spec: WavSpec, hz: f64, phase_deg: f64) -> Result<(), MediaError> {
    let rate = f64::from(spec.sample_rate);
    let frames = (3.0 * rate) as u64;
    let fade = rate / 100.0;
    let amp = 10f64.powf(-6.0 / 20.0);
    write_wav(path, spec, frames, |n, _| {
        let env = (n as f64 / fade).min((frames - n) as f64 / fade).min(1.0);
        env * amp * (2.0 * PI * hz * n as f64 / rate + phase_deg.to_radians()).sin()
    })
}

#[test]
fn quarter_rate_sine_at_45_degrees_shows_the_3_db_inter_sample_peak() -> TestResult {
    let d = dir();
    for rate in [44_100u32, 48_000] {
        let p = d.path().join(format!("tp{rate}.wav"));
        faded_sine(&p, spec(rate, 2, SampleFormat::Float32), f64::from(rate) / 4.0, 45.0)?;
        let r = analyze_audio(&p)?;
        let (sp, tp) = (r.sample_peak_dbfs.expect("sp"), r.true_peak_dbtp.expect("tp"));
        assert!((tp - sp - 3.01).abs() < 0.1, "{rate}: sample {sp} true {tp}");
        assert!((tp + 6.0).abs() <= 0.5, "{rate}: true peak {tp}");
        assert_eq!(r.true_peak_oversampling, 4);
    }
    // 96 kHz: 2× oversampling (a 192 kHz grid, as at 48 kHz × 4). A quarter-rate sine at 45°
    // sits 3 dB between its samples; a 16 kHz sine at 60° 1.25 dB.
    let p = d.path().join("tp96.wav");
    faded_sine(&p, spec(96_000, 2, SampleFormat::Float32), 24_000.0, 45.0)?;
    let r = analyze_audio(&p)?;
    assert_eq!(r.true_peak_oversampling, 2);
    let (sp, tp) = (r.sample_peak_dbfs.expect("sp"), r.true_peak_dbtp.expect("tp"));
    assert!((tp - sp - 3.01).abs() < 0.1, "96k: sample {sp} true {tp}");
    let p = d.path().join("tp96-16k.wav");
    faded_sine(&p, spec(96_000, 2, SampleFormat::Int24), 16_000.0, 60.0)?;
    let r = analyze_audio(&p)?;
    let (sp, tp) = (r.sample_peak_dbfs.expect("sp"), r.true_peak_dbtp.expect("tp"));
    assert!(sp < -7.2, "the samples miss the crest: {sp}");
    assert!((tp + 6.0).abs() <= 0.5, "96k 16 kHz: true peak {tp}");
    // 192 kHz: no oversampling needed, still near the analytic peak for a 10 kHz tone.
    let p = d.path().join("tp192.wav");
    faded_sine(&p, spec(192_000, 2, SampleFormat::Float32), 10_000.0, 45.0)?;
    let r = analyze_audio(&p)?;
    assert_eq!(r.true_peak_oversampling, 1);
    assert!((r.true_peak_dbtp.expect("tp") + 6.0).abs() <= 0.5);
    Ok(())
}

#[test]
fn edge_silence_is_measured() -> TestResult {
    let d = dir();
    let p = d.path().join("sil.wav");
    let rate = 44_100u32;
    let (start, end) = (2 * u64::from(rate), 5 * u64::from(rate));
    write_wav(&p, spec(rate, 2, SampleFormat::Int16), u64::from(rate) * 13 / 2, |n, _| {
        if (start..end).contains(&n) {
            0.5 * (2.0 * PI * 440.0 * n as f64 / f64::from(rate)).sin()
        } else {
            0.0
        }
    })?;
    let r = analyze_audio(&p)?;
    assert!((r.leading_silence_ms as i64 - 2000).abs() <= 2, "{}", r.leading_silence_ms);
    assert!((r.trailing_silence_ms as i64 - 1500).abs() <= 2, "{}", r.trailing_silence_ms);
    assert!(!has(&r, "AUD-SILENT"));

    let q = d.path().join("allsilent.wav");
    write_wav(&q, spec(rate, 2, SampleFormat::Int16), u64::from(rate), |_, _| 0.0)?;
    let r = analyze_audio(&q)?;
    assert!(has(&r, "AUD-SILENT"));
    assert_eq!(r.sample_peak_dbfs, None);
    assert_eq!(r.integrated_lufs, None);
    assert_eq!(r.leading_silence_ms, 1000);
    Ok(())
}

#[test]
fn clipped_runs_are_counted_and_located() -> TestResult {
    let d = dir();
    // +6 dBFS sine clipped by the 16-bit writer: flat tops every half period.
    let p = sine(d.path(), "clip.wav", spec(44_100, 2, SampleFormat::Int16), 2.0, 100.0, 6.0)?;
    let r = analyze_audio(&p)?;
    assert!(r.clipping.runs >= 2 * 2 * 100, "{} runs", r.clipping.runs);
    assert!(has(&r, "AUD-CLIP"));
    assert!(r.clipping.first_runs[0].position_ms < 10.0);
    assert!(r.clipping.first_runs[0].length >= 3);

    let clean = sine(d.path(), "clean.wav", spec(44_100, 2, SampleFormat::Int16), 2.0, 100.0, -1.0)?;
    let r = analyze_audio(&clean)?;
    assert_eq!(r.clipping.runs, 0);
    assert!(!has(&r, "AUD-CLIP"));
    Ok(())
}

#[test]
fn fake_stereo_silent_channel_and_real_stereo_are_told_apart() -> TestResult {
    let d = dir();
    let mono = d.path().join("mono.wav");
    let mut noise = Noise::new(1);
    let mut last = 0.0;
    write_wav(&mono, spec(44_100, 2, SampleFormat::Int16), 44_100 * 3, |_, c| {
        if c == 0 {
            last = 0.3 * noise.next_sample();
        }
        last
    })?;
    let r = analyze_audio(&mono)?;
    assert!(r.stereo.as_ref().is_some_and(|s| s.identical));
    assert!(has(&r, "AUD-MONO"));

    let stereo = d.path().join("stereo.wav");
    write_noise_wav(&stereo, spec(44_100, 2, SampleFormat::Int16), 3.0, -6.0, 7)?;
    let r = analyze_audio(&stereo)?;
    assert!(!has(&r, "AUD-MONO"));
    assert!(r.stereo.as_ref().is_some_and(|s| !s.identical && s.correlation.is_some_and(|c| c.abs() < 0.05)));

    let one_side = d.path().join("left.wav");
    write_wav(&one_side, spec(44_100, 2, SampleFormat::Int16), 44_100 * 2, |n, c| {
        if c == 0 { 0.5 * (2.0 * PI * 440.0 * n as f64 / 44_100.0).sin() } else { 0.0 }
    })?;
    let r = analyze_audio(&one_side)?;
    assert!(has(&r, "AUD-SILENT-CHANNEL"));
    assert!(r.channel_stats[1].silent && !r.channel_stats[0].silent);
    assert!(!has(&r, "AUD-MONO"));
    Ok(())
}

#[test]
fn dc_offset_is_measured_per_channel() -> TestResult {
    let d = dir();
    let p = d.path().join("dc.wav");
    write_wav(&p, spec(48_000, 2, SampleFormat::Int24), 48_000 * 2, |n, c| {
        let s = 0.25 * (2.0 * PI * 440.0 * n as f64 / 48_000.0).sin();
        if c == 0 { s + 0.02 } else { s }
    })?;
    let r = analyze_audio(&p)?;
    assert!((r.channel_stats[0].dc_offset - 0.02).abs() < 1e-3, "{}", r.channel_stats[0].dc_offset);
    assert!(r.channel_stats[1].dc_offset.abs() < 1e-4);
    let dc: Vec<_> = r.findings.iter().filter(|f| f.rule_id == "AUD-DC").collect();
    assert_eq!(dc.len(), 1);
    assert!(dc[0].message.contains("channel 1"));
    Ok(())
}

/// Noise through a steep windowed-sinc low-pass at `cutoff` Hz.
fn lowpassed_noise(path: &Path, rate: u32, cutoff: f64, seconds: f64) -> Result<(), MediaError> {
    let taps = 511usize;
    let fc = cutoff / f64::from(rate);
    let mid = (taps / 2) as f64;
    let h: Vec<f64> = (0..taps)
        .map(|i| {
            let t = i as f64 - mid;
            let sinc = if t == 0.0 { 2.0 * fc } else { (2.0 * PI * fc * t).sin() / (PI * t) };
            let w = 0.42 - 0.5 * (2.0 * PI * i as f64 / (taps - 1) as f64).cos()
                + 0.08 * (4.0 * PI * i as f64 / (taps - 1) as f64).cos();
            sinc * w
        })
        .collect();
    let frames = (seconds * f64::from(rate)) as usize;
    let mut chans = Vec::new();
    for seed in [11u64, 12] {
        let mut n = Noise::new(seed);
        let raw: Vec<f64> = (0..frames + taps).map(|_| n.next_sample()).collect();
        let y: Vec<f64> = (0..frames)
            .map(|i| h.iter().zip(&raw[i..i + taps]).map(|(a, b)| a * b).sum::<f64>() * 0.5)
            .collect();
        chans.push(y);
    }
    write_wav(path, WavSpec::new(rate, 2, SampleFormat::Int16), frames as u64, |n, c| {
        chans[c as usize][n as usize]
    })
}

#[test]
fn a_16_khz_wall_is_flagged_as_lossy_origin_and_full_band_noise_is_not() -> TestResult {
    let d = dir();
    for (rate, cutoff) in [(44_100u32, 16_000.0), (48_000, 17_000.0)] {
        let p = d.path().join(format!("lp{rate}.wav"));
        lowpassed_noise(&p, rate, cutoff, 6.0)?;
        let r = analyze_audio(&p)?;
        assert!(r.spectrum.likely_lossy_origin, "{rate}: {:?}", r.spectrum);
        let found = r.spectrum.cutoff_hz.expect("cutoff");
        assert!((found - cutoff).abs() < 600.0, "{rate}: cutoff at {found}");
        assert!(has(&r, "AUD-LOSSY-ORIGIN"));
    }
    let white = d.path().join("white.wav");
    write_noise_wav(&white, spec(44_100, 2, SampleFormat::Int16), 6.0, -3.0, 5)?;
    let r = analyze_audio(&white)?;
    assert!(!r.spectrum.likely_lossy_origin, "{:?}", r.spectrum);
    assert_eq!(r.spectrum.cutoff_hz, None);
    // A pure tone has no content near the top at all: undecided, not lossy.
    let tone = sine(d.path(), "tone.wav", spec(44_100, 2, SampleFormat::Int16), 6.0, 1000.0, -6.0)?;
    assert!(!analyze_audio(&tone)?.spectrum.likely_lossy_origin);
    Ok(())
}

#[test]
fn a_44k_source_upsampled_to_96k_is_flagged() -> TestResult {
    let d = dir();
    let p = d.path().join("up.wav");
    lowpassed_noise(&p, 96_000, 21_000.0, 4.0)?;
    let r = analyze_audio(&p)?;
    assert!(r.spectrum.likely_upsampled, "{:?}", r.spectrum);
    assert!(!r.spectrum.likely_lossy_origin);
    assert!(has(&r, "AUD-UPSAMPLED"));
    Ok(())
}

#[test]
fn every_wav_sample_format_reads_the_same_levels() -> TestResult {
    let d = dir();
    let mut levels = Vec::new();
    for (i, (format, extensible, rf64)) in [
        (SampleFormat::Int16, false, false),
        (SampleFormat::Int24, false, false),
        (SampleFormat::Int32, false, false),
        (SampleFormat::Float32, false, false),
        (SampleFormat::Int24, true, false),
        (SampleFormat::Float32, true, false),
        (SampleFormat::Int24, false, true),
    ]
    .into_iter()
    .enumerate()
    {
        let p = d.path().join(format!("f{i}.wav"));
        let s = WavSpec { sample_rate: 48_000, channels: 2, format, extensible, rf64 };
        write_sine_wav(&p, s, 3.0, 997.0, -12.0, 0.0)?;
        let r = analyze_audio(&p)?;
        assert_eq!(r.bit_depth, Some(u32::from(format.bits())));
        assert_eq!(r.float, format == SampleFormat::Float32);
        assert_eq!(r.container, if rf64 { "rf64" } else { "wav" });
        assert!(r.wav.as_ref().is_some_and(|w| w.extensible == extensible && w.rf64 == rf64));
        let errors: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && f.rule_id != "AUD-MONO")
            .collect();
        assert!(errors.is_empty(), "{format:?} ext={extensible} rf64={rf64}: {errors:?}");
        levels.push((lufs(&r), r.sample_peak_dbfs.expect("peak")));
    }
    for (l, p) in &levels {
        assert!((l - levels[0].0).abs() < 0.02 && (p - levels[0].1).abs() < 0.02, "{levels:?}");
        assert!((p + 12.0).abs() < 0.02, "{levels:?}");
    }
    Ok(())
}

#[test]
fn wav_structure_problems_become_findings() -> TestResult {
    let d = dir();
    let p = sine(d.path(), "t.wav", spec(44_100, 2, SampleFormat::Int16), 1.0, 440.0, -6.0)?;
    let clean = std::fs::read(&p)?;

    // A LIST chunk after data (odd size, padded) plus the RIFF size left stale.
    let mut trailing = clean.clone();
    trailing.extend_from_slice(b"LIST");
    trailing.extend_from_slice(&5u32.to_le_bytes());
    trailing.extend_from_slice(b"INFO!\0");
    let t = d.path().join("trailing.wav");
    std::fs::write(&t, &trailing)?;
    let r = analyze_audio(&t)?;
    assert!(has(&r, "AUD-WAV-TRAILING"), "{:?}", r.findings);
    assert!(has(&r, "AUD-WAV-SIZE"));
    assert_eq!(r.wav.as_ref().map(|w| w.after_data.clone()), Some(vec!["LIST".to_owned()]));
    assert_eq!(r.duration_ms, 1000);

    // Junk bytes after data.
    let mut junk = clean.clone();
    junk.extend_from_slice(&[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let j = d.path().join("junk.wav");
    std::fs::write(&j, &junk)?;
    let r = analyze_audio(&j)?;
    assert!(has(&r, "AUD-WAV-JUNK") && has(&r, "AUD-WAV-TRAILING"), "{:?}", r.findings);

    // Truncated in the middle of the data.
    let cut = d.path().join("cut.wav");
    std::fs::write(&cut, &clean[..clean.len() / 2 + 1])?;
    let r = analyze_audio(&cut)?;
    assert!(has(&r, "AUD-WAV-TRUNCATED"), "{:?}", r.findings);
    assert!(r.findings.iter().any(|f| f.severity == Severity::Error && f.message.contains("cut.wav")));
    assert!((r.duration_ms as i64 - 500).abs() < 5);
    Ok(())
}

#[test]
fn unreadable_files_are_errors_naming_the_file() -> TestResult {
    let d = dir();
    let empty = d.path().join("empty.wav");
    std::fs::write(&empty, b"")?;
    let e = analyze_audio(&empty).expect_err("empty");
    assert!(e.to_string().contains("empty.wav") && e.to_string().contains("empty"), "{e}");

    let garbage = d.path().join("garbage.flac");
    std::fs::write(&garbage, vec![0x5Au8; 10_000])?;
    let e = analyze_audio(&garbage).expect_err("garbage");
    assert!(e.to_string().contains("garbage.flac"), "{e}");

    let header_only = d.path().join("hdr.wav");
    std::fs::write(&header_only, b"RIFF\x04\0\0\0WAVE")?;
    let e = analyze_audio(&header_only).expect_err("no fmt");
    assert!(e.to_string().contains("hdr.wav") && e.to_string().contains("fmt"), "{e}");

    let missing = d.path().join("nope.wav");
    assert!(analyze_audio(&missing).is_err());
    assert!(analyze_audio(d.path()).is_err());

    // Random bytes after a valid RIFF header.
    let mut noisy = b"RIFF\xff\xff\0\0WAVEfmt \x10\0\0\0".to_vec();
    let mut n = Noise::new(3);
    noisy.extend((0..4096).map(|_| (n.next_sample() * 127.0) as i8 as u8));
    let r = d.path().join("noisy.wav");
    std::fs::write(&r, &noisy)?;
    let _ = analyze_audio(&r); // must not panic
    Ok(())
}

#[test]
fn a_wav_named_flac_is_read_and_flagged() -> TestResult {
    let d = dir();
    let p = sine(d.path(), "really-a-wav.flac", spec(44_100, 2, SampleFormat::Int16), 1.0, 440.0, -6.0)?;
    let r = analyze_audio(&p)?;
    assert_eq!(r.container, "wav");
    assert!(has(&r, "AUD-EXT"));
    Ok(())
}

#[test]
fn hashes_match_an_independent_read() -> TestResult {
    use sha2::Digest;
    let d = dir();
    let p = sine(d.path(), "h.wav", spec(44_100, 2, SampleFormat::Int16), 1.0, 440.0, -6.0)?;
    let r = analyze_audio(&p)?;
    let bytes = std::fs::read(&p)?;
    assert_eq!(r.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    assert_eq!(r.md5, hex::encode(md5::Md5::digest(&bytes)));
    assert_eq!(r.file_size, bytes.len() as u64);
    assert_eq!(catno_media::hash_file(&p)?.0, r.sha256);
    Ok(())
}

#[test]
fn waveform_has_the_requested_columns_and_follows_the_level() -> TestResult {
    let d = dir();
    let p = d.path().join("ramp.wav");
    let rate = 8_000u32;
    write_wav(&p, spec(rate, 1, SampleFormat::Int16), u64::from(rate) * 10, |n, _| {
        let amp = n as f64 / (f64::from(rate) * 10.0);
        amp * (2.0 * PI * 200.0 * n as f64 / f64::from(rate)).sin()
    })?;
    let r = analyze_audio(&p)?;
    assert_eq!(r.waveform.len(), 1000);
    assert!(r.waveform[0].max < 0.01);
    assert!(r.waveform[999].max > 0.95 && r.waveform[999].min < -0.95);
    assert!(r.waveform[500].rms > 0.3 && r.waveform[500].rms < 0.4);
    Ok(())
}

/// A 16-bit big-endian AIFF, written by hand, read through symphonia.
fn write_aiff(path: &Path, rate: u32, seconds: u32, amp: f64) -> std::io::Result<()> {
    let frames = rate * seconds;
    let mut b = Vec::new();
    let data_len = frames * 4;
    b.extend_from_slice(b"FORM");
    b.extend_from_slice(&(4 + 26 + 16 + data_len).to_be_bytes());
    b.extend_from_slice(b"AIFFCOMM");
    b.extend_from_slice(&18u32.to_be_bytes());
    b.extend_from_slice(&2u16.to_be_bytes());
    b.extend_from_slice(&frames.to_be_bytes());
    b.extend_from_slice(&16u16.to_be_bytes());
    // 80-bit extended sample rate.
    let exp = 16383 + 31 - rate.leading_zeros() as u16;
    let mantissa = u64::from(rate) << (rate.leading_zeros() + 32);
    b.extend_from_slice(&exp.to_be_bytes());
    b.extend_from_slice(&mantissa.to_be_bytes());
    b.extend_from_slice(b"SSND");
    b.extend_from_slice(&(8 + data_len).to_be_bytes());
    b.extend_from_slice(&[0u8; 8]);
    for n in 0..frames {
        let v = (amp * (2.0 * PI * 1000.0 * f64::from(n) / f64::from(rate)).sin() * 32768.0).round() as i16;
        b.extend_from_slice(&v.to_be_bytes());
        b.extend_from_slice(&v.to_be_bytes());
    }
    std::fs::write(path, b)
}

#[test]
fn aiff_is_decoded_through_symphonia() -> TestResult {
    let d = dir();
    let p = d.path().join("a.aiff");
    write_aiff(&p, 44_100, 10, 10f64.powf(-23.0 / 20.0))?;
    let r = analyze_audio(&p)?;
    assert_eq!(r.container, "aiff");
    assert_eq!((r.sample_rate, r.channels, r.bit_depth), (44_100, 2, Some(16)));
    assert!(r.lossless);
    assert!((lufs(&r) + 23.0).abs() <= 0.1, "{}", lufs(&r));
    assert_eq!(r.duration_ms, 10_000);

    let bytes = std::fs::read(&p)?;
    let cut = d.path().join("cut.aiff");
    std::fs::write(&cut, &bytes[..bytes.len() / 3])?;
    match analyze_audio(&cut) {
        Ok(r) => assert!(r.findings.iter().any(|f| f.severity == Severity::Error), "{:?}", r.findings),
        Err(e) => assert!(e.to_string().contains("cut.aiff")),
    }
    Ok(())
}

fn crc8(data: &[u8]) -> u8 {
    data.iter().fold(0u8, |mut crc, b| {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 { (crc << 1) ^ 0x07 } else { crc << 1 };
        }
        crc
    })
}

fn crc16(data: &[u8]) -> u16 {
    data.iter().fold(0u16, |mut crc, b| {
        crc ^= u16::from(*b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x8005 } else { crc << 1 };
        }
        crc
    })
}

/// A minimal but valid stereo FLAC (verbatim subframes, 4096-sample blocks) of a 1 kHz sine,
/// so symphonia's FLAC path is tested without an encoder dependency.
fn write_flac(path: &Path, rate: u32, bits: u32, seconds: u32, dbfs: f64) -> std::io::Result<()> {
    let amp = 10f64.powf(dbfs / 20.0) * f64::from(1u32 << (bits - 1));
    let total = u64::from(rate * seconds);
    let block = 4096u64;
    let mut out = b"fLaC".to_vec();
    out.extend_from_slice(&[0x80, 0, 0, 34]);
    out.extend_from_slice(&(block as u16).to_be_bytes());
    out.extend_from_slice(&(block as u16).to_be_bytes());
    out.extend_from_slice(&[0; 6]); // frame sizes unknown
    let packed = (u64::from(rate) << 44) | (1 << 41) | (u64::from(bits - 1) << 36) | total;
    out.extend_from_slice(&packed.to_be_bytes());
    out.extend_from_slice(&[0; 16]); // MD5 unknown
    let rate_code: u8 = match rate {
        44_100 => 0b1001,
        48_000 => 0b1010,
        _ => 0b0000,
    };
    let size_code: u8 = if bits == 16 { 0b100 } else { 0b110 };
    let mut start = 0u64;
    let mut frame_no = 0u32;
    while start < total {
        let n = block.min(total - start);
        let mut f = vec![0xFF, 0xF8, (0b0111 << 4) | rate_code, (0b0001 << 4) | (size_code << 1)];
        // Frame number, UTF-8 style.
        match frame_no {
            0..=0x7F => f.push(frame_no as u8),
            0x80..=0x7FF => {
                f.extend_from_slice(&[0xC0 | (frame_no >> 6) as u8, 0x80 | (frame_no & 0x3F) as u8])
            }
            _ => f.extend_from_slice(&[
                0xE0 | (frame_no >> 12) as u8,
                0x80 | ((frame_no >> 6) & 0x3F) as u8,
                0x80 | (frame_no & 0x3F) as u8,
            ]),
        }
        f.extend_from_slice(&((n - 1) as u16).to_be_bytes());
        f.push(crc8(&f));
        for _channel in 0..2 {
            f.push(0x02); // verbatim
            for i in start..start + n {
                let v = (amp * (2.0 * PI * 1000.0 * i as f64 / f64::from(rate)).sin()).round() as i32;
                let b = v.to_be_bytes();
                f.extend_from_slice(if bits == 16 { &b[2..] } else { &b[1..] });
            }
        }
        let crc = crc16(&f);
        f.extend_from_slice(&crc.to_be_bytes());
        out.extend_from_slice(&f);
        start += n;
        frame_no += 1;
    }
    std::fs::write(path, out)
}

#[test]
fn flac_16_and_24_bit_are_decoded_through_symphonia() -> TestResult {
    let d = dir();
    for bits in [16u32, 24] {
        let p = d.path().join(format!("t{bits}.flac"));
        write_flac(&p, 48_000, bits, 10, -23.0)?;
        let r = analyze_audio(&p)?;
        assert_eq!(r.container, "flac");
        assert_eq!(r.codec, "flac");
        assert_eq!((r.sample_rate, r.channels, r.bit_depth, r.lossless), (48_000, 2, Some(bits), true));
        assert_eq!(r.duration_ms, 10_000);
        assert!((lufs(&r) + 23.0).abs() <= 0.1, "{bits}: {}", lufs(&r));
        assert!(r.findings.iter().all(|f| f.rule_id == "AUD-MONO"), "{:?}", r.findings);

        // Cut in the middle of the frames: a finding (or a named error), never a panic.
        let bytes = std::fs::read(&p)?;
        let cut = d.path().join(format!("cut{bits}.flac"));
        std::fs::write(&cut, &bytes[..bytes.len() / 2])?;
        match analyze_audio(&cut) {
            Ok(r) => {
                assert!(r.findings.iter().any(|f| f.severity == Severity::Error), "{:?}", r.findings);
                assert!(r.duration_ms < 6_000);
            }
            Err(e) => assert!(e.to_string().contains("cut")),
        }
    }
    Ok(())
}

#[test]
fn damaged_bytes_never_panic() -> TestResult {
    let d = dir();
    let wav = sine(d.path(), "ok.wav", spec(8_000, 2, SampleFormat::Int16), 0.5, 440.0, -6.0)?;
    let flac = d.path().join("ok.flac");
    write_flac(&flac, 44_100, 16, 1, -6.0)?;
    let aiff = d.path().join("ok.aiff");
    write_aiff(&aiff, 8_000, 1, 0.5)?;
    let mut noise = Noise::new(99);
    let mut rand = |n: usize| ((noise.next_sample() + 1.0) * 0.5 * n as f64) as usize % n.max(1);
    for (k, original) in [wav, flac, aiff].iter().enumerate() {
        let bytes = std::fs::read(original)?;
        let ext = original.extension().and_then(|e| e.to_str()).unwrap_or("bin");
        for round in 0..40 {
            let mut b = bytes.clone();
            // Overwrite a few bytes, mostly in the header, sometimes cut the file.
            for _ in 0..1 + rand(6) {
                let at = if rand(2) == 0 { rand(64.min(b.len())) } else { rand(b.len()) };
                b[at] = rand(256) as u8;
            }
            if rand(3) == 0 {
                b.truncate(rand(b.len()));
            }
            let p = d.path().join(format!("m{k}-{round}.{ext}"));
            std::fs::write(&p, &b)?;
            if let Err(e) = analyze_audio(&p) {
                assert!(e.to_string().contains(&format!("m{k}-{round}")), "{e}");
            }
        }
    }
    Ok(())
}
