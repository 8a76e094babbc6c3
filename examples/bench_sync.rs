//! Outbox benchmarks (issue 7), run by `make bench` in the release profile: enqueueing 10,000 jobs (one
//! batch, single calls from many threads through the group committer, one by one), listing the queue at
//! that size (before/after in the same run), and end-to-end throughput of 1 MB dossiers to the sandbox portal on loopback
//! (upload + submit + acknowledgement). Prints one line per measure; results go to BENCHMARKS.md.
//!
//! Needs `motcua-portal` built (`cargo build -p motcua-portal`; the release one is used when present).

#[path = "../tests/support/signed_pdf.rs"]
mod signed_pdf;

/// The tests' fault-injecting proxy, here for its bandwidth limit, a connection cut and its byte count.
#[allow(dead_code)]
#[path = "../tests/sync_support/proxy.rs"]
mod proxy;

use motcua::Desk;
use motcua::dossier::{Applicant, ApplicantKind, Channel, NewDossier, ResultReturn, Status};
use motcua::sync::{self, RunOptions, SyncConfig};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const OFFICE: &str = "000.00.06.H56";

fn main() {
    let jobs: usize = arg("BENCH_JOBS", 10_000);
    let dossiers: usize = arg("BENCH_DOSSIERS", 50);
    let tmp = tempfile::tempdir().expect("temp dir");
    if jobs > 0 {
        enqueue_and_list(&tmp.path().join("queue"), jobs);
    }
    if dossiers > 0 {
        loopback(tmp.path(), dossiers);
    }
    if arg("BENCH_SLOW_LINK", 1) > 0 {
        slow_link(&tmp.path().join("slow"));
    }
    if arg("BENCH_KEEP", 0) > 0 {
        // For profiling afterwards (e.g. `perf record motcua --data-dir …/queue queue list`).
        println!("(data kept in {})", tmp.keep().display());
    }
}

fn arg(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn new_dossier(n: usize) -> NewDossier {
    NewDossier {
        procedure_code: "1.001193".into(),
        applicant: Applicant {
            full_name: format!("Người nộp {n}"),
            citizen_id: "001190012345".into(),
            date_of_birth: None,
            phone: String::new(),
            address: String::new(),
            email: String::new(),
            kind: ApplicantKind::Citizen,
        },
        channel: Channel::Counter,
        result_return: ResultReturn::Counter,
        // Codes are unique per agency per day with a 4-digit sequence: spread big runs over past days.
        received_at: Some(motcua_now() - chrono::Duration::days((n / 5_000) as i64)),
        notes: String::new(),
    }
}

fn motcua_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc() + chrono::Duration::hours(7) - chrono::Duration::minutes(1)
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A really signed PDF of at least `size` bytes (the portal verifies signatures).
fn pdf(size: usize, seed: u64) -> Vec<u8> {
    signed_pdf::signed_pdf(&fixtures(), size, seed)
}

/// Creates `n` signed dossiers with their PDFs (one file of `size` bytes per mandatory document, split).
/// With `distinct` false every dossier gets the same PDFs (one blob each): enough for enqueue timings,
/// which do not read the files, and it spares signing thousands of PDFs in the set-up.
fn signed(desk: &Desk, n: usize, size: usize, distinct: bool) -> Vec<String> {
    let mut shared = std::collections::HashMap::new();
    (0..n)
        .map(|i| {
            let d = desk
                .create_dossier(new_dossier(i), "bench")
                .expect("dossier");
            let docs: Vec<_> = d.documents.iter().filter(|x| x.mandatory).collect();
            for (k, doc) in docs.iter().enumerate() {
                let bytes = if distinct {
                    pdf(size / docs.len(), (i * 10 + k) as u64)
                } else {
                    shared
                        .entry(k)
                        .or_insert_with(|| pdf(size / docs.len(), k as u64))
                        .clone()
                };
                let sha = desk
                    .with_store(|s| s.put_blob(&bytes, "application/pdf"))
                    .expect("blob");
                desk.attach_document_pdf(&d.code, &doc.code, &sha, "bench")
                    .expect("attach");
            }
            desk.set_dossier_status(&d.code, Status::Ready, "bench")
                .expect("ready");
            desk.set_dossier_status(&d.code, Status::Signed, "bench")
                .expect("signed");
            d.code
        })
        .collect()
}

fn open(dir: &Path, url: &str) -> Desk {
    let desk = Desk::open(dir).expect("store");
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalog/sample.json");
    desk.import_catalog(&catalog, "bench").expect("catalogue");
    for (k, v) in [
        ("agency.code", OFFICE),
        ("portal.url", url),
        ("portal.token-env", "UNUSED"),
    ] {
        desk.set_setting(k, v, "bench").expect("setting");
    }
    desk
}

/// `n` copies of the signed dossier `template` (its row and its documents, PDFs attached), made in one
/// transaction of a second connection: the enqueue timings need many signed dossiers, and making each
/// through `Desk` costs about six durable commits (minutes for 10,000 on this disk). Codes keep the
/// `{agency}-{yyMMdd}-{NNNN}` shape on days of 2020 onwards, `batch` telling sets apart.
fn clone_signed(dir: &Path, template: &str, batch: usize, n: usize) -> Vec<String> {
    let mut conn =
        rusqlite::Connection::open(dir.join("motcua.sqlite3")).expect("bench connection");
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    let tx = conn.transaction().expect("transaction");
    tx.execute(
        "CREATE TEMP TABLE tpl AS SELECT * FROM dossiers WHERE code = ?1",
        [template],
    )
    .expect("template");
    tx.execute_batch(
        "CREATE TEMP TABLE tpl_docs AS SELECT * FROM dossier_documents
         WHERE dossier_id = (SELECT id FROM tpl)",
    )
    .expect("template documents");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    let mut codes = Vec::with_capacity(n);
    for i in 0..n {
        let day = start + chrono::Duration::days((batch * 1_000 + i / 9_000) as i64);
        let code = format!("{OFFICE}-{}-{:04}", day.format("%y%m%d"), i % 9_000 + 1);
        let id = format!("bench-{batch}-{i}");
        tx.execute("UPDATE tpl SET id = ?1, code = ?2", [&id, &code])
            .and_then(|_| tx.execute("INSERT INTO dossiers SELECT * FROM tpl", []))
            .and_then(|_| tx.execute("UPDATE tpl_docs SET dossier_id = ?1", [&id]))
            .and_then(|_| tx.execute("INSERT INTO dossier_documents SELECT * FROM tpl_docs", []))
            .expect("clone");
        codes.push(code);
    }
    tx.execute_batch("DROP TABLE temp.tpl; DROP TABLE temp.tpl_docs;")
        .expect("drop");
    tx.commit().expect("commit clones");
    codes
}

fn median_ms(mut f: impl FnMut(), runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn enqueue_and_list(dir: &Path, n: usize) {
    let desk = open(dir, "http://127.0.0.1:9");
    let t = Instant::now();
    let template = signed(&desk, 1, 6_000, false).remove(0);
    let batch = clone_signed(dir, &template, 1, n);
    let grouped = clone_signed(dir, &template, 2, n);
    let sequential = clone_signed(dir, &template, 3, arg("BENCH_SEQUENTIAL", 1_000));
    println!(
        "(set-up of {} signed dossiers: {:.1} s)",
        batch.len() + grouped.len() + sequential.len() + 1,
        t.elapsed().as_secs_f64()
    );
    let floor = fsync_floor(dir, 500);
    println!(
        "fsync floor: fdatasync of a 4 KiB append in the data folder: {:.3} ms each",
        floor * 1000.0
    );

    // 1. One batch: `motcua submit CODE…` / `Desk::submit_many`, one transaction.
    let t = Instant::now();
    let cpu = cpu_seconds();
    let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
    desk.submit_many(&refs, "bench").expect("submit_many");
    let took = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    println!(
        "enqueue {} jobs in one transaction (submit_many): {took:.2} s ({:.0} jobs/s); CPU {:.3} ms per job",
        refs.len(),
        refs.len() as f64 / took,
        cpu * 1000.0 / refs.len() as f64
    );

    // 2. Listing at that size: the whole queue as `motcua queue list` reads it, before (every job with
    //    every file, `Desk::queue`) and after (`Desk::queue_summary`), and the screen's page of 100.
    let jobs = desk.queue_summary().expect("summary").len();
    let cpu = cpu_seconds();
    let full = median_ms(|| drop(desk.queue().expect("list")), 10);
    let full_cpu = (cpu_seconds() - cpu) * 100.0;
    let cpu = cpu_seconds();
    let summary = median_ms(|| drop(desk.queue_summary().expect("summary")), 10);
    let summary_cpu = (cpu_seconds() - cpu) * 100.0;
    println!(
        "list {jobs} jobs, median of 10 (mean CPU per call): all jobs with their files (Desk::queue, the old `queue list`) {full:.1} ms ({full_cpu:.0} ms CPU); summaries (Desk::queue_summary, `queue list` now) {summary:.1} ms ({summary_cpu:.0} ms CPU)"
    );
    let page = median_ms(|| drop(desk.queue_page(0, 100).expect("page")), 5);
    println!("queue screen page of 100 with counts (Desk::queue_page), median of 5: {page:.1} ms");
    cli_list(dir, jobs);

    // 3. The same number of single `Desk::submit` calls arriving together from many threads: the group
    //    committer gives them shared commits, each call returning once its own job is durable.
    let threads = arg("BENCH_SUBMITTERS", 64);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let t = Instant::now();
    let cpu = cpu_seconds();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(code) = grouped.get(i) else { break };
                    desk.submit(code, "bench").expect("submit");
                }
            });
        }
    });
    let took = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let commits = desk.submit_commits();
    println!(
        "enqueue {} jobs by single Desk::submit calls from {threads} threads (group commit): {took:.2} s ({:.0} jobs/s) in {commits} commits ({:.1} per commit); CPU {:.3} ms per job",
        grouped.len(),
        grouped.len() as f64 / took,
        grouped.len() as f64 / commits.max(1) as f64,
        cpu * 1000.0 / grouped.len() as f64
    );

    // 4. One by one from one thread: each call waits for its own commit (one fsync each).
    let t = Instant::now();
    for code in &sequential {
        desk.submit(code, "bench").expect("submit");
    }
    let took = t.elapsed().as_secs_f64();
    println!(
        "enqueue {} jobs one after the other from one thread: {took:.2} s ({:.0} jobs/s, {:.2} ms each; 10,000 would take ≈ {:.1} s)",
        sequential.len(),
        sequential.len() as f64 / took,
        took * 1000.0 / sequential.len().max(1) as f64,
        took / sequential.len().max(1) as f64 * 10_000.0
    );
}

/// Times `motcua queue list` (text and `--json`, output to /dev/null) when the CLI of the same profile
/// was built next to this example (`cargo build --release -p motcua --bin motcua`).
fn cli_list(dir: &Path, jobs: usize) {
    let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(|d| d.join("motcua")))
        .filter(|p| p.exists())
    else {
        println!("(motcua CLI not built in this profile: `queue list` not timed)");
        return;
    };
    for json in [false, true] {
        let ms = median_ms(
            || {
                let mut cmd = Command::new(&bin);
                cmd.arg("--data-dir").arg(dir).args(["queue", "list"]);
                if json {
                    cmd.arg("--json");
                }
                let status = cmd
                    .stdout(Stdio::null())
                    .status()
                    .expect("motcua queue list");
                assert!(status.success(), "motcua queue list failed");
            },
            5,
        );
        println!(
            "`motcua queue list{}` at {jobs} jobs (whole process, output to /dev/null), median of 5: {ms:.1} ms",
            if json { " --json" } else { "" }
        );
    }
}

/// CPU time (user + system) of this process so far, from /proc/self/stat (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Seconds per fdatasync of a 4 KiB append to a file in `dir` (median of `n`).
fn fsync_floor(dir: &Path, n: usize) -> f64 {
    use std::io::Write;
    let path = dir.join("fsync-probe.bin");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let block = [0x5au8; 4096];
    let mut times: Vec<f64> = (0..n.max(1))
        .map(|_| {
            let t = Instant::now();
            file.write_all(&block).expect("probe write");
            file.sync_data().expect("probe fdatasync");
            t.elapsed().as_secs_f64()
        })
        .collect();
    let _ = std::fs::remove_file(&path);
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Starts the portal on a free loopback port over `root/portal`: (process, URL, office token).
fn start_portal(root: &Path) -> (std::process::Child, String, String) {
    // The portal of this profile, else the debug one `make bench` builds.
    let target = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.parent()?.to_owned()))
        .expect("target dir");
    let portal_bin = ["release", "debug"]
        .iter()
        .map(|profile| target.join(profile).join("motcua-portal"))
        .find(|p| p.exists())
        .unwrap_or_else(|| target.join("debug/motcua-portal"));
    let portal_dir = root.join("portal");
    let token = Command::new(&portal_bin)
        .arg("--db")
        .arg(&portal_dir)
        .args(["token", "create", "--office", OFFICE])
        .output()
        .expect("motcua-portal token create (build it first: cargo build -p motcua-portal)");
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let mut portal = Command::new(&portal_bin)
        .arg("--db")
        .arg(&portal_dir)
        .args(["serve", "--bind", "127.0.0.1:0", "--trust"])
        .arg(fixtures().join("pki/root.cert.pem"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("portal");
    let mut line = String::new();
    if let Some(out) = portal.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .expect("portal line");
    }
    let url = line
        .trim()
        .trim_start_matches("motcua-portal listening on ")
        .to_owned();
    (portal, url, token)
}

fn loopback(root: &Path, n: usize) {
    let (mut portal, url, token) = start_portal(root);
    let desk = open(&root.join("office"), &url);
    for code in signed(&desk, n, 1_000_000, true) {
        desk.submit(&code, "bench").expect("submit");
    }
    let config = desk
        .with_store(|s| SyncConfig::from_store_with_token(s, &token))
        .expect("config");
    let options = RunOptions {
        once: true,
        ..RunOptions::default()
    };
    let t = Instant::now();
    let report = sync::run(&desk.data_dir(), &config, &options, "bench", &|_| {}).expect("run");
    let took = t.elapsed().as_secs_f64();
    println!(
        "loopback 1 MB dossiers: {} accepted in {took:.2} s = {:.1} dossiers/s ({:.1} MB/s)",
        report.accepted,
        report.accepted as f64 / took,
        report.accepted as f64 / took
    );
    let _ = portal.kill();
    let _ = portal.wait();
}

/// Through the proxy limited to 1 Mbit/s (125,000 bytes/s per direction): goodput of one 1.5 MB dossier
/// (file bytes over the wall time from the start of the run to the portal's acknowledgement) against the
/// link; then the same with the connection cut once mid-upload, and the bytes sent again (the proxy's count
/// of client bytes, minus the uncut run's).
fn slow_link(root: &Path) {
    const LINK: u64 = 125_000;
    let mut upstream = Vec::new();
    for (name, cut) in [("clean", None), ("cut", Some(700_000u64))] {
        let dir = root.join(name);
        let (mut portal, url, token) = start_portal(&dir);
        let link = proxy::Proxy::start(
            url.trim_start_matches("http://"),
            proxy::Faults {
                reset: 0.0,
                cut: 0.0,
                cut_within: 0,
                stall_rate: 0.0,
                stall: std::time::Duration::ZERO,
                bytes_per_sec: LINK,
                cut_first: u64::from(cut.is_some()),
                cut_first_at: cut.unwrap_or(0),
            },
        );
        let desk = open(&dir.join("office"), &link.url);
        desk.set_setting("sync.backoff-base-ms", "200", "bench")
            .expect("setting");
        desk.set_setting("sync.concurrency", "1", "bench")
            .expect("setting");
        let codes = signed(&desk, 1, 1_500_000, true);
        desk.submit(&codes[0], "bench").expect("submit");
        let bytes = desk.queue().expect("queue")[0].total_bytes();
        let config = desk
            .with_store(|s| SyncConfig::from_store_with_token(s, &token))
            .expect("config");
        let options = RunOptions {
            once: true,
            ..RunOptions::default()
        };
        let t = Instant::now();
        let mut accepted = 0;
        for _ in 0..100 {
            let report =
                sync::run(&desk.data_dir(), &config, &options, "bench", &|_| {}).expect("run");
            accepted += report.accepted;
            if accepted > 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let took = t.elapsed().as_secs_f64();
        let sent = link
            .upstream_bytes
            .load(std::sync::atomic::Ordering::SeqCst);
        upstream.push(sent);
        println!(
            "1 Mbit/s link, {name}: {bytes} file bytes accepted={accepted} in {took:.2} s: goodput {:.0} B/s = {:.1} % of the link; {sent} bytes sent by the client",
            bytes as f64 / took,
            100.0 * bytes as f64 / took / LINK as f64
        );
        let _ = portal.kill();
        let _ = portal.wait();
    }
    println!(
        "1 Mbit/s link: the cut cost {} bytes sent again (largest chunk allowed: sync.chunk-max)",
        upstream[1].saturating_sub(upstream[0])
    );
}
