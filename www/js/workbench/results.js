// The engine's responses as tables and charts in the reader's language. Every number
// shown is the engine's: a cell carries the unrounded value in data-value and where it
// sits in the response in data-path (e.g. "curves.0.survival.3"). Formatting only.
import { curvesChart, forestChart } from "../charts.js";
import { h } from "../dom.js";
import { downloadBar } from "../downloads.js";
import { count, csvNumber, DASH, number, pValue } from "../format.js";
import { medianRows } from "../adapters.js";
import { engineWarning } from "../i18n.js";
import { atRiskAt, forestRows, incidenceRows, kaplanMeierRows, lifeTableRows, roundTimes } from "./adapters.js";
import { tw } from "./strings.js";

/** A number for reading: whole numbers grouped, others to about four significant digits. */
export function readable(x, lang) {
  if (x === null || x === undefined || Number.isNaN(x)) return DASH;
  if (typeof x === "boolean") return tw(lang, x ? "yes" : "no");
  if (typeof x !== "number") return String(x);
  if (Number.isInteger(x)) return count(x, lang);
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  return number(x, lang, Math.max(0, Math.min(6, 3 - magnitude)));
}

const levelText = (level, lang) => `${number(level * 100, lang, Number.isInteger(level * 100) ? 0 : 1)}%`;

let tableSeq = 0;

/**
 * A results table. columns: [{key, label, kind?: "text"|"number"|"p"}]; rows: objects of
 * {value, path} (numbers) or plain text per key. With a CSV download of the unrounded values.
 */
function resultTable(lang, { name, caption, columns, rows }) {
  const id = `result-${name}-${++tableSeq}`;
  const head = h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.kind === "text" ? null : "numeric" }, c.label))));
  const body = h(
    "tbody",
    {},
    rows.map((row) =>
      h(
        "tr",
        {},
        columns.map((c, i) => {
          const cell = row[c.key];
          if (c.kind === "text" || cell === undefined || typeof cell !== "object" || cell === null) {
            const text = cell && typeof cell === "object" ? String(cell.value ?? "") : (cell ?? "");
            return i === 0 ? h("th", { scope: "row" }, text) : h("td", {}, text);
          }
          const text = c.kind === "p" ? pValue(cell.value, lang) : readable(cell.value, lang);
          const value = cell.value === null || cell.value === undefined ? "" : String(cell.value);
          return h("td", { class: "numeric", dataset: { value, path: cell.path } }, text);
        }),
      ),
    ),
  );
  const csv = () => ({
    lang,
    header: [["sibstat", caption]],
    columns: columns.map((c) => ({ key: c.key, label: c.label, format: (cell) => (cell && typeof cell === "object" ? (typeof cell.value === "number" ? csvNumber(cell.value, lang) : String(cell.value ?? "")) : (cell ?? "")) })),
    rows,
  });
  return h(
    "div",
    { class: "result-block" },
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": `${id}-caption` }, h("table", { id }, h("caption", { id: `${id}-caption` }, caption), head, body)),
    downloadBar(lang, name, { csv }),
  );
}

const cell = (value, path) => ({ value, path });

/** A figure: the chart, its caption and the downloads (CSV of the drawn rows, SVG, PNG). */
function figure(lang, { name, caption, chart, rows, columns }) {
  const id = `figure-${name}`;
  const holder = h("div", { class: "chart" }, chart);
  const scale = chart.scale?.("color");
  const legend = scale && scale.domain.length > 1 ? h("ul", { class: "legend" }, scale.domain.map((label, i) => h("li", {}, h("span", { class: "swatch", style: `background:${scale.range[i % scale.range.length]}` }), label))) : "";
  const csv = () => ({ lang, header: [["sibstat", caption]], columns: columns.map((c) => ({ key: c, label: c, format: (x) => (typeof x === "number" ? csvNumber(x, lang) : (x ?? "")) })), rows });
  return h("figure", { class: "result-figure", "aria-labelledby": `${id}-caption` }, legend, holder, h("figcaption", { id: `${id}-caption` }, caption), downloadBar(lang, name, { csv, svg: () => holder.querySelector("svg") }));
}

const chartWidth = () => Math.max(300, Math.min(860, (document.getElementById("results")?.clientWidth ?? 760) - 8));

// --- Per analysis -------------------------------------------------------------------

function groupLabel(group, lang) {
  return group === null || group === undefined ? tw(lang, "all") : String(group);
}

function kaplanMeier(lang, response) {
  const level = levelText(response.conf_level ?? 0.95, lang);
  const rows = kaplanMeierRows(response).map((r) => ({ ...r, series: groupLabel(r.series === "all" ? null : r.series, lang) }));
  const chart = curvesChart(rows, { lang, label: tw(lang, "chart.curve"), labels: { x: tw(lang, "axis.time"), y: tw(lang, "axis.survival") }, width: chartWidth() });
  const times = roundTimes(Math.max(...response.curves.flatMap((c) => c.time), 1), 6);
  const atRisk = atRiskAt(response, times);
  const medians = medianRows(response);
  return [
    figure(lang, { name: "kaplan-meier", caption: tw(lang, "results.curve", { level }), chart, rows, columns: ["series", "time", "estimate", "lower", "upper"] }),
    atRiskTable(lang, times, atRisk),
    resultTable(lang, {
      name: "medians",
      caption: tw(lang, "results.medians", { level }),
      columns: [{ key: "group", label: tw(lang, "col.group"), kind: "text" }, { key: "n", label: tw(lang, "col.n_risk") }, { key: "median", label: tw(lang, "col.median") }, { key: "lower", label: tw(lang, "col.lower") }, { key: "upper", label: tw(lang, "col.upper") }],
      rows: medians.map((m, g) => ({
        group: groupLabel(response.curves[g].group, lang),
        n: cell(m.atRiskAtStart, `curves.${g}.n_risk.0`),
        median: cell(m.median, `curves.${g}.median.estimate`),
        lower: cell(m.lower, `curves.${g}.median.lower`),
        upper: cell(m.upper, `curves.${g}.median.upper`),
      })),
    }),
    curveTables(lang, response, ["n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper"]),
  ];
}

function atRiskTable(lang, times, atRisk) {
  return resultTable(lang, {
    name: "at-risk",
    caption: tw(lang, "results.at_risk"),
    columns: [{ key: "group", label: tw(lang, "col.group"), kind: "text" }, ...times.map((t, i) => ({ key: `t${i}`, label: readable(t, lang) }))],
    rows: atRisk.map((r) => Object.fromEntries([["group", groupLabel(r.group, lang)], ...r.n.map((n, i) => [`t${i}`, cell(n, "")])])),
  });
}

/** The engine's full curve table per group, folded away (long). */
function curveTables(lang, response, keys) {
  return h(
    "details",
    { class: "curve-tables" },
    h("summary", {}, tw(lang, "results.curve.table")),
    response.curves.map((curve, g) =>
      resultTable(lang, {
        name: `curve-${g + 1}`,
        caption: `${tw(lang, "results.curve.table")} — ${groupLabel(curve.group, lang)}`,
        columns: [{ key: "time", label: tw(lang, "col.time") }, ...keys.map((k) => ({ key: k, label: tw(lang, `col.${k}`) }))],
        rows: curve.time.map((time, i) => Object.fromEntries([["time", cell(time, `curves.${g}.time.${i}`)], ...keys.map((k) => [k, cell(curve[k][i], `curves.${g}.${k}.${i}`)])])),
      }),
    ),
  );
}

function cumulativeIncidence(lang, response) {
  const level = levelText(response.conf_level ?? 0.95, lang);
  const name = (group, cause) => (group === null || group === undefined ? tw(lang, "cause", { cause }) : `${group} · ${tw(lang, "cause", { cause })}`);
  const rows = incidenceRows(response, name);
  const chart = curvesChart(rows, { lang, label: tw(lang, "chart.curve"), labels: { x: tw(lang, "axis.time"), y: tw(lang, "axis.incidence") }, width: chartWidth() });
  const blocks = [figure(lang, { name: "cumulative-incidence", caption: tw(lang, "results.curve", { level }), chart, rows, columns: ["series", "time", "estimate", "lower", "upper"] })];
  if (response.gray_test?.length) {
    blocks.push(
      resultTable(lang, {
        name: "gray-test",
        caption: tw(lang, "results.gray"),
        columns: [{ key: "cause", label: tw(lang, "col.cause"), kind: "text" }, { key: "statistic", label: tw(lang, "col.statistic") }, { key: "df", label: tw(lang, "col.df") }, { key: "p", label: tw(lang, "col.p"), kind: "p" }],
        rows: response.gray_test.map((g, i) => ({ cause: tw(lang, "cause", { cause: g.cause }), statistic: cell(g.statistic, `gray_test.${i}.statistic`), df: cell(g.df, `gray_test.${i}.df`), p: cell(g.p_value, `gray_test.${i}.p_value`) })),
      }),
    );
  }
  blocks.push(
    h(
      "details",
      { class: "curve-tables" },
      h("summary", {}, tw(lang, "results.curve.table")),
      response.curves.flatMap((curve, g) =>
        curve.causes.map((c, k) =>
          resultTable(lang, {
            name: `incidence-${g + 1}-${c.cause}`,
            caption: `${tw(lang, "results.curve.table")} — ${name(curve.group, c.cause)}`,
            columns: ["time", "n_risk", "n_event", "cif", "std_err", "lower", "upper"].map((key) => ({ key, label: tw(lang, `col.${key}`) })),
            rows: curve.time.map((time, i) => ({
              time: cell(time, `curves.${g}.time.${i}`),
              n_risk: cell(curve.n_risk[i], `curves.${g}.n_risk.${i}`),
              n_event: cell(c.n_event[i], `curves.${g}.causes.${k}.n_event.${i}`),
              cif: cell(c.cif[i], `curves.${g}.causes.${k}.cif.${i}`),
              std_err: cell(c.std_err[i], `curves.${g}.causes.${k}.std_err.${i}`),
              lower: cell(c.lower[i], `curves.${g}.causes.${k}.lower.${i}`),
              upper: cell(c.upper[i], `curves.${g}.causes.${k}.upper.${i}`),
            })),
          }),
        ),
      ),
    ),
  );
  return blocks;
}

function keyValueTable(lang, name, caption, response, keys, prefix = "") {
  return resultTable(lang, {
    name,
    caption,
    columns: [{ key: "quantity", label: tw(lang, "col.quantity"), kind: "text" }, { key: "value", label: tw(lang, "col.value") }],
    rows: keys
      .filter((k) => k in (prefix ? response[prefix.slice(0, -1)] : response))
      .map((k) => {
        const source = prefix ? response[prefix.slice(0, -1)] : response;
        const p = k.endsWith("p_value");
        return { quantity: tw(lang, `fit.${k}`), value: p ? { value: source[k], path: `${prefix}${k}` } : cell(source[k], `${prefix}${k}`) };
      }),
  });
}

function logrank(lang, response) {
  return [
    resultTable(lang, {
      name: "logrank",
      caption: tw(lang, "results.logrank"),
      columns: [{ key: "group", label: tw(lang, "col.group"), kind: "text" }, { key: "n", label: tw(lang, "col.n") }, { key: "observed", label: tw(lang, "col.observed") }, { key: "expected", label: tw(lang, "col.expected") }],
      rows: response.groups.map((g, i) => ({ group: String(g.group), n: cell(g.n, `groups.${i}.n`), observed: cell(g.observed, `groups.${i}.observed`), expected: cell(g.expected, `groups.${i}.expected`) })),
    }),
    keyValueTable(lang, "logrank-test", tw(lang, "results.test"), response, ["chi_square", "df", "p_value"]),
  ];
}

function lifeTable(lang, response) {
  const level = levelText(response.conf_level ?? 0.95, lang);
  const rows = lifeTableRows(response, tw(lang, "all"));
  const chart = curvesChart(rows, { lang, label: tw(lang, "chart.curve"), labels: { x: tw(lang, "axis.time"), y: tw(lang, "axis.survival") }, width: chartWidth() });
  const keys = ["end", "n_subjects", "n_risk", "n_event", "n_lost", "survival", "se_survival", "lower", "upper", "hazard", "se_hazard", "pdf", "se_pdf"];
  const label = (k) => (k.startsWith("se_") ? `${tw(lang, "col.std_err")} ${tw(lang, `col.${k.slice(3)}`).toLowerCase()}` : tw(lang, `col.${k}`));
  return [
    figure(lang, { name: "life-table", caption: tw(lang, "results.curve", { level }), chart, rows, columns: ["series", "time", "estimate", "lower", "upper"] }),
    ...response.tables.map((table, g) =>
      resultTable(lang, {
        name: `life-table-${g + 1}`,
        caption: `${tw(lang, "results.life_table")} — ${groupLabel(table.group, lang)}`,
        columns: [{ key: "start", label: tw(lang, "col.start") }, ...keys.map((k) => ({ key: k, label: label(k) }))],
        rows: table.start.map((start, i) => Object.fromEntries([["start", cell(start, `tables.${g}.start.${i}`)], ...keys.map((k) => [k, cell(table[k][i], `tables.${g}.${k}.${i}`)])])),
      }),
    ),
  ];
}

function proportion(lang, response) {
  return [keyValueTable(lang, "proportion", tw(lang, "results.proportion", { level: levelText(response.conf_level ?? 0.95, lang) }), response, ["successes", "trials", "estimate", "lower", "upper", "p_value"])];
}

function logit(lang, response) {
  const level = levelText(response.conf_level ?? 0.95, lang);
  const coefficientColumns = ["estimate", "std_err", "z", "p_value", "lower", "upper"];
  const forest = forestRows(response);
  const chart = forestChart(forest, { lang, label: tw(lang, "chart.forest"), labels: { x: tw(lang, "axis.effect") }, width: chartWidth() });
  const colLabel = (k) => (k === "p_value" ? tw(lang, "col.p") : k === "dydx" ? tw(lang, "col.estimate") : tw(lang, `col.${k}`));
  return [
    figure(lang, { name: "marginal-effects", caption: tw(lang, "results.forest", { level }), chart, rows: forest, columns: ["term", "estimate", "lower", "upper"] }),
    resultTable(lang, {
      name: "marginal-effects",
      caption: tw(lang, "results.effects"),
      columns: [{ key: "term", label: tw(lang, "col.term"), kind: "text" }, ...["dydx", "std_err", "z", "p_value", "lower", "upper"].map((k) => ({ key: k, label: colLabel(k), kind: k === "p_value" ? "p" : "number" })), { key: "stars", label: tw(lang, "col.stars"), kind: "text" }, { key: "kind", label: tw(lang, "col.kind"), kind: "text" }],
      rows: response.marginal_effects.map((m, i) => ({ term: m.term, ...Object.fromEntries(["dydx", "std_err", "z", "p_value", "lower", "upper"].map((k) => [k, cell(m[k], `marginal_effects.${i}.${k}`)])), stars: m.stars ?? "", kind: tw(lang, `kind.${m.kind}`) })),
    }),
    resultTable(lang, {
      name: "coefficients",
      caption: tw(lang, "results.coefficients"),
      columns: [{ key: "term", label: tw(lang, "col.term"), kind: "text" }, ...coefficientColumns.map((k) => ({ key: k, label: colLabel(k), kind: k === "p_value" ? "p" : "number" }))],
      rows: response.coefficients.map((c, i) => ({ term: c.term, ...Object.fromEntries(coefficientColumns.map((k) => [k, cell(c[k], `coefficients.${i}.${k}`)])) })),
    }),
    keyValueTable(lang, "fit", tw(lang, "results.fit"), response, ["n_obs", "converged", "iterations", "log_likelihood", "log_likelihood_null", "lr_chi_square", "lr_df", "lr_p_value", "pseudo_r2", "aic", "bic"]),
  ];
}

function summary(lang, response) {
  return [keyValueTable(lang, "summary", tw(lang, "results.summary"), response, ["n", "mean", "sd", "median", "min", "max"])];
}

function bootstrap(lang, response) {
  const kinds = ["percentile", "basic", "normal", "bca"];
  const blocks = [
    resultTable(lang, {
      name: "bootstrap",
      caption: tw(lang, "results.bootstrap", { replicates: count(response.replicates, lang), seed: response.seed }),
      columns: [{ key: "name", label: tw(lang, "col.name"), kind: "text" }, ...["estimate", "bias", "std_err"].map((k) => ({ key: k, label: tw(lang, `col.${k}`) })), ...kinds.flatMap((k) => [{ key: `${k}_lower`, label: `${tw(lang, `col.${k}`)} ${tw(lang, "col.lower").toLowerCase()}` }, { key: `${k}_upper`, label: `${tw(lang, `col.${k}`)} ${tw(lang, "col.upper").toLowerCase()}` }]), { key: "failed", label: tw(lang, "col.failed") }],
      rows: response.statistics.map((s, i) => ({
        name: s.name,
        ...Object.fromEntries(["estimate", "bias", "std_err", "failed"].map((k) => [k, cell(s[k], `statistics.${i}.${k}`)])),
        ...Object.fromEntries(kinds.flatMap((k) => [[`${k}_lower`, cell(s[k]?.[0] ?? null, `statistics.${i}.${k}.0`)], [`${k}_upper`, cell(s[k]?.[1] ?? null, `statistics.${i}.${k}.1`)]])),
      })),
    }),
  ];
  return blocks;
}

function guyot(lang, response, { onUse }) {
  const fitKeys = ["max_abs_survival_error", "mean_abs_survival_error", "total_events_given", "total_events_reconstructed"];
  return [
    keyValueTable(lang, "guyot-totals", tw(lang, "results.guyot.totals"), response, ["n", "events", "censored"]),
    keyValueTable(lang, "guyot-fit", tw(lang, "results.guyot.fit"), response, fitKeys, "fit."),
    resultTable(lang, {
      name: "guyot-at-risk",
      caption: tw(lang, "results.guyot.at_risk"),
      columns: [{ key: "time", label: tw(lang, "col.time") }, { key: "given", label: tw(lang, "col.given") }, { key: "reconstructed", label: tw(lang, "col.reconstructed") }],
      rows: response.fit.at_risk.map((r, i) => ({ time: cell(r.time, `fit.at_risk.${i}.time`), given: cell(r.given, `fit.at_risk.${i}.given`), reconstructed: cell(r.reconstructed, `fit.at_risk.${i}.reconstructed`) })),
    }),
    h("p", {}, h("button", { type: "button", id: "use-guyot-rows", onclick: onUse }, tw(lang, "results.guyot.use"))),
    resultTable(lang, {
      name: "guyot-rows",
      caption: tw(lang, "results.guyot"),
      columns: ["time", "status", "count"].map((k) => ({ key: k, label: tw(lang, `col.${k}`) })),
      rows: response.data.time.map((time, i) => ({ time: cell(time, `data.time.${i}`), status: cell(response.data.status[i], `data.status.${i}`), count: cell(response.data.count[i], `data.count.${i}`) })),
    }),
  ];
}

const RENDERERS = { kaplan_meier: kaplanMeier, cumulative_incidence: cumulativeIncidence, logrank, life_table: lifeTable, proportion, logit, summary, bootstrap, guyot };

/** The result blocks of a response, with its warnings in the reader's language. */
export function renderResponse(lang, analysis, response, hooks = {}) {
  const blocks = RENDERERS[analysis](lang, response, hooks);
  const warnings = response.warnings ?? [];
  if (warnings.length) {
    blocks.unshift(
      h(
        "div",
        { class: "warnings", role: "note" },
        h("h3", {}, tw(lang, "warnings.title")),
        h("ul", {}, warnings.map((w) => {
          const text = engineWarning(lang, w);
          return h("li", { dataset: { code: w.code } }, text.text, text.detail && text.detail !== text.text ? h("span", { class: "detail", lang: "en" }, ` (${text.detail})`) : null);
        })),
      ),
    );
  }
  return blocks;
}

