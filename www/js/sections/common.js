// Shared pieces of the sections: cohort keys, labels, shares with their intervals.
import { h, num } from "../dom.js";
import { count, number, percent } from "../format.js";
import { t } from "../i18n.js";

/** Column id of tables 3.1, 3.2 and 3.4 for a cohort of the state. */
export function columnOf(cohort) {
  return cohort === "1" ? "cohort1" : cohort === "2" ? "cohort2" : "all";
}

/** Cohort key of the state for a column id. */
export function cohortOfColumn(column) {
  return column === "cohort1" ? "1" : column === "cohort2" ? "2" : column;
}

export function cohortLabel(lang, cohortOrColumn) {
  const key = cohortOfColumn(cohortOrColumn);
  return key === "min2y" ? t(lang, "cohort.min2y") : t(lang, `cohort.${key}`);
}

export function definitionLabel(lang, state) {
  return t(lang, `def.${state.def}`).toLowerCase();
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
