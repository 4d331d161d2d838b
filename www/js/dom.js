// Small DOM helpers: element creation, tier badges, source notes and generic tables.
import { t } from "./i18n.js";

/** h("p", {class: "x"}, "text", child) — attributes: class, dataset (object), on* handlers, others as attributes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A source object ({table, row, column, page, line, ...}) as short text: "tabel 3.2, p. 15, r. 1097". */
export function sourceText(lang, source) {
  if (!source) return "";
  if (typeof source === "string") return source;
  const parts = [];
  for (const key of ["table", "figure", "box", "footnote", "section"]) {
    if (source[key] !== undefined && source[key] !== null) parts.push(t(lang, `source.${key}`, { [key]: source[key] }));
  }
  // Row and column labels are quoted as the report prints them.
  if (source.row) parts.push(`‘${source.row}’`);
  if (source.column) parts.push(`‘${source.column}’`);
  if (source.page != null) parts.push(t(lang, "source.page", { page: source.page }));
  if (source.line != null) parts.push(t(lang, "source.line", { line: source.line }));
  return parts.join(", ");
}

// Work a section leaves until it is in the page (drawing its chart): sections/draw.js
// runs each piece as a step of its own, so that a section's tables and its chart are
// not one long task; whoever places a section runs what it left (takeDeferred).
let deferred = [];

/** Leaves `fill` to run once the section being drawn is in the page. */
export function afterPlaced(fill) {
  deferred.push(fill);
}

/** The work the sections drawn so far left, in order; the list is emptied. */
export function takeDeferred() {
  const taken = deferred;
  deferred = [];
  return taken;
}

// A closed disclosure's content (a chart's long table) is built when it is first opened:
// a view builds it only for the reader who looks (figure 3.2's table and the fit table
// were about 4 ms of a definition toggle, and the prerendered page's largest part). Until
// then it holds a short note, which only a prerendered page can show (opened before the
// page's script has checked its section: sections/draw.js fills it then). Its tables
// cite no footnote (a table's sources are summed up in its caption), so building one
// later numbers no note differently.
const fills = new WeakMap();

/** A <details> whose content `build()` makes when it is first opened (`data-fill` until then). */
export function disclosure(lang, attrs, summary, build) {
  const details = h("details", { ...attrs, dataset: { ...attrs.dataset, fill: "" } }, summary, h("p", { class: "disclosure-pending" }, t(lang, "disclosure.pending")));
  fillWhenOpen(details, build);
  return details;
}

/** Builds `details`' content with `build()` when it is open (now or once opened). */
export function fillWhenOpen(details, build) {
  fills.set(details, build);
  // A click on its summary (a key press on it too) opens it: built then, so that it is
  // never painted open and empty; "toggle" (a task later) for an opening by script.
  details.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("summary")?.parentElement === details) fill(details);
  });
  details.addEventListener("toggle", () => details.open && fill(details));
  if (details.open) fill(details);
}

/** The content builder of a disclosure not yet opened (none once built). */
export function fillOf(details) {
  return fills.get(details);
}

function fill(details) {
  const build = fills.get(details);
  if (!build) return;
  fills.delete(details);
  delete details.dataset.fill;
  details.querySelector(":scope > .disclosure-pending")?.remove();
  details.append(...[build()].flat().filter(Boolean));
}

// Sources as footnotes: while a section is drawn, every source a number cites gets a
// number in that section's list (the same source once), which prints and which keyboard,
// touch and screen-reader users can reach; `title` is only a mouse user's shortcut.
let notes = null;

/** Starts the footnotes of a section (ids `${prefix}-src-N`). */
export function beginNotes(prefix, lang) {
  notes = { prefix, lang, list: [] };
}

/** The section's source list (null when no number cited one), and ends the collection. */
export function endNotes(lang) {
  const list = notes?.list ?? [];
  const prefix = notes?.prefix;
  notes = null;
  if (!list.length) return null;
  return h(
    "div",
    { class: "source-notes" },
    h("h3", { id: `${prefix}-sources`, class: "source-notes-title" }, t(lang, "sources.title")),
    h("ol", { "aria-labelledby": `${prefix}-sources` }, list.map((text, i) => h("li", { id: `${prefix}-src-${i + 1}`, tabindex: "-1" }, text))),
  );
}

/** The footnote of a source in the current section: {n, id, text}, or null outside one. */
function noteOf(lang, source) {
  const text = sourceText(lang, source);
  if (!notes || !text) return null;
  let index = notes.list.indexOf(text);
  if (index < 0) index = notes.list.push(text) - 1;
  return { n: index + 1, id: `${notes.prefix}-src-${index + 1}`, text };
}

/** Text only screen readers read. */
export function srOnly(text) {
  return h("span", { class: "sr-only" }, text);
}

/**
 * The tier badge of a number: the visible letter is hidden from assistive technology,
 * which reads the tier's name instead; a source becomes a numbered footnote link.
 */
export function tierBadge(lang, tier, source) {
  if (!tier) return null;
  const name = t(lang, `tier.${tier}`);
  const note = source ? noteOf(lang, source) : null;
  if (note) {
    return h(
      "a",
      { class: `tier tier-${tier}`, href: `#${note.id}`, title: `${name} — ${note.text}` },
      h("span", { "aria-hidden": "true" }, t(lang, `tier.${tier}.abbr`), h("sup", {}, String(note.n))),
      srOnly(` (${name}, ${t(lang, "sources.note", { n: note.n })})`),
    );
  }
  return h("span", { class: `tier tier-${tier}`, title: source ? `${name} — ${sourceText(lang, source)}` : name }, h("span", { "aria-hidden": "true" }, t(lang, `tier.${tier}.abbr`)), srOnly(` (${name})`));
}

/**
 * A number shown with its tier: <span class="num tier-x" data-metric data-value>text<badge/></span>.
 * `metric` (optional) makes it machine-readable with the unrounded value.
 */
export function num(lang, text, { tier, source, metric, value, badge = true } = {}) {
  const attrs = { class: `num${tier ? ` num-${tier}` : ""}` };
  if (metric) attrs.dataset = { metric, value: value === null || value === undefined ? "" : String(value) };
  return h("span", attrs, text, tier && badge ? tierBadge(lang, tier, source) : null);
}

/** Sources of a table's cells as one line: "tabel 3.1, p. 13, r. 955–1003". */
function tableSources(lang, sources) {
  const groups = new Map();
  for (const source of sources) {
    const { line, row, column, ...place } = source;
    const key = sourceText(lang, place);
    const lines = groups.get(key) ?? [];
    if (line !== undefined && line !== null) lines.push(line);
    groups.set(key, lines);
  }
  return [...groups.entries()]
    .map(([place, lines]) => {
      if (!lines.length) return place;
      const lo = Math.min(...lines);
      const hi = Math.max(...lines);
      return `${place}, ${t(lang, "source.line", { line: lo === hi ? lo : `${lo}–${hi}` })}`;
    })
    .join("; ");
}

// A table wider than its container scrolls; then (and only then) its region takes
// keyboard focus, carries the caption as its name and shows a scroll cue.
const scrollWatch = typeof ResizeObserver === "function"
  ? new ResizeObserver((entries) => {
    for (const { target } of entries) markScrollable(target);
  })
  : null;

function markScrollable(wrap) {
  const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
  wrap.classList.toggle("scrolls", scrolls);
  if (scrolls) {
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
  } else {
    wrap.removeAttribute("tabindex");
    wrap.removeAttribute("role");
  }
}

/** Watches the scrolling wrappers already in `root` (a section drawn at build time). */
export function watchScrollRegions(root) {
  for (const wrap of root.querySelectorAll(".table-wrap")) scrollWatch?.observe(wrap);
}

/** A horizontally scrolling wrapper named by `label`, focusable when it scrolls. */
export function scrollRegion(label, ...children) {
  const wrap = h("div", { class: "table-wrap", "aria-label": label }, ...children);
  scrollWatch?.observe(wrap);
  return wrap;
}

/**
 * A table from a view model: { caption, columns: [{label, numeric?}], rows: [{cells:
 * [{text, tier?, source?, header?, class?, metric?, value?}], class?, dataset?}] }.
 * A column whose cells share one tier states it once, in its header; the cells' sources
 * are summed up in the caption.
 */
export function table(lang, model) {
  const columnTier = model.columns.map((_, i) => {
    const tiers = new Set(model.rows.map((r) => r.cells[i]).filter((c) => c && !c.header && c.tier && c.text !== "").map((c) => c.tier));
    const untiered = model.rows.some((r) => r.cells[i] && !r.cells[i].header && !r.cells[i].tier && !r.cells[i].node && r.cells[i].text !== "" && !r.cells[i].colspan);
    return tiers.size === 1 && !untiered ? [...tiers][0] : null;
  });
  const sources = model.rows.flatMap((r) => r.cells.filter((c) => c?.source && typeof c.source === "object").map((c) => c.source));
  const sourceLine = sources.length ? tableSources(lang, sources) : "";
  const head = h(
    "thead",
    {},
    h("tr", {}, model.columns.map((c, i) => h("th", { scope: "col", class: c.numeric ? "numeric" : null }, c.label, columnTier[i] ? tierBadge(lang, columnTier[i]) : null))),
  );
  const body = h(
    "tbody",
    {},
    model.rows.map((row) =>
      h(
        "tr",
        { class: row.class, dataset: row.dataset },
        row.cells.map((cell, i) => {
          const badge = !columnTier[i];
          const content = cell.node ?? (cell.tier || cell.metric ? num(lang, cell.text, { ...cell, source: undefined, badge }) : cell.text);
          if (cell.header) return h("th", { scope: "row", class: cell.class, colspan: cell.colspan }, content);
          return h("td", { class: [model.columns[i]?.numeric ? "numeric" : "", cell.class ?? ""].join(" ").trim() || null, colspan: cell.colspan, lang: cell.lang }, content);
        }),
      ),
    ),
  );
  const caption = model.caption
    ? h("caption", {}, model.caption, sourceLine ? h("span", { class: "table-source" }, ` ${t(lang, "source")}: ${sourceLine}.`) : null)
    : null;
  return scrollRegion(model.caption ?? "", h("table", { class: model.class ?? null }, caption, head, body));
}

/** A note that the engine does not give a number the page needs (never computed in JS). */
export function missingNote(lang, what, gap = true) {
  return h("p", { class: "missing", dataset: gap ? { gap: "engine" } : {} }, `${what ? `${what}: ` : ""}${t(lang, "missing.engine")}`);
}
