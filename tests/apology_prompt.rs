//! The Mẫu 04 prompt and the signed slips (issue 8): which dossiers need an apology slip at a given instant
//! (the working-day window before the original due date, across Tết), issuing one records it in the
//! timeline and takes the dossier off the list, a slip dated after the due date is refused; and both slips,
//! signed by the signing module, verify as VALID with `motcua::verify` against the test PKI — and a
//! tampered copy does not.

mod common;

use std::path::Path;

use common::{CLASSIC_PDF, ROOT_CERT, at, fixture, new_dossier, pki, residence_registration};
use motcua::dossier::Status;
use motcua::dossier::deadline::DeadlineColour;
use motcua::receipt::APOLOGY_ISSUED;
use motcua::verify::{TrustStore, Verdict, VerifyOptions, verify_bytes};
use motcua::{Desk, ErrorCode};

fn desk(dir: &Path) -> Desk {
    let desk = Desk::open(dir).unwrap();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    desk
}

#[test]
fn dossiers_due_within_a_working_day_are_prompted_until_the_slip_is_issued() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    // Received Tuesday 10/02/2026 09:15 (7 working days across Tết): due Thursday 26/02 09:15.
    let tet = desk
        .create_dossier(
            new_dossier("1.004222", "Nguyễn Văn A", at(2026, 2, 10, 9, 15)),
            "clerk",
        )
        .unwrap();
    assert_eq!(tet.due_at, at(2026, 2, 26, 9, 15));
    // Received a day later: due Friday 27/02 09:15.
    let later = desk
        .create_dossier(
            new_dossier("1.004222", "Trần Thị B", at(2026, 2, 11, 9, 15)),
            "clerk",
        )
        .unwrap();
    // A draft is not the office's yet; a withdrawn one is closed.
    desk.create_dossier(
        new_dossier("1.004222", "Bản nháp", at(2026, 2, 10, 9, 15)),
        "clerk",
    )
    .unwrap();
    let withdrawn = desk
        .create_dossier(
            new_dossier("1.004222", "Rút hồ sơ", at(2026, 2, 10, 9, 15)),
            "clerk",
        )
        .unwrap();
    for code in [&tet.code, &later.code] {
        for s in [
            Status::Ready,
            Status::Signed,
            Status::Queued,
            Status::Received,
        ] {
            desk.set_dossier_status(code, s, "clerk").unwrap();
        }
    }
    desk.set_dossier_status(&withdrawn.code, Status::Withdrawn, "clerk")
        .unwrap();

    let codes = |now| -> Vec<String> {
        desk.apology_candidates(now)
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect()
    };
    // During Tết nothing is close: 1575 working minutes left.
    assert!(codes(at(2026, 2, 18, 10, 0)).is_empty());
    // Tuesday 24/02 10:00: 915 left for the first (more than a day) → none yet.
    assert!(codes(at(2026, 2, 24, 10, 0)).is_empty());
    // Wednesday 25/02 10:00: 435 left (yellow) for the first; the second still has 915.
    let list = desk.apology_candidates(at(2026, 2, 25, 10, 0)).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].code, tet.code);
    assert_eq!(list[0].remaining_minutes, 435);
    assert_eq!(list[0].colour, DeadlineColour::Yellow);
    // Thursday 26/02 08:00: the first (75 minutes left, orange); the second has more than a day left.
    let list = desk.apology_candidates(at(2026, 2, 26, 8, 0)).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].remaining_minutes, 75);
    assert_eq!(list[0].colour, DeadlineColour::Orange);
    // 10:00: the first is past its due time and can no longer get a slip; the second is within a day.
    assert_eq!(codes(at(2026, 2, 26, 10, 0)), vec![later.code.clone()]);

    // Issuing the slip on Wednesday records it in the timeline and clears the prompt.
    let pdf = dir.path().join("mau04.pdf");
    let new_due = desk
        .issue_apology(
            &tet.code,
            "Chờ xác minh của công an phường.",
            2,
            Some(at(2026, 2, 25, 10, 0)),
            &pdf,
            "clerk",
        )
        .unwrap();
    assert_eq!(new_due, at(2026, 3, 2, 9, 15));
    let timeline = desk.timeline(&tet.code).unwrap();
    let entry = timeline
        .iter()
        .find(|e| e.action == APOLOGY_ISSUED)
        .unwrap();
    assert_eq!(
        entry.after.as_ref().unwrap()["new_due"],
        "2026-03-02 09:15:00"
    );
    assert!(codes(at(2026, 2, 26, 8, 0)).is_empty());
    // The second dossier's slip, dated after its due time, is refused and not recorded.
    let late = desk
        .issue_apology(
            &later.code,
            "Quá hạn.",
            1,
            Some(at(2026, 2, 27, 9, 16)),
            &dir.path().join("late.pdf"),
            "clerk",
        )
        .unwrap_err();
    assert_eq!(late.code(), ErrorCode::ApologyAfterDue);
    assert!(
        !desk
            .timeline(&later.code)
            .unwrap()
            .iter()
            .any(|e| e.action == APOLOGY_ISSUED)
    );
}

fn trusted() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    VerifyOptions { trust }
}

fn sign(pdf: &Path) -> Vec<u8> {
    let input = std::fs::read(pdf).unwrap();
    let options = motcua::sign::SignOptions {
        reason: Some("Bộ phận một cửa".into()),
        ..motcua::sign::SignOptions::default()
    };
    let signed =
        motcua::sign::sign_pdf(&input, &common::p12_signer("signer-rsa2048.p12"), &options)
            .unwrap();
    assert!(signed.starts_with(&input), "signing appends a revision");
    signed
}

#[test]
fn both_slips_signed_by_the_signing_module_verify_with_motcua_verify() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let dossier = desk
        .create_dossier(
            new_dossier("1.004222", "Phạm Thị C", at(2026, 3, 2, 9, 0)),
            "Trần Văn Bình",
        )
        .unwrap();
    let mau01 = dir.path().join("mau01.pdf");
    desk.issue_receipt(&dossier.code, 2, &mau01, "Trần Văn Bình")
        .unwrap();
    let mau04 = dir.path().join("mau04.pdf");
    desk.issue_apology(
        &dossier.code,
        "Chờ ý kiến phòng chuyên môn.",
        1,
        Some(at(2026, 3, 10, 9, 0)),
        &mau04,
        "Trần Văn Bình",
    )
    .unwrap();
    let options = trusted();
    for pdf in [&mau01, &mau04] {
        let signed = sign(pdf);
        let report = verify_bytes(&signed, "slip.pdf", &options);
        assert_eq!(report.signatures.len(), 1, "{report:#?}");
        let sig = &report.signatures[0];
        assert!(sig.intact && sig.valid && sig.trusted, "{report:#?}");
        assert!(sig.whole_document);
        assert!(
            matches!(report.verdict, Verdict::Valid | Verdict::ValidWithWarnings),
            "{report:#?}"
        );
        // One byte of the signed slip changed (inside the first revision's content): no longer valid.
        let mut tampered = signed.clone();
        let i = tampered.len() / 4;
        tampered[i] ^= 0x01;
        let report = verify_bytes(&tampered, "tampered.pdf", &options);
        assert!(
            matches!(report.verdict, Verdict::Invalid | Verdict::Indeterminate),
            "{report:#?}"
        );
    }
    // An unrelated signed PDF from the fixtures still verifies the same way (the trust set is sound).
    let other = sign(&fixture(CLASSIC_PDF));
    assert_eq!(
        verify_bytes(&other, "classic.pdf", &options)
            .signatures
            .len(),
        1
    );
}
