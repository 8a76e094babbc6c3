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
    // Four interleaved histograms: neighbouring ink pixels fall into the same bin, and one
    // histogram would make each increment wait for the previous one to reach memory.
    let bin_count = 2 * diagonal as usize + 2;
    let mut bins = vec![[0u32; 4]; bin_count];
    let mut profile_score = |points: &[(f32, f32)], degrees: f32| -> f64 {
        let (sin, cos) = degrees.to_radians().sin_cos();
        bins.iter_mut().for_each(|b| *b = [0; 4]);
        let bin_of = |(x, y): (f32, f32)| (y * cos + x * sin + diagonal) as usize;
        let mut quads = points.chunks_exact(4);
        for quad in &mut quads {
            for (lane, &point) in quad.iter().enumerate() {
                if let Some(bin) = bins.get_mut(bin_of(point)) {
                    bin[lane] += 1;
                }
            }
        }
        for &point in quads.remainder() {
            if let Some(bin) = bins.get_mut(bin_of(point)) {
                bin[0] += 1;
            }
        }
        bins.iter()
            .map(|b| {
                let c = f64::from(b[0] + b[1] + b[2] + b[3]);
                c * c
            })
            .sum()
    };
    // Coarse to fine: the 61-angle coarse pass only has to land within ±0.5° of the peak,
    // which every eighth ink pixel shows as well as all of them; the 21-angle fine pass uses
    // every other ink pixel (a text page at 150 dpi has hundreds of thousands).
    let sample: Vec<(f32, f32)> = points.iter().step_by(8).copied().collect();
    let coarse = best_angle(
        &mut |degrees| profile_score(&sample, degrees),
        -MAX_SKEW_DEGREES,
        MAX_SKEW_DEGREES,
        0.5,
    );
    let fine_points: Vec<(f32, f32)> = points.iter().step_by(2).copied().collect();
    let fine_step = 0.05;
    let (from, steps) = (coarse - 0.5, 20);
    let angle_at = |i: i32| from + i as f32 * fine_step;
    let scores: Vec<f64> = (0..=steps)
        .map(|i| profile_score(&fine_points, angle_at(i)))
        .collect();
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    // Parabolic interpolation between the neighbouring fine steps (scored once more only when
    // the best is at an end of the fine range).
    let mut score_at = |i: i32| match usize::try_from(i).ok().and_then(|i| scores.get(i)) {
        Some(&s) => s,
        None => profile_score(&fine_points, angle_at(i)),
    };
    let best = best as i32;
    let (s0, s1, s2) = (score_at(best - 1), score_at(best), score_at(best + 1));
    let denominator = s0 - 2.0 * s1 + s2;
    let offset = if denominator < 0.0 {
        (0.5 * (s0 - s2) / denominator) as f32
    } else {
        0.0
    };
    Some(angle_at(best) + offset.clamp(-0.5, 0.5) * fine_step)
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
    rotate_scaled(image, degrees, fill, 1.0)
}

/// [`rotate`] and resize by `scale` (output pixels per source pixel, at most 1) in one
/// bilinear pass: the output is `scale` times the size, about the same centre.
pub fn rotate_scaled(
    image: &DynamicImage,
    degrees: f32,
    fill: [u8; 3],
    scale: f32,
) -> DynamicImage {
    let scale = if scale > 0.0 && scale < 1.0 {
        scale
    } else {
        1.0
    };
    match image {
        DynamicImage::ImageLuma8(grey) => {
            let luma =
                ((u32::from(fill[0]) * 299 + u32::from(fill[1]) * 587 + u32::from(fill[2]) * 114)
                    / 1000) as u8;
            DynamicImage::ImageLuma8(rotate_buffer(grey, degrees, image::Luma([luma]), scale))
        }
        other => {
            let rgb: RgbImage = other.to_rgb8();
            DynamicImage::ImageRgb8(rotate_buffer(&rgb, degrees, image::Rgb(fill), scale))
        }
    }
}

fn rotate_buffer<P>(
    src: &ImageBuffer<P, Vec<u8>>,
    degrees: f32,
    fill: P,
    scale: f32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let (w, h) = src.dimensions();
    let out_w = ((w as f32 * scale).round() as u32).max(1);
    let out_h = ((h as f32 * scale).round() as u32).max(1);
    let mut out = ImageBuffer::from_pixel(out_w, out_h, fill);
    let geometry = Geometry {
        w,
        h,
        out_w,
        degrees,
        inverse_scale: f64::from(w) / f64::from(out_w),
        out_h,
    };
    match P::CHANNEL_COUNT {
        1 => rotate_raw::<1>(src.as_raw(), out.as_mut(), &geometry),
        3 => rotate_raw::<3>(src.as_raw(), out.as_mut(), &geometry),
        4 => rotate_raw::<4>(src.as_raw(), out.as_mut(), &geometry),
        _ => rotate_raw::<2>(src.as_raw(), out.as_mut(), &geometry),
    }
    out
}

/// Source and output sizes of a rotation, its angle, and source pixels per output pixel.
struct Geometry {
    w: u32,
    h: u32,
    out_w: u32,
    out_h: u32,
    degrees: f32,
    inverse_scale: f64,
}

/// Fixed-point bits of source coordinates: positions step by exact integers along a row, so
/// the result does not depend on floating-point accumulation order.
const FRACTION_BITS: u32 = 16;

/// The run `[from, to)` of `x` in `0..n` for which `start + x · step` lies in `[0, max]`
/// (exact integer arithmetic).
fn inside(start: i64, step: i64, max: i64, n: usize) -> (usize, usize) {
    let ceil_div = |a: i64, b: i64| -((-a).div_euclid(b));
    let (low, high) = match step.cmp(&0) {
        std::cmp::Ordering::Equal => {
            if (0..=max).contains(&start) {
                (0, n as i64)
            } else {
                (0, 0)
            }
        }
        std::cmp::Ordering::Greater => (ceil_div(-start, step), (max - start).div_euclid(step) + 1),
        std::cmp::Ordering::Less => (ceil_div(start - max, -step), start.div_euclid(-step) + 1),
    };
    let clamp = |v: i64| v.clamp(0, n as i64) as usize;
    (clamp(low), clamp(high))
}

/// Bilinear rotation of interleaved 8-bit samples with `C` channels into `out` (pre-filled
/// with the fill colour). Source coordinates advance by a constant fixed-point step along
/// each output row; the 8-bit interpolation weights keep the arithmetic in integers.
fn rotate_raw<const C: usize>(data: &[u8], out: &mut [u8], g: &Geometry) {
    let (cx, cy) = ((f64::from(g.w) - 1.0) / 2.0, (f64::from(g.h) - 1.0) / 2.0);
    let (ocx, ocy) = (
        (f64::from(g.out_w) - 1.0) / 2.0,
        (f64::from(g.out_h) - 1.0) / 2.0,
    );
    // The output turns the content by `degrees` counter-clockwise, so each output pixel
    // samples the source at the point turned the opposite way (clockwise) about the centre:
    // (dx, dy) -> (dx cos + dy sin, -dx sin + dy cos) with (sin, cos) of the negated angle,
    // output offsets first multiplied by the source pixels per output pixel.
    let (sin, cos) = f64::from(-g.degrees).to_radians().sin_cos();
    let (sin, cos) = (sin * g.inverse_scale, cos * g.inverse_scale);
    let one = f64::from(1u32 << FRACTION_BITS);
    let step_x = (cos * one).round() as i64;
    let step_y = (-sin * one).round() as i64;
    let (w, h) = (g.w as usize, g.h as usize);
    let stride = w * C;
    let out_w = g.out_w as usize;
    let max_x = ((w - 1) as i64) << FRACTION_BITS;
    let max_y = ((h - 1) as i64) << FRACTION_BITS;
    for (y, out_row) in out.chunks_exact_mut(out_w * C).enumerate() {
        let dy = y as f64 - ocy;
        let start_x = ((-ocx * cos + dy * sin + cx) * one).round() as i64;
        let start_y = ((ocx * sin + dy * cos + cy) * one).round() as i64;
        // The output pixels whose source point lies inside the image form one run per row;
        // outside it the fill colour stays.
        let (a, b) = inside(start_x, step_x, max_x, out_w);
        let (c, d) = inside(start_y, step_y, max_y, out_w);
        let (from, to) = (a.max(c), b.min(d));
        if from >= to {
            continue;
        }
        let mut sx = start_x + from as i64 * step_x;
        let mut sy = start_y + from as i64 * step_y;
        for out_pixel in out_row[from * C..to * C].chunks_exact_mut(C) {
            let (x0, y0) = (
                (sx >> FRACTION_BITS) as usize,
                (sy >> FRACTION_BITS) as usize,
            );
            let fx = ((sx >> (FRACTION_BITS - 8)) & 0xFF) as u32;
            let fy = ((sy >> (FRACTION_BITS - 8)) & 0xFF) as u32;
            let x1 = (x0 + 1).min(w - 1);
            let y1 = (y0 + 1).min(h - 1);
            let (r0, r1) = (y0 * stride, y1 * stride);
            for c in 0..C {
                let p00 = u32::from(data[r0 + x0 * C + c]);
                let p10 = u32::from(data[r0 + x1 * C + c]);
                let p01 = u32::from(data[r1 + x0 * C + c]);
                let p11 = u32::from(data[r1 + x1 * C + c]);
                let top = p00 * (256 - fx) + p10 * fx;
                let bottom = p01 * (256 - fx) + p11 * fx;
                out_pixel[c] = ((top * (256 - fy) + bottom * fy + 32768) >> 16) as u8;
            }
            sx += step_x;
            sy += step_y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_runs_match_a_pixel_by_pixel_check() {
        for (start, step, max) in [
            (-70_000i64, 65_000i64, 655_360i64),
            (700_000, -1_200, 655_360),
            (5, 0, 100),
            (-5, 0, 100),
            (0, 65_536, 0),
            (655_360, -65_536, 655_360),
        ] {
            let expected: Vec<usize> = (0..40usize)
                .filter(|&x| (0..=max).contains(&(start + x as i64 * step)))
                .collect();
            let (from, to) = inside(start, step, max, 40);
            assert_eq!(
                (from..to).collect::<Vec<_>>(),
                expected,
                "{start} {step} {max}"
            );
        }
    }

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
