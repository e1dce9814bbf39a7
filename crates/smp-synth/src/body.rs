//! The body in each photo as layers, back to front: shirt, neck, ears, nose tip, and
//! the head itself (cranium ellipsoid merged with the face or neck where they show),
//! laid out in image mm around the head ellipse and baked for painting.

use smp_design::PointMm;

use super::SynthView;
use super::camera::Camera;
use super::color::{Palette, Rgb, srgb_to_linear};
use super::ear;
use super::face::Face;
use super::geom::{Frame, P2, Poly, chaikin_closed};
use super::surface::{Bump, Prim, Relief, Surface};

/// Where a layer sits relative to the scalp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Behind the head.
    Back,
    /// The head: the scalp with its stubble.
    Head,
    /// In front of the head (an ear in a side view, a collar from behind).
    Front,
}

/// What a layer is made of.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Material {
    /// Skin, tinted relative to the scalp, with a specular strength.
    Skin { tint: Rgb, spec: f64 },
    /// Fabric of this colour.
    Cloth(Rgb),
}

/// Colour marks of a layer.
#[derive(Debug, Clone)]
pub(crate) enum Marks {
    /// Plain.
    None,
    /// Facial features.
    Face(Box<Face>),
    /// An ear seen from the side, in this frame.
    Ear(Frame),
}

/// One body part.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    /// Shape, baked.
    pub relief: Relief,
    /// Material.
    pub material: Material,
    /// Place in the stack.
    pub role: Role,
    /// Edge softness, mm (0: one pixel); out-of-focus parts are softer.
    pub blur: f64,
    /// Colour marks.
    pub marks: Marks,
}

const SKIN: Material = Material::Skin {
    tint: [1.0, 1.0, 1.0],
    spec: 0.14,
};
const NECK: Material = Material::Skin {
    tint: [0.97, 0.95, 0.95],
    spec: 0.05,
};
const EAR: Material = Material::Skin {
    tint: [1.03, 0.94, 0.93],
    spec: 0.06,
};
/// Inflation of a head outline (blur, height), mm.
const HEAD_INFLATE: [P2; 4] = [(3.0, 8.0), (12.0, 20.0), (35.0, 40.0), (80.0, 70.0)];
/// Inflation of a neck.
const NECK_INFLATE: [P2; 3] = [(3.0, 6.0), (12.0, 20.0), (30.0, 30.0)];
/// Inflation of a shirt.
const CLOTH_INFLATE: [P2; 2] = [(6.0, 12.0), (25.0, 30.0)];

fn cloth() -> Material {
    cloth_dim(1.0)
}

fn cloth_dim(k: f64) -> Material {
    Material::Cloth([52.0, 56.0, 66.0].map(|c: f64| k * srgb_to_linear(c / 255.0)))
}

fn outline(pts: &[P2], mirror: f64) -> Prim {
    Prim::Outline(Poly::new(
        chaikin_closed(pts, 2).into_iter().map(|(u, v)| (mirror * u, v)).collect(),
    ))
}

/// Builds the layers of one photo.
struct Stack<'a> {
    cam: &'a Camera,
    out: Vec<Layer>,
}

impl Stack<'_> {
    fn push(&mut self, surface: Surface, material: Material, role: Role, blur: f64, marks: Marks) {
        let (w, h) = (f64::from(self.cam.width), f64::from(self.cam.height));
        let clip = (self.cam.img_mm(0.0, 0.0), self.cam.img_mm(w, h));
        // Out-of-focus parts need no fine grid.
        let step = (0.8 / self.cam.ppm).max(0.5).max(0.4 * blur);
        self.out.push(Layer {
            relief: surface.bake(clip, step),
            material,
            role,
            blur,
            marks,
        });
    }

    fn ear(&mut self, frame: Frame, role: Role, detailed: bool) {
        let marks = if detailed { Marks::Ear(frame) } else { Marks::None };
        self.push(ear::surface(&frame), EAR, role, 0.0, marks);
    }
}

/// What the body needs to know about the client beyond the colours.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Build {
    /// Fitzpatrick skin type, 1..=6 (iris colours).
    pub skin_type: u8,
    /// Distance between the pupils, mm.
    pub ipd_mm: f64,
    /// Seed of the features.
    pub seed: u64,
}

/// The layers of `view`, back to front, and the face (with the eyes) when it shows.
pub(crate) fn layers(cam: &Camera, view: SynthView, palette: &Palette, build: Build) -> Vec<Layer> {
    let mut st = Stack { cam, out: Vec::new() };
    match view {
        SynthView::Top => st.top(),
        SynthView::Front => st.front(palette, build),
        SynthView::Left | SynthView::Right => st.side(view, palette, build.seed),
        SynthView::Back => st.back(),
    }
    st.out
}

// Outlines of the body parts, image mm around the head ellipse's centre (x to the
// right of the photo, y down); a side view's are mirrored for the right side.

/// Shoulders ~25 cm below the vertex, seen from above.
const TOP_SHOULDERS: [P2; 13] = [
    (-128.0, 200.0),
    (-124.0, 95.0),
    (-112.0, 42.0),
    (-90.0, 10.0),
    (-50.0, -2.0),
    (0.0, 2.0),
    (50.0, -2.0),
    (90.0, 10.0),
    (112.0, 42.0),
    (124.0, 95.0),
    (128.0, 200.0),
    (140.0, 300.0),
    (-140.0, 300.0),
];
const FRONT_NECK: [P2; 6] = [
    (-52.0, 95.0),
    (52.0, 95.0),
    (54.0, 175.0),
    (72.0, 215.0),
    (-72.0, 215.0),
    (-54.0, 175.0),
];
const FRONT_SHIRT: [P2; 11] = [
    (-240.0, 216.0),
    (-130.0, 201.0),
    (-72.0, 192.0),
    (-35.0, 202.0),
    (0.0, 207.0),
    (35.0, 202.0),
    (72.0, 192.0),
    (130.0, 201.0),
    (240.0, 216.0),
    (240.0, 360.0),
    (-240.0, 360.0),
];
const SIDE_NECK: [P2; 11] = [
    (-50.0, 100.0),
    (-46.0, 130.0),
    (-50.0, 170.0),
    (-62.0, 205.0),
    (-80.0, 240.0),
    (100.0, 240.0),
    (80.0, 200.0),
    (66.0, 150.0),
    (60.0, 110.0),
    (55.0, 70.0),
    (0.0, 55.0),
];
const SIDE_SHIRT: [P2; 9] = [
    (-160.0, 214.0),
    (-85.0, 196.0),
    (-50.0, 192.0),
    (0.0, 184.0),
    (50.0, 178.0),
    (100.0, 186.0),
    (180.0, 208.0),
    (180.0, 360.0),
    (-160.0, 360.0),
];
/// The nape, part of the head from behind.
const BACK_NECK: [P2; 8] = [
    (-52.0, 30.0),
    (52.0, 30.0),
    (56.0, 120.0),
    (62.0, 150.0),
    (98.0, 195.0),
    (-98.0, 195.0),
    (-62.0, 150.0),
    (-56.0, 120.0),
];
const BACK_SHIRT: [P2; 9] = [
    (-230.0, 178.0),
    (-120.0, 154.0),
    (-64.0, 144.0),
    (0.0, 152.0),
    (64.0, 144.0),
    (120.0, 154.0),
    (230.0, 178.0),
    (230.0, 360.0),
    (-230.0, 360.0),
];

impl Stack<'_> {
    /// The cranium ellipsoid, `depth` mm deep (0: merged with the face or neck).
    fn cranium(&self, depth: f64) -> Prim {
        let (a, b) = self.cam.radii;
        Prim::Ellipsoid {
            c: (0.0, 0.0),
            r: (a, b),
            depth,
        }
    }

    /// A neck behind the head, of outline `pts` mirrored by `mirror`.
    fn neck(&mut self, pts: &[P2], mirror: f64) {
        self.push(
            Surface::new(vec![outline(pts, mirror)], &NECK_INFLATE),
            NECK,
            Role::Back,
            0.0,
            Marks::None,
        );
    }

    /// A shirt of outline `pts` mirrored by `mirror`, slightly out of focus.
    fn shirt(&mut self, pts: &[P2], mirror: f64, role: Role) {
        self.push(
            Surface::new(vec![outline(pts, mirror)], &CLOTH_INFLATE),
            cloth(),
            role,
            1.0,
            Marks::None,
        );
    }

    /// Both ears behind the head, the one on side `s` (−1 left, 1 right) in `frame(s)`.
    fn ears_behind(&mut self, frame: impl Fn(f64) -> Frame) {
        for s in [-1.0, 1.0] {
            self.ear(frame(s), Role::Back, false);
        }
    }

    /// The head merged with a face of `outline` and `bumps`.
    fn head_with_face(&mut self, (outline, bumps, face): (Poly, Vec<Bump>, Face)) {
        let surface = Surface::new(vec![self.cranium(0.0), Prim::Outline(outline)], &HEAD_INFLATE).with_bumps(bumps);
        self.push(surface, SKIN, Role::Head, 0.0, Marks::Face(Box::new(face)));
    }

    fn top(&mut self) {
        let a = self.cam.radii.0;
        // The shoulders: smaller by perspective, out of focus, a little darker.
        let shoulders = Surface::new(vec![outline(&TOP_SHOULDERS, 1.0)], &CLOTH_INFLATE);
        self.push(shoulders, cloth_dim(0.75), Role::Back, 12.0, Marks::None);
        self.ears_behind(|s| Frame {
            o: (s * (a + 7.0), -22.0),
            ex: (0.0, 1.1),
            ey: (-s * 0.17, 0.0),
        });
        self.push(
            Surface::new(vec![self.cranium(88.0)], &HEAD_INFLATE),
            SKIN,
            Role::Head,
            0.0,
            Marks::None,
        );
    }

    fn front(&mut self, palette: &Palette, build: Build) {
        let a = self.cam.radii.0;
        let vg = self.cam.project_mm(PointMm::new(0.0, 0.0)).map_or(47.0, |p| p.1);
        self.neck(&FRONT_NECK, 1.0);
        self.shirt(&FRONT_SHIRT, 1.0, Role::Back);
        self.ears_behind(|s| Frame {
            o: (s * (a - 10.0), vg - 6.0),
            ex: (s * 0.7, 0.0),
            ey: (s * 0.1, 0.95),
        });
        self.head_with_face(Face::front(vg, build.ipd_mm, build.skin_type, palette, build.seed));
    }

    fn side(&mut self, view: SynthView, palette: &Palette, seed: u64) {
        let m = self.cam.mirror;
        self.neck(&SIDE_NECK, m);
        self.shirt(&SIDE_SHIRT, m, Role::Back);
        self.head_with_face(Face::side(m, palette, seed));
        self.ear(side_ear_frame(self.cam, view), Role::Front, true);
    }

    fn back(&mut self) {
        let a = self.cam.radii.0;
        self.ears_behind(|s| Frame {
            o: (s * (a - 9.0), -20.0),
            ex: (s * 0.55, 0.0),
            ey: (s * 0.06, 0.92),
        });
        let head = Surface::new(vec![self.cranium(0.0), outline(&BACK_NECK, 1.0)], &HEAD_INFLATE);
        self.push(head, SKIN, Role::Head, 0.0, Marks::None);
        self.shirt(&BACK_SHIRT, 1.0, Role::Front);
    }
}

/// The ear frame in a side view from the design: the auricle's local (x, y) sits at
/// design (∓(132 + y), 189 + x), tilted back 0.2 mm per mm, wrapped like the scalp.
fn side_ear_frame(cam: &Camera, view: SynthView) -> Frame {
    let side = if view == SynthView::Left { -1.0 } else { 1.0 };
    let at = |lx: f64, ly: f64| {
        let p = PointMm::new(side * (132.0 + ly), 189.0 + lx + 0.2 * (31.0 - ly));
        cam.project_mm(p).unwrap_or((0.0, 0.0))
    };
    let o = at(16.0, 31.0);
    let (x0, x1, y0, y1) = (at(8.0, 31.0), at(24.0, 31.0), at(16.0, 23.0), at(16.0, 39.0));
    let ex = ((x1.0 - x0.0) / 16.0, (x1.1 - x0.1) / 16.0);
    let ey = ((y1.0 - y0.0) / 16.0, (y1.1 - y0.1) / 16.0);
    Frame {
        o: (o.0 - 16.0 * ex.0 - 31.0 * ey.0, o.1 - 16.0 * ex.1 - 31.0 * ey.1),
        ex,
        ey,
    }
}
