// Notices about the view as a whole: one combined notice for a link whose parameters
// were not understood (naming the value used instead), and the engine's refusal or
// warnings that no section places beside the numbers they qualify (one notice per code).
// The engine's own words are behind a "technical detail" disclosure.
import { h } from "../dom.js";
import { count } from "../format.js";
import { engineError, engineWarning, t } from "../i18n.js";
import { definitionLabelOf } from "../package.js";
import { causeLabel, cohortLabel, engineNote, technicalDetail } from "./common.js";

/** Warning codes that a section shows beside the numbers they qualify. */
export const PLACED_WARNINGS = new Set([
  "beyond_follow_up",
  "median_not_reached",
  "duration_unavailable",
  "statistic_undefined",
  "logit_not_fitted",
  "complete_separation",
  "quasi_complete_separation",
  "not_converged",
]);

/** The value a parameter has now (the default that replaced the bad one), in words. */
function usedValue(lang, param, state, response) {
  switch (param) {
    case "lang":
      return state.lang === "en" ? "English" : "Nederlands";
    case "def":
      return definitionLabelOf(lang, state.def) ?? t(lang, `def.${state.def}`);
    case "unknown":
      return t(lang, `unknown.${state.unknown}`);
    case "cohort":
      return cohortLabel(lang, state.cohort);
    case "causes":
      return state.causes.map((id) => causeLabel(lang, { id })).join(", ");
    case "level":
      return `${Math.round(state.level * 100)}%`;
    case "ci":
      return t(lang, `ci.${state.ci}`);
    case "reps":
      return count(state.reps, lang);
    case "seed":
      return String(state.seed);
    case "naive":
      return state.naive ? t(lang, "yes") : t(lang, "no");
    default:
      return null;
  }
}

/**
 * One notice for every parameter of the link that was not understood, each with the
 * value used instead; `dismiss()` removes it.
 */
export function drawUrlNotice(box, lang, notices, state, response, dismiss) {
  if (!notices.length) {
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  const items = notices.map((n) => {
    const used = usedValue(lang, n.param, state, response);
    return h("li", { dataset: { param: n.param } }, used === null ? t(lang, "notice.url_unknown", n) : t(lang, "notice.url_item", { ...n, used: t(lang, "notice.default", { value: used }) }));
  });
  box.replaceChildren(
    h(
      "div",
      { class: "notice", role: "status", dataset: { notice: "url" } },
      h("p", {}, t(lang, notices.length === 1 ? "notice.url" : "notice.url_many", { count: notices.length })),
      h("ul", {}, items),
      h("p", { class: "detail" }, t(lang, "notice.url_cleaned"), " ", h("button", { type: "button", class: "link-button", onclick: dismiss }, t(lang, "notice.dismiss"))),
    ),
  );
  box.hidden = false;
}

/** The engine's refusal, and its warnings that no section places. */
export function drawEngineMessages(box, lang, error, response) {
  const items = [];
  if (error) {
    const e = engineError(lang, error);
    items.push(h("div", { class: "engine-error", role: "alert", dataset: { code: e.code } }, h("strong", {}, `${t(lang, "error.title")}: `), e.text, " ", t(lang, "error.kept"), " ", technicalDetail(lang, `${e.code}: ${e.detail}`)));
  }
  const warnings = (response?.warnings ?? []).filter((w) => !PLACED_WARNINGS.has(w.code));
  // One notice per code: the reader's sentence once, every engine message behind it.
  const byCode = new Map();
  for (const w of warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
  if (byCode.size) {
    const notes = [...byCode.values()].map((list) => {
      const note = engineWarning(lang, list[0]);
      return engineNote(lang, { ...note, detail: list.map((w) => w.message).join(" · ") }, { tag: "li", className: "engine-note" });
    });
    items.push(h("div", { class: "engine-warnings" }, h("p", {}, h("strong", {}, t(lang, "messages.title"))), h("ul", {}, notes)));
  }
  box.replaceChildren(...items);
  box.hidden = items.length === 0;
}
