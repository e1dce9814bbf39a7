//! The closed sets of clinical records — a lot's kind, an adverse event's kind and
//! severity, an appointment's kind, a patch test's result — as types: parsed once at
//! the edge (JSON, forms, rows), so the rest of the code can trust them. Each keeps the
//! spelling it has always had in the JSON and the database.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed set: the enum with its stored spellings, `ALL`, `as_str`, parsing
/// with an error that lists the choices, and the conversion rows use.
macro_rules! closed_set {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order forms offer them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and displayed spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s.trim()).ok_or_else(|| {
                    let choices: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("'{s}' is not {}; use one of {}", $what, choices.join(", "))
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

closed_set!(
    /// What a lot is of.
    LotKind, "a kind of lot", {
        /// Pigment.
        Pigment => "pigment",
        /// Needles (cartridges).
        Needle => "needle",
    }
);

closed_set!(
    /// What happened after a session.
    EventKind, "a kind of adverse event", {
        /// Redness.
        Redness => "redness",
        /// Swelling.
        Swelling => "swelling",
        /// Infection.
        Infection => "infection",
        /// An allergic reaction.
        AllergicReaction => "allergic-reaction",
        /// Pigment spread too deep ("blow-out").
        BlowOut => "blow-out",
        /// The healed colour shifted (e.g. blue).
        ColourShift => "colour-shift",
    }
);

closed_set!(
    /// How bad an adverse event was.
    Severity, "a severity", {
        /// Mild.
        Mild => "mild",
        /// Moderate.
        Moderate => "moderate",
        /// Severe.
        Severe => "severe",
    }
);

closed_set!(
    /// What an appointment is for.
    AppointmentKind, "a kind of appointment", {
        /// A consultation.
        Consultation => "consultation",
        /// A tattoo session.
        Session => "session",
        /// A touch-up.
        TouchUp => "touch-up",
    }
);

closed_set!(
    /// A patch test's reading.
    PatchResult, "a patch test result", {
        /// Not read yet.
        Pending => "pending",
        /// No reaction.
        Negative => "negative",
        /// A reaction: the pigment must not be used on this client.
        Positive => "positive",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_unknown_values_list_the_choices() {
        for k in EventKind::ALL {
            assert_eq!(k.as_str().parse::<EventKind>().unwrap(), *k);
            assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(
            serde_json::from_str::<AppointmentKind>("\"touch-up\"").unwrap(),
            AppointmentKind::TouchUp
        );
        let e = "massage".parse::<AppointmentKind>().unwrap_err();
        assert!(e.contains("consultation, session, touch-up"), "{e}");
        assert!(serde_json::from_str::<Severity>("\"awful\"").is_err());
        assert!(LotKind::Needle == "needle");
    }
}
