//! The fake Revelator over real HTTP on 127.0.0.1, driven with reqwest.
#![allow(clippy::unwrap_used)]

mod auth;
mod catalog;
mod distribution;
mod faults;
mod log;
mod misc;
mod support;
