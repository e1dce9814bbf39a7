//! The correction a colour chart gives: tone curves through its six neutrals, then a
//! colour matrix through all the colours an sRGB photo can hold.

use smp_color::chart::{FIRST_NEUTRAL, chart_in_gamut, chart_linear};
use smp_color::srgb::linear_to_xyz;

use crate::analyze::lsq::solve;
use crate::card::colour::{ColourCorrection, IDENTITY, Reference, fit_curves};

/// Fewest usable neutral patches the tone curves need (gain, exponent, offset).
const MIN_NEUTRALS: usize = 3;
/// Fewest usable patches the colour matrix is fitted to: nine unknowns, with room for
/// noise.
const MIN_PATCHES: usize = 12;
/// Added to a patch's luminance in its least-squares weight: the fit then weighs each
/// patch's relative error, as the eye and ΔE do, without letting black dominate.
const WEIGHT_FLOOR_Y: f64 = 0.03;

/// How the patches fitted: the correction, and each patch's ΔE00 from its published
/// colour once corrected (`None` where it was not usable).
pub(crate) struct ChartFit {
    pub correction: ColourCorrection,
    pub patch_delta_e00: [Option<f64>; 24],
    pub worst_delta_e00: f64,
}

/// Why the patches fit no correction.
pub(crate) enum FitShortfall {
    /// Too few neutral patches are usable (clipped or black).
    Neutrals,
    /// Too few patches are usable.
    Patches,
}

/// Fit the correction to the patches as measured (linear, `None` where clipped).
pub(crate) fn fit_chart(measured: &[Option<[f64; 3]>; 24]) -> Result<ChartFit, FitShortfall> {
    let neutrals: Vec<([f64; 3], [f64; 3])> = (FIRST_NEUTRAL..24)
        .filter_map(|i| measured[i].map(|m| (m, chart_linear(i))))
        .collect();
    if neutrals.len() < MIN_NEUTRALS {
        return Err(FitShortfall::Neutrals);
    }
    let mut correction = ColourCorrection {
        curves: fit_curves(&neutrals),
        matrix: IDENTITY,
        residual_delta_e00: 0.0,
        reference: Reference::Chart,
    };
    let used: Vec<usize> = (0..24).filter(|&i| measured[i].is_some() && chart_in_gamut(i)).collect();
    if used.len() < MIN_PATCHES {
        return Err(FitShortfall::Patches);
    }
    let pairs: Vec<([f64; 3], [f64; 3])> = used
        .iter()
        .map(|&i| (correction.curved(measured[i].expect("used patches are measured")), chart_linear(i)))
        .collect();
    if let Some(m) = weighted_matrix(&pairs) {
        correction.matrix = m;
    }
    let mut patch_delta_e00 = [None; 24];
    for &i in &used {
        patch_delta_e00[i] = Some(correction.delta_e00(measured[i].expect("used patches are measured"), chart_linear(i)));
    }
    let des: Vec<f64> = patch_delta_e00.iter().flatten().copied().collect();
    correction.residual_delta_e00 = des.iter().sum::<f64>() / des.len() as f64;
    Ok(ChartFit {
        correction,
        patch_delta_e00,
        worst_delta_e00: des.iter().copied().fold(0.0, f64::max),
    })
}

/// The matrix `M` minimising Σ wᵢ·|M·vᵢ − tᵢ|² over `(v, t)` pairs, one output row at a
/// time; `None` when the colours do not span three dimensions.
fn weighted_matrix(pairs: &[([f64; 3], [f64; 3])]) -> Option<[[f64; 3]; 3]> {
    let mut a = [[0.0; 3]; 3];
    let mut b = [[0.0; 3]; 3];
    for (v, t) in pairs {
        let w = 1.0 / (linear_to_xyz(*t)[1] + WEIGHT_FLOOR_Y).powi(2);
        for r in 0..3 {
            for c in 0..3 {
                a[r][c] += w * v[r] * v[c];
            }
            for (out, row) in b.iter_mut().enumerate() {
                row[r] += w * v[r] * t[out];
            }
        }
    }
    let rows = [solve(a, b[0])?, solve(a, b[1])?, solve(a, b[2])?];
    rows.iter().flatten().all(|v| v.is_finite()).then_some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cast_a_curve_and_crosstalk_are_undone() {
        // The chart under a warm light, half a stop over, through a camera whose
        // channels bleed into each other and whose tone curve bends with γ 0.85.
        let mix = [[0.85, 0.12, 0.03], [0.06, 0.88, 0.06], [0.02, 0.10, 0.88]];
        let cast = [1.2, 1.0, 0.75];
        let seen = |t: [f64; 3]| -> [f64; 3] {
            let lit: [f64; 3] = std::array::from_fn(|c| 1.41 * cast[c] * t[c].max(0.0));
            std::array::from_fn(|r| (0..3).map(|c| mix[r][c] * lit[c]).sum::<f64>().min(1.0).powf(1.0 / 0.85))
        };
        let measured: [Option<[f64; 3]>; 24] = std::array::from_fn(|i| {
            let s = seen(chart_linear(i));
            s.iter().all(|&v| v < 0.99).then_some(s)
        });
        let fit = fit_chart(&measured).ok().unwrap();
        assert!(
            fit.correction.residual_delta_e00 < 1.5,
            "mean ΔE00 {}",
            fit.correction.residual_delta_e00
        );
        // Without the matrix (the curves alone, as the card corrects) the colours stay off.
        let curves_only = ColourCorrection {
            matrix: IDENTITY,
            ..fit.correction
        };
        let plain: f64 = (0..18)
            .filter(|&i| measured[i].is_some() && chart_in_gamut(i))
            .map(|i| curves_only.delta_e00(measured[i].unwrap(), chart_linear(i)))
            .sum::<f64>()
            / 17.0;
        assert!(plain > 2.0 * fit.correction.residual_delta_e00, "curves alone {plain}");
        // Clipped neutrals leave too few to fit the curves.
        let mut dark = measured;
        for m in dark.iter_mut().skip(FIRST_NEUTRAL + 1) {
            *m = None;
        }
        assert!(matches!(fit_chart(&dark), Err(FitShortfall::Neutrals)));
    }
}
