//! The tour being improved: 2-opt and Or-opt moves on neighbour lists with don't-look bits, and double-bridge kicks.

use std::collections::VecDeque;

use smp_design::PointMm;

use super::*;

/// A cyclic tour over the points plus the depot (index `n`), as order and position arrays.
pub(super) struct Tour<'a> {
    pub(super) pts: &'a [PointMm],
    pub(super) depot: u32,
    pub(super) tour: Vec<u32>,
    pub(super) pos: Vec<u32>,
    /// Candidate neighbours per node, nearest first; the depot leads every list because
    /// any point may become a path end.
    pub(super) cand: Vec<u32>,
    /// Distances to the candidates, cached because every move evaluation scans them.
    pub(super) cand_d: Vec<f64>,
    pub(super) width: usize,
    pub(super) queue: VecDeque<u32>,
    pub(super) queued: Vec<bool>,
    pub(super) eps: f64,
    /// Position ranges reversed since the last accepted kick, to undo a rejected one.
    pub(super) journal: Vec<(u32, u32, u32)>,
    pub(super) journaling: bool,
}

/// The best move found for one node.
pub(super) enum Move {
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
    pub(super) fn optimised(pts: &'a [PointMm]) -> Vec<u32> {
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

    pub(super) fn d(&self, a: u32, b: u32) -> f64 {
        if a == self.depot || b == self.depot {
            0.0
        } else {
            self.pts[a as usize].dist(self.pts[b as usize])
        }
    }

    pub(super) fn len(&self) -> usize {
        self.tour.len()
    }

    pub(super) fn succ(&self, a: u32) -> u32 {
        let p = self.pos[a as usize] as usize + 1;
        self.tour[if p == self.len() { 0 } else { p }]
    }

    pub(super) fn pred(&self, a: u32) -> u32 {
        let p = self.pos[a as usize] as usize;
        self.tour[if p == 0 { self.len() - 1 } else { p - 1 }]
    }

    pub(super) fn step(&self, a: u32, fwd: bool) -> u32 {
        if fwd { self.succ(a) } else { self.pred(a) }
    }

    /// Candidates of `a` with their distances.
    pub(super) fn cands(&self, a: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let r = a as usize * self.width..(a as usize + 1) * self.width;
        self.cand[r.clone()]
            .iter()
            .copied()
            .zip(self.cand_d[r].iter().copied())
            .take_while(|&(c, _)| c != NONE)
    }

    pub(super) fn push(&mut self, a: u32) {
        if !self.queued[a as usize] {
            self.queued[a as usize] = true;
            self.queue.push_back(a);
        }
    }

    /// Local search until no queued node has an improving move; returns the total gain.
    pub(super) fn run(&mut self) -> f64 {
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
    pub(super) fn perturb(&mut self, trials: usize) {
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
    pub(super) fn best_move(&self, t1: u32) -> (f64, Move) {
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
    pub(super) fn two_opt(&mut self, x1: u32, x2: u32, x3: u32, x4: u32) {
        if self.succ(x1) == x2 {
            self.reverse(x2, x3)
        } else {
            self.reverse(x1, x4)
        }
    }

    /// Move segment `a..b` (between `pa` and `nb`) into edge `(u, v)` as a chain of 2-opt
    /// moves, so the array orientation never has to be tracked.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn or_opt(&mut self, a: u32, b: u32, pa: u32, nb: u32, u: u32, v: u32, a_at_u: bool) {
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
    pub(super) fn reverse(&mut self, from: u32, to: u32) {
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
    pub(super) fn reverse_at(&mut self, mut i: usize, mut j: usize, len: usize) {
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
