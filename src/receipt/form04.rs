//! Mẫu 04 — PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ (Circular 01/2018/TT-VPCP, annex, form 04;
//! layout in the team's national portal sync reference, "Forms").
//!
//! Contents: number, addressee (Kính gửi), date received, request, dossier code, original due date, the
//! unit that is late and why, the apology, the new due date, distribution (Nơi nhận) and the head of the
//! agency's signature. The slip must reach the applicant before the original due date: issuing it later
//! is refused ([`ApologySlip::check`]). The new date is computed by the working-day calendar (see
//! `Desk::issue_apology`).

use chrono::NaiveDateTime;

use super::canvas::{Canvas, PAGE_WIDTH, Style};
use super::form01::{LEFT, RIGHT, heading};
use super::{Office, ReceiptError, vi_date_words, vi_time};
use crate::dossier::Dossier;

const BODY: f32 = 11.5;

/// Everything Mẫu 04 prints.
#[derive(Debug, Clone)]
pub struct ApologySlip<'a> {
    pub office: &'a Office,
    pub dossier: &'a Dossier,
    /// Why the result is late (the unit and the cause).
    pub reason: &'a str,
    /// When the slip is issued; must not be after the dossier's due time.
    pub issued_at: NaiveDateTime,
    /// The new due time.
    pub new_due: NaiveDateTime,
}

impl ApologySlip<'_> {
    /// Refuses a slip issued after the original due time or without a reason.
    pub fn check(&self) -> Result<(), ReceiptError> {
        if self.reason.trim().is_empty() {
            return Err(ReceiptError::ReasonMissing {
                code: self.dossier.code.clone(),
            });
        }
        if self.issued_at > self.dossier.due_at {
            return Err(ReceiptError::ApologyAfterDue {
                code: self.dossier.code.clone(),
                issued: self.issued_at,
                due: self.dossier.due_at,
            });
        }
        Ok(())
    }

    /// Renders the slip (one A4 page) after [`check`](Self::check).
    pub fn render(&self) -> Result<lopdf::Document, ReceiptError> {
        self.check()?;
        let d = self.dossier;
        let office = self.office.name.trim();
        let mut canvas = Canvas::new()?;
        let mut y = heading(&mut canvas, self.office, 56.0);
        y += 4.0;
        canvas.centered(160.0, y, 10.5, Style::Regular, "Số:        /PXL");
        let date = vi_date_words(self.issued_at);
        let date = format!("{}{}", date[..1].to_uppercase(), &date[1..]);
        canvas.text(
            RIGHT - canvas.width(&date, 10.5),
            y,
            10.5,
            Style::Italic,
            &date,
        );
        y += 40.0;
        canvas.centered(
            PAGE_WIDTH / 2.0,
            y,
            13.5,
            Style::Bold,
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        );
        y += 30.0;
        canvas.centered(
            PAGE_WIDTH / 2.0,
            y,
            BODY,
            Style::Regular,
            &format!("Kính gửi: Ông/Bà {}", d.applicant.full_name),
        );
        y += 26.0;
        let paragraphs = [
            format!(
                "Ngày {}, {} tiếp nhận giải quyết hồ sơ của Ông/Bà {}.",
                d.received_at.format("%d/%m/%Y"),
                office,
                d.applicant.full_name
            ),
            format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name),
            format!("Mã hồ sơ: {}", d.code),
            format!(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: {}",
                vi_time(d.due_at)
            ),
            format!(
                "Tuy nhiên đến nay, {office} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
            ),
            format!("Lý do: {}", self.reason.trim()),
            format!(
                "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. {office} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào {}.",
                vi_time(self.new_due)
            ),
            "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.".to_owned(),
        ];
        for text in &paragraphs {
            y = canvas.paragraph(LEFT + 24.0, LEFT, y, RIGHT, BODY, Style::Regular, text);
            y += 3.0;
        }
        y = canvas.ensure(y + 16.0, 120.0);
        canvas.text(LEFT, y, 10.5, Style::Bold, "Nơi nhận:");
        canvas.text(LEFT, y + 14.0, 9.5, Style::Regular, "- Như trên;");
        canvas.text(
            LEFT,
            y + 27.0,
            9.5,
            Style::Regular,
            "- Lưu: VT, Bộ phận một cửa.",
        );
        let cx = 420.0;
        canvas.centered(cx, y, 11.0, Style::Bold, "THỦ TRƯỞNG CƠ QUAN");
        canvas.centered(
            cx,
            y + 14.0,
            10.0,
            Style::Italic,
            "(Ký, ghi rõ họ tên và đóng dấu)",
        );
        Ok(canvas.into_document("Phiếu xin lỗi và hẹn lại ngày trả kết quả")?)
    }
}
