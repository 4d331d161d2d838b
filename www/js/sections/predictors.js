// Tables 3.3 and 3.5 as published (marginal effects with their stars), and the logits
// that the published cross-tables support, fitted by the engine for the current view.
import { h, table } from "../dom.js";
import { count, interval, number, pValue } from "../format.js";
import { t } from "../i18n.js";
import { levelLabel, warningNotes } from "./common.js";

const TERMS_EN = {
  age: "Age at entry", age_sq: "Age squared",
  branch_marechaussee: "Royal Marechaussee", branch_landmacht: "Army", branch_luchtmacht: "Air Force", branch_marine: "Navy",
  risk_none: "No risk of a wage sanction", risk_low: "Low risk of a wage sanction", risk_high: "High risk of a wage sanction",
  sickness_duration: "Sickness duration at entry", sickness_duration_sq: "Sickness duration at entry, squared",
  time_to_intervention: "Time to first intervention", time_to_intervention_sq: "Time to first intervention, squared",
  business_cycle: "Business cycle (ln employed/unemployed)",
};
const THEMES_EN = {
  Leeftijd: "Age", Instroommoment: "Entry moment", "Instroommoment tot deelname": "Entry to participation", "Economische situatie": "Economic situation",
  "Defensieonderdeel (t.o.v. Staf)": "Branch (vs. Staff)", "Defensieonderdeel (t.o.v. Staff)": "Branch (vs. Staff)", "Risico op loonsanctie (t.o.v. midden)": "Risk of a wage sanction (vs. medium)",
};
const COLUMNS_EN = {
  success_1y: "Successful outflow within one year", all: "All participants", cohort1: "Cohort 1", cohort2: "Cohort 2", within_28m: "Within 2 years and 4 months",
};
const TITLES_EN = {
  "3.3": "Predictors of successful outflow from the SIB Joining Forces",
  "3.5": "Predictors of receiving a wage sanction",
};

function publishedTable(lang, entry) {
  const m = entry.table;
  let theme = null;
  const rows = m.rows.map((row) => {
    const first = row.theme !== theme;
    theme = row.theme;
    return {
      class: first ? "block-start" : null,
      cells: [
        first ? { header: true, text: lang === "en" ? (THEMES_EN[row.theme] ?? row.theme) : row.theme, class: "theme" } : { text: "", class: "theme" },
        { header: true, text: lang === "en" ? (TERMS_EN[row.id] ?? row.label) : row.label },
        ...m.columns.map((c) => {
          const cell = row.cells[c.id];
          return { text: lang === "nl" ? cell.printed : cell.printed.replace(",", "."), tier: "published", source: { table: m.table, page: m.page, line: row.line } };
        }),
      ],
    };
  });
  rows.push({
    class: "total",
    cells: [{ text: "" }, { header: true, text: lang === "en" ? "Observations" : m.n_obs.label }, ...m.columns.map((c) => ({ text: count(m.n_obs.cells[c.id], lang), tier: "published" }))],
  });
  return table(lang, {
    caption: `${lang === "en" ? "Table" : "Tabel"} ${m.table} ${lang === "en" ? TITLES_EN[m.table] ?? m.title : m.title} (p. ${m.page}). ${lang === "en" ? "Marginal effects in percentage points as printed; * p < 0.10, ** p < 0.05, *** p < 0.01." : "Marginale effecten in procentpunten zoals gedrukt; * p < 0,10, ** p < 0,05, *** p < 0,01."}`,
    class: "data-table",
    columns: [{ label: t(lang, "col.theme") }, { label: t(lang, "col.term") }, ...m.columns.map((c) => ({ label: lang === "en" ? COLUMNS_EN[c.id] ?? c.label : c.label, numeric: true }))],
    rows,
  });
}

const LOGIT_LABELS = {
  success_on_cohort_outflow: ["Succes naar cohort, onder de uitstroom (tabel 3.2)", "Success on cohort, among the outflow (table 3.2)"],
  success_on_cohort_participants: ["Succes naar cohort, onder alle deelnemers (tabel 3.2)", "Success on cohort, among all participants (table 3.2)"],
  sanction_on_cohort: ["Loonsanctie naar cohort (tabel 3.4)", "Wage sanction on cohort (table 3.4)"],
};

function logitTable(lang, state, logits) {
  const rows = logits.map((l) => {
    const label = LOGIT_LABELS[l.id]?.[lang === "en" ? 1 : 0] ?? l.label;
    const me = l.response?.marginal_effects?.find((m) => m.term !== "intercept");
    if (!me) return { cells: [{ header: true, text: label }, { text: "—", colspan: 5 }] };
    return {
      dataset: { logit: l.id },
      cells: [
        { header: true, text: label },
        { text: `${number(me.dydx * 100, lang, 1)}${me.stars ?? ""}`, tier: l.tier },
        { text: interval(me.lower * 100, me.upper * 100, lang, 1), tier: l.tier },
        { text: pValue(me.p_value, lang), tier: l.tier },
        { text: count(l.response.n_obs, lang), tier: l.tier },
        { text: pValue(l.response.lr_p_value, lang), tier: l.tier },
      ],
    };
  });
  return table(lang, {
    caption: lang === "en"
      ? `Logits that the published cross-tables support: the average marginal effect of cohort 2 against cohort 1, in percentage points (delta-method ${levelLabel(state)} CI; stars as in the report). The report's models use individual data that is not published; their terms cannot be re-estimated here.`
      : `Logits die de gepubliceerde kruistabellen toelaten: het gemiddelde marginale effect van cohort 2 ten opzichte van cohort 1, in procentpunten (${levelLabel(state)}-BI via de deltamethode; sterren als in het rapport). De modellen van het rapport gebruiken individuele gegevens die niet gepubliceerd zijn; hun termen zijn hier niet opnieuw te schatten.`,
    class: "data-table",
    columns: [
      { label: lang === "en" ? "Model" : "Model" },
      { label: lang === "en" ? "Effect (pp)" : "Effect (%-punt)", numeric: true },
      { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true },
      { label: "p", numeric: true },
      { label: lang === "en" ? "Observations" : "Waarnemingen", numeric: true },
      { label: lang === "en" ? "LR test p" : "LR-toets p", numeric: true },
    ],
    rows,
  });
}

export function drawPredictors({ lang, state, response }) {
  const p = response.predictors;
  return [
    h("p", {}, lang === "en"
      ? "The report estimates who is more likely to flow out successfully within one year (table 3.3) and who receives a wage sanction (table 3.5) with logits on individual data. Those tables are shown as printed; the engine fits the logits the published cross-tables allow."
      : "Het rapport schat met logitmodellen op individuele gegevens wie een grotere kans heeft op succesvolle uitstroom binnen één jaar (tabel 3.3) en wie een loonsanctie krijgt (tabel 3.5). Die tabellen staan hieronder zoals gedrukt; de rekenkern schat de logits die de gepubliceerde kruistabellen toelaten."),
    ...p.published.map((entry) => publishedTable(lang, entry)),
    logitTable(lang, state, p.logits ?? []),
    ...warningNotes(lang, response, ["logit_not_fitted", "separation", "quasi_separation", "complete_separation", "quasi_complete_separation", "not_converged"]),
  ];
}
