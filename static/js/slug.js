// A new site's short name (slug) fills itself from its name as the name is typed, until
// the short name is edited by hand. The server does the same when it is left blank.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-slug-from]").forEach((slug) => {
    const source = document.getElementById(slug.dataset.slugFrom);
    if (!source) return;
    let edited = slug.value !== "";
    slug.addEventListener("input", () => {
      edited = slug.value !== "";
    });
    source.addEventListener("input", () => {
      if (!edited) slug.value = slugify(source.value, slug.maxLength > 0 ? slug.maxLength : 60);
    });
  });
});

// As Django's slugify: accents dropped, lower case, runs of other characters to one "-".
function slugify(text, maxLength) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9\s_-]/g, "")
    .trim()
    .replace(/[\s_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, Math.max(1, maxLength - 4))
    .replace(/-+$/, "");
}
