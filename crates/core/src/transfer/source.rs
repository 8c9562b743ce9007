//! Where import rows come from: a CSV file (decoded, delimiter sniffed) or the sheet of a
//! workbook (XLSX, XLS, ODS; cached values). Both become the same header and records, cells in
//! CSV's escaped form, so one plan reads them; what the reader noticed on the way (merged
//! cells, formulas, error cells, transcoding) comes along as findings tied to a row and column.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader};

use super::csv_template::escape_cell;
use crate::{Error, Result};

/// The kind of file, told by its first bytes (an `.xlsx` renamed `.csv` is still a workbook).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceFormat {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Csv => "csv",
            SourceFormat::Xlsx => "xlsx",
            SourceFormat::Xls => "xls",
            SourceFormat::Ods => "ods",
        }
    }
}

/// Something the reader noticed in one cell (`column` is a header position) or one row
/// (`column` is `None`). `blocking` findings stop the import; the others are warnings.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub row: usize,
    pub column: Option<usize>,
    pub message: String,
    pub blocking: bool,
}

/// The data rows of a table, every cell of every row in one text buffer: a million-row file
/// costs its text plus four bytes a cell, not an allocation (and its slack) per row.
pub(crate) struct Rows {
    text: String,
    /// Per cell, where it ends in `text`, counted from its row's start.
    ends: Vec<u32>,
    /// Per row, its number (as [`Row::number`]) and where it starts in `text`.
    starts: Vec<(usize, usize)>,
    /// Cells a row (every row has the header's width).
    width: usize,
}

/// One data row of [`Rows`].
#[derive(Clone, Copy)]
pub(crate) struct Row<'a> {
    /// The row number a spreadsheet shows (the CSV record number, header = 1).
    pub number: usize,
    text: &'a str,
    ends: &'a [u32],
}

impl Rows {
    fn new(width: usize) -> Self {
        Rows { text: String::new(), ends: Vec::new(), starts: Vec::new(), width }
    }

    /// Adds a row of exactly `width` cells (the caller checks); `None` when one row's text is
    /// over 4 GiB.
    fn push<'c>(&mut self, number: usize, cells: impl IntoIterator<Item = &'c str>) -> Option<()> {
        let start = self.text.len();
        let mut pushed = 0;
        for cell in cells {
            self.text.push_str(cell);
            self.ends.push(u32::try_from(self.text.len() - start).ok()?);
            pushed += 1;
        }
        debug_assert_eq!(pushed, self.width, "row {number} has the header's width");
        self.starts.push((number, start));
        Some(())
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn get(&self, index: usize) -> Row<'_> {
        let (number, start) = self.starts[index];
        let end = self.starts.get(index + 1).map_or(self.text.len(), |(_, next)| *next);
        Row {
            number,
            text: &self.text[start..end],
            ends: &self.ends[index * self.width..(index + 1) * self.width],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl<'a> Row<'a> {
    /// The cell at `position` as read (in CSV's escaped form).
    pub fn get(&self, position: usize) -> Option<&'a str> {
        let end = *self.ends.get(position)? as usize;
        let start = position.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        Some(&self.text[start..end])
    }

    pub fn iter(self) -> impl Iterator<Item = &'a str> + 'a {
        let (text, ends) = (self.text, self.ends);
        ends.iter().scan(0, move |start, end| {
            let cell = &text[*start..*end as usize];
            *start = *end as usize;
            Some(cell)
        })
    }
}

pub(crate) struct SourceTable {
    pub format: SourceFormat,
    /// For CSV: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `Windows-1252`; empty for workbooks.
    pub encoding: &'static str,
    /// For CSV: `,`, `;` or `tab`; empty for workbooks.
    pub delimiter: String,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// Data rows, blank ones left out.
    pub rows: Rows,
    /// Data rows read, blank ones included.
    pub rows_read: usize,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io { path: path.display().to_string(), message: e.to_string() }
}

pub(crate) fn sniff_format(path: &Path) -> Result<SourceFormat> {
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let n = file.read(&mut head).map_err(|e| io_error(path, e))?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    Ok(match &head[..n] {
        [0x50, 0x4b, 0x03, 0x04, ..] if extension == "ods" => SourceFormat::Ods,
        [0x50, 0x4b, 0x03, 0x04, ..] => SourceFormat::Xlsx,
        [0xd0, 0xcf, 0x11, 0xe0, ..] => SourceFormat::Xls,
        _ => SourceFormat::Csv,
    })
}

/// Reads the file's table: the first row with a value is the header.
pub(crate) fn read(path: &Path) -> Result<SourceTable> {
    match sniff_format(path)? {
        SourceFormat::Csv => read_csv(path),
        format => read_workbook(path, format),
    }
}

/// Only the header row, for a mapping proposal.
pub(crate) fn headers(path: &Path) -> Result<Vec<String>> {
    match sniff_format(path)? {
        SourceFormat::Csv => csv_headers(path, &mut open_csv(path)?.reader),
        format => Ok(read_workbook(path, format)?.headers),
    }
}

// ---- CSV ----------------------------------------------------------------------------------

/// Decoded CSV text and how it was decoded.
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Why the file was transcoded, for the plan's notes.
    pub note: Option<String>,
}

/// UTF-8 (a BOM dropped), UTF-16 with a BOM or with the NUL pattern of one without, and
/// otherwise Windows-1252, which is what Excel on Windows writes ("CSV" in a Latin-1 locale).
pub(crate) fn decode(path: &Path) -> Result<Decoded> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    let utf16 = match bytes.as_slice() {
        [0xff, 0xfe, ..] => Some((encoding_rs::UTF_16LE, &bytes[2..], "a UTF-16LE byte order mark")),
        [0xfe, 0xff, ..] => Some((encoding_rs::UTF_16BE, &bytes[2..], "a UTF-16BE byte order mark")),
        _ => utf16_without_bom(&bytes).map(|e| (e, bytes.as_slice(), "NUL bytes between characters")),
    };
    if let Some((encoding, body, why)) = utf16 {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(Error::Invalid(format!(
                "{}: looks like {} ({why}) but is not valid {}; save it as CSV UTF-8",
                path.display(),
                encoding.name(),
                encoding.name()
            )));
        }
        let name = if encoding == encoding_rs::UTF_16LE { "UTF-16LE" } else { "UTF-16BE" };
        return Ok(Decoded {
            text: text.trim_start_matches('\u{feff}').to_owned(),
            encoding: name,
            note: Some(format!("the file is {name} ({why}); transcoded to UTF-8")),
        });
    }
    if bytes.contains(&0) {
        return Err(Error::Invalid(format!(
            "{}: contains NUL bytes, so it is neither text CSV nor a workbook Catno reads (XLSX, XLS, ODS)",
            path.display()
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_owned(),
                None => text,
            };
            Ok(Decoded { text, encoding: "UTF-8", note: None })
        }
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..valid_up_to].iter().filter(|b| **b == b'\n').count();
            // A UTF-8 BOM on a file that is not UTF-8 after all is still not text.
            let body = e.as_bytes();
            let body = body.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(body);
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            Ok(Decoded {
                text: text.into_owned(),
                encoding: "Windows-1252",
                note: Some(format!(
                    "the file is not UTF-8 (first invalid byte on line {line}); read it as Windows-1252 \
                     (Latin-1); check accented letters, or save it as CSV UTF-8"
                )),
            })
        }
    }
}

/// UTF-16 without a BOM: most code units of a CSV are ASCII, so one byte of each pair is NUL.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The delimiter among `,` `;` and tab: the one that splits the first lines (up to 20, quoted
/// line breaks kept inside their record) into the same non-zero number of cells as the header;
/// ties go to the one with more cells in the header, then to `,`.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [char; 3] = [',', ';', '\t'];
    let mut lines: Vec<[usize; 3]> = Vec::new();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\r' | '\n' if !quoted => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(counts);
                counts = [0; 3];
                if lines.len() == 20 {
                    break;
                }
            }
            c if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|d| *d == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    if counts != [0; 3] {
        lines.push(counts);
    }
    let Some(header) = lines.first().copied() else { return b',' };
    let score = |i: usize| {
        let consistent = lines.iter().filter(|l| l[i] == header[i]).count();
        (header[i] > 0, consistent, header[i], std::cmp::Reverse(i))
    };
    let best = (0..3).max_by_key(|i| score(*i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Whether the file is UTF-8 throughout (no NUL bytes, not UTF-16 by its BOM or NUL pattern),
/// and if so whether it starts with a BOM; read in chunks, so a large file is not held to
/// find out.
fn plain_utf8(path: &Path) -> Result<Option<bool>> {
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut chunk = vec![0u8; 1 << 20];
    // An incomplete character at a chunk's end, carried into the next.
    let mut carry = 0;
    let mut first = true;
    let mut bom = false;
    loop {
        let read = file.read(&mut chunk[carry..]).map_err(|e| io_error(path, e))?;
        if read == 0 {
            return Ok((carry == 0).then_some(bom));
        }
        let filled = carry + read;
        let bytes = &chunk[..filled];
        if first {
            first = false;
            if bytes.starts_with(&[0xff, 0xfe])
                || bytes.starts_with(&[0xfe, 0xff])
                || utf16_without_bom(bytes).is_some()
            {
                return Ok(None);
            }
            bom = bytes.starts_with(&[0xef, 0xbb, 0xbf]);
        }
        if bytes[carry..].contains(&0) {
            return Ok(None);
        }
        carry = match std::str::from_utf8(bytes) {
            Ok(_) => 0,
            // Cut inside a character: keep its first bytes for the next read.
            Err(e) if e.error_len().is_none() => filled - e.valid_up_to(),
            Err(_) => return Ok(None),
        };
        chunk.copy_within(filled - carry..filled, 0);
    }
}

/// A CSV reader over the file's text (streamed from the file when it is UTF-8, otherwise
/// decoded in memory first), with its sniffed delimiter, encoding and transcoding note.
struct CsvSource {
    reader: csv::Reader<Box<dyn Read>>,
    delimiter: u8,
    encoding: &'static str,
    note: Option<String>,
}

/// Enough of the text to sniff the delimiter from its first lines.
const SNIFF_BYTES: u64 = 64 * 1024;

fn open_csv(path: &Path) -> Result<CsvSource> {
    let (text, delimiter, encoding, note): (Box<dyn Read>, u8, &'static str, Option<String>) =
        match plain_utf8(path)? {
            Some(bom) => {
                let mut file = std::io::BufReader::with_capacity(
                    1 << 20,
                    std::fs::File::open(path).map_err(|e| io_error(path, e))?,
                );
                if bom {
                    let mut skipped = [0u8; 3];
                    file.read_exact(&mut skipped).map_err(|e| io_error(path, e))?;
                }
                let mut head = Vec::new();
                (&mut file).take(SNIFF_BYTES).read_to_end(&mut head).map_err(|e| io_error(path, e))?;
                let valid = match std::str::from_utf8(&head) {
                    Ok(text) => text,
                    Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
                };
                let delimiter = sniff_delimiter(valid);
                (Box::new(std::io::Cursor::new(head).chain(file)), delimiter, "UTF-8", None)
            }
            None => {
                let decoded = decode(path)?;
                let delimiter = sniff_delimiter(&decoded.text);
                (
                    Box::new(std::io::Cursor::new(decoded.text.into_bytes())),
                    delimiter,
                    decoded.encoding,
                    decoded.note,
                )
            }
        };
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(1 << 16)
        .from_reader(text);
    Ok(CsvSource { reader, delimiter, encoding, note })
}

fn csv_headers(path: &Path, reader: &mut csv::Reader<Box<dyn Read>>) -> Result<Vec<String>> {
    Ok(reader
        .headers()
        .map_err(|e| Error::Invalid(format!("{}: header row: {e}", path.display())))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect())
}

fn read_csv(path: &Path) -> Result<SourceTable> {
    let CsvSource { mut reader, delimiter, encoding, note } = open_csv(path)?;
    let headers = csv_headers(path, &mut reader)?;
    let mut findings = Vec::new();
    let mut rows = Rows::new(headers.len());
    // The text is at most the file's size; reserving it touches no memory.
    if let Ok(meta) = std::fs::metadata(path) {
        rows.text.reserve(usize::try_from(meta.len()).unwrap_or(0));
    }
    let mut rows_read = 0;
    let mut record = csv::StringRecord::new();
    loop {
        let number = rows_read + 2;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows_read += 1,
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(io_error(path, e)),
            Err(e) => {
                rows_read += 1;
                findings.push(Finding {
                    row: number,
                    column: None,
                    message: format!("unreadable: {e}"),
                    blocking: true,
                });
                continue;
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let line = record.position().map(|p| format!(" (line {})", p.line())).unwrap_or_default();
            findings.push(Finding {
                row: number,
                column: None,
                message: format!(
                    "has {} cells but the header row has {}{line}; check the delimiter and that \
                     quotes are closed",
                    record.len(),
                    headers.len()
                ),
                blocking: true,
            });
            continue;
        }
        rows.push(number, &record)
            .ok_or_else(|| Error::Invalid(format!("{}: row {number} is over 4 GiB", path.display())))?;
    }
    rows.text.shrink_to_fit();
    Ok(SourceTable {
        format: SourceFormat::Csv,
        encoding,
        delimiter: match delimiter {
            b'\t' => "tab".to_owned(),
            d => char::from(d).to_string(),
        },
        sheet: None,
        headers,
        rows,
        rows_read,
        findings,
        notes: note.into_iter().collect(),
    })
}

// ---- Workbooks ----------------------------------------------------------------------------

/// The sheet an import reads: the one Catno's own export names `Tracks` (or `Catno`), else
/// the first visible worksheet.
fn pick_sheet(sheets: &[calamine::Sheet]) -> Option<String> {
    let worksheets: Vec<&calamine::Sheet> = sheets
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet && s.visible == calamine::SheetVisible::Visible)
        .collect();
    worksheets
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("tracks") || s.name.eq_ignore_ascii_case("catno"))
        .or_else(|| worksheets.first())
        .map(|s| s.name.clone())
}

/// A merged region as `(first row, first column, last row, last column)`, 0-based.
type Region = (u32, u32, u32, u32);

struct Workbook {
    range: calamine::Range<Data>,
    formulas: calamine::Range<String>,
    merged: Vec<Region>,
    sheet: String,
    other_sheets: Vec<String>,
}

fn load<R, RS>(mut book: R, path: &Path, merged: impl FnOnce(&mut R, &str) -> Vec<Region>) -> Result<Workbook>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let sheet = pick_sheet(book.sheets_metadata()).ok_or_else(|| {
        Error::Invalid(format!("{}: the workbook has no visible worksheet", path.display()))
    })?;
    let other_sheets = book.sheet_names().into_iter().filter(|n| *n != sheet).collect();
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| Error::Invalid(format!("{}: sheet \"{sheet}\": {e}", path.display())))?;
    // A workbook without formulas may have no formula part at all; that is not an error.
    let formulas = book.worksheet_formula(&sheet).unwrap_or_else(|_| calamine::Range::empty());
    let merged = merged(&mut book, &sheet);
    Ok(Workbook { range, formulas, merged, sheet, other_sheets })
}

fn read_workbook(path: &Path, format: SourceFormat) -> Result<SourceTable> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::Invalid(format!("{}: not a readable {} workbook: {e}", path.display(), format.name()))
    };
    let book = match format {
        SourceFormat::Xlsx => {
            let book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| unreadable(&e))?;
            load(book, path, |book, sheet| {
                book.merge_cells_by_sheet_name(sheet)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect()
            })?
        }
        SourceFormat::Xls => {
            let book: calamine::Xls<_> = calamine::open_workbook(path).map_err(|e| unreadable(&e))?;
            load(book, path, |book, sheet| {
                book.merge_cells_by_sheet_name(sheet)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect()
            })?
        }
        SourceFormat::Ods | SourceFormat::Csv => {
            let book: calamine::Ods<_> = calamine::open_workbook(path).map_err(|e| unreadable(&e))?;
            load(book, path, |_, _| Vec::new())?
        }
    };
    Ok(table_from_workbook(book, format))
}

fn table_from_workbook(book: Workbook, format: SourceFormat) -> SourceTable {
    let Workbook { range, formulas, merged, sheet, other_sheets } = book;
    let mut notes = Vec::new();
    if !other_sheets.is_empty() {
        notes.push(format!("read sheet \"{sheet}\"; other sheets ignored: {}", other_sheets.join(", ")));
    }
    let mut findings = Vec::new();
    let Some((top, left)) = range.start() else {
        return SourceTable {
            format,
            encoding: "",
            delimiter: String::new(),
            sheet: Some(sheet),
            headers: Vec::new(),
            rows: Rows::new(0),
            rows_read: 0,
            findings,
            notes,
        };
    };
    let (height, width) = range.get_size();
    let cell_text = |row: usize, col: usize| range.get((row, col)).map(data_text).unwrap_or_default();

    // The header is the first row with a value; columns after the last header are ignored.
    let header_offset = (0..height).find(|r| (0..width).any(|c| !cell_text(*r, c).is_empty())).unwrap_or(0);
    let mut headers: Vec<String> =
        (0..width).map(|c| cell_text(header_offset, c).trim().to_owned()).collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    let row_number = |offset: usize| top as usize + offset + 1;

    // A merged region shows its value once, in its top-left cell. One column tall: the value
    // belongs to every row it spans (a release title merged down its tracks), so it is filled
    // down and said. Wider: which column it means is a guess, so the rows are refused.
    let mut fill: Vec<(usize, usize, usize, String)> = Vec::new();
    for &(r0, c0, r1, c1) in &merged {
        let (Some(row0), Some(col0)) =
            ((r0 as usize).checked_sub(top as usize), (c0 as usize).checked_sub(left as usize))
        else {
            continue;
        };
        let rows_spanned = (r1 - r0) as usize;
        let cols_spanned = (c1 - c0) as usize;
        if row0 <= header_offset {
            if cols_spanned > 0 {
                findings.push(Finding {
                    row: row_number(row0),
                    column: Some(col0),
                    message: format!(
                        "header cells are merged across {} columns; unmerge them so each column has its own header",
                        cols_spanned + 1
                    ),
                    blocking: true,
                });
            }
            continue;
        }
        if cols_spanned > 0 {
            for r in row0..=row0 + rows_spanned {
                findings.push(Finding {
                    row: row_number(r),
                    column: Some(col0),
                    message: format!(
                        "cells are merged across {} columns ({}); unmerge them and give each column its value",
                        cols_spanned + 1,
                        cell_ref(r0, c0, r1, c1)
                    ),
                    blocking: true,
                });
            }
        } else if rows_spanned > 0 {
            let value = cell_text(row0, col0);
            fill.push((row0 + 1, row0 + rows_spanned, col0, value.clone()));
            findings.push(Finding {
                row: row_number(row0),
                column: Some(col0),
                message: format!(
                    "merged cells {}: \"{value}\" is used on each of its {} rows",
                    cell_ref(r0, c0, r1, c1),
                    rows_spanned + 1
                ),
                blocking: false,
            });
        }
    }

    let formula_at = |row: usize, col: usize| {
        let absolute = (top + row as u32, left + col as u32);
        formulas.get_value(absolute).filter(|f| !f.is_empty()).cloned()
    };
    let mut rows = Rows::new(headers.len());
    let mut rows_read = 0;
    for r in header_offset + 1..height {
        rows_read += 1;
        let mut cells: Vec<String> = Vec::with_capacity(headers.len());
        for c in 0..headers.len() {
            let filled = fill.iter().find(|(from, to, col, _)| *col == c && (*from..=*to).contains(&r));
            let value = match filled {
                Some((.., value)) => value.clone(),
                None => match range.get((r, c)) {
                    Some(Data::Error(e)) => {
                        findings.push(Finding {
                            row: row_number(r),
                            column: Some(c),
                            message: format!("the cell holds the spreadsheet error {e}; fix it in the sheet"),
                            blocking: true,
                        });
                        String::new()
                    }
                    Some(data) => data_text(data),
                    None => String::new(),
                },
            };
            if let Some(formula) = formula_at(r, c) {
                findings.push(Finding {
                    row: row_number(r),
                    column: Some(c),
                    message: format!(
                        "formula ={formula}: its last calculated value \"{value}\" is imported (recalculate \
                         the sheet before importing if it is stale)"
                    ),
                    blocking: false,
                });
            }
            // The plan reads cells in CSV's escaped form; a workbook's text is never a formula.
            cells.push(escape_cell(&value).into_owned());
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A sheet's rows are far below 4 GiB each (a cell holds at most 32,767 characters).
        let _ = rows.push(row_number(r), cells.iter().map(String::as_str));
    }
    SourceTable {
        format,
        encoding: "",
        delimiter: String::new(),
        sheet: Some(sheet),
        headers,
        rows,
        rows_read,
        findings,
        notes,
    }
}

/// `A1` or `A1:B3` for 0-based rows and columns.
fn cell_ref(r0: u32, c0: u32, r1: u32, c1: u32) -> String {
    let name = |r: u32, c: u32| format!("{}{}", column_letters(c), r + 1);
    if (r0, c0) == (r1, c1) { name(r0, c0) } else { format!("{}:{}", name(r0, c0), name(r1, c1)) }
}

fn column_letters(mut c: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (c % 26) as u8));
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// A cell's value as the template's text: whole numbers without `.0` (UPCs typed as numbers),
/// dates as `YYYY-MM-DD`, times of day and durations as `m:ss` (the duration column).
fn data_text(data: &Data) -> String {
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&serial) {
                super::csv_template::format_duration((serial * 86_400_000.0).round() as i64)
            } else {
                let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
                if (hh, mm, ss) == (0, 0, 0) {
                    format!("{y:04}-{m:02}-{d:02}")
                } else {
                    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
                }
            }
        }
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_the_consistent_column_count() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n\"x;y\"\t2\n"), b'\t');
        // A title with commas on the header line's neighbours does not outvote `;`.
        assert_eq!(sniff_delimiter("title;artist\n\"a, b, c\";d\nx, y;z\n"), b';');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref(1, 1, 3, 1), "B2:B4");
    }

    /// A CSV (with a BOM) of just over 1 MiB whose `é` in its next-to-last row sits across the
    /// first chunk boundary of [`plain_utf8`], then `tail`.
    fn large_csv(dir: &Path, tail: &[u8]) -> std::path::PathBuf {
        let mut bytes = b"\xef\xbb\xbfupc,release_title\n".to_vec();
        while bytes.len() < (1 << 20) - 40 {
            bytes.extend_from_slice(b"5060000000001,Plain title\n");
        }
        // Pad to put the two bytes of the next row's "é" on either side of the boundary.
        let pad = (1 << 20) - 1 - (bytes.len() + "5060000000001,Caf".len());
        bytes.extend(std::iter::repeat_n(b' ', pad));
        bytes.extend_from_slice("5060000000001,Café\n".as_bytes());
        bytes.extend_from_slice(tail);
        let path = dir.join("large.csv");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    #[test]
    fn utf8_is_checked_in_chunks_and_streamed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = large_csv(dir.path(), "5060000000001,Ünïcödé end\n".as_bytes());
        assert_eq!(plain_utf8(&path).expect("check"), Some(true), "a character across chunks is whole");
        let table = read(&path).expect("read");
        assert_eq!(table.encoding, "UTF-8");
        assert_eq!(table.headers, ["upc", "release_title"], "the BOM is not part of the first header");
        let last = table.rows.get(table.rows.len() - 1);
        assert_eq!(last.iter().collect::<Vec<_>>(), ["5060000000001", "Ünïcödé end"]);
        assert_eq!(last.number, table.rows_read + 1);
        let straddling = table.rows.get(table.rows.len() - 2);
        assert_eq!(straddling.get(1).map(str::trim), Some("Café"));
        assert_eq!(straddling.get(2), None);

        // A Latin-1 byte past the first chunk still makes the whole file Windows-1252.
        let path = large_csv(dir.path(), b"5060000000001,Ren\xe9e\n");
        assert_eq!(plain_utf8(&path).expect("check"), None);
        let table = read(&path).expect("read");
        assert_eq!(table.encoding, "Windows-1252");
        assert_eq!(table.headers, ["upc", "release_title"], "nor is it when the rest is Windows-1252");
        assert_eq!(table.rows.get(table.rows.len() - 1).get(1), Some("Renée"));
        // As does a NUL byte, and a file cut inside a character.
        let path = large_csv(dir.path(), b"5060000000001,a\0b\n");
        assert_eq!(plain_utf8(&path).expect("check"), None);
        let path = large_csv(dir.path(), b"5060000000001,\xc3");
        assert_eq!(plain_utf8(&path).expect("check"), None);
    }

    #[test]
    fn rows_keep_empty_cells_and_their_numbers() {
        let mut rows = Rows::new(3);
        rows.push(2, ["a", "", "ccc"]).expect("row");
        rows.push(4, ["", "", ""]).expect("row");
        rows.push(5, ["x", "y", ""]).expect("row");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.get(0).iter().collect::<Vec<_>>(), ["a", "", "ccc"]);
        assert_eq!(rows.get(1).iter().collect::<Vec<_>>(), ["", "", ""]);
        assert_eq!((rows.get(2).number, rows.get(2).get(1), rows.get(2).get(2)), (5, Some("y"), Some("")));
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 4, 5]);
    }

    #[test]
    fn utf16_without_bom_is_seen_by_its_nul_pattern() {
        let le: Vec<u8> = "upc,title\n1,a\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "upc,title\n1,a\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(utf16_without_bom(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(utf16_without_bom(&be), Some(encoding_rs::UTF_16BE));
        assert_eq!(utf16_without_bom(b"upc,title\n1,a\n"), None);
    }
}
