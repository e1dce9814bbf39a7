//! What a report is made from.

use image::RgbImage;
use smp_color::pigments::PigmentLibrary;
use smp_design::Design;
use smp_photo::card::align::LinedUpBy;
use smp_plan::{CivilDate, PlanOptions, PriceList};

/// The client's photo and the design's view calibrated to it.
#[derive(Debug, Clone, Copy)]
pub struct ClientPhoto<'a> {
    /// Name of the design's view that maps the design onto this photo.
    pub view: &'a str,
    /// The decoded photo (sRGB).
    pub image: &'a RgbImage,
}

/// The same view photographed at two visits, for the report's progress page.
#[derive(Debug, Clone, Copy)]
pub struct ProgressPhotos<'a> {
    /// The view's name (front, top, …).
    pub view: &'a str,
    /// The earlier photo.
    pub earlier: &'a RgbImage,
    /// The day the earlier photo was taken, when known.
    pub earlier_date: Option<CivilDate>,
    /// The later photo, already lined up in the earlier one's frame.
    pub later: &'a RgbImage,
    /// The day the later photo was taken, when known.
    pub later_date: Option<CivilDate>,
    /// How the later photo was lined up.
    pub lined_up_by: LinedUpBy,
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
    /// Photos of one view from two visits, shown side by side; none leaves the page out.
    pub progress: Option<ProgressPhotos<'a>>,
}
