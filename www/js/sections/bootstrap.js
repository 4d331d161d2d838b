// The bootstrap: the engine's ready-made requests run in the bootstrap Web Worker
// (www/bootstrap-worker.js: post {request, chunk}; it answers {type: "progress", done,
// total}, then {type: "result", response} or {type: "error", code, message};
// {type: "cancel"} stops it). The page stays responsive; results are kept per request.
import { h, num, table } from "../dom.js";
import { count, number, percent, percentInterval } from "../format.js";
import { engineError, engineWarning, t } from "../i18n.js";
import { levelLabel } from "./common.js";

const WORKER_URL = new URL("../../bootstrap-worker.js", import.meta.url);

// One run at a time; results survive redraws (language, options) for the same request.
const run = { worker: null, key: null, status: "idle", done: 0, total: 0, response: null, error: null, redraw: null };

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
  const key = keyOf(requests);
  const item = requests[0];
  Object.assign(run, { key, status: "running", done: 0, total: item.request.replicates, response: null, error: null });
  let worker;
  try {
    worker = new Worker(WORKER_URL, { type: "module" });
  } catch {
    Object.assign(run, { status: "unavailable" });
    redraw();
    return;
  }
  run.worker = worker;
  worker.onmessage = ({ data }) => {
    if (run.worker !== worker) return;
    if (data.type === "progress") {
      run.done = data.done;
      run.total = data.total;
      updateProgress();
      return;
    }
    if (data.type === "result") Object.assign(run, { status: "done", response: data.response });
    else if (data.type === "error") Object.assign(run, { status: "error", error: { code: data.code, message: data.message } });
    else if (data.type === "cancelled") Object.assign(run, { status: "cancelled" });
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
  worker.postMessage({ request: item.request, chunk: Math.max(50, Math.ceil(item.request.replicates / 50)) });
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

function resultTable(lang, state, response) {
  const key = state.ci;
  return table(lang, {
    caption: lang === "en"
      ? `Bootstrap of the success share among the outflow (${count(response.replicates ?? state.reps, lang)} replicates, seed ${state.seed}, ${t(lang, `ci.${key}`)} interval, ${levelLabel(state)}).`
      : `Bootstrap van het succesvolle aandeel van de uitstroom (${count(response.replicates ?? state.reps, lang)} replicaties, seed ${state.seed}, ${t(lang, `ci.${key}`)}interval, ${levelLabel(state)}).`,
    class: "data-table compact",
    columns: [
      { label: t(lang, "col.statistic") },
      { label: t(lang, "col.estimate"), numeric: true },
      { label: t(lang, "col.bias"), numeric: true },
      { label: t(lang, "col.se"), numeric: true },
      { label: t(lang, "col.interval", { level: levelLabel(state) }), numeric: true },
      { label: t(lang, "col.failed"), numeric: true },
    ],
    rows: (response.statistics ?? []).map((s) => ({
      dataset: { statistic: s.name },
      cells: [
        { header: true, text: s.name },
        { text: percent(s.estimate, lang), tier: "derived" },
        { text: number(s.bias * 100, lang, 2), tier: "derived" },
        { text: number(s.std_err * 100, lang, 2), tier: "derived" },
        { text: s[key] ? percentInterval(s[key][0], s[key][1], lang) : "—", tier: "derived", metric: "bootstrap.interval", value: s[key] ? s[key].join(",") : "" },
        { text: count(s.failed ?? 0, lang) },
      ],
    })),
  });
}

export function drawBootstrap(context) {
  const { lang, state, response } = context;
  const redraw = () => {
    const root = document.getElementById("bootstrap");
    if (root) root.replaceChildren(root.querySelector("h2"), ...drawBootstrap(context));
  };
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
  if (mine && run.status === "done" && run.response) {
    parts.push(h("div", { dataset: { bootstrap: "done" } }, resultTable(lang, state, run.response)));
    const warnings = run.response.warnings ?? [];
    if (warnings.length) parts.push(h("ul", { class: "engine-warnings" }, warnings.map((w) => engineWarning(lang, w)).map((w) => h("li", { dataset: { code: w.code } }, w.text))));
  }
  return parts;
}

/** For the benchmark and tests: the current run's status. */
export function bootstrapStatus() {
  return { status: run.status, done: run.done, total: run.total };
}
