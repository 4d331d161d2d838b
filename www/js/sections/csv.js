// The header of every CSV download: what the numbers are and under which view.
import { t } from "../i18n.js";
import { columnLabel, definitionLabelOf } from "../package.js";
import { toQuery } from "../state.js";

export function csvHeader({ lang, state, version, response }, title) {
  const en = lang === "en";
  const rs = response?.state ?? {};
  return [
    [en ? "table" : "tabel", title],
    [en ? "definition" : "definitie", `${definitionLabelOf(lang, state.def) ?? t(lang, `def.${state.def}`)}${rs.success_causes ? ` (${rs.success_causes.join(", ")})` : ""}`],
    [en ? "unknown cause" : "onbekende oorzaak", t(lang, `unknown.${state.unknown}`)],
    ["cohort", columnLabel(lang, state.cohort)],
    [en ? "confidence level" : "betrouwbaarheid", String(state.level)],
    ["seed", String(state.seed)],
    [en ? "bootstrap replicates" : "bootstrap-replicaties", String(state.reps)],
    [en ? "engine version" : "versie rekenkern", `sibstat ${version}`],
    [en ? "view" : "weergave", toQuery(state) || "?"],
    [en ? "source" : "bron", "SEO Economisch Onderzoek (2022), SIB Joining Forces, eerste tussenrapportage, hoofdstuk 3"],
  ];
}
