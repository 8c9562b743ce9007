//! Our own walk over a WAV's RIFF/RF64 chunks: the `fmt ` facts, where the samples are, and
//! every structural oddity (bytes after `data`, sizes that disagree with the file, missing pad
//! bytes) as a finding rather than an error.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::MediaError;
use crate::finding::{Finding, Severity};

pub(crate) const WAVE_FORMAT_PCM: u16 = 1;
pub(crate) const WAVE_FORMAT_IEEE_FLOAT: u16 = 3;
const WAVE_FORMAT_EXTENSIBLE: u16 = 0xFFFE;
const MAX_CHUNKS: usize = 10_000;

#[derive(Debug, Clone)]
pub(crate) struct WavLayout {
    pub rf64: bool,
    /// The format tag that matters (the sub-format GUID's tag for extensible files).
    pub format_tag: u16,
    pub extensible: bool,
    pub channels: u16,
    pub sample_rate: u32,
    /// Container bits per sample.
    pub bits_per_sample: u16,
    /// Valid bits (extensible), else the container bits.
    pub valid_bits: u16,
    pub data_offset: u64,
    /// Bytes of sample data actually present (declared size capped at the file's end).
    pub data_len: u64,
    pub chunks: Vec<String>,
    /// `axml`/`chna` chunks: an ADM BWF (Dolby Atmos or other immersive master).
    pub immersive: bool,
    /// Chunks or bytes found after `data`.
    pub after_data: Vec<String>,
    pub findings: Vec<Finding>,
}

pub(crate) fn is_riff_wave(head: &[u8]) -> bool {
    head.len() >= 12 && matches!(&head[0..4], b"RIFF" | b"RF64" | b"BW64") && &head[8..12] == b"WAVE"
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32_at(b, at)) | (u64::from(u32_at(b, at + 4)) << 32)
}

fn plausible_id(id: &[u8]) -> bool {
    id.len() == 4 && id.iter().all(|c| (0x20..0x7f).contains(c)) && id[0] != b' '
}

fn id_text(id: &[u8]) -> String {
    id.iter().map(|&c| if (0x20..0x7f).contains(&c) { c as char } else { '?' }).collect()
}

fn read_exact_at<R: Read + Seek>(r: &mut R, at: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    r.seek(SeekFrom::Start(at))?;
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Walks the chunks of the WAV at `path`. Errors only when there is nothing decodable: no
/// `fmt ` or no `data` chunk, or a `fmt ` too short to read.
pub(crate) fn parse(path: &Path) -> Result<WavLayout, MediaError> {
    let io = MediaError::io(path);
    let name = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(&io)?;
    let file_len = file.metadata().map_err(&io)?.len();
    let mut head = [0u8; 12];
    if read_exact_at(&mut file, 0, &mut head).map_err(&io)? < 12 || !is_riff_wave(&head) {
        return Err(MediaError::unsupported(path, "not a RIFF/RF64 WAVE file"));
    }
    let rf64 = &head[0..4] != b"RIFF";
    let mut findings = Vec::new();
    let mut chunks = Vec::new();
    let declared_riff = u64::from(u32_at(&head, 4));
    let mut ds64: Option<(u64, u64, u64)> = None; // (riff size, data size, sample count)
    let mut fmt: Option<Vec<u8>> = None;
    let mut data: Option<(u64, u64)> = None; // (offset, declared length)
    let mut after_data: Vec<String> = Vec::new();
    let mut pos = 12u64;
    // The chunk the file ends inside of, when it is not the data.
    let mut cut_in: Option<String> = None;
    while pos + 8 <= file_len && chunks.len() < MAX_CHUNKS {
        let mut ch = [0u8; 8];
        read_exact_at(&mut file, pos, &mut ch).map_err(&io)?;
        let id = &ch[0..4];
        if !plausible_id(id) {
            findings.push(
                Finding::new(
                    "AUD-WAV-JUNK",
                    Severity::Error,
                    format!("{name}: {} bytes that are not a RIFF chunk at offset {pos}", file_len - pos),
                )
                .measured(format!("{} bytes", file_len - pos))
                .hint("Re-export the WAV, or strip the trailing bytes"),
            );
            if data.is_some() {
                after_data.push(format!("{} bytes of junk", file_len - pos));
            }
            break;
        }
        let mut size = u64::from(u32_at(&ch, 4));
        let id_s = id_text(id);
        if id == b"ds64" && chunks.is_empty() {
            let mut b = [0u8; 28];
            if read_exact_at(&mut file, pos + 8, &mut b).map_err(&io)? >= 24 {
                ds64 = Some((u64_at(&b, 0), u64_at(&b, 8), u64_at(&b, 16)));
            }
        }
        if id == b"data" && rf64 && size == u64::from(u32::MAX) {
            size = ds64.map_or(file_len - pos - 8, |d| d.1);
        }
        chunks.push(id_s.clone());
        if data.is_some() {
            after_data.push(id_s.clone());
        }
        match id {
            b"fmt " if fmt.is_none() => {
                let mut b = vec![0u8; size.min(1024) as usize];
                let got = read_exact_at(&mut file, pos + 8, &mut b).map_err(&io)?;
                b.truncate(got);
                fmt = Some(b);
            }
            b"data" if data.is_none() => data = Some((pos + 8, size)),
            b"axml" | b"chna" => {}
            _ => {}
        }
        let available = file_len - pos - 8;
        if size > available {
            if id != b"data" {
                cut_in = Some(id_s.clone());
                findings.push(
                    Finding::new(
                        "AUD-WAV-SIZE",
                        Severity::Error,
                        format!("{name}: chunk '{id_s}' declares {size} bytes but only {available} remain"),
                    )
                    .measured(format!("{available} bytes"))
                    .limit(format!("{size} bytes"))
                    .hint("The file is truncated; export it again"),
                );
            }
            break;
        }
        let mut next = pos + 8 + size;
        if size % 2 == 1 {
            // RIFF pads odd chunks to even. Some writers forget: follow whichever reading
            // lands on a chunk id.
            let mut padded = [0u8; 4];
            let mut unpadded = [0u8; 4];
            let p_ok =
                read_exact_at(&mut file, next + 1, &mut padded).map_err(&io)? == 4 && plausible_id(&padded);
            let u_ok =
                read_exact_at(&mut file, next, &mut unpadded).map_err(&io)? == 4 && plausible_id(&unpadded);
            if p_ok || !u_ok {
                next += 1;
            } else {
                findings.push(
                    Finding::new(
                        "AUD-WAV-ALIGN",
                        Severity::Warning,
                        format!("{name}: chunk '{id_s}' has an odd size ({size}) and no pad byte"),
                    )
                    .hint("Some readers will misread the chunks after it; re-export the WAV"),
                );
            }
        }
        pos = next;
    }
    if pos < file_len && pos + 8 > file_len && data.is_some() {
        after_data.push(format!("{} stray bytes", file_len - pos));
    }
    let missing = |what: &str| {
        let why = match &cut_in {
            Some(id) => format!(
                "WAV has no {what} chunk: the file ends inside the '{id}' chunk (truncated, or its size is wrong)"
            ),
            None => format!("WAV has no {what} chunk"),
        };
        MediaError::corrupt(path, why)
    };
    let fmt = fmt.ok_or_else(|| missing("'fmt '"))?;
    let (data_offset, declared_data) = data.ok_or_else(|| missing("'data'"))?;
    if fmt.len() < 16 {
        return Err(MediaError::corrupt(path, format!("'fmt ' chunk is {} bytes, needs 16", fmt.len())));
    }
    let mut format_tag = u16_at(&fmt, 0);
    let channels = u16_at(&fmt, 2);
    let sample_rate = u32_at(&fmt, 4);
    let byte_rate = u32_at(&fmt, 8);
    let block_align = u16_at(&fmt, 12);
    let bits_per_sample = u16_at(&fmt, 14);
    let mut valid_bits = bits_per_sample;
    let extensible = format_tag == WAVE_FORMAT_EXTENSIBLE;
    if extensible {
        if fmt.len() < 40 {
            return Err(MediaError::corrupt(
                path,
                "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk shorter than 40 bytes",
            ));
        }
        valid_bits = u16_at(&fmt, 18);
        let mask = u32_at(&fmt, 20);
        format_tag = u16_at(&fmt, 24);
        const GUID_TAIL: [u8; 14] =
            [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        if fmt[26..40] != GUID_TAIL {
            findings.push(
                Finding::new(
                    "AUD-WAV-EXT",
                    Severity::Error,
                    format!("{name}: WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID"),
                )
                .hint("Export as plain PCM WAV"),
            );
        }
        if valid_bits == 0 || valid_bits > bits_per_sample {
            valid_bits = bits_per_sample;
        } else if valid_bits < bits_per_sample {
            findings.push(
                Finding::new(
                    "AUD-WAV-EXT",
                    Severity::Warning,
                    format!("{name}: {valid_bits} valid bits stored in {bits_per_sample}-bit containers"),
                )
                .measured(format!("{valid_bits}/{bits_per_sample} bits"))
                .hint("Export with the container size equal to the bit depth"),
            );
        }
        if mask != 0 && mask.count_ones() != u32::from(channels) {
            findings.push(
                Finding::new(
                    "AUD-WAV-EXT",
                    Severity::Warning,
                    format!(
                        "{name}: channel mask {mask:#x} names {} speakers for {channels} channels",
                        mask.count_ones()
                    ),
                )
                .hint("Export again with a standard channel layout"),
            );
        }
    }
    if channels == 0 || sample_rate == 0 || bits_per_sample == 0 {
        return Err(MediaError::corrupt(path, "'fmt ' declares zero channels, rate or bits"));
    }
    let expected_align = u32::from(channels) * u32::from(bits_per_sample).div_ceil(8);
    if u32::from(block_align) != expected_align {
        findings.push(
            Finding::new(
                "AUD-WAV-FMT",
                Severity::Error,
                format!("{name}: block align {block_align} does not match {channels} channels × {bits_per_sample} bits"),
            )
            .measured(block_align.to_string())
            .limit(expected_align.to_string()),
        );
    }
    if u64::from(byte_rate) != u64::from(sample_rate) * u64::from(block_align) {
        findings.push(
            Finding::new(
                "AUD-WAV-FMT",
                Severity::Warning,
                format!("{name}: byte rate {byte_rate} does not match the sample rate and block align"),
            )
            .measured(byte_rate.to_string())
            .limit((u64::from(sample_rate) * u64::from(block_align)).to_string()),
        );
    }
    let available = file_len.saturating_sub(data_offset);
    let data_len = declared_data.min(available);
    if declared_data > available {
        findings.push(
            Finding::new(
                "AUD-WAV-TRUNCATED",
                Severity::Error,
                format!(
                    "{name}: 'data' declares {declared_data} bytes but the file holds {available}: truncated"
                ),
            )
            .measured(format!("{available} bytes"))
            .limit(format!("{declared_data} bytes"))
            .hint("The file was cut short (interrupted copy or export); export it again"),
        );
    }
    if block_align > 0 && data_len % u64::from(block_align) != 0 {
        findings.push(Finding::new(
            "AUD-WAV-SIZE",
            Severity::Warning,
            format!("{name}: 'data' holds {data_len} bytes, not a whole number of {block_align}-byte frames"),
        ));
    }
    let riff_size = if rf64 { ds64.map_or(declared_riff, |d| d.0) } else { declared_riff };
    // A ds64 size is a u64 read from the file: it may be anything.
    let declared_file = riff_size.saturating_add(8);
    if declared_file != file_len && !(rf64 && ds64.is_none()) {
        findings.push(
            Finding::new(
                "AUD-WAV-SIZE",
                Severity::Warning,
                format!("{name}: RIFF header declares {declared_file} bytes but the file is {file_len}"),
            )
            .measured(format!("{file_len} bytes"))
            .limit(format!("{declared_file} bytes"))
            .hint("Re-export the WAV so its header matches its length"),
        );
    }
    // Writers without a `fact` chunk leave the count at 0: only a count that disagrees is a lie.
    if let Some((_, _, declared_frames)) = ds64
        && declared_frames != 0
        && block_align > 0
        && declared_frames != declared_data / u64::from(block_align)
    {
        findings.push(
            Finding::new(
                "AUD-WAV-RF64",
                Severity::Warning,
                format!(
                    "{name}: 'ds64' declares {declared_frames} sample frames but a data size of {} frames",
                    declared_data / u64::from(block_align)
                ),
            )
            .measured(format!("{declared_frames} frames"))
            .limit(format!("{} frames", declared_data / u64::from(block_align)))
            .hint("Re-export the RF64 file; readers disagree on its length"),
        );
    }
    if rf64 && ds64.is_none() {
        findings.push(Finding::new(
            "AUD-WAV-RF64",
            Severity::Error,
            format!("{name}: RF64 file without a 'ds64' chunk"),
        ));
    }
    if !after_data.is_empty() {
        findings.push(
            Finding::new(
                "AUD-WAV-TRAILING",
                Severity::Warning,
                format!("{name}: data after the 'data' chunk: {}", after_data.join(", ")),
            )
            .measured(after_data.join(", "))
            .hint("Strip trailing chunks (ID3, LIST) and bytes; Spotify rejects them"),
        );
    }
    let immersive = chunks.iter().any(|c| c == "axml" || c == "chna");
    Ok(WavLayout {
        rf64,
        format_tag,
        extensible,
        channels,
        sample_rate,
        bits_per_sample,
        valid_bits,
        data_offset,
        data_len,
        chunks,
        immersive,
        after_data,
        findings,
    })
}
