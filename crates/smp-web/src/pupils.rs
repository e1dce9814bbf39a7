//! Calibration by the pupils: the clicked centres moved to the dark pupil discs, and the
//! interpupillary distance (measured, or the adult mean with its stated uncertainty).

use image::RgbImage;
use serde::Serialize;
use smp_photo::constants::{ASSUMED_IPD_ERROR, MEAN_IPD_MM};
use smp_photo::pupils::refine_pupils;

use crate::engine::KnownDistance;
use crate::error::{AppError, AppResult};

/// Plausible adult interpupillary distances, mm (a typed value outside is a typo).
const IPD_RANGE_MM: (f64, f64) = (45.0, 80.0);

/// What the pupils gave, for the editor.
#[derive(Debug, Serialize)]
pub struct PupilsJson {
    /// The refined pupil centres, px.
    pub centres_px: [[f64; 2]; 2],
    /// The distance used, mm.
    pub ipd_mm: f64,
    /// Whether it is the population mean rather than the client's measured one.
    pub assumed: bool,
    /// What the practitioner should know about the scale, in plain words.
    pub note: String,
}

/// The pupils clicked at `clicks_px` on `photo` as a known distance.
pub fn known_distance(photo: &RgbImage, clicks_px: [[f64; 2]; 2], ipd_mm: Option<f64>) -> AppResult<(KnownDistance, PupilsJson)> {
    if let Some(d) = ipd_mm
        && !(d.is_finite() && (IPD_RANGE_MM.0..=IPD_RANGE_MM.1).contains(&d))
    {
        return Err(AppError::field(
            "ipd_mm",
            format!(
                "{d} mm between the pupils is not an adult's ({}–{} mm); check the measurement or leave it empty to assume {MEAN_IPD_MM} mm",
                IPD_RANGE_MM.0, IPD_RANGE_MM.1
            ),
        ));
    }
    let [a, b] = refine_pupils(photo, [(clicks_px[0][0], clicks_px[0][1]), (clicks_px[1][0], clicks_px[1][1])])
        .map_err(|e| AppError::field("pupils_px", plain(&e)))?;
    let centres_px = [[a.centre_px.0, a.centre_px.1], [b.centre_px.0, b.centre_px.1]];
    let distance_mm = ipd_mm.unwrap_or(MEAN_IPD_MM);
    let note = match ipd_mm {
        Some(d) => format!("Scale from the client's measured {d} mm between the pupils."),
        None => format!(
            "Scale from an assumed {MEAN_IPD_MM} mm between the pupils, the adult average: for a given person it can be off by about {:.0} %, and every size in the design with it. Measure the distance between the client's pupils and type it in, or use a calibration card, for an exact scale.",
            ASSUMED_IPD_ERROR * 100.0
        ),
    };
    Ok((
        KnownDistance {
            p1_px: centres_px[0],
            p2_px: centres_px[1],
            distance_mm,
        },
        PupilsJson {
            centres_px,
            ipd_mm: distance_mm,
            assumed: ipd_mm.is_none(),
            note,
        },
    ))
}

/// The library's message without pixel coordinates, which mean nothing to a practitioner.
fn plain(e: &str) -> String {
    if e.starts_with("no dark pupil") {
        "no pupil was found where you clicked: on a front photo with the eyes open, click the centre of each pupil".into()
    } else if e.contains("outside") {
        "a click is outside the photo: click the centre of each pupil".into()
    } else {
        e.to_string()
    }
}
