//! Units of the design surface: millimetres on the scalp laid flat, areas and densities.
//!
//! Conversions between them live here and nowhere else, so a bare `f64` never has to be
//! guessed at a public boundary.

use serde::{Deserialize, Serialize};

/// A length on the scalp surface in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mm(pub f64);

/// An area on the scalp surface in square centimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cm2(pub f64);

/// A surface density in impressions (or units) per square centimetre.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PerCm2(pub f64);

/// Square millimetres per square centimetre.
pub const MM2_PER_CM2: f64 = 100.0;

impl Cm2 {
    /// The area from square millimetres.
    pub fn from_mm2(mm2: f64) -> Self {
        Cm2(mm2 / MM2_PER_CM2)
    }
    /// The area in square millimetres.
    pub fn mm2(self) -> f64 {
        self.0 * MM2_PER_CM2
    }
}

impl PerCm2 {
    /// The density in items per square millimetre.
    pub fn per_mm2(self) -> f64 {
        self.0 / MM2_PER_CM2
    }
    /// Expected count over an area.
    pub fn count_over(self, area: Cm2) -> f64 {
        self.0 * area.0
    }
    /// Centre-to-centre spacing of a hexagonal lattice at this density, the ideal
    /// spacing `d_hex = sqrt(2 / (√3 · n))` used to normalise blue-noise spacing.
    pub fn hex_spacing(self) -> Mm {
        Mm((2.0 / (3f64.sqrt() * self.per_mm2())).sqrt())
    }
}

/// A point on the design surface, millimetres: x to the client's right, y towards the
/// back of the head.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PointMm {
    /// Millimetres to the client's right.
    pub x: f64,
    /// Millimetres towards the back of the head.
    pub y: f64,
}

impl PointMm {
    /// A point from its coordinates in millimetres.
    pub const fn new(x: f64, y: f64) -> Self {
        PointMm { x, y }
    }
    /// Euclidean distance in millimetres.
    pub fn dist(self, o: PointMm) -> f64 {
        self.dist2(o).sqrt()
    }
    /// Squared distance in square millimetres (cheaper for comparisons).
    pub fn dist2(self, o: PointMm) -> f64 {
        let (dx, dy) = (self.x - o.x, self.y - o.y);
        dx * dx + dy * dy
    }
}

impl Serialize for PointMm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.x, self.y].serialize(s)
    }
}

impl<'de> Deserialize<'de> for PointMm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [x, y] = <[f64; 2]>::deserialize(d)?;
        Ok(PointMm { x, y })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_spacing_matches_lattice_density() {
        // A hexagonal lattice of spacing d has one point per (√3/2)·d² of area.
        let n = PerCm2(100.0);
        let d = n.hex_spacing().0;
        let per_mm2 = 1.0 / (3f64.sqrt() / 2.0 * d * d);
        assert!((per_mm2 - 1.0).abs() < 1e-12, "{per_mm2}");
    }

    #[test]
    fn area_conversions_round_trip() {
        assert_eq!(Cm2::from_mm2(10_000.0), Cm2(100.0));
        assert_eq!(Cm2(2.5).mm2(), 250.0);
        assert_eq!(PerCm2(80.0).count_over(Cm2(10.0)), 800.0);
    }
}
