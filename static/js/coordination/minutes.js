// Warn before leaving the minutes editor with unsaved text. The server keeps every saved
// revision and refuses a stale save, so this only guards against closing the tab by mistake.
(() => {
  const form = document.querySelector("[data-minutes-form]");
  if (!form) return;
  const area = form.querySelector("textarea");
  if (!area) return;
  const original = area.value;
  let submitting = false;
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && area.value !== original) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
