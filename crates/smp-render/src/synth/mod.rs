//! Synthetic heads (being written).
