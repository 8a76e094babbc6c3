//! Fuzz target: CMS SignedData checking (RFC 5652) on arbitrary bytes as a detached signature
//! over a fixed content, and as a time-stamp token. Seeds: the /Contents of the corpus PDFs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua::verify::{TrustStore, cms, tsp};

fuzz_target!(|data: &[u8]| {
    let content: [&[u8]; 2] = [b"%PDF-1.7 first part", b"second part"];
    let _ = cms::check(data, Some(&content), &[]);
    let _ = tsp::check_token(data, &content, &TrustStore::new());
});
