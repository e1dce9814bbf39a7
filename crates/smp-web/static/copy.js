// The calendar address in full (the server knows only its path; the browser knows the
// address the clinic reaches it by), and a button that copies it.
document.addEventListener('DOMContentLoaded', () => {
  const code = document.getElementById('feed-url');
  const button = document.getElementById('copy-feed');
  if (!code || !button) return;
  code.textContent = new URL(code.dataset.path, window.location.href).href;
  button.addEventListener('click', async () => {
    const text = code.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      // Without a secure context the clipboard API is missing: select it for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      document.execCommand('copy');
    }
    button.textContent = 'Copied';
  });
});
