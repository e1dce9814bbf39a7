//! Large requests per login: each login may send a few large bodies (a design of many
//! points, a photo) in a burst and then a steady trickle, so one client sending
//! megabytes in a loop cannot take the cores from everyone else (issue 14's soak: a
//! loop of 1.5 MB polygons slowed other editors' dots from 0.2 to 5 s). Kept in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Bodies from this size count as large, bytes: an editor's design is 5–50 KB.
pub const LARGE_BODY_BYTES: u64 = 512 << 10;

/// A token bucket: how many large requests a login may send at once, and per second after.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    /// Burst.
    pub burst: f64,
    /// Steady rate, per second.
    pub per_second: f64,
}

/// Large forms and JSON: a few, then one every two seconds.
pub const FORMS: Allowance = Allowance {
    burst: 4.0,
    per_second: 0.5,
};
/// Photo uploads: the six standard views of a visit at once, then one a second.
pub const PHOTOS: Allowance = Allowance {
    burst: 8.0,
    per_second: 1.0,
};

/// Logins not heard from for this long are forgotten.
const FORGET_AFTER_SECS: f64 = 600.0;

/// Buckets by login (session token) and kind.
#[derive(Debug, Default)]
pub struct LargeRequests {
    buckets: Mutex<HashMap<(String, bool), (f64, Instant)>>,
}

impl LargeRequests {
    /// Whether `login` may send one more large body of its kind (`photo` or not) now;
    /// `Err(seconds)` to wait when not.
    pub fn take(&self, login: &str, photo: bool, now: Instant) -> Result<(), f64> {
        let a = if photo { PHOTOS } else { FORMS };
        let mut b = self.buckets.lock().expect("large-request lock");
        if b.len() > 10_000 {
            b.retain(|_, (_, t)| now.duration_since(*t).as_secs_f64() < FORGET_AFTER_SECS);
        }
        let (tokens, last) = b.entry((login.to_string(), photo)).or_insert((a.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * a.per_second).min(a.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - *tokens) / a.per_second)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_a_trickle_per_login() {
        let l = LargeRequests::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(l.take("a", false, t0).is_ok());
        }
        let wait = l.take("a", false, t0).unwrap_err();
        assert!((wait - 2.0).abs() < 1e-9, "{wait}");
        // Another login, and photos, have their own buckets.
        assert!(l.take("b", false, t0).is_ok());
        assert!(l.take("a", true, t0).is_ok());
        // Two seconds later one more form is allowed.
        assert!(l.take("a", false, t0 + Duration::from_secs(2)).is_ok());
        assert!(l.take("a", false, t0 + Duration::from_secs(2)).is_err());
    }
}
