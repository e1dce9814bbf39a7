//! SMP Studio preview: decode the client's photo with explicit limits, place the design
//! on it through a calibrated view, and render fresh, healed and aged SMP by a physical
//! model of pigment in skin; plus synthetic heads for demos, tests and benchmarks.

pub mod label;
pub mod mask;
pub mod matching;
pub mod photo;
pub mod preview;
pub mod render;
pub mod sample;
pub mod state;
pub mod stubble;
pub mod synth;
pub mod view;
