//! Minimum s-t cut by Dinic's max-flow: breadth-first levels, then blocking flows by
//! depth-first search with per-node edge cursors. Grid graphs of a few ten thousand
//! cells cut in milliseconds, and the cut is exact (no approximation in the smoothing).

use std::collections::VecDeque;

/// A flow network with a source and a sink.
pub(crate) struct Network {
    /// First edge of each node (`usize::MAX` when none), then linked by `next`.
    head: Vec<usize>,
    next: Vec<usize>,
    to: Vec<usize>,
    cap: Vec<f32>,
    source: usize,
    sink: usize,
}

/// Residual capacity below which an edge counts as saturated.
const EPS: f32 = 1e-6;

impl Network {
    /// A network of `nodes` ordinary nodes plus a source and a sink.
    pub fn new(nodes: usize) -> Self {
        Network {
            head: vec![usize::MAX; nodes + 2],
            next: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
            source: nodes,
            sink: nodes + 1,
        }
    }

    /// The source node.
    pub fn source(&self) -> usize {
        self.source
    }

    /// The sink node.
    pub fn sink(&self) -> usize {
        self.sink
    }

    fn push_edge(&mut self, a: usize, b: usize, c: f32) {
        self.to.push(b);
        self.cap.push(c);
        self.next.push(self.head[a]);
        self.head[a] = self.to.len() - 1;
    }

    /// An edge `a → b` of capacity `ab` and `b → a` of capacity `ba`.
    pub fn add(&mut self, a: usize, b: usize, ab: f32, ba: f32) {
        self.push_edge(a, b, ab.max(0.0));
        self.push_edge(b, a, ba.max(0.0));
    }

    fn levels(&self, level: &mut [u32]) -> bool {
        level.fill(u32::MAX);
        level[self.source] = 0;
        let mut q = VecDeque::from([self.source]);
        while let Some(v) = q.pop_front() {
            let mut e = self.head[v];
            while e != usize::MAX {
                let w = self.to[e];
                if self.cap[e] > EPS && level[w] == u32::MAX {
                    level[w] = level[v] + 1;
                    q.push_back(w);
                }
                e = self.next[e];
            }
        }
        level[self.sink] != u32::MAX
    }

    /// Push up to `limit` from `start` to the sink along the level graph (iterative DFS).
    fn augment(&mut self, start: usize, limit: f32, level: &[u32], cursor: &mut [usize]) -> f32 {
        let mut path: Vec<usize> = Vec::new();
        let mut pushed = 0f32;
        let mut v = start;
        loop {
            if v == self.sink {
                let f = path.iter().map(|&e| self.cap[e]).fold(limit - pushed, f32::min);
                for &e in &path {
                    self.cap[e] -= f;
                    self.cap[e ^ 1] += f;
                }
                pushed += f;
                if limit - pushed <= EPS {
                    return pushed;
                }
                // Restart from the tail of the first saturated edge.
                let cut = path.iter().position(|&e| self.cap[e] <= EPS).unwrap_or(0);
                path.truncate(cut);
                v = if cut == 0 { start } else { self.to[path[cut - 1]] };
                continue;
            }
            let mut advanced = false;
            while cursor[v] != usize::MAX {
                let e = cursor[v];
                let w = self.to[e];
                if self.cap[e] > EPS && level[w] == level[v] + 1 {
                    path.push(e);
                    v = w;
                    advanced = true;
                    break;
                }
                cursor[v] = self.next[e];
            }
            if !advanced {
                let Some(e) = path.pop() else { return pushed };
                // Dead end: retreat and skip the edge that led here.
                let u = self.to[e ^ 1];
                cursor[u] = self.next[cursor[u]];
                v = u;
            }
        }
    }

    /// Run the max-flow and return, per node, whether it lies on the source side of the
    /// minimum cut.
    pub fn solve(&mut self) -> Vec<bool> {
        let n = self.head.len();
        let mut level = vec![u32::MAX; n];
        let mut cursor = vec![usize::MAX; n];
        while self.levels(&mut level) {
            cursor.copy_from_slice(&self.head);
            if self.augment(self.source, f32::INFINITY, &level, &mut cursor) <= EPS {
                // Only rounding is left to push: the residual graph below decides the cut.
                self.levels(&mut level);
                break;
            }
        }
        level.iter().map(|&l| l != u32::MAX).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_the_cheapest_edges() {
        // s → 0 (3), s → 1 (2), 0 → 1 (1), 0 → t (2), 1 → t (3): max flow 5.
        let mut g = Network::new(2);
        let (s, t) = (g.source(), g.sink());
        g.add(s, 0, 3.0, 0.0);
        g.add(s, 1, 2.0, 0.0);
        g.add(0, 1, 1.0, 0.0);
        g.add(0, t, 2.0, 0.0);
        g.add(1, t, 3.0, 0.0);
        let side = g.solve();
        assert!(side[s] && !side[t]);
        // A chain whose middle edge is the bottleneck: the cut falls there.
        let mut g = Network::new(2);
        let (s, t) = (g.source(), g.sink());
        g.add(s, 0, 5.0, 0.0);
        g.add(0, 1, 1.0, 0.0);
        g.add(1, t, 5.0, 0.0);
        let side = g.solve();
        assert_eq!((side[0], side[1]), (true, false));
    }
}
