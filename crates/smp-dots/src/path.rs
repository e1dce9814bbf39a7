//! Needle path: the order in which one session's impressions are made, as a short open
//! path through all of them — for automated devices and as the practitioner's working
//! order.
//!
//! The path is a travelling-salesman tour through the points plus one virtual "depot"
//! that is at distance zero from every point; cutting the tour at the depot leaves the
//! best open path, so the free ends need no special handling. The tour starts from a
//! greedy-edge construction on k-nearest-neighbour candidate edges and is improved by
//! 2-opt and Or-opt (segments of 1–3 points, either orientation) restricted to the
//! neighbour lists, with a queue of "dirty" nodes (don't-look bits) on an array with
//! position index, then by an iterated local search of local double-bridge kicks that are
//! kept only when the re-optimised tour is shorter. On Poisson-disk sets the path ends
//! about 6 % above the minimum spanning tree, which bounds every path from below (20 000
//! points: about 0.25 s in release builds).
//!
//! Deterministic: the kicks come from a fixed-seed generator and all ties break by index.

use std::cmp::Ordering;
use std::collections::VecDeque;

use smp_design::PointMm;
use smp_design::geometry::bounds;

use crate::spatial::PointGrid;

/// Neighbours per point searched by the path optimiser: more barely helps on even point
/// sets and costs time in every move evaluation.
const PATH_K: usize = 10;
/// Neighbours per point for the spanning tree: a wider net makes the exactness
/// certificate (see [`mst_length_mm`]) hold without the slower fallback.
const MST_K: usize = 12;
/// Up to this many distinct points every order is tried.
const BRUTE_MAX: usize = 7;

/// Perturbation trials per point: the first one takes blue noise from about 7 % to about
/// 6 % above the tree; more trials gain little per unit of time.
const KICKS_PER_POINT: usize = 1;
/// Longest stretch swapped by a kick; longer stretches escape deeper local optima but
/// cost more to evaluate.
const KICK_MAX_LEN: usize = 50;

const NONE: u32 = u32::MAX;

/// Visiting order (indices into `points`) of a short open path through all points.
///
/// Coincident points are visited consecutively (in index order); points with non-finite
/// coordinates cannot be placed and come last. The path starts at the end nearer the
/// front of the head (smaller y) so the work proceeds from the hairline backwards.
pub fn plan_path(points: &[PointMm]) -> Vec<usize> {
    let prep = Distinct::new(points);
    let m = prep.pts.len();
    let order: Vec<u32> = if m <= BRUTE_MAX {
        brute_force(&prep.pts)
    } else {
        Tour::optimised(&prep.pts)
    };
    let mut out = Vec::with_capacity(points.len());
    for &u in &order {
        out.extend_from_slice(prep.members(u as usize));
    }
    out.extend_from_slice(&prep.invalid);
    out
}

/// Length of the open path visiting `points` in `order`, mm.
pub fn path_length_mm(points: &[PointMm], order: &[usize]) -> f64 {
    order.windows(2).map(|w| points[w[0]].dist(points[w[1]])).sum()
}

/// Length of the Euclidean minimum spanning tree of `points`, mm (a lower bound for any path).
///
/// Exact, not an estimate: Kruskal on the k-nearest-neighbour graph is provably exact for
/// all edges shorter than the smallest k-th-neighbour distance (the graph holds every
/// such pair); when those edges do not already span the set (clusters, outliers), the
/// tree is completed by Borůvka rounds whose nearest-foreign-point searches are exact.
/// Those searches start only from points on the edge of a patch, but each one scans a
/// disc as wide as the gap to the next patch, so sets of large patches far apart cost
/// more than even ones. Non-finite points are ignored.
pub fn mst_length_mm(points: &[PointMm]) -> f64 {
    let pts = Distinct::new(points).pts;
    let m = pts.len();
    if m < 2 {
        return 0.0;
    }
    let knn = Knn::new(&pts, MST_K);
    let k = knn.k;
    // Every pair closer than this is in somebody's neighbour list.
    let exact_below = if k == m - 1 {
        f64::INFINITY
    } else {
        (0..m).map(|i| knn.d2(i, k - 1)).fold(f64::INFINITY, f64::min)
    };
    let mut uf = UnionFind::new(m);
    let mut total = 0.0;
    let mut joined = 0;
    for &(d2, a, b) in &knn.edges() {
        if d2 >= exact_below {
            break;
        }
        if uf.union(a as usize, b as usize) {
            total += d2.sqrt();
            joined += 1;
        }
    }
    if joined < m - 1 {
        total += boruvka_completion(&pts, &knn, &mut uf);
    }
    total
}

/// Distinct finite points with their original indices grouped.
struct Distinct {
    pts: Vec<PointMm>,
    /// Original indices, grouped by distinct point, ascending within a group.
    members: Vec<usize>,
    /// `members[start[u]..start[u + 1]]` are the copies of distinct point `u`.
    start: Vec<usize>,
    invalid: Vec<usize>,
}

impl Distinct {
    fn new(points: &[PointMm]) -> Self {
        let (mut idx, invalid): (Vec<usize>, Vec<usize>) =
            (0..points.len()).partition(|&i| points[i].x.is_finite() && points[i].y.is_finite());
        idx.sort_unstable_by(|&a, &b| {
            let (p, q) = (points[a], points[b]);
            p.x.total_cmp(&q.x).then(p.y.total_cmp(&q.y)).then(a.cmp(&b))
        });
        let mut pts = Vec::new();
        let mut start = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            if pts.last() != Some(&points[i]) {
                pts.push(points[i]);
                start.push(k);
            }
        }
        start.push(idx.len());
        Distinct {
            pts,
            members: idx,
            start,
            invalid,
        }
    }

    fn members(&self, u: usize) -> &[usize] {
        &self.members[self.start[u]..self.start[u + 1]]
    }
}

/// Grid cell for roughly two points per cell, bounded so degenerate (collinear) sets do
/// not allocate a huge grid.
fn cell_size(points: &[PointMm]) -> (f64, f64) {
    let (lo, hi) = bounds(points);
    let (w, h) = (hi.x - lo.x, hi.y - lo.y);
    let n = points.len().max(1) as f64;
    let c = (2.0 * w * h / n).sqrt().max(w.max(h) / n);
    let diag = w.hypot(h);
    if c > 0.0 && c.is_finite() { (c, diag) } else { (1.0, diag) }
}

fn cmp_d2(a: &(f64, u32), b: &(f64, u32)) -> Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

/// Exact k nearest neighbours of every point, nearest first, ties by index.
struct Knn {
    k: usize,
    idx: Vec<u32>,
    dist2: Vec<f64>,
    grid: PointGrid,
    cell: f64,
    diag: f64,
}

impl Knn {
    fn new(points: &[PointMm], k: usize) -> Self {
        let n = points.len();
        let k = k.min(n.saturating_sub(1));
        let (cell, diag) = cell_size(points);
        let grid = PointGrid::from_points(points, cell);
        let mut idx = Vec::with_capacity(n * k);
        let mut dist2 = Vec::with_capacity(n * k);
        let r0 = cell * (k as f64 / 1.5).sqrt().max(1.0);
        let mut buf: Vec<(f64, u32)> = Vec::new();
        for (i, &p) in points.iter().enumerate() {
            let mut r = r0;
            loop {
                buf.clear();
                grid.visit_within(p, r, |j, d2| {
                    if j as usize != i {
                        buf.push((d2, j));
                    }
                    true
                });
                // Everything closer than r was seen, so the k closest seen are the k closest.
                if buf.len() >= k || r > diag {
                    break;
                }
                r *= 2.0;
            }
            if buf.len() > k && k > 0 {
                buf.select_nth_unstable_by(k - 1, cmp_d2);
                buf.truncate(k);
            }
            buf.sort_unstable_by(cmp_d2);
            for &(d2, j) in &buf {
                idx.push(j);
                dist2.push(d2);
            }
        }
        Knn {
            k,
            idx,
            dist2,
            grid,
            cell,
            diag,
        }
    }

    fn row(&self, i: usize) -> &[u32] {
        &self.idx[i * self.k..(i + 1) * self.k]
    }

    fn d2(&self, i: usize, r: usize) -> f64 {
        self.dist2[i * self.k + r]
    }

    /// Undirected neighbour edges `(d², a, b)` with `a < b`, in the strict order used for
    /// every tie-break (length, then endpoints).
    fn edges(&self) -> Vec<(f64, u32, u32)> {
        let n = self.idx.len().checked_div(self.k).unwrap_or(0);
        let mut e = Vec::with_capacity(n * self.k);
        for i in 0..n {
            for (r, &j) in self.row(i).iter().enumerate() {
                let (a, b) = ((i as u32).min(j), (i as u32).max(j));
                e.push((self.d2(i, r), a, b));
            }
        }
        e.sort_unstable_by(edge_cmp);
        e.dedup_by(|x, y| x.1 == y.1 && x.2 == y.2);
        e
    }
}

fn edge_cmp(x: &(f64, u32, u32), y: &(f64, u32, u32)) -> Ordering {
    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2))
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut a: usize) -> usize {
        while self.parent[a] as usize != a {
            let g = self.parent[self.parent[a] as usize];
            self.parent[a] = g;
            a = g as usize;
        }
        a
    }

    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.parent[hi] = lo as u32;
        true
    }
}

/// Joins the forest in `uf` into the exact minimum spanning tree; returns the added length.
///
/// Each round every component takes its shortest outgoing edge (strict order, so all
/// picks belong to the one minimum tree). Neighbour lists seed those picks with every
/// foreign point nearer than a point's k-th neighbour, so a point needs an explicit
/// search only when a longer edge could start there, i.e. when its neighbours leave an
/// angular gap (see [`open_sides`]); inside a patch no point searches at all.
fn boruvka_completion(pts: &[PointMm], knn: &Knn, uf: &mut UnionFind) -> f64 {
    let m = pts.len();
    let k = knn.k;
    let open = open_sides(pts, knn);
    let mut total = 0.0;
    let mut root = vec![0u32; m];
    let mut best = vec![(f64::INFINITY, NONE, NONE); m];
    loop {
        let mut comps = 0;
        for (i, r) in root.iter_mut().enumerate() {
            *r = uf.find(i) as u32;
            comps += usize::from(*r as usize == i);
        }
        if comps <= 1 {
            return total;
        }
        best.fill((f64::INFINITY, NONE, NONE));
        let offer = |best: &mut [(f64, u32, u32)], c: u32, d2: f64, i: u32, j: u32| {
            let e = (d2, i.min(j), i.max(j));
            if edge_cmp(&e, &best[c as usize]) == Ordering::Less {
                best[c as usize] = e;
            }
        };
        for i in 0..m {
            for (r, &j) in knn.row(i).iter().enumerate() {
                if root[i] != root[j as usize] {
                    offer(&mut best, root[i], knn.d2(i, r), i as u32, j);
                    offer(&mut best, root[j as usize], knn.d2(i, r), i as u32, j);
                }
            }
        }
        for i in (0..m).filter(|&i| open[i]) {
            let c = root[i];
            // Unseen points are at least as far as the k-th neighbour.
            let b = best[c as usize].0;
            if k > 0 && knn.d2(i, k - 1) > b {
                continue;
            }
            let p = pts[i];
            let mut r = if b.is_finite() {
                b.sqrt() * (1.0 + 1e-9) + f64::MIN_POSITIVE
            } else {
                knn.cell
            };
            loop {
                let mut cur = best[c as usize];
                knn.grid.visit_within(p, r, |j, d2| {
                    if root[j as usize] != c {
                        let e = (d2, (i as u32).min(j), (i as u32).max(j));
                        if edge_cmp(&e, &cur) == Ordering::Less {
                            cur = e;
                        }
                    }
                    true
                });
                best[c as usize] = cur;
                if cur.0 < r * r || r > knn.diag {
                    break;
                }
                r *= 2.0;
            }
        }
        let mut any = false;
        for c in 0..m {
            let (d2, a, b) = best[c];
            if root[c] as usize == c && a != NONE && uf.union(a as usize, b as usize) {
                total += d2.sqrt();
                any = true;
            }
        }
        if !any {
            // Unreachable for finite points; guards against looping forever.
            return total;
        }
    }
}

/// Whether a spanning-tree edge longer than the k-th neighbour distance can start at each
/// point.
///
/// For a tree edge `(p, q)` no point may be closer than `|pq|` to both ends. A neighbour
/// `x` of `p` within 60° of the direction to `q` and no farther than `q` is closer to `q`
/// than `p` is, so if the neighbours leave no angular gap of 120° every edge of `p`
/// reaches a neighbour. The test uses 110° as a margin for rounding, and ignores
/// neighbours so close that the rounding margin would vanish.
fn open_sides(pts: &[PointMm], knn: &Knn) -> Vec<bool> {
    let max_gap = 110f64.to_radians();
    let (lo, hi) = bounds(pts);
    let scale = knn.diag + lo.x.abs().max(lo.y.abs()).max(hi.x.abs()).max(hi.y.abs());
    let tiny2 = (1e-9 * scale).powi(2);
    let mut ang = Vec::with_capacity(knn.k);
    (0..pts.len())
        .map(|i| {
            let p = pts[i];
            ang.clear();
            for (r, &j) in knn.row(i).iter().enumerate() {
                if knn.d2(i, r) > tiny2 {
                    let q = pts[j as usize];
                    ang.push((q.y - p.y).atan2(q.x - p.x));
                }
            }
            if ang.len() < 3 {
                return true;
            }
            ang.sort_unstable_by(f64::total_cmp);
            let wrap = ang[0] + std::f64::consts::TAU - ang[ang.len() - 1];
            ang.windows(2).map(|w| w[1] - w[0]).fold(wrap, f64::max) >= max_gap
        })
        .collect()
}

/// Exhaustive search for tiny sets, where the heuristics have no room to work.
fn brute_force(pts: &[PointMm]) -> Vec<u32> {
    fn go(pts: &[PointMm], cur: &mut Vec<u32>, used: &mut [bool], len: f64, best: &mut (f64, Vec<u32>)) {
        if len >= best.0 {
            return;
        }
        if cur.len() == pts.len() {
            *best = (len, cur.clone());
            return;
        }
        for j in 0..pts.len() {
            if !used[j] {
                let step = cur.last().map_or(0.0, |&l| pts[l as usize].dist(pts[j]));
                used[j] = true;
                cur.push(j as u32);
                go(pts, cur, used, len + step, best);
                cur.pop();
                used[j] = false;
            }
        }
    }
    let mut best = (f64::INFINITY, (0..pts.len() as u32).collect::<Vec<u32>>());
    go(pts, &mut Vec::new(), &mut vec![false; pts.len()], 0.0, &mut best);
    orient(pts, best.1)
}

/// Start at the end nearer the hairline (smaller y, then smaller x).
fn orient(pts: &[PointMm], mut order: Vec<u32>) -> Vec<u32> {
    if let (Some(&f), Some(&l)) = (order.first(), order.last()) {
        let (a, b) = (pts[f as usize], pts[l as usize]);
        if b.y.total_cmp(&a.y).then(b.x.total_cmp(&a.x)) == Ordering::Less {
            order.reverse();
        }
    }
    order
}

/// Greedy-edge fragments from the neighbour graph, chained end to nearest end.
fn greedy_path(pts: &[PointMm], knn: &Knn) -> Vec<u32> {
    let n = pts.len();
    let mut adj = vec![[NONE; 2]; n];
    let mut uf = UnionFind::new(n);
    for &(_, a, b) in &knn.edges() {
        let (au, bu) = (a as usize, b as usize);
        if adj[au][1] == NONE && adj[bu][1] == NONE && uf.union(au, bu) {
            let sa = usize::from(adj[au][0] != NONE);
            adj[au][sa] = b;
            let sb = usize::from(adj[bu][0] != NONE);
            adj[bu][sb] = a;
        }
    }
    // Fragment ends (isolated points are both ends of their own fragment).
    let ends: Vec<u32> = (0..n as u32).filter(|&i| adj[i as usize][1] == NONE).collect();
    let end_pts: Vec<PointMm> = ends.iter().map(|&i| pts[i as usize]).collect();
    let (cell, diag) = cell_size(&end_pts);
    let mut grid = PointGrid::from_points(&end_pts, cell);
    let mut slot = vec![NONE; n];
    for (s, &i) in ends.iter().enumerate() {
        slot[i as usize] = s as u32;
    }
    let mut left = ends.len();
    let mut order = Vec::with_capacity(n);
    let start = ends.iter().copied().min_by(|&a, &b| {
        let (p, q) = (pts[a as usize], pts[b as usize]);
        p.y.total_cmp(&q.y).then(p.x.total_cmp(&q.x)).then(a.cmp(&b))
    });
    let mut cur = start;
    while let Some(first) = cur {
        grid.remove(slot[first as usize]);
        left -= 1;
        let (mut prev, mut x) = (NONE, first);
        loop {
            order.push(x);
            let [a, b] = adj[x as usize];
            let next = if a != prev { a } else { b };
            if next == NONE || next == prev {
                break;
            }
            (prev, x) = (x, next);
        }
        if x != first {
            grid.remove(slot[x as usize]);
            left -= 1;
        }
        cur = None;
        if left > 0 {
            let p = pts[x as usize];
            let mut r = cell;
            while cur.is_none() {
                let mut found = (f64::INFINITY, NONE);
                grid.visit_within(p, r, |s, d2| {
                    if cmp_d2(&(d2, s), &found) == Ordering::Less {
                        found = (d2, s);
                    }
                    true
                });
                if found.1 != NONE {
                    cur = Some(ends[found.1 as usize]);
                } else if r > 2.0 * diag + cell {
                    break;
                }
                r *= 2.0;
            }
        }
    }
    order
}

/// A cyclic tour over the points plus the depot (index `n`), as order and position arrays.
struct Tour<'a> {
    pts: &'a [PointMm],
    depot: u32,
    tour: Vec<u32>,
    pos: Vec<u32>,
    /// Candidate neighbours per node, nearest first; the depot leads every list because
    /// any point may become a path end.
    cand: Vec<u32>,
    /// Distances to the candidates, cached because every move evaluation scans them.
    cand_d: Vec<f64>,
    width: usize,
    queue: VecDeque<u32>,
    queued: Vec<bool>,
    eps: f64,
    /// Position ranges reversed since the last accepted kick, to undo a rejected one.
    journal: Vec<(u32, u32, u32)>,
    journaling: bool,
}

/// The best move found for one node.
enum Move {
    None,
    TwoOpt(u32, u32, u32, u32),
    /// Segment `a..b` (outer neighbours `pa`, `nb`) into edge `(u, v)`, `a` next to `u` if set.
    OrOpt {
        a: u32,
        b: u32,
        pa: u32,
        nb: u32,
        u: u32,
        v: u32,
        a_at_u: bool,
    },
}

impl<'a> Tour<'a> {
    fn optimised(pts: &'a [PointMm]) -> Vec<u32> {
        let n = pts.len();
        let knn = Knn::new(pts, PATH_K);
        let start = greedy_path(pts, &knn);
        let depot = n as u32;
        let width = knn.k + 1;
        let mut cand = Vec::with_capacity((n + 1) * width);
        for i in 0..n {
            cand.push(depot);
            cand.extend_from_slice(knn.row(i));
        }
        cand.extend(std::iter::repeat_n(NONE, width));
        let cand_d = (0..=n)
            .flat_map(|i| cand[i * width..(i + 1) * width].iter().map(move |&c| (i, c)))
            .map(|(i, c)| {
                if c == depot || c == NONE || i == n {
                    0.0
                } else {
                    pts[i].dist(pts[c as usize])
                }
            })
            .collect();
        let mut tour = Vec::with_capacity(n + 1);
        tour.push(depot);
        tour.extend_from_slice(&start);
        let mut pos = vec![0u32; n + 1];
        for (k, &t) in tour.iter().enumerate() {
            pos[t as usize] = k as u32;
        }
        let mut t = Tour {
            pts,
            depot,
            queue: tour.iter().copied().collect(),
            queued: vec![true; n + 1],
            tour,
            pos,
            cand,
            cand_d,
            width,
            eps: knn.diag * 1e-12,
            journal: Vec::new(),
            journaling: false,
        };
        t.run();
        t.perturb(n * KICKS_PER_POINT);
        let d = t.pos[depot as usize] as usize;
        let order: Vec<u32> = t.tour[d + 1..].iter().chain(&t.tour[..d]).copied().collect();
        orient(pts, order)
    }

    fn d(&self, a: u32, b: u32) -> f64 {
        if a == self.depot || b == self.depot {
            0.0
        } else {
            self.pts[a as usize].dist(self.pts[b as usize])
        }
    }

    fn len(&self) -> usize {
        self.tour.len()
    }

    fn succ(&self, a: u32) -> u32 {
        let p = self.pos[a as usize] as usize + 1;
        self.tour[if p == self.len() { 0 } else { p }]
    }

    fn pred(&self, a: u32) -> u32 {
        let p = self.pos[a as usize] as usize;
        self.tour[if p == 0 { self.len() - 1 } else { p - 1 }]
    }

    fn step(&self, a: u32, fwd: bool) -> u32 {
        if fwd { self.succ(a) } else { self.pred(a) }
    }

    /// Candidates of `a` with their distances.
    fn cands(&self, a: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let r = a as usize * self.width..(a as usize + 1) * self.width;
        self.cand[r.clone()]
            .iter()
            .copied()
            .zip(self.cand_d[r].iter().copied())
            .take_while(|&(c, _)| c != NONE)
    }

    fn push(&mut self, a: u32) {
        if !self.queued[a as usize] {
            self.queued[a as usize] = true;
            self.queue.push_back(a);
        }
    }

    /// Local search until no queued node has an improving move; returns the total gain.
    fn run(&mut self) -> f64 {
        let mut total = 0.0;
        while let Some(t1) = self.queue.pop_front() {
            self.queued[t1 as usize] = false;
            let (gain, mv) = self.best_move(t1);
            total += gain;
            match mv {
                Move::None => {}
                Move::TwoOpt(t1, t2, t3, t4) => {
                    self.two_opt(t1, t2, t3, t4);
                    for x in [t1, t2, t3, t4] {
                        self.push(x);
                    }
                }
                Move::OrOpt {
                    a,
                    b,
                    pa,
                    nb,
                    u,
                    v,
                    a_at_u,
                } => {
                    self.or_opt(a, b, pa, nb, u, v, a_at_u);
                    for x in [a, b, pa, nb, u, v] {
                        self.push(x);
                    }
                }
            }
        }
        total
    }

    /// Iterated local search: swap two short adjacent stretches of the tour (a local
    /// double bridge, which 2-opt and Or-opt cannot undo in one step), re-optimise around
    /// the cut points, and keep the result only if the tour got shorter.
    fn perturb(&mut self, trials: usize) {
        let n = self.len();
        let max_len = ((n - 2) / 3).min(KICK_MAX_LEN);
        if max_len == 0 {
            return;
        }
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut below = |k: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % k as u64) as usize
        };
        self.journaling = true;
        for _ in 0..trials {
            let i = below(n);
            let (l1, l2) = (1 + below(max_len), 1 + below(max_len));
            let at = |k: usize| self.tour[(i + k) % n];
            let (a, b1, b2, c1, c2, d) = (at(0), at(1), at(l1), at(l1 + 1), at(l1 + l2), at(l1 + l2 + 1));
            let delta = self.d(a, c1) + self.d(c2, b1) + self.d(b2, d) - self.d(a, b1) - self.d(b2, c1) - self.d(c2, d);
            self.or_opt(b1, b2, a, c1, c2, d, true);
            for x in [a, b1, b2, c1, c2, d] {
                self.push(x);
            }
            let gain = self.run();
            if delta - gain < -self.eps {
                self.journal.clear();
            } else {
                while let Some((i, j, len)) = self.journal.pop() {
                    self.reverse_at(i as usize, j as usize, len as usize);
                }
            }
        }
        self.journaling = false;
    }

    /// Best improving 2-opt or Or-opt move around `t1`; taking the best rather than the
    /// first keeps the local optimum noticeably shorter at little cost.
    fn best_move(&self, t1: u32) -> (f64, Move) {
        let mut best = (self.eps, Move::None);
        for fwd in [true, false] {
            let t2 = self.step(t1, fwd);
            let d12 = self.d(t1, t2);
            for (t3, d13) in self.cands(t1) {
                let g1 = d12 - d13;
                if g1 <= self.eps {
                    break;
                }
                let t4 = self.step(t3, fwd);
                if t3 == t2 || t4 == t1 {
                    continue;
                }
                let gain = g1 + self.d(t3, t4) - self.d(t2, t4);
                if gain > best.0 {
                    best = (gain, Move::TwoOpt(t1, t2, t3, t4));
                }
            }
        }
        for fwd in [true, false] {
            let a = t1;
            let mut seg = [a; 3];
            let mut b = a;
            for l in 0..3 {
                if l > 0 {
                    b = self.step(b, fwd);
                    seg[l] = b;
                }
                let pa = self.step(a, !fwd);
                let nb = self.step(b, fwd);
                let segment = &seg[..=l];
                if segment.contains(&pa) || segment.contains(&nb) || pa == nb {
                    break;
                }
                let g1 = self.d(pa, a) + self.d(b, nb) - self.d(pa, nb);
                if g1 <= self.eps {
                    continue;
                }
                let ends: &[u32] = if l == 0 { &[a] } else { &[a, b] };
                for &e in ends {
                    for (c, dec) in self.cands(e) {
                        if dec >= g1 {
                            break;
                        }
                        if segment.contains(&c) {
                            continue;
                        }
                        for x in [self.succ(c), self.pred(c)] {
                            if segment.contains(&x) {
                                continue;
                            }
                            let dcx = self.d(c, x);
                            let ac = self.d(c, a) + self.d(b, x) - dcx;
                            let bc = self.d(c, b) + self.d(a, x) - dcx;
                            let gain = g1 - ac.min(bc);
                            if gain > best.0 {
                                best = (
                                    gain,
                                    Move::OrOpt {
                                        a,
                                        b,
                                        pa,
                                        nb,
                                        u: c,
                                        v: x,
                                        a_at_u: ac <= bc,
                                    },
                                );
                            }
                        }
                    }
                }
            }
        }
        if matches!(best.1, Move::None) { (0.0, Move::None) } else { best }
    }

    /// Replace edges `(x1,x2)`, `(x3,x4)` by `(x1,x3)`, `(x2,x4)`; the pairs must run the
    /// same way round the tour.
    fn two_opt(&mut self, x1: u32, x2: u32, x3: u32, x4: u32) {
        if self.succ(x1) == x2 {
            self.reverse(x2, x3)
        } else {
            self.reverse(x1, x4)
        }
    }

    /// Move segment `a..b` (between `pa` and `nb`) into edge `(u, v)` as a chain of 2-opt
    /// moves, so the array orientation never has to be tracked.
    #[allow(clippy::too_many_arguments)]
    fn or_opt(&mut self, a: u32, b: u32, pa: u32, nb: u32, u: u32, v: u32, a_at_u: bool) {
        let fwd = self.succ(pa) == a;
        let (c, d, a_at_c) = if self.step(u, fwd) == v { (u, v, a_at_u) } else { (v, u, !a_at_u) };
        if c == nb {
            self.two_opt(pa, a, nb, d);
        } else if d == pa {
            self.two_opt(c, pa, b, nb);
        } else {
            self.two_opt(pa, a, c, d);
            self.two_opt(pa, c, nb, b);
        }
        // Now b is next to c and a next to d.
        if a_at_c && a != b {
            self.two_opt(c, b, a, d);
        }
    }

    /// Reverse the tour from `from` forwards to `to`, or the complement when shorter
    /// (the same cyclic tour).
    fn reverse(&mut self, from: u32, to: u32) {
        let n = self.len();
        let (i, j) = (self.pos[from as usize] as usize, self.pos[to as usize] as usize);
        let len = (j + n - i) % n + 1;
        let (i, j, len) = if 2 * len > n {
            ((j + 1) % n, (i + n - 1) % n, n - len)
        } else {
            (i, j, len)
        };
        if self.journaling {
            self.journal.push((i as u32, j as u32, len as u32));
        }
        self.reverse_at(i, j, len);
    }

    /// Reverse `len` entries from position `i` forwards, ending at `j` (a self-inverse step,
    /// so replaying the journal backwards undoes a kick).
    fn reverse_at(&mut self, mut i: usize, mut j: usize, len: usize) {
        let n = self.len();
        for _ in 0..len / 2 {
            self.tour.swap(i, j);
            self.pos[self.tour[i] as usize] = i as u32;
            self.pos[self.tour[j] as usize] = j as u32;
            i = if i + 1 == n { 0 } else { i + 1 };
            j = if j == 0 { n - 1 } else { j - 1 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: fixed-seed jitter without depending on the crate's RNG streams.
    struct Xs(u64);

    impl Xs {
        fn f64(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Bridson Poisson-disk points with spacing `r` in a `w` × `h` rectangle.
    fn blue_noise(w: f64, h: f64, r: f64, seed: u64) -> Vec<PointMm> {
        let mut rng = Xs(seed | 1);
        let mut grid = PointGrid::new(PointMm::new(0.0, 0.0), PointMm::new(w, h), r);
        let first = PointMm::new(w * rng.f64(), h * rng.f64());
        grid.insert(first);
        let mut pts = vec![first];
        let mut active = vec![0usize];
        while !active.is_empty() {
            let k = ((rng.f64() * active.len() as f64) as usize).min(active.len() - 1);
            let c = pts[active[k]];
            let mut placed = false;
            for _ in 0..30 {
                let (a, d) = (rng.f64() * std::f64::consts::TAU, r * (1.0 + rng.f64()));
                let p = PointMm::new(c.x + d * a.cos(), c.y + d * a.sin());
                if p.x >= 0.0 && p.y >= 0.0 && p.x < w && p.y < h && !grid.any_within(p, r, NONE) {
                    grid.insert(p);
                    active.push(pts.len());
                    pts.push(p);
                    placed = true;
                    break;
                }
            }
            if !placed {
                active.swap_remove(k);
            }
        }
        pts
    }

    fn shuffled(mut pts: Vec<PointMm>, seed: u64) -> Vec<PointMm> {
        let mut rng = Xs(seed | 1);
        for i in (1..pts.len()).rev() {
            let j = ((rng.f64() * (i + 1) as f64) as usize).min(i);
            pts.swap(i, j);
        }
        pts
    }

    fn assert_permutation(order: &[usize], n: usize) {
        let mut seen = vec![false; n];
        assert_eq!(order.len(), n);
        for &i in order {
            assert!(!seen[i], "index {i} visited twice");
            seen[i] = true;
        }
    }

    /// O(n²) Prim as the reference spanning tree.
    fn prim(pts: &[PointMm]) -> f64 {
        let n = pts.len();
        if n < 2 {
            return 0.0;
        }
        let mut dist = vec![f64::INFINITY; n];
        let mut done = vec![false; n];
        let (mut cur, mut total) = (0, 0.0);
        for _ in 1..n {
            done[cur] = true;
            let mut next = (f64::INFINITY, 0);
            for j in 0..n {
                if !done[j] {
                    dist[j] = dist[j].min(pts[cur].dist(pts[j]));
                    if dist[j] < next.0 {
                        next = (dist[j], j);
                    }
                }
            }
            total += next.0;
            cur = next.1;
        }
        total
    }

    #[test]
    fn blue_noise_path_is_within_ten_percent_of_the_spanning_tree() {
        let pts = shuffled(blue_noise(46.0, 46.0, 1.0, 7), 3);
        assert!(pts.len() > 1200, "{}", pts.len());
        let order = plan_path(&pts);
        assert_permutation(&order, pts.len());
        let (len, mst) = (path_length_mm(&pts, &order), mst_length_mm(&pts));
        assert!(len <= 1.10 * mst, "path {len:.1} mm vs tree {mst:.1} mm");
        assert!(len < 0.1 * path_length_mm(&pts, &(0..pts.len()).collect::<Vec<_>>()));
        assert_eq!(order, plan_path(&pts), "deterministic");
    }

    #[test]
    fn spanning_tree_is_exact() {
        let square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(x, y)| PointMm::new(x, y));
        assert!((mst_length_mm(&square) - 3.0).abs() < 1e-12);
        // Uniform, clustered with outliers, and collinear sets exercise the exactness fallback.
        let mut rng = Xs(11);
        let uniform: Vec<PointMm> = (0..400).map(|_| PointMm::new(50.0 * rng.f64(), 30.0 * rng.f64())).collect();
        let mut clusters: Vec<PointMm> = (0..300)
            .map(|i| {
                let c = [(0.0, 0.0), (80.0, 5.0), (30.0, 90.0)][i % 3];
                PointMm::new(c.0 + 3.0 * rng.f64(), c.1 + 3.0 * rng.f64())
            })
            .collect();
        clusters.extend([PointMm::new(200.0, 200.0), PointMm::new(-40.0, 10.0)]);
        let line: Vec<PointMm> = (0..100).map(|i| PointMm::new(f64::from(i) * f64::from(i % 7 + 1), 0.0)).collect();
        // A lattice is all exact ties.
        let lattice: Vec<PointMm> = (0..900).map(|i| PointMm::new(f64::from(i % 30), f64::from(i / 30))).collect();
        assert_eq!(mst_length_mm(&lattice), 899.0);
        let order = plan_path(&lattice);
        assert!(path_length_mm(&lattice, &order) <= 1.02 * 899.0);
        for pts in [&uniform, &clusters, &line] {
            let (got, want) = (mst_length_mm(pts), prim(pts));
            assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
        }
    }

    #[test]
    fn small_and_degenerate_sets() {
        assert!(plan_path(&[]).is_empty());
        assert_eq!(mst_length_mm(&[]), 0.0);
        let one = [PointMm::new(1.0, 2.0)];
        assert_eq!(plan_path(&one), vec![0]);
        assert_eq!(mst_length_mm(&one), 0.0);
        let two = [PointMm::new(0.0, 5.0), PointMm::new(0.0, 1.0)];
        assert_eq!(plan_path(&two), vec![1, 0]);
        assert_eq!(mst_length_mm(&two), 4.0);
        let same = vec![PointMm::new(3.0, 3.0); 5];
        assert_eq!(plan_path(&same), vec![0, 1, 2, 3, 4]);
        assert_eq!(mst_length_mm(&same), 0.0);
        // Copies are visited back to back and cost nothing.
        let base = blue_noise(12.0, 12.0, 1.0, 5);
        let mut pts = base.clone();
        pts.extend_from_slice(&base[..40]);
        pts.push(PointMm::new(f64::NAN, 0.0));
        let order = plan_path(&pts);
        assert_permutation(&order, pts.len());
        assert_eq!(*order.last().unwrap(), pts.len() - 1);
        let order = &order[..order.len() - 1];
        let len = path_length_mm(&pts, order);
        assert!((mst_length_mm(&pts) - mst_length_mm(&base)).abs() < 1e-9);
        assert!(len <= 1.10 * mst_length_mm(&base), "{len}");
        for (i, &o) in order.iter().enumerate().filter(|&(_, &o)| o >= base.len()) {
            let twin = o - base.len();
            assert!(i > 0 && order[i - 1] == twin, "copy {o} not right after {twin}");
        }
    }

    #[test]
    fn tiny_sets_are_optimal() {
        // On a line the best open path is monotone, whatever the input order.
        let pts: Vec<PointMm> = [4.0, 1.0, 6.0, 0.0, 3.0, 5.0, 2.0].map(|x| PointMm::new(x, 0.0)).to_vec();
        assert!((path_length_mm(&pts, &plan_path(&pts)) - 6.0).abs() < 1e-12);
        let pts: Vec<PointMm> = (0..30).map(|i| PointMm::new(f64::from((i * 17) % 30), 0.0)).collect();
        assert!((path_length_mm(&pts, &plan_path(&pts)) - 29.0).abs() < 1e-9);
    }
}
