//! The light on the scalp: its shading (a smooth low-pass of the skin's brightness) and
//! its specular highlights, read by the dichromatic model (Shafer 1985): a pixel is the
//! skin's own colour times the shading plus a white surface reflection. Pigment lies
//! under the surface, so it darkens the first and never the second.

use image::RgbImage;

use super::PxBox;
use super::grain::median;

/// Side of a shading cell, mm: larger than a highlight on the scalp, smaller than the
/// head's curvature.
const SHADING_CELL_MM: f64 = 20.0;
/// Samples per cell side: a median of 24² pixels is steady, and cheap at any photo size.
const SAMPLES_PER_SIDE: u32 = 24;
/// A pixel's surface reflection counts only beyond this many grain σ (else it is noise).
const NOISE_FLOOR_SIGMAS: f64 = 2.0;

/// Shading and highlights over an area of the photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Light {
    /// The skin's own colour direction (linear RGB, unit sum) over the area.
    pub skin_chroma: [f64; 3],
    /// Cell side, pixels (0: no shading map).
    pub cell_px: u32,
    /// First pixel of the grid.
    pub origin_px: (u32, u32),
    /// Cells per row.
    pub cols: usize,
    /// Median linear luminance of the skin per cell (row-major): the shading.
    pub shading: Vec<f64>,
    /// Grain σ, linear units at mid-grey, per channel: the noise floor of a highlight.
    pub noise_linear: [f64; 3],
}

impl Light {
    /// No shading map and no highlights.
    pub fn none() -> Self {
        Light {
            skin_chroma: [1.0 / 3.0; 3],
            cell_px: 0,
            origin_px: (0, 0),
            cols: 0,
            shading: Vec::new(),
            noise_linear: [f64::INFINITY; 3],
        }
    }

    /// Read the light over `area` (grain `grain_sigma`, sRGB levels, for the noise floor).
    pub fn estimate(photo: &RgbImage, area: PxBox, px_per_mm: f64, grain_sigma: [f64; 3]) -> Self {
        let cell = ((SHADING_CELL_MM * px_per_mm).round() as u32).max(8);
        let cols = (area.x1 - area.x0).div_ceil(cell) as usize;
        let rows = (area.y1 - area.y0).div_ceil(cell) as usize;
        let mut chroma: [Vec<f64>; 3] = Default::default();
        let mut shading = Vec::with_capacity(cols * rows);
        let stride = (cell / SAMPLES_PER_SIDE).max(1) as usize;
        let dec = smp_color::srgb::decode_lut();
        for cy in 0..rows {
            for cx in 0..cols {
                let (x0, y0) = (area.x0 + cx as u32 * cell, area.y0 + cy as u32 * cell);
                let mut lum = Vec::new();
                for y in (y0..(y0 + cell).min(area.y1)).step_by(stride) {
                    for x in (x0..(x0 + cell).min(area.x1)).step_by(stride) {
                        let l = photo.get_pixel(x, y).0.map(|v| f64::from(dec[v as usize]));
                        let sum = l[0] + l[1] + l[2];
                        if sum > 1e-4 {
                            (0..3).for_each(|k| chroma[k].push(l[k] / sum));
                        }
                        lum.push(0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]);
                    }
                }
                shading.push(if lum.is_empty() { 0.0 } else { median(&mut lum) });
            }
        }
        let mut c = [1.0 / 3.0; 3];
        if !chroma[0].is_empty() {
            c = std::array::from_fn(|k| median(&mut chroma[k]));
            let s: f64 = c.iter().sum();
            c.iter_mut().for_each(|v| *v /= s);
        }
        // Slope of the sRGB curve at mid-grey: linear change per level there.
        let per_level = (smp_color::srgb::to_linear(0.5 + 0.5 / 255.0) - smp_color::srgb::to_linear(0.5 - 0.5 / 255.0)) / 1.0;
        Light {
            skin_chroma: c,
            cell_px: cell,
            origin_px: (area.x0, area.y0),
            cols,
            shading,
            noise_linear: grain_sigma.map(|s| s * per_level),
        }
    }

    /// The shading (median linear luminance of the skin) at a pixel, bilinear between
    /// cell centres; `None` without a map.
    pub fn shading_at(&self, x: f64, y: f64) -> Option<f64> {
        if self.cell_px == 0 || self.cols == 0 {
            return None;
        }
        let c = f64::from(self.cell_px);
        let (u, v) = ((x - f64::from(self.origin_px.0)) / c, (y - f64::from(self.origin_px.1)) / c);
        Some(between_centres(&self.shading, self.cols, u, v))
    }

    /// The shading of the pixels `x0..x0 + out.len()` of row `y` (at their centres), as
    /// [`Light::shading_at`] gives it; `false` (and `out` untouched) without a map.
    pub fn shading_row(&self, y: u32, x0: u32, out: &mut [f32]) -> bool {
        if self.cell_px == 0 || self.cols == 0 {
            return false;
        }
        row_between_centres(&self.shading, self.cols, self.cell_px, self.origin_px, y, x0, out);
        true
    }

    /// The white surface reflection in the pixel `(x, y)` of linear colour `p` (linear
    /// units, the same in each channel): the least-squares split of `p` into the skin's
    /// colour and white, less the grain's noise floor, never negative, and never more
    /// than the pixel stands out above the shading around it (a highlight is a bright
    /// spot).
    pub fn specular(&self, p: [f32; 3], x: f64, y: f64) -> f32 {
        match self.shading_at(x, y) {
            Some(shade) => self.splitter().split(p, shade as f32),
            None => 0.0,
        }
    }

    /// The dichromatic split's constants, for splitting many pixels.
    pub fn splitter(&self) -> Splitter {
        let c = self.skin_chroma.map(|v| v as f32);
        let cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
        let c1 = c[0] + c[1] + c[2];
        Splitter {
            c,
            cc,
            c1,
            det: 3.0 * cc - c1 * c1,
            floor: (NOISE_FLOOR_SIGMAS * self.noise_linear.iter().copied().fold(0.0, f64::max)) as f32,
        }
    }
}

/// The least-squares split of a pixel into the skin's colour and white light, with its
/// constants worked out once per photo (the renderer splits millions of pixels).
#[derive(Debug, Clone, Copy)]
pub struct Splitter {
    c: [f32; 3],
    cc: f32,
    c1: f32,
    det: f32,
    floor: f32,
}

impl Splitter {
    /// The white surface reflection of linear colour `p` over shading `shade`: see
    /// [`Light::specular`]. Inlined into the renderer's per-pixel loop, another crate's.
    #[inline]
    pub fn split(&self, p: [f32; 3], shade: f32) -> f32 {
        let above = (0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]) - shade;
        if above <= 0.0 || self.det.abs() < 1e-9 {
            return 0.0;
        }
        let c = self.c;
        let cp = c[0] * p[0] + c[1] * p[1] + c[2] * p[2];
        let sp = p[0] + p[1] + p[2];
        // Normal equations of p ≈ α·c + β·(1, 1, 1).
        let beta = (self.cc * sp - self.c1 * cp) / self.det;
        // Never more than the pixel's darkest channel holds.
        (beta - self.floor).clamp(0.0, p[0].min(p[1]).min(p[2]).min(above))
    }
}

/// Side of a highlight cell, mm: a scalp's highlight is a broad lobe (centimetres) with
/// sparkle from the skin's relief; what a single pixel adds beyond its surroundings is
/// mostly grain, or a pale but matt line such as a scar, which the dichromatic split
/// cannot tell from sheen. Each pixel's highlight is capped at the mean over ~2 mm.
const HIGHLIGHT_CELL_MM: f64 = 5.0;
/// Pixels sampled per cell side when averaging: every other one is enough for a mean.
const HIGHLIGHT_STRIDE: u32 = 2;

/// The highlights of a photo averaged over cells of ~2 mm, read bilinearly between cell
/// centres: what the pigment keeps on top is the smaller of a pixel's own highlight and
/// this, so grain and narrow pale marks are darkened like the skin around them.
#[derive(Debug, Clone, PartialEq)]
pub struct HighlightMap {
    cell_px: u32,
    origin_px: (u32, u32),
    cols: usize,
    rows: usize,
    mean: Vec<f32>,
}

impl HighlightMap {
    /// The map over `area` of `photo` (scale `px_per_mm`) under `light`: only where
    /// pigment goes is it needed, and reading a whole 12 MP photo costs more than the
    /// rest of a preview.
    pub fn new(photo: &RgbImage, light: &Light, px_per_mm: f64, area: PxBox) -> Self {
        use rayon::prelude::*;
        let cell = ((HIGHLIGHT_CELL_MM * px_per_mm).round() as u32).max(2);
        let x1 = area.x1.min(photo.width()).max(area.x0 + 1);
        let y1 = area.y1.min(photo.height()).max(area.y0 + 1);
        let cols = (x1 - area.x0).div_ceil(cell) as usize;
        let rows = (y1 - area.y0).div_ceil(cell) as usize;
        let origin_px = (area.x0, area.y0);
        if light.cell_px == 0 {
            return HighlightMap {
                cell_px: cell,
                origin_px,
                cols,
                rows,
                mean: vec![0.0; cols * rows],
            };
        }
        let dec = smp_color::srgb::decode_lut();
        // The split's constants once for the map, not once per sampled pixel.
        let split = light.splitter();
        let mean: Vec<f32> = (0..rows)
            .into_par_iter()
            .flat_map_iter(|cy| {
                let dec = &dec;
                (0..cols).map(move |cx| {
                    let (x0, y0) = (origin_px.0 + cx as u32 * cell, origin_px.1 + cy as u32 * cell);
                    let (x1, y1) = ((x0 + cell).min(x1).min(photo.width()), (y0 + cell).min(y1).min(photo.height()));
                    let (mut s, mut n) = (0f32, 0f32);
                    for y in (y0..y1).step_by(HIGHLIGHT_STRIDE as usize) {
                        for x in (x0..x1).step_by(HIGHLIGHT_STRIDE as usize) {
                            let p = photo.get_pixel(x, y).0.map(|v| dec[v as usize]);
                            if let Some(shade) = light.shading_at(f64::from(x) + 0.5, f64::from(y) + 0.5) {
                                s += split.split(p, shade as f32);
                            }
                            n += 1.0;
                        }
                    }
                    if n > 0.0 { s / n } else { 0.0 }
                })
            })
            .collect();
        HighlightMap {
            cell_px: cell,
            origin_px,
            cols,
            rows,
            mean,
        }
    }

    /// The mean highlight around pixel `(x, y)` (linear units), held at the area's edge.
    pub fn at(&self, x: f64, y: f64) -> f32 {
        let c = f64::from(self.cell_px);
        let (u, v) = ((x - f64::from(self.origin_px.0)) / c, (y - f64::from(self.origin_px.1)) / c);
        between_centres(&self.mean, self.cols, u, v) as f32
    }

    /// [`HighlightMap::at`] for the pixels `x0..x0 + out.len()` of row `y`: the renderer
    /// reads it for every pixel it draws on, so a row at a time.
    pub fn row(&self, y: u32, x0: u32, out: &mut [f32]) {
        row_between_centres(&self.mean, self.cols, self.cell_px, self.origin_px, y, x0, out);
    }
}

/// [`between_centres`] along the pixel row `y` (pixel centres, grid of `cell_px` cells
/// from `origin_px`) for the pixels `x0..x0 + out.len()`: the vertical blend is made once
/// per cell column, then each pixel blends two neighbours.
fn row_between_centres<T: Copy + Into<f64>>(
    cells: &[T],
    cols: usize,
    cell_px: u32,
    origin_px: (u32, u32),
    y: u32,
    x0: u32,
    out: &mut [f32],
) {
    let rows = cells.len() / cols;
    let c = f64::from(cell_px);
    let v = ((f64::from(y) + 0.5 - f64::from(origin_px.1)) / c - 0.5).clamp(0.0, (rows - 1) as f64);
    let (v0, v1) = (v as usize, (v as usize + 1).min(rows - 1));
    let fv = v - v0 as f64;
    let col: Vec<f32> = (0..cols)
        .map(|i| (cells[v0 * cols + i].into() * (1.0 - fv) + cells[v1 * cols + i].into() * fv) as f32)
        .collect();
    let inv = 1.0 / c as f32;
    let (start, last) = ((x0 as f32 + 0.5 - origin_px.0 as f32) * inv - 0.5, (cols - 1) as f32);
    for (k, o) in out.iter_mut().enumerate() {
        let u = (start + k as f32 * inv).clamp(0.0, last);
        let u0 = u as usize;
        let u1 = (u0 + 1).min(cols - 1);
        let f = u - u0 as f32;
        *o = col[u0] * (1.0 - f) + col[u1] * f;
    }
}

/// A grid of per-cell values (`cols` a row, row-major) read bilinearly between cell
/// centres at (`u`, `v`) in cells from the grid's corner, held at the edge cells.
fn between_centres<T: Copy + Into<f64>>(cells: &[T], cols: usize, u: f64, v: f64) -> f64 {
    let rows = cells.len() / cols;
    let u = (u - 0.5).clamp(0.0, (cols - 1) as f64);
    let v = (v - 0.5).clamp(0.0, (rows - 1) as f64);
    let (u0, v0) = (u as usize, v as usize);
    let (u1, v1) = ((u0 + 1).min(cols - 1), (v0 + 1).min(rows - 1));
    let (fu, fv) = (u - u0 as f64, v - v0 as f64);
    let s = |i: usize, j: usize| -> f64 { cells[j * cols + i].into() };
    (s(u0, v0) * (1.0 - fu) + s(u1, v0) * fu) * (1.0 - fv) + (s(u0, v1) * (1.0 - fu) + s(u1, v1) * fu) * fv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_the_same_as_single_pixels() {
        // A photo lit unevenly, with a bright patch: the row readers must agree with the
        // per-pixel ones they replace in the renderer, and a map of part of the photo with
        // the whole photo's map inside that part.
        let photo = RgbImage::from_fn(240, 180, |x, y| {
            let v = 60.0 + 0.5 * f64::from(x) + 0.3 * f64::from(y);
            let spot = if (100..140).contains(&x) && (60..90).contains(&y) {
                60.0
            } else {
                0.0
            };
            image::Rgb([
                (v + spot).min(255.0) as u8,
                (0.8 * v + spot).min(255.0) as u8,
                (0.7 * v + spot).min(255.0) as u8,
            ])
        });
        let area = PxBox {
            x0: 10,
            y0: 20,
            x1: 230,
            y1: 170,
        };
        let light = Light::estimate(&photo, area, 2.0, [1.0; 3]);
        let part = PxBox {
            x0: 50,
            y0: 30,
            x1: 200,
            y1: 150,
        };
        let whole = HighlightMap::new(&photo, &light, 2.0, PxBox::whole(&photo));
        let map = HighlightMap::new(&photo, &light, 2.0, part);
        let mut row = vec![0f32; 100];
        let mut shade = vec![0f32; 100];
        for y in [30u32, 75, 149] {
            map.row(y, 60, &mut row);
            assert!(light.shading_row(y, 60, &mut shade));
            for (k, (&r, &s)) in row.iter().zip(&shade).enumerate() {
                let (x, yc) = (60.0 + k as f64 + 0.5, f64::from(y) + 0.5);
                assert!((r - map.at(x, yc)).abs() < 1e-5, "highlight row at ({x}, {yc})");
                assert!(
                    (f64::from(s) - light.shading_at(x, yc).unwrap()).abs() < 1e-5,
                    "shading row at ({x}, {yc})"
                );
            }
        }
        // Away from the part's edge (where it is held), the part's map is the whole's.
        assert!((map.at(120.0, 75.0) - whole.at(120.0, 75.0)).abs() < 1e-6);
        assert!(map.at(120.0, 75.0) > 0.0, "the bright patch is a highlight");
        assert!(!Light::none().shading_row(5, 0, &mut shade));
    }
}
