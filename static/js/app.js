// Small behaviours that must not be inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) {
    form.requestSubmit();
  }
});
