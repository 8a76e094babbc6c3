//! The Hồ sơ list's deadlines (`Desk::dossier_deadlines`, one scan of migration 3's columns) on dossiers with
//! known outcomes — the Tết dossier of `deadline_colours.rs` (yellow, then orange), one paused in status 5
//! across Tết (green, due moved to 03/03 07:15), one long overdue (red), one re-appointed by Mẫu 04 — and
//! the same values as the per-dossier audit replay (`Desk::deadline_of`).

mod common;

use common::{at, new_dossier, residence_registration};
use motcua::Desk;
use motcua::dossier::Status;
use motcua::dossier::deadline::DeadlineColour;

#[test]
fn list_deadlines_match_known_values_and_the_audit_replay() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    let create = |name: &str, received| {
        desk.create_dossier(new_dossier("1.004222", name, received), "clerk")
            .unwrap()
    };
    // 7 working days from Tuesday 10/02/2026 09:15: due Thursday 26/02 09:15 (Tết 14–22/02 skipped).
    let tet = create("Trần Văn Tết", at(2026, 2, 10, 9, 15));
    assert_eq!(tet.due_at, at(2026, 2, 26, 9, 15));
    let paused = create("Lê Thị Chờ", at(2026, 2, 10, 9, 15));
    let overdue = create("Bùi Thị Xuân", at(2026, 1, 5, 9, 0));
    let reappointed = create("Võ Văn Hẹn", at(2026, 2, 10, 9, 15));

    let walk = [
        (Status::Ready, at(2026, 2, 10, 9, 15)),
        (Status::Signed, at(2026, 2, 10, 9, 15)),
        (Status::Queued, at(2026, 2, 10, 9, 15)),
        (Status::Received, at(2026, 2, 10, 9, 15)),
        (Status::Processing, at(2026, 2, 10, 10, 0)),
        (Status::SupplementRequested, at(2026, 2, 11, 14, 0)),
        (Status::Processing, at(2026, 2, 23, 10, 0)),
    ];
    for (status, when) in walk {
        desk.set_dossier_status_effective(&paused.code, status, when, "clerk")
            .unwrap();
    }
    let pdf = dir.path().join("mau04.pdf");
    let new_due = desk
        .issue_apology(
            &reappointed.code,
            "Chờ xác minh.",
            3,
            Some(at(2026, 2, 24, 9, 0)),
            &pdf,
            "clerk",
        )
        .unwrap();
    // Three working days after 26/02 09:15.
    assert_eq!(new_due, at(2026, 3, 3, 9, 15));

    // Wednesday 25/02 10:00.
    let now = at(2026, 2, 25, 10, 0);
    let list = desk.dossier_deadlines(now).unwrap();
    assert_eq!(list.len(), 4);
    // 3360 − 345 − 3 × 480 (11–13/02) − 3 × 480 (23–25/02 until 10:00 counts 180 on 25/02) = 435.
    assert_eq!(list[&tet.code].remaining_minutes, 435);
    assert_eq!(list[&tet.code].colour, DeadlineColour::Yellow);
    // 7 × 480 from 05/01 09:00 ends 14/01 09:00; by 25/02 10:00 it is long overdue.
    assert_eq!(list[&overdue.code].colour, DeadlineColour::Red);
    assert!(list[&overdue.code].remaining_minutes < -20 * 480);
    // Paused 1320 minutes (see deadline_colours.rs): due moves to Tuesday 03/03 07:15.
    assert_eq!(list[&paused.code].paused_minutes, 1320);
    assert_eq!(list[&paused.code].effective_due, at(2026, 3, 3, 7, 15));
    assert_eq!(list[&paused.code].colour, DeadlineColour::Green);
    assert_eq!(list[&paused.code].remaining_minutes, 435 + 1320);
    // Mẫu 04 moved the due time to 03/03 09:15: 435 + 3 × 480 left.
    assert_eq!(list[&reappointed.code].effective_due, new_due);
    assert_eq!(list[&reappointed.code].remaining_minutes, 435 + 3 * 480);
    assert_eq!(list[&reappointed.code].colour, DeadlineColour::Green);

    // Thursday 26/02 08:00: the Tết dossier is due today.
    let morning = desk.dossier_deadlines(at(2026, 2, 26, 8, 0)).unwrap();
    assert_eq!(morning[&tet.code].colour, DeadlineColour::Orange);
    assert_eq!(morning[&tet.code].remaining_minutes, 75);

    // The one scan agrees with the audit replay for every dossier.
    for dossier in desk.dossiers().unwrap() {
        for when in [now, at(2026, 2, 26, 8, 0), at(2026, 3, 10, 12, 0)] {
            let replay = desk.deadline_of(&dossier, when).unwrap();
            let scanned = desk.dossier_deadlines(when).unwrap()[&dossier.code];
            assert_eq!(scanned, replay, "{} at {when}", dossier.code);
        }
    }
}
