// Guided capture: the camera with the view's outline and the last visit's photo as a
// ghost; each frame is checked on the server (sharp, exposed, colour, card) and kept
// only if usable, else the reason is shown and the practitioner retakes it.
(() => {
  const $ = (id) => document.getElementById(id);
  const root = $('capture');
  const csrf = document.querySelector('meta[name=csrf-token]').content;
  const client = root.dataset.client;
  const video = $('camera');
  let stream = null;

  function view() { return document.querySelector('input[name=capture-view]:checked'); }
  function showView() {
    const v = view();
    $('capture-tip').textContent = v.dataset.tip;
    const ghost = $('ghost');
    if (v.dataset.ghost) { ghost.src = v.dataset.ghost; ghost.hidden = false; } else { ghost.hidden = true; ghost.removeAttribute('src'); }
    $('capture-frame').dataset.view = v.value;
  }
  document.querySelectorAll('input[name=capture-view]').forEach((r) => r.addEventListener('change', showView));
  showView();

  // Today's set: which standard views this visit has, and which are still to take.
  function showSet() {
    const all = Array.from(document.querySelectorAll('input[name=capture-view]'));
    const missing = all.filter((r) => !r.dataset.done).map((r) => r.value);
    $('visit-set').textContent = missing.length === 0
      ? 'Today\'s set is complete: all ' + all.length + ' standard views.'
      : 'Today\'s set: ' + (all.length - missing.length) + ' of ' + all.length + ' views taken; still to take: ' + missing.join(', ') + '.';
    $('visit-set').className = missing.length === 0 ? 'ok' : 'muted';
  }
  showSet();

  $('camera-start').addEventListener('click', async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      $('capture-status').textContent = 'This browser cannot open the camera here: choose a photo instead.';
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 3840 }, height: { ideal: 2160 } }, audio: false });
      video.srcObject = stream;
      await video.play();
      $('take').disabled = false;
      $('capture-status').textContent = 'Line the head up with the outline, the card beside it, and take the photo.';
    } catch (e) {
      $('capture-status').textContent = 'The camera could not be opened (' + e.name + '): allow the camera, or choose a photo instead.';
    }
  });

  async function send(blob, name) {
    const form = new FormData();
    form.append('view', view().value);
    form.append('taken_on', root.dataset.today);
    form.append('check', '1');
    form.append('file', blob, name);
    $('capture-status').textContent = 'Checking the photo…';
    $('capture-checks').replaceChildren();
    const r = await fetch('/api/v1/clients/' + client + '/photos', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: form });
    const j = await r.json().catch(() => ({}));
    if (!r.ok) {
      $('capture-status').textContent = 'Not kept: ' + (j.error || ('the server answered ' + r.status + '; try again'));
      $('capture-status').className = 'warn';
      return;
    }
    $('capture-status').className = 'ok';
    $('capture-status').textContent = 'Kept as the ' + j.view + ' photo of ' + j.taken_on + (j.card_px_per_mm ? ', with the card: ' + j.card_px_per_mm.toFixed(2) + ' pixels per mm.' : '.');
    for (const c of j.checks || []) {
      const li = document.createElement('li');
      li.textContent = c.message;
      li.className = c.ok ? 'ok' : 'warn';
      li.dataset.check = c.check;
      $('capture-checks').append(li);
    }
    // This photo is the ghost of the next one of the same view, and the view is done today.
    view().dataset.ghost = '/photos/' + j.id + '/image';
    view().dataset.done = '1';
    view().parentElement.querySelector('.done-mark').textContent = ' ✓';
    showView(); showSet();
  }

  $('take').addEventListener('click', () => {
    const c = document.createElement('canvas');
    c.width = video.videoWidth; c.height = video.videoHeight;
    c.getContext('2d').drawImage(video, 0, 0);
    c.toBlob((b) => send(b, view().value + '.jpg'), 'image/jpeg', 0.92);
  });
  $('capture-file').addEventListener('change', (ev) => {
    const f = ev.target.files[0];
    if (f) send(f, f.name);
  });
})();
