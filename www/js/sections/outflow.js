// Table 3.2, outflow and its causes: the published counts of the current cohort with
// each cause coloured by what the current definition makes of it, the engine's success
// share with its interval, and cohort 1 against cohort 2.
import { causesChart, chartWidth } from "../charts.js";
import { afterPlaced, h, missingNote, num, table } from "../dom.js";
import { downloadBar } from "../downloads.js";
import { count, csvNumber, percent, points, printedPercent, pValue, percentInterval } from "../format.js";
import { t } from "../i18n.js";
import { causeLabel, cohortLabel, columnOf, countCell, levelLabel, shareWithInterval, warningNotes, withheldNote } from "./common.js";
import { findingIds } from "./participants.js";
import { csvHeader } from "./csv.js";

export function drawOutflow(context) {
  const { lang, state, response } = context;
  const col = columnOf(state.cohort);
  const current = response.outflow.cohorts.find((c) => c.cohort === state.cohort);
  const flagged = findingIds(response);
  // A printed report cites page and line; a package published from microdata the table.
  const source = (line) => (response.publication ? { table: "3.2" } : { table: "3.2", page: 15, line });
  // The printed shares of table 3.2 beside the engine's recomputation (count / outflow);
  // the page never recomputes them.
  const printedOf = (cause) => cause.percent_printed?.[col];
  const showPrinted = response.causes.some((c) => printedOf(c) !== undefined);
  const outflowRows = [
    ["none", current.no_outflow, 1067],
    ["yes", current.outflow, 1069],
  ].map(([id, n, line]) => ({
    cells: [
      { header: true, text: t(lang, `outflow.${id}`) },
      ...(showPrinted ? [{ text: "" }, { text: "" }] : []),
      countCell(lang, n, null, source(line)),
      { text: "" },
    ],
  }));
  const causeRows = response.causes.map((cause) => ({
    class: `cause class-${cause.counted_as}${showPrinted && flagged.has(`t3_2.cause.${cause.id}.${col}.percent`) ? " flagged" : ""}`,
    dataset: { cause: cause.id, class: cause.counted_as },
    cells: [
      { header: true, text: causeLabel(lang, cause) },
      ...(showPrinted
        ? [
            { text: printedPercent(printedOf(cause), lang), tier: "published", source: cause.source },
            { text: percent(cause.share_of_outflow?.[col], lang), tier: "derived" },
          ]
        : []),
      countCell(lang, cause.counts[col], cause.withheld?.[col], cause.source),
      { node: h("span", { class: `class-badge class-${cause.counted_as}` }, t(lang, `class.${cause.counted_as}`)) },
    ],
  }));
  const base = current.successes + current.failures;
  const causesTable = table(lang, {
    caption: lang === "en"
      ? `Table 3.2 Outflow from the SIB, ${cohortLabel(lang, col).toLowerCase()} (table 3.2${response.publication ? "" : ", p. 15"}). Causes coloured by the current definition.`
      : `Tabel 3.2 Uitstroom uit de SIB, ${cohortLabel(lang, col).toLowerCase()} (tabel 3.2${response.publication ? "" : ", p. 15"}). Oorzaken gekleurd naar de gekozen definitie.`,
    class: "data-table causes-table",
    columns: [
      { label: t(lang, "col.category") },
      ...(showPrinted
        ? [
            { label: t(lang, "col.share_published"), numeric: true },
            { label: t(lang, "col.share_recomputed"), numeric: true },
          ]
        : []),
      { label: t(lang, "col.count"), numeric: true },
      { label: t(lang, "col.class") },
    ],
    rows: [...outflowRows, ...causeRows],
  });
  const classLabels = { success: t(lang, "class.success"), failure: t(lang, "class.failure"), excluded: t(lang, "class.excluded") };
  const barRows = response.causes.map((cause) => ({ label: causeLabel(lang, cause).replace(/\s*\(.*\)$/, ""), count: cause.counts[col], class: cause.counted_as }));
  const chartLabel = lang === "en" ? "Outflow by cause, coloured by the current definition" : "Uitstroom naar oorzaak, gekleurd naar de gekozen definitie";
  // The chart is drawn in a step of its own once the section is in the page.
  const chartBox = h("div", { class: "chart-svg" });
  let svg = null;
  const width = chartWidth("outflow", 720);
  afterPlaced(() => {
    svg = causesChart(barRows, { lang, label: chartLabel, classLabels, width });
    chartBox.append(svg);
  });
  const legend = h("ul", { class: "legend" }, Object.entries(classLabels).map(([k, v]) => h("li", {}, h("span", { class: `swatch class-${k}` }), v)));
  const csv = () => ({
    lang,
    header: csvHeader(context, lang === "en" ? "Table 3.2 outflow by cause" : "Tabel 3.2 uitstroom naar oorzaak"),
    columns: [
      { key: "cause", label: lang === "en" ? "cause" : "oorzaak" },
      { key: "count", label: lang === "en" ? "count" : "aantal" },
      { key: "class", label: lang === "en" ? "counts as" : "telt als" },
      { key: "tier", label: lang === "en" ? "tier" : "herkomst" },
    ],
    rows: response.causes.map((c) => ({ cause: causeLabel(lang, c), count: csvNumber(c.counts[col], lang), class: classLabels[c.counted_as], tier: t(lang, "tier.published") })),
  });
  const figure = h(
    "figure",
    { class: "chart", id: "causes-figure" },
    chartBox,
    h("figcaption", {}, chartLabel, ". ", legend),
    downloadBar(lang, "uitstroom-oorzaken", { csv, svg: () => svg }),
  );
  const summary = current.withheld ? h(
    "div",
    { class: "callout" },
    h("p", {}, t(lang, "withheld.share")),
    ...warningNotes(lang, response, ["withheld_cells"]).slice(0, 1),
  ) : h(
    "div",
    { class: "callout" },
    h(
      "p",
      {},
      lang === "en" ? "Success share among the outflow that counts: " : "Succesvol aandeel van de uitstroom die telt: ",
      shareWithInterval(lang, current.success_share, {}),
      lang === "en" ? " = " : " = ",
      num(lang, count(current.successes, lang), { tier: "derived" }),
      lang === "en" ? " successes of " : " successen van ",
      num(lang, count(base, lang), { tier: "derived" }),
      lang === "en" ? ` (outflow ${count(current.outflow, lang)} less ${count(current.excluded, lang)} excluded).` : ` (uitstroom ${count(current.outflow, lang)} min ${count(current.excluded, lang)} weggelaten).`,
    ),
    h("p", { class: "method-note" }, lang === "en" ? `Wilson interval, ${levelLabel(state)}.` : `Wilson-interval, ${levelLabel(state)}.`),
  );
  const lacks = !showPrinted
    ? missingNote(lang, lang === "en" ? "The printed shares of table 3.2 and their recomputation (count / outflow)" : "De gedrukte aandelen van tabel 3.2 en hun herberekening (aantal / uitstroom)")
    : null;
  return [causesTable, withheldNote(lang, response), lacks, figure, summary, cohortComparison(context)];
}

function cohortComparison({ lang, state, response }) {
  const differences = response.outflow.cohort_difference ?? [];
  if (!differences.length) {
    return h("p", { class: "method-note" }, lang === "en" ? "No comparison of cohorts: the success share of a cohort cannot be computed from the published cells." : "Geen vergelijking van cohorten: het succesvolle aandeel van een cohort is niet te berekenen uit de gepubliceerde cellen.");
  }
  // One pair of cohorts (the first report): its columns carry the cohorts' names; more
  // pairs (a later round): each row names its pair.
  const pairs = new Set(differences.map((d) => `${d.first}|${d.second}`));
  const first = differences[0]?.first ?? "1";
  const second = differences[0]?.second ?? "2";
  const pairLabel = (d) => (pairs.size > 1 ? `${cohortLabel(lang, d.first)} – ${cohortLabel(lang, d.second)}, ` : "");
  const rows = differences.map((d) => ({
    cells: [
      { header: true, text: pairLabel(d) + (d.base === "outflow" ? (lang === "en" ? "among the outflow" : "van de uitstroom") : (lang === "en" ? "among all participants" : "van alle deelnemers")) },
      { text: percent(d.test.first, lang), tier: d.tier },
      { text: percent(d.test.second, lang), tier: d.tier },
      { text: points(d.test.difference, lang), tier: d.tier },
      { text: percentInterval(d.test.lower, d.test.upper, lang), tier: d.tier },
      { text: pValue(d.test.p_value, lang), tier: d.tier },
      { text: pValue(d.test.fisher_p_value, lang), tier: d.tier },
    ],
  }));
  return table(lang, {
    caption: lang === "en"
      ? `${pairs.size > 1 ? "Each cohort against each later one" : `${cohortLabel(lang, first)} against ${cohortLabel(lang, second).toLowerCase()}`}: success share, difference with its interval, χ² test and Fisher's exact test (a later cohort entered later and has had less time to flow out).`
      : `${pairs.size > 1 ? "Elk cohort tegenover elk later cohort" : `${cohortLabel(lang, first)} tegenover ${cohortLabel(lang, second).toLowerCase()}`}: succesvol aandeel, verschil met interval, χ²-toets en exacte toets van Fisher (een later cohort is later gestart en had minder tijd om uit te stromen).`,
    class: "data-table compact",
    columns: [
      { label: lang === "en" ? "Share" : "Aandeel" },
      { label: pairs.size > 1 ? (lang === "en" ? "Earlier cohort" : "Eerder cohort") : cohortLabel(lang, first), numeric: true },
      { label: pairs.size > 1 ? (lang === "en" ? "Later cohort" : "Later cohort") : cohortLabel(lang, second), numeric: true },
      { label: t(lang, "col.difference"), numeric: true },
      { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true },
      { label: "p (χ²)", numeric: true },
      { label: "p (Fisher)", numeric: true },
    ],
    rows,
  });
}
