// The editable grid of the reader's table: one input per cell and per header, a button
// per row to remove it. The grid is one stop in the tab order (a roving tabindex):
// arrow keys move between cells and Enter keeps the value and moves down, so a
// keyboard reader is not made to tab through every cell to reach the controls below.
import { h } from "../dom.js";
import { tw } from "./strings.js";

/** Rows shown for editing; a longer table is analysed whole but edited in its first rows. */
export const GRID_ROWS = 300;

const $ = (id) => document.getElementById(id);

/** The control of a grid position: row -1 is the header row, column -1 the remove buttons. */
export const gridControl = (i, j) => (i === -1 ? $(`h-${j}`) : j === -1 ? $(`r-${i}`) : $(`c-${i}-${j}`));

/** The input of a data cell (row 1-based, column by header name), or null. */
export function gridCell(table, row, column) {
  const j = table ? table.headers.indexOf(column) : -1;
  return j >= 0 ? $(`c-${row - 1}-${j}`) : null;
}

let gridFocus = { i: -1, j: 0 };

/**
 * Draws the grid into `holder`. actions: {onEdit(i, j, value), onRename(j, name),
 * onRemoveRow(i), onAddRow(), onAddColumn()}.
 */
export function renderGrid(holder, table, lang, actions) {
  const T = (key, params) => tw(lang, key, params);
  const buttons = h(
    "div",
    { class: "wb-grid-actions" },
    h("button", { type: "button", id: "add-row", onclick: actions.onAddRow }, T("data.add_row")),
    h("button", { type: "button", id: "add-column", onclick: actions.onAddColumn }, T("data.add_column")),
  );
  if (!table) {
    holder.replaceChildren(h("p", { class: "wb-note" }, T("data.none")), buttons);
    return;
  }
  const shown = table.rows.slice(0, GRID_ROWS);
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", class: "row-number" }, T("data.row")),
    table.headers.map((name, j) => h("th", { scope: "col" }, h("input", { id: `h-${j}`, value: name, tabindex: "-1", dataset: { i: -1, j }, "aria-label": T("data.header", { n: j + 1 }), onchange: (e) => actions.onRename(j, e.target.value) }))),
  );
  const body = shown.map((row, i) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", class: "row-number" }, String(i + 1), h("button", { type: "button", id: `r-${i}`, tabindex: "-1", dataset: { i, j: -1 }, "aria-label": T("data.remove_row", { row: i + 1 }), onclick: () => actions.onRemoveRow(i) }, "×")),
      row.map((value, j) => h("td", {}, h("input", { id: `c-${i}-${j}`, value, tabindex: "-1", dataset: { i, j }, "aria-label": T("data.cell", { row: i + 1, column: table.headers[j] || j + 1 }), onchange: (e) => actions.onEdit(i, j, e.target.value) }))),
    ),
  );
  const caption = T("data.grid.caption", { rows: table.rows.length, columns: table.headers.length, decimal: T(`data.decimal.${table.decimal}`) });
  holder.replaceChildren(
    table.source ? h("p", { class: "wb-note", id: "data-source" }, T("data.source", { name: table.source })) : "",
    h("div", { class: "wb-grid-wrap", tabindex: "-1" }, withKeys(h("table", { class: "wb-grid", id: "data-grid", "aria-describedby": "grid-keys" }, h("caption", {}, caption), h("thead", {}, head), h("tbody", {}, body)))),
    h("p", { class: "wb-note", id: "grid-keys" }, T("data.grid.keys")),
    table.rows.length > GRID_ROWS ? h("p", { class: "wb-note" }, T("data.grid.truncated", { shown: GRID_ROWS, rows: table.rows.length })) : "",
    buttons,
  );
  (gridControl(gridFocus.i, gridFocus.j) ?? $("h-0"))?.setAttribute("tabindex", "0");
}

function withKeys(grid) {
  grid.addEventListener("focusin", (e) => {
    const { i, j } = e.target.dataset;
    if (i === undefined) return;
    gridControl(gridFocus.i, gridFocus.j)?.setAttribute("tabindex", "-1");
    gridFocus = { i: Number(i), j: Number(j) };
    e.target.setAttribute("tabindex", "0");
  });
  grid.addEventListener("keydown", (e) => {
    const { i, j } = e.target.dataset;
    if (i === undefined) return;
    const at = { i: Number(i), j: Number(j) };
    const input = e.target.tagName === "INPUT" ? e.target : null;
    const atStart = !input || (input.selectionStart === 0 && input.selectionEnd === 0);
    const atEnd = !input || (input.selectionStart === input.value.length && input.selectionEnd === input.value.length);
    let next = null;
    if (e.key === "ArrowDown" || (e.key === "Enter" && input)) next = { i: at.i + 1, j: at.j };
    else if (e.key === "ArrowUp") next = { i: at.i - 1, j: at.j };
    else if (e.key === "ArrowLeft" && atStart) next = { i: at.i, j: at.j - 1 };
    else if (e.key === "ArrowRight" && atEnd) next = { i: at.i, j: at.j + 1 };
    if (!next) return;
    if (next.i === -1 && next.j === -1) next.j = 0;
    const target = gridControl(next.i, next.j);
    if (!target) return;
    e.preventDefault();
    // Enter keeps the typed value first (its change event), then moves.
    if (e.key === "Enter") input.dispatchEvent(new Event("change"));
    target.focus();
  });
  return grid;
}
