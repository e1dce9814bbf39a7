//! How much of the scalp the client's own hair hides, per cell.
//!
//! Light falls smoothly over a head while hair changes the skin's apparent albedo and
//! texture in steps, so each cell's log colour (three channels) and log texture are
//! modelled as a smooth shading field over the head (a low-order function of the head
//! ellipsoid's surface normal) plus an offset when the cell is haired. The two classes
//! start from anatomy — the permanent fringe at the sides and back is haired, the
//! forehead is bare — and classification EM refines them (fit shading and offset, move
//! each free cell to the nearer class, repeat). A cell's native coverage is where its
//! shading-free residual lies between bare (0) and haired (1). The user's seeds are
//! fixed members of their class.

use super::gmm::two_means;
use super::lsq::solve;

/// Channels: log R/G and log B/G (chromaticity, blind to shading), log luminance and
/// log texture.
pub(crate) const CH: usize = 4;

/// The fitted model of one photo.
#[derive(Debug, Clone, PartialEq)]
pub struct HairModel {
    /// Shading coefficients per channel over [`basis`].
    pub shading: [[f32; BASIS]; CH],
    /// The haired class's offset from bare skin per channel (log units).
    pub hair_offset: [f32; CH],
    /// Residual spread per channel, for distances.
    pub spread: [f32; CH],
    /// Whether bare skin and hair were told apart (else every scalp cell is haired).
    pub separated: bool,
    /// Mean linear RGB of the cells taken as bare.
    pub bare_linear: [f32; 3],
    /// Mean linear RGB of the cells taken as haired.
    pub hair_linear: [f32; 3],
}

/// Weight of each channel in class distances: luminance counts least, since what the
/// shading basis misses (cast shadows, highlights) shows there.
const CHANNEL_WEIGHT: [f32; CH] = [1.0, 1.0, 0.25, 0.1];

/// Size of the shading basis.
pub const BASIS: usize = 4;

/// The shading basis at head-normalised image position (`u`, `v`) (the head ellipse's
/// centre at 0, its rim at radius 1): constant and the surface normal's three
/// components (Lambertian light from any direction plus ambient).
pub(crate) fn basis(u: f32, v: f32) -> [f32; BASIS] {
    let nz = (1.0 - u * u - v * v).max(0.0).sqrt();
    [1.0, u, v, nz]
}

/// Smallest separation of the classes, in residual spreads along their offset, for bare
/// skin and hair to count as told apart (below it, one class fits the whole scalp).
const MIN_SEPARATION: f32 = 2.0;

/// What the classes start from, per cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prior {
    /// Not modelled (background, off the head).
    Off,
    /// Starts bare, free to move.
    Free,
    /// Starts bare by anatomy (the forehead), free to move.
    LeanBare,
    /// Starts haired by anatomy (the permanent fringe), free to move.
    LeanHair,
    /// Bare by the user's seed: fixed.
    Bare,
    /// Haired by the user's seed: fixed.
    Hair,
}

impl Prior {
    fn movable(self) -> bool {
        matches!(self, Prior::Free | Prior::LeanBare | Prior::LeanHair)
    }
}

/// The per-cell inputs: log channels, shading basis, prior.
pub(crate) struct HairInput<'a> {
    /// Log channels per cell.
    pub logs: &'a [[f32; CH]],
    /// Basis per cell.
    pub basis: &'a [[f32; BASIS]],
    /// Prior per cell.
    pub prior: &'a [Prior],
    /// Mean linear RGB per cell.
    pub linear: &'a [[f32; 3]],
}

fn fit(input: &HairInput, hair: &[bool]) -> Option<([[f32; BASIS]; CH], [f32; CH])> {
    // Unknowns: BASIS shading terms + 1 hair offset, shared design matrix for all channels.
    const U: usize = BASIS + 1;
    let mut ata = [[0f64; U]; U];
    let mut atb = [[0f64; U]; CH];
    let (mut n_hair, mut n_bare) = (0, 0);
    for i in 0..input.logs.len() {
        if input.prior[i] == Prior::Off {
            continue;
        }
        let mut row = [0f64; U];
        for k in 0..BASIS {
            row[k] = f64::from(input.basis[i][k]);
        }
        row[BASIS] = f64::from(u8::from(hair[i]));
        if hair[i] {
            n_hair += 1;
        } else {
            n_bare += 1;
        }
        for a in 0..U {
            for b in 0..U {
                ata[a][b] += row[a] * row[b];
            }
            for c in 0..CH {
                atb[c][a] += row[a] * f64::from(input.logs[i][c]);
            }
        }
    }
    if n_hair + n_bare < 2 * U {
        return None;
    }
    // With one class only the offset is not identifiable: pin it to zero.
    if n_hair == 0 || n_bare == 0 {
        for a in 0..U {
            ata[BASIS][a] = 0.0;
            ata[a][BASIS] = 0.0;
        }
        ata[BASIS][BASIS] = 1.0;
        for c in 0..CH {
            atb[c][BASIS] = 0.0;
        }
    }
    // A little ridge keeps the quadratic terms tame on small heads.
    for a in 1..BASIS {
        ata[a][a] += 1e-3 * (n_hair + n_bare) as f64;
    }
    let mut shading = [[0f32; BASIS]; CH];
    let mut offset = [0f32; CH];
    for c in 0..CH {
        let x = solve(ata, atb[c])?;
        for k in 0..BASIS {
            shading[c][k] = x[k] as f32;
        }
        offset[c] = x[BASIS] as f32;
    }
    Some((shading, offset))
}

/// Whether the class marked `hair` really is the haired one: the user's seeds decide;
/// else the anatomical priors (the permanent fringe is haired, the forehead bare); else
/// texture (short hair is high-frequency); else darkness.
fn hair_side_is_true(input: &HairInput, hair: &[bool], offset: &[f32; CH]) -> bool {
    let mut vote = 0i64;
    for i in 0..hair.len() {
        let agree = match input.prior[i] {
            Prior::Hair | Prior::LeanHair => hair[i],
            Prior::Bare | Prior::LeanBare => !hair[i],
            _ => continue,
        };
        let weight = if matches!(input.prior[i], Prior::Hair | Prior::Bare) {
            100
        } else {
            1
        };
        vote += if agree { weight } else { -weight };
    }
    if vote.abs() >= MIN_PRIOR_VOTES {
        return vote > 0;
    }
    if offset[3].abs() > TEXTURE_DECIDES {
        return offset[3] > 0.0;
    }
    offset[2] < 0.0
}

/// Net prior cells needed for the anatomy to name the classes.
const MIN_PRIOR_VOTES: i64 = 20;

/// Texture offset (log units) from which texture names the classes.
const TEXTURE_DECIDES: f32 = 0.15;

fn residual(shading: &[[f32; BASIS]; CH], logs: &[f32; CH], b: &[f32; BASIS]) -> [f32; CH] {
    std::array::from_fn(|c| logs[c] - (0..BASIS).map(|k| shading[c][k] * b[k]).sum::<f32>())
}

/// One classification-EM run from the initial classes `hair`: the shading, the hair
/// offset, the within-class spread, and the objective (weighted squared residuals in
/// the fixed units `unit`, lower is better).
struct Run {
    hair: Vec<bool>,
    shading: [[f32; BASIS]; CH],
    offset: [f32; CH],
    spread: [f32; CH],
    objective: f32,
}

fn run_em(input: &HairInput, idx: &[usize], mut hair: Vec<bool>, unit: &[f32; CH]) -> Option<Run> {
    let mut last = None;
    for _round in 0..8 {
        for &i in idx {
            match input.prior[i] {
                Prior::Hair => hair[i] = true,
                Prior::Bare => hair[i] = false,
                _ => {}
            }
        }
        let (shading, offset) = fit(input, &hair)?;
        let mut var = [0f32; CH];
        for &i in idx {
            let r = residual(&shading, &input.logs[i], &input.basis[i]);
            for c in 0..CH {
                let d = r[c] - if hair[i] { offset[c] } else { 0.0 };
                var[c] += d * d;
            }
        }
        let m = idx.len().max(1) as f32;
        let spread = var.map(|v| (v / m).sqrt().max(1e-3));
        let objective = (0..CH).map(|c| CHANNEL_WEIGHT[c] * var[c] / (unit[c] * unit[c])).sum::<f32>() / m;
        let mut changed = false;
        for &i in idx {
            if !input.prior[i].movable() {
                continue;
            }
            let r = residual(&shading, &input.logs[i], &input.basis[i]);
            let d = |o: f32, c: usize| CHANNEL_WEIGHT[c] * ((r[c] - o) / unit[c]).powi(2);
            let to_hair: f32 = (0..CH).map(|c| d(offset[c], c)).sum();
            let to_bare: f32 = (0..CH).map(|c| d(0.0, c)).sum();
            let h = to_hair < to_bare;
            changed |= h != hair[i];
            hair[i] = h;
        }
        last = Some(Run {
            hair: hair.clone(),
            shading,
            offset,
            spread,
            objective,
        });
        if !changed {
            break;
        }
    }
    last
}

/// Fractions of the cells the alternative starting splits put on the high side of the
/// residuals' main axis: classification EM finds a local optimum only, and a boundary
/// between bald and haired can hide in a shading ramp, so several starts compete.
const START_SPLITS: [f32; 7] = [0.15, 0.25, 0.35, 0.5, 0.65, 0.75, 0.85];

/// Fit the model; `None` when too few cells are on the head.
pub(crate) fn fit_hair(input: &HairInput) -> Option<HairModel> {
    let n = input.logs.len();
    let modelled = |i: usize| input.prior[i] != Prior::Off;
    let none = vec![false; n];
    let (shading0, _) = fit(input, &none)?;
    let idx: Vec<usize> = (0..n).filter(|&i| modelled(i)).collect();
    let res0: Vec<[f32; CH]> = idx.iter().map(|&i| residual(&shading0, &input.logs[i], &input.basis[i])).collect();
    let m = idx.len().max(1) as f32;
    let unit: [f32; CH] = std::array::from_fn(|c| (res0.iter().map(|r| r[c] * r[c]).sum::<f32>() / m).sqrt().max(1e-3));
    // Starts: the anatomy's priors, the two-means split, and splits along its axis.
    let side = two_means(&res0, &[1e-4; CH], &CHANNEL_WEIGHT);
    let centre = |hi: bool| -> [f32; CH] {
        let (mut s, mut k) = ([0f32; CH], 0f32);
        for (r, _) in res0.iter().zip(&side).filter(|(_, h)| **h == hi) {
            (0..CH).for_each(|c| s[c] += r[c]);
            k += 1.0;
        }
        s.map(|v| v / k.max(1.0))
    };
    let (lo, hi) = (centre(false), centre(true));
    let axis: [f32; CH] = std::array::from_fn(|c| CHANNEL_WEIGHT[c] * (hi[c] - lo[c]) / (unit[c] * unit[c]));
    let proj: Vec<f32> = res0.iter().map(|r| (0..CH).map(|c| axis[c] * r[c]).sum()).collect();
    let mut sorted = proj.clone();
    sorted.sort_by(f32::total_cmp);
    let mut starts: Vec<Vec<bool>> = Vec::new();
    let to_cells = |sel: &dyn Fn(usize) -> bool| -> Vec<bool> {
        let mut h = vec![false; n];
        for (k, &i) in idx.iter().enumerate() {
            h[i] = sel(k);
        }
        h
    };
    starts.push(input.prior.iter().map(|p| matches!(p, Prior::Hair | Prior::LeanHair)).collect());
    starts.push(to_cells(&|k| side[k]));
    for q in START_SPLITS {
        let t = sorted[((sorted.len() as f32 * q) as usize).min(sorted.len() - 1)];
        starts.push(to_cells(&|k| proj[k] > t));
    }
    let best = starts
        .into_iter()
        .filter_map(|h| run_em(input, &idx, h, &unit))
        .min_by(|a, b| a.objective.total_cmp(&b.objective))?;
    let Run {
        mut hair,
        shading,
        mut offset,
        spread,
        ..
    } = best;
    if !hair_side_is_true(input, &hair, &offset) {
        // The class found as "hair" is bare skin: swap them, moving the offset into the
        // shading's constant term.
        for &i in &idx {
            hair[i] = !hair[i];
        }
        let (shading, o) = fit(input, &hair)?;
        offset = o;
        return Some(finish(input, &hair, shading, offset, spread));
    }
    Some(finish(input, &hair, shading, offset, spread))
}

fn finish(input: &HairInput, hair: &[bool], shading: [[f32; BASIS]; CH], offset: [f32; CH], spread: [f32; CH]) -> HairModel {
    let n = input.logs.len();
    let separation = (0..CH).map(|c| (offset[c] / spread[c]).powi(2)).sum::<f32>().sqrt();
    let has_bare = (0..n).any(|i| input.prior[i] != Prior::Off && !hair[i]);
    let mean = |want: bool| {
        let (mut s, mut k) = ([0f32; 3], 0f32);
        for i in (0..n).filter(|&i| input.prior[i] != Prior::Off && hair[i] == want) {
            (0..3).for_each(|c| s[c] += input.linear[i][c]);
            k += 1.0;
        }
        s.map(|v| v / k.max(1.0))
    };
    HairModel {
        shading,
        hair_offset: offset,
        spread,
        separated: has_bare && separation >= MIN_SEPARATION,
        bare_linear: mean(false),
        hair_linear: mean(true),
    }
}

impl HairModel {
    /// Native coverage (0–1) of a cell with log channels `logs` at basis `b`: where its
    /// shading-free residual projects between bare (0) and haired (1).
    pub fn coverage(&self, logs: &[f32; CH], b: &[f32; BASIS]) -> f32 {
        if !self.separated {
            return 1.0;
        }
        let r = residual(&self.shading, logs, b);
        let (mut num, mut den) = (0f32, 0f32);
        for c in 0..CH {
            let w = CHANNEL_WEIGHT[c] / (self.spread[c] * self.spread[c]);
            num += w * r[c] * self.hair_offset[c];
            den += w * self.hair_offset[c] * self.hair_offset[c];
        }
        if den > 0.0 { (num / den).clamp(0.0, 1.0) } else { 1.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_darker_haired_band_is_found_under_strong_shading() {
        // 40 × 40 cells over the unit disc, lit from the left; hair (25 % darker, more
        // texture) on the right third, the ring prior on its far edge.
        let (mut logs, mut bas, mut prior, mut lin, mut truth) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for y in 0..40 {
            for x in 0..40 {
                let (u, v) = (x as f32 / 20.0 - 1.0, y as f32 / 20.0 - 1.0);
                if u * u + v * v >= 0.95 {
                    continue;
                }
                // Log shading within the basis: what the model claims to remove exactly.
                let shade = -0.5 - 0.6 * u + 0.4 * (1.0 - u * u - v * v).sqrt();
                let haired = u > 0.3;
                let o = if haired { [-0.3, -0.3, -0.3, 0.8] } else { [0.0; 4] };
                logs.push([0.3, -0.2, shade + o[2], 1.0 + o[3]]);
                bas.push(basis(u, v));
                prior.push(if u > 0.8 { Prior::LeanHair } else { Prior::Free });
                lin.push([0.2; 3]);
                truth.push(haired);
            }
        }
        let input = HairInput {
            logs: &logs,
            basis: &bas,
            prior: &prior,
            linear: &lin,
        };
        let m = fit_hair(&input).unwrap();
        assert!(m.separated, "{m:?}");
        for i in 0..logs.len() {
            let k = m.coverage(&logs[i], &bas[i]);
            assert!((k > 0.5) == truth[i], "cell {i}: coverage {k} {m:?}");
        }
    }
}
