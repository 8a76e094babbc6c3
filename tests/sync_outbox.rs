//! The outbox's store rules, without a portal: only a signed dossier with its PDFs can be submitted, the job
//! and the status change are one transaction (a refused batch leaves nothing behind), and cancel/retry
//! follow the job's state.

mod sync_support;

use motcua::dossier::Status;
use motcua::store::JobState;
use motcua::{Desk, ErrorCode};
use sync_support::*;

fn desk(dir: &std::path::Path) -> Desk {
    office(dir, "http://127.0.0.1:9", &[])
}

#[test]
fn only_a_signed_dossier_with_its_pdfs_is_queued_and_a_refused_batch_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = desk(tmp.path());
    let (queued, _) = signed_dossier(&desk, 0, 2_000, false);
    let job = &desk.queue().unwrap()[0];
    assert_eq!(job.dossier_code, queued);
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.files.len(), 3);
    assert!(
        job.idempotency_key
            .contains(&desk.dossier(&queued).unwrap().id)
    );

    // Queued already: a second submit is an illegal transition, not a second job.
    let err = desk.submit(&queued, "test").unwrap_err();
    assert_eq!(err.code(), ErrorCode::IllegalTransition);

    // A draft cannot be submitted.
    let draft = draft_dossier(&desk);
    assert_eq!(
        desk.submit(&draft, "test").unwrap_err().code(),
        ErrorCode::IllegalTransition
    );
    // Signed but without its PDFs: refused, naming the document; the status stays `signed`.
    desk.set_dossier_status(&draft, Status::Ready, "test")
        .unwrap();
    desk.set_dossier_status(&draft, Status::Signed, "test")
        .unwrap();
    let err = desk.submit(&draft, "test").unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequiredField);
    assert!(err.to_string().contains("TP1"), "{err}");
    assert_eq!(desk.dossier(&draft).unwrap().status, Status::Signed);

    // A batch with one bad dossier enqueues none of them: `ok` (signed, with its PDFs) stays signed.
    let (ok, _) = signed_dossier(&desk, 1, 2_000, false);
    let ok_job = desk.queue().unwrap().last().unwrap().id;
    desk.cancel_job(ok_job, "test").unwrap();
    assert_eq!(desk.dossier(&ok).unwrap().status, Status::Signed);
    let before = desk.queue().unwrap().len();
    let err = desk.submit_many(&[&ok, &draft], "test").unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequiredField);
    assert_eq!(desk.queue().unwrap().len(), before);
    assert_eq!(desk.dossier(&ok).unwrap().status, Status::Signed);
    // Alone it goes in.
    desk.submit_many(&[&ok], "test").unwrap();
    assert_eq!(desk.dossier(&ok).unwrap().status, Status::Queued);
    assert!(desk.verify_audit().unwrap().is_intact());
}

#[test]
fn cancel_returns_the_dossier_to_signed_and_retry_needs_a_failed_job() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = desk(tmp.path());
    let (code, _) = signed_dossier(&desk, 0, 2_000, false);
    let id = desk.queue().unwrap()[0].id;
    assert_eq!(
        desk.retry_job(id, "test").unwrap_err().code(),
        ErrorCode::IllegalTransition
    );
    let job = desk.cancel_job(id, "test").unwrap();
    assert_eq!(job.state, JobState::Cancelled);
    assert_eq!(desk.dossier(&code).unwrap().status, Status::Signed);
    // Submitting again makes a new job (the old one stays cancelled, for the record).
    let again = desk.submit(&code, "test").unwrap();
    assert_ne!(again.id, id);
    assert_eq!(desk.queue().unwrap().len(), 2);
}
