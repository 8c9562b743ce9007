//! catno-core against real catalog files.
#![allow(clippy::unwrap_used)]

mod catalog;
mod ddex;
mod qc;
mod rights;
mod transfer;
mod validate;
