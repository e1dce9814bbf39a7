//! A clinic's own planning settings: its price list (currency, basis, fees), its needle
//! rate and the days between sessions. Stored per clinic as JSON; a clinic that has set
//! none plans with the shipped UK list, 60 impressions a minute and 12 days apart.

use serde::{Deserialize, Serialize};

use crate::constants::{
    DEFAULT_RATE_PER_MIN, DEFAULT_SPACING_DAY, DEFAULT_SPACING_DAYS, RATE_MAX_PER_MIN, RATE_MIN_PER_MIN, SPACING_LIMITS_DAYS,
};
use crate::cost::PriceList;
use crate::date::CivilDate;
use crate::error::PlanError;
use crate::plan::{PlanOptions, RateRange};

/// How a clinic plans and prices treatments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// The clinic's price list.
    pub prices: PriceList,
    /// Typical needle rate, impressions per minute.
    pub rate_per_min: f64,
    /// Days between sessions.
    pub spacing_days: u32,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            prices: PriceList::uk_default(),
            rate_per_min: DEFAULT_RATE_PER_MIN,
            spacing_days: DEFAULT_SPACING_DAY,
        }
    }
}

impl PlanSettings {
    /// Checks every value (the price list's own rules, a rate and a spacing in range).
    pub fn check(self) -> Result<PlanSettings, PlanError> {
        let prices = self.prices.check()?;
        if !(RATE_MIN_PER_MIN..=RATE_MAX_PER_MIN).contains(&self.rate_per_min) {
            return Err(PlanError::BadInput(format!(
                "a needle rate of {} impressions a minute is outside what practitioners work at ({RATE_MIN_PER_MIN}–{RATE_MAX_PER_MIN})",
                self.rate_per_min
            )));
        }
        let (lo, hi) = SPACING_LIMITS_DAYS;
        if !(lo..=hi).contains(&self.spacing_days) {
            return Err(PlanError::BadInput(format!(
                "{} days between sessions is outside {lo}–{hi} (the skin needs about {}–{} days to heal between sessions)",
                self.spacing_days, DEFAULT_SPACING_DAYS.0, DEFAULT_SPACING_DAYS.1
            )));
        }
        Ok(PlanSettings {
            prices,
            rate_per_min: self.rate_per_min,
            spacing_days: self.spacing_days,
        })
    }

    /// Stored settings, or the defaults when the clinic has set none.
    pub fn parse(stored: Option<&str>) -> Result<PlanSettings, PlanError> {
        match stored {
            None => Ok(PlanSettings::default()),
            Some(text) => serde_json::from_str::<PlanSettings>(text)
                .map_err(|e| PlanError::BadInput(format!("the clinic's plan settings: {e}")))?
                .check(),
        }
    }

    /// The settings as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plan settings serialise")
    }

    /// The options of a plan with these settings, starting on `start` when given.
    pub fn options(&self, start: Option<CivilDate>) -> Result<PlanOptions, PlanError> {
        Ok(PlanOptions {
            rate: RateRange::around(self.rate_per_min)?,
            spacing_days: self.spacing_days,
            start,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Basis;

    #[test]
    fn defaults_round_trip_and_bad_values_are_named() {
        let d = PlanSettings::default();
        assert_eq!(PlanSettings::parse(Some(&d.to_json())).unwrap(), d);
        assert_eq!(PlanSettings::parse(None).unwrap(), d);
        let mut eur = d.clone();
        eur.prices.currency = "EUR".into();
        eur.prices.basis = Basis::Session;
        assert_eq!(
            PlanSettings::parse(Some(&eur.clone().check().unwrap().to_json()))
                .unwrap()
                .prices
                .currency,
            "EUR"
        );
        let mut bad = d.clone();
        bad.prices.price.min = 9.0;
        bad.prices.price.max = 3.0;
        assert!(bad.check().unwrap_err().to_string().contains("price"));
        let slow = PlanSettings {
            rate_per_min: 1.0,
            ..d.clone()
        };
        assert!(slow.check().unwrap_err().to_string().contains("needle rate"));
        let soon = PlanSettings { spacing_days: 2, ..d };
        assert!(soon.check().unwrap_err().to_string().contains("days between sessions"));
    }
}
