// Key figures as plain sentences generated from the engine's numbers: the accessible
// summary of the view. Every number is a data-metric with its unrounded value.
import { h, missingNote, num } from "../dom.js";
import { count, number, percent, pValue } from "../format.js";
import { t } from "../i18n.js";
import { columnLabel } from "../package.js";
import { columnOf, definitionLabel, fraction, shareWithInterval, tierNote } from "./common.js";

const metricNum = (lang, metrics, name, text, tier) => num(lang, text, { tier, metric: name, value: metrics[name] });

export function drawSummary({ lang, state, response }) {
  const metrics = response.metrics ?? {};
  const cohort = response.outflow.cohorts.find((c) => c.cohort === state.cohort);
  const sanction = response.sanctions.columns.find((c) => c.column === columnOf(state.cohort));
  const items = [];
  const cohortText = columnLabel(lang, state.cohort, { long: true });
  const unknownText = {
    nl: { exclude: "uitstroom met onbekende oorzaak weggelaten", success: "uitstroom met onbekende oorzaak als succes geteld", failure: "uitstroom met onbekende oorzaak als geen succes geteld" },
    en: { exclude: "outflows of unknown cause left out", success: "outflows of unknown cause counted as success", failure: "outflows of unknown cause counted as failure" },
  }[lang][state.unknown];
  const share = { ...cohort.success_share };
  items.push(
    lang === "en"
      ? h("li", {}, "Under the ", h("strong", {}, definitionLabel(lang, state)), ` (${unknownText}), `, shareWithInterval(lang, share, { metric: "outflow.success_share" }), ` of the outflow of ${cohortText} was successful: `, fraction(lang, cohort.successes, cohort.successes + cohort.failures, "derived"), ".")
      : h("li", {}, "Volgens de ", h("strong", {}, definitionLabel(lang, state)), ` (${unknownText}) is `, shareWithInterval(lang, share, { metric: "outflow.success_share" }), ` van de uitstroom uit ${cohortText} succesvol: `, fraction(lang, cohort.successes, cohort.successes + cohort.failures, "derived"), "."),
  );
  const ofParticipants = cohort.success_share_of_participants;
  if (ofParticipants) {
    items.push(
      lang === "en"
        ? h("li", {}, "Of all ", num(lang, count(cohort.participants, lang), { tier: "published" }), " participants, ", shareWithInterval(lang, ofParticipants, {}), " have flowed out successfully so far; ", num(lang, count(cohort.no_outflow, lang), { tier: "published" }), " are still in the SIB.")
        : h("li", {}, "Van alle ", num(lang, count(cohort.participants, lang), { tier: "published" }), " deelnemers is tot nu toe ", shareWithInterval(lang, ofParticipants, {}), " succesvol uitgestroomd; ", num(lang, count(cohort.no_outflow, lang), { tier: "published" }), " zitten nog in de SIB."),
    );
  }
  const d12 = metrics["duration.success_cif_12m"];
  const d24 = metrics["duration.success_cif_24m"];
  const median = metrics["duration.median_months"];
  if (d12 !== undefined && d24 !== undefined) {
    const en = lang === "en";
    const pct = (name, x) => (x === null ? num(lang, en ? "— (beyond the follow-up)" : "— (buiten de follow-up)", { tier: "reconstructed", metric: name, value: null }) : metricNum(lang, metrics, name, percent(x, lang), "reconstructed"));
    const medianPart = median === null
      ? [en ? " Fewer than half flowed out within the follow-up: the median is not reached" : " Minder dan de helft is binnen de follow-up uitgestroomd: de mediaan wordt niet bereikt", num(lang, "", { metric: "duration.median_months", value: null }), "."]
      : [en ? " Half of the participants had flowed out after " : " De helft van de deelnemers is na ", metricNum(lang, metrics, "duration.median_months", number(median, lang, 1), "reconstructed"), en ? " months." : " maanden uitgestroomd."];
    items.push(
      en
        ? h("li", {}, `On the reconstructed duration table (${count(response.duration?.participants, lang)} participants of ${cohortText}), `, pct("duration.success_cif_12m", d12), " had flowed out successfully one year after entry and ", pct("duration.success_cif_24m", d24), " after two years (the report, both cohorts: about 40% and 55%).", ...medianPart)
        : h("li", {}, `Volgens de gereconstrueerde duurtabel (${count(response.duration?.participants, lang)} deelnemers uit ${cohortText}) is één jaar na instroom `, pct("duration.success_cif_12m", d12), " succesvol uitgestroomd en na twee jaar ", pct("duration.success_cif_24m", d24), " (het rapport, beide cohorten: ongeveer 40% en 55%).", ...medianPart),
    );
  } else {
    items.push(h("li", {}, missingNote(lang, t(lang, "section.duration"))));
  }
  if (sanction) {
    const p = sanction.against_pre_sib?.p_value;
    items.push(
      lang === "en"
        ? h("li", {}, metricNum(lang, metrics, "sanctions.share", percent(metrics["sanctions.share"], lang), "derived"), ` of the participants of ${cohortText} received a wage sanction (`, fraction(lang, sanction.share.successes, sanction.share.trials), "), against almost one in three before the SIB (", num(lang, `p ${pValue(p, lang)}`, { tier: "derived" }), ").")
        : h("li", {}, metricNum(lang, metrics, "sanctions.share", percent(metrics["sanctions.share"], lang), "derived"), ` van de deelnemers uit ${cohortText} kreeg een loonsanctie (`, fraction(lang, sanction.share.successes, sanction.share.trials), "), tegen bijna een op de drie vóór de SIB (", num(lang, `p ${pValue(p, lang)}`, { tier: "derived" }), ")."),
    );
  }
  const findings = response.reconciliation?.findings?.length ?? 0;
  if (findings) {
    items.push(
      lang === "en"
        ? h("li", {}, num(lang, count(findings, lang), { tier: "derived" }), " printed numbers disagree with their own counts or with each other; see ", h("a", { href: "#reconciliation" }, t(lang, "section.reconciliation")), ".")
        : h("li", {}, num(lang, count(findings, lang), { tier: "derived" }), " gepubliceerde getallen kloppen niet met hun eigen aantallen of met elkaar; zie ", h("a", { href: "#reconciliation" }, t(lang, "section.reconciliation")), "."),
    );
  }
  return [h("ul", { class: "key-figures" }, items), tierNote(lang, ["published", "derived", "reconstructed"])];
}
