//! Multi-page TIFF import through the `tiff` crate (the `image` crate reads only the first
//! page of a TIFF).
//!
//! Handles the layouts office scanners write: bilevel (usually CCITT Group 4), 8/16-bit
//! greyscale, RGB and RGBA. WhiteIsZero photometry is already normalised by the `tiff` decoder.
//! Each page's size is checked against the pixel budget before it is decoded, and the number
//! of pages is capped by [`ImportOptions::max_pages`].

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::{DynamicImage, GrayImage, RgbImage};
use tiff::ColorType;
use tiff::decoder::ifd::Value;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use super::import::check_pixels;
use super::{CaptureError, CapturedPage, Dpi, ImportOptions, PageContent, corrupt};

/// List every page of a TIFF file: size and resolution are read from each page's directory
/// (and checked against the pixel budget) but pixels are decoded only when a page is used,
/// so a 500-page TIFF does not hold 500 decoded pages in memory.
pub(super) fn import_tiff(
    path: &Path,
    bytes: Vec<u8>,
    options: &ImportOptions,
) -> Result<Vec<CapturedPage>, CaptureError> {
    let shared: Arc<[u8]> = bytes.into();
    let mut decoder = open(path, &shared, options)?;
    let mut pages = Vec::new();
    loop {
        let number = pages.len() + 1;
        if number > options.max_pages {
            return Err(CaptureError::TooManyPages {
                path: path.to_path_buf(),
                limit: options.max_pages,
            });
        }
        let (width, height) = decoder.dimensions().map_err(|e| corrupt(path, number, e))?;
        check_pixels(path, number, width, height, options)?;
        pages.push(CapturedPage {
            source: path.to_path_buf(),
            page_in_source: number,
            content: PageContent::TiffPage {
                bytes: Arc::clone(&shared),
                index: number - 1,
            },
            dpi: tiff_dpi(&mut decoder),
        });
        if !decoder.more_images() {
            break;
        }
        decoder
            .next_image()
            .map_err(|e| corrupt(path, number + 1, e))?;
    }
    Ok(pages)
}

/// Decode one page (0-based `index`) of a TIFF file.
pub(super) fn decode_page(
    path: &Path,
    bytes: &[u8],
    index: usize,
    options: &ImportOptions,
) -> Result<DynamicImage, CaptureError> {
    let number = index + 1;
    let mut decoder = open(path, bytes, options)?;
    decoder
        .seek_to_image(index)
        .map_err(|e| corrupt(path, number, e))?;
    let (width, height) = decoder.dimensions().map_err(|e| corrupt(path, number, e))?;
    check_pixels(path, number, width, height, options)?;
    let colour = decoder.colortype().map_err(|e| corrupt(path, number, e))?;
    let data = decoder.read_image().map_err(|e| corrupt(path, number, e))?;
    to_dynamic(width, height, colour, data).ok_or_else(|| {
        corrupt(
            path,
            number,
            format!("unsupported TIFF pixel layout {colour:?}"),
        )
    })
}

fn open<'a>(
    path: &Path,
    bytes: &'a [u8],
    options: &ImportOptions,
) -> Result<Decoder<Cursor<&'a [u8]>>, CaptureError> {
    let decoder = Decoder::new(Cursor::new(bytes)).map_err(|e| corrupt(path, 1, e))?;
    let mut limits = Limits::default();
    limits.decoding_buffer_size =
        usize::try_from(options.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    Ok(decoder.with_limits(limits))
}

/// XResolution/YResolution with ResolutionUnit (TIFF 6.0, section 8): 2 = inch, 3 = centimetre.
fn tiff_dpi(decoder: &mut Decoder<Cursor<&[u8]>>) -> Option<Dpi> {
    let x = rational(decoder.find_tag(Tag::XResolution).ok().flatten()?)?;
    let y = decoder
        .find_tag(Tag::YResolution)
        .ok()
        .flatten()
        .and_then(rational)
        .unwrap_or(x);
    let unit: u16 = decoder
        .find_tag_unsigned(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .unwrap_or(2);
    let per_inch = match unit {
        2 => 1.0,
        3 => 2.54,
        _ => return None,
    };
    (x > 0.0 && y > 0.0).then_some(Dpi {
        x: (x * per_inch) as f32,
        y: (y * per_inch) as f32,
    })
}

/// A resolution value: RATIONAL as the specification says, or a float some writers use.
fn rational(value: Value) -> Option<f64> {
    match value {
        Value::Rational(n, d) if d != 0 => Some(f64::from(n) / f64::from(d)),
        Value::Float(v) => Some(f64::from(v)),
        Value::Double(v) => Some(v),
        _ => None,
    }
}

fn to_dynamic(
    width: u32,
    height: u32,
    colour: ColorType,
    data: DecodingResult,
) -> Option<DynamicImage> {
    let (w, h) = (width as usize, height as usize);
    match (colour, data) {
        (ColorType::Gray(1), DecodingResult::U8(packed)) => {
            let stride = w.div_ceil(8);
            let mut pixels = Vec::with_capacity(w * h);
            for row in packed.chunks(stride).take(h) {
                for x in 0..w {
                    let bit = (row.get(x / 8)? >> (7 - (x % 8))) & 1;
                    pixels.push(if bit == 1 { 255 } else { 0 });
                }
            }
            GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        (ColorType::Gray(8), DecodingResult::U8(pixels)) => {
            GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        (ColorType::Gray(16), DecodingResult::U16(pixels)) => {
            let pixels = pixels.iter().map(|v| (v >> 8) as u8).collect();
            GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        (ColorType::RGB(8), DecodingResult::U8(pixels)) => {
            RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        (ColorType::RGBA(8), DecodingResult::U8(pixels)) => {
            let rgb = pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
        _ => None,
    }
}
