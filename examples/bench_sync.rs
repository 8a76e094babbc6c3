//! Outbox benchmarks (issue 7), run by `make bench` in the dev profile: enqueueing 10,000 jobs, listing the
//! queue at that size, and end-to-end throughput of 1 MB dossiers to the sandbox portal on loopback
//! (upload + submit + acknowledgement). Prints one line per measure; results go to BENCHMARKS.md.
//!
//! Needs `target/debug/motcua-portal` (`cargo build -p motcua-portal`).

#[path = "../tests/support/signed_pdf.rs"]
mod signed_pdf;

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
    enqueue_and_list(&tmp.path().join("queue"), jobs);
    loopback(tmp.path(), dossiers);
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
fn signed(desk: &Desk, n: usize, size: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let d = desk
                .create_dossier(new_dossier(i), "bench")
                .expect("dossier");
            let docs: Vec<_> = d.documents.iter().filter(|x| x.mandatory).collect();
            for (k, doc) in docs.iter().enumerate() {
                let bytes = pdf(size / docs.len(), (i * 10 + k) as u64);
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

fn enqueue_and_list(dir: &Path, n: usize) {
    let desk = open(dir, "http://127.0.0.1:9");
    let t = Instant::now();
    let codes = signed(&desk, n, 6_000);
    println!(
        "(set-up of {n} signed dossiers: {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    let (one_by_one, batch) = codes.split_at(codes.len() / 2);
    let t = Instant::now();
    for code in one_by_one {
        desk.submit(code, "bench").expect("submit");
    }
    let took = t.elapsed().as_secs_f64();
    println!(
        "enqueue {} jobs one by one: {took:.2} s ({:.0} jobs/s)",
        one_by_one.len(),
        one_by_one.len() as f64 / took
    );
    let t = Instant::now();
    let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
    desk.submit_many(&batch, "bench").expect("submit_many");
    let took = t.elapsed().as_secs_f64();
    println!(
        "enqueue {} jobs in one transaction: {took:.2} s ({:.0} jobs/s)",
        batch.len(),
        batch.len() as f64 / took
    );
    let t = Instant::now();
    let listed = desk.queue().expect("list").len();
    println!(
        "list {listed} jobs: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}

fn loopback(root: &Path, n: usize) {
    let portal_bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(|d| d.join("motcua-portal")))
        .expect("target dir");
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
    let desk = open(&root.join("office"), &url);
    for code in signed(&desk, n, 1_000_000) {
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
