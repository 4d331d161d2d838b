// The report: reads the view state from the URL, asks the engine once per state (in
// its worker, report-engine.js), and draws the sections from the response. Formatting
// and drawing only.
//
// A new state redraws only the sections whose inputs changed (sections/draw.js
// remembers what each section read), in steps with the main thread given back between
// them, so no task is long even on a slow phone; when every section is drawn the page
// sets body[data-ready] and counts up data-renders.
//
// The served site's page carries the default view drawn at build time
// (scripts/prerender.mjs, js/prerendered.js): the page then takes over at once, before
// the engine is ready (the controls live from the prerender's package description, a
// change carried out when the engine is ready), and checks each section against the
// engine's first answer (sections/draw.js keeps those drawn with the same values).
// Observable Plot, preloaded, runs only after the frame that shows the takeover.
import { drawControls } from "./controls.js";
import { engineVersion, firstView, loadReport, view as reportView } from "./report-engine.js";
import { t } from "./i18n.js";
import { setLimits } from "./limits.js";
import { columnLabel, definitionLabelOf, setPackage } from "./package.js";
import { prerendered } from "./prerendered.js";
import { engineRequest, parseQuery, toQuery } from "./state.js";
import { drawSections, measureCharts, nextTask, takeOverPrerendered } from "./sections/draw.js";
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

// The engine's answer for the latest analysis asked (language and options aside, the
// same request is never sent twice in a row): {key, answer: Promise<{response, error}>}.
let analysis = { key: null, answer: null };
// Each render has a number; a newer state stops an older render at its next step.
let generation = 0;
// Observable Plot run (runPlot): set when the page is taken over or, without a
// prerender, when the document is parsed; every render waits for it (a kept section
// needs no Plot, but a click on its button draws it).
let plotReady = null;

async function analysed(state) {
  const request = engineRequest(state);
  const key = JSON.stringify(request);
  if (analysis.key === null) {
    // The first view: the worker has answered the URL's query already, unless the page
    // read it differently (then it is asked below like any other).
    const first = await firstView();
    if (analysis.key === null && first.key === key) analysis = { key, answer: Promise.resolve(first) };
  }
  if (analysis.key !== key) {
    analysis = {
      key,
      answer: reportView(request).then(
        (response) => ({ response, error: null }),
        (error) => ({ response: null, error }),
      ),
    };
  }
  return analysis.answer;
}

// The language the page's fixed texts are in: rewritten only when it changes (writing
// them on every view would restyle the whole document).
let staticLang = null;

function setStaticTexts(lang) {
  if (lang === staticLang) return;
  staticLang = lang;
  document.documentElement.lang = lang;
  document.title = t(lang, "doc.title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(lang, el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(lang, el.dataset.i18nTitle);
  document.getElementById("controls").setAttribute("aria-label", t(lang, "controls.title"));
}

/** A package published from microdata says so in the masthead instead of the printed report. */
function drawPublication(lang, response) {
  const publication = response?.publication;
  if (!publication) return;
  document.querySelector(".masthead .kicker").textContent = t(lang, "header.kicker_published", { cutoff: publication.cutoff, k: publication.k });
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

async function render() {
  const mine = ++generation;
  const started = performance.now();
  const { state } = view;
  setStaticTexts(state.lang);
  const { response, error } = await analysed(state);
  await plotReady;
  if (mine !== generation) return;
  view.response = response;
  view.error = error;
  drawPublication(state.lang, response);
  // For the benchmark: the one layout a view forces before drawing (the charts' widths).
  const measuring = performance.now();
  measureCharts();
  performance.measure("sibstat:measure-charts", { start: measuring });
  drawPanel(state);
  drawNotices(state.lang);
  drawMessages(state.lang);
  const context = { lang: state.lang, state, response: view.response, version: view.version, update };
  const finished = await drawSections(context, () => mine !== generation);
  if (!finished) return;
  document.getElementById("status").textContent = view.error ? t(state.lang, "status.error") : t(state.lang, "status.ready");
  view.renders += 1;
  document.body.dataset.renders = String(view.renders);
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  document.body.dataset.ready = view.error ? "error" : "true";
}

/** The control panel and the state box (the exact view on paper, print.css) for `state`. */
function drawPanel(state) {
  const controls = document.getElementById("controls");
  drawControls(controls, state, state.lang, update);
  controls.removeAttribute("data-prerendered");
  const box = document.getElementById("state-box");
  renderStateBox(box, {
    human: { definition: definitionLabelOf(state.lang, state.def)?.toLowerCase(), cohort: columnLabel(state.lang, state.cohort).toLowerCase() },
    definition: state.def,
    unknown: state.unknown,
    cohort: state.cohort,
    seed: String(state.seed),
    version: view.version,
    url: window.location.href,
    lang: state.lang,
  });
  box.removeAttribute("data-prerendered");
}

/**
 * Takes the prerendered page over before the engine is ready: the package's choices and
 * the engine's limits as the prerender recorded them (the worker's own arrive later and
 * replace them), the URL's state, the live controls with the changes the reader made
 * before (js/prerender-guard.js kept them). Returns whether the URL's view is the one
 * drawn at build time (then everything shows at once).
 */
function takeOver(pre) {
  setPackage(pre.package);
  setLimits(pre.limits);
  view.version = pre.version;
  fromLocation();
  takeOverPrerendered(pre.sections);
  const same = toQuery(view.state) === pre.query && view.state.lang === pre.lang;
  if (same) document.documentElement.removeAttribute("data-prerender");
  drawPanel(view.state);
  document.querySelector(".masthead").removeAttribute("data-prerendered");
  // Until the engine's answer is in, a change is taken and carried out then.
  document.getElementById("controls").setAttribute("aria-busy", "true");
  for (const { id, checked, value } of (globalThis.sibstatEarlyInputs ?? []).splice(0)) {
    const input = document.getElementById(id);
    if (!input) continue;
    if (input.type === "radio" || input.type === "checkbox") {
      if (input.checked === checked) continue;
      input.checked = checked;
    } else input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  return same;
}

/** Sets "sibstat:drawn" after the frame that shows what is drawn now; resolves then. */
function markDrawn() {
  return new Promise((resolve) =>
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("sibstat:drawn");
        resolve();
      }, 0),
    ),
  );
}

/** Applies a change of the controls: new state, new URL entry, redraw. */
function update(patch) {
  const next = { ...view.state, ...patch };
  view.state = next;
  // The engine is asked first: the new history entry (a slow call in Chromium, over
  // 10 ms) is made while the worker answers.
  const drawing = render();
  history.pushState(null, "", `${location.pathname}${toQuery(next)}${location.hash}`);
  return drawing;
}

function fromLocation() {
  const { state, notices } = parseQuery(location.search);
  view.state = state;
  view.notices = notices;
  // A link with bad parameters: the address bar gets the cleaned link of the view shown.
  if (notices.length) history.replaceState(null, "", `${location.pathname}${toQuery(state)}${location.hash}`);
}

/** Resolves when the document is parsed. */
function documentParsed() {
  if (document.readyState !== "loading") return Promise.resolve();
  return new Promise((resolve) => document.addEventListener("readystatechange", resolve, { once: true }));
}

/**
 * Runs Observable Plot, which the charts need and the takeover does not: the page
 * preloads vendor/plot.js (<link id="plot-script">, its download started with the
 * page's) and its script is inserted now; the offline file carries Plot inline, run
 * already. Resolves when the script has run, or failed to load: then each chart's
 * section says its numbers are missing, as it did when a deferred Plot failed.
 */
function runPlot() {
  const link = document.getElementById("plot-script");
  if (globalThis.Plot || !link) return Promise.resolve();
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = link.href;
    script.onload = resolve;
    script.onerror = resolve;
    document.head.append(script);
  });
}

async function main() {
  performance.mark("sibstat:start");
  // The engine's worker was started by js/start-engine.js, before this module loaded:
  // it loads and prepares the report while the page's own scripts load.
  const prepared = loadReport();
  prepared.catch(() => {}); // handled below, once the document can show it
  // Taking a prerendered page over needs its body, not Plot (drawing does: runPlot).
  await documentParsed();
  // The language before the package is loaded (its choices validate the rest of the URL).
  const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
  const pre = prerendered();
  // The prerendered page's fixed texts are in its language already.
  if (pre) staticLang = pre.lang;
  setStaticTexts(lang);
  document.getElementById("status").textContent = t(lang, "status.loading");
  let shown = false;
  if (pre) {
    const started = performance.now();
    shown = takeOver(pre);
    // A change made from now on is a history entry of its own, before the engine is ready too.
    listenToHistory();
    // For the benchmark: the takeover's own work.
    performance.measure("sibstat:takeover", { start: started });
    performance.mark("sibstat:interactive");
    // Every section is in the page and the controls respond: the page is drawn. Plot
    // runs after that frame (a hidden page paints no frame: at once).
    if (shown && !document.hidden) plotReady = markDrawn().then(runPlot);
    else if (shown) markDrawn();
  }
  // Drawing a section needs Plot: without a prerender, or with sections to redraw, at once.
  plotReady ??= runPlot();
  try {
    setPackage(await prepared);
    performance.mark("sibstat:engine");
    view.version = engineVersion();
  } catch (error) {
    view.error = error;
    view.state ??= { lang };
    drawMessages(lang);
    document.body.dataset.ready = "error";
    return;
  }
  if (!pre) fromLocation();
  // The package's arrival (a structured clone of it and the parts every view shares) is
  // a task of its own; drawing starts in the next.
  await nextTask();
  // A link with bad parameters is shown as the defaults would be, and says so. A change
  // made while the engine loaded has begun its own render already: this one is the same.
  await render();
  document.getElementById("controls").removeAttribute("aria-busy");
  if (!document.querySelector("[data-prerendered]")) document.documentElement.removeAttribute("data-prerender");
  // Prerendered: the sections are checked against the engine's answer (and redrawn where
  // it differs); otherwise they are drawn now.
  performance.mark("sibstat:checked");
  if (!shown) markDrawn();
  if (!pre) listenToHistory();
}

/** Back and forward between the page's own entries redraw their views. */
function listenToHistory() {
  window.addEventListener("popstate", () => {
    fromLocation();
    render();
  });
}

main();
