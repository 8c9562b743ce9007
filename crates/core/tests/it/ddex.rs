//! DDEX delivery from the demo catalog: settings, messages, validation, takedowns, batches.

use std::path::PathBuf;

use catno_core::ddex::{DdexOptions, DdexRecipient, DdexSettingsUpdate, FindingTarget};
use catno_core::rights::engine::{RightsEdit, Rule, TerritoryGroups, parse_territories};
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SENDER: &str = "PADPIDA2014120301T";
const SPOTIFY: &str = "PADPIDA2011072101T";
const OTHER: &str = "PADPIDA2007050901U";

/// The schema folder, or `None` announced loudly so the suite passes without schemas.
fn schemas() -> Option<PathBuf> {
    let dir = std::env::var_os("CATNO_DDEX_SCHEMAS").map(PathBuf::from);
    if dir.is_none() {
        eprintln!("SKIPPED: CATNO_DDEX_SCHEMAS not set (XSD validation not run)");
    }
    dir
}

async fn album(catalog: &Catalog) -> Result<i64, Box<dyn std::error::Error>> {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await?;
    Ok(page.items.iter().max_by_key(|r| r.track_count).ok_or("no releases")?.id)
}

async fn configure(catalog: &Catalog) -> TestResult {
    let recipient = |profile: &str, dpid: &str| DdexRecipient {
        profile_id: profile.to_owned(),
        dpid: Some(dpid.to_owned()),
        name: None,
    };
    catalog
        .set_ddex_settings(&DdexSettingsUpdate {
            sender_dpid: Some(SENDER.to_owned()),
            sender_name: Some("Northern Lights Records".to_owned()),
            recipients: vec![
                recipient("spotify", SPOTIFY),
                recipient("youtube", OTHER),
                recipient("generic-ern43", OTHER),
                recipient("generic-ern382", OTHER),
            ],
            ..DdexSettingsUpdate::default()
        })
        .await?;
    Ok(())
}

#[tokio::test]
async fn settings_are_stored_and_dpids_checked_by_field() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    configure(catalog).await?;
    let settings = catalog.ddex_settings().await?;
    assert_eq!(settings.sender_dpid.as_deref(), Some(SENDER));
    let spotify = settings.recipients.iter().find(|r| r.profile_id == "spotify").ok_or("spotify")?;
    assert_eq!(spotify.dpid.as_deref(), Some(SPOTIFY));

    let bad = catalog
        .set_ddex_settings(&DdexSettingsUpdate {
            sender_name: Some("Changed".into()),
            recipients: vec![DdexRecipient {
                profile_id: "youtube".into(),
                dpid: Some("PADPIDA12".into()),
                name: None,
            }],
            ..DdexSettingsUpdate::default()
        })
        .await
        .err()
        .ok_or("a short DPID must be refused")?;
    assert_eq!(bad.code(), ErrorCode::Invalid);
    assert_eq!(bad.field(), Some("recipients.youtube.dpid"));
    assert!(bad.to_string().contains("PADPIDA"), "{bad}");
    // Nothing of a refused update is stored.
    assert_eq!(catalog.ddex_settings().await?.sender_name.as_deref(), Some("Northern Lights Records"));

    let cleared = catalog
        .set_ddex_settings(&DdexSettingsUpdate { sender_dpid: Some(String::new()), ..Default::default() })
        .await?;
    assert_eq!(cleared.sender_dpid, None);
    Ok(())
}

#[tokio::test]
async fn demo_release_gives_valid_deterministic_ern_43_and_382() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    configure(catalog).await?;
    let id = album(catalog).await?;
    for profile in ["spotify", "youtube", "generic-ern43", "generic-ern382"] {
        let message = catalog.ddex_message(id, &DdexOptions::profile(profile)).await?;
        assert!(!message.has_errors(), "{profile}: {:#?}", message.findings);
        let xml = message.xml.clone().ok_or("no xml")?;
        assert!(xml.contains(SENDER) && xml.contains("GBCTN"), "{profile}");
        let again = catalog.ddex_message(id, &DdexOptions::profile(profile)).await?;
        assert_eq!(again.xml.as_deref(), Some(xml.as_str()), "{profile}: same state, same bytes");
        assert_eq!(again.message_id, message.message_id);

        let validation = catalog.validate_ddex(&xml).await?;
        assert!(!validation.has_errors(), "{profile}: {:#?}", validation.findings);
        if schemas().is_some() {
            assert!(validation.xsd_checked, "{profile}: XSD ran");
        }
    }
    // Without rules, deals start on the street date, not on delivery.
    let street = catalog.release(id).await?.release_date.ok_or("a street date")?;
    let spotify = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?.xml.unwrap_or_default();
    assert!(spotify.contains(&format!("<StartDate>{street}</StartDate>")), "{spotify}");

    let v382 = catalog.ddex_message(id, &DdexOptions::profile("generic-ern382")).await?;
    assert_eq!(v382.ern_version, "3.8.2");
    assert!(v382.xml.unwrap_or_default().contains("http://ddex.net/xml/ern/382"));

    // An edit changes the message id and the bytes.
    let before = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    catalog.set_release_fields(id, &[("genre".into(), "Ambient".into())]).await?;
    let after = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    assert_ne!(before.message_id, after.message_id);
    assert!(after.xml.unwrap_or_default().contains("Ambient"));

    // Injected id and clock are used as given.
    let mut options = DdexOptions::profile("spotify");
    options.message_id = Some("MSG-1".into());
    options.created = Some("2026-03-01T09:00:00Z".into());
    let injected = catalog.ddex_message(id, &options).await?;
    let xml = injected.xml.ok_or("no xml")?;
    assert!(xml.contains("<MessageId>MSG-1</MessageId>") && xml.contains("2026-03-01T09:00:00Z"));
    Ok(())
}

#[tokio::test]
async fn findings_name_the_catalog_field_to_fix() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = album(catalog).await?;
    // No recipient configured yet: refused, pointing at the setting.
    let message = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    assert!(message.xml.is_none());
    let finding = message.findings.iter().find(|f| f.is_error()).ok_or("an error")?;
    assert_eq!(finding.target, Some(FindingTarget::Settings { field: "recipients.spotify.dpid".into() }));

    configure(catalog).await?;
    catalog.set_release_fields(id, &[("genre".into(), String::new())]).await?;
    let message = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    assert!(message.xml.is_none());
    assert!(
        message.findings.iter().any(|f| f.target == Some(FindingTarget::Release { field: "genre".into() })),
        "{:#?}",
        message.findings
    );

    let out = tempfile::tempdir()?;
    let export =
        catalog.export_ddex_batch(&[id], &DdexOptions::profile("spotify"), out.path(), Some("B1")).await?;
    assert!(!export.written);
    assert!(export.findings.iter().any(|f| f.is_error() && f.release_id == Some(id)));
    assert_eq!(out.path().read_dir()?.count(), 0, "nothing written");
    Ok(())
}

#[tokio::test]
async fn an_exclude_rule_becomes_excluded_territory_codes() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    configure(catalog).await?;
    let id = album(catalog).await?;
    let rule = Rule::exclude(parse_territories("JP, DE", &TerritoryGroups::new())?);
    catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule }).await?;
    for profile in ["spotify", "generic-ern382"] {
        let xml = catalog.ddex_message(id, &DdexOptions::profile(profile)).await?.xml.ok_or("no xml")?;
        assert!(xml.contains("<ExcludedTerritoryCode>JP</ExcludedTerritoryCode>"), "{profile}:\n{xml}");
        assert!(xml.contains("<ExcludedTerritoryCode>DE</ExcludedTerritoryCode>"), "{profile}");
        let validation = catalog.validate_ddex(&xml).await?;
        assert!(!validation.has_errors(), "{profile}: {:#?}", validation.findings);
    }

    let takedown = catalog.ddex_takedown(id, &DdexOptions::profile("spotify"), Some("2030-01-01")).await?;
    let xml = takedown.xml.ok_or("no takedown xml")?;
    assert!(xml.contains("2029-12-31"), "deals end the day before:\n{xml}");
    Ok(())
}

#[tokio::test]
async fn a_batch_holds_resources_with_matching_md5_and_batch_complete() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    configure(catalog).await?;
    let id = album(catalog).await?;
    let out = tempfile::tempdir()?;
    let export = catalog
        .export_ddex_batch(&[id], &DdexOptions::profile("spotify"), out.path(), Some("20260105100000000"))
        .await?;
    assert!(export.written, "{:#?}", export.findings);
    let root = out.path().join("20260105100000000");
    assert!(root.join("BatchComplete_20260105100000000.xml").is_file());
    let release = &export.releases[0];
    let folder = root.join(&release.folder);
    let xml = std::fs::read_to_string(folder.join(format!("{}.xml", release.folder)))?;
    let detail = catalog.release_detail(id).await?;
    assert_eq!(release.resources.len(), detail.tracks.len() + 1, "audio per track plus the cover");
    for name in &release.resources {
        let (md5, _, _) = catno_media::hash_file_md5_sha256(&folder.join("resources").join(name))?;
        assert!(xml.contains(name.as_str()), "{name} named in the message");
        assert!(xml.contains(md5.as_str()), "{name}: the message declares its MD5 {md5}");
    }
    // The same batch id again is refused rather than overwritten.
    let again = catalog
        .export_ddex_batch(&[id], &DdexOptions::profile("spotify"), out.path(), Some("20260105100000000"))
        .await;
    assert!(again.is_err());
    Ok(())
}

#[tokio::test]
async fn stored_qc_analyses_give_the_same_message_as_probing() -> TestResult {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    configure(catalog).await?;
    let id = album(catalog).await?;
    let probed = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    let paths: Vec<PathBuf> =
        catalog.release_detail(id).await?.assets.iter().map(|a| PathBuf::from(&a.path)).collect();
    catalog.inspect_paths(&paths, "generic").await?;
    let qc = catalog.stored_release_qc(id, "generic").await?;
    assert!(
        qc.files.iter().all(|f| f.error.is_none() && f.audio.is_some() == (f.track_id.is_some())),
        "stored"
    );
    let stored = catalog.ddex_message(id, &DdexOptions::profile("spotify")).await?;
    assert!(probed.xml.is_some());
    assert_eq!(stored.xml, probed.xml);
    Ok(())
}
