// The client page's tabs: one part of the record at a time, chosen by the address's
// #fragment, so a tab is a link (back and forward work) and a form's redirect to
// "#sessions" or "#screening" opens the tab holding it. Without script every part shows.
(function () {
  const panels = Array.from(document.querySelectorAll('.tab-panel'));
  const links = Array.from(document.querySelectorAll('.tabs a'));
  if (panels.length === 0) return;
  document.body.classList.add('tabbed');
  function show() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    const panel = (target && target.closest('.tab-panel')) || panels[0];
    for (const p of panels) p.hidden = p !== panel;
    for (const a of links) {
      const on = a.getAttribute('href') === '#' + panel.id;
      a.setAttribute('aria-selected', on ? 'true' : 'false');
      a.classList.toggle('current', on);
    }
    // A tab opens at its top, under the tab bar; a deeper target stays where the browser put it.
    if (!target || target === panel) window.scrollTo(0, 0);
  }
  window.addEventListener('hashchange', show);
  show();
})();
