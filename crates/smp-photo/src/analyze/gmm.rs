//! A small Gaussian mixture with diagonal covariances, fitted by classification EM
//! (assign each sample to its most likely component, refit, repeat): enough to model a
//! photo's background, skin and hair colours per view, and fast on a few ten thousand
//! cells.

/// Features per sample.
pub(crate) const D: usize = 4;

/// One Gaussian component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Component {
    /// Mean.
    pub mean: [f32; D],
    /// Per-feature variance (floored).
    pub var: [f32; D],
    /// Mixing weight.
    pub weight: f32,
}

impl Component {
    /// Log-likelihood of `x` (up to a constant shared by all components).
    pub fn log_lik(&self, x: &[f32; D]) -> f32 {
        let mut s = self.weight.max(1e-6).ln();
        for k in 0..D {
            let d = x[k] - self.mean[k];
            s -= 0.5 * (d * d / self.var[k] + self.var[k].ln());
        }
        s
    }

    /// Fit to `samples` with variance floor `floor`; `None` with fewer than 2 samples.
    pub fn fit(samples: &[[f32; D]], floor: &[f32; D], total: usize) -> Option<Component> {
        if samples.len() < 2 {
            return None;
        }
        let n = samples.len() as f32;
        let mut mean = [0f32; D];
        for x in samples {
            for k in 0..D {
                mean[k] += x[k] / n;
            }
        }
        let mut var = [0f32; D];
        for x in samples {
            for k in 0..D {
                var[k] += (x[k] - mean[k]).powi(2) / n;
            }
        }
        for k in 0..D {
            var[k] = var[k].max(floor[k]);
        }
        Some(Component {
            mean,
            var,
            weight: n / total.max(1) as f32,
        })
    }
}

/// The most likely component of `x`.
pub(crate) fn best(components: &[Component], x: &[f32; D]) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, c) in components.iter().enumerate() {
        let l = c.log_lik(x);
        if l > best.1 {
            best = (i, l);
        }
    }
    best.0
}

/// Two-means split of `samples` along their direction of widest (floor-normalised)
/// spread: returns which samples fall on the high side. Deterministic (no random
/// starts): the split starts at the median and moves to the midpoint of the two means.
pub(crate) fn two_means(samples: &[[f32; D]], floor: &[f32; D], axis_weights: &[f32; D]) -> Vec<bool> {
    if samples.is_empty() {
        return Vec::new();
    }
    let n = samples.len() as f32;
    let mut mean = [0f32; D];
    let mut var = [0f32; D];
    for x in samples {
        for k in 0..D {
            mean[k] += x[k] / n;
        }
    }
    for x in samples {
        for k in 0..D {
            var[k] += (x[k] - mean[k]).powi(2) / n;
        }
    }
    let scale: [f32; D] = std::array::from_fn(|k| axis_weights[k] / var[k].max(floor[k]).sqrt());
    let z = |x: &[f32; D]| -> [f32; D] { std::array::from_fn(|k| (x[k] - mean[k]) * scale[k]) };
    let mut c = [[0f32; D]; 2];
    // Start from the split on the feature with the largest normalised spread.
    let k0 = (0..D)
        .max_by(|&a, &b| (var[a] * scale[a] * scale[a]).total_cmp(&(var[b] * scale[b] * scale[b])))
        .unwrap_or(0);
    let mut side: Vec<bool> = samples.iter().map(|x| z(x)[k0] > 0.0).collect();
    for _ in 0..8 {
        let mut s = [[0f32; D]; 2];
        let mut m = [0f32; 2];
        for (x, &hi) in samples.iter().zip(&side) {
            let zx = z(x);
            let i = hi as usize;
            m[i] += 1.0;
            for k in 0..D {
                s[i][k] += zx[k];
            }
        }
        if m[0] == 0.0 || m[1] == 0.0 {
            break;
        }
        for i in 0..2 {
            c[i] = s[i].map(|v| v / m[i]);
        }
        let mut changed = false;
        for (x, hi) in samples.iter().zip(side.iter_mut()) {
            let zx = z(x);
            let d = |c: &[f32; D]| (0..D).map(|k| (zx[k] - c[k]).powi(2)).sum::<f32>();
            let now = d(&c[1]) < d(&c[0]);
            changed |= now != *hi;
            *hi = now;
        }
        if !changed {
            break;
        }
    }
    side
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_clusters_are_found_and_scored() {
        let mut s = Vec::new();
        for i in 0..50 {
            let e = (i % 5) as f32 * 0.1;
            s.push([10.0 + e, 0.0, 0.0, 1.0]);
            s.push([30.0 + e, 0.0, 0.0, 1.0]);
        }
        let floor = [0.01; D];
        let side = two_means(&s, &floor, &[1.0; D]);
        assert!(s.iter().zip(&side).all(|(x, &hi)| hi == (x[0] > 20.0)));
        let lo: Vec<_> = s.iter().copied().filter(|x| x[0] < 20.0).collect();
        let hi: Vec<_> = s.iter().copied().filter(|x| x[0] > 20.0).collect();
        let c = [Component::fit(&lo, &floor, 100).unwrap(), Component::fit(&hi, &floor, 100).unwrap()];
        assert_eq!(best(&c, &[12.0, 0.0, 0.0, 1.0]), 0);
        assert_eq!(best(&c, &[28.0, 0.0, 0.0, 1.0]), 1);
    }
}
