//! Clinical and sampling constants of the dot engine, each with its source or reason.

/// Share of follicular units with 1, 2, 3 and 4 hairs (domain.md: ≈ 20 / 45 / 30 / 5 %,
/// natural scalp; units average ~2.2 hairs).
pub const UNIT_SIZE_SHARES: [f64; 4] = [0.20, 0.45, 0.30, 0.05];

/// Mean impressions per follicular unit implied by [`UNIT_SIZE_SHARES`].
pub fn mean_unit_size() -> f64 {
    UNIT_SIZE_SHARES.iter().enumerate().map(|(i, s)| (i + 1) as f64 * s).sum()
}

/// Clear gap kept between dots of one unit beyond their diameter, mm, so they stay
/// distinct dots after healing instead of merging (practice).
pub const UNIT_GAP_MM: f64 = 0.10;

/// Smallest diameter and shade factor of dots at the very front of the hairline; they
/// grow to the region's values across the feather (practice: 1RL and lighter pigment at
/// the hairline, domain.md "Needles").
pub const HAIRLINE_FRONT_DIAMETER_FACTOR: f64 = 0.8;
/// See [`HAIRLINE_FRONT_DIAMETER_FACTOR`].
pub const HAIRLINE_FRONT_SHADE_FACTOR: f64 = 0.85;

/// Poisson-disk radius as a multiple of `1/sqrt(n)`. Dart throwing to saturation packs
/// ≈ 0.65–0.70 disks per r², so this slightly overshoots the target count, and the
/// excess is then removed where dots are most crowded. It gives ρ = 0.9306 · C.
pub const RADIUS_COEFF: f64 = 0.775;
/// Candidate darts around each active dot before it retires (Bridson 2007 uses 30; the
/// completion pass fills what fewer tries leave, for less work).
pub const BRIDSON_TRIES: u32 = 6;
/// A filled-in dot must have at least this share of its radius free around it, so
/// filling never pulls ρ below the sampler's own spacing by more than 5 %.
pub const MIN_FILL_CLEARANCE: f64 = 0.985;
/// Largest Poisson-disk radius, mm: beyond it (the very front of a hairline), density
/// is reached by thinning instead, which gives the isolated single dots of a natural
/// hairline.
pub const MAX_RADIUS_MM: f64 = 6.0;
/// Each extra sampling round of a pass that fell short of its count shrinks the radius
/// by this factor …
pub const SHRINK_STEP: f64 = 0.985;
/// … down to this share of [`RADIUS_COEFF`] (ρ ≥ 0.93 · 0.80 · 0.94 ≈ 0.70 at worst).
pub const MIN_SHRINK: f64 = 0.985;
/// Poisson-disk radius coefficient of session prefixes chosen from the final dots
/// (ρ = 0.93 · 0.72 = 0.67 for the dots chosen at full radius).
pub const LAYER_RADIUS_COEFF: f64 = 0.72;
/// Radius factors (sessions so far, this session alone) of the successive greedy rounds
/// that choose a session's dots. The session's own spacing gives way first, the spacing
/// of the sessions so far only below ρ = 0.6 · … when nothing else is left; the last
/// round takes any dot, so every region reaches its exact share.
pub const LAYER_RADIUS_STEPS: [(f64, f64); 9] = [
    (1.0, 1.0),
    (0.95, 0.85),
    (0.92, 0.7),
    (0.9, 0.5),
    (0.9, 0.0),
    (0.86, 0.0),
    (0.8, 0.0),
    (0.7, 0.0),
    (0.0, 0.0),
];
