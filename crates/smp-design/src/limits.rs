//! Size limits of a design: far above any real scalp's needs, low enough that no design
//! can tie up the machine (a 50 000-point polygon once took 16 s to check, and the
//! work ran on after the client left).

/// Most corners a region outline or a hairline may have: a hand-drawn outline has tens
/// to hundreds; a fitted one a few hundred.
pub const MAX_POLYGON_POINTS: usize = 10_000;

/// Most regions a design may have: a whole head with every scar and exclusion is a few
/// dozen.
pub const MAX_REGIONS: usize = 200;

/// Most impressions a design may ask for (area × density over its dotted regions): a
/// full head is 30 000–50 000 (domain.md), ten times that is still far below this.
pub const MAX_IMPRESSIONS: f64 = 500_000.0;
