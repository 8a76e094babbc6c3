//! Page image encodings for PDF image XObjects (ISO 32000-1, 8.9.5 "Image dictionaries" and
//! 7.4 "Filters"): DCTDecode passthrough, JPEG re-encoding, FlateDecode and CCITTFaxDecode
//! Group 4, and the profiles that choose between them.

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, GrayImage, ImageEncoder, imageops};

use crate::capture::JpegInfo;
use crate::capture::cleanup::binarize::INK;

/// Output size/quality trade-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Smallest files for upload over weak links: JPEG quality 50, colour and grey pages
    /// limited to 150 dpi (11-point text stays legible in grey), bilevel pages to 240 dpi.
    #[default]
    Compact,
    /// JPEG quality 75 at the scan's resolution.
    Balanced,
    /// Lossless: Flate for grey and colour, G4 for bilevel, unedited JPEGs passed through.
    Archive,
}

impl Profile {
    /// JPEG quality for re-encoded pages; `None` means lossless Flate.
    pub fn jpeg_quality(self) -> Option<u8> {
        match self {
            Profile::Compact => Some(50),
            Profile::Balanced => Some(75),
            Profile::Archive => None,
        }
    }

    /// Highest resolution kept for grey and colour pages.
    pub fn max_continuous_tone_dpi(self) -> Option<f32> {
        match self {
            Profile::Compact => Some(150.0),
            Profile::Balanced | Profile::Archive => None,
        }
    }

    /// Highest resolution kept for black-and-white pages: compact stores them at 240 dpi
    /// at most (Vietnamese diacritics stay clear; Group 4 shrinks with the resolution).
    pub fn max_bilevel_dpi(self) -> Option<f32> {
        match self {
            Profile::Compact => Some(240.0),
            Profile::Balanced | Profile::Archive => None,
        }
    }

    /// Parse the CLI spelling (`compact`, `balanced`, `archive`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "compact" => Some(Profile::Compact),
            "balanced" => Some(Profile::Balanced),
            "archive" => Some(Profile::Archive),
            _ => None,
        }
    }
}

/// Colour space of an embedded image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageColour {
    /// DeviceGray (1 or 8 bits).
    Grey,
    /// DeviceRGB.
    Rgb,
    /// DeviceCMYK (Adobe JPEGs, stored inverted).
    Cmyk,
}

/// Stream filter of an embedded image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFilter {
    /// JPEG bytes as they came from the scanner (no re-encoding).
    DctPassthrough,
    /// JPEG re-encoded at the profile's quality.
    Dct,
    /// zlib/deflate of raw samples.
    Flate,
    /// CCITT Group 4 (T.6) of a bilevel page.
    CcittG4,
}

/// Image samples ready to become an image XObject.
#[derive(Debug, Clone)]
pub struct EncodedImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour space.
    pub colour: ImageColour,
    /// 1 for bilevel, 8 otherwise.
    pub bits_per_component: u8,
    /// How `data` is encoded.
    pub filter: ImageFilter,
    /// The encoded stream content.
    pub data: ImageData,
}

/// Where an image stream's bytes are.
#[derive(Debug, Clone)]
pub enum ImageData {
    /// Encoded here, in memory.
    Bytes(Vec<u8>),
    /// A whole file used as it is (a passed-through JPEG), copied into the PDF file to file.
    File {
        /// The file.
        path: std::path::PathBuf,
        /// Its size when it was imported; the copy fails if it changed.
        length: u64,
    },
}

impl ImageData {
    /// Size of the stream in bytes.
    pub fn len(&self) -> usize {
        match self {
            ImageData::Bytes(bytes) => bytes.len(),
            ImageData::File { length, .. } => *length as usize,
        }
    }

    /// True for an empty stream.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl EncodedImage {
    /// Embed a JPEG file unchanged (DCTDecode passthrough) from the file at `path`.
    pub fn jpeg_passthrough(path: &std::path::Path, length: u64, info: &JpegInfo) -> Self {
        let colour = match info.components {
            1 => ImageColour::Grey,
            4 => ImageColour::Cmyk,
            _ => ImageColour::Rgb,
        };
        EncodedImage {
            width: info.width,
            height: info.height,
            colour,
            bits_per_component: 8,
            filter: ImageFilter::DctPassthrough,
            data: ImageData::File {
                path: path.to_path_buf(),
                length,
            },
        }
    }

    /// Encode a grey (L8) or colour image as baseline JPEG at `quality` (1–100).
    pub fn jpeg(image: &DynamicImage, quality: u8) -> Result<Self, String> {
        let (data, colour) = match image {
            DynamicImage::ImageLuma8(grey) => (
                encode_jpeg(
                    grey.as_raw(),
                    grey.width(),
                    grey.height(),
                    image::ExtendedColorType::L8,
                    quality,
                )?,
                ImageColour::Grey,
            ),
            other => {
                let rgb = other.to_rgb8();
                (
                    encode_jpeg(
                        rgb.as_raw(),
                        rgb.width(),
                        rgb.height(),
                        image::ExtendedColorType::Rgb8,
                        quality,
                    )?,
                    ImageColour::Rgb,
                )
            }
        };
        Ok(EncodedImage {
            width: image.width(),
            height: image.height(),
            colour,
            bits_per_component: 8,
            filter: ImageFilter::Dct,
            data: ImageData::Bytes(data),
        })
    }

    /// Encode a grey (L8) or colour image losslessly with Flate.
    pub fn flate(image: &DynamicImage) -> Result<Self, String> {
        let (raw, colour) = match image {
            DynamicImage::ImageLuma8(grey) => (grey.as_raw().clone(), ImageColour::Grey),
            other => (other.to_rgb8().into_raw(), ImageColour::Rgb),
        };
        let data = deflate(&raw)?;
        Ok(EncodedImage {
            width: image.width(),
            height: image.height(),
            colour,
            bits_per_component: 8,
            filter: ImageFilter::Flate,
            data: ImageData::Bytes(data),
        })
    }

    /// Encode a bilevel page (ink = 0) as CCITT Group 4 with the `fax` crate.
    pub fn ccitt_g4(bilevel: &GrayImage) -> Result<Self, String> {
        let (width, height) = bilevel.dimensions();
        let columns = u16::try_from(width)
            .map_err(|_| format!("{width} pixels is wider than CCITT G4 allows (65535)"))?;
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for row in bilevel.as_raw().chunks_exact(width as usize) {
            let pels = row.iter().map(|&v| {
                if v == INK {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            encoder
                .encode_line(pels, columns)
                .map_err(|e| format!("{e:?}"))?;
        }
        let data = encoder.finish().map_err(|e| format!("{e:?}"))?.finish();
        Ok(EncodedImage {
            width,
            height,
            colour: ImageColour::Grey,
            bits_per_component: 1,
            filter: ImageFilter::CcittG4,
            data: ImageData::Bytes(data),
        })
    }
}

fn encode_jpeg(
    raw: &[u8],
    width: u32,
    height: u32,
    colour: image::ExtendedColorType,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .write_image(raw, width, height, colour)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn deflate(raw: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(raw).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

/// Downsample a continuous-tone image so its resolution does not exceed `max_dpi`. The page
/// size is fixed by the caller from the original pixels and DPI, so only the pixel count
/// changes here. Bilevel pages are never passed here.
pub fn limit_resolution(image: DynamicImage, dpi: f32, max_dpi: f32) -> DynamicImage {
    if dpi <= max_dpi * 1.05 {
        return image;
    }
    // Whole factors (300 → 150 dpi) by box averaging, which is exact and several times faster
    // than a resampling filter; only a remaining fraction is resampled.
    let factor = (dpi / max_dpi + 0.05).floor().max(1.0) as u32;
    let image = crate::capture::cleanup::box_downscale(image, factor);
    let dpi = dpi / factor as f32;
    if dpi <= max_dpi * 1.05 {
        return image;
    }
    let scale = max_dpi / dpi;
    let width = ((image.width() as f32 * scale).round() as u32).max(1);
    let height = ((image.height() as f32 * scale).round() as u32).max(1);
    image.resize_exact(width, height, imageops::FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::cleanup::binarize::PAPER;

    /// Group 4 must be lossless: decoding the stream gives back every pixel.
    #[test]
    fn group4_round_trips_a_bilevel_page() {
        // Text-like content: strokes, dots and a diagonal, on a width that is not a multiple of 8.
        let page = GrayImage::from_fn(203, 97, |x, y| {
            let ink =
                (x % 17 < 3 && y % 23 < 15) || (x + y) % 41 == 0 || (x % 29 == 5 && y % 7 == 2);
            image::Luma([if ink { INK } else { PAPER }])
        });
        let encoded = EncodedImage::ccitt_g4(&page).unwrap();
        let mut decoded = Vec::new();
        let ImageData::Bytes(data) = &encoded.data else {
            panic!("G4 is encoded in memory")
        };
        fax::decoder::decode_g4(data.iter().copied(), 203, Some(97), |transitions| {
            decoded.extend(fax::decoder::pels(transitions, 203).map(|c| match c {
                fax::Color::Black => INK,
                fax::Color::White => PAPER,
            }));
        })
        .unwrap();
        assert_eq!(decoded, page.into_raw());
    }
}
