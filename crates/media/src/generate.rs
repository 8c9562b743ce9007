//! Generated media for the demo catalog and for tests: short tones and cover art, so no
//! fixture is ever downloaded.

use std::f64::consts::PI;
use std::io::{BufWriter, Write};
use std::path::Path;

use image::{Rgb, RgbImage};

use crate::MediaError;

/// A stereo 16-bit PCM WAV of a chord (`frequencies` in Hz) with short fades, at `peak_dbfs`.
pub fn write_tone_wav(
    path: &Path,
    frequencies: &[f64],
    seconds: f64,
    sample_rate: u32,
    peak_dbfs: f64,
) -> Result<(), MediaError> {
    let io = |source| MediaError::Io { path: path.to_owned(), source };
    let frames = (seconds * f64::from(sample_rate)).round() as u32;
    let channels: u16 = 2;
    let data_len = frames * u32::from(channels) * 2;
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = BufWriter::new(file);
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data_len).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes()); // PCM
    header.extend_from_slice(&channels.to_le_bytes());
    header.extend_from_slice(&sample_rate.to_le_bytes());
    header.extend_from_slice(&(sample_rate * u32::from(channels) * 2).to_le_bytes());
    header.extend_from_slice(&(channels * 2).to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_len.to_le_bytes());
    out.write_all(&header).map_err(io)?;

    let amplitude = 10f64.powf(peak_dbfs / 20.0) / frequencies.len().max(1) as f64;
    let fade = (0.02 * f64::from(sample_rate)).max(1.0);
    let mut samples = Vec::with_capacity(frames as usize * 4);
    for n in 0..frames {
        let t = f64::from(n) / f64::from(sample_rate);
        let envelope = (f64::from(n) / fade).min(f64::from(frames - n) / fade).min(1.0);
        let value: f64 = frequencies.iter().map(|f| (2.0 * PI * f * t).sin()).sum::<f64>();
        let sample = (value * amplitude * envelope * f64::from(i16::MAX)).round() as i16;
        samples.extend_from_slice(&sample.to_le_bytes());
        samples.extend_from_slice(&sample.to_le_bytes());
    }
    out.write_all(&samples).map_err(io)?;
    out.flush().map_err(io)
}

/// How samples are stored in a WAV written by [`write_wav`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    Int16,
    Int24,
    Int32,
    Float32,
}

impl SampleFormat {
    pub fn bits(self) -> u16 {
        match self {
            SampleFormat::Int16 => 16,
            SampleFormat::Int24 => 24,
            SampleFormat::Int32 | SampleFormat::Float32 => 32,
        }
    }
}

/// The layout of a WAV written by [`write_wav`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavSpec {
    pub sample_rate: u32,
    pub channels: u16,
    pub format: SampleFormat,
    /// Write a `WAVE_FORMAT_EXTENSIBLE` `fmt ` chunk.
    pub extensible: bool,
    /// Write an RF64 file (`RF64` + `ds64`) instead of RIFF.
    pub rf64: bool,
}

impl WavSpec {
    /// Plain PCM/float RIFF WAV.
    pub fn new(sample_rate: u32, channels: u16, format: SampleFormat) -> WavSpec {
        WavSpec { sample_rate, channels, format, extensible: false, rf64: false }
    }
}

/// Writes a WAV of `frames` frames, streaming: `sample(frame, channel)` gives each value in
/// [-1, 1] (full scale; integer formats clip outside it, float keeps it).
pub fn write_wav(
    path: &Path,
    spec: WavSpec,
    frames: u64,
    mut sample: impl FnMut(u64, u16) -> f64,
) -> Result<(), MediaError> {
    let io = MediaError::io(path);
    let bytes_per_sample = u64::from(spec.format.bits() / 8);
    let block_align = u64::from(spec.channels) * bytes_per_sample;
    let data_len = frames * block_align;
    let float = spec.format == SampleFormat::Float32;
    let mut fmt = Vec::with_capacity(40);
    let tag: u16 = if spec.extensible {
        0xFFFE
    } else if float {
        3
    } else {
        1
    };
    fmt.extend_from_slice(&tag.to_le_bytes());
    fmt.extend_from_slice(&spec.channels.to_le_bytes());
    fmt.extend_from_slice(&spec.sample_rate.to_le_bytes());
    fmt.extend_from_slice(&((u64::from(spec.sample_rate) * block_align) as u32).to_le_bytes());
    fmt.extend_from_slice(&(block_align as u16).to_le_bytes());
    fmt.extend_from_slice(&spec.format.bits().to_le_bytes());
    if spec.extensible {
        fmt.extend_from_slice(&22u16.to_le_bytes());
        fmt.extend_from_slice(&spec.format.bits().to_le_bytes()); // valid bits
        let mask: u32 = if spec.channels == 2 { 3 } else { 0 };
        fmt.extend_from_slice(&mask.to_le_bytes());
        let sub: u16 = if float { 3 } else { 1 };
        fmt.extend_from_slice(&sub.to_le_bytes());
        fmt.extend_from_slice(&[
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
        ]);
    }
    let mut header = Vec::with_capacity(96);
    if spec.rf64 {
        header.extend_from_slice(b"RF64");
        header.extend_from_slice(&u32::MAX.to_le_bytes());
        header.extend_from_slice(b"WAVEds64");
        header.extend_from_slice(&28u32.to_le_bytes());
        let riff_size = 4 + 36 + 8 + fmt.len() as u64 + 8 + data_len;
        header.extend_from_slice(&riff_size.to_le_bytes());
        header.extend_from_slice(&data_len.to_le_bytes());
        header.extend_from_slice(&frames.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes()); // no table
    } else {
        header.extend_from_slice(b"RIFF");
        let riff_size = 4 + 8 + fmt.len() as u64 + 8 + data_len;
        header.extend_from_slice(&(riff_size as u32).to_le_bytes());
        header.extend_from_slice(b"WAVE");
    }
    header.extend_from_slice(b"fmt ");
    header.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    header.extend_from_slice(&fmt);
    header.extend_from_slice(b"data");
    let declared = if spec.rf64 { u32::MAX } else { data_len as u32 };
    header.extend_from_slice(&declared.to_le_bytes());
    let file = std::fs::File::create(path).map_err(&io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(&header).map_err(&io)?;
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    for n in 0..frames {
        for c in 0..spec.channels {
            let x = sample(n, c);
            match spec.format {
                SampleFormat::Int16 => {
                    let v = (x * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
                    buf.extend_from_slice(&v.to_le_bytes());
                }
                SampleFormat::Int24 => {
                    let v = (x * 8_388_608.0).round().clamp(-8_388_608.0, 8_388_607.0) as i32;
                    buf.extend_from_slice(&v.to_le_bytes()[..3]);
                }
                SampleFormat::Int32 => {
                    let v = (x * 2_147_483_648.0).round().clamp(-2_147_483_648.0, 2_147_483_647.0) as i32;
                    buf.extend_from_slice(&v.to_le_bytes());
                }
                SampleFormat::Float32 => buf.extend_from_slice(&(x as f32).to_le_bytes()),
            }
        }
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf).map_err(&io)?;
            buf.clear();
        }
    }
    out.write_all(&buf).map_err(&io)?;
    out.flush().map_err(&io)
}

/// A sine of `hz` at `dbfs` (peak amplitude relative to full scale) starting at `phase_deg`,
/// the same on every channel.
pub fn write_sine_wav(
    path: &Path,
    spec: WavSpec,
    seconds: f64,
    hz: f64,
    dbfs: f64,
    phase_deg: f64,
) -> Result<(), MediaError> {
    let amplitude = 10f64.powf(dbfs / 20.0);
    let rate = f64::from(spec.sample_rate);
    let phase = phase_deg.to_radians();
    let frames = (seconds * rate).round() as u64;
    write_wav(path, spec, frames, |n, _| amplitude * (2.0 * PI * hz * n as f64 / rate + phase).sin())
}

/// Uniform white noise with peak `dbfs`, independent on every channel.
pub fn write_noise_wav(
    path: &Path,
    spec: WavSpec,
    seconds: f64,
    dbfs: f64,
    seed: u64,
) -> Result<(), MediaError> {
    let amplitude = 10f64.powf(dbfs / 20.0);
    let frames = (seconds * f64::from(spec.sample_rate)).round() as u64;
    let mut noise = Noise::new(seed);
    write_wav(path, spec, frames, |_, _| amplitude * noise.next_sample())
}

/// A small deterministic uniform noise source (xorshift64*), values in [-1, 1).
#[derive(Debug, Clone)]
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_sample(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (v as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

/// Square cover art: a diagonal gradient between two colours with concentric rings, so
/// every release of the demo looks different. Written as PNG.
pub fn write_cover_png(path: &Path, size: u32, from: [u8; 3], to: [u8; 3]) -> Result<(), MediaError> {
    let mut img = RgbImage::new(size, size);
    let centre = f64::from(size) / 2.0;
    let span = f64::from(2 * size.max(1));
    for (x, y, pixel) in img.enumerate_pixels_mut() {
        let t = f64::from(x + y) / span;
        let d = ((f64::from(x) - centre).powi(2) + (f64::from(y) - centre).powi(2)).sqrt();
        let ring = if ((d / f64::from(size.max(1)) * 12.0) as u32).is_multiple_of(2) { 1.0 } else { 0.82 };
        let mix = |a: u8, b: u8| ((f64::from(a) * (1.0 - t) + f64::from(b) * t) * ring) as u8;
        *pixel = Rgb([mix(from[0], to[0]), mix(from[1], to[1]), mix(from[2], to[2])]);
    }
    img.save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| MediaError::Encode { path: path.to_owned(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tone_wav_has_a_valid_header_and_the_requested_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        write_tone_wav(&path, &[440.0], 0.5, 44_100, -6.0).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WAVE");
        let data_len = u32::from_le_bytes(bytes[40..44].try_into().unwrap());
        assert_eq!(data_len, 22_050 * 4);
        assert_eq!(bytes.len(), 44 + data_len as usize);
        let peak = bytes[44..]
            .chunks_exact(2)
            .map(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs())
            .max()
            .unwrap();
        let peak_db = 20.0 * (f64::from(peak) / f64::from(i16::MAX)).log10();
        assert!((peak_db + 6.0).abs() < 0.1, "peak {peak_db} dBFS");
    }

    #[test]
    fn cover_is_a_square_png_of_the_requested_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.png");
        write_cover_png(&path, 64, [200, 40, 40], [20, 20, 90]).unwrap();
        let img = image::open(&path).unwrap();
        assert_eq!((img.width(), img.height()), (64, 64));
        let (hash, size) = crate::hash_file(&path).unwrap();
        assert_eq!(hash.len(), 64);
        assert_eq!(size, std::fs::metadata(&path).unwrap().len());
    }
}
