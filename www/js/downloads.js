// Downloads of a chart: its data as CSV (with a header naming the definition, seed and
// version), the SVG as drawn, and a PNG rendered from the SVG on a canvas. Nothing
// leaves the page: the files are built here and handed to the browser as blobs.
import { csvText } from "./adapters.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The SVG of a chart as standalone text (namespaces and a white background added). */
export function svgText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  copy.style.background = "white";
  return new XMLSerializer().serializeToString(copy);
}

export function downloadCsv(spec, filename) {
  save(new Blob(["\ufeff", csvText(spec)], { type: "text/csv;charset=utf-8" }), filename);
}

export function downloadSvg(svg, filename) {
  save(new Blob([svgText(svg)], { type: "image/svg+xml" }), filename);
}

export async function downloadPng(svg, filename, scale = 2) {
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    await new Promise((done, fail) => {
      image.onload = done;
      image.onerror = () => fail(new Error("the chart could not be rendered to PNG"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
    save(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The download buttons of a figure. `csv()` returns the CSV spec ({header, columns,
 * rows, lang}); `svg()` the chart's SVG element (null for a table-only download).
 */
export function downloadBar(lang, name, { csv, svg }) {
  const buttons = [
    h("button", { type: "button", class: "download", dataset: { download: "csv" }, onclick: () => downloadCsv(csv(), `${name}.csv`) }, t(lang, "download.csv")),
  ];
  if (svg) {
    buttons.push(
      h("button", { type: "button", class: "download", dataset: { download: "svg" }, onclick: () => downloadSvg(svg(), `${name}.svg`) }, t(lang, "download.svg")),
      h("button", { type: "button", class: "download", dataset: { download: "png" }, onclick: () => downloadPng(svg(), `${name}.png`) }, t(lang, "download.png")),
    );
  }
  return h("div", { class: "downloads", role: "group", "aria-label": `${t(lang, "download.label")}: ${name}` }, h("span", { class: "downloads-label" }, `${t(lang, "download.label")}:`), buttons);
}
