//! `inspect_artwork_with_thumbnail` on arbitrary bytes (header parse, limited decode, thumbnail).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("catno-fuzz-image-{}.bin", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = catno_media::inspect_artwork_with_thumbnail(&path, 64);
    }
});
