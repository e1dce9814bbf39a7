//! The density field of a design: at every point, which region it belongs to and how
//! many impressions per mm² it asks for (region density × hairline multiplier, and past
//! a region's open edges its edge-blend fade). A raster makes lookups O(1); cells that
//! an edge touches fall back to exact tests, so containment is exact.

use smp_design::area::{effective_areas, precedence_order};
use smp_design::geometry::{bounds, contains, row_crossings};
use smp_design::{Cm2, Design, PointMm};

use crate::edge_blend::EdgeBlend;
use crate::hairline::HairlineRamp;

const NO_REGION: u16 = u16::MAX;
/// Raster cell size, mm: fine against dot spacing (~1 mm) and the feather (≥ 5 mm).
pub const CELL_MM: f64 = 0.5;

/// What the field says at a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldSample {
    /// Index into `design.regions()`.
    pub region: usize,
    /// Impressions per mm² asked for here (after the hairline).
    pub per_mm2: f64,
    /// Hairline multiplier (1 outside the transition zone).
    pub ramp: f64,
}

/// The rasterised density field of one design.
#[derive(Debug, Clone)]
pub struct DensityField<'d> {
    design: &'d Design,
    origin: PointMm,
    w: usize,
    h: usize,
    region: Vec<u16>,
    ramp: Vec<f32>,
    edge: Vec<bool>,
    /// Per cell, the region whose edge blend reaches the cell's centre from outside
    /// every polygon, and its multiplier there (hairline included).
    outside_region: Vec<u16>,
    outside_ramp: Vec<f32>,
    order: Vec<usize>,
    hairline: Option<HairlineRamp>,
    areas: Vec<Cm2>,
    expected: Vec<f64>,
    expected_blend: Vec<f64>,
    per_mm2: Vec<f64>,
}

impl<'d> DensityField<'d> {
    /// Rasterise a design.
    pub fn new(design: &'d Design) -> Self {
        let regions = design.regions();
        let blend = EdgeBlend::new(design);
        let frame = raster_frame(design, &blend);
        let (origin, w, h) = frame;
        let order = precedence_order(design);
        let (mut region, covered) = paint_regions(design, &order, frame);
        let edge = edge_cells(design, frame);
        let hairline = design.hairline().map(|hl| HairlineRamp::new(hl, design.seed()));
        let mut ramp = vec![1.0f32; w * h];
        if let Some(hr) = &hairline {
            for cy in 0..h {
                for cx in 0..w {
                    if region[cy * w + cx] != NO_REGION || edge[cy * w + cx] {
                        let c = PointMm::new(origin.x + (cx as f64 + 0.5) * CELL_MM, origin.y + (cy as f64 + 0.5) * CELL_MM);
                        ramp[cy * w + cx] = hr.multiplier(c) as f32;
                    }
                }
            }
        }
        let (outside_region, outside_ramp) = blend_cells(&blend, frame, &covered, &edge, hairline.as_ref());
        for c in 0..w * h {
            if !covered[c] && outside_region[c] != NO_REGION {
                region[c] = outside_region[c];
                ramp[c] = outside_ramp[c];
            }
        }
        let areas = effective_areas(design);
        let (expected, expected_blend) = expected_counts(design, &areas, (&region, &covered, &ramp));
        DensityField {
            design,
            origin,
            w,
            h,
            region,
            ramp,
            edge,
            outside_region,
            outside_ramp,
            order,
            hairline,
            areas,
            expected,
            expected_blend,
            per_mm2: regions.iter().map(|r| r.density.per_mm2()).collect(),
        }
    }

    /// The design this field was built from.
    pub fn design(&self) -> &'d Design {
        self.design
    }

    /// Bounding box of the field, mm.
    pub fn bounds(&self) -> (PointMm, PointMm) {
        (
            self.origin,
            PointMm::new(self.origin.x + self.w as f64 * CELL_MM, self.origin.y + self.h as f64 * CELL_MM),
        )
    }

    /// The region (with dots) that owns `p`: by the exact polygons and precedence, and
    /// outside every polygon the region whose edge blend reaches it (by the raster cell).
    pub fn classify(&self, p: PointMm) -> Option<usize> {
        match self.top_polygon(p) {
            Some(i) => self.design.regions()[i].has_dots().then_some(i),
            None => self.outside(p).map(|(i, _)| i),
        }
    }

    /// The region whose polygon wins at `p` by precedence (dotted or not), if any.
    fn top_polygon(&self, p: PointMm) -> Option<usize> {
        let regions = self.design.regions();
        self.order.iter().copied().find(|&i| contains(&regions[i].polygon, p))
    }

    /// The edge blend's region and multiplier at `p` outside every polygon (cell value).
    fn outside(&self, p: PointMm) -> Option<(usize, f64)> {
        let c = self.cell(p)?;
        let id = self.outside_region[c];
        (id != NO_REGION).then(|| (usize::from(id), f64::from(self.outside_ramp[c])))
    }

    /// Raster cell index of `p`, if inside the field.
    fn cell(&self, p: PointMm) -> Option<usize> {
        // Truncation is floor here (both are checked non-negative), and it avoids a libm
        // call on baseline x86-64.
        let fx = (p.x - self.origin.x) * (1.0 / CELL_MM);
        let fy = (p.y - self.origin.y) * (1.0 / CELL_MM);
        (fx >= 0.0 && fy >= 0.0 && fx < self.w as f64 && fy < self.h as f64).then(|| fy as usize * self.w + fx as usize)
    }

    /// The field at `p`, or `None` where no dots go (outside, excluded, forehead).
    pub fn sample(&self, p: PointMm) -> Option<FieldSample> {
        let c = self.cell(p)?;
        let (region, ramp) = if self.edge[c] {
            match self.top_polygon(p) {
                Some(i) if self.design.regions()[i].has_dots() => (i, self.ramp_at(p)),
                Some(_) => return None,
                None => self.outside(p)?,
            }
        } else {
            let id = self.region[c];
            if id == NO_REGION {
                return None;
            }
            (usize::from(id), f64::from(self.ramp[c]))
        };
        let per_mm2 = self.per_mm2[region] * ramp;
        (per_mm2 > 0.0).then_some(FieldSample { region, per_mm2, ramp })
    }

    /// Exact hairline multiplier at `p` (1 without a hairline).
    pub fn ramp_at(&self, p: PointMm) -> f64 {
        self.hairline.as_ref().map_or(1.0, |h| h.multiplier(p))
    }

    /// Effective area per region (polygon minus what higher-precedence regions take).
    pub fn areas(&self) -> &[Cm2] {
        &self.areas
    }

    /// Expected impressions per region: the integral of the density field over it,
    /// edge blend included.
    pub fn expected_counts(&self) -> &[f64] {
        &self.expected
    }

    /// The part of [`Self::expected_counts`] that lies in each region's edge blend,
    /// outside its polygon.
    pub fn expected_blend_counts(&self) -> &[f64] {
        &self.expected_blend
    }

    /// Whether `p` lies inside region `i`'s own polygon (not in its edge blend).
    pub fn in_polygon(&self, i: usize, p: PointMm) -> bool {
        contains(&self.design.regions()[i].polygon, p)
    }

    /// Highest density anywhere in the field, per mm².
    pub fn max_per_mm2(&self) -> f64 {
        self.design.regions().iter().map(|r| r.density.per_mm2()).fold(0.0, f64::max)
    }
}

/// The raster over a design's dotted regions and the reach of their edge blend: its
/// corner, width and height in cells.
fn raster_frame(design: &Design, blend: &EdgeBlend) -> (PointMm, usize, usize) {
    let dotted: Vec<PointMm> = design
        .regions()
        .iter()
        .filter(|r| r.has_dots())
        .flat_map(|r| r.polygon.iter().copied())
        .collect();
    let margin = blend.reach_mm() * 1.25 + CELL_MM;
    let (lo, hi) = bounds(&dotted);
    let origin = PointMm::new(lo.x - margin, lo.y - margin);
    let w = ((hi.x + margin - origin.x) / CELL_MM).ceil() as usize + 2;
    let h = ((hi.y + margin - origin.y) / CELL_MM).ceil() as usize + 2;
    (origin, w, h)
}

/// Per cell, the region of highest precedence whose polygon holds the cell's centre
/// (`NO_REGION` for one that lays no dots), and whether any polygon does.
fn paint_regions(design: &Design, order: &[usize], (origin, w, h): (PointMm, usize, usize)) -> (Vec<u16>, Vec<bool>) {
    let regions = design.regions();
    let mut region = vec![NO_REGION; w * h];
    let mut covered = vec![false; w * h];
    let mut xs = Vec::new();
    // Paint from the lowest precedence up so the winner is painted last.
    for &i in order.iter().rev() {
        let id = if regions[i].has_dots() { i as u16 } else { NO_REGION };
        for cy in 0..h {
            let y = origin.y + (cy as f64 + 0.5) * CELL_MM;
            row_crossings(&regions[i].polygon, y, &mut xs);
            for pair in xs.chunks_exact(2) {
                let c0 = ((pair[0] - origin.x) / CELL_MM - 0.5).ceil().max(0.0) as usize;
                let c1 = ((pair[1] - origin.x) / CELL_MM - 0.5).floor().min((w - 1) as f64);
                if c1 < 0.0 {
                    continue;
                }
                for cx in c0..=(c1 as usize) {
                    region[cy * w + cx] = id;
                    covered[cy * w + cx] = true;
                }
            }
        }
    }
    (region, covered)
}

/// The cells within one cell of any region's outline: there containment is tested
/// exactly.
fn edge_cells(design: &Design, (origin, w, h): (PointMm, usize, usize)) -> Vec<bool> {
    let mut edge = vec![false; w * h];
    for r in design.regions() {
        let n = r.polygon.len();
        for k in 0..n {
            let (a, b) = (r.polygon[k], r.polygon[(k + 1) % n]);
            let steps = (a.dist(b) / (CELL_MM * 0.5)).ceil() as usize + 1;
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                let cx = ((a.x + t * (b.x - a.x) - origin.x) / CELL_MM).floor() as isize;
                let cy = ((a.y + t * (b.y - a.y) - origin.y) / CELL_MM).floor() as isize;
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        let (x, y) = (cx + dx, cy + dy);
                        if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
                            edge[y as usize * w + x as usize] = true;
                        }
                    }
                }
            }
        }
    }
    edge
}

/// Expected counts per region, in all and in its edge blend: the exact effective area
/// times density times the region's mean hairline multiplier over its cells, plus the
/// integral of its edge blend over the cells (`region`, `covered`, `ramp`) outside it.
fn expected_counts(design: &Design, areas: &[Cm2], (region, covered, ramp): (&[u16], &[bool], &[f32])) -> (Vec<f64>, Vec<f64>) {
    let regions = design.regions();
    let mut ramp_sum = vec![0.0f64; regions.len()];
    let mut cells = vec![0u64; regions.len()];
    let mut blend_cm2 = vec![0.0f64; regions.len()];
    for (c, &id) in region.iter().enumerate() {
        if id == NO_REGION {
            continue;
        }
        if covered[c] {
            ramp_sum[id as usize] += f64::from(ramp[c]);
            cells[id as usize] += 1;
        } else {
            blend_cm2[id as usize] += f64::from(ramp[c]) * CELL_MM * CELL_MM / 100.0;
        }
    }
    let expected_blend: Vec<f64> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| r.density.count_over(Cm2(blend_cm2[i])))
        .collect();
    let expected = regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mean_ramp = if cells[i] > 0 { ramp_sum[i] / cells[i] as f64 } else { 0.0 };
            r.density.count_over(areas[i]) * mean_ramp + expected_blend[i]
        })
        .collect();
    (expected, expected_blend)
}

/// Side of the tiles the blend is rasterised in, cells: each tile tests only the edge
/// pieces that reach it.
const BLEND_TILE: usize = 32;

/// Per cell outside every polygon (or touching an edge): the region whose blend reaches
/// the cell's centre and its multiplier, times the hairline's (nothing on the forehead).
fn blend_cells(
    blend: &EdgeBlend,
    (origin, w, h): (PointMm, usize, usize),
    covered: &[bool],
    edge: &[bool],
    hairline: Option<&HairlineRamp>,
) -> (Vec<u16>, Vec<f32>) {
    let mut region = vec![NO_REGION; w * h];
    let mut ramp = vec![0.0f32; w * h];
    if blend.is_empty() {
        return (region, ramp);
    }
    let centre = |cx: usize, cy: usize| PointMm::new(origin.x + (cx as f64 + 0.5) * CELL_MM, origin.y + (cy as f64 + 0.5) * CELL_MM);
    for ty in (0..h).step_by(BLEND_TILE) {
        for tx in (0..w).step_by(BLEND_TILE) {
            let (x1, y1) = ((tx + BLEND_TILE).min(w), (ty + BLEND_TILE).min(h));
            let near = blend.near(centre(tx, ty), centre(x1 - 1, y1 - 1));
            if near.is_empty() {
                continue;
            }
            for cy in ty..y1 {
                for cx in tx..x1 {
                    let c = cy * w + cx;
                    if covered[c] && !edge[c] {
                        continue;
                    }
                    let p = centre(cx, cy);
                    if let Some((i, m)) = near.at(p) {
                        let m = m * hairline.map_or(1.0, |hr| hr.multiplier(p));
                        if m > 0.0 {
                            region[c] = i as u16;
                            ramp[c] = m as f32;
                        }
                    }
                }
            }
        }
    }
    (region, ramp)
}
