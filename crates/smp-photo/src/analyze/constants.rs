//! Anatomical figures of the canonical design head (glabella at the origin, x to the
//! client's right, y towards the back, mm along the surface) that the analysis relies
//! on, with their sources, and the thresholds of its classification.

/// The natural outline from the temporal point down the temple to the sideburn, as
/// offsets from the temporal point (right side; mirrored on the left), mm: the synthetic
/// head's outline (`smp-synth`): the temporal hairline runs back and down to the
/// sideburn at about ear-top level (practice; no published average was found).
pub const TEMPORAL_TO_SIDEBURN_MM: [(f64, f64); 7] = [
    (6.0, 5.0),
    (16.0, 13.0),
    (30.0, 24.0),
    (46.0, 34.0),
    (60.0, 42.0),
    (74.0, 48.0),
    (88.0, 53.0),
];

/// Centre of the zone androgenetic loss can reach, design mm: the Norwood VII pattern
/// (Norwood 1975) leaves only a horseshoe of hair at the sides and back; its bald top
/// spans the vertex (y ≈ 200).
pub const LOSS_ZONE_CENTRE_MM: (f64, f64) = (0.0, 205.0);

/// Half-width and half-length of that zone, mm: the inner edge of the Norwood VII
/// horseshoe in the `norwood-7` template (115 × 140 mm around the vertex) with a
/// 10 mm margin for a fringe's wandering edge.
pub const LOSS_ZONE_RADII_MM: (f64, f64) = (125.0, 150.0);

/// Target cell side, mm: coarse enough to aggregate the texture of a few stubble tips
/// (60–100 follicular units per cm², domain.md after Barman 1965, put one every
/// ~1.1 mm), fine enough to resolve a 3 mm gap.
pub const CELL_MM: f64 = 1.5;

/// Native coverage below which scalp is bald: halfway between bald (0) and the thinning
/// areas' typical 45 % of the natural density.
pub const BALD_MAX_COVERAGE: f32 = 0.22;

/// Native coverage from which scalp counts as haired: halfway between thinning (45 %)
/// and full density (100 %).
pub const HAIRED_MIN_COVERAGE: f32 = 0.72;

/// Radius around a user's seed point whose label is pinned, mm.
pub const SEED_PIN_RADIUS_MM: f64 = 6.0;

/// Depth below the frontal hairline line from which the face begins, mm: the forehead
/// band above it (5–7 cm high between brows and hairline, Garg & Garg 2017's 7–10 cm
/// hairline height less the brow) is plain skin the hair model can learn bare skin from;
/// below it brows, eyes and lips would mislead it.
pub const FACE_BELOW_LINE_MM: f64 = 25.0;
