//! Averaged power spectrum of the mono mix and detection of a steep high-frequency cut-off:
//! the brick wall that MP3/AAC/Vorbis encoders leave at 15–20 kHz, which survives decoding
//! to WAV/FLAC ("transcoded from lossy"), or the one a 44.1/48 kHz source leaves in a
//! 96/192 kHz file ("upsampled").

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};
use serde::{Deserialize, Serialize};

/// What the spectrum says about the file's origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpectrumReport {
    /// Frequency above which the energy falls away steeply, if such a wall was found.
    pub cutoff_hz: Option<f64>,
    /// How far the level drops across the wall (dB).
    pub cutoff_drop_db: Option<f64>,
    /// A wall below 19.8 kHz: typical of a lossy encoder.
    pub likely_lossy_origin: bool,
    /// A wall near 20–24 kHz in a file of 88.2 kHz or more: typical of upsampling.
    pub likely_upsampled: bool,
    /// Analysed windows (silent ones are skipped).
    pub windows: u32,
}

pub(crate) struct SpectrumAnalyzer {
    sample_rate: u32,
    size: usize,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    fill: Vec<f32>,
    input: Vec<f32>,
    output: Vec<realfft::num_complex::Complex<f32>>,
    scratch: Vec<realfft::num_complex::Complex<f32>>,
    power: Vec<f64>,
    windows: u32,
}

const MIN_WINDOW_RMS: f32 = 3.2e-4; // −70 dBFS
/// A wall below this is an encoder's low-pass (MP3 128–256k: 16–19.5 kHz, AAC 128k: ~17 kHz,
/// Vorbis q4: ~19.5 kHz); ADC anti-alias filters and MP3 320k sit at 20 kHz and above.
const LOSSY_BELOW_HZ: f64 = 19_800.0;

impl SpectrumAnalyzer {
    pub(crate) fn new(sample_rate: u32) -> SpectrumAnalyzer {
        let size = match sample_rate {
            0..=50_000 => 4096,
            50_001..=100_000 => 8192,
            _ => 16384,
        };
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(size);
        let window = (0..size)
            .map(|i| (0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / size as f64).cos()) as f32)
            .collect();
        SpectrumAnalyzer {
            sample_rate,
            size,
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
            fill: Vec::with_capacity(size),
            power: vec![0.0; size / 2 + 1],
            windows: 0,
        }
    }

    /// Feeds mono samples.
    pub(crate) fn process(&mut self, mut x: &[f32]) {
        while !x.is_empty() {
            let take = (self.size - self.fill.len()).min(x.len());
            self.fill.extend_from_slice(&x[..take]);
            x = &x[take..];
            if self.fill.len() == self.size {
                self.analyse_window();
                self.fill.clear();
            }
        }
    }

    fn analyse_window(&mut self) {
        // In lanes: a single running sum is one dependent add per sample.
        let mut lanes = [0f32; 8];
        for c in self.fill.chunks_exact(8) {
            for (l, v) in lanes.iter_mut().zip(c) {
                *l += v * v;
            }
        }
        let energy: f32 = lanes.iter().sum::<f32>()
            + self.fill.chunks_exact(8).remainder().iter().map(|v| v * v).sum::<f32>();
        if (energy / self.size as f32).sqrt() < MIN_WINDOW_RMS {
            return;
        }
        for ((i, s), w) in self.input.iter_mut().zip(&self.fill).zip(&self.window) {
            *i = s * w;
        }
        if self.fft.process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch).is_err() {
            return;
        }
        for (p, c) in self.power.iter_mut().zip(&self.output) {
            *p += f64::from(c.norm_sqr());
        }
        self.windows += 1;
    }

    pub(crate) fn finish(self) -> SpectrumReport {
        let none = SpectrumReport {
            cutoff_hz: None,
            cutoff_drop_db: None,
            likely_lossy_origin: false,
            likely_upsampled: false,
            windows: self.windows,
        };
        if self.windows < 4 {
            return none;
        }
        let bin_hz = f64::from(self.sample_rate) / self.size as f64;
        let nyquist = f64::from(self.sample_rate) / 2.0;
        // Prefix sums for band means.
        let mut prefix = Vec::with_capacity(self.power.len() + 1);
        prefix.push(0.0);
        for p in &self.power {
            prefix.push(prefix.last().copied().unwrap_or(0.0) + p / f64::from(self.windows));
        }
        let bin = |hz: f64| ((hz / bin_hz).round() as usize).min(self.power.len());
        let band_db = |lo: f64, hi: f64| {
            let (a, b) = (bin(lo), bin(hi));
            if b <= a {
                return f64::NEG_INFINITY;
            }
            let mean = (prefix[b] - prefix[a]) / (b - a) as f64;
            10.0 * mean.max(1e-30).log10()
        };
        let (width, gap) = (500.0, 300.0);
        let top = nyquist * 0.985;
        let loudest = (0..)
            .map(|i| 20.0 + f64::from(i) * width)
            .take_while(|f| f + width <= top)
            .map(|f| band_db(f, f + width))
            .fold(f64::NEG_INFINITY, f64::max);
        let mut best: Option<(f64, f64)> = None;
        let mut f = 10_000.0f64.min(nyquist * 0.5);
        while f + gap + width <= top {
            let score = band_db(f - width, f) - band_db(f + gap, f + gap + width);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((f, score));
            }
            f += bin_hz;
        }
        let Some((edge, drop)) = best else { return none };
        let below = band_db(edge - width, edge);
        // Nothing may come back above the wall.
        let mut rest_max = f64::NEG_INFINITY;
        let mut g = edge + gap;
        while g + 250.0 <= top {
            rest_max = rest_max.max(band_db(g, g + 250.0));
            g += 250.0;
        }
        let is_wall = drop >= 25.0 && below >= loudest - 70.0 && rest_max <= below - 20.0;
        if !is_wall {
            return none;
        }
        let cutoff = edge + gap / 2.0;
        SpectrumReport {
            cutoff_hz: Some((cutoff / 10.0).round() * 10.0),
            cutoff_drop_db: Some((drop * 10.0).round() / 10.0),
            likely_lossy_origin: cutoff < LOSSY_BELOW_HZ,
            likely_upsampled: self.sample_rate >= 88_200 && (LOSSY_BELOW_HZ..=24_500.0).contains(&cutoff),
            windows: self.windows,
        }
    }
}
