use catno_core::domain::WorkflowStatus::{self, *};
use catno_core::workflow::Since;
use catno_core::{Catalog, ErrorCode, ReleaseQuery};
use catno_testkit::TempCatalog;

const MANUAL: [&str; 4] =
    ["cover_text_matches", "cover_clean", "audio_matches_tracklist", "explicit_flags_checked"];

/// A demo release with tracks and no validation errors under the approval profile.
async fn clean_release(catalog: &Catalog) -> i64 {
    let page = catalog.releases(&ReleaseQuery { label_id: None, offset: 0, limit: 50 }).await.unwrap();
    for r in page.items.iter().filter(|r| r.track_count > 1) {
        if catalog.validate_release(r.id, "generic").await.unwrap().errors == 0 {
            return r.id;
        }
    }
    panic!("the demo has no release without validation errors")
}

async fn tick_all(catalog: &Catalog, id: i64, who: &str) {
    for item in MANUAL {
        catalog.set_check(id, item, true, who).await.unwrap();
    }
}

async fn go(catalog: &Catalog, id: i64, to: WorkflowStatus, who: &str) {
    catalog.transition(id, to, who, None, None).await.unwrap_or_else(|e| panic!("→ {to}: {e}"));
}

#[tokio::test]
async fn approval_is_refused_with_validation_errors_and_an_open_checklist_and_records_who() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = clean_release(catalog).await;
    let track = catalog.track_at(id, 1).await.unwrap();
    let title = catalog.track(track).await.unwrap().title;
    catalog.set_track_fields(track, &[("title".into(), format!("{title} ft. X"))]).await.unwrap();
    assert!(catalog.validate_release(id, "generic").await.unwrap().errors > 0, "precondition: an error");

    go(catalog, id, InReview, "Rita").await;
    tick_all(catalog, id, "Ana").await;
    let err = catalog.transition(id, Approved, "Ana", None, None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.to_string().contains("cannot be approved"), "{err}");
    assert!(err.to_string().contains("track[1].title"), "names the field: {err}");
    assert_eq!(catalog.release(id).await.unwrap().status, InReview, "nothing changed");

    // Fixing the title after the ticks makes the tracklist-watching item stale.
    catalog.set_track_fields(track, &[("title".into(), title)]).await.unwrap();
    let checklist = catalog.checklist(id).await.unwrap();
    let audio = checklist.items.iter().find(|i| i.id == "audio_matches_tracklist").unwrap();
    assert!(audio.done && audio.stale, "{audio:?}");
    assert!(!checklist.items.iter().find(|i| i.id == "cover_clean").unwrap().stale, "cover untouched");
    let err = catalog.transition(id, Approved, "Ana", None, None).await.unwrap_err();
    assert!(err.to_string().contains("changed since ticked"), "{err}");

    catalog.set_check(id, "audio_matches_tracklist", true, "Ana").await.unwrap();
    let checklist = catalog.checklist(id).await.unwrap();
    assert!(checklist.complete, "{checklist:#?}");
    let cover = checklist.items.iter().find(|i| i.id == "cover_clean").unwrap();
    assert_eq!(cover.checked_by.as_deref(), Some("Ana"));
    assert!(cover.checked_at.as_deref().is_some_and(|t| t.ends_with('Z')));

    let approved = catalog.transition(id, Approved, "Ana", Some("looks good"), None).await.unwrap();
    assert_eq!((approved.from, approved.to, approved.actor.as_str()), (InReview, Approved, "Ana"));
    let state = catalog.workflow_state(id).await.unwrap();
    assert_eq!(state.status, Approved);
    assert_eq!(state.next, vec![Queued, Draft]);
    let who: Vec<(&str, WorkflowStatus)> = state.history.iter().map(|t| (t.actor.as_str(), t.to)).collect();
    assert_eq!(who, [("Rita", InReview), ("Ana", Approved)]);
    assert_eq!(state.changes_since_approval, Some(0));
}

#[tokio::test]
async fn forbidden_transitions_and_rejections_without_reason_are_refused() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = clean_release(catalog).await;
    let err = catalog.transition(id, Approved, "Ana", None, None).await.unwrap_err();
    assert!(err.to_string().contains("cannot go from Draft to Approved"), "{err}");
    go(catalog, id, InReview, "Rita").await;
    let err = catalog.transition(id, Rejected, "Ana", Some("  "), None).await.unwrap_err();
    assert!(err.to_string().contains("needs a reason"), "{err}");
    let err = catalog.transition(id, Draft, " ", None, None).await.unwrap_err();
    assert_eq!(err.field(), Some("actor"));
    let rejected = catalog.transition(id, Rejected, "Ana", Some("cover shows a URL"), None).await.unwrap();
    assert_eq!(rejected.reason.as_deref(), Some("cover shows a URL"));
    let queue = catalog.review_queue(Some(Rejected), 100).await.unwrap();
    assert_eq!(queue.items.len(), 1);
    assert_eq!(queue.items[0].release.id, id);
    assert_eq!(queue.items[0].reason.as_deref(), Some("cover shows a URL"));
    assert_eq!(queue.counts.iter().find(|c| c.status == Rejected).unwrap().count, 1);
    let err = catalog.transition(9999, InReview, "Ana", None, None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn content_changed_since_approval_cannot_be_queued_and_changes_since_delivery_are_listed() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = clean_release(catalog).await;
    go(catalog, id, InReview, "Rita").await;
    tick_all(catalog, id, "Ana").await;
    go(catalog, id, Approved, "Ana").await;
    go(catalog, id, Queued, "Ana").await;
    catalog.transition(id, Delivered, "Bot", None, Some("spotify")).await.unwrap();

    let nothing = catalog.changes_since(id, Since::Delivery { store: Some("spotify".into()) }).await.unwrap();
    assert!(nothing.since.is_some());
    assert_eq!(nothing.entries, vec![], "no change since delivery");
    let never = catalog.changes_since(id, Since::Delivery { store: Some("deezer".into()) }).await.unwrap();
    assert_eq!(never.since, None, "never delivered to deezer");

    catalog.set_actor("Editor");
    catalog.set_release_fields(id, &[("genre".into(), "Ambient".into())]).await.unwrap();
    let changes = catalog.changes_since(id, Since::Delivery { store: Some("spotify".into()) }).await.unwrap();
    assert_eq!(changes.since_what, "delivery to spotify");
    assert_eq!(changes.entries.len(), 1, "{:#?}", changes.entries);
    assert_eq!(changes.entries[0].field, "genre");
    assert_eq!(changes.entries[0].after.as_deref(), Some("Ambient"));
    assert_eq!(changes.entries[0].actor, "Editor");

    // Redelivery of changed content needs a new review.
    let err = catalog.transition(id, Queued, "Ana", None, None).await.unwrap_err();
    assert!(err.to_string().contains("changed since it was approved (1 change: genre)"), "{err}");
    go(catalog, id, InReview, "Ana").await;
    let log = catalog.audit_log(id).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.field == "status" && e.after.as_deref() == Some("Delivered") && e.actor == "Bot")
    );
}

#[tokio::test]
async fn a_rights_rewrite_logs_only_the_rule_that_changed() {
    use catno_core::rights::engine::{RightsEdit, Rule, TerritoryGroups, parse_territories};
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    let id = clean_release(catalog).await;
    let groups = TerritoryGroups::new();
    let rule = |codes: &str| Rule::include(parse_territories(codes, &groups).unwrap());
    catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule: rule("Worldwide") }).await.unwrap();
    let before = catalog.audit_log(id).await.unwrap().first().map(|e| e.id).unwrap();
    catalog.edit_rights(id, RightsEdit::AddReleaseRule { rule: rule("JP") }).await.unwrap();
    let rights: Vec<_> = catalog
        .audit_log(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.id > before && e.field == "rights")
        .collect();
    assert_eq!(rights.len(), 1, "{rights:#?}");
    assert_eq!(rights[0].before, None);
    assert!(rights[0].after.as_deref().is_some_and(|a| a.contains("JP")), "{rights:?}");
}

#[tokio::test]
async fn the_user_name_setting_names_the_actor_of_ordinary_edits() {
    let demo = TempCatalog::demo().await;
    let catalog = &demo.catalog;
    assert_eq!(catalog.act_as_user("osuser").await.unwrap(), "osuser");
    catalog.set_user_name("Maria Label").await.unwrap();
    let reopened = Catalog::open(&demo.path()).await.unwrap();
    assert_eq!(reopened.act_as_user("osuser").await.unwrap(), "Maria Label");
    let id = clean_release(&reopened).await;
    reopened.set_release_fields(id, &[("catalog_number".into(), "WF-001".into())]).await.unwrap();
    let last = reopened.audit_log(id).await.unwrap().into_iter().next().unwrap();
    assert_eq!((last.field.as_str(), last.actor.as_str()), ("catalog_number", "Maria Label"));
    let err = catalog.set_check(id, "nope", true, "Ana").await.unwrap_err();
    assert_eq!(err.field(), Some("item"));
}
