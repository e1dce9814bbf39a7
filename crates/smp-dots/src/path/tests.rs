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
