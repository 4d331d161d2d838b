// Drawing with Observable Plot (vendored UMD, global `Plot`). The chart layer does no
// statistics: it receives the adapters' arrays and draws them. Each chart is one image
// for assistive technology with a table alternative beside it.
import { numberTick, percentTick } from "./format.js";

export const COLORS = {
  success: "#1b7f5b",
  failure: "#c8702a",
  excluded: "#9aa3ad",
  unknown: "#9aa3ad",
  naive: "#b3261e",
  published: "#1f2937",
  target: "#5b3fa0",
};

// Section widths read before a redraw began (rememberWidths), while the layout was
// still clean: reading them between the redraws of sections would lay the page out
// again for every chart.
const widths = new Map();

/** Reads the widths of the given sections now, for the charts drawn next; no ids: forgets them. */
export function rememberWidths(sectionIds = []) {
  widths.clear();
  for (const id of sectionIds) {
    const width = document.getElementById(id)?.clientWidth;
    if (width) widths.set(id, width);
  }
}

// The widths each section's charts asked for (their `max`), so that sections/draw.js
// can tell whether a section drawn earlier (or prerendered at build time) was drawn at
// the width it would be drawn at now.
const asked = new Map(); // section id -> Set of max

/** The maxima the charts of a section asked for since `forgetAskedWidths(id)`. */
export function askedWidths(sectionId) {
  return [...(asked.get(sectionId) ?? [])];
}

/** Starts recording the widths a section's charts ask for (before it is drawn). */
export function forgetAskedWidths(sectionId) {
  asked.delete(sectionId);
}

/** The width a chart is drawn at: its section's content width, at most `max` pixels. */
export function chartWidth(sectionId, max) {
  if (!asked.has(sectionId)) asked.set(sectionId, new Set());
  asked.get(sectionId).add(max);
  return widthFor(sectionId, max);
}

/** chartWidth without recording it: the width a chart of `max` would be drawn at now. */
export function widthFor(sectionId, max) {
  const width = widths.get(sectionId) ?? (document.getElementById(sectionId)?.clientWidth || max);
  return Math.max(280, Math.min(max, Math.floor(width)));
}

// The page's font, written into every chart so that an exported SVG or PNG keeps it.
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export function asImage(svg, label) {
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  for (const child of svg.querySelectorAll("g[aria-label], g")) child.setAttribute("aria-hidden", "true");
  return svg;
}

/**
 * Horizontal bars: outflow causes with their counts, coloured by what the current
 * definition makes of them. rows: [{label, count, class, classLabel}].
 */
export function causesChart(rows, { lang, label, classLabels, width = 720 }) {
  // Narrow (a phone): each label above its bar instead of in a left margin.
  const narrow = width < 560;
  const color = { domain: Object.keys(classLabels), range: Object.keys(classLabels).map((k) => COLORS[k]), legend: false };
  const countText = Plot.text(rows, { x: "count", y: "label", text: (d) => numberTick(lang)(d.count), dx: 4, textAnchor: "start", fill: "currentColor" });
  const svg = narrow
    ? Plot.plot({
      width,
      height: 30 + rows.length * 52,
      marginLeft: 6,
      marginRight: 36,
      marginTop: 8,
      style: { fontSize: "13px", fontFamily: FONT },
      x: { label: null, grid: true, tickFormat: numberTick(lang), ticks: 4 },
      y: { label: null, domain: rows.map((r) => r.label), axis: null, padding: 0.45 },
      color,
      marks: [
        Plot.barX(rows, { x: "count", y: "label", fill: "class" }),
        countText,
        Plot.text(rows, { x: 0, y: "label", text: "label", dy: -14, lineAnchor: "bottom", textAnchor: "start", fill: "currentColor", lineWidth: Math.floor((width - 50) / 13) }),
        Plot.ruleX([0]),
      ],
    })
    : Plot.plot({
      width,
      height: 36 + rows.length * 28,
      marginLeft: Math.min(320, Math.round(width * 0.42)),
      marginRight: 40,
      style: { fontSize: "13px", fontFamily: FONT },
      x: { label: null, grid: true, tickFormat: numberTick(lang) },
      y: { label: null, domain: rows.map((r) => r.label) },
      color,
      marks: [Plot.barX(rows, { x: "count", y: "label", fill: "class" }), countText, Plot.ruleX([0])],
    });
  return asImage(svg, label);
}

/**
 * Figure 3.2: stacked cumulative incidence (success below, non-success on top) as step
 * areas, the success band and the any-outflow band, the published points, the payment
 * targets, the median, and optionally the naive 1 − KM.
 */
export function durationChart(model, { lang, label, labels, showNaive, width = 760 }) {
  const narrow = width < 560;
  const marks = [
    Plot.areaY(model.stacked, Plot.stackY({ x: "time", y: "value", fill: "series", curve: "step-after", order: ["success", "failure"], fillOpacity: 0.55 })),
    Plot.areaY(model.successBand, { x: "time", y1: "lower", y2: "upper", curve: "step-after", fill: COLORS.success, fillOpacity: 0.25, defined: (d) => d.lower !== null && d.upper !== null }),
    Plot.lineY(model.successBand, { x: "time", y: "estimate", curve: "step-after", stroke: COLORS.success, strokeWidth: 2 }),
  ];
  if (model.anyBand.length) {
    marks.push(
      Plot.areaY(model.anyBand, { x: "time", y1: "lower", y2: "upper", curve: "step-after", fill: COLORS.failure, fillOpacity: 0.25, defined: (d) => d.lower !== null && d.upper !== null }),
      Plot.lineY(model.anyBand, { x: "time", y: "estimate", curve: "step-after", stroke: COLORS.failure, strokeWidth: 2 }),
    );
  }
  if (showNaive && model.naive.length) {
    marks.push(Plot.lineY(model.naive, { x: "time", y: "estimate", curve: "step-after", stroke: COLORS.naive, strokeWidth: 2, strokeDasharray: "6,4" }));
  }
  if (model.median !== null && model.median !== undefined) {
    // On a phone the median's label would sit on the targets' labels: the rule alone.
    marks.push(Plot.ruleX([model.median], { stroke: COLORS.published, strokeDasharray: "2,3" }));
    if (!narrow) marks.push(Plot.text([model.median], { x: (d) => d, y: 0.62, text: () => labels.median, textAnchor: "start", dx: 4, fill: COLORS.published }));
  }
  if (model.targets.length) {
    // The targets are measured 28 months after the first day of sickness, not on this
    // axis (months since entry): the note on the chart says so.
    marks.push(
      Plot.ruleY(model.targets, { y: "value", stroke: COLORS.target, strokeDasharray: "8,4", strokeWidth: 1.5 }),
      Plot.text(model.targets, { x: model.xDomain[0], y: "value", text: "label", dy: -7, dx: 4, textAnchor: "start", fill: COLORS.target, stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
      ...(narrow ? [] : [Plot.text([labels.targetNote], { x: model.xDomain[0], y: 1, text: (d) => d, dx: 4, dy: 4, textAnchor: "start", lineAnchor: "top", lineWidth: Math.floor((width * 0.42) / 13), fill: COLORS.target, stroke: "white", strokeWidth: 3, paintOrder: "stroke" })]),
    );
  }
  if (model.points.length && !narrow) {
    marks.push(
      Plot.dot(model.points, { x: "time", y: "value", r: 5, stroke: COLORS.published, strokeWidth: 2, fill: "white" }),
      Plot.text(model.points.filter((p) => p.time < model.xDomain[1] - 4), { x: "time", y: "value", text: "label", dx: 8, dy: 12, textAnchor: "start", fill: COLORS.published, stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
      Plot.text(model.points.filter((p) => p.time >= model.xDomain[1] - 4), { x: "time", y: "value", text: "label", dx: -4, dy: -14, textAnchor: "end", fill: COLORS.published, stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
    );
  }
  marks.push(Plot.ruleY([0]));
  if (model.points.length && narrow) marks.push(Plot.dot(model.points, { x: "time", y: "value", r: 4, stroke: COLORS.published, strokeWidth: 2, fill: "white" }));
  const svg = Plot.plot({
    width,
    height: narrow ? 320 : 400,
    marginLeft: narrow ? 44 : 52,
    marginRight: narrow ? 12 : 20,
    marginBottom: 42,
    style: { fontSize: narrow ? "12px" : "13px", fontFamily: FONT },
    x: { label: labels.x, domain: model.xDomain, grid: true, tickFormat: numberTick(lang), labelAnchor: "center", labelArrow: "none" },
    y: { label: labels.y, domain: [0, 1], grid: true, tickFormat: percentTick(lang), labelArrow: "none" },
    color: { domain: ["success", "failure"], range: [COLORS.success, COLORS.failure] },
    marks,
  });
  return asImage(svg, label);
}

/**
 * Step curves with pointwise bands, one colour per series (a group, or a group and a
 * cause): rows [{series, time, estimate, lower, upper}] as the adapters give them.
 * `y` is "fraction" (0–1 as percentages) for survival and incidence.
 */
export function curvesChart(rows, { lang, label, labels, width = 760, height = 380 }) {
  const banded = (d) => d.lower !== null && d.upper !== null && d.lower !== undefined && d.upper !== undefined;
  const series = [...new Set(rows.map((r) => r.series))];
  const svg = Plot.plot({
    width,
    height,
    marginLeft: 52,
    marginBottom: 42,
    style: { fontSize: "13px", fontFamily: FONT },
    x: { label: labels.x, grid: true, tickFormat: numberTick(lang), labelAnchor: "center", labelArrow: "none" },
    y: { label: labels.y, domain: [0, 1], grid: true, tickFormat: percentTick(lang), labelArrow: "none" },
    // The legend is the page's own list (text for every reader), from svg.scale("color").
    color: { domain: series, scheme: "tableau10" },
    marks: [
      Plot.areaY(rows, { x: "time", y1: "lower", y2: "upper", z: "series", fill: "series", fillOpacity: 0.18, curve: "step-after", defined: banded }),
      Plot.lineY(rows, { x: "time", y: "estimate", z: "series", stroke: "series", curve: "step-after", strokeWidth: 2 }),
      Plot.ruleY([0]),
    ],
  });
  return asImage(svg, label);
}

/**
 * A forest plot: one row per term with its estimate and interval, and the line of no
 * effect at 0. rows: [{term, estimate, lower, upper}].
 */
export function forestChart(rows, { lang, label, labels, width = 760 }) {
  const svg = Plot.plot({
    width,
    height: 48 + rows.length * 30,
    marginLeft: Math.min(260, 16 + 7.5 * Math.max(...rows.map((r) => r.term.length), 4)),
    marginRight: 24,
    marginBottom: 44,
    style: { fontSize: "13px", fontFamily: FONT },
    x: { label: labels.x, grid: true, tickFormat: numberTick(lang), labelAnchor: "center", labelArrow: "none", labelOffset: 38 },
    y: { label: null, domain: rows.map((r) => r.term) },
    marks: [
      Plot.ruleX([0], { stroke: COLORS.published, strokeDasharray: "4,3" }),
      Plot.ruleY(rows.filter((r) => r.lower !== null && r.upper !== null), { y: "term", x1: "lower", x2: "upper", stroke: COLORS.success, strokeWidth: 2 }),
      Plot.dot(rows, { x: "estimate", y: "term", r: 4, fill: COLORS.success }),
    ],
  });
  return asImage(svg, label);
}
