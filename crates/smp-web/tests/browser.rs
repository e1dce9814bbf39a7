//! The editor in real headless Chromium through WebDriver (chromedriver): log in,
//! create a client, upload a synthetic photo, calibrate, draw a hairline, see dots,
//! switch to the healed preview, save a version, reload and see it, log out; another
//! clinic's user can't open the client. Screenshots go to target/browser-shots/.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{PASSWORD, spawn_apps, synth_photo};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use smp_store::Role;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver, or None (skip) outside CI when it is missing.
async fn start_driver() -> Option<(Driver, u16)> {
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    match Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => {
            let driver = Driver(child);
            let start = Instant::now();
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "chromedriver did not start on port {port}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Some((driver, port))
        }
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but chromedriver can't start ({bin}: {e}); .ci/run installs chromium and chromium-driver")
        }
        Err(e) => {
            eprintln!(
                "\n*** SKIPPING the browser test: chromedriver can't start ({bin}: {e}); apt-get install chromium chromium-driver ***\n"
            );
            None
        }
    }
}

async fn browser(port: u16) -> Client {
    browser_with(port, &[]).await
}

/// Chromium with `extra` arguments (a fake camera, say).
async fn browser_with(port: u16, extra: &[String]) -> Client {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    if !extra.iter().any(|a| a.starts_with("--window-size=")) {
        args.push("--window-size=1400,1000".into());
    }
    args.extend(extra.iter().cloned());
    let caps = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": args
        }
    });
    let caps = caps.as_object().unwrap().clone();
    ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

/// Polls a JS expression until it is truthy.
async fn wait_js(c: &Client, expr: &str, what: &str) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let v = c.execute(&format!("return {expr};"), vec![]).await.unwrap();
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let hint = c
                .execute(
                    "return document.getElementById('hint') && document.getElementById('hint').textContent;",
                    vec![],
                )
                .await
                .unwrap();
            panic!("timed out waiting for {what} ({expr}); editor hint: {hint}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the canvas at a photo pixel.
async fn click_canvas(c: &Client, at: (f64, f64)) {
    tap_canvas(c, at, 1).await;
}

/// The canvas, scrolled into view (pointer actions do not scroll), and a map from photo
/// pixels to WebDriver's offsets, which are from the element's centre.
async fn canvas_at(c: &Client) -> (fantoccini::elements::Element, impl Fn((f64, f64)) -> (f64, f64)) {
    let canvas = c.find(Locator::Id("overlay")).await.unwrap();
    c.execute("document.getElementById('overlay').scrollIntoView({block: 'center'});", vec![])
        .await
        .unwrap();
    let rect = c
        .execute("const r = document.getElementById('overlay').getBoundingClientRect(), p = document.getElementById('photo'); return [r.width, r.height, p.naturalWidth, p.naturalHeight];", vec![])
        .await
        .unwrap();
    let f: [f64; 4] = std::array::from_fn(|i| rect[i].as_f64().unwrap());
    (canvas, move |(px, py): (f64, f64)| {
        (((px / f[2] - 0.5) * f[0]).round(), ((py / f[3] - 0.5) * f[1]).round())
    })
}

/// `taps` quick clicks (2: a double-click) on the canvas at photo pixel `at`.
async fn tap_canvas(c: &Client, at: (f64, f64), taps: usize) {
    let (canvas, to) = canvas_at(c).await;
    let (x, y) = to(at);
    let mut mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: canvas,
        duration: None,
        x,
        y,
    });
    for _ in 0..taps {
        mouse = mouse
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    }
    c.perform_actions(mouse).await.unwrap();
}

/// Drags on the canvas from photo pixel `from` to `to` in a few steps, as a finger does.
async fn drag_canvas(c: &Client, from: (f64, f64), to: (f64, f64)) {
    let (canvas, at) = canvas_at(c).await;
    let (x0, y0) = at(from);
    let mut mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: canvas.clone(),
            duration: None,
            x: x0,
            y: y0,
        })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
    for k in 1..=5 {
        let t = f64::from(k) / 5.0;
        let (x, y) = at((from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t));
        mouse = mouse.then(PointerAction::MoveToElement {
            element: canvas.clone(),
            duration: Some(Duration::from_millis(30)),
            x,
            y,
        });
    }
    c.perform_actions(mouse.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT }))
        .await
        .unwrap();
}

/// Whether leaving the page now would ask first (the unsaved-changes guard).
async fn leaving_asks(c: &Client) -> bool {
    c.execute(
        "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;",
        vec![],
    )
    .await
    .unwrap()
    .as_bool()
    .expect("a yes or no")
}

/// Clicks the element with id `id` after scrolling it to the middle of its scroll area,
/// as a user would: WebDriver's own scrolling puts it at the bottom edge, under the
/// editor's sticky save bar.
async fn press(c: &Client, id: &str) {
    c.execute(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center', inline: 'nearest'});",
        vec![json!(id)],
    )
    .await
    .unwrap();
    c.find(Locator::Id(id)).await.unwrap().click().await.unwrap();
}

async fn shot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-shots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), c.screenshot().await.unwrap()).unwrap();
}

async fn login(c: &Client, base: &str, email: &str) {
    login_with(c, base, email, PASSWORD).await;
}

/// As [`login`], with a password of its own (the demo's).
async fn login_with(c: &Client, base: &str, email: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("email")).await.unwrap().send_keys(email).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    press(c, "login").await;
    wait_js(c, "location.pathname === '/clients'", "the clients list after login").await;
}

/// From the clients list: a new client `name`, the photo at `photo` uploaded as its top
/// view, and a new design on it opened in the editor; returns the client page's path.
async fn new_design_on_photo(c: &Client, name: &str, photo: &std::path::Path) -> serde_json::Value {
    c.find(Locator::Id("new-name")).await.unwrap().send_keys(name).await.unwrap();
    press(c, "create-client").await;
    let client_path = wait_js(
        c,
        "/^\\/clients\\/\\d+$/.test(location.pathname) && location.pathname",
        "the new client's page",
    )
    .await;
    // The record opens on its details; photos and designs are a tab of their own.
    wait_js(
        c,
        "!document.getElementById('tab-details').hidden && document.getElementById('tab-photos').hidden && document.querySelectorAll('.tab-panel:not([hidden])').length === 1",
        "the client page's first tab alone",
    )
    .await;
    press(c, "tab-link-photos").await;
    wait_js(
        c,
        "!document.getElementById('tab-photos').hidden && location.hash === '#tab-photos'",
        "the photos tab",
    )
    .await;
    c.find(Locator::Id("photo-file"))
        .await
        .unwrap()
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    press(c, "upload").await;
    wait_js(
        c,
        "document.querySelector('.view img') !== null",
        "the uploaded photo on the client page",
    )
    .await;
    press(c, "create-design").await;
    wait_js(c, "/\\/designs\\/\\d+\\/edit/.test(location.pathname)", "the editor").await;
    client_path
}

/// In a new design's editor: calibrates by a 50 mm ruler across the head and the
/// glabella (`at` maps design mm to photo pixels by the synthetic head's true
/// calibration), then clears the template's hairline and draws one of five handles;
/// returns when the dots of the new hairline are drawn.
async fn calibrate_and_redraw_hairline(c: &Client, at: &impl Fn(f64, f64) -> (f64, f64), glabella: smp_design::PointMm) {
    click_canvas(c, at(-25.0, 100.0)).await;
    click_canvas(c, at(25.0, 100.0)).await;
    click_canvas(c, at(glabella.x, glabella.y + 80.0)).await;
    wait_js(
        c,
        "document.getElementById('cal-status').textContent.includes('px per mm')",
        "the calibration",
    )
    .await;
    let dots_before = wait_js(
        c,
        "Number(document.getElementById('editor').dataset.dots || 0)",
        "the template's dots",
    )
    .await;
    press(c, "mode-hairline").await;
    press(c, "hairline-clear").await;
    let g = glabella.y;
    for (x, y) in [
        (-45.0, g + 92.0),
        (45.0, g + 92.0),
        (0.0, g + 75.0),
        (-25.0, g + 79.0),
        (25.0, g + 79.0),
    ] {
        click_canvas(c, at(x, y)).await;
    }
    wait_js(
        c,
        &format!("Number(document.getElementById('editor').dataset.dots) !== {dots_before}"),
        "dots after the hairline edit",
    )
    .await;
}

/// Where the editor's parts are on screen: `[top, bottom]` of the photo, the preview
/// buttons and the save button (viewport px), the viewport's height and how far the
/// page itself can scroll.
async fn editor_layout(c: &Client) -> serde_json::Value {
    c.execute(
        "const r = (id) => { const b = document.getElementById(id).getBoundingClientRect(); return [b.top, b.bottom]; }; \
         return { photo: r('overlay'), states: r('state-healed'), save: r('save'), view: window.innerHeight, \
                  page_scroll: document.documentElement.scrollHeight - window.innerHeight };",
        vec![],
    )
    .await
    .unwrap()
}

/// Whether `[top, bottom]` lies inside the viewport of height `view`.
fn on_screen(span: &serde_json::Value, view: f64) -> bool {
    let (top, bottom) = (span[0].as_f64().unwrap(), span[1].as_f64().unwrap());
    top >= 0.0 && bottom <= view + 0.5
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_story_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("browser").await.into_iter().next().unwrap();
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    app.user("Zeta", "owner@zeta.test", Role::Owner).await;
    let (png, truth) = synth_photo(480);
    // Where the synthetic head's true calibration puts design points: the clicks a
    // practitioner would make on a ruler lying across the head and on the glabella.
    let view = truth.views()[0].clone();
    let at = |x: f64, y: f64| {
        let p = smp_photo::view::project(&view, smp_design::PointMm::new(x, y)).expect("on the visible head");
        (p.x, p.y)
    };
    let photo_path = app.db.dir.join("head-top.png");
    std::fs::write(&photo_path, png).unwrap();

    let c = browser(port).await;
    let base = &app.base;
    login(&c, base, "owner@alpha.test").await;

    let client_path = new_design_on_photo(&c, "Browser Client", &photo_path).await;
    wait_js(
        &c,
        "document.getElementById('hint').textContent.includes('ruler')",
        "the calibration prompt",
    )
    .await;
    assert_eq!(
        c.execute("return document.getElementById('cal-ref').value;", vec![]).await.unwrap(),
        json!("80"),
        "top views default to the hairline centre"
    );

    let glabella = truth.glabella().expect("templates mark the glabella");
    calibrate_and_redraw_hairline(&c, &at, glabella).await;
    let count = wait_js(&c, "document.getElementById('dot-count').textContent", "the dot count").await;
    assert!(count.as_str().unwrap().contains("impressions"), "{count}");
    shot(&c, "editor-dots.png").await;
    // 1400 × 1000: the page does not scroll; the photo, the preview buttons and Save are
    // all in view at once (the side panel scrolls on its own).
    let l = editor_layout(&c).await;
    let view = l["view"].as_f64().unwrap();
    assert!(l["page_scroll"].as_f64().unwrap() <= 1.0, "the page scrolls: {l}");
    for part in ["photo", "states", "save"] {
        assert!(on_screen(&l[part], view), "{part} off screen at 1400 px: {l}");
    }
    shot(&c, "editor-1400.png").await;

    press(&c, "state-healed").await;
    wait_js(&c, "!document.getElementById('after').hidden && document.getElementById('after').src.startsWith('blob:') && document.getElementById('after').complete", "the healed preview").await;
    shot(&c, "editor-healed.png").await;

    // Match the pigment to measured colours and use it: the regions take it.
    c.find(Locator::Id("match-skin"))
        .await
        .unwrap()
        .send_keys("68,10,16")
        .await
        .unwrap();
    c.find(Locator::Id("match-hair"))
        .await
        .unwrap()
        .send_keys("30, 3, 2")
        .await
        .unwrap();
    press(&c, "match").await;
    let best = wait_js(
        &c,
        "document.getElementById('match-best') && document.getElementById('match-best').textContent",
        "the pigment match",
    )
    .await;
    let want = smp_color::pigments::match_pigment(
        [68.0, 10.0, 16.0],
        [30.0, 3.0, 2.0],
        &smp_color::pigments::PigmentLibrary::builtin(),
    )
    .unwrap();
    let label = format!("{} 1:{}", want.pigment, want.dilution);
    assert!(best.as_str().unwrap().contains(&label), "{best} vs {label}");
    press(&c, "match-apply").await;
    let chosen = c
        .execute("return document.querySelector('#regions [data-p=name]').value + ' 1:' + document.querySelector('#regions [data-p=dilution]').value;", vec![])
        .await
        .unwrap();
    assert_eq!(chosen.as_str().unwrap(), label, "the region row shows the chosen pigment");
    c.execute("document.getElementById('match-result').scrollIntoView({block: 'center'});", vec![])
        .await
        .unwrap();
    shot(&c, "editor-pigment.png").await;
    // A malformed colour is refused in words, not sent.
    c.execute("document.getElementById('match-hair').value = '30;3';", vec![])
        .await
        .unwrap();
    press(&c, "match").await;
    wait_js(
        &c,
        "document.getElementById('match-result').textContent.includes('three numbers')",
        "the colour error",
    )
    .await;

    c.find(Locator::Id("save-note"))
        .await
        .unwrap()
        .send_keys("hairline drawn")
        .await
        .unwrap();
    press(&c, "save").await;
    wait_js(
        &c,
        "document.getElementById('save-status').textContent.includes('Saved as version 2')",
        "the save",
    )
    .await;

    c.refresh().await.unwrap();
    wait_js(&c, "document.getElementById('editor').dataset.version === '2' && document.getElementById('dot-count').textContent.includes('impressions')", "version 2 after reload").await;
    let has_hairline = c
        .execute("return fetch('/api/v1/designs/' + document.getElementById('editor').dataset.design + '/versions/2').then(r => r.json()).then(v => v.note + '|' + v.design.hairline.points.length + '|' + v.design.regions[0].pigment.name + ' 1:' + v.design.regions[0].pigment.dilution);", vec![])
        .await
        .unwrap();
    assert!(has_hairline.as_str().unwrap().starts_with("hairline drawn|"), "{has_hairline}");
    assert!(
        has_hairline.as_str().unwrap().ends_with(&format!("|{label}")),
        "saved with its pigment: {has_hairline}"
    );
    // The measured colours were kept with the choice and come back into the inputs.
    let measured = c
        .execute(
            "return document.getElementById('match-skin').value + '|' + document.getElementById('match-hair').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(measured, json!("68,10,16|30,3,2"));
    // The note was cleared by the save; nothing is unsaved.
    assert_eq!(
        c.execute(
            "return document.getElementById('save-note').value + '|' + (document.getElementById('editor').dataset.unsaved || '');",
            vec![]
        )
        .await
        .unwrap(),
        json!("|")
    );

    // Undo and redo: a deleted region comes back with one tap, and the page knows
    // whether anything is unsaved (leaving then asks first).
    let regions = "document.querySelectorAll('#regions li').length";
    let n_regions = wait_js(&c, regions, "the regions").await.as_i64().unwrap();
    c.execute(
        "document.querySelector('#regions li button[aria-label=\"delete region\"]').click();",
        vec![],
    )
    .await
    .unwrap();
    wait_js(
        &c,
        &format!(
            "{regions} === {} && document.getElementById('editor').dataset.unsaved === '1' && !document.getElementById('undo').disabled",
            n_regions - 1
        ),
        "the region deleted, unsaved",
    )
    .await;
    assert!(leaving_asks(&c).await, "leaving now asks first");
    press(&c, "undo").await;
    wait_js(
        &c,
        &format!("{regions} === {n_regions} && document.getElementById('editor').dataset.unsaved === '' && !document.getElementById('redo').disabled"),
        "the region back, nothing unsaved",
    )
    .await;
    assert!(!leaving_asks(&c).await, "nothing to lose: leaving does not ask");
    press(&c, "redo").await;
    wait_js(&c, &format!("{regions} === {}", n_regions - 1), "the deletion redone").await;
    press(&c, "undo").await;
    wait_js(&c, &format!("{regions} === {n_regions}"), "the region back again").await;
    // Hairline handles: a tap that misses them adds nothing unless "Add points" is on;
    // a double-tap on one deletes it, and undo brings it back.
    press(&c, "mode-hairline").await;
    let handles = "Number(document.getElementById('editor').dataset.handles)";
    let n_handles = wait_js(&c, handles, "the handles").await.as_i64().unwrap();
    assert!(n_handles >= 3, "{n_handles} handles");
    // One handle sits at the midline apex, between the temples' ends.
    let apex = c
        .execute("return Number(document.getElementById('editor').dataset.apexHandle);", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(apex > 0 && apex < n_handles - 1, "apex handle {apex} of {n_handles}");
    click_canvas(&c, at(0.0, glabella.y + 150.0)).await;
    wait_js(
        &c,
        &format!("{handles} === {n_handles} && document.getElementById('hint').textContent.includes('missed')"),
        "a missed tap ignored",
    )
    .await;
    let first = c
        .execute("return fetch('/api/v1/designs/' + document.getElementById('editor').dataset.design + '/versions/2').then(r => r.json()).then(v => v.design.hairline.points[0]);", vec![])
        .await
        .unwrap();
    let (hx, hy) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    tap_canvas(&c, at(hx, hy), 2).await;
    wait_js(
        &c,
        &format!(
            "{handles} === {} && document.getElementById('editor').dataset.unsaved === '1'",
            n_handles - 1
        ),
        "a handle deleted by a double-tap",
    )
    .await;
    press(&c, "undo").await;
    wait_js(
        &c,
        &format!("{handles} === {n_handles} && document.getElementById('editor').dataset.unsaved === ''"),
        "the handle back",
    )
    .await;
    press(&c, "mode-none").await;
    // A value the design refuses: the problem beside its input, in words, the region
    // named, no stale dots; undo puts the dots back.
    c.execute(
        "const i = document.querySelector('#regions li input[data-k=density_per_cm2]'); i.value = '-5'; i.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    let beside = wait_js(
        &c,
        "(() => { const i = document.querySelector('#regions li input[data-k=density_per_cm2]'); const n = i.closest('label').nextElementSibling; return i.getAttribute('aria-invalid') === 'true' && n && n.classList.contains('field-error') && n.textContent; })()",
        "the problem beside the density",
    )
    .await;
    assert!(beside.as_str().unwrap().contains("density is -5"), "{beside}");
    assert!(
        !beside.as_str().unwrap().contains("regions[0]"),
        "no field paths in words: {beside}"
    );
    let lint = wait_js(&c, "document.getElementById('lint').textContent", "the problem list").await;
    assert!(lint.as_str().unwrap().starts_with("Region "), "{lint}");
    assert!(
        c.execute("return document.getElementById('dot-count').textContent;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .starts_with("No dots until"),
    );
    let said = wait_js(&c, "document.getElementById('hint').textContent", "the hint").await;
    assert!(said.as_str().unwrap().starts_with("Not drawn: Region "), "{said}");
    shot(&c, "editor-refused-value.png").await;
    press(&c, "undo").await;
    wait_js(
        &c,
        "document.querySelectorAll('.field-error').length === 0 && document.getElementById('dot-count').textContent.includes('impressions')",
        "the dots back after undo",
    )
    .await;

    // Fit to photo: the summary in words, other dots, the photo reading over the photo.
    let dots_saved = wait_js(
        &c,
        "Number(document.getElementById('editor').dataset.dots || 0)",
        "the saved design's dots",
    )
    .await;
    press(&c, "fit").await;
    let summary = wait_js(
        &c,
        "document.getElementById('editor').dataset.fits === '1' && document.getElementById('fit-status').textContent",
        "the fit summary",
    )
    .await;
    assert!(
        summary.as_str().unwrap().starts_with("Bald area ") && summary.as_str().unwrap().contains("cm² treated"),
        "{summary}"
    );
    wait_js(
        &c,
        &format!("Number(document.getElementById('editor').dataset.dots) !== {dots_saved}"),
        "dots after the fit",
    )
    .await;
    wait_js(&c, "!document.getElementById('labels').hidden && document.getElementById('labels').complete && document.getElementById('labels').naturalWidth > 0", "the photo reading").await;
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    shot(&c, "editor-fit.png").await;
    // The brush: a bare-scalp point re-runs the fit; the marker count is shown; clear them.
    press(&c, "mode-scalp").await;
    click_canvas(&c, at(0.0, glabella.y + 150.0)).await;
    wait_js(
        &c,
        "document.getElementById('seed-count').textContent.includes('1 bare-scalp point')",
        "the marked point",
    )
    .await;
    wait_js(
        &c,
        "document.getElementById('editor').dataset.fits === '2'",
        "the fit again with the point",
    )
    .await;
    shot(&c, "editor-fit-brush.png").await;
    press(&c, "seeds-clear").await;
    wait_js(
        &c,
        "document.getElementById('seed-count').textContent === '' && document.getElementById('editor').dataset.fits === '3'",
        "the points cleared",
    )
    .await;
    // The reading can be hidden.
    press(&c, "fit-show").await;
    wait_js(&c, "document.getElementById('labels').hidden", "the reading hidden").await;

    // Records: register a needle and a pigment lot, record a session with them, fill a survey.
    for (kind, product, number) in [("needle", "RL1 0.25 mm", "N-2026-11"), ("pigment", "Carbon Black 1:3", "P-2026-07")] {
        c.goto(&format!("{base}/lots")).await.unwrap();
        c.find(Locator::Css(&format!("#lot-kind option[value='{kind}'], #lot-kind option")))
            .await
            .unwrap();
        c.execute(&format!("document.getElementById('lot-kind').value = '{kind}';"), vec![])
            .await
            .unwrap();
        c.find(Locator::Id("lot-product")).await.unwrap().send_keys(product).await.unwrap();
        c.find(Locator::Id("lot-number")).await.unwrap().send_keys(number).await.unwrap();
        c.execute("document.getElementById('lot-expires').value = '2099-12-31';", vec![])
            .await
            .unwrap();
        press(&c, "add-lot").await;
        wait_js(
            &c,
            &format!("document.getElementById('lots').innerText.includes('{number}')"),
            "the registered lot",
        )
        .await;
    }
    // A session needs the client's signed consent and a screening (their pages are
    // tested over HTTP); here they are put on file directly.
    let client_id: i64 = client_path.as_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let alpha = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
    smp_store::testing::make_ready(app.store.as_ref(), alpha, smp_store::ClientId(client_id)).await;
    c.goto(&format!("{base}{}", client_path.as_str().unwrap())).await.unwrap();
    press(&c, "tab-link-screening").await;
    // Screening asks yes or no first: "none known" under "no" raises no alarm.
    for name in ["has_allergies", "has_skin_conditions", "takes_medications"] {
        c.find(Locator::Css(&format!("input[name='{name}'][value='no']")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    c.find(Locator::Css("input[name='allergies']"))
        .await
        .unwrap()
        .send_keys("none known")
        .await
        .unwrap();
    press(&c, "save-screening").await;
    wait_js(
        &c,
        "location.hash === '#screening' && document.querySelector(\"input[name='has_allergies'][value='no']\").checked && !document.body.innerText.includes('Allergies reported')",
        "the screening saved with no false alarm",
    )
    .await;
    c.execute("document.getElementById('screening').scrollIntoView();", vec![])
        .await
        .unwrap();
    shot(&c, "client-screening.png").await;
    // The save came back to its own tab; the session form is under "Sessions & lots".
    assert_eq!(
        c.execute("return document.getElementById('tab-screening').hidden;", vec![])
            .await
            .unwrap(),
        json!(false)
    );
    press(&c, "tab-link-sessions").await;
    // The lots are chosen, never defaulted to the first in the list.
    c.execute(
        "for (const [id, want] of [['s-needle', 'N-2026-11'], ['s-pigment', 'P-2026-07']]) { const s = document.getElementById(id); if (s.value !== '') throw new Error(id + ' preselected'); s.value = [...s.options].find(o => o.text.includes(want)).value; }",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Id("s-impressions")).await.unwrap().send_keys("4230").await.unwrap();
    c.find(Locator::Id("s-regions"))
        .await
        .unwrap()
        .send_keys("front, crown")
        .await
        .unwrap();
    press(&c, "record-session").await;
    wait_js(&c, "document.getElementById('sessions').innerText.includes('4230') && document.getElementById('sessions').innerText.includes('P-2026-07') && !document.getElementById('tab-sessions').hidden", "the recorded session with its lots, on its tab").await;
    shot(&c, "client-sessions-tab.png").await;
    press(&c, "tab-link-aftercare").await;
    c.execute("document.getElementById('sv-satisfaction').value = '5';", vec![])
        .await
        .unwrap();
    press(&c, "record-survey").await;
    wait_js(
        &c,
        "document.getElementById('surveys').innerText.includes('satisfaction 5/5')",
        "the survey",
    )
    .await;
    shot(&c, "client-records.png").await;
    c.goto(&format!("{base}/outcomes")).await.unwrap();
    wait_js(
        &c,
        "document.body.innerText.includes('1 survey ·') && document.querySelector('svg') !== null",
        "the outcomes page",
    )
    .await;
    shot(&c, "outcomes.png").await;

    // The calendar address is shown in full, ready to paste into a calendar app.
    c.goto(&format!("{base}/appointments")).await.unwrap();
    press(&c, "new-feed").await;
    let feed = wait_js(
        &c,
        "(document.getElementById('feed-url') || {}).textContent || ''",
        "the calendar address",
    )
    .await;
    let full = wait_js(
        &c,
        "(() => { const t = document.getElementById('feed-url').textContent; return t.startsWith('http') ? t : null; })()",
        "the address in full",
    )
    .await;
    assert!(
        full.as_str().unwrap().starts_with(base) && full.as_str().unwrap().ends_with(".ics"),
        "{feed} → {full}"
    );

    press(&c, "logout").await;
    wait_js(&c, "location.pathname === '/login'", "the login page after logout").await;
    c.goto(&format!("{base}{}", client_path.as_str().unwrap())).await.unwrap();
    wait_js(&c, "location.pathname === '/login'", "a login wall after logout").await;

    login(&c, base, "owner@zeta.test").await;
    c.goto(&format!("{base}{}", client_path.as_str().unwrap())).await.unwrap();
    let body = wait_js(&c, "document.body.innerText", "the page").await;
    assert!(
        body.as_str().unwrap().contains("not found") && !body.as_str().unwrap().contains("Browser Client"),
        "{body}"
    );
    c.close().await.unwrap();
}

/// The editor calibrates by the printed card: the practitioner picks "the calibration
/// card in the photo" and clicks the midline point once; the card is found, the scale
/// set and the card's corners shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_on_a_tablet_in_portrait_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("tablet").await.into_iter().next().unwrap();
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    let (png, truth) = synth_photo(480);
    let view = truth.views()[0].clone();
    let at = |x: f64, y: f64| {
        let p = smp_photo::view::project(&view, smp_design::PointMm::new(x, y)).expect("on the visible head");
        (p.x, p.y)
    };
    let photo_path = app.db.dir.join("head-top.png");
    std::fs::write(&photo_path, png).unwrap();
    let c = browser_with(port, &["--window-size=800,1000".to_string()]).await;
    login(&c, &app.base, "owner@alpha.test").await;
    new_design_on_photo(&c, "Tablet Client", &photo_path).await;
    let glabella = truth.glabella().expect("templates mark the glabella");
    calibrate_and_redraw_hairline(&c, &at, glabella).await;
    press(&c, "mode-none").await;
    // 800 px wide: the photo, the preview buttons and Save are in view together.
    let l = editor_layout(&c).await;
    let vh = l["view"].as_f64().unwrap();
    for part in ["photo", "states", "save"] {
        assert!(on_screen(&l[part], vh), "{part} off screen at 800 px: {l}");
    }
    shot(&c, "editor-800.png").await;
    // A region's density, scrolled to as a finger would: the photo stays in view above
    // it, the input is not hidden under the photo or the save bar, and the new dots show.
    let density = "#regions li input[data-k=density_per_cm2]";
    c.execute(
        &format!("document.querySelector('{density}').scrollIntoView({{block: 'nearest'}});"),
        vec![],
    )
    .await
    .unwrap();
    let seen = c
        .execute(
            &format!(
                "const i = document.querySelector('{density}'), b = i.getBoundingClientRect(); \
                 return document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2) === i;"
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(seen, json!(true), "the density input is covered");
    // The dots of the last edit (not of one still on its way).
    let dots = wait_js(
        &c,
        "document.getElementById('editor').dataset.stale !== '1' && Number(document.getElementById('editor').dataset.dots || 0)",
        "the dots",
    )
    .await;
    let input = c.find(Locator::Css(density)).await.unwrap();
    let was: f64 = input.prop("value").await.unwrap().unwrap().parse().unwrap();
    // Select the number and type over it (WebDriver's clear would send a change of its own).
    c.execute(&format!("document.querySelector('{density}').select();"), vec![])
        .await
        .unwrap();
    // Tab leaves the field, as a finger tapping elsewhere does: that is the change.
    input.send_keys(&format!("{}\t", (was / 2.0).round())).await.unwrap();
    wait_js(
        &c,
        &format!(
            "document.getElementById('editor').dataset.stale !== '1' && Number(document.getElementById('editor').dataset.dots) < {dots}"
        ),
        "fewer dots at half the density (the region list edits the calibrated design)",
    )
    .await;
    let l = editor_layout(&c).await;
    assert!(on_screen(&l["photo"], vh), "the photo scrolled away while editing: {l}");
    assert!(on_screen(&l["save"], vh), "Save scrolled away while editing: {l}");
    shot(&c, "editor-800-density.png").await;
    // Leaving asks first; undo puts the density back (and only it: the calibration and
    // the hairline drawn before it stay, still unsaved).
    assert!(leaving_asks(&c).await, "leaving now asks first");
    press(&c, "undo").await;
    wait_js(
        &c,
        &format!("document.querySelector('{density}').value === '{was}' && document.getElementById('editor').dataset.stale !== '1' && Number(document.getElementById('editor').dataset.dots) === {dots} && document.getElementById('editor').dataset.unsaved === '1'"),
        "the density undone",
    )
    .await;
    assert!(leaving_asks(&c).await, "the calibration and hairline are still unsaved");
    assert!(
        c.execute("return document.getElementById('cal-status').textContent;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .contains("px per mm"),
        "undo kept the calibration"
    );
    // A handle deleted by a double-tap, and back with undo.
    press(&c, "mode-hairline").await;
    let handles = "Number(document.getElementById('editor').dataset.handles)";
    let n = wait_js(&c, handles, "the handles").await.as_i64().unwrap();
    let first = c
        .execute("return document.getElementById('editor').dataset.firstHandle;", vec![])
        .await
        .unwrap();
    let p: Vec<f64> = first
        .as_str()
        .expect("the first handle's place")
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    tap_canvas(&c, (p[0], p[1]), 2).await;
    wait_js(&c, &format!("{handles} === {}", n - 1), "a handle deleted").await;
    press(&c, "undo").await;
    wait_js(&c, &format!("{handles} === {n}"), "the handle back").await;
    // The same from the keyboard: ] picks the first handle, → moves it, Delete removes
    // it, Ctrl+Z brings it back.
    let key = |k: &str| {
        format!(
            "const o = document.getElementById('overlay'); o.focus(); o.dispatchEvent(new KeyboardEvent('keydown', {{key: '{k}', bubbles: true}}));"
        )
    };
    c.execute(&key("]"), vec![]).await.unwrap();
    wait_js(
        &c,
        "document.getElementById('editor').dataset.keyHandle === '0'",
        "the first handle chosen",
    )
    .await;
    for _ in 0..3 {
        c.execute(&key("ArrowRight"), vec![]).await.unwrap();
    }
    let moved = wait_js(&c, "document.getElementById('editor').dataset.firstHandle", "the moved handle").await;
    let x: f64 = moved.as_str().unwrap().split(',').next().unwrap().parse().unwrap();
    assert!(x > p[0] + 1.0, "the arrow keys moved the handle: {} → {x}", p[0]);
    c.execute(&key("Delete"), vec![]).await.unwrap();
    wait_js(&c, &format!("{handles} === {}", n - 1), "a handle deleted from the keyboard").await;
    c.execute(
        "document.getElementById('overlay').dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    wait_js(&c, &format!("{handles} === {n}"), "the handle back after Ctrl+Z").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_calibrates_by_the_card_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("browser-card").await.into_iter().next().unwrap();
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    // A top view with the card beside the head.
    let head = common::synth::top_with_card("norwood-5", 2, 8, 640, Some([-8.0, 10.0, 0.0]), [1.0; 3], 0.0);
    let photo_path = app.db.dir.join("card-top.png");
    head.image.save(&photo_path).unwrap();
    let view = head.design.views()[0].clone();
    let glabella = head.design.glabella().unwrap();
    let ref_px = smp_photo::view::project(&view, smp_design::PointMm::new(glabella.x, glabella.y + 80.0)).unwrap();

    let c = browser(port).await;
    let base = &app.base;
    login(&c, base, "owner@alpha.test").await;
    new_design_on_photo(&c, "Card Client", &photo_path).await;
    press(&c, "cal-by-card").await;
    wait_js(&c, "!document.getElementById('cal-card-how').hidden", "the card's instructions").await;
    wait_js(
        &c,
        "document.getElementById('hint').textContent.includes('card is found')",
        "the card prompt",
    )
    .await;
    click_canvas(&c, (ref_px.x, ref_px.y)).await;
    let note = wait_js(
        &c,
        "document.getElementById('cal-note').textContent.includes('Card found') && document.getElementById('cal-note').textContent",
        "the card found",
    )
    .await;
    assert!(note.as_str().unwrap().contains("corrected"), "{note}");
    let status = wait_js(
        &c,
        "document.getElementById('cal-status').textContent.includes('px per mm') && document.getElementById('cal-status').textContent",
        "the scale",
    )
    .await;
    shot(&c, "editor-card.png").await;
    // The scale shown is the card's (within 2 % of the photo's true scale).
    let shown: f64 = status
        .as_str()
        .unwrap()
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("a number in the status");
    assert!((shown / head.px_per_mm - 1.0).abs() < 0.02, "{status} against {}", head.px_per_mm);

    // A new photo has no head outline: the dots lie flat, and the editor says so.
    wait_js(
        &c,
        "document.getElementById('lint').textContent.includes('no head outline')",
        "the warning of no head outline",
    )
    .await;
    assert_eq!(
        c.execute("return document.getElementById('editor').dataset.head;", vec![])
            .await
            .unwrap(),
        json!("")
    );
    // The Head tool proposes one round the design; its right point narrows it.
    press(&c, "mode-head").await;
    let outline = |v: serde_json::Value| -> Vec<f64> { v.as_str().unwrap().split(',').map(|x| x.parse().unwrap()).collect() };
    let first = outline(wait_js(&c, "document.getElementById('editor').dataset.head", "the proposed outline").await);
    wait_js(
        &c,
        "!document.getElementById('lint').textContent.includes('no head outline')",
        "the warning gone",
    )
    .await;
    let drawn_wide = wait_js(
        &c,
        "!document.getElementById('editor').dataset.stale && document.getElementById('editor').dataset.offHead === '0' && Number(document.getElementById('editor').dataset.drawn)",
        "the dots inside the outline",
    )
    .await;
    drag_canvas(&c, (first[0] + first[2], first[1]), (first[0] + 0.35 * first[2], first[1])).await;
    let narrowed = wait_js(
        &c,
        &format!(
            "(() => {{ const h = document.getElementById('editor').dataset.head.split(',').map(Number); return h[2] < {} && h; }})()",
            0.5 * first[2]
        ),
        "the narrower outline",
    )
    .await;
    let narrowed: Vec<f64> = narrowed.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!(
        (narrowed[0] - first[0]).abs() < 1.0 && (narrowed[3] - first[3]).abs() < 1.0,
        "only the width changes: {first:?} → {narrowed:?}"
    );
    // The sides now wrap round the narrower head: fewer dots in sight, none outside it.
    wait_js(
        &c,
        &format!(
            "!document.getElementById('editor').dataset.stale && document.getElementById('editor').dataset.offHead === '0' && Number(document.getElementById('editor').dataset.drawn) < {drawn_wide}"
        ),
        "fewer dots in sight on the narrower head, all inside it",
    )
    .await;
    shot(&c, "editor-head-outline.png").await;
    assert!(leaving_asks(&c).await, "the new outline is an unsaved change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_reads_the_colour_chart_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("browser-chart").await.into_iter().next().unwrap();
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    // A top view under a warm light, a colour chart beside the head.
    let params = smp_synth::SynthParams {
        pattern: "norwood-5".parse().unwrap(),
        view: smp_synth::SynthView::Top,
        skin_type: 3,
        hair_level: 2,
        scar: None,
        seed: 12,
        width_px: 640,
    };
    let ppm = smp_synth::photo_px_per_mm(&params);
    let light = smp_synth::Shot {
        card: None,
        chart: Some(smp_synth::chart::ChartShot {
            rotation_deg: 8.0,
            ..smp_synth::chart::ChartShot::beside_head(640, ppm)
        }),
        cast: [1.2, 1.0, 0.8],
        exposure_ev: 0.0,
    };
    let head = smp_synth::synth_shot(&params, &smp_synth::HairLook::default(), &light, "photo.png").unwrap();
    let photo_path = app.db.dir.join("chart-top.png");
    head.image.save(&photo_path).unwrap();
    let view = head.design.views()[0].clone();
    let at = |x: f64, y: f64| {
        let p = smp_photo::view::project(&view, smp_design::PointMm::new(x, y)).unwrap();
        (p.x, p.y)
    };
    let glabella = head.design.glabella().unwrap();

    let c = browser(port).await;
    login(&c, &app.base, "owner@alpha.test").await;
    new_design_on_photo(&c, "Chart Client", &photo_path).await;
    click_canvas(&c, at(-25.0, 100.0)).await;
    click_canvas(&c, at(25.0, 100.0)).await;
    click_canvas(&c, at(glabella.x, glabella.y + 80.0)).await;
    wait_js(
        &c,
        "document.getElementById('cal-status').textContent.includes('px per mm')",
        "the calibration",
    )
    .await;
    // The calibration finds the chart in the photo by itself.
    wait_js(
        &c,
        "document.getElementById('chart-note').textContent.startsWith('A colour chart was found')",
        "the chart found with the calibration",
    )
    .await;

    // Read again on request.
    press(&c, "chart-find").await;
    let note = wait_js(
        &c,
        "document.getElementById('chart-note').textContent.startsWith('Colour chart read') && document.getElementById('chart-note').textContent",
        "the chart read",
    )
    .await;
    assert!(note.as_str().unwrap().contains("no visible difference"), "{note}");
    shot(&c, "editor-chart.png").await;
    // Four clicks on the head are no chart: the reason, in words.
    c.execute("document.getElementById('chart-note').textContent = '';", vec![])
        .await
        .unwrap();
    press(&c, "mode-chart").await;
    for (x, y) in [(-30.0, 150.0), (30.0, 150.0), (30.0, 190.0), (-30.0, 190.0)] {
        click_canvas(&c, at(x, y)).await;
    }
    let refused = wait_js(
        &c,
        "document.getElementById('chart-note').textContent.startsWith('No colour chart') && document.getElementById('chart-note').textContent",
        "the clicks refused",
    )
    .await;
    assert!(refused.as_str().unwrap().contains("corner patches"), "{refused}");
    // Clicked at its corner squares, in any order.
    let corners = head.chart_corner_patches_px.unwrap();
    press(&c, "mode-chart").await;
    for k in [2, 0, 3, 1] {
        click_canvas(&c, (corners[k][0], corners[k][1])).await;
    }
    wait_js(
        &c,
        "document.getElementById('chart-note').textContent.startsWith('Colour chart read')",
        "the chart read at the clicks",
    )
    .await;
    press(&c, "save").await;
    wait_js(
        &c,
        "document.getElementById('save-status').textContent.includes('Saved as version 2')",
        "the save",
    )
    .await;
    let stored = c
        .execute(
            "return fetch('/api/v1/designs/' + document.getElementById('editor').dataset.design + '/versions/2').then(r => r.json()).then(v => v.design.views[0].chart.residual_delta_e00);",
            vec![],
        )
        .await
        .unwrap();
    assert!(stored.as_f64().unwrap() < 1.0, "{stored}");
}

/// `img` as a one-frame YUV4MPEG2 video (4:2:0, full-range BT.601), what Chromium's fake
/// camera plays from a file.
fn y4m(img: &image::RgbImage) -> Vec<u8> {
    let (w, h) = (img.width() & !1, img.height() & !1);
    let mut out = format!("YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg\nFRAME\n").into_bytes();
    let px = |x: u32, y: u32| img.get_pixel(x, y).0.map(f64::from);
    for y in 0..h {
        for x in 0..w {
            let [r, g, b] = px(x, y);
            out.push((0.299 * r + 0.587 * g + 0.114 * b).round().clamp(0.0, 255.0) as u8);
        }
    }
    for (kr, kg, kb) in [(-0.168_736, -0.331_264, 0.5), (0.5, -0.418_688, -0.081_312)] {
        for y in (0..h).step_by(2) {
            for x in (0..w).step_by(2) {
                let mut v = 0.0;
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let [r, g, b] = px(x + dx, y + dy);
                    v += kr * r + kg * g + kb * b;
                }
                out.push((128.0 + v / 4.0).round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

/// Guided capture with Chromium's fake camera fed a synthetic head with the card: the
/// outline guide and the last photo's ghost show; a blurred frame is refused with its
/// message; a sharp one is kept with the card's scale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guided_capture_with_a_fake_camera_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("browser-capture").await.into_iter().next().unwrap();
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    let head = common::synth::top_with_card("norwood-4", 2, 9, 640, Some([0.0; 3]), [1.0; 3], 0.0);
    let mut client_page = String::new();
    for (blurred, name) in [(true, "blurred.y4m"), (false, "sharp.y4m")] {
        let frame = if blurred {
            image::imageops::blur(&head.image, 5.0)
        } else {
            head.image.clone()
        };
        let path = app.db.dir.join(name);
        std::fs::write(&path, y4m(&frame)).unwrap();
        let camera = [
            "--use-fake-device-for-media-stream".to_string(),
            "--use-fake-ui-for-media-stream".to_string(),
            format!("--use-file-for-fake-video-capture={}", path.display()),
        ];
        let c = browser_with(port, &camera).await;
        login(&c, &app.base, "owner@alpha.test").await;
        if client_page.is_empty() {
            c.find(Locator::Id("new-name"))
                .await
                .unwrap()
                .send_keys("Capture Client")
                .await
                .unwrap();
            press(&c, "create-client").await;
            client_page = wait_js(
                &c,
                "/^\\/clients\\/\\d+$/.test(location.pathname) && location.pathname",
                "the new client's page",
            )
            .await
            .as_str()
            .unwrap()
            .to_string();
        }
        c.goto(&format!("{}{client_page}#tab-photos", app.base)).await.unwrap();
        press(&c, "capture-link").await;
        wait_js(
            &c,
            "document.getElementById('guide-head') !== null && location.pathname.endsWith('/capture')",
            "the capture page with its guide",
        )
        .await;
        press(&c, "camera-start").await;
        wait_js(
            &c,
            "!document.getElementById('take').disabled && document.getElementById('camera').videoWidth > 0",
            "the camera",
        )
        .await;
        press(&c, "take").await;
        let status = wait_js(
            &c,
            "(t => (t.startsWith('Kept') || t.startsWith('Not kept')) && t)(document.getElementById('capture-status').textContent)",
            "the photo checked",
        )
        .await;
        let status = status.as_str().unwrap();
        if blurred {
            assert!(
                status.starts_with("Not kept") && status.contains("blurred") && status.contains("retake"),
                "{status}"
            );
            shot(&c, "capture-refused.png").await;
        } else {
            assert!(status.starts_with("Kept") && status.contains("pixels per mm"), "{status}");
            let checks = c
                .execute(
                    "return [...document.querySelectorAll('#capture-checks li')].map(l => l.dataset.check + ':' + l.className);",
                    vec![],
                )
                .await
                .unwrap();
            assert!(checks.as_array().unwrap().iter().any(|v| v == "card:ok"), "{checks}");
            // The frame just kept is the ghost of the next top photo.
            let ghost = wait_js(
                &c,
                "!document.getElementById('ghost').hidden && document.getElementById('ghost').getAttribute('src')",
                "the ghost",
            )
            .await;
            assert!(ghost.as_str().unwrap().starts_with("/photos/"), "{ghost}");
            // Today's set counts it, and names the views still to take.
            let set = wait_js(&c, "document.getElementById('visit-set').textContent", "today's set").await;
            assert!(
                set.as_str()
                    .unwrap()
                    .starts_with("Today's set: 1 of 6 views taken; still to take: front, left"),
                "{set}"
            );
            shot(&c, "capture-kept.png").await;
        }
        c.close().await.unwrap();
    }
}

/// Feedback speed (issue 15) on the demo's norwood-5 head (1200 px, as `smp serve` seeds
/// it): a density change → its dots drawn, and → its healed preview shown. Measured and
/// reported (stderr and `target/browser-shots/feedback.txt`), not asserted: a timed
/// assertion flakes on 2 shared cores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_feedback_speed_on_the_demo_head_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("browser-speed").await.into_iter().next().unwrap();
    let files = smp_store::FileStore::new(app.db.dir.join("photos"));
    let logins = smp_web::demo::seed_if_empty(app.store.as_ref(), &files, &app.db.dir, 1200)
        .await
        .unwrap()
        .expect("a fresh database takes the demo");
    let password = logins
        .lines()
        .find(|l| l.contains("owner@demo.smp"))
        .and_then(|l| l.split("password").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the owner's password")
        .to_string();
    let c = browser(port).await;
    let base = &app.base;
    login_with(&c, base, "owner@demo.smp", &password).await;
    // Alex Demo's norwood-5 design, opened in the editor with the healed preview on.
    let design = c
        .execute(
            "return fetch('/api/v1/clients').then(r => r.json()).then(cs => cs.find(x => x.name === 'Alex Demo').id).then(id => fetch('/api/v1/clients/' + id + '/designs')).then(r => r.json()).then(ds => ds[0].id);",
            vec![],
        )
        .await
        .unwrap();
    c.goto(&format!("{base}/designs/{design}/edit")).await.unwrap();
    wait_js(
        &c,
        "document.getElementById('dot-count').textContent.includes('impressions')",
        "the demo design's dots",
    )
    .await;
    press(&c, "state-healed").await;
    wait_js(
        &c,
        "!document.getElementById('after').hidden && document.getElementById('after').complete",
        "the healed preview",
    )
    .await;
    let (mut dots_ms, mut preview_ms) = (Vec::new(), Vec::new());
    for density in [70, 95, 60, 85, 75, 90, 65, 80, 100, 72, 88] {
        c.execute(
            &format!("const e = document.getElementById('editor'); e.dataset.dotsMs = ''; e.dataset.previewMs = ''; const i = document.querySelector('#regions li input[data-k=density_per_cm2]'); i.value = '{density}'; i.dispatchEvent(new Event('change'));"),
            vec![],
        )
        .await
        .unwrap();
        let got = wait_js(
            &c,
            "(() => { const e = document.getElementById('editor').dataset; return e.dotsMs && e.previewMs ? [Number(e.dotsMs), Number(e.previewMs)] : null; })()",
            "the dots and the preview after a density change",
        )
        .await;
        dots_ms.push(got[0].as_f64().unwrap());
        preview_ms.push(got[1].as_f64().unwrap());
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[((v.len() as f64) * 0.95).ceil() as usize - 1])
    };
    let ((dm, dp), (pm, pp)) = (stats(&mut dots_ms), stats(&mut preview_ms));
    let report = format!(
        "density change -> dots drawn: median {dm:.0} ms, p95 {dp:.0} ms; -> healed preview shown: median {pm:.0} ms, p95 {pp:.0} ms ({} changes, the demo's 1200-px norwood-5 head)\n",
        dots_ms.len()
    );
    eprint!("feedback speed: {report}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-shots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("feedback.txt"), &report).unwrap();
    shot(&c, "editor-demo-healed.png").await;
    c.close().await.unwrap();
}

/// axe-core 4.14.1 (MPL-2.0, `tests/assets/axe-core-LICENSE.txt`), shipped with the
/// tests: nothing is downloaded at test time.
const AXE: &str = include_str!("assets/axe.min.js");

/// axe-core's WCAG 2.1 A/AA violations on the page now shown: `(rule, impact, nodes, first
/// target, help)`.
async fn axe_violations(c: &Client) -> Vec<(String, String, usize, String, String)> {
    c.execute(&format!("if (!window.axe) {{ {AXE} }}"), vec![]).await.unwrap();
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}) \
               .then(r => done(r.violations.map(v => [v.id, v.impact || '', v.nodes.length, JSON.stringify(v.nodes[0].target), v.help])), e => done([['axe failed', String(e), 0, '', '']]));",
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].as_str().unwrap_or_default().to_string();
            (s(0), s(1), r[2].as_u64().unwrap_or(0) as usize, s(3), s(4))
        })
        .collect()
}

/// Adds a page's violations to the report, and the serious and critical ones (or axe's
/// own failure) to `serious`.
fn note_violations(page: &str, found: Vec<(String, String, usize, String, String)>, report: &mut String, serious: &mut Vec<String>) {
    report.push_str(&format!("{page}: {} violation(s)\n", found.len()));
    for (rule, impact, nodes, target, help) in found {
        report.push_str(&format!("  {impact:8} {rule} ×{nodes} at {target}: {help}\n"));
        if impact == "serious" || impact == "critical" || rule == "axe failed" {
            serious.push(format!("{page}: {rule} ({impact}) at {target}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_pass_axe_core_in_chromium() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_apps("axe").await.into_iter().next().unwrap();
    let alpha = app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    let (png, _) = synth_photo(480);
    let photo_path = app.db.dir.join("head-top.png");
    std::fs::write(&photo_path, png).unwrap();
    let c = browser(port).await;
    let base = &app.base;
    login(&c, base, "owner@alpha.test").await;
    let client_path = new_design_on_photo(&c, "Axe Client", &photo_path).await;
    let client_path = client_path.as_str().unwrap().to_string();
    let editor = wait_js(&c, "location.pathname", "the editor's address").await;
    let design = editor.as_str().unwrap().trim_end_matches("/edit").to_string();
    let mut pages: Vec<(String, String)> = [
        editor.as_str().unwrap().to_string(),
        format!("{design}/plan"),
        format!("{design}/versions"),
        "/clients".into(),
        format!("{client_path}/capture"),
        format!("{client_path}/progress"),
        "/lots".into(),
        "/appointments".into(),
        "/outcomes".into(),
        "/audit".into(),
        "/settings".into(),
        "/users".into(),
        "/account".into(),
        format!("/public/{}/results", alpha.0),
    ]
    .into_iter()
    .map(|p| (p.clone(), p))
    .collect();
    for tab in ["details", "photos", "screening", "sessions", "aftercare", "appointments"] {
        pages.push((format!("{client_path}#tab-{tab}"), format!("{client_path} ({tab} tab)")));
    }
    let mut report = String::new();
    let mut serious = Vec::new();
    for (path, name) in &pages {
        c.goto(&format!("{base}{path}")).await.unwrap();
        wait_js(&c, "document.readyState === 'complete'", "the page").await;
        if path.contains("/edit") {
            wait_js(&c, "document.getElementById('dot-count').textContent !== '–'", "the editor").await;
        }
        note_violations(name, axe_violations(&c).await, &mut report, &mut serious);
    }
    // Logged out: the login page.
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    note_violations("/login", axe_violations(&c).await, &mut report, &mut serious);
    println!("{report}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-shots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("axe-report.txt"), &report).unwrap();
    assert!(
        serious.is_empty(),
        "serious or critical accessibility problems:\n{}",
        serious.join("\n")
    );
}
