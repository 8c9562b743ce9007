//! Artwork header facts, heuristics and robustness on generated images.

use std::path::{Path, PathBuf};

use catno_media::artwork::ColorType;
use catno_media::generate::Noise;
use catno_media::{ArtworkReport, MediaError, Severity, check_artwork, inspect_artwork, profile, thumbnail};
use image::{GrayImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use jpeg_encoder::{ColorType as JpegColor, Encoder};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn has(report: &ArtworkReport, rule: &str) -> bool {
    report.findings.iter().any(|f| f.rule_id == rule)
}

/// A detailed RGB test card: blocks of colour plus pixel-level noise.
fn detailed(size: u32, seed: u64) -> RgbImage {
    let mut n = Noise::new(seed);
    RgbImage::from_fn(size, size, |x, y| {
        let block = ((x / 37) * 31 + (y / 23) * 17) % 200;
        let mut px = [0u8; 3];
        for (i, p) in px.iter_mut().enumerate() {
            let v = block as f64 + 30.0 * i as f64 + 25.0 * n.next_sample();
            *p = v.clamp(0.0, 255.0) as u8;
        }
        Rgb(px)
    })
}

fn jpeg(
    path: &Path,
    data: &[u8],
    w: u16,
    h: u16,
    color: JpegColor,
    setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
) -> TestResult {
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, 90);
    setup(&mut enc);
    enc.encode(data, w, h, color)?;
    std::fs::write(path, out)?;
    Ok(())
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

#[test]
fn rgb_jpeg_reads_its_header_and_passes_spotify() -> TestResult {
    let d = dir();
    let p = d.path().join("cover.jpg");
    let img = detailed(800, 1);
    jpeg(&p, img.as_raw(), 800, 800, JpegColor::Rgb, |_| {})?;
    let r = inspect_artwork(&p)?;
    assert_eq!((r.format.as_str(), r.width, r.height, r.square), ("jpeg", 800, 800, true));
    assert_eq!(r.color_type, ColorType::Ycbcr);
    assert!(!r.progressive && !r.has_alpha && r.decoded);
    assert_eq!(r.bit_depth, 8);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let spotify = check_artwork(&r, profile("spotify").expect("spotify"));
    assert!(spotify.iter().all(|f| f.severity < Severity::Error), "{spotify:?}");
    assert!(spotify.iter().any(|f| f.rule_id == "ART-DIM" && f.severity == Severity::Warning));
    let apple = check_artwork(&r, profile("apple_music").expect("apple"));
    assert!(
        apple.iter().any(|f| f.rule_id == "ART-DIM"
            && f.severity == Severity::Error
            && f.message.contains("cover.jpg"))
    );
    Ok(())
}

#[test]
fn cmyk_ycck_and_grey_jpegs_are_told_from_rgb() -> TestResult {
    let d = dir();
    let (w, h) = (64u16, 48u16);
    let cmyk: Vec<u8> = (0..usize::from(w) * usize::from(h) * 4).map(|i| (i * 7 % 251) as u8).collect();
    for (name, color, expected) in
        [("cmyk.jpg", JpegColor::Cmyk, ColorType::Cmyk), ("ycck.jpg", JpegColor::CmykAsYcck, ColorType::Ycck)]
    {
        let p = d.path().join(name);
        jpeg(&p, &cmyk, w, h, color, |_| {})?;
        let r = inspect_artwork(&p)?;
        assert_eq!(r.color_type, expected, "{name}");
        assert!(!r.square);
        let f = check_artwork(&r, profile("generic").expect("generic"));
        assert!(f.iter().any(|f| f.rule_id == "ART-CS" && f.severity == Severity::Error), "{name}: {f:?}");
        assert!(f.iter().any(|f| f.rule_id == "ART-DIM" && f.message.contains("not square")));
    }
    let grey: Vec<u8> = (0..usize::from(w) * usize::from(h)).map(|i| (i % 256) as u8).collect();
    let p = d.path().join("grey.jpg");
    jpeg(&p, &grey, w, h, JpegColor::Luma, |_| {})?;
    assert_eq!(inspect_artwork(&p)?.color_type, ColorType::Grayscale);
    Ok(())
}

#[test]
fn progressive_exif_orientation_and_icc_are_read_from_markers() -> TestResult {
    let d = dir();
    let img = detailed(96, 2);
    let p = d.path().join("p.jpg");
    // EXIF (big-endian TIFF) with orientation 6 = rotate 90° CW.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
    let icc = icc_profile("Display P3");
    jpeg(&p, img.as_raw(), 96, 64, JpegColor::Rgb, |e| {
        e.set_progressive(true);
        e.add_app_segment(1, &exif).expect("exif");
        e.add_icc_profile(&icc).expect("icc");
    })?;
    let r = inspect_artwork(&p)?;
    assert!(r.progressive);
    assert_eq!(r.exif_orientation, Some(6));
    let icc = r.icc_profile.clone().expect("icc");
    assert_eq!(
        (icc.description.as_deref(), icc.srgb, icc.color_space.as_str()),
        (Some("Display P3"), false, "RGB")
    );
    let f = check_artwork(&r, profile("spotify").expect("spotify"));
    assert!(f.iter().any(|f| f.rule_id == "ART-ORIENT"));
    assert!(f.iter().any(|f| f.rule_id == "ART-ICC" && f.message.contains("Display P3")));
    // The thumbnail is turned upright: 96×64 stored, 64×96 shown.
    let thumb = image::load_from_memory_with_format(&thumbnail(&p, 512)?, ImageFormat::Png)?;
    assert_eq!((thumb.width(), thumb.height()), (64, 96));

    let q = d.path().join("srgb.jpg");
    let srgb = icc_profile("sRGB IEC61966-2.1");
    jpeg(&q, img.as_raw(), 96, 64, JpegColor::Rgb, |e| e.add_icc_profile(&srgb).expect("icc"))?;
    let r = inspect_artwork(&q)?;
    assert!(r.icc_profile.as_ref().is_some_and(|i| i.srgb));
    assert!(!check_artwork(&r, profile("spotify").expect("spotify")).iter().any(|f| f.rule_id == "ART-ICC"));
    Ok(())
}

/// A minimal ICC v2 profile: header plus one `desc` tag.
fn icc_profile(desc: &str) -> Vec<u8> {
    let mut tag = b"desc\0\0\0\0".to_vec();
    tag.extend_from_slice(&(desc.len() as u32 + 1).to_be_bytes());
    tag.extend_from_slice(desc.as_bytes());
    tag.push(0);
    let mut p = vec![0u8; 128];
    p[12..16].copy_from_slice(b"mntr");
    p[16..20].copy_from_slice(b"RGB ");
    p[36..40].copy_from_slice(b"acsp");
    p.extend_from_slice(&1u32.to_be_bytes());
    p.extend_from_slice(b"desc");
    p.extend_from_slice(&144u32.to_be_bytes());
    p.extend_from_slice(&(tag.len() as u32).to_be_bytes());
    p.extend_from_slice(&tag);
    let len = p.len() as u32;
    p[0..4].copy_from_slice(&len.to_be_bytes());
    p
}

fn write_png(
    path: &Path,
    w: u32,
    h: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
    palette: Option<Vec<u8>>,
) -> TestResult {
    let file = std::fs::File::create(path)?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(color);
    enc.set_depth(depth);
    if let Some(p) = palette {
        enc.set_palette(p);
    }
    let mut writer = enc.write_header()?;
    writer.write_image_data(data)?;
    writer.finish()?;
    Ok(())
}

#[test]
fn png_colour_models_alpha_palette_and_16_bit() -> TestResult {
    let d = dir();
    let generic = profile("generic").expect("generic");
    let rgba = d.path().join("a.png");
    RgbaImage::from_pixel(32, 32, Rgba([10, 20, 30, 128])).save(&rgba)?;
    let r = inspect_artwork(&rgba)?;
    assert_eq!((r.color_type, r.has_alpha, r.bit_depth), (ColorType::Rgba, true, 8));
    assert!(
        check_artwork(&r, generic).iter().any(|f| f.rule_id == "ART-CS" && f.severity == Severity::Warning)
    );

    let pal = d.path().join("p.png");
    let idx: Vec<u8> = (0..32 * 32).map(|i| (i % 3) as u8).collect();
    write_png(
        &pal,
        32,
        32,
        png::ColorType::Indexed,
        png::BitDepth::Eight,
        &idx,
        Some(vec![255, 0, 0, 0, 255, 0, 0, 0, 255]),
    )?;
    let r = inspect_artwork(&pal)?;
    assert_eq!(r.color_type, ColorType::Palette);
    assert!(r.decoded);
    assert!(
        check_artwork(&r, generic).iter().any(|f| f.rule_id == "ART-CS" && f.severity == Severity::Error)
    );

    let deep = d.path().join("d.png");
    let data: Vec<u8> = (0..32 * 32 * 6).map(|i| (i % 256) as u8).collect();
    write_png(&deep, 32, 32, png::ColorType::Rgb, png::BitDepth::Sixteen, &data, None)?;
    let r = inspect_artwork(&deep)?;
    assert_eq!((r.color_type, r.bit_depth), (ColorType::Rgb, 16));
    assert!(
        check_artwork(&r, generic).iter().any(|f| f.rule_id == "ART-CS" && f.message.contains("16 bits"))
    );
    Ok(())
}

#[test]
fn truncated_and_bogus_files_give_findings_or_named_errors() -> TestResult {
    let d = dir();
    let p = d.path().join("full.jpg");
    let img = detailed(200, 3);
    jpeg(&p, img.as_raw(), 200, 200, JpegColor::Rgb, |_| {})?;
    let bytes = std::fs::read(&p)?;
    for cut in [bytes.len() / 2, 300, 4] {
        let q = d.path().join(format!("cut{cut}.jpg"));
        std::fs::write(&q, &bytes[..cut])?;
        let r = inspect_artwork(&q)?;
        assert!(r.findings.iter().any(|f| f.severity == Severity::Error), "{cut}: {:?}", r.findings);
        assert!(r.findings.iter().any(|f| f.message.contains(&format!("cut{cut}.jpg"))));
    }
    let png_path = d.path().join("full.png");
    img.save(&png_path)?;
    let bytes = std::fs::read(&png_path)?;
    let q = d.path().join("cut.png");
    std::fs::write(&q, &bytes[..bytes.len() * 2 / 3])?;
    let r = inspect_artwork(&q)?;
    assert!(has(&r, "ART-TRUNCATED") && !r.decoded, "{:?}", r.findings);
    assert!(thumbnail(&q, 64).is_err());

    let empty = d.path().join("empty.jpg");
    std::fs::write(&empty, b"")?;
    assert!(matches!(inspect_artwork(&empty), Err(MediaError::Unsupported { .. })));
    let text = d.path().join("notes.png");
    std::fs::write(&text, b"hello, not an image")?;
    let r = inspect_artwork(&text)?;
    assert!(has(&r, "ART-FMT"));
    let tiff = d.path().join("c.tif");
    std::fs::write(&tiff, b"II*\0\x08\0\0\0")?;
    let r = inspect_artwork(&tiff)?;
    assert_eq!(r.format, "tiff");
    assert!(has(&r, "ART-UNCHECKED"));
    assert!(
        check_artwork(&r, profile("revelator").expect("revelator")).iter().any(|f| f.rule_id == "ART-FMT")
    );
    // A PNG named .jpg.
    let renamed = d.path().join("really-png.jpg");
    std::fs::copy(&png_path, &renamed)?;
    assert!(has(&inspect_artwork(&renamed)?, "ART-EXT"));
    Ok(())
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[test]
fn a_decompression_bomb_is_a_finding_not_an_allocation() -> TestResult {
    let d = dir();
    // 60000×60000 RGBA (14 GB decoded) in a few hundred bytes.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    let p = d.path().join("bomb.png");
    std::fs::write(&p, &png)?;
    let r = inspect_artwork(&p)?;
    assert_eq!((r.width, r.height), (60_000, 60_000));
    assert!(has(&r, "ART-BOMB") && !r.decoded);
    assert!(thumbnail(&p, 512).is_err());

    // Within the dimension limit but over the allocation limit: 11000×11000 16-bit RGBA
    // (968 MB) is refused by the decoder's limits.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&11_000u32.to_be_bytes());
    ihdr.extend_from_slice(&11_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    let p = d.path().join("big.png");
    std::fs::write(&p, &png)?;
    let r = inspect_artwork(&p)?;
    assert!(has(&r, "ART-DECODE") && !r.decoded, "{:?}", r.findings);
    Ok(())
}

#[test]
fn an_upscaled_cover_is_flagged_and_a_sharp_one_is_not() -> TestResult {
    let d = dir();
    let sharp = detailed(1024, 4);
    let sp = d.path().join("sharp.png");
    sharp.save(&sp)?;
    let small = image::imageops::resize(&sharp, 256, 256, image::imageops::FilterType::Triangle);
    let up = image::imageops::resize(&small, 1024, 1024, image::imageops::FilterType::CatmullRom);
    let upp = d.path().join("up.png");
    up.save(&upp)?;
    let a = inspect_artwork(&sp)?;
    let b = inspect_artwork(&upp)?;
    assert!(!has(&a, "ART-BLUR"), "{:?} {:?}", a.fine_detail_ratio, a.findings);
    assert!(has(&b, "ART-BLUR"), "{:?}", b.fine_detail_ratio);
    assert!(a.fine_detail_ratio > b.fine_detail_ratio);
    assert!(a.sharpness > b.sharpness);
    Ok(())
}

#[test]
fn solid_borders_and_flat_covers_are_found() -> TestResult {
    let d = dir();
    let mut img = detailed(400, 5);
    for y in (0..40).chain(360..400) {
        for x in 0..400 {
            img.put_pixel(x, y, Rgb([255, 255, 255]));
        }
    }
    let p = d.path().join("bars.png");
    img.save(&p)?;
    let r = inspect_artwork(&p)?;
    let b = r.borders.expect("borders");
    assert_eq!((b.top, b.bottom), (40, 40));
    assert!(b.left < 2 && b.right < 2, "{b:?}");
    assert!(has(&r, "ART-BORDER"));

    let flat = d.path().join("white.png");
    GrayImage::from_pixel(300, 300, image::Luma([255])).save(&flat)?;
    let r = inspect_artwork(&flat)?;
    assert!(r.solid_color && has(&r, "ART-SOLID"));
    assert!(!has(&r, "ART-BLUR"));

    let clean = d.path().join("clean.png");
    detailed(300, 6).save(&clean)?;
    let r = inspect_artwork(&clean)?;
    assert!(!has(&r, "ART-BORDER") && !r.solid_color, "{:?}", r.findings);
    Ok(())
}

#[test]
fn thumbnails_fit_the_box_and_keep_small_images() -> TestResult {
    let d = dir();
    let p: PathBuf = d.path().join("big.jpg");
    let img = detailed(1200, 7);
    jpeg(&p, img.as_raw(), 1200, 1200, JpegColor::Rgb, |_| {})?;
    let t = image::load_from_memory_with_format(&thumbnail(&p, 512)?, ImageFormat::Png)?;
    assert_eq!((t.width(), t.height()), (512, 512));
    let out = d.path().join("t.png");
    catno_media::write_thumbnail(&p, &out, 100)?;
    let t = image::open(&out)?;
    assert_eq!((t.width(), t.height()), (100, 100));
    let q = d.path().join("small.png");
    detailed(64, 8).save(&q)?;
    let t = image::load_from_memory(&thumbnail(&q, 512)?)?;
    assert_eq!((t.width(), t.height()), (64, 64));
    Ok(())
}

/// A large, non-square cover (box shrink, then the triangle filter): the aspect is kept, each
/// quadrant's colour lands where it was, flat areas keep their exact colour, and the edges
/// between them are blended, not shifted.
#[test]
fn thumbnails_of_large_covers_keep_the_picture_in_place() -> TestResult {
    let d = dir();
    let colours = [[200u8, 30, 40, 255], [20, 180, 60, 128], [30, 40, 220, 255], [240, 230, 20, 0]];
    let img = RgbaImage::from_fn(3000, 1800, |x, y| {
        Rgba(colours[usize::from(x >= 1500) + 2 * usize::from(y >= 900)])
    });
    let p = d.path().join("quads.png");
    img.save(&p)?;
    let t = image::load_from_memory_with_format(&thumbnail(&p, 512)?, ImageFormat::Png)?.to_rgba8();
    assert_eq!((t.width(), t.height()), (512, 307));
    for (x, y, want) in
        [(100, 60, 0), (400, 60, 1), (100, 250, 2), (400, 250, 3), (250, 150, 0), (262, 158, 3)]
    {
        assert_eq!(t.get_pixel(x, y).0, colours[want], "at {x},{y}");
    }
    // Across the vertical edge (at 256 px): a blend of the two sides, in between.
    let seam = t.get_pixel(256, 60).0;
    assert!((21..200).contains(&seam[0]) && (31..180).contains(&seam[1]), "{seam:?}");
    Ok(())
}

#[test]
fn reports_serialise_with_the_cli_keys() -> TestResult {
    let d = dir();
    let p = d.path().join("c.png");
    detailed(64, 9).save(&p)?;
    let v = serde_json::to_value(inspect_artwork(&p)?)?;
    for key in ["width", "height", "color_type", "findings", "format", "square", "file_size"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["color_type"], "rgb");
    let back: ArtworkReport = serde_json::from_value(v)?;
    assert_eq!(back.width, 64);
    Ok(())
}

#[test]
fn damaged_bytes_never_panic() -> TestResult {
    let d = dir();
    let jpg = d.path().join("ok.jpg");
    let img = detailed(48, 10);
    jpeg(&jpg, img.as_raw(), 48, 48, JpegColor::Rgb, |e| e.set_progressive(true))?;
    let png_path = d.path().join("ok.png");
    img.save(&png_path)?;
    let mut noise = Noise::new(5);
    let mut rand = |n: usize| ((noise.next_sample() + 1.0) * 0.5 * n as f64) as usize % n.max(1);
    for (k, original) in [jpg, png_path].iter().enumerate() {
        let bytes = std::fs::read(original)?;
        let ext = original.extension().and_then(|e| e.to_str()).unwrap_or("bin");
        for round in 0..60 {
            let mut b = bytes.clone();
            for _ in 0..1 + rand(6) {
                let at = if rand(2) == 0 { rand(300.min(b.len())) } else { rand(b.len()) };
                b[at] = rand(256) as u8;
            }
            if rand(3) == 0 {
                b.truncate(1 + rand(b.len()));
            }
            let p = d.path().join(format!("m{k}-{round}.{ext}"));
            std::fs::write(&p, &b)?;
            if let Err(e) = inspect_artwork(&p) {
                assert!(e.to_string().contains(&format!("m{k}-{round}")), "{e}");
            }
            let _ = thumbnail(&p, 32);
        }
    }
    Ok(())
}
