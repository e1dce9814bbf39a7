//! Login throttling: after `MAX_FAILURES` failed logins for one e-mail or from one
//! address within `WINDOW`, further attempts are refused until the window has passed.
//! Kept in memory: a restart clears it, which an attacker can't trigger from outside.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per key inside the window.
pub const MAX_FAILURES: usize = 5;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed-login counters per key (e-mail, client address).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    /// `Err(wait)` when any key is over the limit.
    pub fn check(&self, keys: &[&str], now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().expect("throttle lock");
        let mut wait = None;
        for key in keys {
            if let Some(list) = map.get_mut(*key) {
                list.retain(|t| now.duration_since(*t) < WINDOW);
                if list.len() >= MAX_FAILURES {
                    let oldest = list[0];
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
        for _ in 0..MAX_FAILURES {
            assert!(t.check(&["a@x", "1.2.3.4"], t0).is_ok());
            t.fail(&["a@x", "1.2.3.4"], t0);
        }
        let wait = t.check(&["a@x"], t0 + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert!(t.check(&["b@x", "1.2.3.4"], t0).is_err(), "the address is blocked too");
        assert!(t.check(&["a@x"], t0 + WINDOW).is_ok());
    }
}
