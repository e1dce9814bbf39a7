//! TOTP second factor (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), secrets in base32.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;
/// Codes accepted either side of now (clock drift between phone and server).
pub const SKEW_STEPS: u64 = 1;

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648, no padding) of `bytes`.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(B32[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Bytes of a base32 secret (spaces and case ignored).
pub fn unbase32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = B32.iter().position(|&x| x as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// A new random 160-bit secret, base32.
pub fn new_secret() -> String {
    let mut key = [0u8; 20];
    getrandom::fill(&mut key).expect("the operating system's random source failed");
    base32(&key)
}

/// The code of `key` at counter `step`, with `digits` digits (RFC 4226 truncation).
pub fn hotp(key: &[u8], step: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    bin % 10u32.pow(digits)
}

/// Whether `code` is the secret's current code (± [`SKEW_STEPS`]).
pub fn verify(secret_b32: &str, code: &str, unix_seconds: u64) -> bool {
    matched_step(secret_b32, code, unix_seconds).is_some()
}

/// The time step `code` belongs to, if it is valid at `unix_seconds`: a login remembers
/// it, so the same code cannot be used twice (RFC 6238 §5.2).
pub fn matched_step(secret_b32: &str, code: &str, unix_seconds: u64) -> Option<u64> {
    let key = unbase32(secret_b32)?;
    let code = code.trim().parse::<u32>().ok()?;
    let step = unix_seconds / STEP_SECONDS;
    (step.saturating_sub(SKEW_STEPS)..=step + SKEW_STEPS).find(|&s| hotp(&key, s, 6) == code)
}

/// The steps already used, per user: a code is accepted once, and never one older than
/// the last accepted.
#[derive(Default)]
pub struct UsedCodes(std::sync::Mutex<std::collections::HashMap<i64, u64>>);

impl UsedCodes {
    /// Whether `step` is newer than the user's last accepted one; if so it becomes it.
    pub fn accept(&self, user: i64, step: u64) -> bool {
        let mut used = self.0.lock().expect("used TOTP codes lock");
        match used.get(&user) {
            Some(&last) if step <= last => false,
            _ => {
                used.insert(user, step);
                true
            }
        }
    }
}

/// The `otpauth://` URI an authenticator app imports.
pub fn uri(secret_b32: &str, account: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'@' || b == b'.' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/SMP%20Studio:{}?secret={secret_b32}&issuer=SMP%20Studio",
        enc(account)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B test vectors (SHA-1, 8 digits, key "12345678901234567890").
    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        for (t, code) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(key, t / 30, 8), code, "T = {t}");
        }
    }

    #[test]
    fn base32_round_trips_and_verify_accepts_skew() {
        // RFC 4648 test vector.
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(unbase32("mzxw 6ytb oi").unwrap(), b"foobar");
        let secret = base32(b"12345678901234567890");
        let code = format!("{:06}", hotp(b"12345678901234567890", 1_000_000, 6));
        assert!(verify(&secret, &code, 1_000_000 * 30 + 5));
        assert!(verify(&secret, &code, 1_000_001 * 30 + 5), "one step late is accepted");
        assert!(!verify(&secret, &code, 1_000_003 * 30), "three steps late is not");
        assert!(!verify(&secret, "abc", 0));
    }
}
