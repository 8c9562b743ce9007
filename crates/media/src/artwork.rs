//! Artwork QC: facts read from the file's own header (JPEG markers, PNG chunks), never from
//! the decoded pixels, because decoders silently convert CMYK/YCCK/palette/16-bit to RGB8;
//! then, on the decoded pixels (under allocation limits, so a decompression bomb is a finding
//! and not an OOM), heuristics for blur/upscaling and solid borders, and a thumbnail.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, GrayImage, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use crate::MediaError;
use crate::finding::{Finding, Severity};

/// Largest width or height we decode.
pub const MAX_DIMENSION: u32 = 12_000;
/// Largest allocation the decoder may make.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Largest artwork file we read at all.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The colour model stored in the file (not what a decoder turns it into).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ColorType {
    Rgb,
    Rgba,
    /// JPEG's usual RGB-as-luma/chroma encoding.
    Ycbcr,
    Grayscale,
    GrayscaleAlpha,
    Palette,
    Cmyk,
    Ycck,
    Unknown,
}

impl ColorType {
    /// Decodes to RGB with no conversion of colour spaces: RGB, YCbCr, RGBA.
    pub fn is_rgb(self) -> bool {
        matches!(self, ColorType::Rgb | ColorType::Rgba | ColorType::Ycbcr)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IccProfile {
    pub size: u32,
    /// The ICC header's data colour space, e.g. `RGB`, `CMYK`, `GRAY`.
    pub color_space: String,
    /// The profile description (`desc` tag), or the PNG profile name.
    pub description: Option<String>,
    /// The description names sRGB.
    pub srgb: bool,
}

/// Uniform rows/columns at each edge, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Borders {
    pub top: u32,
    pub bottom: u32,
    pub left: u32,
    pub right: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArtworkReport {
    pub path: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub file_size: u64,
    /// `jpeg`, `png`, or for files we only recognise: `tiff`, `webp`, `gif`, `bmp`, `heic`;
    /// `unknown` otherwise.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub square: bool,
    pub color_type: ColorType,
    /// Bits per channel (8 or 16 for PNG; 8 or 12 for JPEG); palette PNG: bits per index.
    pub bit_depth: u32,
    pub has_alpha: bool,
    /// Progressive JPEG or interlaced PNG.
    pub progressive: bool,
    /// JPEG arithmetic coding (rarely supported by ingest pipelines).
    pub arithmetic_coding: bool,
    pub icc_profile: Option<IccProfile>,
    /// EXIF orientation (1 = upright).
    pub exif_orientation: Option<u32>,
    /// Pixels per inch from JFIF/pHYs, when declared.
    pub dpi: Option<f64>,
    /// The pixels were decoded (false for bombs, unsupported formats, damaged data).
    pub decoded: bool,
    /// Variance of the Laplacian on a ≤ 512 px grey version (low = blurry or flat).
    pub sharpness: Option<f64>,
    /// Laplacian energy at full size relative to half size: about 1/16 for an image upscaled
    /// ≥ 2× (no pixel-level detail), near or above 1 for a sharp one.
    pub fine_detail_ratio: Option<f64>,
    pub borders: Option<Borders>,
    /// One flat colour everywhere.
    pub solid_color: bool,
    pub findings: Vec<Finding>,
}

/// Inspects the artwork at `path`. `Err` only when the file cannot be read or is empty;
/// unknown formats, damaged data and bombs give a report with findings.
pub fn inspect_artwork(path: &Path) -> Result<ArtworkReport, MediaError> {
    inspect(path, None).map(|(r, _)| r)
}

/// [`inspect_artwork`] and a PNG thumbnail no larger than `max_size` px, from one decode.
pub fn inspect_artwork_with_thumbnail(
    path: &Path,
    max_size: u32,
) -> Result<(ArtworkReport, Option<Vec<u8>>), MediaError> {
    inspect(path, Some(max_size))
}

/// A PNG (bytes) of the artwork scaled to fit `max_size` × `max_size`, EXIF orientation applied.
pub fn thumbnail(path: &Path, max_size: u32) -> Result<Vec<u8>, MediaError> {
    let (report, thumb) = inspect(path, Some(max_size))?;
    thumb.ok_or_else(|| {
        let why = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map_or_else(|| "the image could not be decoded".to_owned(), |f| f.message.clone());
        MediaError::corrupt(path, why)
    })
}

/// Writes [`thumbnail`] to `out`.
pub fn write_thumbnail(path: &Path, out: &Path, max_size: u32) -> Result<(), MediaError> {
    let png = thumbnail(path, max_size)?;
    std::fs::write(out, png).map_err(MediaError::io(out))
}

#[derive(Debug, Default)]
struct Header {
    format: &'static str,
    width: u32,
    height: u32,
    color_type: Option<ColorType>,
    bit_depth: u32,
    has_alpha: bool,
    progressive: bool,
    arithmetic: bool,
    icc: Option<IccProfile>,
    orientation: Option<u32>,
    dpi: Option<f64>,
    findings: Vec<Finding>,
}

fn inspect(path: &Path, thumb: Option<u32>) -> Result<(ArtworkReport, Option<Vec<u8>>), MediaError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(MediaError::io(path))?;
    if meta.is_dir() {
        return Err(MediaError::unsupported(path, "is a folder, not an image"));
    }
    let file_size = meta.len();
    if file_size == 0 {
        return Err(MediaError::unsupported(path, "empty file (0 bytes)"));
    }
    if file_size > MAX_FILE_BYTES {
        return Err(MediaError::unsupported(path, format!("{file_size} bytes: too large for artwork")));
    }
    let bytes = std::fs::read(path).map_err(MediaError::io(path))?;
    let mut h = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        parse_jpeg(&bytes, &name)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        parse_png(&bytes, &name)
    } else {
        let format = sniff_other(&bytes);
        let mut h = Header { format, ..Header::default() };
        h.findings.push(if format == "unknown" {
            Finding::new(
                "ART-FMT",
                Severity::Error,
                format!("{name}: not an image this app reads (JPEG or PNG)"),
            )
            .measured("unknown")
            .limit("jpeg, png")
            .hint("Export the cover as RGB JPEG (or PNG)")
        } else {
            Finding::new(
                "ART-UNCHECKED",
                Severity::Warning,
                format!("{name}: {format} artwork is not decoded here: size and colours not checked"),
            )
            .measured(format.to_owned())
            .hint("Export the cover as RGB JPEG (or PNG) to have it checked")
        });
        h
    };
    if let Some(f) = extension_mismatch(path, h.format) {
        h.findings.insert(0, f);
    }
    let mut report = ArtworkReport {
        path: name.clone(),
        file_size,
        format: h.format.to_owned(),
        width: h.width,
        height: h.height,
        square: h.width > 0 && h.width == h.height,
        color_type: h.color_type.unwrap_or(ColorType::Unknown),
        bit_depth: h.bit_depth,
        has_alpha: h.has_alpha,
        progressive: h.progressive,
        arithmetic_coding: h.arithmetic,
        icc_profile: h.icc,
        exif_orientation: h.orientation,
        dpi: h.dpi,
        decoded: false,
        sharpness: None,
        fine_detail_ratio: None,
        borders: None,
        solid_color: false,
        findings: std::mem::take(&mut h.findings),
    };
    if !matches!(report.format.as_str(), "jpeg" | "png") || report.width == 0 {
        return Ok((report, None));
    }
    if report.width > MAX_DIMENSION || report.height > MAX_DIMENSION {
        report.findings.push(
            Finding::new(
                "ART-BOMB",
                Severity::Error,
                format!(
                    "{name}: declares {}×{} px, over the {MAX_DIMENSION} px decoding limit",
                    report.width, report.height
                ),
            )
            .measured(format!("{}×{}", report.width, report.height))
            .limit(format!("{MAX_DIMENSION}×{MAX_DIMENSION}"))
            .hint("Export the cover at 3000×3000 px"),
        );
        return Ok((report, None));
    }
    let img = match decode(&bytes) {
        Ok(img) => img,
        Err(message) => {
            report.findings.push(
                Finding::new(
                    "ART-DECODE",
                    Severity::Error,
                    format!("{name}: the image data cannot be decoded: {message}"),
                )
                .hint("The file is damaged or truncated; export it again"),
            );
            return Ok((report, None));
        }
    };
    report.decoded = true;
    // The measurements and the thumbnail only read the pixels: side by side on two cores.
    let orientation = report.exif_orientation;
    let thumb = std::thread::scope(|scope| {
        let pixels = &img;
        let thumb =
            thumb.map(|max| scope.spawn(move || make_thumbnail(pixels, max.max(1), orientation, path)));
        measure(&img, &mut report);
        thumb.map(|t| t.join().unwrap_or_else(|_| Err(MediaError::corrupt(path, "thumbnail failed"))))
    });
    Ok((report, thumb.transpose()?))
}

/// Decodes under [`Limits`]; a decoder panic on hostile input becomes an error.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    std::panic::catch_unwind(|| decode_limited(bytes))
        .unwrap_or_else(|_| Err("the decoder failed on damaged data".to_owned()))
}

fn decode_limited(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())
}

fn make_thumbnail(
    img: &DynamicImage,
    max: u32,
    orientation: Option<u32>,
    path: &Path,
) -> Result<Vec<u8>, MediaError> {
    let mut small = if img.width() > max || img.height() > max {
        // A box average by the largest whole factor first, leaving less than 2× for a
        // triangle filter (vips' shrink, then reduce): the filter's cost grows with the ratio
        // (3000 → 512 px from 1500 px was two thirds of the thumbnail's time), the box's does
        // not, and an f×f average is the right pre-filter for 1/f of the size.
        let factor = img.width().max(img.height()) / max;
        let (w, h) = fit(img.width(), img.height(), max);
        match (img.color().has_alpha(), img) {
            (false, DynamicImage::ImageRgb8(rgb)) => DynamicImage::ImageRgb8(shrink(rgb, factor, w, h)),
            (true, DynamicImage::ImageRgba8(rgba)) => DynamicImage::ImageRgba8(shrink(rgba, factor, w, h)),
            (true, other) => DynamicImage::ImageRgba8(shrink(&other.to_rgba8(), factor, w, h)),
            (false, other) => DynamicImage::ImageRgb8(shrink(&other.to_rgb8(), factor, w, h)),
        }
    } else {
        img.clone()
    };
    if let Some(o) =
        orientation.and_then(|o| u8::try_from(o).ok()).and_then(image::metadata::Orientation::from_exif)
    {
        small.apply_orientation(o);
    }
    let small = if small.color().has_alpha() {
        DynamicImage::ImageRgba8(small.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(small.to_rgb8())
    };
    let mut out = Cursor::new(Vec::new());
    small
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| MediaError::Encode { path: path.to_owned(), message: e.to_string() })?;
    Ok(out.into_inner())
}

/// The size of `w`×`h` scaled to fit a `max`×`max` box, aspect kept (as `image` rounds it).
fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    let ratio = (f64::from(max) / f64::from(w.max(1))).min(f64::from(max) / f64::from(h.max(1)));
    let side = |v: u32| ((f64::from(v) * ratio).round() as u32).clamp(1, max);
    (side(w), side(h))
}

/// A box average by `factor` (when ≥ 2), then a triangle (linear) filter to exactly `w`×`h`.
fn shrink<P>(
    img: &image::ImageBuffer<P, Vec<u8>>,
    factor: u32,
    w: u32,
    h: u32,
) -> image::ImageBuffer<P, Vec<u8>>
where
    P: image::Pixel<Subpixel = u8>,
{
    let boxed;
    let src = if factor >= 2 {
        boxed = box_shrink(img, factor);
        &boxed
    } else {
        img
    };
    if src.dimensions() == (w, h) {
        return src.clone();
    }
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let (ow, oh) = (w as usize, h as usize);
    let out = match P::CHANNEL_COUNT {
        1 => triangle_raw::<1>(src.as_raw(), sw, sh, ow, oh),
        2 => triangle_raw::<2>(src.as_raw(), sw, sh, ow, oh),
        3 => triangle_raw::<3>(src.as_raw(), sw, sh, ow, oh),
        _ => triangle_raw::<4>(src.as_raw(), sw, sh, ow, oh),
    };
    image::ImageBuffer::from_raw(w, h, out).unwrap_or_else(|| image::ImageBuffer::new(1, 1))
}

/// For each of `dst` outputs, the first of `src` inputs it reads and the normalised weights of
/// a triangle filter (support widened by the ratio when shrinking, as `image`'s `Triangle`).
fn triangle_weights(src: usize, dst: usize) -> Vec<(usize, Vec<f32>)> {
    let ratio = src as f32 / dst.max(1) as f32;
    let scale = ratio.max(1.0);
    (0..dst)
        .map(|o| {
            let centre = (o as f32 + 0.5) * ratio;
            let left = ((centre - scale).floor().max(0.0) as usize).min(src.saturating_sub(1));
            let right = ((centre + scale).ceil().max(0.0) as usize).clamp(left + 1, src.max(left + 1));
            let mut weights: Vec<f32> =
                (left..right).map(|i| (1.0 - ((i as f32 + 0.5 - centre) / scale).abs()).max(0.0)).collect();
            let total: f32 = weights.iter().sum();
            if total > 0.0 {
                weights.iter_mut().for_each(|w| *w /= total);
                (left, weights)
            } else {
                ((centre as usize).min(src.saturating_sub(1)), vec![1.0])
            }
        })
        .collect()
}

/// Separable triangle resampling of 8-bit pixels with `CH` channels: rows first (whole rows
/// of floats, which vectorises), then columns.
fn triangle_raw<const CH: usize>(src: &[u8], sw: usize, sh: usize, ow: usize, oh: usize) -> Vec<u8> {
    let rows = triangle_weights(sh, oh);
    let cols = triangle_weights(sw, ow);
    let stride = sw * CH;
    let mut line = vec![0f32; stride];
    let mut out = vec![0u8; ow * oh * CH];
    for ((top, weights), out_row) in rows.iter().zip(out.chunks_exact_mut(ow * CH)) {
        line.fill(0.0);
        for (k, wk) in weights.iter().enumerate() {
            let Some(row) = src.get((top + k) * stride..(top + k + 1) * stride) else { continue };
            for (l, v) in line.iter_mut().zip(row) {
                *l += wk * f32::from(*v);
            }
        }
        for ((left, weights), px) in cols.iter().zip(out_row.chunks_exact_mut(CH)) {
            let mut acc = [0f32; CH];
            for (k, wk) in weights.iter().enumerate() {
                let Some(p) = line.get((left + k) * CH..(left + k + 1) * CH) else { continue };
                for (a, v) in acc.iter_mut().zip(p) {
                    *a += wk * v;
                }
            }
            for (o, a) in px.iter_mut().zip(acc) {
                *o = (a + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

fn sniff_other(b: &[u8]) -> &'static str {
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        "tiff"
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        "webp"
    } else if b.starts_with(b"GIF8") {
        "gif"
    } else if b.starts_with(b"BM") {
        "bmp"
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
        "heic"
    } else {
        "unknown"
    }
}

fn extension_mismatch(path: &Path, format: &str) -> Option<Finding> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let ok: &[&str] = match format {
        "jpeg" => &["jpg", "jpeg", "jpe", "jfif"],
        "png" => &["png"],
        "tiff" => &["tif", "tiff"],
        "webp" => &["webp"],
        "gif" => &["gif"],
        "bmp" => &["bmp"],
        _ => return None,
    };
    (!ok.contains(&ext.as_str())).then(|| {
        Finding::new(
            "ART-EXT",
            Severity::Warning,
            format!("{}: extension '.{ext}' but the content is {format}", path.display()),
        )
        .measured(format.to_owned())
        .limit(format!(".{ext}"))
        .hint(format!("Rename the file to .{}", ok[0]))
    })
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}

fn truncated(name: &str, what: &str) -> Finding {
    Finding::new(
        "ART-TRUNCATED",
        Severity::Error,
        format!("{name}: {what}: the file is truncated or damaged"),
    )
    .hint("Export the cover again")
}

fn parse_jpeg(b: &[u8], name: &str) -> Header {
    let mut h = Header { format: "jpeg", ..Header::default() };
    let mut adobe_transform: Option<u8> = None;
    let mut components: Vec<u8> = Vec::new();
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    let mut pos = 2usize;
    let mut saw_sof = false;
    let mut saw_sos = false;
    loop {
        // Find the next marker (skipping fill bytes).
        while pos < b.len() && b[pos] != 0xFF {
            pos += 1;
        }
        while pos < b.len() && b[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = b.get(pos) else { break };
        pos += 1;
        if marker == 0xD9 {
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 || marker == 0x00 {
            continue;
        }
        let Some(len) = be16(b, pos) else { break };
        let len = usize::from(len);
        if len < 2 || pos + len > b.len() {
            h.findings.push(truncated(name, "a JPEG segment runs past the end of the file"));
            return finish_jpeg(h, adobe_transform, &components, &icc_chunks);
        }
        let seg = &b[pos + 2..pos + len];
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                saw_sof = true;
                h.progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                h.arithmetic = marker >= 0xC9;
                if seg.len() >= 6 {
                    h.bit_depth = u32::from(seg[0]);
                    h.height = u32::from(be16(seg, 1).unwrap_or(0));
                    h.width = u32::from(be16(seg, 3).unwrap_or(0));
                    let n = usize::from(seg[5]);
                    components = (0..n).filter_map(|i| seg.get(6 + 3 * i).copied()).collect();
                }
            }
            0xE0 if seg.starts_with(b"JFIF\0") && seg.len() >= 12 => {
                let units = seg[7];
                let x = f64::from(be16(seg, 8).unwrap_or(0));
                h.dpi = match units {
                    1 if x > 0.0 => Some(x),
                    2 if x > 0.0 => Some((x * 2.54 * 100.0).round() / 100.0),
                    _ => None,
                };
            }
            0xE1 if seg.starts_with(b"Exif\0\0") => h.orientation = exif_orientation(&seg[6..]),
            0xE2 if seg.starts_with(b"ICC_PROFILE\0") && seg.len() > 14 => {
                icc_chunks.push((seg[12], &seg[14..]))
            }
            0xEE if seg.starts_with(b"Adobe") && seg.len() >= 12 => adobe_transform = Some(seg[11]),
            0xDA => {
                saw_sos = true;
                break;
            }
            _ => {}
        }
        pos += len;
    }
    if !saw_sof {
        h.findings.push(truncated(name, "no JPEG frame header (SOF)"));
    } else if !saw_sos {
        h.findings.push(truncated(name, "no JPEG image data (SOS)"));
    } else {
        // A complete JPEG ends with EOI (allowing some trailing padding).
        let tail = &b[b.len().saturating_sub(4096)..];
        if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
            h.findings.push(truncated(name, "the JPEG has no end-of-image marker"));
        }
    }
    finish_jpeg(h, adobe_transform, &components, &icc_chunks)
}

fn finish_jpeg(mut h: Header, adobe: Option<u8>, components: &[u8], icc_chunks: &[(u8, &[u8])]) -> Header {
    h.color_type = Some(match components.len() {
        1 => ColorType::Grayscale,
        3 => match adobe {
            Some(0) => ColorType::Rgb,
            Some(_) => ColorType::Ycbcr,
            None if components == b"RGB" => ColorType::Rgb,
            None => ColorType::Ycbcr,
        },
        4 => match adobe {
            Some(2) => ColorType::Ycck,
            _ => ColorType::Cmyk,
        },
        _ => ColorType::Unknown,
    });
    if !icc_chunks.is_empty() {
        let mut chunks = icc_chunks.to_vec();
        chunks.sort_by_key(|c| c.0);
        let profile: Vec<u8> = chunks.iter().flat_map(|c| c.1.iter().copied()).collect();
        h.icc = Some(parse_icc(&profile, None));
    }
    h
}

/// Orientation (tag 0x0112) from IFD0 of a TIFF-structured EXIF block.
fn exif_orientation(tiff: &[u8]) -> Option<u32> {
    let le = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let r16 = |at: usize| -> Option<u16> {
        let s = tiff.get(at..at + 2)?;
        Some(if le { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) })
    };
    let r32 = |at: usize| -> Option<u32> {
        let s = tiff.get(at..at + 4)?;
        Some(if le {
            u32::from_le_bytes([s[0], s[1], s[2], s[3]])
        } else {
            u32::from_be_bytes([s[0], s[1], s[2], s[3]])
        })
    };
    let ifd = r32(4)? as usize;
    let count = usize::from(r16(ifd)?);
    for i in 0..count.min(512) {
        let e = ifd + 2 + 12 * i;
        if r16(e)? == 0x0112 {
            return Some(u32::from(r16(e + 8)?));
        }
    }
    None
}

fn parse_icc(p: &[u8], fallback_name: Option<String>) -> IccProfile {
    let color_space = p.get(16..20).map(|s| String::from_utf8_lossy(s).trim().to_owned()).unwrap_or_default();
    let mut description = icc_description(p).or(fallback_name);
    if let Some(d) = &mut description {
        *d = d.trim_matches(char::from(0)).trim().to_owned();
    }
    let srgb = description.as_deref().is_some_and(|d| d.to_ascii_lowercase().contains("srgb"));
    IccProfile { size: p.len() as u32, color_space, description, srgb }
}

fn icc_description(p: &[u8]) -> Option<String> {
    let count = be32(p, 128)? as usize;
    for i in 0..count.min(256) {
        let e = 132 + 12 * i;
        if p.get(e..e + 4)? != b"desc" {
            continue;
        }
        let off = be32(p, e + 4)? as usize;
        let size = be32(p, e + 8)? as usize;
        let tag = p.get(off..off.checked_add(size)?)?;
        return match tag.get(0..4)? {
            b"desc" => {
                let n = be32(tag, 8)? as usize;
                let s = tag.get(12..12 + n.min(tag.len().saturating_sub(12)))?;
                Some(String::from_utf8_lossy(s).into_owned())
            }
            b"mluc" => {
                let len = be32(tag, 20)? as usize;
                let at = be32(tag, 24)? as usize;
                let s = tag.get(at..at.checked_add(len)?)?;
                let units: Vec<u16> = s.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                Some(String::from_utf16_lossy(&units))
            }
            _ => None,
        };
    }
    None
}

fn parse_png(b: &[u8], name: &str) -> Header {
    let mut h = Header { format: "png", ..Header::default() };
    let mut pos = 8usize;
    let mut saw_iend = false;
    let mut saw_idat = false;
    let mut trns = false;
    let mut color = 0u8;
    while pos + 8 <= b.len() {
        let len = be32(b, pos).unwrap_or(0) as usize;
        let kind = &b[pos + 4..pos + 8];
        let Some(data) = pos.checked_add(8 + len).filter(|end| *end <= b.len()).map(|end| &b[pos + 8..end])
        else {
            h.findings.push(truncated(
                name,
                &format!("PNG chunk '{}' runs past the end of the file", String::from_utf8_lossy(kind)),
            ));
            break;
        };
        match kind {
            b"IHDR" if data.len() >= 13 => {
                h.width = be32(data, 0).unwrap_or(0);
                h.height = be32(data, 4).unwrap_or(0);
                h.bit_depth = u32::from(data[8]);
                color = data[9];
                h.progressive = data[12] == 1;
            }
            b"iCCP" => {
                let nul = data.iter().position(|c| *c == 0).unwrap_or(data.len());
                let profile_name = String::from_utf8_lossy(&data[..nul]).into_owned();
                let srgb = profile_name.to_ascii_lowercase().contains("srgb");
                // The profile itself is zlib-compressed; its name is enough to tell sRGB.
                h.icc = Some(IccProfile {
                    size: data.len().saturating_sub(nul + 2) as u32,
                    color_space: String::new(),
                    description: Some(profile_name),
                    srgb,
                });
            }
            b"sRGB" if h.icc.is_none() => {}
            b"eXIf" => h.orientation = exif_orientation(data),
            b"pHYs" if data.len() >= 9 && data[8] == 1 => {
                let ppm = f64::from(be32(data, 0).unwrap_or(0));
                h.dpi = (ppm > 0.0).then(|| (ppm * 0.0254 * 100.0).round() / 100.0);
            }
            b"tRNS" => trns = true,
            b"IDAT" => saw_idat = true,
            b"IEND" => {
                saw_iend = true;
                break;
            }
            _ => {}
        }
        pos += 12 + len;
    }
    h.color_type = Some(match color {
        0 => ColorType::Grayscale,
        2 => ColorType::Rgb,
        3 => ColorType::Palette,
        4 => ColorType::GrayscaleAlpha,
        6 => ColorType::Rgba,
        _ => ColorType::Unknown,
    });
    h.has_alpha = matches!(color, 4 | 6) || trns;
    if h.width == 0 {
        h.findings.push(truncated(name, "no PNG header (IHDR)"));
    } else if !saw_idat {
        h.findings.push(truncated(name, "no PNG image data (IDAT)"));
    } else if !saw_iend && !h.findings.iter().any(|f| f.rule_id == "ART-TRUNCATED") {
        h.findings.push(truncated(name, "the PNG has no IEND chunk"));
    }
    h
}

/// Blur, upscaling, borders and flatness from the decoded pixels.
fn measure(img: &DynamicImage, report: &mut ArtworkReport) {
    let luma = match img {
        DynamicImage::ImageRgb8(rgb) => luma_of_rgb8(rgb),
        other => other.to_luma8(),
    };
    let (w, h) = luma.dimensions();
    if w < 3 || h < 3 {
        return;
    }
    // Sharpness on a ≤ 512 px box-averaged version, so it does not depend on the size.
    let factor = w.max(h).div_ceil(512).max(1);
    let small = box_downscale(&luma, factor);
    report.sharpness = laplacian_variance(&small).map(|v| (v * 10.0).round() / 10.0);
    let half = box_downscale(&luma, 2);
    if let (Some(full), Some(halfv)) = (laplacian_variance(&luma), laplacian_variance(&half)) {
        if halfv > 0.0 {
            report.fine_detail_ratio = Some(((full / halfv) * 1000.0).round() / 1000.0);
        }
        // Significant structure at half size but almost none at pixel level: upscaled/blurred.
        if halfv >= 20.0 && full / halfv < 0.12 {
            report.findings.push(
                Finding::new(
                    "ART-BLUR",
                    Severity::Warning,
                    format!(
                        "{}: little pixel-level detail: likely upscaled from a smaller image or blurred",
                        report.path
                    ),
                )
                .measured(format!("fine-detail ratio {:.3}", full / halfv))
                .limit("≥ 0.12")
                .hint("Export the cover from the original artwork at full resolution"),
            );
        }
    }
    let converted;
    let rgb = match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => {
            converted = other.to_rgb8();
            &converted
        }
    };
    let borders = find_borders(rgb);
    report.solid_color = borders.top >= h;
    if report.solid_color {
        report.findings.push(
            Finding::new(
                "ART-SOLID",
                Severity::Error,
                format!("{}: the cover is one flat colour", report.path),
            )
            .hint("Use the real cover art; blank covers are refused"),
        );
    } else {
        let min_w = (w / 50).max(2);
        let min_h = (h / 50).max(2);
        let sides: Vec<String> = [
            ("top", borders.top, min_h),
            ("bottom", borders.bottom, min_h),
            ("left", borders.left, min_w),
            ("right", borders.right, min_w),
        ]
        .iter()
        .filter(|(_, px, min)| px >= min)
        .map(|(side, px, _)| format!("{side} {px} px"))
        .collect();
        if !sides.is_empty() {
            report.findings.push(
                Finding::new(
                    "ART-BORDER",
                    Severity::Warning,
                    format!(
                        "{}: solid border ({}): the art may not fill the square",
                        report.path,
                        sides.join(", ")
                    ),
                )
                .measured(sides.join(", "))
                .hint("Crop the borders so the artwork fills the whole square"),
            );
        }
    }
    report.borders = Some(borders);
}

fn box_downscale(img: &GrayImage, factor: u32) -> GrayImage {
    if factor <= 1 {
        return img.clone();
    }
    box_shrink(img, factor)
}

/// Averages `factor`×`factor` blocks of an 8-bit image of any channel count, rows at a time
/// (a slice walk, not per-pixel lookups: this runs over every pixel of a 3000 px cover). A
/// partial block at the right or bottom edge is dropped; an image smaller than one block
/// repeats its edge pixels.
fn box_shrink<P>(img: &image::ImageBuffer<P, Vec<u8>>, factor: u32) -> image::ImageBuffer<P, Vec<u8>>
where
    P: image::Pixel<Subpixel = u8>,
{
    let (w, h) = (img.width() as usize, img.height() as usize);
    let f = factor.max(1) as usize;
    let (ow, oh) = ((w / f).max(1), (h / f).max(1));
    let out = match P::CHANNEL_COUNT {
        1 => box_shrink_raw::<1>(img.as_raw(), w, h, f),
        2 => box_shrink_raw::<2>(img.as_raw(), w, h, f),
        3 => box_shrink_raw::<3>(img.as_raw(), w, h, f),
        _ => box_shrink_raw::<4>(img.as_raw(), w, h, f),
    };
    image::ImageBuffer::from_raw(ow as u32, oh as u32, out).unwrap_or_else(|| image::ImageBuffer::new(1, 1))
}

fn box_shrink_raw<const CH: usize>(src: &[u8], w: usize, h: usize, f: usize) -> Vec<u8> {
    let (ow, oh) = ((w / f).max(1), (h / f).max(1));
    let mut out = vec![0u8; ow * oh * CH];
    let mut sums = vec![0u32; ow * CH];
    let area = (f * f) as u32;
    let clamp = w < f || h < f;
    if f == 2 && !clamp {
        // The common case (half size for the detail ratio, 3000 → 1500 before a thumbnail),
        // in a form that vectorises.
        for (oy, out_row) in out.chunks_exact_mut(ow * CH).enumerate() {
            let top = &src[2 * oy * w * CH..(2 * oy + 1) * w * CH];
            let bottom = &src[(2 * oy + 1) * w * CH..(2 * oy + 2) * w * CH];
            for ((o, t), b) in
                out_row.chunks_exact_mut(CH).zip(top.chunks_exact(2 * CH)).zip(bottom.chunks_exact(2 * CH))
            {
                for c in 0..CH {
                    let sum = u16::from(t[c]) + u16::from(t[CH + c]) + u16::from(b[c]) + u16::from(b[CH + c]);
                    o[c] = ((sum + 2) >> 2) as u8;
                }
            }
        }
        return out;
    }
    if !clamp && f <= 257 {
        // Rows first: f rows added element-wise into 16-bit column sums (255 · 257 < 2¹⁶),
        // which vectorises whatever f is; then each run of f columns summed once per output row.
        let mut cols = vec![0u16; w * CH];
        for (oy, out_row) in out.chunks_exact_mut(ow * CH).enumerate() {
            cols.fill(0);
            for row in src[oy * f * w * CH..(oy + 1) * f * w * CH].chunks_exact(w * CH) {
                for (c, v) in cols.iter_mut().zip(row) {
                    *c += u16::from(*v);
                }
            }
            for (px, block) in out_row.chunks_exact_mut(CH).zip(cols.chunks_exact(f * CH)) {
                let mut sum = [0u32; CH];
                for p in block.chunks_exact(CH) {
                    for (s, v) in sum.iter_mut().zip(p) {
                        *s += u32::from(*v);
                    }
                }
                for (o, s) in px.iter_mut().zip(sum) {
                    *o = ((s + area / 2) / area) as u8;
                }
            }
        }
        return out;
    }
    for (oy, out_row) in out.chunks_exact_mut(ow * CH).enumerate() {
        sums.fill(0);
        for dy in 0..f {
            let y = (oy * f + dy).min(h - 1);
            let row = &src[y * w * CH..(y + 1) * w * CH];
            if clamp {
                for (ox, sum) in sums.chunks_exact_mut(CH).enumerate() {
                    for dx in 0..f {
                        let x = (ox * f + dx).min(w - 1);
                        for c in 0..CH {
                            sum[c] += u32::from(row[x * CH + c]);
                        }
                    }
                }
            } else {
                // Whole blocks only: no index can leave the row.
                for (sum, block) in sums.chunks_exact_mut(CH).zip(row.chunks_exact(f * CH)) {
                    for px in block.chunks_exact(CH) {
                        for c in 0..CH {
                            sum[c] += u32::from(px[c]);
                        }
                    }
                }
            }
        }
        for (o, s) in out_row.iter_mut().zip(&sums) {
            *o = ((s + area / 2) / area) as u8;
        }
    }
    out
}

/// Rec. 709 luma of an 8-bit RGB image in integer arithmetic, the weights `image` uses (its
/// own conversion goes through floats and colour-space plumbing, a tenth of the inspection).
/// The two halves of the image on two threads: this is the longest step after the decode,
/// and the thumbnail beside it takes less.
fn luma_of_rgb8(rgb: &image::RgbImage) -> GrayImage {
    let src = rgb.as_raw();
    let mut data = vec![0u8; src.len() / 3];
    let half = data.len() / 2;
    let (top, bottom) = data.split_at_mut(half);
    let (src_top, src_bottom) = src.split_at(half * 3);
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().spawn_scoped(scope, || luma_run(src_bottom, bottom));
        luma_run(src_top, top);
        match spawned {
            Ok(handle) => handle.join().map_err(|_| ()),
            Err(_) => Err(()),
        }
    })
    .unwrap_or_else(|()| luma_run(src_bottom, &mut data[half..]));
    GrayImage::from_raw(rgb.width(), rgb.height(), data).unwrap_or_else(|| GrayImage::new(1, 1))
}

fn luma_run(rgb: &[u8], luma: &mut [u8]) {
    // The weights in 1/32768ths (they sum to 32768), so the division is a shift.
    for (y, p) in luma.iter_mut().zip(rgb.chunks_exact(3)) {
        *y = ((6966 * u32::from(p[0]) + 23_436 * u32::from(p[1]) + 2366 * u32::from(p[2]) + 16_384) >> 15)
            as u8;
    }
}

/// Variance of the 4-neighbour Laplacian over the interior.
fn laplacian_variance(img: &GrayImage) -> Option<f64> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 3 || h < 3 {
        return None;
    }
    let p = img.as_raw();
    let (mut sum, mut sq) = (0i64, 0i64);
    for y in 1..h - 1 {
        let row = y * w;
        let (up, mid, down) = (&p[row - w..row], &p[row..row + w], &p[row + w..row + 2 * w]);
        // |l| ≤ 1020, so l² ≤ 1,040,400 and a run of 1024 of them fits i32, which vectorises
        // twice as wide as i64 (and needs no widening in the loop).
        let mut x = 1;
        while x < w - 1 {
            let end = (x + 1024).min(w - 1);
            let (mut rs, mut rq) = (0i32, 0i32);
            for (((m, (l, r)), u), d) in mid[x..end]
                .iter()
                .zip(mid[x - 1..end - 1].iter().zip(&mid[x + 1..end + 1]))
                .zip(&up[x..end])
                .zip(&down[x..end])
            {
                let v = 4 * i32::from(*m) - i32::from(*l) - i32::from(*r) - i32::from(*u) - i32::from(*d);
                rs += v;
                rq += v * v;
            }
            sum += i64::from(rs);
            sq += i64::from(rq);
            x = end;
        }
    }
    let (sum, sq) = (sum as f64, sq as f64);
    let n = ((w - 2) * (h - 2)) as f64;
    let mean = sum / n;
    Some(sq / n - mean * mean)
}

/// Rows/columns at each edge that are one flat colour (within a small tolerance).
fn find_borders(img: &image::RgbImage) -> Borders {
    let (w, h) = img.dimensions();
    const TOL: i16 = 10;
    let near = |a: &image::Rgb<u8>, b: &image::Rgb<u8>| {
        a.0.iter().zip(b.0).all(|(x, y)| (i16::from(*x) - i16::from(y)).abs() <= TOL)
    };
    let row_flat = |y: u32, r: &image::Rgb<u8>| (0..w).all(|x| near(img.get_pixel(x, y), r));
    let col_flat = |x: u32, r: &image::Rgb<u8>| (0..h).all(|y| near(img.get_pixel(x, y), r));
    let top_ref = *img.get_pixel(0, 0);
    let top = (0..h).take_while(|y| row_flat(*y, &top_ref)).count() as u32;
    if top >= h {
        return Borders { top: h, bottom: h, left: w, right: w };
    }
    let bottom_ref = *img.get_pixel(0, h - 1);
    let bottom = (0..h).rev().take_while(|y| row_flat(*y, &bottom_ref)).count() as u32;
    let left = (0..w).take_while(|x| col_flat(*x, &top_ref)).count() as u32;
    let right_ref = *img.get_pixel(w - 1, 0);
    let right = (0..w).rev().take_while(|x| col_flat(*x, &right_ref)).count() as u32;
    Borders { top, bottom, left, right }
}
