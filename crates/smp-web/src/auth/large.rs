//! Large requests per login: each login may send a few large bodies (a design of many
//! points, a photo) in a burst and then a steady trickle, so one client sending
//! megabytes in a loop cannot take the cores from everyone else (issue 14's soak: a
//! loop of 1.5 MB polygons slowed other editors' dots from 0.2 to 5 s). Past the burst a
//! request is held until its turn (paced) rather than refused, so a clinic sending a
//! dozen photos at once sees them go through; past a few seconds of backlog it is
//! refused, after a pause of its own. A refusal answered at once lets a client in a loop
//! send megabytes as fast as the answers come (the soak's attacker sent ~800 MB/s of
//! refused polygons); held, it sends one per pause per connection. Kept in memory.

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

/// Longest a large request is held for its turn, seconds; with more backlog than this it
/// is refused after a pause this long.
pub const MAX_PACE_SECS: f64 = 4.0;

/// What a large request gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission {
    /// Within the burst: now.
    Now,
    /// Paced: after this many seconds.
    After(f64),
    /// Too much backlog: refused; the login's next turn comes in this many seconds.
    Refused(f64),
}

impl Admission {
    /// How long to hold the request before answering it, seconds.
    pub fn pause_secs(self) -> f64 {
        match self {
            Admission::Now => 0.0,
            Admission::After(s) => s,
            Admission::Refused(_) => MAX_PACE_SECS,
        }
    }
}

/// Logins not heard from for this long are forgotten.
const FORGET_AFTER_SECS: f64 = 600.0;

/// Buckets by login (session token) and kind.
#[derive(Debug, Default)]
pub struct LargeRequests {
    buckets: Mutex<HashMap<(String, bool), (f64, Instant)>>,
}

impl LargeRequests {
    /// Admits one more large body of its kind (`photo` or not) from `login` at `now`:
    /// at once within the burst, else at its turn (the turn is reserved), else refused.
    pub fn admit(&self, login: &str, photo: bool, now: Instant) -> Admission {
        let a = if photo { PHOTOS } else { FORMS };
        let mut b = self.buckets.lock().expect("large-request lock");
        if b.len() > 10_000 {
            b.retain(|_, (_, t)| now.duration_since(*t).as_secs_f64() < FORGET_AFTER_SECS);
        }
        let (tokens, last) = b.entry((login.to_string(), photo)).or_insert((a.burst, now));
        // Tokens below zero are turns already promised to held requests.
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * a.per_second).min(a.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Admission::Now;
        }
        let wait = (1.0 - *tokens) / a.per_second;
        if wait <= MAX_PACE_SECS {
            *tokens -= 1.0;
            Admission::After(wait)
        } else {
            Admission::Refused(wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_paced_turns_then_refusal_per_login() {
        let l = LargeRequests::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            assert_eq!(l.admit("a", false, t0), Admission::Now);
        }
        // Forms come one every two seconds past the burst: the next two are held for
        // their turns, the one after would wait 6 s and is refused.
        assert_eq!(l.admit("a", false, t0), Admission::After(2.0));
        assert_eq!(l.admit("a", false, t0), Admission::After(4.0));
        let refused = l.admit("a", false, t0);
        assert_eq!(refused, Admission::Refused(6.0));
        assert_eq!(refused.pause_secs(), MAX_PACE_SECS);
        // Another login, and photos, have their own buckets.
        assert_eq!(l.admit("b", false, t0), Admission::Now);
        assert_eq!(l.admit("a", true, t0), Admission::Now);
        // Six seconds on, the two promised turns have passed and one more has come.
        let later = t0 + Duration::from_secs(6);
        assert_eq!(l.admit("a", false, later), Admission::Now);
        assert_eq!(l.admit("a", false, later), Admission::After(2.0));
        assert_eq!(l.admit("a", false, later + Duration::from_secs(10)), Admission::Now);
    }
}
