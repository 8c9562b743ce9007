//! catno-media: facts read from, and test material written to, audio and artwork files.
//!
//! A leaf adapter: it knows files and formats, not releases or tracks.
//! Must never depend on: catno-domain, sqlx, tauri.
//!
//! - [`hash_file`], [`hash_file_md5_sha256`]: hashes and size, streaming.
//! - [`analyze_audio`]: one streaming pass (bounded memory) giving format facts, BS.1770-4
//!   integrated loudness and EBU Tech 3342 loudness range, sample and true peak, clipping runs,
//!   edge silence, per-channel level/DC offset, fake stereo, spectral cut-off (lossy origin,
//!   upsampling), MD5/SHA-256 and a waveform overview. WAV/RF64 are read by our own chunk walker;
//!   FLAC, AIFF, ALAC/AAC (MP4), CAF, MP3 and Ogg Vorbis through symphonia.
//! - [`inspect_artwork`], [`thumbnail`]: cover facts from the JPEG/PNG header (colour model, ICC,
//!   EXIF orientation, progressive), blur/upscale and border heuristics, decoding under limits.
//! - [`profiles()`], [`check_audio`], [`check_artwork`]: per-target rules (`profiles.json`) that
//!   turn a report into [`Finding`]s.
//!
//! Findings carry a stable `rule_id`. Intrinsic (in the reports): `AUD-WAV-*` (structure),
//! `AUD-TRUNCATED`, `AUD-EMPTY`, `AUD-DECODE`, `AUD-EXT`, `AUD-LOSSY`, `AUD-LOSSY-ORIGIN`, `AUD-UPSAMPLED`,
//! `AUD-CLIP`, `AUD-SILENT`, `AUD-SILENT-CHANNEL`, `AUD-MONO`, `AUD-PHASE`, `AUD-DC`,
//! `AUD-ATMOS`; `ART-FMT`, `ART-UNCHECKED`, `ART-EXT`, `ART-TRUNCATED`, `ART-DECODE`,
//! `ART-BOMB`, `ART-BLUR`, `ART-BORDER`, `ART-SOLID`. Per target (from the checks): `AUD-FMT`,
//! `AUD-SIZE`, `AUD-SPEC`, `AUD-FLOAT`, `AUD-DUR`, `AUD-SIL`, `AUD-TP`, `AUD-LUFS`; `ART-FMT`,
//! `ART-DIM`, `ART-CS`, `ART-ICC`, `ART-ORIENT`, `ART-SIZE`.

pub mod artwork;
pub mod audio;
mod finding;
pub mod generate;
mod loudness;
pub mod profiles;
mod riff;
mod spectrum;
mod truepeak;

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use artwork::{
    ArtworkReport, ColorType, inspect_artwork, inspect_artwork_with_thumbnail, thumbnail, write_thumbnail,
};
pub use audio::{AudioReport, analyze_audio};
pub use finding::{Finding, Severity};
pub use profiles::{Profile, check_artwork, check_audio, profile, profiles};
pub use spectrum::SpectrumReport;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot encode image: {message}")]
    Encode { path: PathBuf, message: String },
    /// The file is empty, or not of a format this crate reads.
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },
    /// The file claims a known format but cannot be read as one (truncated, damaged).
    #[error("{path}: cannot decode: {message}")]
    Corrupt { path: PathBuf, message: String },
}

impl MediaError {
    pub(crate) fn io(path: &Path) -> impl Fn(std::io::Error) -> MediaError + '_ {
        move |source| MediaError::Io { path: path.to_owned(), source }
    }
    pub(crate) fn unsupported(path: &Path, message: impl Into<String>) -> MediaError {
        MediaError::Unsupported { path: path.to_owned(), message: message.into() }
    }
    pub(crate) fn corrupt(path: &Path, message: impl Into<String>) -> MediaError {
        MediaError::Corrupt { path: path.to_owned(), message: message.into() }
    }
}

/// The SHA-256 (hex) and size in bytes of a file, read in streaming fashion.
pub fn hash_file(path: &Path) -> Result<(String, u64), MediaError> {
    let io = |source| MediaError::Io { path: path.to_owned(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// MD5 and SHA-256 (both hex) and the size of a file, in one streaming read.
pub fn hash_file_md5_sha256(path: &Path) -> Result<(String, String, u64), MediaError> {
    let io = MediaError::io(path);
    let mut file = std::fs::File::open(path).map_err(&io)?;
    let mut sha = Sha256::new();
    let mut md5 = md5::Md5::new();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        if n == 0 {
            break;
        }
        size += n as u64;
        sha.update(&buf[..n]);
        md5.update(&buf[..n]);
    }
    Ok((hex::encode(md5.finalize()), hex::encode(sha.finalize()), size))
}

/// A level in dBFS (or dBTP) from a linear amplitude; `None` for zero (minus infinity).
pub(crate) fn db(amplitude: f64) -> Option<f64> {
    (amplitude > 0.0).then(|| 20.0 * amplitude.log10())
}
