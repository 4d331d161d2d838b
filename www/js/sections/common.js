// Shared pieces of the sections: cohort keys, labels, shares with their intervals.
import { h, num } from "../dom.js";
import { count, number, percent } from "../format.js";
import { engineWarning, t } from "../i18n.js";

/** Column id of tables 3.1, 3.2 and 3.4 for a cohort of the state. */
export function columnOf(cohort) {
  return cohort === "1" ? "cohort1" : cohort === "2" ? "cohort2" : "all";
}

/** Cohort key of the state for a column id. */
export function cohortOfColumn(column) {
  return column === "cohort1" ? "1" : column === "cohort2" ? "2" : column;
}

/** A {nl, en} label (the report package's) in the reader's language, or undefined. */
export function localized(lang, label) {
  if (!label) return undefined;
  if (typeof label === "string") return label;
  return label[lang] ?? label.nl ?? label.en;
}

/**
 * The cohorts the view can show, from the report package in the engine's response
 * (its cohorts, then "all"): [{key, column, label, long}]. Before the engine gives a
 * package, the cohorts of the response's outflow section.
 */
export function cohortChoices(lang, response) {
  const pkg = response?.package;
  if (pkg?.cohorts) {
    return [...pkg.cohorts, pkg.all].filter(Boolean).map((c) => ({ key: c.key, column: c.id, label: localized(lang, c.label), long: localized(lang, c.long_label) ?? localized(lang, c.label) }));
  }
  const keys = response?.outflow?.cohorts?.map((c) => c.cohort) ?? [];
  const ordered = [...keys.filter((k) => k !== "all"), ...keys.filter((k) => k === "all")];
  return ordered.map((key) => ({ key, column: columnOf(key), label: t(lang, `cohort.${key}`), long: t(lang, `cohort.${key}.long`) }));
}

export function cohortLabel(lang, cohortOrColumn, response = null) {
  const key = cohortOfColumn(cohortOrColumn);
  const fromPackage = response?.package
    ? [...(response.package.cohorts ?? []), response.package.all, ...(response.package.columns ?? [])].find((c) => c && (c.id === cohortOrColumn || c.key === key))
    : null;
  if (fromPackage) return localized(lang, fromPackage.label);
  return key === "min2y" ? t(lang, "cohort.min2y") : t(lang, `cohort.${key}`);
}

/** The long label of the state's cohort ("cohort 1 en 2 (juli 2019 – juli 2021)"). */
export function cohortLong(lang, response, key) {
  return cohortChoices(lang, response).find((c) => c.key === key)?.long ?? t(lang, `cohort.${key}.long`);
}

/** The definition as a phrase: "de effectmeting", "the result measurement", "your own definition". */
export function definitionLabel(lang, state, response = null) {
  const fromPackage = response?.package?.definitions?.find((d) => d.id === state.def);
  if (fromPackage) return `${lang === "en" ? "the" : "de"} ${localized(lang, fromPackage.label).toLowerCase()}`;
  return t(lang, `def.${state.def}.phrase`);
}

export function levelLabel(state) {
  return `${Math.round(state.level * 100)}%`;
}

/**
 * The label of a cause: the report package's (one name per cause, in controls, tables
 * and charts alike), else the engine's entry, else the page's translation.
 */
export function causeLabel(lang, cause, response = null) {
  const fromPackage = response?.package?.causes?.find((c) => c.id === cause.id);
  return localized(lang, fromPackage?.label) ?? (lang === "en" ? cause.label_en : cause.label_nl) ?? t(lang, `cause.${cause.id}`);
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
  return h("p", { class: "tier-note" }, tiers.map((tier) => h("span", { class: "tier-key" }, h("span", { class: `tier tier-${tier}`, "aria-hidden": "true" }, t(lang, `tier.${tier}.abbr`)), " ", t(lang, `tier.${tier}.long`))));
}

/** The engine's warnings with the given codes, in the reader's language, as notes beside what they qualify. */
export function warningNotes(lang, response, codes) {
  const warnings = (response?.warnings ?? []).filter((w) => codes.includes(w.code));
  return warnings.map((w) => engineNote(lang, engineWarning(lang, w)));
}

/** One engine notice: the reader's text, the engine's own words behind "technical detail". */
export function engineNote(lang, w, { tag = "p", className = "notice-inline engine-note" } = {}) {
  return h(tag, { class: className, dataset: { code: w.code } }, w.text, " ", technicalDetail(lang, `${w.code}: ${w.detail}`));
}

/** A closed disclosure with the engine's code and English message. */
export function technicalDetail(lang, text) {
  if (!text) return null;
  return h("details", { class: "tech-detail" }, h("summary", {}, t(lang, "tech.detail")), h("code", { lang: "en" }, text));
}
