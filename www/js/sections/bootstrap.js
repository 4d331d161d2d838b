// The bootstrap: the engine's ready-made requests run in the bootstrap Web Worker
// (www/bootstrap-worker.js: post {request, chunk}; it answers {type: "progress", done,
// total}, then {type: "result", response} or {type: "error", code, message};
// {type: "cancel"} stops it). The page stays responsive; results are kept per request.
import { h, table } from "../dom.js";
import { count, interval, number, percentInterval } from "../format.js";
import { engineError, engineWarning, t } from "../i18n.js";
import { levelLabel } from "./common.js";

// One run at a time; results survive redraws (language, options) for the same requests.
// The engine's requests run one after another in one worker; progress counts all.
const run = { worker: null, key: null, status: "idle", done: 0, total: 0, results: [], error: null };

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

function start(requests, redraw) {
  stop();
  const per = requests[0].request.replicates;
  Object.assign(run, { key: keyOf(requests), status: "running", done: 0, total: per * requests.length, results: [], error: null });
  let worker;
  try {
    // Written literally so that the offline bundler can inline the worker.
    worker = new Worker(new URL("../../bootstrap-worker.js", import.meta.url), { type: "module" });
  } catch {
    Object.assign(run, { status: "unavailable" });
    redraw();
    return;
  }
  run.worker = worker;
  let index = 0;
  const post = () => worker.postMessage({ request: requests[index].request, chunk: Math.max(50, Math.ceil(per / 50)) });
  worker.onmessage = ({ data }) => {
    if (run.worker !== worker) return;
    if (data.type === "progress") {
      run.done = index * per + data.done;
      updateProgress();
      return;
    }
    if (data.type === "result") {
      run.results.push({ id: requests[index].id, label: requests[index].label, response: data.response });
      index += 1;
      run.done = index * per;
      if (index < requests.length) {
        updateProgress();
        post();
        return;
      }
      run.status = "done";
    } else if (data.type === "error") Object.assign(run, { status: "error", error: { code: data.code, message: data.message } });
    else if (data.type === "cancelled") run.status = "cancelled";
    stop();
    redraw();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    if (run.worker !== worker) return;
    Object.assign(run, { status: run.done > 0 ? "error" : "unavailable", error: { code: "worker", message: event.message ?? "worker error" } });
    stop();
    redraw();
  };
  post();
  redraw();
}

function cancel(redraw) {
  run.worker?.postMessage({ type: "cancel" });
  stop();
  Object.assign(run, { status: "cancelled" });
  redraw();
}

function updateProgress() {
  const bar = document.getElementById("bootstrap-progress");
  if (!bar) return;
  bar.max = run.total || 1;
  bar.value = run.done;
  const text = document.getElementById("bootstrap-progress-text");
  const lang = document.documentElement.lang === "en" ? "en" : "nl";
  if (text) text.textContent = t(lang, "bootstrap.progress", { done: count(run.done, lang), total: count(run.total, lang) });
}

const LABELS = {
  "outflow.success_share": ["Succesvol aandeel van de uitstroom", "Success share among the outflow"],
  "duration.success_cif": ["Succesvolle uitstroom (cumulatieve incidentie, gereconstrueerd)", "Successful outflow (cumulative incidence, reconstructed)"],
  "duration.median_months": ["Mediane duur tot uitstroom in maanden (gereconstrueerd)", "Median months to outflow (reconstructed)"],
};

function statisticName(lang, name) {
  const m = /^cif1@(\d+)$/.exec(name);
  if (m) return lang === "en" ? `at ${m[1]} months` : `na ${m[1]} maanden`;
  if (name === "median") return lang === "en" ? "median" : "mediaan";
  if (name === "estimate") return lang === "en" ? "share" : "aandeel";
  return name;
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
      rows.push({
        dataset: { statistic: `${result.id}:${s.name}` },
        cells: [
          { header: true, text: `${LABELS[result.id]?.[lang === "en" ? 1 : 0] ?? result.label}, ${statisticName(lang, s.name)}` },
          { text: `${value(s.estimate)}${months ? "" : "%"}`, tier },
          { text: value(s.bias, 2), tier },
          { text: value(s.std_err, 2), tier },
          { text: ci ? (months ? interval(ci[0], ci[1], lang, 1) : percentInterval(ci[0], ci[1], lang)) : "—", tier, metric: `bootstrap.${result.id}.${s.name}.${key}`, value: ci ? ci.join(",") : "" },
          { text: count(s.failed ?? 0, lang) },
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

let latest = null;

/** Redraws the section with the newest view (the reader may have changed language). */
function redraw() {
  const root = document.getElementById("bootstrap");
  if (root && latest) root.replaceChildren(root.querySelector("h2"), ...drawBootstrap(latest));
}

export function drawBootstrap(context) {
  latest = context;
  const { lang, state, response } = context;
  const requests = requestsOf(response, state);
  if (!requests.length) return [h("p", {}, t(lang, "bootstrap.none"))];
  const key = keyOf(requests);
  if (run.key !== key && run.status === "running") cancel(() => {});
  const mine = run.key === key;
  const running = mine && run.status === "running";
  const parts = [
    h("p", {}, t(lang, "bootstrap.intro")),
    h(
      "div",
      { class: "bootstrap-controls" },
      h("button", { type: "button", id: "bootstrap-run", disabled: running, onclick: () => start(requests, redraw) }, t(lang, "bootstrap.run")),
      h("button", { type: "button", id: "bootstrap-cancel", disabled: !running, onclick: () => cancel(redraw) }, t(lang, "bootstrap.cancel")),
      h("progress", { id: "bootstrap-progress", max: (mine && run.total) || 1, value: mine ? run.done : 0, "aria-labelledby": "bootstrap-progress-text" }),
      h("span", { id: "bootstrap-progress-text", role: "status" }, mine && run.status !== "idle" ? t(lang, "bootstrap.progress", { done: count(run.done, lang), total: count(run.total, lang) }) : ""),
    ),
  ];
  if (mine && run.status === "cancelled") parts.push(h("p", { class: "notice-inline", dataset: { bootstrap: "cancelled" } }, t(lang, "bootstrap.cancelled")));
  if (mine && run.status === "unavailable") parts.push(h("p", { class: "notice-inline", dataset: { bootstrap: "unavailable" } }, t(lang, "bootstrap.unavailable")));
  if (mine && run.status === "error") {
    const e = engineError(lang, run.error);
    parts.push(h("p", { class: "engine-error", role: "alert", dataset: { bootstrap: "error", code: e.code } }, `${e.text} (${e.code}: ${e.detail})`));
  }
  if (mine && run.status === "done" && run.results.length) {
    parts.push(h("div", { dataset: { bootstrap: "done" } }, resultTable(lang, state, run.results)));
    const warnings = run.results.flatMap((r) => r.response.warnings ?? []);
    if (warnings.length) parts.push(h("ul", { class: "engine-warnings bootstrap-warnings" }, warnings.map((w) => engineWarning(lang, w)).map((w) => h("li", { dataset: { code: w.code } }, w.text, w.detail && w.detail !== w.text ? h("span", { class: "detail", lang: "en" }, ` (${w.detail})`) : null))));
  }
  return parts;
}

/** For the benchmark and tests: the current run's status. */
export function bootstrapStatus() {
  return { status: run.status, done: run.done, total: run.total };
}
