// What scripts/prerender.mjs wrote into the served page beside the default view it drew
// at build time: {query (the view's query, ""), lang, package, limits, version (the
// engine's, as the worker gives them), sections (sections/draw.js's memo of what each
// section read)}. Null in a page without a prerender (www/ as it is in the repository).
let data;

export function prerendered() {
  if (data === undefined) {
    const holder = document.getElementById("sibstat-prerender");
    data = holder ? JSON.parse(holder.textContent) : null;
  }
  return data;
}
