//! `motcua dossier fees|pay|post|result|return|at-risk`: a dossier's fees, payment, postal return, result and
//! result-return channel, and the dossiers that need an apology slip now. JSON shapes in docs/cli-json.md.

use super::{Failure, parse_date_time};
use clap::{Args, ValueEnum};
use motcua::catalog::Fee;
use motcua::dossier::ResultReturn;
use motcua::dossier::settlement::{Payment, PaymentMethod, PostalReturn, Settlement};
use motcua::{ApologyCandidate, Desk};
use std::path::PathBuf;

fn vn(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+07:00").to_string()
}

#[derive(Args)]
pub struct FeesArgs {
    code: String,
    /// Replace the fees with these, each "NAME=AMOUNT" in đồng (repeat); without it, show them.
    #[arg(long = "set", value_name = "NAME=AMOUNT")]
    set: Vec<String>,
    /// Remove every fee (the dossier owes nothing).
    #[arg(long, conflicts_with = "set")]
    clear: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    Cash,
    Online,
    Transfer,
    Exempt,
}

#[derive(Args)]
pub struct PayArgs {
    code: String,
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Receipt (biên lai) or transaction number; not for `exempt`.
    #[arg(long, default_value = "")]
    receipt: String,
    /// When it was paid, local time "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    at: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct PostArgs {
    code: String,
    /// Delivery address (default: the one recorded before, else the applicant's address).
    #[arg(long)]
    address: Option<String>,
    /// Postal tracking number (số hiệu bưu gửi).
    #[arg(long)]
    tracking: Option<String>,
    /// When the result was handed to the post, "YYYY-MM-DD HH:MM".
    #[arg(long)]
    sent: Option<String>,
    /// When it was delivered, "YYYY-MM-DD HH:MM".
    #[arg(long)]
    delivered: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ResultArgs {
    code: String,
    /// The signed result PDF scanned or received at the counter.
    file: PathBuf,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReturnArg {
    Counter,
    Post,
}

#[derive(Args)]
pub struct ReturnArgs {
    code: String,
    #[arg(value_enum)]
    channel: ReturnArg,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AtRiskArgs {
    /// Evaluate at this local time "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    at: Option<String>,
    #[arg(long)]
    json: bool,
}

/// The documented JSON of a settlement.
pub fn settlement_json(s: &Settlement) -> serde_json::Value {
    serde_json::json!({
        "code": s.code,
        "fees": s.fees,
        "fees_total_vnd": s.fees_total_vnd,
        "payment": s.payment.as_ref().map(|p| serde_json::json!({
            "method": p.method.as_str(),
            "receipt_no": p.receipt_no,
            "paid_at": vn(p.paid_at),
            "via_portal": s.payment_via_portal,
        })),
        "result_return": match s.result_return { ResultReturn::Counter => "counter", ResultReturn::Post => "post" },
        "postal": s.postal.as_ref().map(|p| serde_json::json!({
            "address": p.address,
            "tracking_no": p.tracking_no,
            "sent_at": p.sent_at.map(vn),
            "delivered_at": p.delivered_at.map(vn),
        })),
        "result": s.result.as_ref().map(|r| serde_json::json!({
            "sha256": r.sha256,
            "source": r.source.as_str(),
            "attached_at": r.attached_at.map(vn),
        })),
    })
}

fn print(s: &Settlement, json: bool) {
    if json {
        println!("{}", super::json::pretty(&settlement_json(s)));
        return;
    }
    println!("Hồ sơ {}", s.code);
    for f in &s.fees {
        println!("  {}: {} đồng", f.name, f.amount_vnd);
    }
    println!("  Tổng phí, lệ phí: {} đồng", s.fees_total_vnd);
    match &s.payment {
        Some(p) => println!(
            "  Thanh toán: {} {} lúc {}",
            if s.payment_via_portal {
                "Thanh toán trực tuyến (qua cổng)"
            } else {
                p.method.label_vi()
            },
            p.receipt_no,
            p.paid_at.format("%d/%m/%Y %H:%M")
        ),
        None => println!("  Thanh toán: chưa"),
    }
    match s.result_return {
        ResultReturn::Counter => println!("  Nhận kết quả: tại Bộ phận một cửa"),
        ResultReturn::Post => println!("  Nhận kết quả: qua dịch vụ bưu chính công ích"),
    }
    if let Some(p) = &s.postal {
        let day = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| t.format("%d/%m/%Y %H:%M").to_string())
                .unwrap_or_else(|| "—".into())
        };
        println!(
            "  Bưu chính: {} · số hiệu {} · gửi {} · phát {}",
            p.address,
            if p.tracking_no.is_empty() {
                "—"
            } else {
                &p.tracking_no
            },
            day(p.sent_at),
            day(p.delivered_at)
        );
    }
    match &s.result {
        Some(r) => println!("  Kết quả: {} ({})", r.sha256, r.source.as_str()),
        None => println!("  Kết quả: chưa số hoá"),
    }
}

pub fn fees(desk: &Desk, a: FeesArgs, actor: &str) -> Result<(), Failure> {
    let s = if a.set.is_empty() && !a.clear {
        desk.settlement(&a.code)?
    } else {
        let fees = a
            .set
            .iter()
            .map(|item| {
                let (name, amount) = item.rsplit_once('=').ok_or_else(|| {
                    Failure::Usage(format!("khoản phí {item:?} phải có dạng TÊN=SỐ_TIỀN"))
                })?;
                let amount_vnd = amount.trim().replace(['.', ','], "").parse().map_err(|_| {
                    Failure::Usage(format!("số tiền {amount:?} phải là số đồng nguyên"))
                })?;
                Ok(Fee {
                    name: name.to_owned(),
                    amount_vnd,
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        desk.set_fees(&a.code, &fees, actor)?
    };
    print(&s, a.json);
    Ok(())
}

pub fn pay(desk: &Desk, a: PayArgs, actor: &str) -> Result<(), Failure> {
    let paid_at = match a.at.as_deref() {
        Some(t) => parse_date_time(t)?,
        None => motcua::vietnam_now(),
    };
    let method = match a.method {
        MethodArg::Cash => PaymentMethod::Cash,
        MethodArg::Online => PaymentMethod::Online,
        MethodArg::Transfer => PaymentMethod::Transfer,
        MethodArg::Exempt => PaymentMethod::Exempt,
    };
    let s = desk.record_payment(
        &a.code,
        &Payment {
            method,
            receipt_no: a.receipt,
            paid_at,
        },
        actor,
    )?;
    print(&s, a.json);
    Ok(())
}

pub fn post(desk: &Desk, a: PostArgs, actor: &str) -> Result<(), Failure> {
    let before = desk.settlement(&a.code)?.postal;
    let time = |t: &Option<String>| t.as_deref().map(parse_date_time).transpose();
    let address = match (a.address, &before) {
        (Some(address), _) => address,
        (None, Some(p)) => p.address.clone(),
        (None, None) => desk.dossier(&a.code)?.applicant.address,
    };
    let postal = PostalReturn {
        address,
        tracking_no: a
            .tracking
            .or_else(|| before.as_ref().map(|p| p.tracking_no.clone()))
            .unwrap_or_default(),
        sent_at: time(&a.sent)?.or(before.as_ref().and_then(|p| p.sent_at)),
        delivered_at: time(&a.delivered)?.or(before.as_ref().and_then(|p| p.delivered_at)),
    };
    let s = desk.record_postal(&a.code, &postal, actor)?;
    print(&s, a.json);
    Ok(())
}

pub fn result(desk: &Desk, a: ResultArgs, actor: &str) -> Result<(), Failure> {
    let s = desk.attach_result(&a.code, &a.file, actor)?;
    print(&s, a.json);
    Ok(())
}

pub fn result_return(desk: &Desk, a: ReturnArgs, actor: &str) -> Result<(), Failure> {
    let channel = match a.channel {
        ReturnArg::Counter => ResultReturn::Counter,
        ReturnArg::Post => ResultReturn::Post,
    };
    let s = desk.set_result_return(&a.code, channel, actor)?;
    print(&s, a.json);
    Ok(())
}

pub fn at_risk(desk: &Desk, a: AtRiskArgs) -> Result<(), Failure> {
    let now = match a.at.as_deref() {
        Some(t) => parse_date_time(t)?,
        None => motcua::vietnam_now(),
    };
    let list: Vec<ApologyCandidate> = desk.apology_candidates(now)?;
    if a.json {
        let items: Vec<serde_json::Value> = list
            .iter()
            .map(|c| {
                serde_json::json!({
                    "code": c.code,
                    "applicant_name": c.applicant_name,
                    "procedure_name": c.procedure_name,
                    "due_at": vn(c.due_at),
                    "effective_due": vn(c.effective_due),
                    "remaining_minutes": c.remaining_minutes,
                    "colour": c.colour,
                })
            })
            .collect();
        println!("{}", super::json::pretty(&items));
        return Ok(());
    }
    if list.is_empty() {
        println!("Không có hồ sơ cần lập phiếu xin lỗi (Mẫu 04).");
    }
    let day = desk.calendar().hours().day_length().num_minutes();
    for c in &list {
        println!(
            "{}  {}  hẹn trả {}  còn {}",
            c.code,
            c.applicant_name,
            c.due_at.format("%d/%m/%Y %H:%M"),
            motcua::dossier::deadline::remaining_vi(c.remaining_minutes, day)
        );
    }
    Ok(())
}
