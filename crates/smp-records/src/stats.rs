//! Outcome statistics: mean with a 95 % t-interval, proportions with Wilson score
//! intervals (Wilson 1927, J Am Stat Assoc 22:209–212), and the published figures they
//! are shown beside (domain.md "Evidence on outcomes").

use serde::Serialize;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// t(0.975, df) for df = 1..=30 (standard tables).
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
    2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/// The 97.5th percentile of Student's t with `df` degrees of freedom (table to 30, then
/// the Cornish–Fisher expansion around z, within 0.001 of tables).
pub fn t975(df: usize) -> f64 {
    match df {
        0 => f64::NAN,
        1..=30 => T975[df - 1],
        _ => {
            let (z, n) = (Z95, df as f64);
            z + (z.powi(3) + z) / (4.0 * n) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * n * n)
        }
    }
}

/// A mean and its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanCi {
    /// Number of values.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Lower 95 % limit (NaN for n < 2).
    pub lo: f64,
    /// Upper 95 % limit.
    pub hi: f64,
}

/// Mean with a t-interval.
pub fn mean_ci(values: &[f64]) -> Option<MeanCi> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Some(MeanCi {
            n,
            mean,
            lo: f64::NAN,
            hi: f64::NAN,
        });
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half = t975(n - 1) * (var / n as f64).sqrt();
    Some(MeanCi {
        n,
        mean,
        lo: mean - half,
        hi: mean + half,
    })
}

/// A proportion and its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Proportion {
    /// Successes.
    pub k: usize,
    /// Trials.
    pub n: usize,
    /// k / n.
    pub p: f64,
    /// Lower limit.
    pub lo: f64,
    /// Upper limit.
    pub hi: f64,
}

/// `k` of `n` with the Wilson score interval.
pub fn wilson(k: usize, n: usize) -> Option<Proportion> {
    if n == 0 || k > n {
        return None;
    }
    let (kf, nf, z2) = (k as f64, n as f64, Z95 * Z95);
    let p = kf / nf;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(Proportion {
        k,
        n,
        p,
        lo: (centre - half).max(0.0),
        hi: (centre + half).min(1.0),
    })
}

/// A published outcome figure to compare with.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// What was measured.
    pub what: &'static str,
    /// The figure.
    pub figure: &'static str,
    /// Where it comes from.
    pub source: &'static str,
}

/// The published figures (shared/domain.md, "Evidence on outcomes"), with their sources
/// in the words a client reads.
pub const PUBLISHED: &[Published] = &[
    Published {
        what: "very satisfied (hair loss and scarring)",
        figure: "80 %",
        source: "published patient series quoted in UK patient guidance",
    },
    Published {
        what: "would recommend",
        figure: "100 %",
        source: "published patient series quoted in UK patient guidance",
    },
    Published {
        what: "mean satisfaction, 80 patients",
        figure: "4.8 / 5",
        source: "published patient series quoted in UK patient guidance",
    },
    Published {
        what: "highly satisfied",
        figure: "42 of 43 (98 %)",
        source: "Korean series, 2014",
    },
    Published {
        what: "scar patients pleased with the camouflage",
        figure: "62 of 62",
        source: "Traquina 2001",
    },
    Published {
        what: "review and case series",
        figure: "—",
        source: "Rassman et al. 2015, J Clin Aesthet Dermatol 8(3):35–42",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed: 5, 4, 5, 3, 5 → mean 4.4, s = √0.8, se = 0.4, t(0.975, 4) = 2.776.
    #[test]
    fn mean_ci_matches_hand_computation() {
        let m = mean_ci(&[5.0, 4.0, 5.0, 3.0, 5.0]).unwrap();
        assert!((m.mean - 4.4).abs() < 1e-12);
        assert!((m.lo - (4.4 - 2.776 * 0.4)).abs() < 1e-9, "{m:?}");
        assert!((m.hi - 5.5104).abs() < 1e-9);
        assert!(mean_ci(&[]).is_none());
        assert!(mean_ci(&[4.0]).unwrap().lo.is_nan());
        assert!(
            (t975(60) - 2.000).abs() < 0.001 && (t975(120) - 1.980).abs() < 0.001,
            "tables: t(60) = 2.000, t(120) = 1.980"
        );
    }

    /// Hand-computed Wilson intervals: 8/10 → (0.4902, 0.9433); 42/43 → (0.8794, 0.9959);
    /// 0/10 → (0, 0.2775).
    #[test]
    fn wilson_matches_hand_computation() {
        let w = wilson(8, 10).unwrap();
        assert!((w.lo - 0.4902).abs() < 1e-4 && (w.hi - 0.9433).abs() < 1e-4, "{w:?}");
        let w = wilson(42, 43).unwrap();
        assert!((w.lo - 0.8794).abs() < 1e-4 && (w.hi - 0.9959).abs() < 1e-4, "{w:?}");
        let w = wilson(0, 10).unwrap();
        assert!(w.lo == 0.0 && (w.hi - 0.2775).abs() < 1e-4, "{w:?}");
        assert!(wilson(1, 0).is_none() && wilson(3, 2).is_none());
    }
}
