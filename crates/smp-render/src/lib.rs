//! SMP Studio preview: render fresh, healed and aged SMP on the client's photo by a
//! physical model of pigment in skin, seen through the photo's own camera.

mod disk;
mod grain;
pub mod label;
pub mod preview;
pub mod render;
pub mod state;
