//! `make bench`, verification part (issue 5): `motcua verify` side by side with `sha256sum`,
//! poppler's `pdfsig` and pyHanko's validator on one 200-page ~20 MB signed PDF, and the rate of
//! `motcua verify` on a folder of 1,000 signed one-page PDFs, all measured in one run.
//!
//! A plain binary (`harness = false`), like `motcua_bench`: whole commands are timed (median of
//! several runs, peak RSS through `/usr/bin/time`). Inputs are generated here and signed once with
//! `motcua sign`. Verification is offline with the test root as the only anchor, the way a
//! supervisor's machine verifies without network. Results are printed as Markdown and written to
//! `target/bench-artifacts/verify-results.md`.

#[path = "common/mod.rs"]
mod common;
use common::{MOTCUA, PASSWORD_VAR, ROOT, measure, noise_pdf_200_pages, os, tool};

use std::path::Path;

use motcua::pdf::{AssembleOptions, assemble};

fn sign(work: &Path, input: &Path, out: &Path) {
    let p12 = Path::new(ROOT).join("tests/fixtures/pki/signer-rsa2048.p12");
    measure(
        work,
        1,
        &os(MOTCUA),
        &[
            os("sign"),
            os("--p12"),
            os(&p12),
            os("--password-env"),
            os(PASSWORD_VAR),
            os("-o"),
            os(out),
            os(input),
        ],
        true,
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn main() {
    let artifacts = Path::new(ROOT).join("target/bench-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let work_dir = tempfile::tempdir().unwrap();
    let work = work_dir.path();
    let mut report = String::new();
    let mut say = |line: String| {
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    say(format!(
        "Verification run at {} UTC on {cores} cores; load average at start: {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let root = Path::new(ROOT).join("tests/fixtures/pki/root.cert.pem");

    // One big signed file.
    let big = noise_pdf_200_pages(work);
    let signed = work.join("big-signed.pdf");
    sign(work, &big, &signed);
    let size = std::fs::metadata(&signed).map(|m| m.len()).unwrap_or(0);
    let ours = measure(
        work,
        7,
        &os(MOTCUA),
        &[
            os("verify"),
            os("--offline"),
            os("--trust"),
            os(&root),
            os(&signed),
        ],
        true,
    );
    let sha = measure(work, 7, &os("sha256sum"), &[os(&signed)], true);
    let pdfsig = measure(
        work,
        5,
        &os("pdfsig"),
        &[os("-no-ocsp"), os(&signed)],
        false,
    );
    let pyhanko = measure(
        work,
        3,
        &tool("pyhanko", "pyhanko"),
        &[
            os("sign"),
            os("validate"),
            os("--no-revocation-check"),
            os("--trust"),
            os(&root),
            os(&signed),
        ],
        false,
    );
    let mb = |kb: u64| kb as f64 / 1024.0;
    say(String::new());
    say(format!(
        "### Verifying a signed 200-page PDF of {:.1} MB (offline, test root as anchor), median of 7 (pdfsig 5, pyHanko 3)",
        size as f64 / 1e6
    ));
    say("| command | median wall time | peak RSS |".into());
    say("|---|---|---|".into());
    for (name, run) in [
        ("`motcua verify --offline --trust root.cert.pem`", ours),
        ("`sha256sum`", sha),
        ("`pdfsig -no-ocsp`", pdfsig),
        (
            "`pyhanko sign validate --no-revocation-check --trust root.cert.pem`",
            pyhanko,
        ),
    ] {
        say(format!(
            "| {name} | {:.3} s | {:.1} MB |",
            run.seconds,
            mb(run.max_rss_kb)
        ));
    }
    let budget = 2.0 * sha.seconds + 0.030;
    say(format!(
        "Targets: ≤ 2 × sha256sum + 30 ms = {budget:.3} s: {}; faster than pdfsig ({:.1}×): {}; \
         ≥ 10× faster than pyHanko ({:.1}×): {}",
        verdict(ours.seconds <= budget),
        pdfsig.seconds / ours.seconds,
        verdict(ours.seconds < pdfsig.seconds),
        pyhanko.seconds / ours.seconds,
        verdict(pyhanko.seconds >= 10.0 * ours.seconds),
    ));

    // A folder of 1,000 signed one-page PDFs.
    let page = Path::new(ROOT).join("tests/fixtures/scans/text-skew0-150.jpg");
    let one = work.join("one-page.pdf");
    assemble(
        &[page],
        &AssembleOptions {
            clean: false,
            ..AssembleOptions::default()
        },
        &one,
    )
    .unwrap();
    let one_signed = work.join("one-page-signed.pdf");
    sign(work, &one, &one_signed);
    let folder = work.join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..1000 {
        std::fs::copy(&one_signed, folder.join(format!("ho-so-{i:04}.pdf"))).unwrap();
    }
    let run = measure(
        work,
        3,
        &os(MOTCUA),
        &[
            os("verify"),
            os("--offline"),
            os("--trust"),
            os(&root),
            os(&folder),
        ],
        true,
    );
    let rate = 1000.0 / run.seconds;
    say(String::new());
    say(format!(
        "### A folder of 1,000 signed one-page PDFs ({} KB each), one `motcua verify --offline` call, median of 3",
        std::fs::metadata(&one_signed).map(|m| m.len()).unwrap_or(0) / 1024
    ));
    say(format!(
        "{:.3} s = {rate:.0} files/s, peak RSS {:.1} MB (target ≥ 300 files/s on 2 cores: {})",
        run.seconds,
        mb(run.max_rss_kb),
        verdict(rate >= 300.0)
    ));

    std::fs::write(artifacts.join("verify-results.md"), report).unwrap();
    println!(
        "(written to {})",
        artifacts.join("verify-results.md").display()
    );
}
