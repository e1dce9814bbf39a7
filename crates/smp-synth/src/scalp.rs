//! The hair-bearing scalp in design millimetres: the natural outline (hairline, temples,
//! sideburns, around the ears, nape), the pattern's bald and thinning areas with soft,
//! irregular edges, and the FUT strip and FUE donor band.

use rayon::prelude::*;
use smp_design::PointMm;

use super::camera::Camera;
use super::geom::{CoarseSdf, P2, Poly, chaikin_open, polyline_distance, smoothstep};
use super::noise::Noise;
use super::rng::purpose;
use super::{Scar, SynthView};

/// Right half of the natural hair-bearing outline after the temple end of the hairline,
/// down the temple, the sideburn, around the ear (the auricle covers about x 132–194,
/// y 189–221, see `ear.rs`), behind it and along the nape to the midline, as the top
/// and back photos show it.
const RIGHT_SIDE: [P2; 30] = [
    (66.0, 123.0),
    (76.0, 131.0),
    (90.0, 142.0),
    (106.0, 152.0),
    (120.0, 160.0),
    (134.0, 166.0),
    (148.0, 171.0),
    (160.0, 175.0),
    (170.0, 178.0),
    (176.0, 186.0),
    (172.0, 190.0),
    (160.0, 188.0),
    (148.0, 186.0),
    (137.0, 188.0),
    (129.0, 195.0),
    (126.0, 205.0),
    (128.0, 215.0),
    (135.0, 225.0),
    (146.0, 232.0),
    (158.0, 239.0),
    (168.0, 249.0),
    (174.0, 263.0),
    (170.0, 281.0),
    (156.0, 301.0),
    (136.0, 321.0),
    (112.0, 338.0),
    (86.0, 352.0),
    (58.0, 361.0),
    (30.0, 366.0),
    (0.0, 368.0),
];

/// The temple as the left photo shows it, image mm from the head's centre (u towards
/// the back, v down): from the temple point forward to ~40 mm behind the outer corner of
/// the eye, down and back to the sideburn, which ends in front of the ear at about the
/// tragus; then [`RIGHT_SIDE`] from its 9th point (behind the sideburn) on.
const SIDE_TEMPLE_IMG: [P2; 9] = [
    (-52.0, -30.0),
    (-53.0, -12.0),
    (-47.0, 0.0),
    (-37.0, 10.0),
    (-25.0, 18.0),
    (-15.0, 28.0),
    (-9.0, 40.0),
    (-6.0, 50.0),
    (-2.0, 56.0),
];

/// The temple and the side of the head as the front photo shows them, image mm from the
/// head's centre on the image's left (the client's right): from the temple point down
/// the side of the forehead to the limb above the ear. Beyond the limb the outline runs
/// out of sight to the ear and joins [`RIGHT_SIDE`] from its 11th point on.
const FRONT_TEMPLE_IMG: [P2; 7] = [
    (-47.0, -55.0),
    (-51.0, -40.0),
    (-55.0, -22.0),
    (-59.0, -5.0),
    (-63.0, 10.0),
    (-66.0, 22.0),
    (-69.0, 30.0),
];

/// The natural hair-bearing outline (closed, design mm) for a photo by `cam` of
/// `view`: `hairline` (the frontal line, left to right) and the sides, temples, ears
/// and nape. The flat design map wraps differently in each view, so the temples, drawn
/// where the anatomy puts them in the photo, have their own design place per view.
pub(crate) fn natural_outline(view: SynthView, cam: &Camera, hairline: &[P2]) -> Vec<P2> {
    // Image mm on the client's right side to design mm, mirrored to x > 0.
    let to_design = |pts: &[P2], flip_u: f64| -> Vec<P2> {
        pts.iter()
            .filter_map(|&(u, v)| cam.surface((flip_u * u, v)))
            .map(|p| (p.x.abs(), p.y))
            .collect()
    };
    let right: Vec<P2> = match view {
        SynthView::Front => {
            let mut r = to_design(&FRONT_TEMPLE_IMG, 1.0);
            let last = *r.last().expect("the front temple is on the head");
            r.extend([(200.0, last.1), (200.0, 186.0)]);
            r.extend(&RIGHT_SIDE[10..]);
            r
        }
        SynthView::Left | SynthView::Right => {
            let mut r = to_design(&SIDE_TEMPLE_IMG, cam.mirror);
            r.extend(&RIGHT_SIDE[8..]);
            r
        }
        SynthView::Top | SynthView::Back => RIGHT_SIDE.to_vec(),
    };
    // Round the natural edges' corners; the hairline stays exactly as designed.
    let (first, last) = (hairline[0], hairline[hairline.len() - 1]);
    let mut chain = vec![last];
    chain.extend(&right);
    chain.extend(right.iter().rev().skip(1).map(|&(x, y)| (-x, y)));
    chain.push(first);
    let chain = chaikin_open(&chain, 2);
    let mut outline: Vec<P2> = hairline.to_vec();
    outline.extend(&chain[1..chain.len() - 1]);
    outline
}

/// The whole field's box, design mm: every view's scalp lies in it.
pub(crate) const FULL_BOUNDS: (P2, P2) = ((-200.0, -20.0), (200.0, 385.0));

/// Hair density share from which scalp counts as haired in the truth.
pub(crate) const HAIRED_MIN: f64 = 0.75;
/// Hair density share from which scalp counts as thinning (below it: bald).
pub(crate) const THINNING_MIN: f64 = 0.2;

/// Share of the natural density left in a thinning (`blend`) area.
pub(crate) const THINNING: f64 = 0.45;
/// Share of the units in the FUE donor band that were extracted (left as dot scars).
pub(crate) const FUE_EXTRACTED: f64 = 0.2;

/// An area of reduced hair: its outline and the share of the density left inside.
#[derive(Debug, Clone)]
pub(crate) struct Loss {
    /// Outline, design mm.
    pub poly: Poly,
    /// Share of the natural density inside (0 bald … 1 none lost).
    pub keep: f64,
}

/// The hair density field over the design.
pub(crate) struct Scalp {
    x0: f64,
    y0: f64,
    step: f64,
    nx: usize,
    ny: usize,
    density: Vec<f32>,
    on_scalp: Vec<f32>,
    /// Signed margin of the true scalp (positive on scalp): the frontal line itself in
    /// front, the middle of the fringe's ramp at the sides and back.
    edge: Vec<f32>,
    scar: Option<Scar>,
    scar_noise: Noise,
}

impl Scalp {
    /// The field inside `outline` (closed, from [`natural_outline`]) whose front is
    /// `hairline` (left to right), with the given areas of loss and scar, over the
    /// design-mm box `bounds` (at most [`FULL_BOUNDS`]).
    ///
    /// Natural edges wander, except along the hairline: there the rule is that scalp
    /// begins exactly at the line (a bald head shows no edge to the forehead), so the
    /// hair ramps up from the line itself.
    pub(crate) fn new(outline: &[P2], hairline: &[P2], losses: &[Loss], scar: Option<Scar>, seed: u64, bounds: (P2, P2)) -> Self {
        let outline = Poly::new(outline.to_vec());
        let (big, small) = (Noise::new(seed, purpose::EDGES), Noise::new(seed, purpose::EDGES + 100));
        let step = 1.0;
        let (lo, hi) = (
            (bounds.0.0.max(FULL_BOUNDS.0.0), bounds.0.1.max(FULL_BOUNDS.0.1)),
            (bounds.1.0.min(FULL_BOUNDS.1.0), bounds.1.1.min(FULL_BOUNDS.1.1)),
        );
        let (x0, y0) = (lo.0.floor(), lo.1.floor());
        let nx = ((hi.0 - x0) / step).ceil().max(1.0) as usize + 1;
        let ny = ((hi.1 - y0) / step).ceil().max(1.0) as usize + 1;
        let bounds = ((x0, y0), (x0 + (nx - 1) as f64 * step, y0 + (ny - 1) as f64 * step));
        let coarse_outline = CoarseSdf::new(&outline, bounds, 4.0);
        let coarse_losses: Vec<CoarseSdf> = losses.iter().map(|l| CoarseSdf::new(&l.poly, bounds, 4.0)).collect();
        let rows: Vec<[Vec<f32>; 3]> = (0..ny)
            .into_par_iter()
            .map(|j| {
                let y = y0 + j as f64 * step;
                let mut d = Vec::with_capacity(nx);
                let mut s = Vec::with_capacity(nx);
                let mut e = Vec::with_capacity(nx);
                for i in 0..nx {
                    let x = x0 + i as f64 * step;
                    // Natural edges wander: macro bays ~18 mm, micro ~3.5 mm (domain.md).
                    let warp = 3.0 * big.fbm(x, y, 18.0, 2) + 1.2 * small.fbm(x, y, 3.5, 2);
                    let inside = -coarse_outline.sdf((x, y), 13.0);
                    // No wander within 10 mm of the hairline, full wander from 25 mm.
                    let w = if inside.abs() < 40.0 {
                        smoothstep(10.0, 25.0, polyline_distance(hairline, (x, y)).0)
                    } else {
                        1.0
                    };
                    let sw = inside + w * warp;
                    // |warp| ≤ ~4.2: the ramps saturate 13 mm (outline) and 21 mm (losses) away.
                    let scalp = smoothstep(0.5 * w, 6.0 + 0.5 * w, sw);
                    let mut f = scalp;
                    for (l, c) in losses.iter().zip(&coarse_losses) {
                        let sd = c.sdf((x, y), 21.0);
                        f *= l.keep + (1.0 - l.keep) * smoothstep(-4.0, 13.0, sd + 1.3 * warp);
                    }
                    d.push(f as f32);
                    s.push(scalp as f32);
                    e.push((sw - 3.5 * w) as f32);
                }
                [d, s, e]
            })
            .collect();
        let (mut density, mut on_scalp, mut edge) = (Vec::new(), Vec::new(), Vec::new());
        for [d, s, e] in rows {
            density.extend(d);
            on_scalp.extend(s);
            edge.extend(e);
        }
        Scalp {
            x0,
            y0,
            step,
            nx,
            ny,
            density,
            on_scalp,
            edge,
            scar,
            scar_noise: Noise::new(seed, purpose::SCAR),
        }
    }

    /// Whether `p` is scalp in the truth: behind the frontal line, above the fringe.
    pub(crate) fn is_scalp(&self, p: PointMm) -> bool {
        let fx = (p.x - self.x0) / self.step;
        let fy = (p.y - self.y0) / self.step;
        if !(fx >= 0.0 && fy >= 0.0 && fx < (self.nx - 1) as f64 && fy < (self.ny - 1) as f64) {
            return false;
        }
        self.sample(&self.edge, p) >= 0.0
    }

    /// Design-mm bounding box of the field.
    pub(crate) fn bounds(&self) -> (P2, P2) {
        let w = (self.nx - 1) as f64 * self.step;
        let h = (self.ny - 1) as f64 * self.step;
        ((self.x0, self.y0), (self.x0 + w, self.y0 + h))
    }

    fn sample(&self, grid: &[f32], p: PointMm) -> f64 {
        let fx = (p.x - self.x0) / self.step;
        let fy = (p.y - self.y0) / self.step;
        if !(fx >= 0.0 && fy >= 0.0 && fx < (self.nx - 1) as f64 && fy < (self.ny - 1) as f64) {
            return 0.0;
        }
        let (i, j) = (fx as usize, fy as usize);
        let (tx, ty) = (fx - i as f64, fy - j as f64);
        let at = |i: usize, j: usize| f64::from(grid[j * self.nx + i]);
        let top = at(i, j) + (at(i + 1, j) - at(i, j)) * tx;
        let bottom = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * tx;
        top + (bottom - top) * ty
    }

    /// Share of the natural density of terminal hair at `p`: exactly 1 on fully haired
    /// scalp, 0 on the forehead, off the scalp, on bald areas and in a FUT strip.
    pub(crate) fn density(&self, p: PointMm) -> f64 {
        let d = self.sample(&self.density, p);
        if d <= 0.0 {
            return 0.0;
        }
        match self.fut(p.x) {
            Some((yc, hw)) => d * smoothstep(hw + 0.3, hw + 1.3, (p.y - yc).abs()),
            None => d,
        }
    }

    /// How much `p` is scalp at all (inside the natural outline), 0..=1; bald scalp
    /// still carries fine vellus hair.
    pub(crate) fn on_scalp(&self, p: PointMm) -> f64 {
        self.sample(&self.on_scalp, p)
    }

    /// Hair density as it tints the skin: [`Scalp::density`] less the extracted FUE units.
    pub(crate) fn tint_density(&self, p: PointMm) -> f64 {
        self.density(p) * (1.0 - FUE_EXTRACTED * self.fue_band(p))
    }

    /// FUT strip centre `y` and half-width at `x`, where the strip runs (|x| < 112 mm,
    /// along the occiput y ≈ 300–322 like the `fut-scar` template, 2.2–3.8 mm wide).
    fn fut(&self, x: f64) -> Option<(f64, f64)> {
        if self.scar != Some(Scar::Fut) || x.abs() >= 112.0 {
            return None;
        }
        let t = x / 115.0;
        let yc = 322.0 - 22.0 * t * t + 0.6 * self.scar_noise.at(x / 30.0, 0.5);
        let taper = (1.0 - (x.abs() / 112.0).powi(6)).max(0.0).sqrt();
        let hw = 1.5 * (1.0 + 0.25 * self.scar_noise.at(x / 22.0, 3.3)) * taper;
        Some((yc, hw))
    }

    /// Coverage of the FUT scar tissue at `p`, 0..=1 (`aa` mm of edge softening).
    pub(crate) fn fut_strip(&self, p: PointMm, aa: f64) -> f64 {
        match self.fut(p.x) {
            Some((yc, hw)) if hw > 0.0 => 1.0 - smoothstep(hw - aa, hw + aa, (p.y - yc).abs()),
            _ => 0.0,
        }
    }

    /// Membership of the FUE donor band (the `fue-scars` template's band: centre
    /// y = 315 − 25·(x/110)², 60 mm wide, |x| < 110), 0..=1 with soft edges.
    pub(crate) fn fue_band(&self, p: PointMm) -> f64 {
        if self.scar != Some(Scar::Fue) {
            return 0.0;
        }
        let t = p.x / 110.0;
        let yc = 315.0 - 25.0 * t * t;
        (1.0 - smoothstep(24.0, 30.0, (p.y - yc).abs())) * (1.0 - smoothstep(100.0, 112.0, p.x.abs()))
    }
}
