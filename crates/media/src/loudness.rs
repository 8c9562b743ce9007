//! Loudness per ITU-R BS.1770-4 / EBU R128 (integrated, gated) and EBU Tech 3342 (loudness
//! range). The K-weighting filter is derived for the actual sample rate (bilinear transform of
//! the analogue prototype, as libebur128 does), so 44.1, 88.2, 96 and 192 kHz are all exact.
//!
//! Streaming: per 100 ms segment only the K-weighted energy sum and its sample count are kept
//! (36 000 pairs for an hour), and 400 ms / 3 s blocks are assembled from them at the end.

/// One biquad section, transposed direct form II, f64 state.
#[derive(Debug, Clone, Copy)]
struct Biquad {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
}

/// Per-channel K-weighting: high shelf (head effect) then high pass (RLB), both in direct
/// form I. State: the shelf's last two inputs and outputs, and the high pass's last two outputs
/// (its inputs are the shelf's outputs).
#[derive(Debug, Clone, Copy)]
struct KWeighting {
    shelf: Biquad,
    highpass: Biquad,
    s: [f64; 6],
}

impl KWeighting {
    fn new(sample_rate: f64) -> KWeighting {
        // Stage 1: high shelf, parameters from libebur128 (which reproduce the 48 kHz table of
        // BS.1770-4 to 1e-10).
        let f0 = 1_681.974_450_955_533;
        let gain_db = 3.999_843_853_973_347;
        let q = 0.707_175_236_955_419_6;
        let k = (std::f64::consts::PI * f0 / sample_rate).tan();
        let vh = 10f64.powf(gain_db / 20.0);
        let vb = vh.powf(0.499_666_774_154_541_6);
        let a0 = 1.0 + k / q + k * k;
        let shelf = Biquad {
            b0: (vh + vb * k / q + k * k) / a0,
            b1: 2.0 * (k * k - vh) / a0,
            b2: (vh - vb * k / q + k * k) / a0,
            a1: 2.0 * (k * k - 1.0) / a0,
            a2: (1.0 - k / q + k * k) / a0,
        };
        // Stage 2: high pass.
        let f0 = 38.135_470_876_024_44;
        let q = 0.500_327_037_323_877_3;
        let k = (std::f64::consts::PI * f0 / sample_rate).tan();
        let a0 = 1.0 + k / q + k * k;
        let highpass = Biquad {
            b0: 1.0,
            b1: -2.0,
            b2: 1.0,
            a1: 2.0 * (k * k - 1.0) / a0,
            a2: (1.0 - k / q + k * k) / a0,
        };
        KWeighting { shelf, highpass, s: [0.0; 6] }
    }

    /// One sample through both sections. Direct form I, with the feedback term of the last
    /// output added last: the loop-carried dependency is one multiply and one add per section
    /// (transposed form II chains three operations), which is what bounds this loop.
    #[inline(always)]
    fn step(&self, s: &mut [f64; 6], x: f64) -> f64 {
        let (h, p) = (&self.shelf, &self.highpass);
        let [x1, x2, y1, y2, z1, z2] = *s;
        let y = (h.b0 * x + h.b1 * x1 + h.b2 * x2 - h.a2 * y2) - h.a1 * y1;
        let z = (p.b0 * y + p.b1 * y1 + p.b2 * y2 - p.a2 * z2) - p.a1 * z1;
        *s = [x, x1, y, y1, z, z1];
        z
    }

    /// Flushes denormal-bound state after long silences.
    fn flush(s: &mut [f64; 6]) {
        for v in s.iter_mut() {
            if v.abs() < 1e-30 {
                *v = 0.0;
            }
        }
    }

    /// Filters `x` and returns the sum of the squared outputs.
    fn energy(&mut self, x: &[f32]) -> f64 {
        let mut s = self.s;
        let mut e = 0.0;
        for xi in x {
            let y = self.step(&mut s, f64::from(*xi));
            e += y * y;
        }
        Self::flush(&mut s);
        self.s = s;
        e
    }

    /// Two channels in one loop: two independent recursions keep the FPU busy.
    fn energy_pair(a: &mut KWeighting, b: &mut KWeighting, xa: &[f32], xb: &[f32]) -> (f64, f64) {
        let (mut sa, mut sb) = (a.s, b.s);
        let (mut ea, mut eb) = (0.0, 0.0);
        for (va, vb) in xa.iter().zip(xb) {
            let ya = a.step(&mut sa, f64::from(*va));
            let yb = b.step(&mut sb, f64::from(*vb));
            ea += ya * ya;
            eb += yb * yb;
        }
        Self::flush(&mut sa);
        Self::flush(&mut sb);
        a.s = sa;
        b.s = sb;
        (ea, eb)
    }
}

/// Streaming loudness meter.
#[derive(Debug)]
pub(crate) struct LoudnessMeter {
    sample_rate: u64,
    filters: Vec<KWeighting>,
    weights: Vec<f64>,
    /// Frames seen so far.
    frame: u64,
    /// Index of the segment being filled.
    segment: u64,
    segment_end: u64,
    current: (f64, u32),
    /// (energy sum over the segment, frames in it) for each complete 100 ms segment.
    segments: Vec<(f64, u32)>,
}

impl LoudnessMeter {
    pub(crate) fn new(sample_rate: u32, channels: usize) -> LoudnessMeter {
        let weights = (0..channels)
            .map(|c| match (channels, c) {
                // BS.1770 weights for the 5.1 order L R C LFE Ls Rs: LFE excluded, surrounds +1.5 dB.
                (6.., 3) => 0.0,
                (6.., 4 | 5) => 1.41,
                _ => 1.0,
            })
            .collect();
        let sample_rate = u64::from(sample_rate.max(1));
        LoudnessMeter {
            sample_rate,
            filters: vec![KWeighting::new(sample_rate as f64); channels],
            weights,
            frame: 0,
            segment: 0,
            segment_end: Self::end_of(0, sample_rate),
            current: (0.0, 0),
            segments: Vec::new(),
        }
    }

    fn end_of(segment: u64, sample_rate: u64) -> u64 {
        ((segment + 1) * sample_rate).div_ceil(10)
    }

    /// Feeds one block of deinterleaved channels, all of the same length. Filtering and the
    /// energy sums go together, one 100 ms segment (or the part of it in this block) at a time.
    pub(crate) fn process(&mut self, channels: &[&[f32]]) {
        let frames = channels.first().map_or(0, |c| c.len());
        let mut i = 0usize;
        while i < frames {
            let room = (self.segment_end - self.frame) as usize;
            let take = room.min(frames - i);
            let mut sum = 0.0;
            let mut c = 0;
            while c < channels.len() {
                let xa = &channels[c][i..i + take];
                if c + 1 < channels.len() {
                    let (left, right) = self.filters.split_at_mut(c + 1);
                    let xb = &channels[c + 1][i..i + take];
                    let (ea, eb) = KWeighting::energy_pair(&mut left[c], &mut right[0], xa, xb);
                    sum += self.weights[c] * ea + self.weights[c + 1] * eb;
                    c += 2;
                } else {
                    sum += self.weights[c] * self.filters[c].energy(xa);
                    c += 1;
                }
            }
            self.current.0 += sum;
            self.current.1 += take as u32;
            self.frame += take as u64;
            i += take;
            if self.frame == self.segment_end {
                self.segments.push(self.current);
                self.current = (0.0, 0);
                self.segment += 1;
                self.segment_end = Self::end_of(self.segment, self.sample_rate);
            }
        }
    }

    /// Mean-square energies of the blocks made of `n` consecutive segments, stepping by one.
    fn blocks(&self, n: usize) -> Vec<f64> {
        if self.segments.len() < n {
            return Vec::new();
        }
        self.segments
            .windows(n)
            .map(|w| {
                let (sum, count) = w.iter().fold((0.0, 0u64), |(s, c), (e, k)| (s + e, c + u64::from(*k)));
                sum / count.max(1) as f64
            })
            .collect()
    }

    /// Integrated loudness in LUFS (gated, 400 ms blocks, 75 % overlap); `None` when shorter
    /// than one block or entirely below the absolute gate.
    pub(crate) fn integrated(&self) -> Option<f64> {
        let blocks: Vec<f64> = self.blocks(4).into_iter().filter(|z| lufs(*z) > -70.0).collect();
        if blocks.is_empty() {
            return None;
        }
        let relative = lufs(mean(&blocks)) - 10.0;
        let gated: Vec<f64> = blocks.into_iter().filter(|z| lufs(*z) > relative).collect();
        (!gated.is_empty()).then(|| lufs(mean(&gated)))
    }

    /// Loudness range in LU (EBU Tech 3342): 3 s windows every 100 ms, absolute gate −70 LUFS,
    /// relative gate −20 LU, spread between the 10th and 95th percentiles.
    pub(crate) fn range(&self) -> Option<f64> {
        let blocks: Vec<f64> = self.blocks(30).into_iter().filter(|z| lufs(*z) > -70.0).collect();
        if blocks.is_empty() {
            return None;
        }
        let relative = lufs(mean(&blocks)) - 20.0;
        let mut levels: Vec<f64> = blocks.into_iter().map(lufs).filter(|l| *l > relative).collect();
        if levels.is_empty() {
            return None;
        }
        levels.sort_by(f64::total_cmp);
        let at = |p: f64| levels[((levels.len() - 1) as f64 * p).round() as usize];
        Some(at(0.95) - at(0.10))
    }

    /// Highest short-term (3 s) and momentary (400 ms) loudness, LUFS.
    pub(crate) fn max_short_term(&self) -> Option<f64> {
        self.blocks(30).into_iter().map(lufs).max_by(f64::total_cmp).filter(|l| l.is_finite())
    }
    pub(crate) fn max_momentary(&self) -> Option<f64> {
        self.blocks(4).into_iter().map(lufs).max_by(f64::total_cmp).filter(|l| l.is_finite())
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

fn lufs(z: f64) -> f64 {
    if z > 0.0 { -0.691 + 10.0 * z.log10() } else { f64::NEG_INFINITY }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_weighting_matches_the_bs1770_table_at_48k() {
        let k = KWeighting::new(48_000.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-8;
        assert!(close(k.shelf.b0, 1.535_124_859_586_97));
        assert!(close(k.shelf.b1, -2.691_696_189_406_38));
        assert!(close(k.shelf.b2, 1.198_392_810_852_85));
        assert!(close(k.shelf.a1, -1.690_659_293_182_41));
        assert!(close(k.shelf.a2, 0.732_480_774_215_85));
        assert!(close(k.highpass.a1, -1.990_047_454_833_98));
        assert!(close(k.highpass.a2, 0.990_072_250_366_21));
    }

    #[test]
    fn full_scale_1k_sine_reads_about_minus_3_lufs_per_channel_pair() {
        for rate in [44_100u32, 48_000, 96_000, 192_000] {
            let mut m = LoudnessMeter::new(rate, 2);
            let x: Vec<f32> = (0..rate * 5)
                .map(|n| {
                    (2.0 * std::f64::consts::PI * 997.0 * f64::from(n) / f64::from(rate)).sin() as f32 * 0.1
                })
                .collect();
            for chunk in x.chunks(1000) {
                m.process(&[chunk, chunk]);
            }
            let l = m.integrated().expect("loud enough");
            // 0.1 = -20 dBFS; K-weighting at 997 Hz is ~ +0.69 dB, cancelling the -0.691 offset.
            assert!((l + 20.0).abs() < 0.05, "{rate}: {l}");
        }
    }
}
