// Forms marked data-confirm ask first (a cancelled booking or a deleted record is not
// one mis-tap away); no inline handlers, as the pages' CSP allows none.
document.addEventListener('submit', (e) => {
  const msg = e.target.dataset && e.target.dataset.confirm;
  if (msg && !window.confirm(msg)) e.preventDefault();
});
