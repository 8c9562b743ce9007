//! Audio QC: one streaming pass over the decoded samples (bounded memory whatever the length)
//! gives format facts, loudness (BS.1770-4 / EBU R128 / Tech 3342), sample and true peak,
//! clipping runs, edge silence, per-channel level and DC offset, fake-stereo detection, the
//! spectral cut-off of a lossy or upsampled origin, and a waveform summary. Decoding, the
//! analysis, the true-peak interpolation and the file's MD5/SHA-256 run on four threads joined
//! by bounded channels, so a file uses the cores a job gives it and memory stays flat.
//!
//! WAV (RIFF and RF64, PCM 8/16/24/32, float 32/64, WAVE_FORMAT_EXTENSIBLE) is read by our
//! own chunk walker and sample reader, so that every structural oddity becomes a finding.
//! Everything else (FLAC, AIFF, ALAC/AAC in MP4, CAF, MP3, Ogg Vorbis, and the rarer WAV
//! codecs) is decoded with symphonia.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity};
use crate::loudness::LoudnessMeter;
use crate::riff::{self, WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_PCM, WavLayout};
use crate::spectrum::{SpectrumAnalyzer, SpectrumReport};
use crate::truepeak::TruePeakWorker;
use crate::{MediaError, db};

/// Everything measured about one audio file. Findings here are intrinsic to the file
/// (damage, clipping, fake stereo, lossy origin); target rules come from
/// [`crate::profiles::check_audio`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AudioReport {
    pub path: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub file_size: u64,
    /// `wav`, `rf64`, `flac`, `aiff`, `mp4`, `caf`, `ogg`, `mp3`, `adts`…
    pub container: String,
    /// `pcm_s16le`, `pcm_s24le`, `pcm_f32le`, `flac`, `alac`, `mp3`, `aac`, `vorbis`…
    pub codec: String,
    pub lossless: bool,
    /// Floating-point samples (32/64-bit float WAV, or a lossy decode).
    pub float: bool,
    pub sample_rate: u32,
    /// Bits per sample of the stored PCM; `None` for lossy codecs.
    pub bit_depth: Option<u32>,
    pub channels: u32,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub frames: u64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub duration_ms: u64,
    /// Integrated loudness (LUFS); `None` for silence or less than 400 ms.
    pub integrated_lufs: Option<f64>,
    /// Loudness range (LU); `None` under 3 s or for silence.
    pub loudness_range_lu: Option<f64>,
    pub max_momentary_lufs: Option<f64>,
    pub max_short_term_lufs: Option<f64>,
    /// `None` for digital silence.
    pub sample_peak_dbfs: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    /// Oversampling factor of the true-peak meter (4, 2 or 1).
    pub true_peak_oversampling: u32,
    pub clipping: ClippingReport,
    pub silence_threshold_dbfs: f64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub leading_silence_ms: u64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub trailing_silence_ms: u64,
    pub channel_stats: Vec<ChannelStats>,
    /// For two-channel files.
    pub stereo: Option<StereoReport>,
    pub spectrum: SpectrumReport,
    /// WAV structure, for WAV and RF64 files.
    pub wav: Option<WavReport>,
    /// ADM BWF (`axml`/`chna` chunks) or more than two channels: stereo rules do not apply.
    pub immersive: bool,
    pub md5: String,
    pub sha256: String,
    pub waveform: Vec<WaveBucket>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelStats {
    pub peak_dbfs: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    pub rms_dbfs: Option<f64>,
    /// Mean sample value (full scale = 1).
    pub dc_offset: f64,
    /// Peak below the silence threshold.
    pub silent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StereoReport {
    /// Left and right are sample-for-sample identical.
    pub identical: bool,
    /// Energy of L−R relative to L+R (dB); very negative = mono in a stereo file.
    pub side_to_mid_db: Option<f64>,
    /// Pearson correlation of L and R (+1 mono, −1 polarity-inverted).
    pub correlation: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClippingReport {
    /// Runs of ≥ 3 consecutive samples at full scale, over all channels.
    pub runs: u32,
    /// Samples in those runs.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub clipped_samples: u64,
    /// The first runs (at most 100).
    pub first_runs: Vec<ClipRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClipRun {
    pub channel: u32,
    pub position_ms: f64,
    pub length: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WavReport {
    pub rf64: bool,
    pub extensible: bool,
    /// The format tag (1 PCM, 3 float; the sub-format's for extensible files).
    pub format_tag: u32,
    /// Chunk ids in file order.
    pub chunks: Vec<String>,
    /// Chunks or bytes after the `data` chunk.
    pub after_data: Vec<String>,
}

/// One column of the waveform overview (all channels together).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WaveBucket {
    pub min: f32,
    pub max: f32,
    pub rms: f32,
}

/// Tunables of [`analyze_audio_with`].
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// Level under which the start and end count as silence, and a channel as silent.
    pub silence_threshold_dbfs: f64,
    /// Columns of the waveform overview.
    pub waveform_buckets: u32,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions { silence_threshold_dbfs: -60.0, waveform_buckets: 1000 }
    }
}

/// Analyses the audio file at `path` with the default options.
pub fn analyze_audio(path: &Path) -> Result<AudioReport, MediaError> {
    analyze_audio_with(path, &AnalysisOptions::default())
}

/// Frames decoded per block of the native WAV reader.
const BLOCK_FRAMES: usize = 16_384;
const MAX_DECODE_ERRORS: u32 = 100;

/// Analyses the audio file at `path`. `Err` when the file cannot be read as audio at all
/// (missing, empty, unknown format, no decodable header); damage past the header becomes a
/// finding on the report.
pub fn analyze_audio_with(path: &Path, options: &AnalysisOptions) -> Result<AudioReport, MediaError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(MediaError::io(path))?;
    if meta.is_dir() {
        return Err(MediaError::unsupported(path, "is a folder, not an audio file"));
    }
    let file_size = meta.len();
    if file_size == 0 {
        return Err(MediaError::unsupported(path, "empty file (0 bytes)"));
    }
    let mut head = [0u8; 12];
    {
        let mut f = File::open(path).map_err(MediaError::io(path))?;
        let mut got = 0;
        while got < head.len() {
            let n = f.read(&mut head[got..]).map_err(MediaError::io(path))?;
            if n == 0 {
                break;
            }
            got += n;
        }
    }
    std::thread::scope(|scope| {
        let hasher = scope.spawn(|| crate::hash_file_md5_sha256(path));
        let decoded = if riff::is_riff_wave(&head) {
            analyse_wav(path, options)
        } else {
            decode_guarded(path, options)
        };
        let hashes = hasher.join().map_err(|_| MediaError::corrupt(path, "hashing thread panicked"))?;
        let mut report = decoded?;
        let (md5, sha256, _) = hashes?;
        report.md5 = md5;
        report.sha256 = sha256;
        report.file_size = file_size;
        if let Some(f) = extension_mismatch(path, &report.container) {
            report.findings.insert(0, f);
        }
        report.path = name;
        Ok(report)
    })
}

fn extension_mismatch(path: &Path, container: &str) -> Option<Finding> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let expected: &[&str] = match container {
        "wav" | "rf64" => &["wav", "wave", "bwf", "rf64"],
        "flac" => &["flac"],
        "aiff" => &["aif", "aiff", "aifc"],
        "mp4" | "isomp4" => &["m4a", "mp4", "alac", "aac", "m4b"],
        "caf" => &["caf"],
        "ogg" => &["ogg", "oga"],
        "mp3" | "mpa" => &["mp3", "mp2", "mpga"],
        "adts" => &["aac"],
        _ => return None,
    };
    (!expected.contains(&ext.as_str())).then(|| {
        Finding::new(
            "AUD-EXT",
            Severity::Warning,
            format!("{}: extension '.{ext}' but the content is {container}", path.display()),
        )
        .measured(container.to_owned())
        .limit(format!(".{ext}"))
        .hint(format!("Rename the file to .{}", expected[0]))
    })
}

fn analyse_wav(path: &Path, options: &AnalysisOptions) -> Result<AudioReport, MediaError> {
    let layout = riff::parse(path)?;
    let native = matches!(
        (layout.format_tag, layout.bits_per_sample),
        (WAVE_FORMAT_PCM, 8 | 16 | 24 | 32) | (WAVE_FORMAT_IEEE_FLOAT, 32 | 64)
    );
    if !native {
        if layout.rf64 {
            return Err(MediaError::unsupported(
                path,
                format!(
                    "RF64 with format tag {} / {} bits is not supported",
                    layout.format_tag, layout.bits_per_sample
                ),
            ));
        }
        let mut report = decode_guarded(path, options)?;
        let mut findings = layout.findings.clone();
        findings.append(&mut report.findings);
        report.findings = findings;
        report.wav = Some(wav_report(&layout));
        report.immersive |= layout.immersive;
        return Ok(report);
    }
    let float = layout.format_tag == WAVE_FORMAT_IEEE_FLOAT;
    let codec = match (float, layout.bits_per_sample) {
        (true, b) => format!("pcm_f{b}le"),
        (false, 8) => "pcm_u8".to_owned(),
        (false, b) => format!("pcm_s{b}le"),
    };
    check_sample_rate(path, layout.sample_rate)?;
    let channels = usize::from(layout.channels);
    if channels > MAX_CHANNELS {
        return Err(MediaError::unsupported(
            path,
            format!("{channels} channels: more than {MAX_CHANNELS} are not supported"),
        ));
    }
    let bytes_per_sample = usize::from(layout.bits_per_sample / 8);
    let frame_bytes = channels * bytes_per_sample;
    let total_frames = layout.data_len / frame_bytes as u64;
    let clip_level = if float { 1.0 } else { full_scale_level(u32::from(layout.bits_per_sample)) };
    let analyzer = Analyzer::new(layout.sample_rate, channels, Some(total_frames), clip_level, options);
    let mut analyzer = AnalyzerThread::spawn(analyzer, path)?;
    let mut file = File::open(path).map_err(MediaError::io(path))?;
    file.seek(SeekFrom::Start(layout.data_offset)).map_err(MediaError::io(path))?;
    let mut reader = BufReader::with_capacity(1 << 16, file).take(total_frames * frame_bytes as u64);
    let mut bytes = vec![0u8; BLOCK_FRAMES * frame_bytes];
    let mut planes: Vec<Vec<f32>> = vec![Vec::with_capacity(BLOCK_FRAMES); channels];
    let mut findings = layout.findings.clone();
    loop {
        let mut got = 0;
        while got < bytes.len() {
            match reader.read(&mut bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    findings.push(Finding::new(
                        "AUD-DECODE",
                        Severity::Error,
                        format!("{}: read error after {} ms: {e}", path.display(), analyzer.elapsed_ms()),
                    ));
                    break;
                }
            }
        }
        let frames = got / frame_bytes;
        if frames == 0 {
            break;
        }
        decode_pcm(&bytes[..frames * frame_bytes], channels, layout.bits_per_sample, float, &mut planes);
        let block = std::mem::replace(&mut planes, vec![Vec::with_capacity(BLOCK_FRAMES); channels]);
        analyzer.process(block);
        if got < bytes.len() {
            break;
        }
    }
    let mut report = analyzer.finish().finish(path);
    findings.append(&mut report.findings);
    report.findings = findings;
    report.container = if layout.rf64 { "rf64" } else { "wav" }.to_owned();
    report.codec = codec;
    report.lossless = true;
    report.float = float;
    report.bit_depth = Some(u32::from(layout.valid_bits));
    report.immersive |= layout.immersive;
    if report.immersive {
        report.findings.push(immersive_finding(path));
    }
    report.wav = Some(wav_report(&layout));
    Ok(report)
}

fn wav_report(layout: &WavLayout) -> WavReport {
    WavReport {
        rf64: layout.rf64,
        extensible: layout.extensible,
        format_tag: u32::from(layout.format_tag),
        chunks: layout.chunks.clone(),
        after_data: layout.after_data.clone(),
    }
}

fn immersive_finding(path: &Path) -> Finding {
    Finding::new(
        "AUD-ATMOS",
        Severity::Info,
        format!(
            "{}: immersive master (ADM BWF or more than two channels): stereo rules not checked",
            path.display()
        ),
    )
}

/// The level of the largest positive code of a `bits`-bit integer (e.g. 32767/32768).
fn full_scale_level(bits: u32) -> f32 {
    if !(2..=32).contains(&bits) {
        return 1.0;
    }
    let max = (1u64 << (bits - 1)) as f64;
    ((max - 1.0) / max) as f32
}

/// More channels than any delivery format has; refusing them bounds the block buffers.
const MAX_CHANNELS: usize = 64;

/// Sample rates outside this range are header damage, not audio: refusing them keeps the
/// per-rate buffers (loudness segments, FFT, waveform columns) sane.
const SAMPLE_RATES: std::ops::RangeInclusive<u32> = 1_000..=768_000;

fn check_sample_rate(path: &Path, sample_rate: u32) -> Result<(), MediaError> {
    if SAMPLE_RATES.contains(&sample_rate) {
        Ok(())
    } else {
        Err(MediaError::corrupt(
            path,
            format!(
                "the header declares a sample rate of {sample_rate} Hz (expected {}–{} Hz)",
                SAMPLE_RATES.start(),
                SAMPLE_RATES.end()
            ),
        ))
    }
}

/// Little-endian PCM bytes to planar f32 in [-1, 1).
fn decode_pcm(bytes: &[u8], channels: usize, bits: u16, float: bool, planes: &mut [Vec<f32>]) {
    match (float, bits) {
        (false, 8) => deinterleave::<1>(bytes, channels, planes, |s| (f32::from(s[0]) - 128.0) / 128.0),
        (false, 16) => deinterleave::<2>(bytes, channels, planes, |s| {
            f32::from(i16::from_le_bytes(*s)) * (1.0 / 32_768.0)
        }),
        (false, 24) => deinterleave::<3>(bytes, channels, planes, |s| {
            (i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f32 * (1.0 / 8_388_608.0)
        }),
        (false, _) => deinterleave::<4>(bytes, channels, planes, |s| {
            (f64::from(i32::from_le_bytes(*s)) / 2_147_483_648.0) as f32
        }),
        (true, 32) => deinterleave::<4>(bytes, channels, planes, |s| f32::from_le_bytes(*s)),
        (true, _) => deinterleave::<8>(bytes, channels, planes, |s| f64::from_le_bytes(*s) as f32),
    }
}

/// Splits interleaved frames of `B`-byte samples into `planes`, converting each sample with
/// `conv`; stereo (the common case) in one pass over the bytes.
fn deinterleave<const B: usize>(
    bytes: &[u8],
    channels: usize,
    planes: &mut [Vec<f32>],
    conv: impl Fn(&[u8; B]) -> f32,
) {
    let frame = B * channels;
    if frame == 0 {
        return;
    }
    let frames = bytes.len() / frame;
    for p in planes.iter_mut() {
        p.clear();
        p.resize(frames, 0.0);
    }
    let sample = |f: &[u8], c: usize| -> f32 {
        match f.get(c * B..(c + 1) * B).and_then(|s| <&[u8; B]>::try_from(s).ok()) {
            Some(s) => conv(s),
            None => 0.0,
        }
    };
    if let [left, right] = planes {
        for ((f, l), r) in bytes.chunks_exact(frame).zip(left.iter_mut()).zip(right.iter_mut()) {
            *l = sample(f, 0);
            *r = sample(f, 1);
        }
        return;
    }
    for (c, plane) in planes.iter_mut().enumerate() {
        for (f, o) in bytes.chunks_exact(frame).zip(plane.iter_mut()) {
            *o = sample(f, c);
        }
    }
}

/// [`analyse_symphonia`], with a decoder panic on hostile input turned into an error.
fn decode_guarded(path: &Path, options: &AnalysisOptions) -> Result<AudioReport, MediaError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyse_symphonia(path, options)))
        .unwrap_or_else(|_| Err(MediaError::corrupt(path, "the decoder failed on damaged data")))
}

fn analyse_symphonia(path: &Path, options: &AnalysisOptions) -> Result<AudioReport, MediaError> {
    use symphonia::core::codecs::audio::AudioDecoderOptions;
    use symphonia::core::errors::Error as SymError;
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::formats::{FormatOptions, TrackType};
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;

    let file = File::open(path).map_err(MediaError::io(path))?;
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(&hint, mss, FormatOptions::default(), MetadataOptions::default())
        .map_err(|e| match e {
            SymError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => MediaError::corrupt(
                path,
                "the file ends inside its header or first chunk: truncated, or a chunk size is wrong",
            ),
            e => MediaError::unsupported(path, format!("not a readable audio file ({e})")),
        })?;
    let container = match format.format_info().short_name {
        "isomp4" => "mp4",
        "riff" | "wave" => "wav",
        other => other,
    }
    .to_owned();
    let track = format
        .default_track(TrackType::Audio)
        .or_else(|| format.first_track(TrackType::Audio))
        .ok_or_else(|| MediaError::unsupported(path, "no audio track"))?;
    let track_id = track.id;
    let total_frames = track.num_frames;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .cloned()
        .ok_or_else(|| MediaError::unsupported(path, "audio track without codec parameters"))?;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| MediaError::unsupported(path, format!("unsupported codec ({e})")))?;
    let codec = decoder.codec_info().short_name.to_ascii_lowercase();
    // Companded (A-law/µ-law) and ADPCM WAVs are lossy too.
    let lossy = ["mp1", "mp2", "mp3", "aac", "vorbis", "opus", "mpa", "law", "adpcm"]
        .iter()
        .any(|l| codec.contains(l));
    let mut sample_rate = params.sample_rate.unwrap_or(0);
    let mut channels = params.channels.as_ref().map_or(0, |c| c.count());
    // ALAC (and others) carry the depth in their own config, which the decoder reads.
    let bits = params.bits_per_sample.or(decoder.codec_params().bits_per_sample).or_else(|| {
        // ALACSpecificConfig (after an optional 12-byte atom header): bit depth at byte 5.
        let cookie = params.extra_data.as_deref().filter(|_| codec == "alac")?;
        let cookie = if cookie.get(4..8) == Some(b"alac") { cookie.get(12..)? } else { cookie };
        cookie.get(5).map(|b| u32::from(*b)).filter(|b| matches!(b, 16 | 20 | 24 | 32))
    });
    let clip_level = if lossy { full_scale_level(16) } else { bits.map_or(1.0, full_scale_level) };
    let mut analyzer: Option<AnalyzerThread> = None;
    let mut findings = Vec::new();
    let mut planes: Vec<Vec<f32>> = Vec::new();
    let mut decode_errors = 0u32;
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                findings.push(truncated(path, analyzer.as_ref()));
                break;
            }
            Err(e) => {
                findings.push(
                    Finding::new(
                        "AUD-DECODE",
                        Severity::Error,
                        format!(
                            "{}: demuxing stopped after {} ms: {e}",
                            path.display(),
                            analyzer.as_ref().map_or(0, AnalyzerThread::elapsed_ms)
                        ),
                    )
                    .hint("The file is damaged; export it again"),
                );
                break;
            }
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buf) => {
                if buf.frames() == 0 {
                    continue;
                }
                if analyzer.is_none() {
                    if sample_rate == 0 {
                        sample_rate = buf.spec().rate();
                    }
                    if channels == 0 {
                        channels = buf.spec().channels().count();
                    }
                    if sample_rate == 0 || channels == 0 {
                        return Err(MediaError::corrupt(path, "no sample rate or channel count"));
                    }
                    check_sample_rate(path, sample_rate)?;
                    if channels > MAX_CHANNELS {
                        return Err(MediaError::unsupported(
                            path,
                            format!("{channels} channels: more than {MAX_CHANNELS} are not supported"),
                        ));
                    }
                    let a = Analyzer::new(sample_rate, channels, total_frames, clip_level, options);
                    analyzer = Some(AnalyzerThread::spawn(a, path)?);
                }
                buf.copy_to_vecs_planar::<f32>(&mut planes);
                if let Some(a) = analyzer.as_mut()
                    && planes.len() == channels
                {
                    a.process(std::mem::take(&mut planes));
                }
            }
            Err(SymError::DecodeError(e)) => {
                decode_errors += 1;
                if decode_errors == 1 {
                    findings.push(
                        Finding::new(
                            "AUD-DECODE",
                            Severity::Error,
                            format!(
                                "{}: damaged audio at {} ms: {e}",
                                path.display(),
                                analyzer.as_ref().map_or(0, AnalyzerThread::elapsed_ms)
                            ),
                        )
                        .hint("The file is damaged; export it again"),
                    );
                }
                if decode_errors > MAX_DECODE_ERRORS {
                    break;
                }
            }
            Err(SymError::IoError(_)) => {
                findings.push(truncated(path, analyzer.as_ref()));
                break;
            }
            Err(e) => {
                findings.push(Finding::new(
                    "AUD-DECODE",
                    Severity::Error,
                    format!("{}: decoding stopped: {e}", path.display()),
                ));
                break;
            }
        }
    }
    let Some(analyzer) = analyzer else {
        return Err(MediaError::corrupt(path, "no decodable audio"));
    };
    let mut report = analyzer.finish().finish(path);
    if decode_errors > 1 {
        findings.push(Finding::new(
            "AUD-DECODE",
            Severity::Error,
            format!("{}: {decode_errors} damaged packets", path.display()),
        ));
    }
    if let Some(expected) = total_frames
        && report.frames + u64::from(sample_rate / 10) < expected
        && decode_errors == 0
        && !findings.iter().any(|f| f.rule_id == "AUD-DECODE")
    {
        findings.push(
            Finding::new(
                "AUD-TRUNCATED",
                Severity::Error,
                format!(
                    "{}: decoded {} ms of the {} ms the header declares: damaged or truncated",
                    path.display(),
                    report.duration_ms,
                    expected.saturating_mul(1000) / u64::from(sample_rate.max(1))
                ),
            )
            .measured(format!("{} frames", report.frames))
            .limit(format!("{expected} frames"))
            .hint("Export the file again"),
        );
    }
    findings.append(&mut report.findings);
    report.findings = findings;
    report.container = container;
    report.codec = codec;
    report.lossless = !lossy;
    report.float = lossy || params.sample_format.is_some_and(|f| format!("{f:?}").starts_with('F'));
    report.bit_depth = if lossy { None } else { bits };
    if report.immersive {
        report.findings.push(immersive_finding(path));
    }
    if lossy {
        report.findings.push(
            Finding::new(
                "AUD-LOSSY",
                Severity::Warning,
                format!("{}: lossy codec ({})", path.display(), report.codec),
            )
            .measured(report.codec.clone())
            .hint("Deliver the lossless master (WAV or FLAC)"),
        );
    }
    Ok(report)
}

fn truncated(path: &Path, analyzer: Option<&AnalyzerThread>) -> Finding {
    Finding::new(
        "AUD-TRUNCATED",
        Severity::Error,
        format!(
            "{}: the audio ends early (truncated after {} ms)",
            path.display(),
            analyzer.map_or(0, AnalyzerThread::elapsed_ms)
        ),
    )
    .hint("The file was cut short (interrupted copy or export); export it again")
}

/// An [`Analyzer`] on its own thread, fed decoded blocks through a bounded channel (memory
/// stays bounded): decoding (FLAC, or reading and converting PCM) overlaps with the analysis
/// instead of adding to it. A panic in the analysis resumes in the caller.
struct AnalyzerThread {
    tx: std::sync::mpsc::SyncSender<Vec<Vec<f32>>>,
    handle: std::thread::JoinHandle<Analyzer>,
    frames: u64,
    sample_rate: u32,
}

impl AnalyzerThread {
    fn spawn(mut analyzer: Analyzer, path: &Path) -> Result<AnalyzerThread, MediaError> {
        let sample_rate = analyzer.sample_rate;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<f32>>>(8);
        let handle = std::thread::Builder::new()
            .name("catno-analysis".to_owned())
            .spawn(move || {
                for planes in rx {
                    analyzer.process(std::sync::Arc::new(planes));
                }
                analyzer
            })
            .map_err(MediaError::io(path))?;
        Ok(AnalyzerThread { tx, handle, frames: 0, sample_rate })
    }

    fn process(&mut self, planes: Vec<Vec<f32>>) {
        self.frames += planes.first().map_or(0, |p| p.len() as u64);
        // A send fails only when the thread panicked; `finish` re-raises that.
        let _ = self.tx.send(planes);
    }

    fn elapsed_ms(&self) -> u64 {
        self.frames * 1000 / u64::from(self.sample_rate.max(1))
    }

    fn finish(self) -> Analyzer {
        let AnalyzerThread { tx, handle, .. } = self;
        drop(tx);
        handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// Per-channel running measurements.
#[derive(Debug, Clone, Default)]
struct ChannelAcc {
    peak: f32,
    sum: f64,
    sum_sq: f64,
    run: u32,
    run_start: u64,
}

/// The single pass over planar blocks.
struct Analyzer {
    sample_rate: u32,
    channels: usize,
    frame: u64,
    clip_level: f32,
    silence_level: f32,
    silence_threshold_dbfs: f64,
    acc: Vec<ChannelAcc>,
    clipping: ClippingReport,
    first_loud: Option<u64>,
    last_loud: Option<u64>,
    loudness: LoudnessMeter,
    true_peak: TruePeakWorker,
    spectrum: SpectrumAnalyzer,
    mono: Vec<f32>,
    stereo: [f64; 5],
    differing_frames: u64,
    bucket_frames: u64,
    buckets: Vec<(f32, f32, f64, u64)>,
    target_buckets: usize,
    /// Per channel, the peak of the block being measured.
    block_peaks: Vec<f32>,
}

impl Analyzer {
    fn new(
        sample_rate: u32,
        channels: usize,
        total_frames: Option<u64>,
        clip_level: f32,
        options: &AnalysisOptions,
    ) -> Analyzer {
        let target = options.waveform_buckets.max(1) as usize;
        let bucket_frames = match total_frames {
            Some(t) if t > 0 => t.div_ceil(target as u64).max(1),
            _ => (u64::from(sample_rate) / 10).max(1),
        };
        Analyzer {
            sample_rate,
            channels,
            frame: 0,
            clip_level,
            silence_level: 10f64.powf(options.silence_threshold_dbfs / 20.0) as f32,
            silence_threshold_dbfs: options.silence_threshold_dbfs,
            acc: vec![ChannelAcc::default(); channels],
            clipping: ClippingReport::default(),
            first_loud: None,
            last_loud: None,
            loudness: LoudnessMeter::new(sample_rate, channels),
            true_peak: TruePeakWorker::new(sample_rate, channels),
            spectrum: SpectrumAnalyzer::new(sample_rate),
            mono: Vec::new(),
            stereo: [0.0; 5],
            differing_frames: 0,
            bucket_frames,
            buckets: Vec::new(),
            target_buckets: target,
            block_peaks: Vec::new(),
        }
    }

    fn process(&mut self, shared: std::sync::Arc<Vec<Vec<f32>>>) {
        let planes: &[Vec<f32>] = &shared;
        let frames = planes.first().map_or(0, Vec::len);
        if frames == 0 || planes.len() != self.channels || planes.iter().any(|p| p.len() != frames) {
            return;
        }
        // First, so that the true-peak thread works on this block while the rest is measured.
        self.true_peak.process(&shared);
        let start = self.frame;
        // One pass per channel gives the waveform columns, the channel sums and the block's
        // peak: minimum, maximum, sum and sum of squares per column.
        self.block_peaks.clear();
        self.block_peaks.resize(self.channels, 0.0);
        let mut i = 0usize;
        while i < frames {
            let pos = start + i as u64;
            let index = (pos / self.bucket_frames) as usize;
            let end = ((index as u64 + 1) * self.bucket_frames - start).min(frames as u64) as usize;
            if self.buckets.len() <= index {
                self.buckets.resize(index + 1, (f32::INFINITY, f32::NEG_INFINITY, 0.0, 0));
            }
            let b = &mut self.buckets[index];
            for ((p, acc), peak) in planes.iter().zip(&mut self.acc).zip(&mut self.block_peaks) {
                let st = stats(&p[i..end]);
                b.0 = b.0.min(st.min);
                b.1 = b.1.max(st.max);
                b.2 += st.sum_sq;
                b.3 += (end - i) as u64;
                acc.sum += st.sum;
                acc.sum_sq += st.sum_sq;
                *peak = peak.max(st.max).max(-st.min);
            }
            i = end;
        }
        for (c, x) in planes.iter().enumerate() {
            let acc = &mut self.acc[c];
            let block_peak = self.block_peaks[c];
            acc.peak = acc.peak.max(block_peak);
            // Clipping runs; a block that never reaches full scale only ends a run.
            let level = self.clip_level;
            if block_peak < level {
                if acc.run > 0 {
                    record_run(&mut self.clipping, c, acc.run, acc.run_start, self.sample_rate);
                    acc.run = 0;
                }
            } else {
                for (i, v) in x.iter().enumerate() {
                    if v.abs() >= level {
                        if acc.run == 0 {
                            acc.run_start = start + i as u64;
                        }
                        acc.run += 1;
                    } else if acc.run > 0 {
                        record_run(&mut self.clipping, c, acc.run, acc.run_start, self.sample_rate);
                        acc.run = 0;
                    }
                }
            }
            // Edge silence.
            let loud = |v: &f32| v.abs() > self.silence_level;
            if self.first_loud.is_none_or(|f| f > start)
                && let Some(i) = x.iter().position(loud)
            {
                let at = start + i as u64;
                self.first_loud = Some(self.first_loud.map_or(at, |f| f.min(at)));
            }
            if let Some(i) = x.iter().rposition(loud) {
                let at = start + i as u64;
                self.last_loud = Some(self.last_loud.map_or(at, |l| l.max(at)));
            }
        }
        let refs: Vec<&[f32]> = planes.iter().map(Vec::as_slice).collect();
        self.loudness.process(&refs);
        // Mono mix for the spectrum; L/R relations for stereo.
        self.mono.clear();
        if self.channels == 2 {
            let (l, r) = (&planes[0], &planes[1]);
            // Two frames per step, each statistic in two lanes, so that the sums vectorise.
            let mut st = [[0f64; 2]; 5];
            let mut differing = 0u64;
            let (lc, rc) = (l.chunks_exact(2), r.chunks_exact(2));
            let (lr, rr) = (lc.remainder(), rc.remainder());
            for (a, b) in lc.zip(rc) {
                for k in 0..2 {
                    let (a64, b64) = (f64::from(a[k]), f64::from(b[k]));
                    st[0][k] += a64 * b64;
                    st[1][k] += a64 * a64;
                    st[2][k] += b64 * b64;
                    st[3][k] += (a64 - b64) * (a64 - b64);
                    st[4][k] += (a64 + b64) * (a64 + b64);
                    differing += u64::from(a[k] != b[k]);
                }
            }
            for (a, b) in lr.iter().zip(rr) {
                let (a64, b64) = (f64::from(*a), f64::from(*b));
                st[0][0] += a64 * b64;
                st[1][0] += a64 * a64;
                st[2][0] += b64 * b64;
                st[3][0] += (a64 - b64) * (a64 - b64);
                st[4][0] += (a64 + b64) * (a64 + b64);
                differing += u64::from(a != b);
            }
            for (t, v) in self.stereo.iter_mut().zip(st) {
                *t += v[0] + v[1];
            }
            self.differing_frames += differing;
            self.mono.extend(l.iter().zip(r).map(|(a, b)| 0.5 * (a + b)));
        } else {
            let scale = 1.0 / self.channels as f32;
            self.mono.extend_from_slice(&planes[0]);
            for p in &planes[1..] {
                for (m, v) in self.mono.iter_mut().zip(p) {
                    *m += v;
                }
            }
            if self.channels > 1 {
                self.mono.iter_mut().for_each(|m| *m *= scale);
            }
        }
        self.spectrum.process(&self.mono);
        self.frame += frames as u64;
    }

    fn finish(mut self, path: &Path) -> AudioReport {
        let name = path.display().to_string();
        for c in 0..self.channels {
            let acc = &self.acc[c];
            if acc.run > 0 {
                let (run, at) = (acc.run, acc.run_start);
                record_run(&mut self.clipping, c, run, at, self.sample_rate);
            }
        }
        let frames = self.frame;
        let rate = u64::from(self.sample_rate.max(1));
        let to_ms = |f: u64| f * 1000 / rate;
        let tp_factor = self.true_peak.factor() as u32;
        // Should the worker have died, fall back to the sample peaks (never below them anyway).
        let true_peaks = self.true_peak.finish().unwrap_or_else(|| vec![0.0; self.channels]);
        let n = frames.max(1) as f64;
        let channel_stats: Vec<ChannelStats> = self
            .acc
            .iter()
            .zip(&true_peaks)
            .map(|(a, tp)| ChannelStats {
                peak_dbfs: db(f64::from(a.peak)).map(round2),
                // The interpolator never reads below the samples themselves.
                true_peak_dbtp: db(f64::from(tp.max(a.peak))).map(round2),
                rms_dbfs: db((a.sum_sq / n).sqrt()).map(round2),
                dc_offset: a.sum / n,
                silent: a.peak <= self.silence_level,
            })
            .collect();
        let peak = self.acc.iter().map(|a| a.peak).fold(0f32, f32::max);
        let true_peak = true_peaks.iter().copied().fold(peak, f32::max);
        let (leading, trailing) = match (self.first_loud, self.last_loud) {
            (Some(f), Some(l)) => (to_ms(f), to_ms(frames.saturating_sub(l + 1))),
            _ => (to_ms(frames), to_ms(frames)),
        };
        let stereo = (self.channels == 2).then(|| {
            let [lr, ll, rr, side, mid] = self.stereo;
            StereoReport {
                identical: self.differing_frames == 0 && frames > 0,
                side_to_mid_db: if mid > 0.0 && side > 0.0 {
                    Some(round2(10.0 * (side / mid).log10()))
                } else {
                    None
                },
                correlation: (ll > 0.0 && rr > 0.0).then(|| lr / (ll * rr).sqrt()),
            }
        });
        // Waveform: merge to at most the target number of columns.
        let group = self.buckets.len().div_ceil(self.target_buckets).max(1);
        let waveform = self
            .buckets
            .chunks(group)
            .map(|g| {
                let (min, max, sq, count) =
                    g.iter().fold((f32::INFINITY, f32::NEG_INFINITY, 0.0, 0u64), |a, b| {
                        (a.0.min(b.0), a.1.max(b.1), a.2 + b.2, a.3 + b.3)
                    });
                WaveBucket {
                    min: if min.is_finite() { min } else { 0.0 },
                    max: if max.is_finite() { max } else { 0.0 },
                    rms: (sq / count.max(1) as f64).sqrt() as f32,
                }
            })
            .collect();
        let spectrum = self.spectrum.finish();
        let immersive = self.channels > 2;
        let mut findings = Vec::new();
        if frames == 0 {
            findings.push(
                Finding::new(
                    "AUD-EMPTY",
                    Severity::Error,
                    format!("{name}: the file holds no audio samples"),
                )
                .measured("0 frames")
                .hint("Export the file again"),
            );
        } else if channel_stats.iter().all(|c| c.silent) {
            findings.push(
                Finding::new(
                    "AUD-SILENT",
                    Severity::Error,
                    format!(
                        "{name}: the whole file is silent (peak below {} dBFS)",
                        self.silence_threshold_dbfs
                    ),
                )
                .measured(db(f64::from(peak)).map_or("-inf dBFS".to_owned(), |d| format!("{d:.1} dBFS"))),
            );
        } else {
            for (c, s) in channel_stats.iter().enumerate() {
                if s.silent {
                    findings.push(
                        Finding::new(
                            "AUD-SILENT-CHANNEL",
                            Severity::Warning,
                            format!("{name}: channel {} is silent while the others are not", c + 1),
                        )
                        .measured(s.peak_dbfs.map_or("-inf dBFS".to_owned(), |d| format!("{d:.1} dBFS")))
                        .hint("Check the export's channel routing"),
                    );
                }
            }
        }
        if let Some(st) = &stereo {
            let any_silent = channel_stats.iter().any(|c| c.silent);
            if !any_silent && st.identical {
                findings.push(
                    Finding::new(
                        "AUD-MONO",
                        Severity::Warning,
                        format!("{name}: left and right are identical (mono in a stereo file)"),
                    )
                    .measured("L == R")
                    .hint("Deliver the real stereo mix, or confirm the track is meant to be mono"),
                );
            } else if !any_silent && st.side_to_mid_db.is_some_and(|d| d < -40.0) {
                findings.push(
                    Finding::new(
                        "AUD-MONO",
                        Severity::Warning,
                        format!(
                            "{name}: left and right are nearly identical (side {} dB below mid)",
                            st.side_to_mid_db.map_or(0.0, |d| -d)
                        ),
                    )
                    .measured(format!("{:.1} dB", st.side_to_mid_db.unwrap_or(0.0)))
                    .limit("-40 dB"),
                );
            } else if st.correlation.is_some_and(|c| c < -0.9) {
                findings.push(
                    Finding::new(
                        "AUD-PHASE",
                        Severity::Warning,
                        format!(
                            "{name}: left and right are in opposite polarity (correlation {:.2})",
                            st.correlation.unwrap_or(0.0)
                        ),
                    )
                    .hint("One channel is inverted; it will cancel in mono"),
                );
            }
        }
        for (c, s) in channel_stats.iter().enumerate() {
            if s.dc_offset.abs() > 0.001 {
                findings.push(
                    Finding::new(
                        "AUD-DC",
                        Severity::Warning,
                        format!("{name}: channel {} has a DC offset of {:.2} %", c + 1, s.dc_offset * 100.0),
                    )
                    .measured(format!("{:.4}", s.dc_offset))
                    .limit("0.001")
                    .hint("Apply a DC-removal / high-pass filter before export"),
                );
            }
        }
        if self.clipping.runs > 0 {
            let first = self
                .clipping
                .first_runs
                .iter()
                .take(5)
                .map(|r| format!("{:.0} ms", r.position_ms))
                .collect::<Vec<_>>();
            findings.push(
                Finding::new(
                    "AUD-CLIP",
                    Severity::Warning,
                    format!(
                        "{name}: {} clipped runs (≥ 3 samples at full scale), first at {}",
                        self.clipping.runs,
                        first.join(", ")
                    ),
                )
                .measured(format!("{} runs, {} samples", self.clipping.runs, self.clipping.clipped_samples))
                .limit("0 runs")
                .hint("Lower the master or limiter ceiling (e.g. to -1 dBTP)"),
            );
        }
        if spectrum.likely_lossy_origin {
            findings.push(
                Finding::new(
                    "AUD-LOSSY-ORIGIN",
                    Severity::Warning,
                    format!(
                        "{name}: energy stops at {:.1} kHz: likely transcoded from a lossy file (MP3/AAC)",
                        spectrum.cutoff_hz.unwrap_or(0.0) / 1000.0
                    ),
                )
                .measured(format!("{:.0} Hz", spectrum.cutoff_hz.unwrap_or(0.0)))
                .hint("Deliver the original lossless master, not a decoded MP3/AAC"),
            );
        } else if spectrum.likely_upsampled {
            findings.push(
                Finding::new(
                    "AUD-UPSAMPLED",
                    Severity::Warning,
                    format!(
                        "{name}: no content above {:.1} kHz in a {} kHz file: likely upsampled",
                        spectrum.cutoff_hz.unwrap_or(0.0) / 1000.0,
                        f64::from(self.sample_rate) / 1000.0
                    ),
                )
                .measured(format!("{:.0} Hz", spectrum.cutoff_hz.unwrap_or(0.0))),
            );
        }
        AudioReport {
            path: name,
            file_size: 0,
            container: String::new(),
            codec: String::new(),
            lossless: true,
            float: false,
            sample_rate: self.sample_rate,
            bit_depth: None,
            channels: self.channels as u32,
            frames,
            duration_ms: to_ms(frames),
            integrated_lufs: self.loudness.integrated().map(round2),
            loudness_range_lu: self.loudness.range().map(round2),
            max_momentary_lufs: self.loudness.max_momentary().map(round2),
            max_short_term_lufs: self.loudness.max_short_term().map(round2),
            sample_peak_dbfs: db(f64::from(peak)).map(round2),
            true_peak_dbtp: db(f64::from(true_peak)).map(round2),
            true_peak_oversampling: tp_factor,
            clipping: self.clipping,
            silence_threshold_dbfs: self.silence_threshold_dbfs,
            leading_silence_ms: leading,
            trailing_silence_ms: trailing,
            channel_stats,
            stereo,
            spectrum,
            wav: None,
            immersive,
            md5: String::new(),
            sha256: String::new(),
            waveform,
            findings,
        }
    }
}

fn record_run(clipping: &mut ClippingReport, channel: usize, length: u32, start: u64, rate: u32) {
    if length < 3 {
        return;
    }
    clipping.runs += 1;
    clipping.clipped_samples += u64::from(length);
    if clipping.first_runs.len() < 100 {
        clipping.first_runs.push(ClipRun {
            channel: channel as u32,
            position_ms: round2(start as f64 * 1000.0 / f64::from(rate.max(1))),
            length,
        });
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Minimum, maximum, sum and sum of squares of a run of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RunStats {
    min: f32,
    max: f32,
    sum: f64,
    sum_sq: f64,
}

/// [`RunStats`] in one pass, in lanes so that it vectorises (comparisons rather than
/// `f32::min`/`max`, whose NaN rules keep LLVM from using the vector instructions; a NaN
/// sample is skipped either way).
fn stats(x: &[f32]) -> RunStats {
    const L: usize = 4;
    let mut lo = [f32::INFINITY; L];
    let mut hi = [f32::NEG_INFINITY; L];
    let mut s = [0f64; L];
    let mut q = [0f64; L];
    let chunks = x.chunks_exact(L);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..L {
            let v = c[k];
            lo[k] = if v < lo[k] { v } else { lo[k] };
            hi[k] = if v > hi[k] { v } else { hi[k] };
            let v = f64::from(v);
            s[k] += v;
            q[k] += v * v;
        }
    }
    let mut out = RunStats {
        min: lo.iter().fold(f32::INFINITY, |a, b| a.min(*b)),
        max: hi.iter().fold(f32::NEG_INFINITY, |a, b| a.max(*b)),
        sum: s.iter().sum(),
        sum_sq: q.iter().sum(),
    };
    for v in rest {
        out.min = out.min.min(*v);
        out.max = out.max.max(*v);
        out.sum += f64::from(*v);
        out.sum_sq += f64::from(*v) * f64::from(*v);
    }
    out
}
