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

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  if (text !== null) el.textContent = text;
  return el;
}

/** Words of `text` in lines of at most `chars` characters. */
function wrap(text, chars) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The SVG of a chart as a standalone file: the page's font written in, the chart's
 * title above it and its legend (read from the figure's legend as drawn) below, on
 * white — so that an exported chart reads on its own.
 */
export function svgText(svg) {
  const figure = svg.closest("figure");
  const fontFamily = getComputedStyle(svg).fontFamily || getComputedStyle(document.documentElement).fontFamily;
  const width = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
  const height = Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
  const title = svg.getAttribute("aria-label") ?? "";
  const titleLines = title ? wrap(title, Math.floor(width / 7.5)) : [];
  const lineHeight = 18;
  const top = titleLines.length ? 12 + titleLines.length * lineHeight : 0;
  const items = [...(figure?.querySelectorAll(".legend li") ?? [])].map((li) => {
    const swatch = li.querySelector(".swatch");
    const style = swatch ? getComputedStyle(swatch) : null;
    return {
      text: li.textContent.trim(),
      fill: style && style.backgroundColor !== "rgba(0, 0, 0, 0)" ? style.backgroundColor : "none",
      stroke: style && style.borderTopStyle !== "none" ? style.borderTopColor : "none",
      line: style ? style.height === "0px" : false,
      dashed: style?.borderTopStyle === "dashed",
    };
  });
  // The legend flows in rows; each item a swatch and its (wrapped) text.
  const legend = svgElement("g", { transform: `translate(8, ${top + height + 8})`, "font-size": 12 });
  let x = 0;
  let y = 0;
  let rowHeight = lineHeight;
  for (const item of items) {
    const lines = wrap(item.text, Math.floor((width - 40) / 7));
    const itemWidth = 22 + Math.max(...lines.map((l) => l.length)) * 6.6 + 16;
    if (x > 0 && x + itemWidth > width - 8) {
      x = 0;
      y += rowHeight;
      rowHeight = lineHeight;
    }
    const g = svgElement("g", { transform: `translate(${x}, ${y})` });
    g.append(item.line
      ? svgElement("line", { x1: 0, x2: 16, y1: 7, y2: 7, stroke: item.stroke, "stroke-width": 2, "stroke-dasharray": item.dashed ? "4,3" : null })
      : svgElement("rect", { x: 0, y: 0, width: 14, height: 14, rx: 2, fill: item.fill, stroke: item.stroke }));
    lines.forEach((l, i) => g.append(svgElement("text", { x: 22, y: 11 + i * lineHeight }, l)));
    legend.append(g);
    x += itemWidth;
    rowHeight = Math.max(rowHeight, lines.length * lineHeight);
  }
  const total = top + height + (items.length ? 8 + y + rowHeight + 8 : 0);
  const out = svgElement("svg", { xmlns: SVG_NS, width, height: total, viewBox: `0 0 ${width} ${total}`, "font-family": fontFamily });
  out.append(svgElement("title", {}, title), svgElement("rect", { width, height: total, fill: "white" }));
  titleLines.forEach((l, i) => out.append(svgElement("text", { x: 8, y: 16 + i * lineHeight, "font-size": 14, "font-weight": 600 }, l)));
  const chart = svg.cloneNode(true);
  chart.setAttribute("x", 0);
  chart.setAttribute("y", top);
  chart.setAttribute("font-family", fontFamily);
  out.append(chart, legend);
  return new XMLSerializer().serializeToString(out);
}

export function downloadCsv(spec, filename) {
  save(new Blob(["\ufeff", csvText(spec)], { type: "text/csv;charset=utf-8" }), filename);
}

export function downloadSvg(svg, filename) {
  save(new Blob([svgText(svg)], { type: "image/svg+xml" }), filename);
}

export async function downloadPng(svg, filename, scale = 2) {
  const text = svgText(svg);
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(text);
  const [width, height] = size ? [Number(size[1]), Number(size[2])] : [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height];
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
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
