//! The ColorChecker Classic 24 colour chart: its published reference colours, carried
//! from the chart's D50 measurement to the D65 linear sRGB the rest of the tool uses.
//!
//! A clinic that holds a ColorChecker beside the scalp lets the photo's colours be
//! corrected against 24 known colours, six of them neutral and two of them skin tones,
//! rather than the calibration card's five greys alone.

use crate::srgb::{lab_to_xyz, xyz_to_linear};

/// Columns of patches on the chart.
pub const CHART_COLUMNS: usize = 6;
/// Rows of patches on the chart.
pub const CHART_ROWS: usize = 4;

/// The patches' names, row by row from the top left (dark skin) as the chart is held
/// with its neutral row at the bottom.
pub const CHART_NAMES: [&str; 24] = [
    "dark skin",
    "light skin",
    "blue sky",
    "foliage",
    "blue flower",
    "bluish green",
    "orange",
    "purplish blue",
    "moderate red",
    "purple",
    "yellow green",
    "orange yellow",
    "blue",
    "green",
    "red",
    "yellow",
    "magenta",
    "cyan",
    "white",
    "neutral 8",
    "neutral 6.5",
    "neutral 5",
    "neutral 3.5",
    "black",
];

/// CIELAB (D50, 2° observer) of each patch: X-Rite's reference data for charts made
/// from November 2014 on (ColorChecker Classic, i1Pro 2, M0), in [`CHART_NAMES`] order.
pub const CHART_LAB_D50: [[f64; 3]; 24] = [
    [37.54, 14.37, 14.92],
    [64.66, 19.27, 17.50],
    [49.32, -3.82, -22.54],
    [43.46, -12.74, 22.72],
    [54.94, 9.61, -24.79],
    [70.48, -32.26, -0.37],
    [62.73, 35.83, 56.50],
    [39.43, 10.75, -45.17],
    [50.57, 48.64, 16.67],
    [30.10, 22.54, -20.87],
    [71.77, -24.13, 58.19],
    [71.51, 18.24, 67.37],
    [28.37, 15.42, -49.80],
    [54.38, -39.72, 32.27],
    [42.43, 51.05, 28.62],
    [81.80, 2.67, 80.41],
    [50.63, 51.28, -14.12],
    [49.57, -29.71, -28.32],
    [95.19, -1.03, 2.93],
    [81.29, -0.57, 0.44],
    [66.89, -0.75, -0.06],
    [50.76, -0.13, 0.14],
    [35.63, -0.46, -0.48],
    [20.64, 0.07, -0.46],
];

/// Index of the first neutral patch (white); the six neutrals run to the end.
pub const FIRST_NEUTRAL: usize = 18;

/// D50 reference white, Y = 1 (ICC.1:2010 PCS illuminant).
const D50_WHITE: [f64; 3] = [0.964_22, 1.0, 0.825_21];

/// Bradford chromatic adaptation from D50 to D65 (Lindbloom, "Chromatic Adaptation",
/// brucelindbloom.com, the Bradford D50 → D65 matrix).
const BRADFORD_D50_TO_D65: [[f64; 3]; 3] = [
    [0.955_576_6, -0.023_039_3, 0.063_163_6],
    [-0.028_289_5, 1.009_941_6, 0.021_007_7],
    [0.012_298_2, -0.020_483_0, 1.329_909_8],
];

/// The linear sRGB (D65) of patch `i` ([`CHART_NAMES`] order), not clamped: cyan lies
/// outside sRGB's gamut (its red is below 0), so no sRGB photo can hold it.
pub fn chart_linear(i: usize) -> [f64; 3] {
    let xyz = lab_to_xyz(CHART_LAB_D50[i], D50_WHITE);
    let m = &BRADFORD_D50_TO_D65;
    xyz_to_linear(std::array::from_fn(|r| (0..3).map(|c| m[r][c] * xyz[c]).sum()))
}

/// Whether patch `i` can be shown by an sRGB photo (every channel within 0..=1).
pub fn chart_in_gamut(i: usize) -> bool {
    chart_linear(i).iter().all(|v| (0.0..=1.0).contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srgb::linear_to_lab;

    #[test]
    fn the_neutrals_stay_neutral_through_the_adaptation() {
        // Bradford maps the D50 white to the D65 white, so the chart's greys keep their
        // lightness and stay within their own small published a*, b* under D65.
        for i in FIRST_NEUTRAL..24 {
            let lab = linear_to_lab(chart_linear(i));
            let want = CHART_LAB_D50[i];
            assert!((lab[0] - want[0]).abs() < 0.05, "{}: {lab:?}", CHART_NAMES[i]);
            assert!(
                (lab[1] - want[1]).abs() < 0.3 && (lab[2] - want[2]).abs() < 0.3,
                "{}: {lab:?}",
                CHART_NAMES[i]
            );
        }
    }

    #[test]
    fn the_adaptation_takes_the_d50_white_to_the_d65_white() {
        // The ICC D50 white (0.96422, 1, 0.82521) to the CIE 15:2004 D65 white
        // (0.95047, 1, 1.08883): what a chromatic adaptation from D50 to D65 must do.
        let m = &BRADFORD_D50_TO_D65;
        let w: [f64; 3] = std::array::from_fn(|r| (0..3).map(|c| m[r][c] * D50_WHITE[c]).sum());
        for c in 0..3 {
            assert!((w[c] - crate::srgb::D65_WHITE[c]).abs() < 2e-4, "{w:?}");
        }
    }

    #[test]
    fn only_cyan_lies_outside_srgb() {
        // The chart's cyan is the one patch an sRGB display cannot show (its red is below 0).
        assert!(!chart_in_gamut(17));
        assert_eq!((0..24).filter(|&i| chart_in_gamut(i)).count(), 23);
    }
}
