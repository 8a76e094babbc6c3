//! Mẫu 01 — GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ (Circular 01/2018/TT-VPCP, annex, form 01;
//! layout in the team's national portal sync reference, "Forms").
//!
//! Order of the form: agency and national motto, the dossier code (text, QR, Code 128), the applicant,
//! the request, the table of documents received with counts of originals / certified copies /
//! photocopies, number of sets, statutory time, time received, time the result is due, where the result
//! is collected, and the two signature blocks (NGƯỜI NỘP HỒ SƠ, NGƯỜI TIẾP NHẬN HỒ SƠ). With two copies
//! each page is marked "Liên 1" (for the applicant) or "Liên 2" (kept by the office).

use super::canvas::{Canvas, PAGE_WIDTH, Style};
use super::{Office, ReceiptError, codes, vi_date_words, vi_time};
use crate::calendar::ProcessingTime;
use crate::dossier::{Dossier, ResultReturn};
use chrono::Timelike;

pub(crate) const LEFT: f32 = 70.0;
pub(crate) const RIGHT: f32 = 540.0;
const BODY: f32 = 11.0;

/// Everything Mẫu 01 prints.
#[derive(Debug, Clone)]
pub struct ReceiptSlip<'a> {
    pub office: &'a Office,
    pub dossier: &'a Dossier,
    /// The procedure's statutory time, from the catalogue.
    pub processing_time: ProcessingTime,
    /// The receiving officer, printed under their signature.
    pub officer: &'a str,
    /// 1, or 2 for a copy the applicant takes and one the office keeps.
    pub copies: u8,
    /// The delivery address recorded for the postal return, when it differs from the applicant's.
    pub postal_address: Option<&'a str>,
}

/// The statutory time in words.
pub fn processing_time_vi(time: ProcessingTime) -> String {
    match time {
        ProcessingTime::WorkingDays { days } => format!("{days:02} ngày làm việc"),
        // A cut-off at closing time or later never applies, so it is not printed.
        ProcessingTime::SameDay { cutoff } if cutoff.hour() >= 17 => "trong ngày".to_owned(),
        ProcessingTime::SameDay { cutoff } => format!(
            "trong ngày (nhận sau {} trả trong ngày làm việc tiếp theo)",
            cutoff.format("%H giờ %M")
        ),
    }
}

/// The two-column heading: agency on the left, national motto on the right. Returns the next baseline.
pub(crate) fn heading(canvas: &mut Canvas, office: &Office, top: f32) -> f32 {
    let left_cx = 160.0;
    let right_cx = 400.0;
    let mut y = top;
    for line in canvas.wrap(&office.name.to_uppercase(), 10.5, 200.0) {
        canvas.centered(left_cx, y, 10.5, Style::Regular, &line);
        y += 14.0;
    }
    for line in canvas.wrap(&office.unit.to_uppercase(), 10.5, 200.0) {
        canvas.centered(left_cx, y, 10.5, Style::Bold, &line);
        y += 14.0;
    }
    canvas.line(left_cx - 30.0, y - 6.5, left_cx + 30.0, y - 6.5, 0.6);
    let motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    let independence = "Độc lập - Tự do - Hạnh phúc";
    canvas.centered(right_cx, top, 10.5, Style::Bold, motto);
    canvas.centered(right_cx, top + 15.0, 11.5, Style::Bold, independence);
    let w = canvas.width(independence, 11.5);
    canvas.line(
        right_cx - w / 2.0,
        top + 19.0,
        right_cx + w / 2.0,
        top + 19.0,
        0.6,
    );
    y.max(top + 34.0)
}

impl ReceiptSlip<'_> {
    /// Renders the slip (one page per copy).
    pub fn render(&self) -> Result<lopdf::Document, ReceiptError> {
        if !(1..=2).contains(&self.copies) {
            return Err(ReceiptError::Copies(self.copies));
        }
        let mut canvas = Canvas::new()?;
        for copy in 1..=self.copies {
            if copy > 1 {
                canvas.new_page();
            }
            self.draw(&mut canvas, copy)?;
        }
        Ok(canvas.into_document("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")?)
    }

    fn draw(&self, canvas: &mut Canvas, copy: u8) -> Result<(), ReceiptError> {
        let d = self.dossier;
        if self.copies == 2 {
            let label = if copy == 1 {
                "Liên 1: Giao người nộp hồ sơ"
            } else {
                "Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả"
            };
            canvas.text(
                RIGHT - canvas.width(label, 8.5),
                30.0,
                8.5,
                Style::Italic,
                label,
            );
        }
        let mut y = heading(canvas, self.office, 56.0);
        y += 4.0;
        canvas.text(
            LEFT,
            y,
            10.0,
            Style::Regular,
            &format!("Mã hồ sơ: {}", d.code),
        );
        let date = vi_date_words(d.received_at);
        let date = format!("{}{}", date[..1].to_uppercase(), &date[1..]);
        canvas.text(
            RIGHT - canvas.width(&date, 10.5),
            y,
            10.5,
            Style::Italic,
            &date,
        );

        // Title, barcode and QR code.
        y += 36.0;
        let title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
        canvas.centered(PAGE_WIDTH / 2.0 - 20.0, y, 13.5, Style::Bold, title);
        let qr_module = 2.2;
        codes::draw_qr(canvas, &d.code, RIGHT - 62.0, y - 20.0, qr_module)?;
        codes::draw_code128(
            canvas,
            &d.code,
            PAGE_WIDTH / 2.0 - 20.0,
            y + 10.0,
            0.85,
            26.0,
        )?;
        canvas.centered(
            PAGE_WIDTH / 2.0 - 20.0,
            y + 48.0,
            9.0,
            Style::Regular,
            &d.code,
        );

        y += 78.0;
        let a = &d.applicant;
        let agency = format!(
            "{} {}",
            capitalise(&self.office.unit),
            self.office.name.trim()
        );
        y = canvas.paragraph(LEFT, LEFT, y, RIGHT, BODY, Style::Regular, &agency);
        // Contact details the applicant did not give are left out rather than printed empty.
        let contact = [("Số điện thoại", &a.phone), ("Thư điện tử", &a.email)]
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(label, v)| format!("{label}: {v}"))
            .collect::<Vec<_>>()
            .join("    ");
        let lines = [
            format!("Tiếp nhận hồ sơ của: {}", a.full_name),
            format!("Số định danh cá nhân: {}", a.citizen_id),
            format!("Địa chỉ: {}", a.address),
            contact,
            format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name),
        ];
        for line in lines.iter().filter(|l| !l.is_empty()) {
            y = canvas.paragraph(LEFT, LEFT + 12.0, y, RIGHT, BODY, Style::Regular, line);
        }
        y = canvas.paragraph(
            LEFT,
            LEFT,
            y,
            RIGHT,
            BODY,
            Style::Regular,
            "1. Thành phần hồ sơ nộp gồm:",
        );
        y = self.documents_table(canvas, y - 6.0);
        y += 8.0;
        let place = match d.result_return {
            ResultReturn::Counter => format!(
                "6. Đăng ký nhận kết quả tại: {} {}",
                self.office.unit.trim(),
                self.office.name.trim()
            ),
            ResultReturn::Post => format!(
                "6. Đăng ký nhận kết quả qua dịch vụ bưu chính công ích tại địa chỉ: {}",
                self.postal_address
                    .filter(|p| !p.trim().is_empty())
                    .unwrap_or(&a.address)
            ),
        };
        let items = [
            "2. Số lượng hồ sơ: 01 (bộ)".to_owned(),
            format!(
                "3. Thời gian giải quyết hồ sơ theo quy định là: {}",
                processing_time_vi(self.processing_time)
            ),
            format!("4. Thời gian nhận hồ sơ: {}", vi_time(d.received_at)),
            format!(
                "5. Thời gian trả kết quả giải quyết hồ sơ: {}",
                vi_time(d.due_at)
            ),
            place,
        ];
        for item in &items {
            y = canvas.paragraph(LEFT, LEFT + 12.0, y, RIGHT, BODY, Style::Regular, item);
        }
        y = canvas.ensure(y + 14.0, 110.0);
        signatures(
            canvas,
            y,
            ("NGƯỜI NỘP HỒ SƠ", &a.full_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", self.officer),
        );
        Ok(())
    }

    /// The documents table; returns the baseline after it.
    fn documents_table(&self, canvas: &mut Canvas, top: f32) -> f32 {
        let size = 10.0;
        // Column edges: TT | Tên giấy tờ | Bản chính | Bản sao chứng thực | Bản photocopy.
        let cols = [
            LEFT,
            LEFT + 28.0,
            RIGHT - 180.0,
            RIGHT - 120.0,
            RIGHT - 60.0,
            RIGHT,
        ];
        let headers = [
            "TT",
            "Tên giấy tờ",
            "Bản chính",
            "Bản sao chứng thực",
            "Bản photocopy",
        ];
        let mut rows: Vec<[String; 5]> = vec![headers.map(str::to_owned)];
        for (i, doc) in self.dossier.documents.iter().enumerate() {
            rows.push([
                (i + 1).to_string(),
                doc.name.clone(),
                count(doc.originals),
                count(doc.certified_copies),
                count(doc.photocopies),
            ]);
        }
        let mut y = top;
        canvas.line(cols[0], y, cols[5], y, 0.6);
        for (r, row) in rows.iter().enumerate() {
            let style = if r == 0 { Style::Bold } else { Style::Regular };
            let cells: Vec<Vec<String>> = row
                .iter()
                .enumerate()
                .map(|(c, text)| canvas.wrap(text, size, cols[c + 1] - cols[c] - 6.0))
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1) as f32;
            let height = lines * size * 1.3 + 6.0;
            let next = canvas.ensure(y, height);
            if next < y {
                y = next;
                canvas.line(cols[0], y, cols[5], y, 0.6);
            }
            for (c, cell) in cells.iter().enumerate() {
                for (l, text) in cell.iter().enumerate() {
                    let baseline = y + 3.0 + size + l as f32 * size * 1.3;
                    if c == 1 && r > 0 {
                        canvas.text(cols[c] + 3.0, baseline, size, style, text);
                    } else {
                        canvas.centered((cols[c] + cols[c + 1]) / 2.0, baseline, size, style, text);
                    }
                }
            }
            for x in cols {
                canvas.line(x, y, x, y + height, 0.6);
            }
            y += height;
            canvas.line(cols[0], y, cols[5], y, 0.6);
        }
        y + BODY * 1.45
    }
}

fn count(n: u32) -> String {
    if n == 0 {
        "-".to_owned()
    } else {
        format!("{n:02}")
    }
}

fn capitalise(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Two signature blocks side by side, with a space to sign and the printed name below.
pub(crate) fn signatures(canvas: &mut Canvas, y: f32, left: (&str, &str), right: (&str, &str)) {
    let hint = "(Ký và ghi rõ họ tên)";
    for ((title, name), cx) in [(left, 170.0), (right, 440.0)] {
        if title.is_empty() {
            continue;
        }
        canvas.centered(cx, y, 11.0, Style::Bold, title);
        canvas.centered(cx, y + 14.0, 10.0, Style::Italic, hint);
        canvas.centered(cx, y + 80.0, 11.0, Style::Bold, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn statutory_time_in_words() {
        let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        assert_eq!(
            processing_time_vi(ProcessingTime::WorkingDays { days: 7 }),
            "07 ngày làm việc"
        );
        assert_eq!(
            processing_time_vi(ProcessingTime::SameDay { cutoff: hm(15) }),
            "trong ngày (nhận sau 15 giờ 00 trả trong ngày làm việc tiếp theo)"
        );
        assert_eq!(
            processing_time_vi(ProcessingTime::SameDay { cutoff: hm(17) }),
            "trong ngày"
        );
    }
}
