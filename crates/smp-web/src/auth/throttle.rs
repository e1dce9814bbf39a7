//! Login throttling. From one address, `MAX_FAILURES` failed logins for an e-mail (or
//! `MAX_FAILURES_PER_ADDRESS` for any, as a clinic's tablets may share one) within
//! `WINDOW` block further attempts until the window has passed. Across addresses an
//! account is never locked, only slowed: after `MAX_FAILURES` failures each attempt
//! waits twice as long as the last, up to `MAX_ACCOUNT_DELAY`, so someone elsewhere
//! cannot lock a practitioner out and a guesser gets at most one try a minute.
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
/// Longest wait an account's failures impose on a login from another address.
pub const MAX_ACCOUNT_DELAY: Duration = Duration::from_secs(60);

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

    /// `Err(wait)` when a login for `email` from `addr` must wait: the pair or the address
    /// is blocked, or the account's backoff since its last failure has not passed.
    pub fn check_login(&self, email: &str, addr: &str, now: Instant) -> Result<(), Duration> {
        let pair = format!("{email} from {addr}");
        self.check(&[(pair.as_str(), MAX_FAILURES), (addr, MAX_FAILURES_PER_ADDRESS)], now)?;
        let mut map = self.failures.lock().expect("throttle lock");
        if let Some(list) = map.get_mut(email) {
            list.retain(|t| now.duration_since(*t) < WINDOW);
            if list.len() >= MAX_FAILURES {
                let doublings = (list.len() - MAX_FAILURES).min(16) as u32;
                let gap = Duration::from_secs(1 << doublings).min(MAX_ACCOUNT_DELAY);
                let since = now.duration_since(*list.last().expect("not empty"));
                if since < gap {
                    return Err(gap - since);
                }
            }
        }
        Ok(())
    }

    /// Counts a failed login for `email` from `addr`.
    pub fn fail_login(&self, email: &str, addr: &str, now: Instant) {
        let pair = format!("{email} from {addr}");
        self.fail(&[email, &pair, addr], now);
    }

    /// Clears the e-mail's counters after a successful login from `addr`.
    pub fn succeed_login(&self, email: &str, addr: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.remove(email);
        map.remove(&format!("{email} from {addr}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_address_cannot_lock_an_account_only_slow_it() {
        let t = Throttle::default();
        let t0 = Instant::now();
        // Five wrong passwords from the attacker's address.
        for i in 0..MAX_FAILURES {
            assert!(t.check_login("p@x", "6.6.6.6", t0 + Duration::from_secs(i as u64 * 5)).is_ok());
            t.fail_login("p@x", "6.6.6.6", t0 + Duration::from_secs(i as u64 * 5));
        }
        let last = t0 + Duration::from_secs((MAX_FAILURES as u64 - 1) * 5);
        // That address is blocked for the window…
        assert!(t.check_login("p@x", "6.6.6.6", last + Duration::from_secs(120)).is_err());
        // …while the practitioner at the clinic waits at most a second.
        assert_eq!(t.check_login("p@x", "10.0.0.5", last), Err(Duration::from_secs(1)));
        assert!(t.check_login("p@x", "10.0.0.5", last + Duration::from_secs(1)).is_ok());
        // Many addresses guessing: the wait doubles, capped at a minute.
        let mut now = last;
        for i in 0..40 {
            now += Duration::from_secs(61);
            t.fail_login("p@x", &format!("7.7.7.{i}"), now);
        }
        assert_eq!(t.check_login("p@x", "10.0.0.5", now), Err(MAX_ACCOUNT_DELAY));
        assert!(t.check_login("p@x", "10.0.0.5", now + MAX_ACCOUNT_DELAY).is_ok());
        t.succeed_login("p@x", "10.0.0.5");
        assert!(t.check_login("p@x", "10.0.0.5", now).is_ok());
    }

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
