//! Target rules applied to measured reports, and the JSON shape the CLI prints.

use std::f64::consts::PI;

use catno_media::generate::{SampleFormat, WavSpec, write_sine_wav, write_wav};
use catno_media::{AudioReport, Finding, Severity, analyze_audio, check_audio, profile, profiles};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn rules<'a>(f: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule_id == id).collect()
}

fn report(
    spec: WavSpec,
    seconds: f64,
    dbfs: f64,
) -> Result<(tempfile::TempDir, AudioReport), Box<dyn std::error::Error>> {
    let d = tempfile::tempdir()?;
    let p = d.path().join("track.wav");
    write_sine_wav(&p, spec, seconds, 997.0, dbfs, 0.0)?;
    let r = analyze_audio(&p)?;
    Ok((d, r))
}

#[test]
fn a_clean_16_44_stereo_master_passes_every_target_without_errors() -> TestResult {
    // Real stereo (different frequencies per side), 70 s, -3 dBFS peaks.
    let d = tempfile::tempdir()?;
    let p = d.path().join("master.wav");
    write_wav(&p, WavSpec::new(44_100, 2, SampleFormat::Int16), 44_100 * 70, |n, c| {
        let hz = if c == 0 { 440.0 } else { 554.37 };
        0.35 * (2.0 * PI * hz * n as f64 / 44_100.0).sin()
    })?;
    let r = analyze_audio(&p)?;
    for prof in profiles() {
        let f = check_audio(&r, prof);
        let bad: Vec<_> = f.iter().filter(|x| x.severity >= Severity::Warning).collect();
        assert!(bad.is_empty(), "{}: {bad:?}", prof.id);
        assert_eq!(rules(&f, "AUD-LUFS").len(), 1, "{}", prof.id);
    }
    Ok(())
}

#[test]
fn float_mono_hi_res_short_and_hot_masters_get_the_right_findings() -> TestResult {
    let generic = profile("generic").expect("generic");
    let (_d, r) = report(WavSpec::new(48_000, 2, SampleFormat::Float32), 10.0, -0.2)?;
    let f = check_audio(&r, generic);
    assert_eq!(rules(&f, "AUD-FLOAT").len(), 1);
    let dur = rules(&f, "AUD-DUR");
    assert_eq!((dur.len(), dur[0].severity), (1, Severity::Warning));
    let tp = rules(&f, "AUD-TP");
    assert_eq!(tp.len(), 1, "{f:?}");
    assert!(
        tp[0].message.contains("track.wav") && tp[0].measured.as_deref() == Some("-0.2 dBTP"),
        "{:?}",
        tp[0]
    );

    let (_d, r) = report(WavSpec::new(22_050, 1, SampleFormat::Int24), 65.0, -6.0)?;
    let f = check_audio(&r, generic);
    let spec = rules(&f, "AUD-SPEC");
    assert_eq!(spec.len(), 2, "{f:?}"); // rate and channels
    assert!(spec.iter().all(|x| x.severity == Severity::Error));
    assert!(spec.iter().any(|x| x.message.contains("22050 Hz")));

    let tiktok = profile("tiktok").expect("tiktok");
    let (_d, r) = report(WavSpec::new(44_100, 1, SampleFormat::Int16), 45.0, -6.0)?;
    let f = check_audio(&r, tiktok);
    assert!(rules(&f, "AUD-DUR").iter().any(|x| x.severity == Severity::Error && x.message.contains("60 s")));
    assert!(rules(&f, "AUD-SPEC").is_empty(), "mono is fine for TikTok: {f:?}");
    // Errors come first.
    assert!(f.windows(2).all(|w| w[0].severity >= w[1].severity));
    Ok(())
}

#[test]
fn edge_silence_and_trailing_chunks_depend_on_the_target() -> TestResult {
    let d = tempfile::tempdir()?;
    let p = d.path().join("late.wav");
    let rate = 44_100u64;
    write_wav(&p, WavSpec::new(44_100, 2, SampleFormat::Int16), rate * 70, |n, c| {
        if n < rate * 7 {
            0.0
        } else {
            0.3 * (2.0 * PI * (440.0 + 100.0 * f64::from(c)) * n as f64 / 44_100.0).sin()
        }
    })?;
    let mut bytes = std::fs::read(&p)?;
    bytes.extend_from_slice(b"id3 \x04\0\0\0ID3\0");
    std::fs::write(&p, &bytes)?;
    let r = analyze_audio(&p)?;
    let generic = check_audio(&r, profile("generic").expect("generic"));
    let tiktok = check_audio(&r, profile("tiktok").expect("tiktok"));
    let spotify = check_audio(&r, profile("spotify").expect("spotify"));
    assert_eq!(rules(&generic, "AUD-SIL")[0].severity, Severity::Warning);
    assert_eq!(rules(&tiktok, "AUD-SIL")[0].severity, Severity::Error);
    assert!(rules(&generic, "AUD-SIL")[0].message.contains("7.0 s of leading silence"));
    assert_eq!(rules(&generic, "AUD-WAV-TRAILING")[0].severity, Severity::Warning);
    assert_eq!(rules(&spotify, "AUD-WAV-TRAILING")[0].severity, Severity::Error);
    Ok(())
}

#[test]
fn the_audio_report_serialises_with_the_cli_keys() -> TestResult {
    let (_d, r) = report(WavSpec::new(44_100, 2, SampleFormat::Int16), 2.0, -6.0)?;
    let v = serde_json::to_value(&r)?;
    for key in [
        "sample_rate",
        "bit_depth",
        "channels",
        "duration_ms",
        "integrated_lufs",
        "true_peak_dbtp",
        "sample_peak_dbfs",
        "md5",
        "sha256",
        "findings",
        "loudness_range_lu",
        "waveform",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["sample_rate"], 44_100);
    let f = check_audio(&r, profile("generic").expect("generic"));
    let fv = serde_json::to_value(&f)?;
    assert!(
        fv.as_array()
            .is_some_and(|a| a.iter().all(|x| x["severity"].is_string() && x.get("rule_id").is_some()))
    );
    assert!(fv.as_array().is_some_and(|a| a.iter().any(|x| x["severity"] == "info")));
    let back: AudioReport = serde_json::from_value(v)?;
    assert_eq!(back, r);
    Ok(())
}
