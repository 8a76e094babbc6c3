//! Batch signing: every PDF of a dossier or folder with one key session (one PIN entry).
//!
//! Each file is signed and written atomically on its own ([`super::sign_file`]); a failure is
//! recorded for that file and the batch goes on, so one damaged scan does not block a dossier.
//! Progress is reported after each file, for a progress bar.

use std::path::{Path, PathBuf};

use super::{SignError, SignOptions, Signer, sign_file};

/// One file to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchJob {
    /// The unsigned PDF.
    pub input: PathBuf,
    /// Where the signed PDF goes.
    pub output: PathBuf,
}

/// Reported after each file.
#[derive(Debug)]
pub struct BatchProgress<'a> {
    /// Files finished so far, this one included.
    pub done: usize,
    /// Files in the batch.
    pub total: usize,
    /// The file just finished.
    pub job: &'a BatchJob,
    /// Its result.
    pub result: &'a Result<(), SignError>,
}

/// Signs every job in order with the same signer and options; returns one result per job.
pub fn sign_batch(
    jobs: &[BatchJob],
    signer: &dyn Signer,
    options: &SignOptions,
    progress: &mut dyn FnMut(BatchProgress<'_>),
) -> Vec<Result<(), SignError>> {
    let mut results = Vec::with_capacity(jobs.len());
    for (index, job) in jobs.iter().enumerate() {
        let result = sign_file(&job.input, &job.output, signer, options);
        progress(BatchProgress {
            done: index + 1,
            total: jobs.len(),
            job,
            result: &result,
        });
        results.push(result);
    }
    results
}

/// The jobs for every `*.pdf` (any case) directly in `input_dir`, sorted by name, each written
/// under the same name to `output_dir`, which must differ from `input_dir`.
pub fn folder_jobs(input_dir: &Path, output_dir: &Path) -> Result<Vec<BatchJob>, SignError> {
    if input_dir.canonicalize().ok() == output_dir.canonicalize().ok() {
        return Err(SignError::io(
            output_dir,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the output folder must differ from the input folder",
            ),
        ));
    }
    let entries = std::fs::read_dir(input_dir).map_err(|e| SignError::io(input_dir, e))?;
    let mut jobs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| SignError::io(input_dir, e))?.path();
        let is_pdf = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"));
        if let (true, Some(name)) = (is_pdf && path.is_file(), path.file_name()) {
            jobs.push(BatchJob {
                output: output_dir.join(name),
                input: path,
            });
        }
    }
    jobs.sort_by(|a, b| a.input.cmp(&b.input));
    Ok(jobs)
}
