//! Sync benchmark: 1,000 releases of 12 tracks (metadata, a small cover and small audio files)
//! pushed to the fake Revelator on loopback, which adds 50 ms to every request (as a distant
//! server would). Prints wall time, requests, and Catno's peak RSS before and after: the fake
//! runs as its own process (it keeps every uploaded file in memory, as a server's disk would).
//!
//! `cargo build --release -p catno-revelator-fake &&
//!  cargo bench -p catno-core --bench sync [-- RELEASES CONCURRENCY LATENCY_MS]`

use std::sync::Arc;
use std::time::Instant;

use catno_core::Catalog;
use catno_core::delivery::DeliveryBackend;
use catno_core::domain::{AssetKind, ContributorRole, ReleaseEdit, ReleaseType};
use catno_core::jobs::Jobs;
use catno_core::sync::SyncOptions;
use catno_db::{CreditOwner, NewAsset, NewRelease, NewTrack};
use catno_revelator::{ClientConfig, Credentials, RevelatorClient, Secret};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// A valid UPC-A with check digit for `n`.
fn upc(n: u64) -> String {
    let body = format!("{:011}", 60_000_000_000 + n);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

async fn seed(
    catalog: &Catalog,
    dir: &std::path::Path,
    releases: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    let cover = dir.join("cover.jpg");
    std::fs::write(&cover, vec![0xFF; 8 * 1024])?;
    let db = catno_db::Db::open(catalog.path(), catno_db::OpenMode::Existing).await?;
    let mut tx = db.begin().await?;
    let label_id = catno_db::ensure_label(&mut tx, "Bench Records", None).await?;
    for r in 0..releases {
        let title = format!("Bench Album {r}");
        let release_id = catno_db::insert_release(
            &mut tx,
            &NewRelease {
                label_id,
                title: &title,
                display_artist: "Bench Artist",
                release_type: ReleaseType::Album,
                upc: Some(&upc(r)),
                catalog_number: Some(&format!("BENCH{r:05}")),
                release_date: Some("2027-03-01"),
            },
        )
        .await?;
        catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::Genre(Some("Pop".into()))).await?;
        catno_db::apply_release_edit(&mut tx, release_id, &ReleaseEdit::MetadataLanguage(Some("en".into())))
            .await?;
        catno_db::add_credit(
            &mut tx,
            CreditOwner::Release(release_id),
            "Bench Artist",
            ContributorRole::MainArtist,
        )
        .await?;
        catno_db::insert_asset(
            &mut tx,
            &NewAsset {
                kind: AssetKind::Artwork,
                path: &cover.to_string_lossy(),
                sha256: &format!("{:064x}", r),
                size_bytes: 8 * 1024,
                release_id: Some(release_id),
                track_id: None,
            },
        )
        .await?;
        for t in 0..12u64 {
            let track_title = format!("Song {t} of {r}");
            let isrc = format!("QZBEN{:02}{:05}", r % 100, r * 12 + t);
            let track_id = catno_db::insert_track(
                &mut tx,
                &NewTrack {
                    isrc: Some(&isrc),
                    title: &track_title,
                    version: None,
                    display_artist: "Bench Artist",
                    duration_ms: Some(180_000),
                    explicit: false,
                },
            )
            .await?;
            catno_db::add_track_to_release(&mut tx, release_id, track_id, 1, i64::try_from(t + 1)?).await?;
            catno_db::add_credit(
                &mut tx,
                CreditOwner::Track(track_id),
                "Bench Artist",
                ContributorRole::MainArtist,
            )
            .await?;
            catno_db::add_credit(
                &mut tx,
                CreditOwner::Track(track_id),
                "Bench Producer",
                ContributorRole::Producer,
            )
            .await?;
            let audio = dir.join(format!("{r}-{t}.flac"));
            std::fs::write(&audio, vec![u8::try_from(t)?; 16 * 1024])?;
            catno_db::insert_asset(
                &mut tx,
                &NewAsset {
                    kind: AssetKind::Audio,
                    path: &audio.to_string_lossy(),
                    sha256: &format!("{:064x}", 1_000_000 + r * 12 + t),
                    size_bytes: 16 * 1024,
                    release_id: None,
                    track_id: Some(track_id),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    db.close().await;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let releases: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let concurrency: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(32);
    let latency_ms: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);

    let dir = tempfile::tempdir()?;
    let catalog = Catalog::create(&dir.path().join("bench.sqlite")).await?;
    let started = Instant::now();
    seed(&catalog, dir.path(), releases).await?;
    println!("seeded {releases} releases × 12 tracks in {:.1} s", started.elapsed().as_secs_f64());

    let fake_bin = std::env::current_exe()?
        .parent()
        .and_then(|deps| deps.parent())
        .map(|release| release.join("catno-revelator-fake"))
        .ok_or("no target folder")?;
    let mut fake = std::process::Command::new(&fake_bin)
        .args(["--port", "0", "--latency-ms", &latency_ms.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("{}: {e} (build it: cargo build --release -p catno-revelator-fake)", fake_bin.display())
        })?;
    let mut fake_out = std::io::BufReader::new(fake.stdout.take().ok_or("no stdout")?);
    let mut first_line = String::new();
    std::io::BufRead::read_line(&mut fake_out, &mut first_line)?;
    // Keep reading what the fake prints, or its next line would fail on a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut fake_out, &mut std::io::sink()));
    let base_url = first_line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or_else(|| format!("unexpected fake output {first_line:?}"))?
        .to_owned();
    let client = Arc::new(RevelatorClient::new(
        ClientConfig::new(&base_url),
        Credentials { partner_api_key: Secret::new("bench-key"), partner_user_id: "bench".into() },
    )?);
    let backend: Arc<dyn DeliveryBackend> =
        Arc::new(catno_core::delivery::revelator::RevelatorBackend::new(client.clone()));
    let jobs = Jobs::new();
    let job = jobs.start("sync", 0);
    let rss_before = peak_rss_kib();
    let started = Instant::now();
    let report = catalog
        .sync(backend, &SyncOptions { concurrency, retry_backed_off: true, pull_statuses: false }, &job)
        .await?;
    let elapsed = started.elapsed();
    println!(
        "synced {} releases ({} failed, {} left) in {:.1} s at {latency_ms} ms latency per request, concurrency {concurrency}",
        report.saved,
        report.failed,
        report.remaining,
        elapsed.as_secs_f64()
    );
    if report.failed > 0 {
        let first = catalog
            .sync_states(None)
            .await?
            .into_iter()
            .find(|(_, s, _)| *s == catno_core::sync::SyncState::Failed);
        if let Some((id, _, _)) = first {
            println!("first failure: {:?}", catalog.release_sync(id).await?.error);
        }
    }
    println!("peak RSS: {} MiB before sync, {} MiB after", rss_before / 1024, peak_rss_kib() / 1024);
    let remote = client.find_releases(None).await?.len() as u64;
    let _ = fake.kill();
    assert_eq!(remote, releases, "every release reached the fake once");
    Ok(())
}
