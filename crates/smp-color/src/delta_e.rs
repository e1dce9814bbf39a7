//! CIEDE2000 colour difference (CIE 142-2001), implemented as written out by Sharma, Wu &
//! Dalal (2005), including their notes on hue angles near the ±180° wrap and on zero
//! chroma, and checked against their published 34-pair test data set.

use std::f64::consts::PI;

/// CIEDE2000 ΔE00 between two CIELAB colours (kL = kC = kH = 1, the reference conditions).
pub fn delta_e00(lab1: [f64; 3], lab2: [f64; 3]) -> f64 {
    let [l1, a1, b1] = lab1;
    let [l2, a2, b2] = lab2;
    let deg = PI / 180.0;
    let pow7 = |x: f64| x.powi(7);
    // 25^7, from the G factor and R_C of the formula.
    let p25_7 = 6_103_515_625.0_f64;

    let c1 = a1.hypot(b1);
    let c2 = a2.hypot(b2);
    let c_bar = (c1 + c2) / 2.0;
    let g = 0.5 * (1.0 - (pow7(c_bar) / (pow7(c_bar) + p25_7)).sqrt());
    let a1p = (1.0 + g) * a1;
    let a2p = (1.0 + g) * a2;
    let c1p = a1p.hypot(b1);
    let c2p = a2p.hypot(b2);
    // Hue angles in degrees, 0..360; zero when a' and b are both zero (Sharma eq. 4).
    let hue = |b: f64, ap: f64| {
        if b == 0.0 && ap == 0.0 {
            0.0
        } else {
            let h = b.atan2(ap) / deg;
            if h < 0.0 { h + 360.0 } else { h }
        }
    };
    let h1p = hue(b1, a1p);
    let h2p = hue(b2, a2p);

    let dl = l2 - l1;
    let dc = c2p - c1p;
    let cc = c1p * c2p;
    let dh = if cc == 0.0 {
        0.0
    } else {
        let d = h2p - h1p;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dh_big = 2.0 * cc.sqrt() * (dh * deg / 2.0).sin();

    let l_bar = (l1 + l2) / 2.0;
    let c_bar_p = (c1p + c2p) / 2.0;
    let h_bar = if cc == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * ((h_bar - 30.0) * deg).cos() + 0.24 * (2.0 * h_bar * deg).cos() + 0.32 * ((3.0 * h_bar + 6.0) * deg).cos()
        - 0.20 * ((4.0 * h_bar - 63.0) * deg).cos();
    let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
    let r_c = 2.0 * (pow7(c_bar_p) / (pow7(c_bar_p) + p25_7)).sqrt();
    let l50 = (l_bar - 50.0).powi(2);
    let s_l = 1.0 + 0.015 * l50 / (20.0 + l50).sqrt();
    let s_c = 1.0 + 0.045 * c_bar_p;
    let s_h = 1.0 + 0.015 * c_bar_p * t;
    let r_t = -(2.0 * d_theta * deg).sin() * r_c;

    let (tl, tc, th) = (dl / s_l, dc / s_c, dh_big / s_h);
    (tl * tl + tc * tc + th * th + r_t * tc * th).max(0.0).sqrt()
}

/// A colour difference (CIEDE2000) in words a client reads, on the usual perception
/// scale: up to 1 not perceptible, 1–2 perceptible only on close observation, 2–10
/// perceptible at a glance, above that clearly another colour (Mokrzycki & Tatol 2011,
/// "Colour difference ΔE – a survey", Machine Graphics & Vision 20(4):383–411).
pub fn difference_in_words(delta_e00: f64) -> &'static str {
    match delta_e00 {
        d if d <= 1.0 => "no visible difference",
        d if d <= 2.0 => "a very close match, a difference seen only up close",
        d if d <= 10.0 => "a difference visible at a glance",
        _ => "clearly a different colour",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 34 test pairs of Sharma, G., Wu, W. & Dalal, E. N. (2005), "The CIEDE2000
    /// color-difference formula: implementation notes, supplementary test data, and
    /// mathematical observations", Color Research & Application 30(1):21–30, Table 1:
    /// (L1, a1, b1), (L2, a2, b2), ΔE00.
    const SHARMA_2005: [([f64; 3], [f64; 3], f64); 34] = [
        ([50.0000, 2.6772, -79.7751], [50.0000, 0.0000, -82.7485], 2.0425),
        ([50.0000, 3.1571, -77.2803], [50.0000, 0.0000, -82.7485], 2.8615),
        ([50.0000, 2.8361, -74.0200], [50.0000, 0.0000, -82.7485], 3.4412),
        ([50.0000, -1.3802, -84.2814], [50.0000, 0.0000, -82.7485], 1.0000),
        ([50.0000, -1.1848, -84.8006], [50.0000, 0.0000, -82.7485], 1.0000),
        ([50.0000, -0.9009, -85.5211], [50.0000, 0.0000, -82.7485], 1.0000),
        ([50.0000, 0.0000, 0.0000], [50.0000, -1.0000, 2.0000], 2.3669),
        ([50.0000, -1.0000, 2.0000], [50.0000, 0.0000, 0.0000], 2.3669),
        ([50.0000, 2.4900, -0.0010], [50.0000, -2.4900, 0.0009], 7.1792),
        ([50.0000, 2.4900, -0.0010], [50.0000, -2.4900, 0.0010], 7.1792),
        ([50.0000, 2.4900, -0.0010], [50.0000, -2.4900, 0.0011], 7.2195),
        ([50.0000, 2.4900, -0.0010], [50.0000, -2.4900, 0.0012], 7.2195),
        ([50.0000, -0.0010, 2.4900], [50.0000, 0.0009, -2.4900], 4.8045),
        ([50.0000, -0.0010, 2.4900], [50.0000, 0.0010, -2.4900], 4.8045),
        ([50.0000, -0.0010, 2.4900], [50.0000, 0.0011, -2.4900], 4.7461),
        ([50.0000, 2.5000, 0.0000], [50.0000, 0.0000, -2.5000], 4.3065),
        ([50.0000, 2.5000, 0.0000], [73.0000, 25.0000, -18.0000], 27.1492),
        ([50.0000, 2.5000, 0.0000], [61.0000, -5.0000, 29.0000], 22.8977),
        ([50.0000, 2.5000, 0.0000], [56.0000, -27.0000, -3.0000], 31.9030),
        ([50.0000, 2.5000, 0.0000], [58.0000, 24.0000, 15.0000], 19.4535),
        ([50.0000, 2.5000, 0.0000], [50.0000, 3.1736, 0.5854], 1.0000),
        ([50.0000, 2.5000, 0.0000], [50.0000, 3.2972, 0.0000], 1.0000),
        ([50.0000, 2.5000, 0.0000], [50.0000, 1.8634, 0.5757], 1.0000),
        ([50.0000, 2.5000, 0.0000], [50.0000, 3.2592, 0.3350], 1.0000),
        ([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644),
        ([63.0109, -31.0961, -5.8663], [62.8187, -29.7946, -4.0864], 1.2630),
        ([61.2901, 3.7196, -5.3901], [61.4292, 2.2480, -4.9620], 1.8731),
        ([35.0831, -44.1164, 3.7933], [35.0232, -40.0716, 1.5901], 1.8645),
        ([22.7233, 20.0904, -46.6940], [23.0331, 14.9730, -42.5619], 2.0373),
        ([36.4612, 47.8580, 18.3852], [36.2715, 50.5065, 21.2231], 1.4146),
        ([90.8027, -2.0831, 1.4410], [91.1528, -1.6435, 0.0447], 1.4441),
        ([90.9257, -0.5406, -0.9208], [88.6381, -0.8985, -0.7239], 1.5381),
        ([6.7747, -0.2908, -2.4247], [5.8714, -0.0985, -2.2286], 0.6377),
        ([2.0776, 0.0795, -1.1350], [0.9033, -0.0636, -0.5514], 0.9082),
    ];

    #[test]
    fn sharma_wu_dalal_2005_all_34_pairs_to_4_decimals() {
        for (i, (lab1, lab2, expected)) in SHARMA_2005.iter().enumerate() {
            let got = delta_e00(*lab1, *lab2);
            // The paper rounds to 4 decimals, so agreement is within half a unit of the last.
            assert!((got - expected).abs() < 0.5e-4, "pair {}: got {got:.6}, expected {expected}", i + 1);
            let back = delta_e00(*lab2, *lab1);
            assert!((back - got).abs() < 1e-9, "pair {}: not symmetric", i + 1);
        }
    }

    #[test]
    fn identical_colours_differ_by_zero() {
        assert_eq!(delta_e00([40.0, 5.0, 10.0], [40.0, 5.0, 10.0]), 0.0);
        assert_eq!(delta_e00([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]), 0.0);
    }
}
