//! The write half of a CSV import at scale, without the file: `ReleaseImporter` writes N tracks
//! (ten a release, two credits and a writer each, as the transfer bench's file has them) into a
//! new catalog in one transaction, in batches of 1,000 releases as the import does.
//! `cargo run --release -p catno-db --example bulk_import_timing -- 1000000`

use std::time::Instant;

use catno_db::{Db, ImportedRelease, ImportedTrack, OpenMode, ReleaseImporter};
use catno_domain::{ContributorRole, ParentalAdvisory, ReleaseType, RightsLine, WriterRole};

/// ISRC, title, credits, writers.
type OwnedTrack = (String, String, Vec<(ContributorRole, String)>, Vec<catno_db::ImportedWriter>);

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tracks: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let per_release = 10;
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bulk.sqlite"), OpenMode::CreateIfMissing).await?;
    let line = RightsLine { year: 2026, holder: "Bench Records".into() };
    let started = Instant::now();
    let mut tx = db.begin().await?;
    if let Ok(kib) = std::env::var("CACHE_KIB") {
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}"))).execute(&mut *tx).await?;
    }
    let label_id = catno_db::ensure_label(&mut tx, "Bench Records", None).await?;
    let mut importer = ReleaseImporter::new("bench.csv");
    let releases = tracks / per_release;
    let batch = 1000;
    let mut done = 0;
    while done < releases {
        let n = batch.min(releases - done);
        let mut owned = Vec::with_capacity(n);
        for r in done..done + n {
            let artist = format!("Artist {}", r % 997);
            let upc = format!("{:013}", 5_060_000_000_000_u64 + r as u64);
            let rows: Vec<OwnedTrack> = (0..per_release)
                .map(|k| {
                    let i = r * per_release + k;
                    (
                        format!("GBCTN{:02}{:05}", 20 + i / 99_999, i % 99_999 + 1),
                        format!("Track {i}"),
                        vec![
                            (ContributorRole::MainArtist, artist.clone()),
                            (ContributorRole::Producer, format!("Producer {}", i % 101)),
                        ],
                        vec![(
                            WriterRole::Composer,
                            format!("Writer {}", i % 101),
                            Some("Bench Publishing".into()),
                            10_000,
                        )],
                    )
                })
                .collect();
            owned.push((format!("Release {r}"), artist, upc, rows));
        }
        let rows: Vec<ImportedRelease<'_>> = owned
            .iter()
            .map(|(title, artist, upc, tracks)| ImportedRelease {
                label_id,
                title,
                version: None,
                display_artist: artist,
                release_type: ReleaseType::Album,
                upc: Some(upc),
                catalog_number: None,
                p_line: Some(&line),
                c_line: Some(&line),
                genre: Some("Electronic"),
                subgenre: None,
                release_date: Some("2026-01-01"),
                original_release_date: None,
                parental_advisory: ParentalAdvisory::NotExplicit,
                metadata_language: None,
                main_artist: artist,
                tracks: tracks
                    .iter()
                    .enumerate()
                    .map(|(k, (isrc, title, credits, writers))| ImportedTrack {
                        disc: 1,
                        number: k as i64 + 1,
                        isrc: Some(isrc),
                        title,
                        version: None,
                        display_artist: artist,
                        duration_ms: Some(180_000),
                        explicit: false,
                        audio_language: Some("en"),
                        contributors: credits,
                        writers,
                    })
                    .collect(),
            })
            .collect();
        importer.create(&mut tx, &rows).await?;
        done += n;
    }
    let written = started.elapsed();
    tx.commit().await?;
    println!(
        "{tracks} tracks / {releases} releases: written in {:.2?}, committed at {:.2?}; peak RSS {:.0} MB",
        written,
        started.elapsed(),
        peak_rss_mb()
    );
    Ok(())
}
