//! The impressions of the last few designs: the editor asks for a design's dots and,
//! a moment later, for its preview, and both need the same impressions (the sampler is
//! most of a dot request's time).

use std::sync::{Arc, Mutex};

use smp_design::Design;
use smp_dots::Impressions;

/// Designs whose impressions are kept.
const ENTRIES: usize = 8;

/// Impressions by design (its JSON, compared whole: a pure function of it, so a hit is
/// exactly what sampling again would give, whoever asks).
#[derive(Default)]
pub struct ImpressionCache {
    entries: Mutex<Vec<(String, Arc<Impressions>)>>,
}

impl ImpressionCache {
    /// The impressions of `design`, sampled when not kept.
    pub fn of(&self, design: &Design) -> Arc<Impressions> {
        let key = design.to_json();
        {
            let mut e = self.entries.lock().expect("impression cache lock");
            if let Some(i) = e.iter().position(|(k, _)| *k == key) {
                let hit = e.remove(i);
                let imp = hit.1.clone();
                e.push(hit);
                return imp;
            }
        }
        let imp = Arc::new(smp_dots::generate(design));
        let mut e = self.entries.lock().expect("impression cache lock");
        if !e.iter().any(|(k, _)| *k == key) {
            if e.len() >= ENTRIES {
                e.remove(0);
            }
            e.push((key, imp.clone()));
        }
        imp
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
