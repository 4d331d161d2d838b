// Figure 3.2, duration to outflow: the reconstructed stacked cumulative incidence
// (success / non-success) with confidence bands, the at-risk table under the chart,
// the published points, the optional naive 1 − KM, the payment targets, the median and
// the 28-month result measurement. Every number here is the engine's.
import { anyOutflowBand, atRiskRows, durationTable, naiveCurve, publishedPoints, stackedIncidence, successBand } from "../adapters.js";
import { chartWidth, durationChart } from "../charts.js";
import { afterPlaced, disclosure, h, missingNote, num, scrollRegion, table, tierBadge } from "../dom.js";
import { downloadBar } from "../downloads.js";
import { count, csvNumber, interval, number, percent, percentInterval, points } from "../format.js";
import { t } from "../i18n.js";
import { causeLabel, cohortLabel, levelLabel, warningNotes } from "./common.js";
import { csvHeader } from "./csv.js";

const POINT_LABELS = {
  "fig3_2.success_1y": ["≈40% na 1 jaar", "≈40% after 1 year"],
  "fig3_2.success_2y": ["≈55% na 2 jaar", "≈55% after 2 years"],
  "fig3_2.outflow_at_median": ["mediaan < 1 jaar: 41% + 9%", "median < 1 year: 41% + 9%"],
};

/** The chart input of figure 3.2: the adapters' arrays plus labels in the reader's language. */
export function durationModel(response, lang) {
  const d = response.duration;
  const i = lang === "en" ? 1 : 0;
  const stacked = stackedIncidence(d);
  const last = stacked[stacked.length - 1].time;
  const targets = [response.targets?.two_years, response.targets?.four_years]
    .filter(Boolean)
    .map((x, k) => ({ id: x.id, value: x.value / 100, label: `${lang === "en" ? "target" : "doel"} ${k === 0 ? (lang === "en" ? "2 years" : "2 jaar") : (lang === "en" ? "4 years" : "4 jaar")}: ${number(x.value, lang, Number.isInteger(x.value) ? 0 : 1)}%` }));
  return {
    stacked,
    successBand: successBand(d),
    anyBand: anyOutflowBand(d),
    naive: naiveCurve(d),
    points: publishedPoints(d).map((p) => ({ ...p, label: POINT_LABELS[p.id]?.[i] ?? p.id })),
    targets,
    median: d.current?.median_months?.estimate ?? null,
    xDomain: [0, Math.max(last, 24)],
  };
}

export function drawDuration(context) {
  const { lang, state, response } = context;
  const d = response.duration;
  if ((!d || !d.cumulative_incidence) && response.publication) {
    return [h("p", {}, t(lang, "duration.published_note", { k: response.publication.k })), ...warningNotes(lang, response, ["duration_unavailable"])];
  }
  if (!d || !d.cumulative_incidence) return [missingNote(lang, lang === "en" ? "Figure 3.2 (reconstructed duration table)" : "Figuur 3.2 (gereconstrueerde duurtabel)")];
  const model = durationModel(response, lang);
  const labels = {
    x: t(lang, "col.time"),
    y: lang === "en" ? "Cumulative outflow" : "Cumulatieve uitstroom",
    median: lang === "en" ? "median" : "mediaan",
    targetNote: lang === "en"
      ? "Dashed: the payment targets, which apply at 28 months after the first day of sickness, not on this axis of months since entry"
      : "Stippellijnen: de betalingsdoelen; die gelden 28 maanden na de eerste ziektedag, niet op deze as van maanden na instroom",
  };
  const tier = d.tier ?? "reconstructed";
  const chartLabel = response.publication
    ? (lang === "en"
      ? "Figure 3.2 Cumulative outflow after entry into the SIB: successful (bottom) and unsuccessful (stacked on top), from the published duration rows (each pooled step drawn as one jump at its end), with confidence bands and the payment targets"
      : "Figuur 3.2 Cumulatieve uitstroom na start van de SIB: succesvol (onder) en niet-succesvol (daarop gestapeld), uit de gepubliceerde duurgegevens (elke samengevoegde stap als één sprong aan het eind), met betrouwbaarheidsbanden en de betalingsdoelen")
    : lang === "en"
    ? "Figure 3.2 Cumulative outflow after entry into the SIB: successful (bottom) and unsuccessful (stacked on top), reconstructed, with confidence bands, the report's published points and the payment target"
    : "Figuur 3.2 Cumulatieve uitstroom na start van de SIB: succesvol (onder) en niet-succesvol (daarop gestapeld), gereconstrueerd, met betrouwbaarheidsbanden, de gepubliceerde punten en het betalingsdoel";
  const width = chartWidth("duration", 760);
  // The chart is drawn in a step of its own once the section is in the page.
  const chartBox = h("div", { class: "chart-svg" });
  let svg = null;
  const showNaive = state.naive;
  afterPlaced(() => {
    svg = durationChart(model, { lang, label: chartLabel, labels, showNaive, width });
    chartBox.append(svg);
  });
  const legend = h(
    "ul",
    { class: "legend" },
    h("li", {}, h("span", { class: "swatch class-success" }), t(lang, "col.success")),
    h("li", {}, h("span", { class: "swatch class-failure" }), t(lang, "col.failure")),
    h("li", {}, h("span", { class: "swatch swatch-band" }), `${levelLabel(state)} ${lang === "en" ? "band" : "band"}`),
    model.points.length ? h("li", {}, h("span", { class: "swatch swatch-point" }), lang === "en" ? "published point" : "gepubliceerd punt") : null,
    model.targets.length ? h("li", {}, h("span", { class: "swatch swatch-target" }), lang === "en" ? "payment targets of box 1 (result measurement, 28 months after the first day of sickness)" : "betalingsdoelen uit box 1 (resultaatmeting, 28 maanden na de eerste ziektedag)") : null,
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
        { class: "at-risk" },
        scrollRegion(lang === "en" ? "Number at risk" : "Aantal at risk", h(
          "table",
          { class: "data-table compact" },
          h("caption", {}, lang === "en" ? "Number at risk (still in the SIB and under observation)" : "Aantal at risk (nog in de SIB en in observatie)"),
          h("thead", {}, h("tr", {}, h("th", { scope: "row" }, t(lang, "col.time")), atRisk.map((r) => h("th", { scope: "col", class: "numeric" }, number(r.time, lang, 0))))),
          h("tbody", {}, h("tr", {}, h("th", { scope: "row" }, t(lang, "col.at_risk"), tierBadge(lang, tier)), atRisk.map((r) => h("td", { class: "numeric" }, count(r.n_risk, lang))))),
        )),
      )
    : null;
  const figure = h(
    "figure",
    { class: "chart", id: "duration-figure" },
    chartBox,
    atRiskTable,
    // On a wide chart the note is drawn in it (this copy is for screen readers); a phone's chart has no room.
    h("p", { class: width < 560 ? "chart-note" : "chart-note sr-only" }, labels.targetNote, "."),
    h("figcaption", {}, chartLabel, ". ", legend),
    downloadBar(lang, "figuur-3-2", { csv, svg: () => svg }),
  );
  // The chart's table (a row per step of the curves; cites no source), built when opened.
  const level = levelLabel(state);
  const alternative = disclosure(lang, { class: "table-alternative figure-table" }, h("summary", {}, t(lang, "table.alternative")), () => table(lang, {
      caption: chartLabel,
      class: "data-table compact",
      columns: [{ label: t(lang, "col.time") }, { label: t(lang, "col.success"), numeric: true }, { label: t(lang, "col.interval", { level }), numeric: true }, { label: t(lang, "col.failure"), numeric: true }, { label: t(lang, "col.interval", { level }), numeric: true }, { label: t(lang, "col.naive"), numeric: true }],
      rows: rows.map((r) => ({
        cells: [
          { header: true, text: number(r.time, lang, decimalsOf(r.time)) },
          { text: percent(r.success, lang), tier },
          { text: percentInterval(r.success_lower, r.success_upper, lang), tier },
          { text: percent(r.failure, lang), tier },
          { text: percentInterval(r.failure_lower, r.failure_upper, lang), tier },
          { text: percent(r.naive, lang), tier },
        ],
      })),
    }));
  const published = response.publication ? h("p", { class: "method-note" }, t(lang, "duration.published_note", { k: response.publication.k })) : null;
  return [published, figure, alternative, ...durationFacts(context)];
}

/** The decimals a time has (0.5 months → 1), so that every step of the table reads apart. */
function decimalsOf(x) {
  if (Number.isInteger(x)) return 0;
  return Math.min(3, String(x).split(".")[1]?.length ?? 0);
}

const FIT_LABELS_EN = {
  "fig3_2.success_1y": "Successful outflow one year after entry (%)",
  "fig3_2.success_2y": "Successful outflow two years after entry (%)",
  "fig3_2.median_months": "Median months to any outflow (‘just under one year’)",
  "fig3_2.success_at_median": "Successful outflow at the median (%)",
  "fig3_2.failure_at_median": "Unsuccessful outflow at the median (%)",
  "fig3_2.outflow_at_median": "Outflow at the median (%; at least 50 by definition)",
  "box1.duration_analysis_n": "Participants in the duration analysis",
};

const FIT_LABELS_NL = {
  "fig3_2.success_1y": "Succesvolle uitstroom één jaar na instroom (%)",
  "fig3_2.success_2y": "Succesvolle uitstroom twee jaar na instroom (%)",
  "fig3_2.median_months": "Mediane duur tot uitstroom (maanden, ‘iets minder dan één jaar’)",
  "fig3_2.success_at_median": "Succesvolle uitstroom bij de mediaan (%)",
  "fig3_2.failure_at_median": "Niet-succesvolle uitstroom bij de mediaan (%)",
  "fig3_2.outflow_at_median": "Uitstroom bij de mediaan (%; per definitie minstens 50)",
  "box1.duration_analysis_n": "Deelnemers in de duuranalyse",
};

function unitText(lang, x, unit) {
  if (x === null || x === undefined) return "—";
  if (unit === "count") return count(x, lang);
  if (unit === "months") return `${number(x, lang, 1)} ${lang === "en" ? "mo" : "mnd"}`;
  return `${number(x, lang, 1)}%`;
}

/**
 * The name of a fit point in the reader's language, from its structured fields: a
 * number of the text by id, a count of table 3.2 by cause and cohort (with the
 * outflows of unknown moment the reconstruction added to it).
 */
function fitLabel(lang, point, response) {
  const en = lang === "en";
  const known = (en ? FIT_LABELS_EN : FIT_LABELS_NL)[point.id];
  if (known) return known;
  const m = /^t3_2\.(cause|outflow)\.([^.]+)\.([^.]+)\.count$/.exec(point.id);
  if (!m) return point.id;
  const [, kind, row, column] = m;
  const cohort = cohortLabel(lang, point.cohort ?? column);
  if (kind === "outflow") return en ? `No outflow, ${cohort.toLowerCase()} (censored)` : `Geen uitstroom, ${cohort.toLowerCase()} (gecensureerd)`;
  const cause = causeLabel(lang, { id: point.cause ?? row, ...(response.causes?.find((c) => c.id === (point.cause ?? row)) ?? {}) }, response);
  // The engine gives the outflows of unknown moment as a field; older engines only in its label.
  const moment = point.unknown_moment ?? Number(/plus (\d+) of unknown moment/.exec(point.label ?? "")?.[1] ?? NaN);
  const extra = Number.isFinite(moment) && moment > 0 ? (en ? `, incl. ${count(moment, lang)} of unknown moment` : `, incl. ${count(moment, lang)} met onbekend moment`) : "";
  return `${en ? "Outflow" : "Uitstroom"}: ${cause}, ${cohort.toLowerCase()}${extra}`;
}

function fitTable(lang, d, response) {
  // What the rows read, read now: a section's reads are recorded while it is drawn (sections/draw.js).
  const points = d.published_points ?? [];
  const names = { causes: response.causes };
  const rows = () => points.map((p) => ({
    class: p.within ? null : "flagged",
    dataset: { point: p.id },
    cells: [
      { header: true, text: fitLabel(lang, p, names) },
      { text: `${p.approx ? "≈ " : ""}${unitText(lang, p.published, p.unit)}`, tier: "published", source: p.source },
      { text: unitText(lang, p.reconstructed, p.unit), tier: "reconstructed" },
      { text: `${p.difference > 0 ? "+" : p.difference < 0 ? "−" : ""}${number(Math.abs(p.difference), lang, 1)}` },
      { text: p.within ? (lang === "en" ? "yes" : "ja") : (lang === "en" ? "no" : "nee") },
    ],
  }));
  // Built when opened (dom.js).
  return disclosure(
    lang,
    { class: "table-alternative" },
    h("summary", {}, lang === "en" ? `Fit of the reconstruction against every published number (${points.length})` : `Aansluiting van de reconstructie op elk gepubliceerd getal (${points.length})`),
    () => table(lang, {
      caption: lang === "en" ? "Published numbers of figure 3.2, box 1 and table 3.2 against the reconstructed table (tolerance: 1 point for the text's rounded numbers, exact for counts)." : "Gepubliceerde getallen van figuur 3.2, box 1 en tabel 3.2 tegenover de gereconstrueerde tabel (marge: 1 punt voor de afgeronde getallen uit de tekst, exact voor aantallen).",
      class: "data-table compact",
      columns: [{ label: lang === "en" ? "Number" : "Getal" }, { label: t(lang, "col.published"), numeric: true }, { label: t(lang, "col.recomputed"), numeric: true }, { label: t(lang, "col.difference"), numeric: true }, { label: lang === "en" ? "Within tolerance" : "Binnen marge" }],
      rows: rows(),
    }),
  );
}

function durationFacts({ lang, state, response }) {
  const d = response.duration;
  const m = response.metrics ?? {};
  const cur = d.current ?? {};
  const med = cur.median_months ?? {};
  const tier = d.tier ?? "reconstructed";
  const ci = (x) => ` (${levelLabel(state)}-${lang === "en" ? "CI" : "BI"} ${percentInterval(x?.lower, x?.upper, lang)})`;
  const items = [];
  items.push(
    h("li", {}, lang === "en" ? "Median time to any outflow: " : "Mediane duur tot uitstroom (elke oorzaak): ",
      num(lang, med.estimate === null || med.estimate === undefined ? (lang === "en" ? "not reached" : "niet bereikt") : `${number(med.estimate, lang, 1)} ${lang === "en" ? "months" : "maanden"}`, { tier, metric: "duration.median_months", value: m["duration.median_months"] }),
      ` (${levelLabel(state)}-${lang === "en" ? "CI" : "BI"} ${interval(med.lower, med.upper, lang, 1)}${response.publication ? "" : `; ${lang === "en" ? "the report: just under one year" : "het rapport: iets minder dan één jaar"}`}).`),
  );
  items.push(
    h("li", {}, lang === "en" ? "Successful outflow 12 months after entry: " : "Succesvolle uitstroom 12 maanden na instroom: ",
      num(lang, percent(cur.success_cif_12m?.estimate, lang), { tier, metric: "duration.success_cif_12m", value: m["duration.success_cif_12m"] }), ci(cur.success_cif_12m),
      lang === "en" ? "; after 24 months: " : "; na 24 maanden: ",
      num(lang, percent(cur.success_cif_24m?.estimate, lang), { tier, metric: "duration.success_cif_24m", value: m["duration.success_cif_24m"] }), ci(cur.success_cif_24m),
      lang === "en" ? ". Unsuccessful outflow: " : ". Niet-succesvolle uitstroom: ",
      num(lang, percent(cur.other_cif_12m?.estimate, lang), { tier }), " / ", num(lang, percent(cur.other_cif_24m?.estimate, lang), { tier }), "."),
  );
  const r = d.result_measurement;
  if (r) {
    items.push(
      h("li", {}, lang === "en" ? `Result measurement (payment definition, ${number(r.months_after_sickness, lang, 0)} months after the first day of sickness, share of participants): ` : `Resultaatmeting (betalingsdefinitie, ${number(r.months_after_sickness, lang, 0)} maanden na de eerste ziektedag, aandeel van de deelnemers): `,
        num(lang, percent(r.success_share, lang), { tier, metric: "duration.result_28m", value: m["duration.result_28m"] ?? r.success_share }),
        lang === "en" ? " (upper bound " : " (bovengrens ",
        num(lang, percent(r.success_share_upper, lang), { tier }),
        lang === "en" ? "), against the targets of box 1: " : "), tegenover de doelen uit box 1: ",
        num(lang, percent(r.target_2y, lang), { tier: "published", source: response.targets?.two_years?.source }),
        lang === "en" ? " after two years (" : " na twee jaar (",
        num(lang, points(r.gap_2y, lang), { tier }),
        lang === "en" ? ") and " : ") en ",
        num(lang, percent(r.target_4y, lang, 0), { tier: "published", source: response.targets?.four_years?.source }),
        lang === "en" ? " after four years (" : " na vier jaar (",
        num(lang, points(r.gap_4y, lang), { tier }),
        ").",
        r.beyond_follow_up > 0
          ? h("span", { class: "detail" }, lang === "en"
            ? ` ${percent(r.beyond_follow_up, lang)} of the participants reach 28 months of sickness beyond the ${number(r.follow_up_months, lang, 0)} months of follow-up; their part is extrapolated.`
            : ` ${percent(r.beyond_follow_up, lang)} van de deelnemers bereikt 28 maanden ziekte na de ${number(r.follow_up_months, lang, 0)} maanden follow-up; hun deel is geëxtrapoleerd.`)
          : null),
    );
    const rc = d.result_measurement_current_definition;
    if (rc && state.def !== "result") {
      items.push(h("li", {}, lang === "en" ? "The same measurement under the current definition: " : "Dezelfde meting onder de gekozen definitie: ", num(lang, percent(rc.success_share, lang), { tier }), "."));
    }
  } else items.push(h("li", {}, missingNote(lang, lang === "en" ? "28-month result measurement" : "Resultaatmeting na 28 maanden")));
  const fit = (d.published_points ?? []).length ? fitTable(lang, d, response) : null;
  return [h("ul", { class: "facts" }, items), ...warningNotes(lang, response, ["median_not_reached", "duration_unavailable", "withheld_cells"]), fit];
}
