//! Skew detection by projection profiles, and bilinear rotation.
//!
//! Text lines are straight rows of ink: when the page is projected onto an axis tilted by the
//! true skew angle, ink piles up in a few rows and the profile's sum of squares peaks (Postl's
//! projection-profile method; see also Bloomberg, Kopec, Dasari, "Measuring document image
//! skew and orientation", SPIE 1995). The search runs on a binarized, downscaled copy: a coarse
//! pass over ±15° in 0.5° steps, a fine pass of 0.05° around the best, then a parabola through
//! the three best scores. Positive angles mean the content is rotated counter-clockwise on
//! screen (the convention of Pillow's `Image.rotate`); [`rotate`] by the negative angle undoes it.

use image::{DynamicImage, GrayImage, ImageBuffer, Pixel, RgbImage};

use super::binarize::INK;

/// Largest skew searched, in degrees.
pub const MAX_SKEW_DEGREES: f32 = 15.0;

/// Estimate the skew of the ink in a binarized image, in degrees (counter-clockwise positive).
/// Returns `None` when there is too little ink to tell (blank pages, photos without lines).
pub fn detect_skew(bilevel: &GrayImage) -> Option<f32> {
    let (w, h) = bilevel.dimensions();
    let margin_x = w / 30;
    let margin_y = h / 30;
    let points: Vec<(f32, f32)> = bilevel
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            p.0[0] == INK
                && *x >= margin_x
                && *x < w - margin_x
                && *y >= margin_y
                && *y < h - margin_y
        })
        .map(|(x, y, _)| (x as f32, y as f32))
        .collect();
    if points.len() < 200 {
        return None;
    }
    let diagonal = ((w * w + h * h) as f32).sqrt();
    let mut bins = vec![0u32; 2 * diagonal as usize + 2];
    let mut score = |degrees: f32| -> f64 {
        let (sin, cos) = degrees.to_radians().sin_cos();
        bins.iter_mut().for_each(|b| *b = 0);
        for &(x, y) in &points {
            let r = y * cos + x * sin + diagonal;
            if let Some(bin) = bins.get_mut(r as usize) {
                *bin += 1;
            }
        }
        bins.iter().map(|&c| f64::from(c) * f64::from(c)).sum()
    };
    let coarse = best_angle(&mut score, -MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.5);
    let fine_step = 0.05;
    let best = best_angle(&mut score, coarse - 0.5, coarse + 0.5, fine_step);
    // Parabolic interpolation between the neighbouring fine steps.
    let (s0, s1, s2) = (
        score(best - fine_step),
        score(best),
        score(best + fine_step),
    );
    let denominator = s0 - 2.0 * s1 + s2;
    let offset = if denominator < 0.0 {
        (0.5 * (s0 - s2) / denominator) as f32
    } else {
        0.0
    };
    Some(best + offset.clamp(-0.5, 0.5) * fine_step)
}

fn best_angle(score: &mut impl FnMut(f32) -> f64, from: f32, to: f32, step: f32) -> f32 {
    let steps = ((to - from) / step).round() as i32;
    let mut best = (f64::MIN, from);
    for i in 0..=steps {
        let angle = from + i as f32 * step;
        let s = score(angle);
        if s > best.0 {
            best = (s, angle);
        }
    }
    best.1
}

/// Rotate an image about its centre by `degrees` (counter-clockwise on screen for positive
/// values), keeping its size and filling uncovered corners with `fill` (the paper colour).
pub fn rotate(image: &DynamicImage, degrees: f32, fill: [u8; 3]) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(grey) => {
            let luma =
                ((u32::from(fill[0]) * 299 + u32::from(fill[1]) * 587 + u32::from(fill[2]) * 114)
                    / 1000) as u8;
            DynamicImage::ImageLuma8(rotate_buffer(grey, degrees, image::Luma([luma])))
        }
        other => {
            let rgb: RgbImage = other.to_rgb8();
            DynamicImage::ImageRgb8(rotate_buffer(&rgb, degrees, image::Rgb(fill)))
        }
    }
}

fn rotate_buffer<P>(src: &ImageBuffer<P, Vec<u8>>, degrees: f32, fill: P) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let (w, h) = src.dimensions();
    let channels = usize::from(P::CHANNEL_COUNT);
    let (cx, cy) = ((w as f32 - 1.0) / 2.0, (h as f32 - 1.0) / 2.0);
    // The output turns the content by `degrees` counter-clockwise, so each output pixel
    // samples the source at the point turned the opposite way (clockwise) about the centre.
    let (sin, cos) = (-degrees).to_radians().sin_cos();
    let data = src.as_raw();
    let stride = w as usize * channels;
    let mut out = ImageBuffer::from_pixel(w, h, fill);
    let out_data: &mut [u8] = out.as_mut();
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            // Clockwise on screen (y down): (dx, dy) -> (dx cos - dy sin, dx sin + dy cos) with
            // (sin, cos) of the negated angle.
            let sx = dx * cos + dy * sin + cx;
            let sy = -dx * sin + dy * cos + cy;
            if sx < 0.0 || sy < 0.0 || sx > (w - 1) as f32 || sy > (h - 1) as f32 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (x1, y1) = ((x0 + 1).min(w as usize - 1), (y0 + 1).min(h as usize - 1));
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let o = (y as usize * w as usize + x as usize) * channels;
            for c in 0..channels {
                let p00 = f32::from(data[y0 * stride + x0 * channels + c]);
                let p10 = f32::from(data[y0 * stride + x1 * channels + c]);
                let p01 = f32::from(data[y1 * stride + x0 * channels + c]);
                let p11 = f32::from(data[y1 * stride + x1 * channels + c]);
                let top = p00 + (p10 - p00) * fx;
                let bottom = p01 + (p11 - p01) * fx;
                out_data[o + c] = (top + (bottom - top) * fy + 0.5) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_direction_matches_the_convention() {
        // A horizontal bar; rotating it +10° (counter-clockwise) must lift its right end.
        let mut grey = GrayImage::from_pixel(201, 201, image::Luma([255]));
        for x in 20..181 {
            for y in 99..102 {
                grey.put_pixel(x, y, image::Luma([0]));
            }
        }
        let turned = rotate(&DynamicImage::ImageLuma8(grey), 10.0, [255, 255, 255]).to_luma8();
        let darkest_row = |x: u32| {
            (0..201)
                .min_by_key(|&y| turned.get_pixel(x, y).0[0])
                .unwrap_or(0)
        };
        assert!(
            darkest_row(170) < 90,
            "right end should rise, got row {}",
            darkest_row(170)
        );
        assert!(
            darkest_row(30) > 110,
            "left end should fall, got row {}",
            darkest_row(30)
        );
    }
}
