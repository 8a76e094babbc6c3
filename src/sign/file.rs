//! Signing a PDF file on disk: atomically, and at about the cost of reading the file once.
//!
//! A 20 MB dossier must sign in a fraction of a second on an old PC, and the output must be
//! durable before it replaces anything. The work is split so the slow parts overlap:
//!
//! - one thread copies the input into the temporary output file (`std::io::copy` between files
//!   is `copy_file_range` on Linux: the kernel copies, this process never touches the bytes)
//!   and then flushes that copy to disk, while the rest happens;
//! - one thread hashes the input bytes (the first and largest part of the signed byte range);
//! - the calling thread parses the input's structure with lopdf and builds the new revision.
//!
//! Then the small appended revision is hashed, signed, written after the copy, flushed, and the
//! temporary file is renamed over the output. If the input changes on disk while this runs (its
//! size or modification time differ afterwards, or the copy's length differs from what was
//! hashed), signing is refused: the copy and the hash would not be of the same bytes.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::thread::ScopedJoinHandle;

use super::{SignError, SignOptions, SignOutcome, Signer, incremental, make_signature, plan};

/// Signs the PDF at `input` and writes the result to `output` atomically: a temporary file in
/// the output's folder, flushed to disk, then renamed over `output`. On error `output` is untouched.
pub fn sign_file(
    input: &Path,
    output: &Path,
    signer: &dyn Signer,
    options: &SignOptions,
) -> Result<(), SignError> {
    sign_file_with_outcome(input, output, signer, options).map(|_| ())
}

/// [`sign_file`], also reporting whether the time-stamp was added. The returned
/// [`SignOutcome::pdf`] is empty: the signed bytes are in `output`.
///
/// Memory stays near the input's size: the input is read once; the copy into the output is
/// made by the kernel; only the appended revision is held apart to receive the signature.
pub fn sign_file_with_outcome(
    input: &Path,
    output: &Path,
    signer: &dyn Signer,
    options: &SignOptions,
) -> Result<SignOutcome, SignError> {
    let in_file = |source: SignError| SignError::InFile {
        path: input.to_path_buf(),
        source: Box::new(source),
    };
    let plan = plan(signer, options).map_err(in_file)?;
    let folder = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temporary =
        tempfile::NamedTempFile::new_in(folder).map_err(|e| SignError::io(folder, e))?;
    let temp_error = |e: std::io::Error| SignError::io(temporary.path(), e);
    let before = stamp_of(input)?;

    let (prepared, hasher) = std::thread::scope(|scope| -> Result<_, SignError> {
        let copier = scope.spawn(|| copy_and_flush(input, temporary.as_file()));
        let bytes = std::fs::read(input).map_err(|e| SignError::io(input, e))?;
        let mut hasher = signer.digest_algorithm().hasher();
        // An inner scope: the hashing thread borrows `bytes`, which are moved out afterwards.
        let (update, hasher) = std::thread::scope(|inner| {
            let hashing = inner.spawn(|| {
                hasher.update(&bytes);
                hasher
            });
            let update = incremental::build_update(&bytes, &plan.revision).map_err(in_file);
            (update, joined(hashing, input))
        });
        let hasher = hasher?;
        let copied = joined(copier, input)?.map_err(temp_error)?;
        if copied != bytes.len() as u64 || stamp_of(input)? != before {
            return Err(in_file(SignError::io(
                input,
                std::io::Error::other(
                    "the file changed while it was being signed; wait until it is complete and sign it again",
                ),
            )));
        }
        let prepared = update?.serialize_after(bytes).map_err(in_file)?;
        Ok((prepared, hasher))
    })?;

    let mut hasher = hasher;
    for part in prepared.signed_parts() {
        hasher.update(part);
    }
    let made = make_signature(plan, signer, options, &hasher.finish()).map_err(in_file)?;
    let revision = prepared.finish(&made.cms).map_err(in_file)?;
    // The copy left the file offset at the input's end: the revision follows it.
    let mut file = temporary.as_file();
    file.write_all(&revision)
        .and_then(|()| file.sync_all())
        .map_err(temp_error)?;
    temporary
        .persist(output)
        .map_err(|e| SignError::io(output, e.error))?;
    Ok(SignOutcome {
        pdf: Vec::new(),
        timestamped: made.timestamped,
        timestamp_error: made.timestamp_error,
    })
}

/// Copies `input` to the start of `destination` in the kernel and flushes the copied data to
/// disk, so the final flush after the small revision has little left to write.
fn copy_and_flush(input: &Path, destination: &File) -> std::io::Result<u64> {
    let mut source = File::open(input)?;
    let mut destination = destination;
    let copied = std::io::copy(&mut source, &mut destination)?;
    destination.sync_data()?;
    Ok(copied)
}

/// Size and modification time: enough to notice a file rewritten while it is signed.
fn stamp_of(path: &Path) -> Result<(u64, Option<std::time::SystemTime>), SignError> {
    let metadata = std::fs::metadata(path).map_err(|e| SignError::io(path, e))?;
    Ok((metadata.len(), metadata.modified().ok()))
}

/// Joins a helper thread; a panic there becomes an error naming the file, not a crash.
fn joined<T>(handle: ScopedJoinHandle<'_, T>, input: &Path) -> Result<T, SignError> {
    handle.join().map_err(|_| {
        SignError::io(
            input,
            std::io::Error::other("an internal error stopped the signing of this file"),
        )
    })
}
