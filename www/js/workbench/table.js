// The reader's table: read with Papa Parse (vendored, global `Papa`), numbers read in
// the file's convention (Dutch decimal comma or English decimal point), columns mapped
// to the engine's roles by their header names, and the engine's `data` built from the
// mapped columns. Every problem is located (row, column, value). No statistics here.

/** Roles per kind of analysis; `required` must be mapped before the engine is asked. */
export const ROLES = {
  survival: { roles: ["time", "status", "count", "group", "strata"], required: ["time", "status"] },
  guyot: { roles: ["time", "survival", "at_risk_time", "at_risk"], required: ["time", "survival", "at_risk_time", "at_risk"] },
  binomial: { roles: ["successes", "trials"], required: ["successes", "trials"] },
  summary: { roles: ["values", "count"], required: ["values"] },
};

// Header names (lower case, without accents, spaces/dashes as "_") that map to a role.
const ALIASES = {
  time: ["time", "tijd", "duur", "duration", "t", "futime", "months", "maanden", "weeks", "weken", "days", "dagen", "years", "jaren"],
  status: ["status", "event", "gebeurtenis", "cause", "oorzaak", "fustat", "dead", "death"],
  count: ["count", "aantal", "n", "freq", "frequency", "frequentie", "weight", "gewicht", "number"],
  group: ["group", "groep", "arm", "treatment", "behandeling", "x"],
  strata: ["strata", "stratum", "laag", "lagen"],
  successes: ["successes", "success", "successen", "succes", "events", "admitted", "y"],
  trials: ["trials", "total", "totaal", "n", "aantal", "applicants", "count"],
  values: ["values", "value", "waarde", "waarden", "x", "y"],
  survival: ["survival", "overleving", "surv", "s", "s(t)"],
  at_risk_time: ["at_risk_time", "risk_time", "time_at_risk", "tijd_at_risk", "at_risk_tijd"],
  at_risk: ["at_risk", "n_risk", "nrisk", "n_at_risk", "aantal_at_risk", "at_risk_n", "risico"],
};

export const normaliseHeader = (name) =>
  String(name ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/** The family of roles an analysis needs (the bootstrap: the analysis it wraps). */
export function familyOf(analysis, of) {
  if (analysis === "bootstrap") return familyOf(of ?? "kaplan_meier");
  if (analysis === "guyot") return "guyot";
  if (analysis === "proportion" || analysis === "logit") return "binomial";
  if (analysis === "summary") return "summary";
  return "survival";
}

/**
 * The mapping of roles to header names: the reader's explicit choices (`chosen`, where
 * "" means "none") over the guess from the header names. Each column serves one role.
 */
export function effectiveMapping(headers, family, chosen = {}) {
  const { roles } = ROLES[family];
  const mapping = {};
  const used = new Set(Object.values(chosen).filter((c) => c && headers.includes(c)));
  for (const role of roles) {
    if (role in chosen) {
      mapping[role] = headers.includes(chosen[role]) ? chosen[role] : "";
      continue;
    }
    const match = headers.find((h) => !used.has(h) && ALIASES[role].includes(normaliseHeader(h)));
    mapping[role] = match ?? "";
    if (match) used.add(match);
  }
  return mapping;
}

/** Covariate columns of a logit: the reader's list, else every column not mapped to a role. */
export function covariateColumns(headers, mapping, chosen) {
  if (Array.isArray(chosen)) return chosen.filter((c) => headers.includes(c));
  const mapped = new Set(Object.values(mapping).filter(Boolean));
  return headers.filter((h) => !mapped.has(h) && h.trim() !== "");
}

// --- Reading text -------------------------------------------------------------------

const COMMA_NUMBER = /^[+-]?\d+(,\d+)?$/;
const COMMA_GROUPED = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
const POINT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_SCIENTIFIC = /^[+-]?\d+(,\d+)?[eE][+-]?\d+$/;

/** The number in a cell in the table's convention, or null when it is not one. */
export function parseNumber(text, decimal) {
  const s = String(text ?? "").trim().replace(/\u00a0|\u202f/g, "").replace(/^\u2212/, "-");
  if (s === "") return null;
  if (decimal === "comma") {
    if (COMMA_NUMBER.test(s) || COMMA_SCIENTIFIC.test(s)) return Number(s.replace(",", "."));
    if (COMMA_GROUPED.test(s)) return Number(s.replaceAll(".", "").replace(",", "."));
    // A point with more than three decimals cannot be a thousands separator.
    if (/^[+-]?\d+\.\d{4,}$/.test(s) || /^[+-]?0\.\d+$/.test(s)) return Number(s);
    return null;
  }
  return POINT_NUMBER.test(s) ? Number(s) : null;
}

/** Which decimal mark the cells use: "comma" (Dutch) or "point". */
function detectDecimal(delimiter, rows) {
  if (delimiter === ";") return "comma";
  if (delimiter === ",") return "point";
  let commas = 0;
  let points = 0;
  for (const row of rows) {
    for (const cell of row) {
      const s = String(cell).trim();
      if (/^[+-]?\d+,\d+$/.test(s)) commas++;
      else if (/^[+-]?\d*\.\d+$/.test(s)) points++;
    }
  }
  return commas > points ? "comma" : "point";
}

export class TableProblem extends Error {
  constructor(key, params) {
    super(key);
    this.key = key;
    this.params = params;
  }
}

/**
 * A table from CSV/TSV text (a file or a paste): {headers, rows, decimal, delimiter}.
 * Lines starting with "#" are comments (a source note). Throws a TableProblem.
 */
export function readTable(text) {
  const parsed = Papa.parse(String(text).replace(/^\ufeff/, ""), {
    delimitersToGuess: ["\t", ";", ",", "|"],
    skipEmptyLines: "greedy",
    comments: "#",
  });
  const fatal = parsed.errors.find((e) => e.code !== "UndetectableDelimiter");
  if (fatal) throw new TableProblem("problem.parse", { line: (fatal.row ?? 0) + 1, reason: fatal.message });
  const [headerRow, ...body] = parsed.data;
  if (!headerRow || headerRow.every((h) => String(h).trim() === "")) throw new TableProblem("problem.no_header", {});
  const headers = headerRow.map((h) => String(h).trim());
  body.forEach((row, i) => {
    if (row.length !== headers.length && row.slice(headers.length).some((c) => String(c).trim() !== "")) {
      throw new TableProblem("problem.ragged", { line: i + 2, found: row.length, expected: headers.length });
    }
  });
  const rows = body.map((row) => headers.map((_, j) => String(row[j] ?? "").trim()));
  const delimiter = parsed.meta.delimiter;
  return { headers, rows, decimal: detectDecimal(delimiter, rows), delimiter };
}

/** The table as CSV text in its own convention (";" with a decimal comma). */
export function writeTable(table) {
  return Papa.unparse({ fields: table.headers, data: table.rows }, { delimiter: table.decimal === "comma" ? ";" : ",", newline: "\n" });
}

// --- The engine's data -------------------------------------------------------------

const dataRows = (table) => table.rows.filter((row) => row.some((c) => c !== ""));

function numericColumn(table, rows, column, { optional = false, trailingGap = false } = {}) {
  const j = table.headers.indexOf(column);
  const values = [];
  let ended = -1;
  rows.forEach((row, i) => {
    const cell = row[j] ?? "";
    if (cell === "") {
      if (trailingGap) {
        if (ended < 0) ended = i;
        return;
      }
      if (optional) {
        values.push(null);
        return;
      }
      throw new TableProblem("problem.empty", { row: i + 1, column, value: "" });
    }
    if (ended >= 0) throw new TableProblem("problem.gap", { row: ended + 1, column, value: "" });
    const x = parseNumber(cell, table.decimal);
    if (x === null) throw new TableProblem("problem.not_number", { row: i + 1, column, value: cell });
    values.push(x);
  });
  return values;
}

function labelColumn(table, rows, column) {
  const j = table.headers.indexOf(column);
  return rows.map((row, i) => {
    const cell = row[j] ?? "";
    if (cell === "") throw new TableProblem("problem.empty", { row: i + 1, column, value: "" });
    return cell;
  });
}

/** A covariate: numbers when every cell is one, else category labels. */
export function covariateValues(table, column) {
  const rows = dataRows(table);
  const j = table.headers.indexOf(column);
  const numbers = rows.map((row) => parseNumber(row[j], table.decimal));
  if (numbers.every((x) => x !== null)) return numbers;
  return labelColumn(table, rows, column);
}

function requireMapped(mapping, roles) {
  for (const role of roles) if (!mapping[role]) throw new TableProblem("problem.unmapped", { role });
}

/**
 * The engine's data for a family of analyses from the table and the mapping; throws a
 * located TableProblem. survival: {time, status, count?, group?} and `strata`;
 * guyot: {curve, at_risk}; binomial: {successes, trials, covariates}; summary: {values, count?}.
 */
export function engineData(table, family, mapping, { covariates = [] } = {}) {
  const rows = dataRows(table);
  if (rows.length === 0) throw new TableProblem("problem.no_rows", {});
  requireMapped(mapping, ROLES[family].required);
  if (family === "survival") {
    const data = { time: numericColumn(table, rows, mapping.time), status: numericColumn(table, rows, mapping.status) };
    if (mapping.count) data.count = numericColumn(table, rows, mapping.count);
    if (mapping.group) data.group = labelColumn(table, rows, mapping.group);
    const strata = mapping.strata ? labelColumn(table, rows, mapping.strata) : null;
    return { data, strata, rows: rows.length };
  }
  if (family === "guyot") {
    const column = (role) => numericColumn(table, rows, mapping[role], { trailingGap: true });
    return {
      curve: { time: column("time"), survival: column("survival") },
      at_risk: { time: column("at_risk_time"), n: column("at_risk") },
      rows: rows.length,
    };
  }
  if (family === "binomial") {
    const data = { successes: numericColumn(table, rows, mapping.successes), trials: numericColumn(table, rows, mapping.trials) };
    const values = {};
    for (const c of covariates) values[c] = covariateValues(table, c);
    return { data, covariates: values, rows: rows.length };
  }
  const data = { values: numericColumn(table, rows, mapping.values) };
  if (mapping.count) data.count = numericColumn(table, rows, mapping.count);
  return { data, rows: rows.length };
}

/**
 * Where an engine message points in the reader's table: "data.time[3]" is row 4 of the
 * column mapped to time; a logit's "row 3" is row 4. Returns {row, column, value} or null.
 */
export function locateEngineMessage(message, table, family, mapping) {
  const text = String(message ?? "");
  const ROLE_OF_PATH = {
    "data.time": "time",
    "data.status": "status",
    "data.count": "count",
    "data.group": "group",
    strata: "strata",
    "data.successes": "successes",
    "data.trials": "trials",
    successes: "successes",
    trials: "trials",
    values: "values",
    count: "count",
    "curve.time": "time",
    "curve.survival": "survival",
    "at_risk.time": "at_risk_time",
    "at_risk.n": "at_risk",
  };
  const rows = dataRows(table);
  const cellAt = (column, i) => {
    const j = table.headers.indexOf(column);
    return j >= 0 && rows[i] ? rows[i][j] : "";
  };
  const indexed = text.match(/([A-Za-z_][\w.]*)\[(\d+)\]/);
  if (indexed) {
    const [, path, index] = indexed;
    const i = Number(index);
    const covariate = path.match(/^data\.covariates\.(.+)$/);
    const column = covariate ? covariate[1] : mapping[ROLE_OF_PATH[path] ?? ""];
    if (column) return { row: i + 1, column, value: cellAt(column, i) };
  }
  const row = family === "binomial" ? text.match(/\brow (\d+)\b/) : null;
  if (row) {
    const i = Number(row[1]);
    const column = mapping.successes;
    return { row: i + 1, column, value: cellAt(column, i) };
  }
  return null;
}
