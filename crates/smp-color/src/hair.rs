//! Hairdresser level (1 black … 10 lightest blonde) estimated from a CIELAB hair colour.
//!
//! There is no published standard CIELAB value per level (levels are judged visually
//! against a maker's swatches, which differ between makers), so the references below are
//! model values chosen for this tool, stated as such:
//! - level 1 (black) is anchored on measured human black hair, L* ≈ 15–18 (domain.md:
//!   "black hair L* ≈ 15–20"; a black tress read L* 18.0, a* ≈ 0, b* ≈ −0.9 specular
//!   excluded, D65/10°, in J. Cosmet. Sci. 51(5), 2000, "Measurement of hair luster",
//!   Table IV);
//! - level 3 (dark brown) on a measured dark-brown tress, L* ≈ 22–24, a* ≈ 4, b* ≈ 5 (same
//!   paper, Table III);
//! - the other levels are interpolated with steps in L* widening toward the blondes (the
//!   dark levels differ mostly in melanin content, which compresses their L*), and a*, b*
//!   following the usual warm shift of natural hair: red-brown in the middle levels,
//!   golden (b* high, a* falling) in the blondes. Level 10 (L* 64) is a chosen value.
//!
//! Treat the estimate as ±1 level; calibrate with a swatch photographed under the same
//! light (photos overestimate the L* of dark hair, domain.md).

use crate::delta_e::delta_e00;

/// Reference CIELAB (D65) per hairdresser level 1–10 (index 0 = level 1): model values,
/// see the module documentation for their anchors.
pub const LEVEL_REFERENCE_LAB: [[f64; 3]; 10] = [
    [17.0, 0.5, 0.0],  // 1 black
    [20.0, 2.0, 2.5],  // 2 darkest brown
    [23.0, 4.0, 5.0],  // 3 dark brown
    [27.0, 5.0, 8.0],  // 4 medium brown
    [32.0, 6.0, 11.0], // 5 light brown
    [38.0, 7.0, 15.0], // 6 dark blonde
    [44.0, 7.0, 18.0], // 7 medium blonde
    [50.0, 6.0, 21.0], // 8 light blonde
    [57.0, 5.0, 23.0], // 9 very light blonde
    [64.0, 4.0, 24.0], // 10 lightest blonde
];

/// Names of the levels 1–10 (common hairdressing usage).
pub const LEVEL_NAMES: [&str; 10] = [
    "black",
    "darkest brown",
    "dark brown",
    "medium brown",
    "light brown",
    "dark blonde",
    "medium blonde",
    "light blonde",
    "very light blonde",
    "lightest blonde",
];

/// The estimated level of a hair colour.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HairLevel {
    /// Level 1–10.
    pub level: u8,
    /// Its name, e.g. "dark brown".
    pub name: &'static str,
    /// The level's reference Lab.
    pub reference_lab: [f64; 3],
    /// ΔE00 between the colour and that reference (how typical the colour is of it).
    pub delta_e00: f64,
}

/// The level whose reference is nearest in ΔE00 (an estimate, ±1 level).
pub fn estimate_level(lab: [f64; 3]) -> HairLevel {
    let (i, d) = LEVEL_REFERENCE_LAB
        .iter()
        .map(|r| delta_e00(lab, *r))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("ten levels");
    HairLevel {
        level: i as u8 + 1,
        name: LEVEL_NAMES[i],
        reference_lab: LEVEL_REFERENCE_LAB[i],
        delta_e00: d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_ordered_and_map_to_themselves() {
        for i in 1..10 {
            assert!(LEVEL_REFERENCE_LAB[i][0] > LEVEL_REFERENCE_LAB[i - 1][0], "L* rises with level");
        }
        for (i, r) in LEVEL_REFERENCE_LAB.iter().enumerate() {
            let e = estimate_level(*r);
            assert_eq!(e.level as usize, i + 1);
            assert_eq!(e.delta_e00, 0.0);
        }
    }

    #[test]
    fn typical_colours_get_plausible_levels() {
        // Measured black hair (L* 18, neutral) is level 1; jet black beyond the scale too.
        assert_eq!(estimate_level([18.0, 0.0, -0.9]).level, 1);
        assert_eq!(estimate_level([8.0, 0.0, 0.0]).level, 1);
        // The measured dark-brown tress (L* ≈ 22.5, a* 4, b* 5) is level 3.
        assert_eq!(estimate_level([22.5, 4.0, 5.0]).level, 3);
        // Very light, golden hair is level 10, and a mid brown sits mid-scale.
        assert_eq!(estimate_level([72.0, 3.0, 22.0]).level, 10);
        assert_eq!(estimate_level([31.0, 6.0, 10.0]).level, 5);
    }
}
