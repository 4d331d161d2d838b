// The report: reads the view state from the URL, asks the engine once per state, and
// draws every section from the response. Formatting and drawing only.
import { drawControls } from "./controls.js";
import { loadEngine, run, engineVersion } from "./engine.js";
import { h } from "./dom.js";
import { engineError, engineWarning, t } from "./i18n.js";
import { columnLabel, definitionLabelOf, setPackage } from "./package.js";
import { engineRequest, parseQuery, sameAnalysis, toQuery } from "./state.js";
import { SECTIONS } from "./sections/index.js";
import { renderStateBox } from "./state-box.js";

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
  const box = document.getElementById("notices");
  box.replaceChildren(
    ...view.notices.map((notice, i) =>
      h(
        "p",
        { class: "notice", dataset: { param: notice.param } },
        t(lang, "notice.bad_param", notice),
        " ",
        h("button", { type: "button", class: "link-button", onclick: () => { view.notices.splice(i, 1); drawNotices(lang); } }, t(lang, "notice.dismiss")),
      ),
    ),
  );
  box.hidden = view.notices.length === 0;
}

function drawMessages(lang) {
  const box = document.getElementById("messages");
  const items = [];
  if (view.error) {
    const e = engineError(lang, view.error);
    items.push(
      h("div", { class: "engine-error", role: "alert", dataset: { code: e.code } }, h("strong", {}, `${t(lang, "error.title")}: `), e.text, " ", h("span", { class: "detail", lang: "en" }, `(${e.code}: ${e.detail})`), h("p", {}, t(lang, "error.kept"))),
    );
  }
  const warnings = view.response?.warnings ?? [];
  if (warnings.length) {
    items.push(
      h(
        "div",
        { class: "engine-warnings", role: "status" },
        h("strong", {}, t(lang, "warnings.title")),
        h("ul", {}, warnings.map((w) => engineWarning(lang, w)).map((w) => h("li", { dataset: { code: w.code } }, w.text, w.detail && w.detail !== w.text ? h("span", { class: "detail", lang: "en" }, ` (${w.detail})`) : null))),
      ),
    );
  }
  box.replaceChildren(...items);
  box.hidden = items.length === 0;
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
  drawControls(document.getElementById("controls"), state, state.lang, update);
  if (reanalyse) {
    try {
      view.response = run(engineRequest(state));
      view.error = null;
    } catch (error) {
      view.response = null;
      view.error = error;
    }
  }
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
  return reanalyse;
}

async function main() {
  performance.mark("sibstat:start");
  // The language before the package is loaded (its choices validate the rest of the URL).
  const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
  setStaticTexts(lang);
  document.getElementById("status").textContent = t(lang, "status.loading");
  try {
    setPackage(await loadEngine());
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
  // A link with bad parameters is shown as the defaults would be, and says so; the
  // address bar keeps the reader's link until they change a control.
  render({ reanalyse });
  requestAnimationFrame(() => setTimeout(() => performance.mark("sibstat:drawn"), 0));
  window.addEventListener("popstate", () => render({ reanalyse: fromLocation() }));
}

main();
