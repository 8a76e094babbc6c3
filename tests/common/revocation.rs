//! The pyHanko helper of the revocation tests (`tests/support/embed_revinfo.py`, which embeds
//! revocation data and document time-stamps in PDFs), and the run-time PKI of
//! `tests/support/runtime_pki.rs`.

use std::path::Path;
use std::process::Command;

use super::signing::python;

/// Runs `tests/support/embed_revinfo.py` with pyHanko's Python.
pub fn embed_revinfo(args: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/embed_revinfo.py");
    let out = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .expect("python with pyHanko is required (make test creates .tools/venv)");
    assert!(
        out.status.success(),
        "embed_revinfo.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
