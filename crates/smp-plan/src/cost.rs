//! Cost: a clinic's price list (a JSON file) and the quote it gives for a plan.
//!
//! Price list format (all amounts in `currency`; see `data/prices-uk.json`):
//!
//! ```json
//! {"name": "…", "currency": "GBP",
//!  "basis": "session" | "cm2" | "hour",     // what `price` is per (hour = needle hour)
//!  "base_fee": 900,                        // per treatment: consultation, design (optional, 0)
//!  "price": {"min": 3.5, "max": 4.5},      // per session, per cm² or per needle hour
//!  "experience": {"tier": "experienced", "multiplier": 1.0},
//!  "location": {"name": "UK outside central London", "factor": 1.0},
//!  "touch_up": {"min": 300, "max": 600},   // per touch-up, not part of the treatment total
//!  "notes": "…"}                           // optional
//! ```
//!
//! quote = (base_fee + units × price) × experience multiplier × location factor, with
//! units the sessions, the treated cm² or the needle hours of the plan (the range of
//! needle hours gives the range of the quote on the hour basis).

use serde::{Deserialize, Serialize};

use crate::constants::TOUCH_UP_YEARS;
use crate::error::PlanError;
use crate::plan::Plan;
use crate::words::{count, money_cents};

/// The default UK price list, shipped with the crate.
pub const UK_DEFAULT_JSON: &str = include_str!("../data/prices-uk.json");

/// Largest multiplier or factor accepted: beyond ×5 a price list is surely mistyped.
const MAX_FACTOR: f64 = 5.0;

/// What a price is charged per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Per session.
    Session,
    /// Per treated cm².
    Cm2,
    /// Per hour of needle work.
    Hour,
}

/// A price range, in the list's currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest.
    pub min: f64,
    /// Highest.
    pub max: f64,
}

/// The practitioner's experience tier and its price multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    /// Tier name (e.g. trainee, experienced, senior).
    pub tier: String,
    /// Price multiplier.
    pub multiplier: f64,
}

/// The clinic's location and its price factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Location name.
    pub name: String,
    /// Price factor.
    pub factor: f64,
}

/// A clinic's price list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceList {
    /// Display name.
    pub name: String,
    /// Currency code (ISO 4217, e.g. GBP).
    pub currency: String,
    /// What `price` is per.
    pub basis: Basis,
    /// Fixed fee per treatment (consultation, design).
    #[serde(default)]
    pub base_fee: f64,
    /// Price per basis unit.
    pub price: Range,
    /// Experience tier.
    pub experience: Experience,
    /// Location factor.
    pub location: Location,
    /// Price of one touch-up.
    pub touch_up: Range,
    /// Free text.
    #[serde(default)]
    pub notes: String,
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// What the line is.
    pub item: String,
    /// Lowest amount.
    pub min: f64,
    /// Highest amount.
    pub max: f64,
    /// Whether the amount is part of the quote's total.
    pub included: bool,
}

/// A quote for a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Currency code.
    pub currency: String,
    /// Lowest total, whole currency units.
    pub min: f64,
    /// Highest total, whole currency units.
    pub max: f64,
    /// How the total is made up (touch-ups listed, not included).
    pub breakdown: Vec<Line>,
    /// What drives the price: extent, experience, location.
    pub drivers: Vec<String>,
    /// Price of one touch-up.
    pub touch_up: Range,
}

fn check_range(r: Range, what: &str) -> Result<(), PlanError> {
    if !(r.min.is_finite() && r.max.is_finite() && r.min >= 0.0 && r.min <= r.max) {
        return Err(PlanError::BadInput(format!(
            "price list: {what} must have 0 ≤ min ≤ max (got {}–{})",
            r.min, r.max
        )));
    }
    Ok(())
}

fn check_factor(v: f64, what: &str) -> Result<(), PlanError> {
    if !(v.is_finite() && v > 0.0 && v <= MAX_FACTOR) {
        return Err(PlanError::BadInput(format!(
            "price list: {what} must be above 0 and at most {MAX_FACTOR} (got {v})"
        )));
    }
    Ok(())
}

impl PriceList {
    /// Parse and check a price list.
    pub fn parse(text: &str) -> Result<Self, PlanError> {
        let p: PriceList = serde_json::from_str(text)
            .map_err(|e| PlanError::BadInput(format!("price list: {e} (see crates/smp-plan/data/prices-uk.json for the format)")))?;
        p.check()
    }

    /// Checks every value of a price list (a currency, ordered non-negative ranges,
    /// plausible factors).
    pub fn check(self) -> Result<Self, PlanError> {
        if self.currency.trim().is_empty() {
            return Err(PlanError::BadInput("price list: currency is empty (e.g. \"GBP\")".into()));
        }
        check_range(self.price, "price")?;
        check_range(self.touch_up, "touch_up")?;
        check_range(
            Range {
                min: self.base_fee,
                max: self.base_fee,
            },
            "base_fee",
        )?;
        check_factor(self.experience.multiplier, "experience.multiplier")?;
        check_factor(self.location.factor, "location.factor")?;
        Ok(self)
    }

    /// Read a price list file.
    pub fn load(path: &std::path::Path) -> Result<Self, PlanError> {
        let text = std::fs::read_to_string(path).map_err(|source| PlanError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text).map_err(|e| PlanError::BadInput(format!("{}: {e}", path.display())))
    }

    /// The shipped UK list.
    pub fn uk_default() -> Self {
        Self::parse(UK_DEFAULT_JSON).expect("the shipped price list is valid")
    }

    /// The quote for `plan`.
    pub fn quote(&self, plan: &Plan) -> Quote {
        let (m_lo, m_hi) = plan.total_minutes();
        let n = plan.sessions.len();
        let (units_lo, units_hi, what) = match self.basis {
            Basis::Session => (n as f64, n as f64, format!("{n} sessions")),
            Basis::Cm2 => (plan.area_cm2, plan.area_cm2, format!("{:.1} cm²", plan.area_cm2)),
            Basis::Hour => (
                m_lo / 60.0,
                m_hi / 60.0,
                format!("{:.1}–{:.1} needle hours", m_lo / 60.0, m_hi / 60.0),
            ),
        };
        let work = (units_lo * self.price.min, units_hi * self.price.max);
        let sub = (self.base_fee + work.0, self.base_fee + work.1);
        let exp = (
            sub.0 * (self.experience.multiplier - 1.0),
            sub.1 * (self.experience.multiplier - 1.0),
        );
        let after_exp = (sub.0 + exp.0, sub.1 + exp.1);
        let loc = (
            after_exp.0 * (self.location.factor - 1.0),
            after_exp.1 * (self.location.factor - 1.0),
        );
        let total = (after_exp.0 + loc.0, after_exp.1 + loc.1);
        let drivers = vec![
            format!(
                "extent: {:.0} cm² treated in {n} sessions, {} impressions — the larger the hair loss, the higher the price",
                plan.area_cm2,
                count(plan.impressions as u64)
            ),
            format!(
                "experience: {} practitioner, ×{:.2} — skill and experience matter more than price",
                self.experience.tier, self.experience.multiplier
            ),
            format!("location: {}, ×{:.2}", self.location.name, self.location.factor),
        ];
        Quote {
            currency: self.currency.clone(),
            min: total.0.floor(),
            max: total.1.ceil(),
            breakdown: self.breakdown(&what, [work, exp, loc]),
            drivers,
            touch_up: self.touch_up,
        }
    }

    /// The quote's lines: the base fee, the work on `what` and the experience's and the
    /// location's surcharges (`[work, exp, loc]`, each min and max), and a touch-up.
    fn breakdown(&self, what: &str, [work, exp, loc]: [(f64, f64); 3]) -> Vec<Line> {
        let per = match self.basis {
            Basis::Session => "session",
            Basis::Cm2 => "cm²",
            Basis::Hour => "hour",
        };
        let c = &self.currency;
        let line = |item: String, (min, max): (f64, f64), included: bool| Line { item, min, max, included };
        let mut breakdown = Vec::new();
        if self.base_fee > 0.0 {
            breakdown.push(line(
                "Consultation and design (per treatment)".into(),
                (self.base_fee, self.base_fee),
                true,
            ));
        }
        breakdown.push(line(
            format!(
                "Treatment: {what} × {}–{} per {per}",
                money_cents(c, self.price.min),
                money_cents(c, self.price.max)
            ),
            work,
            true,
        ));
        breakdown.push(line(
            format!("Experience: {} (×{:.2})", self.experience.tier, self.experience.multiplier),
            exp,
            true,
        ));
        breakdown.push(line(
            format!("Location: {} (×{:.2})", self.location.name, self.location.factor),
            loc,
            true,
        ));
        breakdown.push(line(
            format!(
                "Touch-up, every {}–{} years (not included; per touch-up)",
                TOUCH_UP_YEARS.0, TOUCH_UP_YEARS.1
            ),
            (self.touch_up.min, self.touch_up.max),
            false,
        ));
        breakdown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::UK_FULL_TREATMENT_GBP;
    use crate::plan::PlanOptions;
    use smp_design::Pattern;

    fn plan(p: Pattern) -> Plan {
        let d = p.template().unwrap();
        Plan::new(&d, &smp_dots::generate(&d), &PlanOptions::default()).unwrap()
    }

    #[test]
    fn uk_default_puts_full_treatments_in_the_seed_band() {
        let prices = PriceList::uk_default();
        let (lo, hi) = UK_FULL_TREATMENT_GBP;
        for n in 5..=7 {
            let q = prices.quote(&plan(Pattern::Norwood(n)));
            assert_eq!(q.currency, "GBP");
            assert!(q.min >= lo && q.max <= hi && q.min < q.max, "norwood-{n}: {}–{}", q.min, q.max);
            let included: f64 = q.breakdown.iter().filter(|l| l.included).map(|l| l.min).sum();
            assert!((included - q.min).abs() < 1.0, "breakdown adds up: {included} vs {}", q.min);
            for d in ["extent", "experience", "location"] {
                assert!(q.drivers.iter().any(|x| x.starts_with(d)), "{d}");
            }
        }
    }

    #[test]
    fn bases_multipliers_and_bad_lists() {
        let p = plan(Pattern::Norwood(3));
        let mut list = PriceList::uk_default();
        list.basis = Basis::Session;
        list.base_fee = 0.0;
        list.price = Range { min: 500.0, max: 500.0 };
        list.experience.multiplier = 1.2;
        list.location.factor = 1.5;
        let q = list.quote(&p);
        assert_eq!((q.min, q.max), (2700.0, 2700.0));
        list.basis = Basis::Hour;
        list.experience.multiplier = 1.0;
        list.location.factor = 1.0;
        let q = list.quote(&p);
        let (a, b) = p.total_minutes();
        assert_eq!((q.min, q.max), ((a / 60.0 * 500.0).floor(), (b / 60.0 * 500.0).ceil()));
        let bad = UK_DEFAULT_JSON.replace("\"min\": 3.5", "\"min\": 9.5");
        assert!(PriceList::parse(&bad).unwrap_err().to_string().contains("min ≤ max"));
        let bad = UK_DEFAULT_JSON.replace("\"basis\": \"cm2\"", "\"basis\": \"dot\"");
        assert!(PriceList::parse(&bad).is_err());
        let bad = UK_DEFAULT_JSON.replace("\"factor\": 1.0", "\"factor\": 0");
        assert!(PriceList::parse(&bad).is_err());
    }
}
