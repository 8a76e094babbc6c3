//! Generates the CCCD test pictures in tests/fixtures/cccd/ (for the "fill from CCCD" tests and the
//! end-to-end run): `cargo run --example make_cccd -- tests/fixtures/cccd`.
//!
//! Writes `card-back.png`: a card-sized (85.6 × 54 mm at 300 dpi) back side with the QR code of a made-up
//! citizen, in the real layout `ID|old ID|name|ddMMyyyy|sex|address|ddMMyyyy`, beside grey bars standing
//! for the printed text; `card-photo.jpg`: the same card photographed — scaled to 60 %, turned by 7°, on a
//! darker table with some noise, saved as JPEG; `card-front.png`: a card without any QR code (the error
//! path). Deterministic (a fixed pseudo-random sequence), so a rerun gives the same pixels.

use std::path::PathBuf;
use std::process::ExitCode;

use image::{GrayImage, Luma, Rgb, RgbImage};

/// The made-up citizen on the test card (no real person).
pub const CARD_TEXT: &str = "001190012345|123456789|Nguyễn Thị Hồng Nhung|02031990|Nữ|Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội|15082021";

const CARD_W: u32 = 1011;
const CARD_H: u32 = 638;

fn main() -> ExitCode {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "tests/fixtures/cccd".into()),
    );
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let back = card(true);
    let front = card(false);
    let photo = photograph(&back);
    let results = [
        back.save(out.join("card-back.png")),
        front.save(out.join("card-front.png")),
        photo.save_with_format(out.join("card-photo.jpg"), image::ImageFormat::Jpeg),
    ];
    for r in results {
        if let Err(e) = r {
            eprintln!("cannot write into {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "wrote card-back.png, card-front.png, card-photo.jpg into {}",
        out.display()
    );
    ExitCode::SUCCESS
}

/// A card: pale background, a header band, bars for text lines, and the QR on the right when `with_qr`.
fn card(with_qr: bool) -> RgbImage {
    let mut img = RgbImage::from_pixel(CARD_W, CARD_H, Rgb([232, 238, 240]));
    fill(&mut img, 0, 0, CARD_W, 70, Rgb([176, 196, 210]));
    for (i, width) in [520u32, 430, 560, 380, 500, 300, 460].iter().enumerate() {
        fill(
            &mut img,
            50,
            120 + i as u32 * 62,
            *width,
            22,
            Rgb([90, 96, 104]),
        );
    }
    if with_qr {
        let code =
            qrcode::QrCode::with_error_correction_level(CARD_TEXT.as_bytes(), qrcode::EcLevel::M)
                .expect("the test text fits a QR code");
        let modules = code.width() as u32;
        let colors = code.to_colors();
        let scale = 5u32; // 5 px per module: about 0.4 mm at 300 dpi, like a printed card
        let quiet = 4 * scale;
        let size = modules * scale + 2 * quiet;
        let (x0, y0) = (CARD_W - size - 40, (CARD_H - size) / 2 + 20);
        fill(&mut img, x0, y0, size, size, Rgb([255, 255, 255]));
        for (i, colour) in colors.iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (mx, my) = (i as u32 % modules, i as u32 / modules);
                fill(
                    &mut img,
                    x0 + quiet + mx * scale,
                    y0 + quiet + my * scale,
                    scale,
                    scale,
                    Rgb([20, 20, 24]),
                );
            }
        }
    }
    img
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, colour);
        }
    }
}

/// The card as a phone photo: 60 % scale, rotated 7° about its centre (bilinear), on a grey-brown
/// table of 1200 × 900 pixels, with small deterministic noise.
fn photograph(card: &RgbImage) -> GrayImage {
    let grey = image::DynamicImage::ImageRgb8(card.clone()).to_luma8();
    let (w, h) = (1200u32, 900u32);
    let (angle, scale) = (7f32.to_radians(), 0.6f32);
    let (cos, sin) = (angle.cos(), angle.sin());
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (gx, gy) = (grey.width() as f32 / 2.0, grey.height() as f32 / 2.0);
    let mut seed = 0x2545_f491_u32;
    GrayImage::from_fn(w, h, |x, y| {
        // Inverse mapping: from the photo pixel back to the card pixel.
        let (dx, dy) = ((x as f32 - cx) / scale, (y as f32 - cy) / scale);
        let (sx, sy) = (cos * dx + sin * dy + gx, -sin * dx + cos * dy + gy);
        let base = sample(&grey, sx, sy).unwrap_or(110.0);
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 17) as f32 - 8.0;
        Luma([(base + noise).clamp(0.0, 255.0) as u8])
    })
}

fn sample(img: &GrayImage, x: f32, y: f32) -> Option<f32> {
    if x < 0.0 || y < 0.0 || x >= (img.width() - 1) as f32 || y >= (img.height() - 1) as f32 {
        return None;
    }
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |xx, yy| f32::from(img.get_pixel(xx, yy).0[0]);
    let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
    let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
    Some(top * (1.0 - fy) + bottom * fy)
}
