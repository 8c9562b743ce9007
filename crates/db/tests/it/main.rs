//! catno-db against real SQLite files.

mod schema;
