//! True peak per ITU-R BS.1770-4 Annex 2: oversample to an effective rate of at least
//! 176.4 kHz (4× at 44.1/48 kHz, 2× at 88.2/96 kHz, none at 176.4 kHz and above) with a
//! polyphase windowed-sinc interpolator and take the largest absolute value. The Annex asks for
//! 4× at 48 kHz, i.e. a 192 kHz grid; oversampling a 96 kHz file 4× as well would double the
//! costliest part of the analysis for no gain in accuracy (ffmpeg's ebur128 also resamples to
//! 192 kHz). The interpolator is longer than the Annex's 48-tap example (24 taps per phase), so
//! its pass band reaches ~0.42 fs with < 0.05 dB ripple.
//!
//! Work is skipped, exactly, for stretches whose samples are too small to beat the peak found
//! so far: an interpolated value never exceeds the local sample maximum times the largest
//! L1 norm of a phase.

const TAPS_PER_PHASE: usize = 24;
const SUB_BLOCK: usize = 256;

#[derive(Debug)]
pub(crate) struct TruePeak {
    factor: usize,
    /// Per phase, coefficients reversed so that y_p[n] = Σ_j g_p[j] · buf[n + j].
    phases: Vec<[f32; TAPS_PER_PHASE]>,
    l1_max: f32,
    history: Vec<Vec<f32>>,
    peaks: Vec<f32>,
    work: Vec<f32>,
    out: Vec<f32>,
}

/// The smallest factor (4, 2 or 1) that puts the interpolated grid at ≥ 176.4 kHz.
pub(crate) fn oversampling_for(sample_rate: u32) -> usize {
    match sample_rate {
        0..88_200 => 4,
        88_200..176_400 => 2,
        _ => 1,
    }
}

fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-12 * sum {
        term *= (x / (2.0 * k)).powi(2);
        sum += term;
        k += 1.0;
    }
    sum
}

impl TruePeak {
    pub(crate) fn new(sample_rate: u32, channels: usize) -> TruePeak {
        let factor = oversampling_for(sample_rate);
        let n = factor * TAPS_PER_PHASE;
        let beta = 7.0;
        // Centre on a tap that is a multiple of the factor, so phase 0 reproduces the samples and
        // the others fall on 1/4, 1/2, 3/4 of a sample (the tap after the last is a window zero).
        let centre = (n / 2) as f64;
        let cutoff = 0.5 / factor as f64; // cycles per output sample
        let h: Vec<f64> = (0..n)
            .map(|i| {
                let t = i as f64 - centre;
                let arg = 2.0 * cutoff * t;
                let sinc = if arg.abs() < 1e-12 {
                    1.0
                } else {
                    (std::f64::consts::PI * arg).sin() / (std::f64::consts::PI * arg)
                };
                let r = t / centre;
                let w = bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / bessel_i0(beta);
                2.0 * cutoff * sinc * w * factor as f64
            })
            .collect();
        let mut phases = Vec::with_capacity(factor);
        for p in 0..factor {
            let mut g = [0f32; TAPS_PER_PHASE];
            // Normalise every phase to unity DC gain.
            let sum: f64 = (0..TAPS_PER_PHASE).map(|k| h[k * factor + p]).sum();
            for (j, gj) in g.iter_mut().enumerate() {
                *gj = (h[(TAPS_PER_PHASE - 1 - j) * factor + p] / sum) as f32;
            }
            phases.push(g);
        }
        let l1_max = phases.iter().map(|g| g.iter().map(|v| v.abs()).sum::<f32>()).fold(1.0f32, f32::max);
        TruePeak {
            factor,
            phases,
            l1_max: l1_max * 1.0001,
            history: vec![vec![0.0; TAPS_PER_PHASE - 1]; channels],
            peaks: vec![0.0; channels],
            work: Vec::new(),
            out: vec![0.0; SUB_BLOCK],
        }
    }

    pub(crate) fn factor(&self) -> usize {
        self.factor
    }

    /// Feeds one block of one channel.
    pub(crate) fn process(&mut self, channel: usize, x: &[f32]) {
        let mut peak = self.peaks[channel];
        if self.factor == 1 {
            self.peaks[channel] = x.iter().fold(peak, |m, v| m.max(v.abs()));
            return;
        }
        self.work.clear();
        self.work.extend_from_slice(&self.history[channel]);
        self.work.extend_from_slice(x);
        let buf = &self.work;
        let total = x.len();
        let mut start = 0;
        while start < total {
            let len = SUB_BLOCK.min(total - start);
            let window = &buf[start..start + len + TAPS_PER_PHASE - 1];
            let local = max_abs(window);
            if local * self.l1_max > peak {
                // Phase 0 is a unit impulse (the filter is centred on a tap that is a multiple
                // of the factor): it reproduces the samples, whose peak is `local` already.
                peak = peak.max(local);
                for g in &self.phases[1..] {
                    peak = peak.max(phase_peak(g, window, len, &mut self.out));
                }
            }
            start += len;
        }
        self.peaks[channel] = peak;
        let keep = TAPS_PER_PHASE - 1;
        let hist = &mut self.history[channel];
        hist.clear();
        hist.extend_from_slice(&self.work[self.work.len() - keep..]);
    }

    /// Flushes the filter tails and returns the per-channel true peaks (linear).
    pub(crate) fn finish(mut self) -> Vec<f32> {
        if self.factor > 1 {
            let zeros = vec![0.0f32; TAPS_PER_PHASE];
            for c in 0..self.peaks.len() {
                self.process(c, &zeros);
            }
        }
        self.peaks
    }
}

/// A [`TruePeak`] meter on its own thread: the interpolation is the costliest part of the
/// analysis, so it runs beside the rest. Blocks go through a bounded channel (memory stays
/// bounded); if the thread cannot be started the meter runs inline.
pub(crate) struct TruePeakWorker {
    factor: usize,
    tx: Option<std::sync::mpsc::SyncSender<std::sync::Arc<Vec<Vec<f32>>>>>,
    handle: Option<std::thread::JoinHandle<Vec<f32>>>,
    inline: Option<TruePeak>,
}

impl TruePeakWorker {
    pub(crate) fn new(sample_rate: u32, channels: usize) -> TruePeakWorker {
        let mut meter = TruePeak::new(sample_rate, channels);
        let factor = meter.factor();
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::sync::Arc<Vec<Vec<f32>>>>(4);
        let spawned = std::thread::Builder::new().name("catno-truepeak".to_owned()).spawn(move || {
            for planes in rx {
                for (c, p) in planes.iter().enumerate() {
                    meter.process(c, p);
                }
            }
            meter.finish()
        });
        match spawned {
            Ok(handle) => TruePeakWorker { factor, tx: Some(tx), handle: Some(handle), inline: None },
            Err(_) => TruePeakWorker {
                factor,
                tx: None,
                handle: None,
                inline: Some(TruePeak::new(sample_rate, channels)),
            },
        }
    }

    pub(crate) fn factor(&self) -> usize {
        self.factor
    }

    /// Feeds one block of planes; shared, not copied, with the analysis that sends them.
    pub(crate) fn process(&mut self, planes: &std::sync::Arc<Vec<Vec<f32>>>) {
        if let Some(meter) = self.inline.as_mut() {
            for (c, p) in planes.iter().enumerate() {
                meter.process(c, p);
            }
        } else if let Some(tx) = &self.tx
            && tx.send(std::sync::Arc::clone(planes)).is_err()
        {
            self.tx = None;
        }
    }

    /// Per-channel true peaks; `None` if the worker died.
    pub(crate) fn finish(mut self) -> Option<Vec<f32>> {
        if let Some(meter) = self.inline.take() {
            return Some(meter.finish());
        }
        drop(self.tx.take());
        self.handle.take().and_then(|h| h.join().ok())
    }
}

/// Outputs computed together, their sums kept in registers across all taps (the straight
/// axpy form reloads and stores every output once per tap, which cost twice as much). 32
/// outputs are eight SSE registers of independent sums: enough chains in flight that the
/// loop is bound by the adder's throughput rather than its latency (16 were half as fast).
const LANES: usize = 32;

/// The largest |y[n]| of one phase over `len` outputs, y[n] = Σ_j g[j] · window[n + j].
fn phase_peak(g: &[f32; TAPS_PER_PHASE], window: &[f32], len: usize, out: &mut [f32]) -> f32 {
    let mut peak = [0f32; LANES];
    let mut n = 0;
    while n + LANES <= len {
        let Some(span) = window.get(n..n + LANES + TAPS_PER_PHASE - 1) else { break };
        let mut acc = [0f32; LANES];
        for (j, gj) in g.iter().enumerate() {
            let src: &[f32; LANES] = match span[j..j + LANES].try_into() {
                Ok(src) => src,
                Err(_) => continue,
            };
            for (a, s) in acc.iter_mut().zip(src) {
                *a += gj * s;
            }
        }
        for (p, a) in peak.iter_mut().zip(&acc) {
            *p = p.max(a.abs());
        }
        n += LANES;
    }
    let peak = peak.iter().fold(0f32, |m, v| m.max(*v));
    // The tail of a block (fewer than LANES outputs).
    let rest = &mut out[..len - n];
    rest.fill(0.0);
    for (j, gj) in g.iter().enumerate() {
        for (o, s) in rest.iter_mut().zip(&window[n + j..]) {
            *o += gj * s;
        }
    }
    peak.max(max_abs(rest))
}

/// Largest absolute value, in lanes so that it vectorises.
pub(crate) fn max_abs(x: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let chunks = x.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (l, v) in lanes.iter_mut().zip(c) {
            *l = l.max(v.abs());
        }
    }
    let m = lanes.iter().fold(0f32, |a, b| a.max(*b));
    rest.iter().fold(m, |a, v| a.max(v.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn true_peak_of(rate: u32, hz: f64, phase_deg: f64, amp: f64) -> (f32, f32) {
        // Faded in and out: an abrupt start rings (legitimately) above the sine's peak.
        let fade = f64::from(rate) / 100.0;
        let x: Vec<f32> = (0..rate)
            .map(|n| {
                let env = (f64::from(n) / fade).min(f64::from(rate - n) / fade).min(1.0);
                (env * amp
                    * (2.0 * std::f64::consts::PI * hz * f64::from(n) / f64::from(rate)
                        + phase_deg.to_radians())
                    .sin()) as f32
            })
            .collect();
        let mut tp = TruePeak::new(rate, 1);
        for c in x.chunks(3000) {
            tp.process(0, c);
        }
        (max_abs(&x), tp.finish()[0])
    }

    #[test]
    fn quarter_rate_sine_at_45_degrees_reads_its_analytic_peak() {
        for rate in [44_100, 48_000, 96_000] {
            let (sample, tp) = true_peak_of(rate, f64::from(rate) / 4.0, 45.0, 0.5);
            let gap = 20.0 * (tp / sample).log10();
            assert!((gap - 3.01).abs() < 0.1, "{rate}: gap {gap}");
            assert!((20.0 * (tp / 0.5).log10()).abs() < 0.1, "{rate}: {tp}");
        }
    }

    #[test]
    fn the_factor_follows_the_sample_rate() {
        let factors: Vec<usize> =
            [44_100, 48_000, 88_200, 96_000, 176_400, 192_000].map(oversampling_for).to_vec();
        assert_eq!(factors, [4, 4, 2, 2, 1, 1]);
    }

    /// At 96 kHz (2×) every audible sine, at phases that put the samples far from its peak,
    /// reads its analytic amplitude within ±0.5 dB and never below its sample peak.
    #[test]
    fn at_96_khz_two_times_oversampling_finds_inter_sample_peaks() {
        for hz in [997.0, 8_000.0, 12_000.0, 16_000.0, 19_200.0, 24_000.0] {
            for phase in [0.0, 15.0, 30.0, 45.0, 60.0, 90.0] {
                let (sample, tp) = true_peak_of(96_000, hz, phase, 0.5);
                let err = 20.0 * (tp / 0.5).log10();
                assert!(err.abs() <= 0.5, "{hz} Hz at {phase}°: {err:.3} dB");
                assert!(tp >= sample, "{hz} Hz at {phase}°: {tp} under the sample peak {sample}");
            }
        }
        // A sine at a sixth of the rate sampled ±30° off its crests: the samples read
        // 1.25 dB low, the meter within 0.5 dB.
        let (sample, tp) = true_peak_of(96_000, 16_000.0, 60.0, 0.5);
        assert!(20.0 * (sample / 0.5).log10() < -1.2, "{sample}");
        assert!((20.0 * (tp / 0.5).log10()).abs() < 0.5, "{tp}");
    }

    #[test]
    fn pass_band_is_flat_to_18_khz() {
        for hz in [1000.0, 5000.0, 10_000.0, 15_000.0, 18_000.0] {
            let (_, tp) = true_peak_of(44_100, hz, 10.0, 0.5);
            let err = 20.0 * (tp / 0.5).log10();
            assert!(err.abs() < 0.1, "{hz} Hz: {err} dB");
        }
    }
}
