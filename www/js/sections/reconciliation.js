// The reconciliation: where the published numbers disagree with their own counts or
// with each other (an independent check the report itself recommends).
import { h, table } from "../dom.js";
import { count, number } from "../format.js";

const CHECKS = {
  percent_of_base: ["aandeel van de basis", "share of base"],
  total_percent: ["totaal 100%", "total 100%"],
  rows_sum_to_total: ["rijen tellen op tot totaal", "rows sum to total"],
  columns_sum_to_total: ["kolommen tellen op", "columns sum to total"],
  total_equals_row: ["totaal gelijk aan rij", "total equals row"],
  sum: ["som", "sum"],
  equal: ["gelijkheid", "equality"],
  at_most: ["ten hoogste", "at most"],
  stars: ["sterren", "stars"],
  share: ["aandeel", "share"],
};

function value(lang, x, unit) {
  const digits = Number.isInteger(x) ? 0 : 2;
  const text = unit === "count" ? count(x, lang) : number(x, lang, digits);
  return unit === "percent" ? `${text}%` : text;
}

export function drawReconciliation({ lang, response }) {
  const r = response.reconciliation;
  const i = lang === "en" ? 1 : 0;
  const rows = r.findings.map((f) => ({
    dataset: { finding: f.id },
    cells: [
      { header: true, text: f.id },
      { text: CHECKS[f.check]?.[i] ?? f.check },
      { text: `${value(lang, f.printed, f.unit)}${f.approx ? " ≈" : ""}`, tier: "published" },
      { text: value(lang, f.computed, f.unit), tier: "derived" },
      { text: `${f.difference > 0 ? "+" : f.difference < 0 ? "−" : ""}${f.unit === "percent" ? `${number(Math.abs(f.difference), lang, Number.isInteger(f.difference) ? 0 : 2)} ${lang === "en" ? "pp" : "%-punt"}` : value(lang, Math.abs(f.difference), f.unit)}`, tier: "derived" },
      { text: f.location, lang: "en" },
    ],
  }));
  return [
    h("p", {}, lang === "en"
      ? `The engine checks ${count(r.checks, lang)} relations between the printed numbers (shares against their counts, rows against totals, cohorts against both, text against tables). These disagree:`
      : `De rekenkern controleert ${count(r.checks, lang)} verbanden tussen de gedrukte getallen (aandelen tegen hun aantallen, rijen tegen totalen, cohorten tegen het totaal, tekst tegen tabellen). Deze kloppen niet:`),
    table(lang, {
      caption: lang === "en" ? "Inconsistencies in the published numbers (the location cites page and line of the report's text)." : "Inconsistenties in de gepubliceerde cijfers (de plaats noemt pagina en regel van de rapporttekst).",
      class: "data-table findings",
      columns: [
        { label: "Id" },
        { label: lang === "en" ? "Check" : "Controle" },
        { label: lang === "en" ? "Printed" : "Gedrukt", numeric: true },
        { label: lang === "en" ? "Recomputed" : "Herberekend", numeric: true },
        { label: lang === "en" ? "Difference" : "Verschil", numeric: true },
        { label: lang === "en" ? "Where" : "Plaats" },
      ],
      rows,
    }),
  ];
}
