//! `make bench`: the performance targets of issues 4 (signing) and 6 (capture), each measured
//! side by side with its reference tool in one run, on inputs generated here.
//!
//! A plain binary (`harness = false`) rather than criterion: most measurements time whole
//! commands (`motcua`, `sha256sum`, `pyhanko`, `img2pdf`, ImageMagick `convert`) run through
//! `/usr/bin/time` for their peak memory, and medians of a few runs are what BENCHMARKS.md
//! records. The cleanup timing runs in-process on one thread. Results are printed as Markdown
//! and written, with the rendered compact pages, under `target/bench-artifacts/`.

#[path = "common/mod.rs"]
mod common;
use common::{
    MOTCUA, P12_PASSWORD, PASSWORD_VAR, ROOT, Rng, measure, measure_with, median,
    noise_pdf_200_pages, os, tool, write_jpeg,
};

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use motcua::pdf::{AssembleOptions, assemble};

/// A scan-like A4 page at 300 dpi: tinted paper, noise, and lines of dark "words".
fn scan_page(seed: u64, colour: bool) -> image::RgbImage {
    let (w, h) = (2480, 3508);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut page = image::RgbImage::from_fn(w, h, |_, _| {
        let n = (rng.next() % 12) as u8;
        image::Rgb([238 - n, 234 - n, 222 - n])
    });
    let mut y = 300;
    while y < h - 300 {
        let mut x = 250;
        while x < w - 400 {
            let word = 60 + rng.next() % 220;
            for yy in y..y + 34 {
                for xx in x..(x + word).min(w - 250) {
                    if !rng.next().is_multiple_of(4) {
                        page.put_pixel(xx, yy, image::Rgb([30, 30, 40]));
                    }
                }
            }
            x += word + 30;
        }
        y += 75;
    }
    if colour {
        // A red seal near the bottom right.
        let (cx, cy, r) = (1900.0_f32, 3000.0_f32, 220.0_f32);
        for yy in 2750..3250 {
            for xx in 1650..2150 {
                let d = ((xx as f32 - cx).powi(2) + (yy as f32 - cy).powi(2)).sqrt();
                if (r - 25.0..r).contains(&d) || (d < 120.0 && rng.next().is_multiple_of(3)) {
                    page.put_pixel(xx, yy, image::Rgb([200, 30, 40]));
                }
            }
        }
    }
    page
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
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

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    say(format!(
        "Machine: {cores} cores (nproc), CPU {cpu}; run at {} UTC",
        chrono::Utc::now().format("%Y-%m-%d %H:%M")
    ));

    // `MOTCUA_BENCH=capture` runs only the capture groups (issue 6).
    let only_capture = std::env::var("MOTCUA_BENCH").is_ok_and(|v| v == "capture");
    if !only_capture {
        signing(work, &mut say);
        batch_signing(work, &mut say);
    }
    let pages = generate_scans(work);
    jpeg_passthrough(work, &pages, &mut say);
    cleanup_per_page(&pages, &mut say);
    two_hundred_pages(work, &pages, &mut say);
    compact_sizes(work, &artifacts, &pages, &mut say);

    std::fs::write(artifacts.join("results.md"), report).unwrap();
    println!("(written to {})", artifacts.join("results.md").display());
}

fn signing(work: &Path, say: &mut dyn FnMut(String)) {
    let pdf = noise_pdf_200_pages(work);
    let size = file_size(&pdf);
    let p12 = Path::new(ROOT).join("tests/fixtures/pki/signer-rsa2048.p12");
    let out = work.join("big-signed.pdf");
    let ours = measure(
        work,
        5,
        &os(MOTCUA),
        &[
            os("sign"),
            os("--p12"),
            os(&p12),
            os("--password-env"),
            os(PASSWORD_VAR),
            os("-o"),
            os(&out),
            os(&pdf),
        ],
        true,
    );
    let sha = measure(work, 5, &os("sha256sum"), &[os(&pdf)], true);
    let passfile = work.join("pass.txt");
    std::fs::write(&passfile, P12_PASSWORD).unwrap();
    let pyhanko = measure(
        work,
        3,
        &tool("pyhanko", "pyhanko"),
        &[
            os("sign"),
            os("addsig"),
            os("--field"),
            os("Sig1"),
            os("pkcs12"),
            os("--passfile"),
            os(&passfile),
            os(&pdf),
            os(work.join("pyhanko-signed.pdf")),
            os(&p12),
        ],
        true,
    );
    let mb = |kb: u64| kb as f64 / 1024.0;
    say(String::new());
    say(format!(
        "## Signing a 200-page PDF of {:.1} MB with RSA-2048 (.p12), median of 5 (pyHanko 3)",
        size as f64 / 1e6
    ));
    say("| command | median wall time | peak RSS |".into());
    say("|---|---|---|".into());
    say(format!(
        "| `motcua sign` | {:.3} s | {:.1} MB |",
        ours.seconds,
        mb(ours.max_rss_kb)
    ));
    say(format!(
        "| `sha256sum` | {:.3} s | {:.1} MB |",
        sha.seconds,
        mb(sha.max_rss_kb)
    ));
    say(format!(
        "| `pyhanko sign addsig` | {:.3} s | {:.1} MB |",
        pyhanko.seconds,
        mb(pyhanko.max_rss_kb)
    ));
    let budget = 2.0 * sha.seconds + 0.030;
    say(format!(
        "Targets: time ≤ 2 × sha256sum + 30 ms = {:.3} s: {}; ≥ 10× faster than pyHanko ({:.1}×): {}; \
         peak ≤ file + 64 MB = {:.1} MB: {}",
        budget,
        if ours.seconds <= budget {
            "met"
        } else {
            "NOT met"
        },
        pyhanko.seconds / ours.seconds,
        if pyhanko.seconds >= 10.0 * ours.seconds {
            "met"
        } else {
            "NOT met"
        },
        size as f64 / 1048576.0 + 64.0,
        if mb(ours.max_rss_kb) <= size as f64 / 1048576.0 + 64.0 {
            "met"
        } else {
            "NOT met"
        },
    ));
}

fn batch_signing(work: &Path, say: &mut dyn FnMut(String)) {
    let input = work.join("batch-in");
    std::fs::create_dir_all(&input).unwrap();
    let page = Path::new(ROOT).join("tests/fixtures/scans/text-skew0-150.jpg");
    let one = work.join("one-page.pdf");
    let options = AssembleOptions {
        clean: false,
        ..AssembleOptions::default()
    };
    assemble(&[page], &options, &one).unwrap();
    for i in 0..100 {
        std::fs::copy(&one, input.join(format!("giay-to-{i:03}.pdf"))).unwrap();
    }
    let p12 = Path::new(ROOT).join("tests/fixtures/pki/signer-rsa2048.p12");
    let output = work.join("batch-out");
    let run = measure(
        work,
        3,
        &os(MOTCUA),
        &[
            os("sign"),
            os("--p12"),
            os(&p12),
            os("--password-env"),
            os(PASSWORD_VAR),
            os("--batch"),
            os(&input),
            os("--out-dir"),
            os(&output),
        ],
        true,
    );
    say(String::new());
    say(format!(
        "## Batch: 100 one-page PDFs ({} KB each) in one `motcua sign --batch` call, median of 3",
        file_size(&one) / 1024
    ));
    say(format!(
        "{:.3} s, peak RSS {:.1} MB (target < 2 s: {})",
        run.seconds,
        run.max_rss_kb as f64 / 1024.0,
        if run.seconds < 2.0 { "met" } else { "NOT met" }
    ));
}

/// The generated scans: 24 A4 300-dpi JPEGs (every fourth one with a colour seal).
fn generate_scans(work: &Path) -> Vec<PathBuf> {
    let folder = work.join("scans");
    std::fs::create_dir_all(&folder).unwrap();
    (0..24u64)
        .map(|i| {
            let path = folder.join(format!("scan-{i:02}.jpg"));
            let page = scan_page(i + 1, i.is_multiple_of(4));
            write_jpeg(&image::DynamicImage::ImageRgb8(page), &path, 85, 300);
            path
        })
        .collect()
}

fn jpeg_passthrough(work: &Path, pages: &[PathBuf], say: &mut dyn FnMut(String)) {
    let ours_out = work.join("passthrough-motcua.pdf");
    let mut args = vec![
        os("assemble"),
        os("--profile"),
        os("archive"),
        os("--no-clean"),
        os("-o"),
        os(&ours_out),
    ];
    args.extend(pages.iter().map(os));
    // Each run writes a new file, as assembling a dossier document does; replacing the previous
    // run's 67 MB output would add the freeing of its blocks to either tool's time.
    let fresh = |out: &Path| {
        let out = out.to_path_buf();
        move || {
            let _ = std::fs::remove_file(&out);
        }
    };
    let ours = measure_with(work, 5, &os(MOTCUA), &args, true, &fresh(&ours_out));
    let theirs_out = work.join("passthrough-img2pdf.pdf");
    let mut args: Vec<OsString> = pages.iter().map(os).collect();
    args.push(os("-o"));
    args.push(os(&theirs_out));
    let theirs = measure_with(
        work,
        5,
        &tool("img2pdf", "img2pdf"),
        &args,
        true,
        &fresh(&theirs_out),
    );
    let (ours_size, theirs_size) = (file_size(&ours_out), file_size(&theirs_out));
    let input_size: u64 = pages.iter().map(|p| file_size(p)).sum();
    say(String::new());
    say(format!(
        "## JPEG passthrough: 24 A4 300-dpi JPEGs ({:.1} MB) → a new PDF, median of 5",
        input_size as f64 / 1e6
    ));
    say("| command | median wall time | peak RSS | output |".into());
    say("|---|---|---|---|".into());
    say(format!(
        "| `motcua assemble --profile archive --no-clean` | {:.3} s | {:.1} MB | {} bytes |",
        ours.seconds,
        ours.max_rss_kb as f64 / 1024.0,
        ours_size
    ));
    say(format!(
        "| `img2pdf` | {:.3} s | {:.1} MB | {} bytes |",
        theirs.seconds,
        theirs.max_rss_kb as f64 / 1024.0,
        theirs_size
    ));
    let size_diff = (ours_size as f64 - theirs_size as f64) / theirs_size as f64 * 100.0;
    say(format!(
        "Targets: ≥ 3× faster than img2pdf ({:.1}×): {}; size within 1 % ({size_diff:+.2} %): {}",
        theirs.seconds / ours.seconds,
        if theirs.seconds >= 3.0 * ours.seconds {
            "met"
        } else {
            "NOT met"
        },
        if size_diff.abs() <= 1.0 {
            "met"
        } else {
            "NOT met"
        },
    ));
}

fn cleanup_per_page(pages: &[PathBuf], say: &mut dyn FnMut(String)) {
    let fixtures = Path::new(ROOT).join("tests/fixtures/scans");
    let cases = [
        (
            "colour fixture (colour-skew-4-300.jpg)",
            fixtures.join("colour-skew-4-300.jpg"),
        ),
        (
            "text fixture (text-skew+2.5-300.jpg)",
            fixtures.join("text-skew+2.5-300.jpg"),
        ),
        ("generated colour page", pages[0].clone()),
        ("generated text page", pages[1].clone()),
    ];
    let options = AssembleOptions {
        workers: 1,
        ..AssembleOptions::default()
    };
    let out_dir = tempfile::tempdir().unwrap();
    say(String::new());
    say("## Full cleanup per A4 300-dpi page on one core (decode, crop, mode, deskew, binarize, encode; compact), median of 5".into());
    say("| page | median wall | median CPU | stored as |".into());
    say("|---|---|---|---|".into());
    for (name, path) in cases {
        let mut times = Vec::new();
        let mut cpu_times = Vec::new();
        let mut stored = String::new();
        for run in 0..5 {
            let out = out_dir.path().join(format!("clean-{run}.pdf"));
            let start = Instant::now();
            let cpu_start = process_cpu_seconds();
            let report = assemble(std::slice::from_ref(&path), &options, &out).unwrap();
            times.push(start.elapsed().as_secs_f64());
            cpu_times.push(process_cpu_seconds() - cpu_start);
            let page = &report.inputs[0].pages[0];
            stored = format!(
                "{}, {}, {} bytes",
                page.analysis
                    .map_or("-".into(), |a| format!("{:?}", a.mode)),
                page.encoding.map_or("-".into(), |e| format!("{e:?}")),
                page.bytes
            );
        }
        say(format!(
            "| {name} | {:.0} ms | {:.0} ms | {stored} |",
            median(times) * 1000.0,
            median(cpu_times) * 1000.0
        ));
    }
    say("Target: ≤ 250 ms per page.".into());
}

/// CPU time of this process so far (user + system, all threads), from /proc/self/stat in
/// clock ticks of 10 ms: on a shared machine it shows the work apart from waiting for a core.
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// 200 A4 300-dpi pages through full cleanup with every core: wall time and peak memory of
/// the whole `motcua assemble` process (pages stream through; the target is < 400 MB).
fn two_hundred_pages(work: &Path, pages: &[PathBuf], say: &mut dyn FnMut(String)) {
    let out = work.join("two-hundred.pdf");
    let mut args = vec![
        os("assemble"),
        os("--profile"),
        os("compact"),
        os("-o"),
        os(&out),
    ];
    args.extend(pages.iter().cycle().take(200).map(os));
    let run = measure(work, 1, &os(MOTCUA), &args, true);
    say(String::new());
    say("## 200 A4 300-dpi pages, full cleanup, compact, all cores, one run".into());
    say(format!(
        "{:.1} s ({:.0} ms per page), peak RSS {:.1} MB, output {} bytes. Target: peak < 400 MB: {}",
        run.seconds,
        run.seconds * 1000.0 / 200.0,
        run.max_rss_kb as f64 / 1024.0,
        file_size(&out),
        if run.max_rss_kb < 400 * 1024 {
            "met"
        } else {
            "NOT met"
        }
    ));
}

fn compact_sizes(work: &Path, artifacts: &Path, pages: &[PathBuf], say: &mut dyn FnMut(String)) {
    let fixtures = Path::new(ROOT).join("tests/fixtures/scans");
    let grey_path = work.join("grey-300.jpg");
    let colour = image::open(fixtures.join("colour-skew-4-300.jpg")).unwrap();
    write_jpeg(
        &image::DynamicImage::ImageLuma8(colour.to_luma8()),
        &grey_path,
        85,
        300,
    );
    let cases = [
        (
            "bw",
            "black-and-white text",
            fixtures.join("text-skew+2.5-300.jpg"),
            60,
        ),
        ("gray", "greyscale", grey_path, 250),
        (
            "color",
            "colour",
            fixtures.join("colour-skew-4-300.jpg"),
            450,
        ),
        ("color", "generated colour scan", pages[0].clone(), 450),
    ];
    say(String::new());
    say("## Page sizes, A4 300 dpi, one page per PDF".into());
    say("| page | motcua compact (mode) | limit | ImageMagick `convert` | img2pdf |".into());
    say("|---|---|---|---|---|".into());
    for (index, (mode, name, input, limit_kb)) in cases.into_iter().enumerate() {
        let ours = artifacts.join(format!("compact-{index}-{mode}.pdf"));
        let status = Command::new(MOTCUA)
            .args(["assemble", "--profile", "compact", "--mode", mode, "-o"])
            .arg(&ours)
            .arg(&input)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let convert_out = artifacts.join(format!("convert-{index}.pdf"));
        // Debian's ImageMagick policy forbids writing PDF; then the column says n/a.
        let convert_ok = Command::new("convert")
            .arg(&input)
            .arg(&convert_out)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let img2pdf_out = artifacts.join(format!("img2pdf-{index}.pdf"));
        let img2pdf_ok = Command::new(tool("img2pdf", "img2pdf"))
            .arg(&input)
            .arg("-o")
            .arg(&img2pdf_out)
            .status()
            .is_ok_and(|s| s.success());
        // Keep the rendered page for a look at legibility.
        let _ = Command::new("pdftoppm")
            .args(["-r", "100", "-png", "-singlefile"])
            .arg(&ours)
            .arg(artifacts.join(format!("compact-{index}-{mode}")))
            .status();
        let kb = |path: &Path, ok: bool| {
            if ok {
                format!("{:.0} KB", file_size(path) as f64 / 1024.0)
            } else {
                "n/a".into()
            }
        };
        let ours_kb = file_size(&ours) as f64 / 1024.0;
        say(format!(
            "| {name} | {ours_kb:.0} KB ({mode}) | ≤ {limit_kb} KB: {} | {} | {} |",
            if ours_kb <= f64::from(limit_kb) {
                "met"
            } else {
                "NOT met"
            },
            kb(&convert_out, convert_ok),
            kb(&img2pdf_out, img2pdf_ok)
        ));
    }
}
