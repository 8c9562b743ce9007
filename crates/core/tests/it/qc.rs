use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use catno_core::jobs::{JobState, Jobs};
use catno_core::qc::{AssetOwner, MediaKind, inspect_paths};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_media::Severity;
use catno_media::generate::{write_cover_png, write_tone_wav};
use catno_testkit::TempCatalog;

async fn first_release(catalog: &Catalog) -> i64 {
    catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 1 }).await.expect("releases").items[0]
        .id
}

#[tokio::test(flavor = "multi_thread")]
async fn release_qc_stores_results_and_a_second_run_only_reads_them() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = first_release(catalog).await;
    let assets = catalog.release_detail(id).await.expect("detail").assets;
    let jobs = Jobs::new();
    let mut events = jobs.subscribe();

    let job = jobs.start("qc_release", 0);
    let first = catalog.qc_release(id, "spotify", &job).await.expect("qc");
    assert_eq!(first.files.len(), assets.len());
    assert_eq!(first.analyzed as usize, assets.len(), "{first:?}");
    assert_eq!(first.cached, 0);
    assert!(!first.cancelled);
    let audio = first.files.iter().find(|f| f.kind == MediaKind::Audio).expect("an audio file");
    let report = audio.audio.as_ref().expect("audio report");
    assert_eq!(report.sample_rate, 44_100);
    assert_eq!(report.bit_depth, Some(16));
    assert!(report.integrated_lufs.is_some());
    assert!(!report.waveform.is_empty());
    assert!(audio.track_id.is_some());
    let art = first.files.iter().find(|f| f.kind == MediaKind::Artwork).expect("the cover");
    assert_eq!(art.artwork.as_ref().expect("artwork report").width, 1400);
    assert!(art.findings.iter().any(|f| f.rule_id == "ART-DIM"), "1400 px is under Spotify's 3000: {art:?}");

    let done = job.progress().expect("progress");
    assert_eq!(done.state, JobState::Succeeded);
    assert_eq!(done.done as usize, assets.len());
    assert_eq!(done.total as usize, assets.len());
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    assert!(seen.iter().any(|e| e.done == 1 && e.state == JobState::Running), "{seen:?}");
    assert_eq!(seen.last().map(|e| e.state), Some(JobState::Succeeded));
    assert_eq!(catalog.stored_analyses().await.expect("count") as usize, assets.len());

    // Again, and after re-opening the catalog: nothing is analysed again.
    let second = catalog.qc_release(id, "spotify", &jobs.start("qc_release", 0)).await.expect("qc");
    assert_eq!((second.analyzed, second.cached as usize), (0, assets.len()));
    for (a, b) in first.files.iter().zip(&second.files) {
        assert_eq!(a.analyzed_at, b.analyzed_at, "{}", a.path);
        assert_eq!(a.findings, b.findings);
        assert_eq!(a.audio, b.audio);
    }
    catalog.close().await;
    let reopened = Catalog::open(&demo.path()).await.expect("reopen");
    let third = reopened.qc_release(id, "generic", &jobs.start("qc_release", 0)).await.expect("qc");
    assert_eq!((third.analyzed, third.cached as usize), (0, assets.len()));
    let stored = reopened.stored_release_qc(id, "generic").await.expect("stored");
    assert_eq!(stored.cached as usize, assets.len());
    assert!(stored.files.iter().all(|f| f.error.is_none() && (f.audio.is_some() || f.artwork.is_some())));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_changed_on_disk_is_analysed_again_and_the_same_content_elsewhere_is_not() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = first_release(catalog).await;
    let jobs = Jobs::new();
    catalog.qc_release(id, "generic", &jobs.start("qc_release", 0)).await.expect("qc");
    let assets = catalog.release_detail(id).await.expect("detail").assets;
    let master = assets.iter().find(|a| a.track_id.is_some()).expect("a master");

    write_tone_wav(master.path.as_ref(), &[1000.0], 3.0, 44_100, -1.0).expect("rewrite");
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&master.path)
        .and_then(|f| f.set_modified(later))
        .expect("touch");
    let again = catalog.qc_release(id, "generic", &jobs.start("qc_release", 0)).await.expect("qc");
    assert_eq!((again.analyzed, again.cached as usize), (1, assets.len() - 1), "{again:?}");
    let changed = again.files.iter().find(|f| f.asset_id == Some(master.id)).expect("the master");
    assert!(!changed.cached);
    let report = changed.audio.as_ref().expect("report");
    assert!(report.sample_peak_dbfs.expect("peak") > -1.5, "the new content was measured: {report:?}");
    let updated = catalog.release_detail(id).await.expect("detail").assets;
    let updated = updated.iter().find(|a| a.id == master.id).expect("asset");
    assert_eq!(Some(&updated.sha256), changed.sha256.as_ref(), "the asset records its new content");

    // A copy of an analysed file, attached as a second master: hashed, never analysed again.
    let copy = demo.dir().join("copy-of-master.wav");
    std::fs::copy(&master.path, &copy).expect("copy");
    let other_track = catalog.release_detail(id).await.expect("detail").tracks[0].id;
    let before = catalog.stored_analyses().await.expect("count");
    let attached = catalog
        .attach_asset(&jobs, AssetOwner::Track { id: other_track }, &copy, "generic")
        .await
        .expect("attach");
    assert_eq!(attached.asset.track_id, Some(other_track));
    let state = wait_for(&jobs, attached.job_id).await;
    assert_eq!(state, JobState::Succeeded);
    let files = catalog.inspect_paths(std::slice::from_ref(&copy), "generic").await.expect("inspect");
    assert!(files[0].cached, "same content, other path: {:?}", files[0]);
    assert_eq!(catalog.stored_analyses().await.expect("count"), before);
}

async fn wait_for(jobs: &Jobs, id: u32) -> JobState {
    for _ in 0..600 {
        if let Some(p) = jobs.get(id).filter(|p| p.state != JobState::Running) {
            return p.state;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_job_stops_between_files_and_ends_cancelled() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = first_release(catalog).await;
    let jobs = Jobs::new();
    let job = jobs.start("qc_release", 0);
    assert!(jobs.cancel(job.id()));
    let qc = catalog.qc_release(id, "generic", &job).await.expect("qc");
    assert!(qc.cancelled);
    assert!(qc.files.is_empty());
    assert_eq!(jobs.get(job.id()).expect("job").state, JobState::Cancelled);
    assert!(!jobs.cancel(job.id()), "a finished job cannot be cancelled");
    assert_eq!(catalog.stored_analyses().await.expect("count"), 0);

    // Cancelled in flight from another task: what finished is kept, the rest is not started.
    let mut events = jobs.subscribe();
    let job = jobs.start("qc_release", 0);
    let job_id = job.id();
    let canceller = jobs.clone();
    let watcher = tokio::spawn(async move {
        while let Ok(event) = events.recv().await {
            if event.id == job_id && event.done >= 1 {
                canceller.cancel(job_id);
                break;
            }
        }
    });
    let qc = catalog.qc_release(id, "generic", &job).await.expect("qc");
    watcher.await.expect("watcher");
    let last = jobs.get(job_id).expect("job");
    if qc.cancelled {
        assert_eq!(last.state, JobState::Cancelled);
    } else {
        // Every file was already in flight when the cancel came (many cores).
        assert_eq!(last.state, JobState::Succeeded);
    }
    assert_eq!(catalog.stored_analyses().await.expect("count") as usize, qc.files.len());

    // A re-run resumes: what is stored is not analysed again.
    let resumed = catalog.qc_release(id, "generic", &jobs.start("qc_release", 0)).await.expect("qc");
    assert_eq!(resumed.cached as usize, qc.files.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn inspecting_files_without_a_catalog_and_bad_input() {
    let dir = tempfile::tempdir().expect("dir");
    let wav = dir.path().join("tone.wav");
    let png = dir.path().join("cover.png");
    write_tone_wav(&wav, &[440.0], 2.0, 48_000, -3.0).expect("wav");
    write_cover_png(&png, 3000, [10, 20, 30], [200, 100, 50]).expect("png");
    let files = inspect_paths(&[wav.clone(), png.clone()], "generic").await.expect("inspect");
    assert_eq!(files.len(), 2);
    let audio = files[0].audio.as_ref().expect("audio");
    assert_eq!((audio.sample_rate, audio.channels), (48_000, 2));
    assert_eq!(files[0].md5.as_deref(), Some(audio.md5.as_str()));
    assert!(!files[0].cached);
    let art = files[1].artwork.as_ref().expect("artwork");
    assert_eq!((art.width, art.height), (3000, 3000));
    assert!(!files[1].has_errors(), "{:?}", files[1].findings);

    let missing = dir.path().join("nope.wav");
    let err = inspect_paths(&[wav.clone(), missing], "generic").await.expect_err("missing");
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.to_string().contains("nope.wav"), "{err}");

    let text = dir.path().join("notes.wav");
    std::fs::write(&text, b"not audio at all, just some words in a file").expect("write");
    let err = inspect_paths(&[text], "generic").await.expect_err("not audio");
    assert_eq!(err.code(), ErrorCode::Invalid, "{err}");

    let err = inspect_paths(&[wav], "no-such-target").await.expect_err("profile");
    assert_eq!(err.field(), Some("profile"));

    // In a release, an unreadable file is a result with an error finding, not a failed job.
    let demo = TempCatalog::demo().await;
    let id = first_release(&demo.catalog).await;
    let assets = demo.catalog.release_detail(id).await.expect("detail").assets;
    std::fs::remove_file(PathBuf::from(&assets[0].path)).expect("remove");
    let jobs = Jobs::new();
    let job = jobs.start("qc_release", 0);
    let qc = demo.catalog.qc_release(id, "generic", &job).await.expect("qc");
    assert_eq!(job.progress().expect("progress").state, JobState::Succeeded);
    let broken = qc.files.iter().find(|f| f.asset_id == Some(assets[0].id)).expect("file");
    assert!(broken.error.is_some());
    assert_eq!(broken.worst(), Some(Severity::Error));
    assert!(qc.has_errors());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_release_qc_job_names_its_release_in_every_event() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = first_release(catalog).await;
    let jobs = Jobs::new();
    let mut events = jobs.subscribe();
    let job_id = catalog.start_release_qc(&jobs, id, "generic").await.expect("start");
    let mut seen = Vec::new();
    while let Ok(Ok(event)) = tokio::time::timeout(Duration::from_secs(60), events.recv()).await {
        let last = event.state.is_final();
        seen.push(event);
        if last {
            break;
        }
    }
    assert_eq!(seen.last().map(|e| e.state), Some(JobState::Succeeded), "{seen:?}");
    assert!(seen.iter().all(|e| e.id == job_id && e.release_id == Some(id)), "{seen:?}");
    // Work that is not about one release says so.
    assert_eq!(jobs.start("qc_files", 1).progress().expect("progress").release_id, None);
}
