//! The outbox commands: `motcua submit CODE`, `motcua queue list|run|retry|cancel`, and
//! `motcua dossier attach-pdf` (records a document's signed PDF so the dossier can be submitted).
//!
//! `queue run` prints one line per event (JSON lines with `--json`, the shape of `motcua::sync::Event`).

use super::Failure;
use motcua::Desk;
use motcua::store::JobSummary;
use motcua::sync::{self, Event, RunOptions, SyncConfig};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

/// Exit code of `queue run` when the portal rejected the token (the queue stopped; a new token is needed).
pub const EXIT_TOKEN_REJECTED: u8 = 3;

#[derive(Serialize)]
struct JobView<'a> {
    id: i64,
    dossier: &'a str,
    state: &'static str,
    attempts: u32,
    next_attempt_at_ms: i64,
    last_error: Option<&'a str>,
    receipt: Option<&'a str>,
    files: u32,
    bytes_total: u64,
    bytes_sent: u64,
    created_at: &'a str,
    updated_at: &'a str,
    /// Why the dossier's result PDF could not be downloaded yet (retried at every poll).
    result_error: Option<&'a str>,
}

fn view(job: &JobSummary) -> JobView<'_> {
    JobView {
        id: job.id,
        dossier: &job.dossier_code,
        state: job.state.as_str(),
        attempts: job.attempts,
        next_attempt_at_ms: job.next_attempt_at,
        last_error: job.last_error.as_deref(),
        receipt: job.receipt.as_deref(),
        files: job.files,
        bytes_total: job.bytes_total,
        bytes_sent: job.bytes_sent,
        created_at: &job.created_at,
        updated_at: &job.updated_at,
        result_error: job.result_error.as_deref(),
    }
}

pub fn list(desk: &Desk, json: bool) -> Result<(), Failure> {
    use std::io::Write;
    let jobs = desk.queue_summary()?;
    // One buffered, locked stdout for the whole list (10,000 jobs are 10,000 lines).
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if json {
        // Streamed into the buffer: no second copy of a 10,000-job document in memory.
        let views: Vec<_> = jobs.iter().map(view).collect();
        serde_json::to_writer_pretty(&mut out, &views)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else if jobs.is_empty() {
        writeln!(out, "Hàng đợi trống.")
    } else {
        jobs.iter().try_for_each(|job| {
            write!(
                out,
                "#{:<5} {:<28} {:<10} {:>3} lần  {}/{} byte  {}",
                job.id,
                job.dossier_code,
                job.state.as_str(),
                job.attempts,
                job.bytes_sent,
                job.bytes_total,
                job.receipt.as_deref().unwrap_or(""),
            )?;
            if let Some(e) = &job.last_error {
                write!(out, "  lỗi: {e}")?;
            }
            if let Some(e) = &job.result_error {
                write!(out, "  chưa tải được kết quả: {e}")?;
            }
            writeln!(out)
        })
    };
    // A closed pipe (`motcua queue list | head`) is not an error of the queue.
    let _ = written.and_then(|()| out.flush());
    Ok(())
}

pub fn submit(desk: &Desk, codes: &[String], actor: &str) -> Result<(), Failure> {
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let ids = desk.submit_many(&refs, actor)?;
    for (code, id) in codes.iter().zip(ids) {
        println!("{}: chờ gửi (việc #{id})", code.trim());
    }
    Ok(())
}

pub fn retry(desk: &Desk, id: i64, actor: &str) -> Result<(), Failure> {
    let job = desk.retry_job(id, actor)?;
    println!("#{} {}: {}", job.id, job.dossier_code, job.state.as_str());
    Ok(())
}

pub fn cancel(desk: &Desk, id: i64, actor: &str) -> Result<(), Failure> {
    let job = desk.cancel_job(id, actor)?;
    println!("#{} {}: {}", job.id, job.dossier_code, job.state.as_str());
    Ok(())
}

pub fn attach_pdf(
    desk: &Desk,
    code: &str,
    document: &str,
    file: &Path,
    actor: &str,
) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Usage(format!("không đọc được {}: {e}", file.display())))?;
    let sha = desk
        .with_store(|s| s.put_blob(&bytes, "application/pdf"))
        .map_err(motcua::DeskError::from)?;
    desk.attach_document_pdf(code, document, &sha, actor)?;
    println!("{sha}");
    Ok(())
}

pub fn run(desk: &Desk, once: bool, json: bool, actor: &str) -> Result<ExitCode, Failure> {
    let config = desk
        .with_store(|s| SyncConfig::from_store(s))
        .map_err(Failure::Sync)?;
    let print = |event: &Event| {
        if json {
            if let Ok(line) = serde_json::to_string(event) {
                println!("{line}");
            }
            return;
        }
        match event {
            Event::Accepted {
                job,
                dossier,
                receipt,
            } => println!("#{job} {dossier}: đã tiếp nhận, số biên nhận {receipt}"),
            Event::Failed {
                job,
                dossier,
                reason,
            } => println!("#{job} {dossier}: thất bại: {reason}"),
            Event::Retrying {
                job,
                dossier,
                error,
                in_ms,
            } => println!("#{job} {dossier}: thử lại sau {in_ms} ms: {error}"),
            Event::TokenRejected => println!("token rejected: cổng từ chối mã truy cập"),
            Event::StatusChanged {
                dossier,
                national_status,
            } => println!("{dossier}: trạng thái {national_status}"),
            Event::ResultDownloaded { dossier, sha256 } => {
                println!("{dossier}: đã tải kết quả {sha256}")
            }
            Event::ResultFailed { dossier, reason } => {
                println!("{dossier}: chưa tải được kết quả: {reason}")
            }
            Event::Progress { .. } => {}
        }
    };
    let options = RunOptions {
        once,
        ..RunOptions::default()
    };
    let report =
        sync::run(&desk.data_dir(), &config, &options, actor, &print).map_err(Failure::Sync)?;
    if json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    }
    if report.token_rejected {
        return Ok(ExitCode::from(EXIT_TOKEN_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}
