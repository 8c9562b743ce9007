//! Catno's own CSV template: one row per track, the release's columns repeated on each of its
//! rows. Headers map case- and space-insensitively, with common aliases; cells that a
//! spreadsheet would run as a formula are escaped with a leading `'` on export and unescaped
//! on import.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A column of the template, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Upc,
    ReleaseTitle,
    ReleaseVersion,
    ReleaseArtist,
    Label,
    ReleaseType,
    CatalogNumber,
    ReleaseDate,
    OriginalReleaseDate,
    Genre,
    Subgenre,
    PLine,
    CLine,
    ParentalAdvisory,
    MetadataLanguage,
    Disc,
    Track,
    Isrc,
    TrackTitle,
    TrackVersion,
    TrackArtist,
    Duration,
    Explicit,
    AudioLanguage,
    Contributors,
    Writers,
}

impl Field {
    pub const ALL: [Field; 26] = [
        Field::Upc,
        Field::ReleaseTitle,
        Field::ReleaseVersion,
        Field::ReleaseArtist,
        Field::Label,
        Field::ReleaseType,
        Field::CatalogNumber,
        Field::ReleaseDate,
        Field::OriginalReleaseDate,
        Field::Genre,
        Field::Subgenre,
        Field::PLine,
        Field::CLine,
        Field::ParentalAdvisory,
        Field::MetadataLanguage,
        Field::Disc,
        Field::Track,
        Field::Isrc,
        Field::TrackTitle,
        Field::TrackVersion,
        Field::TrackArtist,
        Field::Duration,
        Field::Explicit,
        Field::AudioLanguage,
        Field::Contributors,
        Field::Writers,
    ];

    /// The release columns, which every row of one release must agree on.
    pub const RELEASE: [Field; 15] = [
        Field::Upc,
        Field::ReleaseTitle,
        Field::ReleaseVersion,
        Field::ReleaseArtist,
        Field::Label,
        Field::ReleaseType,
        Field::CatalogNumber,
        Field::ReleaseDate,
        Field::OriginalReleaseDate,
        Field::Genre,
        Field::Subgenre,
        Field::PLine,
        Field::CLine,
        Field::ParentalAdvisory,
        Field::MetadataLanguage,
    ];

    /// The header Catno writes, and the name problems use.
    pub fn name(self) -> &'static str {
        match self {
            Field::Upc => "upc",
            Field::ReleaseTitle => "release_title",
            Field::ReleaseVersion => "release_version",
            Field::ReleaseArtist => "release_artist",
            Field::Label => "label",
            Field::ReleaseType => "release_type",
            Field::CatalogNumber => "catalog_number",
            Field::ReleaseDate => "release_date",
            Field::OriginalReleaseDate => "original_release_date",
            Field::Genre => "genre",
            Field::Subgenre => "subgenre",
            Field::PLine => "p_line",
            Field::CLine => "c_line",
            Field::ParentalAdvisory => "parental_advisory",
            Field::MetadataLanguage => "metadata_language",
            Field::Disc => "disc",
            Field::Track => "track",
            Field::Isrc => "isrc",
            Field::TrackTitle => "track_title",
            Field::TrackVersion => "track_version",
            Field::TrackArtist => "track_artist",
            Field::Duration => "duration",
            Field::Explicit => "explicit",
            Field::AudioLanguage => "audio_language",
            Field::Contributors => "contributors",
            Field::Writers => "writers",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The field name `ReleaseEdit::parse` knows this column by.
    pub fn release_edit(self) -> Option<&'static str> {
        Some(match self {
            Field::Upc => "upc",
            Field::ReleaseTitle => "title",
            Field::ReleaseVersion => "version",
            Field::ReleaseArtist => "display_artist",
            Field::ReleaseType => "release_type",
            Field::CatalogNumber => "catalog_number",
            Field::ReleaseDate => "release_date",
            Field::OriginalReleaseDate => "original_release_date",
            Field::Genre => "genre",
            Field::Subgenre => "subgenre",
            Field::PLine => "p_line",
            Field::CLine => "c_line",
            Field::ParentalAdvisory => "parental_advisory",
            Field::MetadataLanguage => "metadata_language",
            _ => return None,
        })
    }

    /// The field name `TrackEdit::parse` knows this column by.
    pub fn track_edit(self) -> Option<&'static str> {
        Some(match self {
            Field::Isrc => "isrc",
            Field::TrackTitle => "title",
            Field::TrackVersion => "version",
            Field::TrackArtist => "display_artist",
            Field::Duration => "duration",
            Field::Explicit => "explicit",
            Field::AudioLanguage => "audio_language",
            _ => return None,
        })
    }

    /// Header spellings (folded: lowercase letters and digits only) that mean this column.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Upc => {
                &["upc", "ean", "barcode", "gtin", "upcean", "eanupc", "ean13", "releaseupc", "upccode"]
            }
            Field::ReleaseTitle => {
                &["releasetitle", "album", "albumtitle", "albumname", "releasename", "release"]
            }
            Field::ReleaseVersion => &["releaseversion", "albumversion"],
            Field::ReleaseArtist => &["releaseartist", "albumartist", "releaseartists", "albumartists"],
            Field::Label => &["label", "labelname", "recordlabel"],
            Field::ReleaseType => &["releasetype", "producttype", "albumtype", "type"],
            Field::CatalogNumber => &[
                "catalognumber",
                "catalogueno",
                "catalogno",
                "catno",
                "cataloguenumber",
                "catalog",
                "catnumber",
            ],
            Field::ReleaseDate => &["releasedate", "streetdate", "date", "digitalreleasedate"],
            Field::OriginalReleaseDate => &["originalreleasedate", "originaldate", "originalrelease"],
            Field::Genre => &["genre", "primarygenre", "maingenre"],
            Field::Subgenre => &["subgenre", "secondarygenre"],
            Field::PLine => &["pline", "phonographiccopyright", "soundrecordingcopyright", "p"],
            Field::CLine => &["cline", "copyright", "copyrightline", "c"],
            Field::ParentalAdvisory => &["parentaladvisory", "advisory", "releaseexplicit"],
            Field::MetadataLanguage => &["metadatalanguage", "titlelanguage", "releaselanguage"],
            Field::Disc => &["disc", "discnumber", "discno", "volume", "volumenumber", "cd"],
            Field::Track => &["track", "tracknumber", "trackno", "trackposition", "position", "tracknum"],
            Field::Isrc => &["isrc", "isrccode", "trackisrc"],
            Field::TrackTitle => &["tracktitle", "title", "trackname", "songtitle", "song", "songname"],
            Field::TrackVersion => &["trackversion", "version", "mixversion", "mix", "versiontitle"],
            Field::TrackArtist => {
                &["trackartist", "artist", "artists", "trackartists", "artistname", "performer"]
            }
            Field::Duration => &["duration", "length", "time", "tracklength", "trackduration", "runtime"],
            Field::Explicit => &["explicit", "explicitcontent", "explicitlyrics", "trackexplicit"],
            Field::AudioLanguage => &["audiolanguage", "lyricslanguage", "language", "tracklanguage"],
            Field::Contributors => &["contributors", "credits", "trackcontributors"],
            Field::Writers => &["writers", "songwriters", "publishing", "composers"],
        }
    }
}

/// Lowercase letters and digits only: `"ISRC Code"` and `isrc_code` both fold to `isrccode`.
fn fold(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Which template column each header of a file feeds; `null` ignores the column. Saved as JSON,
/// edited, and passed back with `--mapping`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnMapping {
    /// File header (as written in the file) to template column name.
    pub columns: BTreeMap<String, Option<String>>,
}

impl ColumnMapping {
    /// The mapping Catno proposes for these headers: exact names and aliases, each column once.
    pub fn propose(headers: &[String]) -> Self {
        let mut taken = Vec::new();
        let mut columns = BTreeMap::new();
        for header in headers {
            let folded = fold(header);
            let field = Field::ALL
                .into_iter()
                .find(|f| fold(f.name()) == folded)
                .or_else(|| Field::ALL.into_iter().find(|f| f.aliases().contains(&folded.as_str())))
                .filter(|f| !taken.contains(f));
            if let Some(f) = field {
                taken.push(f);
            }
            columns.insert(header.trim().to_owned(), field.map(|f| f.name().to_owned()));
        }
        Self { columns }
    }

    /// For each header position, the template column it feeds; refuses unknown column names
    /// and a column fed twice.
    pub(crate) fn resolve(&self, headers: &[String]) -> Result<Vec<Option<Field>>> {
        let mut seen: Vec<Field> = Vec::new();
        let mut out = Vec::with_capacity(headers.len());
        for header in headers {
            let field = match self.columns.get(header.trim()) {
                Some(Some(name)) => Some(Field::from_name(name).ok_or_else(|| {
                    let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                    Error::Invalid(format!(
                        "mapping: \"{name}\" (for header \"{header}\") is not a column; known: {}",
                        known.join(", ")
                    ))
                })?),
                _ => None,
            };
            if let Some(f) = field {
                if seen.contains(&f) {
                    return Err(Error::Invalid(format!(
                        "mapping: column {} is fed by more than one header",
                        f.name()
                    )));
                }
                seen.push(f);
            }
            out.push(field);
        }
        Ok(out)
    }
}

/// A CSV file decoded to text, with its delimiter sniffed.
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub delimiter: u8,
}

/// Reads a file as UTF-8 (a BOM is dropped) or, when it is not valid UTF-8, as Windows-1252,
/// which is what Excel on Windows writes.
pub(crate) fn decode(path: &Path) -> Result<Decoded> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    let (text, encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, "UTF-8"),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            (text.into_owned(), "Windows-1252")
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let delimiter = sniff_delimiter(&text);
    Ok(Decoded { text, encoding, delimiter })
}

/// The delimiter of the header line among `,` `;` and tab: the most frequent outside quotes.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], std::cmp::Reverse(*i))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

pub(crate) fn reader(decoded: &Decoded) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(decoded.text.as_bytes())
}

pub(crate) fn headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>> {
    Ok(reader
        .headers()
        .map_err(|e| Error::Invalid(format!("header row: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect())
}

const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];

/// A cell as written: one starting like a formula (or with the escape quote itself) gets a
/// leading `'` so a spreadsheet shows it as text.
pub fn escape_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some(c) if FORMULA_START.contains(&c) || c == '\'' => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// A cell as read: trimmed, an escaping `'` removed. `Err` when the cell would run as a
/// formula in a spreadsheet.
pub fn unescape_cell(raw: &str) -> std::result::Result<&str, String> {
    let value = raw.trim();
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some(c)) if FORMULA_START.contains(&c) || c == '\'' => Ok(&value[1..]),
        (Some(c), _) if FORMULA_START.contains(&c) => Err(format!(
            "\"{value}\" starts with {c} and would run as a spreadsheet formula; \
             write it as '{value} to import it as text"
        )),
        _ => Ok(value),
    }
}

/// A duration the way `TrackEdit::parse` reads it back exactly: `m:ss`, `h:mm:ss`, with
/// `.mmm` when there are milliseconds.
pub fn format_duration(ms: i64) -> String {
    let base = catno_domain::format_duration_ms(ms);
    match ms % 1000 {
        0 => base,
        millis => format!("{base}.{millis:03}"),
    }
}
