// The aftercare sheet's Print and Back buttons (no inline handlers: the pages' CSP allows
// scripts from the app only).
document.getElementById('print-sheet')?.addEventListener('click', () => window.print());
document.getElementById('go-back')?.addEventListener('click', () => history.back());
