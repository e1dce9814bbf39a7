//! Fuzzing the design parser for a fixed time (`SMP_FUZZ_SECONDS`, 20 s by default):
//! mutated valid designs, designs with values swapped for hostile JSON, and random
//! bytes. The parser must never panic, and every refusal names what was wrong.
//! Run by `scripts/fuzz.sh` (ignored in the quick suite).

#[path = "support/mutate.rs"]
mod mutate;

use mutate::{Rng, budget, mutate};
use smp_design::{Design, Pattern};

/// Hostile JSON values put in place of a field's value.
const HOSTILE: [&str; 12] = [
    "null",
    "-1e308",
    "1e999",
    "\"NaN\"",
    "[]",
    "{}",
    "true",
    "-0",
    "\"\"",
    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
    "18446744073709551616",
    "\"\\u0000\"",
];

/// `text` with the value after its `k`-th colon replaced by a hostile one.
fn swap_value(rng: &mut Rng, text: &str) -> String {
    let colons: Vec<usize> = text.match_indices(':').map(|(i, _)| i).collect();
    if colons.is_empty() {
        return text.to_string();
    }
    let at = colons[rng.below(colons.len())] + 1;
    let end = text[at..].find([',', '}', ']']).map_or(text.len(), |e| at + e);
    format!("{}{}{}", &text[..at], HOSTILE[rng.below(HOSTILE.len())], &text[end..])
}

#[test]
#[ignore = "fuzzing runs for a fixed time: scripts/fuzz.sh"]
fn the_design_parser_never_panics() {
    let seeds: Vec<String> = [Pattern::Norwood(3), Pattern::Norwood(6), Pattern::Ludwig(2), Pattern::FutScar]
        .iter()
        .map(|p| p.template().unwrap().to_json())
        .collect();
    let mut rng = Rng(0x5eed_0001);
    let (start, mut cases, mut accepted) = (std::time::Instant::now(), 0u64, 0u64);
    while start.elapsed() < budget() {
        let seed = &seeds[rng.below(seeds.len())];
        let input: Vec<u8> = match rng.below(3) {
            0 => swap_value(&mut rng, seed).into_bytes(),
            1 => {
                let swapped = swap_value(&mut rng, seed);
                mutate(&mut rng, swapped.as_bytes())
            }
            _ => mutate(&mut rng, seed.as_bytes()),
        };
        let text = String::from_utf8_lossy(&input).into_owned();
        match std::panic::catch_unwind(|| Design::parse(&text)) {
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(e)) => assert!(!e.to_string().trim().is_empty(), "an empty error for {text}"),
            Err(_) => panic!("the parser panicked on case {cases}: {text}"),
        }
        cases += 1;
    }
    println!(
        "design parser: {cases} cases in {:.0} s, {accepted} accepted, 0 panics",
        start.elapsed().as_secs_f64()
    );
    assert!(cases > 100, "too few cases ran");
}
