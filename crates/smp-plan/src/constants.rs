//! Clinical constants of the plan stage, each with its source (see `shared/domain.md`).
//! No other module of this crate holds a clinical number.

/// Default needle rate, impressions per minute of needle work. Derived, not measured in a
/// study (domain.md "The procedure"): a full head of ~30 000–50 000 impressions over
/// ~10–12 hours of needle work is ≈ 40–80 per minute; a practitioner setting.
pub const DEFAULT_RATE_PER_MIN: f64 = 60.0;
/// Slowest rate of the derived range, impressions/min (domain.md: ≈ 40–80).
pub const RATE_MIN_PER_MIN: f64 = 40.0;
/// Fastest rate of the derived range, impressions/min (domain.md: ≈ 40–80).
pub const RATE_MAX_PER_MIN: f64 = 80.0;
/// Lowest and highest rate a practitioner may set, impressions/min: outside this no
/// hand-held SMP session is plausible (sanity limit, not a clinical figure).
pub const RATE_LIMITS_PER_MIN: (f64, f64) = (5.0, 400.0);

/// Usual days between sessions (practice, domain.md: 10–14 days; the healed surface is
/// reached around day 7, so the next layer goes on healed skin).
pub const DEFAULT_SPACING_DAYS: (u32, u32) = (10, 14);
/// Spacing used for the dated schedule when none is given: the middle of 10–14 days.
pub const DEFAULT_SPACING_DAY: u32 = 12;
/// Allowed days between sessions (domain.md "The procedure": 7–30 days apart).
pub const SPACING_LIMITS_DAYS: (u32, u32) = (7, 30);

/// Touch-ups every 3–5 years (clinic practice, domain.md "Healing and ageing").
pub const TOUCH_UP_YEARS: (u32, u32) = (3, 5);

/// Hours per session in practice (domain.md: each session 2–5 hours), for comparison
/// with the needle time computed from the impressions.
pub const SESSION_HOURS: (f64, f64) = (2.0, 5.0);

/// The seed's UK price band for a full treatment, GBP (domain.md "Cost and alternatives":
/// £1500–£3500, depending on extent, practitioner experience and clinic location).
pub const UK_FULL_TREATMENT_GBP: (f64, f64) = (1500.0, 3500.0);

/// Published SMP removal experience: laser removal of undesired SMP in 1–3 sessions (the
/// seed, domain.md "Removal").
pub const SMP_REMOVAL_SESSIONS: (u32, u32) = (1, 3);
/// Uncertainty of the Kirby-Desai estimate, sessions (Kirby, Desai & Desai 2009, J Clin
/// Aesthet Dermatol 2(3):32–37: the score estimates the session count ± about 2.5).
pub const KIRBY_DESAI_UNCERTAINTY: f64 = 2.5;
