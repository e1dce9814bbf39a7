//! The head against its background: a colour-and-texture mixture with two components
//! for the background (fitted on the photo's border, e.g. backdrop and clothes) and two
//! for the client (fitted near the head's centre, e.g. skin and hair), refined by
//! classification EM, smoothed, and kept only where it forms one body: background is
//! what connects to the image border; the head is the largest region inside.

use super::cells::{CellGrid, majority_smooth};
use super::gmm::{Component, D, best, two_means};

/// Variance floors of the features (L*, a*, b*, texture).
pub(crate) const FLOOR: [f32; D] = [4.0, 1.0, 1.0, 0.25];

/// The background and client components of a photo.
#[derive(Debug, Clone)]
pub(crate) struct BodyModel {
    /// Background components.
    pub background: Vec<Component>,
    /// Client (skin and hair) components.
    pub client: Vec<Component>,
}

fn split_fit(samples: &[[f32; D]], total: usize) -> Vec<Component> {
    let side = two_means(samples, &FLOOR, &[1.0; D]);
    let (a, b): (Vec<_>, Vec<_>) = samples.iter().zip(&side).partition(|(_, hi)| **hi);
    let a: Vec<[f32; D]> = a.into_iter().map(|(x, _)| *x).collect();
    let b: Vec<[f32; D]> = b.into_iter().map(|(x, _)| *x).collect();
    let mut v: Vec<Component> = [a, b].iter().filter_map(|s| Component::fit(s, &FLOOR, total)).collect();
    if v.is_empty()
        && let Some(c) = Component::fit(samples, &FLOOR, total)
    {
        v.push(c);
    }
    v
}

/// Which cells show the client (true) rather than the background. `inner` marks cells
/// surely on the client (near the head's centre and the user's seeds).
pub(crate) fn segment_body(grid: &CellGrid, feats: &[[f32; D]], inner: &[bool]) -> (Vec<bool>, BodyModel) {
    let (w, h) = (grid.width as usize, grid.height as usize);
    let border = 2usize.min(w / 4).min(h / 4).max(1);
    let is_border = |i: usize| {
        let (x, y) = (i % w, i / w);
        x < border || y < border || x + border >= w || y + border >= h
    };
    let bg: Vec<[f32; D]> = (0..feats.len()).filter(|&i| is_border(i) && !inner[i]).map(|i| feats[i]).collect();
    let fg: Vec<[f32; D]> = (0..feats.len()).filter(|&i| inner[i]).map(|i| feats[i]).collect();
    let mut model = BodyModel {
        background: split_fit(&bg, feats.len()),
        client: split_fit(&fg, feats.len()),
    };
    let mut client = vec![false; feats.len()];
    for _round in 0..3 {
        let all: Vec<Component> = model.background.iter().chain(&model.client).copied().collect();
        let nb = model.background.len();
        let assign: Vec<usize> = feats.iter().map(|x| best(&all, x)).collect();
        for (i, &a) in assign.iter().enumerate() {
            client[i] = a >= nb || inner[i];
        }
        let refit = |k: usize| -> Option<Component> {
            let s: Vec<[f32; D]> = assign.iter().zip(feats).filter(|(a, _)| **a == k).map(|(_, x)| *x).collect();
            Component::fit(&s, &FLOOR, feats.len())
        };
        let fresh: Vec<Option<Component>> = (0..all.len()).map(refit).collect();
        for (k, c) in fresh.into_iter().enumerate() {
            if let Some(c) = c {
                if k < nb {
                    model.background[k] = c;
                } else {
                    model.client[k - nb] = c;
                }
            }
        }
    }
    let mut client = majority_smooth(&client, grid.width, grid.height, 2);
    for (c, &i) in client.iter_mut().zip(inner) {
        *c |= i;
    }
    // Background is what the border reaches; holes inside the client are the client.
    let outside = grid.flood(&client.iter().map(|c| !c).collect::<Vec<_>>(), |i| is_border(i) && !client[i]);
    let mut body: Vec<bool> = outside.iter().map(|o| !o).collect();
    // One body: the component holding the most sure cells.
    let comps = grid.components(&body);
    let mut votes = vec![0usize; comps.count];
    for (i, &c) in comps.id.iter().enumerate() {
        if c != usize::MAX && inner[i] {
            votes[c] += 1;
        }
    }
    if let Some(keep) = (0..comps.count).max_by_key(|&c| votes[c]) {
        for (b, &c) in body.iter_mut().zip(&comps.id) {
            *b = c == keep;
        }
    }
    (body, model)
}
