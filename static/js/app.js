// Small behaviours without inline script (the Content Security Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      window.print();
    });
  });
});
