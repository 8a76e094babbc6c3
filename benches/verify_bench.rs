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
use common::{MOTCUA, PASSWORD_VAR, ROOT, measure, os, tool};

use std::path::{Path, PathBuf};

use motcua::pdf::{AssembleOptions, Profile, assemble};

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

/// 200 pages of 450×450 noise JPEGs (10 distinct ones), about 20 MB, as in `motcua_bench`.
fn big_pdf(work: &Path) -> PathBuf {
    let folder = work.join("noise");
    std::fs::create_dir_all(&folder).unwrap();
    let mut seed = 7u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 32) as u8
    };
    let mut inputs = Vec::new();
    for i in 0..200u64 {
        let path = folder.join(format!("noise-{i:03}.jpg"));
        if i < 10 {
            let image = image::GrayImage::from_fn(450, 450, |_, _| image::Luma([next()]));
            let mut bytes = Vec::new();
            let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 60);
            encoder.encode_image(&image).unwrap();
            std::fs::write(&path, bytes).unwrap();
        } else {
            std::fs::copy(folder.join(format!("noise-{:03}.jpg", i % 10)), &path).unwrap();
        }
        inputs.push(path);
    }
    let out = work.join("big-200-pages.pdf");
    let options = AssembleOptions {
        profile: Profile::Archive,
        clean: false,
        ..AssembleOptions::default()
    };
    assemble(&inputs, &options, &out).unwrap();
    out
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
    let big = big_pdf(work);
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
