//! The printable calibration card: a bank-card-sized card (85 × 54 mm) on page 1 of a
//! sheet, drawn from the layout the detector reads (`smp_photo::card::layout`), with its
//! printing instructions. Written directly with pdf-writer: a few shapes and lines of
//! text in a standard font need no typesetting, and the viewer preference that stops a
//! printer from scaling it can be set.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use smp_photo::card::layout::{
    CARD_H_MM, CARD_ID, CARD_VERSION, CARD_W_MM, DOT_MM, MARKERS_MM, PATCH_MM, PATCHES, RING_INNER_MM, RING_OUTER_MM, SCALE_BAR_H_MM,
    SCALE_BAR_MM, SCALE_BAR_X_MM, SCALE_BAR_Y_MM,
};

/// The sheet the card is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
    /// ISO A6, 105 × 148 mm (a postcard).
    A6,
}

impl Paper {
    /// Width and height, mm.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
            Paper::A6 => (105.0, 148.0),
        }
    }

    /// The name as the CLI takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
            Paper::A6 => "a6",
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            "a6" => Ok(Paper::A6),
            _ => Err(format!("unknown paper {s:?}: use a4, letter or a6")),
        }
    }
}

/// Distance of the card's top edge from the sheet's, mm.
const TOP_MARGIN_MM: f64 = 12.0;

/// What the sheet says under the card.
const INSTRUCTIONS: [&str; 4] = [
    "Print this page at 100 % (\"actual size\"), never \"fit to page\" or \"shrink to fit\".",
    "Then measure the black bar on the card with a ruler: it must be 50 mm long. If it is not, print again.",
    "Cut along the grey line. Keep the card flat and clean, and print a new one when it fades or gets marked.",
    "Hold it flat beside the area you photograph, facing the camera, in the same light as the scalp.",
];

fn pt(mm: f64) -> f32 {
    (mm * 72.0 / 25.4) as f32
}

/// The card on `paper` as a one-page PDF.
pub fn card_pdf(paper: Paper) -> Vec<u8> {
    let (page_w, page_h) = paper.size_mm();
    let sheet = Sheet {
        origin: ((page_w - CARD_W_MM) / 2.0, TOP_MARGIN_MM),
        page_h,
    };
    let mut c = Content::new();
    sheet.draw_card(&mut c);
    sheet.write_text(&mut c, paper, page_w);
    let content = c.finish();
    pdf_of(paper, &content)
}

/// Where the card lies on the sheet.
struct Sheet {
    /// The card's top-left corner on the sheet, mm from the sheet's top-left.
    origin: (f64, f64),
    /// The sheet's height, mm.
    page_h: f64,
}

/// The font the card's text is set in, as the page's resources name it.
const FONT: Name = Name(b"F1");

impl Sheet {
    /// Card mm (from its top-left) to PDF points (from the sheet's bottom-left).
    fn at(&self, x: f64, y: f64) -> (f32, f32) {
        (pt(self.origin.0 + x), pt(self.page_h - self.origin.1 - y))
    }

    /// The cut line, the markers, the grey patches and the scale bar.
    fn draw_card(&self, c: &mut Content) {
        c.set_stroke_gray(0.6).set_line_width(0.5);
        let (x0, y0) = self.at(0.0, CARD_H_MM);
        c.rect(x0, y0, pt(CARD_W_MM), pt(CARD_H_MM)).stroke();
        for (k, &(mx, my)) in MARKERS_MM.iter().enumerate() {
            let (x, y) = self.at(mx, my);
            c.set_fill_gray(0.0);
            circle(c, x, y, pt(RING_OUTER_MM));
            c.set_fill_gray(1.0);
            circle(c, x, y, pt(RING_INNER_MM));
            // The top-left marker has no dot: it names the card's corner.
            if k > 0 {
                c.set_fill_gray(0.0);
                circle(c, x, y, pt(DOT_MM));
            }
        }
        for p in &PATCHES {
            let (x, y) = self.at(p.x_mm, p.y_mm + PATCH_MM);
            if p.grey >= 1.0 {
                // White is the paper itself; a hairline shows where it is.
                c.set_stroke_gray(0.75).set_line_width(0.3);
                c.rect(x, y, pt(PATCH_MM), pt(PATCH_MM)).stroke();
            } else {
                c.set_fill_gray(p.grey as f32);
                c.rect(x, y, pt(PATCH_MM), pt(PATCH_MM)).fill_nonzero();
            }
        }
        // The scale bar with a tick every 5 mm (longer every 10 mm).
        c.set_fill_gray(0.0);
        let (x, y) = self.at(SCALE_BAR_X_MM, SCALE_BAR_Y_MM + SCALE_BAR_H_MM);
        c.rect(x, y, pt(SCALE_BAR_MM), pt(SCALE_BAR_H_MM)).fill_nonzero();
        for t in 0..=10 {
            let len = if t % 2 == 0 { 1.6 } else { 0.9 };
            let (x, y) = self.at(SCALE_BAR_X_MM + 5.0 * f64::from(t) - 0.125, SCALE_BAR_Y_MM);
            c.rect(x, y, pt(0.25), pt(len)).fill_nonzero();
        }
    }

    /// One line of text at card mm `(x_mm, y_mm)`.
    fn text(&self, c: &mut Content, (x_mm, y_mm): (f64, f64), size: f32, s: &str) {
        let (x, y) = self.at(x_mm, y_mm);
        c.begin_text();
        c.set_font(FONT, size);
        c.next_line(x, y);
        c.show(Str(s.as_bytes()));
        c.end_text();
    }

    /// The card's labels, and the instructions under it wrapped to the `page_w` mm sheet.
    fn write_text(&self, c: &mut Content, paper: Paper, page_w: f64) {
        c.set_fill_gray(0.0);
        self.text(
            c,
            (SCALE_BAR_X_MM, SCALE_BAR_Y_MM + SCALE_BAR_H_MM + 2.6),
            5.0,
            "measure this bar: it must be 50 mm",
        );
        self.text(c, (SCALE_BAR_X_MM, 37.0), 7.0, "SMP Studio calibration card");
        self.text(
            c,
            (SCALE_BAR_X_MM, 41.5),
            5.0,
            &format!("card {CARD_ID}, version {CARD_VERSION}, {CARD_W_MM:.0} x {CARD_H_MM:.0} mm"),
        );
        self.text(c, (SCALE_BAR_X_MM, 45.5), 5.0, "Hold flat beside the area, in the same light.");
        let size = if paper == Paper::A6 { 7.0 } else { 9.0 };
        let width_mm = page_w - 20.0;
        let mut y = CARD_H_MM + 10.0;
        for para in INSTRUCTIONS {
            for line in wrap(para, width_mm, size) {
                self.text(c, (10.0 - self.origin.0, y), size, &line);
                y += f64::from(size) * 0.45;
            }
            y += f64::from(size) * 0.2;
        }
    }
}

/// The one-page PDF of a `paper` sheet drawn by `content`.
fn pdf_of(paper: Paper, content: &[u8]) -> Vec<u8> {
    let (page_w, page_h) = paper.size_mm();
    let (catalog, pages, page, font_id, content_id, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    let mut pdf = Pdf::new();
    {
        let mut cat = pdf.catalog(catalog);
        cat.pages(pages);
        // A printer's "fit to page" would silently change the card's scale.
        cat.viewer_preferences().pair(Name(b"PrintScaling"), Name(b"None"));
    }
    pdf.pages(pages).kids([page]).count(1);
    {
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, pt(page_w), pt(page_h)));
        p.parent(pages);
        p.contents(content_id);
        p.resources().fonts().pair(FONT, font_id);
        p.finish();
    }
    pdf.type1_font(font_id)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.stream(content_id, content);
    pdf.document_info(info)
        .title(TextStr("SMP Studio calibration card"))
        .subject(TextStr(&format!("{CARD_ID} version {CARD_VERSION}, {} paper", paper.as_str())));
    pdf.finish()
}

/// The card as printed, seen flat and square-on at `px_per_mm`: page 1 of its PDF
/// rasterised (hayro, anti-aliased) and cut to the card. Synthetic photos put this
/// print in the scene, so what is detected is what `smp card` prints.
pub fn card_print(px_per_mm: f64) -> Result<image::RgbImage, String> {
    use hayro::hayro_interpret::InterpreterSettings;
    let paper = Paper::A6;
    let pdf = hayro::hayro_syntax::Pdf::new(card_pdf(paper)).map_err(|e| format!("the card PDF does not read back: {e:?}"))?;
    let page = pdf.pages().first().ok_or("the card PDF has no page")?;
    let scale = (px_per_mm * 25.4 / 72.0) as f32;
    let settings = hayro::RenderSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: hayro::vello_cpu::color::palette::css::WHITE,
        ..Default::default()
    };
    let pix = hayro::render(page, &hayro::RenderCache::new(), &InterpreterSettings::default(), &settings);
    let (pw, ph) = (u32::from(pix.width()), u32::from(pix.height()));
    let rgba = pix.data_as_u8_slice();
    let (x0, y0) = ((paper.size_mm().0 - CARD_W_MM) / 2.0 * px_per_mm, TOP_MARGIN_MM * px_per_mm);
    let (cw, ch) = ((CARD_W_MM * px_per_mm).round() as u32, (CARD_H_MM * px_per_mm).round() as u32);
    if x0 as u32 + cw > pw || y0 as u32 + ch > ph {
        return Err("the card does not fit its rendered page".into());
    }
    Ok(image::RgbImage::from_fn(cw, ch, |x, y| {
        let i = (((y0.round() as u32 + y) * pw + x0.round() as u32 + x) * 4) as usize;
        image::Rgb([rgba[i], rgba[i + 1], rgba[i + 2]])
    }))
}

/// A filled circle of radius `r` about `(x, y)` (points), as four Béziers.
fn circle(c: &mut Content, x: f32, y: f32, r: f32) {
    let k = 0.552_284_8 * r;
    c.move_to(x + r, y);
    c.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    c.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    c.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    c.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    c.close_path();
    c.fill_nonzero();
}

/// `s` broken into lines that fit `width_mm` at `size` points (Helvetica's average
/// character is about half its size wide).
fn wrap(s: &str, width_mm: f64, size: f32) -> Vec<String> {
    let per_line = (width_mm / (0.5 * f64::from(size) * 25.4 / 72.0)) as usize;
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + word.len() > per_line {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_pdf_asks_not_to_be_scaled_and_says_how_to_check() {
        for paper in [Paper::A4, Paper::Letter, Paper::A6] {
            let pdf = card_pdf(paper);
            let text = String::from_utf8_lossy(&pdf);
            assert!(pdf.starts_with(b"%PDF-"));
            assert!(text.contains("/PrintScaling /None"), "{paper:?}");
            assert!(text.contains("measure this bar: it must be 50 mm"));
            assert!(text.contains("/Count 1"), "one page");
            let (w, h) = paper.size_mm();
            assert!(
                text.contains(&format!("/MediaBox [0 0 {} {}]", pt(w), pt(h))),
                "{paper:?} page size"
            );
        }
        assert_eq!("Letter".parse::<Paper>(), Ok(Paper::Letter));
        assert!("b5".parse::<Paper>().unwrap_err().contains("a4, letter or a6"));
        assert!(wrap(INSTRUCTIONS[1], 85.0, 7.0).len() >= 2);
    }

    #[test]
    fn the_print_is_the_card_at_its_scale() {
        let print = card_print(6.0).unwrap();
        assert_eq!((print.width(), print.height()), (510, 324));
        // The top-left marker's ring is black, its hole white, and no dot in it; the
        // top-right marker has its dot.
        let at = |x_mm: f64, y_mm: f64| print.get_pixel((x_mm * 6.0) as u32, (y_mm * 6.0) as u32).0[1];
        let (mx, my) = MARKERS_MM[0];
        assert!(at(mx + 5.2, my) < 40, "ring");
        assert!(at(mx, my) > 215, "plain hole");
        assert!(at(MARKERS_MM[1].0, MARKERS_MM[1].1) < 40, "dot");
        let p = &PATCHES[2];
        assert!((i32::from(at(p.x_mm + 4.5, p.y_mm + 4.5)) - 128).abs() <= 3, "mid grey");
    }
}
