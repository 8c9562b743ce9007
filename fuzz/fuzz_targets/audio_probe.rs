//! `analyze_audio` on arbitrary bytes: it reads paths, so each input goes through a file (on a
//! tmpfs `TMPDIR` this costs little). A panic, an abort from a huge allocation, or a timeout
//! is a finding; `Err` is the expected answer to garbage.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("catno-fuzz-audio-{}.bin", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = catno_media::analyze_audio(&path);
    }
});
