//! `motcua verify`: loads the trust store and CRLs, verifies the files (folders recursively) on
//! two worker threads, prints text or JSON, optionally writes HTML reports, and maps verdicts to
//! the exit code (0 all VALID, 1 any INVALID/INDETERMINATE, 2 something unreadable).
//! VALID_WITH_WARNINGS counts as valid for the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Args;
use motcua::verify::{FileReport, TrustStore, Verdict, VerifyOptions, report, verify_file};

#[derive(Args)]
pub struct VerifyArgs {
    /// Trust anchor file or folder (PEM/DER); repeatable.
    #[arg(long = "trust", value_name = "FILE_OR_DIR")]
    trust: Vec<PathBuf>,
    /// CRL file (PEM/DER), or a folder of them (`*.crl`, `*.crl.pem`, PEM `X509 CRL`; delta CRLs
    /// are applied to their base); repeatable.
    #[arg(long = "crl", value_name = "FILE_OR_DIR")]
    crl: Vec<PathBuf>,
    /// Never use the network: revocation comes only from --crl files and the PDF (DSS). Without
    /// it, CRLs and OCSP answers are fetched from the certificates' URLs (4 s timeout each).
    #[arg(long)]
    offline: bool,
    /// One JSON document on stdout (docs/verify-json.md).
    #[arg(long)]
    json: bool,
    /// Write one Vietnamese HTML report per file into DIR.
    #[arg(long = "report-dir", value_name = "DIR")]
    report_dir: Option<PathBuf>,
    /// PDF files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            if entry.is_dir()
                || entry
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                collect(&entry, out);
            }
        }
    } else {
        out.push(path.to_owned());
    }
}

pub fn run(args: &VerifyArgs) -> Result<ExitCode, String> {
    let mut trust = TrustStore::new();
    for path in &args.trust {
        trust.add_anchors(path).map_err(|e| e.to_string())?;
    }
    for path in &args.crl {
        if path.is_dir() {
            trust.add_crl_dir(path).map_err(|e| e.to_string())?;
        } else {
            trust.add_crl_file(path).map_err(|e| e.to_string())?;
        }
    }
    if !args.offline {
        trust.set_online(std::sync::Arc::new(motcua::verify::Fetcher::default()));
    }
    let options = VerifyOptions { trust };
    let mut files = Vec::new();
    for path in &args.paths {
        collect(path, &mut files);
    }
    let results: Mutex<Vec<(usize, Result<FileReport, String>)>> = Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let result = verify_file(file, &options).map_err(|e| e.to_string());
                    if let Ok(mut r) = results.lock() {
                        r.push((i, result));
                    }
                }
            });
        }
    });
    let mut results = results
        .into_inner()
        .map_err(|_| "a worker thread failed".to_owned())?;
    results.sort_by_key(|(i, _)| *i);
    // Reports carry Vietnam time (UTC+7, no DST) whatever the machine's zone.
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).ok_or("bad time zone")?;
    let generated = chrono::Utc::now()
        .with_timezone(&vietnam)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string();
    let mut unreadable = false;
    let mut all_valid = true;
    let mut json = Vec::new();
    for (_, result) in &results {
        match result {
            Err(e) => {
                unreadable = true;
                eprintln!("lỗi [unreadable]: {e}");
                json.push(serde_json::json!({ "error": e }));
            }
            Ok(r) => {
                all_valid &= matches!(r.verdict, Verdict::Valid | Verdict::ValidWithWarnings);
                if args.json {
                    json.push(report::json(r));
                } else {
                    print!("{}", report::text(r));
                }
                if let Some(dir) = &args.report_dir {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                    let stem = Path::new(&r.path)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "report".into());
                    let target = dir.join(format!("{stem}.verify.html"));
                    motcua::atomic::write_file_atomic(
                        &target,
                        report::html(r, &generated).as_bytes(),
                    )
                    .map_err(|e| format!("{}: {e}", target.display()))?;
                }
            }
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "files": json }))
                .map_err(|e| e.to_string())?
        );
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
