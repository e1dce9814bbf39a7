//! Seeded input mutation for the fuzz tests of the parser, the photo decoders and the web
//! extractors (included by path into each crate's fuzz test).

#![allow(dead_code)]

/// A seeded xorshift stream: fuzz cases follow from the seed, so a failure can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `seed_input`: bytes flipped, a run deleted, duplicated or overwritten
/// with boundary values, the tail cut, or random bytes.
pub fn mutate(rng: &mut Rng, seed_input: &[u8]) -> Vec<u8> {
    let mut v = seed_input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let n = v.len().max(1);
        match rng.below(7) {
            0 => {
                let i = rng.below(n);
                if i < v.len() {
                    v[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(n);
                let len = rng.below(64).min(v.len().saturating_sub(i));
                v.drain(i..i + len);
            }
            2 => {
                let i = rng.below(n);
                let len = rng.below(64).min(v.len().saturating_sub(i));
                let run: Vec<u8> = v[i..i + len].to_vec();
                v.splice(i..i, run);
            }
            3 => {
                let i = rng.below(n);
                let edge: &[u8] = [
                    &[0xff, 0xff, 0xff, 0xff][..],
                    &[0, 0, 0, 0],
                    &[0x7f, 0xff, 0xff, 0xff],
                    &[0x80, 0, 0, 0],
                ][rng.below(4)];
                for (k, b) in edge.iter().enumerate() {
                    if let Some(x) = v.get_mut(i + k) {
                        *x = *b;
                    }
                }
            }
            4 => v.truncate(rng.below(n)),
            5 => {
                let i = rng.below(n);
                let junk: Vec<u8> = (0..rng.below(32)).map(|_| rng.next() as u8).collect();
                v.splice(i.min(v.len())..i.min(v.len()), junk);
            }
            _ => v = (0..rng.below(256)).map(|_| rng.next() as u8).collect(),
        }
    }
    v
}

/// Seconds each fuzz target runs (`SMP_FUZZ_SECONDS`, 20 by default).
pub fn budget() -> std::time::Duration {
    std::time::Duration::from_secs(std::env::var("SMP_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20))
}
