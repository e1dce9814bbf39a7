//! Constants of the skin-and-pigment optics, each with its source (see
//! `shared/domain.md`) or, where no study gives a number, marked as a model parameter
//! with the observation it reproduces.

/// Variances of the six Gaussians of the skin's diffusion profile, mm² (d'Eon & Luebke,
/// GPU Gems 3 ch. 14, 2007).
pub const PROFILE_VARIANCE_MM2: [f64; 6] = [0.0064, 0.0484, 0.187, 0.567, 1.99, 7.41];

/// Weights of those Gaussians per channel, R, G, B (d'Eon & Luebke 2007): red travels
/// several times further in skin than blue.
pub const PROFILE_WEIGHTS: [[f64; 6]; 3] = [
    [0.233, 0.100, 0.118, 0.113, 0.358, 0.078],
    [0.455, 0.336, 0.198, 0.007, 0.004, 0.000],
    [0.649, 0.344, 0.000, 0.007, 0.000, 0.000],
];

/// Share of light per channel (R, G, B) scattered back by the ~0.1 mm of turbid skin
/// above the pigment before reaching it, so the pigment cannot absorb it. Model
/// parameter: more for short wavelengths (domain.md: "scatters short wavelengths back",
/// why healed carbon reads blue-grey); sized so that over a healed carbon dot on light
/// skin b* is below the same pigment mixed into the skin with no optics
/// (checked in smp-render's tests).
pub const TURBID_BACKSCATTER: [f64; 3] = [0.04, 0.08, 0.20];

/// Reflectance (linear RGB) of an undiluted carbon-black layer; its absorption per unit
/// concentration is `-ln` of it. Model parameter from the measured sRGB of carbon-black
/// ink swatches (~RGB 20/20/22).
pub const CARBON_MASSTONE_LINEAR: [f64; 3] = [0.007, 0.007, 0.008];

/// Healed dot diameter, mm (domain.md: fresh ~0.25 mm, healed ~0.10–0.15 mm).
pub const HEALED_DOT_MM: f64 = 0.14;
/// Fresh dots look larger than the needle for the first days (swelling; domain.md).
pub const FRESH_SWELLING: f64 = 1.15;
/// Fresh dots are darker: surface ink and a fresh wound on top of the deposited dose
/// (domain.md: "dots look larger and darker when fresh"). Concentration multiple.
pub const FRESH_DARKNESS: f64 = 1.6;
/// Pigment deposited per impression at shade 1 (undiluted), as concentration in the
/// healed dot. Model parameter: neat carbon's core then absorbs ~98 % (a black dot) and
/// its skirt ~86 %, so diluting 1:1–1:3 spans the dark-grey stubble shades.
pub const HEALED_CONCENTRATION: f64 = 0.8;
/// Redness around fresh dots: peak strength and radius (σ, mm) of the halo; redness and
/// swelling settle within about a week (domain.md: erythema for 24–72 hours). Model
/// parameter: full redness at the puncture, so that on day 0 the skin around a dot is
/// visibly redder (a* several units up) than once healed.
pub const FRESH_HALO_STRENGTH: f64 = 1.0;
/// See [`FRESH_HALO_STRENGTH`].
pub const FRESH_HALO_SIGMA_MM: f64 = 0.35;
/// Linear-RGB tint of full redness (multiplied in): more red, less green and blue.
pub const REDNESS_TINT: [f64; 3] = [1.10, 0.86, 0.88];
/// Fading time constant, years: pigment left after N years is exp(-N/τ). From Liu et al.
/// 2025 (domain.md): the density score fell from 8.7 at the end of treatment to 7.7 six
/// months later, so exp(−0.5/τ) = 7.7/8.7 and τ = 0.5 / ln(8.7/7.7) ≈ 4.1 years — after
/// 3–5 years 30–50 % is left, when clinics advise a touch-up (domain.md).
pub const FADE_TAU_YEARS: f64 = 4.096;
/// Growth of a dot's visible area per year by slow migration of pigment, mm² (model
/// parameter: "fading and spreading" over years, domain.md): a 0.14 mm healed dot is
/// ~0.18 mm across after 5 years. The pigment is conserved, so spread dots are lighter.
pub const SPREAD_MM2_PER_YEAR: f64 = 0.002;
/// Healed pigment also lies dispersed around the sharp visible core, held by dermal
/// cells around the puncture and seen through the skin as the dot's soft shadow, as a
/// stubble tip shows the shaft under the skin around it. Model parameters, calibrated
/// (crates/smp-render/tests/calibration.rs) so that a healed treatment at a natural
/// 80 per cm², in the pigment and dilution the match picks for the client's stubble
/// tips, shades bare scalp as that client's shaved stubble does (ΔE00 ≤ 3 on the
/// synthetic heads of skin types I–VI with dark hair). A 0.5 mm impression keeps dots
/// "under ~1 mm, ~1 mm apart" (domain.md): skirts cover ~15 % of the scalp at 80 per
/// cm², distinct dots, not a helmet. With the 0.9 × needle skirt of the first model the
/// same treatment darkened bare scalp by under 1 L* against the stubble's ~8.
///
/// Issue 13 measured the dot's width: with a 0.5 mm skirt at half the core's
/// concentration the skirt itself was the visible dot (FWHM 0.52 mm in every state, not
/// domain.md's 0.10–0.15 mm), and at a photo's 3–5 px/mm each one drew a 1–2 px speck.
/// So the skirt is a faint wide shadow, like the shaft under the skin around a stubble
/// tip: 1.5 mm across at a share low enough that it darkens less than half as much as
/// the core (the core is the dot that is seen), and dense enough to shade the area as
/// the stubble does.
pub const HEALED_SKIRT_DIAMETER_OF_NEEDLE: f64 = 6.0;
/// The skirt's edge: dispersed pigment thins out gradually, so the skirt has a soft rim,
/// a Gaussian of this share of its radius (model parameter); the renderer draws the
/// whole skirt as one Gaussian of the same variance (r²/4 + (s·r)², σ ≈ 1.0 mm for the
/// 1.5 mm skirt), the pigment's mass unchanged. With a sharp rim the overlapping skirts
/// drew a 1–2 mm mottle at a photo's scale, twice the fine texture of the native stubble
/// beside it; with s = 0.5 (σ 0.53 mm) the 0.5–1.5 mm band of a healed crown still
/// measured 1.75× the same head's full stubble (norwood-5 top at 4 px/mm: 1.22 against
/// 0.70 grey levels); at 1.3 it measures 1.1× (0.77), the mean tone unchanged.
pub const SKIRT_EDGE_SIGMA_OF_RADIUS: f64 = 1.3;
/// See [`HEALED_SKIRT_DIAMETER_OF_NEEDLE`]: the skirt's concentration as a share of the core's.
pub const HEALED_SKIRT_CONCENTRATION_SHARE: f64 = 0.024;
/// The smallest patch the eye resolves from a conversational distance, mm: normal visual
/// acuity is one minute of arc (Snellen 20/20), 0.29 mm at 1 m. A healed core is smaller,
/// so the eye sees one impression as its mean over this disk: the footprint over which a
/// single impression's colour is predicted and matched to a stubble tip.
pub const SEEN_DOT_MM: f64 = 0.29;
