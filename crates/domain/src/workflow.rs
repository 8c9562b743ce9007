//! The release workflow: which status changes are allowed, what each needs, and the manual QC
//! checklist. Pure rules; core checks the catalog-dependent conditions (validation errors,
//! ticked items, changes since approval) before it stores a transition.
//!
//! ```text
//! Draft ──submit──▶ InReview ──approve──▶ Approved ──queue──▶ Queued ──deliver──▶ Delivered ──▶ Live
//!   ▲                 │  │                   │                  │                    │           │
//!   └──── withdraw ───┘  └─reject─▶ Rejected  └─ reopen ─▶ Draft  └─ unqueue ▶ Approved │           │
//!                                                                 TakenDown ◀─ take down ┴───────────┘
//! ```
//! A delivered or live release that needs an update goes back through review (`InReview`), so
//! nothing reaches a store that no one approved; `Queued` again (another store, a resend of the
//! same content) is allowed only while nothing changed since the approval, which core checks.

use serde::Serialize;

use crate::WorkflowStatus::{self, *};

/// Why a transition is refused by the state machine itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a release cannot go from {from} to {to}; from {from} it can go to {allowed}")]
    NotAllowed { from: WorkflowStatus, to: WorkflowStatus, allowed: String },
    #[error("{to} needs a reason")]
    ReasonRequired { to: WorkflowStatus },
}

/// Every allowed `(from, to)` pair.
pub const TRANSITIONS: &[(WorkflowStatus, WorkflowStatus)] = &[
    (Draft, InReview),
    (InReview, Approved),
    (InReview, Rejected),
    (InReview, Draft),
    (Rejected, Draft),
    (Rejected, InReview),
    (Approved, Queued),
    (Approved, Draft),
    (Queued, Delivered),
    (Queued, Approved),
    (Delivered, Live),
    (Delivered, Queued),
    (Delivered, InReview),
    (Delivered, TakenDown),
    (Live, Queued),
    (Live, InReview),
    (Live, TakenDown),
    (TakenDown, InReview),
    (TakenDown, Draft),
];

impl WorkflowStatus {
    /// The statuses a release in `self` may move to, in workflow order.
    pub fn next(self) -> Vec<WorkflowStatus> {
        TRANSITIONS.iter().filter(|(from, _)| *from == self).map(|(_, to)| *to).collect()
    }

    /// Whether a reason must be given to enter this status (it is always recorded when given).
    pub fn needs_reason(self) -> bool {
        matches!(self, Rejected | TakenDown)
    }

    /// Content in this status has been sent to stores (a change now needs a redelivery).
    pub fn is_delivered(self) -> bool {
        matches!(self, Delivered | Live)
    }

    /// What the reviewer sees on the button that moves a release here.
    pub fn verb(self) -> &'static str {
        match self {
            Draft => "Back to draft",
            InReview => "Submit for review",
            Approved => "Approve",
            Queued => "Queue for delivery",
            Delivered => "Mark delivered",
            Live => "Mark live",
            TakenDown => "Take down",
            Rejected => "Reject",
        }
    }
}

/// Checks a transition against the state machine and the reason rule.
pub fn check_transition(
    from: WorkflowStatus,
    to: WorkflowStatus,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    if !TRANSITIONS.contains(&(from, to)) {
        let allowed = from.next().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        return Err(TransitionError::NotAllowed { from, to, allowed });
    }
    if to.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(TransitionError::ReasonRequired { to });
    }
    Ok(())
}

/// A manual QC item: something a person has to look at because a machine cannot decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistItem {
    pub id: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// Audit-log fields whose change after the tick makes it stale: release fields by name,
    /// fields of its tracks as `track.<field>`; `localized_title` also covers
    /// `localized_title:<language>`.
    #[serde(skip)]
    pub watches: &'static [&'static str],
}

/// The manual items of every release's checklist, in the order a reviewer works through them.
pub const CHECKLIST: &[ChecklistItem] = &[
    ChecklistItem {
        id: "cover_text_matches",
        label: "Cover text matches artist and title",
        help: "Every artist name and the title printed on the cover match the metadata exactly (spelling, featured artists, version).",
        watches: &["artwork", "title", "version", "display_artist", "artists"],
    },
    ChecklistItem {
        id: "cover_clean",
        label: "No logos, URLs or prices on the cover",
        help: "No store or social-media logos, web addresses, QR codes, prices, release dates or \"new\" stickers; no explicit imagery beyond the parental advisory.",
        watches: &["artwork"],
    },
    ChecklistItem {
        id: "audio_matches_tracklist",
        label: "Each audio file is the track it claims to be",
        help: "Listen to the start and end of every master: right song, right version (clean/explicit, edit), nothing cut off, no stray count-ins.",
        watches: &["track.audio", "tracklist", "track.title", "track.version", "track.explicit"],
    },
    ChecklistItem {
        id: "explicit_flags_checked",
        label: "Explicit flags match the lyrics",
        help: "Tracks with explicit lyrics are flagged explicit, clean edits are flagged as edited, and the release advisory agrees with its tracks.",
        watches: &["track.explicit", "parental_advisory", "track.audio"],
    },
];

/// The item with this id.
pub fn checklist_item(id: &str) -> Option<&'static ChecklistItem> {
    CHECKLIST.iter().find(|item| item.id == id)
}

impl ChecklistItem {
    /// Whether a change to audit-log `field` makes a tick of this item stale.
    pub fn watches_field(&self, field: &str) -> bool {
        self.watches.iter().any(|w| field == *w || field.starts_with(&format!("{w}:")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The whole table, written out: a change to the workflow must change this test.
    const EXPECTED: &[(WorkflowStatus, &[WorkflowStatus])] = &[
        (Draft, &[InReview]),
        (InReview, &[Approved, Rejected, Draft]),
        (Approved, &[Queued, Draft]),
        (Queued, &[Delivered, Approved]),
        (Delivered, &[Live, Queued, InReview, TakenDown]),
        (Live, &[Queued, InReview, TakenDown]),
        (TakenDown, &[InReview, Draft]),
        (Rejected, &[Draft, InReview]),
    ];

    #[test]
    fn every_pair_of_statuses_is_allowed_or_refused_as_specified() {
        for from in WorkflowStatus::ALL {
            let expected = EXPECTED.iter().find(|(f, _)| f == from).map(|(_, to)| *to).unwrap_or_default();
            for to in WorkflowStatus::ALL {
                let result = check_transition(*from, *to, Some("because"));
                if expected.contains(to) {
                    assert_eq!(result, Ok(()), "{from} → {to} should be allowed");
                } else {
                    assert!(
                        matches!(result, Err(TransitionError::NotAllowed { .. })),
                        "{from} → {to} should be refused, got {result:?}"
                    );
                }
            }
            assert_eq!(from.next(), expected.to_vec(), "next() of {from} in workflow order");
        }
    }

    #[test]
    fn nothing_skips_review_and_no_status_moves_to_itself() {
        for status in WorkflowStatus::ALL {
            assert!(check_transition(*status, *status, Some("x")).is_err(), "{status} → {status}");
        }
        for from in [Draft, Rejected, TakenDown] {
            assert!(check_transition(from, Approved, None).is_err());
            assert!(check_transition(from, Queued, None).is_err());
            assert!(check_transition(from, Delivered, None).is_err());
        }
        // Approval only ever follows review.
        let into_approved: Vec<_> = TRANSITIONS.iter().filter(|(_, to)| *to == Approved).collect();
        assert_eq!(into_approved, [&(InReview, Approved), &(Queued, Approved)]);
    }

    #[test]
    fn rejecting_and_taking_down_need_a_reason() {
        for reason in [None, Some(""), Some("   ")] {
            assert_eq!(
                check_transition(InReview, Rejected, reason),
                Err(TransitionError::ReasonRequired { to: Rejected })
            );
            assert_eq!(
                check_transition(Live, TakenDown, reason),
                Err(TransitionError::ReasonRequired { to: TakenDown })
            );
            assert_eq!(check_transition(InReview, Approved, reason), Ok(()));
        }
        assert_eq!(check_transition(InReview, Rejected, Some("cover has a URL")), Ok(()));
    }

    #[test]
    fn a_refusal_names_where_the_release_can_go() {
        let err = check_transition(Draft, Approved, None).unwrap_err().to_string();
        assert_eq!(err, "a release cannot go from Draft to Approved; from Draft it can go to InReview");
    }

    #[test]
    fn checklist_items_are_unique_and_watch_fields_by_prefix() {
        let mut ids: Vec<_> = CHECKLIST.iter().map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKLIST.len());
        let cover = checklist_item("cover_text_matches").unwrap();
        assert!(cover.watches_field("title"));
        assert!(cover.watches_field("artwork"));
        assert!(!cover.watches_field("titles"));
        assert!(!cover.watches_field("upc"));
        assert!(!cover.watches_field("track.title"), "a track title is not on the cover");
        assert!(checklist_item("nope").is_none());
    }
}
