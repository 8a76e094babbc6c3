//! The outbox as the desktop app runs it (`motcua::sync::QueueService`): against the real sandbox portal,
//! queued dossiers are accepted without anyone calling `run`, the status reports online and the count of
//! waiting dossiers, pause holds new jobs until resume, stopping the portal turns the status offline and
//! starting it again drains what was queued meanwhile; shutdown ends both threads. Without settings the
//! status says "not configured" instead of failing.

mod sync_support;

use motcua::Desk;
use motcua::sync::{Connectivity, Event, QueueService, QueueStatus, ServiceEvent};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use sync_support::*;

/// Guard against a hang, not a performance limit: every wait below normally ends in well under a second.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// Reads events until `want` matches one; returns it. Panics (listing what came) if none does in time.
fn wait_for(
    rx: &Receiver<ServiceEvent>,
    what: &str,
    want: impl Fn(&ServiceEvent) -> bool,
) -> ServiceEvent {
    let deadline = Instant::now() + HANG_GUARD;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(event) if want(&event) => return event,
            Ok(event) => seen.push(event),
            Err(_) => break,
        }
    }
    panic!("no event {what}; got {seen:#?}");
}

fn status(event: &ServiceEvent) -> Option<&QueueStatus> {
    match event {
        ServiceEvent::Status { status } => Some(status),
        _ => None,
    }
}

fn accepted(event: &ServiceEvent, code: &str) -> bool {
    matches!(event, ServiceEvent::Job { event: Event::Accepted { dossier, .. } } if dossier == code)
}

#[test]
fn the_service_drains_the_queue_reports_online_offline_and_pauses() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    // SAFETY: set before any thread of this test binary reads the environment (this file has one test
    // that touches it; the service threads start below).
    unsafe { std::env::set_var(TOKEN_VAR, &token) };
    let port = free_port();
    let portal = Portal::start(&portal_dir, port, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let (first, _) = signed_dossier(&desk, 1, 200_000, false);
    let (second, _) = signed_dossier(&desk, 2, 300_000, false);

    let (tx, rx) = channel();
    let service = desk.start_queue_service("test", move |e| {
        let _ = tx.send(e.clone());
    });
    wait_for(&rx, "accepted (first)", |e| accepted(e, &first));
    wait_for(&rx, "accepted (second)", |e| accepted(e, &second));
    wait_for(&rx, "online with nothing waiting", |e| {
        status(e).is_some_and(|s| {
            s.connectivity == Connectivity::Online
                && s.counts.waiting == 0
                && s.counts.accepted == 2
                && s.problem.is_none()
        })
    });

    // Paused: a new dossier waits (and is counted) until resume.
    service.pause();
    wait_for(&rx, "paused", |e| status(e).is_some_and(|s| s.paused));
    let (third, _) = signed_dossier(&desk, 3, 150_000, false);
    service.wake();
    wait_for(&rx, "one waiting while paused", |e| {
        status(e).is_some_and(|s| s.paused && s.counts.waiting == 1)
    });
    assert_eq!(
        desk.queue_counts().unwrap().waiting,
        1,
        "paused: the job stays queued"
    );
    service.resume();
    wait_for(&rx, "accepted (third, after resume)", |e| {
        accepted(e, &third)
    });

    // The portal goes away: offline; a dossier queued meanwhile goes when it is back.
    portal.kill();
    wait_for(&rx, "offline", |e| {
        status(e).is_some_and(|s| s.connectivity == Connectivity::Offline)
    });
    let (fourth, _) = signed_dossier(&desk, 4, 120_000, false);
    wait_for(&rx, "offline with one waiting", |e| {
        status(e).is_some_and(|s| s.connectivity == Connectivity::Offline && s.counts.waiting == 1)
    });
    let _portal = Portal::start(&portal_dir, port, &[]);
    wait_for(&rx, "accepted (fourth, portal back)", |e| {
        accepted(e, &fourth)
    });
    wait_for(&rx, "online again, nothing waiting", |e| {
        status(e).is_some_and(|s| s.connectivity == Connectivity::Online && s.counts.waiting == 0)
    });
    let page = desk.queue_page(0, 10).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.counts.accepted, 4);
    assert!(service.shutdown(Duration::from_secs(10)), "threads ended");
}

#[test]
fn without_settings_the_status_says_not_configured() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = Desk::open(tmp.path()).unwrap();
    let (tx, rx) = channel();
    let service: QueueService = desk.start_queue_service("test", move |e| {
        let _ = tx.send(e.clone());
    });
    let event = wait_for(&rx, "not configured", |e| {
        status(e).is_some_and(|s| s.connectivity == Connectivity::NotConfigured)
    });
    let problem = format!("{:?}", status(&event).unwrap().problem);
    assert!(problem.contains("NotConfigured"), "{problem}");
    assert!(service.shutdown(Duration::from_secs(10)));
}
