//! From a design to its impressions: the one entry point of the dot engine.

use serde::Serialize;
use smp_design::{Design, PointMm};

use crate::constants::{HAIRLINE_FRONT_DIAMETER_FACTOR, HAIRLINE_FRONT_SHADE_FACTOR, UNIT_GAP_MM, mean_unit_size};
use crate::field::DensityField;
use crate::follicular_units::{unit_offsets, unit_sizes};
use crate::rng::Rng;
use crate::sampler::{Sampled, sample};

/// One needle impression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Impression {
    /// Millimetres to the client's right.
    pub x_mm: f64,
    /// Millimetres towards the back of the head.
    pub y_mm: f64,
    /// Fresh dot diameter, mm.
    pub diameter_mm: f64,
    /// Relative darkness 0..1.
    pub shade: f64,
    /// Session, 1-based.
    pub session: u8,
    /// Follicular unit id (each dot its own unit without clustering).
    pub unit: u32,
    /// Index of the region in the design.
    pub region: u16,
}

impl Impression {
    /// Position on the design surface.
    pub fn pos(&self) -> PointMm {
        PointMm::new(self.x_mm, self.y_mm)
    }
}

/// Which sessions to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Every session.
    All,
    /// Session N alone (1-based).
    Session(u8),
    /// Sessions 1..=N.
    Upto(u8),
}

impl Selection {
    /// Whether a dot of `session` is selected.
    pub fn contains(self, session: u8) -> bool {
        match self {
            Selection::All => true,
            Selection::Session(n) => session == n,
            Selection::Upto(n) => session <= n,
        }
    }
}

/// All impressions of a design, with the unit centres they were built from.
#[derive(Debug, Clone)]
pub struct Impressions {
    /// Every impression, ordered by session.
    pub dots: Vec<Impression>,
    /// The blue-noise set: unit centres (the dots themselves without clustering).
    pub units: Sampled,
    /// Impressions per unit on average (1 without clustering).
    pub per_unit: f64,
}

impl Impressions {
    /// The impressions of a selection.
    pub fn select(&self, sel: Selection) -> impl Iterator<Item = &Impression> {
        self.dots.iter().filter(move |d| sel.contains(d.session))
    }
}

fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

/// Generate the impressions of a design over its prepared density field.
pub fn generate_in(field: &DensityField) -> Impressions {
    let design = field.design();
    let clustered = design.clusters().enabled;
    let per_unit = if clustered { mean_unit_size() } else { 1.0 };
    let cumulative = &design.sessions().cumulative;
    let units = sample(field, per_unit, cumulative, design.seed());
    let regions = design.regions();
    let style = |i: usize| {
        let r = &regions[units.region[i] as usize];
        let t = f64::from(units.ramp[i]);
        (
            r.dot_diameter.0 * lerp(HAIRLINE_FRONT_DIAMETER_FACTOR, 1.0, t),
            r.shade.0 * lerp(HAIRLINE_FRONT_SHADE_FACTOR, 1.0, t),
        )
    };
    let mut dots = Vec::new();
    if !clustered {
        for (i, p) in units.points.iter().enumerate() {
            let (diameter_mm, shade) = style(i);
            dots.push(Impression {
                x_mm: p.x,
                y_mm: p.y,
                diameter_mm,
                shade,
                session: units.pass[i] + 1,
                unit: i as u32,
                region: units.region[i],
            });
        }
        return Impressions { dots, units, per_unit };
    }
    let mut rng = Rng::new(design.seed(), 200);
    let size_of = sizes_of_units(field, &units, cumulative, &mut rng);
    for (i, c) in units.points.iter().enumerate() {
        let (diameter_mm, shade) = style(i);
        let region = units.region[i] as usize;
        let (centre, offsets) = fit_unit(field, region, *c, (size_of[i], diameter_mm + UNIT_GAP_MM), &mut rng);
        for o in offsets {
            dots.push(Impression {
                x_mm: centre.x + o.x,
                y_mm: centre.y + o.y,
                diameter_mm,
                shade,
                session: units.pass[i] + 1,
                unit: i as u32,
                region: region as u16,
            });
        }
    }
    Impressions { dots, units, per_unit }
}

/// The number of impressions in each unit, per region and session, so every session
/// holds exactly its share of each region's impressions; the polygon and its edge blend
/// are filled separately, so a blend that drew few units does not push its impressions
/// inside.
fn sizes_of_units(field: &DensityField, units: &Sampled, cumulative: &[f64], rng: &mut Rng) -> Vec<u8> {
    let inside: Vec<bool> = (0..units.points.len())
        .map(|i| field.in_polygon(units.region[i] as usize, units.points[i]))
        .collect();
    let mut size_of = vec![0u8; units.points.len()];
    for (r, (&e, &e_blend)) in field.expected_counts().iter().zip(field.expected_blend_counts()).enumerate() {
        for (part, e) in [(true, e - e_blend), (false, e_blend)] {
            let mut prev = 0i64;
            for (k, &c) in cumulative.iter().enumerate() {
                let target = (e * c).round() as i64;
                let members: Vec<usize> = (0..units.points.len())
                    .filter(|&i| units.region[i] as usize == r && units.pass[i] as usize == k && inside[i] == part)
                    .collect();
                let sizes = unit_sizes(members.len(), (target - prev).max(0) as usize, rng);
                for (&i, s) in members.iter().zip(sizes) {
                    size_of[i] = s;
                }
                prev = target;
            }
        }
    }
    size_of
}

/// A unit of `size` dots `gap` mm apart at `c` in `region`: its centre and its dots'
/// offsets from it. A unit at a region's edge is turned until all its dots are inside;
/// failing that it is moved inward by its own radius, away from the dots that fell
/// outside.
fn fit_unit(field: &DensityField, region: usize, c: PointMm, (size, gap): (u8, f64), rng: &mut Rng) -> (PointMm, Vec<PointMm>) {
    let inside = |c: PointMm, o: &PointMm| field.classify(PointMm::new(c.x + o.x, c.y + o.y)) == Some(region);
    let mut centre = c;
    let mut offsets = unit_offsets(size, gap, rng.unit_vector());
    'fit: for attempt in 0..16 {
        if offsets.iter().all(|o| inside(centre, o)) {
            break 'fit;
        }
        if attempt >= 8 {
            let out: Vec<&PointMm> = offsets.iter().filter(|o| !inside(centre, o)).collect();
            let (sx, sy) = out.iter().fold((0.0, 0.0), |(x, y), o| (x + o.x, y + o.y));
            let len = (sx * sx + sy * sy).sqrt();
            let reach = offsets.iter().map(|o| o.dist(PointMm::new(0.0, 0.0))).fold(0.0, f64::max);
            if len > 0.0
                && inside(
                    PointMm::new(c.x - sx / len * reach, c.y - sy / len * reach),
                    &PointMm::new(0.0, 0.0),
                )
            {
                centre = PointMm::new(c.x - sx / len * reach, c.y - sy / len * reach);
            }
        }
        offsets = unit_offsets(size, gap, rng.unit_vector());
    }
    // The rare unit that still does not fit keeps the dots that are inside.
    offsets.retain(|o| inside(centre, o));
    (centre, offsets)
}

/// Generate the impressions of a design.
pub fn generate(design: &Design) -> Impressions {
    generate_in(&DensityField::new(design))
}
