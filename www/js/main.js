// The report: reads the view state from the URL, asks the engine once per state, and
// draws every section from the response. Formatting and drawing only.
import { drawControls } from "./controls.js";
import { engineVersion } from "./engine.js";
import { loadReport, view as reportView } from "./report-engine.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { columnLabel, definitionLabelOf, setPackage } from "./package.js";
import { engineRequest, parseQuery, sameAnalysis, toQuery } from "./state.js";
import { SECTIONS } from "./sections/index.js";
import { renderStateBox } from "./state-box.js";
import { drawEngineMessages, drawUrlNotice } from "./sections/notices.js";

const view = {
  state: null,
  response: null,
  error: null,
  notices: [],
  version: "",
  renders: 0,
};

function setStaticTexts(lang) {
  document.documentElement.lang = lang;
  document.title = t(lang, "doc.title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(lang, el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(lang, el.dataset.i18nTitle);
  document.getElementById("controls").setAttribute("aria-label", t(lang, "controls.title"));
}

function drawNotices(lang) {
  const dismiss = () => {
    view.notices = [];
    drawNotices(lang);
  };
  drawUrlNotice(document.getElementById("notices"), lang, view.notices, view.state, view.response, dismiss);
}

function drawMessages(lang) {
  drawEngineMessages(document.getElementById("messages"), lang, view.error, view.response);
}

function drawSections() {
  const { state } = view;
  const lang = state.lang;
  const context = { lang, state, response: view.response, version: view.version, update };
  for (const section of SECTIONS) {
    const root = document.getElementById(section.id);
    if (!root) continue;
    const heading = h("h2", { id: `${section.id}-title` }, t(lang, `section.${section.id}`));
    root.setAttribute("aria-labelledby", `${section.id}-title`);
    if (!view.response && section.needsResponse !== false) {
      root.replaceChildren(heading);
      continue;
    }
    try {
      root.replaceChildren(heading, ...[section.draw(context)].flat().filter(Boolean));
    } catch (error) {
      console.error(`section ${section.id}:`, error);
      root.replaceChildren(heading, h("p", { class: "missing" }, t(lang, "missing.engine")));
    }
  }
}

function render({ reanalyse }) {
  const started = performance.now();
  const { state } = view;
  setStaticTexts(state.lang);
  if (reanalyse) {
    try {
      view.response = reportView(engineRequest(state));
      view.error = null;
    } catch (error) {
      view.response = null;
      view.error = error;
    }
  }
  drawControls(document.getElementById("controls"), state, state.lang, update);
  drawNotices(state.lang);
  drawMessages(state.lang);
  // The exact view on paper: printed on the first page (print.css).
  renderStateBox(document.getElementById("state-box"), {
    human: { definition: definitionLabelOf(state.lang, state.def)?.toLowerCase(), cohort: columnLabel(state.lang, state.cohort).toLowerCase() },
    definition: state.def,
    unknown: state.unknown,
    cohort: state.cohort,
    seed: String(state.seed),
    version: view.version,
    url: window.location.href,
    lang: state.lang,
  });
  drawSections();
  document.getElementById("status").textContent = view.error ? t(state.lang, "status.error") : t(state.lang, "status.ready");
  view.renders += 1;
  document.body.dataset.renders = String(view.renders);
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  document.body.dataset.ready = view.error ? "error" : "true";
}

/** Applies a change of the controls: new state, new URL entry, redraw. */
function update(patch) {
  const next = { ...view.state, ...patch };
  const reanalyse = !sameAnalysis(view.state, next);
  view.state = next;
  history.pushState(null, "", `${location.pathname}${toQuery(next)}${location.hash}`);
  render({ reanalyse });
}

function fromLocation() {
  const { state, notices } = parseQuery(location.search);
  const reanalyse = !view.state || !sameAnalysis(view.state, state);
  view.state = state;
  view.notices = notices;
  // A link with bad parameters: the address bar gets the cleaned link of the view shown.
  if (notices.length) history.replaceState(null, "", `${location.pathname}${toQuery(state)}${location.hash}`);
  return reanalyse;
}

async function main() {
  performance.mark("sibstat:start");
  // The language before the package is loaded (its choices validate the rest of the URL).
  const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
  setStaticTexts(lang);
  document.getElementById("status").textContent = t(lang, "status.loading");
  try {
    setPackage(await loadReport());
    performance.mark("sibstat:engine");
    view.version = engineVersion();
  } catch (error) {
    view.error = error;
    view.state = { lang };
    drawMessages(lang);
    document.body.dataset.ready = "error";
    return;
  }
  const reanalyse = fromLocation();
  // A link with bad parameters is shown as the defaults would be, and says so.
  render({ reanalyse });
  requestAnimationFrame(() => setTimeout(() => performance.mark("sibstat:drawn"), 0));
  window.addEventListener("popstate", () => render({ reanalyse: fromLocation() }));
}

main();
