//! Per-cell colour and fine-scale texture, read once from the full-resolution photo.
//!
//! Short hair is high-frequency: its tips are specks a few tenths of a millimetre apart,
//! so the local energy of a 3×3 Laplacian (the stubble scale at consultation-photo
//! resolutions) is high over hair and low over bald scalp, which is smooth and only
//! shaded. Colours are averaged in linear light, where hair and skin mix as the eye sees
//! them.

use image::RgbImage;
use rayon::prelude::*;
use smp_color::srgb::{decode_lut, linear_to_lab};

/// Colour and texture of every cell of a photo.
#[derive(Debug, Clone)]
pub(crate) struct CellFeatures {
    /// Cells across.
    pub width: u32,
    /// Cells down.
    pub height: u32,
    /// Mean linear RGB per cell.
    pub linear: Vec<[f32; 3]>,
    /// CIELAB of the mean linear colour.
    pub lab: Vec<[f32; 3]>,
    /// Mean |Laplacian| of 8-bit luma per pixel, over the cell.
    pub laplacian: Vec<f32>,
}

impl CellFeatures {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.linear.len()
    }
}

/// One row of cells: mean linear colours, their CIELAB, Laplacian energies.
type CellRow = (Vec<[f32; 3]>, Vec<[f32; 3]>, Vec<f32>);

/// 8-bit luma (Rec. 601 weights on the stored values, as JPEG does).
fn luma(p: &[u8]) -> i32 {
    (i32::from(p[0]) * 77 + i32::from(p[1]) * 150 + i32::from(p[2]) * 29) >> 8
}

/// The features of `photo` on cells of `cell_px` pixels (the last row and column of
/// cells may be partial).
pub(crate) fn cell_features(photo: &RgbImage, cell_px: u32) -> CellFeatures {
    let (w, h) = (photo.width(), photo.height());
    let cw = w.div_ceil(cell_px);
    let ch = h.div_ceil(cell_px);
    let lut = decode_lut();
    let raw = photo.as_raw();
    let stride = w as usize * 3;
    let rows: Vec<CellRow> = (0..ch)
        .into_par_iter()
        .map(|cy| {
            let mut sum = vec![[0f32; 3]; cw as usize];
            let mut lap = vec![0f32; cw as usize];
            let mut count = vec![0u32; cw as usize];
            let mut lap_count = vec![0u32; cw as usize];
            let y0 = cy * cell_px;
            let y1 = (y0 + cell_px).min(h);
            let mut prev: Vec<i32> = Vec::new();
            let mut cur: Vec<i32> = Vec::new();
            let mut next: Vec<i32> = Vec::new();
            let luma_row = |y: u32, out: &mut Vec<i32>| {
                out.clear();
                let r = &raw[y as usize * stride..(y as usize + 1) * stride];
                out.extend(r.chunks_exact(3).map(luma));
            };
            for y in y0..y1 {
                let row = &raw[y as usize * stride..(y as usize + 1) * stride];
                let inner = y > 0 && y + 1 < h;
                if inner {
                    if y == y0 || prev.is_empty() {
                        luma_row(y - 1, &mut prev);
                        luma_row(y, &mut cur);
                    }
                    luma_row(y + 1, &mut next);
                }
                for cx in 0..cw {
                    let x0 = cx * cell_px;
                    let x1 = (x0 + cell_px).min(w);
                    let s = &mut sum[cx as usize];
                    for x in x0..x1 {
                        let p = &row[x as usize * 3..x as usize * 3 + 3];
                        s[0] += lut[p[0] as usize];
                        s[1] += lut[p[1] as usize];
                        s[2] += lut[p[2] as usize];
                    }
                    count[cx as usize] += x1 - x0;
                    if inner {
                        let (a, b) = (x0.max(1) as usize, x1.min(w - 1) as usize);
                        let mut e = 0i32;
                        for x in a..b {
                            e += (4 * cur[x] - cur[x - 1] - cur[x + 1] - prev[x] - next[x]).abs();
                        }
                        lap[cx as usize] += e as f32;
                        lap_count[cx as usize] += b.saturating_sub(a) as u32;
                    }
                }
                if inner {
                    std::mem::swap(&mut prev, &mut cur);
                    std::mem::swap(&mut cur, &mut next);
                }
            }
            let linear: Vec<[f32; 3]> = sum.iter().zip(&count).map(|(s, &n)| s.map(|c| c / n.max(1) as f32)).collect();
            let lab = linear.iter().map(|l| linear_to_lab(l.map(f64::from)).map(|c| c as f32)).collect();
            let lap = lap.iter().zip(&lap_count).map(|(e, &n)| e / n.max(1) as f32).collect();
            (linear, lab, lap)
        })
        .collect();
    let mut f = CellFeatures {
        width: cw,
        height: ch,
        linear: Vec::with_capacity((cw * ch) as usize),
        lab: Vec::with_capacity((cw * ch) as usize),
        laplacian: Vec::with_capacity((cw * ch) as usize),
    };
    for (l, a, t) in rows {
        f.linear.extend(l);
        f.lab.extend(a);
        f.laplacian.extend(t);
    }
    f
}

/// A box mean over (2·`r`+1)² cells of a per-cell value, clipped at the map's edges.
pub(crate) fn box_mean(v: &[f32], w: u32, h: u32, r: u32) -> Vec<f32> {
    let (w, h, r) = (w as i64, h as i64, r as i64);
    let mut tmp = vec![0f32; v.len()];
    for y in 0..h {
        for x in 0..w {
            let (a, b) = ((x - r).max(0), (x + r).min(w - 1));
            let s: f32 = (a..=b).map(|i| v[(y * w + i) as usize]).sum();
            tmp[(y * w + x) as usize] = s / (b - a + 1) as f32;
        }
    }
    let mut out = vec![0f32; v.len()];
    for y in 0..h {
        let (a, b) = ((y - r).max(0), (y + r).min(h - 1));
        for x in 0..w {
            let s: f32 = (a..=b).map(|j| tmp[(j * w + x) as usize]).sum();
            out[(y * w + x) as usize] = s / (b - a + 1) as f32;
        }
    }
    out
}

/// A box mean like [`box_mean`] over only the cells where `mask` holds; where the window
/// holds none of them, the cell's own value.
pub(crate) fn masked_box_mean(v: &[f32], mask: &[bool], w: u32, h: u32, r: u32) -> Vec<f32> {
    let on: Vec<f32> = mask.iter().map(|&m| f32::from(u8::from(m))).collect();
    let kept: Vec<f32> = v.iter().zip(&on).map(|(x, m)| x * m).collect();
    let (num, den) = (box_mean(&kept, w, h, r), box_mean(&on, w, h, r));
    (0..v.len()).map(|i| if den[i] > 0.0 { num[i] / den[i] } else { v[i] }).collect()
}

/// The median over (2·`r`+1)² cells of a per-cell value, over only the cells where
/// `mask` holds; where the window holds none of them, the cell's own value. Unlike a
/// mean, it ignores a line of outliers crossing the window (an edge), so an outline's
/// energy does not spread into the area beside it.
pub(crate) fn masked_box_median(v: &[f32], mask: &[bool], w: u32, h: u32, r: u32) -> Vec<f32> {
    let (w, h, r) = (w as i64, h as i64, r as i64);
    (0..v.len())
        .into_par_iter()
        .map_init(Vec::new, |win, i| {
            let (x, y) = (i as i64 % w, i as i64 / w);
            win.clear();
            for j in (y - r).max(0)..=(y + r).min(h - 1) {
                for k in (x - r).max(0)..=(x + r).min(w - 1) {
                    let c = (j * w + k) as usize;
                    if mask[c] {
                        win.push(v[c]);
                    }
                }
            }
            if win.is_empty() {
                return v[i];
            }
            let mid = win.len() / 2;
            *win.select_nth_unstable_by(mid, f32::total_cmp).1
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speckled_cells_have_more_texture_and_colours_average_in_linear_light() {
        // Left half smooth skin, right half skin with dark specks every third pixel.
        let img = RgbImage::from_fn(40, 20, |x, y| {
            if x >= 20 && (x + 2 * y) % 3 == 0 {
                image::Rgb([40, 30, 25])
            } else {
                image::Rgb([200, 160, 140])
            }
        });
        let f = cell_features(&img, 10);
        assert_eq!((f.width, f.height, f.len()), (4, 2, 8));
        let (smooth, speck) = (f.laplacian[4], f.laplacian[7]);
        assert!(smooth < 1.0 && speck > 100.0, "{smooth} {speck}");
        assert!(f.lab[3][0] < f.lab[0][0]);
        let m = box_mean(&[0.0, 3.0, 6.0, 9.0], 4, 1, 1);
        assert_eq!(m, vec![1.5, 3.0, 6.0, 7.5]);
        // A line of edge energy through smooth cells: the median ignores it, masked-out
        // cells do not count, and a window without kept cells keeps its own value.
        let v = [1.0, 1.0, 9.0, 1.0, 1.0, 5.0];
        let med = masked_box_median(&v, &[true, true, true, true, true, false], 6, 1, 1);
        assert_eq!(med, vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let none = masked_box_median(&v, &[false; 6], 6, 1, 1);
        assert_eq!(none, v.to_vec());
    }
}
