// The application form: things that need a script, which the form works without.
(() => {
  // The profession search needs a script (htmx); without one, people scroll the list instead.
  for (const element of document.querySelectorAll("[data-js-only]")) {
    element.hidden = false;
  }
  // After a refused submission, take keyboard and screen-reader users to the list of corrections.
  const summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
  // A second tap while the resume uploads would send the application twice.
  const form = document.querySelector("form.apply-form");
  if (form) {
    const button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", () => {
      button.disabled = true;
    });
    // Coming back with the browser's Back button shows the page as it was left.
    window.addEventListener("pageshow", () => {
      button.disabled = false;
    });
  }
})();
