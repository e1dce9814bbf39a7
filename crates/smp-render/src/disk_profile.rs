// `S(P; R)`, the profile of a disk of radius `R` blurred by a unit Gaussian, and the
// layout of its table: included by `disk.rs` and by the build script that tabulates it.

/// Table step in `R` and `P`, in units of the Gaussian's σ.
pub(crate) const STEP: f64 = 1.0 / 16.0;
/// Largest tabulated radius; wider disks use the straight-edge form.
pub(crate) const R_MAX: f64 = 8.0;
/// Distances tabulated beyond the rim: the profile is below 1e-9 past it.
pub(crate) const P_PAST_RIM: f64 = 6.0;
/// Simpson intervals per table entry.
pub(crate) const SIMPSON: usize = 96;

/// Radii tabulated.
pub(crate) const NR: usize = (R_MAX / STEP) as usize + 1;
/// Distances tabulated.
pub(crate) const NP: usize = ((R_MAX + P_PAST_RIM) / STEP) as usize + 1;

/// `exp(−x)·I₀(x)` for x ≥ 0 (Abramowitz & Stegun 9.8.1–9.8.2, error < 2e-7).
pub(crate) fn i0e(x: f64) -> f64 {
    let t = x / 3.75;
    if x <= 3.75 {
        let t2 = t * t;
        let i0 = 1.0 + t2 * (3.5156229 + t2 * (3.0899424 + t2 * (1.2067492 + t2 * (0.2659732 + t2 * (0.0360768 + t2 * 0.0045813)))));
        i0 * (-x).exp()
    } else {
        let u = 1.0 / t;
        let p = 0.39894228
            + u * (0.01328592
                + u * (0.00225319
                    + u * (-0.00157565 + u * (0.00916281 + u * (-0.02057706 + u * (0.02635537 + u * (-0.01647633 + u * 0.00392377)))))));
        p / x.sqrt()
    }
}

/// `S(P; R)` by Simpson's rule.
pub(crate) fn profile_exact(r: f64, p: f64) -> f64 {
    if r <= 0.0 {
        return 0.0;
    }
    let h = r / SIMPSON as f64;
    let f = |t: f64| t * (-(t - p) * (t - p) / 2.0).exp() * i0e(t * p);
    let mut s = f(0.0) + f(r);
    for i in 1..SIMPSON {
        s += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}
