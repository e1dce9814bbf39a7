//! How figures are written for people (quotes, plans, reports), in one place.

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

/// The symbol written before an amount of `currency` ("£" for GBP), or the code and a
/// space for currencies without a common symbol.
pub fn currency_prefix(currency: &str) -> String {
    match currency {
        "GBP" => "£".into(),
        "USD" => "$".into(),
        "EUR" => "€".into(),
        other => format!("{other} "),
    }
}

/// A money amount rounded to whole units, with the currency's symbol: "£1,850".
pub fn money(currency: &str, amount: f64) -> String {
    format!("{}{}", currency_prefix(currency), count(amount.round().max(0.0) as u64))
}

/// A money amount to the penny: "£3.50".
pub fn money_cents(currency: &str, amount: f64) -> String {
    format!("{}{:.2}", currency_prefix(currency), amount.max(0.0))
}

/// A range of money, one figure when both ends round alike: "£900", "£558 – £718".
pub fn money_range(currency: &str, min: f64, max: f64) -> String {
    let (a, b) = (money(currency, min), money(currency, max));
    if a == b { a } else { format!("{a} – {b}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(money("GBP", 1849.6), "£1,850");
        assert_eq!(money("CHF", 10.0), "CHF 10");
        assert_eq!(money_cents("GBP", 3.5), "£3.50");
        assert_eq!(money_range("GBP", 900.0, 900.2), "£900");
        assert_eq!(money_range("EUR", 558.0, 718.4), "€558 – €718");
    }
}
