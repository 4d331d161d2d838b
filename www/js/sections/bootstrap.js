// The bootstrap: the engine's ready-made requests run in the bootstrap Web Worker
// (www/bootstrap-worker.js: post {request}; it answers {type: "progress", done,
// total}, then {type: "result", response} or {type: "error", code, message};
// {type: "cancel"} stops it). The page stays responsive; results are kept per request.
//
// A request that fails (a coded error) does not stop the others: its failure is kept
// beside the results already computed and the progress moves on. Statistics the engine
// did not ask for because they are undefined in this view (`bootstrap_undefined`), and
// statistics whose every replicate failed, are said in plain words.
import { h, table } from "../dom.js";
import { count, interval, number, percentInterval } from "../format.js";
import { engineError, engineWarning, t } from "../i18n.js";
import { engineNote, levelLabel, technicalDetail } from "./common.js";

// One run at a time; results survive redraws (language, options) for the same requests.
// The engine's requests run one after another in one worker; progress counts all.
const run = { worker: null, key: null, status: "idle", done: 0, total: 0, results: [], failures: [], error: null, quarter: 0 };

function requestsOf(response, state) {
  return (response.bootstrap_requests ?? []).map((b) => ({ ...b, request: { ...b.request, replicates: state.reps, seed: state.seed } }));
}

function keyOf(requests) {
  return JSON.stringify(requests.map((r) => r.request));
}

function stop() {
  run.worker?.terminate();
  run.worker = null;
}

// A worker started ahead of the click: loading and compiling the engine (about 100 ms)
// happens while the pointer moves onto the section's buttons or focus enters the
// section, not after "Run". A finished run's worker waits for the next run the same way.
let spare = null;

function newWorker() {
  // Written literally so that the offline bundler can inline the worker.
  return new Worker(new URL("../../bootstrap-worker.js", import.meta.url), { type: "module" });
}

/** Starts a worker for the next run, unless one is waiting or a run is going. */
function warm() {
  if (spare || run.status === "running") return;
  try {
    wait(newWorker());
  } catch {
    // No worker now: the run says so when it cannot start one either.
  }
}

/** Keeps a finished run's worker for the next run. */
function park() {
  const worker = run.worker;
  run.worker = null;
  if (worker) wait(worker);
}

/** `worker` waits for the next run; one that breaks while it waits is dropped (the run then starts its own). */
function wait(worker) {
  if (spare) {
    worker.terminate();
    return;
  }
  spare = worker;
  worker.onmessage = null;
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    if (spare === worker) spare = null;
  };
}

// Delegated once on the document: the section's nodes are redrawn (and prerendered).
if (typeof document !== "undefined") {
  const inSection = (event, selector) => event.target instanceof Element && event.target.closest(selector);
  document.addEventListener("pointerover", (event) => inSection(event, "#bootstrap .bootstrap-controls") && warm(), { passive: true });
  document.addEventListener("focusin", (event) => inSection(event, "#bootstrap") && warm());
}

function langNow() {
  return document.documentElement.lang === "en" ? "en" : "nl";
}

/** Announces a message once through the section's live region (polite). */
function announce(text) {
  const live = document.getElementById("bootstrap-live");
  if (live) live.textContent = text;
}

function start(requests, redraw) {
  stop();
  const per = requests[0].request.replicates;
  Object.assign(run, { key: keyOf(requests), status: "running", done: 0, total: per * requests.length, results: [], failures: [], error: null, quarter: 0 });
  let worker = spare;
  spare = null;
  try {
    worker ??= newWorker();
  } catch {
    Object.assign(run, { status: "unavailable" });
    redraw({ focus: "bootstrap-run" });
    return;
  }
  run.worker = worker;
  let index = 0;
  // The worker sizes its own steps (progress about 20 times a second).
  const post = () => worker.postMessage({ request: requests[index].request });
  // The next request, or the end: a failed request counts as done for the progress.
  const next = () => {
    index += 1;
    run.done = index * per;
    if (index < requests.length) {
      updateProgress();
      post();
      return;
    }
    run.status = "done";
    park();
    redraw({ focus: "bootstrap-result", announce: true });
  };
  worker.onmessage = ({ data }) => {
    if (run.worker !== worker) return;
    if (data.type === "progress") {
      run.done = index * per + data.done;
      updateProgress();
    } else if (data.type === "result") {
      run.results.push({ id: requests[index].id, label: requests[index].label, response: data.response });
      next();
    } else if (data.type === "error") {
      run.failures.push({ id: requests[index].id, label: requests[index].label, statistics: requests[index].request.statistics, code: data.code, message: data.message });
      next();
    } else if (data.type === "cancelled") {
      run.status = "cancelled";
      stop();
      redraw({ focus: "bootstrap-run" });
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    if (run.worker !== worker) return;
    // The worker itself broke (not a coded refusal): keep what is computed.
    Object.assign(run, { status: run.done > 0 || run.results.length ? "error" : "unavailable", error: { code: "worker", message: event.message ?? "worker error" } });
    stop();
    redraw({ focus: "bootstrap-run" });
  };
  post();
  redraw({ focus: "bootstrap-cancel" });
}

function cancel(redraw) {
  run.worker?.postMessage({ type: "cancel" });
  stop();
  Object.assign(run, { status: "cancelled" });
  redraw({ focus: "bootstrap-run" });
  announce(t(langNow(), "bootstrap.cancelled"));
}

/** Progress in place: the bar and its text change, nothing is redrawn; quarters are announced. */
function updateProgress() {
  const lang = langNow();
  const bar = document.getElementById("bootstrap-progress");
  const text = t(lang, "bootstrap.progress", { done: count(run.done, lang), total: count(run.total, lang) });
  if (bar) {
    bar.max = run.total || 1;
    bar.value = run.done;
    bar.setAttribute("aria-valuetext", text);
  }
  const shown = document.getElementById("bootstrap-progress-text");
  if (shown) shown.textContent = text;
  const quarter = run.total ? Math.floor((4 * run.done) / run.total) : 0;
  if (quarter > run.quarter && quarter < 4) {
    run.quarter = quarter;
    announce(t(lang, "bootstrap.quarter", { percent: quarter * 25, done: count(run.done, lang), total: count(run.total, lang) }));
  }
}

// Labels of the engine's bootstrap requests and statistics, by id (the engine's own
// label, in English, is the fallback).
const LABELS = {
  "outflow.success_share": ["Succesvol aandeel van de uitstroom", "Success share among the outflow"],
  "duration.success_cif": ["Succesvolle uitstroom (cumulatieve incidentie, gereconstrueerd)", "Successful outflow (cumulative incidence, reconstructed)"],
  "duration.median_months": ["Mediane duur tot uitstroom in maanden (gereconstrueerd)", "Median months to outflow (reconstructed)"],
};

function requestLabel(lang, id, fallback) {
  return LABELS[id]?.[lang === "en" ? 1 : 0] ?? fallback ?? id;
}

function statisticName(lang, name) {
  const m = /^cif(\d+)@([\d.]+)$/.exec(name);
  if (m) return lang === "en" ? `at ${number(Number(m[2]), lang, 0)} months` : `na ${number(Number(m[2]), lang, 0)} maanden`;
  if (name === "median") return lang === "en" ? "median" : "mediaan";
  if (name === "estimate") return lang === "en" ? "share" : "aandeel";
  return name;
}

/** Why a statistic is not bootstrapped, in plain words (the engine's `reason` code). */
function undefinedReason(lang, entry) {
  const key = `bootstrap.undefined.${entry.reason}`;
  const text = t(lang, key);
  return text === key ? t(lang, "bootstrap.undefined.other") : text;
}

function resultTable(lang, state, results) {
  const key = state.ci;
  const rows = [];
  for (const result of results) {
    const months = result.id === "duration.median_months";
    const tier = result.id.startsWith("duration") ? "reconstructed" : "derived";
    const value = (x, digits = 1) => (months ? number(x, lang, digits) : number(x === null || x === undefined ? null : x * 100, lang, digits));
    for (const s of result.response.statistics ?? []) {
      const ci = s[key];
      const undefinedEstimate = s.estimate === null || s.estimate === undefined;
      rows.push({
        dataset: { statistic: `${result.id}:${s.name}` },
        cells: [
          { header: true, text: `${requestLabel(lang, result.id, result.label)}, ${statisticName(lang, s.name)}` },
          undefinedEstimate ? { text: t(lang, "bootstrap.not_defined"), tier } : { text: `${value(s.estimate)}${months ? "" : "%"}`, tier },
          { text: value(s.bias, 2), tier },
          { text: value(s.std_err, 2), tier },
          { text: ci ? (months ? interval(ci[0], ci[1], lang, 1) : percentInterval(ci[0], ci[1], lang)) : t(lang, "bootstrap.no_interval"), tier, metric: `bootstrap.${result.id}.${s.name}.${key}`, value: ci ? ci.join(",") : "" },
          { text: count(s.failed ?? 0, lang), tier },
        ],
      });
    }
  }
  return table(lang, {
    caption: lang === "en"
      ? `Bootstrap (${count(state.reps, lang)} replicates, seed ${state.seed}, ${t(lang, `ci.${key}`)} interval, ${levelLabel(state)}). Bias and standard error in percentage points, for the median in months.`
      : `Bootstrap (${count(state.reps, lang)} replicaties, seed ${state.seed}, ${t(lang, `ci.${key}`)}interval, ${levelLabel(state)}). Bias en standaardfout in procentpunten, bij de mediaan in maanden.`,
    class: "data-table compact",
    columns: [
      { label: t(lang, "col.statistic") },
      { label: t(lang, "col.estimate"), numeric: true },
      { label: t(lang, "col.bias"), numeric: true },
      { label: t(lang, "col.se"), numeric: true },
      { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true },
      { label: t(lang, "col.failed"), numeric: true },
    ],
    rows,
  });
}

/** Statistics the engine left out as undefined, and requests that failed: plain words, detail behind a disclosure. */
function notBootstrapped(lang, response, failures) {
  const items = [
    ...(response.bootstrap_undefined ?? []).map((u) =>
      h("li", { dataset: { undefined: `${u.id}:${u.statistic}`, reason: u.reason } }, `${requestLabel(lang, u.id)}, ${statisticName(lang, u.statistic)}: `, undefinedReason(lang, u), " ", technicalDetail(lang, u.message))),
    ...failures.map((f) => {
      const e = engineError(lang, f);
      return h("li", { dataset: { failed: f.id, code: e.code } }, `${requestLabel(lang, f.id, f.label)}${f.statistics?.length ? `, ${f.statistics.map((s) => statisticName(lang, s)).join(lang === "en" ? " and " : " en ")}` : ""}: `, t(lang, "bootstrap.failed"), " ", e.text, " ", technicalDetail(lang, `${e.code}: ${e.detail}`));
    }),
  ];
  if (!items.length) return null;
  return h("div", { class: "not-bootstrapped" }, h("p", {}, t(lang, "bootstrap.not_bootstrapped")), h("ul", {}, items));
}

let latest = null;

/**
 * Redraws the section with the newest view (the reader may have changed language),
 * keeping keyboard focus: on the element that had it, or on `focus` when the run's
 * change disabled it (start moves it to Cancel, the end to the result).
 */
function redraw({ focus, announce: announceEnd = false } = {}) {
  const root = document.getElementById("bootstrap");
  if (!root || !latest) return;
  const active = document.activeElement;
  // Focus is moved only when it was in this section (or lost to the page's body).
  const inside = !active || active === document.body || root.contains(active);
  const had = inside ? active?.id : null;
  // As draw.js places a section: a part left out (null) is no node, not the text "null".
  root.replaceChildren(root.querySelector("h2"), ...drawBootstrap(latest).filter(Boolean));
  if (inside) {
    const again = had ? document.getElementById(had) : null;
    const target = again && !again.disabled ? again : (focus && document.getElementById(focus)) || document.getElementById("bootstrap-run");
    target?.focus();
  }
  if (announceEnd) announce(endText(langNow()));
}

function endText(lang) {
  const statistics = run.results.reduce((n, r) => n + (r.response.statistics?.length ?? 0), 0);
  const left = (latest?.response?.bootstrap_undefined?.length ?? 0) + run.failures.length;
  return t(lang, "bootstrap.finished", { total: count(run.total, lang), statistics: count(statistics, lang), left: count(left, lang) });
}

export function drawBootstrap(context) {
  latest = context;
  const { lang, state, response } = context;
  const requests = requestsOf(response, state);
  const undefinedNote = notBootstrapped(lang, response, []);
  if (!requests.length) return [h("p", {}, t(lang, "bootstrap.none")), undefinedNote];
  const key = keyOf(requests);
  if (run.key !== key && run.status === "running") {
    run.worker?.postMessage({ type: "cancel" });
    stop();
    run.status = "cancelled";
  }
  const mine = run.key === key;
  const running = mine && run.status === "running";
  const progressText = mine && run.status !== "idle" ? t(lang, "bootstrap.progress", { done: count(run.done, lang), total: count(run.total, lang) }) : t(lang, "bootstrap.not_started");
  const parts = [
    h("p", {}, t(lang, "bootstrap.intro")),
    h(
      "div",
      { class: "bootstrap-controls" },
      h("button", { type: "button", id: "bootstrap-run", disabled: running, onclick: () => start(requestsOf(latest.response, latest.state), redraw) }, t(lang, "bootstrap.run")),
      h("button", { type: "button", id: "bootstrap-cancel", disabled: !running, onclick: () => cancel(redraw) }, t(lang, "bootstrap.cancel")),
      h("label", { for: "bootstrap-progress", class: "sr-only" }, t(lang, "bootstrap.progress_label")),
      h("progress", { id: "bootstrap-progress", max: (mine && run.total) || 1, value: mine ? run.done : 0, "aria-valuetext": progressText }),
      h("span", { id: "bootstrap-progress-text", "aria-hidden": "true" }, progressText),
    ),
    // Announcements only at quarters, at the end and on cancel (not at every chunk).
    h("p", { id: "bootstrap-live", class: "sr-only", role: "status", "aria-live": "polite" }),
  ];
  if (mine && run.status === "cancelled") parts.push(h("p", { class: "notice-inline", dataset: { bootstrap: "cancelled" } }, t(lang, "bootstrap.cancelled")));
  if (mine && run.status === "unavailable") parts.push(h("p", { class: "notice-inline", dataset: { bootstrap: "unavailable" } }, t(lang, "bootstrap.unavailable")));
  if (mine && run.status === "error") {
    const e = engineError(lang, run.error);
    parts.push(h("div", { class: "engine-error", dataset: { bootstrap: "error", code: e.code } }, e.text, " ", t(lang, "bootstrap.kept"), " ", technicalDetail(lang, `${e.code}: ${e.detail}`)));
  }
  const finished = mine && (run.status === "done" || run.status === "error");
  if (finished && run.results.length) {
    parts.push(h("div", { id: "bootstrap-result", tabindex: "-1", class: "bootstrap-result", dataset: { bootstrap: run.status === "done" ? "done" : "partial" } }, resultTable(lang, state, run.results)));
    const warnings = run.results.flatMap((r) => r.response.warnings ?? []);
    for (const w of warnings) parts.push(engineNote(lang, engineWarning(lang, w), { className: "notice-inline engine-note bootstrap-warning" }));
  } else if (finished) {
    parts.push(h("div", { id: "bootstrap-result", tabindex: "-1", dataset: { bootstrap: run.status === "done" ? "done" : "partial" } }, h("p", {}, t(lang, "bootstrap.nothing"))));
  }
  parts.push(notBootstrapped(lang, response, mine ? run.failures : []));
  return parts;
}

/** For the benchmark and tests: the current run's status. */
export function bootstrapStatus() {
  return { status: run.status, done: run.done, total: run.total, results: run.results.length, failures: run.failures.length };
}
