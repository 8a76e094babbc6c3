//! Adaptive binarization (Sauvola) and despeckling.
//!
//! Sauvola's threshold T = m · (1 + k · (s / R − 1)) uses the local mean m and standard
//! deviation s in a window around each pixel (J. Sauvola, M. Pietikäinen, "Adaptive document
//! image binarization", Pattern Recognition 33, 2000). The window sums are kept as running
//! column sums, which is the integral-image formulation computed one row at a time: O(1) work
//! per pixel like a full integral image, but O(width) memory instead of two 64-bit planes of
//! the whole page (130 MB for an A4 page at 300 dpi). Thin strokes and the small marks of
//! Vietnamese diacritics survive because the threshold follows the local contrast rather than
//! a page-wide level; uniform paper stays white because its deviation is small.

use image::GrayImage;

/// Ink is 0, paper is 255.
pub const INK: u8 = 0;
/// Paper value in a binarized image.
pub const PAPER: u8 = 255;

/// Sauvola parameters.
#[derive(Debug, Clone, Copy)]
pub struct SauvolaParams {
    /// Window side in pixels (made odd).
    pub window: u32,
    /// Sensitivity k; 0.2–0.34 is usual for documents.
    pub k: f32,
    /// Dynamic range R of the standard deviation (128 for 8-bit images).
    pub range: f32,
}

impl SauvolaParams {
    /// Parameters scaled to the image: the window spans about a text line's height.
    pub fn for_width(width: u32) -> Self {
        SauvolaParams {
            window: (width / 60).max(15) | 1,
            k: 0.2,
            range: 128.0,
        }
    }
}

/// Binarize a greyscale page with Sauvola's method. Output pixels are [`INK`] or [`PAPER`].
pub fn sauvola(grey: &GrayImage, params: SauvolaParams) -> GrayImage {
    let (width, height) = grey.dimensions();
    let (w, h) = (width as usize, height as usize);
    let radius = (params.window / 2) as usize;
    let src = grey.as_raw();
    let mut out = vec![PAPER; w * h];
    let mut col_sum = vec![0u64; w];
    let mut col_sq = vec![0u64; w];
    let one_minus_k = 1.0 - params.k;
    let k_over_range = params.k / params.range;
    // The shortcuts below need k ≥ 0 and R at least the largest possible deviation (127.5).
    let shortcuts_hold = params.k >= 0.0 && params.range >= 127.5;
    // 1 / (columns in the window) for each x: the window is clipped at the left and right.
    let inv_columns: Vec<f32> = (0..w)
        .map(|x| 1.0 / ((x + radius).min(w - 1) - x.saturating_sub(radius) + 1) as f32)
        .collect();
    // Prime the column sums with rows 0..=radius (the window of row 0, clamped at the top).
    for row in src.chunks_exact(w).take(radius + 1) {
        add_row(&mut col_sum, &mut col_sq, row, true);
    }
    for y in 0..h {
        let y0 = y.saturating_sub(radius);
        let y1 = (y + radius).min(h - 1);
        let rows = (y1 - y0 + 1) as u64;
        let mut sum = 0u64;
        let mut sq = 0u64;
        for x in 0..=radius.min(w - 1) {
            sum += col_sum[x];
            sq += col_sq[x];
        }
        let line = &src[y * w..(y + 1) * w];
        let out_line = &mut out[y * w..(y + 1) * w];
        let inv_rows = 1.0 / rows as f32;
        for x in 0..w {
            let inv_n = inv_rows * inv_columns[x];
            let mean = sum as f32 * inv_n;
            let v = f32::from(line[x]);
            // T = m (1 + k (s/R − 1)) = m (1 − k) + (m k / R) s, and s ≥ 0; so v ≤ T holds when
            // v ≤ m (1 − k), fails when v > m (s ≤ R for 8-bit samples), and in between
            // compares squares, which avoids the square root for nearly every pixel.
            let below = v - mean * one_minus_k;
            let ink = if !shortcuts_hold {
                let variance = (sq as f32 * inv_n - mean * mean).max(0.0);
                v <= mean * (1.0 + params.k * (variance.sqrt() / params.range - 1.0))
            } else if below <= 0.0 {
                true
            } else if v > mean {
                false
            } else {
                let variance = (sq as f32 * inv_n - mean * mean).max(0.0);
                let slope = mean * k_over_range;
                below * below <= slope * slope * variance
            };
            if ink {
                out_line[x] = INK;
            }
            // Slide the horizontal window one column to the right.
            if x + radius + 1 < w {
                sum += col_sum[x + radius + 1];
                sq += col_sq[x + radius + 1];
            }
            if x >= radius {
                sum -= col_sum[x - radius];
                sq -= col_sq[x - radius];
            }
        }
        // Slide the vertical window one row down.
        if y + radius + 1 < h {
            add_row(
                &mut col_sum,
                &mut col_sq,
                &src[(y + radius + 1) * w..(y + radius + 2) * w],
                true,
            );
        }
        if y >= radius {
            add_row(
                &mut col_sum,
                &mut col_sq,
                &src[(y - radius) * w..(y - radius + 1) * w],
                false,
            );
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| GrayImage::new(width, height))
}

fn add_row(col_sum: &mut [u64], col_sq: &mut [u64], row: &[u8], add: bool) {
    for ((sum, sq), &v) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row) {
        let v = u64::from(v);
        if add {
            *sum += v;
            *sq += v * v;
        } else {
            *sum -= v;
            *sq -= v * v;
        }
    }
}

/// Smooth a grey page with the separable binomial kernel [1 4 6 4 1]/16 in each direction
/// (a close, integer-only stand-in for a Gaussian of σ = 1), edges clamped. Used before
/// binarizing high-resolution scans so noise does not make stroke edges ragged.
pub fn smooth(grey: &GrayImage) -> GrayImage {
    let (width, height) = grey.dimensions();
    let (w, h) = (width as usize, height as usize);
    if w < 3 || h < 3 {
        return grey.clone();
    }
    let src = grey.as_raw();
    let clamp = |i: isize, n: usize| i.clamp(0, n as isize - 1) as usize;
    // Horizontal pass into 16-bit sums (×16).
    let mut horizontal = vec![0u16; w * h];
    for (row, out) in src.chunks_exact(w).zip(horizontal.chunks_exact_mut(w)) {
        for x in 0..w {
            let at = |d: isize| u16::from(row[clamp(x as isize + d, w)]);
            out[x] = if x >= 2 && x + 2 < w {
                u16::from(row[x - 2])
                    + 4 * u16::from(row[x - 1])
                    + 6 * u16::from(row[x])
                    + 4 * u16::from(row[x + 1])
                    + u16::from(row[x + 2])
            } else {
                at(-2) + 4 * at(-1) + 6 * at(0) + 4 * at(1) + at(2)
            };
        }
    }
    // Vertical pass, whole rows at a time, rounding the ×256 sum back to 8 bits.
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let rows = [-2isize, -1, 0, 1, 2].map(|d| &horizontal[clamp(y as isize + d, h) * w..][..w]);
        for (x, o) in out[y * w..(y + 1) * w].iter_mut().enumerate() {
            let sum = u32::from(rows[0][x])
                + 4 * u32::from(rows[1][x])
                + 6 * u32::from(rows[2][x])
                + 4 * u32::from(rows[3][x])
                + u32::from(rows[4][x]);
            *o = ((sum + 128) >> 8) as u8;
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| grey.clone())
}

/// Remove connected ink specks (8-connectivity) of at most `max_area` pixels: scanner dust
/// and noise, smaller than any diacritic at the resolution the caller scales `max_area` for.
/// Returns the number of pixels cleared.
pub fn despeckle(bilevel: &mut GrayImage, max_area: usize) -> usize {
    let (width, height) = bilevel.dimensions();
    let (w, h) = (width as usize, height as usize);
    let pixels: &mut [u8] = bilevel.as_mut();
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut component = Vec::new();
    let mut cleared = 0;
    for start in 0..w * h {
        if pixels[start] != INK || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        component.clear();
        while let Some(i) = stack.pop() {
            component.push(i);
            let (x, y) = (i % w, i / w);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if pixels[j] == INK && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        if component.len() <= max_area {
            for &i in &component {
                pixels[i] = PAPER;
            }
            cleared += component.len();
        }
    }
    cleared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_stroke_on_tinted_paper_survives_and_paper_stays_white() {
        // A one-pixel vertical stroke of value 150 on paper of 230.
        let image = GrayImage::from_fn(60, 60, |x, _| {
            image::Luma([if x == 30 { 150 } else { 230 }])
        });
        let out = sauvola(
            &image,
            SauvolaParams {
                window: 15,
                k: 0.2,
                range: 128.0,
            },
        );
        assert!((0..60).all(|y| out.get_pixel(30, y).0[0] == INK));
        assert!((0..60).all(|y| out.get_pixel(10, y).0[0] == PAPER));
    }

    #[test]
    fn despeckle_removes_dots_but_keeps_strokes() {
        let mut image = GrayImage::from_pixel(20, 20, image::Luma([PAPER]));
        image.put_pixel(3, 3, image::Luma([INK]));
        for y in 5..15 {
            image.put_pixel(10, y, image::Luma([INK]));
        }
        assert_eq!(despeckle(&mut image, 2), 1);
        assert_eq!(image.get_pixel(3, 3).0[0], PAPER);
        assert_eq!(image.get_pixel(10, 9).0[0], INK);
    }
}
