//! Batch signing tests: a folder of PDFs (one of them broken) signed with one signer; every
//! good file validates, the broken one is reported by name and the batch goes on.

mod common;

use common::*;
use motcua::sign::SignOptions;
use motcua::sign::batch::{folder_jobs, sign_batch};

#[test]
fn folder_is_signed_file_by_file_with_progress() {
    let input_dir = tempfile::tempdir().unwrap();
    let output_dir = tempfile::tempdir().unwrap();
    let sources = [CLASSIC_PDF, OBJSTM_PDF, LINEARIZED_PDF];
    for index in 0..12 {
        let source = fixture(sources[index % sources.len()]);
        std::fs::copy(
            &source,
            input_dir.path().join(format!("ho-so-{index:02}.pdf")),
        )
        .unwrap();
    }
    std::fs::write(input_dir.path().join("hong.PDF"), b"%PDF-1.7 broken").unwrap();
    std::fs::write(input_dir.path().join("ghi-chu.txt"), b"not a pdf").unwrap();

    let jobs = folder_jobs(input_dir.path(), output_dir.path()).unwrap();
    assert_eq!(jobs.len(), 13, "the .txt file is skipped");
    let signer = p12_signer("signer-rsa2048.p12");
    let mut reports = Vec::new();
    let results = sign_batch(&jobs, &signer, &SignOptions::default(), &mut |progress| {
        reports.push((progress.done, progress.total, progress.result.is_ok()));
    });
    assert_eq!(reports.len(), 13);
    assert_eq!(reports.last().unwrap().0, 13);
    assert!(reports.iter().all(|(_, total, _)| *total == 13));

    let failures: Vec<_> = jobs
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_err())
        .collect();
    assert_eq!(failures.len(), 1);
    let message = failures[0].1.as_ref().unwrap_err().to_string();
    assert!(message.contains("hong.PDF"), "{message}");
    assert!(!output_dir.path().join("hong.PDF").exists());

    for job in jobs.iter().filter(|job| job.output.exists()) {
        let input = std::fs::read(&job.input).unwrap();
        assert!(std::fs::read(&job.output).unwrap().starts_with(&input));
    }
    assert_pdfsig_valid(&output_dir.path().join("ho-so-00.pdf"), 1);
    assert_pdfsig_valid(&output_dir.path().join("ho-so-01.pdf"), 1);
    assert_pyhanko_valid(&output_dir.path().join("ho-so-11.pdf"), 1);
}

#[test]
fn output_folder_must_differ_from_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let error = folder_jobs(dir.path(), dir.path()).unwrap_err();
    assert!(error.to_string().contains("must differ"), "{error}");
}
