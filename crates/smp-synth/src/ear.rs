//! The auricle: an outline in ear-local mm (x 0..32 from the attached front edge to the
//! helix at the back, y 0..62 from the top to the lobe), its relief (helix roll, concha,
//! antihelix, tragus) and colour marks, placed in a view by an affine frame.

use super::color::{Rgb, mix, mul};
use super::geom::{Frame, P2, Poly, chaikin_closed, smoothstep};
use super::surface::{Bump, Prim, Surface};

/// Outline of a right-side ear seen from the side, ear-local mm.
const OUTLINE: [P2; 22] = [
    (6.0, 4.0),
    (12.0, 1.0),
    (19.0, 0.0),
    (25.0, 2.0),
    (29.0, 7.0),
    (31.5, 14.0),
    (32.0, 22.0),
    (30.5, 31.0),
    (27.5, 40.0),
    (23.5, 48.0),
    (19.5, 55.0),
    (15.0, 61.0),
    (10.0, 62.0),
    (6.5, 59.0),
    (5.0, 53.0),
    (4.5, 47.0),
    (3.0, 42.0),
    (0.5, 37.0),
    (0.0, 31.0),
    (1.0, 22.0),
    (2.0, 14.0),
    (3.5, 8.0),
];

/// Relief in ear-local mm: centre, spread, rotation, height.
const RELIEF: [(P2, P2, f64, f64); 8] = [
    ((11.0, 31.0), (5.5, 8.0), 0.0, -6.0),   // concha
    ((15.0, 20.0), (5.0, 3.0), 0.0, -3.0),   // cymba
    ((24.5, 22.0), (2.5, 12.0), 0.25, -3.0), // scapha
    ((17.0, 11.0), (5.0, 3.0), 0.0, -2.5),   // triangular fossa
    ((19.0, 26.0), (2.5, 11.0), 0.3, 2.5),   // antihelix
    ((2.5, 33.0), (2.5, 4.0), 0.0, 2.5),     // tragus
    ((12.0, 44.0), (3.0, 2.5), 0.0, 2.0),    // antitragus
    ((12.0, 56.0), (5.0, 4.0), 0.0, 1.5),    // lobe
];

/// Where the ear-local frame puts the ear, as a surface (image mm).
pub(crate) fn surface(frame: &Frame) -> Surface {
    let poly = Poly::new(chaikin_closed(&OUTLINE, 2).into_iter().map(|p| frame.apply(p)).collect());
    let (lx, ly) = (frame.ex.0.hypot(frame.ex.1), frame.ey.0.hypot(frame.ey.1));
    let turn = frame.ex.1.atan2(frame.ex.0);
    let bumps = RELIEF
        .iter()
        .map(|&(c, s, rot, amp)| Bump {
            c: frame.apply(c),
            s: (s.0 * lx.max(0.2), s.1 * ly.max(0.2)),
            rot: rot + turn,
            amp: amp * frame.scale(),
        })
        .collect();
    let k = frame.scale();
    Surface::new(vec![Prim::Outline(poly)], &[(1.2 * k, 4.0 * k), (4.0 * k, 6.0 * k)]).with_bumps(bumps)
}

/// Ear skin at image mm `p`: the canal dark, the concha a little redder.
pub(crate) fn albedo(frame: &Frame, p: P2, skin: Rgb) -> Rgb {
    let (x, y) = frame.local(p);
    let concha = 1.0 - smoothstep(0.6, 1.0, ((x - 10.0) / 7.0).hypot((y - 32.0) / 10.0));
    let canal = 1.0 - smoothstep(0.2, 1.0, ((x - 6.0) / 2.2).hypot((y - 31.0) / 2.6));
    let warm = mix(skin, mul(skin, [1.0, 0.86, 0.84]), concha * 0.6);
    mix(warm, mul(skin, [0.3, 0.22, 0.2]), canal * 0.7)
}
