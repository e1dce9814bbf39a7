//! Finding the pupils near where the user clicked: a front photo's two pupil centres
//! are a scale (the interpupillary distance, [`crate::constants::MEAN_IPD_MM`] on
//! average), so a click a few pixels off would be a few percent of scale error. Each
//! click is moved to the centre of the dark disc nearby: the pupil is the darkest round
//! patch of the eye, darker than any iris (blue to dark brown) and any skin.

use image::RgbImage;

use crate::constants::MEAN_IPD_MM;

/// How far from a click the pupil is looked for, mm.
pub const SEARCH_RADIUS_MM: f64 = 3.5;
/// Smallest search radius, pixels (a coarse photo still forgives a clumsy click).
const MIN_SEARCH_PX: f64 = 8.0;
/// Pupil radii tried, mm: 1–4 mm covers bright light to dim (2–8 mm across).
const PUPIL_RADIUS_MM: (f64, f64) = (0.9, 4.0);
/// Least darkness of the disc against its ring (fraction of the ring's brightness).
const MIN_CONTRAST: f64 = 0.15;

/// A pupil found near a click.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pupil {
    /// Centre, pixels (x, y).
    pub centre_px: (f64, f64),
    /// Radius of the dark disc (of its area), pixels.
    pub radius_px: f64,
    /// How much darker the disc is than the ring around it, 0..1.
    pub contrast: f64,
}

/// Pixel offsets of a disc or a ring.
type Offsets = Vec<(i64, i64)>;

/// The photo's luminance, 0..255 per pixel.
struct Luma<'a> {
    img: &'a RgbImage,
}

impl Luma<'_> {
    fn at(&self, x: i64, y: i64) -> f64 {
        let (w, h) = (self.img.width() as i64, self.img.height() as i64);
        let p = self.img.get_pixel(x.clamp(0, w - 1) as u32, y.clamp(0, h - 1) as u32);
        0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2])
    }
}

/// Move a click to the centre of the pupil near it, `px_per_mm` being the photo's rough
/// scale (from the two clicks and the mean IPD when nothing better is known).
///
/// Errors: no dark disc near the click (the message gives the click).
pub fn refine_pupil(img: &RgbImage, click_px: (f64, f64), px_per_mm: f64) -> Result<Pupil, String> {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    if !(click_px.0 >= 0.0 && click_px.1 >= 0.0 && click_px.0 < w && click_px.1 < h) {
        return Err(format!(
            "the pupil click {:.0},{:.0} is outside the {w}×{h} photo",
            click_px.0, click_px.1
        ));
    }
    let search = (SEARCH_RADIUS_MM * px_per_mm).max(MIN_SEARCH_PX);
    let (r_lo, r_hi) = ((PUPIL_RADIUS_MM.0 * px_per_mm).max(1.5), (PUPIL_RADIUS_MM.1 * px_per_mm).max(2.5));
    let radii: Vec<f64> = {
        let mut v = Vec::new();
        let mut r = r_lo;
        while r <= r_hi {
            v.push(r);
            r = (r * 1.12).max(r + 0.5);
        }
        v
    };
    // Luminance of the window once: centres within `search`, discs and rings around them.
    let (cx, cy) = (click_px.0.round() as i64, click_px.1.round() as i64);
    let win = Window::new(&Luma { img }, (cx, cy), (search + 1.8 * r_hi).ceil() as i64 + 1);
    let shapes: Vec<(Offsets, Offsets)> = radii.iter().map(|&r| disc_and_ring(r)).collect();
    let best = darkest_disc(&win, &shapes, search).ok_or_else(|| no_pupil(click_px))?;
    let contrast = (best.ring - best.disc) / best.ring.max(1.0);
    if contrast < MIN_CONTRAST {
        return Err(no_pupil(click_px));
    }
    let ((fx, fy), radius) = dark_centroid(&win, &shapes[best.k].0, &best, radii[best.k]);
    Ok(Pupil {
        centre_px: (cx as f64 + fx + 0.5, cy as f64 + fy + 0.5),
        radius_px: radius,
        contrast,
    })
}

/// The luminance of a square window around a click, by offset from the click.
struct Window {
    v: Vec<f64>,
    /// How far the window reaches from the click, pixels.
    reach: i64,
    side: i64,
}

impl Window {
    fn new(luma: &Luma, (cx, cy): (i64, i64), reach: i64) -> Self {
        let side = 2 * reach + 1;
        let v = (0..side * side)
            .map(|k| luma.at(cx - reach + k % side, cy - reach + k / side))
            .collect();
        Window { v, reach, side }
    }

    fn at(&self, dx: i64, dy: i64) -> f64 {
        self.v[((dy + self.reach) * self.side + dx + self.reach) as usize]
    }
}

/// The offsets of a disc of radius `r` and of the ring from 1.2 to 1.7 `r` around it.
fn disc_and_ring(r: f64) -> (Offsets, Offsets) {
    let (mut disc, mut ring) = (Vec::new(), Vec::new());
    let outer = 1.7 * r;
    let n = outer.ceil() as i64;
    for dy in -n..=n {
        for dx in -n..=n {
            let d = ((dx * dx + dy * dy) as f64).sqrt();
            if d <= r {
                disc.push((dx, dy));
            } else if d >= 1.2 * r && d <= outer {
                ring.push((dx, dy));
            }
        }
    }
    (disc, ring)
}

/// The best candidate for the pupil: a disc of one of the `shapes` centred at `(ox, oy)`
/// from the click, with the mean luminance of the disc and of its ring.
struct Candidate {
    ox: i64,
    oy: i64,
    k: usize,
    disc: f64,
    ring: f64,
}

/// The disc within `search` pixels of the click that is darkest against its ring and in
/// itself; `None` if there is no centre to try.
fn darkest_disc(win: &Window, shapes: &[(Offsets, Offsets)], search: f64) -> Option<Candidate> {
    let s = search.ceil() as i64;
    let mut best: Option<(f64, Candidate)> = None;
    for oy in -s..=s {
        for ox in -s..=s {
            if ((ox * ox + oy * oy) as f64).sqrt() > search {
                continue;
            }
            for (k, (disc, ring)) in shapes.iter().enumerate() {
                let dm = disc.iter().map(|&(dx, dy)| win.at(ox + dx, oy + dy)).sum::<f64>() / disc.len() as f64;
                let rm = ring.iter().map(|&(dx, dy)| win.at(ox + dx, oy + dy)).sum::<f64>() / ring.len() as f64;
                // Darker than its ring, and dark in itself: the pupil beats a dark iris
                // (its ring is the iris) and a lash line (thin: its disc is not dark).
                let score = (rm - dm) / rm.max(1.0) * (1.0 - dm / 255.0);
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((
                        score,
                        Candidate {
                            ox,
                            oy,
                            k,
                            disc: dm,
                            ring: rm,
                        },
                    ));
                }
            }
        }
    }
    best.map(|b| b.1)
}

/// The sub-pixel centre (offset from the click) and radius of the pupil found as
/// candidate `c`, of radius `r` and disc offsets `disc`: the dark region (below the
/// midpoint between disc and ring) grown from the darkest pixel of the disc, each row's
/// span filled (a pupil is convex; the catchlight is a bright hole in it), and its
/// centroid. Pixel (i, j) covers [i, i + 1): its centre is i + ½.
fn dark_centroid(win: &Window, disc: &Offsets, c: &Candidate, r: f64) -> ((f64, f64), f64) {
    let cut = 0.5 * (c.disc + c.ring);
    let (sx0, sy0) = disc
        .iter()
        .map(|&(dx, dy)| (c.ox + dx, c.oy + dy))
        .min_by(|a, b| win.at(a.0, a.1).total_cmp(&win.at(b.0, b.1)))
        .expect("a disc has pixels");
    // Grown within twice the pupil's radius of the centre so far, three times: a
    // candidate disc off the centre still collects the whole pupil.
    let (mut fx, mut fy, mut radius) = (c.ox as f64, c.oy as f64, r);
    for _ in 0..3 {
        let limit = (2.0 * radius).min(win.reach as f64 - 1.0);
        let mut rows: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
        let mut seen = std::collections::HashSet::from([(sx0, sy0)]);
        let mut stack = vec![(sx0, sy0)];
        while let Some((x, y)) = stack.pop() {
            let span = rows.entry(y).or_insert((x, x));
            *span = (span.0.min(x), span.1.max(x));
            for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] {
                let inside = (nx as f64 - fx).hypot(ny as f64 - fy) <= limit;
                if inside && win.at(nx, ny) < cut && seen.insert((nx, ny)) {
                    stack.push((nx, ny));
                }
            }
        }
        let (mut n, mut mx, mut my) = (0.0, 0.0, 0.0);
        for (&y, &(x0, x1)) in &rows {
            let len = (x1 - x0 + 1) as f64;
            n += len;
            mx += len * 0.5 * (x0 + x1) as f64;
            my += len * y as f64;
        }
        (fx, fy) = (mx / n, my / n);
        radius = radius.max((n / std::f64::consts::PI).sqrt());
    }
    ((fx, fy), radius)
}

fn no_pupil(click_px: (f64, f64)) -> String {
    format!(
        "no dark pupil found near {:.0},{:.0}: click the centre of each pupil on a front photo with the eyes open",
        click_px.0, click_px.1
    )
}

/// Refine two pupil clicks; the rough scale comes from their distance and the mean IPD.
///
/// Errors: a click with no pupil near it, or the two clicks on the same pupil.
pub fn refine_pupils(img: &RgbImage, clicks_px: [(f64, f64); 2]) -> Result<[Pupil; 2], String> {
    let d = (clicks_px[0].0 - clicks_px[1].0).hypot(clicks_px[0].1 - clicks_px[1].1);
    if d < 2.0 * MIN_SEARCH_PX {
        return Err("the two pupil clicks are on the same spot: click the centre of each pupil".into());
    }
    let ppm = d / MEAN_IPD_MM;
    let a = refine_pupil(img, clicks_px[0], ppm)?;
    let b = refine_pupil(img, clicks_px[1], ppm)?;
    let moved = (a.centre_px.0 - b.centre_px.0).hypot(a.centre_px.1 - b.centre_px.1);
    if moved < 2.0 * a.radius_px.max(b.radius_px) {
        return Err("both clicks found the same pupil: click the centre of each pupil".into());
    }
    Ok([a, b])
}

/// Distance between two pupil centres, pixels.
pub fn pupil_distance_px(p: &[Pupil; 2]) -> f64 {
    (p[0].centre_px.0 - p[1].centre_px.0).hypot(p[0].centre_px.1 - p[1].centre_px.1)
}
