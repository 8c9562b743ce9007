//! A corpus of broken files, each named for what is wrong with it, and what each entry must
//! say about it: zero length, truncation at every depth, wrong extensions, huge header values,
//! data after the data chunk, and RF64 `ds64` lies. Every outcome names the file: either an
//! error, or a report whose finding (with its rule id) names it.

use std::path::Path;

use catno_media::generate::{SampleFormat, WavSpec, write_sine_wav};
use catno_media::{Severity, analyze_audio, inspect_artwork, inspect_artwork_with_thumbnail};

/// What a broken file must produce.
enum Expect {
    /// An error naming the file and containing this text.
    Error(&'static str),
    /// A report with this finding, naming the file.
    Finding(&'static str),
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn wav(dir: &Path, spec: WavSpec) -> Vec<u8> {
    let p = dir.join("clean.wav");
    write_sine_wav(&p, spec, 1.0, 440.0, -6.0, 0.0).expect("write");
    std::fs::read(p).expect("read")
}

fn set_le32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn set_le64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

/// Offset of the first chunk `id` of a RIFF file.
fn chunk_at(b: &[u8], id: &[u8; 4]) -> usize {
    b.windows(4).position(|w| w == id).unwrap_or_else(|| panic!("no {id:?}"))
}

fn check_audio(dir: &Path, name: &str, bytes: &[u8], expect: Expect) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    match (analyze_audio(&path), expect) {
        (Err(e), Expect::Error(text)) => {
            let m = e.to_string();
            assert!(m.contains(name) && m.contains(text), "{name}: error {m:?} lacks {text:?}");
        }
        (Ok(r), Expect::Finding(rule)) => {
            let f = r.findings.iter().find(|f| f.rule_id == rule);
            let f = f.unwrap_or_else(|| panic!("{name}: no {rule} in {:#?}", r.findings));
            assert!(f.message.contains(name), "{name}: {rule} does not name the file: {}", f.message);
        }
        (Ok(r), Expect::Error(text)) => {
            panic!("{name}: expected an error with {text:?}, got {:#?}", r.findings)
        }
        (Err(e), Expect::Finding(rule)) => panic!("{name}: expected {rule}, got the error {e}"),
    }
}

fn check_artwork(dir: &Path, name: &str, bytes: &[u8], expect: Expect) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    match (inspect_artwork_with_thumbnail(&path, 64), expect) {
        (Err(e), Expect::Error(text)) => {
            let m = e.to_string();
            assert!(m.contains(name) && m.contains(text), "{name}: error {m:?} lacks {text:?}");
        }
        (Ok((r, thumb)), Expect::Finding(rule)) => {
            let f = r.findings.iter().find(|f| f.rule_id == rule);
            let f = f.unwrap_or_else(|| panic!("{name}: no {rule} in {:#?}", r.findings));
            assert!(f.message.contains(name), "{name}: {rule} does not name the file: {}", f.message);
            if f.severity == Severity::Error {
                assert!(thumb.is_none() || r.decoded, "{name}: a thumbnail of undecoded data");
            }
        }
        (Ok((r, _)), Expect::Error(text)) => {
            panic!("{name}: expected an error with {text:?}, got {:#?}", r.findings)
        }
        (Err(e), Expect::Finding(rule)) => panic!("{name}: expected {rule}, got the error {e}"),
    }
}

#[test]
fn zero_length_files_are_refused_by_name() {
    let d = tempfile::tempdir().expect("tempdir");
    for name in ["zero.wav", "zero.flac", "zero.mp3", "zero.m4a", "zero"] {
        check_audio(d.path(), name, b"", Expect::Error("empty file (0 bytes)"));
    }
    for name in ["zero.jpg", "zero.png"] {
        check_artwork(d.path(), name, b"", Expect::Error("empty file (0 bytes)"));
    }
}

#[test]
fn truncated_audio_at_every_depth() {
    let d = tempfile::tempdir().expect("tempdir");
    let clean = wav(d.path(), WavSpec::new(44_100, 2, SampleFormat::Int16));
    check_audio(d.path(), "riff-magic-only.wav", &clean[..4], Expect::Error("not a readable audio file"));
    check_audio(d.path(), "cut-in-fmt.wav", &clean[..24], Expect::Error("'fmt '"));
    check_audio(d.path(), "cut-before-data.wav", &clean[..36], Expect::Error("no 'data' chunk"));
    check_audio(d.path(), "cut-in-data.wav", &clean[..clean.len() / 3], Expect::Finding("AUD-WAV-TRUNCATED"));
    // Cut mid-frame: the partial frame is dropped and said.
    check_audio(
        d.path(),
        "cut-mid-frame.wav",
        &clean[..clean.len() - 3],
        Expect::Finding("AUD-WAV-TRUNCATED"),
    );

    let flac = fixture("seed-24-96.flac");
    check_audio(d.path(), "flac-magic-only.flac", &flac[..4], Expect::Error("flac-magic-only.flac"));
    check_audio(
        d.path(),
        "flac-cut-in-streaminfo.flac",
        &flac[..20],
        Expect::Error("flac-cut-in-streaminfo.flac"),
    );
    check_audio(
        d.path(),
        "flac-cut-in-frames.flac",
        &flac[..flac.len() / 2],
        Expect::Finding("AUD-TRUNCATED"),
    );
    let aiff = fixture("seed.aiff");
    check_audio(d.path(), "aiff-cut-in-ssnd.aiff", &aiff[..aiff.len() / 2], Expect::Error("truncated"));
    let mp3 = fixture("seed.mp3");
    check_audio(d.path(), "mp3-cut-in-id3.mp3", &mp3[..8], Expect::Error("mp3-cut-in-id3.mp3"));
}

#[test]
fn truncated_artwork_at_every_depth() {
    let d = tempfile::tempdir().expect("tempdir");
    let img = image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 128]));
    let mut jpg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpg, 90)
        .encode(img.as_raw(), 64, 64, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    check_artwork(d.path(), "soi-only.jpg", &jpg[..3], Expect::Finding("ART-TRUNCATED"));
    check_artwork(d.path(), "cut-in-tables.jpg", &jpg[..120], Expect::Finding("ART-TRUNCATED"));
    check_artwork(d.path(), "cut-in-scan.jpg", &jpg[..jpg.len() - 200], Expect::Finding("ART-TRUNCATED"));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut png, image::ImageFormat::Png).expect("png");
    let png = png.into_inner();
    check_artwork(d.path(), "signature-only.png", &png[..8], Expect::Finding("ART-TRUNCATED"));
    check_artwork(d.path(), "cut-in-ihdr.png", &png[..20], Expect::Finding("ART-TRUNCATED"));
    check_artwork(d.path(), "cut-in-idat.png", &png[..png.len() - 40], Expect::Finding("ART-TRUNCATED"));
}

#[test]
fn wrong_extensions_are_read_for_what_they_are_and_flagged() {
    let d = tempfile::tempdir().expect("tempdir");
    let clean = wav(d.path(), WavSpec::new(44_100, 2, SampleFormat::Int16));
    check_audio(d.path(), "wav-named.mp3", &clean, Expect::Finding("AUD-EXT"));
    check_audio(d.path(), "flac-named.wav", &fixture("seed-24-96.flac"), Expect::Finding("AUD-EXT"));
    check_audio(d.path(), "mp3-named.flac", &fixture("seed.mp3"), Expect::Finding("AUD-EXT"));
    check_audio(d.path(), "aiff-named.wav", &fixture("seed.aiff"), Expect::Finding("AUD-EXT"));
    check_audio(d.path(), "ogg-named.m4a", &fixture("seed.ogg"), Expect::Finding("AUD-EXT"));
    // A cover handed to the audio entry and a WAV to the artwork entry.
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(8, 8))
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("png");
    check_audio(d.path(), "cover-named.wav", png.get_ref(), Expect::Error("not a readable audio file"));
    check_artwork(d.path(), "audio-named.jpg", &clean, Expect::Finding("ART-FMT"));
    check_artwork(d.path(), "png-named.jpg", png.get_ref(), Expect::Finding("ART-EXT"));
}

#[test]
fn huge_wav_header_values_are_findings_or_named_errors_never_allocations() {
    let d = tempfile::tempdir().expect("tempdir");
    let clean = wav(d.path(), WavSpec::new(44_100, 2, SampleFormat::Int16));
    let fmt = chunk_at(&clean, b"fmt ") + 8;
    let data = chunk_at(&clean, b"data");

    let mut b = clean.clone();
    b[fmt + 2..fmt + 4].copy_from_slice(&u16::MAX.to_le_bytes());
    check_audio(d.path(), "65535-channels.wav", &b, Expect::Error("channels"));
    let mut b = clean.clone();
    set_le32(&mut b, fmt + 4, u32::MAX);
    check_audio(d.path(), "4g-sample-rate.wav", &b, Expect::Error("sample rate of 4294967295 Hz"));
    let mut b = clean.clone();
    set_le32(&mut b, fmt + 4, 1);
    check_audio(d.path(), "1-hz-sample-rate.wav", &b, Expect::Error("sample rate of 1 Hz"));
    let mut b = clean.clone();
    b[fmt + 14..fmt + 16].copy_from_slice(&u16::MAX.to_le_bytes());
    check_audio(d.path(), "65535-bit-samples.wav", &b, Expect::Error("65535-bit-samples.wav"));
    let mut b = clean.clone();
    b[fmt + 12..fmt + 14].copy_from_slice(&u16::MAX.to_le_bytes());
    check_audio(d.path(), "65535-block-align.wav", &b, Expect::Finding("AUD-WAV-FMT"));
    // A 32-bit data size of 4 GiB in a 176 kB file: read to the end of the file, and said.
    let mut b = clean.clone();
    set_le32(&mut b, data + 4, u32::MAX);
    check_audio(d.path(), "4g-data-size.wav", &b, Expect::Finding("AUD-WAV-TRUNCATED"));
    let mut b = clean.clone();
    set_le32(&mut b, 4, u32::MAX);
    check_audio(d.path(), "4g-riff-size.wav", &b, Expect::Finding("AUD-WAV-SIZE"));
    // A chunk before the data that claims 4 GiB hides the data.
    let mut b = clean[..12].to_vec();
    b.extend_from_slice(b"JUNK");
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&clean[12..]);
    check_audio(d.path(), "4g-junk-chunk.wav", &b, Expect::Error("no 'fmt ' chunk"));
    let mut b = clean.clone();
    set_le32(&mut b, fmt - 4, 0xFFFF_FFF0);
    check_audio(d.path(), "4g-fmt-size.wav", &b, Expect::Error("no 'data' chunk"));
    // No samples at all.
    let mut b = clean[..data + 8].to_vec();
    set_le32(&mut b, data + 4, 0);
    let riff_size = (b.len() - 8) as u32;
    set_le32(&mut b, 4, riff_size);
    check_audio(d.path(), "no-samples.wav", &b, Expect::Finding("AUD-EMPTY"));
}

#[test]
fn huge_header_values_in_flac_aiff_mp4_and_images() {
    let d = tempfile::tempdir().expect("tempdir");
    // FLAC STREAMINFO: 2^36 - 1 total samples (a day at 96 kHz is 2^33).
    let mut flac = fixture("seed-24-96.flac");
    let total_at = 8 + 10 + 3;
    flac[total_at] |= 0x0F;
    flac[total_at + 1..total_at + 5].copy_from_slice(&[0xFF; 4]);
    check_audio(d.path(), "flac-2e36-samples.flac", &flac, Expect::Finding("AUD-TRUNCATED"));
    let mut flac = fixture("seed-24-96.flac");
    flac[8 + 2..8 + 4].copy_from_slice(&[0xFF, 0xFF]); // max block size 65535
    flac[8 + 7..8 + 10].copy_from_slice(&[0xFF, 0xFF, 0xFF]); // max frame size 16 MiB
    let path = d.path().join("flac-huge-blocks.flac");
    std::fs::write(&path, &flac).expect("write");
    if let Err(e) = analyze_audio(&path) {
        assert!(e.to_string().contains("flac-huge-blocks.flac"), "{e}");
    }
    // AIFF COMM: 4 billion frames.
    let mut aiff = fixture("seed.aiff");
    let comm = aiff.windows(4).position(|w| w == b"COMM").expect("COMM") + 8;
    aiff[comm + 2..comm + 6].copy_from_slice(&u32::MAX.to_be_bytes());
    let path = d.path().join("aiff-4g-frames.aiff");
    std::fs::write(&path, &aiff).expect("write");
    // The sound data decides the length, not the header's count.
    assert_eq!(analyze_audio(&path).expect("aiff").duration_ms, 150);
    // MP4: a sample-size table claiming 4 billion entries.
    let mut m4a = fixture("seed-alac.m4a");
    let stsz = m4a.windows(4).position(|w| w == b"stsz").expect("stsz");
    m4a[stsz + 12..stsz + 16].copy_from_slice(&u32::MAX.to_be_bytes());
    let path = d.path().join("m4a-4g-samples.m4a");
    std::fs::write(&path, &m4a).expect("write");
    if let Err(e) = analyze_audio(&path) {
        assert!(e.to_string().contains("m4a-4g-samples.m4a"), "{e}");
    }

    // Images: 65535 px JPEG, 4-billion-px PNG, zero-size PNG, a 2 GiB PNG chunk.
    let mut jpg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpg, 90)
        .encode(&[128u8; 16 * 16 * 3], 16, 16, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    let sof = jpg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("SOF0");
    jpg[sof + 5..sof + 9].copy_from_slice(&[0xFF; 4]);
    check_artwork(d.path(), "65535px.jpg", &jpg, Expect::Finding("ART-BOMB"));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(8, 8))
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("png");
    let png = png.into_inner();
    let mut b = png.clone();
    b[16..24].copy_from_slice(&[0xFF; 8]);
    check_artwork(d.path(), "4g-px.png", &b, Expect::Finding("ART-BOMB"));
    let mut b = png.clone();
    b[16..24].copy_from_slice(&[0; 8]);
    let r = inspect_artwork(&{
        let p = d.path().join("zero-px.png");
        std::fs::write(&p, &b).expect("write");
        p
    })
    .expect("a report");
    assert!(!r.decoded && (r.width, r.height) == (0, 0));
    let mut b = png.clone();
    let idat = b.windows(4).position(|w| w == b"IDAT").expect("IDAT") - 4;
    b[idat..idat + 4].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
    check_artwork(d.path(), "2g-idat.png", &b, Expect::Finding("ART-TRUNCATED"));
}

#[test]
fn data_after_the_data_chunk_is_named() {
    let d = tempfile::tempdir().expect("tempdir");
    let clean = wav(d.path(), WavSpec::new(44_100, 2, SampleFormat::Int16));
    let mut b = clean.clone();
    b.extend_from_slice(b"id3 \x0a\0\0\0ID3\x04\0\0\0\0\0\0");
    check_audio(d.path(), "id3-after-data.wav", &b, Expect::Finding("AUD-WAV-TRAILING"));
    let mut b = clean.clone();
    let data = chunk_at(&clean, b"data");
    b.extend_from_slice(&clean[data..data + 8 + 400]);
    check_audio(d.path(), "second-data-chunk.wav", &b, Expect::Finding("AUD-WAV-TRAILING"));
    let mut b = clean.clone();
    b.extend_from_slice(&[0u8; 3]);
    check_audio(d.path(), "stray-bytes.wav", &b, Expect::Finding("AUD-WAV-TRAILING"));
    let mut b = clean;
    b.extend_from_slice(b"LIST\xff\xff\xff\x7fINFO");
    check_audio(d.path(), "lying-list-after-data.wav", &b, Expect::Finding("AUD-WAV-TRAILING"));
}

#[test]
fn rf64_lies_are_findings() {
    let d = tempfile::tempdir().expect("tempdir");
    let clean = wav(d.path(), WavSpec { rf64: true, ..WavSpec::new(48_000, 2, SampleFormat::Int24) });
    let ds64 = chunk_at(&clean, b"ds64") + 8;
    let r = {
        let p = d.path().join("clean-rf64.wav");
        std::fs::write(&p, &clean).expect("write");
        analyze_audio(&p).expect("clean RF64")
    };
    assert!(r.findings.iter().all(|f| !f.rule_id.starts_with("AUD-WAV")), "{:#?}", r.findings);
    assert_eq!((r.container.as_str(), r.duration_ms), ("rf64", 1000));

    let mut b = clean.clone();
    set_le64(&mut b, ds64 + 8, 1 << 40); // data: 1 TiB
    check_audio(d.path(), "rf64-1tib-data.wav", &b, Expect::Finding("AUD-WAV-TRUNCATED"));
    let mut b = clean.clone();
    set_le64(&mut b, ds64, u64::MAX); // RIFF size
    check_audio(d.path(), "rf64-max-riff-size.wav", &b, Expect::Finding("AUD-WAV-SIZE"));
    let mut b = clean.clone();
    set_le64(&mut b, ds64 + 16, 12_345); // sample count
    check_audio(d.path(), "rf64-wrong-sample-count.wav", &b, Expect::Finding("AUD-WAV-RF64"));
    let mut b = clean.clone();
    set_le64(&mut b, ds64 + 8, 0); // data: nothing
    check_audio(d.path(), "rf64-zero-data.wav", &b, Expect::Finding("AUD-EMPTY"));
    // The ds64 chunk renamed: an RF64 with no 64-bit sizes.
    let mut b = clean.clone();
    b[ds64 - 8..ds64 - 4].copy_from_slice(b"JUNK");
    check_audio(d.path(), "rf64-without-ds64.wav", &b, Expect::Finding("AUD-WAV-RF64"));
    // A plain RIFF that declares RF64's "see ds64" data size, with no ds64 to see.
    let mut b = wav(d.path(), WavSpec::new(48_000, 2, SampleFormat::Int24));
    let data = chunk_at(&b, b"data");
    set_le32(&mut b, data + 4, u32::MAX);
    check_audio(d.path(), "riff-with-rf64-data-size.wav", &b, Expect::Finding("AUD-WAV-TRUNCATED"));
}
