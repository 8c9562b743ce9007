//! catno-domain: the nouns and rules of a label catalog, in DDEX vocabulary.
//!
//! Releases, tracks (sound recordings), artists and contributors, labels, assets, and the
//! validated identifiers they carry (ISRC, UPC/EAN, ISWC, DSP artist IDs). Field edits are
//! parsed here ([`edit`]) so the desktop editor and the CLI refuse the same bad input with the
//! same message.
//!
//! Must never depend on: tokio, sqlx, reqwest, tauri, or do any IO (CI checks the first four).

pub mod edit;
pub mod ids;
pub mod model;
pub mod workflow;

pub use edit::{FieldError, ReleaseEdit, TrackEdit, no_control_characters};
pub use ids::{DspPlatform, IdError, Isrc, Iswc, Upc};
pub use model::*;
