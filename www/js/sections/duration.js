// Figure 3.2, duration to outflow: the reconstructed stacked cumulative incidence
// (success / non-success) with confidence bands, the at-risk table under the chart,
// the published points, the optional naive 1 − KM, the payment targets, the median and
// the 28-month result measurement. Every number here is the engine's.
import { atRiskRows, band, durationTable, publishedPoints, stackedIncidence, targetPoints } from "../adapters.js";
import { durationChart } from "../charts.js";
import { h, missingNote, num, table } from "../dom.js";
import { downloadBar } from "../downloads.js";
import { count, csvNumber, number, percent, percentInterval } from "../format.js";
import { t } from "../i18n.js";
import { levelLabel } from "./common.js";
import { csvHeader } from "./csv.js";

const POINT_LABELS = {
  "fig3_2.success_1y": ["≈40% (1 jaar)", "≈40% (1 year)"],
  "fig3_2.success_2y": ["≈55% (2 jaar)", "≈55% (2 years)"],
  "fig3_2.success_at_median": ["41% bij mediaan", "41% at median"],
  "fig3_2.failure_at_median": ["9%", "9%"],
};

export function durationModel(duration, lang) {
  const i = lang === "en" ? 1 : 0;
  const points = publishedPoints(duration).map((p) => ({ ...p, label: POINT_LABELS[p.id]?.[i] ?? `${number(p.value * 100, lang, 0)}%` }));
  const targets = targetPoints(duration).map((p) => ({ ...p, label: `${lang === "en" ? "target" : "doel"} ${number(p.value * 100, lang, 1)}%` }));
  const times = duration.cif.time;
  return {
    stacked: stackedIncidence(duration),
    successBand: band(duration, "success"),
    anyBand: band(duration, "any"),
    naive: band(duration, "naive"),
    points,
    targets: targets.filter((p) => p.time <= times[times.length - 1]),
    median: duration.median?.estimate ?? null,
    xDomain: [0, Math.max(times[times.length - 1], 24)],
  };
}

export function drawDuration(context) {
  const { lang, state, response } = context;
  const d = response.duration;
  if (!d || !d.cif) return [missingNote(lang, lang === "en" ? "Figure 3.2 (reconstructed duration table)" : "Figuur 3.2 (gereconstrueerde duurtabel)")];
  const model = durationModel(d, lang);
  const labels = {
    x: t(lang, "col.time"),
    y: lang === "en" ? "Cumulative outflow" : "Cumulatieve uitstroom",
    median: lang === "en" ? "median" : "mediaan",
  };
  const chartLabel = lang === "en"
    ? "Figure 3.2 Cumulative outflow after entry into the SIB: successful (bottom) and unsuccessful (stacked on top), reconstructed, with confidence bands, the report's published points and the payment target"
    : "Figuur 3.2 Cumulatieve uitstroom na start van de SIB: succesvol (onder) en niet-succesvol (daarop gestapeld), gereconstrueerd, met betrouwbaarheidsbanden, de gepubliceerde punten en het betalingsdoel";
  const svg = durationChart(model, { lang, label: chartLabel, labels, showNaive: state.naive });
  const legend = h(
    "ul",
    { class: "legend" },
    h("li", {}, h("span", { class: "swatch class-success" }), t(lang, "col.success")),
    h("li", {}, h("span", { class: "swatch class-failure" }), t(lang, "col.failure")),
    h("li", {}, h("span", { class: "swatch swatch-band" }), `${levelLabel(state)} ${lang === "en" ? "band" : "band"}`),
    h("li", {}, h("span", { class: "swatch swatch-point" }), lang === "en" ? "published point" : "gepubliceerd punt"),
    model.targets.length ? h("li", {}, h("span", { class: "swatch swatch-target" }), lang === "en" ? "payment target (box 1)" : "betalingsdoel (box 1)") : null,
    state.naive ? h("li", {}, h("span", { class: "swatch swatch-naive" }), t(lang, "col.naive")) : null,
  );
  const rows = durationTable(d);
  const csv = () => ({
    lang,
    header: csvHeader(context, lang === "en" ? "Figure 3.2 cumulative incidence (reconstructed)" : "Figuur 3.2 cumulatieve incidentie (gereconstrueerd)"),
    columns: [
      ["time", lang === "en" ? "months" : "maanden"],
      ["success", t(lang, "col.success")],
      ["success_lower", `${t(lang, "col.success")} ${t(lang, "col.lower").toLowerCase()}`],
      ["success_upper", `${t(lang, "col.success")} ${t(lang, "col.upper").toLowerCase()}`],
      ["failure", t(lang, "col.failure")],
      ["failure_lower", `${t(lang, "col.failure")} ${t(lang, "col.lower").toLowerCase()}`],
      ["failure_upper", `${t(lang, "col.failure")} ${t(lang, "col.upper").toLowerCase()}`],
      ["naive", t(lang, "col.naive")],
    ].map(([key, label]) => ({ key, label, format: (x) => csvNumber(x, lang) })),
    rows,
  });
  const atRisk = atRiskRows(d);
  const atRiskTable = atRisk.length
    ? h(
        "div",
        { class: "table-wrap at-risk" },
        h(
          "table",
          { class: "data-table compact" },
          h("caption", {}, lang === "en" ? "Number at risk (still in the SIB and under observation)" : "Aantal at risk (nog in de SIB en in observatie)"),
          h("thead", {}, h("tr", {}, h("th", { scope: "row" }, t(lang, "col.time")), atRisk.map((r) => h("th", { scope: "col", class: "numeric" }, number(r.time, lang, 0))))),
          h("tbody", {}, h("tr", {}, h("th", { scope: "row" }, t(lang, "col.at_risk")), atRisk.map((r) => h("td", { class: "numeric" }, num(lang, count(r.n_risk, lang), { tier: "reconstructed" }))))),
        ),
      )
    : null;
  const figure = h(
    "figure",
    { class: "chart", id: "duration-figure" },
    h("div", { class: "chart-svg" }, svg),
    atRiskTable,
    h("figcaption", {}, chartLabel, ". ", legend),
    downloadBar(lang, "figuur-3-2", { csv, svg: () => svg }),
  );
  const alternative = h(
    "details",
    { class: "table-alternative" },
    h("summary", {}, t(lang, "table.alternative")),
    table(lang, {
      caption: chartLabel,
      class: "data-table compact",
      columns: [{ label: t(lang, "col.time") }, { label: t(lang, "col.success"), numeric: true }, { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true }, { label: t(lang, "col.failure"), numeric: true }, { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true }, { label: t(lang, "col.naive"), numeric: true }],
      rows: rows.map((r) => ({
        cells: [
          { header: true, text: number(r.time, lang, 0) },
          { text: percent(r.success, lang), tier: "reconstructed" },
          { text: percentInterval(r.success_lower, r.success_upper, lang), tier: "reconstructed" },
          { text: percent(r.failure, lang), tier: "reconstructed" },
          { text: percentInterval(r.failure_lower, r.failure_upper, lang), tier: "reconstructed" },
          { text: percent(r.naive, lang), tier: "reconstructed" },
        ],
      })),
    }),
  );
  return [figure, alternative, durationFacts(context)];
}

function durationFacts({ lang, response }) {
  const d = response.duration;
  const m = response.metrics ?? {};
  const med = d.median ?? {};
  const items = [];
  items.push(h("li", {}, lang === "en" ? "Median time to any outflow: " : "Mediane duur tot uitstroom (elke oorzaak): ", num(lang, `${number(med.estimate, lang, 1)} ${lang === "en" ? "months" : "maanden"}`, { tier: "reconstructed", metric: "duration.median_months", value: m["duration.median_months"] ?? med.estimate }), ` (${lang === "en" ? "CI" : "BI"} ${number(med.lower, lang, 1)}–${number(med.upper, lang, 1)}; ${lang === "en" ? "report: just under 12" : "rapport: iets minder dan 12"}).`));
  items.push(h("li", {}, lang === "en" ? "Successful outflow 12 and 24 months after entry: " : "Succesvolle uitstroom 12 en 24 maanden na instroom: ", num(lang, percent(m["duration.success_cif_12m"], lang), { tier: "reconstructed", metric: "duration.success_cif_12m", value: m["duration.success_cif_12m"] }), " / ", num(lang, percent(m["duration.success_cif_24m"], lang), { tier: "reconstructed", metric: "duration.success_cif_24m", value: m["duration.success_cif_24m"] }), lang === "en" ? " (report: about 40% and 55%)." : " (rapport: ongeveer 40% en 55%)."));
  const r28 = d.result_measurement ?? d.result_28m;
  if (r28) {
    items.push(h("li", {}, lang === "en" ? "Result measurement at 28 months after the first day of sickness: " : "Resultaatmeting 28 maanden na de eerste ziektedag: ", num(lang, percent(r28.estimate ?? r28.value, lang), { tier: r28.tier ?? "reconstructed" }), r28.lower !== undefined ? ` (${percentInterval(r28.lower, r28.upper, lang)})` : "", "."));
  } else items.push(h("li", {}, missingNote(lang, lang === "en" ? "28-month result measurement" : "Resultaatmeting na 28 maanden")));
  return h("ul", { class: "facts" }, items);
}
