// Section 3.5, well-being: the survey's response (the scores of figures 3.3 and 3.4
// are published only as pictures, not as numbers).
import { h, num } from "../dom.js";
import { count, printedPercent } from "../format.js";
import { shareWithInterval } from "./common.js";
import { t } from "../i18n.js";

export function drawWellbeing({ lang, response }) {
  const w = response.wellbeing;
  if (!w) return [h("p", {}, t(lang, "wellbeing.none"))];
  return [
    h(
      "p",
      {},
      lang === "en"
        ? ["Of the ", num(lang, count(w.invited.value, lang), { tier: "published", source: w.invited.source }), " participants invited to the survey, ", num(lang, count(w.respondents.value, lang), { tier: "published", source: w.respondents.source }), " responded: the report prints ", num(lang, printedPercent(w.response_percent.value, lang), { tier: "published", source: w.response_percent.source }), ", recomputed ", shareWithInterval(lang, w.response_share, { metric: "wellbeing.response_share" }), "."]
        : ["Van de ", num(lang, count(w.invited.value, lang), { tier: "published", source: w.invited.source }), " voor de enquête benaderde deelnemers hebben er ", num(lang, count(w.respondents.value, lang), { tier: "published", source: w.respondents.source }), " gerespondeerd: het rapport noemt ", num(lang, printedPercent(w.response_percent.value, lang), { tier: "published", source: w.response_percent.source }), ", herberekend ", shareWithInterval(lang, w.response_share, { metric: "wellbeing.response_share" }), "."],
    ),
    h(
      "p",
      { class: "method-note" },
      lang === "en"
        ? "Figures 3.3 (well-being by phase, scale 1–5) and 3.4 (experienced health) are published only as pictures; their numbers are not in the report's text, so they are not reproduced here. With a response of about a quarter, and one measurement only, the scores describe respondents, not all participants."
        : "Figuur 3.3 (welbevinden per fase, schaal 1–5) en 3.4 (ervaren gezondheid) zijn alleen als afbeelding gepubliceerd; hun cijfers staan niet in de tekst en worden hier dus niet nagebootst. Bij een respons van ongeveer een kwart en één meting beschrijven de scores de respondenten, niet alle deelnemers.",
    ),
  ];
}
