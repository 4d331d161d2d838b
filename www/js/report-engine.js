// The report's engine, in a Web Worker (www/report-worker.js, started by
// js/start-engine.js): the worker loads the WebAssembly module and prepares the report
// package once (validated, figure 3.2 reconstructed, the printed numbers reconciled);
// each view state is then one message answered by one `view_only_json(state)` call, so
// a toggle never parses or fits again and the page's main thread never runs the engine. The package's files are data beside the
// page (www/data/, copied by build.sh; inlined in the offline file), never compiled
// into the engine.
import { setLimits } from "./limits.js";
import { startedWorker } from "./start-engine.js";

let reportReady = null;
let worker = null;
let version = "";
// The parts of every view's response that are the same for every view state, by their
// place ("duration.reconstruction"): sent once by the worker, put into each view.
let fixedParts = {};
let nextId = 0;
const waiting = new Map(); // message id -> {resolve, reject}

/** The engine's error as the page knows it: an Error with the stable `code`. */
function engineError({ code, message }) {
  return Object.assign(new Error(message), { code });
}

/**
 * A view's response with the fixed parts put back at their places, as the engine's
 * `with_fixed_parts` does for the CLI: a part of a section only where the response has
 * that section (no duration section, no reconstruction). Every view shares the same
 * objects, so a section that read only fixed parts sees them unchanged.
 */
function withFixedParts(response, parts) {
  for (const [place, value] of Object.entries(parts)) {
    const dot = place.indexOf(".");
    const holder = dot < 0 ? response : response[place.slice(0, dot)];
    if (holder && typeof holder === "object" && !Array.isArray(holder)) holder[dot < 0 ? place : place.slice(dot + 1)] = value;
  }
  return response;
}

/** Posts a message to the worker; resolves to its answer {key, response} or rejects with the engine's error. */
function ask(message) {
  const id = ++nextId;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  }).finally(() => {
    // For the benchmark (scripts/bench-report.mjs): the round trip to the worker.
    performance.measure("sibstat:view", { start: started });
  });
}

// The view of the URL's query at load, answered by the worker as soon as the package is
// prepared: {key, answer: Promise<{response, error}>}.
let first = null;

/**
 * Takes over the worker that js/start-engine.js started (and its first request) and
 * waits for the package to be prepared; resolves to the package's description, rejects
 * with the engine's error when the package cannot be prepared. The URL's query is
 * answered at once: see firstView.
 */
export function loadReport() {
  reportReady ??= new Promise((resolve, reject) => {
    const started = startedWorker();
    worker = started.worker;
    const receive = (data) => {
      // For the benchmark: the worker's stages as marks of the page ("sibstat:worker:compiled").
      for (const [name, at] of Object.entries(data.stages ?? {})) {
        if (performance.getEntriesByName(`sibstat:worker:${name}`).length === 0) performance.mark(`sibstat:worker:${name}`, { startTime: at - performance.timeOrigin });
      }
      if (data.type === "ready") {
        version = data.version;
        fixedParts = data.fixed;
        setLimits(data.limits);
        resolve(data.package);
      } else if (data.type === "failed") {
        reject(engineError(data.error));
      } else if (waiting.has(data.id)) {
        const { resolve: answer, reject: refuse } = waiting.get(data.id);
        waiting.delete(data.id);
        if (data.error) refuse(Object.assign(engineError(data.error), { key: data.key }));
        else answer({ key: data.key, response: withFixedParts(JSON.parse(data.text), fixedParts) });
      }
    };
    // The first request (id 0) was sent by start-engine.js.
    first = new Promise((answer, refuse) => waiting.set(0, { resolve: answer, reject: refuse }))
      .finally(() => performance.measure("sibstat:view", { start: started.askedAt }))
      .then(
        ({ key, response }) => ({ key, response, error: null }),
        (error) => ({ key: error.key ?? null, response: null, error }),
      );
    worker.onmessage = ({ data }) => receive(data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      reject(new Error(`report worker: ${event.message ?? "failed to start"}`));
    };
    for (const data of started.early.splice(0)) receive(data);
  });
  return reportReady;
}

/**
 * The view of the query given to loadReport, as the worker read it: {key (the engine
 * request as JSON), response, error}; the page uses it when its own request is the same.
 */
export function firstView() {
  return first;
}

/** The prepared report's answer to a view state; rejects with the engine's Error (with .code) on refusal. */
export function view(request) {
  return ask({ request }).then(({ response }) => response);
}

/** The engine's version, known once the report is prepared. */
export function engineVersion() {
  return version;
}
