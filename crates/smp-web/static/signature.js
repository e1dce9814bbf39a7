// Drawn signature: pointer strokes recorded as SVG path data (M/L, whole pixels) into
// the form's hidden field; submitting without a stroke is refused here and by the server.
(() => {
  'use strict';
  const pad = document.getElementById('signature-pad');
  const out = document.getElementById('signature-path');
  const ctx = pad.getContext('2d');
  let path = '', down = false;
  const at = (ev) => {
    const r = pad.getBoundingClientRect();
    return [Math.round((ev.clientX - r.left) * pad.width / r.width), Math.round((ev.clientY - r.top) * pad.height / r.height)];
  };
  pad.addEventListener('pointerdown', (ev) => { down = true; const [x, y] = at(ev); path += 'M' + x + ' ' + y + ' '; ctx.beginPath(); ctx.moveTo(x, y); pad.setPointerCapture(ev.pointerId); });
  pad.addEventListener('pointermove', (ev) => { if (!down) return; const [x, y] = at(ev); path += 'L' + x + ' ' + y + ' '; ctx.lineTo(x, y); ctx.stroke(); });
  pad.addEventListener('pointerup', () => { down = false; out.value = path.trim(); });
  document.getElementById('signature-clear').addEventListener('click', () => { path = ''; out.value = ''; ctx.clearRect(0, 0, pad.width, pad.height); });
  document.getElementById('consent-form').addEventListener('submit', (ev) => {
    if (!out.value) { ev.preventDefault(); alert('Please sign in the box first.'); }
  });
  ctx.lineWidth = 2; ctx.lineCap = 'round';
})();
