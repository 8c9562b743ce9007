//! The last exported DDEX message per release and profile, for the delivery view's diff.

use catno_core::ddex::{DdexOptions, DdexRecipient, DdexSettingsUpdate};
use catno_core::{ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn a_written_batch_becomes_the_last_export_of_each_release_and_profile() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    catalog
        .set_ddex_settings(&DdexSettingsUpdate {
            sender_dpid: Some("PADPIDA2014120301T".to_owned()),
            recipients: vec![DdexRecipient {
                profile_id: "spotify".to_owned(),
                dpid: Some("PADPIDA2011072101T".to_owned()),
                name: None,
            }],
            ..DdexSettingsUpdate::default()
        })
        .await?;
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await?;
    let id = page.items.iter().max_by_key(|r| r.track_count).ok_or("no releases")?.id;
    let spotify = DdexOptions::profile("spotify");
    assert_eq!(catalog.last_ddex_export(id, "spotify").await?, None, "never exported");

    let out = tempfile::tempdir()?;
    let first = catalog.export_ddex_batch(&[id], &spotify, out.path(), Some("B1")).await?;
    assert!(first.written, "{:#?}", first.findings);
    let last = catalog.last_ddex_export(id, "spotify").await?.ok_or("recorded")?;
    let preview = catalog.ddex_message(id, &spotify).await?;
    assert_eq!(Some(&last.xml), preview.xml.as_ref(), "an unchanged release previews as it was sent");
    assert_eq!((last.batch_id.as_str(), last.store.as_str()), ("B1", "spotify"));
    assert_eq!(last.message_id, first.releases[0].message_id);
    let folder = out.path().join("B1").join(&first.releases[0].folder);
    let on_disk = std::fs::read_to_string(folder.join(format!("{}.xml", first.releases[0].folder)))?;
    assert_eq!(last.xml, on_disk, "the stored message is the delivered file");
    assert_eq!(catalog.last_ddex_export(id, "generic-ern43").await?, None, "kept per profile");

    // A refused batch writes nothing and so records nothing.
    catalog.set_release_fields(id, &[("genre".into(), String::new())]).await?;
    let refused = catalog.export_ddex_batch(&[id], &spotify, out.path(), Some("B2")).await?;
    assert!(!refused.written);
    assert_eq!(catalog.last_ddex_export(id, "spotify").await?.map(|e| e.batch_id).as_deref(), Some("B1"));

    catalog.set_release_fields(id, &[("genre".into(), "Jazz".into())]).await?;
    let second = catalog.export_ddex_batch(&[id], &spotify, out.path(), Some("B3")).await?;
    assert!(second.written, "{:#?}", second.findings);
    let newest = catalog.last_ddex_export(id, "spotify").await?.ok_or("recorded")?;
    assert_eq!(newest.batch_id, "B3");
    assert_ne!(newest.xml, last.xml, "the edit is in the newer message");
    assert!(newest.xml.contains("Jazz"));

    let unknown = catalog.last_ddex_export(id, "nowhere").await.err().ok_or("unknown profile")?;
    assert_eq!(unknown.code(), ErrorCode::Invalid);
    let missing = catalog.last_ddex_export(999_999, "spotify").await.err().ok_or("unknown release")?;
    assert_eq!(missing.code(), ErrorCode::NotFound);
    Ok(())
}
