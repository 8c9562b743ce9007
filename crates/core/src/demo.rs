//! The demo catalog: a few labels and about ten releases with real-looking metadata,
//! contributors, writers, generated audio (short chords) and generated cover art, so the app
//! shows real content on first start and tests have a realistic catalog to drive.

use std::path::{Path, PathBuf};

use catno_db::{CreditOwner, NewAsset, NewRelease, NewTrack};
use catno_domain::{
    AssetKind, ContributorRole, DspPlatform, ReleaseEdit, ReleaseType, TrackEdit, WriterRole,
    ids::gtin_check_digit,
};
use catno_media::generate::{write_cover_png, write_tone_wav};

use crate::{Catalog, ChangedEntity, Error, Result};

/// How long each demo track's audio is; short so the demo writes in a blink.
const TONE_SECONDS: f64 = 3.0;
const COVER_PIXELS: u32 = 1400;

struct DemoTrack {
    title: &'static str,
    version: Option<&'static str>,
    minutes: i64,
    seconds: i64,
    explicit: bool,
    featured: Option<&'static str>,
    /// The track's own main artist on a compilation (the release's artist otherwise).
    artist: Option<&'static str>,
}

struct DemoRelease {
    label: &'static str,
    title: &'static str,
    artist: &'static str,
    release_type: ReleaseType,
    genre: &'static str,
    subgenre: Option<&'static str>,
    /// The street date, in days after the demo is written: the demo is a label's upcoming
    /// schedule, so its drafts are never dated in the past.
    days_out: i64,
    language: &'static str,
    localized: Option<(&'static str, &'static str)>,
    producer: &'static str,
    writers: &'static [(&'static str, &'static str, i64)],
    colours: ([u8; 3], [u8; 3]),
    tracks: &'static [DemoTrack],
}

const fn t(title: &'static str, minutes: i64, seconds: i64) -> DemoTrack {
    DemoTrack { title, version: None, minutes, seconds, explicit: false, featured: None, artist: None }
}

const fn by(artist: &'static str, title: &'static str, minutes: i64, seconds: i64) -> DemoTrack {
    DemoTrack { artist: Some(artist), ..t(title, minutes, seconds) }
}

const LABELS: &[(&str, &str, &str)] = &[
    ("Northern Lights Records", "PADPIDA2024010101N", "NLR"),
    ("Tidewater Sound", "PADPIDA2024010102T", "TWS"),
    ("Kaleido Music Tokyo", "PADPIDA2024010103K", "KMT"),
];

const RELEASES: &[DemoRelease] = &[
    DemoRelease {
        label: "Northern Lights Records",
        title: "Polar Night",
        artist: "Aurora Vale",
        release_type: ReleaseType::Album,
        genre: "Electronic",
        subgenre: Some("Ambient"),
        days_out: 168,
        language: "en",
        localized: None,
        producer: "Mika Halvorsen",
        writers: &[
            ("Aurora Vale", "Northern Lights Publishing", 5000),
            ("Mika Halvorsen", "Fjord Songs", 5000),
        ],
        colours: ([18, 32, 84], [120, 220, 200]),
        tracks: &[
            t("First Light", 3, 41),
            t("Snowfield", 4, 12),
            DemoTrack {
                title: "Magnetic North",
                version: None,
                minutes: 5,
                seconds: 3,
                explicit: false,
                featured: Some("Jonas Eld"),
                artist: None,
            },
            t("Blue Hour", 3, 58),
            DemoTrack {
                title: "Polar Night",
                version: Some("Extended Mix"),
                minutes: 7,
                seconds: 20,
                explicit: false,
                featured: None,
                artist: None,
            },
        ],
    },
    DemoRelease {
        label: "Northern Lights Records",
        title: "Glass Harbour",
        artist: "Jonas Eld",
        release_type: ReleaseType::Single,
        genre: "Pop",
        subgenre: Some("Synth-pop"),
        days_out: 189,
        language: "en",
        localized: None,
        producer: "Mika Halvorsen",
        writers: &[("Jonas Eld", "Northern Lights Publishing", 10000)],
        colours: ([90, 20, 60], [250, 170, 90]),
        tracks: &[t("Glass Harbour", 3, 22)],
    },
    DemoRelease {
        label: "Northern Lights Records",
        title: "Glass Harbour",
        artist: "Jonas Eld",
        release_type: ReleaseType::Ep,
        genre: "Pop",
        subgenre: Some("Synth-pop"),
        days_out: 224,
        language: "en",
        localized: None,
        producer: "Mika Halvorsen",
        writers: &[("Jonas Eld", "Northern Lights Publishing", 10000)],
        colours: ([60, 10, 40], [240, 120, 80]),
        tracks: &[
            DemoTrack {
                title: "Glass Harbour",
                version: Some("Nightdrive Remix"),
                minutes: 4,
                seconds: 5,
                explicit: false,
                featured: None,
                artist: None,
            },
            DemoTrack {
                title: "Glass Harbour",
                version: Some("Acoustic"),
                minutes: 3,
                seconds: 30,
                explicit: false,
                featured: None,
                artist: None,
            },
            DemoTrack {
                title: "Glass Harbour",
                version: Some("Instrumental"),
                minutes: 3,
                seconds: 22,
                explicit: false,
                featured: None,
                artist: None,
            },
        ],
    },
    DemoRelease {
        label: "Tidewater Sound",
        title: "Salt & Static",
        artist: "The Low Tides",
        release_type: ReleaseType::Album,
        genre: "Alternative",
        subgenre: Some("Indie Rock"),
        days_out: 63,
        language: "en",
        localized: None,
        producer: "Dana Whitlock",
        writers: &[("Rosa Mendel", "Tidewater Songs", 6000), ("Eli Park", "Tidewater Songs", 4000)],
        colours: ([10, 60, 70], [230, 220, 180]),
        tracks: &[
            t("Undertow", 3, 12),
            DemoTrack {
                title: "Breakwater",
                version: None,
                minutes: 4,
                seconds: 1,
                explicit: true,
                featured: None,
                artist: None,
            },
            t("Low Pressure", 2, 58),
            t("Static on the Line", 3, 47),
            t("Saltmarsh", 5, 26),
            t("Harbour Lights", 4, 40),
        ],
    },
    // Deliberately wrong, so validation and review have something to show: a one-track single
    // must carry its track's version ("Breakwater (Radio Edit)"); the autofix sets it.
    DemoRelease {
        label: "Tidewater Sound",
        title: "Breakwater",
        artist: "The Low Tides",
        release_type: ReleaseType::Single,
        genre: "Alternative",
        subgenre: Some("Indie Rock"),
        days_out: 35,
        language: "en",
        localized: None,
        producer: "Dana Whitlock",
        writers: &[("Rosa Mendel", "Tidewater Songs", 6000), ("Eli Park", "Tidewater Songs", 4000)],
        colours: ([30, 30, 30], [200, 60, 40]),
        tracks: &[DemoTrack {
            title: "Breakwater",
            version: Some("Radio Edit"),
            minutes: 3,
            seconds: 29,
            explicit: false,
            featured: None,
            artist: None,
        }],
    },
    DemoRelease {
        label: "Tidewater Sound",
        title: "Canción del Puerto",
        artist: "Lucía Ferrer",
        release_type: ReleaseType::Ep,
        genre: "Latin",
        subgenre: Some("Latin Pop"),
        days_out: 266,
        language: "es",
        localized: Some(("en", "Song of the Port")),
        producer: "Tomás Ibarra",
        writers: &[("Lucía Ferrer", "Ediciones Marea", 7500), ("Tomás Ibarra", "Ediciones Marea", 2500)],
        colours: ([200, 80, 30], [250, 220, 120]),
        tracks: &[
            t("Canción del Puerto", 3, 33),
            DemoTrack {
                title: "Marea Alta",
                version: None,
                minutes: 3,
                seconds: 5,
                explicit: false,
                featured: Some("The Low Tides"),
                artist: None,
            },
            t("Luz de Faro", 4, 18),
            t("Volver al Mar", 3, 51),
        ],
    },
    DemoRelease {
        label: "Kaleido Music Tokyo",
        title: "夜に駆ける街",
        artist: "Hikari Sato",
        release_type: ReleaseType::Album,
        genre: "J-Pop",
        subgenre: None,
        days_out: 292,
        language: "ja",
        localized: Some(("ja-Latn", "Yoru ni Kakeru Machi")),
        producer: "Kenji Mori",
        writers: &[("Hikari Sato", "Kaleido Publishing", 5000), ("Kenji Mori", "Kaleido Publishing", 5000)],
        colours: ([240, 120, 170], [60, 40, 120]),
        tracks: &[t("ネオンの雨", 3, 55), t("終電", 4, 2), t("東京タワー", 3, 40), t("夜明け前", 4, 25)],
    },
    DemoRelease {
        label: "Kaleido Music Tokyo",
        title: "Prism Parade",
        artist: "KALEIDO BEAT",
        release_type: ReleaseType::Single,
        genre: "Dance",
        subgenre: Some("House"),
        days_out: 315,
        language: "en",
        localized: None,
        producer: "Kenji Mori",
        writers: &[("Kenji Mori", "Kaleido Publishing", 10000)],
        colours: ([250, 210, 40], [20, 150, 220]),
        tracks: &[
            t("Prism Parade", 3, 18),
            DemoTrack {
                title: "Prism Parade",
                version: Some("Extended Mix"),
                minutes: 6,
                seconds: 2,
                explicit: false,
                featured: None,
                artist: None,
            },
        ],
    },
    DemoRelease {
        label: "Kaleido Music Tokyo",
        title: "Summer Compilation 2026",
        artist: "Various Artists",
        release_type: ReleaseType::Compilation,
        genre: "Pop",
        subgenre: None,
        days_out: 334,
        language: "en",
        localized: None,
        producer: "Kenji Mori",
        writers: &[("Kenji Mori", "Kaleido Publishing", 10000)],
        colours: ([250, 140, 60], [40, 180, 170]),
        tracks: &[
            by("Jonas Eld", "Sunburst", 3, 10),
            by("The Low Tides", "Coastline", 3, 44),
            by("Lucía Ferrer", "Paper Planes", 2, 59),
            by("KALEIDO BEAT", "Night Swim", 3, 27),
        ],
    },
    DemoRelease {
        label: "Northern Lights Records",
        title: "Winter Sessions, Vol. 1",
        artist: "Aurora Vale",
        release_type: ReleaseType::Ep,
        genre: "Electronic",
        subgenre: Some("Downtempo"),
        days_out: 490,
        language: "en",
        localized: None,
        producer: "Mika Halvorsen",
        writers: &[("Aurora Vale", "Northern Lights Publishing", 10000)],
        colours: ([220, 230, 240], [70, 90, 140]),
        tracks: &[
            DemoTrack {
                title: "First Light",
                version: Some("Live"),
                minutes: 4,
                seconds: 2,
                explicit: false,
                featured: None,
                artist: None,
            },
            DemoTrack {
                title: "Snowfield",
                version: Some("Live"),
                minutes: 4,
                seconds: 40,
                explicit: false,
                featured: None,
                artist: None,
            },
            t("Hearth", 3, 36),
        ],
    },
];

/// Spotify-format artist ids for the demo's artists (22 base-62 characters).
const SPOTIFY_IDS: &[(&str, &str)] = &[
    ("Aurora Vale", "1dfeR4HaWDbWqFHLkxsg1d"),
    ("Jonas Eld", "6eUKZXaKkcviH0Ku9w2n3V"),
    ("The Low Tides", "3WrFJ7ztbogyGnTHbHJFl2"),
    ("Hikari Sato", "0du5cEVh5yTK9QJze8zA0C"),
];

/// A GTIN with a correct check digit from a 12-digit body (an EAN-13).
fn ean13(body: u64) -> Result<String> {
    let body = format!("{body:012}");
    let check = gtin_check_digit(&body).ok_or_else(|| Error::Invalid(format!("bad GTIN body {body}")))?;
    Ok(format!("{body}{check}"))
}

fn file_stem(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// What [`write_demo`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub releases: usize,
    pub tracks: usize,
    pub media_dir: PathBuf,
}

/// Adds the demo content to `catalog` and writes its media under `media_dir`, in one
/// transaction: on any failure the catalog is left as it was.
pub async fn write_demo(catalog: &Catalog, media_dir: &Path) -> Result<DemoSummary> {
    std::fs::create_dir_all(media_dir)
        .map_err(|e| Error::Io { path: media_dir.display().to_string(), message: e.to_string() })?;
    let media_dir = media_dir
        .canonicalize()
        .map_err(|e| Error::Io { path: media_dir.display().to_string(), message: e.to_string() })?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut tx = catalog.db().begin().await?;
    let mut track_total = 0;
    let mut isrc_serial = 1;
    for (index, demo) in RELEASES.iter().enumerate() {
        let (label_name, dpid, prefix) =
            LABELS.iter().find(|(name, ..)| *name == demo.label).copied().unwrap_or(LABELS[0]);
        let label_id = catno_db::ensure_label(&mut tx, label_name, Some(dpid)).await?;
        let upc = ean13(506_012_345_000 + index as u64)?;
        let catalog_number = format!("{prefix}{:03}", index + 1);
        let street_date = (today + time::Duration::days(demo.days_out)).to_string();
        let release_id = catno_db::insert_release(
            &mut tx,
            &NewRelease {
                label_id,
                title: demo.title,
                display_artist: demo.artist,
                release_type: demo.release_type,
                upc: Some(&upc),
                catalog_number: Some(&catalog_number),
                release_date: Some(&street_date),
            },
        )
        .await?;
        let year = &street_date[..4];
        let mut edits = vec![
            ReleaseEdit::parse("p_line", &format!("{year} {label_name}"))?,
            ReleaseEdit::parse("c_line", &format!("{year} {label_name}"))?,
            ReleaseEdit::parse("genre", demo.genre)?,
            ReleaseEdit::parse("metadata_language", demo.language)?,
        ];
        if let Some(subgenre) = demo.subgenre {
            edits.push(ReleaseEdit::parse("subgenre", subgenre)?);
        }
        if let Some((language, title)) = demo.localized {
            edits.push(ReleaseEdit::parse(&format!("title@{language}"), title)?);
        }
        if demo.tracks.iter().any(|t| t.explicit) {
            edits.push(ReleaseEdit::parse("parental_advisory", "Explicit")?);
        }
        for edit in &edits {
            catno_db::apply_release_edit(&mut tx, release_id, edit).await?;
        }
        catno_db::add_credit(
            &mut tx,
            CreditOwner::Release(release_id),
            demo.artist,
            ContributorRole::MainArtist,
        )
        .await?;

        let cover =
            media_dir.join(format!("{}-cover.png", file_stem(&format!("{catalog_number}-{}", demo.title))));
        write_cover_png(&cover, COVER_PIXELS, demo.colours.0, demo.colours.1)?;
        add_asset(&mut tx, AssetKind::Artwork, &cover, Some(release_id), None).await?;

        for (n, track) in demo.tracks.iter().enumerate() {
            let isrc = format!("{}{}{}{:05}", "GB", "CTN", &year[2..4], isrc_serial);
            isrc_serial += 1;
            let main_artist = track.artist.unwrap_or(demo.artist);
            let display_artist = match track.featured {
                Some(featured) => format!("{main_artist} feat. {featured}"),
                None => main_artist.to_owned(),
            };
            let track_id = catno_db::insert_track(
                &mut tx,
                &NewTrack {
                    isrc: Some(&isrc),
                    title: track.title,
                    version: track.version,
                    display_artist: &display_artist,
                    duration_ms: Some((track.minutes * 60 + track.seconds) * 1000),
                    explicit: track.explicit,
                },
            )
            .await?;
            catno_db::apply_track_edit(
                &mut tx,
                track_id,
                &TrackEdit::parse("audio_language", demo.language)?,
            )
            .await?;
            catno_db::add_track_to_release(&mut tx, release_id, track_id, 1, n as i64 + 1).await?;
            let owner = CreditOwner::Track(track_id);
            catno_db::add_credit(&mut tx, owner, main_artist, ContributorRole::MainArtist).await?;
            if let Some(featured) = track.featured {
                catno_db::add_credit(&mut tx, owner, featured, ContributorRole::FeaturedArtist).await?;
            }
            if track.version.is_some_and(|v| v.contains("Remix")) {
                catno_db::add_credit(&mut tx, owner, "Nightdrive", ContributorRole::Remixer).await?;
            }
            catno_db::add_credit(&mut tx, owner, demo.producer, ContributorRole::Producer).await?;
            catno_db::add_credit(&mut tx, owner, "Sam Okafor", ContributorRole::MasteringEngineer).await?;
            for (name, publisher, share) in demo.writers {
                catno_db::add_writer(
                    &mut tx,
                    track_id,
                    name,
                    WriterRole::ComposerLyricist,
                    Some(publisher),
                    *share,
                )
                .await?;
            }
            // A chord per release, a different root per track, so A/B listening tells them apart.
            let root = 220.0 * 2f64.powf((index as f64 * 2.0 + n as f64) / 12.0);
            let audio = media_dir.join(format!(
                "{}.wav",
                file_stem(&format!("{catalog_number}-{:02}-{}", n + 1, track.title))
            ));
            write_tone_wav(&audio, &[root, root * 1.25, root * 1.5], TONE_SECONDS, 44_100, -3.0)?;
            add_asset(&mut tx, AssetKind::Audio, &audio, None, Some(track_id)).await?;
            track_total += 1;
        }
    }
    for (name, spotify_id) in SPOTIFY_IDS {
        let artist_id = catno_db::ensure_artist(&mut tx, name).await?;
        catno_db::set_artist_dsp_id(&mut tx, artist_id, DspPlatform::Spotify, Some(spotify_id)).await?;
    }
    tx.commit().await.map_err(catno_db::DbError::from)?;
    catalog.announce(ChangedEntity::Catalog, Vec::new());
    Ok(DemoSummary { releases: RELEASES.len(), tracks: track_total, media_dir })
}

async fn add_asset(
    conn: &mut catno_db::Connection,
    kind: AssetKind,
    path: &Path,
    release_id: Option<i64>,
    track_id: Option<i64>,
) -> Result<()> {
    let (sha256, size) = catno_media::hash_file(path)?;
    let path_text = path.display().to_string();
    catno_db::insert_asset(
        conn,
        &NewAsset {
            kind,
            path: &path_text,
            sha256: &sha256,
            size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
            release_id,
            track_id,
        },
    )
    .await?;
    Ok(())
}
