// Table 3.4, wage sanctions: per column the published counts, the engine's share with
// its interval and its test against the pre-SIB rate of about one in three.
import { h, missingNote, num, table } from "../dom.js";
import { count, percent, percentInterval, points, printedPercent, pValue } from "../format.js";
import { t } from "../i18n.js";
import { cohortLabel, columnOf, countCell, levelLabel, withheldNote } from "./common.js";

export function drawSanctions({ lang, state, response }) {
  const s = response.sanctions;
  const current = columnOf(state.cohort);
  const pre = s.pre_sib_rate;
  // The printed shares of table 3.4, beside the engine's recomputation.
  const showPrinted = s.columns.some((c) => c.printed_percent !== undefined);
  const rows = s.columns.map((c) => (c.withheld ? {
    class: c.column === current ? "current" : null,
    dataset: { column: c.column },
    cells: [
      { header: true, text: cohortLabel(lang, c.column) },
      ...(showPrinted ? [{ text: printedPercent(c.printed_percent, lang), tier: "published", source: c.source }] : []),
      countCell(lang, null, "needed"),
      { text: "—" }, { text: "—" }, { text: "—" }, { text: "—" },
    ],
  } : {
    class: c.column === current ? "current" : null,
    dataset: { column: c.column },
    cells: [
      { header: true, text: cohortLabel(lang, c.column) },
      ...(showPrinted ? [{ text: printedPercent(c.printed_percent, lang), tier: "published", source: c.source }] : []),
      { text: `${count(c.share.successes, lang)} / ${count(c.share.trials, lang)}`, tier: c.counts_tier ?? "published", source: c.source },
      c.column === current
        ? { text: percent(c.share.estimate, lang), tier: c.share.tier, metric: "sanctions.share", value: response.metrics?.["sanctions.share"] ?? c.share.estimate }
        : { text: percent(c.share.estimate, lang), tier: c.share.tier },
      { text: percentInterval(c.share.lower, c.share.upper, lang), tier: c.share.tier },
      { text: points(c.against_pre_sib.difference, lang), tier: "derived" },
      { text: pValue(c.against_pre_sib.p_value, lang), tier: "derived" },
    ],
  }));
  const diff = s.cohort_difference?.test;
  return [
    h(
      "p",
      {},
      lang === "en"
        ? ["Before the SIB, UWV imposed a wage sanction in almost one in three cases (", num(lang, percent(pre.value, lang), { tier: "published", source: pre.source }), ", approximate). Every column is tested against that rate; the column 'sick for at least 2 years' is the fairest comparison, since UWV mostly decides at the end of the second year of sickness."]
        : ["Vóór de SIB legde UWV in bijna een op de drie gevallen een loonsanctie op (", num(lang, percent(pre.value, lang), { tier: "published", source: pre.source }), ", bij benadering). Elke kolom is getoetst tegen dat aandeel; de kolom ‘minimaal 2 jaar ziek’ is de eerlijkste vergelijking, omdat UWV meestal pas aan het eind van het tweede ziektejaar beslist."],
    ),
    table(lang, {
      caption: response.publication
        ? (lang === "en"
          ? "Table 3.4 Wage sanctions in the SIB: sanctions among participants, against the pre-SIB rate."
          : "Tabel 3.4 Loonsancties in de SIB: loonsancties onder de deelnemers, tegenover het aandeel vóór de SIB.")
        : lang === "en"
        ? "Table 3.4 Wage sanctions in the SIB (p. 19): sanctions among participants, against the pre-SIB rate. Column 'sick for at least 2 years': 225 + 25 = 250, not the printed total 253; the share is of 250."
        : "Tabel 3.4 Loonsancties in de SIB (p. 19): loonsancties onder de deelnemers, tegenover het aandeel vóór de SIB. Kolom ‘minimaal 2 jaar ziek’: 225 + 25 = 250, niet het gedrukte totaal 253; het aandeel is van 250.",
      class: "data-table",
      columns: [
        { label: t(lang, "controls.cohort") },
        ...(showPrinted ? [{ label: t(lang, "col.share_published"), numeric: true }] : []),
        { label: lang === "en" ? "Sanctions / participants" : "Sancties / deelnemers", numeric: true },
        { label: t(lang, "col.share_recomputed"), numeric: true },
        { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true },
        { label: lang === "en" ? "vs. pre-SIB" : "t.o.v. vóór SIB", numeric: true },
        { label: "p", numeric: true },
      ],
      rows,
    }),
    withheldNote(lang, response),
    !showPrinted
      ? missingNote(lang, lang === "en" ? "The printed shares of table 3.4" : "De gedrukte aandelen van tabel 3.4")
      : null,
    diff
      ? h("p", {}, lang === "en" ? "Cohort 1 against cohort 2: difference " : "Cohort 1 tegenover cohort 2: verschil ", num(lang, points(diff.difference, lang), { tier: "derived" }), ` (${levelLabel(state)} ${lang === "en" ? "CI" : "BI"} ${percentInterval(diff.lower, diff.upper, lang)}), p (Fisher) `, num(lang, pValue(diff.fisher_p_value, lang), { tier: "derived" }), ".")
      : null,
  ];
}
