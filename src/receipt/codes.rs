//! The dossier code as machine-readable symbols on the slips: a QR code (ISO/IEC 18004, from `qrcode`)
//! and a Code 128 barcode (ISO/IEC 15417, subset B, from `barcoders`), both drawn as filled PDF
//! rectangles rather than images, so they stay sharp at any printer resolution and add no image codec.
//!
//! Code 128 subset B covers every printable ASCII character, which is all a dossier code contains
//! (`{agency}-{yyMMdd}-{nnnn}`); `barcoders` is a small, dependency-free encoder (its image and SVG
//! outputs are off), so the 107-entry symbol table is not retyped here.

use super::ReceiptError;
use super::canvas::Canvas;

/// Draws `data` as a QR code (error correction level M) with its top-left module at (`x`, `y`),
/// `module` points per module. Returns the symbol's side in points (without quiet zone).
pub fn draw_qr(
    canvas: &mut Canvas,
    data: &str,
    x: f32,
    y: f32,
    module: f32,
) -> Result<f32, ReceiptError> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ReceiptError::Symbol {
            data: data.to_owned(),
            reason: format!("QR: {e}"),
        })?;
    let width = code.width();
    let colors = code.to_colors();
    for (row, cells) in colors.chunks(width).enumerate() {
        // One rectangle per horizontal run of dark modules.
        let mut col = 0;
        while col < cells.len() {
            if cells[col] == qrcode::Color::Dark {
                let start = col;
                while col < cells.len() && cells[col] == qrcode::Color::Dark {
                    col += 1;
                }
                canvas.fill(
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                );
            } else {
                col += 1;
            }
        }
    }
    Ok(width as f32 * module)
}

/// Draws `data` as a Code 128 (subset B) barcode, `module` points per narrow bar, `height` tall,
/// centred on `cx` with its top at `y`. Returns its width in points.
pub fn draw_code128(
    canvas: &mut Canvas,
    data: &str,
    cx: f32,
    y: f32,
    module: f32,
    height: f32,
) -> Result<f32, ReceiptError> {
    let symbol = barcoders::sym::code128::Code128::new(format!("Ɓ{data}")).map_err(|e| {
        ReceiptError::Symbol {
            data: data.to_owned(),
            reason: format!("Code 128: {e}"),
        }
    })?;
    let modules = symbol.encode();
    let width = modules.len() as f32 * module;
    let left = cx - width / 2.0;
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            canvas.fill(
                left + start as f32 * module,
                y,
                (i - start) as f32 * module,
                height,
            );
        } else {
            i += 1;
        }
    }
    Ok(width)
}
