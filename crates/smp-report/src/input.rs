//! What a report is made from.

use image::RgbImage;
use smp_color::pigments::PigmentLibrary;
use smp_design::Design;
use smp_plan::{CivilDate, PlanOptions, PriceList};

/// The client's photo and the design's view calibrated to it.
#[derive(Debug, Clone, Copy)]
pub struct ClientPhoto<'a> {
    /// Name of the design's view that maps the design onto this photo.
    pub view: &'a str,
    /// The decoded photo (sRGB).
    pub image: &'a RgbImage,
}

/// Everything a report needs; borrowed, so a server can keep its loaded data.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The design.
    pub design: &'a Design,
    /// The client's photo: previews and the sampled skin and hair colours.
    pub photo: ClientPhoto<'a>,
    /// The clinic's price list.
    pub prices: &'a PriceList,
    /// Pigments to recommend from.
    pub pigments: &'a PigmentLibrary,
    /// The client's name, shown as given.
    pub client: &'a str,
    /// The clinic's name, shown as given.
    pub clinic: &'a str,
    /// Date printed on the report.
    pub date: CivilDate,
    /// Needle rate, spacing and start date of the plan.
    pub plan: &'a PlanOptions,
    /// The clinic's entry of the client's Fitzpatrick type (1–6); estimated from the
    /// photo's skin colour when `None`.
    pub fitzpatrick: Option<u8>,
    /// Scarring at the treated site for the removal estimate; when `None`, "minimal" if
    /// the design has scar regions (scar camouflage), else none.
    pub scarring: Option<smp_plan::removal::Scarring>,
    /// Skin colour (CIELAB) measured by the clinic, replacing the sampled one.
    pub skin_lab: Option<[f64; 3]>,
    /// Hair colour (CIELAB) measured by the clinic, replacing the sampled one.
    pub hair_lab: Option<[f64; 3]>,
}
