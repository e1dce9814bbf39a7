//! How figures are written in the report, in one place so tests can find them.

/// A whole number with thousands separated by commas: 38412 → "38,412".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A money amount rounded to whole units, with the currency's symbol: "£1,850".
pub fn money(currency: &str, amount: f64) -> String {
    let n = count(amount.round().max(0.0) as u64);
    match currency {
        "GBP" => format!("£{n}"),
        "USD" => format!("${n}"),
        "EUR" => format!("€{n}"),
        other => format!("{other} {n}"),
    }
}

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
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(money("GBP", 1849.6), "£1,850");
        assert_eq!(money("CHF", 10.0), "CHF 10");
    }
}
