//! Import and export as jobs (the desktop's progress bar and Cancel button), on real catalogs.

use catno_core::jobs::{JobState, Jobs};
use catno_core::transfer::{EXPORT_JOB_KIND, ExportFormat, ExportLayout, ExportScope, IMPORT_JOB_KIND};
use catno_testkit::TempCatalog;

/// Two releases of one track each, in Catno's template.
const TWO_RELEASES: &str = "upc,release_title,release_artist,label,release_type,disc,track,isrc,track_title,track_artist\n\
    5060123459999,Night Lines,Ana Ruiz,Northern Lights,Single,1,1,GBCTN2690001,First Light,Ana Ruiz\n\
    5060123450002,Day Lines,Kai Moss,Northern Lights,Single,1,1,GBCTN2690002,Second Light,Kai Moss\n";

#[tokio::test]
async fn an_import_job_counts_each_release_and_ends_succeeded() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("in.csv");
    std::fs::write(&file, TWO_RELEASES).unwrap();
    let jobs = Jobs::new();
    let job = jobs.start(IMPORT_JOB_KIND, 0);

    let summary = temp.catalog.import_job(&job, &file, None).await.unwrap().expect("not cancelled");
    assert_eq!((summary.releases_created, summary.tracks_created), (2, 2));
    let progress = job.progress().unwrap();
    assert_eq!((progress.done, progress.total, progress.state), (2, 2, JobState::Succeeded));
    assert_eq!(progress.kind, "import");
    assert_eq!(temp.catalog.info().await.unwrap().releases, 2);
}

#[tokio::test]
async fn a_cancelled_import_job_writes_nothing() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("in.csv");
    std::fs::write(&file, TWO_RELEASES).unwrap();
    let jobs = Jobs::new();
    let job = jobs.start(IMPORT_JOB_KIND, 0);
    assert!(jobs.cancel(job.id()));

    assert_eq!(temp.catalog.import_job(&job, &file, None).await.unwrap(), None);
    assert_eq!(job.progress().unwrap().state, JobState::Cancelled);
    assert_eq!(temp.catalog.info().await.unwrap().releases, 0, "rolled back");
}

#[tokio::test]
async fn an_import_job_with_problems_fails_and_writes_nothing() {
    let temp = TempCatalog::empty().await;
    let file = temp.dir().join("in.csv");
    std::fs::write(&file, TWO_RELEASES.replace("5060123450002", "5060123450003")).unwrap();
    let jobs = Jobs::new();
    let job = jobs.start(IMPORT_JOB_KIND, 0);

    let err = temp.catalog.import_job(&job, &file, None).await.unwrap_err();
    assert!(err.to_string().contains("nothing imported"), "{err}");
    let progress = job.progress().unwrap();
    assert_eq!(progress.state, JobState::Failed);
    assert_eq!(progress.message, err.to_string());
    assert_eq!(temp.catalog.info().await.unwrap().releases, 0);
}

#[tokio::test]
async fn an_export_job_counts_releases_and_a_cancelled_one_leaves_no_file() {
    let demo = TempCatalog::demo().await;
    let jobs = Jobs::new();
    let out = demo.dir().join("catalog.xlsx");

    let job = jobs.start(EXPORT_JOB_KIND, 0);
    let summary = demo
        .catalog
        .export_job(&job, ExportFormat::Xlsx, ExportLayout::LabelCopy, ExportScope::All, &out)
        .await
        .unwrap()
        .expect("not cancelled");
    let progress = job.progress().unwrap();
    assert_eq!(progress.state, JobState::Succeeded);
    assert_eq!((progress.done as usize, progress.total as usize), (summary.releases, summary.releases));
    assert!(out.is_file());

    let cancelled_out = demo.dir().join("cancelled.csv");
    let job = jobs.start(EXPORT_JOB_KIND, 0);
    job.cancel();
    let result = demo
        .catalog
        .export_job(&job, ExportFormat::Csv, ExportLayout::Template, ExportScope::All, &cancelled_out)
        .await;
    assert_eq!(result.unwrap(), None);
    assert_eq!(job.progress().unwrap().state, JobState::Cancelled);
    let left: Vec<_> = std::fs::read_dir(demo.dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("cancelled"))
        .collect();
    assert!(left.is_empty(), "no file and no partial file: {left:?}");
}
