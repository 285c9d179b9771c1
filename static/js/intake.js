// The applications inbox: the header box ticks or unticks every row of the table. Listening on
// the document keeps it working after htmx swaps the table in.
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-select-all]");
  if (!all) {
    return;
  }
  const table = all.closest("table");
  const name = all.dataset.selectAll;
  for (const box of table.querySelectorAll(`input[type="checkbox"][name="${name}"]`)) {
    box.checked = all.checked;
  }
});
