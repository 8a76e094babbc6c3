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
///
/// Per row, prefix sums over the column sums give each window's sum with two look-ups; the
/// common case (a pixel brighter than its window's mean is paper) is decided in exact integer
/// arithmetic, and only pixels below the mean reach the floating-point threshold.
pub fn sauvola(grey: &GrayImage, params: SauvolaParams) -> GrayImage {
    let (width, height) = grey.dimensions();
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return GrayImage::new(width, height);
    }
    let radius = (params.window / 2) as usize;
    let src = grey.as_raw();
    let mut out = vec![PAPER; w * h];
    // Column sums over the window's rows: at most 65,025 per row, so u32 holds any window
    // shorter than 66,000 rows.
    let mut col_sum = vec![0u32; w];
    let mut col_sq = vec![0u32; w];
    let mut prefix_sum = vec![0u64; w + 1];
    let mut prefix_sq = vec![0u64; w + 1];
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
        let (mut running_sum, mut running_sq) = (0u64, 0u64);
        for (x, (&s, &q)) in col_sum.iter().zip(&col_sq).enumerate() {
            running_sum += u64::from(s);
            running_sq += u64::from(q);
            prefix_sum[x + 1] = running_sum;
            prefix_sq[x + 1] = running_sq;
        }
        let line = &src[y * w..(y + 1) * w];
        let out_line = &mut out[y * w..(y + 1) * w];
        let inv_rows = 1.0 / rows as f32;
        // Decide one pixel from its window's sums; `n` is the window's pixel count.
        let decide = |x: usize, value: u8, sum: u64, n: u64| -> bool {
            // v > m: paper (the threshold never exceeds the mean when the shortcuts hold, as
            // T = m (1 − k) + (m k / R) s and s ≤ R for 8-bit samples).
            if shortcuts_hold && u64::from(value) * n > sum {
                return false;
            }
            let (lo, hi) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sq = prefix_sq[hi] - prefix_sq[lo];
            let inv_n = inv_rows * inv_columns[x];
            let mean = sum as f32 * inv_n;
            let v = f32::from(value);
            // Otherwise v ≤ m (1 − k) is ink, and in between the squares are compared, which
            // avoids the square root.
            let below = v - mean * one_minus_k;
            if !shortcuts_hold {
                let variance = (sq as f32 * inv_n - mean * mean).max(0.0);
                v <= mean * (1.0 + params.k * (variance.sqrt() / params.range - 1.0))
            } else if below <= 0.0 {
                true
            } else {
                let variance = (sq as f32 * inv_n - mean * mean).max(0.0);
                let slope = mean * k_over_range;
                below * below <= slope * slope * variance
            }
        };
        // Columns whose window is clipped by the left or right edge…
        let full = 2 * radius + 1;
        let middle = if w > full { radius..w - radius } else { 0..0 };
        for x in (0..w).filter(|x| !middle.contains(x)) {
            let (lo, hi) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let n = rows * (hi - lo) as u64;
            if decide(x, line[x], prefix_sum[hi] - prefix_sum[lo], n) {
                out_line[x] = INK;
            }
        }
        // …and the rest, where the window is whole: its sum is prefix[x + r + 1] − prefix[x − r].
        let n = rows * full as u64;
        let ends = prefix_sum.get(full..).unwrap_or(&[]);
        for (i, ((&value, &end), &start)) in line[middle.clone()]
            .iter()
            .zip(ends)
            .zip(&prefix_sum)
            .enumerate()
        {
            let sum = end - start;
            if shortcuts_hold && u64::from(value) * n > sum {
                continue;
            }
            let x = middle.start + i;
            if decide(x, value, sum, n) {
                out_line[x] = INK;
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

fn add_row(col_sum: &mut [u32], col_sq: &mut [u32], row: &[u8], add: bool) {
    let pairs = col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row);
    if add {
        for ((sum, sq), &v) in pairs {
            let v = u32::from(v);
            *sum += v;
            *sq += v * v;
        }
    } else {
        for ((sum, sq), &v) in pairs {
            let v = u32::from(v);
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
///
/// Components are found on horizontal runs of ink rather than pixel by pixel: each run is
/// joined (union-find) with the runs of the row above that touch it, including diagonally, so
/// the work follows the number of runs, not the number of ink pixels.
pub fn despeckle(bilevel: &mut GrayImage, max_area: usize) -> usize {
    let (width, height) = bilevel.dimensions();
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return 0;
    }
    let pixels: &mut [u8] = bilevel.as_mut();
    // Runs as (row start offset + first column, length); `rows[y]` is the index of row y's first run.
    let mut runs: Vec<(usize, u32)> = Vec::new();
    let mut rows = Vec::with_capacity(h + 1);
    let mut parent: Vec<u32> = Vec::new();
    let mut area: Vec<u32> = Vec::new();
    for (y, row) in pixels.chunks_exact(w).enumerate() {
        rows.push(runs.len());
        let mut x = 0;
        while x < w {
            match row[x..].iter().position(|&v| v == INK) {
                None => break,
                Some(skip) => x += skip,
            }
            let length = row[x..].iter().position(|&v| v != INK).unwrap_or(w - x);
            runs.push((y * w + x, length as u32));
            x += length;
        }
        // Join this row's runs with the touching runs of the row above.
        let here = rows[y]..runs.len();
        for i in here.clone() {
            parent.push(i as u32);
            area.push(runs[i].1);
        }
        if y > 0 {
            let above = rows[y - 1]..rows[y];
            let mut j = above.start;
            for i in here {
                let s = runs[i].0 - y * w;
                let e = s + runs[i].1 as usize; // exclusive
                // Skip runs above that end more than one column before this one starts.
                while j < above.end && runs[j].0 - (y - 1) * w + (runs[j].1 as usize) < s {
                    j += 1;
                }
                let mut k = j;
                while k < above.end && runs[k].0 - (y - 1) * w <= e {
                    union(&mut parent, &mut area, i, k);
                    k += 1;
                }
            }
        }
    }
    let mut cleared = 0;
    for (i, &(start, length)) in runs.iter().enumerate() {
        let root = find(&mut parent, i);
        if area[root] as usize <= max_area {
            pixels[start..start + length as usize].fill(PAPER);
            cleared += length as usize;
        }
    }
    cleared
}

fn find(parent: &mut [u32], mut i: usize) -> usize {
    while parent[i] as usize != i {
        let up = parent[parent[i] as usize];
        parent[i] = up;
        i = up as usize;
    }
    i
}

fn union(parent: &mut [u32], area: &mut [u32], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra == rb {
        return;
    }
    let (big, small) = if area[ra] >= area[rb] {
        (ra, rb)
    } else {
        (rb, ra)
    };
    parent[small] = big as u32;
    area[big] = area[big].saturating_add(area[small]);
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

    /// The run-based despeckle must clear exactly what a pixel-by-pixel flood fill clears.
    #[test]
    fn despeckle_matches_a_pixel_flood_fill() {
        fn reference(image: &mut GrayImage, max_area: usize) -> usize {
            let (w, h) = (image.width() as i64, image.height() as i64);
            let mut seen = vec![false; (w * h) as usize];
            let mut cleared = 0;
            for start in 0..(w * h) as usize {
                if image.as_raw()[start] != INK || seen[start] {
                    continue;
                }
                seen[start] = true;
                let (mut stack, mut component) = (vec![start], Vec::new());
                while let Some(i) = stack.pop() {
                    component.push(i);
                    let (x, y) = (i as i64 % w, i as i64 / w);
                    for (dx, dy) in (-1..=1).flat_map(|dx| (-1..=1).map(move |dy| (dx, dy))) {
                        let (nx, ny) = (x + dx, y + dy);
                        if nx < 0 || ny < 0 || nx >= w || ny >= h {
                            continue;
                        }
                        let j = (ny * w + nx) as usize;
                        if image.as_raw()[j] == INK && !seen[j] {
                            seen[j] = true;
                            stack.push(j);
                        }
                    }
                }
                if component.len() <= max_area {
                    for &i in &component {
                        image.as_mut()[i] = PAPER;
                    }
                    cleared += component.len();
                }
            }
            cleared
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for (width, height, density) in [
            (37u32, 23u32, 3u64),
            (64, 64, 5),
            (1, 50, 2),
            (50, 1, 2),
            (90, 70, 8),
        ] {
            let image = GrayImage::from_fn(width, height, |_, _| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                image::Luma([if state % 10 < density { INK } else { PAPER }])
            });
            for max_area in [1, 2, 5, 12, 40] {
                let (mut ours, mut theirs) = (image.clone(), image.clone());
                let cleared = despeckle(&mut ours, max_area);
                assert_eq!(
                    cleared,
                    reference(&mut theirs, max_area),
                    "{width}×{height} max {max_area}"
                );
                assert_eq!(ours, theirs, "{width}×{height} max {max_area}");
            }
        }
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
