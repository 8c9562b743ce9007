//! Catno's own template: one row per track, the release's columns repeated on each of its
//! rows. Headers map case- and space-insensitively, with common aliases (see `mapping`); cells
//! that a spreadsheet would run as a formula are escaped with a leading `'` on CSV export and
//! unescaped on import.

use std::borrow::Cow;

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
    Rights,
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
    TrackRights,
}

impl Field {
    pub const ALL: [Field; 28] = [
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
        Field::Rights,
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
        Field::TrackRights,
    ];

    /// The release columns, which every row of one release must agree on.
    pub const RELEASE: [Field; 16] = [
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
        Field::Rights,
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
            Field::Rights => "rights",
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
            Field::TrackRights => "track_rights",
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
    pub(crate) fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Upc => {
                &["upc", "ean", "barcode", "gtin", "upcean", "eanupc", "ean13", "releaseupc", "upccode"]
            }
            Field::ReleaseTitle => {
                &["releasetitle", "album", "albumtitle", "albumname", "releasename", "release"]
            }
            Field::ReleaseVersion => &["releaseversion", "albumversion"],
            Field::ReleaseArtist => &[
                "releaseartist",
                "albumartist",
                "releaseartists",
                "albumartists",
                "releaseprimaryartist",
                "albumprimaryartist",
                "releaseprimaryartists",
            ],
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
            Field::ReleaseDate => &[
                "releasedate",
                "streetdate",
                "date",
                "digitalreleasedate",
                "salesstartdate",
                "originalreleasedatedigital",
                "productreleasedate",
            ],
            Field::OriginalReleaseDate => &["originalreleasedate", "originaldate", "originalrelease"],
            Field::Genre => &["genre", "primarygenre", "maingenre"],
            Field::Subgenre => &["subgenre", "secondarygenre"],
            Field::PLine => {
                &["pline", "phonographiccopyright", "soundrecordingcopyright", "p", "pyear", "pcopyright"]
            }
            Field::CLine => &["cline", "copyright", "copyrightline", "c", "ccopyright"],
            Field::ParentalAdvisory => &["parentaladvisory", "advisory", "releaseexplicit"],
            Field::MetadataLanguage => &["metadatalanguage", "titlelanguage", "releaselanguage"],
            Field::Disc => &["disc", "discnumber", "discno", "volume", "volumenumber", "cd"],
            Field::Track => &["track", "tracknumber", "trackno", "trackposition", "position", "tracknum"],
            Field::Isrc => &["isrc", "isrccode", "trackisrc"],
            Field::TrackTitle => &["tracktitle", "title", "trackname", "songtitle", "song", "songname"],
            Field::TrackVersion => &["trackversion", "version", "mixversion", "mix", "versiontitle"],
            Field::TrackArtist => &[
                "trackartist",
                "artist",
                "artists",
                "trackartists",
                "artistname",
                "performer",
                "primaryartist",
                "primaryartists",
                "trackprimaryartist",
                "mainartist",
                "mainartists",
            ],
            Field::Duration => &["duration", "length", "time", "tracklength", "trackduration", "runtime"],
            Field::Explicit => &["explicit", "explicitcontent", "explicitlyrics", "trackexplicit"],
            Field::AudioLanguage => &["audiolanguage", "lyricslanguage", "language", "tracklanguage"],
            Field::Contributors => &["contributors", "credits", "trackcontributors"],
            // Plain name lists ("Composers", "Songwriters") are writer role columns instead.
            Field::Writers => &["writers", "writershares"],
            Field::Rights => &["rights", "releaserights", "availability", "rightsrules"],
            Field::TrackRights => &["trackrights", "trackavailability"],
        }
    }
}

const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];

/// Whether a spreadsheet would run this text as a formula (or it starts with the escape quote).
pub(crate) fn is_formula_like(value: &str) -> bool {
    value.chars().next().is_some_and(|c| FORMULA_START.contains(&c) || c == '\'')
}

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
