// A "More details" section opens itself when a choice needs one of its fields: with
// data-opens-with="category=information_request", choosing that category opens it so
// the legal basis and disclosure are in view. Without this script the server opens it
// on the refusal that names the missing field.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("details[data-opens-with]").forEach((details) => {
    const [name, value] = details.dataset.opensWith.split("=");
    const form = details.closest("form");
    const field = form && form.elements.namedItem(name);
    if (!field) return;
    const openIfChosen = () => {
      if (field.value === value) details.open = true;
    };
    field.addEventListener("change", openIfChosen);
    // A choice made before this script ran (a slow phone, a quick hand) counts too.
    openIfChosen();
  });
});
