//! Per-target delivery rules, kept as data (`profiles.json`, embedded), and the checks that
//! turn a report into findings for one target.
//!
//! The numbers come from the requirements notes (distributor and DSP public docs); a target
//! with no published spec (Amazon, YouTube) gets the distributor gate plus its loudness advice.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::artwork::{ArtworkReport, ColorType};
use crate::audio::AudioReport;
use crate::finding::{Finding, Severity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Profile {
    /// `generic`, `spotify`, `apple_music`, `amazon`, `youtube`, `tiktok`, `revelator`.
    pub id: String,
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    pub audio: AudioRules,
    pub artwork: ArtworkRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AudioRules {
    /// Accepted containers (`AudioReport::container`).
    pub containers: Vec<String>,
    pub preferred_containers: Vec<String>,
    pub lossless_required: bool,
    pub min_sample_rate: Option<u32>,
    pub max_sample_rate: Option<u32>,
    /// Exact allow-list, when the target has one.
    pub sample_rates: Option<Vec<u32>>,
    pub bit_depths: Option<Vec<u32>>,
    pub float_allowed: bool,
    pub channels: Option<Vec<u32>>,
    /// Shorter is an error.
    pub min_duration_s: Option<f64>,
    /// Shorter earns no royalties: warning.
    pub short_track_warn_s: Option<f64>,
    /// Longer becomes "album only" on iTunes: info.
    pub long_track_info_s: Option<f64>,
    pub max_edge_silence_s: Option<f64>,
    pub edge_silence_severity: Severity,
    pub true_peak_warn_dbtp: Option<f64>,
    pub true_peak_error_dbtp: Option<f64>,
    /// The platform's playback level, for the "will be turned down by X dB" note.
    pub loudness_reference_lufs: Option<f64>,
    pub max_file_mb: Option<f64>,
    /// Anything after the WAV `data` chunk is an error (else a warning).
    pub wav_strict: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArtworkRules {
    pub formats: Vec<String>,
    pub min_px: u32,
    pub recommended_px: Option<u32>,
    pub max_px: Option<u32>,
    pub square: bool,
    pub rgb_required: bool,
    pub alpha_allowed: bool,
    pub sixteen_bit_allowed: bool,
    pub icc_non_srgb_warn: bool,
    pub orientation_warn: bool,
    pub max_file_mb: Option<f64>,
}

/// Every built-in profile.
pub fn profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        // Checked by the tests: the embedded table always parses.
        serde_json::from_str(include_str!("profiles.json")).unwrap_or_default()
    })
}

/// The built-in profile with this id.
pub fn profile(id: &str) -> Option<&'static Profile> {
    profiles().iter().find(|p| p.id == id)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn fmt_db(v: f64) -> String {
    format!("{v:.1}")
}

/// Orders findings errors first, keeping the order within a severity.
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// The file's own findings (damage, clipping…) and this target's rules, errors first.
pub fn check_audio(report: &AudioReport, profile: &Profile) -> Vec<Finding> {
    let rules = &profile.audio;
    let name = &report.path;
    let target = &profile.name;
    let mut out: Vec<Finding> = report
        .findings
        .iter()
        .cloned()
        .map(|mut f| {
            if rules.wav_strict && f.rule_id == "AUD-WAV-TRAILING" {
                f.severity = Severity::Error;
            }
            f
        })
        .collect();
    // Format.
    if !rules.containers.iter().any(|c| c == &report.container) {
        out.push(
            Finding::new(
                "AUD-FMT",
                Severity::Error,
                format!("{name}: {} ({}) is not accepted by {target}", report.container, report.codec),
            )
            .measured(format!("{} / {}", report.container, report.codec))
            .limit(rules.containers.join(", "))
            .hint(format!("Deliver {}", rules.preferred_containers.join(" or ").to_uppercase())),
        );
    } else if rules.lossless_required && !report.lossless {
        out.push(
            Finding::new(
                "AUD-FMT",
                Severity::Error,
                format!("{name}: lossy codec {} is not accepted by {target}", report.codec),
            )
            .measured(report.codec.clone())
            .limit("lossless")
            .hint("Deliver the lossless master"),
        );
    }
    if let Some(max) = rules.max_file_mb
        && mb(report.file_size) > max
    {
        out.push(
            Finding::new(
                "AUD-SIZE",
                Severity::Error,
                format!("{name}: {:.0} MB is over {target}'s {max:.0} MB limit", mb(report.file_size)),
            )
            .measured(format!("{:.1} MB", mb(report.file_size)))
            .limit(format!("{max:.0} MB")),
        );
    }
    // Technical spec.
    let rate = report.sample_rate;
    let rate_ok = rules.min_sample_rate.is_none_or(|m| rate >= m)
        && rules.max_sample_rate.is_none_or(|m| rate <= m)
        && rules.sample_rates.as_ref().is_none_or(|l| l.contains(&rate));
    if !rate_ok {
        let limit = match (&rules.sample_rates, rules.min_sample_rate, rules.max_sample_rate) {
            (Some(l), _, _) => l.iter().map(u32::to_string).collect::<Vec<_>>().join(", ") + " Hz",
            (None, Some(lo), Some(hi)) => format!("{lo}–{hi} Hz"),
            (None, Some(lo), None) => format!("≥ {lo} Hz"),
            (None, None, Some(hi)) => format!("≤ {hi} Hz"),
            _ => String::new(),
        };
        out.push(
            Finding::new(
                "AUD-SPEC",
                Severity::Error,
                format!("{name}: sample rate {rate} Hz is not accepted by {target} ({limit})"),
            )
            .measured(format!("{rate} Hz"))
            .limit(limit)
            .hint("Export at 44.1 kHz or 48 kHz (or the target's hi-res rate)"),
        );
    }
    if report.float {
        if report.lossless && !rules.float_allowed {
            out.push(
                Finding::new(
                    "AUD-FLOAT",
                    Severity::Warning,
                    format!("{name}: 32-bit float samples; {target} expects integer PCM"),
                )
                .measured(format!("{}-bit float", report.bit_depth.unwrap_or(32)))
                .limit(rules.bit_depths.as_ref().map(|d| fmt_list(d, "-bit")).unwrap_or_default())
                .hint("Export as 24-bit integer PCM (with dither)"),
            );
        }
    } else if let (Some(bits), Some(allowed)) = (report.bit_depth, &rules.bit_depths)
        && !allowed.contains(&bits)
    {
        out.push(
            Finding::new(
                "AUD-SPEC",
                Severity::Error,
                format!("{name}: {bits}-bit audio is not accepted by {target}"),
            )
            .measured(format!("{bits}-bit"))
            .limit(fmt_list(allowed, "-bit"))
            .hint("Export as 24-bit (or 16-bit) PCM"),
        );
    }
    if !report.immersive
        && let Some(allowed) = &rules.channels
        && !allowed.contains(&report.channels)
    {
        out.push(
            Finding::new(
                "AUD-SPEC",
                Severity::Error,
                format!("{name}: {} channel(s); {target} needs {}", report.channels, fmt_list(allowed, "")),
            )
            .measured(report.channels.to_string())
            .limit(fmt_list(allowed, ""))
            .hint("Export the stereo master"),
        );
    }
    // Duration.
    let secs = report.duration_ms as f64 / 1000.0;
    if let Some(min) = rules.min_duration_s.filter(|m| secs < *m) {
        out.push(
            Finding::new(
                "AUD-DUR",
                Severity::Error,
                format!("{name}: {secs:.1} s is shorter than {target}'s minimum of {min:.0} s"),
            )
            .measured(format!("{secs:.1} s"))
            .limit(format!("≥ {min:.0} s")),
        );
    } else if let Some(min) = rules.short_track_warn_s.filter(|m| secs < *m) {
        out.push(
            Finding::new(
                "AUD-DUR",
                Severity::Warning,
                format!("{name}: {secs:.1} s: plays shorter than {min:.0} s earn no royalties"),
            )
            .measured(format!("{secs:.1} s"))
            .limit(format!("≥ {min:.0} s")),
        );
    }
    if let Some(long) = rules.long_track_info_s.filter(|l| secs >= *l) {
        out.push(
            Finding::new(
                "AUD-DUR",
                Severity::Info,
                format!(
                    "{name}: {:.1} min: tracks of {:.0} min or more are album-only on iTunes",
                    secs / 60.0,
                    long / 60.0
                ),
            )
            .measured(format!("{:.1} min", secs / 60.0)),
        );
    }
    // Edge silence.
    if let Some(max) = rules.max_edge_silence_s {
        for (edge, ms) in [("leading", report.leading_silence_ms), ("trailing", report.trailing_silence_ms)] {
            let s = ms as f64 / 1000.0;
            if s > max && report.sample_peak_dbfs.is_some_and(|p| p > report.silence_threshold_dbfs) {
                out.push(
                    Finding::new(
                        "AUD-SIL",
                        rules.edge_silence_severity,
                        format!(
                            "{name}: {s:.1} s of {edge} silence (below {} dBFS), over {target}'s {max:.0} s",
                            report.silence_threshold_dbfs
                        ),
                    )
                    .measured(format!("{s:.1} s"))
                    .limit(format!("≤ {max:.0} s"))
                    .hint(format!("Trim the {edge} silence")),
                );
            }
        }
    }
    // Peaks.
    if let Some(tp) = report.true_peak_dbtp {
        let error = rules.true_peak_error_dbtp.filter(|e| tp > *e);
        let warn = rules.true_peak_warn_dbtp.filter(|w| tp > *w);
        if let Some(limit) = error.or(warn) {
            let over_zero =
                if tp > 0.0 { ": over 0 dBTP, likely audible clipping after lossy encoding" } else { "" };
            out.push(
                Finding::new(
                    "AUD-TP",
                    if error.is_some() { Severity::Error } else { Severity::Warning },
                    format!(
                        "{name}: true peak {} dBTP is above {target}'s {} dBTP{over_zero}",
                        fmt_db(tp),
                        fmt_db(limit)
                    ),
                )
                .measured(format!("{} dBTP", fmt_db(tp)))
                .limit(format!("≤ {} dBTP", fmt_db(limit)))
                .hint(format!("Set the limiter ceiling to {} dBTP or lower", fmt_db(limit))),
            );
        }
    }
    // Loudness normalisation note.
    if let (Some(reference), Some(l)) = (rules.loudness_reference_lufs, report.integrated_lufs) {
        let change = reference - l;
        let how = if change < -0.5 {
            format!("turned down by {:.1} dB", -change)
        } else if change > 0.5 {
            format!("turned up by up to {change:.1} dB (headroom permitting)")
        } else {
            "played at about its own level".to_owned()
        };
        out.push(
            Finding::new(
                "AUD-LUFS",
                Severity::Info,
                format!("{name}: {l:.1} LUFS integrated: {target} ({reference:.0} LUFS) will play it {how}"),
            )
            .measured(format!("{l:.1} LUFS"))
            .limit(format!("{reference:.0} LUFS reference")),
        );
    }
    sorted(out)
}

fn fmt_list(v: &[u32], unit: &str) -> String {
    v.iter().map(|x| format!("{x}{unit}")).collect::<Vec<_>>().join(", ")
}

/// The artwork's own findings (damage, blur, borders…) and this target's rules, errors first.
pub fn check_artwork(report: &ArtworkReport, profile: &Profile) -> Vec<Finding> {
    let rules = &profile.artwork;
    let name = &report.path;
    let target = &profile.name;
    let mut out = report.findings.clone();
    let unreadable = report.findings.iter().any(|f| f.rule_id == "ART-FMT");
    if !unreadable && !rules.formats.iter().any(|f| f == &report.format) {
        out.push(
            Finding::new(
                "ART-FMT",
                Severity::Error,
                format!("{name}: {} is not accepted by {target}", report.format),
            )
            .measured(report.format.clone())
            .limit(rules.formats.join(", "))
            .hint(format!(
                "Export the cover as {}",
                rules.formats.first().map_or("JPEG".to_owned(), |f| f.to_uppercase())
            )),
        );
    }
    let (w, h) = (report.width, report.height);
    if w > 0 && h > 0 {
        if rules.square && w != h {
            out.push(
                Finding::new("ART-DIM", Severity::Error, format!("{name}: {w}×{h} px is not square"))
                    .measured(format!("{w}×{h}"))
                    .limit("1:1")
                    .hint("Crop or pad the cover to a square"),
            );
        }
        if w.min(h) < rules.min_px {
            out.push(
                Finding::new(
                    "ART-DIM",
                    Severity::Error,
                    format!("{name}: {w}×{h} px is below {target}'s minimum of {0}×{0}", rules.min_px),
                )
                .measured(format!("{w}×{h}"))
                .limit(format!("≥ {0}×{0}", rules.min_px))
                .hint(format!(
                    "Export the cover at {0}×{0} px from the original artwork",
                    rules.recommended_px.unwrap_or(rules.min_px).max(rules.min_px)
                )),
            );
        } else if let Some(rec) = rules.recommended_px.filter(|r| w.min(h) < *r) {
            out.push(
                Finding::new(
                    "ART-DIM",
                    Severity::Warning,
                    format!("{name}: {w}×{h} px is accepted by {target} but {rec}×{rec} is recommended"),
                )
                .measured(format!("{w}×{h}"))
                .limit(format!("{rec}×{rec} recommended")),
            );
        }
        if let Some(max) = rules.max_px.filter(|m| w.max(h) > *m) {
            out.push(
                Finding::new(
                    "ART-DIM",
                    Severity::Error,
                    format!("{name}: {w}×{h} px is above {target}'s maximum of {max}×{max}"),
                )
                .measured(format!("{w}×{h}"))
                .limit(format!("≤ {max}×{max}"))
                .hint("Export the cover at 3000×3000 px"),
            );
        }
    }
    if rules.rgb_required && !report.color_type.is_rgb() && report.color_type != ColorType::Unknown {
        let ct = serde_json::to_value(report.color_type)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push(
            Finding::new(
                "ART-CS",
                Severity::Error,
                format!("{name}: colour model {ct}; {target} requires RGB"),
            )
            .measured(ct)
            .limit("rgb")
            .hint("Convert the cover to RGB (sRGB) and export again"),
        );
    }
    if report.has_alpha && !rules.alpha_allowed {
        out.push(
            Finding::new("ART-CS", Severity::Warning, format!("{name}: has an alpha channel (transparency)"))
                .measured("alpha")
                .hint("Flatten the cover onto an opaque background"),
        );
    }
    if report.format == "png" && report.bit_depth == 16 && !rules.sixteen_bit_allowed {
        out.push(
            Finding::new(
                "ART-CS",
                Severity::Error,
                format!("{name}: 16 bits per channel; {target} expects 8"),
            )
            .measured("16-bit")
            .limit("8-bit")
            .hint("Export the cover as 8-bit RGB"),
        );
    }
    if rules.icc_non_srgb_warn
        && let Some(icc) = report.icc_profile.as_ref().filter(|i| !i.srgb)
    {
        let desc = icc.description.clone().unwrap_or_else(|| "unnamed".to_owned());
        out.push(
            Finding::new(
                "ART-ICC",
                Severity::Warning,
                format!("{name}: embedded colour profile '{desc}' is not sRGB"),
            )
            .measured(desc)
            .limit("sRGB or none")
            .hint("Convert the cover to sRGB"),
        );
    }
    if rules.orientation_warn
        && let Some(o) = report.exif_orientation.filter(|o| *o != 1)
    {
        out.push(
                Finding::new("ART-ORIENT", Severity::Warning, format!("{name}: EXIF orientation {o}: the cover will show rotated or mirrored where EXIF is ignored"))
                    .measured(o.to_string())
                    .limit("1")
                    .hint("Rotate the pixels and remove the EXIF orientation"),
            );
    }
    if let Some(max) = rules.max_file_mb.filter(|m| mb(report.file_size) > *m) {
        out.push(
            Finding::new(
                "ART-SIZE",
                Severity::Error,
                format!("{name}: {:.1} MB is over {target}'s {max:.0} MB limit", mb(report.file_size)),
            )
            .measured(format!("{:.1} MB", mb(report.file_size)))
            .limit(format!("≤ {max:.0} MB"))
            .hint("Export as JPEG at quality ~90"),
        );
    }
    sorted(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_and_has_every_target() {
        let parsed: Vec<Profile> =
            serde_json::from_str(include_str!("profiles.json")).expect("profiles.json parses");
        let ids: Vec<&str> = parsed.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["generic", "spotify", "apple_music", "amazon", "youtube", "tiktok", "revelator"]);
        assert_eq!(profiles().len(), parsed.len());
        assert!(profile("spotify").is_some_and(|p| p.audio.wav_strict && p.artwork.min_px == 640));
        assert!(profile("nope").is_none());
    }
}
