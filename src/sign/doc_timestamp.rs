//! Document time-stamps (ISO 32000-2 §12.8.5; ETSI EN 319 142-1 §5.4.3): a later revision whose
//! signature dictionary has /Type /DocTimeStamp and /SubFilter /ETSI.RFC3161, and whose /Contents
//! is an RFC 3161 time-stamp token over the byte range. This is how a B-B signature made offline
//! gets its time proven once the TSA is reachable (`motcua timestamp`), and how the verifier's
//! "claimed time" warning goes away for the signatures before it.
//!
//! The revision is appended with [`super::incremental`] (an invisible field, like a signature),
//! so every earlier signature stays valid. /Contents is sized from a real token of the same TSA
//! (one probe request over an empty imprint), plus room for the length of the serial number and
//! time to vary between answers.

use std::path::Path;

use lopdf::{Dictionary, Object};

use super::incremental::{self, SignatureRevision};
use super::timestamp::TsaClient;
use super::{DigestAlgorithm, SignError};

/// Bytes added to the probe token's size: serial numbers and genTime fractions vary in length.
const TOKEN_SLACK: usize = 256;

fn revision(contents_len: usize) -> SignatureRevision {
    let mut dictionary = Dictionary::new();
    dictionary.set("Type", Object::Name(b"DocTimeStamp".to_vec()));
    dictionary.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    dictionary.set("SubFilter", Object::Name(b"ETSI.RFC3161".to_vec()));
    SignatureRevision {
        signature_dictionary: dictionary,
        field_name: None,
        page: 1,
        contents_len,
        stamp: None,
        certify: false,
    }
}

/// Appends a document time-stamp from `tsa` to the PDF `input` and returns the new file.
pub fn timestamp_pdf(input: &[u8], tsa: &TsaClient) -> Result<Vec<u8>, SignError> {
    let digest = DigestAlgorithm::Sha256;
    let probe = tsa.timestamp(digest, b"")?;
    let prepared = incremental::prepare(input, &revision(probe.len() + TOKEN_SLACK))?;
    let mut hasher = digest.hasher();
    for part in prepared.signed_parts() {
        hasher.update(part);
    }
    let token = tsa.timestamp_digest(digest, hasher.finish())?;
    prepared.finish(&token)
}

/// [`timestamp_pdf`] from file to file; `output` is written atomically (temporary file, fsync,
/// rename) and left untouched on error.
pub fn timestamp_file(input: &Path, output: &Path, tsa: &TsaClient) -> Result<(), SignError> {
    let bytes = std::fs::read(input).map_err(|e| SignError::io(input, e))?;
    let stamped = timestamp_pdf(&bytes, tsa).map_err(|source| SignError::InFile {
        path: input.to_path_buf(),
        source: Box::new(source),
    })?;
    crate::atomic::write_file_atomic(output, &stamped).map_err(|e| SignError::io(output, e))
}
