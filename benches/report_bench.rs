//! `make bench-report`: the period report (issue 8, "a report over 1,000,000 dossiers in under 2 s") on a
//! generated database, side by side with the audit-log replay it replaced, in one run.
//!
//! The database is generated once into `target/bench-report/` (reused while the generator's version and
//! size match): 60 procedures (same-day to 20 working days), 12 clerks, two years of receipts on working
//! days and some Saturdays (the shipped calendar: Tết 2025 and 2026, 30/4, 2/9…), channels, the full status
//! walk with status-5 pauses, finished early / on time / late, withdrawn and refused, apology slips,
//! payments, postal returns, documents and results. Rows go in through SQL in one transaction, and the
//! status changes and apology slips as audit-log rows, so migration 3's triggers build the report's
//! columns exactly as the application's writes do. (The generated audit rows carry no hash chain:
//! `motcua audit verify` is not part of what is measured.)
//!
//! Measured: `Desk::report` over the whole range (1,000,000 dossiers) and over one month, and
//! `Desk::report_by_replaying_audit` over the same month; medians, printed as Markdown with the build
//! profile and the machine's load average before and after (the figures only mean something from an
//! optimised build: `cargo bench` builds the `bench` profile, which inherits `release`; a debug build says
//! so in its first line).

use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use motcua::Desk;
use motcua::calendar::{ProcessingTime, WorkingCalendar};
use motcua::catalog::{Fee, Level, Procedure, RequiredDocument};
use motcua::dossier::deadline::WorkingClock;
use motcua::report::clock::DayTable;
use rusqlite::params;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const GENERATOR_VERSION: u32 = 2;
const CLERKS: [&str; 12] = [
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Văn Nam",
    "Nguyễn Thị Hoa",
    "Hoàng Văn Đức",
    "Vũ Thị Lan",
    "Đặng Văn Hùng",
    "Bùi Thị Thu",
    "Đỗ Văn Long",
    "Hồ Thị Ngọc",
    "Ngô Văn Phúc",
    "Dương Thị Yến",
];

/// SplitMix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn procedures() -> Vec<Procedure> {
    let times = [0u32, 0, 1, 3, 3, 5, 5, 7, 7, 10, 15, 20];
    (0..60)
        .map(|i| Procedure {
            code: format!("1.{:06}", 1000 + i * 37),
            name: format!("Thủ tục hành chính mẫu số {}", i + 1),
            level: Level::Commune,
            field: ["Hộ tịch", "Cư trú", "Đất đai", "Xây dựng", "Kinh doanh"][i % 5].to_owned(),
            processing_time: match times[i % times.len()] {
                0 => ProcessingTime::same_day(),
                days => ProcessingTime::WorkingDays { days },
            },
            documents: (0..2)
                .map(|d| RequiredDocument {
                    code: format!("TP{}", d + 1),
                    name: format!("Giấy tờ số {}", d + 1),
                    originals: 1,
                    certified_copies: 0,
                    photocopies: 0,
                    mandatory: true,
                })
                .collect(),
            fees: vec![Fee {
                name: "Lệ phí".to_owned(),
                amount_vnd: [0, 10_000, 20_000, 50_000][i % 4],
            }],
            sample: true,
        })
        .collect()
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn utc(t: NaiveDateTime) -> String {
    (t - TimeDelta::hours(7))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Generates `count` dossiers into a fresh store in `dir`.
fn generate(dir: &Path, count: u64, first: NaiveDate, last: NaiveDate) {
    let procs = procedures();
    {
        let desk = Desk::open(dir).unwrap();
        desk.with_store(|s| s.import_procedures(&procs, "bench"))
            .unwrap();
    }
    let calendar = WorkingCalendar::vietnam_with_shipped_overrides().unwrap();
    let table = DayTable::new(&calendar, first, last + TimeDelta::days(120));
    let mut conn = rusqlite::Connection::open(dir.join("motcua.sqlite3")).unwrap();
    // A generated file: no journal, no syncing (Store::open puts WAL back on).
    conn.pragma_update(None, "journal_mode", "OFF").unwrap();
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    let blobs: Vec<String> = (0..16).map(|i| format!("{:064x}", i + 1)).collect();
    for sha in &blobs {
        tx.execute(
            "INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (?1, 1000, 'application/pdf', '2025-01-01T00:00:00Z')",
            [sha],
        )
        .unwrap();
    }
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| calendar.is_working_day(*d) || d.weekday() == Weekday::Sat)
        .collect();
    let mut rng = Rng(0x4D6F_7443_7561);
    let mut seq: i64 = tx
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut insert_dossier = tx
        .prepare(
            "INSERT INTO dossiers (id, code, agency, procedure_code, procedure_name, applicant, applicant_name,
                citizen_id, channel, result_return, received_at, due_at, status, fees, notes, created_by,
                updated_at, payment_method, payment_receipt, paid_at, postal_address, postal_tracking,
                postal_sent_at, postal_delivered_at, result_sha256, result_source, result_at)
             VALUES (?1, ?2, '000.00.06.H56', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, '', ?14,
                '2026-11-27T00:00:00Z', ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        )
        .unwrap();
    let mut insert_document = tx
        .prepare(
            "INSERT INTO dossier_documents (dossier_id, ordinal, code, name, mandatory, originals,
                certified_copies, photocopies, pdf_sha256) VALUES (?1, ?2, ?3, ?4, 1, 1, 0, 0, ?5)",
        )
        .unwrap();
    let mut insert_audit = tx
        .prepare(
            "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, '', '')",
        )
        .unwrap();
    let mut per_day: std::collections::HashMap<NaiveDate, u32> = Default::default();
    // Receipt instants in time order, as a counter creates them.
    let mut instants: Vec<NaiveDateTime> = (0..count)
        .map(|_| {
            let day = days[rng.below(days.len() as u64) as usize];
            let minute = 7 * 60 + 30 + rng.below(9 * 60 + 30) as u32;
            day.and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or_default())
        })
        .collect();
    instants.sort();
    for (n, received) in instants.into_iter().enumerate() {
        let n = n as u64;
        let day = received.date();
        let p = &procs[rng.below(procs.len() as u64) as usize];
        let due = calendar.due_at(received, p.processing_time);
        let sequence = per_day.entry(day).or_default();
        *sequence += 1;
        let code = format!("000.00.06.H56-{}-{:05}", day.format("%y%m%d"), sequence);
        let id = format!("{n:032x}");
        let clerk = CLERKS[rng.below(CLERKS.len() as u64) as usize];
        let channel = match rng.below(100) {
            0..55 => "counter",
            55..90 => "online",
            _ => "postal",
        };
        let actor = if channel == "online" { "portal" } else { clerk };
        let post = rng.chance(15);
        let entity = format!("dossier:{code}");
        // The status walk, with effective local times.
        let budget = table.working_minutes_between(received, due).max(60);
        let start = table.add_working_minutes(received, 15);
        let mut changes: Vec<(NaiveDateTime, &str)> = ["ready", "signed", "queued", "received"]
            .iter()
            .map(|s| (start, *s))
            .collect();
        let mut status;
        let mut finished_at = None;
        let horizon = last.and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default());
        let fate = rng.below(100);
        if fate < 4 {
            changes.push((table.add_working_minutes(start, 30), "not_accepted"));
            status = "not_accepted";
        } else if fate < 8 {
            changes.push((table.add_working_minutes(start, 30), "withdrawn"));
            status = "withdrawn";
        } else {
            let mut t = table.add_working_minutes(start, 30);
            changes.push((t, "processing"));
            status = "processing";
            let mut paused = 0;
            if rng.chance(12) {
                let pause = 240 + rng.below(5 * 480) as i64;
                let resume = table.add_working_minutes(t, pause);
                changes.push((t, "supplement_requested"));
                status = "supplement_requested";
                if resume < horizon {
                    changes.push((resume, "processing"));
                    status = "processing";
                    t = resume;
                    paused = pause;
                }
            }
            if status == "processing" {
                // 0.3–1.3 of the budget: most on time, some early, some late.
                let used = budget * (30 + rng.below(101) as i64) / 100;
                let done = table.add_working_minutes(received, used + paused).max(t);
                if done < horizon {
                    changes.push((done, "processed"));
                    status = "processed";
                    finished_at = Some(done);
                    let back = table.add_working_minutes(done, 60 + rng.below(960) as i64);
                    if back < horizon {
                        changes.push((back, "returned"));
                        status = "returned";
                    }
                }
            }
        }
        let payment = if rng.chance(60) {
            Some(match rng.below(100) {
                0..40 => "online",
                40..85 => "cash",
                85..95 => "transfer",
                _ => "exempt",
            })
        } else {
            None
        };
        let paid_at = payment.map(|_| local(start));
        let receipt = payment.filter(|m| *m != "exempt").map(|_| format!("BL{n}"));
        let sent = finished_at
            .filter(|_| post)
            .map(|t| table.add_working_minutes(t, 120));
        let delivered = sent
            .filter(|_| rng.chance(80))
            .map(|t| table.add_working_minutes(t, 960));
        let result = finished_at
            .filter(|_| rng.chance(70))
            .map(|_| &blobs[rng.below(blobs.len() as u64) as usize]);
        let applicant = format!(
            r#"{{"full_name":"Nguyễn Văn Dân {n}","citizen_id":"0010900{:05}","date_of_birth":null,"phone":"","address":"Hà Nội","email":"","kind":"citizen"}}"#,
            n % 100_000
        );
        insert_dossier
            .execute(params![
                id,
                code,
                p.code,
                p.name,
                applicant,
                format!("Nguyễn Văn Dân {n}"),
                format!("0010900{:05}", n % 100_000),
                channel,
                if post { "post" } else { "counter" },
                local(received),
                local(due),
                status,
                serde_json::to_string(&p.fees).unwrap_or_default(),
                actor,
                payment,
                receipt,
                paid_at,
                post.then_some("Số 1 phố Huế, Hà Nội"),
                sent.map(|_| format!("EL{n:09}VN")),
                sent.map(local),
                delivered.map(local),
                result,
                result.map(|_| "portal"),
                finished_at.filter(|_| result.is_some()).map(local),
            ])
            .unwrap();
        let digitised = rng.chance(85);
        for (d, sha) in blobs.iter().take(2).enumerate() {
            insert_document
                .execute(params![
                    id,
                    d as i64,
                    format!("TP{}", d + 1),
                    format!("Giấy tờ số {}", d + 1),
                    digitised.then_some(sha),
                ])
                .unwrap();
        }
        seq += 1;
        insert_audit
            .execute(params![
                seq,
                utc(received),
                actor,
                "dossier.create",
                entity,
                format!(r#"{{"code":"{code}"}}"#)
            ])
            .unwrap();
        for (at, to) in &changes {
            seq += 1;
            insert_audit
                .execute(params![
                    seq,
                    utc(*at),
                    actor,
                    "dossier.status",
                    entity,
                    format!(r#"{{"status":"{to}"}}"#)
                ])
                .unwrap();
        }
        // Apology slips for a few of the late ones, dated the day before the due date.
        if finished_at.is_some_and(|f| f > due) && rng.chance(30) {
            let new_due = calendar.due_at(due, ProcessingTime::WorkingDays { days: 3 });
            seq += 1;
            insert_audit
                .execute(params![
                    seq,
                    utc(due - TimeDelta::days(1)),
                    clerk,
                    "apology.issued",
                    entity,
                    format!(r#"{{"new_due":"{}"}}"#, local(new_due))
                ])
                .unwrap();
        }
        if n % 100_000 == 99_999 {
            eprintln!("  {} dossiers…", n + 1);
        }
    }
    tx.execute(
        "UPDATE audit_head SET count = (SELECT count(*) FROM audit_log) WHERE id = 1",
        [],
    )
    .unwrap();
    drop(insert_dossier);
    drop(insert_document);
    drop(insert_audit);
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// This process's CPU time (user + system) in seconds, from /proc/self/stat (clock ticks of 10 ms): on a
/// shared machine it is steadier than wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the command name: state is field 0, utime field 11, stime field 12.
    (ticks(11) + ticks(12)) / 100.0
}

/// Median wall time and median CPU time of `runs` calls, and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), cpu_seconds());
        last = Some(f());
        wall.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - start_cpu);
    }
    (median(wall), median(cpu), last.unwrap())
}

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let profile = if cfg!(debug_assertions) {
        "DEBUG build: not a measurement, run `make bench-report`"
    } else {
        "optimised build (bench profile = release)"
    };
    let load_before = load_average();
    let count: u64 = std::env::var("MOTCUA_BENCH_DOSSIERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let dir = Path::new(ROOT).join(format!("target/bench-report/db-{count}"));
    let marker = dir.join(format!("generated-v{GENERATOR_VERSION}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        eprintln!("generating {count} dossiers into {} …", dir.display());
        let start = Instant::now();
        generate(&dir, count, first, last);
        eprintln!("generated in {:.1} s", start.elapsed().as_secs_f64());
        std::fs::write(&marker, b"").unwrap();
    }
    let size = std::fs::metadata(dir.join("motcua.sqlite3"))
        .map(|m| m.len())
        .unwrap_or(0);
    let desk = Desk::open(&dir).unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let (all_time, all_cpu, all) = time(3, || desk.report(first, last, now).unwrap());
    let month = (
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let (month_time, month_cpu, month_report) =
        time(3, || desk.report(month.0, month.1, now).unwrap());
    let (replay_time, replay_cpu, replayed) = time(1, || {
        desk.report_by_replaying_audit(month.0, month.1, now)
            .unwrap()
    });
    let same = replayed.total.values()[..11] == month_report.total.values()[..11];
    let dossiers = all.total.received as f64;
    println!(
        "### Report over generated dossiers ({count} dossiers, {:.0} MB database)",
        size as f64 / 1e6
    );
    println!(
        "{profile}; {} cores; load average {load_before} before, {} after\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!("| measurement | dossiers | median wall time | median CPU time |");
    println!("|---|---|---|---|");
    println!(
        "| `Desk::report`, whole range {first} – {last} (3 runs) | {} | {all_time:.3} s | {all_cpu:.2} s |",
        all.total.received
    );
    println!(
        "| `Desk::report`, March 2026 (3 runs) | {} | {month_time:.3} s | {month_cpu:.2} s |",
        month_report.total.received
    );
    println!(
        "| `Desk::report_by_replaying_audit`, March 2026 (1 run) | {} | {replay_time:.3} s | {replay_cpu:.2} s |",
        replayed.total.received
    );
    println!(
        "\nReplay extrapolated to the whole range: {:.1} s; same figures for March: {same}; {} procedures, {} clerks in the report.",
        replay_time * dossiers / replayed.total.received.max(1) as f64,
        all.by_procedure.len(),
        all.by_clerk.len()
    );
    println!(
        "Totals: finished early {} / on time {} / late {}, in process on time {} / late {}, withdrawn or refused {}, apology slips {}, paid {} (online {}), by post {}, digitised {}.",
        all.total.finished_early,
        all.total.finished_on_time,
        all.total.finished_late,
        all.total.in_process_on_time,
        all.total.in_process_late,
        all.total.withdrawn_or_refused,
        all.total.apologies,
        all.total.paid,
        all.total.paid_online,
        all.total.returned_by_post,
        all.total.digitized
    );
    assert!(same, "the report and the replay disagree for March");
}
