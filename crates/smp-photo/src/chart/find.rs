//! Finding a colour chart in a photo by itself: its patches are flat squares of one
//! colour each, alike in size, on a lattice of 6 × 4; nothing else in a scalp photo is.
//!
//! The photo is smoothed and its flat pixels (a small colour gradient) joined into
//! regions (the calibration card's connected-part labelling); compact, square-ish regions are patch candidates. From each candidate the
//! lattice is grown cell by cell along the two steps to its nearest candidates, each
//! new cell predicted from its grown neighbour's local steps, so perspective's slow
//! change of scale is followed. A lattice that fills a 6 × 4 block gives the corner
//! patches' centres, which [`super::read_chart`] then reads and checks against the
//! chart's colours.

use std::collections::{HashMap, VecDeque};

use image::RgbImage;

use crate::card::homography::{Homography, PointPair};
use crate::card::parts::label_parts;

/// Largest colour gradient (8-bit levels, summed over channels, after a 3 × 3 box
/// blur) of a flat pixel: a patch's noise and JPEG ripple stay below it, its edges on
/// the board far above.
const FLAT_GRADIENT: i32 = 14;
/// Fewest pixels of a patch candidate's flat middle.
const MIN_PATCH_PX: usize = 25;
/// A region's area over 12·√det of its second moments (1 for a filled square, 1.05 for
/// a disc, far from 1 for a ring or a sprawl): the bounds of a compact blob.
const COMPACT: std::ops::RangeInclusive<f64> = 0.8..=1.25;
/// Largest ratio of a candidate's principal axes (a square tilted 30° away and in
/// perspective stays within it).
const MAX_ELONGATION: f64 = 1.8;
/// Tolerance of a predicted cell position, in steps.
const CELL_TOLERANCE: f64 = 0.3;
/// Fewest of the 24 patches a lattice must hold (the black patch can merge with a
/// black board, and white can blow out).
const MIN_CELLS: usize = 18;

/// A patch candidate: its centroid and area, px.
#[derive(Debug, Clone, Copy)]
struct Blob {
    x: f64,
    y: f64,
    area: f64,
}

/// Largest photo searched at full size, pixels; a larger one is searched shrunk by a
/// whole factor to under it (a chart that matters fills a fair part of the photo, and the
/// search's memory grows with the pixels).
const MAX_SEARCH_PX: u64 = 4_000_000;

/// For each 6 × 4 lattice of patches found in `photo`, the centres of its four corner
/// patches (which corner is which is for the colours to say).
pub(crate) fn find_corner_patches(photo: &RgbImage) -> Vec<[[f64; 2]; 4]> {
    let px = u64::from(photo.width()) * u64::from(photo.height());
    let k = (1..=16u32).find(|k| px / u64::from(k * k) <= MAX_SEARCH_PX).unwrap_or(16);
    let small;
    let searched = if k > 1 {
        small = shrink(photo, k);
        &small
    } else {
        photo
    };
    // A shrunk pixel's centre lies k/2 − 1/2 full pixels into its block.
    let up = |c: [[f64; 2]; 4]| c.map(|p| p.map(|v| (v + 0.5) * f64::from(k) - 0.5));
    lattices(searched).into_iter().map(up).collect()
}

/// `photo` shrunk by the whole factor `k`, each pixel the mean of its k × k block.
fn shrink(photo: &RgbImage, k: u32) -> RgbImage {
    let (w, h) = (photo.width() / k, photo.height() / k);
    RgbImage::from_fn(w, h, |x, y| {
        let mut s = [0u32; 3];
        for dy in 0..k {
            for dx in 0..k {
                let p = photo.get_pixel(x * k + dx, y * k + dy).0;
                for c in 0..3 {
                    s[c] += u32::from(p[c]);
                }
            }
        }
        image::Rgb(s.map(|v| (v / (k * k)) as u8))
    })
}

/// The corner patches of each lattice in `photo`, searched as it is.
fn lattices(photo: &RgbImage) -> Vec<[[f64; 2]; 4]> {
    let blobs = candidates(photo);
    let mut found: Vec<[[f64; 2]; 4]> = Vec::new();
    let mut used = vec![false; blobs.len()];
    for a in 0..blobs.len() {
        if used[a] {
            continue;
        }
        let Some((cells, members)) = grow(&blobs, a) else {
            continue;
        };
        for m in members {
            used[m] = true;
        }
        if let Some(c) = corners(&cells) {
            found.push(c);
        }
    }
    found
}

/// The compact flat regions of `photo`.
fn candidates(photo: &RgbImage) -> Vec<Blob> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    if w < 8 || h < 8 {
        return Vec::new();
    }
    let blur = box3(photo);
    let at = |x: usize, y: usize| {
        let i = (y * w + x) * 3;
        [i32::from(blur[i]), i32::from(blur[i + 1]), i32::from(blur[i + 2])]
    };
    let mut flat = vec![false; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let g = |a: [i32; 3], b: [i32; 3]| (0..3).map(|c| (a[c] - b[c]).abs()).sum::<i32>();
            let (gx, gy) = (g(at(x + 1, y), at(x - 1, y)), g(at(x, y + 1), at(x, y - 1)));
            flat[y * w + x] = gx.max(gy) <= FLAT_GRADIENT;
        }
    }
    // Each flat part's pixel count and moments, from the card's connected-part labels.
    let (labels, parts) = label_parts(&flat, w, h);
    let mut moments = vec![[0f64; 6]; parts.len()];
    for (i, &l) in labels.iter().enumerate().filter(|(_, l)| **l > 0) {
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        let m = &mut moments[l as usize - 1];
        for (k, v) in [1.0, x, y, x * x, y * y, x * y].into_iter().enumerate() {
            m[k] += v;
        }
    }
    parts
        .iter()
        .zip(moments)
        .filter_map(|(part, [n, sx, sy, sxx, syy, sxy])| {
            if part.touches_border(w, h) || (n as usize) < MIN_PATCH_PX {
                return None;
            }
            let (mx, my) = (sx / n, sy / n);
            let (vxx, vyy, vxy) = (sxx / n - mx * mx, syy / n - my * my, sxy / n - mx * my);
            let det = (vxx * vyy - vxy * vxy).max(1e-9);
            // A filled square of side s: variances s²/12 each, area s² = 12·√det.
            let compact = n / (12.0 * det.sqrt());
            let tr = vxx + vyy;
            let disc = (tr * tr / 4.0 - det).max(0.0).sqrt();
            let elong = ((tr / 2.0 + disc) / (tr / 2.0 - disc).max(1e-9)).sqrt();
            (COMPACT.contains(&compact) && elong <= MAX_ELONGATION).then_some(Blob { x: mx, y: my, area: n })
        })
        .collect()
}

/// `photo` blurred by a 3 × 3 box, 8 bits per channel.
fn box3(photo: &RgbImage) -> Vec<u8> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let raw = photo.as_raw();
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut s = 0i32;
                for dy in [-1isize, 0, 1] {
                    for dx in [-1isize, 0, 1] {
                        let (xx, yy) = (
                            (x as isize + dx).clamp(0, w as isize - 1) as usize,
                            (y as isize + dy).clamp(0, h as isize - 1) as usize,
                        );
                        s += i32::from(raw[(yy * w + xx) * 3 + c]);
                    }
                }
                out[(y * w + x) * 3 + c] = (s / 9) as u8;
            }
        }
    }
    out
}

/// The candidate nearest `p` within `tol` px whose area is like `area`.
fn nearest(blobs: &[Blob], p: (f64, f64), tol: f64, area: f64) -> Option<usize> {
    blobs
        .iter()
        .enumerate()
        .filter(|(_, b)| b.area > 0.4 * area && b.area < 2.5 * area)
        .map(|(i, b)| (i, (b.x - p.0).hypot(b.y - p.1)))
        .filter(|(_, d)| *d <= tol)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Lattice index → the centre of the patch found there, px.
type Lattice = HashMap<(i32, i32), (f64, f64)>;

/// The lattice grown from candidate `a`, and the candidates it took; `None` when `a`
/// has no two neighbours to step by or the lattice holds too few cells.
fn grow(blobs: &[Blob], a: usize) -> Option<(Lattice, Vec<usize>)> {
    let b0 = blobs[a];
    // The two steps: to the nearest like candidate, and to the nearest one across it.
    let mut near: Vec<(usize, f64)> = blobs
        .iter()
        .enumerate()
        .filter(|(i, b)| *i != a && b.area > 0.4 * b0.area && b.area < 2.5 * b0.area)
        .map(|(i, b)| (i, (b.x - b0.x).hypot(b.y - b0.y)))
        .collect();
    near.sort_by(|p, q| p.1.total_cmp(&q.1));
    let (first, d1) = *near.first()?;
    let u = (blobs[first].x - b0.x, blobs[first].y - b0.y);
    let &(second, _) = near.iter().skip(1).find(|(i, d)| {
        let v = (blobs[*i].x - b0.x, blobs[*i].y - b0.y);
        let cos = (u.0 * v.0 + u.1 * v.1) / (d1 * d);
        cos.abs() < 0.5 && *d < 1.8 * d1
    })?;
    let v = (blobs[second].x - b0.x, blobs[second].y - b0.y);
    let mut cells = Lattice::new();
    let mut taken = vec![a];
    cells.insert((0, 0), (b0.x, b0.y));
    let mut queue = VecDeque::from([((0, 0), u, v)]);
    while let Some(((i, j), u, v)) = queue.pop_front() {
        let p = cells[&(i, j)];
        for (di, dj) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
            let key = (i + di, j + dj);
            if cells.contains_key(&key) || (key.0.abs() > 6 || key.1.abs() > 6) {
                continue;
            }
            let step = (f64::from(di) * u.0 + f64::from(dj) * v.0, f64::from(di) * u.1 + f64::from(dj) * v.1);
            let want = (p.0 + step.0, p.1 + step.1);
            let tol = CELL_TOLERANCE * step.0.hypot(step.1);
            if let Some(k) = nearest(blobs, want, tol, b0.area) {
                let q = (blobs[k].x, blobs[k].y);
                // The step actually taken replaces the predicted one along its axis.
                let (nu, nv) = if di != 0 {
                    ((f64::from(di) * (q.0 - p.0), f64::from(di) * (q.1 - p.1)), v)
                } else {
                    (u, (f64::from(dj) * (q.0 - p.0), f64::from(dj) * (q.1 - p.1)))
                };
                cells.insert(key, q);
                taken.push(k);
                queue.push_back((key, nu, nv));
            }
        }
    }
    (cells.len() >= MIN_CELLS).then_some((cells, taken))
}

/// The centres of the four corner patches of a lattice filling a 6 × 4 (or 4 × 6)
/// block; a homography fitted to all its cells puts the corners even where a corner
/// patch was not found (black on a black board).
fn corners(cells: &Lattice) -> Option<[[f64; 2]; 4]> {
    let (i0, i1) = (cells.keys().map(|k| k.0).min()?, cells.keys().map(|k| k.0).max()?);
    let (j0, j1) = (cells.keys().map(|k| k.1).min()?, cells.keys().map(|k| k.1).max()?);
    let (ni, nj) = (i1 - i0 + 1, j1 - j0 + 1);
    if !((ni, nj) == (6, 4) || (ni, nj) == (4, 6)) {
        return None;
    }
    let pairs: Vec<PointPair> = cells.iter().map(|(k, p)| ((f64::from(k.0), f64::from(k.1)), *p)).collect();
    let hm = Homography::fit(&pairs)?;
    let c = |i: i32, j: i32| {
        let (x, y) = hm.apply((f64::from(i), f64::from(j)));
        [x, y]
    };
    Some([c(i0, j0), c(i1, j0), c(i1, j1), c(i0, j1)])
}
