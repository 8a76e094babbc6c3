//! JPEG header facts for DCTDecode passthrough: size, components and resolution.
//!
//! Dimensions and component count come from `zune-jpeg`'s header decoder (the same decoder
//! `image` uses). Neither `zune-jpeg` nor `jpeg-decoder` nor `image` exposes the JFIF density
//! (their `x_density`/`y_density` fields are never filled), so the resolution is read here from
//! the JFIF APP0 segment (JFIF 1.02, "JFIF APP0 marker": units, Xdensity, Ydensity) by walking
//! the marker segments before the first frame header. Nothing else is parsed by hand.

use std::io::Cursor;

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::colorspace::ColorSpace;

use super::Dpi;

/// What a PDF image dictionary needs to describe a JPEG stream without decoding it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JpegInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Number of colour components: 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    pub components: u8,
    /// Resolution from the JFIF header, if it states one in dots per inch or per centimetre.
    pub dpi: Option<Dpi>,
    /// True for an Adobe CMYK JPEG, whose samples are stored inverted.
    pub adobe_cmyk: bool,
}

/// Read the header of a JPEG file; `Err` carries the decoder's reason when the bytes are not
/// a decodable JPEG header.
pub fn read_info(bytes: &[u8]) -> Result<JpegInfo, String> {
    let mut decoder = JpegDecoder::new(Cursor::new(bytes));
    decoder.decode_headers().map_err(|e| format!("{e:?}"))?;
    let info = decoder.info().ok_or("the JPEG has no frame header")?;
    let adobe_cmyk = matches!(
        decoder.input_colorspace(),
        Some(ColorSpace::YCCK | ColorSpace::CMYK)
    );
    Ok(JpegInfo {
        width: u32::from(info.width),
        height: u32::from(info.height),
        components: info.components,
        dpi: jfif_density(bytes),
        adobe_cmyk,
    })
}

/// The JFIF APP0 density in dots per inch, or `None` when the file has no JFIF segment or
/// states only an aspect ratio (units = 0).
pub fn jfif_density(bytes: &[u8]) -> Option<Dpi> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut pos = 2;
    loop {
        // Skip fill bytes before a marker.
        while *bytes.get(pos)? == 0xFF && *bytes.get(pos + 1)? == 0xFF {
            pos += 1;
        }
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(pos + 1)?;
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(pos + 2)?,
            *bytes.get(pos + 3)?,
        ]));
        let segment = bytes.get(pos + 4..pos + 2 + length)?;
        match marker {
            0xE0 if segment.starts_with(b"JFIF\0") && segment.len() >= 12 => {
                let units = segment[7];
                let x = f32::from(u16::from_be_bytes([segment[8], segment[9]]));
                let y = f32::from(u16::from_be_bytes([segment[10], segment[11]]));
                let per_inch = match units {
                    1 => 1.0,
                    2 => 2.54,
                    _ => return None,
                };
                if x <= 0.0 || y <= 0.0 {
                    return None;
                }
                return Some(Dpi {
                    x: x * per_inch,
                    y: y * per_inch,
                });
            }
            // A frame header or scan start: APP0 must come before these.
            0xC0..=0xCF | 0xDA => return None,
            _ => pos += 2 + length,
        }
    }
}

/// True when the file ends with the EOI marker (FFD9), allowing trailing padding of zero or
/// 0xFF bytes that some scanners append. A truncated JPEG fails this check.
pub fn has_end_marker(bytes: &[u8]) -> bool {
    let trimmed = bytes
        .iter()
        .rposition(|&b| b != 0x00)
        .map_or(&bytes[..0], |end| &bytes[..=end]);
    trimmed.ends_with(&[0xFF, 0xD9])
}
