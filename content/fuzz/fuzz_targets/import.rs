//! Any bytes as an upload: the importer must return Ok or a clean error, never panic, and
//! stay within small caps.
#![no_main]

use etapolku_content::{Limits, import_path};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let upload = dir.path().join("upload.mbz");
    let staging = dir.path().join("staging");
    if std::fs::write(&upload, data).is_err() || std::fs::create_dir(&staging).is_err() {
        return;
    }
    let limits = Limits {
        max_entries: 1_000,
        max_total_bytes: 16 << 20,
        max_entry_bytes: 8 << 20,
        ratio_applies_after: 1 << 20,
        max_xml_bytes: 4 << 20,
        ..Limits::default()
    };
    let _ = import_path(&upload, &staging, &limits);
});
