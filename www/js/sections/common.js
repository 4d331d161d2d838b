// Shared pieces of the sections: cohort keys, labels, shares with their intervals.
import { h, num } from "../dom.js";
import { count, number, percent } from "../format.js";
import { t } from "../i18n.js";
import { columnLabel, columnOfKey, definitionLabelOf, keyOfColumn } from "../package.js";

/** Column id of the package's tables for a cohort of the state (`1` → `cohort1`). */
export function columnOf(cohort) {
  return columnOfKey(cohort);
}

/** Cohort key of the state for a column id. */
export function cohortOfColumn(column) {
  return keyOfColumn(column);
}

/** A cohort's (or another column's) label, from the report package. */
export function cohortLabel(lang, cohortOrColumn) {
  return columnLabel(lang, cohortOrColumn);
}

export function definitionLabel(lang, state) {
  return (definitionLabelOf(lang, state.def) ?? t(lang, `def.${state.def}`)).toLowerCase();
}

export function levelLabel(state) {
  return `${Math.round(state.level * 100)}%`;
}

/** The label of a cause from the engine's entry (Dutch from the data file, English from the engine). */
export function causeLabel(lang, cause) {
  return (lang === "en" ? cause.label_en : cause.label_nl) ?? t(lang, `cause.${cause.id}`);
}

/**
 * A share (a `proportion` response with tier) as "40,7% (95%-BI 34,6–47,1%)", each
 * value a data-metric when named.
 */
export function shareWithInterval(lang, share, { metric, digits = 1 } = {}) {
  if (!share || share.estimate === null || share.estimate === undefined) return num(lang, "—", { tier: share?.tier, metric, value: null });
  const bound = (x, name) => h("span", metric ? { dataset: { metric: `${metric}.${name}`, value: String(x ?? "") } } : {}, number(x === null || x === undefined ? null : x * 100, lang, digits));
  return h(
    "span",
    { class: "share" },
    num(lang, percent(share.estimate, lang, digits), { tier: share.tier ?? "derived", metric, value: share.estimate }),
    " ",
    h("span", { class: "interval" }, `(${Math.round((share.conf_level ?? 0.95) * 100)}%-${lang === "en" ? "CI" : "BI"} `, bound(share.lower, "lower"), "–", bound(share.upper, "upper"), "%)"),
  );
}

/** "130 / 179" with the published tier. */
export function fraction(lang, successes, trials, tier = "published") {
  return num(lang, `${count(successes, lang)} / ${count(trials, lang)}`, { tier });
}

/** A paragraph of section text. */
export function para(...children) {
  return h("p", {}, ...children);
}

/** A figure caption note on the tiers of a section. */
export function tierNote(lang, tiers) {
  return h("p", { class: "tier-note" }, tiers.map((tier) => h("span", { class: "tier-key" }, h("abbr", { class: `tier tier-${tier}` }, t(lang, `tier.${tier}.abbr`)), " ", t(lang, `tier.${tier}`))));
}
