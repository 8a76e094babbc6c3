//! Human-readable CLI output (Vietnamese), for the terminal.

use motcua::catalog::Procedure;
use motcua::dossier::Dossier;
use motcua::dossier::deadline::{DeadlineState, remaining_vi};
use motcua::store::{AuditReport, AuditTamper, BlobProblem};

pub fn procedures(list: &[Procedure]) {
    for p in list {
        let sample = if p.sample { " (mẫu)" } else { "" };
        println!("{:<24} {}{}", p.code, p.name, sample);
    }
    println!("{} thủ tục", list.len());
}

pub fn dossiers(list: &[(Dossier, DeadlineState)], day_minutes: i64) {
    for (d, s) in list {
        let mut left = remaining_vi(s.remaining_minutes, day_minutes);
        if s.paused {
            left.push_str(" (tạm dừng)");
        } else if s.stopped {
            left = if s.remaining_minutes < 0 {
                "trễ hạn"
            } else {
                "đúng hạn"
            }
            .to_owned();
        }
        println!(
            "{:<28} {:<28} {:<12} hẹn {}  {:<4} {:<24} {}",
            d.code,
            d.applicant.full_name,
            d.procedure_code,
            s.effective_due.format("%d/%m/%Y %H:%M"),
            s.colour.label_vi(),
            left,
            d.status.label_vi()
        );
    }
    println!("{} hồ sơ", list.len());
}

pub fn dossier(d: &Dossier) {
    println!("Mã hồ sơ:      {}", d.code);
    println!("Thủ tục:       {} — {}", d.procedure_code, d.procedure_name);
    println!(
        "Người nộp:     {} (CCCD {})",
        d.applicant.full_name, d.applicant.citizen_id
    );
    println!("Tiếp nhận:     {}", d.received_at.format("%d/%m/%Y %H:%M"));
    println!("Hẹn trả:       {}", d.due_at.format("%d/%m/%Y %H:%M"));
    println!("Trạng thái:    {}", d.status.label_vi());
    println!("Thành phần hồ sơ:");
    for doc in &d.documents {
        let mark = if doc.mandatory { "*" } else { " " };
        println!("  {mark} {} — {}", doc.code, doc.name);
    }
}

pub fn audit(report: &AuditReport) {
    if report.is_intact() {
        println!(
            "Nhật ký toàn vẹn: {} mục, mã cuối {}",
            report.entries, report.head_hash
        );
        return;
    }
    println!("NHẬT KÝ BỊ SỬA ĐỔI ({} vấn đề):", report.problems.len());
    for p in &report.problems {
        match p {
            AuditTamper::Modified { seq } => println!("  mục {seq}: nội dung không khớp mã băm"),
            AuditTamper::BrokenLink { seq } => {
                println!("  mục {seq}: không nối với mục trước (có mục bị xoá?)")
            }
            AuditTamper::Gap {
                after_seq,
                next_seq,
            } => println!("  thiếu các mục giữa {after_seq} và {next_seq}"),
            AuditTamper::Head {
                expected_count,
                found_count,
            } => {
                println!(
                    "  đầu chuỗi ghi {expected_count} mục nhưng có {found_count}: mục cuối bị xoá?"
                )
            }
        }
    }
}

pub fn store_check(checked: usize, problems: &[BlobProblem]) {
    for p in problems {
        match p {
            BlobProblem::Missing { path, .. } => println!("thiếu tệp {}", path.display()),
            BlobProblem::HashMismatch { path, .. } => {
                println!("tệp {} đã bị thay đổi", path.display())
            }
            BlobProblem::Unreadable { path, message, .. } => {
                println!("không đọc được {}: {message}", path.display())
            }
        }
    }
    println!("Đã kiểm tra {checked} tệp, {} lỗi", problems.len());
}
