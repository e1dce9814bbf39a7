//! A small least-recently-used cache with a count and a weight budget, shared by the
//! server's caches (decoded photos by hash, impressions by design): both hold a few
//! large values that are pure functions of their key.

use std::sync::{Arc, Mutex};

/// Values by key, the most recently used last; kept within `entries` values and
/// `budget` units of weight (bytes, say), where `weigh` gives a value's weight.
pub struct RecentCache<V> {
    items: Mutex<Vec<(String, Arc<V>)>>,
    entries: usize,
    budget: usize,
    weigh: fn(&V) -> usize,
}

impl<V> RecentCache<V> {
    /// An empty cache of at most `entries` values weighing `budget` in all.
    pub fn new(entries: usize, budget: usize, weigh: fn(&V) -> usize) -> Self {
        RecentCache {
            items: Mutex::new(Vec::new()),
            entries,
            budget,
            weigh,
        }
    }

    /// The value kept under `key`, now the most recently used.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let mut items = self.items.lock().expect("cache lock");
        let i = items.iter().position(|(k, _)| k == key)?;
        let hit = items.remove(i);
        let v = hit.1.clone();
        items.push(hit);
        Some(v)
    }

    /// Keeps `value` under `key`, evicting the least recently used to stay within the
    /// budgets; a value over half the weight budget is not kept, so one huge value
    /// cannot empty the cache.
    pub fn put(&self, key: &str, value: Arc<V>) {
        let w = (self.weigh)(&value);
        if w > self.budget / 2 {
            return;
        }
        let mut items = self.items.lock().expect("cache lock");
        items.retain(|(k, _)| k != key);
        while !items.is_empty()
            && (items.len() >= self.entries || items.iter().map(|(_, v)| (self.weigh)(v)).sum::<usize>() + w > self.budget)
        {
            items.remove(0);
        }
        items.push((key.to_string(), value));
    }

    /// Drops the value under `key` (a photo's erasure).
    pub fn forget(&self, key: &str) {
        self.items.lock().expect("cache lock").retain(|(k, _)| k != key);
    }

    /// The value under `key`, made by `make` (outside the lock) when not kept.
    pub fn get_or_make(&self, key: &str, make: impl FnOnce() -> V) -> Arc<V> {
        if let Some(v) = self.get(key) {
            return v;
        }
        let v = Arc::new(make());
        self.put(key, v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::ptr_arg)] // the cache's weigh function takes its value type
    fn len(v: &Vec<u8>) -> usize {
        v.len()
    }

    #[test]
    fn evicts_the_least_recently_used_within_count_and_weight() {
        let c = RecentCache::new(3, 100, len);
        for k in ["a", "b", "c"] {
            c.put(k, Arc::new(vec![0; 10]));
        }
        assert!(c.get("a").is_some(), "a is now the most recent");
        c.put("d", Arc::new(vec![0; 10]));
        assert!(c.get("b").is_none(), "b was the least recently used");
        assert!(c.get("a").is_some() && c.get("c").is_some() && c.get("d").is_some());
        // By weight: with room for ten values, 45 + 45 + 10 > 100 evicts the oldest.
        let w = RecentCache::new(10, 100, len);
        w.put("x", Arc::new(vec![0; 10]));
        w.put("y", Arc::new(vec![0; 45]));
        w.put("z", Arc::new(vec![0; 45]));
        assert!(w.get("x").is_some(), "100 in all fits");
        w.put("v", Arc::new(vec![0; 10]));
        assert!(w.get("y").is_none(), "the least recently used went for the weight");
        assert!(w.get("z").is_some() && w.get("x").is_some() && w.get("v").is_some());
        c.put("e", Arc::new(vec![0; 45]));
        // Over half the budget: not kept, and nothing else lost for it.
        c.put("huge", Arc::new(vec![0; 51]));
        assert!(c.get("huge").is_none() && c.get("e").is_some());
        c.forget("e");
        assert!(c.get("e").is_none());
    }

    #[test]
    fn get_or_make_makes_once() {
        let c = RecentCache::new(2, usize::MAX, len);
        let mut made = 0;
        let a = c.get_or_make("k", || {
            made += 1;
            vec![1]
        });
        let b = c.get_or_make("k", || {
            made += 1;
            vec![2]
        });
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(made, 1);
    }
}
