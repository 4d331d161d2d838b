// Key figures: the message of the view in five cards, first on every screen — the
// success share, the programme against its payment targets (the 28-month result
// measurement), the duration, the wage sanctions and the printed numbers that do not
// add up. Every number is the engine's, a data-metric with its unrounded value.
import { h, missingNote, num } from "../dom.js";
import { count, number, percent, points, pValue } from "../format.js";
import { t } from "../i18n.js";
import { cohortLong, columnOf, definitionLabel, levelLabel, warningNotes } from "./common.js";

const metricNum = (lang, metrics, name, text, tier, source) => num(lang, text, { tier, source, metric: name, value: metrics[name] });

function card(id, title, big, ...body) {
  return h("li", { class: `key-card key-${id}`, dataset: { key: id } }, h("h3", { class: "key-title" }, title), h("p", { class: "key-big" }, big), ...body);
}

/** The custom definition with no cause ticked: every share would be 0 by construction. */
export function noSuccessCause(state, response) {
  return state.def === "custom" && (response?.state?.success_causes ?? state.causes).length === 0;
}

function interval(lang, state, share, metric) {
  const bound = (x, name) => h("span", { dataset: { metric: `${metric}.${name}`, value: String(x ?? "") } }, number(x === null || x === undefined ? null : x * 100, lang, 1));
  return h("span", { class: "interval" }, `${levelLabel(state)}-${lang === "en" ? "CI" : "BI"} `, bound(share.lower, "lower"), "–", bound(share.upper, "upper"), "%");
}

function successCard({ lang, state, response }) {
  const en = lang === "en";
  const cohort = response.outflow.cohorts.find((c) => c.cohort === state.cohort);
  const title = en ? "Successful outflow" : "Succesvolle uitstroom";
  if (noSuccessCause(state, response)) {
    return card("success", title, num(lang, "—", { metric: "outflow.success_share", value: null }), h("p", { class: "notice-inline", dataset: { notice: "no-cause" } }, t(lang, "controls.no_cause")));
  }
  if (cohort.withheld) {
    return card("success", title, num(lang, "—", { metric: "outflow.success_share", value: null }), h("p", { class: "notice-inline" }, t(lang, "withheld.share")));
  }
  const share = cohort.success_share;
  return card(
    "success",
    title,
    metricNum(lang, response.metrics ?? {}, "outflow.success_share", percent(share.estimate, lang), share.tier ?? "derived"),
    h(
      "p",
      {},
      en ? "of the outflow that counts, " : "van de uitstroom die telt, ",
      num(lang, `${count(cohort.successes, lang)} ${en ? "of" : "van"} ${count(cohort.successes + cohort.failures, lang)}`, { tier: "derived" }),
      " (",
      interval(lang, state, share, "outflow.success_share"),
      ")",
    ),
  );
}

function targetsCard({ lang, response }) {
  const en = lang === "en";
  const r = response.duration?.result_measurement;
  const title = en ? "Result measurement against the payment targets" : "Resultaatmeting tegenover de betalingsdoelen";
  if (!r && response.publication) return card("targets", title, num(lang, "—", { metric: "duration.result_28m", value: null }), ...warningNotes(lang, response, ["withheld_cells", "duration_unavailable"]).slice(0, 1));
  if (!r) return card("targets", title, missingNote(lang, ""));
  const targets = response.targets ?? {};
  const metrics = response.metrics ?? {};
  const months = number(r.months_after_sickness, lang, 0);
  const standing = (gap, target, years, source) => {
    const above = gap >= 0;
    return h(
      "li",
      { class: above ? "target-met" : "target-missed", dataset: { target: years } },
      h("span", { class: "target-mark", "aria-hidden": "true" }, above ? "▲" : "▼"),
      " ",
      en ? `${above ? "above" : "below"} the ${years}-year target of ` : `${above ? "boven" : "onder"} het doel na ${years} jaar van `,
      num(lang, percent(target, lang, Number.isInteger(target * 100) ? 0 : 1), { tier: "published", source }),
      ` (${points(gap, lang)})`,
    );
  };
  // A bar from 0 to 100 %: the result, and a tick at each target (drawing, no statistics).
  const pct = (x) => `${Math.max(0, Math.min(100, x * 100))}%`;
  const bar = h(
    "div",
    { class: "target-bar", "aria-hidden": "true" },
    h("span", { class: "target-fill", style: `width: ${pct(r.success_share)}` }),
    [r.target_2y, r.target_4y].map((x, i) => h("span", { class: "target-tick", style: `left: ${pct(x)}` }, h("span", { class: "target-tick-label" }, `${i === 0 ? 2 : 4} ${en ? "yr" : "jr"}`))),
  );
  return card(
    "targets",
    title,
    metricNum(lang, metrics, "duration.result_28m", percent(r.success_share, lang), "reconstructed"),
    h("p", {}, en ? `of the participants successful ${months} months after their first day of sickness (payment definition: result measurement)` : `van de deelnemers succesvol ${months} maanden na de eerste ziektedag (betalingsdefinitie: resultaatmeting)`),
    bar,
    h("ul", { class: "target-standing" }, standing(r.gap_2y, r.target_2y, 2, targets.two_years?.source), standing(r.gap_4y, r.target_4y, 4, targets.four_years?.source)),
    ...warningNotes(lang, response, ["beyond_follow_up"]),
  );
}

function durationCard({ lang, response }) {
  const en = lang === "en";
  const metrics = response.metrics ?? {};
  const d12 = metrics["duration.success_cif_12m"];
  const d24 = metrics["duration.success_cif_24m"];
  const median = metrics["duration.median_months"];
  const title = en ? "Duration to outflow" : "Duur tot uitstroom";
  if (d12 === undefined && response.publication) return card("duration", title, num(lang, "—", { metric: "duration.median_months", value: null }), ...warningNotes(lang, response, ["duration_unavailable"]).slice(0, 1));
  if (d12 === undefined) return card("duration", title, missingNote(lang, t(lang, "section.duration")));
  const tier = response.duration?.tier ?? "reconstructed";
  const pct = (name, x) => (x === null
    ? num(lang, en ? "not yet known (beyond the follow-up)" : "nog niet bekend (na de follow-up)", { tier: tier, metric: name, value: null })
    : metricNum(lang, metrics, name, percent(x, lang), tier));
  const big = median === null || median === undefined
    ? num(lang, en ? "median not reached" : "mediaan niet bereikt", { tier: tier, metric: "duration.median_months", value: null })
    : [metricNum(lang, metrics, "duration.median_months", number(median, lang, 1), tier), h("span", { class: "key-unit" }, en ? " months (median)" : " maanden (mediaan)")];
  return card(
    "duration",
    title,
    big,
    h("p", {}, en ? "until half had flowed out; successful after one year " : "tot de helft is uitgestroomd; succesvol na één jaar ", pct("duration.success_cif_12m", d12), en ? ", after two years " : ", na twee jaar ", pct("duration.success_cif_24m", d24), response.publication ? (en ? " (published duration rows)." : " (gepubliceerde duurgegevens).") : en ? " (reconstructed figure 3.2)." : " (gereconstrueerde figuur 3.2)."),
  );
}

function sanctionsCard({ lang, state, response }) {
  const en = lang === "en";
  const metrics = response.metrics ?? {};
  const sanction = response.sanctions.columns.find((c) => c.column === columnOf(state.cohort));
  if (!sanction) return null;
  if (sanction.withheld) {
    return card("sanctions", en ? "Wage sanctions" : "Loonsancties", num(lang, "—", { metric: "sanctions.share", value: null }), h("p", { class: "notice-inline" }, t(lang, "withheld_cells.short")));
  }
  const pre = response.sanctions.pre_sib_rate;
  return card(
    "sanctions",
    en ? "Wage sanctions" : "Loonsancties",
    metricNum(lang, metrics, "sanctions.share", percent(metrics["sanctions.share"], lang), "derived"),
    h(
      "p",
      {},
      en ? "of the participants (" : "van de deelnemers (",
      num(lang, `${count(sanction.share.successes, lang)} ${en ? "of" : "van"} ${count(sanction.share.trials, lang)}`, { tier: sanction.counts_tier ?? "published", source: sanction.source }),
      en ? "), against about " : "), tegen ongeveer ",
      num(lang, percent(pre?.value, lang), { tier: "published", source: pre?.source }),
      en ? " before the SIB (p " : " vóór de SIB (p ",
      pValue(sanction.against_pre_sib?.p_value, lang),
      ").",
    ),
  );
}

function reconciliationCard({ lang, response }) {
  const findings = response.reconciliation?.findings?.length ?? 0;
  if (!findings) return null;
  const en = lang === "en";
  return card(
    "reconciliation",
    en ? "Printed numbers that do not add up" : "Gedrukte getallen die niet kloppen",
    num(lang, count(findings, lang), { tier: "derived" }),
    h("p", {}, en ? `of ${count(response.reconciliation.checks, lang)} checks; ` : `van ${count(response.reconciliation.checks, lang)} controles; `, h("a", { href: "#reconciliation" }, en ? "see the check" : "zie de controle"), "."),
  );
}

export function drawSummary(context) {
  const { lang, state, response } = context;
  const en = lang === "en";
  const unknownText = t(lang, `unknown.${state.unknown}.phrase`);
  const view = h(
    "p",
    { class: "key-view" },
    en ? "Under " : "Volgens ",
    h("strong", {}, definitionLabel(lang, state)),
    ` (${unknownText}), ${cohortLong(lang, state.cohort)}.`,
  );
  const cards = [successCard(context), targetsCard(context), durationCard(context), sanctionsCard(context), reconciliationCard(context)].filter(Boolean);
  return [view, h("ul", { class: "key-figures", role: "list" }, cards)];
}
