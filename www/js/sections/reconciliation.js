// The reconciliation: where the published numbers disagree with their own counts or
// with each other (an independent check the report itself recommends). Each finding
// shows its arithmetic from the engine's operands (527 − 74 − 8 = 445, printed 450) and
// where the printed number stands; the findings' ids go to the CSV only.
import { h, sourceText, table } from "../dom.js";
import { downloadBar } from "../downloads.js";
import { count, csvNumber, number } from "../format.js";
import { t } from "../i18n.js";
import { csvHeader } from "./csv.js";

const CHECKS = {
  percent_of_base: ["aandeel van de basis", "share of its base"],
  total_percent: ["totaal moet 100% zijn", "total must be 100%"],
  rows_sum_to_total: ["rijen tellen op tot het totaal", "rows add up to the total"],
  columns_sum_to_total: ["cohorten tellen op tot het totaal", "cohorts add up to the total"],
  total_equals_row: ["totaal gelijk aan een rij", "total equals a row"],
  sum: ["som", "sum"],
  equal: ["zelfde getal op twee plaatsen", "same number in two places"],
  at_most: ["kan niet groter zijn", "cannot be larger"],
  stars: ["sterren tegen de tekst", "stars against the text"],
  share: ["aandeel van de basis", "share of its base"],
};

function value(lang, x, unit) {
  const digits = Number.isInteger(x) ? 0 : 2;
  const text = unit === "count" ? count(x, lang) : number(x, lang, digits);
  return unit === "percent" ? `${text}%` : text;
}

/** The computation of a finding in words and symbols, from the engine's operands. */
export function arithmetic(lang, f) {
  const ops = f.operands ?? [];
  const printed = value(lang, f.printed, f.unit);
  const computed = value(lang, f.computed, f.unit);
  const en = lang === "en";
  const printedWord = en ? "printed" : "gedrukt";
  const plain = (x) => (Number.isInteger(x) ? count(x, lang) : number(x, lang, 1));
  const count_ = ops.find((o) => o.role === "count");
  const base = ops.find((o) => o.role === "base");
  if (count_ && base) return `${plain(count_.value)} / ${plain(base.value)} = ${computed}; ${printedWord} ${printed}`;
  const terms = ops.filter((o) => o.role === "plus" || o.role === "minus");
  if (terms.length) {
    const text = terms.map((o, i) => (i === 0 ? (o.role === "minus" ? `−${plain(o.value)}` : plain(o.value)) : `${o.role === "minus" ? "−" : "+"} ${plain(o.value)}`)).join(" ");
    return `${text} = ${computed}; ${printedWord} ${printed}`;
  }
  const compared = ops.find((o) => o.role === "compared");
  if (f.check === "at_most") return `${printed} > ${compared ? value(lang, compared.value, f.unit) : computed}`;
  if (f.check === "total_percent") return `${printed} ≠ 100%`;
  if (f.check === "stars") return en ? `text ${printed}, stars mean ${computed}` : `tekst ${printed}, sterren betekenen ${computed}`;
  return `${printed} ≠ ${computed}`;
}

function difference(lang, f) {
  const sign = f.difference > 0 ? "+" : f.difference < 0 ? "−" : "";
  if (f.unit === "percent") return `${sign}${number(Math.abs(f.difference), lang, Number.isInteger(f.difference) ? 0 : 2)} ${lang === "en" ? "pp" : "%-punt"}`;
  return `${sign}${value(lang, Math.abs(f.difference), f.unit)}`;
}

export function drawReconciliation(context) {
  const { lang, response } = context;
  const r = response.reconciliation;
  const i = lang === "en" ? 1 : 0;
  const rows = r.findings.map((f) => ({
    dataset: { finding: f.id },
    cells: [
      { header: true, text: CHECKS[f.check]?.[i] ?? f.check },
      { node: h("span", { class: "arith" }, arithmetic(lang, f)) },
      { text: `${value(lang, f.printed, f.unit)}${f.approx ? " ≈" : ""}`, tier: "published" },
      { text: value(lang, f.computed, f.unit), tier: "derived" },
      { text: difference(lang, f), tier: "derived" },
      { text: f.source ? sourceText(lang, f.source) : "—" },
    ],
  }));
  const csv = () => ({
    lang,
    header: csvHeader(context, lang === "en" ? "Inconsistencies in the published numbers" : "Inconsistenties in de gepubliceerde cijfers"),
    columns: [
      { key: "id", label: "id" },
      { key: "check", label: lang === "en" ? "check" : "controle" },
      { key: "arithmetic", label: lang === "en" ? "arithmetic" : "berekening" },
      { key: "printed", label: lang === "en" ? "printed" : "gedrukt" },
      { key: "computed", label: lang === "en" ? "recomputed" : "herberekend" },
      { key: "difference", label: lang === "en" ? "difference" : "verschil" },
      { key: "unit", label: lang === "en" ? "unit" : "eenheid" },
      { key: "where", label: lang === "en" ? "where" : "plaats" },
    ],
    rows: r.findings.map((f) => ({
      id: f.id,
      check: CHECKS[f.check]?.[i] ?? f.check,
      arithmetic: arithmetic(lang, f),
      printed: csvNumber(f.printed, lang),
      computed: csvNumber(f.computed, lang),
      difference: csvNumber(f.difference, lang),
      unit: f.unit,
      where: f.source ? sourceText(lang, f.source) : "",
    })),
  });
  const checked = lang === "en"
    ? `The engine checks ${count(r.checks, lang)} relations between the printed numbers (shares against their counts, rows against totals, cohorts against both, text against tables).`
    : `De rekenkern controleert ${count(r.checks, lang)} verbanden tussen de gedrukte getallen (aandelen tegen hun aantallen, rijen tegen totalen, cohorten tegen het totaal, tekst tegen tabellen).`;
  // Nothing to list: say so rather than show an empty table.
  if (r.findings.length === 0) {
    return [h("p", { class: "no-findings" }, `${checked} ${lang === "en" ? "All of them hold." : "Ze kloppen allemaal."}`)];
  }
  return [
    h("p", {}, lang === "en"
      ? `The engine checks ${count(r.checks, lang)} relations between the printed numbers (shares against their counts, rows against totals, cohorts against both, text against tables). These ${count(r.findings.length, lang)} disagree:`
      : `De rekenkern controleert ${count(r.checks, lang)} verbanden tussen de gedrukte getallen (aandelen tegen hun aantallen, rijen tegen totalen, cohorten tegen het totaal, tekst tegen tabellen). Deze ${count(r.findings.length, lang)} kloppen niet:`),
    table(lang, {
      caption: lang === "en" ? "Inconsistencies in the published numbers: the computation from the other printed numbers, and where the printed number stands (page and line of the report's text)." : "Inconsistenties in de gepubliceerde cijfers: de berekening uit de andere gedrukte getallen, en waar het gedrukte getal staat (pagina en regel van de rapporttekst).",
      class: "data-table findings",
      columns: [
        { label: lang === "en" ? "Check" : "Controle" },
        { label: lang === "en" ? "Computation" : "Berekening" },
        { label: lang === "en" ? "Printed" : "Gedrukt", numeric: true },
        { label: lang === "en" ? "Recomputed" : "Herberekend", numeric: true },
        { label: lang === "en" ? "Difference" : "Verschil", numeric: true },
        { label: t(lang, "col.location") },
      ],
      rows,
    }),
    downloadBar(lang, lang === "en" ? "reconciliation" : "controle", { csv }),
  ];
}
