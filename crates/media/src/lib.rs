//! catno-media: facts read from, and test material written to, audio and artwork files.
//!
//! A leaf adapter: it knows files and formats, not releases or tracks.
//! Must never depend on: catno-domain, sqlx, tauri.

pub mod generate;

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot encode image: {message}")]
    Encode { path: PathBuf, message: String },
}

/// The SHA-256 (hex) and size in bytes of a file, read in streaming fashion.
pub fn hash_file(path: &Path) -> Result<(String, u64), MediaError> {
    let io = |source| MediaError::Io { path: path.to_owned(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}
