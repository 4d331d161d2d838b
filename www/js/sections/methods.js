// Methods and data: estimators, variance formulas, interval transforms, parity with R,
// the reconstruction's assumptions, the data's provenance and the version.
import { h, sourceText } from "../dom.js";
import { t } from "../i18n.js";

const TEXT = {
  nl: [
    ["Aandelen", "Een aandeel is successen / basis uit de gepubliceerde aantallen; het interval is het Wilson-scoreinterval (zoals R's prop.test zonder continuïteitscorrectie). Toetsen tegen een vast aandeel (loonsancties tegen 1/3) gebruiken de score-toets; cohortverschillen de χ²-toets op de 2×2-tabel, met het Wald-interval voor het verschil en de exacte toets van Fisher."],
    ["Logits", "Logistische regressie op gegroepeerde rijen met Newton–Raphson; alle fitmaten zijn die van de individuen (gegroepeerd = uitgevouwen). Gemiddelde marginale effecten met standaardfouten via de deltamethode; sterren * p < 0,10, ** p < 0,05, *** p < 0,01 zoals in het rapport. Scheiding wordt gedetecteerd en gemeld."],
    ["Duur tot uitstroom", "Figuur 3.2 is alleen als afbeelding en met enkele getallen in de tekst gepubliceerd. De rekenkern reconstrueert een duurtabel (393 deelnemers, twee instroomcohorten) die met die getallen overeenkomt, en schat daarop de cumulatieve incidentie van succesvolle en niet-succesvolle uitstroom met de Aalen–Johansen-schatter (concurrerende risico's). Variantie: de infinitesimale jackknife zoals R's survfit op een multi-state status; intervallen op de log-schaal zoals survfit. De uitstroom door elke oorzaak samen (de bovenrand van de stapeling) is 1 − Kaplan–Meier met de variantie van Greenwood en log-log-intervallen. De naïeve 1 − KM behandelt de andere uitstroom als censurering en overschat zo het succes: het verschil laat zien waarom een concurrerende-risicoschatter nodig is. Elk getal hieruit heet ‘gereconstrueerd’."],
    ["Mediaan", "De mediane duur tot uitstroom (elke oorzaak) volgt de kwantielregel van R's survfit, met het interval uit de inversie van de puntsgewijze intervallen."],
    ["Bootstrap", "Herbemonstering van individuen uit de geaggregeerde rijen (multinomiaal), met percentiel-, basis-, normale en BCa-intervallen zoals R's boot. Dezelfde seed geeft dezelfde getallen in de browser en in de CLI."],
    ["Gelijkheid met R", "Elke schatter is getoetst tegen R (survival, cmprsk, boot) en Python (statsmodels) op referentiewaarden in tests/fixtures, tot 1e-9 absoluut of 1e-6 relatief; WebAssembly en de native CLI geven dezelfde getallen tot 1e-12."],
    ["Gegevens", "Alle gepubliceerde getallen komen uit SEO Economisch Onderzoek, ‘SIB Joining Forces. Eerste tussenrapportage over de evaluatie van de SIB Joining Forces (2019–2021)’, J. van Kesteren en A. Heyma, 19 januari 2022, hoofdstuk 3, eenmaal overgenomen in data/joining_forces.json met tabel, rij, kolom, pagina en regel per getal. Er zijn geen persoonsgegevens nodig of gebruikt; alles wordt in uw browser berekend."],
  ],
  en: [
    ["Shares", "A share is successes / base from the published counts; the interval is Wilson's score interval (as R's prop.test without continuity correction). Tests against a fixed rate (sanctions against 1/3) use the score test; cohort differences the χ² test on the 2×2 table, with the Wald interval of the difference and Fisher's exact test."],
    ["Logits", "Logistic regression on grouped rows by Newton–Raphson; every fit statistic is that of the individuals (grouped = expanded). Average marginal effects with delta-method standard errors; stars * p < 0.10, ** p < 0.05, *** p < 0.01 as in the report. Separation is detected and reported."],
    ["Duration to outflow", "Figure 3.2 is published only as a picture and a few numbers in the text. The engine reconstructs a duration table (393 participants, two entry cohorts) consistent with those numbers and estimates on it the cumulative incidence of successful and unsuccessful outflow with the Aalen–Johansen estimator (competing risks). Variance: the infinitesimal jackknife as R's survfit on a multi-state status; intervals on the log scale as survfit. Outflow of any cause (the top edge of the stack) is 1 − Kaplan–Meier with Greenwood's variance and log-log intervals. The naive 1 − KM treats the other outflow as censoring and so overstates success: the gap shows why a competing-risks estimator is needed. Every number from it is labelled ‘reconstructed’."],
    ["Median", "The median time to outflow (any cause) follows the quantile rule of R's survfit, its interval from inverting the pointwise intervals."],
    ["Bootstrap", "Resampling individuals from the aggregate rows (multinomial), with percentile, basic, normal and BCa intervals as R's boot. The same seed gives the same numbers in the browser and in the CLI."],
    ["Parity with R", "Every estimator is tested against R (survival, cmprsk, boot) and Python (statsmodels) on reference values in tests/fixtures, to 1e-9 absolute or 1e-6 relative; WebAssembly and the native CLI agree to 1e-12."],
    ["Data", "Every published number comes from SEO Economisch Onderzoek, ‘SIB Joining Forces. Eerste tussenrapportage over de evaluatie van de SIB Joining Forces (2019–2021)’, J. van Kesteren and A. Heyma, 19 January 2022, chapter 3, transcribed once into data/joining_forces.json with table, row, column, page and line per number. No personal data is needed or used; everything is computed in your browser."],
  ],
};

/**
 * The workbench beside the report: workbench.html on the served site; the offline
 * file's sibling (dist/sibstat-workbench.html) when the report is opened from disk.
 */
export function workbenchHref() {
  const offline = document.documentElement.dataset.offline || location.protocol === "file:";
  return offline ? "sibstat-workbench.html" : "workbench.html";
}

export function drawMethods({ lang, response, version }) {
  const spec = response?.duration?.reconstruction?.assumptions ?? null;
  const list = spec?.assumptions ?? [];
  return [
    h("dl", { class: "methods" }, TEXT[lang].map(([term, text], i, all) => {
      // A package published from microdata says where its data come from instead.
      const pub = response?.publication;
      const own = pub && i === all.length - 1 ? t(lang, "publication.microdata", { source: pub.source, cutoff: pub.cutoff, k: pub.k }) : text;
      return [h("dt", {}, term), h("dd", {}, own)];
    })),
    // The engine states its assumptions in English: behind a disclosure in the Dutch page.
    list.length
      ? h(
          "details",
          { class: "assumptions" },
          h("summary", {}, lang === "en" ? "Assumptions of the reconstruction (as the engine states them)" : "Aannames van de reconstructie (technische details, in het Engels)"),
          spec.description ? h("p", { lang: "en" }, spec.description) : null,
          h("ul", { lang: "en" }, list.map((a) => h("li", { dataset: { assumption: a.id } }, a.text, a.source ? h("span", { class: "detail", lang }, ` (${sourceText(lang, a.source)})`) : null))),
        )
      : null,
    h("p", { class: "version" }, t(lang, "engine.version", { version }), " · ", h("a", { href: workbenchHref(), class: "workbench-link" }, lang === "en" ? "Workbench: re-analyse your own table" : "Werkbank: heranalyseer uw eigen tabel")),
  ];
}
