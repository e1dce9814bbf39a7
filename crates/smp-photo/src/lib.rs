//! SMP Studio photo stage: decode the client's photo with explicit limits, relate it to
//! the head through a calibrated view, and read what it shows: the labels (skin, bald,
//! thinning, haired scalp, scar) and the scalp mask, the client's skin and hair colours, the stubble, and the pigment that matches them.

pub mod analyze;
pub mod camera;
pub mod card;
pub mod chart;
pub mod checks;
pub mod constants;
pub mod decode;
pub mod encode;
pub mod fit;
pub mod labels;
pub mod mask;
pub mod matching;
pub mod pupils;
pub mod region_colour;
pub mod sample;
pub mod stubble;
pub mod view;
