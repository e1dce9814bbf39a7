//! How figures are written in the report, in one place so tests can find them.

pub use smp_plan::words::{count, money, money_range};

/// A Fitzpatrick type as a roman numeral, "?" outside 1–6.
pub fn roman(n: u8) -> &'static str {
    ["?", "I", "II", "III", "IV", "V", "VI"].get(usize::from(n)).copied().unwrap_or("?")
}

/// A CIELAB colour for reading: "L* 22.0, a* 4.0, b* 5.0".
pub fn lab(l: [f64; 3]) -> String {
    format!("L* {:.1}, a* {:.1}, b* {:.1}", l[0], l[1], l[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_for_skin_types() {
        assert_eq!(roman(3), "III");
        assert_eq!(roman(9), "?");
    }
}
