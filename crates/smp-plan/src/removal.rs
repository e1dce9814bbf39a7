//! Laser-removal estimate by the Kirby-Desai scale (Kirby, Desai & Desai 2009, J Clin
//! Aesthet Dermatol 2(3):32–37), with the published SMP removal experience next to it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::constants::{KIRBY_DESAI_UNCERTAINTY, SMP_REMOVAL_SESSIONS};
use crate::error::PlanError;

/// Declares a Kirby-Desai parameter: its options, their names and their points.
macro_rules! parameter {
    ($(#[$m:meta])* $name:ident, $what:literal { $($(#[$vm:meta])* $v:ident = $s:literal => $pts:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every option, from the fewest points to the most.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// Points on the Kirby-Desai scale.
            pub fn points(self) -> u32 {
                match self { $($name::$v => $pts),+ }
            }
            /// The name used on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok($name::$v),)+
                    _ => Err(format!(
                        "{s:?} is not a {}: use one of {}",
                        $what,
                        [$($s),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

parameter!(
    /// Where the tattoo is.
    Location, "location" {
        /// Head and neck.
        HeadNeck = "head-neck" => 1,
        /// Upper trunk.
        UpperTrunk = "upper-trunk" => 2,
        /// Lower trunk.
        LowerTrunk = "lower-trunk" => 3,
        /// Proximal extremity.
        ProximalExtremity = "proximal-extremity" => 4,
        /// Distal extremity.
        DistalExtremity = "distal-extremity" => 5,
    }
);

parameter!(
    /// The tattoo's colours.
    Colors, "colour set" {
        /// Black only.
        Black = "black" => 1,
        /// Mostly black with some red.
        BlackRed = "black-red" => 2,
        /// Mostly black and red with other colours.
        BlackRedOther = "black-red-other" => 3,
        /// Multiple colours.
        Multi = "multi" => 4,
    }
);

parameter!(
    /// Amount of ink.
    Amount, "amount of ink" {
        /// Amateur tattoo.
        Amateur = "amateur" => 1,
        /// Minimal (professional).
        Minimal = "minimal" => 2,
        /// Moderate.
        Moderate = "moderate" => 3,
        /// Significant.
        Significant = "significant" => 4,
    }
);

parameter!(
    /// Scarring or tissue change.
    Scarring, "scarring level" {
        /// None.
        None = "none" => 0,
        /// Minimal.
        Minimal = "minimal" => 1,
        /// Moderate.
        Moderate = "moderate" => 3,
        /// Significant.
        Significant = "significant" => 5,
    }
);

parameter!(
    /// Layering: a tattoo covered by another (cover-up), not SMP's sessions.
    Layering, "layering" {
        /// No layering.
        None = "none" => 0,
        /// Layered (cover-up).
        Yes = "yes" => 2,
    }
);

/// The six Kirby-Desai parameters of one tattoo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KirbyDesai {
    /// Fitzpatrick skin type 1..=6 (I–VI), scoring 1–6 points.
    pub fitzpatrick: u8,
    /// Location.
    pub location: Location,
    /// Colours.
    pub colors: Colors,
    /// Amount of ink.
    pub amount: Amount,
    /// Scarring.
    pub scarring: Scarring,
    /// Layering.
    pub layering: Layering,
}

/// The estimate: score, sessions and the SMP note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovalEstimate {
    /// Sum of the six parameters' points (4–26).
    pub kirby_desai_score: u32,
    /// Fewest laser sessions: score − 2.5 rounded down, at least 1.
    pub sessions_min: u32,
    /// Most laser sessions: score + 2.5 rounded up.
    pub sessions_max: u32,
    /// The published SMP experience and why SMP differs from the scale.
    pub smp_note: String,
}

/// The note shown next to every estimate: what SMP removal has taken in practice, why
/// it differs, and how to read the scale for SMP.
pub fn smp_note() -> String {
    let (lo, hi) = SMP_REMOVAL_SESSIONS;
    format!(
        "Published SMP experience: undesired SMP has been removed by laser in {lo}–{hi} sessions (reported case series). \
         SMP differs from the tattoos the scale was built on: its dots are tiny (~0.1–0.25 mm), shallow \
         (upper dermis) and a single colour (diluted carbon black), so there is little ink per cm² for the \
         laser to clear. SMP's 2–4 sessions are not the scale's \"layering\", which means a tattoo covered by \
         another; score SMP with layering none. Professional SMP therefore scores higher on the Kirby-Desai \
         scale than the published SMP experience: read the score as an upper bound."
    )
}

impl KirbyDesai {
    /// Check the skin type and compute the estimate.
    pub fn estimate(&self) -> Result<RemovalEstimate, PlanError> {
        if !(1..=6).contains(&self.fitzpatrick) {
            return Err(PlanError::BadInput(format!(
                "Fitzpatrick skin type {} is out of range: give 1–6 (I–VI)",
                self.fitzpatrick
            )));
        }
        let score = u32::from(self.fitzpatrick)
            + self.location.points()
            + self.colors.points()
            + self.amount.points()
            + self.scarring.points()
            + self.layering.points();
        let s = f64::from(score);
        Ok(RemovalEstimate {
            kirby_desai_score: score,
            sessions_min: ((s - KIRBY_DESAI_UNCERTAINTY).floor() as u32).max(1),
            sessions_max: (s + KIRBY_DESAI_UNCERTAINTY).ceil() as u32,
            smp_note: smp_note(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kd(f: u8, l: &str, c: &str, a: &str, s: &str, y: &str) -> KirbyDesai {
        KirbyDesai {
            fitzpatrick: f,
            location: l.parse().unwrap(),
            colors: c.parse().unwrap(),
            amount: a.parse().unwrap(),
            scarring: s.parse().unwrap(),
            layering: y.parse().unwrap(),
        }
    }

    #[test]
    fn table_points_match_the_paper() {
        // Kirby, Desai & Desai 2009, table 1, as listed in domain.md "Removal".
        let pts = |v: Vec<u32>| v;
        assert_eq!(pts(Location::ALL.iter().map(|x| x.points()).collect()), [1, 2, 3, 4, 5]);
        assert_eq!(pts(Colors::ALL.iter().map(|x| x.points()).collect()), [1, 2, 3, 4]);
        assert_eq!(pts(Amount::ALL.iter().map(|x| x.points()).collect()), [1, 2, 3, 4]);
        assert_eq!(pts(Scarring::ALL.iter().map(|x| x.points()).collect()), [0, 1, 3, 5]);
        assert_eq!(pts(Layering::ALL.iter().map(|x| x.points()).collect()), [0, 2]);
        // Skin type I–VI scores 1–6: vary it alone on the lowest-scoring tattoo.
        for f in 1..=6u8 {
            let e = kd(f, "head-neck", "black", "amateur", "none", "none").estimate().unwrap();
            assert_eq!(e.kirby_desai_score, u32::from(f) + 3);
        }
        for (i, l) in Location::ALL.iter().enumerate() {
            assert_eq!(l.as_str().parse::<Location>().unwrap(), *l);
            assert_eq!(l.points(), i as u32 + 1);
        }
    }

    #[test]
    fn scale_range_and_worked_examples() {
        // The scale runs from 4 (type I, head/neck, black, amateur, no scar, no layer) to 26.
        let lo = kd(1, "head-neck", "black", "amateur", "none", "none").estimate().unwrap();
        assert_eq!((lo.kirby_desai_score, lo.sessions_min, lo.sessions_max), (4, 1, 7));
        let hi = kd(6, "distal-extremity", "multi", "significant", "significant", "yes")
            .estimate()
            .unwrap();
        assert_eq!((hi.kirby_desai_score, hi.sessions_min, hi.sessions_max), (26, 23, 29));
        // A clinic's worked example of the scale: type II skin, chest (upper trunk), multiple
        // colours, moderate ink, no scarring, no layering = 2+2+4+3+0+0 = 11 points.
        let tiger = kd(2, "upper-trunk", "multi", "moderate", "none", "none").estimate().unwrap();
        assert_eq!((tiger.kirby_desai_score, tiger.sessions_min, tiger.sessions_max), (11, 8, 14));
        // Professional SMP on a type II scalp: 2+1+1+2+0+0 = 6, i.e. 3–9 sessions by the
        // scale, above the published SMP experience of 1–3.
        let smp = kd(2, "head-neck", "black", "minimal", "none", "none").estimate().unwrap();
        assert_eq!((smp.kirby_desai_score, smp.sessions_min, smp.sessions_max), (6, 3, 9));
        assert!(smp.sessions_min >= SMP_REMOVAL_SESSIONS.1);
    }

    #[test]
    fn note_says_what_the_brief_requires_and_bad_values_are_named() {
        let n = smp_note();
        for want in [
            "1–3 sessions",
            "tiny",
            "shallow",
            "single colour",
            "not the scale's \"layering\"",
            "scores higher",
        ] {
            assert!(n.contains(want), "{want}");
        }
        let mut k = kd(1, "head-neck", "black", "amateur", "none", "none");
        k.fitzpatrick = 7;
        assert!(k.estimate().is_err());
        let e = "scalp".parse::<Location>().unwrap_err();
        assert!(e.contains("head-neck") && e.contains("distal-extremity"), "{e}");
    }
}
