//! Label copy and split sheet of one release as PDF (A4). Text is drawn with fonts the
//! frontend passes in (Catno ships none: a CJK font is tens of megabytes); each character uses
//! the first font that has it, so a Japanese title and a Latin credit share a line. krilla
//! embeds only the glyphs used.

use std::path::{Path, PathBuf};

use catno_db::ExportTrack;
use catno_domain::Release;
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use serde::{Deserialize, Serialize};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::csv_template::format_duration;
use super::export::share_text;
use crate::{Catalog, Error, Result};

/// Font files a frontend can offer, most complete first: the Noto CJK collections cover
/// Latin, Greek, Cyrillic and Japanese/Chinese/Korean; DejaVu covers the European scripts.
/// A frontend passes the ones that exist (see [`existing_fonts`]) or its own.
pub const FONT_SEARCH_LIST: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\YuGothR.ttc",
    "C:\\Windows\\Fonts\\msgothic.ttc",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// The files of [`FONT_SEARCH_LIST`] present on this machine, in order.
pub fn existing_fonts() -> Vec<PathBuf> {
    FONT_SEARCH_LIST.iter().map(PathBuf::from).filter(|p| p.is_file()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PdfKind {
    /// Release facts, tracklist with ISRCs and durations, every credit and writer.
    LabelCopy,
    /// Per track: the writers with role, publisher and share, and lines to sign.
    SplitSheet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfSummary {
    pub release_id: i64,
    pub pages: usize,
    /// The font files whose glyphs were embedded.
    pub fonts: Vec<String>,
    /// Characters no given font has (drawn as the first font's missing-glyph box).
    pub missing_characters: String,
}

struct LoadedFont {
    path: PathBuf,
    data: Vec<u8>,
    index: u32,
    pdf: Font,
    used: bool,
}

impl LoadedFont {
    fn skrifa(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(&self.data, self.index).ok()
    }

    fn has(&self, c: char) -> bool {
        self.skrifa().is_some_and(|f| f.charmap().map(c).is_some_and(|g| g.to_u32() != 0))
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let Some(font) = self.skrifa() else { return 0.0 };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| charmap.map(c).and_then(|g| metrics.advance_width(g)).unwrap_or(size * 0.5))
            .sum()
    }
}

fn load_fonts(paths: &[PathBuf]) -> Result<Vec<LoadedFont>> {
    let mut fonts = Vec::new();
    for path in paths {
        let data = std::fs::read(path)
            .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
        // Index 0 of a collection: for Noto CJK the Japanese face, whose kanji forms suit
        // Japanese titles.
        let pdf = Font::new(data.clone().into(), 0).ok_or_else(|| {
            Error::Invalid(format!("{}: not a TrueType/OpenType font or collection", path.display()))
        })?;
        fonts.push(LoadedFont { path: path.clone(), data, index: 0, pdf, used: false });
    }
    if fonts.is_empty() {
        return Err(Error::Invalid(format!(
            "no font for the PDF; install fonts-noto-cjk or fonts-dejavu, or pass a font file (looked for: {})",
            FONT_SEARCH_LIST.join(", ")
        )));
    }
    Ok(fonts)
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;

/// A line of text or a rule, placed by the layout below.
enum Item {
    Text { x: f32, y: f32, size: f32, text: String },
    Rule { y: f32 },
}

/// A top-down layout over A4 pages: each call places one line and breaks pages.
struct Layout<'f> {
    fonts: &'f mut [LoadedFont],
    pages: Vec<Vec<Item>>,
    y: f32,
    missing: String,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f mut [LoadedFont]) -> Self {
        Layout { fonts, pages: vec![Vec::new()], y: MARGIN, missing: String::new() }
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    /// Runs of `text` by the first font that has each character.
    fn runs(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for c in text.chars() {
            let font = self.fonts.iter().position(|f| f.has(c)).unwrap_or_else(|| {
                if !c.is_whitespace() && !self.missing.contains(c) {
                    self.missing.push(c);
                }
                0
            });
            match runs.last_mut() {
                Some((f, run)) if *f == font => run.push(c),
                _ => runs.push((font, c.to_string())),
            }
        }
        runs
    }

    fn width(&mut self, text: &str, size: f32) -> f32 {
        self.runs(text).iter().map(|(f, run)| self.fonts[*f].width(run, size)).sum()
    }

    /// Words of `text` on lines no wider than `width`.
    fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if !line.is_empty() && self.width(&candidate, size) > width {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            } else {
                line = candidate;
            }
        }
        lines.push(line);
        lines
    }

    fn text_at(&mut self, x: f32, size: f32, text: &str) {
        let y = self.y + size;
        self.page().push(Item::Text { x, y, size, text: text.to_owned() });
    }

    fn page(&mut self) -> &mut Vec<Item> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// A wrapped paragraph starting at `indent`.
    fn paragraph(&mut self, indent: f32, size: f32, text: &str) {
        let width = PAGE_WIDTH - MARGIN - indent - MARGIN;
        for line in self.wrap(text, size, width) {
            self.ensure(size * 1.4);
            self.text_at(MARGIN + indent, size, &line);
            self.y += size * 1.4;
        }
    }

    /// `label` in a column, `value` wrapped beside it.
    fn field(&mut self, label: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let size = 9.5;
        let lines = self.wrap(value, size, PAGE_WIDTH - 2.0 * MARGIN - 130.0);
        self.ensure(size * 1.4 * lines.len() as f32);
        self.text_at(MARGIN, size, label);
        for line in lines {
            self.text_at(MARGIN + 130.0, size, &line);
            self.y += size * 1.4;
        }
    }

    fn rule(&mut self) {
        self.ensure(8.0);
        let y = self.y + 3.0;
        self.page().push(Item::Rule { y });
        self.y += 8.0;
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    fn render(self, title: &str) -> Result<(Vec<u8>, usize, String)> {
        let Layout { fonts, pages, missing, .. } = self;
        let mut document = Document::new();
        document.set_metadata(Metadata::new().title(title.to_owned()).creator("Catno".to_owned()));
        let page_count = pages.len();
        for (number, items) in pages.into_iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
                .ok_or_else(|| Error::Invalid("page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for item in &items {
                match item {
                    Item::Text { x, y, size, text } => draw(&mut surface, fonts, (*x, *y), *size, text),
                    Item::Rule { y } => {
                        let mut builder = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(MARGIN, *y, PAGE_WIDTH - 2.0 * MARGIN, 0.6) {
                            builder.push_rect(rect);
                        }
                        if let Some(path) = builder.finish() {
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            let footer = format!("{title} · page {} of {page_count}", number + 1);
            draw(&mut surface, fonts, (MARGIN, PAGE_HEIGHT - MARGIN / 2.0), 7.5, &footer);
            surface.finish();
            page.finish();
        }
        let bytes = document.finish().map_err(|e| Error::Invalid(format!("PDF: {e:?}")))?;
        Ok((bytes, page_count, missing))
    }
}

/// Draws `text` with its baseline starting at `at`, run by run in the first font that has
/// each character.
fn draw(surface: &mut Surface<'_>, fonts: &mut [LoadedFont], at: (f32, f32), size: f32, text: &str) {
    let (mut x, y) = at;
    let mut runs: Vec<(usize, String)> = Vec::new();
    for c in text.chars() {
        let font = fonts.iter().position(|f| f.has(c)).unwrap_or(0);
        match runs.last_mut() {
            Some((f, run)) if *f == font => run.push(c),
            _ => runs.push((font, c.to_string())),
        }
    }
    for (font, run) in runs {
        let loaded = &mut fonts[font];
        loaded.used = true;
        surface.draw_text(Point::from_xy(x, y), loaded.pdf.clone(), size, &run, false, TextDirection::Auto);
        x += loaded.width(&run, size);
    }
}

fn release_heading(layout: &mut Layout<'_>, release: &Release, kind: &str) {
    layout.paragraph(0.0, 9.0, kind);
    let title = match &release.version {
        Some(version) => format!("{} ({version})", release.title),
        None => release.title.clone(),
    };
    layout.paragraph(0.0, 18.0, &title);
    layout.paragraph(0.0, 12.0, &release.display_artist);
    layout.gap(4.0);
    layout.rule();
}

fn label_copy(layout: &mut Layout<'_>, release: &Release, tracks: &[ExportTrack]) {
    release_heading(layout, release, "LABEL COPY");
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    layout.field("Label", &release.label_name);
    layout.field("Catalog number", &opt(&release.catalog_number));
    layout.field("UPC/EAN", &release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default());
    layout.field("Release type", release.release_type.as_str());
    layout.field("Release date", &opt(&release.release_date));
    layout.field("Original release date", &opt(&release.original_release_date));
    let genre = [release.genre.clone(), release.subgenre.clone()].into_iter().flatten().collect::<Vec<_>>();
    layout.field("Genre", &genre.join(" / "));
    layout.field(
        "℗",
        &release.p_line.as_ref().map(|l| format!("℗ {} {}", l.year, l.holder)).unwrap_or_default(),
    );
    layout.field(
        "©",
        &release.c_line.as_ref().map(|l| format!("© {} {}", l.year, l.holder)).unwrap_or_default(),
    );
    layout.field("Parental advisory", release.parental_advisory.as_str());
    layout.field("Metadata language", &opt(&release.metadata_language));
    let total: i64 = tracks.iter().filter_map(|t| t.duration_ms).sum();
    layout.field("Tracks", &format!("{} ({})", tracks.len(), format_duration(total)));
    layout.rule();
    let discs = tracks.iter().map(|t| t.disc_number).max().unwrap_or(1);
    for track in tracks {
        let position = if discs > 1 {
            format!("{}-{:02}", track.disc_number, track.track_number)
        } else {
            format!("{:02}", track.track_number)
        };
        let mut heading = format!("{position}  {}", track.title);
        if let Some(version) = &track.version {
            heading.push_str(&format!(" ({version})"));
        }
        layout.ensure(60.0);
        layout.paragraph(0.0, 11.0, &heading);
        let mut facts = vec![track.display_artist.clone()];
        facts.extend(track.isrc.as_ref().map(|i| format!("ISRC {i}")));
        facts.extend(track.duration_ms.map(format_duration));
        if track.explicit {
            facts.push("Explicit".into());
        }
        facts.extend(track.audio_language.as_ref().map(|l| format!("Language {l}")));
        layout.paragraph(24.0, 9.0, &facts.join("  ·  "));
        let mut roles: Vec<(&str, Vec<&str>)> = Vec::new();
        for (role, name) in &track.contributors {
            match roles.iter_mut().find(|(r, _)| r == role) {
                Some((_, names)) => names.push(name),
                None => roles.push((role, vec![name])),
            }
        }
        for (role, names) in roles {
            layout.paragraph(
                24.0,
                9.0,
                &format!("{}: {}", super::export::role_header(role), names.join(", ")),
            );
        }
        if !track.writers.is_empty() {
            let writers: Vec<String> = track
                .writers
                .iter()
                .map(|(role, name, publisher, share)| {
                    let publisher = publisher.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
                    format!(
                        "{name} ({}{publisher}, {}%)",
                        super::export::role_header(role),
                        share_text(*share)
                    )
                })
                .collect();
            layout.paragraph(24.0, 9.0, &format!("Written by: {}", writers.join("; ")));
        }
        layout.gap(6.0);
    }
}

fn split_sheet(layout: &mut Layout<'_>, release: &Release, tracks: &[ExportTrack]) {
    release_heading(layout, release, "SPLIT SHEET");
    layout.field("Label", &release.label_name);
    layout.field("UPC/EAN", &release.upc.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default());
    layout.field("Catalog number", &release.catalog_number.clone().unwrap_or_default());
    layout.rule();
    let columns = [0.0, 170.0, 280.0, 420.0];
    for track in tracks {
        let rows = track.writers.len().max(1) as f32;
        layout.ensure(70.0 + rows * 40.0);
        let isrc = track.isrc.as_ref().map(|i| format!("  ·  ISRC {i}")).unwrap_or_default();
        layout.paragraph(0.0, 11.0, &format!("{:02}  {}{isrc}", track.track_number, track.title));
        for (x, header) in columns.iter().zip(["Writer", "Role", "Publisher", "Share"]) {
            layout.text_at(MARGIN + x, 8.0, header);
        }
        layout.gap(12.0);
        if track.writers.is_empty() {
            layout.paragraph(0.0, 9.0, "No writers recorded.");
        }
        for (role, name, publisher, share) in &track.writers {
            let cells = [
                name.clone(),
                super::export::role_header(role),
                publisher.clone().unwrap_or_else(|| "-".into()),
                format!("{}%", share_text(*share)),
            ];
            layout.ensure(36.0);
            for (x, cell) in columns.iter().zip(cells) {
                layout.text_at(MARGIN + x, 9.5, &cell);
            }
            layout.gap(24.0);
            layout.text_at(MARGIN, 8.0, "Signature ______________________________    Date ____________");
            layout.gap(14.0);
        }
        let total: i64 = track.writers.iter().map(|w| w.3).sum();
        let note = if total == 10_000 { String::new() } else { "  (shares do not add up to 100 %)".into() };
        layout.paragraph(0.0, 9.0, &format!("Total {}%{note}", share_text(total)));
        layout.rule();
    }
}

impl Catalog {
    /// Writes the label copy or split sheet of one release to `out` as PDF, drawing text with
    /// `fonts` (first match per character; see [`FONT_SEARCH_LIST`]). The file appears
    /// complete or not at all.
    pub async fn export_pdf(
        &self,
        kind: PdfKind,
        release_id: i64,
        fonts: &[PathBuf],
        out: &Path,
    ) -> Result<PdfSummary> {
        let (release, tracks, _) = super::export::load(self, release_id).await?;
        let out = out.to_owned();
        let fonts = fonts.to_vec();
        // Font parsing and subsetting are CPU work: off the async threads.
        tokio::task::spawn_blocking(move || {
            let mut loaded = load_fonts(&fonts)?;
            let mut layout = Layout::new(&mut loaded);
            let kind_name = match kind {
                PdfKind::LabelCopy => {
                    label_copy(&mut layout, &release, &tracks);
                    "Label copy"
                }
                PdfKind::SplitSheet => {
                    split_sheet(&mut layout, &release, &tracks);
                    "Split sheet"
                }
            };
            let title = format!("{kind_name}: {}", release.title);
            let (bytes, pages, missing) = layout.render(&title)?;
            let partial = out.with_extension("pdf.part");
            let io =
                |e: std::io::Error| Error::Io { path: out.display().to_string(), message: e.to_string() };
            std::fs::write(&partial, &bytes).map_err(io)?;
            std::fs::rename(&partial, &out).map_err(io)?;
            Ok(PdfSummary {
                release_id,
                pages,
                fonts: loaded.iter().filter(|f| f.used).map(|f| f.path.display().to_string()).collect(),
                missing_characters: missing,
            })
        })
        .await
        .map_err(|e| Error::Invalid(format!("PDF export stopped: {e}")))?
    }
}
