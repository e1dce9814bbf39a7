//! Colours of the synthetic head: sRGB ↔ linear light, CIELAB (D65) to sRGB, and the
//! palettes: scalp skin by Fitzpatrick type, hair by level, and what stubble, its
//! sub-surface shadow and scars look like on that skin.

use std::sync::OnceLock;

/// Linear-light RGB, each channel 0..=1.
pub(crate) type Rgb = [f64; 3];

/// sRGB channel (0..=1) to linear light.
pub(crate) fn srgb_to_linear(c: f64) -> f64 {
    if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
}

/// Linear light to sRGB channel (0..=1).
pub(crate) fn linear_to_srgb(c: f64) -> f64 {
    let c = c.clamp(0.0, 1.0);
    if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

const LUT_SIZE: usize = 1 << 14;

/// Linear light to an 8-bit sRGB level through a table (fast, exact to ~0.2 levels),
/// with `dither` (in levels) added before rounding.
pub(crate) fn encode(c: f32, dither: f32) -> u8 {
    static LUT: OnceLock<Vec<f32>> = OnceLock::new();
    let lut = LUT.get_or_init(|| {
        (0..LUT_SIZE)
            .map(|i| (linear_to_srgb(i as f64 / (LUT_SIZE - 1) as f64) * 255.0) as f32)
            .collect()
    });
    let i = (c.clamp(0.0, 1.0) * (LUT_SIZE - 1) as f32 + 0.5) as usize;
    (lut[i.min(LUT_SIZE - 1)] + dither + 0.5).clamp(0.0, 255.0) as u8
}

/// Linear RGB to 8-bit sRGB.
pub(crate) fn to_srgb8(c: Rgb) -> [u8; 3] {
    c.map(|v| (linear_to_srgb(v) * 255.0).round() as u8)
}

/// Relative luminance Y of linear RGB (Rec. 709 primaries).
pub(crate) fn luminance(c: Rgb) -> f64 {
    0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

/// CIELAB (D65) to linear sRGB, clamped into gamut.
pub(crate) fn lab_to_linear([l, a, b]: [f64; 3]) -> Rgb {
    let f = |t: f64| {
        if t > 6.0 / 29.0 {
            t * t * t
        } else {
            3.0 * (6.0f64 / 29.0).powi(2) * (t - 4.0 / 29.0)
        }
    };
    let fy = (l + 16.0) / 116.0;
    let (x, y, z) = (0.950_47 * f(fy + a / 500.0), f(fy), 1.088_83 * f(fy - b / 200.0));
    [
        3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z,
        -0.969_266 * x + 1.876_010_8 * y + 0.041_556 * z,
        0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z,
    ]
    .map(|c| c.clamp(0.0, 1.0))
}

/// Element-wise product.
pub(crate) fn mul(a: Rgb, b: Rgb) -> Rgb {
    [a[0] * b[0], a[1] * b[1], a[2] * b[2]]
}

/// `a + (b - a)·t`, channel by channel.
pub(crate) fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/// Scaled colour.
pub(crate) fn scale(a: Rgb, k: f64) -> Rgb {
    a.map(|c| c * k)
}

/// Scalp skin, CIELAB, Fitzpatrick I..=VI. The scalp is less tanned than the face. ITA°
/// (Chardon et al. 1991, domain.md) of each: I 61° very light, II 49° light, III 33°
/// intermediate, IV 12° tan, V −18° brown, VI −52° dark.
const SKIN_LAB: [[f64; 3]; 6] = [
    [72.0, 10.0, 12.0],
    [67.0, 10.0, 15.0],
    [61.0, 10.0, 17.0],
    [54.0, 11.0, 19.0],
    [44.0, 12.0, 19.0],
    [32.0, 10.0, 14.0],
];

/// Natural hair colour, CIELAB, level 1 (black, L* ≈ 16; domain.md: black hair L* 15–20)
/// to level 10 (lightest blonde).
const HAIR_LAB: [[f64; 3]; 10] = [
    [16.0, 1.0, 1.0],
    [21.0, 2.0, 3.0],
    [26.0, 4.0, 7.0],
    [32.0, 6.0, 11.0],
    [39.0, 7.0, 15.0],
    [47.0, 7.0, 19.0],
    [55.0, 6.0, 22.0],
    [62.0, 5.0, 24.0],
    [69.0, 4.0, 24.0],
    [76.0, 3.0, 22.0],
];

/// Every colour the head is painted with, linear light.
#[derive(Debug, Clone)]
pub(crate) struct Palette {
    /// Scalp skin albedo (what a well-lit bald patch facing the camera shows).
    pub skin: Rgb,
    /// Natural hair colour (eyebrows, lashes).
    pub hair: Rgb,
    /// A stubble tip as seen in the skin: the cut shaft under a thin layer of skin.
    pub tip: Rgb,
    /// The shaft under the skin behind a tip, a faint cool streak.
    pub tail: Rgb,
    /// Multiplier of the skin at full hair density: the grey-blue "shadow" of a shaved head.
    pub shadow: Rgb,
    /// Hypopigmented scar tissue.
    pub scar: Rgb,
    /// An unpigmented (white) hair in the air.
    pub white: Rgb,
    /// A white stubble tip as seen in the skin.
    pub white_tip: Rgb,
    /// The shaft of a white hair under the skin: barely there.
    pub white_tail: Rgb,
}

/// Unpigmented scalp hair, CIELAB: white with a slight yellow cast (canities).
const WHITE_HAIR_LAB: [f64; 3] = [86.0, 0.0, 7.0];

impl Palette {
    /// The palette for Fitzpatrick type `skin_type` (1..=6) and hair `level` (1..=10).
    pub(crate) fn new(skin_type: u8, level: u8) -> Self {
        let skin = lab_to_linear(SKIN_LAB[usize::from(skin_type.clamp(1, 6)) - 1]);
        let hair = lab_to_linear(HAIR_LAB[usize::from(level.clamp(1, 10)) - 1]);
        let (ys, yh) = (luminance(skin), luminance(hair));
        let contrast = ((ys - yh) / ys).clamp(0.0, 1.0);
        // Skin over the tip scatters short wavelengths back: dark stubble reads grey-blue.
        let veil = mul(skin, [0.55, 0.66, 0.86]);
        let tip = mix(hair, veil, 0.15);
        let tail = mix(mul(skin, [0.66, 0.74, 0.88]), tip, 0.3);
        // The shafts under the skin: ~2.2 hairs per mm² (Barman 1965, domain.md) of
        // 0.08 mm shafts seen for ~1 mm below each tip at about half contrast cover
        // ~9 % of the skin; light crosses that twice, so full-contrast hair takes ~17 %
        // of the light, less short wavelengths, which the skin above scatters back.
        let k = 0.28 * contrast;
        let shadow = [1.0 - k * 0.95, 1.0 - k * 0.82, 1.0 - k * 0.62];
        let scar = mix(skin, [0.60, 0.50, 0.47], 0.3);
        let white = lab_to_linear(WHITE_HAIR_LAB);
        let white_tip = mix(white, veil, 0.15);
        let white_tail = mix(skin, white_tip, 0.15);
        Palette {
            skin,
            hair,
            tip,
            tail,
            shadow,
            scar,
            white,
            white_tip,
            white_tail,
        }
    }

    /// The palette of a head whose hairs are white in the share `grey` (0..=1): the
    /// hair's grey cast in the skin weakens with it and the brows grey more slowly.
    pub(crate) fn greyed(mut self, grey: f64) -> Self {
        let g = grey.clamp(0.0, 1.0);
        self.shadow = self.shadow.map(|k| 1.0 - (1.0 - k) * (1.0 - g));
        self.hair = mix(self.hair, self.white, 0.6 * g);
        self
    }
}
