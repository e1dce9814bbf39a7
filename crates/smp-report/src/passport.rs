//! The client's ink passport: every pigment and needle lot used on them, where and when,
//! as a one-page PDF they keep (for a later clinic, a dermatologist or a recall).

use serde::Serialize;
use smp_plan::CivilDate;

use crate::error::ReportError;
use crate::literal;

/// One treatment session in the passport.
#[derive(Debug, Clone, Serialize)]
pub struct PassportEntry {
    /// Date, YYYY-MM-DD.
    pub date: String,
    /// Pigment product.
    pub pigment: String,
    /// Pigment lot number.
    pub pigment_lot: String,
    /// Pigment lot expiry.
    pub pigment_expires: String,
    /// Dilution used.
    pub dilution: String,
    /// Needle product and lot.
    pub needle: String,
    /// Regions worked.
    pub regions: String,
    /// Impressions placed.
    pub impressions: i64,
}

/// What the passport shows.
#[derive(Debug, Clone, Serialize)]
pub struct InkPassport {
    /// Clinic name.
    pub clinic: String,
    /// Client name.
    pub client: String,
    /// Sessions, oldest first.
    pub entries: Vec<PassportEntry>,
}

const LAYOUT: &str = r#"
#set page(paper: "a4", margin: 2cm)
#set text(font: data.font, size: 10pt)
= Ink passport
#data.client · treated at #data.clinic · issued #datetime.today().display()

Keep this record: it lists every pigment and needle lot used on your scalp, for any later clinic, dermatologist or laser practitioner, and so the clinic can reach you if a lot is recalled.

#table(
  columns: (auto, 1fr, auto, auto, auto, 1fr, 1fr, auto),
  [*Date*], [*Pigment*], [*Lot*], [*Expires*], [*Dilution*], [*Needle (lot)*], [*Regions*], [*Dots*],
  ..data.entries.map(e => (e.date, e.pigment, e.pigment_lot, e.pigment_expires, e.dilution, e.needle, e.regions, str(e.impressions))).flatten()
)
#if data.entries.len() == 0 [No sessions recorded yet.]
"#;

/// The passport as PDF bytes.
pub fn render_ink_passport(p: &InkPassport, date: CivilDate) -> Result<Vec<u8>, ReportError> {
    let mut data = serde_json::to_value(p).map_err(|e| ReportError::BadInput(e.to_string()))?;
    data["font"] = crate::world::FONT_FAMILY.into();
    let source = format!("#let data = {}\n{LAYOUT}", literal::value(&data));
    crate::document::typeset(source, Vec::new(), date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passport_typesets_with_hostile_text() {
        let entry = PassportEntry {
            date: "2026-11-20".into(),
            pigment: "Carbon #1 $x$ *bold*".into(),
            pigment_lot: "P-7]".into(),
            pigment_expires: "2027-01-31".into(),
            dilution: "1:3".into(),
            needle: "RL1 (N-2)".into(),
            regions: "front, crown".into(),
            impressions: 4230,
        };
        let p = InkPassport {
            clinic: "Scalp \\ Studio".into(),
            client: "Sam #panic(\"x\")".into(),
            entries: vec![entry],
        };
        let pdf = render_ink_passport(&p, CivilDate::parse("2026-11-27").unwrap()).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let empty = InkPassport {
            clinic: "C".into(),
            client: "D".into(),
            entries: vec![],
        };
        assert!(render_ink_passport(&empty, CivilDate::parse("2026-11-27").unwrap()).is_ok());
    }
}
