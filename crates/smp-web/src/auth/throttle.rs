//! Login throttling: after `MAX_FAILURES` failed logins for one e-mail (or
//! `MAX_FAILURES_PER_ADDRESS` from one address, which a clinic's tablets may share)
//! within `WINDOW`, further attempts are refused until the window has passed.
//! Kept in memory: a restart clears it, which an attacker can't trigger from outside.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per account inside the window.
pub const MAX_FAILURES: usize = 5;
/// Failures allowed per client address inside the window.
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed-login counters per key (e-mail, client address).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    /// `Err(wait)` when any key has reached its limit of failures.
    pub fn check(&self, keys: &[(&str, usize)], now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().expect("throttle lock");
        let mut wait = None;
        for (key, limit) in keys {
            if let Some(list) = map.get_mut(*key) {
                list.retain(|t| now.duration_since(*t) < WINDOW);
                if list.len() >= *limit {
                    let oldest = list[list.len() - limit];
                    let w = WINDOW.saturating_sub(now.duration_since(oldest));
                    wait = Some(wait.map_or(w, |x: Duration| x.max(w)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    /// Counts a failure against every key.
    pub fn fail(&self, keys: &[&str], now: Instant) {
        let mut map = self.failures.lock().expect("throttle lock");
        for key in keys {
            map.entry(key.to_string()).or_default().push(now);
        }
    }

    /// Clears the e-mail's counter after a successful login.
    pub fn succeed(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_until_window_passes() {
        let t = Throttle::default();
        let t0 = Instant::now();
        let keys = [("a@x", MAX_FAILURES), ("1.2.3.4", MAX_FAILURES_PER_ADDRESS)];
        for _ in 0..MAX_FAILURES {
            assert!(t.check(&keys, t0).is_ok());
            t.fail(&["a@x", "1.2.3.4"], t0);
        }
        let wait = t.check(&keys, t0 + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert!(
            t.check(&[("b@x", MAX_FAILURES), ("1.2.3.4", MAX_FAILURES_PER_ADDRESS)], t0).is_ok(),
            "another account from the address"
        );
        for _ in MAX_FAILURES..MAX_FAILURES_PER_ADDRESS {
            t.fail(&["c@x", "1.2.3.4"], t0);
        }
        assert!(
            t.check(&[("b@x", MAX_FAILURES), ("1.2.3.4", MAX_FAILURES_PER_ADDRESS)], t0)
                .is_err(),
            "the address is blocked"
        );
        assert!(t.check(&keys, t0 + WINDOW).is_ok());
    }
}
