// SMP Studio design editor: draws on the client's photo, asks the server for dots and
// previews (POST /api/v1/dots, /api/v1/preview), fits the design to the photo
// (POST /api/v1/fit, /api/v1/overlay), saves immutable versions.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const ed = $('editor');
  const designId = ed.dataset.design;
  const photoId = Number(ed.dataset.photo);
  const viewName = ed.dataset.view;
  const csrf = document.querySelector('meta[name=csrf-token]').content;
  const photo = $('photo'), after = $('after'), labelsImg = $('labels'), canvas = $('overlay'), ctx = canvas.getContext('2d');
  let base = Number(ed.dataset.version);
  let design = null, mode = 'none', upto = 0, previewState = '';
  let handles = [], regionPts = [], cal = [], dots = null, drag = -1;
  let dotsTimer = 0, previewTimer = 0, dotsAbort = null, previewAbort = null, previewUrl = '';
  let library = { pigments: [], dilutions_water_parts: [] }, lastMatch = null;
  let calBy = 'ruler', seeds = { hair_px: [], scalp_px: [] }, fitTimer = 0, labelsUrl = '';
  // Undo and redo: the design as JSON after each edit (quick runs of edits, such as a
  // slider's, make one step); `saved` is what the last save (or the load) stored.
  let dragFrom = [0, 0], dragMoved = false, keyHandle = -1;
  // The head outline being dragged: which point ('centre', 'x' or 'y') and the outline
  // as it was when the drag began.
  let headDrag = null;
  let past = [], future = [], lastStep = 0, lastKind = '', saved = '', pressTimer = 0;
  // When the last edit was made: the time to its dots and preview is kept on the page
  // (data-dots-ms, data-preview-ms) for the practitioner's eye and for measurement.
  let editAt = 0;
  const PREVIEW_DELAY_MS = 150;
  const HEAD_MIN_RADIUS_MM = 75;
  const UNDO_DEPTH = 100, STEP_MS = 600, HOLD_MS = 600;

  async function api(method, url, body, signal) {
    const r = await fetch(url, {
      method, signal, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) {
      let msg = r.status + ' ' + r.statusText;
      let plain = 'the server could not do it (' + r.status + '); try again';
      let problems = [];
      try { const e = await r.json(); msg = e.error + (e.field ? ' (' + e.field + ')' : ''); plain = e.error; problems = e.problems || []; } catch (_) { /* not JSON */ }
      const err = new Error(msg); err.status = r.status; err.plain = plain; err.problems = problems; throw err;
    }
    return r;
  }

  const view = () => (design && design.views || []).find((v) => v.name === viewName);
  // The server's projection (smp-render view.rs): the flat map wrapped on the head
  // ellipsoid when the view has one, so outlines and handles sit where the dots do.
  function toPx(p) {
    const v = view(), m = v.mm_to_px;
    const u = m[0] * p[0] + m[1] * p[1] + m[2], w = m[3] * p[0] + m[4] * p[1] + m[5];
    if (!v.head) return [u, w];
    const [cx, cy] = v.head.center_px, [rx, ry] = v.head.radii_px;
    const du = u - cx, dv = w - cy, theta = Math.hypot(du / rx, dv / ry);
    const k = theta < 1e-12 ? 1 : Math.sin(Math.min(theta, Math.PI / 2)) / theta;
    return [cx + du * k, cy + dv * k];
  }
  function toMm(p) {
    const v = view();
    let [u, w] = p;
    if (v.head) {
      const [cx, cy] = v.head.center_px, [rx, ry] = v.head.radii_px;
      const nx = (u - cx) / rx, ny = (w - cy) / ry, s = Math.min(Math.hypot(nx, ny), 0.999);
      const k = s < 1e-12 ? 1 : Math.asin(s) / Math.hypot(nx, ny);
      u = cx + (u - cx) * k; w = cy + (w - cy) * k;
    }
    const [a, b, c, d, e, f] = v.mm_to_px, det = a * e - b * d, du = u - c, dv = w - f;
    return [round2((e * du - b * dv) / det), round2((a * dv - d * du) / det)];
  }
  const round2 = (x) => Math.round(x * 100) / 100;
  const hint = (t) => { $('hint').textContent = t; };

  // Wide screens: the editor fills the window below the title, the photo and both
  // toolbars always in view and the side panel scrolling on its own. Narrow screens
  // (tablet portrait): the photo stays at the top, about half the height, and the
  // controls scroll under it, so a change is seen as it is made.
  const WIDE = window.matchMedia('(min-width: 900px)');
  function fitCanvas() {
    const editor = $('editor'), col = photo.closest('.stage-col');
    let high;
    if (WIDE.matches) {
      const top = editor.getBoundingClientRect().top + window.scrollY;
      const h = Math.max(320, window.innerHeight - top - 24);
      editor.style.height = h + 'px';
      high = h - (col.offsetHeight - photo.offsetHeight) - 4;
    } else {
      editor.style.height = '';
      high = window.innerHeight * 0.45;
    }
    // Beside the tools (600–899 px), the photo takes at most 60 % of the width.
    const beside = !WIDE.matches && window.matchMedia('(min-width: 600px)').matches;
    const avail = col.clientWidth * (beside ? 0.6 : 1);
    const k = Math.min(avail / photo.naturalWidth, Math.max(120, high) / photo.naturalHeight);
    photo.style.width = Math.round(photo.naturalWidth * k) + 'px';
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(photo.clientWidth * dpr);
    canvas.height = Math.round(photo.clientHeight * dpr);
    // Controls scrolled into view stop below the photo and above the save bar.
    document.documentElement.style.setProperty('--stage-h', (WIDE.matches ? 0 : col.offsetHeight) + 'px');
    draw();
  }
  const scale = () => canvas.width / (photo.naturalWidth || 1);
  function eventPx(ev) {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) / r.width * photo.naturalWidth, (ev.clientY - r.top) / r.height * photo.naturalHeight];
  }

  // Catmull-Rom through the handles, 8 samples per span.
  function spline(pts) {
    if (pts.length < 3) return pts.slice();
    const out = [];
    for (let i = 0; i < pts.length - 1; i++) {
      const p0 = pts[Math.max(i - 1, 0)], p1 = pts[i], p2 = pts[i + 1], p3 = pts[Math.min(i + 2, pts.length - 1)];
      for (let k = 0; k < 8; k++) {
        const t = k / 8, t2 = t * t, t3 = t2 * t;
        out.push([0, 1].map((j) => 0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2 + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3)));
      }
    }
    out.push(pts[pts.length - 1]);
    return out;
  }

  function draw() {
    const s = scale();
    ed.dataset.handles = String(handles.length);
    // Where the first handle is, photo px (lets a browser test tap it).
    ed.dataset.firstHandle = handles.length ? handles[0].map((v) => v.toFixed(1)).join(',') : '';
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(s, 0, 0, s, 0, 0);
    if (dots && !previewState) {
      ctx.fillStyle = ed.dataset.stale ? 'rgba(20,24,40,0.35)' : 'rgba(20,24,40,0.85)';
      const minR = 0.7 / s;
      for (let i = 0; i < dots.px.length; i += 2) {
        ctx.beginPath();
        ctx.arc(dots.px[i], dots.px[i + 1], Math.max(dots.d_px[i / 2] / 2, minR), 0, 6.2832);
        ctx.fill();
      }
    }
    // A client looking at a preview sees the result, not the construction lines.
    const clean = previewState && mode === 'none';
    if (design && view() && !clean) {
      ctx.lineWidth = 1.5 / s;
      for (const r of design.regions) {
        ctx.strokeStyle = { treat: '#2a7', blend: '#28c', scar: '#c72', exclude: '#c22' }[r.kind] || '#888';
        ctx.beginPath();
        r.polygon.forEach((p, i) => { const q = toPx(p); i ? ctx.lineTo(q[0], q[1]) : ctx.moveTo(q[0], q[1]); });
        ctx.closePath(); ctx.stroke();
      }
    }
    const head = view() && view().head;
    ed.dataset.head = head ? head.center_px.concat(head.radii_px).map((v) => v.toFixed(1)).join(',') : '';
    if (head && !clean) drawHead(head, s);
    if (handles.length && !clean) {
      ctx.strokeStyle = '#f0a'; ctx.lineWidth = 2 / s;
      ctx.beginPath();
      spline(handles).forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
      ctx.stroke();
      ctx.fillStyle = '#f0a';
      for (const h of handles) { ctx.beginPath(); ctx.arc(h[0], h[1], 6 / s, 0, 6.2832); ctx.fill(); }
      // The handle the keyboard moves: ringed.
      if (keyHandle >= 0 && keyHandle < handles.length && mode === 'hairline') {
        const h = handles[keyHandle];
        ctx.strokeStyle = '#fff'; ctx.lineWidth = 3 / s;
        ctx.beginPath(); ctx.arc(h[0], h[1], 11 / s, 0, 6.2832); ctx.stroke();
      }
    }
    ctx.fillStyle = '#fc0'; ctx.strokeStyle = '#fc0';
    if (regionPts.length) {
      ctx.beginPath();
      regionPts.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
      ctx.stroke();
    }
    for (const p of regionPts.concat(cal)) { ctx.beginPath(); ctx.arc(p[0], p[1], 5 / s, 0, 6.2832); ctx.fill(); }
    // Seed points: hair filled dark, bare scalp a white ring, both outlined to show on any photo.
    ctx.lineWidth = 2 / s;
    for (const [list, fill] of [[seeds.hair_px, '#3a2412'], [seeds.scalp_px, null]]) {
      for (const p of list) {
        ctx.beginPath(); ctx.arc(p[0], p[1], 6 / s, 0, 6.2832);
        ctx.fillStyle = fill || 'rgba(255,255,255,0.2)'; ctx.fill();
        ctx.strokeStyle = fill ? '#fff' : '#e0f'; ctx.stroke();
      }
    }
  }

  // The head outline, dashed; with the Head tool, its centre and its side and top points.
  function drawHead(head, s) {
    const [cx, cy] = head.center_px, [rx, ry] = head.radii_px;
    ctx.save();
    ctx.setLineDash([8 / s, 6 / s]); ctx.strokeStyle = '#0cf'; ctx.lineWidth = (mode === 'head' ? 2.5 : 1.2) / s;
    ctx.beginPath(); ctx.ellipse(cx, cy, rx, ry, 0, 0, 6.2832); ctx.stroke();
    ctx.restore();
    if (mode !== 'head') return;
    ctx.fillStyle = '#0cf';
    for (const [x, y] of headPoints(head)) { ctx.beginPath(); ctx.arc(x, y, 7 / s, 0, 6.2832); ctx.fill(); }
  }
  // The outline's draggable points: centre, right and left (width), top and bottom (height).
  function headPoints(head) {
    const [cx, cy] = head.center_px, [rx, ry] = head.radii_px;
    return [[cx, cy], [cx + rx, cy], [cx - rx, cy], [cx, cy - ry], [cx, cy + ry]];
  }
  // A first outline for a photo that has none: round the regions as the calibration lays
  // them flat, with a margin, else the middle of the photo.
  function proposeHead() {
    const m = view().mm_to_px, flat = (p) => [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]];
    const pts = design.regions.flatMap((r) => r.polygon.map(flat));
    const W = photo.naturalWidth, H = photo.naturalHeight;
    if (!pts.length) return { center_px: [W / 2, H / 2], radii_px: [W * 0.35, H * 0.35] };
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // A head is at least ~150 mm across in any view (anthropometric surveys such as ANSUR II
    // put adult head breadth at 15–16 cm): the outline is never smaller at the photo's scale.
    const least = HEAD_MIN_RADIUS_MM * Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
    return { center_px: [(x0 + x1) / 2, (y0 + y1) / 2], radii_px: [Math.max(least, (x1 - x0) * 0.6), Math.max(least, (y1 - y0) * 0.6)] };
  }
  // A drag of the outline: the centre moves it, a side point sets its width, the top or
  // bottom point its height.
  function dragHead(p) {
    const v = view(), h0 = headDrag.start;
    const [cx, cy] = h0.center_px;
    if (headDrag.part === 0) v.head = { center_px: [cx + p[0] - headDrag.from[0], cy + p[1] - headDrag.from[1]], radii_px: h0.radii_px.slice() };
    else if (headDrag.part <= 2) v.head = { center_px: [cx, cy], radii_px: [Math.max(20, Math.abs(p[0] - cx)), h0.radii_px[1]] };
    else v.head = { center_px: [cx, cy], radii_px: [h0.radii_px[0], Math.max(20, Math.abs(p[1] - cy))] };
    draw();
  }

  function setMode(m) {
    if (m !== 'none' && m !== 'calibrate' && !view()) { hint('Calibrate the photo first: click Calibrate.'); m = 'calibrate'; }
    if ((m === 'hair' || m === 'scalp') && !$('fit-show').dataset.fitted) { fitSay('Click Fit to photo first; then mark the points it got wrong.', 'error'); m = 'none'; }
    mode = m; cal = []; regionPts = []; drag = -1; headDrag = null;
    const proposed = m === 'head' && !view().head;
    if (proposed) { view().head = proposeHead(); loadHandles(); changed(); }
    // The tool's own controls open with it.
    const panel = { calibrate: 'calibrate-panel', chart: 'calibrate-panel', hair: 'fit-panel', scalp: 'fit-panel', hairline: 'hairline-panel', region: 'regions-panel' }[m];
    if (panel) $(panel).open = true;
    document.querySelectorAll('[data-mode]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === m)));
    hint({
      calibrate: calBy === 'pupils' ? 'Click the centre of one pupil, then the other, then the midline reference point.' : calBy === 'card' ? 'Click the midline reference point; the card is found by itself.' : 'Click one end of the ruler or coin, then the other end, then the midline reference point.',
      chart: 'Click the middle of the colour chart\'s four corner squares, in any order: the brown one, the bluish green one, black and white.',
      hair: 'Tap places that are the client\'s hair; the fit runs again.',
      scalp: 'Tap places that are bare scalp; the fit runs again.',
      hairline: 'Click to add hairline handles from temple to temple; drag a handle to move it.',
      region: 'Click the corners of the region, then Finish region.',
      head: 'Drag the outline\'s centre to move it, its sides and top to fit the client\'s head; the dots wrap round it and stay inside.',
      none: 'Look at the result. Pick a tool to edit.',
    }[m]);
    if (proposed) hint('This photo had no head outline: one is proposed round the design. Drag its centre, sides and top to fit the client\'s head.');
    draw();
  }

  function commitHairline(kind = '') {
    if (handles.length < 2) { delete design.hairline; changed(kind); return; }
    let pts = spline(handles).map(toMm);
    if (pts[0][0] > pts[pts.length - 1][0]) pts = pts.reverse();
    design.hairline = { points: pts, feather_mm: Number($('feather').value), irregularity: Number($('irregularity').value) };
    changed(kind);
  }

  function loadHandles() {
    handles = [];
    if (!design.hairline || !view()) return;
    const pts = design.hairline.points, step = Math.max(1, Math.ceil((pts.length - 1) / 8));
    const at = [];
    for (let i = 0; i < pts.length; i += step) at.push(i);
    if ((pts.length - 1) % step) at.push(pts.length - 1);
    // A handle at the midline apex (the point nearest x = 0), where the hairline's
    // height is set; a neighbour closer than half a step gives way to it.
    let apex = 0;
    pts.forEach((p, i) => { if (Math.abs(p[0]) < Math.abs(pts[apex][0])) apex = i; });
    const keep = at.filter((i) => i === 0 || i === pts.length - 1 || Math.abs(i - apex) >= step / 2);
    if (!keep.includes(apex)) keep.push(apex);
    keep.sort((a, b) => a - b);
    for (const i of keep) handles.push(toPx(pts[i]));
    ed.dataset.apexHandle = String(keep.indexOf(apex));
    $('feather').value = design.hairline.feather_mm; $('irregularity').value = design.hairline.irregularity;
    $('feather-out').textContent = design.hairline.feather_mm; $('irregularity-out').textContent = design.hairline.irregularity;
  }

  canvas.addEventListener('pointerdown', async (ev) => {
    if (!design) return;
    const p = eventPx(ev);
    if (mode === 'head') {
      const v = view(), i = v && v.head ? headPoints(v.head).findIndex((h) => Math.hypot(h[0] - p[0], h[1] - p[1]) < handleReach()) : -1;
      if (i >= 0) {
        canvas.setPointerCapture(ev.pointerId);
        headDrag = { part: i, from: p, start: JSON.parse(JSON.stringify(v.head)), moved: false };
      } else hint('Drag one of the outline\'s blue points: the centre moves it, the sides and top resize it.');
      return;
    }
    if (mode === 'hairline') {
      drag = handleAt(p);
      if (drag >= 0) {
        canvas.setPointerCapture(ev.pointerId);
        // Held without moving: delete the handle (the touch form of a double-tap).
        const held = drag;
        dragFrom = p; dragMoved = false;
        clearTimeout(pressTimer);
        pressTimer = setTimeout(() => { if (drag === held && !dragMoved) deleteHandle(held); }, HOLD_MS);
      } else if ($('hairline-add').checked || handles.length < 2) { insertHandle(p); commitHairline(); }
      else hint('That tap missed the handles. To add one, tick "Add points"; to move one, drag it.');
      draw();
    } else if (mode === 'region') {
      regionPts.push(p); draw();
    } else if (mode === 'hair' || mode === 'scalp') {
      seeds[mode === 'hair' ? 'hair_px' : 'scalp_px'].push(p.map((x) => Math.round(x)));
      showSeeds(); draw();
      clearTimeout(fitTimer); fitTimer = setTimeout(fitToPhoto, 500);
    } else if (mode === 'chart') {
      cal.push(p); draw();
      if (cal.length < 4) { hint(['', 'Now another corner square.', 'Two more corner squares.', 'Now the last corner square.'][cal.length] || ''); return; }
      const corners = cal; cal = [];
      readChart(corners);
    } else if (mode === 'calibrate') {
      cal.push(p); draw();
      const refBehind = Number($('cal-ref').value);
      const need = calBy === 'card' ? 1 : 3;
      if (cal.length < need) { hint(cal.length === 1 ? (calBy === 'pupils' ? 'Now the centre of the other pupil.' : 'Now the other end.') : 'Now the midline point ' + refBehind + ' mm behind the glabella' + (refBehind ? '.' : ' (the glabella itself).')); return; }
      const [p1, p2] = cal; const ref = cal[need - 1]; cal = [];
      const g = (design.landmarks && design.landmarks.glabella) || [0, 0];
      const body = { design, view: viewName, photo_id: photoId, ref_px: ref, ref_mm: [g[0], g[1] + refBehind] };
      if (calBy === 'card') {
        body.card = true;
        hint('Looking for the card…');
      } else if (calBy === 'pupils') {
        body.pupils_px = [p1, p2];
        if ($('cal-ipd').value) body.ipd_mm = Number($('cal-ipd').value);
      } else Object.assign(body, { p1_px: p1, p2_px: p2, distance_mm: Number($('cal-distance').value) });
      $('cal-note').textContent = '';
      try {
        const j = await (await api('POST', '/api/v1/calibrate', body)).json();
        design = j.design;
        if (j.pupils) { $('cal-note').textContent = j.pupils.note; cal = j.pupils.centres_px; setTimeout(() => { cal = []; draw(); }, 1500); }
        if (j.card) { $('cal-note').textContent = 'Card found: ' + j.card.px_per_mm.toFixed(2) + ' pixels per mm. Colours read from this photo are corrected through its grey patches.'; cal = j.card.corners_px; setTimeout(() => { cal = []; draw(); }, 2500); }
        if (j.chart) $('chart-note').textContent = 'A colour chart was found in the photo: once corrected, its colours match the chart\'s own with ' + j.chart.in_words + '. Colours read from this photo now go through it.';
        // The design is the server's new copy: the region list must edit it, not the old one.
        loadHandles(); renderRegions(); showCalibration(); hint('Calibrated. Fit to photo, or draw the hairline or regions.'); changed();
      } catch (e) { hint('Calibration failed: ' + e.plain); $('cal-note').textContent = 'Not calibrated: ' + e.plain; }
    }
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (headDrag) { headDrag.moved = true; dragHead(eventPx(ev)); return; }
    if (drag < 0) return;
    const p = eventPx(ev);
    // A finger wobbles: it is a drag once it has gone a third of the handle's reach.
    if (!dragMoved && Math.hypot(p[0] - dragFrom[0], p[1] - dragFrom[1]) < handleReach() / 3) return;
    dragMoved = true; handles[drag] = p; draw();
  });
  // A tap that did not move the handle changes nothing (and adds no undo step).
  canvas.addEventListener('pointerup', () => {
    // The hairline is kept in mm: its handles move with the new outline.
    if (headDrag) { const moved = headDrag.moved; headDrag = null; if (moved) { loadHandles(); changed(); } return; }
    clearTimeout(pressTimer); if (drag >= 0) { drag = -1; if (dragMoved) commitHairline(); } });
  canvas.addEventListener('dblclick', (ev) => {
    if (mode !== 'hairline') return;
    const i = handleAt(eventPx(ev));
    if (i >= 0) deleteHandle(i);
  });
  // A tap within 12 screen pixels of a handle is on it (photo pixels here).
  const handleReach = () => 12 / (canvas.getBoundingClientRect().width / photo.naturalWidth);
  function handleAt(p) {
    const near = handleReach();
    return handles.findIndex((h) => Math.hypot(h[0] - p[0], h[1] - p[1]) < near);
  }
  function deleteHandle(i) {
    clearTimeout(pressTimer); drag = -1;
    handles.splice(i, 1); commitHairline();
    hint('Handle deleted. Undo brings it back.');
  }

  // A new handle goes where it lengthens the curve least: between two neighbours or at an end.
  function insertHandle(p) {
    const d = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
    let best = handles.length, cost = handles.length ? d(handles[handles.length - 1], p) : 0;
    if (handles.length && d(handles[0], p) < cost) { best = 0; cost = d(handles[0], p); }
    for (let i = 1; i < handles.length; i++) {
      const c = d(handles[i - 1], p) + d(p, handles[i]) - d(handles[i - 1], handles[i]);
      if (c < cost) { best = i; cost = c; }
    }
    handles.splice(best, 0, p);
  }

  function showCalibration() {
    const v = view();
    $('cal-status').textContent = v ? 'Calibrated: ' + Math.sqrt(Math.abs(v.mm_to_px[0] * v.mm_to_px[4] - v.mm_to_px[1] * v.mm_to_px[3])).toFixed(2) + ' px per mm.' : 'Not calibrated yet.';
    if (v && v.chart && !$('chart-note').textContent) $('chart-note').textContent = 'Colours read from this photo are corrected through its colour chart.';
  }

  // The colour chart in the photo: found by itself, or read at the four corners clicked.
  async function readChart(corners) {
    if (!view()) { hint('Calibrate the photo first: click Calibrate.'); return; }
    const body = { design, view: viewName };
    if (corners) body.corners_px = corners;
    $('chart-note').textContent = corners ? 'Reading the colour chart…' : 'Looking for the colour chart…';
    try {
      const j = await (await api('POST', '/api/v1/chart', body)).json();
      design = j.design;
      $('chart-note').textContent = 'Colour chart read: once corrected, its colours match the chart\'s own with ' + j.chart.in_words +
        ' (average colour difference ' + j.chart.residual_delta_e00.toFixed(1) + '). Colours read from this photo now go through it; save to keep it.';
      cal = j.chart.corner_patches_px; draw(); setTimeout(() => { cal = []; draw(); }, 2500);
      loadHandles(); renderRegions(); changed();
      if (mode === 'chart') setMode('none');
    } catch (e) {
      $('chart-note').textContent = 'No colour chart read: ' + e.plain;
      if (!corners) setMode('chart');
    }
  }

  function renderRegions() {
    const ul = $('regions'); ul.textContent = '';
    design.regions.forEach((r, i) => {
      const li = document.createElement('li');
      li.innerHTML = '<strong></strong> <select aria-label="kind"><option>treat</option><option>blend</option><option>scar</option><option>exclude</option></select> ' +
        '<label>/cm² <input type="number" min="1" max="200" data-k="density_per_cm2"></label> <label>Ø mm <input type="number" step="0.01" min="0.05" max="1" data-k="dot_diameter_mm"></label> ' +
        '<label>shade <input type="number" step="0.05" min="0" max="1" data-k="shade"></label> ' +
        '<label>pigment <select data-p="name" aria-label="pigment"></select></label> <label>1: <select data-p="dilution" aria-label="dilution (parts water)"></select></label> ' +
        '<label title="Dots fade into the surrounding hair over this width past edges no other region shares; 0 for a hard edge, empty for the default (10 mm treat and blend, 0 scar)">edge fade mm <input type="number" step="1" min="0" max="30" data-k="edge_blend_mm"></label> <button type="button" aria-label="delete region">✕</button>';
      li.querySelector('strong').textContent = r.name;
      const sel = li.querySelector('select'); sel.value = r.kind;
      sel.addEventListener('change', () => { r.kind = sel.value; changed(); });
      li.querySelectorAll('input').forEach((inp) => {
        inp.value = r[inp.dataset.k] ?? '';
        if (inp.dataset.k === 'edge_blend_mm') inp.placeholder = r.kind === 'treat' || r.kind === 'blend' ? '10' : '0';
        inp.addEventListener('change', () => {
          if (inp.value === '') delete r[inp.dataset.k]; else r[inp.dataset.k] = Number(inp.value);
          changed();
        });
      });
      const pname = li.querySelector('[data-p=name]'), pdil = li.querySelector('[data-p=dilution]');
      pname.add(new Option('carbon × shade', ''));
      for (const p of library.pigments) pname.add(new Option(p.name, p.name));
      for (const d of library.dilutions_water_parts.filter((d) => d <= 6)) pdil.add(new Option(String(d), String(d)));
      pname.value = r.pigment ? r.pigment.name : '';
      pdil.value = String(r.pigment ? r.pigment.dilution : 0);
      pdil.disabled = !r.pigment;
      const setPigment = () => {
        if (pname.value) r.pigment = { name: pname.value, dilution: Number(pdil.value) }; else delete r.pigment;
        pdil.disabled = !r.pigment;
        changed();
      };
      pname.addEventListener('change', setPigment); pdil.addEventListener('change', setPigment);
      li.querySelector('button').addEventListener('click', () => { design.regions.splice(i, 1); renderRegions(); changed(); hint('Region ' + r.name + ' deleted. Undo brings it back.'); });
      ul.appendChild(li);
    });
  }

  $('region-finish').addEventListener('click', () => {
    if (regionPts.length < 3) { hint('A region needs at least 3 corners.'); return; }
    const kind = $('region-kind').value;
    let n = 1; while (design.regions.some((r) => r.name === kind + '-' + n)) n++;
    design.regions.push({ name: kind + '-' + n, kind, polygon: regionPts.map(toMm), density_per_cm2: Number($('region-density').value), dot_diameter_mm: Number($('region-dot').value), shade: Number($('region-shade').value) });
    regionPts = []; renderRegions(); changed();
  });
  $('hairline-clear').addEventListener('click', () => {
    handles = []; commitHairline(); draw();
    // A cleared hairline is drawn anew: every tap adds a handle.
    $('hairline-add').checked = true;
    hint('Hairline cleared (Undo brings it back). Tap from temple to temple to draw a new one.');
  });
  for (const id of ['feather', 'irregularity']) {
    $(id).addEventListener('input', () => { $(id + '-out').textContent = $(id).value; if (design.hairline) commitHairline(id); });
  }
  document.querySelectorAll('[data-mode]').forEach((b) => b.addEventListener('click', () => setMode(b.dataset.mode)));
  document.querySelectorAll('input[name=upto]').forEach((r) => r.addEventListener('change', () => { upto = Number(r.value); changed(); }));
  document.querySelectorAll('[data-state]').forEach((b) => b.addEventListener('click', () => {
    previewState = b.dataset.state;
    document.querySelectorAll('[data-state]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
    if (!previewState) { after.hidden = true; draw(); } else requestPreview();
  }));
  $('split').addEventListener('input', () => { after.style.clipPath = 'inset(0 0 0 ' + $('split').value + '%)'; });
  after.style.clipPath = 'inset(0 0 0 50%)';

  // Undo history: the state after each edit. A slider's movements within STEP_MS of
  // each other are one step (`kind` names the slider); every other edit (calibration,
  // a handle, a region, a typed value) is a step of its own, however quickly it follows.
  function remember(kind) {
    const now = JSON.stringify(design);
    if (past.length && past[past.length - 1] === now) return;
    const t = performance.now();
    if (kind && kind === lastKind && past.length > 1 && t - lastStep < STEP_MS) past[past.length - 1] = now; else past.push(now);
    lastStep = t; lastKind = kind;
    if (past.length > UNDO_DEPTH) past.shift();
    future = [];
    showHistory();
  }
  function showHistory() {
    $('undo').disabled = past.length < 2; $('redo').disabled = future.length === 0;
    const unsaved = past.length > 0 && past[past.length - 1] !== saved;
    ed.dataset.unsaved = unsaved ? '1' : '';
  }
  function restore(json) {
    design = JSON.parse(json);
    loadHandles(); renderRegions(); showCalibration(); draw();
    lastStep = 0; showHistory();
    requestOutputs();
  }
  function undo() { if (past.length < 2) return; future.push(past.pop()); restore(past[past.length - 1]); hint('Undone.'); }
  function redo() { if (!future.length) return; past.push(future.pop()); restore(past[past.length - 1]); hint('Redone.'); }
  $('undo').addEventListener('click', undo);
  $('redo').addEventListener('click', redo);
  document.addEventListener('keydown', (ev) => {
    if (!(ev.ctrlKey || ev.metaKey) || ev.key.toLowerCase() !== 'z' || ev.target.matches('input, textarea')) return;
    ev.preventDefault();
    if (ev.shiftKey) redo(); else undo();
  });
  // The hairline from the keyboard (the photo has focus, Hairline tool): [ and ] pick a
  // handle, the arrows move it (Shift: ten times as far), Delete removes it, Insert adds
  // one halfway to the next. Each key press is an edit that undo takes back; presses in
  // quick succession on one handle are one step.
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', 'Photo with the design. With the Hairline tool: [ and ] choose a handle, arrow keys move it, Delete removes it, Insert adds one.');
  canvas.addEventListener('keydown', (ev) => {
    if (mode !== 'hairline' || !handles.length) return;
    const n = handles.length, step = (ev.shiftKey ? 10 : 1) * 2 / scale() * (window.devicePixelRatio || 1);
    const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[ev.key];
    if (ev.key === ']' || ev.key === '[') keyHandle = ((keyHandle < 0 ? (ev.key === ']' ? -1 : 0) : keyHandle) + (ev.key === ']' ? 1 : n - 1)) % n;
    else if (keyHandle < 0 || keyHandle >= n) { hint('Press ] to choose a handle first.'); return; }
    else if (move) { handles[keyHandle] = [handles[keyHandle][0] + move[0] * step, handles[keyHandle][1] + move[1] * step]; commitHairline('key' + keyHandle); }
    else if (ev.key === 'Delete' || ev.key === 'Backspace') { deleteHandle(keyHandle); keyHandle = Math.min(keyHandle, handles.length - 1); }
    else if (ev.key === 'Insert' && keyHandle < n - 1) {
      const [a, b] = [handles[keyHandle], handles[keyHandle + 1]];
      handles.splice(keyHandle + 1, 0, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]); keyHandle++; commitHairline();
    } else return;
    ev.preventDefault();
    ed.dataset.keyHandle = String(keyHandle);
    if (!move) hint('Handle ' + (keyHandle + 1) + ' of ' + handles.length + ': arrow keys move it, Delete removes it.');
    draw();
  });
  // Leaving with unsaved changes asks first (the browser words the question).
  window.addEventListener('beforeunload', (ev) => { if (ed.dataset.unsaved) { ev.preventDefault(); ev.returnValue = ''; } });

  // Edits made by dragging a slider: many a second, so their dots wait for a pause.
  const CONTINUOUS = new Set(['feather', 'irregularity']);
  // Every edit: dots within ~100 ms (stale requests cancelled), preview later.
  function changed(kind = '') {
    editAt = performance.now();
    if (design) remember(kind);
    // Until the new dots arrive, those on screen are the last edit's: shown faded.
    $('dot-count').classList.add('stale'); ed.dataset.stale = '1';
    draw();
    requestOutputs(CONTINUOUS.has(kind));
  }
  // Dots at once for a typed or picked value, after a 40 ms pause while a slider moves
  // (stale requests cancelled); the preview after them.
  function requestOutputs(continuous = false) {
    clearTimeout(dotsTimer); dotsTimer = setTimeout(requestDots, continuous ? 40 : 0);
    if (previewState) { clearTimeout(previewTimer); previewTimer = setTimeout(requestPreview, PREVIEW_DELAY_MS); }
  }

  // A refused design's problems beside the inputs they are about, in words.
  function clearFieldErrors() {
    document.querySelectorAll('.field-error').forEach((n) => n.remove());
    document.querySelectorAll('[aria-invalid=true]').forEach((n) => n.removeAttribute('aria-invalid'));
  }
  function inputFor(path) {
    let m = /^regions\[(\d+)\]\.(\w+)/.exec(path);
    if (m) {
      const li = $('regions').children[Number(m[1])];
      if (!li) return null;
      return li.querySelector('[data-k=' + m[2] + ']') || (m[2] === 'pigment' ? li.querySelector('[data-p=name]') : null) || li.querySelector('select');
    }
    m = /^hairline\.(\w+)/.exec(path);
    if (m) return { feather_mm: $('feather'), irregularity: $('irregularity') }[m[1]] || $('hairline-clear');
    return null;
  }
  // Where a problem is, in the practitioner's words: the region's name, not its index.
  function placeOf(path) {
    const m = /^regions\[(\d+)\]/.exec(path);
    if (m && design.regions[Number(m[1])]) return 'Region ' + design.regions[Number(m[1])].name + ': ';
    if (path.startsWith('hairline')) return 'Hairline: ';
    return '';
  }
  function showProblems(e) {
    const lint = $('lint');
    lint.textContent = '';
    const problems = e.problems && e.problems.length ? e.problems : [{ field: '', message: e.plain }];
    for (const p of problems) {
      const li = document.createElement('li'); li.className = 'error'; li.textContent = placeOf(p.field) + p.message; lint.appendChild(li);
      const inp = p.field && inputFor(p.field);
      if (!inp) continue;
      inp.setAttribute('aria-invalid', 'true');
      const note = document.createElement('span');
      note.className = 'field-error error'; note.setAttribute('role', 'alert'); note.textContent = p.message;
      (inp.closest('label') || inp).after(note);
    }
  }

  async function requestDots() {
    if (!view()) { $('dot-count').textContent = 'Calibrate the photo to see dots.'; return; }
    if (dotsAbort) dotsAbort.abort();
    dotsAbort = new AbortController();
    const lint = $('lint');
    try {
      const t0 = performance.now();
      const r = await api('POST', '/api/v1/dots', { design, view: viewName, upto }, dotsAbort.signal);
      const j = await r.json();
      dots = j;
      clearFieldErrors();
      $('dot-count').classList.remove('stale'); ed.dataset.stale = '';
      $('dot-count').textContent = j.count.toLocaleString() + ' impressions' + (upto ? ' (sessions 1–' + upto + ')' : '') + ' · ' + Math.round(performance.now() - t0) + ' ms';
      lint.textContent = '';
      for (const w of j.lint) { const li = document.createElement('li'); li.textContent = w.message; li.className = 'warn'; lint.appendChild(li); }
      ed.dataset.dots = String(j.count);
      // Drawn (on the visible side of the head) and, of those, outside its outline.
      ed.dataset.drawn = String(j.px.length / 2);
      const h = view().head;
      let off = 0;
      if (h) for (let i = 0; i < j.px.length; i += 2) off += Math.hypot((j.px[i] - h.center_px[0]) / h.radii_px[0], (j.px[i + 1] - h.center_px[1]) / h.radii_px[1]) > 1.01;
      ed.dataset.offHead = String(off);
      draw();
      if (editAt) ed.dataset.dotsMs = String(Math.round(performance.now() - editAt));
    } catch (e) {
      if (e.name === 'AbortError') return;
      // The dots on screen no longer match the design: say so where the count is.
      dots = null; draw();
      $('dot-count').classList.remove('stale');
      $('dot-count').textContent = 'No dots until the design is fixed (see below).';
      clearFieldErrors(); showProblems(e);
      // Said above the photo too, where the practitioner is looking.
      const first = e.problems && e.problems[0];
      hint('Not drawn: ' + (first ? placeOf(first.field) + first.message : e.plain));
    }
  }

  async function requestPreview() {
    if (!previewState || !view()) return;
    if (previewAbort) previewAbort.abort();
    previewAbort = new AbortController();
    hint('Rendering the ' + previewState + ' preview…');
    try {
      // A JPEG the size it is shown at (device pixels): a tenth of a full-size PNG's bytes.
      const shown = Math.round(photo.clientWidth * (window.devicePixelRatio || 1));
      const width = Math.max(400, Math.min(1400, shown));
      const asked = editAt;
      const r = await api('POST', '/api/v1/preview', { design, view: viewName, state: previewState, upto, max_width_px: width, format: 'jpeg' }, previewAbort.signal);
      const blob = await r.blob();
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(blob);
      after.onload = () => { if (asked && asked === editAt) ed.dataset.previewMs = String(Math.round(performance.now() - asked)); };
      after.src = previewUrl; after.hidden = false; after.dataset.state = previewState;
      hint('Preview: ' + previewState + '. Slide to compare before and after.');
      draw();
    } catch (e) { if (e.name !== 'AbortError') hint('Preview failed: ' + e.message); }
  }

  // "L,a,b" → [L, a, b], '' → undefined; anything else is an error the user sees.
  function labInput(id, what) {
    const t = $(id).value.trim();
    if (!t) return undefined;
    const v = t.split(/[,\s]+/).map(Number);
    if (v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw new Error(what + ' must be three numbers "L,a,b", e.g. 68,10,16');
    return v;
  }
  const labText = (l) => 'L* ' + l[0].toFixed(1) + ', a* ' + l[1].toFixed(1) + ', b* ' + l[2].toFixed(1);

  $('match').addEventListener('click', async () => {
    const out = $('match-result');
    out.textContent = ''; $('match-apply').hidden = true; lastMatch = null;
    const line = (text, cls) => { const p = document.createElement('p'); p.textContent = text; if (cls) p.className = cls; out.appendChild(p); return p; };
    try {
      if (!view()) throw new Error('calibrate the photo first');
      // The inputs are the measured colours: the design's stored ones are shown in them.
      const body = { design: { ...design, colours: undefined }, view: viewName, skin_lab: labInput('match-skin', 'Skin'), hair_lab: labInput('match-hair', 'Hair') };
      line('Matching…');
      const m = await (await api('POST', '/api/v1/color/match', body)).json();
      out.textContent = '';
      line('Recommended: ' + m.pigment + ' ' + m.dilution + ' — healed ' + labText(m.predicted_lab) + ', ΔE00 ' + m.predicted_delta_e00.toFixed(2) + ' from the hair.', 'ok').id = 'match-best';
      line('Skin ' + labText(m.skin_lab) + ' (ITA ' + Math.round(m.skin.ita_deg) + '°, ' + m.skin.category + ', Fitzpatrick ' + m.skin.fitzpatrick + ' estimate); hair ' + labText(m.hair_lab) + ' (level ' + m.hair_level + ' estimate).', 'muted');
      if (m.alternatives.length) line('Next best: ' + m.alternatives.map((a) => a.pigment + ' ' + a.dilution + ' (ΔE00 ' + a.predicted_delta_e00.toFixed(2) + ')').join('; ') + '.', 'muted');
      const ae = m.area_effect;
      line('Whole area at ' + Math.round(ae.design_density_per_cm2) + '/cm²: ' + labText(ae.predicted_area_lab) + (ae.hair_area_lab ? '; haired (blend) area ' + labText(ae.hair_area_lab) + ', ΔE00 ' + ae.delta_e00.toFixed(2) : '') + '.', 'muted');
      const ul = document.createElement('ul'); ul.className = 'lint';
      for (const w of m.warnings) { const li = document.createElement('li'); li.className = 'warn'; li.textContent = w; ul.appendChild(li); }
      out.appendChild(ul);
      lastMatch = { ...m, measured: { skin_lab: body.skin_lab, hair_lab: body.hair_lab } }; $('match-apply').hidden = false;
    } catch (e) { out.textContent = ''; line('No match: ' + e.message, 'error'); }
  });
  $('match-apply').addEventListener('click', () => {
    if (!lastMatch) return;
    const dilution = Number(lastMatch.dilution.split(':')[1]);
    for (const r of design.regions) if (r.kind === 'treat' || r.kind === 'blend') r.pigment = { name: lastMatch.pigment, dilution };
    // The measured colours the choice rests on are kept with it (the report uses them).
    const c = {};
    if (lastMatch.measured.skin_lab) c.skin_lab = lastMatch.measured.skin_lab;
    if (lastMatch.measured.hair_lab) c.hair_lab = lastMatch.measured.hair_lab;
    if (Object.keys(c).length) design.colours = c; else delete design.colours;
    renderRegions(); changed();
    hint('Pigment set: ' + lastMatch.pigment + ' ' + lastMatch.dilution + ' in the treat and blend regions (save to keep it).');
  });

  // Fit to photo: the server reads the photo (again when points were marked) and fits
  // the regions, hairline and colours; the result is an unsaved change like any edit.
  const fitSay = (text, cls) => { $('fit-status').textContent = text; $('fit-status').className = cls || ''; };
  function showSeeds() {
    const h = seeds.hair_px.length, sc = seeds.scalp_px.length;
    $('seed-count').textContent = h + sc ? h + ' hair and ' + sc + ' bare-scalp point' + (sc === 1 ? '' : 's') + ' marked.' : '';
  }
  async function fitToPhoto() {
    $('fit-warnings').textContent = '';
    if (!view()) { fitSay('Calibrate the photo first (Calibrate, then three clicks); then fit.', 'error'); return; }
    const body = { design, view: viewName, seeds };
    if ($('fit-hairline').value) body.hairline_mm = Number($('fit-hairline').value);
    fitSay('Reading the photo and fitting…');
    $('fit').disabled = true;
    try {
      const j = await (await api('POST', '/api/v1/fit', body)).json();
      design = j.design;
      loadHandles(); renderRegions(); changed();
      fitSay(j.summary + ' Not saved yet.', 'ok');
      for (const w of j.warnings) { const li = document.createElement('li'); li.className = 'warn'; li.textContent = w; $('fit-warnings').appendChild(li); }
      $('fit-show').disabled = false; $('fit-show').dataset.fitted = '1';
      ed.dataset.fits = String(Number(ed.dataset.fits || 0) + 1);
      await showLabels();
    } catch (e) { fitSay('Could not fit: ' + e.plain, 'error'); }
    $('fit').disabled = false;
  }
  async function showLabels() {
    if (!$('fit-show').checked || !$('fit-show').dataset.fitted) { labelsImg.hidden = true; return; }
    try {
      const blob = await (await api('POST', '/api/v1/overlay', { design, view: viewName, max_width_px: 1400 })).blob();
      if (labelsUrl) URL.revokeObjectURL(labelsUrl);
      labelsUrl = URL.createObjectURL(blob);
      labelsImg.src = labelsUrl; labelsImg.hidden = false;
    } catch (e) { fitSay('The photo reading cannot be shown: ' + e.plain, 'error'); }
  }
  $('fit').addEventListener('click', fitToPhoto);
  $('chart-find').addEventListener('click', () => readChart(null));
  $('fit-show').addEventListener('change', showLabels);
  $('seeds-clear').addEventListener('click', () => {
    seeds = { hair_px: [], scalp_px: [] }; showSeeds(); draw();
    if ($('fit-show').dataset.fitted) fitToPhoto();
  });
  document.querySelectorAll('input[name=cal-by]').forEach((r) => r.addEventListener('change', () => {
    calBy = r.value;
    const pupils = calBy === 'pupils', card = calBy === 'card';
    $('cal-distance-label').hidden = pupils || card; $('cal-how').hidden = pupils || card;
    $('cal-ipd-label').hidden = !pupils; $('cal-pupils-how').hidden = !pupils;
    $('cal-card-how').hidden = !card;
    $('cal-ref-which').textContent = card ? 'The one click' : 'Third click';
    setMode('calibrate');
  }));

  $('save').addEventListener('click', async () => {
    const status = $('save-status');
    try {
      const r = await api('POST', '/api/v1/designs/' + designId + '/versions', { base_version: base, design, note: $('save-note').value });
      const v = await r.json();
      base = v.version; ed.dataset.version = String(base); $('next-version').textContent = String(base + 1);
      status.className = 'ok'; status.textContent = 'Saved as version ' + v.version + '.';
      $('save-note').value = '';
      saved = JSON.stringify(design); showHistory();
    } catch (e) { status.className = 'error'; status.textContent = 'Not saved: ' + e.message; }
  });

  async function load() {
    try { library = await (await api('GET', '/api/v1/pigments')).json(); } catch (e) { hint('Pigment library unavailable: ' + e.message); }
    const r = await api('GET', '/api/v1/designs/' + designId + '/versions/' + base);
    design = (await r.json()).design;
    saved = JSON.stringify(design); past = [saved]; future = [];
    $('next-version').textContent = String(base + 1);
    loadHandles(); renderRegions(); showCalibration();
    const colours = design.colours || {};
    if (colours.skin_lab) $('match-skin').value = colours.skin_lab.join(',');
    if (colours.hair_lab) $('match-hair').value = colours.hair_lab.join(',');
    setMode(view() ? 'none' : 'calibrate');
    // A calibrated view needs its calibration rarely: folded away, one tap opens it.
    if (view()) $('calibrate-panel').open = false;
    fitCanvas(); changed();
  }
  window.addEventListener('resize', fitCanvas);
  if (photo.complete && photo.naturalWidth) load(); else photo.addEventListener('load', load, { once: true });
})();
