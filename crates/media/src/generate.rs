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
