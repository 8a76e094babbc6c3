//! `motcua report`: the period figures as a text table, `--json`, and `--csv` / `--xlsx` exports.

use super::{Failure, parse_date};
use clap::Args;
use motcua::report::{Counts, HEADERS, RATE_HEADERS, Report, write_csv, write_xlsx};
use motcua::{Desk, DeskError};
use std::path::PathBuf;

#[derive(Args)]
pub struct ReportArgs {
    /// First day received (YYYY-MM-DD or dd/MM/yyyy).
    #[arg(long)]
    from: String,
    /// Last day received, inclusive.
    #[arg(long)]
    to: String,
    #[arg(long)]
    json: bool,
    /// Also write a CSV file (UTF-8, Vietnamese headers).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also write an XLSX workbook.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
}

pub fn run(desk: &Desk, a: ReportArgs) -> Result<(), Failure> {
    let from = parse_date(&a.from)?;
    let to = parse_date(&a.to)?;
    if to < from {
        return Err(Failure::Usage(format!(
            "--to {to} trước --from {from}: khoảng thời gian rỗng"
        )));
    }
    let report = desk.report(from, to, motcua::vietnam_now())?;
    if let Some(path) = &a.csv {
        write_csv(&report, path).map_err(DeskError::from)?;
    }
    if let Some(path) = &a.xlsx {
        write_xlsx(&report, path).map_err(DeskError::from)?;
    }
    if a.json {
        println!("{}", super::json::pretty(&report));
    } else {
        print_text(&report);
    }
    Ok(())
}

fn print_text(report: &Report) {
    println!(
        "Báo cáo hồ sơ tiếp nhận từ {} đến {} (tính đến {})",
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y"),
        report.evaluated_at.format("%d/%m/%Y %H:%M")
    );
    for (header, value) in HEADERS.iter().zip(report.total.values()) {
        println!("  {header:<32} {value:>8}");
    }
    for (header, rate) in RATE_HEADERS.iter().zip(report.total.rates()) {
        let rate = rate
            .map(|r| format!("{r:.1}"))
            .unwrap_or_else(|| "—".into());
        println!("  {header:<32} {rate:>8}");
    }
    let line = |label: &str, name: &str, c: &Counts| {
        println!(
            "{label:<12} {name:<40} nhận {:>5}  xong đúng/trước hạn {:>5}  quá hạn {:>5}  đang xử lý quá hạn {:>5}",
            c.received,
            c.finished_early + c.finished_on_time,
            c.finished_late,
            c.in_process_late
        );
    };
    for p in &report.by_procedure {
        line(&p.code, &p.name, &p.counts);
    }
    for c in &report.by_clerk {
        line("Cán bộ", &c.clerk, &c.counts);
    }
}
