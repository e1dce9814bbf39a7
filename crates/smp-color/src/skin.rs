//! Skin tone from CIELAB: the Individual Typology Angle (ITA°), its bands, and an
//! estimated Fitzpatrick phototype.
//!
//! ITA° = arctan((L* − 50) / b*) · 180/π (Chardon, Cretois & Hourseau 1991, Int J Cosmet
//! Sci 13(4):191–208). Bands (ibid., extended with "dark" by Del Bino et al. 2006):
//! very light > 55 ≥ light > 41 ≥ intermediate > 28 ≥ tan > 10 ≥ brown > −30 ≥ dark, each
//! boundary belonging to the darker band.

use std::fmt;

/// Lower bounds (exclusive) of the ITA° bands, lightest first (Chardon et al. 1991; Del
/// Bino et al. 2006): a value equal to a bound falls in the darker band.
pub const ITA_BOUNDS_DEG: [f64; 5] = [55.0, 41.0, 28.0, 10.0, -30.0];

/// Why a colour has no ITA°.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkinError {
    /// b* must be positive: skin is always yellowish; b* ≤ 0 is not skin (or the photo has
    /// a strong blue cast), and the angle would flip or be undefined.
    #[error("b* = {0} is not skin: ITA° needs b* > 0 (skin is always yellowish); check the sample is skin and the photo has no blue cast")]
    NotSkin(f64),
    /// A component is not a finite number.
    #[error("L*, a*, b* must be finite numbers")]
    NotFinite,
}

/// ITA° band of a skin colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkinCategory {
    /// ITA° > 55.
    VeryLight,
    /// 41 < ITA° ≤ 55.
    Light,
    /// 28 < ITA° ≤ 41.
    Intermediate,
    /// 10 < ITA° ≤ 28.
    Tan,
    /// −30 < ITA° ≤ 10.
    Brown,
    /// ITA° ≤ −30.
    Dark,
}

impl SkinCategory {
    /// The stable name used in CLI output: very-light, light, intermediate, tan, brown, dark.
    pub fn as_str(self) -> &'static str {
        match self {
            SkinCategory::VeryLight => "very-light",
            SkinCategory::Light => "light",
            SkinCategory::Intermediate => "intermediate",
            SkinCategory::Tan => "tan",
            SkinCategory::Brown => "brown",
            SkinCategory::Dark => "dark",
        }
    }

    /// The band of an ITA° value (boundaries belong to the darker band).
    pub fn from_ita(ita_deg: f64) -> Self {
        const ORDER: [SkinCategory; 5] = [
            SkinCategory::VeryLight,
            SkinCategory::Light,
            SkinCategory::Intermediate,
            SkinCategory::Tan,
            SkinCategory::Brown,
        ];
        ITA_BOUNDS_DEG
            .iter()
            .zip(ORDER)
            .find(|(bound, _)| ita_deg > **bound)
            .map_or(SkinCategory::Dark, |(_, c)| c)
    }

    /// Estimated Fitzpatrick phototype (1–6) of the band: very light → I … dark → VI.
    ///
    /// An ESTIMATE: phototype is defined by burning and tanning response, not by colour;
    /// Del Bino & Bernerd (2013, Br J Dermatol 169 Suppl 3:33–40) found ITA° bands and
    /// phototypes correlated but overlapping, and this one-band-per-type mapping is the
    /// usual approximation. Use it to pre-fill, never to replace asking the client.
    pub fn fitzpatrick_estimate(self) -> u8 {
        match self {
            SkinCategory::VeryLight => 1,
            SkinCategory::Light => 2,
            SkinCategory::Intermediate => 3,
            SkinCategory::Tan => 4,
            SkinCategory::Brown => 5,
            SkinCategory::Dark => 6,
        }
    }
}

impl fmt::Display for SkinCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ITA° of a CIELAB skin colour, degrees (−90..90); errors when b* ≤ 0.
pub fn ita_deg([l, a, b]: [f64; 3]) -> Result<f64, SkinError> {
    if !(l.is_finite() && a.is_finite() && b.is_finite()) {
        return Err(SkinError::NotFinite);
    }
    if b <= 0.0 {
        return Err(SkinError::NotSkin(b));
    }
    Ok(((l - 50.0) / b).atan().to_degrees())
}

/// Skin tone of a colour: ITA°, band and estimated phototype.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SkinTone {
    /// ITA°, degrees.
    pub ita_deg: f64,
    /// ITA° band.
    pub category: SkinCategory,
    /// Estimated Fitzpatrick phototype 1–6 (see [`SkinCategory::fitzpatrick_estimate`]).
    pub fitzpatrick: u8,
}

/// Classify a CIELAB skin colour.
pub fn classify(lab: [f64; 3]) -> Result<SkinTone, SkinError> {
    let ita = ita_deg(lab)?;
    let category = SkinCategory::from_ita(ita);
    Ok(SkinTone {
        ita_deg: ita,
        category,
        fitzpatrick: category.fitzpatrick_estimate(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_at_each_boundary_belong_to_the_darker_band() {
        use SkinCategory::*;
        let cases = [
            (90.0, VeryLight),
            (55.000_001, VeryLight),
            (55.0, Light),
            (41.000_001, Light),
            (41.0, Intermediate),
            (28.000_001, Intermediate),
            (28.0, Tan),
            (10.000_001, Tan),
            (10.0, Brown),
            (-29.999_999, Brown),
            (-30.0, Dark),
            (-90.0, Dark),
        ];
        for (ita, cat) in cases {
            assert_eq!(SkinCategory::from_ita(ita), cat, "ITA {ita}");
        }
        let names: Vec<_> = [VeryLight, Light, Intermediate, Tan, Brown, Dark].map(|c| c.as_str()).into();
        assert_eq!(names, ["very-light", "light", "intermediate", "tan", "brown", "dark"]);
        assert_eq!([VeryLight, Dark].map(|c| c.fitzpatrick_estimate()), [1, 6]);
    }

    #[test]
    fn ita_formula_and_classify() {
        // L* = 50 is ITA 0 whatever b*; L* − 50 = b* is 45°.
        assert!(ita_deg([50.0, 10.0, 15.0]).unwrap().abs() < 1e-12);
        assert!((ita_deg([65.0, 10.0, 15.0]).unwrap() - 45.0).abs() < 1e-12);
        // A colour exactly on the 55° boundary: L* − 50 = b*·tan 55°.
        let b = 14.0;
        let lab = [50.0 + b * 55f64.to_radians().tan(), 8.0, b];
        let t = classify(lab).unwrap();
        assert!((t.ita_deg - 55.0).abs() < 1e-9);
        // Typical light European skin (L* 66, b* 15 → ~47°) is "light", type II estimate.
        let t = classify([66.0, 9.0, 15.0]).unwrap();
        assert_eq!((t.category, t.fitzpatrick), (SkinCategory::Light, 2));
        // Dark skin (L* 35, b* 14 → ~−47°).
        assert_eq!(classify([35.0, 9.0, 14.0]).unwrap().category, SkinCategory::Dark);
    }

    #[test]
    fn non_positive_b_is_a_clear_error() {
        assert_eq!(ita_deg([60.0, 5.0, 0.0]), Err(SkinError::NotSkin(0.0)));
        let e = ita_deg([60.0, 5.0, -3.0]).unwrap_err();
        assert!(e.to_string().contains("b* > 0"), "{e}");
        assert_eq!(ita_deg([f64::NAN, 0.0, 5.0]), Err(SkinError::NotFinite));
    }
}
