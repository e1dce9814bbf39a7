//! `smp calibrate` and `smp preview` end to end on a generated photo.

mod common;

use common::{smp, stderr, tmp};

use std::path::Path;
use std::process::Output;

use image::{Rgb, RgbImage};

/// A design from a template and a plain skin-coloured 600×450 photo beside it.
fn setup(dir: &Path) -> (String, String) {
    let d = dir.join("client.json");
    assert!(
        smp(&["design", "template", "--pattern", "norwood-3", "-o", d.to_str().unwrap()])
            .status
            .success()
    );
    let photo = dir.join("top.png");
    RgbImage::from_pixel(600, 450, Rgb([221, 182, 160])).save(&photo).unwrap();
    (d.to_string_lossy().into_owned(), photo.to_string_lossy().into_owned())
}

fn calibrate(design: &str, photo: &str) -> Output {
    // 100 px across 25 mm: 4 px/mm; the mid-frontal hairline point (0,80) at (300,60).
    smp(&[
        "calibrate",
        design,
        "--view",
        "top",
        "--photo",
        photo,
        "--p1",
        "10,10",
        "--p2",
        "110,10",
        "--distance-mm",
        "25",
        "--ref-px",
        "300,60",
        "--ref-mm",
        "0,80",
        "-q",
    ])
}

#[test]
fn calibrate_then_preview_healed_and_side_by_side() {
    let dir = tmp("ok");
    let (design, photo) = setup(&dir);
    let o = calibrate(&design, &photo);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&design).unwrap()).unwrap();
    let view = &v["views"][0];
    assert_eq!(view["name"], "top");
    assert_eq!(view["file"], "top.png", "photo stored relative to the design");
    let m: Vec<f64> = view["mm_to_px"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    assert!((m[0] - 4.0).abs() < 1e-9 && (m[4] - 4.0).abs() < 1e-9, "{m:?}");

    let out = dir.join("healed.png");
    let o = smp(&["preview", &design, "--state", "healed", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("rendered in"));
    let img = image::open(&out).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (600, 450));
    // Dots darken the treated area behind the hairline, not the forehead in front of it.
    let mean_g = |y0: u32, y1: u32| {
        let (mut s, mut n) = (0u64, 0u64);
        for y in y0..y1 {
            for x in 200..400 {
                s += u64::from(img.get_pixel(x, y)[1]);
                n += 1;
            }
        }
        s as f64 / n as f64
    };
    // Healed dots (0.12 mm, under half a pixel here) shade the area slightly, as a shaved
    // head's stubble does from a distance.
    let healed = mean_g(120, 180);
    assert!(healed < 182.0 - 0.3, "treated area darker: {healed}");
    assert_eq!(mean_g(5, 25), 182.0, "forehead untouched");
    let fresh_out = dir.join("fresh.png");
    assert!(
        smp(&["preview", &design, "--state", "fresh", "-q", "-o", fresh_out.to_str().unwrap()])
            .status
            .success()
    );
    let fresh = image::open(&fresh_out).unwrap().to_rgb8();
    let fresh_g: f64 = (120..180)
        .flat_map(|y| (200..400).map(move |x| (x, y)))
        .map(|(x, y)| f64::from(fresh.get_pixel(x, y)[1]))
        .sum::<f64>()
        / 12_000.0;
    assert!(fresh_g < healed - 2.0, "fresh {fresh_g} darker than healed {healed}");

    let sbs = dir.join("sbs.jpg");
    let o = smp(&[
        "preview",
        &design,
        "--view",
        "top",
        "--state",
        "aged:5",
        "--session",
        "1",
        "--side-by-side",
        "-q",
        "-o",
        sbs.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(image::open(&sbs).unwrap().width() > 1200);
}

#[test]
fn preview_and_calibrate_errors_are_clear_and_lose_nothing() {
    let dir = tmp("errors");
    let (design, photo) = setup(&dir);
    let original = std::fs::read_to_string(&design).unwrap();
    let out = dir.join("x.png");
    let o = smp(&["preview", &design, "--state", "healed", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("smp calibrate"), "{}", stderr(&o));
    let o = smp(&[
        "calibrate",
        &design,
        "--view",
        "top",
        "--photo",
        &photo,
        "--p1",
        "10,10",
        "--p2",
        "10,10",
        "--distance-mm",
        "25",
        "--ref-px",
        "300,60",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("same pixel"));
    let o = smp(&[
        "calibrate",
        &design,
        "--view",
        "top",
        "--photo",
        &photo,
        "--p1",
        "10,10",
        "--p2",
        "900,10",
        "--distance-mm",
        "25",
        "--ref-px",
        "300,60",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("outside"));
    // Issue 15: a view the app does not know ("side") is refused, naming the known ones.
    let o = smp(&[
        "calibrate",
        &design,
        "--view",
        "side",
        "--photo",
        &photo,
        "--p1",
        "10,10",
        "--p2",
        "90,10",
        "--distance-mm",
        "25",
        "--ref-px",
        "30,60",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("top, front, left, right, back, crown"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&design).unwrap(),
        original,
        "a failed calibration leaves the design as it was"
    );

    assert!(calibrate(&design, &photo).status.success());
    let o = smp(&["preview", &design, "--state", "medium-rare", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fresh, healed or aged:N"));
    // A truncated photo and a file that is not a photo.
    let bytes = std::fs::read(&photo).unwrap();
    let cut = dir.join("cut.png");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let o = smp(&["preview", &design, "--photo", cut.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("truncated") || stderr(&o).contains("damaged"), "{}", stderr(&o));
    let txt = dir.join("notes.jpg");
    std::fs::write(&txt, "consultation notes").unwrap();
    let o = smp(&["preview", &design, "--photo", txt.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a JPEG, PNG or WebP"));
    assert!(!out.exists(), "no output written on error");
}

#[test]
fn a_photo_of_another_size_is_scaled_or_refused_and_a_truncated_one_refused() {
    let dir = tmp("sizes");
    let (design, photo) = setup(&dir);
    assert!(calibrate(&design, &photo).status.success());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&design).unwrap()).unwrap();
    assert_eq!(
        v["views"][0]["photo_size_px"],
        serde_json::json!([600, 450]),
        "calibration stores the photo's size"
    );
    let out = dir.join("out.png");
    let run = |p: &Path| {
        smp(&[
            "preview",
            &design,
            "--photo",
            p.to_str().unwrap(),
            "--state",
            "healed",
            "-o",
            out.to_str().unwrap(),
        ])
    };
    // Half the size, same shape: the calibration is scaled and the user told so.
    let half = dir.join("half.png");
    RgbImage::from_pixel(300, 225, Rgb([221, 182, 160])).save(&half).unwrap();
    let o = run(&half);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("scaled by 0.500"), "{}", stderr(&o));
    assert_eq!(image::open(&out).unwrap().width(), 300);
    // Another shape: refused (exit 2), both sizes named.
    let square = dir.join("square.png");
    RgbImage::from_pixel(450, 450, Rgb([221, 182, 160])).save(&square).unwrap();
    let o = run(&square);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("450×450") && stderr(&o).contains("600×450"), "{}", stderr(&o));
    // A cut-off JPEG: refused with the plain message, never previewed on a grey half.
    let jpeg = dir.join("cut.jpg");
    let mut bytes = Vec::new();
    RgbImage::from_pixel(600, 450, Rgb([221, 182, 160]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    std::fs::write(&jpeg, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let o = run(&jpeg);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the file is truncated (it ends early): re-export or re-upload it"),
        "{}",
        stderr(&o)
    );
}

/// Issue 15: an output that cannot be written is refused before the slow work, saying
/// why; nothing is decoded or rendered first.
#[test]
fn unwritable_outputs_are_refused_before_any_work() {
    let dir = tmp("unwritable");
    let (design, photo) = setup(&dir);
    assert!(calibrate(&design, &photo).status.success());
    let missing = dir.join("no-such-folder").join("after.png");
    let o = smp(&["preview", &design, "--state", "healed", "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("does not exist; create it first") && !e.contains("decoding"), "{e}");
    let o = smp(&["preview", &design, "--state", "healed", "-o", dir.to_str().unwrap()]);
    assert!(stderr(&o).contains("is a folder; give a file name"), "{}", stderr(&o));
    let o = smp(&["synth", "--pattern", "norwood-3", "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!missing.exists());
    // The impressions, the session's path and the plan's calendar: refused before
    // sampling a single dot.
    let folder = dir.join("no-such-folder");
    for args in [
        vec!["impressions", &design, "-o", folder.join("dots.csv").to_str().unwrap()]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>(),
        ["path", &design, "--session", "1", "-o", folder.join("s1.gcode").to_str().unwrap()]
            .map(String::from)
            .to_vec(),
        [
            "plan",
            &design,
            "--start",
            "2027-01-04",
            "--ics",
            folder.join("visits.ics").to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec(),
    ] {
        let o = smp(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("does not exist; create it first") && !e.contains("sampling"),
            "{args:?}: {e}"
        );
    }
    assert!(!folder.exists());
}
