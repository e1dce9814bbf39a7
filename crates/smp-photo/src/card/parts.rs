//! The connected parts of a photo's dark pixels, and the card's ring markers among them.

use super::detect::Marker;
use super::layout::{DOT_MM, RING_INNER_MM, RING_OUTER_MM};

/// Smallest ring part counted, pixels (a ring at ~2 px/mm).
const MIN_RING_AREA_PX: u32 = 60;

/// A connected dark part's size and place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    area: u32,
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Part {
    /// Whether its box reaches within a pixel of the edge of a `w` × `h` photo.
    pub(crate) fn touches_border(&self, w: usize, h: usize) -> bool {
        let (x1, y1) = (self.x1 as usize, self.y1 as usize);
        self.x0 <= 1 || self.y0 <= 1 || x1 + 2 >= w || y1 + 2 >= h
    }

    /// Whether its size and fill could be a ring's (a ring fills about half its box).
    pub(super) fn could_be_ring(&self) -> bool {
        let (bw, bh) = (self.x1 - self.x0 + 1, self.y1 - self.y0 + 1);
        let fill = f64::from(self.area) / (f64::from(bw) * f64::from(bh));
        self.area >= MIN_RING_AREA_PX && bw >= 8 && bh >= 8 && bw.max(bh) <= 5 * bw.min(bh) && (0.15..=0.8).contains(&fill)
    }
}

/// The root of label `i` in the union-find forest `parent`, compressing the path.
fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        parent[i as usize] = parent[parent[i as usize] as usize];
        i = parent[i as usize];
    }
    i
}

/// Connected parts (8-neighbours) of the dark pixels: a label per pixel (0 for light,
/// part `k` labelled `k + 1`) and each part's size and box.
pub(crate) fn label_parts(dark: &[bool], w: usize, h: usize) -> (Vec<u32>, Vec<Part>) {
    let (mut labels, mut parent) = provisional_labels(dark, w, h);
    // Resolve to compact part numbers.
    let mut compact = vec![0u32; parent.len()];
    let mut parts: Vec<Part> = Vec::new();
    for k in 1..parent.len() as u32 {
        let r = find(&mut parent, k);
        if compact[r as usize] == 0 {
            parts.push(Part {
                area: 0,
                x0: u32::MAX,
                y0: u32::MAX,
                x1: 0,
                y1: 0,
            });
            compact[r as usize] = parts.len() as u32;
        }
        compact[k as usize] = compact[r as usize];
    }
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if labels[i] == 0 {
                continue;
            }
            let c = compact[labels[i] as usize];
            labels[i] = c;
            let p = &mut parts[c as usize - 1];
            p.area += 1;
            let (x, y) = (x as u32, y as u32);
            (p.x0, p.y0, p.x1, p.y1) = (p.x0.min(x), p.y0.min(y), p.x1.max(x), p.y1.max(y));
        }
    }
    (labels, parts)
}

/// The first pass of [`label_parts`]: a provisional label per dark pixel, and the
/// union-find forest of the labels found to touch.
fn provisional_labels(dark: &[bool], w: usize, h: usize) -> (Vec<u32>, Vec<u32>) {
    let mut labels = vec![0u32; w * h];
    let mut parent: Vec<u32> = vec![0];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if !dark[i] {
                continue;
            }
            let mut l = 0u32;
            let join = |l: &mut u32, n: u32, parent: &mut Vec<u32>| {
                if n == 0 {
                    return;
                }
                if *l == 0 {
                    *l = n;
                } else {
                    let (a, b) = (find(parent, *l), find(parent, n));
                    if a != b {
                        parent[a.max(b) as usize] = a.min(b);
                    }
                }
            };
            if x > 0 {
                join(&mut l, labels[i - 1], &mut parent);
            }
            if y > 0 {
                let up = i - w;
                join(&mut l, labels[up], &mut parent);
                if x > 0 {
                    join(&mut l, labels[up - 1], &mut parent);
                }
                if x + 1 < w {
                    join(&mut l, labels[up + 1], &mut parent);
                }
            }
            if l == 0 {
                l = parent.len() as u32;
                parent.push(l);
            }
            labels[i] = l;
        }
    }
    (labels, parent)
}

/// The box of a part in the photo, and which of its pixels are the part's own.
struct PartBox<'a> {
    labels: &'a [u32],
    /// The photo's width, px.
    w: usize,
    id: u32,
    bx: usize,
    by: usize,
    bw: usize,
    bh: usize,
}

impl PartBox<'_> {
    fn own(&self, x: usize, y: usize) -> bool {
        self.labels[(self.by + y) * self.w + self.bx + x] == self.id
    }

    /// The box's pixels reached from its border without crossing the part.
    fn outside(&self) -> Vec<bool> {
        let (bw, bh) = (self.bw, self.bh);
        let mut outside = vec![false; bw * bh];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for x in 0..bw {
            stack.push((x, 0));
            stack.push((x, bh - 1));
        }
        for y in 0..bh {
            stack.push((0, y));
            stack.push((bw - 1, y));
        }
        while let Some((x, y)) = stack.pop() {
            let k = y * bw + x;
            if outside[k] || self.own(x, y) {
                continue;
            }
            outside[k] = true;
            if x > 0 {
                stack.push((x - 1, y));
            }
            if x + 1 < bw {
                stack.push((x + 1, y));
            }
            if y > 0 {
                stack.push((x, y - 1));
            }
            if y + 1 < bh {
                stack.push((x, y + 1));
            }
        }
        outside
    }
}

/// Moments of a ring's outline (the ring and what it encloses) and of the dot in its
/// hole, box pixels.
#[derive(Default)]
struct Moments {
    n: f64,
    sx: f64,
    sy: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
    hole: f64,
    dot: f64,
    dx: f64,
    dy: f64,
}

impl Moments {
    /// The moments of part box `b` inside its `outside`, the dot being the `dark` pixels
    /// of the hole.
    fn of(b: &PartBox, outside: &[bool], dark: &[bool]) -> Self {
        let mut m = Moments::default();
        for y in 0..b.bh {
            for x in 0..b.bw {
                if outside[y * b.bw + x] {
                    continue;
                }
                let (fx, fy) = (x as f64, y as f64);
                m.n += 1.0;
                m.sx += fx;
                m.sy += fy;
                m.sxx += fx * fx;
                m.syy += fy * fy;
                m.sxy += fx * fy;
                if !b.own(x, y) {
                    m.hole += 1.0;
                    if dark[(b.by + y) * b.w + b.bx + x] {
                        m.dot += 1.0;
                        m.dx += fx;
                        m.dy += fy;
                    }
                }
            }
        }
        m
    }
}

/// The part `id` as a marker, if it is one: a ring round a hole, the areas of ring, hole
/// and dot in the printed ratios, its outline an ellipse, the dot at its centre.
pub(super) fn marker(labels: &[u32], dark: &[bool], w: usize, id: u32, p: &Part) -> Option<Marker> {
    let b = PartBox {
        labels,
        w,
        id,
        bx: p.x0 as usize,
        by: p.y0 as usize,
        bw: (p.x1 - p.x0 + 1) as usize,
        bh: (p.y1 - p.y0 + 1) as usize,
    };
    let Moments {
        n,
        sx,
        sy,
        sxx,
        syy,
        sxy,
        hole,
        dot,
        dx,
        dy,
    } = Moments::of(&b, &b.outside(), dark);
    if hole < 4.0 {
        return None;
    }
    let (cx, cy) = (sx / n, sy / n);
    let (vxx, vyy, vxy) = (sxx / n - cx * cx, syy / n - cy * cy, sxy / n - cx * cy);
    // A filled ellipse's area is 4π√det of its second moments.
    let ellipse = n / (4.0 * std::f64::consts::PI * (vxx * vyy - vxy * vxy).max(1e-9).sqrt());
    let hole_share = hole / n;
    let want_hole = (RING_INNER_MM / RING_OUTER_MM).powi(2);
    let want_dot = (DOT_MM / RING_INNER_MM).powi(2);
    if !(0.85..=1.2).contains(&ellipse) || !(0.4 * want_hole..=1.7 * want_hole).contains(&hole_share) {
        return None;
    }
    let radius = (n / std::f64::consts::PI).sqrt();
    let dot_share = dot / hole;
    let dotted = if dot_share < 0.15 * want_dot {
        false
    } else if (0.35 * want_dot..=2.2 * want_dot).contains(&dot_share) && (dx / dot - cx).hypot(dy / dot - cy) <= 0.2 * radius {
        true
    } else {
        return None;
    };
    Some(Marker {
        centre_px: (b.bx as f64 + cx + 0.5, b.by as f64 + cy + 0.5),
        radius_px: radius,
        dotted,
    })
}
