// Shared pieces of the sections: cohort keys, labels, shares with their intervals.
import { h, num } from "../dom.js";
import { count, number, percent } from "../format.js";
import { engineWarning, t } from "../i18n.js";
import { causeLabelOf, choicesOf, columnLabel, columnOfKey, currentPackage, definitionLabelOf, keyOfColumn } from "../package.js";

/** Column id of the package's tables for a cohort of the state (`1` → `cohort1`). */
export function columnOf(cohort) {
  return columnOfKey(cohort);
}

/** Cohort key of the state for a column id. */
export function cohortOfColumn(column) {
  return keyOfColumn(column);
}

/** A {nl, en} label in the reader's language, or undefined. */
export function localized(lang, label) {
  if (!label) return undefined;
  if (typeof label === "string") return label;
  return label[lang] ?? label.nl ?? label.en;
}

/** The cohorts the view can show, from the report package: [{key, column, label, long}]. */
export function cohortChoices(lang) {
  const pkg = currentPackage();
  if (!pkg) return [];
  return choicesOf(pkg).cohorts.map((key) => ({ key, column: columnOfKey(key), label: columnLabel(lang, key), long: columnLabel(lang, key, { long: true }) }));
}

/** A cohort's (or another column's) label, from the report package. */
export function cohortLabel(lang, cohortOrColumn) {
  return columnLabel(lang, cohortOrColumn);
}

/** The long label of a cohort ("cohort 1 en 2 (juli 2019 – juli 2021)"). */
export function cohortLong(lang, key) {
  return columnLabel(lang, key, { long: true });
}

/** The definition as a phrase: "de effectmeting", "the result measurement", "your own definition". */
export function definitionLabel(lang, state) {
  const named = definitionLabelOf(lang, state.def);
  if (named) return `${lang === "en" ? "the" : "de"} ${named.toLowerCase()}`;
  return t(lang, `def.${state.def}.phrase`);
}

export function levelLabel(state) {
  return `${Math.round(state.level * 100)}%`;
}

/** The label of a cause: the report package's (one name per cause everywhere), else the engine's entry. */
export function causeLabel(lang, cause) {
  const fromPackage = currentPackage() ? causeLabelOf(lang, cause.id) : undefined;
  if (fromPackage && fromPackage !== cause.id) return fromPackage;
  return lang === "en" ? cause.label_en : cause.label_nl;
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
// A <div>, not a <p>: the technical detail is a <details>, which a paragraph cannot hold
// (the HTML parser would end the paragraph before it, so the prerendered page would not
// be the page drawn).
export function engineNote(lang, w, { tag = "div", className = "notice-inline engine-note" } = {}) {
  return h(tag, { class: className, dataset: { code: w.code } }, w.text, " ", technicalDetail(lang, `${w.code}: ${w.detail}`));
}

/** A closed disclosure with the engine's code and English message. */
export function technicalDetail(lang, text) {
  if (!text) return null;
  return h("details", { class: "tech-detail" }, h("summary", {}, t(lang, "tech.detail")), h("code", { lang: "en" }, text));
}

/** The rule a withheld cell names, in the reader's language. */
function ruleLabel(lang, rule) {
  const key = ["threshold", "secondary", "needed"].includes(rule) ? rule : "base";
  return t(lang, `withheld.rule.${key}`);
}

/**
 * A table cell for a published count: the count, or for a cell the publisher withheld
 * a dash that names the rule to a screen reader (and in its tooltip).
 */
export function countCell(lang, value, rule, source) {
  if (rule || value === null || value === undefined) {
    const label = t(lang, "withheld.cell", { rule: ruleLabel(lang, rule) });
    return { node: h("span", { class: "withheld", "aria-label": label, title: label }, "—") };
  }
  return { text: count(value, lang), tier: "published", source };
}

/** The legend of withheld cells, for a package published from microdata (else null). */
export function withheldNote(lang, response) {
  const k = response?.publication?.k;
  if (!k) return null;
  return h("p", { class: "method-note withheld-note" }, t(lang, "withheld.note", { k, k1: k - 1 }));
}
