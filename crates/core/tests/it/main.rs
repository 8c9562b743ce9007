//! catno-core against real catalog files.
#![allow(clippy::unwrap_used)]

mod catalog;
mod rights;
