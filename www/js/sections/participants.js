// Table 3.1, participants: the published shares and counts of the current cohort,
// each printed share beside the engine's recomputation (count / base).
import { sourceText, table } from "../dom.js";
import { percent, printedPercent } from "../format.js";
import { t } from "../i18n.js";
import { cohortLabel, columnOf, countCell, withheldNote } from "./common.js";

const THEMES_EN = {
  age: "Age at entry",
  branch: "Branch of Defence",
  sickness_duration: "Sickness duration at entry",
  interventions: "Participation in interventions",
};

const LABELS_EN = {
  "18_24": "18–24 years", "25_34": "25–34 years", "35_44": "35–44 years", "45_54": "45–54 years", "55_plus": "55 years or older",
  staff: "Staff", marechaussee: "Royal Marechaussee", landmacht: "Army", luchtmacht: "Air Force", marine: "Navy",
  "0_6m": "0–0.5 years", "6_12m": "0.5–1 year", "12_18m": "1–1.5 years", "18_24m": "1.5–2 years",
  life_goals: "Life Goals", jump_movement: "Jump Movement", reveal: "Reveal", place_train: "Place & Train", none: "No intervention",
};

/** Label of a row of a published table in the reader's language. */
export function rowLabel(lang, block, row) {
  if (lang === "nl") return row.label;
  if (row.id === "unknown") return block === "sickness_duration" ? "unknown (note a)" : "unknown";
  return LABELS_EN[row.id] ?? row.label;
}

export function themeLabel(lang, block) {
  return lang === "nl" ? block.label : (THEMES_EN[block.id] ?? block.label);
}

/** Findings of the reconciliation by the id of the number they concern. */
export function findingIds(response) {
  return new Set((response.reconciliation?.findings ?? []).map((f) => f.id));
}

export function drawParticipants({ lang, state, response }) {
  const p = response.participants;
  const col = columnOf(state.cohort);
  const flagged = findingIds(response);
  const rows = [];
  for (const block of p.blocks) {
    block.rows.forEach((row, i) => {
      const cell = row.cells[col];
      const flag = flagged.has(`t3_1.${block.id}.${row.id}.${col}.percent`);
      rows.push({
        class: [i === 0 ? "block-start" : "", flag ? "flagged" : ""].join(" ").trim() || null,
        cells: [
          i === 0 ? { header: true, text: themeLabel(lang, block), class: "theme" } : { text: "", class: "theme" },
          { header: true, text: rowLabel(lang, block.id, row) },
          { text: printedPercent(cell.percent_printed, lang), tier: "published", source: { table: "3.1", page: p.source.page, line: row.line } },
          countCell(lang, cell.count, cell.withheld, { table: p.source.table ?? "3.1", page: p.source.page, line: row.line }),
          { text: percent(cell.share, lang), tier: p.share_tier ?? "derived" },
        ],
      });
    });
  }
  const caption = lang === "en"
    ? `Table 3.1 Participants, ${cohortLabel(lang, col).toLowerCase()} (${sourceText(lang, p.source)}). Shares of a block without a printed total are of the cohort's participants; interventions are not exclusive.`
    : `Tabel 3.1 Samenstelling van het deelnemersbestand, ${cohortLabel(lang, col).toLowerCase()} (${sourceText(lang, p.source)}). Blokken zonder totaalrij zijn aandelen van alle deelnemers; interventies sluiten elkaar niet uit.`;
  return [
    table(lang, {
      caption,
      class: "data-table",
      columns: [
        { label: t(lang, "col.theme") },
        { label: t(lang, "col.category") },
        { label: t(lang, "col.share_published"), numeric: true },
        { label: t(lang, "col.count"), numeric: true },
        { label: t(lang, "col.share_recomputed"), numeric: true },
      ],
      rows,
    }),
    withheldNote(lang, response),
  ];
}
