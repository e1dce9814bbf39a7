//! Clinical and layout constants of the report, each with its basis.

use smp_plan::removal::{Amount, Colors, Layering, Location, Scarring};

/// The aged preview shows the result after this many years: the middle of the 3–5 year
/// touch-up interval (clinic practice, domain.md), when fading is most visible.
pub const AGED_YEARS: u32 = 5;

/// SMP scored on the Kirby-Desai scale (Kirby, Desai & Desai 2009): on the head, one
/// colour (diluted carbon black), a minimal amount of professionally placed ink. SMP's
/// sessions are not the scale's layering (a tattoo covered by another; domain.md).
pub const SMP_LOCATION: Location = Location::HeadNeck;
/// See [`SMP_LOCATION`].
pub const SMP_COLORS: Colors = Colors::Black;
/// See [`SMP_LOCATION`].
pub const SMP_AMOUNT: Amount = Amount::Minimal;
/// See [`SMP_LOCATION`].
pub const SMP_LAYERING: Layering = Layering::None;
/// Scarring of the scalp from the SMP itself: none expected at upper-dermis depth.
pub const SMP_SCARRING: Scarring = Scarring::None;

/// Previews are rendered on the photo scaled to at most this width: the interactive
/// preview's size, where dots still cover several pixels' worth of skin optics and a
/// render takes tens of milliseconds (smp-render's bench).
pub const RENDER_WIDTH_PX: u32 = 1600;

/// Width of each preview embedded in the PDF: two side by side fill the A4 text width at
/// about 190 dpi, sharp in print while keeping the PDF small.
pub const PREVIEW_WIDTH_PX: u32 = 640;

/// JPEG quality of the previews: 85 keeps skin texture and dots free of visible
/// artefacts at print size.
pub const JPEG_QUALITY: u8 = 85;
