// The workbench: the reader's own aggregate table, re-analysed by the engine in this
// browser. Data in (file, drop, paste, editable grid) → columns mapped by header names →
// the engine's request (shown exactly) → tables and charts of its response. The state
// is in the link (analysis and options in the query, small data in the fragment). The
// page maps, formats and draws; every number is the engine's.
import { engineVersion, loadEngine, run } from "./engine.js";
import { h } from "../dom.js";
import { engineError } from "../i18n.js";
import { exampleText, EXAMPLES } from "./examples.js";
import { buildRequest, categoricalLevels, defaultStatistics, lifeTableBreaks, logitTerms } from "./requests.js";
import { renderResponse } from "./results.js";
import { ANALYSES, BOOTSTRAPPABLE, dataFragment, dataFromFragment, queryOf, stateFromUrl } from "./state.js";
import { ROLES, TableProblem, covariateColumns, covariateValues, effectiveMapping, familyOf, locateEngineMessage, readTable, writeTable } from "./table.js";
import { tw } from "./strings.js";
import { gridCell, renderGrid as drawGrid } from "./grid.js";

const state = stateFromUrl(location.href);
let table = null; // {headers, rows, decimal, delimiter, source}
let stored = null; // where the data live: "url", "local" or null
let engineReady = false;
let computeSeq = 0;
let worker = null;
let lastProblemCell = null;

const PREVIEW_ROWS = 10;
const $ = (id) => document.getElementById(id);
const L = () => state.lang;
const T = (key, params) => tw(L(), key, params);
const splitList = (text) => String(text ?? "").split(",").map((s) => s.trim()).filter(Boolean);

// --- Rendering with focus kept --------------------------------------------------------

/** Re-renders without losing the reader's place: the focused control is found again by id. */
function keepingFocus(render) {
  const active = document.activeElement;
  const id = active?.id;
  render();
  if (id && document.activeElement !== active) $(id)?.focus();
}

function renderStatic() {
  document.documentElement.lang = L();
  document.title = T("doc.title");
  for (const el of document.querySelectorAll("[data-w]")) el.textContent = T(el.dataset.w);
  for (const button of document.querySelectorAll(".wb-lang button")) button.setAttribute("aria-pressed", String(button.dataset.lang === L()));
  $("workbench").setAttribute("aria-label", T("header.kicker"));
  document.querySelector(".wb-steps").setAttribute("aria-label", T("steps.label"));
}

// --- 1. Data ------------------------------------------------------------------------

function renderData() {
  const section = $("data-section");
  const examples = h("ul", { class: "wb-examples", "aria-label": T("data.examples") }, Object.keys(EXAMPLES).map((name) => h("li", {}, h("button", { type: "button", dataset: { example: name }, onclick: () => loadExample(name) }, T(`example.${name}`)))));
  const fileInput = h("input", { type: "file", id: "file-input", accept: ".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain", onchange: (e) => e.target.files[0] && loadFile(e.target.files[0]) });
  const drop = h("div", { class: "wb-drop", id: "drop-zone" }, h("label", { for: "file-input" }, T("data.file")), fileInput, h("p", { class: "wb-note" }, T("data.drop")));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("dragging");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("dragging");
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(file);
  });
  const paste = h("textarea", { id: "paste-input", rows: "5", spellcheck: "false" });
  paste.addEventListener("paste", () => setTimeout(() => loadText(paste.value, T("data.paste")), 0));
  const pasteBlock = h("div", { class: "wb-paste" }, h("label", { for: "paste-input" }, T("data.paste")), paste, h("button", { type: "button", class: "wb-button", id: "paste-apply", onclick: () => loadText(paste.value, T("data.paste")) }, T("data.paste.apply")));
  section.replaceChildren(
    h("h2", { id: "data-title" }, T("data.title")),
    h("h3", {}, T("data.examples")),
    examples,
    h("div", { class: "wb-inputs" }, drop, pasteBlock),
    h("h3", { id: "grid-title" }, T("data.grid")),
    h("div", { id: "grid" }),
    h("p", { id: "store-note", class: "wb-note", "aria-live": "polite" }),
  );
  renderGrid();
  renderStoreNote();
}

function renderStoreNote() {
  const note = $("store-note");
  if (!note) return;
  note.textContent = stored === "local" ? T("store.local") : stored === "url" ? T("store.url") : stored === "missing" ? T("store.missing") : "";
}

function renderGrid() {
  const holder = $("grid");
  if (!holder) return;
  drawGrid(holder, table, L(), { onEdit: editCell, onRename: renameColumn, onRemoveRow: removeRow, onAddRow: addRow, onAddColumn: addColumn });
  markProblemCell();
}

function tableChanged({ structure = false } = {}) {
  if (structure) keepingFocus(renderGrid);
  keepingFocus(renderAnalysis);
  keepingFocus(renderMapping);
  commit();
}

function editCell(i, j, value) {
  table.rows[i][j] = value.trim();
  tableChanged();
}

function renameColumn(j, name) {
  const old = table.headers[j];
  table.headers[j] = name.trim();
  for (const [role, column] of Object.entries(state.mapping)) if (column === old) state.mapping[role] = table.headers[j];
  tableChanged({ structure: true });
}

function addRow() {
  if (!table) table = { headers: ["time", "status", "count"], rows: [], decimal: L() === "nl" ? "comma" : "point", delimiter: "," };
  table.rows.push(table.headers.map(() => ""));
  tableChanged({ structure: true });
  $(`c-${table.rows.length - 1}-0`)?.focus();
}

function addColumn() {
  if (!table) return addRow();
  table.headers.push(T("data.new_column", { n: table.headers.length + 1 }));
  for (const row of table.rows) row.push("");
  tableChanged({ structure: true });
  $(`h-${table.headers.length - 1}`)?.focus();
}

function removeRow(i) {
  table.rows.splice(i, 1);
  tableChanged({ structure: true });
  $(`c-${Math.min(i, table.rows.length - 1)}-0`)?.focus();
}

/** A new table replaces the old one: the mapping is guessed again from its headers. */
function setTable(next, source) {
  table = { ...next, source };
  state.mapping = {};
  state.covariates = null;
  state.reference = {};
  state.options.terms = "";
  state.options.binary = "";
  state.options.statistics = "";
  lastProblemCell = null;
  keepingFocus(renderGrid);
  keepingFocus(renderAnalysis);
  keepingFocus(renderMapping);
  commit();
}

/** Reads CSV/TSV text; a problem is shown located and the current table is kept. */
function loadText(text, source) {
  try {
    setTable(readTable(text), source);
    return true;
  } catch (error) {
    if (!(error instanceof TableProblem)) throw error;
    showProblem({ text: T(error.key, { ...error.params, name: source }), where: null, source });
    return false;
  }
}

async function loadFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = new TextDecoder("utf-8").decode(bytes);
  // Spreadsheets on Dutch Windows save CSV in Windows-1252: é and ë arrive broken as UTF-8.
  if (text.includes("\ufffd")) text = new TextDecoder("windows-1252").decode(bytes);
  loadText(text, file.name);
}

async function loadExample(name) {
  const text = await exampleText(name);
  if (familyOf(state.analysis, state.options.of) !== familyOf(EXAMPLES[name].analysis)) state.analysis = EXAMPLES[name].analysis;
  loadText(text, T(`example.${name}`));
}

// --- 2. Analysis and options --------------------------------------------------------

function select(id, value, choices, onchange) {
  return h("select", { id, onchange: (e) => onchange(e.target.value) }, choices.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
}

function field(key, label, control) {
  return h("div", { class: "wb-field" }, h("label", { for: control.id }, label), control);
}

function optionInput(key, { placeholder = "", inputmode } = {}) {
  // A plain number is shown in the reader's convention (0,95 in Dutch); both are read.
  const value = L() === "nl" ? String(state.options[key]).replace(/^(-?\d+)\.(\d+)$/, "$1,$2") : state.options[key];
  return h("input", { id: `opt-${key}`, value, placeholder, inputmode, autocomplete: "off", onchange: (e) => setOption(key, e.target.value.trim()) });
}

function setOption(key, value) {
  state.options[key] = value;
  keepingFocus(renderAnalysis);
  keepingFocus(renderMapping);
  commit();
}

function analysisFields(analysis) {
  const confLevel = field("conf_level", T("opt.conf_level"), optionInput("conf_level", { inputmode: "decimal" }));
  const confType = (choices) => field("conf_type", T("opt.conf_type"), select("opt-conf_type", state.options.conf_type, [["", T("opt.reference.default")], ...choices.map((c) => [c, c])], (v) => setOption("conf_type", v)));
  switch (analysis) {
    case "kaplan_meier":
      return [confLevel, confType(["log-log", "log", "plain"])];
    case "cumulative_incidence":
      return [confLevel, confType(["log", "log-log", "plain"]), field("variance", T("opt.variance"), select("opt-variance", state.options.variance, [["survfit", T("variance.survfit")], ["aalen", T("variance.aalen")]], (v) => setOption("variance", v)))];
    case "logrank":
      return [];
    case "life_table": {
      let placeholder = "";
      try {
        const built = buildRequest({ ...state, analysis: "kaplan_meier" }, table);
        placeholder = lifeTableBreaks({ breaks: "" }, built.request.data.time).join(" ");
      } catch {
        placeholder = "";
      }
      return [field("breaks", T("opt.breaks"), optionInput("breaks", { placeholder })), confLevel];
    }
    case "proportion":
      return [
        field("row", T("opt.row"), optionInput("row", { inputmode: "numeric" })),
        confLevel,
        field("method", T("opt.method"), select("opt-method", state.options.method, [["wilson", "Wilson"], ["clopper-pearson", "Clopper–Pearson"], ["wald", "Wald"]], (v) => setOption("method", v))),
        field("null", T("opt.null"), optionInput("null", { inputmode: "decimal" })),
      ];
    case "logit":
      return logitFields(confLevel);
    case "summary":
      return [];
    case "guyot":
      return [field("total_events", T("opt.total_events"), optionInput("total_events", { inputmode: "numeric" }))];
    default:
      return [];
  }
}

function logitFields(confLevel) {
  const fields = [confLevel, field("margins", T("opt.margins"), select("opt-margins", state.options.margins, [["average", T("margins.average")], ["at_mean", T("margins.at_mean")]], (v) => setOption("margins", v)))];
  if (!table) return fields;
  const mapping = effectiveMapping(table.headers, "binomial", state.mapping);
  const covariates = covariateColumns(table.headers, mapping, state.covariates);
  fields.unshift(field("terms", T("opt.terms"), optionInput("terms", { placeholder: logitTerms({ terms: "" }, covariates).join(", ") })));
  const levels = categoricalLevels(table, covariates);
  for (const [name, values] of Object.entries(levels)) {
    fields.push(
      field(`ref-${name}`, T("opt.reference", { name }), select(`opt-ref-${name}`, state.reference[name] ?? "", [["", T("opt.reference.default")], ...values.map((v) => [v, v])], (v) => {
        state.reference[name] = v;
        commit();
      })),
    );
  }
  const numeric = covariates.filter((c) => !(c in levels));
  if (numeric.length) {
    const chosen = new Set(splitList(state.options.binary));
    fields.push(
      h(
        "fieldset",
        { class: "wb-field" },
        h("legend", {}, T("opt.binary")),
        numeric.map((c) =>
          h("label", { class: "choice" }, h("input", { type: "checkbox", id: `opt-binary-${c}`, checked: chosen.has(c), onchange: (e) => {
            if (e.target.checked) chosen.add(c);
            else chosen.delete(c);
            setOption("binary", [...chosen].join(","));
          } }), c),
        ),
      ),
    );
  }
  return fields;
}

function renderAnalysis() {
  const section = $("analysis-section");
  const analysis = state.analysis;
  const fields = [field("analysis", T("analysis.label"), select("analysis-select", analysis, ANALYSES.map((a) => [a, T(`analysis.${a}`)]), (v) => {
    state.analysis = v;
    state.options.statistics = "";
    keepingFocus(renderAnalysis);
    keepingFocus(renderMapping);
    commit();
  }))];
  if (analysis === "bootstrap") {
    fields.push(
      field("of", T("opt.of"), select("opt-of", state.options.of, BOOTSTRAPPABLE.map((a) => [a, T(`analysis.${a}`)]), (v) => {
        state.options.statistics = "";
        setOption("of", v);
      })),
      ...analysisFields(state.options.of).filter((f) => !f.querySelector("#opt-conf_level")),
      field("statistics", T("opt.statistics"), optionInput("statistics", { placeholder: bootstrapPlaceholder() })),
      field("replicates", T("opt.replicates"), optionInput("replicates", { inputmode: "numeric" })),
      field("seed", T("opt.seed"), optionInput("seed", { inputmode: "numeric" })),
      field("conf_level", T("opt.conf_level"), optionInput("conf_level", { inputmode: "decimal" })),
      h("div", { class: "wb-field" }, h("label", { class: "choice" }, h("input", { type: "checkbox", id: "opt-boot_strata", checked: state.options.boot_strata === "1", onchange: (e) => setOption("boot_strata", e.target.checked ? "1" : "") }), T("opt.boot_strata"))),
    );
  } else {
    fields.push(...analysisFields(analysis));
  }
  section.replaceChildren(h("h2", { id: "analysis-title" }, T("analysis.title")), h("div", { class: "wb-fields" }, fields));
}

function bootstrapPlaceholder() {
  if (!table || !engineReady) return "";
  try {
    const inner = buildRequest({ ...state, analysis: state.options.of }, table);
    return defaultStatistics(state.options.of, run(inner.request)).join(", ");
  } catch {
    return "";
  }
}

// --- 3. Columns and preview -------------------------------------------------------------

function renderMapping() {
  const section = $("mapping-section");
  const children = [h("h2", { id: "mapping-title" }, T("mapping.title"))];
  if (!table) {
    section.replaceChildren(...children, h("p", { class: "wb-note" }, T("data.none")));
    return;
  }
  const family = familyOf(state.analysis, state.options.of);
  const mapping = effectiveMapping(table.headers, family, state.mapping);
  const inner = state.analysis === "bootstrap" ? state.options.of : state.analysis;
  const roles = ROLES[family].roles.filter((role) => role !== "strata" || inner === "logrank" || inner === "cumulative_incidence");
  const fields = roles.map((role) =>
    field(`col-${role}`, T(`role.${role}`), select(`col-${role}`, mapping[role], [["", T("mapping.none")], ...table.headers.map((name) => [name, name])], (v) => {
      state.mapping[role] = v;
      state.covariates = null;
      keepingFocus(renderAnalysis);
      keepingFocus(renderMapping);
      commit();
    })),
  );
  if (inner === "logit") {
    const covariates = new Set(covariateColumns(table.headers, mapping, state.covariates));
    const candidates = table.headers.filter((name) => name && name !== mapping.successes && name !== mapping.trials);
    fields.push(
      h(
        "fieldset",
        { class: "wb-field" },
        h("legend", {}, T("mapping.covariates")),
        candidates.map((name) =>
          h("label", { class: "choice" }, h("input", { type: "checkbox", id: `cov-${name}`, checked: covariates.has(name), onchange: (e) => {
            if (e.target.checked) covariates.add(name);
            else covariates.delete(name);
            state.covariates = candidates.filter((c) => covariates.has(c));
            keepingFocus(renderAnalysis);
            keepingFocus(renderMapping);
            commit();
          } }), name),
        ),
      ),
    );
  }
  section.replaceChildren(...children, h("p", { class: "wb-note" }, T("mapping.hint")), h("div", { class: "wb-fields" }, fields), h("div", { id: "preview" }));
}

function renderPreview(built) {
  const holder = $("preview");
  if (!holder) return;
  if (!built) {
    holder.replaceChildren();
    return;
  }
  const columns = Object.entries(built.preview);
  const rows = Math.max(...columns.map(([, values]) => values.length));
  const shown = Math.min(rows, PREVIEW_ROWS);
  holder.replaceChildren(
    h("h3", {}, T("preview.title")),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "preview-caption" },
      h(
        "table",
        { id: "preview-table", class: "compact" },
        h("caption", { id: "preview-caption" }, T("preview.caption", { shown, rows })),
        h("thead", {}, h("tr", {}, columns.map(([name]) => h("th", { scope: "col" }, name)))),
        h("tbody", {}, Array.from({ length: shown }, (_, i) => h("tr", {}, columns.map(([, values]) => h("td", { class: typeof values[i] === "number" ? "numeric" : null }, values[i] === undefined || values[i] === null ? "" : typeof values[i] === "number" ? readableNumber(values[i]) : String(values[i])))))),
      ),
    ),
  );
}

const readableNumber = (x) => new Intl.NumberFormat(L() === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: 15 }).format(x);

// --- State in the link ------------------------------------------------------------------

let urlSeq = 0;
async function updateUrl() {
  const seq = ++urlSeq;
  const { fragment, stored: where } = table ? await dataFragment(writeTable(table)) : { fragment: "", stored: null };
  if (seq !== urlSeq) return;
  stored = where;
  history.replaceState(null, "", `${location.pathname}?${queryOf(state)}${fragment}`);
  renderStoreNote();
  const link = $("link-input");
  if (link) link.value = location.href;
}

let scheduled = null;
function commit() {
  clearTimeout(scheduled);
  scheduled = setTimeout(compute, 30);
}

// --- 4. Result -------------------------------------------------------------------------

function setStatus(kind) {
  document.body.dataset.state = kind;
  const key = { loading: "status.loading", waiting: "status.waiting", running: "status.running", ready: "status.ready", problem: "status.problem", error: "status.problem" }[kind];
  $("status").textContent = key ? T(key) : "";
}

function clearProblem() {
  $("problem").hidden = true;
  $("problem").replaceChildren();
  lastProblemCell = null;
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute("aria-invalid");
}

function markProblemCell() {
  if (!lastProblemCell || !table) return;
  gridCell(table, lastProblemCell.row, lastProblemCell.column)?.setAttribute("aria-invalid", "true");
}

/** A located problem: where (row, column, value), what is wrong, what to do; the state is kept. */
function showProblem({ text, where, detail, code }) {
  const box = $("problem");
  const parts = [h("p", {}, h("strong", {}, T("error.title")))];
  if (where) {
    lastProblemCell = where;
    const whereText = where.value !== undefined && where.value !== "" ? T("error.where", where) : T("error.where_row", where);
    const cell = gridCell(table, where.row, where.column);
    parts.push(
      h("p", { class: "wb-problem-where", dataset: { row: where.row, column: where.column, value: where.value ?? "" } }, `${whereText}: `, h("span", { class: "wb-problem-text" }, text)),
      cell ? h("p", {}, h("button", { type: "button", class: "wb-button", onclick: () => cell.focus() }, T("error.goto"))) : "",
    );
  } else {
    parts.push(h("p", { class: "wb-problem-text" }, text));
  }
  if (detail && detail !== text) parts.push(h("p", { class: "detail", lang: "en" }, detail));
  parts.push(h("p", { class: "wb-note" }, T("error.kept")));
  box.replaceChildren(...parts);
  box.dataset.code = code ?? "";
  box.hidden = false;
  markProblemCell();
  setStatus("problem");
}

function problemFromTable(error) {
  const params = { ...error.params };
  if (params.role) params.role = T(`role.${params.role}`);
  if (table) params.decimal = T(`data.decimal.${table.decimal}`);
  const where = params.column !== undefined && params.row !== undefined ? { row: params.row, column: params.column, value: params.value } : null;
  showProblem({ text: T(error.key, params), where, code: error.key });
}

function problemFromEngine(error, built) {
  const translated = engineError(L(), error);
  const where = table && built ? locateEngineMessage(error?.message, table, built.family, built.mapping) : null;
  showProblem({ text: translated.text, where, detail: translated.detail, code: translated.code });
}

function showJson(request, response) {
  const holder = $("json-block");
  const pretty = (x) => JSON.stringify(x, null, 2);
  const save = (name, value) => {
    const url = URL.createObjectURL(new Blob([pretty(value)], { type: "application/json" }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  holder.replaceChildren(
    h(
      "details",
      { class: "wb-json", id: "json-details" },
      h("summary", {}, T("results.json")),
      h("p", { class: "wb-note" }, T("results.json.hint")),
      h("h3", {}, T("results.request")),
      h("pre", { id: "request-json", tabindex: "0" }, pretty(request)),
      h("button", { type: "button", class: "download", onclick: () => save("request.json", request) }, "request.json"),
      response ? h("h3", {}, T("results.response")) : "",
      response ? h("pre", { id: "response-json", tabindex: "0" }, pretty(response)) : "",
      response ? h("button", { type: "button", class: "download", onclick: () => save("response.json", response) }, "response.json") : "",
    ),
    h(
      "div",
      { class: "wb-link" },
      h("label", { for: "link-input" }, T("results.copy_link")),
      h("input", { id: "link-input", readonly: true, value: location.href }),
      h("button", { type: "button", class: "wb-button", id: "copy-link", onclick: copyLink }, T("results.copy_link")),
    ),
  );
  if ($("json-details") && showJson.open) $("json-details").open = true;
  $("json-details").addEventListener("toggle", (e) => (showJson.open = e.target.open));
}

async function copyLink() {
  const input = $("link-input");
  input.value = location.href;
  try {
    await navigator.clipboard.writeText(location.href);
  } catch {
    input.select();
  }
  $("status").textContent = T("results.copied");
}

function showResults(built, response) {
  const analysis = state.analysis;
  $("results").replaceChildren(...renderResponse(L(), analysis, response, { onUse: () => useGuyotRows(response) }));
  showJson(built.request, response);
  setStatus("ready");
  performance.mark("sibstat:drawn");
}

function useGuyotRows(response) {
  const { time, status, count } = response.data;
  const decimal = L() === "nl" ? "comma" : "point";
  const text = (x) => (decimal === "comma" ? String(x).replace(".", ",") : String(x));
  state.analysis = "kaplan_meier";
  setTable({ headers: ["time", "status", "count"], rows: time.map((t, i) => [text(t), text(status[i]), text(count[i])]), decimal, delimiter: decimal === "comma" ? ";" : "," }, T("results.guyot"));
  $("analysis-select")?.focus();
}

async function compute() {
  const seq = ++computeSeq;
  cancelBootstrap({ silent: true });
  clearProblem();
  await updateUrl();
  if (seq !== computeSeq) return;
  if (!engineReady) return;
  if (!table) {
    $("results").replaceChildren();
    $("json-block").replaceChildren();
    setStatus("waiting");
    return;
  }
  let built;
  try {
    if (state.analysis === "bootstrap") {
      let statistics = splitList(state.options.statistics);
      if (statistics.length === 0) {
        const inner = buildRequest({ ...state, analysis: state.options.of }, table);
        built = inner;
        statistics = defaultStatistics(state.options.of, run(inner.request));
      }
      built = buildRequest(state, table, { statistics });
    } else {
      built = buildRequest(state, table);
    }
  } catch (error) {
    $("results").replaceChildren();
    renderPreview(null);
    if (error instanceof TableProblem) problemFromTable(error);
    else {
      showJson(built?.request ?? null, null);
      problemFromEngine(error, built);
    }
    return;
  }
  renderPreview(built);
  if (state.analysis === "bootstrap") {
    showJson(built.request, null);
    startBootstrap(built);
    return;
  }
  let response;
  try {
    response = run(built.request);
  } catch (error) {
    $("results").replaceChildren();
    showJson(built.request, null);
    problemFromEngine(error, built);
    return;
  }
  showResults(built, response);
}

// --- The bootstrap in its Web Worker --------------------------------------------------------

function startBootstrap(built) {
  const controls = $("boot-controls");
  const progress = h("progress", { id: "boot-progress", max: "1", value: "0", "aria-label": T("analysis.bootstrap") });
  const text = h("span", { id: "boot-text", "aria-live": "polite" }, "");
  const cancel = h("button", { type: "button", id: "boot-cancel", onclick: () => cancelBootstrap() }, T("boot.cancel"));
  controls.replaceChildren(progress, text, cancel);
  controls.hidden = false;
  $("results").replaceChildren();
  setStatus("running");
  worker = new Worker(new URL("../../bootstrap-worker.js", import.meta.url), { type: "module" });
  const current = worker;
  current.onmessage = (event) => {
    if (current !== worker) return;
    const message = event.data;
    if (message.type === "progress") {
      progress.max = message.total;
      progress.value = message.done;
      text.textContent = T("boot.progress", { done: readableNumber(message.done), total: readableNumber(message.total) });
    } else if (message.type === "result") {
      cancel.disabled = true;
      worker = null;
      current.terminate();
      showResults(built, message.response);
    } else if (message.type === "cancelled") {
      worker = null;
      current.terminate();
      cancel.disabled = true;
      text.textContent = T("boot.cancelled", { done: readableNumber(message.done), total: readableNumber(message.total) });
      setStatus("cancelled");
      $("status").textContent = text.textContent;
    } else if (message.type === "error") {
      worker = null;
      current.terminate();
      controls.hidden = true;
      const error = Object.assign(new Error(message.message), { code: message.code });
      problemFromEngine(error, built);
    }
  };
  current.postMessage({ request: built.request });
}

/** Stops the bootstrap: the reader's cancel asks the worker (it reports how far it got); a new run ends the old one. */
function cancelBootstrap({ silent = false } = {}) {
  if (!worker) {
    if (silent) $("boot-controls").hidden = true;
    return;
  }
  if (silent) {
    worker.terminate();
    worker = null;
    $("boot-controls").hidden = true;
  } else {
    worker.postMessage({ type: "cancel" });
  }
}

// --- Start ---------------------------------------------------------------------------------

function renderAll() {
  renderStatic();
  renderData();
  renderAnalysis();
  renderMapping();
}

for (const button of document.querySelectorAll(".wb-lang button")) {
  button.addEventListener("click", () => {
    state.lang = button.dataset.lang;
    renderAll();
    commit();
  });
}

async function start() {
  // The offline files sit side by side (dist/): the report is sibstat-report.html there.
  if (document.documentElement.dataset.offline) document.querySelector(".wb-report-link a")?.setAttribute("href", "sibstat-report.html");
  renderAll();
  setStatus("loading");
  try {
    const { csv, stored: where, missing } = await dataFromFragment(location.hash);
    if (csv) {
      table = { ...readTable(csv), source: null };
      stored = where;
    } else if (missing) {
      stored = "missing";
    } else if (state.example && EXAMPLES[state.example]) {
      table = { ...readTable(await exampleText(state.example)), source: T(`example.${state.example}`) };
    }
  } catch {
    showProblem({ text: T("problem.bad_link"), where: null, code: "bad_link" });
  }
  try {
    await loadEngine();
    engineReady = true;
    $("engine-version").textContent = tw(L(), "engine.version", { version: engineVersion() });
  } catch (error) {
    problemFromEngine(error, null);
    return;
  }
  const problem = !$("problem").hidden ? $("problem").cloneNode(true) : null;
  renderAll();
  if (problem && !table) {
    $("problem").replaceWith(problem);
    setStatus("problem");
    return;
  }
  const keepStored = stored;
  await compute();
  if (keepStored === "missing" && !table) {
    stored = "missing";
    renderStoreNote();
  }
}

start();
