//! catno-db against real SQLite files.

mod audit;
mod schema;
mod sync;
