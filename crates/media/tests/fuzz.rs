//! A bounded, seeded, coverage-free mutation fuzzer over both parser entries,
//! [`analyze_audio`] and [`inspect_artwork_with_thumbnail`], that runs on stable Rust in every
//! `cargo test` (the coverage-guided `cargo fuzz` targets in `fuzz/` need nightly).
//!
//! Seeds are well-formed files of every kind the entries read (WAV PCM/float/extensible/RF64
//! and with chunks after `data`, FLAC, AIFF, MP3, Ogg Vorbis, ALAC and AAC in MP4, baseline,
//! progressive, CMYK and grey JPEG, RGB/RGBA/16-bit/palette PNG). Each case mutates one with
//! a few of: byte and bit flips (mostly in the header), truncation, header-field inflation and
//! chunk-size lies on the fields the format's own structure names (chunk, box, segment and
//! block lengths, channel counts, rates, dimensions, RF64 `ds64` sizes), range deletion and
//! duplication, and appended junk; sometimes it hands the file to the other entry or under
//! the wrong extension. Every case must:
//! - not panic (the entries catch decoder panics themselves; ours must not happen at all);
//! - finish within `CATNO_FUZZ_CASE_SECONDS` (default 20 s);
//! - keep the process's live heap under [`HEAP_BUDGET`] above where it started: a size read
//!   from a header must never become an allocation (the allocator refuses past the budget,
//!   which aborts the run and leaves the input in `fuzz-current.*`);
//! - when refused, name the file in the error.
//!
//! `CATNO_FUZZ_SECONDS` (default 20) bounds the run, `CATNO_FUZZ_SEED` picks the sequence (the
//! seed is printed); an input that fails is kept under the test's target tmp dir.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use catno_media::generate::{Noise, SampleFormat, WavSpec, write_noise_wav, write_sine_wav};
use catno_media::{analyze_audio, inspect_artwork_with_thumbnail};
use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use jpeg_encoder::{ColorType as JpegColor, Encoder};

#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// Live heap a single case may add. Artwork decoding is allowed 512 MiB by design
/// (`catno_media::artwork::MAX_ALLOC`); past that something trusted a header.
const HEAP_BUDGET: usize = 1024 * 1024 * 1024;

const DEFAULT_SEED: u64 = 0x00CA_7A0F_0022_5EED;

/// splitmix64: tiny, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 for n = 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Entry {
    Audio,
    Artwork,
}

#[derive(Clone, Copy, Debug)]
enum Endian {
    Little,
    Big,
}

/// A numeric field of the file's structure: where, how wide (1, 2, 3, 4 or 8 bytes), which
/// byte order.
#[derive(Clone, Copy, Debug)]
struct Field {
    at: usize,
    width: usize,
    endian: Endian,
    /// A length or size (of a chunk, box, segment or block) rather than a count or a rate.
    is_size: bool,
}

struct Seed {
    name: String,
    ext: &'static str,
    entry: Entry,
    bytes: Vec<u8>,
    fields: Vec<Field>,
}

fn be16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([b[at], b[at + 1]]))
}
fn be32(b: &[u8], at: usize) -> usize {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}
fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

fn field(at: usize, width: usize, endian: Endian, is_size: bool) -> Field {
    Field { at, width, endian, is_size }
}

/// The size, count, rate and dimension fields of a seed, found by walking its structure.
fn fields_of(b: &[u8]) -> Vec<Field> {
    use Endian::{Big, Little};
    let mut out = Vec::new();
    if b.len() >= 12 && (b.starts_with(b"RIFF") || b.starts_with(b"RF64")) {
        out.push(field(4, 4, Little, true));
        let mut pos = 12;
        while pos + 8 <= b.len() {
            let id = &b[pos..pos + 4];
            let size = le32(b, pos + 4);
            out.push(field(pos + 4, 4, Little, true));
            match id {
                b"ds64" => {
                    out.extend([8, 16, 24].map(|o| field(pos + o, 8, Little, true)));
                    out.push(field(pos + 32, 4, Little, false));
                }
                b"fmt " => {
                    for (o, w) in
                        [(8, 2), (10, 2), (12, 4), (16, 4), (20, 2), (22, 2), (24, 2), (26, 2), (32, 2)]
                    {
                        out.push(field(pos + o, w, Little, o == 24));
                    }
                }
                _ => {}
            }
            let size = if id == b"data" && size == u32::MAX as usize { b.len() } else { size };
            pos = pos.saturating_add(8 + size + size % 2);
        }
    } else if b.len() >= 12 && b.starts_with(b"FORM") {
        out.push(field(4, 4, Big, true));
        let mut pos = 12;
        while pos + 8 <= b.len() {
            let size = be32(b, pos + 4);
            out.push(field(pos + 4, 4, Big, true));
            match &b[pos..pos + 4] {
                b"COMM" => {
                    out.extend([field(pos + 8, 2, Big, false), field(pos + 10, 4, Big, false)]);
                    out.extend([field(pos + 14, 2, Big, false), field(pos + 16, 2, Big, false)]);
                }
                b"SSND" => out.extend([field(pos + 8, 4, Big, true), field(pos + 12, 4, Big, true)]),
                _ => {}
            }
            pos = pos.saturating_add(8 + size + size % 2);
        }
    } else if b.starts_with(b"fLaC") {
        let mut pos = 4;
        while pos + 4 <= b.len() {
            let last = b[pos] & 0x80 != 0;
            let len = be32(b, pos) & 0x00FF_FFFF;
            out.push(field(pos + 1, 3, Big, true));
            if b[pos] & 0x7F == 0 {
                // STREAMINFO: block sizes, frame sizes, rate/channels/bits/total samples.
                let d = pos + 4;
                out.extend([field(d, 2, Big, true), field(d + 2, 2, Big, true)]);
                out.extend([field(d + 4, 3, Big, true), field(d + 7, 3, Big, true)]);
                out.push(field(d + 10, 8, Big, false));
            }
            pos += 4 + len;
            if last {
                break;
            }
        }
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut pos = 8;
        while pos + 8 <= b.len() {
            let len = be32(b, pos);
            out.push(field(pos, 4, Big, true));
            if &b[pos + 4..pos + 8] == b"IHDR" {
                out.extend([field(pos + 8, 4, Big, false), field(pos + 12, 4, Big, false)]);
                out.extend((16..21).map(|o| field(pos + o, 1, Big, false)));
            }
            pos = pos.saturating_add(12 + len);
        }
    } else if b.starts_with(&[0xFF, 0xD8]) {
        let mut pos = 2;
        while pos + 4 <= b.len() && b[pos] == 0xFF {
            let marker = b[pos + 1];
            let len = be16(b, pos + 2);
            out.push(field(pos + 2, 2, Big, true));
            if matches!(marker, 0xC0..=0xC2) {
                out.push(field(pos + 4, 1, Big, false)); // precision
                out.extend([field(pos + 5, 2, Big, false), field(pos + 7, 2, Big, false)]);
                out.push(field(pos + 9, 1, Big, false)); // components
                out.extend((0..4).map(|c| field(pos + 11 + 3 * c, 1, Big, false))); // sampling
            }
            if marker == 0xDA {
                out.push(field(pos + 4, 1, Big, false));
                break;
            }
            pos += 2 + len;
        }
    } else {
        // MP4 boxes, Ogg pages, ID3 tags: found by their names anywhere in the file.
        for i in 4..b.len().saturating_sub(16) {
            let name = &b[i..i + 4];
            const BOXES: [&[u8]; 18] = [
                b"ftyp", b"moov", b"mvhd", b"trak", b"tkhd", b"mdia", b"mdhd", b"minf", b"stbl", b"stsd",
                b"stts", b"stsc", b"stsz", b"stco", b"mdat", b"esds", b"alac", b"mp4a",
            ];
            if BOXES.contains(&name) {
                out.push(field(i - 4, 4, Big, true));
                out.extend([8, 12, 16, 20].map(|o| field(i + o, 4, Big, name == b"stsz")));
            }
            if name == b"OggS" {
                out.extend([field(i + 6, 8, Little, false), field(i + 26, 1, Little, true)]);
            }
            if name == b"\x01vor" {
                out.extend([field(i + 11, 1, Little, false), field(i + 12, 4, Little, false)]);
            }
        }
        if b.starts_with(b"ID3") {
            out.push(field(6, 4, Big, true));
        }
    }
    out.retain(|f| f.at + f.width <= b.len());
    out
}

fn put(b: &mut [u8], f: Field, value: u64) {
    let bytes = match f.endian {
        Endian::Little => value.to_le_bytes(),
        Endian::Big => value.to_be_bytes(),
    };
    let slice = match f.endian {
        Endian::Little => &bytes[..f.width],
        Endian::Big => &bytes[8 - f.width..],
    };
    b[f.at..f.at + f.width].copy_from_slice(slice);
}

fn get(b: &[u8], f: Field) -> u64 {
    let mut bytes = [0u8; 8];
    match f.endian {
        Endian::Little => bytes[..f.width].copy_from_slice(&b[f.at..f.at + f.width]),
        Endian::Big => bytes[8 - f.width..].copy_from_slice(&b[f.at..f.at + f.width]),
    }
    match f.endian {
        Endian::Little => u64::from_le_bytes(bytes),
        Endian::Big => u64::from_be_bytes(bytes),
    }
}

/// Applies one to four mutations; returns what was done, for the failure message.
fn mutate(rng: &mut Rng, seed: &Seed) -> (Vec<u8>, Vec<String>) {
    let mut b = seed.bytes.clone();
    let mut done = Vec::new();
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let len = b.len();
        match rng.below(10) {
            0 | 1 => {
                // A few bytes, mostly in the header.
                for _ in 0..1 + rng.below(8) {
                    let at = if rng.chance(2) { rng.below(len.min(512)) } else { rng.below(len) };
                    b[at] = rng.next() as u8;
                }
                done.push("bytes".to_owned());
            }
            2 => {
                let at = rng.below(len);
                b[at] ^= 1 << rng.below(8);
                done.push(format!("bit@{at}"));
            }
            3 => {
                let keep = if rng.chance(2) { rng.below(len.min(128)) } else { rng.below(len) };
                b.truncate(keep);
                done.push(format!("truncate@{keep}"));
            }
            4..=6 => {
                // A structural field set to an extreme, or, for sizes, to a plausible lie.
                let fields: Vec<Field> =
                    seed.fields.iter().copied().filter(|f| f.at + f.width <= len).collect();
                if fields.is_empty() {
                    continue;
                }
                let f = fields[rng.below(fields.len())];
                let max = if f.width == 8 { u64::MAX } else { (1u64 << (8 * f.width)) - 1 };
                let old = get(&b, f);
                let value = match rng.below(9) {
                    0 => 0,
                    1 => max,
                    2 => max >> 1,
                    3 => (max >> 1) + 1,
                    4 if f.is_size => old.saturating_add(1 + rng.below(64) as u64) & max,
                    4 => 1,
                    5 if f.is_size => old.saturating_sub(1 + rng.below(64) as u64),
                    5 => old.saturating_mul(2 + rng.below(1000) as u64) & max,
                    6 => (len as u64).saturating_mul(1 + rng.below(4) as u64) & max,
                    7 => old ^ 1,
                    _ => rng.next() & max,
                };
                put(&mut b, f, value);
                done.push(format!("field@{}({}B) {old}->{value}", f.at, f.width));
            }
            7 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(4096));
                b.drain(at..at + n);
                done.push(format!("delete {n}@{at}"));
            }
            8 => {
                let from = rng.below(len);
                let n = 1 + rng.below((len - from).min(4096));
                let chunk: Vec<u8> = b[from..from + n].to_vec();
                let at = rng.below(len + 1);
                b.splice(at..at, chunk);
                done.push(format!("duplicate {n}@{from}->{at}"));
            }
            _ => {
                // Trailing chunks or junk: data after the data.
                let n = 1 + rng.below(600);
                if rng.chance(2) {
                    let (id, size): (&[u8; 4], u32) =
                        [(b"LIST", 26), (b"id3 ", 10), (b"JUNK", 0xFFFF_FFF0)][rng.below(3)];
                    b.extend_from_slice(id);
                    b.extend_from_slice(&size.to_le_bytes());
                }
                b.extend((0..n).map(|_| rng.next() as u8));
                done.push(format!("append {n}"));
            }
        }
    }
    (b, done)
}

fn seed(name: &str, ext: &'static str, entry: Entry, bytes: Vec<u8>) -> Seed {
    let fields = fields_of(&bytes);
    Seed { name: name.to_owned(), ext, entry, bytes, fields }
}

fn detailed(size: u32, seed: u64) -> RgbImage {
    let mut n = Noise::new(seed);
    RgbImage::from_fn(size, size, |x, y| {
        let v = f64::from((x / 7 + y / 5) % 9) * 25.0;
        Rgb([0, 1, 2].map(|k| (v + 30.0 * f64::from(k) + 20.0 * n.next_sample()).clamp(0.0, 255.0) as u8))
    })
}

fn jpeg(data: &[u8], size: u16, color: JpegColor, setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, 85);
    setup(&mut enc);
    enc.encode(data, size, size, color).unwrap();
    out
}

fn encoded(img: image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn seeds(dir: &Path) -> Vec<Seed> {
    let mut out = Vec::new();
    let wav = |name: &str, spec: WavSpec| {
        let p = dir.join(name);
        write_sine_wav(&p, spec, 0.05, 1000.0, -3.0, 30.0).unwrap();
        std::fs::read(p).unwrap()
    };
    let specs = [
        ("pcm16", WavSpec::new(44_100, 2, SampleFormat::Int16)),
        ("pcm24-96k", WavSpec::new(96_000, 2, SampleFormat::Int24)),
        ("float32", WavSpec::new(48_000, 1, SampleFormat::Float32)),
        ("ext24", WavSpec { extensible: true, ..WavSpec::new(48_000, 2, SampleFormat::Int24) }),
        ("rf64", WavSpec { rf64: true, ..WavSpec::new(48_000, 2, SampleFormat::Int24) }),
        (
            "rf64-ext-float",
            WavSpec { rf64: true, extensible: true, ..WavSpec::new(48_000, 2, SampleFormat::Float32) },
        ),
    ];
    for (name, spec) in specs {
        out.push(seed(name, "wav", Entry::Audio, wav(&format!("{name}.wav"), spec)));
    }
    // Chunks after the data chunk, as some editors leave them.
    let mut trailing = wav("trailing.wav", WavSpec::new(44_100, 2, SampleFormat::Int16));
    trailing.extend_from_slice(b"LIST\x0a\0\0\0INFOISFT\0\0");
    trailing.extend_from_slice(b"id3 \x04\0\0\0ID3\x04");
    out.push(seed("trailing", "wav", Entry::Audio, trailing));
    let noise = dir.join("noise.wav");
    write_noise_wav(&noise, WavSpec::new(8_000, 2, SampleFormat::Int32), 0.1, -6.0, 1).unwrap();
    out.push(seed("pcm32-noise", "wav", Entry::Audio, std::fs::read(noise).unwrap()));
    // Encoded audio made once with ffmpeg (see fixtures/fuzz/README.md): real FLAC (LPC),
    // AIFF, MP3, Ogg Vorbis, ALAC and AAC.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for (file, ext) in [
        ("seed-24-96.flac", "flac"),
        ("seed.aiff", "aiff"),
        ("seed.mp3", "mp3"),
        ("seed.ogg", "ogg"),
        ("seed-alac.m4a", "m4a"),
        ("seed-aac.m4a", "m4a"),
    ] {
        out.push(seed(file, ext, Entry::Audio, std::fs::read(fixtures.join(file)).unwrap()));
    }

    let img = detailed(40, 3);
    out.push(seed("baseline", "jpg", Entry::Artwork, jpeg(img.as_raw(), 40, JpegColor::Rgb, |_| {})));
    out.push(seed(
        "progressive",
        "jpg",
        Entry::Artwork,
        jpeg(img.as_raw(), 40, JpegColor::Rgb, |e| e.set_progressive(true)),
    ));
    let cmyk: Vec<u8> = img.pixels().flat_map(|p| [p[0], p[1], p[2], 255 - p[0] / 2]).collect();
    out.push(seed("cmyk", "jpg", Entry::Artwork, jpeg(&cmyk, 40, JpegColor::Cmyk, |_| {})));
    let grey: Vec<u8> = img.pixels().map(|p| p[1]).collect();
    out.push(seed("grey", "jpg", Entry::Artwork, jpeg(&grey, 40, JpegColor::Luma, |_| {})));
    out.push(seed(
        "exif-icc",
        "jpg",
        Entry::Artwork,
        jpeg(img.as_raw(), 40, JpegColor::Rgb, |e| {
            let exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
            e.add_app_segment(1, exif).unwrap();
            e.add_icc_profile(&[0u8; 200]).unwrap();
        }),
    ));
    out.push(seed("rgb", "png", Entry::Artwork, encoded(img.clone().into(), ImageFormat::Png)));
    let rgba = RgbaImage::from_fn(32, 32, |x, y| Rgba([x as u8 * 8, y as u8 * 8, 90, (x * y) as u8]));
    out.push(seed("rgba", "png", Entry::Artwork, encoded(rgba.into(), ImageFormat::Png)));
    let deep = image::ImageBuffer::<Rgb<u16>, Vec<u16>>::from_fn(24, 24, |x, y| {
        Rgb([x as u16 * 2000, y as u16 * 2000, 7])
    });
    out.push(seed("rgb16", "png", Entry::Artwork, encoded(deep.into(), ImageFormat::Png)));
    let mut palette = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut palette, 16, 16);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Four);
        enc.set_palette((0..48).map(|i| (i * 5) as u8).collect::<Vec<u8>>());
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&(0..128).map(|i| (i * 37) as u8).collect::<Vec<u8>>()).unwrap();
    }
    out.push(seed("palette", "png", Entry::Artwork, palette));
    out
}

enum Outcome {
    Ok,
    Refused(String),
    Panicked(String),
}

fn run(entry: Entry, path: PathBuf) -> Outcome {
    let result = std::panic::catch_unwind(|| match entry {
        Entry::Audio => analyze_audio(&path).map(|_| ()),
        Entry::Artwork => inspect_artwork_with_thumbnail(&path, 64).map(|_| ()),
    });
    match result {
        Ok(Ok(())) => Outcome::Ok,
        Ok(Err(e)) => Outcome::Refused(e.to_string()),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
    }
}

/// Decoder panics that the entries caught and turned into errors, and where the last panic
/// happened (the payload alone does not say).
static CAUGHT_PANICS: AtomicU64 = AtomicU64::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());
static PANIC_PLACES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Quiet (thousands of caught decoder panics would flood the log), but remembers where.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        CAUGHT_PANICS.fetch_add(1, Ordering::Relaxed);
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        PANIC_PLACES.lock().unwrap_or_else(PoisonError::into_inner).insert(place.clone());
        *LAST_PANIC.lock().unwrap_or_else(PoisonError::into_inner) = place;
    }));
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

#[test]
fn mutated_media_never_panics_hangs_or_allocates_from_headers() {
    let budget = Duration::from_secs(env_number("CATNO_FUZZ_SECONDS", 20));
    let per_case = Duration::from_secs(env_number("CATNO_FUZZ_CASE_SECONDS", 20));
    let seed_value = env_number("CATNO_FUZZ_SEED", DEFAULT_SEED);
    eprintln!("fuzz: CATNO_FUZZ_SEED={seed_value} CATNO_FUZZ_SECONDS={}", budget.as_secs());
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&keep).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds(dir.path());
    install_panic_hook();
    let mut rng = Rng(seed_value);
    let start = Instant::now();
    let (mut cases, mut refused, mut slowest) = (0u64, 0u64, (Duration::ZERO, String::new()));
    let mut per_seed = vec![0u32; seeds.len()];
    while start.elapsed() < budget || cases < seeds.len() as u64 {
        let index = if cases < seeds.len() as u64 { cases as usize } else { rng.below(seeds.len()) };
        let s = &seeds[index];
        per_seed[index] += 1;
        let (bytes, mutations) = mutate(&mut rng, s);
        // Sometimes the other entry, or a misleading extension.
        let entry = if rng.chance(12) {
            match s.entry {
                Entry::Audio => Entry::Artwork,
                Entry::Artwork => Entry::Audio,
            }
        } else {
            s.entry
        };
        let ext =
            if rng.chance(8) { ["flac", "wav", "mp3", "png", "jpg", "bin"][rng.below(6)] } else { s.ext };
        let file_name = format!("case{cases}-{}.{ext}", s.name.replace('.', "_"));
        let path = dir.path().join(&file_name);
        std::fs::write(&path, &bytes).unwrap();
        // Should the allocator abort the process, the input is where the message says.
        let current = keep.join(format!("fuzz-current.{ext}"));
        std::fs::write(&current, &bytes).unwrap();
        let what = format!("{file_name} ({entry:?}, seed {}, {})", s.name, mutations.join(", "));

        let floor = ALLOCATOR.allocated();
        ALLOCATOR.set_limit(floor.saturating_add(HEAP_BUDGET)).unwrap();
        let (tx, rx) = mpsc::channel();
        let case_path = path.clone();
        let t = Instant::now();
        std::thread::Builder::new()
            .name("fuzz-case".to_owned())
            .spawn(move || {
                let _ = tx.send(run(entry, case_path));
            })
            .unwrap();
        let outcome = rx.recv_timeout(per_case);
        let elapsed = t.elapsed();
        let failure = |why: &str| {
            let _ = std::panic::take_hook();
            let kept = keep.join(&file_name);
            std::fs::write(&kept, &bytes).unwrap();
            panic!(
                "{why}: {what}\ninput kept at {}\nreproduce with CATNO_FUZZ_SEED={seed_value}",
                kept.display()
            );
        };
        match outcome {
            Ok(Outcome::Ok) => {}
            Ok(Outcome::Refused(message)) => {
                refused += 1;
                if !message.contains(&file_name) {
                    failure(&format!("the error does not name the file: {message}"));
                }
            }
            Ok(Outcome::Panicked(message)) => {
                let place = LAST_PANIC.lock().unwrap_or_else(PoisonError::into_inner).clone();
                failure(&format!("panicked at {place}: {message}"))
            }
            Err(_) => failure(&format!("no result after {} s", per_case.as_secs())),
        }
        ALLOCATOR.set_limit(usize::MAX).unwrap();
        if elapsed > slowest.0 {
            slowest = (elapsed, what);
        }
        let _ = std::fs::remove_file(&path);
        cases += 1;
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "fuzz: {cases} cases in {:.1} s over {} seeds ({refused} refused with a named error, {} decoder \
         panics caught by the entries); slowest {:.0} ms: {}",
        start.elapsed().as_secs_f64(),
        seeds.len(),
        CAUGHT_PANICS.load(Ordering::Relaxed),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    for place in PANIC_PLACES.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        eprintln!("fuzz: a decoder panicked (caught) at {place}");
    }
    assert!(per_seed.iter().all(|n| *n > 0));
}
