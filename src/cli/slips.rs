//! `motcua receipt` and `motcua apology`: the Mẫu 01 and Mẫu 04 slips of a dossier.

use super::{Failure, parse_date_time};
use clap::Args;
use motcua::Desk;
use std::path::PathBuf;

#[derive(Args)]
pub struct ReceiptArgs {
    /// The dossier code.
    code: String,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "OUT.pdf")]
    output: PathBuf,
    /// 2: one copy for the applicant, one kept by the office.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    copies: u8,
}

#[derive(Args)]
pub struct ApologyArgs {
    /// The dossier code.
    code: String,
    /// Why the result is late (printed on the slip).
    #[arg(long)]
    reason: String,
    /// Working days added to the original due date.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    extra_days: u32,
    /// Date of the slip, local Vietnam time "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "OUT.pdf")]
    output: PathBuf,
}

pub fn receipt(desk: &Desk, a: ReceiptArgs, actor: &str) -> Result<(), Failure> {
    let dossier = desk.issue_receipt(&a.code, a.copies, &a.output, actor)?;
    println!(
        "Đã in giấy tiếp nhận hồ sơ {} ({} liên): {}",
        dossier.code,
        a.copies,
        a.output.display()
    );
    Ok(())
}

pub fn apology(desk: &Desk, a: ApologyArgs, actor: &str) -> Result<(), Failure> {
    let at = a.at.as_deref().map(parse_date_time).transpose()?;
    let new_due = desk.issue_apology(&a.code, &a.reason, a.extra_days, at, &a.output, actor)?;
    println!(
        "Đã lập phiếu xin lỗi hồ sơ {}: hẹn lại {} — {}",
        a.code.trim(),
        new_due.format("%d/%m/%Y %H:%M"),
        a.output.display()
    );
    Ok(())
}
