//! Painting the photo in bands of rows, in parallel: per pixel the backdrop, the body
//! layers (shaded, with contact shadows from the layers in front), the scalp's albedo
//! (skin texture, the grey "shadow" of hair, scars) and then the stubble marks blended
//! into that albedo before light is applied. The camera ([`super::sensor`]) develops
//! the light into the photo.

use rayon::prelude::*;
use smp_photo::labels::{Label, LabelMap};

use super::body::{Layer, Marks, Material, Role};
use super::camera::Camera;
use super::color::{Palette, Rgb, mix, mul};
use super::ear;
use super::geom::{P2, smoothstep};
use super::light::{KEY_2D, backdrop, diffuse, specular};
use super::noise::Noise;
use super::scalp::{HAIRED_MIN, Scalp, THINNING_MIN};
use super::skin::Texture;
use super::splat::{Band, Splat};
use super::surface::Surf;

/// Rows per band.
const BAND: usize = 16;
/// Most layers in a view.
const MAX_LAYERS: usize = 8;

/// Everything needed to paint one photo.
pub(crate) struct Scene<'a> {
    /// The camera.
    pub cam: &'a Camera,
    /// Body layers, back to front.
    pub layers: &'a [Layer],
    /// Hair density field.
    pub scalp: &'a Scalp,
    /// Colours.
    pub palette: &'a Palette,
    /// Skin texture.
    pub texture: Texture,
    /// Organic variation of the hair shadow.
    pub tint_noise: Noise,
}

/// One pixel before the stubble is blended in and light applied to the head.
#[derive(Debug, Clone, Copy, Default)]
struct Px {
    /// Everything behind the head, lit.
    back: [f32; 3],
    /// Head albedo.
    albedo: [f32; 3],
    /// Head diffuse light.
    light: [f32; 3],
    /// Head specular.
    spec: f32,
    /// Head coverage.
    cover: f32,
    /// Layers in front of the head, premultiplied, and their coverage.
    front: [f32; 3],
    front_cover: f32,
    /// What the pixel's centre shows (truth label code) and the native coverage there.
    label: u8,
    coverage: f32,
}

fn f32s(c: Rgb) -> [f32; 3] {
    c.map(|v| v as f32)
}

impl Scene<'_> {
    fn cover(&self, sdf: f64, blur: f64) -> f64 {
        let hw = blur.max(0.5 / self.cam.ppm);
        (0.5 - sdf / (2.0 * hw)).clamp(0.0, 1.0)
    }

    /// Contact shadow and occlusion cast on layer `i` at `p` by the layers in front.
    fn occlusion(&self, i: usize, p: P2, surfs: &[Surf]) -> f64 {
        let mut occ = 1.0;
        for (j, l) in self.layers.iter().enumerate().skip(i + 1) {
            let near = surfs[j].sdf;
            if near > 30.0 {
                continue;
            }
            let off = l.relief.sdf((p.0 + 7.0 * KEY_2D.0, p.1 + 7.0 * KEY_2D.1));
            occ *= (0.55 + 0.45 * smoothstep(-10.0, 12.0, off)) * (1.0 - 0.35 * (-near.max(0.0) / 4.0).exp());
        }
        occ
    }

    /// Albedo, diffuse light and specular of layer `i` at image mm `p`.
    fn shade(&self, i: usize, p: P2, s: &Surf, surfs: &[Surf]) -> (Rgb, Rgb, f64) {
        let layer = &self.layers[i];
        let n = s.normal();
        let occ = self.occlusion(i, p, surfs);
        let light = diffuse(n).map(|c| c * occ);
        match layer.material {
            Material::Cloth(c) => {
                let weave = 1.0 + 0.06 * self.tint_noise.fbm(p.0 * 3.0, p.1 * 3.0, 1.5, 2);
                (c.map(|v| v * weave), light, specular(n, 0.01) * occ)
            }
            Material::Skin { tint, spec } => {
                let mut alb = mul(mul(self.palette.skin, tint), self.texture.at(p.0, p.1, 0.0));
                let mut spec = spec;
                if layer.role == Role::Head {
                    (alb, spec) = self.scalp_albedo(p, alb, spec);
                }
                match &layer.marks {
                    Marks::Face(f) => {
                        alb = f.albedo(p, alb);
                        spec *= f.sheen(p);
                    }
                    Marks::Ear(frame) => alb = ear::albedo(frame, p, alb),
                    Marks::None => {}
                }
                (alb, light, specular(n, spec) * occ)
            }
        }
    }

    /// The scalp at image mm `p`: the grey-blue cast of hair in the skin, a FUT strip,
    /// and shine on bald skin.
    fn scalp_albedo(&self, p: P2, alb: Rgb, spec: f64) -> (Rgb, f64) {
        let Some(d) = self.cam.surface(p) else {
            return (alb, spec * 0.6);
        };
        let hair = self.scalp.tint_density(d);
        let scalp = self.scalp.on_scalp(d);
        let mut alb = alb;
        if hair > 0.0 {
            let k = (hair * (1.0 + 0.15 * self.tint_noise.fbm(p.0, p.1, 6.0, 2))).clamp(0.0, 1.0);
            alb = mix(alb, mul(alb, self.palette.shadow), k);
        }
        let mut spec = spec * (0.6 + 0.4 * scalp) * (1.0 - 0.6 * hair);
        let scar = self.scalp.fut_strip(d, 0.6 / self.cam.ppm);
        if scar > 0.0 {
            let smooth = mul(self.palette.scar, self.texture.at(p.0, p.1, 1.0));
            // Scar tissue is patchy: paler and pinker stretches along the strip.
            alb = mix(alb, smooth, scar * (0.75 + 0.25 * self.tint_noise.at(p.0 / 5.0, p.1 / 5.0)));
            spec += 0.2 * scar;
        }
        (alb, spec)
    }

    /// The truth at image mm `p` on the head layer: scalp by its hair density (scar on
    /// a FUT strip), skin elsewhere (forehead, face, below the fringe).
    fn head_label(&self, p: P2) -> (Label, f32) {
        let Some(d) = self.cam.surface(p) else {
            return (Label::Skin, 0.0);
        };
        if !self.scalp.is_scalp(d) {
            return (Label::Skin, 0.0);
        }
        let density = self.scalp.tint_density(d);
        if self.scalp.fut_strip(d, 0.0) >= 0.5 {
            return (Label::Scar, 0.0);
        }
        let label = if density >= HAIRED_MIN {
            Label::Haired
        } else if density >= THINNING_MIN {
            Label::Thinning
        } else {
            Label::Bald
        };
        (label, density as f32)
    }

    fn pixel(&self, x: usize, y: usize) -> Px {
        let cam = self.cam;
        let p = cam.img_mm(x as f64 + 0.5, y as f64 + 0.5);
        let n = self.layers.len();
        let mut surfs = [Surf::default(); MAX_LAYERS];
        let mut covers = [0.0; MAX_LAYERS];
        for (i, l) in self.layers.iter().enumerate() {
            surfs[i] = l.relief.eval(p);
            covers[i] = self.cover(surfs[i].sdf, l.blur);
        }
        let opaque = (0..n).any(|i| covers[i] >= 1.0 && self.layers[i].role != Role::Front);
        let mut back = [0.0; 3];
        if !opaque {
            back = backdrop((x as f64 + 0.5) / f64::from(cam.width), (y as f64 + 0.5) / f64::from(cam.height));
            let off = (p.0 + 24.0 * KEY_2D.0, p.1 + 24.0 * KEY_2D.1);
            let sh = self.layers.iter().map(|l| l.relief.sdf(off)).fold(f64::INFINITY, f64::min);
            let k = 1.0 - 0.38 * (1.0 - smoothstep(-25.0, 40.0, sh));
            back = back.map(|c| c * k);
        }
        let mut px = Px::default();
        let (mut front, mut front_cover) = ([0.0f64; 3], 0.0f64);
        // The truth: the topmost layer covering the pixel's centre.
        let (mut label, mut coverage) = (Label::Background, 0.0f32);
        for i in 0..n {
            if covers[i] < 0.5 {
                continue;
            }
            (label, coverage) = match (self.layers[i].role, self.layers[i].material) {
                (Role::Head, _) => self.head_label(p),
                (_, Material::Skin { .. }) => (Label::Skin, 0.0),
                (_, Material::Cloth(_)) => (Label::Background, 0.0),
            };
        }
        px.label = label.code();
        px.coverage = coverage;
        for i in 0..n {
            let c = covers[i];
            if c <= 0.0 {
                continue;
            }
            let (alb, light, spec) = self.shade(i, p, &surfs[i], &surfs[..n]);
            match self.layers[i].role {
                Role::Back => {
                    let col = [0, 1, 2].map(|k| alb[k] * light[k] + spec);
                    back = mix(back, col, c);
                }
                Role::Head => {
                    px.albedo = f32s(alb);
                    px.light = f32s(light);
                    px.spec = spec as f32;
                    px.cover = c as f32;
                }
                Role::Front => {
                    let col = [0, 1, 2].map(|k| alb[k] * light[k] + spec);
                    front = [0, 1, 2].map(|k| front[k] * (1.0 - c) + col[k] * c);
                    front_cover = front_cover * (1.0 - c) + c;
                }
            }
        }
        px.back = f32s(back);
        px.front = f32s(front);
        px.front_cover = front_cover as f32;
        px
    }

    /// Paint rows `y0..y0 + rows` into `out` (linear light reaching the sensor), with the
    /// marks of `bucket`, and
    /// their truth into `labels` and `coverage`.
    fn band(&self, y0: usize, out: &mut [[f32; 3]], truth: (&mut [u8], &mut [f32]), splats: &[Splat], bucket: &[u32]) {
        let w = self.cam.width as usize;
        let rows = out.len() / w;
        let px: Vec<Px> = (0..rows * w).map(|k| self.pixel(k % w, y0 + k / w)).collect();
        for (k, p) in px.iter().enumerate() {
            truth.0[k] = p.label;
            truth.1[k] = p.coverage;
        }
        let mut albedo: Vec<[f32; 3]> = px.iter().map(|p| p.albedo).collect();
        let mut band = Band {
            y0,
            width: w,
            albedo: &mut albedo,
        };
        for &i in bucket {
            band.draw(&splats[i as usize]);
        }
        for (k, (p, a)) in px.iter().zip(&albedo).enumerate() {
            let mut v = [0.0f32; 3];
            for c in 0..3 {
                let head = a[c] * p.light[c] + p.spec;
                let x = p.back[c] + (head - p.back[c]) * p.cover;
                v[c] = x * (1.0 - p.front_cover) + p.front[c];
            }
            out[k] = v;
        }
    }
}

/// Paint the scene with its stubble marks, in linear light before the camera; also its
/// truth label map (one cell per pixel).
pub(crate) fn paint(scene: &Scene<'_>, splats: &[Splat]) -> (Vec<[f32; 3]>, LabelMap) {
    assert!(scene.layers.len() <= MAX_LAYERS, "too many body layers");
    let (w, h) = (scene.cam.width as usize, scene.cam.height as usize);
    let bands = h.div_ceil(BAND);
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); bands];
    for (i, s) in splats.iter().enumerate() {
        let (lo, hi) = s.rows();
        let (lo, hi) = (lo.max(0), hi.min(h as i64 - 1));
        if lo > hi {
            continue;
        }
        for b in (lo as usize / BAND)..=(hi as usize / BAND) {
            buckets[b].push(i as u32);
        }
    }
    let mut buf = vec![[0.0f32; 3]; w * h];
    let mut truth = LabelMap::new(w as u32, h as u32, 1);
    buf.par_chunks_mut(w * BAND)
        .zip(truth.labels.par_chunks_mut(w * BAND))
        .zip(truth.coverage.par_chunks_mut(w * BAND))
        .zip(buckets.par_iter())
        .enumerate()
        .for_each(|(b, (((chunk, labels), coverage), bucket))| scene.band(b * BAND, chunk, (labels, coverage), splats, bucket));
    (buf, truth)
}
