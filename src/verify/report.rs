//! Rendering of [`FileReport`]s: terminal text, JSON (schema in docs/verify-json.md) and a
//! one-page Vietnamese HTML report a supervisor can print or archive.

use super::{FileReport, ModificationLevel, Revocation, SignatureReport, TimeSource, Verdict};

fn verdict_vi(v: Verdict) -> &'static str {
    match v {
        Verdict::Valid => "HỢP LỆ",
        Verdict::ValidWithWarnings => "HỢP LỆ (CÓ CẢNH BÁO)",
        Verdict::Indeterminate => "CHƯA XÁC ĐỊNH",
        Verdict::Invalid => "KHÔNG HỢP LỆ",
    }
}

fn modification_text(m: ModificationLevel) -> &'static str {
    match m {
        ModificationLevel::None => "none",
        ModificationLevel::Signatures => "signatures/timestamps/DSS added",
        ModificationLevel::FormFilling => "form filled",
        ModificationLevel::Annotations => "annotations",
        ModificationLevel::Disallowed => "DISALLOWED changes",
    }
}

fn revocation_text(r: &Revocation) -> String {
    match r {
        Revocation::Good => "good (CRL/OCSP)".into(),
        Revocation::Revoked { subject, date } => format!("REVOKED: {subject} on {date}"),
        Revocation::NotChecked => "not checked (sources unavailable)".into(),
        Revocation::NoSource => "not checked (no CRL/OCSP source)".into(),
    }
}

fn time_text(s: &SignatureReport) -> String {
    let when = s.signing_time.as_deref().unwrap_or("-");
    match s.time_source {
        TimeSource::Timestamp => format!("{when} (time-stamp)"),
        TimeSource::DocumentTimestamp => format!("before {when} (document time-stamp)"),
        TimeSource::Claimed => format!("{when} (claimed)"),
        TimeSource::Now => format!("{when} (now (no time in the signature))"),
    }
}

/// The terminal report of one file.
pub fn text(report: &FileReport) -> String {
    let mut out = format!("{}: {}\n", report.path, report.verdict.as_str());
    for e in &report.errors {
        out.push_str(&format!("  ! {e}\n"));
    }
    for (i, s) in report.signatures.iter().enumerate() {
        out.push_str(&format!(
            "  #{} {} {} [{}] {}\n",
            i + 1,
            s.kind,
            s.field.as_deref().unwrap_or("(no field)"),
            s.sub_filter.as_deref().unwrap_or("-"),
            s.verdict.as_str()
        ));
        out.push_str(&format!(
            "     signer: {}; intact: {}; valid: {}; trusted: {}\n",
            s.signer.as_deref().unwrap_or("-"),
            s.intact,
            s.valid,
            s.trusted
        ));
        out.push_str(&format!(
            "     time: {}; revocation: {}; covers: {}; later changes: {}\n",
            time_text(s),
            revocation_text(&s.revocation),
            if s.whole_document {
                "whole document"
            } else {
                "an earlier revision"
            },
            modification_text(s.modification)
        ));
        if let Some(p) = s.certification {
            out.push_str(&format!("     certification signature, DocMDP P={p}\n"));
        }
        for e in &s.errors {
            out.push_str(&format!("     ✗ {e}\n"));
        }
        for w in &s.warnings {
            out.push_str(&format!("     ⚠ {w}\n"));
        }
        for c in &s.changes {
            out.push_str(&format!("     ~ {c}\n"));
        }
    }
    out
}

/// The JSON report of one file (docs/verify-json.md).
pub fn json(report: &FileReport) -> serde_json::Value {
    serde_json::json!({ "schema": "motcua-verify/1", "file": report })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn modification_vi(m: ModificationLevel) -> &'static str {
    match m {
        ModificationLevel::None => "Không thay đổi",
        ModificationLevel::Signatures => {
            "Thêm chữ ký / dấu thời gian / dữ liệu kiểm tra (được phép)"
        }
        ModificationLevel::FormFilling => "Điền biểu mẫu",
        ModificationLevel::Annotations => "Thêm ghi chú",
        ModificationLevel::Disallowed => "THAY ĐỔI KHÔNG ĐƯỢC PHÉP",
    }
}

fn revocation_vi(r: &Revocation) -> String {
    match r {
        Revocation::Good => "Chưa bị thu hồi (CRL/OCSP)".into(),
        Revocation::Revoked { subject, date } => format!("ĐÃ BỊ THU HỒI: {subject}, ngày {date}"),
        Revocation::NotChecked => "Chưa kiểm tra được (không lấy được CRL/OCSP)".into(),
        Revocation::NoSource => "Chưa kiểm tra (chứng thư không nêu nguồn CRL/OCSP)".into(),
    }
}

fn time_vi(s: &SignatureReport) -> String {
    let when = s.signing_time.as_deref().unwrap_or("-");
    match s.time_source {
        TimeSource::Timestamp => format!("{when} (theo dấu thời gian)"),
        TimeSource::DocumentTimestamp => {
            format!("trước {when} (theo dấu thời gian của tài liệu)")
        }
        TimeSource::Claimed => format!("{when} (do người ký khai, chưa xác thực)"),
        TimeSource::Now => format!("{when} (không có trong chữ ký)"),
    }
}

fn yes(b: bool) -> &'static str {
    if b { "Có" } else { "Không" }
}

/// A one-page Vietnamese HTML report, self-contained (no scripts, no external files).
pub fn html(report: &FileReport, generated: &str) -> String {
    let mut rows = String::new();
    for (i, s) in report.signatures.iter().enumerate() {
        let mut notes = String::new();
        for e in &s.errors {
            notes.push_str(&format!("<li class=\"err\">{}</li>", esc(e)));
        }
        for w in &s.warnings {
            notes.push_str(&format!("<li>{}</li>", esc(w)));
        }
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td><b>{}</b><ul>{}</ul></td></tr>\n",
            i + 1,
            esc(s.signer.as_deref().unwrap_or("-")),
            esc(&s.chain.join(" → ")),
            esc(&time_vi(s)),
            yes(s.intact),
            yes(s.valid),
            yes(s.trusted),
            esc(&revocation_vi(&s.revocation)),
            esc(modification_vi(s.modification)),
            verdict_vi(s.verdict),
            notes
        ));
    }
    let errors: String = report
        .errors
        .iter()
        .map(|e| format!("<p class=\"err\">{}</p>", esc(e)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
<title>Biên bản kiểm tra chữ ký số</title>\
<style>@page{{size:A4;margin:15mm}}body{{font-family:sans-serif;font-size:11pt}}\
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #444;padding:3px;vertical-align:top}}\
.err{{color:#a00}}h1{{font-size:15pt}}</style></head><body>\
<h1>BIÊN BẢN KIỂM TRA CHỮ KÝ SỐ</h1>\
<p>Tệp: <b>{}</b><br>Kích thước: {} byte — SHA-256: <code>{}</code><br>Thời điểm kiểm tra: {}</p>\
<p>Kết luận: <b>{}</b></p>{}\
<table><tr><th>#</th><th>Người ký / chuỗi chứng thư</th><th>Thời điểm ký</th><th>Toàn vẹn</th>\
<th>Chữ ký đúng</th><th>Tin cậy</th><th>Thu hồi</th><th>Thay đổi sau khi ký</th><th>Kết quả</th></tr>\n{}</table>\
<p><small>Tạo bởi MotCua Desk (motcua verify). HỢP LỆ: nguyên vẹn, chữ ký đúng, chứng thư tin cậy; \
CHƯA XÁC ĐỊNH: không xác định được độ tin cậy. Chi tiết kỹ thuật (tiếng Anh) dưới mỗi kết quả.</small></p></body></html>\n",
        esc(&report.path),
        report.size,
        report.sha256,
        esc(generated),
        verdict_vi(report.verdict),
        errors,
        rows
    )
}
