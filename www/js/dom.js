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
  if (source.row) parts.push(String(source.row));
  if (source.column) parts.push(String(source.column));
  if (source.page !== undefined) parts.push(t(lang, "source.page", { page: source.page }));
  if (source.line !== undefined) parts.push(t(lang, "source.line", { line: source.line }));
  return parts.join(", ");
}

/** The visible tier badge of a number: a letter with its full name (and source) as title. */
export function tierBadge(lang, tier, source) {
  if (!tier) return null;
  const name = t(lang, `tier.${tier}`);
  const title = source ? `${name} — ${sourceText(lang, source)}` : name;
  return h("abbr", { class: `tier tier-${tier}`, title }, t(lang, `tier.${tier}.abbr`));
}

/**
 * A number shown with its tier: <span class="num tier-x" data-metric data-value>text<abbr/></span>.
 * `metric` (optional) makes it machine-readable with the unrounded value.
 */
export function num(lang, text, { tier, source, metric, value } = {}) {
  const attrs = { class: `num${tier ? ` num-${tier}` : ""}` };
  if (metric) attrs.dataset = { metric, value: value === null || value === undefined ? "" : String(value) };
  return h("span", attrs, text, tier ? tierBadge(lang, tier, source) : null);
}

/**
 * A table from a view model: { caption, columns: [{label, numeric?}], rows: [{cells:
 * [{text, tier?, source?, header?, class?, metric?, value?}], class?, dataset?}] }.
 */
export function table(lang, model) {
  const head = h("thead", {}, h("tr", {}, model.columns.map((c) => h("th", { scope: "col", class: c.numeric ? "numeric" : null }, c.label))));
  const body = h(
    "tbody",
    {},
    model.rows.map((row) =>
      h(
        "tr",
        { class: row.class, dataset: row.dataset },
        row.cells.map((cell, i) => {
          const content = cell.node ?? (cell.tier || cell.metric ? num(lang, cell.text, cell) : cell.text);
          if (cell.header) return h("th", { scope: "row", class: cell.class, colspan: cell.colspan }, content);
          return h("td", { class: [model.columns[i]?.numeric ? "numeric" : "", cell.class ?? ""].join(" ").trim() || null, colspan: cell.colspan, lang: cell.lang }, content);
        }),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, h("table", { class: model.class ?? null }, model.caption ? h("caption", {}, model.caption) : null, head, body));
}

/** A note that the engine does not give a number the page needs (never computed in JS). */
export function missingNote(lang, what, gap = true) {
  return h("p", { class: "missing", dataset: gap ? { gap: "engine" } : {} }, `${what ? `${what}: ` : ""}${t(lang, "missing.engine")}`);
}
