//! Figures from the literature and the canonical head that the photo stage relies on,
//! each with its source.

/// Mean adult interpupillary distance, mm (Dodgson 2004, "Variation and extrema of human
/// interpupillary distance", Proc. SPIE 5291: mean ~63 mm, range ~54–74 mm).
pub const MEAN_IPD_MM: f64 = 63.0;

/// Relative error of a scale taken from an assumed (population mean) interpupillary
/// distance for an unknown person, ± fraction (domain.md after Dodgson 2004: ≈ ±8 %).
pub const ASSUMED_IPD_ERROR: f64 = 0.08;

/// Where forehead skin ends on a head with no hairline: this far above the glabella along
/// the surface, mm (Garg & Garg 2017: mid-frontal point ~8 cm above the glabella).
pub const FRONTAL_LINE_ABOVE_GLABELLA_MM: f64 = smp_design::clinical::HAIRLINE_ABOVE_GLABELLA_MM;

/// The canonical head's temporal points relative to the glabella, mm (x to the right,
/// y towards the back): where the templates' hairline ends at each temple (the
/// fronto-temporal recession of a normal adult hairline, Garg & Garg 2017).
pub const TEMPORAL_POINT_MM: (f64, f64) = (60.0, 118.0);
