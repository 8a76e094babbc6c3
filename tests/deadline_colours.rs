//! Deadline traffic lights over dossiers with known outcomes: one spanning Tết 2026 (14–22 February, shipped
//! calendar decisions), one received on a Friday afternoon (weekend), one paused in status 5 across Tết,
//! finished ones; then the same rules through a real store, where the pauses come from the audit trail.
//! Every expected minute count is worked out by hand in the comments.

mod common;

use chrono::{NaiveDateTime, TimeDelta};
use common::{at, new_dossier, residence_registration};
use motcua::Desk;
use motcua::calendar::{ProcessingTime, WorkingCalendar};
use motcua::dossier::Status;
use motcua::dossier::deadline::{DeadlineColour, StatusChange, deadline, remaining_vi};

const ONE_DAY: i64 = 480;

fn calendar() -> WorkingCalendar {
    WorkingCalendar::vietnam_with_shipped_overrides().unwrap()
}

fn change(at: NaiveDateTime, to: Status) -> StatusChange {
    StatusChange { at, to }
}

/// Residence registration, 7 working days, received Tuesday 10/02/2026 09:15: due Thursday 26/02 09:15
/// (11, 12, 13 February, then 23–26 after Tết).
fn tet_dossier() -> (NaiveDateTime, NaiveDateTime) {
    let received = at(2026, 2, 10, 9, 15);
    let due = calendar().due_at(received, ProcessingTime::WorkingDays { days: 7 });
    assert_eq!(due, at(2026, 2, 26, 9, 15));
    (received, due)
}

#[test]
fn tet_does_not_consume_time_and_colours_follow_the_due_date() {
    let cal = calendar();
    let (received, due) = tet_dossier();
    let state = |now| deadline(&cal, received, due, &[], now, ONE_DAY);

    // Friday 13/02 17:00: used 345 (10/02) + 3 × 480 = 1785 of 3360.
    let before_tet = state(at(2026, 2, 13, 17, 0));
    assert_eq!(before_tet.remaining_minutes, 3360 - 1785);
    assert_eq!(before_tet.colour, DeadlineColour::Green);
    // The last day of Tết: nothing more used.
    let during_tet = state(at(2026, 2, 22, 12, 0));
    assert_eq!(during_tet.remaining_minutes, before_tet.remaining_minutes);
    assert_eq!(during_tet.colour, DeadlineColour::Green);
    // Wednesday 25/02 10:00: 1575 − 480 − 480 − 180 = 435 ≤ one day → yellow (due tomorrow).
    let yellow = state(at(2026, 2, 25, 10, 0));
    assert_eq!(yellow.remaining_minutes, 435);
    assert_eq!(yellow.colour, DeadlineColour::Yellow);
    // Thursday 26/02 08:00 and exactly at 09:15: due today → orange.
    assert_eq!(state(at(2026, 2, 26, 8, 0)).remaining_minutes, 75);
    assert_eq!(state(at(2026, 2, 26, 8, 0)).colour, DeadlineColour::Orange);
    assert_eq!(state(at(2026, 2, 26, 9, 15)).colour, DeadlineColour::Orange);
    // 10:00: 45 minutes late → red.
    let late = state(at(2026, 2, 26, 10, 0));
    assert_eq!(late.remaining_minutes, -45);
    assert_eq!(late.colour, DeadlineColour::Red);
    assert_eq!(
        remaining_vi(late.remaining_minutes, ONE_DAY),
        "quá hạn 45 phút"
    );
    assert!(!late.stopped && !late.paused);
}

#[test]
fn a_weekend_is_not_due_today() {
    let cal = calendar();
    // Friday 06/03/2026 16:00, one working day: due Monday 09/03 16:00.
    let received = at(2026, 3, 6, 16, 0);
    let due = cal.due_at(received, ProcessingTime::WorkingDays { days: 1 });
    assert_eq!(due, at(2026, 3, 9, 16, 0));
    let saturday = deadline(&cal, received, due, &[], at(2026, 3, 7, 10, 0), ONE_DAY);
    assert_eq!(saturday.remaining_minutes, 420);
    assert_eq!(saturday.colour, DeadlineColour::Yellow);
    let monday = deadline(&cal, received, due, &[], at(2026, 3, 9, 8, 0), ONE_DAY);
    assert_eq!(monday.colour, DeadlineColour::Orange);
    // A two-day warning window makes Friday evening yellow too; a zero window leaves it green.
    let friday = at(2026, 3, 6, 17, 0);
    assert_eq!(
        deadline(&cal, received, due, &[], friday, 0).colour,
        DeadlineColour::Green
    );
    assert_eq!(
        deadline(&cal, received, due, &[], friday, 2 * ONE_DAY).colour,
        DeadlineColour::Yellow
    );
}

#[test]
fn time_in_status_5_does_not_count_and_moves_the_due_date() {
    let cal = calendar();
    let (received, due) = tet_dossier();
    let changes = [
        change(at(2026, 2, 10, 9, 15), Status::Received),
        change(at(2026, 2, 10, 10, 0), Status::Processing),
        change(at(2026, 2, 11, 14, 0), Status::SupplementRequested),
        change(at(2026, 2, 23, 10, 0), Status::Processing),
    ];
    // While paused (during Tết): only 345 (10/02) + 300 (11/02 until 14:00) were used.
    let paused = deadline(
        &cal,
        received,
        due,
        &changes,
        at(2026, 2, 20, 9, 0),
        ONE_DAY,
    );
    assert!(paused.paused);
    assert_eq!(paused.remaining_minutes, 3360 - 345 - 300);

    // Paused 11/02 14:00–17:00 (180) + 12/02 + 13/02 (960) + 23/02 07:00–10:00 (180) = 1320 minutes,
    // so the due time moves from 26/02 09:15 by 345 + 480 + 480 + 15: Tuesday 03/03 07:15.
    let state = deadline(
        &cal,
        received,
        due,
        &changes,
        at(2026, 2, 26, 10, 0),
        ONE_DAY,
    );
    assert_eq!(state.paused_minutes, 1320);
    assert_eq!(state.effective_due, at(2026, 3, 3, 7, 15));
    // Without the pause this instant is red (−45); with it 1275 minutes remain.
    assert_eq!(state.remaining_minutes, -45 + 1320);
    assert_eq!(state.colour, DeadlineColour::Green);
    assert!(!state.paused);
}

#[test]
fn finishing_stops_the_clock_and_keeps_the_verdict() {
    let cal = calendar();
    let (received, due) = tet_dossier();
    let late = [
        change(at(2026, 2, 10, 10, 0), Status::Processing),
        change(at(2026, 2, 26, 11, 0), Status::Processed),
    ];
    // Finished 26/02 11:00: 105 minutes late; a month later it is still exactly that.
    let a = deadline(&cal, received, due, &late, at(2026, 2, 26, 11, 0), ONE_DAY);
    let b = deadline(&cal, received, due, &late, at(2026, 3, 30, 9, 0), ONE_DAY);
    assert_eq!(a, b);
    assert!(b.stopped);
    assert_eq!(b.remaining_minutes, -105);
    assert_eq!(b.colour, DeadlineColour::Red);

    let early = [
        change(at(2026, 2, 10, 10, 0), Status::Processing),
        change(at(2026, 2, 23, 15, 0), Status::Processed),
        change(at(2026, 2, 24, 8, 0), Status::Returned),
    ];
    let c = deadline(&cal, received, due, &early, at(2026, 3, 30, 9, 0), ONE_DAY);
    assert!(c.stopped);
    assert_eq!(c.evaluated_at, at(2026, 2, 23, 15, 0));
    assert_eq!(c.colour, DeadlineColour::Green);
}

#[test]
fn store_derives_the_pause_from_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    let received = motcua::vietnam_now() - TimeDelta::days(1);
    let dossier = desk
        .create_dossier(new_dossier("1.004222", "Phạm Thu Hà", received), "clerk")
        .unwrap();
    for status in [
        Status::Ready,
        Status::Signed,
        Status::Queued,
        Status::Received,
        Status::Processing,
        Status::SupplementRequested,
    ] {
        desk.set_dossier_status(&dossier.code, status, "clerk")
            .unwrap();
    }
    // A week later, still waiting for the applicant's documents.
    let later = motcua::vietnam_now() + TimeDelta::days(7);
    let state = desk.deadline_of(&dossier, later).unwrap();
    let unpaused = deadline(
        desk.calendar().as_ref(),
        dossier.received_at,
        dossier.due_at,
        &[],
        later,
        ONE_DAY,
    );
    assert!(state.paused);
    assert!(state.paused_minutes >= 4 * ONE_DAY, "{state:?}");
    assert_eq!(
        state.remaining_minutes,
        unpaused.remaining_minutes + state.paused_minutes
    );

    // An apology slip re-appoints the result: the deadline follows its new due time.
    let pdf = dir.path().join("mau04.pdf");
    let issued = dossier.due_at.min(motcua::vietnam_now());
    let new_due = desk
        .issue_apology(
            &dossier.code,
            "Chờ xác minh.",
            3,
            Some(issued),
            &pdf,
            "clerk",
        )
        .unwrap();
    let after = desk.deadline_of(&dossier, later).unwrap();
    assert_eq!(
        after.effective_due,
        desk.calendar()
            .add_working_minutes(new_due, after.paused_minutes)
    );
}

/// Regression: a due time at closing (17:00) was moved to the next morning even with no pause, so the
/// list showed the wrong appointment and a dossier due today looked green.
#[test]
fn due_at_closing_time_is_not_moved_when_nothing_was_paused() {
    let cal = calendar();
    // Same-day procedure received Monday 02/03/2026 09:00: due 17:00 that day.
    let received = at(2026, 3, 2, 9, 0);
    let due = cal.due_at(received, ProcessingTime::same_day());
    assert_eq!(due, at(2026, 3, 2, 17, 0));
    let state = deadline(&cal, received, due, &[], at(2026, 3, 2, 10, 0), ONE_DAY);
    assert_eq!(state.effective_due, due);
    assert_eq!(state.colour, DeadlineColour::Orange);
}

/// `motcua dossier list --sort due` puts the overdue dossier first and shows the colours; `--json` carries
/// the documented `deadline` object.
#[test]
fn cli_list_sorts_by_time_left_and_shows_colours() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    let recent = desk
        .create_dossier(
            new_dossier("1.004222", "Đặng Văn Lâm", motcua::vietnam_now()),
            "clerk",
        )
        .unwrap();
    let overdue = desk
        .create_dossier(
            new_dossier("1.004222", "Bùi Thị Xuân", at(2026, 1, 5, 9, 0)),
            "clerk",
        )
        .unwrap();
    drop(desk);
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("motcua")
            .unwrap()
            .env("MOTCUA_DATA_DIR", dir.path())
            .args(args)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let json: serde_json::Value =
        serde_json::from_str(&run(&["dossier", "list", "--sort", "due", "--json"])).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list[0]["code"], overdue.code.as_str());
    assert_eq!(list[0]["deadline"]["colour"], "red");
    assert!(list[0]["deadline"]["remaining_minutes"].as_i64().unwrap() < 0);
    assert_eq!(list[1]["code"], recent.code.as_str());
    assert_eq!(list[1]["deadline"]["colour"], "green");
    let text = run(&["dossier", "list", "--sort", "due"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains(&overdue.code) && lines[0].contains(" đỏ "),
        "{text}"
    );
    assert!(lines[0].contains("quá hạn"), "{text}");
    assert!(
        lines[1].contains(&recent.code) && lines[1].contains(" xanh "),
        "{text}"
    );
}
