//! Clinical constants of the design stage, each with its source (see `shared/domain.md`).
//! No other module of this crate holds a clinical number.

/// Highest density a design may ask for, impressions/cm². Above this dots merge when they
/// heal (natural scalp tops out near 100 follicular units/cm², Barman 1965).
pub const MAX_DENSITY_PER_CM2: f64 = 200.0;
/// Largest fresh dot diameter accepted, mm; SMP needles are 0.18–0.30 mm (practice).
pub const MAX_DOT_DIAMETER_MM: f64 = 2.0;
/// Most sessions a plan may list; SMP is 2–4 sessions (practice), 6 leaves room.
pub const MAX_SESSIONS: usize = 6;
/// Largest coordinate magnitude accepted, mm: a whole scalp laid flat fits in ±300 mm.
pub const MAX_COORD_MM: f64 = 500.0;
/// Largest feather accepted, mm; natural transition zones are 5–10 mm (Garg & Garg 2017).
pub const MAX_FEATHER_MM: f64 = 50.0;

/// How far, mm, treat and blend regions fade into the surrounding hair past their open
/// edges unless a region says otherwise: dots continue beyond the polygon with falling
/// density so the border never shows as a line (a "helmet" edge is a classic SMP failure,
/// domain.md); 10 mm matches the natural 5–10 mm transition (Garg & Garg 2017).
pub const DEFAULT_EDGE_BLEND_MM: f64 = 10.0;
/// Widest edge blend accepted, mm.
pub const MAX_EDGE_BLEND_MM: f64 = 30.0;

/// Mid-frontal hairline point above the glabella, typical, mm (Garg & Garg 2017: ~8 cm).
pub const HAIRLINE_ABOVE_GLABELLA_MM: f64 = 80.0;
/// Lowest natural mid-frontal hairline above the glabella, mm (Garg & Garg 2017: 7 cm).
pub const HAIRLINE_MIN_ABOVE_GLABELLA_MM: f64 = 70.0;
/// Highest natural mid-frontal hairline above the glabella, mm (Garg & Garg 2017: 10 cm).
pub const HAIRLINE_MAX_ABOVE_GLABELLA_MM: f64 = 100.0;
/// Narrowest transition zone before a hairline reads as hard, mm (domain.md: 0.5–1 cm).
pub const MIN_SOFT_FEATHER_MM: f64 = 5.0;
/// Least irregularity that avoids a visibly regular edge (practice; "helmet look").
pub const MIN_IRREGULARITY: f64 = 0.25;
/// Largest fresh dot that still heals to a follicle-sized dot, mm (practice: 0.20–0.25
/// common, 0.30 the largest needle).
pub const MAX_NATURAL_DOT_MM: f64 = 0.35;
/// Density above which dots risk merging ("blow-out"), impressions/cm² (natural scalp
/// 60–100 units/cm²; practice).
pub const BLOWOUT_DENSITY_PER_CM2: f64 = 120.0;

/// Share of final dots after each session in the default three-session plan (Liu et al.
/// 2025, J Cosmet Dermatol: ~30 %, ~70 %, 100 %).
pub const DEFAULT_CUMULATIVE: [f64; 3] = [0.3, 0.7, 1.0];
/// Fresh dot diameter by default, mm (0.25 mm common needle; practice).
pub const DEFAULT_DOT_DIAMETER_MM: f64 = 0.25;
/// Default treatment density, impressions/cm² (60–100 units/cm², domain.md).
pub const DEFAULT_DENSITY_PER_CM2: f64 = 80.0;
/// Default transition width of a designed hairline, mm (0.5–1 cm, domain.md).
pub const DEFAULT_FEATHER_MM: f64 = 8.0;
