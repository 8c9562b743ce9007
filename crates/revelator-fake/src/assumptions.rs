//! Every behaviour of the fake that NOTES (`/work/shared/revelator/NOTES.md`) does not back with
//! Revelator's own documentation, in one place, so it can be checked against a real sandbox
//! (NOTES 10.3, 10.4). Each entry quotes the NOTES confidence tag. Code elsewhere refers to these
//! constants or to the entry id instead of restating the guess. `GET /__fake/assumptions` serves
//! [`ASSUMPTIONS`] as JSON.

use crate::config::RateLimit;
use serde::Serialize;

/// One undocumented behaviour the fake reproduces anyway.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Assumption {
    /// NOTES id (`A1`…`A14`) or a fake-local id (`F…`) for choices NOTES left open.
    pub id: &'static str,
    /// Confidence tag as written in NOTES.
    pub tag: &'static str,
    pub behaviour: &'static str,
}

/// A6 [AE][ASSUME]: tokens live 8 hours of the fake clock, no refresh; expiry gives 401.
pub const TOKEN_TTL_SECONDS: u64 = 8 * 3600;

/// 10.2.10 [ASSUME]: "a token bucket per token (configurable, default generous)". Revelator
/// publishes no numbers; these are deliberately far above what the sync engine needs.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit { burst: 10_000, per_second: 1_000.0 };

/// 10.2.12 [ASSUME]: page sizes above 100 are clamped.
pub const PAGE_SIZE_CAP: u32 = 100;

/// F1 [ASSUME]: page size when a list request names none.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// A8 [ASSUME]: `Retry-After` when a scripted 429 names no delay.
pub const DEFAULT_RETRY_AFTER_SECONDS: u64 = 1;

/// 5.5 [DOC]: the fully locked distribution statuses; tracks on such a release are read-only.
pub const LOCKED_STATUSES: [i32; 4] = [-10, -11, -20, -21];

/// A4 [ASSUME] status codes. Only −20 "Pending Owner Inspection" is [DOC]; every other label is
/// invented and marked `(fake)` on the wire so nobody mistakes it for Revelator's text.
pub fn status_text(status: i32) -> &'static str {
    match status {
        -10 => "Queued (locked) (fake)",
        -11 => "Licensing (locked) (fake)",
        -20 => "Pending Owner Inspection",
        -21 => "Pending Platform Inspection (locked) (fake)",
        10 => "In delivery (fake)",
        20 => "Delivered (fake)",
        30 => "Live (fake)",
        40 => "Takedown requested (fake)",
        41 => "Taken down (fake)",
        90 => "Delivery error (fake)",
        91 => "Rejected (fake)",
        _ => "Unknown (fake)",
    }
}

pub const STATUS_PENDING_OWNER_INSPECTION: i32 = -20;
pub const STATUS_PENDING_PLATFORM_INSPECTION: i32 = -21;
pub const STATUS_IN_DELIVERY: i32 = 10;
pub const STATUS_DELIVERED: i32 = 20;
pub const STATUS_LIVE: i32 = 30;
pub const STATUS_TAKEDOWN_REQUESTED: i32 = 40;
pub const STATUS_TAKEN_DOWN: i32 = 41;
pub const STATUS_REJECTED: i32 = 91;

/// A5 [ASSUME]: the step after `status` when the fake clock advances or `/__fake/advance` is
/// called. −20 never advances on its own: it waits for approval (NOTES 6.4 [DOC]).
pub fn next_status(status: i32) -> Option<i32> {
    match status {
        STATUS_PENDING_PLATFORM_INSPECTION => Some(STATUS_IN_DELIVERY),
        STATUS_IN_DELIVERY => Some(STATUS_DELIVERED),
        STATUS_DELIVERED => Some(STATUS_LIVE),
        STATUS_TAKEDOWN_REQUESTED => Some(STATUS_TAKEN_DOWN),
        _ => None,
    }
}

/// F2 [ASSUME]: statuses from which a store may be queued again (never queued, rejected, delivery
/// error, taken down). Queueing a store that is already in flight is refused with 400.
pub fn may_requeue(status: Option<i32>) -> bool {
    matches!(status, None | Some(90) | Some(STATUS_REJECTED) | Some(STATUS_TAKEN_DOWN))
}

/// 5.5 [DOC-v2]: Primary Artist role.
pub const PRIMARY_ARTIST_ROLE_ID: i64 = 49;
/// 5.6 [CODE×3]: contributor role group "Producer & Engineer".
pub const PRODUCER_ENGINEER_GROUP_ID: i64 = 3;
/// 6.3 [DOC]: the one documented validation error code (missing cover).
pub const ERROR_CODE_MISSING_COVER: i64 = 11051;

/// The whole table, served at `GET /__fake/assumptions`.
pub const ASSUMPTIONS: &[Assumption] = &[
    Assumption {
        id: "A1",
        tag: "[ASSUME]",
        behaviour: "addtoqueue and takedown answer 200 with an empty body (config queue_response=true: the literal true)",
    },
    Assumption {
        id: "A2",
        tag: "[ASSUME]",
        behaviour: "release save checks only JSON shape, `name`, presence of `releasesLocals` and that referenced ids/files exist; \
                    required fields (languageId, primaryMusicStyleId, copyrightP/C, cover, tracks with audio) are enforced at validate",
    },
    Assumption {
        id: "A3",
        tag: "[ASSUME]",
        behaviour: "release/track save responds with the stored object as GET would return it (releaseId, new trackIds, upc)",
    },
    Assumption {
        id: "A4",
        tag: "[ASSUME] (only -20 is [DOC])",
        behaviour: "status labels: -10 Queued, -11 Licensing, -20 Pending Owner Inspection, -21 Pending Platform Inspection, \
                    10 In delivery, 20 Delivered, 30 Live, 40 Takedown requested, 41 Taken down, 90 Delivery error, 91 Rejected; \
                    invented labels carry the suffix (fake)",
    },
    Assumption {
        id: "A5",
        tag: "[ASSUME]",
        behaviour: "queue -> -20; approve -> -21 -> 10 -> 20 -> 30 (one step per delivery_step_seconds of fake clock or per /__fake/advance); \
                    reject -> 91 with isError and errorMessage; takedown 20|30 -> 40 -> 41",
    },
    Assumption {
        id: "A6",
        tag: "[AE][ASSUME]",
        behaviour: "token TTL 8 h of fake clock, no refresh token, 401 after expiry",
    },
    Assumption {
        id: "A7",
        tag: "[ASSUME]",
        behaviour: "errors are ProblemDetails {type,title,status,errors}; toggles give {message} or plain text. \
                    401 bad/expired token, 403 locked objects, 404 unknown ids in the path or query, 400 everything else (including unknown ids in bodies)",
    },
    Assumption {
        id: "A8",
        tag: "[ASSUME]",
        behaviour: "rate limiting is 429 with Retry-After in seconds; no rate headers otherwise",
    },
    Assumption {
        id: "A9",
        tag: "[ASSUME]",
        behaviour: "territory clearance payloads are unknown, so the fake implements no territory endpoint rather than invent one",
    },
    Assumption {
        id: "A10",
        tag: "[CODE×1][ASSUME]",
        behaviour: "a track without a group-3 (Producer & Engineer) credit is a severity-1 validate error (require_production_credit); \
                    strict_save also refuses it at save",
    },
    Assumption {
        id: "A11",
        tag: "[DOC][CODE×3]",
        behaviour: "legacy sentinel mode: releaseId 0 creates, unset dates are 0001-01-01T00:00:00, unset files the zero GUID; \
                    strict mode: 0 ids and zero GUIDs are refused with 400 and unset values are null",
    },
    Assumption {
        id: "A12",
        tag: "[CODE×4]",
        behaviour: "UPC modes string/number/mixed; number mode refuses string UPCs; mixed answers numbers on lists and strings on details",
    },
    Assumption { id: "A13", tag: "[CODE×2]", behaviour: "lookups are bare JSON arrays" },
    Assumption {
        id: "A14",
        tag: "[DOC]",
        behaviour: "validate: empty body when clean, else a bare array or {validationErrors} (validate_shape)",
    },
    Assumption {
        id: "F1",
        tag: "[ASSUME]",
        behaviour: "list endpoints default to pageSize 25 and clamp at page_size_cap (100); items are ordered by id so inserts land on the last page",
    },
    Assumption {
        id: "F2",
        tag: "[ASSUME]",
        behaviour: "addtoqueue refuses stores already in flight (anything but never-queued, 90, 91, 41) with 400; \
                    an empty store array or an unknown store id is 400; takedown with an empty array is 400",
    },
    Assumption {
        id: "F3",
        tag: "[ASSUME]",
        behaviour: "a locked release refuses (403) saves that change a locked track's writable fields, drop its audio, or detach it; \
                    release-level fields stay editable because the docs only name tracks as read-only",
    },
    Assumption {
        id: "F4",
        tag: "[ASSUME]",
        behaviour: "a track detached from its last release is deleted together with its audio files (\"omitted is deleted\")",
    },
    Assumption {
        id: "F5",
        tag: "[ASSUME]",
        behaviour: "a release counts as standard (max 4 primary artists) when it has artistId or artistName; with neither it is \
                    a Various Artists compilation needing at least 4",
    },
    Assumption {
        id: "F6",
        tag: "[ASSUME]",
        behaviour: "validation error codes other than 11051 are invented (9xxxx) and messages end with (fake)",
    },
    Assumption {
        id: "F7",
        tag: "[ASSUME]",
        behaviour: "a release created without upc gets a fake 12-digit UPC-A starting with 8 (assign_upc)",
    },
    Assumption {
        id: "F8",
        tag: "[ASSUME]",
        behaviour: "retail save replaces the whole retail settings object; monetizationPolicyIds is mandatory; saleStartDate accepts \
                    MM/dd/yyyy and yyyy-MM-dd; saleStartTime needs a date; 200 with an empty body",
    },
    Assumption {
        id: "F9",
        tag: "[ASSUME]",
        behaviour: "item shapes of /distribution/release/all and of the analytics rows, and the fake lookup rows marked \"fake\": true",
    },
    Assumption {
        id: "F10",
        tag: "[ASSUME]",
        behaviour: "uploads must be multipart/form-data with a part named `file`; audio is kept as size + SHA-256 only, images as bytes",
    },
];
