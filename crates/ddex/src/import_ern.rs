//! Import of real-world ERN messages (4.3 and 3.8.2, and their close relatives 4.1/4.2 and
//! 3.7/3.8.x read leniently) into one version-neutral model, [`ImportedRelease`], that the
//! catalog can store. Unlike [`crate::import_ern43`] (Catno's own round trip) this reads what
//! other senders write: references (`R0`/`A1`/`P1`), nested resource groups, display
//! artists and contributors with AVS or user-defined roles, territory-specific metadata
//! blocks (the default block is used), localized titles, and deals on the main release and
//! on track releases.
//!
//! Untrusted input: the file is refused before parsing above [`MAX_IMPORT_BYTES`]; a
//! DOCTYPE (the door to entity expansion and external entities) is refused; nesting depth
//! and element count are capped. Nothing here panics on bad input: every problem is an
//! [`ImportFinding`] with the line and column of the element it is about.

use catno_domain::{
    Artist, Contributor, ContributorRole, DspArtistId, DspPlatform, Isrc, LocalizedTitle, ParentalAdvisory,
    Release, ReleaseType, RightsLine, Track, Upc, WorkflowStatus, Writer, WriterRole,
};
use serde::{Deserialize, Serialize};

use crate::check::Severity;
use crate::dom::{self, Element, Limits};
use crate::import_deals::ImportedDeals;
use crate::profile::ErnVersion;

/// Files larger than this are refused before parsing (the largest real ERN messages, a
/// 100-track compilation with per-territory deals, stay well below it).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// One problem or remark about an imported message, at a 1-based line and column of the
/// file (0 when the problem is about the whole file, e.g. its size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFinding {
    pub severity: Severity,
    pub line: u32,
    pub column: u32,
    /// The element the finding is about (`SoundRecording`, `Deal`...), empty for the file.
    pub element: String,
    pub message: String,
}

impl ImportFinding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for ImportFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        write!(f, "{level}: ")?;
        if !self.element.is_empty() {
            write!(f, "{}: ", self.element)?;
        }
        f.write_str(&self.message)
    }
}

/// A track of an imported release with its place on the release.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedTrack {
    /// `id` 0; contributors carry `artist_id` 0 (artists are matched by name on import).
    pub track: Track,
    pub disc: u32,
    pub number: u32,
    /// Where the sound recording is in the file, for findings about it.
    pub line: u32,
    pub column: u32,
}

/// One release as a message describes it, in catalog terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRelease {
    /// `id`/`label_id` 0; `label_name` empty when the message names no label; display
    /// artists in `artists` with `artist_id` 0.
    pub release: Release,
    /// The release's GRid, when it has one (Catno keeps no GRid; reported, not stored).
    pub grid: Option<String>,
    pub label_dpid: Option<String>,
    /// In running order (disc, then number).
    pub tracks: Vec<ImportedTrack>,
    /// Localized names and ISNIs of credited artists, by name (`id` 0).
    pub artists: Vec<Artist>,
    /// `None`: the message has no `DealList` (metadata-only message).
    pub deals: Option<ImportedDeals>,
    pub sender_name: String,
    pub recipient_name: String,
    pub message_id: String,
}

/// What a message asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ErnContent {
    Release(Box<ImportedRelease>),
    /// A `PurgeReleaseMessage`: Catno never deletes on import, it only reports.
    /// `icpn` as written (not checked: a purge may name a release with a bad code).
    Purge {
        icpn: Option<String>,
        title: Option<String>,
    },
    /// Nothing identifiable to import (e.g. a deal-only sample without a release id).
    Nothing,
}

/// The result of reading one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ErnImport {
    pub version: Option<ErnVersion>,
    /// The root element (`NewReleaseMessage`, `PurgeReleaseMessage`), empty when unreadable.
    pub message_type: String,
    pub content: ErnContent,
    pub findings: Vec<ImportFinding>,
}

impl ErnImport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(ImportFinding::is_error)
    }
}

/// Byte offsets to line and column, worked out only when a finding or a track needs one.
/// Lookups come mostly in document order, so the line is counted from the previous lookup's
/// offset; should lookups jump about so much that counting would cost more than two passes
/// over the text, an index of line starts is built once and answers the rest.
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// The previous lookup: its byte offset and 1-based line.
    cursor: std::cell::Cell<(usize, usize)>,
    /// Bytes counted so far.
    counted: std::cell::Cell<usize>,
    starts: std::cell::OnceCell<Vec<usize>>,
}

fn newlines(bytes: &[u8]) -> usize {
    // Counted in byte-sized sums of at most 255 so the compiler can vectorise the loop.
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum()
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            cursor: std::cell::Cell::new((0, 1)),
            counted: std::cell::Cell::new(0),
            starts: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and the byte offset the line starts at (`pos` is within the text).
    fn line_of(&self, pos: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let (at, line) = self.cursor.get();
        let between = bytes.get(at.min(pos)..at.max(pos)).unwrap_or_default();
        let counted = self.counted.get().saturating_add(between.len());
        if self.starts.get().is_none() && counted <= self.text.len().saturating_mul(2).saturating_add(4096) {
            self.counted.set(counted);
            let line = if pos >= at { line + newlines(between) } else { line - newlines(between) };
            self.cursor.set((pos, line));
            let before = bytes.get(..pos).unwrap_or_default();
            return (line, before.iter().rposition(|&b| b == b'\n').map_or(0, |nl| nl + 1));
        }
        let starts = self.index();
        let line = starts.partition_point(|&s| s <= pos).max(1);
        (line, starts.get(line - 1).copied().unwrap_or(0))
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn at(&self, pos: usize) -> (u32, u32) {
        let pos = pos.min(self.text.len());
        let (line, start) = self.line_of(pos);
        let column = match self.text.get(start..pos) {
            Some(prefix) => prefix.chars().count(),
            None => pos - start,
        };
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column + 1).unwrap_or(u32::MAX))
    }
}

/// Shared state of one reading: positions, findings, the message's language.
pub(crate) struct Reading<'a> {
    lines: Lines<'a>,
    pub findings: Vec<ImportFinding>,
    /// The root `LanguageAndScriptCode` (the language of unmarked titles).
    pub language: Option<String>,
}

impl Reading<'_> {
    pub fn position(&self, el: &Element) -> (u32, u32) {
        self.lines.at(el.pos)
    }

    fn push(&mut self, severity: Severity, el: &Element, message: String) {
        let (line, column) = self.position(el);
        self.findings.push(ImportFinding { severity, line, column, element: el.name.to_owned(), message });
    }

    pub fn error(&mut self, el: &Element, message: impl Into<String>) {
        self.push(Severity::Error, el, message.into());
    }

    pub fn warn(&mut self, el: &Element, message: impl Into<String>) {
        self.push(Severity::Warning, el, message.into());
    }

    /// A warning said once per file, however many elements meet it.
    pub fn warn_once(&mut self, el: &Element, message: impl Into<String>) {
        let message = message.into();
        if !self.findings.iter().any(|f| f.message == message) {
            self.push(Severity::Warning, el, message);
        }
    }
}

fn file_finding(message: impl Into<String>) -> ImportFinding {
    ImportFinding {
        severity: Severity::Error,
        line: 0,
        column: 0,
        element: String::new(),
        message: message.into(),
    }
}

fn failed(findings: Vec<ImportFinding>) -> ErnImport {
    ErnImport { version: None, message_type: String::new(), content: ErnContent::Nothing, findings }
}

/// Reads one ERN file's bytes. Never panics; every problem is a finding.
pub fn read_ern(bytes: &[u8]) -> ErnImport {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_IMPORT_BYTES {
        return failed(vec![file_finding(format!(
            "the file is {} bytes, more than the {} MiB an ERN message may have; refused unread",
            bytes.len(),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ))]);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return failed(vec![file_finding("the file is UTF-16; save it as UTF-8 and import again")]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid =
                std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default();
            let (line, column) = Lines::new(valid).at(valid.len());
            return failed(vec![ImportFinding {
                line,
                column,
                ..file_finding("the file is not valid UTF-8 text (ERN messages are UTF-8)")
            }]);
        }
    };
    let lines = Lines::new(text);
    let arena = bumpalo::Bump::new();
    let root = match dom::parse_guarded(text, &Limits::UNTRUSTED, &arena) {
        Ok(root) => root,
        Err(e) => {
            let (line, column) = lines.at(e.pos);
            return failed(vec![ImportFinding {
                line,
                column,
                ..file_finding(format!("not well-formed XML: {}", e.message))
            }]);
        }
    };
    let mut reading = Reading {
        lines,
        findings: Vec::new(),
        language: root.attr("LanguageAndScriptCode").map(str::to_owned),
    };
    let version = detect_version(&root);
    let message_type = root.name.to_owned();
    let content = match (version, root.name) {
        (None, _) => {
            reading.error(
                &root,
                "not a DDEX ERN message (no ERN namespace); Catno imports ERN 4.3 and 3.8.2 NewReleaseMessage",
            );
            ErnContent::Nothing
        }
        (Some((ver, exact)), name) => {
            if !exact {
                reading.warn(
                    &root,
                    format!(
                        "this is {}, read as ERN {}: elements that version does not have are ignored",
                        root.attrs
                            .iter()
                            .find(|(_, v)| v.contains("ddex.net/xml/ern/"))
                            .map_or("another ERN version".to_owned(), |(_, v)| v.to_string()),
                        if ver == ErnVersion::Ern43 { "4.3" } else { "3.8.2" }
                    ),
                );
            }
            match name {
                "NewReleaseMessage" => match ver {
                    ErnVersion::Ern43 => crate::import43::read(&root, &mut reading),
                    ErnVersion::Ern382 => crate::import382::read(&root, &mut reading),
                },
                "PurgeReleaseMessage" => purge(&root, &mut reading),
                other => {
                    reading.error(
                        &root,
                        format!("{other} is not a release message; Catno imports NewReleaseMessage"),
                    );
                    ErnContent::Nothing
                }
            }
        }
    };
    ErnImport { version: version.map(|(v, _)| v), message_type, content, findings: reading.findings }
}

/// The version the reader should use, and whether it is exactly 4.3 / 3.8.2.
fn detect_version(root: &Element) -> Option<(ErnVersion, bool)> {
    let namespace =
        root.attrs.iter().map(|(_, v)| v.trim()).find(|v| v.starts_with("http://ddex.net/xml/ern/"))?;
    let tail = namespace.trim_start_matches("http://ddex.net/xml/ern/");
    let declared = root.attr("MessageSchemaVersionId").map(|v| v.trim().trim_start_matches("ern/"));
    match tail.chars().next()? {
        '4' => Some((ErnVersion::Ern43, tail == "43")),
        '3' => Some((ErnVersion::Ern382, tail == "382" || declared == Some("382"))),
        _ => None,
    }
}

/// A release without a P-line of its own takes its recordings' (Catno keeps one per release).
pub(crate) fn p_line_from_tracks(
    r: &mut Reading<'_>,
    release_el: &Element,
    lines: &[RightsLine],
) -> Option<RightsLine> {
    let first = lines.first()?.clone();
    if lines.iter().any(|l| *l != first) {
        r.warn(
            release_el,
            format!(
                "the recordings carry different P-lines; the release keeps the first ({} {})",
                first.year, first.holder
            ),
        );
    }
    Some(first)
}

fn purge(root: &Element, r: &mut Reading<'_>) -> ErnContent {
    let Some(purged) = root.child("PurgedRelease") else {
        r.error(root, "PurgeReleaseMessage without PurgedRelease");
        return ErnContent::Nothing;
    };
    let icpn = purged.child("ReleaseId").and_then(|id| text_of(id, "ICPN"));
    let title =
        purged.at(&["Title", "TitleText"]).map(|t| t.text.trim().to_owned()).filter(|t| !t.is_empty());
    ErnContent::Purge { icpn, title }
}

// ---- helpers shared by both readers ----

/// Trimmed text of the first child with this name, when not empty.
pub(crate) fn text_of(el: &Element, name: &str) -> Option<String> {
    el.child_text(name).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

pub(crate) fn trimmed(el: &Element) -> Option<String> {
    Some(el.text.trim()).filter(|t| !t.is_empty()).map(str::to_owned)
}

pub(crate) fn upc(r: &mut Reading<'_>, el: &Element) -> Option<Upc> {
    let raw = el.text.trim();
    if raw.is_empty() {
        return None;
    }
    match Upc::parse(raw) {
        Ok(upc) => Some(upc),
        Err(e) => {
            r.error(el, format!("ICPN: {e}"));
            None
        }
    }
}

pub(crate) fn isrc(r: &mut Reading<'_>, el: &Element) -> Option<Isrc> {
    let raw = el.text.trim();
    if raw.is_empty() {
        return None;
    }
    match Isrc::parse(raw) {
        Ok(isrc) => Some(isrc),
        Err(e) => {
            r.error(el, e.to_string());
            None
        }
    }
}

/// `PT1H2M3.5S` (or `PT0H3M35.000S`) to milliseconds.
pub(crate) fn duration(r: &mut Reading<'_>, el: &Element) -> Option<i64> {
    let raw = el.text.trim();
    match crate::import::duration_ms(raw).ok().and_then(|ms| i64::try_from(ms).ok()) {
        Some(ms) => Some(ms),
        None => {
            r.warn(el, format!("{raw:?} is not an ISO 8601 duration (PT3M35S); duration left empty"));
            None
        }
    }
}

/// A P-line or C-line: the year from `Year` (or the text), the holder from the text
/// without its symbol and year ("(P) 1994 EMI Music Japan Inc." -> "EMI Music Japan Inc.").
pub(crate) fn rights_line(r: &mut Reading<'_>, el: &Element, text_name: &str) -> Option<RightsLine> {
    let text = text_of(el, text_name).unwrap_or_default();
    let mut rest = text.as_str();
    for symbol in ["℗", "©", "(P)", "(p)", "(C)", "(c)", "P ", "C "] {
        if let Some(after) = rest.strip_prefix(symbol) {
            // A bare letter is a symbol only before a year ("P 2010 ..."), not "P Diddy".
            if symbol.len() == 2 && !after.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            rest = after.trim_start();
            break;
        }
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let year_in_text: Option<u16> = if digits.len() == 4 { digits.parse().ok() } else { None };
    if year_in_text.is_some() {
        rest = rest.get(4..).unwrap_or_default().trim_start_matches([' ', ',']).trim_start();
    }
    let year = match el.child("Year") {
        Some(y) => match y.text.trim().parse::<u16>() {
            Ok(year) => Some(year),
            Err(_) => {
                r.warn(y, format!("{:?} is not a year", y.text.trim()));
                year_in_text
            }
        },
        None => year_in_text,
    };
    let holder = rest.trim().to_owned();
    match year {
        Some(year) if !holder.is_empty() => Some(RightsLine { year, holder }),
        _ => {
            r.warn(el, format!("{} needs a year and a holder ({text:?}); not imported", el.name));
            None
        }
    }
}

pub(crate) fn parental(r: &mut Reading<'_>, el: Option<&Element>) -> ParentalAdvisory {
    let Some(el) = el else { return ParentalAdvisory::Unknown };
    match el.text.trim() {
        "NoAdviceAvailable" | "Unknown" | "" => ParentalAdvisory::Unknown,
        "ExplicitContentEdited" | "Edited" => ParentalAdvisory::Clean,
        other => ParentalAdvisory::parse(other).unwrap_or_else(|| {
            r.warn(el, format!("ParentalWarningType {other} is not known; kept as Unknown"));
            ParentalAdvisory::Unknown
        }),
    }
}

/// The release type from the `ReleaseType` elements (several may be given, e.g.
/// `SingleResourceRelease` plus a user-defined `Audio`).
pub(crate) fn release_type(r: &mut Reading<'_>, holder: &Element, track_count: usize) -> ReleaseType {
    let types: Vec<&Element> = holder.children_named("ReleaseType").collect();
    for t in &types {
        let value = match (t.text.trim(), t.attr("UserDefinedValue")) {
            ("UserDefined", Some(v)) => v.trim(),
            (v, _) => v,
        };
        let found = match value {
            "Album" | "AlbumRelease" | "ClassicalAlbum" => Some(ReleaseType::Album),
            "Single" | "SingleResourceRelease" | "AudioSingle" => Some(ReleaseType::Single),
            "EP" | "Ep" => Some(ReleaseType::Ep),
            "Compilation" | "CompilationAlbum" => Some(ReleaseType::Compilation),
            _ => ReleaseType::parse(value),
        };
        if found.is_some() {
            return found.unwrap_or(ReleaseType::Album);
        }
    }
    let guess = if track_count <= 3 { ReleaseType::Single } else { ReleaseType::Album };
    let named: Vec<&str> = types.iter().map(|t| t.text.trim()).collect();
    r.warn(holder, format!("ReleaseType {named:?} has no Catno equivalent; imported as {guess}"));
    guess
}

/// How a DDEX role value lands in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleTarget {
    Credit(ContributorRole),
    Writer(WriterRole),
    /// "Artist": the performer shown as display artist; nothing more to record.
    AsDisplayArtist,
    Unknown,
}

/// Role values of 4.3 `Contributor/Role`, 3.8.2 `ResourceContributorRole` and
/// `IndirectResourceContributorRole` (`UserDefined` reads its `UserDefinedValue`).
/// `writers_first`: whether composer-like values are writers (4.3 and 3.8.2 indirect
/// contributors) or performing credits (3.8.2 direct contributors).
pub(crate) fn role_target(value: &str, user_defined: Option<&str>, writers_first: bool) -> RoleTarget {
    let value = match value.trim() {
        "UserDefined" => user_defined.unwrap_or_default().trim(),
        v => v,
    };
    let folded: String =
        value.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).collect();
    if writers_first {
        let writer = match folded.as_str() {
            "composer" => Some(WriterRole::Composer),
            "lyricist" | "librettist" | "author" | "textwriter" => Some(WriterRole::Lyricist),
            "composerlyricist" | "songwriter" | "writer" => Some(WriterRole::ComposerLyricist),
            "arranger" | "musicarranger" => Some(WriterRole::Arranger),
            "translator" => Some(WriterRole::Translator),
            _ => None,
        };
        if let Some(role) = writer {
            return RoleTarget::Writer(role);
        }
    }
    use ContributorRole as C;
    let credit = match folded.as_str() {
        "artist" | "mainartist" | "primaryartist" => return RoleTarget::AsDisplayArtist,
        "featuredartist" => C::FeaturedArtist,
        "producer" | "studioproducer" | "musicproducer" | "recordingproducer" => C::Producer,
        "coproducer" => C::CoProducer,
        "mixingengineer" | "mixer" | "remixengineer" => C::MixingEngineer,
        "masteringengineer" => C::MasteringEngineer,
        "recordingengineer" | "engineer" | "soundengineer" | "balanceengineer" | "studioengineer" => {
            C::RecordingEngineer
        }
        "remixer" => C::Remixer,
        "arranger" => C::Arranger,
        "conductor" => C::Conductor,
        "composer" => C::Composer,
        "lyricist" => C::Lyricist,
        "vocalist" | "leadvocalist" | "backgroundvocalist" | "singer" | "leadsinger" => C::Vocalist,
        "instrumentalist" | "musician" | "soloist" => C::Instrumentalist,
        _ => match ContributorRole::parse(value) {
            Some(role) => role,
            None => return RoleTarget::Unknown,
        },
    };
    RoleTarget::Credit(credit)
}

/// A display artist line from display credits ("A, B feat. C"), for a recording whose message
/// leaves its display artist name to the release.
pub(crate) fn display_name_from(credits: &[Contributor]) -> Option<String> {
    let of = |role: ContributorRole| -> Vec<&str> {
        credits.iter().filter(|c| c.role == role).map(|c| c.artist_name.as_str()).collect()
    };
    let (main, featured) = (of(ContributorRole::MainArtist), of(ContributorRole::FeaturedArtist));
    if main.is_empty() {
        return None;
    }
    let mut name = main.join(", ");
    if !featured.is_empty() {
        name.push_str(" feat. ");
        name.push_str(&featured.join(", "));
    }
    Some(name)
}

/// Adds a credit unless the same name already has the same role.
pub(crate) fn push_credit(list: &mut Vec<Contributor>, name: &str, role: ContributorRole) {
    if !list.iter().any(|c| c.artist_name == name && c.role == role) {
        let sequence = i64::try_from(list.len() + 1).unwrap_or(i64::MAX);
        list.push(Contributor { id: 0, artist_id: 0, artist_name: name.to_owned(), role, sequence });
    }
}

pub(crate) fn push_writer(list: &mut Vec<Writer>, name: &str, role: WriterRole) {
    if !list.iter().any(|w| w.name == name && w.role == role) {
        list.push(Writer { id: 0, name: name.to_owned(), role, publisher: None, share_basis_points: 0 });
    }
}

/// Records what a message says about an artist (localized names, ISNI), merged by name.
pub(crate) fn note_artist(
    artists: &mut Vec<Artist>,
    name: &str,
    localized: &[LocalizedTitle],
    isni: Option<&str>,
) {
    let index = match artists.iter().position(|a| a.name == name) {
        Some(i) => i,
        None => {
            artists.push(Artist {
                id: 0,
                name: name.to_owned(),
                localized_names: Vec::new(),
                dsp_ids: Vec::new(),
            });
            artists.len() - 1
        }
    };
    let Some(artist) = artists.get_mut(index) else { return };
    for l in localized {
        if !artist.localized_names.iter().any(|x| x.language == l.language) {
            artist.localized_names.push(l.clone());
        }
    }
    if let Some(isni) = isni.map(str::trim).filter(|v| !v.is_empty())
        && !artist.dsp_ids.iter().any(|d| d.platform == DspPlatform::Isni)
    {
        artist.dsp_ids.push(DspArtistId { platform: DspPlatform::Isni, value: isni.to_owned() });
    }
}

/// A display artist role (4.3 `DisplayArtistRole`, 3.8.2 `ArtistRole`) as a catalog role.
pub(crate) fn display_role(r: &mut Reading<'_>, el: &Element, value: &str) -> ContributorRole {
    match value.trim() {
        "FeaturedArtist" => ContributorRole::FeaturedArtist,
        "MainArtist" | "Artist" | "PrimaryArtist" | "" => ContributorRole::MainArtist,
        other => {
            r.warn_once(
                el,
                format!("display artist role {other} has no Catno equivalent; kept as MainArtist"),
            );
            ContributorRole::MainArtist
        }
    }
}

/// Picks the default among elements that may repeat per language or territory: the one
/// marked `IsDefault`, else one without `LanguageAndScriptCode`, else one in the message
/// language, else the first.
pub(crate) fn default_of<'e>(
    candidates: &[&'e Element<'e>],
    language: Option<&str>,
) -> Option<&'e Element<'e>> {
    candidates
        .iter()
        .find(|e| e.attr("IsDefault") == Some("true"))
        .or_else(|| candidates.iter().find(|e| e.attr("LanguageAndScriptCode").is_none()))
        .or_else(|| candidates.iter().find(|e| e.attr("LanguageAndScriptCode") == language))
        .or_else(|| candidates.first())
        .copied()
}

/// Localized versions of a title: every candidate with a language other than the default's.
pub(crate) fn localized_titles(
    candidates: &[&Element],
    default: Option<&Element>,
    text_name: Option<&str>,
) -> Vec<LocalizedTitle> {
    let mut out: Vec<LocalizedTitle> = Vec::new();
    let default_language = default.and_then(|d| d.attr("LanguageAndScriptCode"));
    for c in candidates {
        if default.is_some_and(|d| std::ptr::eq(d, *c)) {
            continue;
        }
        let Some(language) = c.attr("LanguageAndScriptCode") else { continue };
        if Some(language) == default_language {
            continue;
        }
        let title = match text_name {
            Some(name) => text_of(c, name),
            None => trimmed(c),
        };
        if let Some(title) = title
            && !out.iter().any(|l| l.language == language)
        {
            out.push(LocalizedTitle { language: language.to_owned(), title });
        }
    }
    out
}

/// A title as either ERN version gives it: the default title, its version, the translations.
pub(crate) struct Titles {
    pub title: String,
    pub version: Option<String>,
    pub localized: Vec<LocalizedTitle>,
}

/// The main release's identifiers and titles, read alike in both ERN versions, and its GRid.
/// `None`: a message with no ICPN, title or recordings (a deal-only message), already warned.
pub(crate) fn release_head(
    r: &mut Reading<'_>,
    main: &Element,
    titles: Option<Titles>,
    has_recordings: bool,
    missing_title: &str,
) -> Option<(Release, Option<String>)> {
    let mut release = empty_release(r.language.as_deref());
    let release_id = main.child("ReleaseId");
    release.upc = release_id.and_then(|id| id.child("ICPN")).and_then(|el| upc(r, el));
    release.catalog_number = release_id.and_then(|id| text_of(id, "CatalogNumber"));
    let grid = release_id.and_then(|id| text_of(id, "GRid"));
    if titles.is_none() && release.upc.is_none() && !has_recordings {
        r.warn(
            main,
            "nothing to import: the release has no ICPN, no title and no sound recordings (a deal-only message \
             needs a release id to apply to)",
        );
        return None;
    }
    match titles {
        Some(t) => {
            release.title = t.title;
            release.version = t.version;
            release.localized_titles = t.localized;
        }
        None => r.error(main, missing_title),
    }
    Some((release, grid))
}

/// A release with everything a message may leave out set to neutral values.
pub(crate) fn empty_release(language: Option<&str>) -> Release {
    Release {
        id: 0,
        label_id: 0,
        label_name: String::new(),
        title: String::new(),
        version: None,
        display_artist: String::new(),
        localized_titles: Vec::new(),
        release_type: ReleaseType::Album,
        upc: None,
        catalog_number: None,
        p_line: None,
        c_line: None,
        genre: None,
        subgenre: None,
        release_date: None,
        original_release_date: None,
        parental_advisory: ParentalAdvisory::Unknown,
        metadata_language: language.map(str::to_owned),
        status: WorkflowStatus::Draft,
        artists: Vec::new(),
        updated_at: String::new(),
    }
}

pub(crate) fn empty_track() -> Track {
    Track {
        id: 0,
        isrc: None,
        title: String::new(),
        version: None,
        display_artist: String::new(),
        localized_titles: Vec::new(),
        duration_ms: None,
        explicit: false,
        audio_language: None,
        contributors: Vec::new(),
        writers: Vec::new(),
        updated_at: String::new(),
    }
}

/// A date element as `YYYY-MM-DD` (a date-time keeps its date); other forms are reported.
pub(crate) fn date_of(r: &mut Reading<'_>, el: Option<&Element>) -> Option<String> {
    let el = el?;
    let raw = el.text.trim();
    let date = raw.get(..10).unwrap_or(raw);
    if crate::plan::parse_date(date).is_ok() {
        Some(date.to_owned())
    } else {
        if !raw.is_empty() {
            r.warn(el, format!("{raw:?} is not a full date (YYYY-MM-DD); not imported"));
        }
        None
    }
}

/// Orders the tracks by the main release's resource group: nested groups are discs
/// (numbered by `SequenceNumber`, else in order), items give track numbers. `position_of`
/// maps a `ReleaseResourceReference` to a sound recording index; recordings the group does
/// not place follow on disc 1 in list order.
pub(crate) fn place_tracks(
    r: &mut Reading<'_>,
    group: Option<&Element>,
    position_of: &dyn Fn(&str) -> Option<usize>,
    count: usize,
) -> Vec<Option<(u32, u32)>> {
    let mut places: Vec<Option<(u32, u32)>> = vec![None; count];
    if let Some(group) = group {
        let nested: Vec<&Element> = group.children_named("ResourceGroup").collect();
        let mut discs: Vec<(u32, Vec<&Element>)> = Vec::new();
        if nested.is_empty() {
            discs.push((1, vec![group]));
        } else {
            for (k, disc) in nested.iter().enumerate() {
                let number = text_of(disc, "SequenceNumber")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| u32::try_from(k + 1).unwrap_or(u32::MAX));
                discs.push((number, vec![*disc]));
            }
            // Items beside the disc groups (a cover image, usually) belong to disc 1.
            if let Some(first) = discs.first_mut() {
                first.1.push(group);
            }
        }
        for (disc, groups) in discs {
            let mut running = 0u32;
            for g in groups {
                let mut items = Vec::new();
                collect_items(g, std::ptr::eq(g, group) && !nested.is_empty(), &mut items);
                for item in items {
                    let Some(reference) = text_of(item, "ReleaseResourceReference") else { continue };
                    let Some(index) = position_of(&reference) else { continue };
                    running += 1;
                    let number =
                        text_of(item, "SequenceNumber").and_then(|n| n.parse().ok()).unwrap_or(running);
                    if let Some(slot) = places.get_mut(index) {
                        if slot.is_some() {
                            r.warn(item, format!("{reference} is placed twice; the first place is kept"));
                        } else {
                            *slot = Some((disc, number));
                        }
                    }
                }
            }
        }
    }
    let mut last = places.iter().flatten().filter(|(d, _)| *d == 1).map(|(_, n)| *n).max().unwrap_or(0);
    for slot in &mut places {
        if slot.is_none() {
            last += 1;
            *slot = Some((1, last));
        }
    }
    places
}

/// The content items of a group, depth first; `shallow` keeps to the group's own items.
fn collect_items<'e>(group: &'e Element<'e>, shallow: bool, out: &mut Vec<&'e Element<'e>>) {
    for c in group.children {
        match c.name {
            "ResourceGroupContentItem" => out.push(c),
            "ResourceGroup" if !shallow => collect_items(c, false, out),
            _ => {}
        }
    }
}

/// Puts the tracks (and their track deals, read in message order) in running order and
/// checks that no two claim the same place.
pub(crate) fn into_running_order(
    r: &mut Reading<'_>,
    release: &Element,
    tracks: Vec<ImportedTrack>,
    deals: Option<ImportedDeals>,
) -> (Vec<ImportedTrack>, Option<ImportedDeals>) {
    let mut order: Vec<usize> = (0..tracks.len()).collect();
    order.sort_by_key(|i| tracks.get(*i).map(|t| (t.disc, t.number)));
    let mut slots: Vec<Option<ImportedTrack>> = tracks.into_iter().map(Some).collect();
    let ordered: Vec<ImportedTrack> =
        order.iter().filter_map(|i| slots.get_mut(*i).and_then(Option::take)).collect();
    let deals = deals.map(|mut d| ImportedDeals {
        // `order` is a permutation: each track's grants are moved once.
        tracks: order.iter().map(|i| d.tracks.get_mut(*i).and_then(Option::take)).collect(),
        release: d.release,
    });
    for pair in ordered.windows(2) {
        if let [a, b] = pair
            && (a.disc, a.number) == (b.disc, b.number)
        {
            r.error(
                release,
                format!(
                    "{:?} and {:?} both claim disc {} track {}",
                    a.track.title, b.track.title, a.disc, a.number
                ),
            );
        }
    }
    (ordered, deals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_character_columns() {
        let lines = Lines::new("ab\nçd<x/>\n");
        assert_eq!(lines.at(0), (1, 1));
        assert_eq!(lines.at(3), (2, 1));
        // "çd" is 3 bytes, 2 characters.
        assert_eq!(lines.at(6), (2, 3));
        // Counted from the previous lookup, forwards and backwards, or from the index of line
        // starts once lookups have jumped about: the same answers.
        let text = "a\nbb\n\nçcc\nd";
        let naive = |pos: usize| {
            let pos = pos.min(text.len());
            let line = 1 + newlines(&text.as_bytes()[..pos]);
            let start = text.as_bytes()[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |nl| nl + 1);
            let column = text.get(start..pos).map_or(pos - start, |p| p.chars().count());
            (u32::try_from(line).unwrap_or(0), u32::try_from(column + 1).unwrap_or(0))
        };
        let order: Vec<usize> =
            (0..=text.len() + 2).chain((0..=text.len() + 2).rev()).chain([3, 11, 0, 7, 14]).collect();
        let lines = Lines::new(text);
        for &pos in order.iter().cycle().take(3000) {
            assert_eq!(lines.at(pos), naive(pos), "offset {pos}");
        }
        assert!(lines.starts.get().is_some(), "jumping about builds the index");
        assert_eq!(naive(7), (4, 2), "inside a character: bytes from the line start");
        assert_eq!(naive(99), (5, 2), "offsets past the end are the end");
    }

    #[test]
    fn roles_map_to_credits_and_writers() {
        assert_eq!(role_target("Composer", None, true), RoleTarget::Writer(WriterRole::Composer));
        assert_eq!(role_target("Composer", None, false), RoleTarget::Credit(ContributorRole::Composer));
        assert_eq!(
            role_target("UserDefined", Some("MixingEngineer"), false),
            RoleTarget::Credit(ContributorRole::MixingEngineer)
        );
        assert_eq!(role_target("Artist", None, true), RoleTarget::AsDisplayArtist);
        assert_eq!(role_target("Choreographer", None, true), RoleTarget::Unknown);
    }
}
