//! The impressions of the last few designs: the editor asks for a design's dots and,
//! a moment later, for its preview, and both need the same impressions (the sampler is
//! most of a dot request's time).

use std::sync::Arc;

use smp_design::Design;
use smp_dots::Impressions;

use super::recent::RecentCache;

/// Designs whose impressions are kept.
const ENTRIES: usize = 8;

/// Impressions by design (its JSON, compared whole: a pure function of it, so a hit is
/// exactly what sampling again would give, whoever asks).
pub struct ImpressionCache(RecentCache<Impressions>);

impl Default for ImpressionCache {
    fn default() -> Self {
        // Counted by entries only: a 50k-dot design's impressions are a few MB.
        ImpressionCache(RecentCache::new(ENTRIES, usize::MAX, |_| 0))
    }
}

impl ImpressionCache {
    /// The impressions of `design`, sampled when not kept.
    pub fn of(&self, design: &Design) -> Arc<Impressions> {
        self.0.get_or_make(&design.to_json(), || smp_dots::generate(design))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_design_reuses_its_impressions_and_another_does_not() {
        let cache = ImpressionCache::default();
        let a = smp_design::Pattern::Norwood(3).template().unwrap();
        let first = cache.of(&a);
        // Parsed again from its file, the same design is the same key.
        let again = Design::parse(&a.to_json()).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.of(&again)));
        assert_eq!(first.dots, smp_dots::generate(&a).dots);
        let b = smp_design::Pattern::Norwood(5).template().unwrap();
        assert!(!Arc::ptr_eq(&first, &cache.of(&b)));
        assert_eq!(cache.of(&b).dots, smp_dots::generate(&b).dots);
    }
}
