//! sRGB ↔ linear light ↔ CIE XYZ (D65) ↔ CIELAB. Linear light is where light adds and
//! absorbs; sRGB is only how pixels are stored.

/// sRGB component (0..=1) to linear light (IEC 61966-2-1).
pub fn to_linear(c: f64) -> f64 {
    if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
}

/// Linear light (0..=1) to sRGB component.
pub fn from_linear(l: f64) -> f64 {
    let l = l.clamp(0.0, 1.0);
    if l <= 0.003_130_8 {
        l * 12.92
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    }
}

/// An 8-bit sRGB pixel to linear RGB.
pub fn rgb8_to_linear(p: [u8; 3]) -> [f64; 3] {
    p.map(|c| to_linear(f64::from(c) / 255.0))
}

/// Linear RGB to an 8-bit sRGB pixel (rounded, clamped).
pub fn linear_to_rgb8(l: [f64; 3]) -> [u8; 3] {
    l.map(|c| (from_linear(c) * 255.0).round() as u8)
}

/// Fast 8-bit sRGB → linear lookup (256 entries).
pub fn decode_lut() -> [f32; 256] {
    std::array::from_fn(|i| to_linear(i as f64 / 255.0) as f32)
}

/// Entries of [`EncodeLut`]: linear light quantised finely enough that the 8-bit result
/// matches exact encoding (checked in the tests).
const ENCODE_STEPS: usize = 1 << 14;

/// Fast linear → 8-bit sRGB lookup.
pub struct EncodeLut(Vec<u8>);

impl EncodeLut {
    /// Build the table.
    pub fn new() -> Self {
        EncodeLut(
            (0..=ENCODE_STEPS)
                .map(|i| (from_linear(i as f64 / ENCODE_STEPS as f64) * 255.0).round() as u8)
                .collect(),
        )
    }
    /// Encode one linear component.
    #[inline]
    pub fn encode(&self, l: f32) -> u8 {
        let i = (l.clamp(0.0, 1.0) * ENCODE_STEPS as f32 + 0.5) as usize;
        self.0[i.min(ENCODE_STEPS)]
    }
}

impl Default for EncodeLut {
    fn default() -> Self {
        Self::new()
    }
}

/// Linear sRGB to CIE XYZ under D65 (IEC 61966-2-1 matrix), Y of white = 1.
pub fn linear_to_xyz([r, g, b]: [f64; 3]) -> [f64; 3] {
    [
        0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b,
        0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b,
        0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b,
    ]
}

/// D65 reference white, Y = 1 (CIE 15:2004).
pub const D65_WHITE: [f64; 3] = [0.950_47, 1.0, 1.088_83];

/// CIE XYZ to CIELAB relative to D65 (CIE 15:2004).
pub fn xyz_to_lab(xyz: [f64; 3]) -> [f64; 3] {
    let f = |t: f64| {
        const E: f64 = 216.0 / 24389.0;
        const K: f64 = 24389.0 / 27.0;
        if t > E { t.cbrt() } else { (K * t + 16.0) / 116.0 }
    };
    let [fx, fy, fz] = [f(xyz[0] / D65_WHITE[0]), f(xyz[1] / D65_WHITE[1]), f(xyz[2] / D65_WHITE[2])];
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIELAB relative to `white` (XYZ, Y = 1) to CIE XYZ (CIE 15:2004).
pub fn lab_to_xyz([l, a, b]: [f64; 3], white: [f64; 3]) -> [f64; 3] {
    const E: f64 = 216.0 / 24389.0;
    const K: f64 = 24389.0 / 27.0;
    let fy = (l + 16.0) / 116.0;
    let fx = fy + a / 500.0;
    let fz = fy - b / 200.0;
    let finv = |f: f64| if f * f * f > E { f * f * f } else { (116.0 * f - 16.0) / K };
    let y = if l > K * E { fy * fy * fy } else { l / K };
    [finv(fx) * white[0], y * white[1], finv(fz) * white[2]]
}

/// CIE XYZ (D65) to linear sRGB, not clamped (colours outside sRGB's gamut have a
/// channel below 0 or above 1): the inverse of [`linear_to_xyz`], computed from that
/// matrix itself so the round trip is exact rather than limited by a rounded inverse.
pub fn xyz_to_linear(xyz: [f64; 3]) -> [f64; 3] {
    let m: [[f64; 3]; 3] = {
        let cols = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]].map(linear_to_xyz);
        std::array::from_fn(|r| std::array::from_fn(|c| cols[c][r]))
    };
    let cof = |r: usize, c: usize| {
        let (r1, r2, c1, c2) = ((r + 1) % 3, (r + 2) % 3, (c + 1) % 3, (c + 2) % 3);
        m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
    };
    let det: f64 = (0..3).map(|c| m[0][c] * cof(0, c)).sum();
    // inverse[i][j] = cofactor(j, i) / det.
    std::array::from_fn(|i| (0..3).map(|j| cof(j, i) / det * xyz[j]).sum())
}

/// Linear sRGB to CIELAB (D65).
pub fn linear_to_lab(l: [f64; 3]) -> [f64; 3] {
    xyz_to_lab(linear_to_xyz(l))
}

/// Why `[L*, a*, b*]` is not a colour this tool accepts (L* outside 0..=100, a* or b*
/// beyond ±128, or not a number), or `None` when it is: the one rule for colours typed
/// on the command line, sent to the API or stored in a design.
pub fn lab_range_error([l, a, b]: [f64; 3]) -> Option<String> {
    if !(l.is_finite() && (0.0..=100.0).contains(&l)) {
        Some(format!("L* {l} is not a lightness: L* runs from 0 (black) to 100 (white)"))
    } else if !(a.is_finite() && b.is_finite() && a.abs() <= 128.0 && b.abs() <= 128.0) {
        Some(format!("a* {a}, b* {b}: a* and b* must be within ±128"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_ranges() {
        assert_eq!(lab_range_error([50.0, -128.0, 128.0]), None);
        assert!(lab_range_error([100.5, 0.0, 0.0]).unwrap().contains("L* 100.5"));
        assert!(lab_range_error([f64::NAN, 0.0, 0.0]).is_some());
        assert!(lab_range_error([50.0, 0.0, -130.0]).unwrap().contains("±128"));
    }

    #[test]
    fn white_grey_and_primaries_have_known_lab() {
        let white = linear_to_lab([1.0, 1.0, 1.0]);
        assert!(
            (white[0] - 100.0).abs() < 0.01 && white[1].abs() < 0.01 && white[2].abs() < 0.01,
            "{white:?}"
        );
        // sRGB (119,119,119) is L* ≈ 50 (a common reference grey).
        let grey = linear_to_lab(rgb8_to_linear([119, 119, 119]));
        assert!((grey[0] - 50.0).abs() < 0.3, "{grey:?}");
        // sRGB red: L* 53.24, a* 80.09, b* 67.20 (Bruce Lindbloom's calculator, D65).
        let red = linear_to_lab([1.0, 0.0, 0.0]);
        assert!(
            (red[0] - 53.24).abs() < 0.05 && (red[1] - 80.09).abs() < 0.1 && (red[2] - 67.20).abs() < 0.1,
            "{red:?}"
        );
    }

    #[test]
    fn luts_match_exact_conversion() {
        let dec = decode_lut();
        let enc = EncodeLut::new();
        for v in 0..=255u8 {
            assert_eq!(enc.encode(dec[v as usize]), v, "round trip of {v}");
        }
        for i in 0..=10_000 {
            let l = i as f64 / 10_000.0;
            let exact = (from_linear(l) * 255.0).round() as i32;
            assert!((i32::from(enc.encode(l as f32)) - exact).abs() <= 1, "{l}");
        }
    }
}
