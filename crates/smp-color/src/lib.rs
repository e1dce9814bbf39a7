//! SMP Studio colour science.
