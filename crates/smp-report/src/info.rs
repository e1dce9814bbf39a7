//! The report's fixed text: aftercare, risks, removal, alternatives and the evidence,
//! with their sources, kept in `data/info.json` so a clinic's editor can review it
//! without reading code.

use serde::{Deserialize, Serialize};

/// The shipped text.
pub const INFO_JSON: &str = include_str!("../data/info.json");

/// Something to avoid after a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Avoid {
    /// What to avoid.
    pub what: String,
    /// For how long.
    pub how_long: String,
    /// Why.
    pub why: String,
}

/// A sign of a complication and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningSign {
    /// What the client notices.
    pub sign: String,
    /// What to do.
    pub action: String,
}

/// Aftercare instructions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aftercare {
    /// What to expect.
    pub intro: String,
    /// What to avoid and for how long.
    pub avoid: Vec<Avoid>,
    /// Infection and allergy signs.
    pub warning_signs: Vec<WarningSign>,
    /// Where the advice comes from.
    pub sources: Vec<String>,
}

/// A risk and how the clinic keeps it small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// The risk.
    pub risk: String,
    /// How likely it is.
    pub how_likely: String,
    /// What the clinic does about it.
    pub how_we_minimise: String,
}

/// Removal text next to the computed estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    /// How removal is done.
    pub lasers: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// An alternative to SMP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    /// Its name.
    pub name: String,
    /// What it does.
    pub what_it_does: String,
    /// What it asks of the client.
    pub commitment: String,
    /// Its downsides.
    pub trade_offs: String,
    /// Source.
    pub source: String,
}

/// A published outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The finding.
    pub finding: String,
    /// The citation.
    pub source: String,
}

/// All of the report's fixed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Info {
    /// Always "smp-report-info".
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// Aftercare.
    pub aftercare: Aftercare,
    /// Risks.
    pub risks: Vec<Risk>,
    /// Reasons for caution before treatment.
    pub caution: String,
    /// Sources of the risks.
    pub risk_sources: Vec<String>,
    /// Removal text.
    pub removal: Removal,
    /// Alternatives.
    pub alternatives: Vec<Alternative>,
    /// Published outcomes.
    pub evidence: Vec<Evidence>,
}

impl Info {
    /// The shipped text (checked by a unit test, so this cannot fail at run time).
    pub fn builtin() -> Info {
        serde_json::from_str(INFO_JSON).expect("data/info.json is valid (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_info_parses_and_covers_the_required_topics() {
        let i = Info::builtin();
        assert_eq!(i.format, "smp-report-info");
        assert!(i.aftercare.intro.contains("about a week"));
        assert_eq!(i.alternatives.len(), 3);
        assert!(i.risks.iter().any(|r| r.how_we_minimise.contains("single-use")));
        assert!(i.risks.iter().any(|r| r.how_we_minimise.contains("lot")));
        assert!(!i.evidence.is_empty());
    }
}
