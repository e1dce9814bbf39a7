//! Outcome and safety figures of a clinic, overall and per practitioner.

use crate::records::{AdverseEvent, Survey, TreatmentSession};
use serde::Serialize;

use crate::stats::{MeanCi, Proportion, mean_ci, wilson};

/// Figures of one group (the clinic, or one practitioner).
#[derive(Debug, Clone, Serialize)]
pub struct GroupStats {
    /// "Clinic" or the practitioner's e-mail.
    pub who: String,
    /// Surveys.
    pub n: usize,
    /// Mean satisfaction (1–5) with its 95 % CI.
    pub satisfaction: Option<MeanCi>,
    /// Share answering 5 ("very satisfied"), Wilson 95 % CI.
    pub very_satisfied: Option<Proportion>,
    /// Share who would recommend, Wilson 95 % CI.
    pub would_recommend: Option<Proportion>,
    /// Satisfaction counts for 1..=5.
    pub distribution: [usize; 5],
    /// Sessions done.
    pub sessions: usize,
    /// Adverse events after those sessions.
    pub adverse_events: usize,
    /// Events per session, Wilson 95 % CI (each session counted once).
    pub event_rate: Option<Proportion>,
}

fn group(who: String, surveys: &[&Survey], sessions: &[&TreatmentSession], events: &[&AdverseEvent]) -> GroupStats {
    let sats: Vec<f64> = surveys.iter().map(|s| s.satisfaction as f64).collect();
    let mut distribution = [0; 5];
    for s in surveys {
        distribution[(s.satisfaction.clamp(1, 5) - 1) as usize] += 1;
    }
    let n = surveys.len();
    let sessions_with_event = sessions
        .iter()
        .filter(|s| events.iter().any(|e| e.session_id == Some(s.id)))
        .count();
    GroupStats {
        who,
        n,
        satisfaction: mean_ci(&sats),
        very_satisfied: wilson(distribution[4], n),
        would_recommend: wilson(surveys.iter().filter(|s| s.would_recommend).count(), n),
        distribution,
        sessions: sessions.len(),
        adverse_events: events.len(),
        event_rate: wilson(sessions_with_event, sessions.len()),
    }
}

/// The clinic's figures, then each practitioner's.
pub fn summarise(
    practitioners: &[(crate::UserId, &str)],
    surveys: &[Survey],
    sessions: &[TreatmentSession],
    events: &[AdverseEvent],
) -> Vec<GroupStats> {
    let mut out = vec![group(
        "Clinic".into(),
        &surveys.iter().collect::<Vec<_>>(),
        &sessions.iter().collect::<Vec<_>>(),
        &events.iter().collect::<Vec<_>>(),
    )];
    for &(id, name) in practitioners {
        let sv: Vec<_> = surveys.iter().filter(|s| s.practitioner_id == id).collect();
        let ss: Vec<_> = sessions.iter().filter(|s| s.practitioner_id == id).collect();
        let ev: Vec<_> = events.iter().filter(|e| ss.iter().any(|s| Some(s.id) == e.session_id)).collect();
        if !sv.is_empty() || !ss.is_empty() {
            out.push(group(name.to_string(), &sv, &ss, &ev));
        }
    }
    out
}

/// An SVG bar chart of the satisfaction distribution with the "would recommend" and
/// "very satisfied" intervals, for the outcomes page (no script, no external assets).
pub fn chart_svg(g: &GroupStats) -> String {
    let (w, h) = (420.0, 180.0);
    let max = g.distribution.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='{w}' height='{h}' role='img' aria-label='satisfaction of {n} clients'>",
        n = g.n
    );
    for (i, &c) in g.distribution.iter().enumerate() {
        let bh = 110.0 * c as f64 / max;
        let x = 20.0 + i as f64 * 40.0;
        svg.push_str(&format!(
            "<rect x='{x}' y='{y:.1}' width='30' height='{bh:.1}' fill='#2b5bd7'/><text x='{tx}' y='150' font-size='12' text-anchor='middle'>{s}</text><text x='{tx}' y='{ly:.1}' font-size='11' text-anchor='middle'>{c}</text>",
            y = 130.0 - bh,
            tx = x + 15.0,
            s = i + 1,
            ly = 126.0 - bh
        ));
    }
    svg.push_str("<text x='110' y='170' font-size='11' text-anchor='middle'>satisfaction (1–5)</text>");
    for (row, (label, p)) in [("would recommend", g.would_recommend), ("very satisfied", g.very_satisfied)]
        .into_iter()
        .enumerate()
    {
        let y = 40.0 + row as f64 * 50.0;
        svg.push_str(&format!(
            "<text x='240' y='{:.1}' font-size='11'>{label}</text><line x1='240' x2='400' y1='{y}' y2='{y}' stroke='#ccd'/>",
            y - 8.0
        ));
        if let Some(p) = p {
            let sx = |v: f64| 240.0 + 160.0 * v;
            svg.push_str(&format!(
                "<line x1='{:.1}' x2='{:.1}' y1='{y}' y2='{y}' stroke='#173a94' stroke-width='3'/><circle cx='{:.1}' cy='{y}' r='4' fill='#f0a'/><text x='{:.1}' y='{:.1}' font-size='10'>{:.0} % ({:.0}–{:.0})</text>",
                sx(p.lo),
                sx(p.hi),
                sx(p.p),
                240.0,
                y + 16.0,
                p.p * 100.0,
                p.lo * 100.0,
                p.hi * 100.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}
