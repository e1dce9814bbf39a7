//! Figures from the literature and the canonical head that the photo stage relies on,
//! each with its source.

/// Mean adult interpupillary distance, mm (Dodgson 2004, "Variation and extrema of human
/// interpupillary distance", Proc. SPIE 5291: mean ~63 mm, range ~54–74 mm).
pub const MEAN_IPD_MM: f64 = 63.0;

/// Relative error of a scale taken from an assumed (population mean) interpupillary
/// distance for an unknown person, ± fraction (domain.md after Dodgson 2004: ≈ ±8 %).
pub const ASSUMED_IPD_ERROR: f64 = 0.08;
