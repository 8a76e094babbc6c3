//! Fuzz target: the whole PDF verification path (lopdf parsing, signature discovery, /ByteRange
//! checks, CMS, modification analysis) on arbitrary bytes. Uses the entry point without the
//! panic guard so a panic is reported as a crash. Seeds: tests/fixtures/signed/*.pdf.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua::verify::{VerifyOptions, verify_bytes_unguarded};

fuzz_target!(|data: &[u8]| {
    let _ = verify_bytes_unguarded(data, "fuzz", &VerifyOptions::default());
});
