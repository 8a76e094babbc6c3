//! A really signed test PDF of a chosen size, shared by the tests and benchmarks that send documents to the
//! sandbox portal (which verifies every signature, so shape-only fakes are refused). Included with
//! `#[path = …] mod signed_pdf;` from the root crate's tests and examples and from the portal's tests.

use std::path::Path;

/// The fixture PDF plus a stream of pseudo-random filler (so files of the same size differ by `seed`),
/// at least `size` bytes, signed by the RSA-2048 test signer of `fixtures/pki` (root: `pki/root.cert.pem`).
pub fn signed_pdf(fixtures: &Path, size: usize, seed: u64) -> Vec<u8> {
    use motcua::sign::{SignOptions, SoftwareSigner, sign_pdf};
    let mut document =
        lopdf::Document::load(fixtures.join("pdf/classic.pdf")).expect("fixture PDF");
    let mut filler = Vec::with_capacity(size);
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while filler.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        filler.push((state & 0xff) as u8);
    }
    document.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), filler));
    let mut unsigned = Vec::new();
    document
        .save_to(&mut unsigned)
        .expect("save the unsigned PDF");
    let signer = SoftwareSigner::from_pkcs12_file(
        &fixtures.join("pki/signer-rsa2048.p12"),
        "matkhau-thu-nghiem",
    )
    .expect("test signer");
    sign_pdf(&unsigned, &signer, &SignOptions::default()).expect("sign")
}
