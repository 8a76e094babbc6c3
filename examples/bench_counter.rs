//! Capture-screen timings (issue 9's performance goals), side by side with ImageMagick making the same
//! thumbnails: `cargo run -p motcua --example bench_counter [-- OUT.md]`.
//!
//! 1. Importing 50 A4 300-dpi scans into a document (the committed 300-dpi fixtures, cycled): time until
//!    the first page is stored with its thumbnail (the moment the screen can show it) and for all 50.
//! 2. Opening a 200-page dossier: the page list from SQLite plus the first 24 thumbnails (what the grid shows
//!    at 1366×768 before scrolling), and all 200 thumbnails.
//! 3. Reference: `convert SCAN -thumbnail 220x220 out.jpg` for the same 50 scans, one process each.
//!
//! Each measurement is the median of 3 runs. Plain `Instant` timings in one process; no assertions (a
//! benchmark, not a test).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use motcua::Desk;
use motcua::catalog::{Level, Procedure, RequiredDocument};
use motcua::dossier::{Applicant, NewDossier};

const SCANS: [&str; 2] = ["text-skew+2.5-300.jpg", "colour-skew-4-300.jpg"];

fn scans(count: usize) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans");
    (0..count).map(|i| dir.join(SCANS[i % 2])).collect()
}

fn procedure() -> Procedure {
    Procedure {
        code: "9.000001".into(),
        name: "Thủ tục đo hiệu năng".into(),
        level: Level::Commune,
        field: "Đo".into(),
        processing_time: motcua::calendar::ProcessingTime::WorkingDays { days: 1 },
        documents: vec![RequiredDocument {
            code: "TP1".into(),
            name: "Giấy tờ".into(),
            originals: 1,
            certified_copies: 0,
            photocopies: 0,
            mandatory: true,
        }],
        fees: Vec::new(),
        sample: true,
    }
}

fn new_dossier(desk: &Desk) -> String {
    desk.create_dossier(
        NewDossier {
            procedure_code: "9.000001".into(),
            applicant: Applicant {
                full_name: "Người Đo".into(),
                citizen_id: "001190012345".into(),
                ..Applicant::default()
            },
            ..NewDossier::default()
        },
        "bench",
    )
    .map(|d| d.code)
    .unwrap_or_else(|e| panic!("cannot create the bench dossier: {e}"))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let out = std::env::args().nth(1);
    let no = AtomicBool::new(false);
    let fifty = scans(50);
    let mut first = Vec::new();
    let mut all = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let desk = Desk::open(dir.path()).expect("open desk");
        desk.with_store(|s| s.import_procedures(&[procedure()], "bench"))
            .expect("catalog");
        let code = new_dossier(&desk);
        let start = Instant::now();
        let mut first_at = None;
        desk.import_pages(&code, "TP1", &fifty, &no, |_| {
            first_at.get_or_insert_with(|| start.elapsed());
        })
        .expect("import");
        all.push(start.elapsed());
        first.push(first_at.unwrap_or_default());
    }

    // A 200-page dossier, then "opening" it.
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(dir.path()).expect("open desk");
    desk.with_store(|s| s.import_procedures(&[procedure()], "bench"))
        .expect("catalog");
    let code = new_dossier(&desk);
    desk.import_pages(&code, "TP1", &scans(200), &no, |_| {})
        .expect("import 200");
    let mut open_visible = Vec::new();
    let mut open_all = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let pages = desk.capture_pages(&code).expect("pages");
        for page in pages.iter().take(24) {
            desk.page_thumbnail(page.id).expect("thumbnail");
        }
        open_visible.push(start.elapsed());
        let start = Instant::now();
        let pages = desk.capture_pages(&code).expect("pages");
        for page in &pages {
            desk.page_thumbnail(page.id).expect("thumbnail");
        }
        open_all.push(start.elapsed());
    }

    // ImageMagick: the same 50 thumbnails, one process per scan.
    let work = tempfile::tempdir().expect("temp dir");
    let mut magick = Vec::new();
    let mut magick_first = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        for (i, scan) in fifty.iter().enumerate() {
            let status = Command::new("convert")
                .arg(scan)
                .args(["-thumbnail", "220x220"])
                .arg(work.path().join(format!("{i}.jpg")))
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                eprintln!("convert failed on {}", scan.display());
            }
            if i == 0 {
                magick_first.push(start.elapsed());
            }
        }
        magick.push(start.elapsed());
    }

    let report = format!(
        "| step | motcua (Desk) | ImageMagick `convert -thumbnail` |\n|---|---|---|\n\
         | import 50 A4 300-dpi scans: first page stored with its thumbnail | {} | {} (first thumbnail) |\n\
         | import 50 scans: all stored with thumbnails | {} | {} (50 thumbnails) |\n\
         | open a 200-page dossier: page list + first 24 thumbnails | {} | – |\n\
         | open a 200-page dossier: page list + all 200 thumbnails | {} | – |\n",
        ms(median(first)),
        ms(median(magick_first)),
        ms(median(all)),
        ms(median(magick)),
        ms(median(open_visible)),
        ms(median(open_all)),
    );
    print!("{report}");
    if let Some(out) = out
        && let Err(e) = std::fs::write(&out, &report)
    {
        eprintln!("cannot write {out}: {e}");
    }
}
