//! catno-core against real catalog files.
#![allow(clippy::unwrap_used)]

mod bulk;
mod catalog;
mod ddex;
mod ddex_history;
mod delivery;
mod qc;
mod rights;
mod sync;
mod transfer;
mod transfer_formats;
mod transfer_job;
mod validate;
mod workflow;
